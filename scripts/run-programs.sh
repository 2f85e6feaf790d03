#!/usr/bin/env bash
# Runs the real WASI programs of ../shared/bench-wasm under the release
# `pulley` and checks their output against Wasmtime's (run.py).
#
#   scripts/run-programs.sh            every program
#   scripts/run-programs.sh --subset   the fast ones (CI: about 10 s)
#
# PULLEY_BENCH_WASM overrides where the programs are. Without them, says so
# and succeeds: they are data outside this repository.
set -euo pipefail
cd "$(dirname "$0")/.."

programs="${PULLEY_BENCH_WASM:-../shared/bench-wasm}"
if [[ ! -f "$programs/run.py" ]]; then
    echo "no programs at $programs (set PULLEY_BENCH_WASM): skipped"
    exit 0
fi
programs="$(cd "$programs" && pwd)"

# Programs under half a second each; every other one takes seconds.
subset=(blake3-scalar bz2 noop pulldown-cmark quicksort regex richards
    rust-compression rust-json shootout-ackermann shootout-gimli
    shootout-keccak shootout-memmove shootout-nestedloop shootout-ratelimit
    shootout-switch shootout-xblabla20 shootout-xchacha20 wasm3/c-ray)

cargo build --release -p pulley
# Absolute: run.py runs the command in each program's folder.
target_dir="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
runtime="$target_dir/release/pulley run --dir . --preload bench={stub} {wasm}"

if [[ "${1:-}" == "--subset" ]]; then
    failed=0
    for name in "${subset[@]}"; do
        python3 "$programs/run.py" --runtime "$runtime" --only "$name" | head -n -1 || failed=1
    done
    [[ $failed == 0 ]] && echo "${#subset[@]} programs passed"
    exit $failed
fi
python3 "$programs/run.py" --runtime "$runtime"
