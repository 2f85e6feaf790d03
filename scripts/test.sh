#!/usr/bin/env bash
# Runs every test of the workspace: unit, property, integration and doc tests,
# the interpreter's tests in each of its dispatch modes, and the no_std builds.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "workspace tests (debug build: loop dispatch)"
cargo test --workspace

step "interpreter tests, optimized (tail-call dispatch on x86_64/aarch64)"
cargo test -p pulley-interp --release

step "interpreter tests on nightly (become dispatch)"
rustup run nightly cargo test -p pulley-interp --features nightly --target-dir target/nightly

step "no_std builds"
cargo build -p pulley-isa --no-default-features
cargo build -p pulley-interp --no-default-features
