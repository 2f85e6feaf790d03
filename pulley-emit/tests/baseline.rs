//! The baseline tier ([`Tier::Baseline`]): the bytecode it writes for the
//! fixtures in `tests/baseline/*.wat` (`BLESS=1` rewrites the expectations;
//! review the diff), and the functions it leaves to the optimizing tier.
//! Whether its code behaves like the optimizing tier's is tested by running
//! the spec suites and programs with it (runtime/tests/spec.rs, lazy.rs).

use std::path::Path;

use pulley_emit::{BodyValidation, CompileError, Config, Flavour, LazyModule, Tier};

#[path = "common/fixtures.rs"]
mod fixtures;

const MARKER: &str = ";; ---- expected (regenerate with BLESS=1) ----";

fn lazy(source: &str, bodies: BodyValidation) -> Result<LazyModule, CompileError> {
    let wasm = wat::parse_str(source).expect("valid text");
    let config = Config {
        flavour: Flavour::Pulley64,
        ..Config::default()
    };
    LazyModule::new(wasm, &config, bodies)
}

/// The tier that compiled each defined function of `source` when asked for
/// the baseline tier.
fn tiers(source: &str) -> Vec<Tier> {
    let module = lazy(source, BodyValidation::UpFront).unwrap();
    (0..module.info().defined_functions())
        .map(|defined| {
            module
                .compile_function(defined, Tier::Baseline)
                .unwrap()
                .tier
        })
        .collect()
}

#[test]
fn baseline_fixtures() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/baseline");
    fixtures::check_fixtures(&directory, "wat", ";;", MARKER, |source| {
        let module = lazy(source, BodyValidation::UpFront).map_err(|e| e.to_string())?;
        let mut text = String::new();
        for defined in 0..module.info().defined_functions() {
            let function = module
                .compile_function(defined, Tier::Baseline)
                .map_err(|e| e.to_string())?;
            if function.tier != Tier::Baseline {
                return Err(format!(
                    "function {defined} was not compiled by the baseline tier"
                ));
            }
            text.push_str(&format!(
                "function {defined}: {} slots, {} for parameters, {} for results\n",
                function.frame_slots, function.params, function.results
            ));
            text.push_str(&pulley_isa::disassemble(&function.code).map_err(|e| e.to_string())?);
        }
        Ok(text)
    });
}

#[test]
fn a_frame_beyond_256_slots_goes_to_the_optimizing_tier() {
    // 250 locals, and an operand stack 10 deep above them.
    let mut body = String::from("(local");
    body.push_str(&" i64".repeat(250));
    body.push(')');
    body.push_str(&"(local.get 0)".repeat(10));
    body.push_str(&"(i64.add)".repeat(9));
    let source = format!("(module (func (result i64) {body}) (func (result i32) (i32.const 1)))");
    assert_eq!(tiers(&source), [Tier::Optimizing, Tier::Baseline]);
}

#[test]
fn operators_without_a_short_translation_go_to_the_optimizing_tier() {
    let source = "(module
      (func (param v128 v128) (result v128)
        (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
      (func (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1))))";
    assert_eq!(tiers(source), [Tier::Optimizing, Tier::Baseline]);
}

#[test]
fn a_second_memory_goes_to_the_optimizing_tier_which_refuses_it() {
    let source = "(module (memory 1) (memory 1)
      (func (param i32) (result i32) (i32.load 1 (local.get 0))))";
    let wasm = wat::parse_str(source).unwrap();
    let mut config = Config {
        flavour: Flavour::Pulley64,
        ..Config::default()
    };
    config
        .features
        .insert(wasmparser::WasmFeatures::MULTI_MEMORY);
    let module = LazyModule::new(wasm, &config, BodyValidation::UpFront).unwrap();
    assert!(matches!(
        module.compile_function(0, Tier::Baseline),
        Err(CompileError::Unsupported(_))
    ));
}

#[test]
fn an_invalid_body_is_an_error_in_the_baseline_tier_too() {
    // In `Lazy` mode the body is validated when its function compiles (the
    // text format checks no types).
    let wasm = wat::parse_str("(module (func (result i32) (i64.const 1)))").unwrap();
    let config = Config {
        flavour: Flavour::Pulley64,
        ..Config::default()
    };
    assert!(LazyModule::new(wasm.clone(), &config, BodyValidation::UpFront).is_err());
    let module = LazyModule::new(wasm, &config, BodyValidation::WhenCompiled).unwrap();
    assert!(matches!(
        module.compile_function(0, Tier::Baseline),
        Err(CompileError::Invalid { .. })
    ));
}

#[test]
fn a_long_memory_index_is_malformed_in_the_baseline_tier_too() {
    // `memory.size` with its memory index as the two bytes `80 00`: 2.0
    // requires one zero byte. Validating the body (the `Lazy` mode does it
    // on the way to the baseline tier) refuses it.
    let wasm: Vec<u8> = [
        &b"\0asm\x01\0\0\0"[..],
        b"\x01\x04\x01\x60\x00\x00",                 // type: [] -> []
        b"\x03\x02\x01\x00",                         // function 0 of type 0
        b"\x05\x03\x01\x00\x00",                     // memory 0
        b"\x0a\x08\x01\x06\x00\x3f\x80\x00\x1a\x0b", // memory.size 80 00, drop
    ]
    .concat();
    let config = Config {
        flavour: Flavour::Pulley64,
        ..Config::default()
    };
    let module = LazyModule::new(wasm, &config, BodyValidation::WhenCompiled).unwrap();
    let error = module.compile_function(0, Tier::Baseline).unwrap_err();
    assert!(error.to_string().contains("zero byte expected"), "{error}");
}
