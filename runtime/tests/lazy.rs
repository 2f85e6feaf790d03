//! Lazy compilation (`CompilationMode`): every path into a function that is
//! not compiled yet compiles it once, from one store or from several
//! threads, with either first tier; invalid bodies in `Lazy` mode fail at
//! their call; lazy modules serialize, trap and backtrace exactly like eager
//! ones. Baseline code that runs hot tiers up once per module, and traps in
//! upgraded code backtrace like the rest.

use std::sync::Arc;

use pulley::{
    Caller, CompilationMode, Config, Engine, Error, FirstTier, Instance, Linker, Module, Store, Val,
};

const PATHS: &str = r#"(module
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (type $i2i (func (param i32) (result i32)))
  (table (export "table") 4 funcref)
  (elem (i32.const 0) $via_table $tail_target $from_host)
  (global $started (mut i32) (i32.const 0))
  (func $start (global.set $started (call $helper (i32.const 20))))
  (start $start)
  (func $helper (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "started") (result i32) (global.get $started))
  (func (export "direct") (param i32) (result i32) (call $callee (local.get 0)))
  (func $callee (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $i2i) (local.get 0) (local.get 1)))
  (func $via_table (param i32) (result i32) (i32.sub (local.get 0) (i32.const 5)))
  (func (export "tail") (param i32) (result i32) (return_call $tail_callee (local.get 0)))
  (func $tail_callee (param i32) (result i32) (i32.shl (local.get 0) (i32.const 2)))
  (func (export "tail_indirect") (param i32) (result i32)
    (return_call_indirect (type $i2i) (local.get 0) (i32.const 1)))
  (func $tail_target (param i32) (result i32) (i32.xor (local.get 0) (i32.const 255)))
  (func $from_host (param i32) (result i32) (i32.add (local.get 0) (i32.const 1000)))
  (func (export "reenter") (param i32) (result i32) (call $reenter (local.get 0)))
  (func (export "double") (param i32) (result i32) (call $doubler (local.get 0)))
  (func $doubler (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  (func (export "divide") (param i32) (result i32) (call $divider (local.get 0)))
  (func $divider (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
  (func $never (param i32) (result i32) (local.get 0)))"#;

/// The module's own functions.
const DEFINED: usize = 18;

fn engine(mode: CompilationMode) -> Engine {
    let mut config = Config::new();
    config.compilation_mode(mode);
    Engine::new(&config)
}

/// The baseline tier first, tiering up after `threshold` counts on the
/// thread that counted (so that tests know when).
fn baseline(threshold: Option<u32>) -> Engine {
    let mut config = Config::new();
    config
        .first_tier(FirstTier::Baseline)
        .tier_up_threshold(threshold)
        .tier_up_in_background(false);
    Engine::new(&config)
}

/// Lazy engines: each first tier, and the baseline one tiering up at once.
fn lazy_engines() -> [Engine; 3] {
    [
        engine(CompilationMode::LazyTranslation),
        baseline(None),
        baseline(Some(1)),
    ]
}

/// Instantiates `module` with a `reenter` import that calls its export
/// `double` back.
fn instantiate(store: &mut Store<()>, module: &Module) -> Instance {
    let mut linker = Linker::new(module.engine());
    linker
        .func_wrap(
            "host",
            "reenter",
            |mut caller: Caller<'_, ()>, x: i32| -> pulley::Result<i32> {
                let double = caller.get_export("double").unwrap().into_func().unwrap();
                let mut results = [Val::I32(0)];
                double.call(&mut caller, &[Val::I32(x)], &mut results)?;
                Ok(results[0].i32().unwrap())
            },
        )
        .unwrap();
    linker.instantiate(store, module).unwrap()
}

fn call(store: &mut Store<()>, instance: Instance, name: &str, args: &[i32]) -> i32 {
    let func = instance.get_func(&*store, name).unwrap();
    let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
    let mut results = [Val::I32(0)];
    func.call(store, &args, &mut results).unwrap();
    results[0].i32().unwrap()
}

#[test]
fn the_default_compiles_each_function_at_its_first_call() {
    let module = Module::new(&Engine::default(), PATHS).unwrap();
    assert!(module.is_lazy());
    assert_eq!(module.compiled_functions(), 0);
    let eager = Module::new(&engine(CompilationMode::Eager), PATHS).unwrap();
    assert!(!eager.is_lazy());
    assert_eq!(eager.compiled_functions(), DEFINED);
}

#[test]
fn every_path_reaches_uncompiled_functions() {
    for engine in lazy_engines() {
        every_path_reaches_uncompiled_functions_with(&engine);
    }
}

fn every_path_reaches_uncompiled_functions_with(engine: &Engine) {
    let module = Module::new(engine, PATHS).unwrap();
    let mut store = Store::new(module.engine(), ());
    let compiled = |expected: usize| assert_eq!(module.compiled_functions(), expected);
    // The start function, and its direct call.
    let instance = instantiate(&mut store, &module);
    compiled(2);
    // Exports called from the host.
    assert_eq!(call(&mut store, instance, "started", &[]), 21);
    compiled(3);
    // A direct call.
    assert_eq!(call(&mut store, instance, "direct", &[2]), 6);
    compiled(5);
    // call_indirect.
    assert_eq!(call(&mut store, instance, "indirect", &[10, 0]), 5);
    compiled(7);
    // return_call and return_call_indirect.
    assert_eq!(call(&mut store, instance, "tail", &[3]), 12);
    compiled(9);
    assert_eq!(call(&mut store, instance, "tail_indirect", &[1]), 254);
    compiled(11);
    // Re-entry from a host function into an uncompiled export.
    assert_eq!(call(&mut store, instance, "reenter", &[7]), 14);
    compiled(14);
    // A function taken out of a table by the host.
    let table = instance
        .get_export(&store, "table")
        .unwrap()
        .into_table()
        .unwrap();
    let Some(Val::FuncRef(Some(from_host))) = table.get(&store, 2) else {
        panic!("a function in the table");
    };
    let mut results = [Val::I32(0)];
    from_host
        .call(&mut store, &[Val::I32(1)], &mut results)
        .unwrap();
    assert_eq!(results, [Val::I32(1001)]);
    compiled(15);
    // Once compiled, calls compile nothing more, in this store or another.
    for _ in 0..3 {
        assert_eq!(call(&mut store, instance, "direct", &[5]), 15);
    }
    let mut other = Store::new(module.engine(), ());
    let again = instantiate(&mut other, &module);
    assert_eq!(call(&mut other, again, "reenter", &[1]), 2);
    compiled(15);
}

#[test]
fn calls_into_another_instance_compile_its_functions() {
    let engine = engine(CompilationMode::LazyTranslation);
    let library = Module::new(&engine, PATHS).unwrap();
    let user = Module::new(
        &engine,
        r#"(module
          (import "lib" "table" (table 4 funcref))
          (import "lib" "direct" (func $direct (param i32) (result i32)))
          (type $i2i (func (param i32) (result i32)))
          (func (export "through_table") (param i32) (result i32)
            (call_indirect (type $i2i) (local.get 0) (i32.const 0)))
          (func (export "through_import") (param i32) (result i32)
            (call $direct (local.get 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let lib = instantiate(&mut store, &library);
    let mut linker = Linker::new(&engine);
    linker.instance(&store, "lib", lib).unwrap();
    let instance = linker.instantiate(&mut store, &user).unwrap();
    assert_eq!(library.compiled_functions(), 2);
    assert_eq!(call(&mut store, instance, "through_table", &[9]), 4);
    assert_eq!(library.compiled_functions(), 3);
    assert_eq!(call(&mut store, instance, "through_import", &[9]), 27);
    assert_eq!(library.compiled_functions(), 5);
    assert_eq!(user.compiled_functions(), 2);
}

/// Runs `calls` 50 times in each of 4 threads, each with its own store and
/// instance of `module`, with a different argument each time.
fn from_threads(module: &Arc<Module>, calls: fn(&mut Store<()>, Instance, i32)) {
    let threads: Vec<_> = (0..4)
        .map(|thread| {
            let module = Arc::clone(module);
            std::thread::spawn(move || {
                let mut store = Store::new(module.engine(), ());
                let instance = instantiate(&mut store, &module);
                for round in 0..50 {
                    calls(&mut store, instance, thread * 100 + round);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

#[test]
fn threads_sharing_a_module_compile_each_function_once() {
    let module = Arc::new(Module::new(&engine(CompilationMode::LazyTranslation), PATHS).unwrap());
    from_threads(&module, |store, instance, x| {
        assert_eq!(call(store, instance, "direct", &[x]), 3 * x);
        assert_eq!(call(store, instance, "indirect", &[x, 0]), x - 5);
        assert_eq!(call(store, instance, "tail", &[x]), x << 2);
        assert_eq!(call(store, instance, "tail_indirect", &[x]), x ^ 255);
        assert_eq!(call(store, instance, "reenter", &[x]), 2 * x);
    });
    // All but `started`, `$from_host`, `divide`, `$divider` and `$never`.
    assert_eq!(module.compiled_functions(), DEFINED - 5);
}

const ONE_INVALID_BODY: &str = r#"(module
  (func (export "valid") (result i32) (i32.const 1))
  (func (export "invalid") (result i32) (i64.const 1)))"#;

#[test]
fn lazy_translation_refuses_an_invalid_body_up_front() {
    let error =
        Module::new(&engine(CompilationMode::LazyTranslation), ONE_INVALID_BODY).unwrap_err();
    assert!(matches!(error, Error::Compile(_)), "{error}");
}

#[test]
fn lazy_mode_refuses_an_invalid_body_at_its_call() {
    let module = Module::new(&engine(CompilationMode::Lazy), ONE_INVALID_BODY).unwrap();
    let mut store = Store::new(module.engine(), ());
    let instance = Linker::new(module.engine())
        .instantiate(&mut store, &module)
        .unwrap();
    let invalid = instance.get_func(&store, "invalid").unwrap();
    let mut results = [Val::I32(0)];
    for _ in 0..2 {
        let error = invalid.call(&mut store, &[], &mut results).unwrap_err();
        assert!(matches!(error, Error::Compile(_)), "{error}");
        assert!(error.to_string().contains("type mismatch"), "{error}");
    }
    assert_eq!(call(&mut store, instance, "valid", &[]), 1);
    assert_eq!(module.compiled_functions(), 1);
    // Saving it compiles everything, so it fails too.
    assert!(matches!(module.serialize(), Err(Error::Compile(_))));
}

#[test]
fn lazy_modules_serialize_like_eager_ones() {
    let eager = Module::new(&engine(CompilationMode::Eager), PATHS)
        .unwrap()
        .serialize()
        .unwrap();
    for mode in [CompilationMode::LazyTranslation, CompilationMode::Lazy] {
        let module = Module::new(&engine(mode), PATHS).unwrap();
        assert_eq!(module.serialize().unwrap(), eager, "{mode:?}, nothing run");
        let mut store = Store::new(module.engine(), ());
        let instance = instantiate(&mut store, &module);
        call(&mut store, instance, "direct", &[1]);
        assert_eq!(module.serialize().unwrap(), eager, "{mode:?}, partly run");
    }
}

#[test]
fn traps_in_lazy_code_have_the_eager_backtrace() {
    // The trap of the `calls`th call of `divide`.
    let message = |engine: &Engine, calls: usize| {
        let module = Module::new(engine, PATHS).unwrap();
        let mut store = Store::new(module.engine(), ());
        let instance = instantiate(&mut store, &module);
        let divide = instance.get_func(&store, "divide").unwrap();
        let mut results = [Val::I32(0)];
        let mut error = None;
        for _ in 0..calls {
            error = divide.call(&mut store, &[Val::I32(0)], &mut results).err();
        }
        let Some(Error::Trap(trap)) = error else {
            panic!("a trap: {error:?}")
        };
        let offsets: Vec<Option<u32>> = trap.backtrace().iter().map(|f| f.wasm_offset).collect();
        assert_eq!(offsets.len(), 2);
        assert!(offsets.iter().all(Option::is_some), "{trap}");
        trap.to_string()
    };
    let eager = message(&engine(CompilationMode::Eager), 1);
    assert!(eager.contains("integer divide by zero"), "{eager}");
    assert_eq!(message(&engine(CompilationMode::LazyTranslation), 1), eager);
    assert_eq!(message(&engine(CompilationMode::Lazy), 1), eager);
    // In baseline code, then (both functions counted as hot at once) in
    // their upgraded code.
    assert_eq!(message(&baseline(None), 1), eager);
    assert_eq!(message(&baseline(Some(1)), 1), eager);
    assert_eq!(message(&baseline(Some(1)), 2), eager);
}

#[test]
fn hot_baseline_code_tiers_up_once_per_module() {
    let module = Arc::new(Module::new(&baseline(Some(20)), PATHS).unwrap());
    from_threads(&module, |store, instance, x| {
        assert_eq!(call(store, instance, "direct", &[x]), 3 * x);
        assert_eq!(call(store, instance, "indirect", &[x, 0]), x - 5);
    });
    let stats = module.compilation_stats().unwrap();
    // `direct`, `$callee`, `indirect` and `$via_table`, each counted in each
    // store 50 times: every one hot, each compiled again once.
    assert_eq!(stats.tiered_up.functions, 4, "{stats:?}");
    // Their first code, and the start function's.
    assert_eq!(stats.baseline.functions, 6, "{stats:?}");
    assert_eq!(stats.optimizing.functions, 0, "{stats:?}");
    // The first code of the four stays, and only theirs.
    assert!(stats.superseded_code_bytes > 0, "{stats:?}");
    assert!(
        stats.superseded_code_bytes < stats.baseline.code_bytes,
        "{stats:?}"
    );
}

#[test]
fn a_hot_loop_tiers_its_function_up_for_the_calls_that_follow() {
    let module = Module::new(
        &baseline(Some(100)),
        r#"(module (func (export "sum") (param $n i32) (result i32) (local $s i32)
             (loop $next
               (local.set $s (i32.add (local.get $s) (local.get $n)))
               (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
             (local.get $s)))"#,
    )
    .unwrap();
    let mut store = Store::new(module.engine(), ());
    let instance = Linker::new(module.engine())
        .instantiate(&mut store, &module)
        .unwrap();
    // One call whose loop counts past the threshold: it finishes in its
    // first code (there is no on-stack replacement), the next call runs the
    // upgraded code.
    assert_eq!(call(&mut store, instance, "sum", &[1000]), 500_500);
    assert_eq!(module.compilation_stats().unwrap().tiered_up.functions, 1);
    assert_eq!(call(&mut store, instance, "sum", &[10]), 55);
    // Without a threshold, nothing counts.
    let module = Module::new(&baseline(None), r#"(module (func (export "f") (loop)))"#).unwrap();
    let mut store = Store::new(module.engine(), ());
    let instance = Linker::new(module.engine())
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    for _ in 0..100 {
        f.call(&mut store, &[], &mut []).unwrap();
    }
    assert_eq!(module.compilation_stats().unwrap().tiered_up.functions, 0);
}

#[test]
fn lazy_code_charges_fuel() {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .compilation_mode(CompilationMode::Lazy);
    let engine = Engine::new(&config);
    let module = Module::new(
        &engine,
        r#"(module (func (export "spin") (loop $again (br $again))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    store.set_fuel(10_000).unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let spin = instance.get_func(&store, "spin").unwrap();
    let error = spin.call(&mut store, &[], &mut []).unwrap_err();
    assert!(error.to_string().contains("fuel"), "{error}");
}

/// What the threads above rely on, checked by the compiler: modules and
/// engines are shared between threads, stores move between them.
#[test]
fn modules_are_shared_and_stores_move_between_threads() {
    fn shared<T: Send + Sync>() {}
    fn movable<T: Send>() {}
    shared::<Module>();
    shared::<Engine>();
    movable::<Store<()>>();
}

#[test]
fn tiering_up_in_the_background_lets_baseline_code_run_on() {
    let mut config = Config::new();
    config
        .first_tier(FirstTier::Baseline)
        .tier_up_threshold(Some(10));
    assert!(config.get_tier_up_in_background());
    let module = Module::new(&Engine::new(&config), PATHS).unwrap();
    let mut store = Store::new(module.engine(), ());
    let instance = instantiate(&mut store, &module);
    // Calls go on in baseline code until the compile thread is done, then
    // enter the upgraded code; every one gives the same result.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut calls = 0;
    while module.compilation_stats().unwrap().tiered_up.functions < 2 {
        assert_eq!(call(&mut store, instance, "direct", &[calls]), 3 * calls);
        calls += 1;
        assert!(
            std::time::Instant::now() < deadline,
            "no tier-up after {calls} calls"
        );
    }
    for x in 0..100 {
        assert_eq!(call(&mut store, instance, "direct", &[x]), 3 * x);
    }
    // `direct` and `$callee`, each compiled again once.
    assert_eq!(module.compilation_stats().unwrap().tiered_up.functions, 2);
}

#[test]
fn a_module_made_from_owned_bytes_runs_as_one_made_from_borrowed_ones() {
    let wasm = wat::parse_str(PATHS).unwrap();
    for engine in lazy_engines() {
        let borrowed = Module::from_binary(&engine, &wasm).unwrap();
        let owned = Module::from_binary_vec(&engine, wasm.clone()).unwrap();
        for module in [&borrowed, &owned] {
            let mut store = Store::new(&engine, ());
            let instance = instantiate(&mut store, module);
            assert_eq!(call(&mut store, instance, "direct", &[7]), 21);
            assert_eq!(call(&mut store, instance, "reenter", &[4]), 8);
        }
        assert_eq!(owned.serialize().unwrap(), borrowed.serialize().unwrap());
    }
    // Invalid bytes are refused the same way.
    let engine = Engine::default();
    assert!(Module::from_binary_vec(&engine, b"\0asm\x01\0\0\0\x05".to_vec()).is_err());
}
