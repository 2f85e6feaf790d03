// The wasm3 engine of the benchmark runner: runs a WASI program like
// `pulley-benches child` does and writes the same report.
//
// usage: wasm3-bench REPORT PROGRAM.wasm [ARGS]...
//
// The program sees PROGRAM.wasm and ARGS as its arguments, the working
// directory pre-opened (wasm3 always pre-opens "./") and the standard
// streams. Its entry point is `_start`, or if it has none `_initialize` (if
// exported) then the default export "", as in the Rust engines
// (benches/src/engines/mod.rs, `entry_points`). `bench.start`/`bench.end`
// are timed when the program imports them; otherwise the whole call of the
// entry point is. REPORT receives lines `compile_ns N`, `startup_ns N` (up
// to the entry point's call), `run_ns N` and `exit N`, or
// `error PHASE MESSAGE` where PHASE is `compile`, `link` or `trap` (see
// benches/src/runner.rs).
// wasm3 compiles each function on its first call, so most of its
// compilation is inside the run time, not `compile_ns`, and a function it
// cannot compile fails during the run: that is reported as `compile`.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "m3_api_defs.h"
#include "m3_api_wasi.h"
#include "m3_env.h"
#include "wasm3.h"

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t bench_started, bench_measured;
static int bench_ended;

static m3ApiRawFunction(bench_start) {
    (void)runtime, (void)_sp, (void)_mem;
    bench_started = now_ns();
    m3ApiSuccess();
}

static m3ApiRawFunction(bench_end) {
    (void)runtime, (void)_sp, (void)_mem;
    bench_measured += now_ns() - bench_started;
    bench_ended = 1;
    m3ApiSuccess();
}

static FILE *report;

static int fail(const char *phase, const char *what, M3Result result) {
    fprintf(report, "error %s %s: %s\n", phase, what, result);
    fclose(report);
    return 1;
}

static int link_optional(IM3Module module, const char *name, M3RawCall function) {
    M3Result result = m3_LinkRawFunction(module, "bench", name, "v()", function);
    return result == m3Err_none || result == m3Err_functionLookupFailed;
}

// Finds (and compiles: wasm3 compiles a function when it is looked up) the
// exported function `name`; *function is NULL if there is no such export.
static M3Result find_optional(IM3Function *function, IM3Runtime runtime, const char *name) {
    M3Result result = m3_FindFunction(function, runtime, name);
    return result == m3Err_functionLookupFailed ? m3Err_none : result;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s REPORT PROGRAM.wasm [ARGS]...\n", argv[0]);
        return 2;
    }
    report = fopen(argv[1], "w");
    if (!report) {
        perror(argv[1]);
        return 2;
    }
    FILE *file = fopen(argv[2], "rb");
    if (!file) {
        fprintf(report, "error compile cannot open %s\n", argv[2]);
        return 1;
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    uint8_t *bytes = malloc((size_t)size);
    if (fread(bytes, 1, (size_t)size, file) != (size_t)size) {
        fprintf(report, "error compile cannot read %s\n", argv[2]);
        return 1;
    }
    fclose(file);

    uint64_t compile_start = now_ns();
    IM3Environment env = m3_NewEnvironment();
    // The wasm3 command's default stack is 64 KiB; real programs need more.
    IM3Runtime runtime = m3_NewRuntime(env, 8 * 1024 * 1024, NULL);
    IM3Module module;
    M3Result result = m3_ParseModule(env, &module, bytes, (uint32_t)size);
    if (result) return fail("compile", "parse", result);
    result = m3_LoadModule(runtime, module);
    if (result) return fail("compile", "load", result);
    result = m3_LinkWASI(module);
    if (result) return fail("link", "link WASI", result);
    if (!link_optional(module, "start", bench_start) || !link_optional(module, "end", bench_end))
        return fail("link", "link bench", "bad signature");
    IM3Function start, initialize = NULL;
    result = find_optional(&start, runtime, "_start");
    if (result) return fail("compile", "compile _start", result);
    if (!start) {
        result = find_optional(&initialize, runtime, "_initialize");
        if (result) return fail("compile", "compile _initialize", result);
        result = find_optional(&start, runtime, "");
        if (result) return fail("compile", "compile the default export", result);
        if (!start) return fail("link", "find the entry point", "no _start nor default export");
        // wasm3 hands the arguments to WASI's args_get only in a call of a
        // function named `_start` (m3_CallWithArgs): call the default export
        // under that name. (Each function has one name, its first export's;
        // the driver never frees the module, which would free the name.)
        start->name = "_start";
    }
    // Finding a function compiles it: compile_ns counts the entry point's
    // compilation, as it always has, and ends where startup_ns does.
    uint64_t compile_ns = now_ns() - compile_start;
    uint64_t startup_ns = compile_ns;

    uint64_t run_start = now_ns();
    result = initialize ? m3_Call(initialize) : m3Err_none;
    if (!result)
        result = m3_CallWithArgs(start, (uint32_t)(argc - 2), (const char *const *)(argv + 2));
    uint64_t run_ns = now_ns() - run_start;
    fflush(stdout);
    int status = 0;
    if (result == m3Err_trapExit) {
        status = runtime->exit_code;
    } else if (result) {
        M3ErrorInfo info;
        m3_GetErrorInfo(runtime, &info);
        // wasm3 compiles a function on its first call: an error that is
        // not one of its "[trap] ..." results is a function it cannot compile.
        if (strncmp(result, "[trap]", 6) != 0)
            return fail("compile", "on first call", result);
        if (info.message && *info.message)
            return fail("trap", result, info.message);
        fprintf(report, "error trap %s\n", result);
        fclose(report);
        return 1;
    }
    fprintf(report, "compile_ns %llu\nstartup_ns %llu\nrun_ns %llu\nexit %d\n",
            (unsigned long long)compile_ns, (unsigned long long)startup_ns,
            (unsigned long long)(bench_ended ? bench_measured : run_ns), status);
    fclose(report);
    return 0;
}
