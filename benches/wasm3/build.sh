#!/usr/bin/env bash
# Builds the wasm3 engine of the benchmark runner: our driver (driver.c)
# linked with wasm3's C sources, which come from the `wasm3-sys` crate on
# crates.io (wasm3 0.4.7 with its WASI layer; no newer wasm3 with WASI is on a
# registry this project reaches). Writes target/wasm3/wasm3-bench, where
# `pulley-benches` looks for it (or set PULLEY_BENCH_WASM3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${CARGO_TARGET_DIR:-$root/target}/wasm3"
mkdir -p "$out/fetch/src"

# A throwaway package that depends on wasm3-sys, so that cargo fetches and
# unpacks its sources.
cat > "$out/fetch/Cargo.toml" <<'TOML'
[package]
name = "wasm3-sources"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
wasm3-sys = { version = "=0.3.0", default-features = false }

[workspace]
TOML
touch "$out/fetch/src/lib.rs"
cargo fetch --quiet --manifest-path "$out/fetch/Cargo.toml"
sys="$(cargo metadata --quiet --format-version 1 --manifest-path "$out/fetch/Cargo.toml" \
    | python3 -c 'import json, sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "wasm3-sys"))')"
source="$(dirname "$sys")/wasm3/source"

# wasm3 recommends clang: its interpreter relies on sibling calls.
cc="${CC:-$(command -v clang-16 || command -v clang || echo cc)}"
# The flags of wasm3's own release build, WASI on.
"$cc" -std=gnu11 -O3 -DNDEBUG -Dd_m3HasWASI -Dd_m3LogOutput=0 -fomit-frame-pointer \
    -fno-stack-protector -w -I"$source" -o "$out/wasm3-bench" "$here/driver.c" "$source"/*.c -lm
echo "built $out/wasm3-bench (wasm3 from $source)"
