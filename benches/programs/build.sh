#!/usr/bin/env bash
# Rebuilds the benchmark kernels (*.c -> *.wasm, wasm32-wasi) with Debian's
# clang-16, lld-16 and wasi-libc, installing them if missing. The .wasm files
# are checked in, so the benchmarks run without this toolchain; rerun this
# after changing a kernel, then update its expected output in manifest.json
# (the runner prints the output it got when it differs).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v clang-16 >/dev/null || ! command -v wasm-ld-16 >/dev/null \
    || [ ! -f /usr/lib/wasm32-wasi/libc.a ] \
    || [ ! -f /usr/lib/llvm-16/lib/clang/16/lib/wasi/libclang_rt.builtins-wasm32.a ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
        clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32
fi

for source in *.c; do
    clang-16 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror \
        -Wl,--strip-debug -o "${source%.c}.wasm" "$source"
    echo "built ${source%.c}.wasm"
done
