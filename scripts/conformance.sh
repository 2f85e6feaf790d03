#!/usr/bin/env bash
# Runs the WebAssembly spec testsuite under `pulley wast`, one script at a
# time, and writes docs/conformance.md with the result of every file.
# Usage: scripts/conformance.sh [SUITE_DIR] (default: ../shared/wasm-testsuite-2.0)
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${1:-../shared/wasm-testsuite-2.0}"
[ -d "$suite" ] || { echo "no testsuite at $suite (see scripts/fetch-testsuite.sh)" >&2; exit 1; }
cargo build --release --quiet -p pulley
pulley="${CARGO_TARGET_DIR:-target}/release/pulley"
output=docs/conformance.md
mkdir -p docs

total_passed=0
total_failed=0
rows=""
for script in "$suite"/*.wast; do
    name=$(basename "$script")
    case "$name" in
        simd_*) rows+="| $name | - | - | not run: SIMD is not implemented yet |"$'\n'; continue ;;
    esac
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

{
    echo "# Spec conformance"
    echo
    echo "Produced by \`scripts/conformance.sh $suite\` on $(date -u +%Y-%m-%d)"
    if [ -f "$suite/SOURCE.txt" ]; then
        echo "from the snapshot of $(sed -n 's/^Source: //p' "$suite/SOURCE.txt") at commit $(sed -n 's/^Commit: \([0-9a-f]\{12\}\).*/\1/p' "$suite/SOURCE.txt")."
    fi
    echo
    echo "Each row counts the directives of one script (\`assert_return\`, \`assert_trap\`, module definitions, ...)."
    echo "\`assert_invalid\` and \`assert_malformed\` check that the module is rejected, not the message text."
    echo
    echo "**Total: $total_passed passed, $total_failed failed.**"
    echo
    echo "| script | passed | failed | status |"
    echo "|---|---|---|---|"
    printf '%s' "$rows"
} > "$output"
echo "wrote $output: $total_passed passed, $total_failed failed"
