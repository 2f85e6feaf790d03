#!/usr/bin/env bash
# Fetches the official WebAssembly spec testsuite at pinned commits, for
# machines without ../shared: the 2.0 suite (the last commit whose root held
# it) and the 3.0 suite (whose relaxed-SIMD scripts we run too). Usage:
# scripts/fetch-testsuite.sh [DIR] (default: target/testsuite). Then:
# pulley wast DIR/wasm-testsuite-2.0/*.wast, or
# scripts/conformance.sh DIR/wasm-testsuite-2.0 DIR/wasm-testsuite
set -euo pipefail
cd "$(dirname "$0")/.."

destination="${1:-target/testsuite}"
repository="https://github.com/WebAssembly/testsuite.git"
fetch() {
    local commit="$1" directory="$2"
    if [ -d "$directory/.git" ]; then
        git -C "$directory" fetch --quiet origin "$commit"
    else
        git init --quiet "$directory"
        git -C "$directory" remote add origin "$repository"
        git -C "$directory" fetch --quiet --depth 1 origin "$commit"
    fi
    git -C "$directory" checkout --quiet "$commit"
    echo "$directory: $(git -C "$directory" log -1 --format='%h %cd' --date=short)"
}
fetch a8101597d3c3c660086c3cd1eedee608ff18d3c3 "$destination/wasm-testsuite-2.0"
fetch 193e551ff22663995b1ac95dc62344133669e14b "$destination/wasm-testsuite"
