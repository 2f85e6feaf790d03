#!/usr/bin/env bash
# The long differential run (fuzz/README.md, "Long runs"): the cargo-fuzz
# `differential` target, coverage-guided, on one core, starting from the
# kept corpus (fuzz/corpus/differential.tar.xz, unpacked into
# fuzz/corpus/differential) and adding to it; then the corpus is minimized
# (libFuzzer's merge keeps a smaller set of inputs with the same coverage)
# and packed again, one file to keep in the repository.
#
#   scripts/fuzz-long.sh [SECONDS]     (default 3600)
#
# A crash or divergence stops the run; its input is saved under
# fuzz/artifacts/differential/ and
#   cargo run --release -p pulley-fuzz --bin diff -- --input FILE
# replays it on the stable build, printing what every engine observed.
# Needs the nightly toolchain; installs cargo-fuzz if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-3600}
target_dir=${FUZZ_TARGET_DIR:-target/fuzz}
corpus=fuzz/corpus/differential
artifacts=fuzz/artifacts/differential

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# No sanitizer (scripts/sanitize.sh runs those): twice the cases per second.
# Debug assertions on, which also gives the interpreter its loop dispatch.
cargo +nightly fuzz build differential --fuzz-dir fuzz --features libfuzzer \
    -s none --debug-assertions --target-dir "$target_dir"
binary=$target_dir/$(rustc -vV | sed -n 's/^host: //p')/release/differential

mkdir -p "$corpus" "$artifacts"
[ -f "$corpus.tar.xz" ] && tar -C "$corpus" -xJf "$corpus.tar.xz"
# -len_control=0: inputs up to 4 KiB from the start, so that wasm-smith
# makes modules of every size at once instead of growing them slowly.
"$binary" -max_total_time="$seconds" -len_control=0 -max_len=4096 \
    -timeout=60 -rss_limit_mb=6000 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus"

minimized=$(mktemp -d)
"$binary" -merge=1 -rss_limit_mb=6000 "$minimized" "$corpus"
rm -f "$corpus"/*
mv "$minimized"/* "$corpus"/
rmdir "$minimized"
tar -C "$corpus" -cJf "$corpus.tar.xz" .
echo "corpus: $(ls "$corpus" | wc -l) inputs, packed in $(du -h "$corpus.tar.xz" | cut -f1)"
