//! Loop-invariant code out of loops: an interpreter-specific mid-end pass.
//!
//! Cranelift's optimizer rematerializes constants, and ALU ops with a
//! constant operand, in every block that uses them, loop bodies included:
//! that suits a native target, where an immediate costs nothing and a
//! register is scarce. In Pulley each costs one executed op per iteration.
//! So after the optimizer, a pure, non-trapping instruction in a loop whose
//! operands are available before it moves to the end of the immediate
//! dominator of the loop's header, and equal constants moved to one block
//! become one value.
//!
//! Registers are frame slots, plentiful but not free: a value live across a
//! loop occupies one of regalloc's registers for the whole loop, and too
//! many cause spills, which cost moves. So only small loops (where the
//! values are likely used on every iteration) give up at most a few values
//! each, out of the innermost loop only. A constant only passed to block
//! parameters stays: it would cost a move instead.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::ir::{self, Block, Inst, InstructionData, Opcode, Type, ValueDef};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};

/// A constant's identity: its block, opcode, type and bits.
type ConstantKey = (Block, Opcode, Type, u64);

/// Loops with more instructions than this (inner loops included) keep
/// their invariants: in a large loop body most paths use few of them.
const MAX_LOOP_INSTRUCTIONS: usize = 400;

/// At most this many values leave one loop.
const MAX_HOISTED_PER_LOOP: usize = 24;

/// Moves the loop-invariant instructions of `func` out of its loops (see
/// the module docs). `domtree` and `loops` must describe `func`.
pub(crate) fn hoist_loop_invariants(
    func: &mut ir::Function,
    domtree: &DominatorTree,
    loops: &LoopAnalysis,
) {
    let operands = operand_values(func);
    let sizes = loop_sizes(func, loops);
    let mut hoisted: HashMap<Loop, usize> = HashMap::new();
    let mut constants: HashMap<ConstantKey, Inst> = HashMap::new();
    let mut aliased = false;
    // Blocks in reverse postorder: an instruction's operands are visited
    // (and perhaps hoisted) before it.
    for block in domtree.cfg_rpo().copied().collect::<Vec<_>>() {
        let Some(lp) = loops.innermost_loop(block) else {
            continue;
        };
        if sizes.get(&lp).copied().unwrap_or(0) > MAX_LOOP_INSTRUCTIONS {
            continue;
        }
        let Some(destination) = domtree.idom(loops.loop_header(lp)) else {
            continue;
        };
        let mut cursor = func.layout.first_inst(block);
        while let Some(inst) = cursor {
            cursor = func.layout.next_inst(inst);
            if hoisted.get(&lp).copied().unwrap_or(0) >= MAX_HOISTED_PER_LOOP {
                break;
            }
            if !is_movable(func, inst) {
                continue;
            }
            let results = func.dfg.inst_results(inst);
            if results.len() != 1 || !operands.contains(&results[0]) {
                continue;
            }
            let available = func.dfg.inst_args(inst).iter().all(|&arg| {
                let defined_in = match func.dfg.value_def(arg) {
                    ValueDef::Result(def, _) => func.layout.inst_block(def),
                    ValueDef::Param(param_block, _) => Some(param_block),
                    _ => None,
                };
                defined_in.is_some_and(|b| domtree.block_dominates(b, destination))
            });
            if !available {
                continue;
            }
            func.layout.remove_inst(inst);
            if let Some(key) = constant_key(func, inst, destination) {
                if let Some(&existing) = constants.get(&key) {
                    func.dfg.replace_with_aliases(inst, existing);
                    aliased = true;
                    continue;
                }
                constants.insert(key, inst);
            }
            *hoisted.entry(lp).or_default() += 1;
            let terminator = func
                .layout
                .last_inst(destination)
                .expect("a block in the layout ends in a terminator");
            func.layout.insert_inst(inst, terminator);
        }
    }
    if aliased {
        func.dfg.resolve_all_aliases();
    }
}

/// Values some instruction reads as an operand (not as a branch argument).
fn operand_values(func: &ir::Function) -> HashSet<ir::Value> {
    let mut operands = HashSet::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            operands.extend(
                func.dfg
                    .inst_args(inst)
                    .iter()
                    .map(|&v| func.dfg.resolve_aliases(v)),
            );
        }
    }
    operands
}

/// Whether `inst` computes a value from its operands alone: no memory, no
/// trap, no other effect.
fn is_movable(func: &ir::Function, inst: Inst) -> bool {
    let opcode = func.dfg.insts[inst].opcode();
    !(opcode.is_call()
        || opcode.is_branch()
        || opcode.is_terminator()
        || opcode.can_load()
        || opcode.can_store()
        || opcode.can_trap()
        || opcode.other_side_effects())
}

/// The number of instructions in each loop, inner loops included.
fn loop_sizes(func: &ir::Function, loops: &LoopAnalysis) -> HashMap<Loop, usize> {
    let mut sizes: HashMap<Loop, usize> = HashMap::new();
    for block in func.layout.blocks() {
        let count = func.layout.block_insts(block).count();
        let mut lp = loops.innermost_loop(block);
        while let Some(l) = lp {
            *sizes.entry(l).or_default() += count;
            lp = loops.loop_parent(l);
        }
    }
    sizes
}

/// The identity of a constant-defining instruction moved to `block`.
fn constant_key(func: &ir::Function, inst: Inst, block: Block) -> Option<ConstantKey> {
    let (opcode, bits) = match func.dfg.insts[inst] {
        InstructionData::UnaryImm {
            opcode: opcode @ Opcode::Iconst,
            imm,
        } => (opcode, imm.bits() as u64),
        InstructionData::UnaryIeee32 {
            opcode: opcode @ Opcode::F32const,
            imm,
        } => (opcode, u64::from(imm.bits())),
        InstructionData::UnaryIeee64 {
            opcode: opcode @ Opcode::F64const,
            imm,
        } => (opcode, imm.bits()),
        _ => return None,
    };
    let ty = func.dfg.value_type(func.dfg.first_result(inst));
    Some((block, opcode, ty, bits))
}
