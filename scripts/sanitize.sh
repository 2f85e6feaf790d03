#!/usr/bin/env bash
# The interpreter's tests under AddressSanitizer (nightly `-Zsanitizer=address`)
# and under Miri. Part of the full run (docs/security.md); not in
# `scripts/test.sh`, whose time budget they do not fit (about 3.5 min cold for
# AddressSanitizer on 2 cores, more for Miri).
#
#   scripts/sanitize.sh [asan|miri]...   (default: both)
#
# AddressSanitizer runs pulley-isa's and pulley-interp's unit and integration
# tests except the dispatch torture test, which runs on a 256 KiB thread on
# purpose (to catch handlers that stop tail-calling) and whose unoptimized,
# instrumented frames do not fit it: that is the test's design, not a memory
# error. Miri runs pulley-interp's unit tests (the verifier, the semantic
# helpers); the integration tests run millions of ops, too slow under Miri.
# Miri is installed with rustup (`rustup +nightly component add miri
# rust-src`); the script does that when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

host="$(rustc -vV | sed -n 's/^host: //p')"
tools=("$@")
[[ ${#tools[@]} -gt 0 ]] || tools=(asan miri)

for tool in "${tools[@]}"; do
    case "$tool" in
    asan)
        step "AddressSanitizer: pulley-isa and pulley-interp tests (nightly, $host)"
        RUSTFLAGS="-Zsanitizer=address" RUSTDOCFLAGS="-Zsanitizer=address" \
            rustup run nightly cargo test -p pulley-isa -p pulley-interp \
            --target "$host" --target-dir target/asan --lib \
            --test programs --test semantics --test verifier
        ;;
    miri)
        step "Miri: pulley-interp unit tests"
        if ! rustup +nightly component list --installed | grep -q '^miri'; then
            rustup +nightly component add miri rust-src
        fi
        rustup run nightly cargo miri test -p pulley-interp --target-dir target/miri --lib
        ;;
    *)
        echo "usage: scripts/sanitize.sh [asan|miri]..." >&2
        exit 2
        ;;
    esac
done
