//! A cheap estimate of register pressure, to send functions whose shape
//! would make regalloc2's backtracking allocator slow to its single-pass
//! one (see `SINGLE_PASS_PRESSURE`).

use regalloc2::{Function, Inst, OperandKind};

use super::vcode::VCode;

/// The most values live at once, counting a value live from its definition
/// to its last use in the order instructions are numbered. Linear in the
/// function's size. Around a loop's back edge a value may be live longer
/// than this counts; as a threshold, that is close enough.
pub(super) fn estimate(vcode: &VCode) -> usize {
    let insts = vcode.num_insts();
    let mut first = vec![u32::MAX; vcode.num_vregs()];
    let mut last = vec![0u32; vcode.num_vregs()];
    let mut mark = |vreg: usize, at: u32, defines: bool| {
        if defines {
            first[vreg] = first[vreg].min(at);
        } else {
            last[vreg] = last[vreg].max(at);
        }
    };
    for block in 0..vcode.num_blocks() {
        let block = regalloc2::Block::new(block);
        let start = vcode.block_insns(block).first().index() as u32;
        for param in vcode.block_params(block) {
            mark(param.vreg(), start, true);
        }
    }
    for at in 0..insts {
        let inst = Inst::new(at);
        for operand in vcode.inst_operands(inst) {
            mark(
                operand.vreg().vreg(),
                at as u32,
                operand.kind() == OperandKind::Def,
            );
        }
        if vcode.is_branch(inst) {
            for arg in vcode.branch_args(inst) {
                mark(arg.vreg(), at as u32, false);
            }
        }
    }
    let mut change = vec![0i64; insts + 1];
    for (&first, &last) in first.iter().zip(&last) {
        if first <= last {
            change[first as usize] += 1;
            change[last as usize + 1] -= 1;
        }
    }
    let (mut live, mut most) = (0i64, 0i64);
    for delta in change {
        live += delta;
        most = most.max(live);
    }
    most as usize
}
