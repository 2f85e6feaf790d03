#!/usr/bin/env bash
# Runs the WebAssembly spec testsuite under `pulley wast`, one script at a
# time, and writes docs/conformance.md with the result of every file: every
# script of the 2.0 suite (SIMD included), then the relaxed-SIMD scripts of
# the 3.0 suite when it is present; then the whole 2.0 suite's totals in each
# compilation mode, with the optimizing tier first, and with the baseline tier
# (the default) tiering up after every count, and never.
# Usage: scripts/conformance.sh [SUITE_DIR [SUITE_3_0_DIR]]
# (defaults: ../shared/wasm-testsuite-2.0 and ../shared/wasm-testsuite)
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${1:-../shared/wasm-testsuite-2.0}"
suite3="${2:-../shared/wasm-testsuite}"
relaxed_simd=(i16x8_relaxed_q15mulr_s i32x4_relaxed_trunc i8x16_relaxed_swizzle
    relaxed_dot_product relaxed_laneselect relaxed_madd_nmadd relaxed_min_max)
[ -d "$suite" ] || { echo "no testsuite at $suite (see scripts/fetch-testsuite.sh)" >&2; exit 1; }
cargo build --release --quiet -p pulley
pulley="${CARGO_TARGET_DIR:-target}/release/pulley"
output=docs/conformance.md
mkdir -p docs

total_passed=0
total_failed=0
rows=""
scripts=("$suite"/*.wast)
if [ -d "$suite3" ]; then
    for name in "${relaxed_simd[@]}"; do scripts+=("$suite3/$name.wast"); done
fi
for script in "${scripts[@]}"; do
    name=$(basename "$script")
    [[ $script == "$suite3"/* ]] && name="3.0: $name"
    summary=$("$pulley" wast "$script" 2>&1 | tail -n 1 || true)
    passed=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    failed=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$passed" ]; then
        rows+="| $name | 0 | ? | $summary |"$'\n'
        continue
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    status=$([ "$failed" = 0 ] && echo pass || echo FAIL)
    rows+="| $name | $passed | $failed | $status |"$'\n'
done

# The 2.0 suite as a whole in each compilation mode (the table is the
# default's, lazy-translation).
modes=""
for mode in eager lazy-translation lazy; do
    summary=$("$pulley" wast --compilation "$mode" "$suite"/*.wast 2>&1 | tail -n 1 || true)
    modes+="| \`$mode\` | $summary |"$'\n'
done
summary=$("$pulley" wast --first-tier optimizing "$suite"/*.wast 2>&1 | tail -n 1 || true)
modes+="| \`lazy-translation\`, \`--first-tier optimizing\` | $summary |"$'\n'
for threshold in 1 0; do
    summary=$("$pulley" wast --first-tier baseline --tier-up-threshold "$threshold" \
        "$suite"/*.wast 2>&1 | tail -n 1 || true)
    modes+="| \`lazy-translation\`, \`--first-tier baseline --tier-up-threshold $threshold\` | $summary |"$'\n'
done

{
    echo "# Spec conformance"
    echo
    echo "Produced by \`scripts/conformance.sh $suite $suite3\` on $(date -u +%Y-%m-%d)"
    for dir in "$suite" "$suite3"; do
        if [ -f "$dir/SOURCE.txt" ]; then
            echo "from the snapshot of $(sed -n 's/^Source: //p' "$dir/SOURCE.txt" | cut -d' ' -f1) at commit $(sed -n 's/^Commit: \([0-9a-f]\{12\}\).*/\1/p' "$dir/SOURCE.txt") ($dir)."
        fi
    done
    echo
    echo "Rows marked 3.0 are the relaxed-SIMD scripts of the 3.0 suite; our"
    echo "implementation-defined choices for relaxed SIMD are in the README."
    echo
    echo "Each row counts the directives of one script (\`assert_return\`, \`assert_trap\`, module definitions, ...)."
    echo "\`assert_invalid\` and \`assert_malformed\` check that the module is rejected, not the message text."
    echo
    echo "**Total: $total_passed passed, $total_failed failed.**"
    echo
    echo "The rows are the default's (\`lazy-translation\`, baseline tier first,"
    echo "tiering up after 10,000 counts). The 2.0 suite in each mode"
    echo "(\`pulley wast --compilation MODE $suite/*.wast\`; in \`lazy\`, a body is"
    echo "validated when its function compiles, so a module the script expects to be"
    echo "invalid must fail once all its functions compile), with the optimizing tier"
    echo "first, and with the baseline tier tiering up at every function's first count"
    echo "(threshold 1: frames running loops move into on-stack entries) and never (0):"
    echo
    echo "| mode | $(basename "$suite") |"
    echo "|---|---|"
    printf '%s' "$modes"
    echo
    echo "| script | passed | failed | status |"
    echo "|---|---|---|---|"
    printf '%s' "$rows"
} > "$output"
echo "wrote $output: $total_passed passed, $total_failed failed"
