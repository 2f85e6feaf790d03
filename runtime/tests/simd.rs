//! v128 values through the embedding API: as parameters and results mixed
//! with scalars (each vector takes two slots), through host functions,
//! in globals the host and wasm both read and write, from memory, with a
//! trap inside a vector load (reported at that load's wasm offset), and in
//! a precompiled artifact; optimized and not. The operations themselves are covered by the spec suite
//! (tests/spec.rs).

use pulley::{Config, Engine, FuncType, Linker, Module, Store, TrapKind, Val, ValType};

const MODULE: &str = r#"(module
  (import "host" "swap_halves" (func $swap (param v128 i32) (result i32 v128)))
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (memory (export "memory") 1)
  (func (export "mix") (param i32 v128 i64) (result v128 i32 i64)
    (i32x4.add (local.get 1) (i32x4.splat (local.get 0)))
    (i32.add (local.get 0) (i32.const 1))
    (local.get 2))
  (func (export "through_host") (param v128) (result v128 i32)
    (local $r i32) (local $v v128)
    (call $swap (local.get 0) (i32.const 5))
    (local.set $v)
    (local.set $r)
    (local.get $v)
    (local.get $r))
  (func (export "bump_global") (result v128)
    (global.set $g (i64x2.add (global.get $g) (v128.const i64x2 1 1)))
    (global.get $g))
  (func (export "load") (param i32) (result v128)
    (v128.load (local.get 0))))"#;

/// The vector whose `i32x4` lanes are `lanes`, lane 0 first.
fn i32x4(lanes: [u32; 4]) -> u128 {
    lanes
        .iter()
        .enumerate()
        .fold(0, |v, (i, &lane)| v | u128::from(lane) << (32 * i))
}

fn linker(engine: &Engine) -> Linker<()> {
    let mut linker = Linker::new(engine);
    let ty = FuncType {
        params: vec![ValType::V128, ValType::I32],
        results: vec![ValType::I32, ValType::V128],
    };
    linker
        .func_new("host", "swap_halves", ty, |_caller, params, results| {
            let (Val::V128(v), Val::I32(n)) = (&params[0], &params[1]) else {
                panic!("parameters {params:?}");
            };
            results[0] = Val::I32(n * 2);
            results[1] = Val::V128(v.rotate_left(64));
            Ok(())
        })
        .unwrap();
    linker
}

fn call(store: &mut Store<()>, instance: &pulley::Instance, name: &str, args: &[Val]) -> Vec<Val> {
    let func = instance.get_func(&*store, name).unwrap();
    let mut results: Vec<Val> = func
        .ty(&*store)
        .results
        .iter()
        .map(|&ty| Val::default_for(ty))
        .collect();
    func.call(&mut *store, args, &mut results).unwrap();
    results
}

fn check_module(engine: &Engine, module: &Module) {
    let mut store = Store::new(engine, ());
    let instance = linker(engine).instantiate(&mut store, module).unwrap();

    let v = i32x4([10, 20, 0xffff_ffff, 40]);
    assert_eq!(
        call(
            &mut store,
            &instance,
            "mix",
            &[Val::I32(7), Val::V128(v), Val::I64(-3)]
        ),
        [Val::V128(i32x4([17, 27, 6, 47])), Val::I32(8), Val::I64(-3)]
    );

    let v = 0x0011_2233_4455_6677_8899_aabb_ccdd_eeff_u128;
    assert_eq!(
        call(&mut store, &instance, "through_host", &[Val::V128(v)]),
        [
            Val::V128(0x8899_aabb_ccdd_eeff_0011_2233_4455_6677),
            Val::I32(10)
        ]
    );

    let global = instance.get_global(&store, "g").unwrap();
    assert_eq!(global.get(&store), Val::V128(i32x4([1, 2, 3, 4])));
    assert_eq!(
        call(&mut store, &instance, "bump_global", &[]),
        [Val::V128(i32x4([2, 2, 4, 4]))]
    );
    global.set(&mut store, Val::V128(u128::MAX)).unwrap();
    assert_eq!(
        call(&mut store, &instance, "bump_global", &[]),
        [Val::V128(0)]
    );
    assert_eq!(global.get(&store), Val::V128(0));
    let error = global.set(&mut store, Val::I64(1)).unwrap_err();
    assert!(error.to_string().contains("v128"), "{error}");

    let memory = instance.get_memory(&store, "memory").unwrap();
    let bytes: [u8; 16] = core::array::from_fn(|i| i as u8 + 1);
    memory.write(&mut store, 100, &bytes).unwrap();
    assert_eq!(
        call(&mut store, &instance, "load", &[Val::I32(100)]),
        [Val::V128(u128::from_le_bytes(bytes))]
    );
    let load = instance.get_func(&store, "load").unwrap();
    let mut results = [Val::V128(0)];
    let error = load
        .call(&mut store, &[Val::I32(65536 - 15)], &mut results)
        .unwrap_err();
    assert_eq!(
        error.as_trap().map(|trap| trap.kind()),
        Some(&TrapKind::MemoryOutOfBounds)
    );
}

#[test]
fn vectors_cross_calls_host_functions_globals_and_memory() {
    for optimize in [true, false] {
        let engine = Engine::new(Config::new().optimize(optimize));
        let module = Module::new(&engine, MODULE).unwrap();
        check_module(&engine, &module);
    }
}

#[test]
fn simd_modules_round_trip_through_artifacts() {
    let engine = Engine::new(&Config::new());
    let artifact = Module::new(&engine, MODULE).unwrap().serialize().unwrap();
    let module = Module::deserialize(&engine, &artifact).unwrap();
    check_module(&engine, &module);
}

/// The wasm offsets of the operators of `wasm`'s function bodies for which
/// `is_wanted` holds, in order.
fn operator_offsets(wasm: &[u8], is_wanted: impl Fn(&wasmparser::Operator) -> bool) -> Vec<u32> {
    let mut offsets = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut operators = body.get_operators_reader().unwrap();
            while !operators.eof() {
                let (operator, offset) = operators.read_with_offset().unwrap();
                if is_wanted(&operator) {
                    offsets.push(offset as u32);
                }
            }
        }
    }
    offsets
}

/// A trap in `v128.load` or `v128.store` is reported at its own wasm offset,
/// not at an earlier op that can trap (the address map is looked up by the
/// greatest recorded position at or before the trapping op).
#[test]
fn vector_memory_traps_report_their_own_offset() {
    let wasm = wat::parse_str(
        r#"(module
          (memory 1)
          (func (export "load") (param i32 i32) (result i32)
            (i32.load (local.get 1))
            (i32x4.extract_lane 0 (v128.load (local.get 0)))
            (i32.add))
          (func (export "store") (param i32 i32)
            (i32.store (local.get 1) (i32.const 7))
            (v128.store (local.get 0) (v128.const i64x2 1 2))))"#,
    )
    .unwrap();
    let vector_ops = operator_offsets(&wasm, |operator| {
        matches!(
            operator,
            wasmparser::Operator::V128Load { .. } | wasmparser::Operator::V128Store { .. }
        )
    });
    let out_of_bounds = Val::I32(65536 - 8);
    for optimize in [true, false] {
        let engine = Engine::new(Config::new().optimize(optimize));
        let module = Module::new(&engine, &wasm).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = linker(&engine).instantiate(&mut store, &module).unwrap();
        for (name, results, &expected) in
            [("load", 1, &vector_ops[0]), ("store", 0, &vector_ops[1])]
        {
            let func = instance.get_func(&store, name).unwrap();
            let mut results = vec![Val::I32(0); results];
            let error = func
                .call(
                    &mut store,
                    &[out_of_bounds.clone(), Val::I32(0)],
                    &mut results,
                )
                .unwrap_err();
            let trap = error.as_trap().unwrap();
            assert_eq!(trap.kind(), &TrapKind::MemoryOutOfBounds);
            assert_eq!(
                trap.backtrace()[0].wasm_offset,
                Some(expected),
                "{name} (optimize: {optimize}): {trap}"
            );
        }
    }
}
