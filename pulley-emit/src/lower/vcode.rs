//! VCode: Pulley ops over virtual registers, in blocks, as regalloc2 sees
//! them.
//!
//! Most instructions are [`GenericOp`]s of the [`Virtual`] operand family:
//! the very ops of the ISA table, with virtual registers for slots and
//! [`Label`]s for branch targets. A few pseudo-instructions exist only until
//! emission (`Args`, `ParamLoad`, block terminators).

use pulley_isa::{GenericOp, OperandFamily, OperandVisitor, TrapCode};
use regalloc2::{
    Block as RaBlock, Function, Inst as RaInst, InstRange, Operand, PReg, PRegSet, RegClass, VReg,
};

/// Where a branch goes: a block, or the function's shared trap for a code.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Label {
    /// A VCode block.
    Block(u32),
    /// A `trap code` op emitted at the end of the function, one per code and
    /// wasm offset (so the trap reports where it came from).
    Trap(TrapCode, u32),
}

/// Operands before register allocation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Virtual;

impl OperandFamily for Virtual {
    type Dst = VReg;
    type Src = VReg;
    type DstWide = VReg;
    type SrcWide = VReg;
    type DstList = Vec<VReg>;
    type SrcList = Vec<VReg>;
    type Target = Label;
    type JumpTable = Vec<Label>;
}

/// An op before register allocation.
pub(crate) type VirtualOp = GenericOp<Virtual>;

/// Allocatable registers: regalloc2 numbers 63 per class (its 64th encoding
/// is its invalid register).
pub(crate) const REGISTERS: usize = 63;

/// Parameters that arrive in a fixed register (the rest are loaded from
/// their slots with `ParamLoad`).
pub(crate) const REGISTER_PARAMS: usize = REGISTERS;

/// A VCode instruction.
#[derive(Clone, Debug)]
pub(crate) enum VInst {
    /// An ISA op. Branches to trap labels are ordinary instructions here;
    /// `ret`, `trap` and tail calls end their block.
    Op(VirtualOp),
    /// Defines the parameters that arrive in registers (function entry).
    Args { params: Vec<VReg> },
    /// Defines parameter `index` (at or beyond `REGISTER_PARAMS`), which the
    /// caller left in slot `index`.
    ParamLoad { dst: VReg, index: u32 },
    /// Jumps to a block, passing its block parameters.
    Jump { target: u32, args: Vec<VReg> },
    /// A conditional branch op (targeting `Label::Block(taken)`) that falls
    /// through to `not_taken`.
    Branch {
        op: VirtualOp,
        taken: u32,
        not_taken: u32,
    },
    /// Jumps to `targets[min(index, len - 1)]`.
    Table { index: VReg, targets: Vec<u32> },
}

impl VInst {
    /// Whether this instruction ends its block without successors.
    pub(crate) fn is_return(&self) -> bool {
        match self {
            VInst::Op(op) => {
                let flags = op.flags();
                flags.is_terminator() && !flags.branches()
            }
            _ => false,
        }
    }

    /// Whether this instruction ends its block with successors.
    pub(crate) fn is_branch(&self) -> bool {
        matches!(
            self,
            VInst::Jump { .. } | VInst::Branch { .. } | VInst::Table { .. }
        )
    }

    /// The block successors of a branch.
    pub(crate) fn successors(&self) -> Vec<u32> {
        match self {
            VInst::Jump { target, .. } => vec![*target],
            VInst::Branch {
                taken, not_taken, ..
            } => vec![*taken, *not_taken],
            // Each successor once: many entries may share an edge, and
            // regalloc2 counts a repeated successor as another predecessor.
            VInst::Table { targets, .. } => {
                let mut seen = std::collections::HashSet::new();
                targets
                    .iter()
                    .copied()
                    .filter(|&t| seen.insert(t))
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Collects regalloc2 operands of an op in table order: slots must be
/// registers (one-byte operands), lists may be anywhere (two-byte entries).
struct OperandCollector<'a> {
    operands: &'a mut Vec<Operand>,
}

impl OperandVisitor<Virtual> for OperandCollector<'_> {
    fn dst(&mut self, dst: &VReg) {
        self.operands.push(Operand::reg_def(*dst));
    }
    fn src(&mut self, src: &VReg) {
        self.operands.push(Operand::reg_use(*src));
    }
    fn dst_wide(&mut self, dst: &VReg) {
        self.operands.push(Operand::any_def(*dst));
    }
    fn src_wide(&mut self, src: &VReg) {
        self.operands.push(Operand::any_use(*src));
    }
    fn dst_list(&mut self, list: &Vec<VReg>) {
        self.operands
            .extend(list.iter().map(|&v| Operand::any_def(v)));
    }
    fn src_list(&mut self, list: &Vec<VReg>) {
        self.operands
            .extend(list.iter().map(|&v| Operand::any_use(v)));
    }
}

/// Appends the operands of `inst` to `operands`.
pub(crate) fn collect_operands(inst: &VInst, operands: &mut Vec<Operand>) {
    match inst {
        VInst::Op(op) | VInst::Branch { op, .. } => {
            op.visit_operands(&mut OperandCollector { operands })
        }
        VInst::Args { params } => {
            for (i, &param) in params.iter().enumerate() {
                operands.push(Operand::reg_fixed_def(param, PReg::new(i, RegClass::Int)));
            }
        }
        VInst::ParamLoad { dst, .. } => operands.push(Operand::reg_def(*dst)),
        VInst::Jump { .. } => {}
        VInst::Table { index, .. } => operands.push(Operand::reg_use(*index)),
    }
}

/// A block of VCode.
#[derive(Clone, Debug)]
pub(crate) struct VBlock {
    pub(crate) params: Vec<VReg>,
    pub(crate) insts: InstRange,
    pub(crate) succs: Vec<RaBlock>,
    pub(crate) preds: Vec<RaBlock>,
}

/// A function in VCode form, ready for register allocation.
#[derive(Default)]
pub(crate) struct VCode {
    pub(crate) insts: Vec<VInst>,
    /// The wasm offset each instruction came from.
    pub(crate) srclocs: Vec<u32>,
    pub(crate) operands: Vec<Operand>,
    pub(crate) operand_ranges: Vec<(u32, u32)>,
    pub(crate) blocks: Vec<VBlock>,
    pub(crate) num_vregs: usize,
}

impl VCode {
    /// Clears everything, keeping allocations.
    pub(crate) fn clear(&mut self) {
        self.insts.clear();
        self.srclocs.clear();
        self.operands.clear();
        self.operand_ranges.clear();
        self.blocks.clear();
        self.num_vregs = 0;
    }

    /// Appends an instruction with its operands.
    pub(crate) fn push(&mut self, inst: VInst, srcloc: u32) {
        let start = self.operands.len() as u32;
        collect_operands(&inst, &mut self.operands);
        self.operand_ranges
            .push((start, self.operands.len() as u32));
        self.insts.push(inst);
        self.srclocs.push(srcloc);
    }

    /// The block-parameter arguments a branch passes to its `succ_index`th
    /// successor.
    pub(super) fn branch_args(&self, inst: RaInst) -> &[VReg] {
        match &self.insts[inst.index()] {
            VInst::Jump { args, .. } => args,
            _ => &[],
        }
    }
}

impl Function for VCode {
    fn num_insts(&self) -> usize {
        self.insts.len()
    }

    fn num_blocks(&self) -> usize {
        self.blocks.len()
    }

    fn entry_block(&self) -> RaBlock {
        RaBlock::new(0)
    }

    fn block_insns(&self, block: RaBlock) -> InstRange {
        self.blocks[block.index()].insts
    }

    fn block_succs(&self, block: RaBlock) -> &[RaBlock] {
        &self.blocks[block.index()].succs
    }

    fn block_preds(&self, block: RaBlock) -> &[RaBlock] {
        &self.blocks[block.index()].preds
    }

    fn block_params(&self, block: RaBlock) -> &[VReg] {
        &self.blocks[block.index()].params
    }

    fn is_ret(&self, inst: RaInst) -> bool {
        self.insts[inst.index()].is_return()
    }

    fn is_branch(&self, inst: RaInst) -> bool {
        self.insts[inst.index()].is_branch()
    }

    fn branch_blockparams(&self, _block: RaBlock, inst: RaInst, _succ_index: usize) -> &[VReg] {
        self.branch_args(inst)
    }

    fn inst_operands(&self, inst: RaInst) -> &[Operand] {
        let (start, end) = self.operand_ranges[inst.index()];
        &self.operands[start as usize..end as usize]
    }

    fn inst_clobbers(&self, _inst: RaInst) -> PRegSet {
        // Calls get a fresh register window: nothing is clobbered.
        PRegSet::empty()
    }

    fn num_vregs(&self) -> usize {
        self.num_vregs
    }

    fn spillslot_size(&self, _class: RegClass) -> usize {
        1
    }
}

/// The registers regalloc2 may use: 63 integer-class registers (every value,
/// integer, float or reference, is a 64-bit slot).
pub(crate) fn machine_env() -> regalloc2::MachineEnv {
    let mut preferred = PRegSet::empty();
    for i in 0..REGISTERS {
        preferred.add(PReg::new(i, RegClass::Int));
    }
    regalloc2::MachineEnv {
        preferred_regs_by_class: [preferred, PRegSet::empty(), PRegSet::empty()],
        non_preferred_regs_by_class: [PRegSet::empty(); 3],
        scratch_by_class: [None; 3],
        fixed_stack_slots: Vec::new(),
    }
}
