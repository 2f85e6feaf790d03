#!/usr/bin/env bash
# Runs every test of the workspace: unit, property, integration and doc tests,
# the interpreter's tests in each of its dispatch modes, the no_std builds, a
# bounded differential fuzzing run against Wasmtime, a bounded run of forged
# (mutated, resealed) artifacts against the verifier, real WASI programs, and
# the cross-host tests under qemu (armv7 and s390x; a subset, see
# scripts/cross-test.sh) with the no_std build for thumbv7em. This is what
# CI runs (.ci/run), and it must stay under an hour from a cold checkout.
#
#   scripts/test.sh [--full]
#
# --full adds what does not fit in that hour: the interpreter's tests
# optimized with debug assertions (a build of their own), and the full
# cross-host run (scripts/cross-test.sh without --subset: i686 and powerpc,
# s390x's spec suite and artifacts, the rest of the runtime's tests).
set -euo pipefail
cd "$(dirname "$0")/.."

full=0
for arg in "$@"; do
    case "$arg" in
        --full) full=1 ;;
        *)
            echo "usage: scripts/test.sh [--full]" >&2
            exit 2
            ;;
    esac
done

# Each step with the minutes since the start: where a run's time goes.
step() { printf '\n==> %s (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "workspace tests (debug build: loop dispatch; the spec suite also as native code)"
# (pulley-fuzz is tested below, optimized, beside its differential run;
# pulley-benches is a measuring tool with no tests, linted by .ci/run.)
cargo test --workspace --exclude pulley-fuzz --exclude pulley-benches --features pulley/native

step "interpreter tests, optimized (tail-call dispatch on x86_64/aarch64)"
cargo test -p pulley-interp --release

if [[ $full == 1 ]]; then
    step "interpreter tests, optimized with debug assertions (loop dispatch: they defeat sibling calls)"
    CARGO_PROFILE_DEV_OPT_LEVEL=1 cargo test -p pulley-interp --target-dir target/opt1
fi

step "interpreter tests on nightly (become dispatch)"
rustup run nightly cargo test -p pulley-interp --features nightly --target-dir target/nightly

step "no_std builds, and the interpreter's unit tests without its simd feature"
cargo build -p pulley-isa --no-default-features
cargo build -p pulley-interp --no-default-features
cargo test -p pulley-interp --no-default-features --features std --lib
cargo build -p pulley --no-default-features --features interp

step "compile-time budgets (fuzz/tests/scaling.rs: n -> 4n costs at most 8x the time, 5x the memory; optimized)"
cargo test --release -p pulley-fuzz --lib --test scaling

step "differential fuzzing: interpreter and native code against Wasmtime (bounded; PULLEY_FUZZ_SEED picks the cases)"
cargo run --release -p pulley-fuzz --bin diff -- --iterations 20000 --seed "${PULLEY_FUZZ_SEED:-1}" |
    grep -av "a peer diverges"

step "forged artifacts: every one the verifier accepts is harmless (bounded; PULLEY_FUZZ_SEED picks the cases)"
# 4000 iterations: ~30 s on 2 cores (release build; measured 30.0 s, of which
# ~5 s waiting out forgeries that claim no fuel and loop, stopped at 250 ms).
cargo run --release -p pulley-fuzz --bin forge -- --iterations 4000 --seed "${PULLEY_FUZZ_SEED:-1}"

step "real WASI programs (the fast ones of ../shared/bench-wasm)"
scripts/run-programs.sh --subset

if [[ $full == 1 ]]; then
    step "cross-host tests under qemu, and no_std for thumbv7em (full)"
    scripts/cross-test.sh
else
    step "cross-host tests under qemu, and no_std for thumbv7em (subset)"
    scripts/cross-test.sh --subset
fi
step "done"
