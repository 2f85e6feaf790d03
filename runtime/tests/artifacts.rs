//! Precompiled artifacts: round trips, headers that name what differs, and
//! corruption: every single-byte flip and every truncation of real artifacts
//! gives an error or a correct run, and corrupt payloads with valid checksums
//! never crash the loader, the verifier or the runtime.

use pulley::{CompilationMode, Config, Engine, Error, Instance, Linker, Module, Store, Val};

const MIX: &str = include_str!("programs/mix.wat");

/// An engine that compiles modules whole, so that their bytecode can be
/// inspected and edited (`Module::compiled`).
fn engine(fuel: bool) -> Engine {
    let mut config = Config::new();
    config
        .consume_fuel(fuel)
        .compilation_mode(CompilationMode::Eager);
    Engine::new(&config)
}

fn instantiate(engine: &Engine, module: &Module) -> pulley::Result<(Store<Vec<i32>>, Instance)> {
    let mut linker = Linker::new(engine);
    linker.func_wrap(
        "host",
        "record",
        |mut caller: pulley::Caller<'_, Vec<i32>>, value: i32| {
            caller.data_mut().push(value);
        },
    )?;
    let mut store = Store::new(engine, Vec::new());
    if engine.config().get_consume_fuel() {
        store.set_fuel(1_000_000)?;
    }
    let instance = linker.instantiate(&mut store, module)?;
    Ok((store, instance))
}

/// Calls every export of the `mix` program; each outcome as text.
fn run_mix(store: &mut Store<Vec<i32>>, instance: Instance) -> Vec<String> {
    let mut outcomes = Vec::new();
    let mut call = |name: &str, args: &[Val]| {
        let outcome = match instance.get_func(&*store, name) {
            None => "missing".to_string(),
            Some(func) => {
                let ty = func.ty(&*store);
                let mut results: Vec<Val> =
                    ty.results.iter().map(|&t| Val::default_for(t)).collect();
                match func.call(&mut *store, args, &mut results) {
                    Ok(()) => format!("{results:?}"),
                    Err(error) => format!("error: {error}"),
                }
            }
        };
        outcomes.push(format!("{name}{args:?} = {outcome}"));
    };
    for op in 0..5 {
        call(
            "apply",
            &[
                Val::I32(op),
                Val::I32(84),
                Val::I32(if op == 3 { 0 } else { 2 }),
            ],
        );
    }
    call("sort", &[]);
    call("random", &[Val::I32(100)]);
    for x in [0, 1, 2, 3, 7, -1] {
        call("classify", &[Val::I32(x)]);
    }
    call("calls", &[]);
    outcomes.push(format!("recorded {:?}", store.data()));
    outcomes
}

fn reference_outcomes(engine: &Engine) -> (Module, Vec<String>) {
    let module = Module::new(engine, MIX).unwrap();
    let (mut store, instance) = instantiate(engine, &module).unwrap();
    let outcomes = run_mix(&mut store, instance);
    (module, outcomes)
}

#[test]
fn serialized_modules_run_like_compiled_ones() {
    let engine = engine(false);
    let (module, expected) = reference_outcomes(&engine);
    assert!(
        expected
            .iter()
            .any(|o| o.contains("integer divide by zero")),
        "{expected:?}"
    );
    assert!(
        expected
            .iter()
            .any(|o| o.contains("undefined") || o.contains("out of bounds table")),
        "{expected:?}"
    );
    let bytes = module.serialize().unwrap();
    let loaded = Module::deserialize(&engine, &bytes).unwrap();
    let (mut store, instance) = instantiate(&engine, &loaded).unwrap();
    assert_eq!(run_mix(&mut store, instance), expected);
    // The name section's function names travel in the artifact.
    let names = |module: &Module| -> Vec<Option<String>> {
        (0..64)
            .map(|f| module.function_name(f).map(Into::into))
            .collect()
    };
    assert!(names(&module).iter().flatten().any(|name| name == "add"));
    assert_eq!(names(&loaded), names(&module));
    // `Module::new` recognizes artifacts too.
    let loaded = Module::new(&engine, &bytes).unwrap();
    assert_eq!(loaded.compiled(), module.compiled());
}

fn expect_error(bytes: &[u8], engine: &Engine, expected: &str) {
    match Module::deserialize(engine, bytes) {
        Ok(_) => panic!("accepted an artifact that should fail with {expected:?}"),
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains(expected),
                "{message:?} does not mention {expected:?}"
            );
        }
    }
}

#[test]
fn rejections_name_what_differs() {
    let engine = engine(false);
    let (module, _) = reference_outcomes(&engine);
    let bytes = module.serialize().unwrap();

    expect_error(b"\0asm\x01\0\0\0", &engine, "wrong magic");
    expect_error(&bytes[..20], &engine, "truncated");
    let mut version = bytes.clone();
    version[8] = 99;
    pulley_module::reseal(&mut version);
    expect_error(&version, &engine, "format version 99");
    let mut isa = bytes.clone();
    isa[12] ^= 1;
    pulley_module::reseal(&mut isa);
    expect_error(&isa, &engine, "opcode table");
    let mut flavour = bytes.clone();
    let other = pulley::Flavour::ALL
        .into_iter()
        .find(|&f| f != pulley::Flavour::host())
        .unwrap();
    flavour[20] = other.code();
    pulley_module::reseal(&mut flavour);
    expect_error(
        &flavour,
        &engine,
        &format!("compiled for {other}, but this host is"),
    );
    expect_error(&bytes, &self::engine(true), "compiled without fuel");
    let mut corrupt = bytes.clone();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0x40;
    expect_error(&corrupt, &engine, "checksum");
    let mut longer = bytes.clone();
    longer.push(0);
    expect_error(&longer, &engine, "unexpected bytes after");
}

#[test]
fn artifacts_for_another_flavour_compile_but_do_not_run_here() {
    let other = pulley::Flavour::ALL
        .into_iter()
        .find(|&f| f != pulley::Flavour::host())
        .unwrap();
    let mut config = Config::new();
    config.target(other);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, MIX).unwrap();
    assert_eq!(module.flavour(), other);
    let error = instantiate(&engine, &module).err().unwrap();
    assert!(matches!(error, Error::Incompatible(_)), "{error}");
    let error = Module::deserialize(&engine, &module.serialize().unwrap()).unwrap_err();
    assert!(error.to_string().contains(other.name()), "{error}");
}

/// Every single-byte flip (two ways) and every truncation.
fn check_every_corruption(
    bytes: &[u8],
    engine: &Engine,
    expected: Option<&[String]>,
    step: usize,
) -> usize {
    let mut accepted = 0;
    let mut check = |corrupt: &[u8]| {
        if let Ok(module) = Module::deserialize(engine, corrupt) {
            accepted += 1;
            if let Some(expected) = expected {
                let (mut store, instance) = instantiate(engine, &module).unwrap();
                assert_eq!(
                    run_mix(&mut store, instance),
                    expected,
                    "a corrupt artifact ran differently"
                );
            }
        }
    };
    for position in (0..bytes.len()).step_by(step) {
        for mask in [0x01, 0xff] {
            let mut corrupt = bytes.to_vec();
            corrupt[position] ^= mask;
            check(&corrupt);
        }
        check(&bytes[..position]);
    }
    accepted
}

#[test]
fn every_byte_flip_and_truncation_is_rejected_or_runs_correctly() {
    let engine = engine(false);
    let (module, expected) = reference_outcomes(&engine);
    let bytes = module.serialize().unwrap();
    let accepted = check_every_corruption(&bytes, &engine, Some(&expected), 1);
    // The checksum catches every single-byte change.
    assert_eq!(accepted, 0);
}

#[test]
fn large_real_artifacts_sampled() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/bench-wasm/sightglass/shootout-gimli/shootout-gimli.wasm");
    let Ok(wasm) = std::fs::read(&path) else {
        eprintln!("skipped: {} is not present", path.display());
        return;
    };
    let engine = engine(false);
    let bytes = Module::new(&engine, &wasm).unwrap().serialize().unwrap();
    let step = (bytes.len() / 2000).max(1);
    assert_eq!(check_every_corruption(&bytes, &engine, None, step), 0);
}

#[test]
fn corrupt_payloads_with_valid_checksums_never_crash() {
    // With fuel, any accepted artifact's run is bounded.
    let engine = engine(true);
    let module = Module::new(&engine, MIX).unwrap();
    let original = module.compiled().clone();
    let bytes = module.serialize().unwrap();
    let (mut rejected, mut ran, mut changed_code) = (0, 0, 0);
    for position in 41..bytes.len() {
        for mask in [0x01, 0x80, 0xff] {
            let mut corrupt = bytes.clone();
            corrupt[position] ^= mask;
            pulley_module::reseal(&mut corrupt);
            let Ok(module) = Module::deserialize(&engine, &corrupt) else {
                rejected += 1;
                continue;
            };
            let Ok((mut store, instance)) = instantiate(&engine, &module) else {
                rejected += 1;
                continue;
            };
            // The verifier proved that accepted code charges fuel, so even
            // changed bytecode runs for a bounded time.
            run_mix(&mut store, instance);
            ran += 1;
            changed_code += usize::from(module.compiled().code != original.code);
        }
    }
    assert!(
        rejected > 0 && ran > 0 && changed_code > 0,
        "rejected {rejected}, ran {ran} ({changed_code} with changed code)"
    );
}

#[test]
fn bytecode_that_fails_the_verifier_is_rejected() {
    let engine = engine(false);
    let module = Module::new(&engine, MIX).unwrap();
    let mut compiled = module.compiled().clone();
    // Point the first function's code end into the middle of its last op.
    compiled.functions[0].code_end -= 1;
    let header = pulley_module::ArtifactHeader {
        isa_hash: pulley_isa::ISA_HASH,
        flavour: pulley::Flavour::host(),
        features: pulley_module::CodeFeatures::default(),
    };
    let bytes = pulley_module::encode(&compiled, &header);
    let error = Module::deserialize(&engine, &bytes).unwrap_err();
    assert!(matches!(error, Error::Verify(_)), "{error}");

    // An invalid opcode inside a function.
    let mut compiled = module.compiled().clone();
    let start = compiled.functions[1].code_start as usize;
    compiled.code[start] = 0xfe;
    let error =
        Module::deserialize(&engine, &pulley_module::encode(&compiled, &header)).unwrap_err();
    assert!(error.to_string().contains("invalid opcode"), "{error}");

    // An export naming a function that does not exist.
    let mut compiled = module.compiled().clone();
    std::sync::Arc::make_mut(&mut compiled.info).exports[0].kind =
        pulley_module::ExportKind::Func(999);
    let error =
        Module::deserialize(&engine, &pulley_module::encode(&compiled, &header)).unwrap_err();
    assert!(error.to_string().contains("inconsistent"), "{error}");
}

/// In the lazy modes (the default), loading checks the function table and
/// code ranges; each function's code is verified at its first call, where a
/// forged one is refused without running. The rest of the module runs.
#[test]
fn lazy_engines_verify_each_function_at_its_first_call() {
    let module = Module::new(&engine(false), MIX).unwrap();
    let lazy = Engine::default();
    // The same artifact runs the same, verified function by function.
    let bytes = module.serialize().unwrap();
    let loaded = Module::deserialize(&lazy, &bytes).unwrap();
    let (_, expected) = reference_outcomes(&engine(false));
    let (mut store, instance) = instantiate(&lazy, &loaded).unwrap();
    assert_eq!(run_mix(&mut store, instance), expected);

    // An invalid opcode at the start of the function `sort` exports.
    let mut compiled = module.compiled();
    let sort = compiled
        .info
        .exports
        .iter()
        .find_map(|export| match export.kind {
            pulley_module::ExportKind::Func(f) if export.name == "sort" => Some(f),
            _ => None,
        })
        .unwrap();
    let defined = (sort - compiled.info.imported_functions) as usize;
    let start = compiled.functions[defined].code_start as usize;
    compiled.code[start] = 0xfe;
    let header = pulley_module::ArtifactHeader {
        isa_hash: pulley_isa::ISA_HASH,
        flavour: pulley::Flavour::host(),
        features: pulley_module::CodeFeatures::default(),
    };
    let forged = pulley_module::encode(&compiled, &header);
    assert!(Module::deserialize(&engine(false), &forged).is_err());
    let loaded = Module::deserialize(&lazy, &forged).unwrap();
    let (mut store, instance) = instantiate(&lazy, &loaded).unwrap();
    let outcomes = run_mix(&mut store, instance);
    for (outcome, expected) in outcomes.iter().zip(&expected) {
        if outcome.starts_with("sort") {
            assert!(outcome.contains("invalid opcode"), "{outcome}");
        } else if outcome.starts_with("recorded") {
            // `sort` records what it sorted: it never ran.
            assert_eq!(outcome, "recorded []");
        } else {
            assert_eq!(outcome, expected);
        }
    }

    // A code range outside the code is refused when loading.
    let mut compiled = module.compiled();
    compiled.functions[0].code_end = compiled.code.len() as u32 + 1;
    let error = Module::deserialize(&lazy, &pulley_module::encode(&compiled, &header)).unwrap_err();
    assert!(matches!(error, Error::Verify(_)), "{error}");
}

/// `Module::deserialize_static` runs the bytecode inside the caller's
/// buffer: nothing is copied.
#[test]
fn static_artifacts_run_in_place() {
    for eager in [false, true] {
        let compiling = engine(false);
        let module = Module::new(&compiling, MIX).unwrap();
        let bytes: &'static [u8] = Box::leak(module.serialize().unwrap().into_boxed_slice());
        let loading = if eager { compiling } else { Engine::default() };
        let loaded = Module::deserialize_static(&loading, bytes).unwrap();
        let code = loaded.bytecode();
        assert!(!code.is_empty());
        assert!(bytes.as_ptr_range().contains(&code.as_ptr()));
        assert!(code.as_ptr_range().end <= bytes.as_ptr_range().end);
        let (_, expected) = reference_outcomes(&engine(false));
        let (mut store, instance) = instantiate(&loading, &loaded).unwrap();
        assert_eq!(run_mix(&mut store, instance), expected);
        assert_eq!(loaded.serialize().unwrap(), bytes);
    }
}
