//! Comparisons as values (0 or 1): integer comparisons with their
//! immediate forms, 128-bit comparisons of the halves the optimizer fuses
//! them from, and float comparisons including the ordered and unordered
//! conditions. The branch rules fuse the same comparisons into branches.

use cranelift_codegen::ir::condcodes::{CondCode, FloatCC, IntCC};
use cranelift_codegen::ir::types::{F64, I64};
use cranelift_codegen::ir::{InstructionData, Opcode, Value};
use pulley_isa::GenericOp as Op;
use regalloc2::VReg;

use super::context::LoweringContext;
use super::vcode::VirtualOp;
use crate::CompileError;

/// `dst = a <cond> b` (0 or 1).
pub(crate) fn int_compare_value(
    cx: &mut LoweringContext<'_>,
    dst: VReg,
    cond: IntCC,
    a: Value,
    b: Value,
) -> Result<(), CompileError> {
    if cx.value_type(a).bits() == 128 {
        return wide_compare_value(cx, dst, cond, a, b);
    }
    let (cond, a, b) = constant_on_the_right(cx, cond, a, b);
    let signed = cond.unsigned() != cond;
    let wide = cx.value_type(a).bits() == 64;
    if let Some(imm) = cx.compare_immediate(a, b, signed) {
        let a = cx.widened(a, signed);
        use IntCC::*;
        cx.op(match (cond, wide) {
            (Equal, false) => Op::Xeq32Imm { dst, a, b: imm },
            (NotEqual, false) => Op::Xne32Imm { dst, a, b: imm },
            (SignedLessThan, false) => Op::Xslt32Imm { dst, a, b: imm },
            (SignedLessThanOrEqual, false) => Op::Xsle32Imm { dst, a, b: imm },
            (SignedGreaterThan, false) => Op::Xsgt32Imm { dst, a, b: imm },
            (SignedGreaterThanOrEqual, false) => Op::Xsge32Imm { dst, a, b: imm },
            (UnsignedLessThan, false) => Op::Xult32Imm { dst, a, b: imm },
            (UnsignedLessThanOrEqual, false) => Op::Xule32Imm { dst, a, b: imm },
            (UnsignedGreaterThan, false) => Op::Xugt32Imm { dst, a, b: imm },
            (UnsignedGreaterThanOrEqual, false) => Op::Xuge32Imm { dst, a, b: imm },
            (Equal, true) => Op::Xeq64Imm { dst, a, b: imm },
            (NotEqual, true) => Op::Xne64Imm { dst, a, b: imm },
            (SignedLessThan, true) => Op::Xslt64Imm { dst, a, b: imm },
            (SignedLessThanOrEqual, true) => Op::Xsle64Imm { dst, a, b: imm },
            (SignedGreaterThan, true) => Op::Xsgt64Imm { dst, a, b: imm },
            (SignedGreaterThanOrEqual, true) => Op::Xsge64Imm { dst, a, b: imm },
            (UnsignedLessThan, true) => Op::Xult64Imm { dst, a, b: imm },
            (UnsignedLessThanOrEqual, true) => Op::Xule64Imm { dst, a, b: imm },
            (UnsignedGreaterThan, true) => Op::Xugt64Imm { dst, a, b: imm },
            (UnsignedGreaterThanOrEqual, true) => Op::Xuge64Imm { dst, a, b: imm },
        });
        return Ok(());
    }
    let (cond, a, b) = normalize_int_cond(cond, a, b);
    let (a, b) = (cx.widened(a, signed), cx.widened(b, signed));
    use IntCC::*;
    cx.op(match (cond, wide) {
        (Equal, false) => Op::Xeq32 { dst, a, b },
        (NotEqual, false) => Op::Xne32 { dst, a, b },
        (SignedLessThan, false) => Op::Xslt32 { dst, a, b },
        (SignedLessThanOrEqual, false) => Op::Xsle32 { dst, a, b },
        (UnsignedLessThan, false) => Op::Xult32 { dst, a, b },
        (UnsignedLessThanOrEqual, false) => Op::Xule32 { dst, a, b },
        (Equal, true) => Op::Xeq64 { dst, a, b },
        (NotEqual, true) => Op::Xne64 { dst, a, b },
        (SignedLessThan, true) => Op::Xslt64 { dst, a, b },
        (SignedLessThanOrEqual, true) => Op::Xsle64 { dst, a, b },
        (UnsignedLessThan, true) => Op::Xult64 { dst, a, b },
        (UnsignedLessThanOrEqual, true) => Op::Xule64 { dst, a, b },
        _ => unreachable!("normalized"),
    });
    Ok(())
}

/// The (low, high) 64-bit halves of a 128-bit value built by `iconcat`
/// or by extending a 64-bit value (the optimizer fuses two-word
/// comparisons into 128-bit ones).
fn halves(cx: &mut LoweringContext<'_>, value: Value) -> Option<(VReg, VReg)> {
    let (_, data) = cx.def_inst_of(value)?;
    match data {
        InstructionData::Binary {
            opcode: Opcode::Iconcat,
            args: [low, high],
        } => Some((cx.vreg(low), cx.vreg(high))),
        InstructionData::Unary {
            opcode: Opcode::Uextend,
            arg,
        } if cx.value_type(arg) == I64 => {
            let high = cx.fresh();
            cx.op(Op::Xconst8 { dst: high, imm: 0 });
            Some((cx.vreg(arg), high))
        }
        InstructionData::Unary {
            opcode: Opcode::Sextend,
            arg,
        } if cx.value_type(arg) == I64 => {
            let low = cx.vreg(arg);
            let high = cx.fresh();
            cx.op(Op::Xshr64SImm {
                dst: high,
                a: low,
                b: 63,
            });
            Some((low, high))
        }
        _ => None,
    }
}

/// A 128-bit comparison from 64-bit ones: the high halves decide unless
/// they are equal, then the low halves (unsigned) do.
fn wide_compare_value(
    cx: &mut LoweringContext<'_>,
    dst: VReg,
    cond: IntCC,
    a: Value,
    b: Value,
) -> Result<(), CompileError> {
    use IntCC::*;
    let (cond, a, b) = normalize_int_cond(cond, a, b);
    let (Some((a_low, a_high)), Some((b_low, b_high))) = (halves(cx, a), halves(cx, b)) else {
        // Only the optimizer's fused comparisons produce 128-bit values;
        // an unknown form cannot be computed.
        return Err(cx.error("a 128-bit comparison of values that are not pairs of 64-bit halves"));
    };
    let (low, high) = (cx.fresh(), cx.fresh());
    match cond {
        Equal | NotEqual => {
            let equal = cond == Equal;
            cx.op(if equal {
                Op::Xeq64 {
                    dst: low,
                    a: a_low,
                    b: b_low,
                }
            } else {
                Op::Xne64 {
                    dst: low,
                    a: a_low,
                    b: b_low,
                }
            });
            cx.op(if equal {
                Op::Xeq64 {
                    dst: high,
                    a: a_high,
                    b: b_high,
                }
            } else {
                Op::Xne64 {
                    dst: high,
                    a: a_high,
                    b: b_high,
                }
            });
            cx.op(if equal {
                Op::Xband64 {
                    dst,
                    a: low,
                    b: high,
                }
            } else {
                Op::Xbor64 {
                    dst,
                    a: low,
                    b: high,
                }
            });
        }
        _ => {
            let signed = matches!(cond, SignedLessThan | SignedLessThanOrEqual);
            let or_equal = matches!(cond, SignedLessThanOrEqual | UnsignedLessThanOrEqual);
            let (same, low_holds) = (cx.fresh(), cx.fresh());
            cx.op(if signed {
                Op::Xslt64 {
                    dst: high,
                    a: a_high,
                    b: b_high,
                }
            } else {
                Op::Xult64 {
                    dst: high,
                    a: a_high,
                    b: b_high,
                }
            });
            cx.op(Op::Xeq64 {
                dst: same,
                a: a_high,
                b: b_high,
            });
            cx.op(if or_equal {
                Op::Xule64 {
                    dst: low,
                    a: a_low,
                    b: b_low,
                }
            } else {
                Op::Xult64 {
                    dst: low,
                    a: a_low,
                    b: b_low,
                }
            });
            cx.op(Op::Xband64 {
                dst: low_holds,
                a: same,
                b: low,
            });
            cx.op(Op::Xbor64 {
                dst,
                a: high,
                b: low_holds,
            });
        }
    }
    Ok(())
}

/// Swaps a constant left operand to the right.
pub(crate) fn constant_on_the_right(
    cx: &LoweringContext<'_>,
    cond: IntCC,
    a: Value,
    b: Value,
) -> (IntCC, Value, Value) {
    if cx.constant(a).is_some() && cx.constant(b).is_none() {
        (cond.swap_args(), b, a)
    } else {
        (cond, a, b)
    }
}

/// `dst = a <cond> b` for floats (0 or 1).
pub(crate) fn float_compare_value(
    cx: &mut LoweringContext<'_>,
    dst: VReg,
    cond: FloatCC,
    a: Value,
    b: Value,
) {
    let wide = cx.value_type(a) == F64;
    let (a, b) = (cx.vreg(a), cx.vreg(b));
    let basic = |cond: FloatCC, dst, a, b| -> Option<VirtualOp> {
        use FloatCC::*;
        Some(match (cond, wide) {
            (Equal, false) => Op::Feq32 { dst, a, b },
            (NotEqual, false) => Op::Fne32 { dst, a, b },
            (LessThan, false) => Op::Flt32 { dst, a, b },
            (LessThanOrEqual, false) => Op::Fle32 { dst, a, b },
            (GreaterThan, false) => Op::Flt32 { dst, a: b, b: a },
            (GreaterThanOrEqual, false) => Op::Fle32 { dst, a: b, b: a },
            (Equal, true) => Op::Feq64 { dst, a, b },
            (NotEqual, true) => Op::Fne64 { dst, a, b },
            (LessThan, true) => Op::Flt64 { dst, a, b },
            (LessThanOrEqual, true) => Op::Fle64 { dst, a, b },
            (GreaterThan, true) => Op::Flt64 { dst, a: b, b: a },
            (GreaterThanOrEqual, true) => Op::Fle64 { dst, a: b, b: a },
            _ => return None,
        })
    };
    if let Some(op) = basic(cond, dst, a, b) {
        cx.op(op);
        return;
    }
    // The unordered/ordered conditions: a negation of a basic one.
    let inverse = cond.complement();
    let flag = cx.fresh();
    if let Some(op) = basic(inverse, flag, a, b) {
        cx.op(op);
    } else {
        // `ord`/`uno`: (a == a) && (b == b), or its negation.
        let (left, right) = (cx.fresh(), cx.fresh());
        cx.op(basic(FloatCC::Equal, left, a, a).expect("basic"));
        cx.op(basic(FloatCC::Equal, right, b, b).expect("basic"));
        let ordered = if cond == FloatCC::Ordered { dst } else { flag };
        cx.op(Op::Xband32 {
            dst: ordered,
            a: left,
            b: right,
        });
        if cond == FloatCC::Ordered {
            return;
        }
    }
    cx.op(Op::Xbxor32Imm { dst, a: flag, b: 1 });
}

/// Rewrites a condition to one of `eq ne slt sle ult ule` by swapping
/// operands.
pub(crate) fn normalize_int_cond(cond: IntCC, a: Value, b: Value) -> (IntCC, Value, Value) {
    use IntCC::*;
    match cond {
        SignedGreaterThan
        | SignedGreaterThanOrEqual
        | UnsignedGreaterThan
        | UnsignedGreaterThanOrEqual => (cond.swap_args(), b, a),
        _ => (cond, a, b),
    }
}
