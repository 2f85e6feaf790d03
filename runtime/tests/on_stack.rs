//! On-stack replacement: a frame of baseline code that runs a loop long
//! enough moves into optimized code at the loop's header, with every value
//! of the frame (locals of each type, the loop's parameters), and finishes
//! there with the result, the fuel and the trap
//! backtrace that the optimized code alone would give.

use std::sync::atomic::{AtomicU32, Ordering};

use pulley::{
    CompilationMode, Config, Engine, FirstTier, FrameCode, Instance, Linker, Module, Store, Trap,
    Val,
};

/// The baseline tier first, tiering up after `threshold` counts on the
/// thread that counted (so that the test knows when), fuel on if `fuel`.
fn baseline(threshold: u32, fuel: bool) -> Engine {
    let mut config = Config::new();
    config
        .first_tier(FirstTier::Baseline)
        .tier_up_threshold(Some(threshold))
        .tier_up_in_background(false)
        .consume_fuel(fuel);
    Engine::new(&config)
}

/// Eager compilation with the optimizing tier: the reference.
fn optimized(fuel: bool) -> Engine {
    let mut config = Config::new();
    config
        .compilation_mode(CompilationMode::Eager)
        .consume_fuel(fuel);
    Engine::new(&config)
}

fn instantiate(engine: &Engine, wat: &str) -> (Module, Store<()>, Instance) {
    let module = Module::new(engine, wat).unwrap();
    let mut store = Store::new(engine, ());
    if engine.config().get_consume_fuel() {
        store.set_fuel(u64::MAX / 2).unwrap();
    }
    let instance = Linker::new(engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (module, store, instance)
}

/// Calls export `name` with `args`; returns its results or the trap.
fn call(
    store: &mut Store<()>,
    instance: Instance,
    name: &str,
    args: &[Val],
    results: usize,
) -> Result<Vec<Val>, Trap> {
    let func = instance.get_func(&*store, name).unwrap();
    let mut out = vec![Val::I32(0); results];
    match func.call(store, args, &mut out) {
        Ok(()) => Ok(out),
        Err(pulley::Error::Trap(trap)) => Err(trap),
        Err(error) => panic!("not a trap: {error}"),
    }
}

/// A loop that sums `1..=n`, then traps if `trap` is set.
const SUM: &str = r#"(module
  (func (export "sum") (param $n i32) (param $trap i32) (result i32) (local $s i32)
    (loop $next
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (if (local.get $trap) (then unreachable))
    (local.get $s)))"#;

/// The wasm offset of `SUM`'s loop.
fn sum_header() -> u32 {
    let wasm = wat::parse_str(SUM).unwrap();
    let body = wasm.windows(2).position(|w| w == [0x03, 0x40]).unwrap();
    body as u32
}

#[test]
fn a_loop_that_starts_in_baseline_code_finishes_in_optimized_code() {
    let (module, mut store, instance) = instantiate(&baseline(100, false), SUM);
    // The first call counts past the threshold in its loop, moves into the
    // on-stack entry there, and traps after the loop: in optimized code,
    // at the offset the optimized code alone gives.
    let args = [Val::I32(1000), Val::I32(1)];
    let trap = call(&mut store, instance, "sum", &args, 1).unwrap_err();
    let (_, mut eager_store, eager) = instantiate(&optimized(false), SUM);
    let eager_trap = call(&mut eager_store, eager, "sum", &args, 1).unwrap_err();
    let frame = &trap.backtrace()[0];
    assert_eq!(
        frame.code,
        FrameCode::OnStackEntry {
            header: sum_header()
        }
    );
    assert_eq!(frame.wasm_offset, eager_trap.backtrace()[0].wasm_offset);
    let stats = module.compilation_stats().unwrap();
    assert_eq!(
        (stats.on_stack.functions, stats.tiered_up.functions),
        (1, 1)
    );
    // The same loop, to its end: the same sum. Calls now enter the upgraded
    // code; the entry was compiled once.
    let args = [Val::I32(1000), Val::I32(0)];
    let sum = call(&mut store, instance, "sum", &args, 1).unwrap();
    assert_eq!(sum[0].i32(), Some(500_500));
    assert_eq!(module.compilation_stats().unwrap().on_stack.functions, 1);
    // A frame of another store moves into the same entry.
    let mut other = Store::new(module.engine(), ());
    let instance = Linker::new(module.engine())
        .instantiate(&mut other, &module)
        .unwrap();
    let sum = call(&mut other, instance, "sum", &args, 1).unwrap();
    assert_eq!(sum[0].i32(), Some(500_500));
}

/// Every kind of value a frame holds at a loop header: locals of each
/// type and the loop's own parameters, an outer loop around the hot one
/// (whose code before the inner header runs again in the on-stack entry,
/// laid out before the header but run after it), and a trap after both.
const FRAME: &str = r#"(module
  (memory 1)
  (func (export "frame") (param $n i32) (param $seed i64) (result i64 f64 i32)
    (local $f f32) (local $d f64) (local $v v128) (local $outer i32) (local $i i32)
    (local $pf f32) (local $pq i64) (local $acc i64)
    (local.set $d (f64.const 0.5))
    (local.set $v (v128.const i32x4 1 2 3 4))
    (local.set $acc (i64.const 1000))
    (loop $outer_loop
      (local.set $i (i32.const 0))
      (f32.const 1.5)
      (local.get $seed)
      (loop $hot (param f32 i64) (result f32 i64)
        (local.set $pq)
        (local.set $pf)
        (local.set $seed (i64.add (i64.mul (local.get $seed) (i64.const 6364136223846793005))
                                  (i64.const 1442695040888963407)))
        (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $i))))
        (local.set $d (f64.add (local.get $d) (f64.convert_i32_s (local.get $i))))
        (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (f32.add (local.get $pf) (f32.const 0.25))
        (i64.add (local.get $pq) (i64.xor (local.get $seed) (i64.extend_i32_u (local.get $i))))
        (br_if $hot (i32.lt_u (local.get $i) (local.get $n))))
      (local.set $pq)
      (local.set $f (f32.add (local.get $f)))
      (local.set $outer (i32.add (local.get $outer) (i32.const 17)))
      (local.set $acc (i64.add (local.get $acc) (local.get $pq)))
      (br_if $outer_loop (i32.lt_u (local.get $outer) (i32.const 60))))
    (local.get $acc)
    (i64.add (i64.extend_i32_u (i32.load (i32.const 8))))
    (i64.add (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v))))
    (f64.add (local.get $d) (f64.promote_f32 (local.get $f)))
    (local.get $outer)))"#;

#[test]
fn on_stack_entries_carry_every_value_of_the_frame() {
    for n in [1, 2, 3, 10, 50, 500] {
        let args = [Val::I32(n), Val::I64(0x1234_5678_9abc)];
        let (_, mut store, instance) = instantiate(&optimized(false), FRAME);
        let expected = call(&mut store, instance, "frame", &args, 3).unwrap();
        for threshold in [1, 2, 7, 100] {
            let (module, mut store, instance) = instantiate(&baseline(threshold, false), FRAME);
            let results = call(&mut store, instance, "frame", &args, 3).unwrap();
            assert_eq!(
                format!("{results:?}"),
                format!("{expected:?}"),
                "n = {n}, threshold {threshold}"
            );
            if threshold <= 2 {
                assert!(module.compilation_stats().unwrap().on_stack.functions >= 1);
            }
        }
    }
}

#[test]
fn a_loop_with_operands_below_it_runs_on_in_baseline_code() {
    // No entry for such a loop (see `OnStackEntry` in pulley-emit); the
    // function tiers up for later calls.
    let wat = r#"(module
      (func (export "sum") (param $n i32) (result i32) (local $s i32)
        (i32.const 1000)
        (loop $next
          (local.set $s (i32.add (local.get $s) (local.get $n)))
          (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (i32.add (local.get $s))))"#;
    let (module, mut store, instance) = instantiate(&baseline(10, false), wat);
    let sum = call(&mut store, instance, "sum", &[Val::I32(100)], 1).unwrap();
    assert_eq!(sum[0].i32(), Some(6050));
    let stats = module.compilation_stats().unwrap();
    assert_eq!(
        (stats.on_stack.functions, stats.tiered_up.functions),
        (0, 1)
    );
}

#[test]
fn fuel_is_charged_the_same_across_on_stack_replacement() {
    let args = [Val::I32(300), Val::I32(0)];
    let (_, mut store, instance) = instantiate(&optimized(true), SUM);
    call(&mut store, instance, "sum", &args, 1).unwrap();
    let expected = store.get_fuel().unwrap();
    let (module, mut store, instance) = instantiate(&baseline(10, true), SUM);
    call(&mut store, instance, "sum", &args, 1).unwrap();
    assert_eq!(module.compilation_stats().unwrap().on_stack.functions, 1);
    assert_eq!(store.get_fuel().unwrap(), expected);
}

#[test]
fn a_loop_whose_frame_holds_a_reference_runs_on_in_baseline_code() {
    // The frame's slots carry no types, so an entry whose parameter would
    // be used as a reference is refused by the verifier; the loop finishes
    // in baseline code, then the function tiers up for later calls.
    let wat = r#"(module
      (table 2 funcref)
      (func $f)
      (elem declare func $f)
      (func (export "fill") (param $n i32) (result i32) (local $r funcref)
        (local.set $r (ref.func $f))
        (loop $next
          (table.set (i32.rem_u (local.get $n) (i32.const 2)) (local.get $r))
          (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (ref.is_null (table.get (i32.const 1)))))"#;
    let (module, mut store, instance) = instantiate(&baseline(10, false), wat);
    let result = call(&mut store, instance, "fill", &[Val::I32(100)], 1).unwrap();
    assert_eq!(result[0].i32(), Some(0));
    let stats = module.compilation_stats().unwrap();
    assert_eq!(
        (stats.on_stack.functions, stats.tiered_up.functions),
        (0, 1)
    );
}

#[test]
fn a_frame_moves_once_its_entry_is_compiled_in_the_background() {
    // The loop runs until the entry is compiled, then long enough for its
    // count to run out again, then traps: in the on-stack entry.
    static AFTER_COMPILED: AtomicU32 = AtomicU32::new(0);
    let mut config = Config::new();
    config
        .first_tier(FirstTier::Baseline)
        .tier_up_threshold(Some(10));
    let engine = Engine::new(&config);
    let module = Module::new(
        &engine,
        r#"(module
          (import "host" "more" (func $more (result i32)))
          (func (export "run")
            (loop $next (br_if $next (call $more)))
            unreachable))"#,
    )
    .unwrap();
    let observed = module.clone();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "more", move || -> i32 {
            if observed.compilation_stats().unwrap().on_stack.functions == 0 {
                return 1;
            }
            // The count restarts at 65,536 when it runs out with no entry.
            i32::from(AFTER_COMPILED.fetch_add(1, Ordering::Relaxed) < 70_000)
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let trap = call(&mut store, instance, "run", &[], 0).unwrap_err();
    assert!(
        matches!(trap.backtrace()[0].code, FrameCode::OnStackEntry { .. }),
        "{:?}",
        trap.backtrace()
    );
}
