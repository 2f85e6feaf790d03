//! Compile-time budgets: growing an input shape from n to 4n may multiply
//! compile time by at most [`TIME_BUDGET`] (8) and peak memory by at most
//! [`MEMORY_BUDGET`] (5). Each shape below
//! once grew with the square of n (issue 23): nested blocks and loops (jump
//! threading walked chains again for every block), values live at once
//! (regalloc2's backtracking allocator; such functions now get its
//! single-pass one), and `br_table` targets.
//!
//! What is measured is `Module::new`: parsing, validation, compilation and
//! the verifier, which must stay linear too.
//!
//! These are ratios, not timings: each size is compiled several times and
//! the fastest run counts, and memory is the peak of bytes allocated, counted
//! by this test's allocator. The tests run one at a time (`SERIAL`), so that
//! they do not slow each other down, and only in optimized builds: in debug
//! builds the debug assertions of Cranelift's egraph pass take more than
//! linear time on deep block nests. They live in this crate because CI
//! builds it optimized anyway (`cargo test --release -p pulley-fuzz --lib
//! --test scaling` in scripts/test.sh), with functions compiled one after
//! another (no `parallel` feature).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pulley::{CompilationMode, Config, Engine, Module};

/// Counts the bytes allocated now and at most since the last reset.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only
// counters are updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the system allocator's.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static SERIAL: Mutex<()> = Mutex::new(());

/// The CPU time this thread has used: unlike the wall clock, it does not
/// count time the thread waits for a core that another process has.
#[cfg(unix)]
fn cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a
    // constant every Unix we build for has.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread CPU clock is readable");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// The fastest of five compilations of `wat` (in this thread's CPU time),
/// and the peak of bytes allocated beyond what was allocated before.
fn cost(wat: &str) -> (Duration, usize) {
    let wasm = wat::parse_str(wat).expect("the shape is valid text");
    let mut config = Config::new();
    config.compilation_mode(CompilationMode::Eager);
    let engine = Engine::new(&config);
    let mut fastest = Duration::MAX;
    let mut peak = 0;
    for _ in 0..5 {
        let before = CURRENT.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = cpu_time();
        let compiled = Module::new(&engine, &wasm).expect("the shape compiles");
        fastest = fastest.min(cpu_time() - start);
        drop(compiled);
        peak = PEAK.load(Ordering::Relaxed) - before;
    }
    (fastest, peak)
}

/// The most that compile time may grow from n to 4n. A linear shape
/// measures about 4 on a quiet machine, but a loaded one slows the larger
/// compilation more (its working set is four times as large): straight-line
/// code measured x6.1, x6.1 and x6.2 in one CI run and x4.1 alone right
/// after. A quadratic shape measures near 16 every time, and these shapes
/// were quadratic when they failed.
const TIME_BUDGET: f64 = 8.0;

/// The most that peak memory may grow from n to 4n (about 4 when linear).
const MEMORY_BUDGET: f64 = 5.0;

/// Checks the budgets between `shape(n)` and `shape(4 * n)`. Time is
/// measured up to three times while it is over budget.
fn within_budget(name: &str, n: usize, shape: impl Fn(usize) -> String) {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (small, large) = (shape(n), shape(4 * n));
    let mut best = f64::INFINITY;
    let mut memory_ratio = 0.0;
    for _ in 0..3 {
        let (time, memory) = cost(&small);
        let (time4, memory4) = cost(&large);
        let time_ratio = time4.as_secs_f64() / time.as_secs_f64();
        memory_ratio = memory4 as f64 / memory as f64;
        eprintln!(
            "{name}: n = {n}: {time:?}, {memory} bytes; 4n: {time4:?}, {memory4} bytes; \
             x{time_ratio:.1} time, x{memory_ratio:.1} memory"
        );
        best = best.min(time_ratio);
        if best <= TIME_BUDGET {
            break;
        }
    }
    assert!(
        best <= TIME_BUDGET,
        "{name}: compile time grew x{best:.1} from n = {n} to 4n"
    );
    assert!(
        memory_ratio <= MEMORY_BUDGET,
        "{name}: peak memory grew x{memory_ratio:.1} from n = {n} to 4n"
    );
}

/// A function of one body.
fn function(params: &str, results: &str, body: &str) -> String {
    format!("(module (memory 1) (func (export \"f\") {params} {results}\n{body}))")
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn nested_blocks() {
    within_budget("nested blocks", 40_000, |n| {
        function("", "", &format!("{}{}", "(block ".repeat(n), ")".repeat(n)))
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn nested_loops() {
    within_budget("nested loops", 20_000, |n| {
        function("", "", &format!("{}{}", "(loop ".repeat(n), ")".repeat(n)))
    });
}

/// `n` loads of `ty` alive at once, then summed.
fn live_values(ty: &str, add: &str, size: usize, n: usize) -> String {
    let loads: String = (0..n)
        .map(|k| format!("({ty}.load offset={} (local.get 0))", size * k))
        .collect();
    function(
        "(param i32)",
        &format!("(result {ty})"),
        &format!("{loads}{}", format!("({add})").repeat(n - 1)),
    )
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn live_f64_values() {
    within_budget("live f64 values", 2_500, |n| {
        live_values("f64", "f64.add", 8, n)
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn live_i64_values() {
    within_budget("live i64 values", 2_500, |n| {
        live_values("i64", "i64.add", 8, n)
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn live_v128_values() {
    within_budget("live v128 values", 1_250, |n| {
        live_values("v128", "i64x2.add", 16, n)
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn br_table_targets() {
    within_budget("br_table targets", 50_000, |n| {
        function(
            "(param i32)",
            "",
            &format!("(block (br_table {} 0 (local.get 0)))", "0 ".repeat(n)),
        )
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn straight_line_code() {
    within_budget("straight-line code", 10_000, |n| {
        let body: String = (0..n)
            .map(|k| {
                format!(
                    "(i32.store offset={} (local.get 0) (i32.const {k}))",
                    4 * (k % 1000)
                )
            })
            .collect();
        function("(param i32)", "", &body)
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "ratios are measured in optimized builds")]
fn many_functions() {
    within_budget("functions", 2_000, |n| {
        let functions: String = (0..n)
            .map(|k| format!("(func (export \"f{k}\") (param i32) (result i32) (i32.add (local.get 0) (i32.const {k})))"))
            .collect();
        format!("(module {functions})")
    });
}
