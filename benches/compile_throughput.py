#!/usr/bin/env python3
"""Compile throughput: Pulley's compiler beside Wasmtime 48's Pulley backend.

    benches/compile_throughput.py [--repeat N] [--wasmtime PATH] [PROGRAM...]

Compiles the largest programs of ../shared/bench-wasm (or the named ones) to
artifacts with `pulley compile` (target pulley64) and `wasmtime compile
--target pulley64`, each on one thread and on all cores, and prints the best
wall time of N runs, the throughput in MB of wasm per second (the whole file,
and its code section alone), peak memory and artifact size, as a Markdown
table.

Needs a release build of `pulley` (cargo build --release -p pulley) and
Wasmtime 48's CLI (cargo install --locked wasmtime-cli@48.0.8; --wasmtime or
$PULLEY_BENCH_WASMTIME give its path, default: `wasmtime` on PATH).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT.parent / "shared" / "bench-wasm"
LARGEST = ["gcc-loops", "rust-compression", "sqlite3/sqlite3", "regex"]


def code_section_size(wasm: bytes) -> int:
    """The size of the code section (id 10) of a wasm module."""
    pos = 8
    while pos < len(wasm):
        section = wasm[pos]
        pos += 1
        size = shift = 0
        while True:
            byte = wasm[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        if section == 10:
            return size
        pos += size
    return 0


def measure(command, env, repeat):
    """Best wall time of `repeat` runs, and the peak RSS, each run measured
    in its own Python child so that ru_maxrss is that run's alone."""
    best_wall, peak = float("inf"), 0
    probe = (
        "import resource, subprocess, sys, time;"
        "s = time.perf_counter();"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "w = time.perf_counter() - s;"
        "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", probe, *command],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        best_wall = min(best_wall, float(out[0]))
        peak = max(peak, int(out[1]))
    return best_wall, peak / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("programs", nargs="*", default=LARGEST)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--wasmtime",
        default=os.environ.get("PULLEY_BENCH_WASMTIME") or shutil.which("wasmtime"),
    )
    args = parser.parse_args()
    pulley = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "release" / "pulley"
    if not pulley.is_file():
        sys.exit(f"no {pulley}: cargo build --release -p pulley")
    if not args.wasmtime:
        sys.exit("no Wasmtime CLI: pass --wasmtime PATH (see --help)")
    version = subprocess.run(
        [args.wasmtime, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    manifest = {p["name"]: p for p in json.loads((PROGRAMS / "manifest.json").read_text())}
    cores = os.cpu_count()
    print(f"pulley: {pulley}; {version}; {cores} cores; best of {args.repeat}\n")
    print(
        "| program | wasm (code) | compiler | threads | time | MB/s (code MB/s) "
        "| peak memory | artifact |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as out:
        for name in args.programs:
            program = manifest[name]
            wasm = PROGRAMS / program["dir"] / program["wasm"]
            size = wasm.stat().st_size
            code = code_section_size(wasm.read_bytes())
            artifact = Path(out) / "artifact"
            for compiler, threads in [
                ("pulley", 1),
                ("pulley", cores),
                ("wasmtime-pulley", 1),
                ("wasmtime-pulley", cores),
            ]:
                env = dict(os.environ)
                if compiler == "pulley":
                    env["RAYON_NUM_THREADS"] = str(threads)
                    command = [str(pulley), "compile", "--target", "pulley64"]
                else:
                    parallel = "y" if threads > 1 else "n"
                    command = [
                        args.wasmtime,
                        "compile",
                        "--target",
                        "pulley64",
                        "-C",
                        f"parallel-compilation={parallel}",
                    ]
                command += [str(wasm), "-o", str(artifact)]
                wall, peak = measure(command, env, args.repeat)
                print(
                    f"| {name} | {size / 1e6:.2f} MB ({code / 1e6:.2f}) | {compiler} "
                    f"| {threads} | {wall:.3f} s | {size / 1e6 / wall:.1f} ({code / 1e6 / wall:.1f}) "
                    f"| {peak:.0f} MB | {artifact.stat().st_size / 1e6:.2f} MB |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
