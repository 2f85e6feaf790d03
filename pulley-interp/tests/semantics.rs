//! Every computational op against a plain-Rust reference, by proptest, with
//! float edge cases (NaN payloads, signed zeros, infinities, the exact bounds
//! of float-to-int conversion) and shift counts beyond the width.

mod common;

use common::{FunctionBuilder, TestEnv, program};
use proptest::prelude::*;
use pulley_interp::{EnvironmentShape, Exit, Interpreter};
use pulley_isa::{OwnedOp, Slot, TrapCode};

/// Builds a `dst = op(a, b)` op.
type MakeBinary = fn(Slot, Slot, Slot) -> OwnedOp;
/// Builds a compare-and-branch op.
type MakeBranch = fn(Slot, Slot, pulley_isa::PcRel) -> OwnedOp;
/// Builds a compare-with-immediate-and-branch op.
type MakeImmediateBranch = fn(Slot, i32, pulley_isa::PcRel) -> OwnedOp;
/// Builds a `dst = op(a, imm)` op.
type MakeImmediate = fn(Slot, Slot, i32) -> OwnedOp;

/// Builds a branch on one slot.
type MakeTest = fn(Slot, pulley_isa::PcRel) -> OwnedOp;
/// Builds a load `dst = memory[addr + offset]`.
type MakeLoad = fn(Slot, Slot, u32) -> OwnedOp;
/// Builds a store `memory[addr + offset] = src`.
type MakeStore = fn(Slot, u32, Slot) -> OwnedOp;

/// What an op computes: a 64-bit slot value (compared under `mask`), or a trap.
type Outcome = Result<u64, TrapCode>;

const LOW32: u64 = 0xffff_ffff;
const ALL64: u64 = u64::MAX;

/// Runs `op` (reading r0, r1, r2, writing r3) on `args` and returns the
/// outcome.
fn execute(op: OwnedOp, args: [u64; 3]) -> Outcome {
    let mut f = FunctionBuilder::new(4, 3, 1);
    f.op(op).op(OwnedOp::Ret {
        values: vec![Slot(3)],
    });
    let p = program(&[&f], EnvironmentShape::default());
    let mut interpreter = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    match common::run(&mut interpreter, &p, &mut env, 0, &args) {
        (Exit::Returned, results) => Ok(results[0]),
        (Exit::Trap(code), _) => Err(code),
        (exit, _) => panic!("unexpected exit {exit:?}"),
    }
}

/// Compares an outcome with the reference; float results that are NaN in the
/// reference only need to be a NaN (of the right width) with the quiet bit
/// set when `quiet_nan` says the inputs allow no other result.
fn check(actual: Outcome, expected: Outcome, mask: u64) -> Result<(), TestCaseError> {
    match (actual, expected) {
        (Ok(a), Ok(e)) => prop_assert_eq!(a & mask, e & mask, "{:#x} vs {:#x}", a & mask, e & mask),
        (a, e) => prop_assert_eq!(a, e),
    }
    Ok(())
}

fn check_f32(actual: Outcome, expected: f32) -> Result<(), TestCaseError> {
    let bits = actual.map_err(|code| TestCaseError::fail(format!("trapped: {code:?}")))? as u32;
    if expected.is_nan() {
        let value = f32::from_bits(bits);
        prop_assert!(value.is_nan(), "expected NaN, got {value:?} ({bits:#x})");
        prop_assert!(bits & 0x0040_0000 != 0, "NaN {bits:#x} is not quiet");
    } else {
        prop_assert_eq!(
            bits,
            expected.to_bits(),
            "{} vs {}",
            f32::from_bits(bits),
            expected
        );
    }
    Ok(())
}

fn check_f64(actual: Outcome, expected: f64) -> Result<(), TestCaseError> {
    let bits = actual.map_err(|code| TestCaseError::fail(format!("trapped: {code:?}")))?;
    if expected.is_nan() {
        let value = f64::from_bits(bits);
        prop_assert!(value.is_nan(), "expected NaN, got {value:?} ({bits:#x})");
        prop_assert!(
            bits & 0x0008_0000_0000_0000 != 0,
            "NaN {bits:#x} is not quiet"
        );
    } else {
        prop_assert_eq!(
            bits,
            expected.to_bits(),
            "{} vs {}",
            f64::from_bits(bits),
            expected
        );
    }
    Ok(())
}

/// Interesting f32 values, mixed with arbitrary bit patterns.
fn any_f32() -> impl Strategy<Value = f32> {
    let special = prop::sample::select(vec![
        0.0f32,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7fa0_0001),
        f32::from_bits(0xff80_0001),
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        -f32::from_bits(1),
        f32::MAX,
        f32::MIN,
        2147483648.0,
        -2147483648.0,
        2147483520.0,
        -2147483904.0,
        4294967296.0,
        4294967040.0,
        9223372036854775808.0,
        -9223372036854775808.0,
        9223371487098961920.0,
        18446744073709551616.0,
        18446742974197923840.0,
        -0.9999999,
        0.9999999,
        8388608.5,
    ]);
    prop_oneof![
        special,
        any::<u32>().prop_map(f32::from_bits),
        -1.0e10f32..1.0e10
    ]
}

/// Interesting f64 values, mixed with arbitrary bit patterns.
fn any_f64() -> impl Strategy<Value = f64> {
    let special = prop::sample::select(vec![
        0.0f64,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff4_0000_0000_0001),
        f64::from_bits(0xfff0_0000_0000_0001),
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::MAX,
        f64::MIN,
        2147483648.0,
        -2147483648.0,
        2147483647.0,
        2147483647.9,
        -2147483648.9,
        -2147483649.0,
        4294967296.0,
        4294967295.9,
        4294967295.0,
        -0.9999999999,
        9223372036854775808.0,
        -9223372036854775808.0,
        9223372036854774784.0,
        -9223372036854777856.0,
        18446744073709551616.0,
        18446744073709549568.0,
        4503599627370496.5,
        4503599627370497.0,
    ]);
    prop_oneof![
        special,
        any::<u64>().prop_map(f64::from_bits),
        -1.0e20f64..1.0e20
    ]
}

/// Shift counts and operands: small, near the widths, and arbitrary.
fn any_int() -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(vec![
            0u64,
            1,
            31,
            32,
            33,
            63,
            64,
            65,
            0x8000_0000,
            0xffff_ffff,
            0x7fff_ffff,
            i64::MIN as u64,
            i64::MAX as u64,
            u64::MAX,
            0xffff_ffff_8000_0000,
            0x1_0000_0000
        ]),
        any::<u64>(),
        any::<u8>().prop_map(u64::from),
    ]
}

fn r(i: u16) -> Slot {
    Slot(i)
}

fn binary(make: MakeBinary, a: u64, b: u64) -> Outcome {
    execute(make(r(3), r(0), r(1)), [a, b, 0])
}

fn unary(make: fn(Slot, Slot) -> OwnedOp, a: u64) -> Outcome {
    execute(make(r(3), r(0)), [a, 0, 0])
}

// --- Integer references, written independently of the implementation. ---

// The references spell rotations out on purpose, to be independent of the
// implementation's `rotate_left`.
#[allow(clippy::manual_rotate)]
fn reference_shift32(kind: &str, a: u32, b: u64) -> u32 {
    let k = (b % 32) as u32;
    match kind {
        "shl" => ((u64::from(a) << k) & 0xffff_ffff) as u32,
        "shr_u" => a >> k,
        "shr_s" => ((a as i32 as i64) >> k) as u32,
        "rotl" => {
            if k == 0 {
                a
            } else {
                (a << k) | (a >> (32 - k))
            }
        }
        "rotr" => {
            if k == 0 {
                a
            } else {
                (a >> k) | (a << (32 - k))
            }
        }
        _ => unreachable!(),
    }
}

#[allow(clippy::manual_rotate)]
fn reference_shift64(kind: &str, a: u64, b: u64) -> u64 {
    let k = (b % 64) as u32;
    match kind {
        "shl" => ((u128::from(a) << k) & u128::from(u64::MAX)) as u64,
        "shr_u" => a >> k,
        "shr_s" => ((a as i64 as i128) >> k) as u64,
        "rotl" => {
            if k == 0 {
                a
            } else {
                (a << k) | (a >> (64 - k))
            }
        }
        "rotr" => {
            if k == 0 {
                a
            } else {
                (a >> k) | (a << (64 - k))
            }
        }
        _ => unreachable!(),
    }
}

fn reference_division(signed: bool, width: u32, a: u64, b: u64, remainder: bool) -> Outcome {
    let (a, b): (i128, i128) = match (signed, width) {
        (true, 32) => (i128::from(a as u32 as i32), i128::from(b as u32 as i32)),
        (false, 32) => (i128::from(a as u32), i128::from(b as u32)),
        (true, _) => (i128::from(a as i64), i128::from(b as i64)),
        (false, _) => (i128::from(a), i128::from(b)),
    };
    if b == 0 {
        return Err(TrapCode::IntegerDivisionByZero);
    }
    let quotient = a / b;
    let limit = if signed {
        1i128 << (width - 1)
    } else {
        1i128 << width
    };
    if !remainder && signed && quotient >= limit {
        return Err(TrapCode::IntegerOverflow);
    }
    Ok((if remainder { a % b } else { quotient }) as u64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn integer_arithmetic(a in any_int(), b in any_int()) {
        let (a32, b32) = (a as u32, b as u32);
        check(binary(|dst, a, b| OwnedOp::Xadd32 { dst, a, b }, a, b), Ok(u64::from(a32.wrapping_add(b32))), LOW32)?;
        check(binary(|dst, a, b| OwnedOp::Xsub32 { dst, a, b }, a, b), Ok(u64::from(a32.wrapping_sub(b32))), LOW32)?;
        check(binary(|dst, a, b| OwnedOp::Xmul32 { dst, a, b }, a, b), Ok((u64::from(a32) * u64::from(b32)) & LOW32), LOW32)?;
        check(binary(|dst, a, b| OwnedOp::Xband32 { dst, a, b }, a, b), Ok(a & b), LOW32)?;
        check(binary(|dst, a, b| OwnedOp::Xbor32 { dst, a, b }, a, b), Ok(a | b), LOW32)?;
        check(binary(|dst, a, b| OwnedOp::Xbxor32 { dst, a, b }, a, b), Ok(a ^ b), LOW32)?;
        check(binary(|dst, a, b| OwnedOp::Xadd64 { dst, a, b }, a, b), Ok(a.wrapping_add(b)), ALL64)?;
        check(binary(|dst, a, b| OwnedOp::Xsub64 { dst, a, b }, a, b), Ok(a.wrapping_sub(b)), ALL64)?;
        check(binary(|dst, a, b| OwnedOp::Xmul64 { dst, a, b }, a, b), Ok((u128::from(a) * u128::from(b)) as u64), ALL64)?;
        check(binary(|dst, a, b| OwnedOp::Xband64 { dst, a, b }, a, b), Ok(a & b), ALL64)?;
        check(binary(|dst, a, b| OwnedOp::Xbor64 { dst, a, b }, a, b), Ok(a | b), ALL64)?;
        check(binary(|dst, a, b| OwnedOp::Xbxor64 { dst, a, b }, a, b), Ok(a ^ b), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xneg32 { dst, src }, a), Ok(u64::from(0u32.wrapping_sub(a32))), LOW32)?;
        check(unary(|dst, src| OwnedOp::Xneg64 { dst, src }, a), Ok(0u64.wrapping_sub(a)), ALL64)?;
    }

    #[test]
    fn shifts_and_rotates_mask_the_count(a in any_int(), b in any_int()) {
        let ops32: [(&str, MakeBinary); 5] = [
            ("shl", |dst, a, b| OwnedOp::Xshl32 { dst, a, b }),
            ("shr_u", |dst, a, b| OwnedOp::Xshr32U { dst, a, b }),
            ("shr_s", |dst, a, b| OwnedOp::Xshr32S { dst, a, b }),
            ("rotl", |dst, a, b| OwnedOp::Xrotl32 { dst, a, b }),
            ("rotr", |dst, a, b| OwnedOp::Xrotr32 { dst, a, b }),
        ];
        for (kind, make) in ops32 {
            check(binary(make, a, b), Ok(u64::from(reference_shift32(kind, a as u32, b))), LOW32)?;
        }
        let ops64: [(&str, MakeBinary); 5] = [
            ("shl", |dst, a, b| OwnedOp::Xshl64 { dst, a, b }),
            ("shr_u", |dst, a, b| OwnedOp::Xshr64U { dst, a, b }),
            ("shr_s", |dst, a, b| OwnedOp::Xshr64S { dst, a, b }),
            ("rotl", |dst, a, b| OwnedOp::Xrotl64 { dst, a, b }),
            ("rotr", |dst, a, b| OwnedOp::Xrotr64 { dst, a, b }),
        ];
        for (kind, make) in ops64 {
            check(binary(make, a, b), Ok(reference_shift64(kind, a, b)), ALL64)?;
        }
        let k = b as u8;
        check(execute(OwnedOp::Xshl32Imm { dst: r(3), a: r(0), b: k }, [a, 0, 0]), Ok(u64::from(reference_shift32("shl", a as u32, u64::from(k)))), LOW32)?;
        check(execute(OwnedOp::Xshr32SImm { dst: r(3), a: r(0), b: k }, [a, 0, 0]), Ok(u64::from(reference_shift32("shr_s", a as u32, u64::from(k)))), LOW32)?;
        check(execute(OwnedOp::Xshr32UImm { dst: r(3), a: r(0), b: k }, [a, 0, 0]), Ok(u64::from(reference_shift32("shr_u", a as u32, u64::from(k)))), LOW32)?;
        check(execute(OwnedOp::Xshl64Imm { dst: r(3), a: r(0), b: k }, [a, 0, 0]), Ok(reference_shift64("shl", a, u64::from(k))), ALL64)?;
        check(execute(OwnedOp::Xshr64SImm { dst: r(3), a: r(0), b: k }, [a, 0, 0]), Ok(reference_shift64("shr_s", a, u64::from(k))), ALL64)?;
        check(execute(OwnedOp::Xshr64UImm { dst: r(3), a: r(0), b: k }, [a, 0, 0]), Ok(reference_shift64("shr_u", a, u64::from(k))), ALL64)?;
    }

    #[test]
    fn division_and_remainder(a in any_int(), b in prop_oneof![any_int(), Just(0u64), Just(u64::MAX), Just(0xffff_ffff)]) {
        let ops: [(MakeBinary, bool, u32, bool); 8] = [
            (|dst, a, b| OwnedOp::Xdiv32S { dst, a, b }, true, 32, false),
            (|dst, a, b| OwnedOp::Xdiv32U { dst, a, b }, false, 32, false),
            (|dst, a, b| OwnedOp::Xrem32S { dst, a, b }, true, 32, true),
            (|dst, a, b| OwnedOp::Xrem32U { dst, a, b }, false, 32, true),
            (|dst, a, b| OwnedOp::Xdiv64S { dst, a, b }, true, 64, false),
            (|dst, a, b| OwnedOp::Xdiv64U { dst, a, b }, false, 64, false),
            (|dst, a, b| OwnedOp::Xrem64S { dst, a, b }, true, 64, true),
            (|dst, a, b| OwnedOp::Xrem64U { dst, a, b }, false, 64, true),
        ];
        for (make, signed, width, remainder) in ops {
            let mask = if width == 32 { LOW32 } else { ALL64 };
            check(binary(make, a, b), reference_division(signed, width, a, b, remainder), mask)?;
        }
    }

    #[test]
    fn bit_counts_extends_and_select(a in any_int(), b in any_int(), c in any_int()) {
        let a32 = a as u32;
        let count = |bits: u64, width: u32, f: &dyn Fn(u64) -> bool| (0..width).filter(|&i| f(bits >> i)).count() as u64;
        let leading32 = (0..32).take_while(|i| a32 & (0x8000_0000 >> i) == 0).count() as u64;
        let trailing32 = (0..32).take_while(|i| a32 & (1 << i) == 0).count() as u64;
        let leading64 = (0..64).take_while(|i| a & (1u64 << 63 >> i) == 0).count() as u64;
        let trailing64 = (0..64).take_while(|i| a & (1u64 << i) == 0).count() as u64;
        check(unary(|dst, src| OwnedOp::Xclz32 { dst, src }, a), Ok(leading32), LOW32)?;
        check(unary(|dst, src| OwnedOp::Xctz32 { dst, src }, a), Ok(trailing32), LOW32)?;
        check(unary(|dst, src| OwnedOp::Xpopcnt32 { dst, src }, a), Ok(count(a, 32, &|x| x & 1 == 1)), LOW32)?;
        check(unary(|dst, src| OwnedOp::Xclz64 { dst, src }, a), Ok(leading64), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xctz64 { dst, src }, a), Ok(trailing64), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xpopcnt64 { dst, src }, a), Ok(count(a, 64, &|x| x & 1 == 1)), ALL64)?;
        let sign_extend = |bits: u32| -> u64 { let shift = 64 - bits; ((a << shift) as i64 >> shift) as u64 };
        let zero_extend = |bits: u32| -> u64 { a & (u64::MAX >> (64 - bits)) };
        check(unary(|dst, src| OwnedOp::Xsext8 { dst, src }, a), Ok(sign_extend(8)), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xsext16 { dst, src }, a), Ok(sign_extend(16)), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xsext32 { dst, src }, a), Ok(sign_extend(32)), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xzext8 { dst, src }, a), Ok(zero_extend(8)), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xzext16 { dst, src }, a), Ok(zero_extend(16)), ALL64)?;
        check(unary(|dst, src| OwnedOp::Xzext32 { dst, src }, a), Ok(zero_extend(32)), ALL64)?;
        let select32 = execute(OwnedOp::Xselect32 { dst: r(3), cond: r(0), if_true: r(1), if_false: r(2) }, [a, b, c]);
        check(select32, Ok(if a as u32 != 0 { b } else { c }), ALL64)?;
        let select64 = execute(OwnedOp::Xselect64 { dst: r(3), cond: r(0), if_true: r(1), if_false: r(2) }, [a, b, c]);
        check(select64, Ok(if a != 0 { b } else { c }), ALL64)?;
        check(execute(OwnedOp::Mov { dst: r(3), src: r(0) }, [a, 0, 0]), Ok(a), ALL64)?;
    }

    #[test]
    fn immediate_arithmetic(a in any_int(), imm in any::<i32>()) {
        let a32 = a as u32;
        let i32u = imm as u32;
        let i64u = imm as i64 as u64;
        let ops: [(OwnedOp, u64, u64); 10] = [
            (OwnedOp::Xadd32Imm { dst: r(3), a: r(0), b: imm }, u64::from(a32.wrapping_add(i32u)), LOW32),
            (OwnedOp::Xmul32Imm { dst: r(3), a: r(0), b: imm }, u64::from(a32.wrapping_mul(i32u)), LOW32),
            (OwnedOp::Xband32Imm { dst: r(3), a: r(0), b: imm }, u64::from(a32 & i32u), LOW32),
            (OwnedOp::Xbor32Imm { dst: r(3), a: r(0), b: imm }, u64::from(a32 | i32u), LOW32),
            (OwnedOp::Xbxor32Imm { dst: r(3), a: r(0), b: imm }, u64::from(a32 ^ i32u), LOW32),
            (OwnedOp::Xadd64Imm { dst: r(3), a: r(0), b: imm }, a.wrapping_add(i64u), ALL64),
            (OwnedOp::Xmul64Imm { dst: r(3), a: r(0), b: imm }, a.wrapping_mul(i64u), ALL64),
            (OwnedOp::Xband64Imm { dst: r(3), a: r(0), b: imm }, a & i64u, ALL64),
            (OwnedOp::Xbor64Imm { dst: r(3), a: r(0), b: imm }, a | i64u, ALL64),
            (OwnedOp::Xbxor64Imm { dst: r(3), a: r(0), b: imm }, a ^ i64u, ALL64),
        ];
        for (op, expected, mask) in ops {
            check(execute(op, [a, 0, 0]), Ok(expected), mask)?;
        }
        check(execute(OwnedOp::Xconst32 { dst: r(3), imm }, [0; 3]), Ok(i64u), ALL64)?;
        check(execute(OwnedOp::Xconst8 { dst: r(3), imm: imm as i8 }, [0; 3]), Ok(imm as i8 as i64 as u64), ALL64)?;
        check(execute(OwnedOp::Xconst64 { dst: r(3), imm: a as i64 }, [0; 3]), Ok(a), ALL64)?;
    }

    #[test]
    fn comparisons_and_branches(a in any_int(), b in any_int(), imm in prop_oneof![any::<i32>(), -2i32..2]) {
        // Use `b` as the register operand and `imm` for immediate forms; make
        // equal operands likely.
        let b = if imm & 3 == 0 { a } else { b };
        let (a32, b32, a64, b64) = (a as u32, b as u32, a, b);
        let (s32a, s32b, s64a, s64b) = (a32 as i32, b32 as i32, a64 as i64, b64 as i64);
        let registers: [(MakeBinary, bool); 12] = [
            (|dst, a, b| OwnedOp::Xeq32 { dst, a, b }, a32 == b32),
            (|dst, a, b| OwnedOp::Xne32 { dst, a, b }, a32 != b32),
            (|dst, a, b| OwnedOp::Xslt32 { dst, a, b }, s32a < s32b),
            (|dst, a, b| OwnedOp::Xsle32 { dst, a, b }, s32a <= s32b),
            (|dst, a, b| OwnedOp::Xult32 { dst, a, b }, a32 < b32),
            (|dst, a, b| OwnedOp::Xule32 { dst, a, b }, a32 <= b32),
            (|dst, a, b| OwnedOp::Xeq64 { dst, a, b }, a64 == b64),
            (|dst, a, b| OwnedOp::Xne64 { dst, a, b }, a64 != b64),
            (|dst, a, b| OwnedOp::Xslt64 { dst, a, b }, s64a < s64b),
            (|dst, a, b| OwnedOp::Xsle64 { dst, a, b }, s64a <= s64b),
            (|dst, a, b| OwnedOp::Xult64 { dst, a, b }, a64 < b64),
            (|dst, a, b| OwnedOp::Xule64 { dst, a, b }, a64 <= b64),
        ];
        for (make, expected) in registers {
            check(binary(make, a, b), Ok(u64::from(expected)), ALL64)?;
        }
        let branches: [(MakeBranch, bool); 12] = [
            (|a, b, target| OwnedOp::BrIfXeq32 { a, b, target }, a32 == b32),
            (|a, b, target| OwnedOp::BrIfXne32 { a, b, target }, a32 != b32),
            (|a, b, target| OwnedOp::BrIfXslt32 { a, b, target }, s32a < s32b),
            (|a, b, target| OwnedOp::BrIfXsle32 { a, b, target }, s32a <= s32b),
            (|a, b, target| OwnedOp::BrIfXult32 { a, b, target }, a32 < b32),
            (|a, b, target| OwnedOp::BrIfXule32 { a, b, target }, a32 <= b32),
            (|a, b, target| OwnedOp::BrIfXeq64 { a, b, target }, a64 == b64),
            (|a, b, target| OwnedOp::BrIfXne64 { a, b, target }, a64 != b64),
            (|a, b, target| OwnedOp::BrIfXslt64 { a, b, target }, s64a < s64b),
            (|a, b, target| OwnedOp::BrIfXsle64 { a, b, target }, s64a <= s64b),
            (|a, b, target| OwnedOp::BrIfXult64 { a, b, target }, a64 < b64),
            (|a, b, target| OwnedOp::BrIfXule64 { a, b, target }, a64 <= b64),
        ];
        for (make, expected) in branches {
            prop_assert_eq!(branch_taken(move |target| make(r(0), r(1), target), [a, b, 0]), expected);
        }
        let (i32v, i64v) = (imm, i64::from(imm));
        let immediates: [(MakeImmediateBranch, MakeImmediate, bool); 20] = [
            (|a, b, target| OwnedOp::BrIfXeq32Imm { a, b, target }, |dst, a, b| OwnedOp::Xeq32Imm { dst, a, b }, s32a == i32v),
            (|a, b, target| OwnedOp::BrIfXne32Imm { a, b, target }, |dst, a, b| OwnedOp::Xne32Imm { dst, a, b }, s32a != i32v),
            (|a, b, target| OwnedOp::BrIfXslt32Imm { a, b, target }, |dst, a, b| OwnedOp::Xslt32Imm { dst, a, b }, s32a < i32v),
            (|a, b, target| OwnedOp::BrIfXsle32Imm { a, b, target }, |dst, a, b| OwnedOp::Xsle32Imm { dst, a, b }, s32a <= i32v),
            (|a, b, target| OwnedOp::BrIfXsgt32Imm { a, b, target }, |dst, a, b| OwnedOp::Xsgt32Imm { dst, a, b }, s32a > i32v),
            (|a, b, target| OwnedOp::BrIfXsge32Imm { a, b, target }, |dst, a, b| OwnedOp::Xsge32Imm { dst, a, b }, s32a >= i32v),
            (|a, b, target| OwnedOp::BrIfXult32Imm { a, b, target }, |dst, a, b| OwnedOp::Xult32Imm { dst, a, b }, a32 < i32v as u32),
            (|a, b, target| OwnedOp::BrIfXule32Imm { a, b, target }, |dst, a, b| OwnedOp::Xule32Imm { dst, a, b }, a32 <= i32v as u32),
            (|a, b, target| OwnedOp::BrIfXugt32Imm { a, b, target }, |dst, a, b| OwnedOp::Xugt32Imm { dst, a, b }, a32 > i32v as u32),
            (|a, b, target| OwnedOp::BrIfXuge32Imm { a, b, target }, |dst, a, b| OwnedOp::Xuge32Imm { dst, a, b }, a32 >= i32v as u32),
            (|a, b, target| OwnedOp::BrIfXeq64Imm { a, b, target }, |dst, a, b| OwnedOp::Xeq64Imm { dst, a, b }, s64a == i64v),
            (|a, b, target| OwnedOp::BrIfXne64Imm { a, b, target }, |dst, a, b| OwnedOp::Xne64Imm { dst, a, b }, s64a != i64v),
            (|a, b, target| OwnedOp::BrIfXslt64Imm { a, b, target }, |dst, a, b| OwnedOp::Xslt64Imm { dst, a, b }, s64a < i64v),
            (|a, b, target| OwnedOp::BrIfXsle64Imm { a, b, target }, |dst, a, b| OwnedOp::Xsle64Imm { dst, a, b }, s64a <= i64v),
            (|a, b, target| OwnedOp::BrIfXsgt64Imm { a, b, target }, |dst, a, b| OwnedOp::Xsgt64Imm { dst, a, b }, s64a > i64v),
            (|a, b, target| OwnedOp::BrIfXsge64Imm { a, b, target }, |dst, a, b| OwnedOp::Xsge64Imm { dst, a, b }, s64a >= i64v),
            (|a, b, target| OwnedOp::BrIfXult64Imm { a, b, target }, |dst, a, b| OwnedOp::Xult64Imm { dst, a, b }, a64 < i64v as u64),
            (|a, b, target| OwnedOp::BrIfXule64Imm { a, b, target }, |dst, a, b| OwnedOp::Xule64Imm { dst, a, b }, a64 <= i64v as u64),
            (|a, b, target| OwnedOp::BrIfXugt64Imm { a, b, target }, |dst, a, b| OwnedOp::Xugt64Imm { dst, a, b }, a64 > i64v as u64),
            (|a, b, target| OwnedOp::BrIfXuge64Imm { a, b, target }, |dst, a, b| OwnedOp::Xuge64Imm { dst, a, b }, a64 >= i64v as u64),
        ];
        // Compare against `a` as the register and `imm` as the immediate.
        for (branch, value, expected) in immediates {
            prop_assert_eq!(branch_taken(move |target| branch(r(0), imm, target), [a, 0, 0]), expected);
            check(execute(value(r(3), r(0), imm), [a, 0, 0]), Ok(u64::from(expected)), ALL64)?;
        }
        let tests: [(MakeTest, bool); 4] = [
            (|cond, target| OwnedOp::BrIf32 { cond, target }, a32 != 0),
            (|cond, target| OwnedOp::BrIfNot32 { cond, target }, a32 == 0),
            (|cond, target| OwnedOp::BrIf64 { cond, target }, a64 != 0),
            (|cond, target| OwnedOp::BrIfNot64 { cond, target }, a64 == 0),
        ];
        for (make, expected) in tests {
            prop_assert_eq!(branch_taken(move |target| make(r(0), target), [a, 0, 0]), expected);
        }
    }
}

/// Runs `branch; ret 0; target: ret 1` and reports whether it branched.
fn branch_taken(branch: impl Fn(pulley_isa::PcRel) -> OwnedOp + 'static, args: [u64; 3]) -> bool {
    let mut f = FunctionBuilder::new(4, 3, 1);
    f.branch("taken", branch)
        .op(OwnedOp::Xconst8 { dst: r(3), imm: 0 })
        .op(OwnedOp::Ret { values: vec![r(3)] })
        .label("taken")
        .op(OwnedOp::Xconst8 { dst: r(3), imm: 1 })
        .op(OwnedOp::Ret { values: vec![r(3)] });
    let p = program(&[&f], EnvironmentShape::default());
    let mut interpreter = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    let (exit, results) = common::run(&mut interpreter, &p, &mut env, 0, &args);
    assert_eq!(exit, Exit::Returned);
    results[0] == 1
}

// --- Float references. ---

fn reference_min_max<F: Copy + PartialOrd>(
    a: F,
    b: F,
    is_nan: fn(F) -> bool,
    is_negative: fn(F) -> bool,
    nan: F,
    min: bool,
) -> F {
    if is_nan(a) || is_nan(b) {
        return nan;
    }
    if a == b {
        // Zeros of different signs compare equal; min prefers -0, max +0.
        return if is_negative(a) == min { a } else { b };
    }
    if (a < b) == min { a } else { b }
}

/// Trapping float-to-int reference through exact 128-bit integers.
fn reference_trunc(x: f64, signed: bool, width: u32) -> Outcome {
    if x.is_nan() {
        return Err(TrapCode::BadConversionToInteger);
    }
    let t = x.trunc();
    let (low, high): (i128, i128) = if signed {
        (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1)
    } else {
        (0, (1i128 << width) - 1)
    };
    if t.is_infinite() || (t as i128) < low || (t as i128) > high {
        return Err(TrapCode::IntegerOverflow);
    }
    Ok(t as i128 as u64)
}

/// Saturating float-to-int reference.
fn reference_saturate(x: f64, signed: bool, width: u32) -> u64 {
    if x.is_nan() {
        return 0;
    }
    let (low, high): (i128, i128) = if signed {
        (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1)
    } else {
        (0, (1i128 << width) - 1)
    };
    (x.trunc() as i128).clamp(low, high) as u64
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn f32_arithmetic(a in any_f32(), b in any_f32()) {
        let (x, y) = (u64::from(a.to_bits()), u64::from(b.to_bits()));
        check_f32(binary(|dst, a, b| OwnedOp::Fadd32 { dst, a, b }, x, y), a + b)?;
        check_f32(binary(|dst, a, b| OwnedOp::Fsub32 { dst, a, b }, x, y), a - b)?;
        check_f32(binary(|dst, a, b| OwnedOp::Fmul32 { dst, a, b }, x, y), a * b)?;
        check_f32(binary(|dst, a, b| OwnedOp::Fdiv32 { dst, a, b }, x, y), a / b)?;
        check_f32(binary(|dst, a, b| OwnedOp::Fmin32 { dst, a, b }, x, y), reference_min_max(a, b, f32::is_nan, f32::is_sign_negative, f32::NAN, true))?;
        check_f32(binary(|dst, a, b| OwnedOp::Fmax32 { dst, a, b }, x, y), reference_min_max(a, b, f32::is_nan, f32::is_sign_negative, f32::NAN, false))?;
        // copysign, abs and neg work on the bits, NaN payloads included.
        check(binary(|dst, a, b| OwnedOp::Fcopysign32 { dst, a, b }, x, y), Ok(u64::from(a.copysign(b).to_bits())), LOW32)?;
        check(unary(|dst, src| OwnedOp::Fabs32 { dst, src }, x), Ok(u64::from(a.to_bits() & 0x7fff_ffff)), LOW32)?;
        check(unary(|dst, src| OwnedOp::Fneg32 { dst, src }, x), Ok(u64::from(a.to_bits() ^ 0x8000_0000)), LOW32)?;
        check_f32(unary(|dst, src| OwnedOp::Fsqrt32 { dst, src }, x), a.sqrt())?;
        check_f32(unary(|dst, src| OwnedOp::Fceil32 { dst, src }, x), a.ceil())?;
        check_f32(unary(|dst, src| OwnedOp::Ffloor32 { dst, src }, x), a.floor())?;
        check_f32(unary(|dst, src| OwnedOp::Ftrunc32 { dst, src }, x), a.trunc())?;
        let nearest = if a.is_finite() && (a - a.trunc()).abs() == 0.5 { 2.0 * (a / 2.0).round() } else { a.round() };
        check_f32(unary(|dst, src| OwnedOp::Fnearest32 { dst, src }, x), nearest.copysign(a))?;
        let compares: [(MakeBinary, bool); 4] = [
            (|dst, a, b| OwnedOp::Feq32 { dst, a, b }, a == b),
            (|dst, a, b| OwnedOp::Fne32 { dst, a, b }, a != b),
            (|dst, a, b| OwnedOp::Flt32 { dst, a, b }, a < b),
            (|dst, a, b| OwnedOp::Fle32 { dst, a, b }, a <= b),
        ];
        for (make, expected) in compares {
            check(binary(make, x, y), Ok(u64::from(expected)), ALL64)?;
        }
        let branches: [(MakeBranch, bool); 4] = [
            (|a, b, target| OwnedOp::BrIfFeq32 { a, b, target }, a == b),
            (|a, b, target| OwnedOp::BrIfFne32 { a, b, target }, a != b),
            (|a, b, target| OwnedOp::BrIfFlt32 { a, b, target }, a < b),
            (|a, b, target| OwnedOp::BrIfFle32 { a, b, target }, a <= b),
        ];
        for (make, expected) in branches {
            prop_assert_eq!(branch_taken(move |target| make(r(0), r(1), target), [x, y, 0]), expected);
        }
    }

    #[test]
    fn f64_arithmetic(a in any_f64(), b in any_f64()) {
        let (x, y) = (a.to_bits(), b.to_bits());
        check_f64(binary(|dst, a, b| OwnedOp::Fadd64 { dst, a, b }, x, y), a + b)?;
        check_f64(binary(|dst, a, b| OwnedOp::Fsub64 { dst, a, b }, x, y), a - b)?;
        check_f64(binary(|dst, a, b| OwnedOp::Fmul64 { dst, a, b }, x, y), a * b)?;
        check_f64(binary(|dst, a, b| OwnedOp::Fdiv64 { dst, a, b }, x, y), a / b)?;
        check_f64(binary(|dst, a, b| OwnedOp::Fmin64 { dst, a, b }, x, y), reference_min_max(a, b, f64::is_nan, f64::is_sign_negative, f64::NAN, true))?;
        check_f64(binary(|dst, a, b| OwnedOp::Fmax64 { dst, a, b }, x, y), reference_min_max(a, b, f64::is_nan, f64::is_sign_negative, f64::NAN, false))?;
        check(binary(|dst, a, b| OwnedOp::Fcopysign64 { dst, a, b }, x, y), Ok(a.copysign(b).to_bits()), ALL64)?;
        check(unary(|dst, src| OwnedOp::Fabs64 { dst, src }, x), Ok(x & !(1 << 63)), ALL64)?;
        check(unary(|dst, src| OwnedOp::Fneg64 { dst, src }, x), Ok(x ^ (1 << 63)), ALL64)?;
        check_f64(unary(|dst, src| OwnedOp::Fsqrt64 { dst, src }, x), a.sqrt())?;
        check_f64(unary(|dst, src| OwnedOp::Fceil64 { dst, src }, x), a.ceil())?;
        check_f64(unary(|dst, src| OwnedOp::Ffloor64 { dst, src }, x), a.floor())?;
        check_f64(unary(|dst, src| OwnedOp::Ftrunc64 { dst, src }, x), a.trunc())?;
        let nearest = if a.is_finite() && (a - a.trunc()).abs() == 0.5 { 2.0 * (a / 2.0).round() } else { a.round() };
        check_f64(unary(|dst, src| OwnedOp::Fnearest64 { dst, src }, x), nearest.copysign(a))?;
        let compares: [(MakeBinary, bool); 4] = [
            (|dst, a, b| OwnedOp::Feq64 { dst, a, b }, a == b),
            (|dst, a, b| OwnedOp::Fne64 { dst, a, b }, a != b),
            (|dst, a, b| OwnedOp::Flt64 { dst, a, b }, a < b),
            (|dst, a, b| OwnedOp::Fle64 { dst, a, b }, a <= b),
        ];
        for (make, expected) in compares {
            check(binary(make, x, y), Ok(u64::from(expected)), ALL64)?;
        }
        let branches: [(MakeBranch, bool); 4] = [
            (|a, b, target| OwnedOp::BrIfFeq64 { a, b, target }, a == b),
            (|a, b, target| OwnedOp::BrIfFne64 { a, b, target }, a != b),
            (|a, b, target| OwnedOp::BrIfFlt64 { a, b, target }, a < b),
            (|a, b, target| OwnedOp::BrIfFle64 { a, b, target }, a <= b),
        ];
        for (make, expected) in branches {
            prop_assert_eq!(branch_taken(move |target| make(r(0), r(1), target), [x, y, 0]), expected);
        }
    }

    #[test]
    fn float_to_integer_conversions(a in any_f32(), b in any_f64()) {
        let x = u64::from(a.to_bits());
        let y = b.to_bits();
        type Convert = fn(Slot, Slot) -> OwnedOp;
        let trapping: [(Convert, bool, bool, u32); 8] = [
            (|dst, src| OwnedOp::X32FromF32S { dst, src }, false, true, 32),
            (|dst, src| OwnedOp::X32FromF32U { dst, src }, false, false, 32),
            (|dst, src| OwnedOp::X64FromF32S { dst, src }, false, true, 64),
            (|dst, src| OwnedOp::X64FromF32U { dst, src }, false, false, 64),
            (|dst, src| OwnedOp::X32FromF64S { dst, src }, true, true, 32),
            (|dst, src| OwnedOp::X32FromF64U { dst, src }, true, false, 32),
            (|dst, src| OwnedOp::X64FromF64S { dst, src }, true, true, 64),
            (|dst, src| OwnedOp::X64FromF64U { dst, src }, true, false, 64),
        ];
        for (make, from_f64, signed, width) in trapping {
            let (input, value) = if from_f64 { (y, b) } else { (x, f64::from(a)) };
            let mask = if width == 32 { LOW32 } else { ALL64 };
            check(unary(make, input), reference_trunc(value, signed, width), mask)?;
        }
        let saturating: [(Convert, bool, bool, u32); 8] = [
            (|dst, src| OwnedOp::X32FromF32SSat { dst, src }, false, true, 32),
            (|dst, src| OwnedOp::X32FromF32USat { dst, src }, false, false, 32),
            (|dst, src| OwnedOp::X64FromF32SSat { dst, src }, false, true, 64),
            (|dst, src| OwnedOp::X64FromF32USat { dst, src }, false, false, 64),
            (|dst, src| OwnedOp::X32FromF64SSat { dst, src }, true, true, 32),
            (|dst, src| OwnedOp::X32FromF64USat { dst, src }, true, false, 32),
            (|dst, src| OwnedOp::X64FromF64SSat { dst, src }, true, true, 64),
            (|dst, src| OwnedOp::X64FromF64USat { dst, src }, true, false, 64),
        ];
        for (make, from_f64, signed, width) in saturating {
            let (input, value) = if from_f64 { (y, b) } else { (x, f64::from(a)) };
            let mask = if width == 32 { LOW32 } else { ALL64 };
            check(unary(make, input), Ok(reference_saturate(value, signed, width)), mask)?;
        }
        check_f64(unary(|dst, src| OwnedOp::F64FromF32 { dst, src }, x), f64::from(a))?;
        check_f32(unary(|dst, src| OwnedOp::F32FromF64 { dst, src }, y), b as f32)?;
    }

    #[test]
    fn integer_to_float_conversions(a in any_int()) {
        check_f32(unary(|dst, src| OwnedOp::F32FromX32S { dst, src }, a), a as u32 as i32 as f32)?;
        check_f32(unary(|dst, src| OwnedOp::F32FromX32U { dst, src }, a), a as u32 as f32)?;
        check_f32(unary(|dst, src| OwnedOp::F32FromX64S { dst, src }, a), a as i64 as f32)?;
        check_f32(unary(|dst, src| OwnedOp::F32FromX64U { dst, src }, a), a as f32)?;
        check_f64(unary(|dst, src| OwnedOp::F64FromX32S { dst, src }, a), f64::from(a as u32 as i32))?;
        check_f64(unary(|dst, src| OwnedOp::F64FromX32U { dst, src }, a), f64::from(a as u32))?;
        check_f64(unary(|dst, src| OwnedOp::F64FromX64S { dst, src }, a), a as i64 as f64)?;
        check_f64(unary(|dst, src| OwnedOp::F64FromX64U { dst, src }, a), a as f64)?;
    }

    #[test]
    fn loads_and_stores_are_little_endian(bytes in any::<[u8; 8]>(), addr in 0u64..24, offset in 0u32..8) {
        let mut f = FunctionBuilder::new(4, 3, 1);
        f.op(OwnedOp::Load8S { dst: r(3), addr: r(0), offset }).op(OwnedOp::Ret { values: vec![r(3)] });
        let loads: [(MakeLoad, usize, bool); 7] = [
            (|dst, addr, offset| OwnedOp::Load8S { dst, addr, offset }, 1, true),
            (|dst, addr, offset| OwnedOp::Load8U { dst, addr, offset }, 1, false),
            (|dst, addr, offset| OwnedOp::Load16S { dst, addr, offset }, 2, true),
            (|dst, addr, offset| OwnedOp::Load16U { dst, addr, offset }, 2, false),
            (|dst, addr, offset| OwnedOp::Load32S { dst, addr, offset }, 4, true),
            (|dst, addr, offset| OwnedOp::Load32U { dst, addr, offset }, 4, false),
            (|dst, addr, offset| OwnedOp::Load64 { dst, addr, offset }, 8, false),
        ];
        let at = addr as usize + offset as usize;
        for (make, size, signed) in loads {
            let mut f = FunctionBuilder::new(4, 3, 1);
            f.op(make(r(3), r(0), offset)).op(OwnedOp::Ret { values: vec![r(3)] });
            let p = program(&[&f], EnvironmentShape::default());
            let mut interpreter = Interpreter::default();
            let mut env = TestEnv::new(32, 0);
            let fits = 8.min(32 - at);
            env.memory[at..at + fits].copy_from_slice(&bytes[..fits]);
            let (exit, results) = common::run(&mut interpreter, &p, &mut env, 0, &[addr, 0, 0]);
            let mut value: u64 = 0;
            for (i, byte) in bytes[..size].iter().enumerate() {
                value |= u64::from(*byte) << (8 * i);
            }
            if signed {
                let shift = 64 - 8 * size as u32;
                value = ((value << shift) as i64 >> shift) as u64;
            }
            if at + size <= 32 {
                prop_assert_eq!((exit, results[0]), (Exit::Returned, value));
            } else {
                prop_assert_eq!(exit, Exit::Trap(TrapCode::MemoryOutOfBounds));
            }
        }
        let stores: [(MakeStore, usize); 4] = [
            (|addr, offset, src| OwnedOp::Store8 { addr, offset, src }, 1),
            (|addr, offset, src| OwnedOp::Store16 { addr, offset, src }, 2),
            (|addr, offset, src| OwnedOp::Store32 { addr, offset, src }, 4),
            (|addr, offset, src| OwnedOp::Store64 { addr, offset, src }, 8),
        ];
        let value = u64::from_le_bytes(bytes);
        for (make, size) in stores {
            let mut f = FunctionBuilder::new(4, 3, 0);
            f.op(make(r(0), offset, r(1))).op(OwnedOp::Ret { values: vec![] });
            let p = program(&[&f], EnvironmentShape::default());
            let mut interpreter = Interpreter::default();
            let mut env = TestEnv::new(32, 0);
            let (exit, _) = common::run(&mut interpreter, &p, &mut env, 0, &[addr, value, 0]);
            if at + size <= 32 {
                prop_assert_eq!(exit, Exit::Returned);
                prop_assert_eq!(&env.memory[at..at + size], &bytes[..size]);
                prop_assert!(env.memory[..at].iter().chain(&env.memory[at + size..]).all(|&b| b == 0));
            } else {
                prop_assert_eq!(exit, Exit::Trap(TrapCode::MemoryOutOfBounds));
                prop_assert!(env.memory.iter().all(|&b| b == 0));
            }
        }
    }
}

/// Builds an indexed load `dst = memory[(base + index) mod 2^32 + offset]`.
type MakeIndexedLoad = fn(Slot, Slot, Slot, u32) -> OwnedOp;
/// Builds an indexed store `memory[(base + index) mod 2^32 + offset] = src`.
type MakeIndexedStore = fn(Slot, Slot, u32, Slot) -> OwnedOp;

proptest! {
    /// The indexed forms access what the plain form does at the wrapped
    /// 32-bit sum: the same bytes, the same traps.
    #[test]
    fn indexed_accesses_use_the_wrapping_sum(
        bytes in any::<[u8; 8]>(),
        base in any::<u32>(),
        address in prop_oneof![0u32..24, any::<u32>()],
        offset in prop_oneof![0u32..8, any::<u32>()],
    ) {
        let index = address.wrapping_sub(base);
        let at = u64::from(address) + u64::from(offset);
        let loads: [(MakeIndexedLoad, usize); 3] = [
            (|dst, base, index, offset| OwnedOp::Load8UIndexed { dst, base, index, offset }, 1),
            (|dst, base, index, offset| OwnedOp::Load32UIndexed { dst, base, index, offset }, 4),
            (|dst, base, index, offset| OwnedOp::Load64Indexed { dst, base, index, offset }, 8),
        ];
        for (make, size) in loads {
            let mut f = FunctionBuilder::new(4, 3, 1);
            f.op(make(r(3), r(0), r(1), offset)).op(OwnedOp::Ret { values: vec![r(3)] });
            let p = program(&[&f], EnvironmentShape::default());
            let mut interpreter = Interpreter::default();
            let mut env = TestEnv::new(32, 0);
            if at < 32 {
                let fits = 8.min(32 - at as usize);
                env.memory[at as usize..at as usize + fits].copy_from_slice(&bytes[..fits]);
            }
            let (exit, results) = common::run(&mut interpreter, &p, &mut env, 0, &[u64::from(base), u64::from(index), 0]);
            if at + size as u64 <= 32 {
                let mut value = [0u8; 8];
                value[..size].copy_from_slice(&bytes[..size]);
                prop_assert_eq!((exit, results[0]), (Exit::Returned, u64::from_le_bytes(value)));
            } else {
                prop_assert_eq!(exit, Exit::Trap(TrapCode::MemoryOutOfBounds));
            }
        }
        let stores: [(MakeIndexedStore, usize); 3] = [
            (|base, index, offset, src| OwnedOp::Store8Indexed { base, index, offset, src }, 1),
            (|base, index, offset, src| OwnedOp::Store32Indexed { base, index, offset, src }, 4),
            (|base, index, offset, src| OwnedOp::Store64Indexed { base, index, offset, src }, 8),
        ];
        for (make, size) in stores {
            let mut f = FunctionBuilder::new(4, 3, 0);
            f.op(make(r(0), r(1), offset, r(2))).op(OwnedOp::Ret { values: vec![] });
            let p = program(&[&f], EnvironmentShape::default());
            let mut interpreter = Interpreter::default();
            let mut env = TestEnv::new(32, 0);
            let value = u64::from_le_bytes(bytes);
            let (exit, _) = common::run(&mut interpreter, &p, &mut env, 0, &[u64::from(base), u64::from(index), value]);
            if at + size as u64 <= 32 {
                let at = at as usize;
                prop_assert_eq!(exit, Exit::Returned);
                prop_assert_eq!(&env.memory[at..at + size], &bytes[..size]);
            } else {
                prop_assert_eq!(exit, Exit::Trap(TrapCode::MemoryOutOfBounds));
                prop_assert!(env.memory.iter().all(|&b| b == 0));
            }
        }
    }
}
