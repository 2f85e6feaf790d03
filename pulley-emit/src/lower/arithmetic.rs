//! Scalar arithmetic: constants, integer and float operations with their
//! immediate forms, extensions, and conversions.
//!
//! Constants fold into the `_imm` forms of the ops that have them (on
//! either side of a commutative op, negated into an add for a subtraction);
//! 8- and 16-bit operations (SIMD lanes the optimizer lifted out of splats)
//! run as 32-bit ones on operands extended where the result needs it.

use cranelift_codegen::ir::types::{F32, F64, I32, I64};
use cranelift_codegen::ir::{Opcode, Type, Value};
use pulley_isa::GenericOp as Op;
use regalloc2::VReg;

use super::context::LoweringContext;
use crate::CompileError;

/// `result = iconst bits` of type `ty`.
pub(crate) fn integer_constant(cx: &mut LoweringContext<'_>, ty: Type, result: Value, bits: i64) {
    let dst = cx.def(result);
    let width = ty.bits();
    let value = if width >= 64 {
        bits
    } else {
        (bits << (64 - width)) >> (64 - width)
    };
    cx.constant_into(dst, value);
}

/// `result = f32const`/`f64const` of these bits.
pub(crate) fn float_constant(cx: &mut LoweringContext<'_>, result: Value, bits: i64) {
    let dst = cx.def(result);
    cx.constant_into(dst, bits);
}

/// The 32-bit operands of an 8- or 16-bit binary op (which the optimizer
/// makes of SIMD lanes lifted out of splats): ops whose low bits depend
/// only on the operands' low bits take them as they are; the others see
/// them extended as the op reads them, and shifts see their count
/// reduced modulo the narrow width, as Cranelift defines it.
fn narrow_operands(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    ty: Type,
    a: Value,
    b: Value,
) -> Result<(VReg, VReg), CompileError> {
    Ok(match opcode {
        Opcode::Iadd | Opcode::Isub | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor => {
            (cx.vreg(a), cx.vreg(b))
        }
        Opcode::Ishl | Opcode::Ushr | Opcode::Sshr => {
            let a = if opcode == Opcode::Ishl {
                cx.vreg(a)
            } else {
                cx.widened(a, opcode == Opcode::Sshr)
            };
            let count = cx.vreg(b);
            let masked = cx.fresh();
            cx.op(Op::Xband32Imm {
                dst: masked,
                a: count,
                b: ty.bits() as i32 - 1,
            });
            (a, masked)
        }
        Opcode::Smin | Opcode::Smax => (cx.widened(a, true), cx.widened(b, true)),
        Opcode::Umin | Opcode::Umax | Opcode::Udiv | Opcode::Urem => {
            (cx.widened(a, false), cx.widened(b, false))
        }
        // Not `sdiv`: the 32-bit op does not trap on the narrow overflow.
        Opcode::Srem => (cx.widened(a, true), cx.widened(b, true)),
        _ => return Err(cx.error(format_args!("unsupported {opcode} on {ty}"))),
    })
}

pub(crate) fn binary(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    ty: Type,
    result: Value,
    a: Value,
    b: Value,
) -> Result<(), CompileError> {
    let dst = cx.def(result);
    let wide = ty.bits() == 64;
    if ty.is_float() {
        let (a, b) = (cx.vreg(a), cx.vreg(b));
        let op = match (opcode, ty) {
            (Opcode::Fadd, F32) => Op::Fadd32 { dst, a, b },
            (Opcode::Fsub, F32) => Op::Fsub32 { dst, a, b },
            (Opcode::Fmul, F32) => Op::Fmul32 { dst, a, b },
            (Opcode::Fdiv, F32) => Op::Fdiv32 { dst, a, b },
            (Opcode::Fmin, F32) => Op::Fmin32 { dst, a, b },
            (Opcode::Fmax, F32) => Op::Fmax32 { dst, a, b },
            (Opcode::Fcopysign, F32) => Op::Fcopysign32 { dst, a, b },
            (Opcode::Fadd, F64) => Op::Fadd64 { dst, a, b },
            (Opcode::Fsub, F64) => Op::Fsub64 { dst, a, b },
            (Opcode::Fmul, F64) => Op::Fmul64 { dst, a, b },
            (Opcode::Fdiv, F64) => Op::Fdiv64 { dst, a, b },
            (Opcode::Fmin, F64) => Op::Fmin64 { dst, a, b },
            (Opcode::Fmax, F64) => Op::Fmax64 { dst, a, b },
            (Opcode::Fcopysign, F64) => Op::Fcopysign64 { dst, a, b },
            _ => return Err(cx.error(format_args!("unsupported {opcode} on {ty}"))),
        };
        cx.op(op);
        return Ok(());
    }
    // Immediate forms (commutative ops take the constant on either side).
    let commutative = matches!(
        opcode,
        Opcode::Iadd | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor
    );
    let (a, b) = if commutative && cx.constant(a).is_some() && cx.constant(b).is_none() {
        (b, a)
    } else {
        (a, b)
    };
    if matches!(
        opcode,
        Opcode::Iadd | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor | Opcode::Isub
    ) && let Some(constant) = cx.constant(b)
    {
        let negated = if opcode == Opcode::Isub {
            constant.checked_neg()
        } else {
            Some(constant)
        };
        let fits = |c: i64| if wide { i32::try_from(c).is_ok() } else { true };
        if let Some(imm) = negated.filter(|&c| fits(c)) {
            let imm = imm as i32;
            let a = cx.vreg(a);
            cx.op(match (opcode, wide) {
                (Opcode::Iadd | Opcode::Isub, false) => Op::Xadd32Imm { dst, a, b: imm },
                (Opcode::Imul, false) => Op::Xmul32Imm { dst, a, b: imm },
                (Opcode::Band, false) => Op::Xband32Imm { dst, a, b: imm },
                (Opcode::Bor, false) => Op::Xbor32Imm { dst, a, b: imm },
                (Opcode::Bxor, false) => Op::Xbxor32Imm { dst, a, b: imm },
                (Opcode::Iadd | Opcode::Isub, true) => Op::Xadd64Imm { dst, a, b: imm },
                (Opcode::Imul, true) => Op::Xmul64Imm { dst, a, b: imm },
                (Opcode::Band, true) => Op::Xband64Imm { dst, a, b: imm },
                (Opcode::Bor, true) => Op::Xbor64Imm { dst, a, b: imm },
                (Opcode::Bxor, true) => Op::Xbxor64Imm { dst, a, b: imm },
                _ => unreachable!(),
            });
            return Ok(());
        }
    }
    if matches!(opcode, Opcode::Ishl | Opcode::Ushr | Opcode::Sshr)
        && let Some(count) = cx.constant(b)
    {
        // Cranelift takes shift counts modulo the type's width.
        let count = (count as u64 % u64::from(ty.bits())) as u8;
        let narrow_shift_right = ty.bits() < 32 && opcode != Opcode::Ishl;
        let a = if narrow_shift_right {
            cx.widened(a, opcode == Opcode::Sshr)
        } else {
            cx.vreg(a)
        };
        cx.op(match (opcode, wide) {
            (Opcode::Ishl, false) => Op::Xshl32Imm { dst, a, b: count },
            (Opcode::Ushr, false) => Op::Xshr32UImm { dst, a, b: count },
            (Opcode::Sshr, false) => Op::Xshr32SImm { dst, a, b: count },
            (Opcode::Ishl, true) => Op::Xshl64Imm { dst, a, b: count },
            (Opcode::Ushr, true) => Op::Xshr64UImm { dst, a, b: count },
            (Opcode::Sshr, true) => Op::Xshr64SImm { dst, a, b: count },
            _ => unreachable!(),
        });
        return Ok(());
    }
    let (a, b) = if ty.bits() < 32 {
        narrow_operands(cx, opcode, ty, a, b)?
    } else {
        (cx.vreg(a), cx.vreg(b))
    };
    let op = match (opcode, wide) {
        (Opcode::Iadd, false) => Op::Xadd32 { dst, a, b },
        (Opcode::Isub, false) => Op::Xsub32 { dst, a, b },
        (Opcode::Imul, false) => Op::Xmul32 { dst, a, b },
        (Opcode::Band, false) => Op::Xband32 { dst, a, b },
        (Opcode::Bor, false) => Op::Xbor32 { dst, a, b },
        (Opcode::Bxor, false) => Op::Xbxor32 { dst, a, b },
        (Opcode::Ishl, false) => Op::Xshl32 { dst, a, b },
        (Opcode::Ushr, false) => Op::Xshr32U { dst, a, b },
        (Opcode::Sshr, false) => Op::Xshr32S { dst, a, b },
        (Opcode::Rotl, false) => Op::Xrotl32 { dst, a, b },
        (Opcode::Rotr, false) => Op::Xrotr32 { dst, a, b },
        (Opcode::Sdiv, false) => Op::Xdiv32S { dst, a, b },
        (Opcode::Udiv, false) => Op::Xdiv32U { dst, a, b },
        (Opcode::Srem, false) => Op::Xrem32S { dst, a, b },
        (Opcode::Urem, false) => Op::Xrem32U { dst, a, b },
        (Opcode::Smulhi, false) => Op::Xmulhi32S { dst, a, b },
        (Opcode::Umulhi, false) => Op::Xmulhi32U { dst, a, b },
        (Opcode::Smin, false) => Op::Xmin32S { dst, a, b },
        (Opcode::Umin, false) => Op::Xmin32U { dst, a, b },
        (Opcode::Smax, false) => Op::Xmax32S { dst, a, b },
        (Opcode::Umax, false) => Op::Xmax32U { dst, a, b },
        (Opcode::Iadd, true) => Op::Xadd64 { dst, a, b },
        (Opcode::Isub, true) => Op::Xsub64 { dst, a, b },
        (Opcode::Imul, true) => Op::Xmul64 { dst, a, b },
        (Opcode::Band, true) => Op::Xband64 { dst, a, b },
        (Opcode::Bor, true) => Op::Xbor64 { dst, a, b },
        (Opcode::Bxor, true) => Op::Xbxor64 { dst, a, b },
        (Opcode::Ishl, true) => Op::Xshl64 { dst, a, b },
        (Opcode::Ushr, true) => Op::Xshr64U { dst, a, b },
        (Opcode::Sshr, true) => Op::Xshr64S { dst, a, b },
        (Opcode::Rotl, true) => Op::Xrotl64 { dst, a, b },
        (Opcode::Rotr, true) => Op::Xrotr64 { dst, a, b },
        (Opcode::Sdiv, true) => Op::Xdiv64S { dst, a, b },
        (Opcode::Udiv, true) => Op::Xdiv64U { dst, a, b },
        (Opcode::Srem, true) => Op::Xrem64S { dst, a, b },
        (Opcode::Urem, true) => Op::Xrem64U { dst, a, b },
        (Opcode::Smulhi, true) => Op::Xmulhi64S { dst, a, b },
        (Opcode::Umulhi, true) => Op::Xmulhi64U { dst, a, b },
        (Opcode::Smin, true) => Op::Xmin64S { dst, a, b },
        (Opcode::Umin, true) => Op::Xmin64U { dst, a, b },
        (Opcode::Smax, true) => Op::Xmax64S { dst, a, b },
        (Opcode::Umax, true) => Op::Xmax64U { dst, a, b },
        _ => return Err(cx.error(format_args!("unsupported {opcode} on {ty}"))),
    };
    cx.op(op);
    Ok(())
}

pub(crate) fn unary(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    ty: Type,
    result: Value,
    arg: Value,
) -> Result<(), CompileError> {
    let dst = cx.def(result);
    let from = cx.value_type(arg);
    let wide = ty.bits() == 64;
    let op = match opcode {
        Opcode::Uextend | Opcode::Sextend => {
            let signed = opcode == Opcode::Sextend;
            let src = cx.vreg(arg);
            match (from.bits(), signed) {
                (8, false) => Op::Xzext8 { dst, src },
                (8, true) => Op::Xsext8 { dst, src },
                (16, false) => Op::Xzext16 { dst, src },
                (16, true) => Op::Xsext16 { dst, src },
                (32, false) if wide => Op::Xzext32 { dst, src },
                (32, true) if wide => Op::Xsext32 { dst, src },
                _ => {
                    return Err(cx.error(format_args!("unsupported {opcode} from {from} to {ty}")));
                }
            }
        }
        Opcode::Ineg
        | Opcode::Bnot
        | Opcode::Clz
        | Opcode::Ctz
        | Opcode::Popcnt
        | Opcode::Iabs
        | Opcode::Bswap
        | Opcode::Bmask
            if ty.is_int() =>
        {
            // 8- and 16-bit forms (SIMD lanes lifted out of splats) read
            // their operand extended where the low bits of the result
            // depend on the high bits of the operand.
            let narrow = ty.bits() < 32;
            let src = match opcode {
                Opcode::Bmask => cx.widened(arg, false),
                Opcode::Popcnt if narrow => cx.widened(arg, false),
                Opcode::Iabs if narrow => cx.widened(arg, true),
                Opcode::Ineg | Opcode::Bnot => cx.vreg(arg),
                _ if narrow => {
                    return Err(cx.error(format_args!("unsupported {opcode} on {ty}")));
                }
                _ => cx.vreg(arg),
            };
            let src_wide = from.bits() == 64;
            match (opcode, wide) {
                (Opcode::Ineg, false) => Op::Xneg32 { dst, src },
                (Opcode::Ineg, true) => Op::Xneg64 { dst, src },
                (Opcode::Bnot, false) => Op::Xbxor32Imm { dst, a: src, b: -1 },
                (Opcode::Bnot, true) => Op::Xbxor64Imm { dst, a: src, b: -1 },
                (Opcode::Clz, false) => Op::Xclz32 { dst, src },
                (Opcode::Clz, true) => Op::Xclz64 { dst, src },
                (Opcode::Ctz, false) => Op::Xctz32 { dst, src },
                (Opcode::Ctz, true) => Op::Xctz64 { dst, src },
                (Opcode::Popcnt, false) => Op::Xpopcnt32 { dst, src },
                (Opcode::Popcnt, true) => Op::Xpopcnt64 { dst, src },
                (Opcode::Iabs, false) => Op::Xabs32 { dst, src },
                (Opcode::Iabs, true) => Op::Xabs64 { dst, src },
                (Opcode::Bswap, false) => Op::Xbswap32 { dst, src },
                (Opcode::Bswap, true) => Op::Xbswap64 { dst, src },
                (Opcode::Bmask, _) => {
                    // 0 or -1: (src != 0), negated.
                    let flag = cx.fresh();
                    cx.op(if src_wide {
                        Op::Xne64Imm {
                            dst: flag,
                            a: src,
                            b: 0,
                        }
                    } else {
                        Op::Xne32Imm {
                            dst: flag,
                            a: src,
                            b: 0,
                        }
                    });
                    Op::Xneg64 { dst, src: flag }
                }
                _ => unreachable!(),
            }
        }
        _ if ty.is_float() || from.is_float() => {
            // The optimizer narrows conversions of small values; widen
            // them back to 32 bits.
            let (src, from) = if from.is_int() && from.bits() < 32 {
                (cx.widened(arg, opcode == Opcode::FcvtFromSint), I32)
            } else {
                (cx.vreg(arg), from)
            };
            match (opcode, from, ty) {
                (Opcode::Fabs, F32, _) => Op::Fabs32 { dst, src },
                (Opcode::Fneg, F32, _) => Op::Fneg32 { dst, src },
                (Opcode::Sqrt, F32, _) => Op::Fsqrt32 { dst, src },
                (Opcode::Ceil, F32, _) => Op::Fceil32 { dst, src },
                (Opcode::Floor, F32, _) => Op::Ffloor32 { dst, src },
                (Opcode::Trunc, F32, _) => Op::Ftrunc32 { dst, src },
                (Opcode::Nearest, F32, _) => Op::Fnearest32 { dst, src },
                (Opcode::Fabs, F64, _) => Op::Fabs64 { dst, src },
                (Opcode::Fneg, F64, _) => Op::Fneg64 { dst, src },
                (Opcode::Sqrt, F64, _) => Op::Fsqrt64 { dst, src },
                (Opcode::Ceil, F64, _) => Op::Fceil64 { dst, src },
                (Opcode::Floor, F64, _) => Op::Ffloor64 { dst, src },
                (Opcode::Trunc, F64, _) => Op::Ftrunc64 { dst, src },
                (Opcode::Nearest, F64, _) => Op::Fnearest64 { dst, src },
                (Opcode::Fpromote, F32, F64) => Op::F64FromF32 { dst, src },
                (Opcode::Fdemote, F64, F32) => Op::F32FromF64 { dst, src },
                (Opcode::FcvtToSint, F32, I32) => Op::X32FromF32S { dst, src },
                (Opcode::FcvtToUint, F32, I32) => Op::X32FromF32U { dst, src },
                (Opcode::FcvtToSint, F64, I32) => Op::X32FromF64S { dst, src },
                (Opcode::FcvtToUint, F64, I32) => Op::X32FromF64U { dst, src },
                (Opcode::FcvtToSint, F32, I64) => Op::X64FromF32S { dst, src },
                (Opcode::FcvtToUint, F32, I64) => Op::X64FromF32U { dst, src },
                (Opcode::FcvtToSint, F64, I64) => Op::X64FromF64S { dst, src },
                (Opcode::FcvtToUint, F64, I64) => Op::X64FromF64U { dst, src },
                (Opcode::FcvtToSintSat, F32, I32) => Op::X32FromF32SSat { dst, src },
                (Opcode::FcvtToUintSat, F32, I32) => Op::X32FromF32USat { dst, src },
                (Opcode::FcvtToSintSat, F64, I32) => Op::X32FromF64SSat { dst, src },
                (Opcode::FcvtToUintSat, F64, I32) => Op::X32FromF64USat { dst, src },
                (Opcode::FcvtToSintSat, F32, I64) => Op::X64FromF32SSat { dst, src },
                (Opcode::FcvtToUintSat, F32, I64) => Op::X64FromF32USat { dst, src },
                (Opcode::FcvtToSintSat, F64, I64) => Op::X64FromF64SSat { dst, src },
                (Opcode::FcvtToUintSat, F64, I64) => Op::X64FromF64USat { dst, src },
                (Opcode::FcvtFromSint, I32, F32) => Op::F32FromX32S { dst, src },
                (Opcode::FcvtFromUint, I32, F32) => Op::F32FromX32U { dst, src },
                (Opcode::FcvtFromSint, I64, F32) => Op::F32FromX64S { dst, src },
                (Opcode::FcvtFromUint, I64, F32) => Op::F32FromX64U { dst, src },
                (Opcode::FcvtFromSint, I32, F64) => Op::F64FromX32S { dst, src },
                (Opcode::FcvtFromUint, I32, F64) => Op::F64FromX32U { dst, src },
                (Opcode::FcvtFromSint, I64, F64) => Op::F64FromX64S { dst, src },
                (Opcode::FcvtFromUint, I64, F64) => Op::F64FromX64U { dst, src },
                _ => {
                    return Err(cx.error(format_args!("unsupported {opcode} from {from} to {ty}")));
                }
            }
        }
        _ => return Err(cx.error(format_args!("unsupported {opcode} from {from} to {ty}"))),
    };
    cx.op(op);
    Ok(())
}
