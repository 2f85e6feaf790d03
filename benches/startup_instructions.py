#!/usr/bin/env python3
"""Start-up in executed instructions: Pulley against a peer, under callgrind.

    benches/startup_instructions.py [--engines pulley,wasmi-lazy] [PROGRAM...]

Runs `pulley-benches child --startup-only` (build it first: `cargo build
--release -p pulley -p pulley-benches`) under `valgrind --tool=callgrind`
for every program of ../shared/bench-wasm and benches/programs, once per
engine, and prints a Markdown table of the instructions each process
executed, as ratios to the first engine's (above 1: the first executes
fewer). A start-up-only child reads the module, compiles it, links WASI,
instantiates and finds the entry point, then exits without calling it.

Instruction counts do not vary from run to run, unlike the start-up times
of a millisecond that the harness measures on a shared machine. Both engines
run in the same executable, so the process's own start (about 1.1 M
instructions: the dynamic loader, the command line) is the same in each and
is counted in both. PROGRAM is a name from a manifest or its last part
(`shootout-sieve`); default: all.

`--whole-run` counts the whole process instead, the program's run
included; with one engine and `--harness` pointing at builds of two
commits, it compares the interpreter before and after a change (BENCHMARKS.md,
"Handlers without calls").
"""

import argparse
import json
import math
import re
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench-wasm"
HARNESS = REPO / "target" / "release" / "pulley-benches"


def programs():
    """(name, folder, module, arguments, stdin) of every program."""
    for manifest, base in [
        (SHARED / "manifest.json", SHARED),
        (REPO / "benches" / "programs" / "manifest.json", REPO / "benches" / "programs"),
    ]:
        for program in json.loads(manifest.read_text()):
            folder = base / program["dir"]
            stdin = folder / program["stdin"] if program.get("stdin") else None
            yield program["name"], folder, program["wasm"], program.get("args", []), stdin


def instructions(harness, engine, folder, wasm, args, stdin, scratch, whole_run):
    """Instructions the child executed (start-up only unless `whole_run`), or
    None if it failed."""
    output, report = scratch / "callgrind.out", scratch / "report"
    report.unlink(missing_ok=True)
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={output}",
        str(harness), "child", "--engine", engine,
        *([] if whole_run else ["--startup-only"]),
        "--report", str(report), "--", wasm, *args,
    ]
    with open(stdin or "/dev/null", "rb") as input_:
        run = subprocess.run(command, cwd=folder, stdin=input_, capture_output=True, text=True,
                             errors="replace")
    if not report.exists() or (not whole_run and "startup_ns" not in report.read_text()):
        return None
    found = re.search(r"Collected : (\d+)", run.stderr)
    return int(found.group(1)) if found else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="pulley,wasmi-lazy")
    parser.add_argument("--whole-run", action="store_true",
                        help="count the whole process, the program's run included")
    parser.add_argument("--harness", type=Path, default=HARNESS,
                        help="the pulley-benches executable (default: this checkout's)")
    parser.add_argument("only", nargs="*")
    options = parser.parse_args()
    engines = options.engines.split(",")
    print("| program | " + " | ".join(engines) + " |")
    print("|---|" + "--:|" * len(engines))
    ratios = {engine: [] for engine in engines[1:]}
    with tempfile.TemporaryDirectory() as scratch:
        for name, folder, wasm, args, stdin in programs():
            if options.only and not any(o in (name, name.split("/")[-1]) for o in options.only):
                continue
            counts = [
                instructions(options.harness, e, folder, wasm, args, stdin, Path(scratch),
                             options.whole_run)
                for e in engines
            ]
            cells = [f"{counts[0] / 1e6:.2f} M" if counts[0] else "FAILED"]
            for engine, count in zip(engines[1:], counts[1:]):
                if counts[0] and count:
                    ratios[engine].append(count / counts[0])
                    cells.append(f"{count / counts[0]:.2f}")
                else:
                    cells.append("FAILED")
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    geomeans = [
        f"{math.exp(sum(map(math.log, r)) / len(r)):.2f} (n={len(r)})" if r else "-"
        for r in ratios.values()
    ]
    print(f"| geomean of engine / {engines[0]} | " + " | ".join(["1", *geomeans]) + " |")


if __name__ == "__main__":
    main()
