//! Bad input never crashes the runtime: malformed wasm, deep recursion, huge
//! allocations, traps and errors inside host calls, runaway nesting through
//! the host, fuel exhaustion, API misuse.

use pulley::{
    Caller, CompilationMode, Config, Engine, Error, Func, ImportMismatch, LimitError, LinkError,
    Linker, Module, Store, TrapKind, UsageError, Val, ValType,
};

/// The interpreter's engine, and native code's with the `native` feature.
fn engines() -> Vec<Engine> {
    #[allow(unused_mut)]
    let mut engines = vec![Engine::default()];
    #[cfg(feature = "native")]
    engines.push(Engine::new(Config::new().native(true)));
    engines
}

fn trap_kind(error: &Error) -> Option<&TrapKind> {
    error.as_trap().map(|trap| trap.kind())
}

#[test]
fn malformed_and_truncated_wasm_is_an_error() {
    let engine = Engine::default();
    let wasm = wat::parse_str(include_str!("programs/mix.wat")).unwrap();
    // A truncation at a section boundary is a valid, smaller module; any
    // other truncation is an error.
    let accepted = (0..wasm.len())
        .filter(|&len| Module::from_binary(&engine, &wasm[..len]).is_ok())
        .count();
    assert!(accepted <= 12, "{accepted} truncations accepted");
    // Flipped bytes: rejected, or a module that still compiles.
    let mut compiled = 0;
    for position in 8..wasm.len() {
        let mut corrupt = wasm.clone();
        corrupt[position] ^= 0x5a;
        if Module::from_binary(&engine, &corrupt).is_ok() {
            compiled += 1;
        }
    }
    assert!(compiled < wasm.len() / 2);
    assert!(Module::new(&engine, b"\0asm\x02\0\0\0").is_err());
    assert!(Module::new(&engine, "(module (func (result i32)))").is_err());
    assert!(Module::new(&engine, "(module (func (i32.add)))").is_err());
}

/// Input larger than [`pulley::MAX_MODULE_BYTES`] is refused before it is
/// parsed, whether wasm, text or an artifact.
#[test]
fn inputs_larger_than_the_module_size_limit_are_refused() {
    let engine = Engine::default();
    // Zeroed pages the allocator does not touch: cheap at 1 GiB.
    let mut bytes = vec![0u8; pulley::MAX_MODULE_BYTES + 1];
    let refused = |result: Result<Module, Error>| match result {
        Err(Error::ResourceLimit(LimitError::ModuleSize { bytes, maximum })) => {
            assert_eq!(
                (bytes, maximum),
                (pulley::MAX_MODULE_BYTES + 1, pulley::MAX_MODULE_BYTES)
            );
        }
        Ok(_) => panic!("accepted"),
        // Its message may quote the whole gigabyte.
        Err(error) => panic!(
            "another error: {}",
            error.to_string().chars().take(200).collect::<String>()
        ),
    };
    refused(Module::new(&engine, &bytes));
    refused(Module::from_binary(&engine, &bytes));
    bytes[..4].copy_from_slice(b"\0asm");
    refused(Module::new(&engine, &bytes));
    let artifact = Module::new(&engine, "(module)")
        .unwrap()
        .serialize()
        .unwrap();
    bytes[..artifact.len()].copy_from_slice(&artifact);
    refused(Module::new(&engine, &bytes));
    refused(Module::deserialize(&engine, &bytes));
}

#[test]
fn deep_recursion_is_a_stack_overflow_trap_with_a_backtrace() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (func $f (export "f") (param i32) (result i32)
             (i32.add (call $f (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    let error = f.call(&mut store, 0).unwrap_err();
    assert_eq!(trap_kind(&error), Some(&TrapKind::StackOverflow));
    let backtrace = error.as_trap().unwrap().backtrace();
    assert!(backtrace.len() > 1000, "{} frames", backtrace.len());
    assert_eq!(backtrace[0].func_name.as_deref(), Some("f"));
    // The message shows the 20 innermost and 10 outermost frames and counts
    // the rest.
    let message = error.to_string();
    assert_eq!(message.lines().count(), 2 + 20 + 1 + 10, "{message}");
    let elided = backtrace.len() - 30;
    assert!(
        message.contains(&format!("\n       ... {elided} frames elided ...\n")),
        "{message}"
    );
    let last = backtrace.len() - 1;
    assert!(
        message.ends_with(&format!("{last:>3}: {}", backtrace[last])),
        "{message}"
    );
    // The store is usable afterwards.
    let error = f.call(&mut store, 0).unwrap_err();
    assert_eq!(trap_kind(&error), Some(&TrapKind::StackOverflow));
}

#[test]
fn huge_memories_and_tables_are_errors_not_aborts() {
    let mut config = Config::new();
    config.max_memory_pages(256).max_table_elements(1000);
    let engine = Engine::new(&config);
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    for text in [
        "(module (memory 65536))",
        "(module (memory 257))",
        "(module (table 1001 funcref))",
    ] {
        let module = Module::new(&engine, text).unwrap();
        let error = linker.instantiate(&mut store, &module).unwrap_err();
        assert!(matches!(error, Error::ResourceLimit(_)), "{text}: {error}");
    }
    let module = Module::new(
        &engine,
        r#"(module (memory 1)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    )
    .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 100).unwrap(), 1);
    assert_eq!(grow.call(&mut store, 1000).unwrap(), -1);
    assert_eq!(grow.call(&mut store, -1).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 0).unwrap(), 101);
}

#[test]
fn traps_and_errors_in_host_calls_reach_the_caller() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
             (import "host" "check" (func $check (param i32)))
             (func $inner (param i32) (call $check (local.get 0)))
             (func (export "run") (param i32) (call $inner (local.get 0))))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "check", |value: i32| -> Result<(), pulley::Trap> {
            if value < 0 {
                Err(pulley::Trap::host("negative value"))
            } else {
                Ok(())
            }
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, ()>(&store, "run").unwrap();
    run.call(&mut store, 1).unwrap();
    let error = run.call(&mut store, -1).unwrap_err();
    assert_eq!(
        trap_kind(&error),
        Some(&TrapKind::Host("negative value".into()))
    );
    // The wasm frames that led to the host call are in the backtrace.
    assert_eq!(error.as_trap().unwrap().backtrace().len(), 2, "{error}");
    run.call(&mut store, 2).unwrap();
}

/// A number that claims to be a function reference: `WasmTy` is public,
/// so an embedder's type could try to hand wasm a forged reference.
#[derive(Copy, Clone)]
struct ForgedRef(u64);

impl pulley::WasmTy for ForgedRef {
    const TYPE: ValType = ValType::FuncRef;
    fn to_raw(self) -> u64 {
        self.0
    }
    fn from_raw(raw: u64) -> Self {
        ForgedRef(raw)
    }
}

/// Host functions cannot return what their type does not allow: a dynamic
/// one a value of another type, a typed one a reference made of a number.
#[test]
fn host_results_keep_their_types() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
             (import "host" "number" (func $number (result i32)))
             (import "host" "forged" (func $forged (result funcref)))
             (func (export "number") (result i32) (call $number))
             (func (export "forged") (result funcref) (call $forged)))"#,
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    let number = pulley::FuncType {
        params: vec![],
        results: vec![ValType::I32],
    };
    linker
        .func_new("host", "number", number, |_, _, results| {
            results[0] = Val::I64(7);
            Ok(())
        })
        .unwrap();
    linker.func_wrap("host", "forged", || ForgedRef(1)).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let error = instance
        .get_func(&store, "number")
        .unwrap()
        .call(&mut store, &[], &mut [Val::I32(0)])
        .unwrap_err();
    assert!(
        matches!(error, Error::Usage(UsageError::HostResultType { .. })),
        "{error}"
    );
    let mut result = [Val::FuncRef(None)];
    let error = instance
        .get_func(&store, "forged")
        .unwrap()
        .call(&mut store, &[], &mut result)
        .unwrap_err();
    assert!(
        matches!(error, Error::Usage(UsageError::TypedReferenceResult)),
        "{error}"
    );
}

#[test]
fn runaway_nesting_through_the_host_is_a_stack_overflow() {
    for engine in engines() {
        runaway_nesting(&engine);
    }
}

/// On a small native stack, nesting stops with a trap before the stack runs
/// out (the default limit of 1000 levels needs more than this stack has).
#[test]
fn runaway_nesting_on_a_small_native_stack_is_a_stack_overflow_trap() {
    for engine in engines() {
        runaway_nesting_with_stack(&engine, 256 << 10);
    }
}

fn runaway_nesting(engine: &Engine) {
    runaway_nesting_with_stack(engine, 16 << 20);
}

fn runaway_nesting_with_stack(engine: &Engine, stack_size: usize) {
    let module = Module::new(
        engine,
        r#"(module
             (import "host" "again" (func $again))
             (func (export "run") (call $again)))"#,
    )
    .unwrap();
    let mut linker: Linker<Option<Func>> = Linker::new(engine);
    linker
        .func_wrap(
            "host",
            "again",
            |mut caller: Caller<'_, Option<Func>>| -> pulley::Result<()> {
                let run = caller.data().expect("set before the first call");
                run.call(&mut caller, &[], &mut [])
            },
        )
        .unwrap();
    let mut store = Store::new(engine, None);
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_func(&store, "run").unwrap();
    *store.data_mut() = Some(run);
    // Each nesting level costs native stack.
    let error = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(stack_size)
            .spawn_scoped(scope, || run.call(&mut store, &[], &mut []).unwrap_err())
            .unwrap()
            .join()
            .unwrap()
    });
    assert_eq!(trap_kind(&error), Some(&TrapKind::StackOverflow));
}

#[test]
fn fuel_bounds_execution() {
    let mut config = Config::new();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, r#"(module (func (export "spin") (loop (br 0))))"#).unwrap();
    let mut store = Store::new(&engine, ());
    store.set_fuel(10_000).unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let spin = instance.get_func(&store, "spin").unwrap();
    let error = spin.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(trap_kind(&error), Some(&TrapKind::OutOfFuel));
    assert!(store.get_fuel().unwrap() < 10);
    let unfueled = Store::new(&Engine::default(), ());
    assert!(unfueled.get_fuel().is_err());
}

#[test]
fn api_misuse_is_an_error() {
    let engine = Engine::default();
    let module = Module::new(&engine, r#"(module (import "m" "f" (func)) (func (export "id") (param i32) (result i32) (local.get 0)))"#).unwrap();
    let mut store = Store::new(&engine, ());
    let error = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap_err();
    assert!(
        matches!(&error, Error::Link(LinkError::UnknownImport { module, name }) if module == "m" && name == "f"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "unknown import: m.f has not been defined"
    );
    let mut linker = Linker::new(&engine);
    linker.func_wrap("m", "f", |_: i32| {}).unwrap();
    let error = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Link(LinkError::IncompatibleImport {
                mismatch: ImportMismatch::FunctionType,
                ..
            })
        ),
        "{error}"
    );
    let mut linker = Linker::new(&engine);
    linker.func_wrap("m", "f", || {}).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let id = instance.get_func(&store, "id").unwrap();
    let mut results = [Val::I32(0)];
    assert!(matches!(
        id.call(&mut store, &[Val::I64(1)], &mut results),
        Err(Error::Usage(UsageError::ArgumentType {
            value: Val::I64(1),
            expected: ValType::I32
        }))
    ));
    assert!(matches!(
        id.call(&mut store, &[], &mut results),
        Err(Error::Usage(UsageError::ValueCount {
            params: 1,
            results: 1,
            given: 0,
            room: 1
        }))
    ));
    assert!(matches!(
        id.typed::<i64, i32>(&store),
        Err(Error::Usage(UsageError::FunctionType { .. }))
    ));
    id.call(&mut store, &[Val::I32(7)], &mut results).unwrap();
    assert_eq!(results[0], Val::I32(7));
}

/// A function with more values live at once than the backtracking register
/// allocator handles in linear time is compiled with the single-pass one
/// (recorded per function, shown by `disas`), and computes the same sum.
#[test]
fn functions_with_huge_register_pressure_compile_cheaply_and_correctly() {
    const VALUES: u32 = 1500;
    let loads: String = (0..VALUES)
        .map(|k| format!("(i64.load offset={} (i32.const 0))", 8 * k))
        .collect();
    let wat = format!(
        "(module (memory (export \"memory\") 1) (func (export \"sum\") (result i64) {loads}{}))",
        "(i64.add)".repeat(VALUES as usize - 1)
    );
    let mut config = Config::new();
    config.compilation_mode(CompilationMode::Eager);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, &wat).unwrap();
    assert_eq!(
        module.compiled().functions[0].compiled_cheaply,
        pulley_module::CheapCompilation::SinglePassAllocation
    );
    assert!(
        module
            .compiled()
            .disassemble(None)
            .contains("single-pass register allocation")
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let memory = instance.get_memory(&mut store, "memory").unwrap();
    let mut expected: i64 = 0;
    for k in 0..u64::from(VALUES) {
        let value = (k * 7919) as i64;
        memory
            .write(&mut store, 8 * k as usize, &value.to_le_bytes())
            .unwrap();
        expected = expected.wrapping_add(value);
    }
    let sum = instance.get_func(&mut store, "sum").unwrap();
    let mut results = [Val::I64(0)];
    sum.call(&mut store, &[], &mut results).unwrap();
    assert_eq!(results[0], Val::I64(expected));
}
