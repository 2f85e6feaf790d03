//! Instruction selection for vector (v128) instructions.
//!
//! A vector value lives in a pair of virtual registers (bytes 0..8 and
//! 8..16, see [`pulley_isa::table`]); this module maps each CLIF vector
//! instruction to the `v` op of its lane shape. Lane-type-agnostic CLIF
//! (`band`, `bitselect`, loads, `select`) maps to one op for every shape;
//! whole-lane moves of 64-bit lanes (`extractlane`, `insertlane`,
//! `splat`, `scalar_to_vector` of `i64x2`/`f64x2`) are plain `mov`s, and
//! float lanes reuse the integer op of their width where the bits are all
//! that matters.
//!
//! Loads, stores and selects of vectors are lowered with their scalar
//! forms (`memory`, `branch`); the op tables are in `vector_ops`.

use cranelift_codegen::ir::types::{F32X4, F64X2, I8X16, I16X8, I32X4, I64X2};
use cranelift_codegen::ir::{Inst, InstructionData, Opcode, Type, Value};
use pulley_isa::GenericOp as Op;

use super::context::LoweringContext;
use super::vector_ops::{
    BinaryOp, binary, binary_op, float_compare, fma_op, int_compare, narrow, shift, test_op, unary,
};
use crate::CompileError;

/// Whether `inst` is a vector instruction this module selects: one
/// that is not control flow and has a vector operand or result.
pub(crate) fn is_vector_inst(cx: &LoweringContext<'_>, inst: Inst) -> bool {
    let dfg = &cx.func.dfg;
    let opcode = dfg.insts[inst].opcode();
    if opcode.is_call() || opcode.is_branch() || opcode.is_terminator() {
        return false;
    }
    dfg.inst_results(inst)
        .iter()
        .chain(dfg.inst_args(inst))
        .any(|&value| dfg.value_type(value).is_vector())
}

/// Selects the vector instruction `inst`.
pub(crate) fn select_vector(cx: &mut LoweringContext<'_>, inst: Inst) -> Result<(), CompileError> {
    let func = cx.func;
    let data = func.dfg.insts[inst];
    let opcode = data.opcode();
    let result = func.dfg.inst_results(inst).first().copied();
    let ty = result.map_or(ir_invalid(), |value| cx.value_type(value));
    let unsupported = |cx: &LoweringContext<'_>| {
        cx.error(format_args!(
            "unsupported vector instruction {}",
            func.dfg.display_inst(inst)
        ))
    };
    match data {
        InstructionData::UnaryConst {
            constant_handle, ..
        } => {
            let bytes = func.dfg.constants.get(constant_handle).as_slice();
            let value = u128::from_le_bytes(bytes.try_into().map_err(|_| unsupported(cx))?);
            let (low, high) = cx.vdef(result.unwrap());
            cx.constant_into(low, value as u64 as i64);
            cx.constant_into(high, (value >> 64) as u64 as i64);
        }
        InstructionData::Binary {
            opcode: Opcode::Ishl | Opcode::Sshr | Opcode::Ushr,
            args: [a, amount],
        } => {
            let dst = cx.vdef(result.unwrap());
            let a = cx.vpair(a);
            let amount = cx.vreg(amount);
            cx.op(shift(opcode, ty, dst, a, amount).ok_or_else(|| unsupported(cx))?);
        }
        InstructionData::Binary {
            opcode: Opcode::Snarrow | Opcode::Unarrow | Opcode::Uunarrow,
            args: [a, b],
        } => {
            let make = narrow(opcode, cx.value_type(a)).ok_or_else(|| unsupported(cx))?;
            vector_binary(cx, make, result.unwrap(), a, b);
        }
        InstructionData::Binary {
            opcode: Opcode::Band,
            args: [a, b],
        } if inverted(cx, b).is_some() || inverted(cx, a).is_some() => {
            // `a & !b` (wasm's `v128.andnot`) is one op.
            let (a, b) = match inverted(cx, b) {
                Some(inverted) => (a, inverted),
                None => (b, inverted(cx, a).unwrap()),
            };
            vector_binary(cx, binary_op!(Vandnot), result.unwrap(), a, b);
        }
        InstructionData::Binary {
            opcode,
            args: [a, b],
        } => {
            let make = binary(opcode, ty).ok_or_else(|| unsupported(cx))?;
            vector_binary(cx, make, result.unwrap(), a, b);
        }
        InstructionData::Unary {
            opcode: Opcode::VanyTrue | Opcode::VallTrue | Opcode::VhighBits,
            arg,
        } => {
            let dst = cx.def(result.unwrap());
            let (src_lo, src_hi) = cx.vpair(arg);
            let input = cx.value_type(arg);
            let build = match (opcode, input) {
                (Opcode::VanyTrue, _) => test_op!(VanyTrue),
                (Opcode::VallTrue, I8X16) => test_op!(VallTrueI8x16),
                (Opcode::VallTrue, I16X8) => test_op!(VallTrueI16x8),
                (Opcode::VallTrue, I32X4 | F32X4) => test_op!(VallTrueI32x4),
                (Opcode::VallTrue, I64X2 | F64X2) => test_op!(VallTrueI64x2),
                (Opcode::VhighBits, I8X16) => test_op!(VbitmaskI8x16),
                (Opcode::VhighBits, I16X8) => test_op!(VbitmaskI16x8),
                (Opcode::VhighBits, I32X4 | F32X4) => test_op!(VbitmaskI32x4),
                (Opcode::VhighBits, I64X2 | F64X2) => test_op!(VbitmaskI64x2),
                _ => return Err(unsupported(cx)),
            };
            cx.op(build(dst, (src_lo, src_hi)));
        }
        InstructionData::Unary {
            opcode: Opcode::Splat,
            arg,
        } => {
            let (dst_lo, dst_hi) = cx.vdef(result.unwrap());
            let src = cx.vreg(arg);
            match ty.lane_bits() {
                8 => cx.op(Op::VsplatI8x16 {
                    dst_lo,
                    dst_hi,
                    src,
                }),
                16 => cx.op(Op::VsplatI16x8 {
                    dst_lo,
                    dst_hi,
                    src,
                }),
                32 => cx.op(Op::VsplatI32x4 {
                    dst_lo,
                    dst_hi,
                    src,
                }),
                _ => {
                    cx.op(Op::Mov { dst: dst_lo, src });
                    cx.op(Op::Mov { dst: dst_hi, src });
                }
            }
        }
        InstructionData::Unary {
            opcode: Opcode::ScalarToVector,
            arg,
        } => {
            let (low, high) = cx.vdef(result.unwrap());
            let src = cx.vreg(arg);
            cx.constant_into(high, 0);
            match ty.lane_bits() {
                64 => cx.op(Op::Mov { dst: low, src }),
                32 => cx.op(Op::Xzext32 { dst: low, src }),
                _ => return Err(unsupported(cx)),
            }
        }
        InstructionData::Unary { opcode, arg } => {
            let input = cx.value_type(arg);
            let make = unary(opcode, ty, input).ok_or_else(|| unsupported(cx))?;
            let dst = cx.vdef(result.unwrap());
            let src = cx.vpair(arg);
            cx.op(make(dst, src));
        }
        InstructionData::IntCompare {
            cond, args: [a, b], ..
        } => {
            let (make, swap) =
                int_compare(cond, cx.value_type(a)).ok_or_else(|| unsupported(cx))?;
            let (a, b) = if swap { (b, a) } else { (a, b) };
            vector_binary(cx, make, result.unwrap(), a, b);
        }
        InstructionData::FloatCompare {
            cond, args: [a, b], ..
        } => {
            let (make, swap) =
                float_compare(cond, cx.value_type(a)).ok_or_else(|| unsupported(cx))?;
            let (a, b) = if swap { (b, a) } else { (a, b) };
            vector_binary(cx, make, result.unwrap(), a, b);
        }
        InstructionData::Ternary {
            opcode: Opcode::Bitselect,
            args: [mask, a, b],
        } => {
            let (dst_lo, dst_hi) = cx.vdef(result.unwrap());
            let (mask_lo, mask_hi) = cx.vpair(mask);
            let (a_lo, a_hi) = cx.vpair(a);
            let (b_lo, b_hi) = cx.vpair(b);
            cx.op(Op::Vbitselect {
                dst_lo,
                dst_hi,
                mask_lo,
                mask_hi,
                a_lo,
                a_hi,
                b_lo,
                b_hi,
            });
        }
        InstructionData::Ternary {
            opcode: Opcode::Fma,
            args: [a, b, c],
        } => {
            let (dst_lo, dst_hi) = cx.vdef(result.unwrap());
            let (a_lo, a_hi) = cx.vpair(a);
            let (b_lo, b_hi) = cx.vpair(b);
            let (c_lo, c_hi) = cx.vpair(c);
            let operands = (dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi);
            cx.op(match ty {
                F32X4 => fma_op!(VfmaF32x4, operands),
                F64X2 => fma_op!(VfmaF64x2, operands),
                _ => return Err(unsupported(cx)),
            });
        }
        InstructionData::Shuffle {
            args: [a, b], imm, ..
        } => {
            let bytes = func.dfg.immediates.get(imm).map(|data| data.as_slice());
            let lanes = bytes
                .and_then(|bytes| <[u8; 16]>::try_from(bytes).ok())
                .map(u128::from_le_bytes)
                .ok_or_else(|| unsupported(cx))?;
            let (dst_lo, dst_hi) = cx.vdef(result.unwrap());
            let (a_lo, a_hi) = cx.vpair(a);
            let (b_lo, b_hi) = cx.vpair(b);
            cx.op(Op::Vshuffle {
                dst_lo,
                dst_hi,
                a_lo,
                a_hi,
                b_lo,
                b_hi,
                lanes,
            });
        }
        InstructionData::BinaryImm8 {
            opcode: Opcode::Extractlane,
            arg,
            imm: lane,
        } => {
            let dst = cx.def(result.unwrap());
            let (src_lo, src_hi) = cx.vpair(arg);
            let lane = lane & (cx.value_type(arg).lane_count() as u8 - 1);
            cx.op(match cx.value_type(arg).lane_bits() {
                8 => Op::VextractI8x16 {
                    dst,
                    src_lo,
                    src_hi,
                    lane,
                },
                16 => Op::VextractI16x8 {
                    dst,
                    src_lo,
                    src_hi,
                    lane,
                },
                32 => Op::VextractI32x4 {
                    dst,
                    src_lo,
                    src_hi,
                    lane,
                },
                _ => Op::Mov {
                    dst,
                    src: if lane == 0 { src_lo } else { src_hi },
                },
            });
        }
        InstructionData::TernaryImm8 {
            opcode: Opcode::Insertlane,
            args: [vector, value],
            imm: lane,
        } => {
            let (dst_lo, dst_hi) = cx.vdef(result.unwrap());
            let (src_lo, src_hi) = cx.vpair(vector);
            let value = cx.vreg(value);
            let lane = lane & (ty.lane_count() as u8 - 1);
            match ty.lane_bits() {
                8 => cx.op(Op::VinsertI8x16 {
                    dst_lo,
                    dst_hi,
                    src_lo,
                    src_hi,
                    value,
                    lane,
                }),
                16 => cx.op(Op::VinsertI16x8 {
                    dst_lo,
                    dst_hi,
                    src_lo,
                    src_hi,
                    value,
                    lane,
                }),
                32 => cx.op(Op::VinsertI32x4 {
                    dst_lo,
                    dst_hi,
                    src_lo,
                    src_hi,
                    value,
                    lane,
                }),
                _ => {
                    let (kept_dst, kept, replaced) = if lane == 0 {
                        (dst_hi, src_hi, dst_lo)
                    } else {
                        (dst_lo, src_lo, dst_hi)
                    };
                    cx.op(Op::Mov {
                        dst: kept_dst,
                        src: kept,
                    });
                    cx.op(Op::Mov {
                        dst: replaced,
                        src: value,
                    });
                }
            }
        }
        _ => return Err(unsupported(cx)),
    }
    Ok(())
}

/// `x` if `value` is `bnot x` and its only use, so that a user can absorb
/// the inversion.
fn inverted(cx: &LoweringContext<'_>, value: Value) -> Option<Value> {
    match cx.def_inst_of(value)? {
        (
            _,
            InstructionData::Unary {
                opcode: Opcode::Bnot,
                arg,
            },
        ) if cx.use_count(value) == 1 => Some(arg),
        _ => None,
    }
}

/// `result = make(a, b)` on register pairs.
fn vector_binary(cx: &mut LoweringContext<'_>, make: BinaryOp, result: Value, a: Value, b: Value) {
    let dst = cx.vdef(result);
    let a = cx.vpair(a);
    let b = cx.vpair(b);
    cx.op(make(dst, a, b));
}

/// The type of an instruction without results.
fn ir_invalid() -> Type {
    cranelift_codegen::ir::types::INVALID
}
