//! Control flow and conditions: jumps, conditional branches (fusing a
//! single-use compare into a compare-and-branch op), branch tables, traps,
//! conditional traps, and selects.
//!
//! Each edge of a conditional branch or a branch table gets its own block,
//! which passes the block arguments of that edge.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::{CondCode, FloatCC, IntCC};
use cranelift_codegen::ir::types::F64;
use cranelift_codegen::ir::{self, BlockArg, InstructionData, Opcode, Value};
use pulley_isa::GenericOp as Op;
use regalloc2::VReg;

use super::compare::{constant_on_the_right, normalize_int_cond};
use super::context::LoweringContext;
use super::vcode::{Label, VInst, VirtualOp};
use crate::{CompileError, traps};

/// `jump block(args)`.
pub(crate) fn jump(cx: &mut LoweringContext<'_>, destination: ir::BlockCall) {
    let (target, values) = block_call(cx, destination);
    let args = cx.read_list(&values);
    cx.emit(VInst::Jump { target, args });
}

/// `brif condition, then_call, else_call`, the last instruction of block
/// `block`.
pub(crate) fn brif(
    cx: &mut LoweringContext<'_>,
    block: u32,
    condition: Value,
    then_call: ir::BlockCall,
    else_call: ir::BlockCall,
) {
    let taken = edge(cx, block, then_call);
    let not_taken = edge(cx, block, else_call);
    let op = conditional_branch(cx, condition, true, Label::Block(taken));
    cx.emit(VInst::Branch {
        op,
        taken,
        not_taken,
    });
}

/// `br_table index, table`, the last instruction of block `block`: one
/// edge per distinct target, the default last.
pub(crate) fn branch_table(
    cx: &mut LoweringContext<'_>,
    block: u32,
    index: Value,
    table: ir::JumpTable,
) {
    let table = &cx.func.dfg.jump_tables[table];
    // Entries are distinct block calls even where they name the same block
    // with the same arguments: one edge for each distinct (block, arguments),
    // so that a table of a million entries to a few blocks costs a few edges.
    let mut seen: HashMap<(u32, Vec<Value>), u32> = HashMap::new();
    let mut targets = Vec::new();
    let calls: Vec<ir::BlockCall> = table.as_slice().to_vec();
    let default = table.default_block();
    for call in calls.iter().copied().chain(std::iter::once(default)) {
        let key = block_call(cx, call);
        let edge = match seen.get(&key) {
            Some(&edge) => edge,
            None => {
                let edge = edge(cx, block, call);
                seen.insert(key, edge);
                edge
            }
        };
        targets.push(edge);
    }
    let index = cx.vreg(index);
    cx.emit(VInst::Table { index, targets });
}

/// `trap code`.
pub(crate) fn trap(cx: &mut LoweringContext<'_>, code: ir::TrapCode) -> Result<(), CompileError> {
    let code = trap_code(cx, code)?;
    cx.op(Op::Trap { code });
    Ok(())
}

/// `trapnz`/`trapz condition, code`: a branch to the function's trap for
/// `code` at this wasm offset.
pub(crate) fn conditional_trap(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    condition: Value,
    code: ir::TrapCode,
) -> Result<(), CompileError> {
    let label = Label::Trap(trap_code(cx, code)?, cx.srcloc());
    let op = conditional_branch(cx, condition, opcode == Opcode::Trapnz, label);
    cx.op(op);
    Ok(())
}

/// `result = select condition, a, b`, on scalars or vectors (one select per
/// register of the pair).
pub(crate) fn select(
    cx: &mut LoweringContext<'_>,
    result: Value,
    condition: Value,
    a: Value,
    b: Value,
) {
    if cx.value_type(result).is_vector() {
        let dst = cx.vdef(result);
        let (cond, wide) = condition_register(cx, condition);
        let a = cx.vpair(a);
        let b = cx.vpair(b);
        for (dst, if_true, if_false) in [(dst.0, a.0, b.0), (dst.1, a.1, b.1)] {
            cx.op(select_op(wide, dst, cond, if_true, if_false));
        }
    } else {
        let dst = cx.def(result);
        let (cond, wide) = condition_register(cx, condition);
        let (if_true, if_false) = (cx.vreg(a), cx.vreg(b));
        cx.op(select_op(wide, dst, cond, if_true, if_false));
    }
}

/// The target block id and the values a block call passes.
fn block_call(cx: &LoweringContext<'_>, call: ir::BlockCall) -> (u32, Vec<Value>) {
    let value_lists = &cx.func.dfg.value_lists;
    let target = cx.block_id(call.block(value_lists));
    let values = call
        .args(value_lists)
        .filter_map(|arg| match arg {
            BlockArg::Value(value) => Some(value),
            _ => None,
        })
        .collect();
    (target, values)
}

/// An edge block that jumps to `call`'s block with its arguments, after
/// the block `from`. A constant argument used nowhere else is
/// materialized in the edge block, so that only this edge pays for it.
fn edge(cx: &mut LoweringContext<'_>, from: u32, call: ir::BlockCall) -> u32 {
    let (target, values) = block_call(cx, call);
    let (args, constants) = cx.set_aside(|cx| {
        let mut args = Vec::with_capacity(values.len());
        for value in values {
            match cx.constant(value) {
                Some(constant) if cx.use_count(value) == 1 => {
                    let dst = cx.fresh();
                    cx.constant_into(dst, constant);
                    args.push(dst);
                }
                _ => args.extend(cx.read_list(&[value])),
            }
        }
        args
    });
    let insts = constants
        .into_iter()
        .chain([VInst::Jump { target, args }])
        .collect();
    cx.add_edge_block(from, insts)
}

/// The register and width to test for a branch or select condition.
fn condition_register(cx: &mut LoweringContext<'_>, value: Value) -> (VReg, bool) {
    let ty = cx.value_type(value);
    (cx.widened(value, false), ty.bits() == 64)
}

fn trap_code(
    cx: &LoweringContext<'_>,
    code: ir::TrapCode,
) -> Result<pulley_isa::TrapCode, CompileError> {
    traps::to_isa(code).ok_or_else(|| cx.error(format_args!("unknown trap code {code}")))
}

/// A branch op to `label` taken when `condition` is nonzero (`when_true`)
/// or zero, fusing a single-use compare into the branch.
fn conditional_branch(
    cx: &mut LoweringContext<'_>,
    condition: Value,
    when_true: bool,
    label: Label,
) -> VirtualOp {
    let resolved = cx.resolve(condition);
    let single_use = cx.use_count(resolved) == 1;
    if single_use && let Some(inst) = cx.def_inst(resolved) {
        match *cx.data(inst) {
            InstructionData::IntCompare {
                cond, args: [a, b], ..
            } if cx.value_type(a).bits() <= 64 => {
                let cond = if when_true { cond } else { cond.complement() };
                return compare_and_branch(cx, cond, a, b, label);
            }
            InstructionData::FloatCompare {
                cond, args: [a, b], ..
            } if when_true => {
                if let Some(op) = float_branch(cx, cond, a, b, label) {
                    return op;
                }
            }
            _ => {}
        }
    }
    let (cond, wide) = condition_register(cx, condition);
    match (when_true, wide) {
        (true, false) => Op::BrIf32 {
            cond,
            target: label,
        },
        (false, false) => Op::BrIfNot32 {
            cond,
            target: label,
        },
        (true, true) => Op::BrIf64 {
            cond,
            target: label,
        },
        (false, true) => Op::BrIfNot64 {
            cond,
            target: label,
        },
    }
}

fn compare_and_branch(
    cx: &mut LoweringContext<'_>,
    cond: IntCC,
    a: Value,
    b: Value,
    target: Label,
) -> VirtualOp {
    let (cond, a, b) = constant_on_the_right(cx, cond, a, b);
    let signed = cond.unsigned() != cond;
    let wide = cx.value_type(a).bits() == 64;
    if let Some(imm) = cx.compare_immediate(a, b, signed) {
        let a = cx.widened(a, signed);
        use IntCC::*;
        return match (cond, wide) {
            (Equal, false) => Op::BrIfXeq32Imm { a, b: imm, target },
            (NotEqual, false) => Op::BrIfXne32Imm { a, b: imm, target },
            (SignedLessThan, false) => Op::BrIfXslt32Imm { a, b: imm, target },
            (SignedLessThanOrEqual, false) => Op::BrIfXsle32Imm { a, b: imm, target },
            (SignedGreaterThan, false) => Op::BrIfXsgt32Imm { a, b: imm, target },
            (SignedGreaterThanOrEqual, false) => Op::BrIfXsge32Imm { a, b: imm, target },
            (UnsignedLessThan, false) => Op::BrIfXult32Imm { a, b: imm, target },
            (UnsignedLessThanOrEqual, false) => Op::BrIfXule32Imm { a, b: imm, target },
            (UnsignedGreaterThan, false) => Op::BrIfXugt32Imm { a, b: imm, target },
            (UnsignedGreaterThanOrEqual, false) => Op::BrIfXuge32Imm { a, b: imm, target },
            (Equal, true) => Op::BrIfXeq64Imm { a, b: imm, target },
            (NotEqual, true) => Op::BrIfXne64Imm { a, b: imm, target },
            (SignedLessThan, true) => Op::BrIfXslt64Imm { a, b: imm, target },
            (SignedLessThanOrEqual, true) => Op::BrIfXsle64Imm { a, b: imm, target },
            (SignedGreaterThan, true) => Op::BrIfXsgt64Imm { a, b: imm, target },
            (SignedGreaterThanOrEqual, true) => Op::BrIfXsge64Imm { a, b: imm, target },
            (UnsignedLessThan, true) => Op::BrIfXult64Imm { a, b: imm, target },
            (UnsignedLessThanOrEqual, true) => Op::BrIfXule64Imm { a, b: imm, target },
            (UnsignedGreaterThan, true) => Op::BrIfXugt64Imm { a, b: imm, target },
            (UnsignedGreaterThanOrEqual, true) => Op::BrIfXuge64Imm { a, b: imm, target },
        };
    }
    let (cond, a, b) = normalize_int_cond(cond, a, b);
    let (a, b) = (cx.widened(a, signed), cx.widened(b, signed));
    use IntCC::*;
    match (cond, wide) {
        (Equal, false) => Op::BrIfXeq32 { a, b, target },
        (NotEqual, false) => Op::BrIfXne32 { a, b, target },
        (SignedLessThan, false) => Op::BrIfXslt32 { a, b, target },
        (SignedLessThanOrEqual, false) => Op::BrIfXsle32 { a, b, target },
        (UnsignedLessThan, false) => Op::BrIfXult32 { a, b, target },
        (UnsignedLessThanOrEqual, false) => Op::BrIfXule32 { a, b, target },
        (Equal, true) => Op::BrIfXeq64 { a, b, target },
        (NotEqual, true) => Op::BrIfXne64 { a, b, target },
        (SignedLessThan, true) => Op::BrIfXslt64 { a, b, target },
        (SignedLessThanOrEqual, true) => Op::BrIfXsle64 { a, b, target },
        (UnsignedLessThan, true) => Op::BrIfXult64 { a, b, target },
        (UnsignedLessThanOrEqual, true) => Op::BrIfXule64 { a, b, target },
        _ => unreachable!("normalized"),
    }
}

fn float_branch(
    cx: &mut LoweringContext<'_>,
    cond: FloatCC,
    a: Value,
    b: Value,
    target: Label,
) -> Option<VirtualOp> {
    let wide = cx.value_type(a) == F64;
    let (a, b) = match cond {
        FloatCC::GreaterThan | FloatCC::GreaterThanOrEqual => (b, a),
        _ => (a, b),
    };
    let cond = match cond {
        FloatCC::GreaterThan => FloatCC::LessThan,
        FloatCC::GreaterThanOrEqual => FloatCC::LessThanOrEqual,
        other => other,
    };
    if !matches!(
        cond,
        FloatCC::Equal | FloatCC::NotEqual | FloatCC::LessThan | FloatCC::LessThanOrEqual
    ) {
        return None;
    }
    let (a, b) = (cx.vreg(a), cx.vreg(b));
    Some(match (cond, wide) {
        (FloatCC::Equal, false) => Op::BrIfFeq32 { a, b, target },
        (FloatCC::NotEqual, false) => Op::BrIfFne32 { a, b, target },
        (FloatCC::LessThan, false) => Op::BrIfFlt32 { a, b, target },
        (FloatCC::LessThanOrEqual, false) => Op::BrIfFle32 { a, b, target },
        (FloatCC::Equal, true) => Op::BrIfFeq64 { a, b, target },
        (FloatCC::NotEqual, true) => Op::BrIfFne64 { a, b, target },
        (FloatCC::LessThan, true) => Op::BrIfFlt64 { a, b, target },
        (_, true) => Op::BrIfFle64 { a, b, target },
        (_, false) => Op::BrIfFle32 { a, b, target },
    })
}

/// `dst = cond ? if_true : if_false`, testing 64 bits of `cond` if `wide`,
/// else 32.
fn select_op(wide: bool, dst: VReg, cond: VReg, if_true: VReg, if_false: VReg) -> VirtualOp {
    if wide {
        Op::Xselect64 {
            dst,
            cond,
            if_true,
            if_false,
        }
    } else {
        Op::Xselect32 {
            dst,
            cond,
            if_true,
            if_false,
        }
    }
}
