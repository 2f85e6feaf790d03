//! Native code (feature `native`) behaves as the interpreter does: traps
//! without signal handlers (including stack exhaustion, on a small thread
//! stack too), host calls that trap, fail or panic, fuel, memory growth seen
//! by running code, indirect calls to host functions and other instances, and
//! a clear error where native modules cannot go (artifacts, SIMD). Runaway nesting
//! through the host is tested for both modes in tests/robustness.rs.
#![cfg(feature = "native")]

use pulley::{Caller, Config, Engine, Error, Linker, Module, Store, TrapKind, Val};

fn native_engine(fuel: bool) -> Engine {
    let mut config = Config::new();
    config.native(true).consume_fuel(fuel);
    Engine::new(&config)
}

fn trap_kind(error: &Error) -> Option<&TrapKind> {
    error.as_trap().map(|trap| trap.kind())
}

const RECURSE: &str = r#"(module (func $f (export "f") (param i32) (result i32)
    (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))"#;

#[test]
fn deep_recursion_is_a_stack_overflow_trap_even_on_a_small_thread_stack() {
    let engine = native_engine(false);
    let module = Module::new(&engine, RECURSE).unwrap();
    // 256 KiB of thread stack, less than the 1 MiB budget: the limit is cut
    // at the thread's own end, so this traps instead of faulting.
    for stack_size in [256 << 10, 8 << 20] {
        let error = std::thread::Builder::new()
            .stack_size(stack_size)
            .spawn({
                let (engine, module) = (engine.clone(), module.clone());
                move || {
                    let mut store = Store::new(&engine, ());
                    let instance = Linker::new(&engine)
                        .instantiate(&mut store, &module)
                        .unwrap();
                    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
                    let error = f.call(&mut store, 0).unwrap_err();
                    // The store is usable afterwards.
                    assert!(f.call(&mut store, 0).is_err());
                    error
                }
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(trap_kind(&error), Some(&TrapKind::StackOverflow));
    }
}

#[test]
fn traps_errors_and_panics_in_host_calls_reach_the_caller() {
    let engine = native_engine(false);
    let module = Module::new(
        &engine,
        r#"(module
             (import "host" "check" (func $check (param i32) (result i32)))
             (func $inner (param i32) (result i32) (call $check (local.get 0)))
             (func (export "run") (param i32) (result i32)
               (i32.add (call $inner (local.get 0)) (i32.const 1))))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "check", |value: i32| -> Result<i32, pulley::Trap> {
            match value {
                -1000 => panic!("host panic"),
                _ if value < 0 => Err(pulley::Trap::host("negative value")),
                _ => Ok(value * 2),
            }
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 20).unwrap(), 41);
    let error = run.call(&mut store, -1).unwrap_err();
    assert_eq!(
        trap_kind(&error),
        Some(&TrapKind::Host("negative value".into()))
    );
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = run.call(&mut store, -1000);
    }))
    .unwrap_err();
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"host panic"));
    assert_eq!(run.call(&mut store, 1).unwrap(), 3);
}

#[test]
fn fuel_is_charged_as_in_the_interpreter() {
    // A host call in the loop: fuel crosses into the host and back.
    let text = r#"(module
        (import "host" "tick" (func $tick))
        (func (export "count") (param i32) (result i32) (local i32)
          (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                (call $tick)
                (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
          (local.get 1)))"#;
    let mut interpreted = Config::new();
    interpreted.consume_fuel(true);
    let mut left = Vec::new();
    for engine in [Engine::new(&interpreted), native_engine(true)] {
        let module = Module::new(&engine, text).unwrap();
        let mut store = Store::new(&engine, ());
        store.set_fuel(10_000).unwrap();
        let mut linker = Linker::new(&engine);
        linker.func_wrap("host", "tick", || {}).unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let count = instance
            .get_typed_func::<i32, i32>(&store, "count")
            .unwrap();
        assert_eq!(count.call(&mut store, 100).unwrap(), 100);
        left.push(store.get_fuel().unwrap());
        let error = count.call(&mut store, 1_000_000).unwrap_err();
        assert_eq!(trap_kind(&error), Some(&TrapKind::OutOfFuel));
        // Running out leaves what was too little.
        left.push(store.get_fuel().unwrap());
    }
    assert_eq!(left[0], left[2]);
    assert_eq!(left[1], left[3]);
    assert!(left[0] < 10_000 && left[1] < left[0]);
}

#[test]
fn memory_grown_by_the_host_is_seen_by_running_code() {
    let engine = native_engine(false);
    let module = Module::new(
        &engine,
        r#"(module
             (import "host" "grow" (func $grow))
             (memory (export "memory") 1)
             (func (export "run") (result i32)
               (call $grow)
               (i32.store (i32.const 100000) (i32.const 7))
               (i32.load (i32.const 100000))))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "grow", |mut caller: Caller<'_, ()>| {
            let memory = caller.get_export("memory").unwrap().into_memory().unwrap();
            memory.grow(&mut caller, 3).unwrap();
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 7);
}

#[test]
fn indirect_calls_reach_host_functions_and_other_instances() {
    let engine = native_engine(false);
    let callee = Module::new(
        &engine,
        r#"(module (func (export "triple") (param i32) (result i32)
             (i32.mul (local.get 0) (i32.const 3))))"#,
    )
    .unwrap();
    let caller = Module::new(
        &engine,
        r#"(module
             (import "host" "double" (func $double (param i32) (result i32)))
             (import "other" "triple" (func $triple (param i32) (result i32)))
             (type $unary (func (param i32) (result i32)))
             (type $nullary (func))
             (table funcref (elem $double $triple $local))
             (func $local (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
             (func (export "call") (param i32 i32) (result i32)
               (call_indirect (type $unary) (local.get 1) (local.get 0)))
             (func (export "tail") (param i32 i32) (result i32)
               (return_call_indirect (type $unary) (local.get 1) (local.get 0)))
             (func (export "wrong") (call_indirect (type $nullary) (i32.const 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let other = Linker::new(&engine)
        .instantiate(&mut store, &callee)
        .unwrap();
    let mut linker = Linker::new(&engine);
    linker.func_wrap("host", "double", |x: i32| x * 2).unwrap();
    linker.instance(&mut store, "other", other).unwrap();
    let instance = linker.instantiate(&mut store, &caller).unwrap();
    for name in ["call", "tail"] {
        let call = instance
            .get_typed_func::<(i32, i32), i32>(&store, name)
            .unwrap();
        assert_eq!(call.call(&mut store, (0, 10)).unwrap(), 20);
        assert_eq!(call.call(&mut store, (1, 10)).unwrap(), 30);
        assert_eq!(call.call(&mut store, (2, 10)).unwrap(), 11);
        let error = call.call(&mut store, (3, 10)).unwrap_err();
        assert_eq!(trap_kind(&error), Some(&TrapKind::TableOutOfBounds));
    }
    let wrong = instance.get_func(&store, "wrong").unwrap();
    let error = wrong.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(trap_kind(&error), Some(&TrapKind::BadSignature));
}

#[test]
fn results_of_every_type_cross_the_trampoline() {
    let engine = native_engine(false);
    let module = Module::new(
        &engine,
        r#"(module (func (export "swap") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
             (local.get 3) (local.get 2) (local.get 1) (local.get 0)))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let swap = instance.get_func(&store, "swap").unwrap();
    let mut results = [Val::I32(0), Val::I32(0), Val::I32(0), Val::I32(0)];
    swap.call(
        &mut store,
        &[
            Val::I32(-5),
            Val::I64(1 << 40),
            Val::F32(1.5f32.to_bits()),
            Val::F64((-2.25f64).to_bits()),
        ],
        &mut results,
    )
    .unwrap();
    assert_eq!(
        results,
        [
            Val::F64((-2.25f64).to_bits()),
            Val::F32(1.5f32.to_bits()),
            Val::I64(1 << 40),
            Val::I32(-5)
        ]
    );
}

/// Found by the differential fuzzer: more results than return registers
/// made Cranelift refuse the function and the trampoline.
#[test]
fn functions_with_more_results_than_return_registers() {
    let results = "i64 ".repeat(20) + &"f64 ".repeat(20);
    let values: String = (0..20)
        .map(|i| format!("(i64.const {i}) "))
        .chain((0..20).map(|i| format!("(f64.const {i}.5) ")))
        .collect();
    let text = format!(
        r#"(module
             (func $many (result {results}) {values})
             (func (export "many") (result {results}) (call $many))
             (func (export "sum") (result i64)
               (call $many)
               (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop)
               (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop)
               (i64.add) (i64.add) (i64.add) (i64.add) (i64.add) (i64.add) (i64.add)
               (i64.add) (i64.add) (i64.add) (i64.add) (i64.add) (i64.add) (i64.add)
               (i64.add) (i64.add) (i64.add) (i64.add) (i64.add)))"#
    );
    let engine = native_engine(false);
    let module = Module::new(&engine, &text).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let sum = instance.get_typed_func::<(), i64>(&store, "sum").unwrap();
    assert_eq!(sum.call(&mut store, ()).unwrap(), (0..20).sum::<i64>());
    let many = instance.get_func(&store, "many").unwrap();
    let mut out = vec![Val::I32(0); 40];
    many.call(&mut store, &[], &mut out).unwrap();
    assert_eq!(out[19], Val::I64(19));
    assert_eq!(out[39], Val::F64(19.5f64.to_bits()));
}

#[test]
fn native_modules_are_not_serialized() {
    let engine = native_engine(false);
    let module = Module::new(&engine, "(module)").unwrap();
    let error = module.serialize().unwrap_err();
    assert!(
        error.to_string().contains("cannot be serialized"),
        "{error}"
    );
}

#[test]
fn simd_modules_are_refused_with_a_clear_error() {
    let engine = native_engine(false);
    // v128 only inside a body: types and signatures are scalar.
    let in_body = r#"(module (func (export "f") (result i32)
        (i32x4.extract_lane 0 (i32x4.splat (i32.const 7)))))"#;
    // v128 in a signature.
    let in_signature = r#"(module (func (export "g") (param v128) (result v128) (local.get 0)))"#;
    for wat in [in_body, in_signature] {
        let error = Module::new(&engine, wat).unwrap_err().to_string();
        assert!(error.contains("native code does not run SIMD"), "{error}");
        assert!(error.contains("interpreter"), "{error}");
    }
    // An invalid module keeps its own error, though it also uses SIMD.
    let invalid = r#"(module (func (result i32) (i32x4.splat (i32.const 7))))"#;
    let error = Module::new(&engine, invalid).unwrap_err().to_string();
    assert!(error.contains("invalid module"), "{error}");
    // The interpreter runs the first one.
    let engine = Engine::new(&Config::new());
    let module = Module::new(&engine, in_body).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    let mut results = [Val::I32(0)];
    f.call(&mut store, &[], &mut results).unwrap();
    assert_eq!(results, [Val::I32(7)]);
}
