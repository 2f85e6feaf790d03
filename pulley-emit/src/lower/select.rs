//! Instruction selection: optimized Cranelift IR -> VCode.
//!
//! Blocks are lowered in reverse reverse-postorder and each block bottom-up,
//! so every user of a value is lowered before its definition. A user may
//! *absorb* an operand's defining instruction (a constant into an immediate,
//! a compare into a branch, address arithmetic into a memory op) instead of
//! reading its register; a pure instruction whose results no emitted
//! instruction reads is then not emitted.
//!
//! This module is the walk and the dispatch: each instruction goes to the
//! rule module of its concern, the more specific rule first (a remainder by
//! a constant before plain arithmetic, a bounds check that the access after
//! it makes before a conditional trap).

use cranelift_codegen::ir::{self, Inst, InstructionData, Opcode, Value};

use super::context::{LoweringContext, Selection};
use super::vcode::{REGISTER_PARAMS, VInst};
use super::{arithmetic, branch, call, compare, division, memory, simd};
use crate::CompileError;
use crate::translate::ModuleEnvironment;

/// Selects instructions for the whole function.
pub(crate) fn select(
    env: &ModuleEnvironment<'_>,
    func: &ir::Function,
    wasm_func: u32,
) -> Result<Selection, CompileError> {
    let mut cx = LoweringContext::new(env, func, wasm_func);
    for &block in reverse_postorder(func).iter().rev() {
        select_block(&mut cx, block)?;
    }
    Ok(cx.finish())
}

fn select_block(cx: &mut LoweringContext<'_>, block: ir::Block) -> Result<(), CompileError> {
    let func = cx.func;
    let id = cx.block_id(block);
    let mut reversed: Vec<(VInst, u32)> = Vec::new();
    let insts: Vec<Inst> = func.layout.block_insts(block).collect();
    cx.begin_block();
    for &inst in insts.iter().rev() {
        let effects = cx.has_effects(inst);
        if cx.is_alias(inst) || (!effects && !cx.is_read(inst)) {
            continue;
        }
        cx.begin_inst(inst);
        select_inst(cx, inst, id)?;
        reversed.extend(cx.finish_inst(effects).into_iter().rev());
    }
    let params: Vec<Value> = func.dfg.block_params(block).to_vec();
    if Some(block) == func.layout.entry_block() {
        let mut slots = cx.def_list(&params[1..]);
        let stack_params = slots.split_off(slots.len().min(REGISTER_PARAMS));
        let mut entry = vec![(VInst::Args { params: slots }, 0)];
        for (index, dst) in (REGISTER_PARAMS..).zip(stack_params) {
            entry.push((
                VInst::ParamLoad {
                    dst,
                    index: index as u32,
                },
                0,
            ));
        }
        reversed.extend(entry.into_iter().rev());
        reversed.reverse();
        cx.set_block(id, Vec::new(), reversed);
    } else {
        let params = cx.def_list(&params);
        reversed.reverse();
        cx.set_block(id, params, reversed);
    }
    Ok(())
}

/// Lowers `inst`, the last instruction of block `block` if it is a
/// terminator.
fn select_inst(cx: &mut LoweringContext<'_>, inst: Inst, block: u32) -> Result<(), CompileError> {
    let func = cx.func;
    let data = *cx.data(inst);
    let results = func.dfg.inst_results(inst);
    let result = results.first().copied();
    let ctrl = func.dfg.ctrl_typevar(inst);
    match data {
        // Memory accesses and selects take scalar and vector values alike.
        InstructionData::Load {
            opcode,
            arg,
            offset,
            ..
        } => memory::load(cx, opcode, ctrl, result.unwrap(), arg, i64::from(offset))?,
        InstructionData::Store {
            opcode,
            args: [value, address],
            offset,
            ..
        } => memory::store(cx, opcode, value, address, i64::from(offset))?,
        InstructionData::Ternary {
            opcode: Opcode::Select,
            args: [cond, a, b],
        } => branch::select(cx, result.unwrap(), cond, a, b),
        _ if simd::is_vector_inst(cx, inst) => simd::select_vector(cx, inst)?,
        InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            imm,
        } => arithmetic::integer_constant(cx, ctrl, result.unwrap(), imm.bits()),
        InstructionData::UnaryIeee32 { imm, .. } => {
            arithmetic::float_constant(cx, result.unwrap(), i64::from(imm.bits() as i32))
        }
        InstructionData::UnaryIeee64 { imm, .. } => {
            arithmetic::float_constant(cx, result.unwrap(), imm.bits() as i64)
        }
        InstructionData::Binary {
            opcode,
            args: [a, b],
        } => {
            if !division::remainder(cx, opcode, ctrl, result.unwrap(), a, b) {
                arithmetic::binary(cx, opcode, ctrl, result.unwrap(), a, b)?
            }
        }
        InstructionData::Unary { opcode, arg } => {
            arithmetic::unary(cx, opcode, ctrl, result.unwrap(), arg)?
        }
        InstructionData::IntCompare {
            cond, args: [a, b], ..
        } => {
            let dst = cx.def(result.unwrap());
            compare::int_compare_value(cx, dst, cond, a, b)?;
        }
        InstructionData::FloatCompare {
            cond, args: [a, b], ..
        } => {
            let dst = cx.def(result.unwrap());
            compare::float_compare_value(cx, dst, cond, a, b);
        }
        InstructionData::Jump { destination, .. } => branch::jump(cx, destination),
        InstructionData::Brif {
            arg,
            blocks: [then_call, else_call],
            ..
        } => branch::brif(cx, block, arg, then_call, else_call),
        InstructionData::BranchTable { arg, table, .. } => {
            branch::branch_table(cx, block, arg, table)
        }
        InstructionData::Trap { code, .. } => branch::trap(cx, code)?,
        InstructionData::CondTrap { opcode, arg, code } => {
            if !memory::elide_bounds_check(cx, inst, opcode, code) {
                branch::conditional_trap(cx, opcode, arg, code)?
            }
        }
        InstructionData::MultiAry {
            opcode: Opcode::Return,
            args,
        } => {
            let values: Vec<Value> = args.as_slice(&func.dfg.value_lists).to_vec();
            call::ret(cx, &values);
        }
        InstructionData::Call {
            opcode,
            args,
            func_ref,
        } => {
            let args: Vec<Value> = args.as_slice(&func.dfg.value_lists).to_vec();
            let results: Vec<Value> = results.to_vec();
            call::call(cx, opcode == Opcode::ReturnCall, func_ref, &args, &results)?;
        }
        InstructionData::NullAry {
            opcode: Opcode::Nop,
        } => {}
        other => {
            return Err(cx.error(format_args!("unsupported instruction {:?}", other.opcode())));
        }
    }
    Ok(())
}

/// The function's blocks in reverse postorder: every block after its
/// dominators.
fn reverse_postorder(func: &ir::Function) -> Vec<ir::Block> {
    let entry = func.layout.entry_block().expect("a function body");
    let mut visited = std::collections::HashSet::new();
    let mut postorder = Vec::new();
    // (block, successors not yet pushed)
    let mut stack = vec![(entry, successors(func, entry))];
    visited.insert(entry);
    while let Some((block, mut pending)) = stack.pop() {
        match pending.pop() {
            Some(next) => {
                stack.push((block, pending));
                if visited.insert(next) {
                    stack.push((next, successors(func, next)));
                }
            }
            None => postorder.push(block),
        }
    }
    postorder.reverse();
    postorder
}

fn successors(func: &ir::Function, block: ir::Block) -> Vec<ir::Block> {
    let Some(last) = func.layout.last_inst(block) else {
        return Vec::new();
    };
    let mut successors: Vec<ir::Block> = func.dfg.insts[last]
        .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)
        .iter()
        .map(|call| call.block(&func.dfg.value_lists))
        .collect();
    // Visit in source order.
    successors.reverse();
    successors
}
