//! Programs the differential fuzzer (`fuzz/src/bin/diff.rs`) found the
//! compiler rejecting or miscompiling, each reduced to the pattern at fault,
//! and patterns that instruction selection rewrites on a proof (remainders
//! by constants), checked against Rust's arithmetic; all run with and
//! without Cranelift's optimizer.

use pulley::{Config, Engine, Error, Instance, Linker, Module, Store, TrapKind, Val};

/// Instantiates `wat` twice (optimized and not) and calls `f` on both.
fn for_each_build(wat: &str, mut f: impl FnMut(&mut Store<()>, &Instance)) {
    for optimize in [true, false] {
        let engine = Engine::new(Config::new().optimize(optimize));
        let module = Module::new(&engine, wat)
            .unwrap_or_else(|error| panic!("optimize={optimize}: {error}"));
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        f(&mut store, &instance);
    }
}

fn call(
    store: &mut Store<()>,
    instance: &Instance,
    name: &str,
    args: &[Val],
) -> Result<Val, Error> {
    let func = instance.get_func(&*store, name).unwrap();
    let mut results = [Val::I32(0)];
    func.call(&mut *store, args, &mut results)?;
    Ok(results[0].clone())
}

fn out_of_bounds(result: Result<Val, Error>) -> bool {
    matches!(
        result.unwrap_err().as_trap().map(|trap| trap.kind()),
        Some(TrapKind::MemoryOutOfBounds)
    )
}

/// A comparison used as an address: the lowering makes its zero extension
/// an alias of the comparison's clean 0 or 1, an 8-bit value.
#[test]
fn comparison_as_address() {
    let wat = r#"(module
        (memory 1)
        (data (i32.const 0) "\0a\0b")
        (func (export "eqz") (param i64) (result i32)
            (i32.load8_u (i64.eqz (local.get 0))))
        (func (export "lt") (param i32 i32) (result i32)
            (i32.load8_u offset=1 (i32.lt_s (local.get 0) (local.get 1)))))"#;
    for_each_build(wat, |store, instance| {
        let eqz = |store: &mut Store<()>, x| call(store, instance, "eqz", &[Val::I64(x)]).unwrap();
        assert_eq!(eqz(store, 0), Val::I32(0x0b));
        assert_eq!(eqz(store, 7), Val::I32(0x0a));
        let lt = call(store, instance, "lt", &[Val::I32(-1), Val::I32(0)]).unwrap();
        assert_eq!(lt, Val::I32(0));
        let ge = call(store, instance, "lt", &[Val::I32(3), Val::I32(0)]).unwrap();
        assert_eq!(ge, Val::I32(0x0b));
    });
}

/// An address that is the low half of a 64-bit value: the wrap is an alias
/// of the 64-bit value, and only its low 32 bits may index memory.
#[test]
fn wrapped_64_bit_value_as_address() {
    let wat = r#"(module
        (memory 1)
        (data (i32.const 2) "\2a")
        (func (export "f") (param i64) (result i32)
            (i32.load8_u (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 8))))))"#;
    for_each_build(wat, |store, instance| {
        let f = |store: &mut Store<()>, x| call(store, instance, "f", &[Val::I64(x)]);
        assert_eq!(f(store, 0x0200).unwrap(), Val::I32(0x2a));
        // Upper bits above the wrapped 32 never reach the address.
        assert_eq!(f(store, 0x0100_0000_0000_0200).unwrap(), Val::I32(0x2a));
        assert_eq!(f(store, 0x0100_0000_0000).unwrap(), Val::I32(0));
        assert!(out_of_bounds(f(store, 0x00ff_ff00_0000)));
    });
}

/// A constant index plus a static offset beyond 4 GiB, which the optimizer
/// folds into one constant: always out of bounds, even in a full memory.
#[test]
fn constant_address_beyond_4_gib() {
    let wat = r#"(module
        (memory 1)
        (func (export "load") (result i32)
            (i32.load offset=0xfffffff0 (i32.const 0x100)))
        (func (export "store") (result i32)
            (i64.store8 offset=0xffffffff (i32.const 0xfffffffb) (i64.const 1))
            (i32.const 0)))"#;
    for_each_build(wat, |store, instance| {
        assert!(out_of_bounds(call(store, instance, "load", &[])));
        assert!(out_of_bounds(call(store, instance, "store", &[])));
    });
}

/// Remainders by constants: the optimizer's magic-number sequences, given
/// back as one `xrem` by selection (`pulley-emit/src/lower/division.rs`),
/// in the plain and the 33/65-bit "add" forms, at the edges of the range.
#[test]
fn remainders_by_constants() {
    const DIVISORS_32: [u32; 9] = [
        3,
        7,
        10,
        641,
        139_968,
        1_000_000_007,
        0x7fff_ffff,
        0xffff_fffb,
        u32::MAX,
    ];
    const DIVISORS_64: [u64; 8] = [
        3,
        7,
        10,
        641,
        1_000_000_007,
        0x7fff_ffff_ffff_ffff,
        u64::MAX - 58,
        u64::MAX,
    ];
    let mut wat = String::from("(module");
    for d in DIVISORS_32 {
        wat += &format!(
            "(func (export \"r32_{d}\") (param i32) (result i32) (i32.rem_u (local.get 0) (i32.const {d})))"
        );
    }
    for d in DIVISORS_64 {
        wat += &format!(
            "(func (export \"r64_{d}\") (param i64) (result i64) (i64.rem_u (local.get 0) (i64.const {d})))"
        );
    }
    wat += ")";
    let numerators = |d: u64, max: u64| {
        let mut xs = vec![0, 1, max, max - 1, max / 2, max / 2 + 1, 123_456_789 & max];
        for k in [1, 2, max / d - 1, max / d] {
            let m = k.wrapping_mul(d) & max;
            xs.extend([m.wrapping_sub(1) & max, m, m.wrapping_add(1) & max]);
        }
        xs
    };
    for_each_build(&wat, |store, instance| {
        for d in DIVISORS_32 {
            for x in numerators(d.into(), u32::MAX.into()) {
                let x = x as u32;
                let got = call(store, instance, &format!("r32_{d}"), &[Val::I32(x as i32)]);
                assert_eq!(got.unwrap(), Val::I32((x % d) as i32), "{x} % {d}");
            }
        }
        for d in DIVISORS_64 {
            for x in numerators(d, u64::MAX) {
                let got = call(store, instance, &format!("r64_{d}"), &[Val::I64(x as i64)]);
                assert_eq!(got.unwrap(), Val::I64((x % d) as i64), "{x} % {d}");
            }
        }
    });
}

/// Found by the long fuzzing run (seed 328, iteration 9788): Cranelift
/// narrows `eqz(extend8_s(x + c))` to an 8-bit compare of `x`'s low byte
/// with `-c`, and selection compared the zero-extended byte with the
/// constant sign-extended (255 with -1): never equal.
#[test]
fn narrow_compares_extend_their_constant_as_their_operand() {
    let wat = r#"(module
        (func (export "eqz8") (param i32) (result i32)
          (i32.eqz (i32.extend8_s (i32.add (local.get 0) (i32.const -1708521727)))))
        (func (export "lt8") (param i32) (result i32)
          (i32.lt_s (i32.extend8_s (local.get 0)) (i32.const -3)))
        (func (export "eqz16") (param i32) (result i32)
          (i32.eqz (i32.extend16_s (i32.add (local.get 0) (i32.const 1))))))"#;
    for_each_build(wat, |store, instance| {
        for x in [
            0i32, 1, 0xfe, 0xff, 0x100, 0x3fff, 0xfffe, 0xffff, -1, -4, -3,
        ] {
            let eqz8 = i32::from((x.wrapping_add(-1708521727) as i8) == 0);
            let lt8 = i32::from((x as i8) < -3);
            let eqz16 = i32::from((x.wrapping_add(1) as i16) == 0);
            let args = [Val::I32(x)];
            assert_eq!(
                call(store, instance, "eqz8", &args).unwrap(),
                Val::I32(eqz8),
                "{x}"
            );
            assert_eq!(
                call(store, instance, "lt8", &args).unwrap(),
                Val::I32(lt8),
                "{x}"
            );
            assert_eq!(
                call(store, instance, "eqz16", &args).unwrap(),
                Val::I32(eqz16),
                "{x}"
            );
        }
    });
}

/// A tail call of an imported function passes the import's results on: the
/// lowering emitted `call_import` with no result slots, then `ret []`.
#[test]
fn tail_call_of_an_import_returns_its_results() {
    let wat = r#"(module
      (import "host" "double" (func $double (param i32) (result i32)))
      (func (export "f") (param i32) (result i32)
        (return_call $double (i32.add (local.get 0) (i32.const 1)))))"#;
    for optimize in [true, false] {
        let engine = Engine::new(Config::new().optimize(optimize));
        let module = Module::new(&engine, wat).unwrap();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.func_wrap("host", "double", |x: i32| x * 2).unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        assert_eq!(
            call(&mut store, &instance, "f", &[Val::I32(20)]).unwrap(),
            Val::I32(42),
            "optimize={optimize}"
        );
    }
}
