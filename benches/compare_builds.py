#!/usr/bin/env python3
"""Two builds of `pulley` side by side on the programs of ../shared/bench-wasm.

    benches/compare_builds.py BEFORE AFTER [--repeat N] [PROGRAM...]

BEFORE and AFTER are paths to `pulley` executables (build the older commit in
a git worktree: `git worktree add /tmp/before REV && cargo build --release
--manifest-path /tmp/before/Cargo.toml -p pulley`). Each program runs as
`pulley run --dir . --preload bench=bench-stub.wasm PROGRAM ARGS` in its
folder; the best CPU time (user + system, of the child) of N runs is printed
for each build, with BEFORE / AFTER (above 1: AFTER is faster). Compilation
is included: this compares builds of one engine, not engines (for that, see
`pulley-benches`). PROGRAM is a name from the manifest or its last part
(`shootout-random`); default: all.
"""

import argparse
import json
import os
import resource
import subprocess
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent.parent.parent / "shared" / "bench-wasm"


def cpu_time(command, cwd, stdin_path):
    """CPU seconds of one run of `command`, and its exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as stdin:
        status = subprocess.run(
            command,
            cwd=cwd,
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        ).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("programs", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    stub = PROGRAMS / "bench-stub.wat"
    manifest = json.loads((PROGRAMS / "manifest.json").read_text())
    print(f"best CPU time of {args.repeat} runs; ratio = before / after")
    for program in manifest:
        name = program["name"]
        if args.programs and not any(p in (name, name.split("/")[-1]) for p in args.programs):
            continue
        cwd = PROGRAMS / program["dir"]
        stdin = cwd / program["stdin"] if program.get("stdin") else None
        times = []
        for build in (args.before, args.after):
            command = [str(Path(build).resolve()), "run", "--dir", ".", "--preload", f"bench={stub}"]
            command += [program["wasm"], *program.get("args", [])]
            runs = [cpu_time(command, cwd, stdin) for _ in range(args.repeat)]
            failed = [status for _, status in runs if status != program.get("exit", 0)]
            if failed:
                raise SystemExit(f"{name}: {build} exited with {failed[0]}")
            times.append(min(time for time, _ in runs))
        print(f"{name:36} {times[0]:8.3f} s {times[1]:8.3f} s  x{times[0] / times[1]:5.2f}", flush=True)


if __name__ == "__main__":
    main()
