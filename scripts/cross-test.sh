#!/usr/bin/env bash
# Cross-host tests (../shared/cross.md): builds the crates with Debian's Rust
# (rustc-web + rust-web-src, -Zbuild-std) for 32-bit and big-endian Linux
# hosts and runs them under qemu-user, then checks the no_std builds.
#
#   scripts/cross-test.sh [--subset] [TARGET...]
#   scripts/cross-test.sh --native [TARGET...]
#
# On each target (default: all four below):
#   * the tests of pulley-isa and pulley-interp, recording the interpreter's
#     dispatch mode (pulley_interp::DISPATCH) and the torture test's result;
#   * the WebAssembly 2.0 spec suite, compiled and run on that host;
#   * artifacts compiled on x86_64 for the target's flavour, run there by the
#     cross-built `pulley` and compared with the x86_64 host's own results;
#     the same artifacts compiled on the target must be byte for byte equal,
#     and an artifact of another flavour must be refused.
# Then pulley-isa, pulley-interp and the interpreter-only runtime must build
# for thumbv7em-none-eabihf (no_std + alloc).
#
# --subset (CI) runs a fixed part on the two hosts the design names, armv7
# (32-bit little-endian) and s390x (64-bit big-endian), unless targets are
# given: on both, the pulley-isa and pulley-interp tests (the interpreter's
# semantics, torture and program tests, on each byte order and pointer
# width); on armv7 also one copy of the spec suite (and the crate's copy
# again with the baseline tier first), the artifact checks, and the
# optimized torture test (its optimized builds dispatch by tail calls).
# s390x's spec suite and artifact checks, and i686 and powerpc
# (pulley32be's only host), run in the full run: each costs 7 to 10
# minutes, mostly building the compiler under -Zbuild-std, and CI must stay
# under an hour from a cold checkout (a cold CI run measured 69 minutes with
# them). Without --subset, also the
# rest of the runtime's tests (except tests/cli.rs, whose spawned `pulley`
# would need binfmt_misc), the second copy of the spec suite, real programs
# of ../shared/bench-wasm as artifacts, and the torture test in an optimized
# build, in its default dispatch and with tail calls forced (the second is a
# probe of whether LLVM keeps sibling calls on that architecture: reported,
# not required). On s390x, whose Cranelift backend the runtime's `native`
# feature accepts, the full run also tests native mode: runtime/tests/native.rs
# and the spec suite as native code.
#
# --native runs only those native-mode tests, on s390x and aarch64 (default)
# or the targets given (docs/native.md).
#
# Installs what it needs with apt when missing (about 45 s, 1.6 GB). Builds
# go to target/cross (PULLEY_CROSS_TARGET_DIR overrides); logs and a summary
# to target/cross/logs. PULLEY_CROSS_CLEAN=1 (set by .ci/run) deletes each
# target's build once its checks are done, to bound the disk a run needs.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

all_targets=(armv7-unknown-linux-gnueabihf i686-unknown-linux-gnu
    powerpc-unknown-linux-gnu s390x-unknown-linux-gnu)
# The hosts of --subset (CI).
subset_targets=(armv7-unknown-linux-gnueabihf s390x-unknown-linux-gnu)
# Hosts where the runtime's `native` feature runs (--native; aarch64 only
# there).
native_targets=(s390x-unknown-linux-gnu aarch64-unknown-linux-gnu)
declare -A flavour=(
    [armv7-unknown-linux-gnueabihf]=pulley32 [i686-unknown-linux-gnu]=pulley32
    [powerpc-unknown-linux-gnu]=pulley32be [s390x-unknown-linux-gnu]=pulley64be
    [aarch64-unknown-linux-gnu]=pulley64)
# An artifact flavour each target must refuse.
declare -A foreign=(
    [armv7-unknown-linux-gnueabihf]=pulley32be [i686-unknown-linux-gnu]=pulley64
    [powerpc-unknown-linux-gnu]=pulley32 [s390x-unknown-linux-gnu]=pulley64)
declare -A gnu=(
    [armv7-unknown-linux-gnueabihf]=arm-linux-gnueabihf
    [i686-unknown-linux-gnu]=i686-linux-gnu
    [powerpc-unknown-linux-gnu]=powerpc-linux-gnu
    [s390x-unknown-linux-gnu]=s390x-linux-gnu
    [aarch64-unknown-linux-gnu]=aarch64-linux-gnu)
declare -A libc_arch=(
    [armv7-unknown-linux-gnueabihf]=armhf [i686-unknown-linux-gnu]=i386
    [powerpc-unknown-linux-gnu]=powerpc [s390x-unknown-linux-gnu]=s390x
    [aarch64-unknown-linux-gnu]=arm64)
declare -A qemu=(
    [armv7-unknown-linux-gnueabihf]=qemu-arm [i686-unknown-linux-gnu]=qemu-i386
    [powerpc-unknown-linux-gnu]=qemu-ppc [s390x-unknown-linux-gnu]=qemu-s390x
    [aarch64-unknown-linux-gnu]=qemu-aarch64)
# The targets where --subset runs the runtime's checks too (the spec suite,
# artifacts), not only the pulley-isa and pulley-interp tests.
declare -A subset_runtime=([armv7-unknown-linux-gnueabihf]=1)
# Targets whose optimized builds dispatch by tail calls (pulley-interp's
# build.rs): CI runs their optimized torture test.
declare -A optimized_tail=([armv7-unknown-linux-gnueabihf]=1)
# Targets where the runtime's `native` feature runs (docs/native.md): the full
# run tests native mode there.
declare -A native_host=([s390x-unknown-linux-gnu]=1 [aarch64-unknown-linux-gnu]=1)
no_std_target=thumbv7em-none-eabihf

subset=0
native_only=0
targets=()
for arg in "$@"; do
    case "$arg" in
        --subset) subset=1 ;;
        --native) native_only=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        -*)
            echo "unknown option $arg (see --help)" >&2
            exit 2
            ;;
        *)
            [[ -n "${flavour[$arg]:-}" ]] || {
                echo "unknown target $arg: one of ${all_targets[*]}" >&2
                exit 2
            }
            targets+=("$arg")
            ;;
    esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
    if [[ $native_only == 1 ]]; then
        targets=("${native_targets[@]}")
    elif [[ $subset == 1 ]]; then
        targets=("${subset_targets[@]}")
    else
        targets=("${all_targets[@]}")
    fi
fi

cross_dir="${PULLEY_CROSS_TARGET_DIR:-$root/target/cross}"
logs="$cross_dir/logs"
mkdir -p "$logs"
summary="$logs/summary.txt"
: >"$summary"

step() { printf '\n==> %s\n' "$*"; }
note() { printf '%s\n' "$*" | tee -a "$summary"; }
failures=0
fail() {
    note "FAIL: $*"
    failures=$((failures + 1))
}
# Seconds since $1 (a value of $SECONDS), as "1m23s".
took() { local s=$((SECONDS - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# --- Tools -----------------------------------------------------------------

debian_rust_ok() {
    [[ -x /usr/bin/rustc && -x /usr/bin/cargo && -d /usr/lib/rustlib/src/rust/library ]] || return 1
    local version minor
    version="$(/usr/bin/rustc --version 2>/dev/null)" || return 1
    minor="$(sed -n 's/^rustc 1\.\([0-9]*\)\..*/\1/p' <<<"$version")"
    # The workspace's rust-version.
    [[ -n "$minor" && "$minor" -ge 95 ]]
}

install_tools() {
    local packages=()
    debian_rust_ok || packages+=(rustc-web cargo-web rust-web-src)
    local t
    for t in "${targets[@]}"; do
        command -v "${gnu[$t]}-gcc" >/dev/null || packages+=("gcc-${gnu[$t]}")
        [[ -e "/usr/${gnu[$t]}/lib/crti.o" ]] || packages+=("libc6-dev-${libc_arch[$t]}-cross")
        command -v "${qemu[$t]}" >/dev/null || packages+=(qemu-user)
    done
    [[ ${#packages[@]} -gt 0 ]] || return 0
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    local start=$SECONDS
    step "installing ${packages[*]}"
    # rustc-web and rust-web-src must come from the same update (same version).
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${packages[@]}" >"$logs/apt.log" 2>&1 || {
        tail -n 20 "$logs/apt.log"
        exit 1
    }
    debian_rust_ok || {
        echo "Debian's rustc-web is missing or older than 1.95: $(/usr/bin/rustc --version 2>&1)" >&2
        exit 1
    }
    note "install: $(took $start) (${packages[*]})"
}

# Debian's toolchain, never rustup's (cross.md: /usr/bin/cargo otherwise
# picks up rustup's rustc through PATH). Test builds compile the workspace's
# crates with opt-level 1 (debug assertions and overflow checks stay on):
# under qemu an unoptimized interpreter and compiler are too slow for CI.
# Each cargo command is stopped after PULLEY_CROSS_STEP_TIMEOUT seconds
# (default 1800), so that a hang under emulation fails the run instead of
# stalling it.
# Line tables only: full debug info costs build time and disk, per target.
xcargo() {
    env PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
        RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$cross_dir" \
        CARGO_PROFILE_DEV_OPT_LEVEL=1 CARGO_PROFILE_DEV_DEBUG=line-tables-only \
        nice -n 10 timeout "${PULLEY_CROSS_STEP_TIMEOUT:-1800}" /usr/bin/cargo "$@"
}

# Runs a command, its output going to log $1; prints the log's lines that
# match $2 (and the tail of the log if the command fails).
logged() {
    local log="$logs/$1" pattern="$2"
    shift 2
    local status=0
    "$@" >"$log" 2>&1 || status=$?
    grep -aE "$pattern" "$log" || true
    if [[ $status != 0 ]]; then
        echo "--- last lines of $log"
        grep -avE '^test .* \.\.\. ok$' "$log" | tail -n 40
    fi
    return $status
}

install_tools
step "tools"
note "$(/usr/bin/rustc --version) (Debian), $(qemu-arm --version | head -n 1)"

# The x86_64 reference: rustup's toolchain, an optimized build (not needed
# for --native).
if [[ $native_only == 0 ]]; then
    step "host pulley (x86_64, release)"
    cargo build --release -p pulley
fi
host_pulley="$(realpath -m "${CARGO_TARGET_DIR:-$root/target}")/release/pulley"

# --- One target ------------------------------------------------------------

results_line() { grep -aE '^test result:' "$1" | awk '{p += $4; f += $6} END {printf "%d passed, %d failed", p, f}'; }

# Runs `pulley run` ($1: the pulley command, as a string; the rest: its
# arguments) and writes its stdout, stderr and status to $out.
run_case() {
    local command="$1" out="$2"
    shift 2
    local status=0
    # shellcheck disable=SC2086 # the command is a runner plus a path
    $command run "$@" >"$out.stdout" 2>"$out.stderr" </dev/null || status=$?
    echo "$status" >"$out.status"
}

# The artifact checks: programs and the exports to call, with parameters.
artifact_cases() {
    cat <<'EOF'
fib fib 0
fib fib 1
fib fib 25
fib fib -1
mix apply 0 7 5
mix apply 1 7 5
mix apply 2 -7 6
mix apply 3 -7 2
mix apply 3 7 0
mix apply 4 1 1
mix sort
mix random 0
mix random 1000
mix classify 0
mix classify 2
mix classify 99
mix calls
probe endian
probe bulk
probe arith64 -81985529216486896 37
probe arith64 4294967296 4294967295
probe arith64 -1 63
probe floats -2.5
probe floats 1e300
probe floats -0
probe floats 0.49999999999999994
probe floats 4294967296.5
probe floats nan
probe floats -inf
probe trunc -9.2e18
probe trunc 1e30
probe globals
probe grow
probe grow_too_far
probe load 65532
probe load 65533
probe load 4294967292
probe load_offset 0
probe load_offset 8
probe store_last 65535
probe store_last 65536
probe div 7 -2
probe div 7 0
probe div -2147483648 -1
probe rem64 18446744073709551615 10
probe rem64 5 0
probe indirect 1
probe indirect 2
probe indirect 0
probe indirect 9
probe deep 0
probe simd 0
probe simd 3
probe simd 9
hello _start
EOF
}

declare -A sources=(
    [fib]=examples/fib.wat [mix]=runtime/tests/programs/mix.wat
    [probe]=scripts/cross/probe.wat [record]=scripts/cross/record.wat
    [hello]=examples/hello.wat)

# Compiles the programs on x86_64 for the target's flavour, runs them on the
# target, compares with x86_64's results of the same calls.
artifact_checks() {
    local t="$1" fl="${flavour[$t]}"
    local dir="$cross_dir/artifacts/$t"
    local runner="${qemu[$t]} -L /usr/${gnu[$t]} -E LD_LIBRARY_PATH=/usr/${gnu[$t]}/lib"
    local target_pulley="$runner $cross_dir/$t/debug/pulley"
    rm -rf "$dir"
    mkdir -p "$dir/host" "$dir/target"
    local name
    for name in "${!sources[@]}"; do
        "$host_pulley" compile --target "$fl" "${sources[$name]}" -o "$dir/$name.$fl"
    done
    local total=0 same=0 program export args
    while read -r program export args; do
        total=$((total + 1))
        local id="$program.$export.$total" host_args=() target_args=()
        [[ $program == mix ]] && host_args=(--preload "host=${sources[record]}") &&
            target_args=(--preload "host=$dir/record.$fl")
        [[ $export == _start ]] || host_args+=(--invoke "$export") target_args+=(--invoke "$export")
        # shellcheck disable=SC2086 # the parameters are words
        run_case "$host_pulley" "$dir/host/$id" "${host_args[@]}" "${sources[$program]}" -- $args
        # shellcheck disable=SC2086
        run_case "$target_pulley" "$dir/target/$id" "${target_args[@]}" "$dir/$program.$fl" -- $args
        if cmp -s "$dir/host/$id.stdout" "$dir/target/$id.stdout" &&
            cmp -s "$dir/host/$id.stderr" "$dir/target/$id.stderr" &&
            cmp -s "$dir/host/$id.status" "$dir/target/$id.status"; then
            same=$((same + 1))
        else
            fail "$t: $program $export $args: x86_64 and $t differ"
            local stream
            for stream in status stdout stderr; do
                diff <(head -c 2000 "$dir/host/$id.$stream") <(head -c 2000 "$dir/target/$id.$stream") |
                    head -n 10 || true
            done
        fi
    done < <(artifact_cases)
    note "$t: artifacts compiled on x86_64 for $fl: $same/$total calls give x86_64's results"

    # Compiling is deterministic across hosts: the target's own compiler
    # writes the same bytes.
    local identical=0 count=0
    for name in "${!sources[@]}"; do
        count=$((count + 1))
        # shellcheck disable=SC2086
        if $target_pulley compile --target "$fl" "${sources[$name]}" -o "$dir/$name.$fl.on-target" &&
            cmp -s "$dir/$name.$fl" "$dir/$name.$fl.on-target"; then
            identical=$((identical + 1))
        else
            fail "$t: compiling ${sources[$name]} for $fl on $t gives other bytes than on x86_64"
        fi
    done
    note "$t: $identical/$count artifacts compiled on $t are identical to x86_64's"

    # A foreign artifact is an error, not a wrong answer.
    local other="${foreign[$t]}"
    "$host_pulley" compile --target "$other" examples/fib.wat -o "$dir/fib.$other"
    run_case "$target_pulley" "$dir/target/foreign" --invoke fib "$dir/fib.$other" 10
    if [[ $(cat "$dir/target/foreign.status") == 1 ]] &&
        grep -q "incompatible artifact" "$dir/target/foreign.stderr"; then
        note "$t: a $other artifact is refused: $(cat "$dir/target/foreign.stderr")"
    else
        fail "$t: a $other artifact was not refused"
    fi
}

# Real programs of ../shared/bench-wasm, compiled on x86_64, run on the
# target with the expected output (full mode).
bench_programs=(noop quicksort shootout-ackermann shootout-ratelimit meshoptimizer)
program_checks() {
    local t="$1" fl="${flavour[$t]}"
    local programs="${PULLEY_BENCH_WASM:-$root/../shared/bench-wasm}"
    if [[ ! -f "$programs/run.py" ]]; then
        note "$t: no programs at $programs: skipped"
        return
    fi
    local dir="$cross_dir/artifacts/$t/programs"
    mkdir -p "$dir"
    "$host_pulley" compile --target "$fl" "$programs/bench-stub.wat" -o "$dir/stub.$fl"
    local name wasm passed=0
    for name in "${bench_programs[@]}"; do
        wasm="$(python3 -c 'import json, sys
for p in json.load(open(sys.argv[1])):
    if p["name"] == sys.argv[2]: print(p["dir"] + "/" + p["wasm"])' "$programs/manifest.json" "$name")"
        "$host_pulley" compile --target "$fl" "$programs/$wasm" -o "$dir/$name.$fl"
        if python3 "$programs/run.py" --only "$name" --runtime \
            "${qemu[$t]} -L /usr/${gnu[$t]} -E LD_LIBRARY_PATH=/usr/${gnu[$t]}/lib $cross_dir/$t/debug/pulley run --dir . --preload bench=$dir/stub.$fl $dir/$name.$fl" |
            head -n 1 | tee -a "$logs/$t-programs.log" | grep -q ' ok$'; then
            passed=$((passed + 1))
        else
            fail "$t: program $name differs from its expected output"
        fi
    done
    note "$t: ${#bench_programs[@]} bench-wasm programs as $fl artifacts: $passed passed"
}

# The result line of test binary $2 (e.g. tests/torture.rs) in log $1.
binary_result() {
    awk -v binary="$2" '$1 == "Running" && index($2, binary) == 1 { found = 1 }
        found && /^test result:/ { print $3; exit }' "$1" | tr -d .
}

# Native mode on a host Cranelift has a backend for: runtime/tests/native.rs,
# then the spec suite as native code.
native_checks() {
    local t="$1" phase=$SECONDS
    local common=(--locked -Zbuild-std --target "$t")
    local log="$logs/$t-native.log"
    {
        xcargo test "${common[@]}" -p pulley --features native --test native &&
            xcargo test "${common[@]}" -p pulley --features native --test spec \
                -- --nocapture as_native_code
    } >"$log" 2>&1 || fail "$t: native mode (log: $log)"
    grep -aE '^test result:|directives passed' "$log" || true
    note "$t: native mode (native.rs, spec suite as native code): $(results_line "$log");" \
        "spec: $(grep -aE '[0-9]+ scripts, [0-9]+ directives passed' "$log" | paste -sd ';' -) ($(took $phase))"
}

test_target() {
    local t="$1" start=$SECONDS phase
    step "$t (${flavour[$t]})"
    local common=(--locked -Zbuild-std --target "$t")
    local runtime_tests runtime_args=(--nocapture)
    # Whether this run checks the runtime on this target, or only the ISA
    # and the interpreter.
    local runtime=1
    [[ $subset == 0 || -n "${subset_runtime[$t]:-}" ]] || runtime=0
    if [[ $subset == 1 ]]; then
        # One copy of the spec suite: the official snapshot when it is here
        # (SIMD included), with the relaxed-SIMD scripts of the 3.0 one.
        # And the crate's copy with the baseline tier first, tiering up at
        # once: the code that tier writes runs on the host's byte order and
        # pointer width too.
        runtime_tests=(--test spec)
        if [[ -d "$root/../shared/wasm-testsuite-2.0" ]]; then
            runtime_args+=(--exact spec_testsuite_2_0_official_snapshot
                relaxed_simd_scripts_of_the_3_0_snapshot
                spec_testsuite_2_0_from_the_crate_baseline_tier)
        else
            runtime_args+=(--exact spec_testsuite_2_0_from_the_crate
                spec_testsuite_2_0_from_the_crate_baseline_tier)
        fi
    else
        runtime_tests=(--lib)
        local file
        for file in runtime/tests/*.rs; do
            file="$(basename "$file" .rs)"
            [[ $file == cli ]] || runtime_tests+=(--test "$file")
        done
    fi

    phase=$SECONDS
    # Building a test of the runtime also builds the `pulley` command.
    if ! logged "$t-build.log" '^error' \
        xcargo test "${common[@]}" -p pulley-isa -p pulley-interp --no-run ||
        { [[ $runtime == 1 ]] && ! logged "$t-build-runtime.log" '^error' \
            xcargo test "${common[@]}" -p pulley "${runtime_tests[@]}" --no-run; }; then
        fail "$t: build"
        return
    fi
    note "$t: build $(took $phase)"

    phase=$SECONDS
    local log="$logs/$t-interp.log"
    logged "$t-interp.log" '^test result:|^ +Running|^dispatch mode' \
        xcargo test "${common[@]}" -p pulley-isa -p pulley-interp -- --nocapture ||
        fail "$t: pulley-isa and pulley-interp tests"
    note "$t: pulley-isa and pulley-interp tests: $(results_line "$log") ($(took $phase))"
    note "$t: debug build: dispatch $(sed -n 's/^dispatch mode: //p' "$log" | head -n 1)," \
        "torture test $(binary_result "$log" tests/torture.rs)"

    if [[ $runtime == 1 ]]; then
        phase=$SECONDS
        log="$logs/$t-runtime.log"
        logged "$t-runtime.log" '^test result:|directives passed|^ +Running' \
            xcargo test "${common[@]}" -p pulley "${runtime_tests[@]}" -- "${runtime_args[@]}" ||
            fail "$t: runtime tests"
        note "$t: runtime tests: $(results_line "$log");" \
            "spec: $(grep -aE '[0-9]+ scripts, [0-9]+ directives passed' "$log" | paste -sd ';' -) ($(took $phase))"

        [[ $subset == 1 || -z "${native_host[$t]:-}" ]] || native_checks "$t"

        phase=$SECONDS
        artifact_checks "$t"
        [[ $subset == 1 ]] || program_checks "$t"
        note "$t: artifact checks $(took $phase)"
    else
        note "$t: the spec suite and artifact checks run in the full run (without --subset)"
    fi

    # Optimized torture runs: both modes in the full run; in the subset, the
    # default mode of targets whose optimized builds use tail calls.
    local modes=()
    if [[ $subset == 0 ]]; then
        modes=(default tail)
    elif [[ -n "${optimized_tail[$t]:-}" ]]; then
        modes=(default)
    fi
    if [[ ${#modes[@]} -gt 0 ]]; then
        phase=$SECONDS
        local mode
        for mode in "${modes[@]}"; do
            log="$logs/$t-torture-release-$mode.log"
            if [[ $mode == default ]]; then
                logged "$(basename "$log")" '^dispatch mode|^test result:' \
                    xcargo test "${common[@]}" --release -p pulley-interp --test torture -- --nocapture ||
                    fail "$t: optimized torture test"
            else
                PULLEY_DISPATCH=tail logged "$(basename "$log")" '^dispatch mode|^test result:' \
                    xcargo test "${common[@]}" --release -p pulley-interp --test torture -- --nocapture ||
                    true
            fi
            local result
            result="$(binary_result "$log" tests/torture.rs)"
            note "$t: optimized build, $mode: dispatch $(sed -n 's/^dispatch mode: //p' "$log" | head -n 1)," \
                "torture test ${result:-crashed}"
        done
        note "$t: optimized torture runs $(took $phase)"
    fi
    note "$t: total $(took $start)"
}

no_std_builds() {
    local start=$SECONDS
    step "no_std builds for $no_std_target"
    local common=(build --locked -Zbuild-std=core,alloc --target "$no_std_target")
    local ok=1
    xcargo "${common[@]}" -p pulley-isa --no-default-features || ok=0
    xcargo "${common[@]}" -p pulley-interp --no-default-features || ok=0
    xcargo "${common[@]}" -p pulley --no-default-features --features interp || ok=0
    if [[ $ok == 1 ]]; then
        note "$no_std_target: pulley-isa, pulley-interp, pulley (interp only) build ($(took $start))"
    else
        fail "$no_std_target: no_std build"
    fi
}

overall=$SECONDS
if [[ $native_only == 1 ]]; then
    for t in "${targets[@]}"; do
        step "$t: native mode"
        native_checks "$t"
    done
else
    for t in "${targets[@]}"; do
        test_target "$t"
        [[ ${PULLEY_CROSS_CLEAN:-0} != 1 ]] || rm -rf "${cross_dir:?}/$t"
    done
    no_std_builds
fi

mode=full
[[ $subset == 0 ]] || mode=subset
[[ $native_only == 0 ]] || mode=native
step "summary ($mode, $(took $overall))"
cat "$summary"
echo "logs: $logs"
if [[ $failures -gt 0 ]]; then
    echo "$failures checks failed"
    exit 1
fi
