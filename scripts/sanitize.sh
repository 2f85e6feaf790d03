#!/usr/bin/env bash
# The interpreter's tests under AddressSanitizer (nightly `-Zsanitizer=address`),
# cargo-careful (a standard library with debug assertions and extra UB checks)
# and Miri. Part of the full run (docs/security.md); not in `scripts/test.sh`,
# whose time budget they do not fit (cold, on 2 cores: about 3.5 min for
# AddressSanitizer, 2 min for cargo-careful, 2.5 min for Miri).
#
#   scripts/sanitize.sh [asan|careful|miri]...   (default: all three)
#
# AddressSanitizer runs pulley-isa's and pulley-interp's unit and integration
# tests except the dispatch torture test, which runs on a 256 KiB thread on
# purpose (to catch handlers that stop tail-calling) and whose unoptimized,
# instrumented frames do not fit it: that is the test's design, not a memory
# error. Miri runs pulley-interp's unit tests (the verifier, the semantic
# helpers); the integration tests run millions of ops, too slow under Miri.
# cargo-careful runs the same tests as AddressSanitizer. Miri is installed
# with rustup (`rustup +nightly component add miri rust-src`), cargo-careful
# from crates.io (`cargo install cargo-careful --locked`); the script does
# that when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

host="$(rustc -vV | sed -n 's/^host: //p')"
tools=("$@")
[[ ${#tools[@]} -gt 0 ]] || tools=(asan careful miri)
tests=(--lib --test programs --test semantics --test verifier)

for tool in "${tools[@]}"; do
    case "$tool" in
    asan)
        step "AddressSanitizer: pulley-isa and pulley-interp tests (nightly, $host)"
        RUSTFLAGS="-Zsanitizer=address" RUSTDOCFLAGS="-Zsanitizer=address" \
            rustup run nightly cargo test -p pulley-isa -p pulley-interp \
            --target "$host" --target-dir target/asan "${tests[@]}"
        ;;
    careful)
        step "cargo-careful: pulley-isa and pulley-interp tests (nightly)"
        command -v cargo-careful > /dev/null || cargo install cargo-careful --locked
        rustup run nightly cargo careful test -p pulley-isa -p pulley-interp \
            --target-dir target/careful "${tests[@]}"
        ;;
    miri)
        step "Miri: pulley-interp unit tests"
        if ! rustup +nightly component list --installed | grep -q '^miri'; then
            rustup +nightly component add miri rust-src
        fi
        rustup run nightly cargo miri test -p pulley-interp --target-dir target/miri --lib
        ;;
    *)
        echo "usage: scripts/sanitize.sh [asan|careful|miri]..." >&2
        exit 2
        ;;
    esac
done
