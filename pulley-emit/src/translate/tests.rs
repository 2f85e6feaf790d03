//! Tests of the translator: translating with and without validation gives
//! the same CLIF, and operators of unsupported proposals are refused by name.

use cranelift_codegen::ir;
use wasmparser::WasmFeatures;

use super::{ModuleEnvironment, TranslationScratch};
use crate::vmctx::VmctxLayout;
use crate::{CompileError, Config, parse};
use pulley_module::Flavour;

/// Modules that exercise every concern module, unreachable code included.
const MODULES: &[&str] = &[
    r#"(module
        (func $fac (export "fac") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
                (then (i64.const 1))
                (else (i64.mul (local.get 0)
                    (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
        (func (param i32) (result i32)
            (block $a (block $b (block $c
                (br_table $a $b $c (local.get 0)))
                (return (i32.const 1)))
                (unreachable)
                (block (loop (br 0)))
                (if (i32.const 1) (then (drop (i32.const 2))) (else (nop))))
            (loop $l (result i32)
                (br_if $l (i32.eqz (local.get 0)))
                (i32.const 7)))
        (func (result f64)
            (f64.add (f64.convert_i32_s (i32.const -3)) (f64.const 0.5)))
        (func (param i32) (result i32)
            (return_call 1 (local.get 0))))"#,
    r#"(module
        (memory 1)
        (table 2 funcref)
        (global $g (mut i32) (i32.const 0))
        (type $t (func (param i32) (result i32)))
        (elem (i32.const 0) $id)
        (data "abc")
        (func $id (type $t) (local.get 0))
        (func (param i32) (result i32)
            (global.set $g (i32.load8_s offset=3 (local.get 0)))
            (i64.store32 (i32.const 8) (i64.extend_i32_u (global.get $g)))
            (memory.fill (i32.const 0) (i32.const 1) (i32.const 2))
            (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))
            (drop (memory.grow (memory.size)))
            (drop (table.grow (ref.null func) (i32.const 1)))
            (drop (ref.is_null (table.get (i32.const 0))))
            (call_indirect (type $t) (local.get 0) (i32.const 0))))"#,
    r#"(module
        (memory 1)
        (func (param v128 i32) (result i32)
            (v128.store (local.get 1)
                (i32x4.add (local.get 0) (v128.load32_splat (local.get 1))))
            (drop (i16x8.extmul_low_i8x16_s (local.get 0) (local.get 0)))
            (drop (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0)))
            (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
                (local.get 0) (local.get 0)))
            (i32.add (i8x16.extract_lane_u 3 (local.get 0))
                (i32x4.bitmask (local.get 0)))))"#,
];

fn features() -> WasmFeatures {
    Config::default().features
}

/// Translates every function of `wasm`, validating if `validate`; returns
/// the CLIF text of each.
fn translate_all(wasm: &[u8], config: &Config, validate: bool) -> Vec<String> {
    let parsed = parse::parse(wasm, config.features).expect("parses");
    let env = ModuleEnvironment {
        info: &parsed.info,
        layout: VmctxLayout::new(&parsed.info, config.flavour.pointer_bytes()),
        flavour: config.flavour,
        config,
    };
    let mut scratch = TranslationScratch::default();
    let first = parsed.info.imported_functions;
    (first..)
        .zip(parsed.bodies)
        .map(|(func, mut body)| {
            let mut function = ir::Function::new();
            if !validate {
                body.validator = None;
            }
            scratch
                .translate(&env, func, body, None, &mut function)
                .expect("translates");
            function.display().to_string()
        })
        .collect()
}

#[test]
fn translating_without_validation_gives_the_same_clif() {
    for (fuel, flavour) in [(false, Flavour::Pulley64), (true, Flavour::Pulley32Be)] {
        let config = Config {
            fuel,
            flavour,
            ..Config::default()
        };
        for module in MODULES {
            let wasm = wat::parse_str(module).expect("valid text");
            let validated = translate_all(&wasm, &config, true);
            let unvalidated = translate_all(&wasm, &config, false);
            assert!(!validated.is_empty());
            assert_eq!(validated, unvalidated, "{flavour:?}, fuel {fuel}: {module}");
        }
    }
}

/// Compiles `text` with `extra` features enabled and returns the error.
fn compile_error(text: &str, extra: WasmFeatures) -> CompileError {
    let wasm = wat::parse_str(text).expect("valid text");
    let config = Config {
        features: features() | extra,
        ..Config::default()
    };
    crate::compile(&wasm, &config).expect_err("refused")
}

#[test]
fn operators_of_unsupported_proposals_are_refused_by_name() {
    let error = compile_error(
        r#"(module (func (param i64 i64) (result i64 i64)
            (i64.mul_wide_s (local.get 0) (local.get 1))))"#,
        WasmFeatures::WIDE_ARITHMETIC,
    );
    assert!(
        matches!(
            error,
            CompileError::UnsupportedOperator {
                operator: "I64MulWideS",
                proposal: "wide_arithmetic",
                offset,
            } if offset > 0
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("unsupported operator I64MulWideS (from the wide_arithmetic proposal)"),
        "{error}"
    );
}

#[test]
fn operators_of_unsupported_proposals_are_refused_in_unreachable_code_too() {
    let error = compile_error(
        r#"(module (func (unreachable) (drop (ref.i31 (i32.const 0)))))"#,
        WasmFeatures::GC | WasmFeatures::FUNCTION_REFERENCES,
    );
    assert!(
        matches!(
            error,
            CompileError::UnsupportedOperator {
                operator: "RefI31",
                proposal: "gc",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn validation_rejects_operators_of_disabled_proposals_first() {
    let error = compile_error(
        r#"(module (func (param i64 i64) (result i64 i64)
            (i64.mul_wide_s (local.get 0) (local.get 1))))"#,
        WasmFeatures::empty(),
    );
    assert!(matches!(error, CompileError::Invalid { .. }), "{error:?}");
}
