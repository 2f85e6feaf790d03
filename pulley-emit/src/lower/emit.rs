//! Emission: register allocation results -> frame slots -> bytecode.
//!
//! * Registers are renumbered densely (parameters keep slots `0..n`), spill
//!   slots follow, so a frame is only as large as what it uses.
//! * Blocks that only jump are threaded away; a jump to the next block
//!   falls through; a conditional branch whose taken target is next is
//!   inverted when the ISA has the inverse.
//! * Branches to traps go to one `trap` op per (code, wasm offset) at the
//!   end of the function.
//! * Every op that can trap or call gets an address-map entry.
//!
//! All branch offsets are 32 bits, so no branch ever needs relaxation.

use std::collections::{BTreeMap, HashMap};

use pulley_isa::{
    GenericOp as Op, OperandFamily, OperandMapper, Owned, OwnedOp, PcRel, Slot, TrapCode,
};
use regalloc2::{Allocation, AllocationKind, Edit, Function, InstOrEdit, Output};

use super::vcode::{Label, REGISTER_PARAMS, VCode, VInst, Virtual};
use crate::CompileError;

/// Ops with slots assigned and labels not yet resolved.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Placed;

impl OperandFamily for Placed {
    type Dst = Slot;
    type Src = Slot;
    type DstWide = Slot;
    type SrcWide = Slot;
    type DstList = Vec<Slot>;
    type SrcList = Vec<Slot>;
    type Target = Label;
    type JumpTable = Vec<Label>;
}

type PlacedOp = Op<Placed>;

/// One function's bytecode and metadata.
pub(crate) struct EmittedFunction {
    pub(crate) code: Vec<u8>,
    pub(crate) frame_slots: u32,
    /// (offset in `code`, wasm offset) for ops that can trap or call.
    pub(crate) address_map: Vec<(u32, u32)>,
}

/// Maps allocations to frame slots.
struct SlotMap {
    registers: [u16; super::vcode::REGISTERS],
    spill_base: u32,
}

impl SlotMap {
    fn slot(&self, allocation: Allocation) -> Slot {
        match allocation.kind() {
            AllocationKind::Reg => {
                let preg = allocation.as_reg().expect("a register allocation");
                Slot(self.registers[preg.hw_enc()])
            }
            AllocationKind::Stack => {
                let spill = allocation.as_stack().expect("a stack allocation");
                Slot((self.spill_base + spill.index() as u32) as u16)
            }
            AllocationKind::None => Slot(0),
        }
    }
}

/// Maps a virtual op's operands to the allocations regalloc2 chose for
/// them, in table order.
struct AllocationMapper<'a> {
    allocations: std::slice::Iter<'a, Allocation>,
    slots: &'a SlotMap,
}

impl AllocationMapper<'_> {
    fn next(&mut self) -> Slot {
        self.slots
            .slot(*self.allocations.next().expect("one allocation per operand"))
    }
}

impl OperandMapper<Virtual, Placed> for AllocationMapper<'_> {
    fn dst(&mut self, _: &regalloc2::VReg) -> Slot {
        self.next()
    }
    fn src(&mut self, _: &regalloc2::VReg) -> Slot {
        self.next()
    }
    fn dst_wide(&mut self, _: &regalloc2::VReg) -> Slot {
        self.next()
    }
    fn src_wide(&mut self, _: &regalloc2::VReg) -> Slot {
        self.next()
    }
    fn dst_list(&mut self, list: &Vec<regalloc2::VReg>) -> Vec<Slot> {
        list.iter().map(|_| self.next()).collect()
    }
    fn src_list(&mut self, list: &Vec<regalloc2::VReg>) -> Vec<Slot> {
        list.iter().map(|_| self.next()).collect()
    }
    fn target(&mut self, target: &Label) -> Label {
        *target
    }
    fn jump_table(&mut self, table: &Vec<Label>) -> Vec<Label> {
        table.clone()
    }
}

/// Resolves labels to offsets relative to each op (or to zero, when only
/// sizes are wanted).
struct LabelResolver<'a> {
    offsets: Option<&'a HashMap<Label, u32>>,
    at: u32,
    /// Set if a label has no offset: a bug in the emitter.
    missing: bool,
}

impl LabelResolver<'_> {
    fn resolve(&mut self, label: Label) -> PcRel {
        let Some(offsets) = self.offsets else {
            return PcRel(0);
        };
        match offsets.get(&label) {
            Some(&target) => PcRel(target as i32 - self.at as i32),
            None => {
                self.missing = true;
                PcRel(0)
            }
        }
    }
}

impl OperandMapper<Placed, Owned> for LabelResolver<'_> {
    fn dst(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn src(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn dst_wide(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn src_wide(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn dst_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
        list.clone()
    }
    fn src_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
        list.clone()
    }
    fn target(&mut self, target: &Label) -> PcRel {
        self.resolve(*target)
    }
    fn jump_table(&mut self, table: &Vec<Label>) -> Vec<PcRel> {
        table.iter().map(|&label| self.resolve(label)).collect()
    }
}

/// An op placed in a block, with its wasm offset.
struct Placement {
    op: PlacedOp,
    srcloc: u32,
}

/// The content of one block after allocation.
enum Ending {
    /// Falls off into `target` unless it is next.
    Jump(u32),
    /// `op` branches to `taken`, otherwise continue at `not_taken`.
    Branch {
        op: PlacedOp,
        taken: u32,
        not_taken: u32,
        srcloc: u32,
    },
    /// The block's last placed op ends it (ret, trap, br_table, tail call).
    Op,
}

struct PlacedBlock {
    ops: Vec<Placement>,
    ending: Ending,
}

/// Emits the allocated VCode of one function.
pub(crate) fn emit(
    vcode: &VCode,
    output: &Output,
    params: usize,
    wasm_func: u32,
) -> Result<EmittedFunction, CompileError> {
    let slots = assign_slots(vcode, output, params);
    let frame_slots = slots.spill_base + output.num_spillslots as u32;
    if frame_slots > Slot::COUNT {
        return Err(CompileError::TooLarge {
            func: wasm_func,
            what: format!("{frame_slots} frame slots"),
        });
    }
    let blocks = place_blocks(vcode, output, &slots);
    let threaded = thread_jumps(&blocks);
    let target_of = |block: u32| threaded[block as usize];

    // Layout: every block that is not a pure jump, in VCode order, plus the
    // entry block (always first) and the blocks where a chain of pure jumps
    // ends in a cycle (an empty infinite loop).
    let mut needed: Vec<bool> = blocks.iter().map(|block| !is_pure_jump(block)).collect();
    needed[0] = true;
    for &target in &threaded {
        needed[target as usize] = true;
    }
    let emitted: Vec<u32> = (0..blocks.len() as u32)
        .filter(|&b| needed[b as usize])
        .collect();
    // Each op with its wasm offset and the labels that point at it (an
    // empty block's label points at whatever comes next).
    let mut ops: Vec<(PlacedOp, u32, Vec<Label>)> = Vec::new();
    let mut labels: Vec<Label> = Vec::new();
    let push = |op: PlacedOp,
                srcloc: u32,
                labels: &mut Vec<Label>,
                ops: &mut Vec<(PlacedOp, u32, Vec<Label>)>| {
        ops.push((op, srcloc, std::mem::take(labels)));
    };
    for (position, &block) in emitted.iter().enumerate() {
        let next = emitted.get(position + 1).copied();
        labels.push(Label::Block(block));
        let placed = &blocks[block as usize];
        for placement in &placed.ops {
            push(
                retarget(&placement.op, &target_of),
                placement.srcloc,
                &mut labels,
                &mut ops,
            );
        }
        match &placed.ending {
            Ending::Op => {}
            Ending::Jump(target) => {
                let target = target_of(*target);
                if Some(target) == next {
                } else if is_small_exit(&blocks[target as usize]) {
                    // Tail duplication: the exit's few ops instead of a jump
                    // to them.
                    for placement in &blocks[target as usize].ops {
                        push(
                            retarget(&placement.op, &target_of),
                            placement.srcloc,
                            &mut labels,
                            &mut ops,
                        );
                    }
                } else {
                    push(
                        Op::Jump {
                            target: Label::Block(target),
                        },
                        0,
                        &mut labels,
                        &mut ops,
                    );
                }
            }
            Ending::Branch {
                op,
                taken,
                not_taken,
                srcloc,
            } => {
                let (taken, not_taken) = (target_of(*taken), target_of(*not_taken));
                if Some(not_taken) == next {
                    push(
                        with_target(op, Label::Block(taken)),
                        *srcloc,
                        &mut labels,
                        &mut ops,
                    );
                } else if let Some(inverted) =
                    invert(op, Label::Block(not_taken)).filter(|_| Some(taken) == next)
                {
                    push(inverted, *srcloc, &mut labels, &mut ops);
                } else {
                    push(
                        with_target(op, Label::Block(taken)),
                        *srcloc,
                        &mut labels,
                        &mut ops,
                    );
                    push(
                        Op::Jump {
                            target: Label::Block(not_taken),
                        },
                        *srcloc,
                        &mut labels,
                        &mut ops,
                    );
                }
            }
        }
    }
    // The trap sites, one per code and wasm offset, at the end.
    let mut traps: BTreeMap<(u8, u32), TrapCode> = BTreeMap::new();
    for (op, _, _) in &ops {
        let mut collect = TrapCollector(&mut traps);
        op.map(&mut collect);
    }
    for (&(_, srcloc), &code) in &traps {
        labels.push(Label::Trap(code, srcloc));
        push(Op::Trap { code }, srcloc, &mut labels, &mut ops);
    }

    // Offsets (sizes do not depend on branch offsets), then encoding.
    let mut offsets: HashMap<Label, u32> = HashMap::new();
    let mut at = 0u32;
    let mut op_offsets = Vec::with_capacity(ops.len());
    for (op, _, labels) in &ops {
        for &label in labels {
            offsets.insert(label, at);
        }
        op_offsets.push(at);
        let owned: OwnedOp = op.map(&mut LabelResolver {
            offsets: None,
            at,
            missing: false,
        });
        at += owned
            .encoded_len()
            .map_err(|error| CompileError::Internal(format!("encoding: {error}")))?
            as u32;
    }
    // Labels of threaded-away blocks resolve to their targets.
    for block in 0..blocks.len() as u32 {
        if let Some(&offset) = offsets.get(&Label::Block(target_of(block))) {
            offsets.entry(Label::Block(block)).or_insert(offset);
        }
    }
    let mut code = Vec::with_capacity(at as usize);
    let mut address_map = Vec::new();
    for ((op, srcloc, _), &offset) in ops.iter().zip(&op_offsets) {
        let mut resolver = LabelResolver {
            offsets: Some(&offsets),
            at: offset,
            missing: false,
        };
        let owned: OwnedOp = op.map(&mut resolver);
        if resolver.missing {
            return Err(CompileError::Internal(format!(
                "function {wasm_func}: a branch to an unplaced block"
            )));
        }
        if owned.flags().records_position() {
            address_map.push((offset, *srcloc));
        }
        owned
            .encode(&mut code)
            .map_err(|error| CompileError::Internal(format!("encoding: {error}")))?;
    }
    Ok(EmittedFunction {
        code,
        frame_slots,
        address_map,
    })
}

/// Collects the trap labels an op branches to.
struct TrapCollector<'a>(&'a mut BTreeMap<(u8, u32), TrapCode>);

impl OperandMapper<Placed, Placed> for TrapCollector<'_> {
    fn dst(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn src(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn dst_wide(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn src_wide(&mut self, slot: &Slot) -> Slot {
        *slot
    }
    fn dst_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
        list.clone()
    }
    fn src_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
        list.clone()
    }
    fn target(&mut self, target: &Label) -> Label {
        if let Label::Trap(code, srcloc) = *target {
            self.0.insert((code as u8, srcloc), code);
        }
        *target
    }
    fn jump_table(&mut self, table: &Vec<Label>) -> Vec<Label> {
        table.clone()
    }
}

/// Assigns frame slots: parameters keep slots `0..params` (those beyond the
/// register parameters were left there by the caller and are moved into
/// registers on entry), the other used registers follow densely, then
/// spill slots.
fn assign_slots(vcode: &VCode, output: &Output, params: usize) -> SlotMap {
    let register_params = params.min(REGISTER_PARAMS);
    let mut used = [false; super::vcode::REGISTERS];
    let mut mark = |allocation: Allocation| {
        if let Some(preg) = allocation.as_reg() {
            used[preg.hw_enc()] = true;
        }
    };
    for inst in 0..vcode.num_insts() {
        for &allocation in output.inst_allocs(regalloc2::Inst::new(inst)) {
            mark(allocation);
        }
    }
    for (_, Edit::Move { from, to }) in &output.edits {
        mark(*from);
        mark(*to);
    }
    let mut registers = [0u16; super::vcode::REGISTERS];
    let mut next = params as u16;
    for (register, slot) in registers.iter_mut().enumerate() {
        if register < register_params {
            *slot = register as u16;
        } else if used[register] {
            *slot = next;
            next += 1;
        }
    }
    SlotMap {
        registers,
        spill_base: u32::from(next).max(params as u32),
    }
}

/// Places every block's instructions and regalloc2's moves as slot ops.
fn place_blocks(vcode: &VCode, output: &Output, slots: &SlotMap) -> Vec<PlacedBlock> {
    let mut blocks = Vec::with_capacity(vcode.blocks.len());
    for block in 0..vcode.num_blocks() {
        let mut ops = Vec::new();
        let mut ending = Ending::Op;
        for item in output.block_insts_and_edits(vcode, regalloc2::Block::new(block)) {
            match item {
                InstOrEdit::Edit(Edit::Move { from, to }) => {
                    let (src, dst) = (slots.slot(*from), slots.slot(*to));
                    if src != dst {
                        let op = if src.0 < 256 && dst.0 < 256 {
                            Op::Mov { dst, src }
                        } else {
                            Op::MovWide { dst, src }
                        };
                        ops.push(Placement { op, srcloc: 0 });
                    }
                }
                InstOrEdit::Inst(inst) => {
                    let srcloc = vcode.srclocs[inst.index()];
                    let allocations = output.inst_allocs(inst);
                    let mut mapper = AllocationMapper {
                        allocations: allocations.iter(),
                        slots,
                    };
                    match &vcode.insts[inst.index()] {
                        VInst::Op(op) => ops.push(Placement {
                            op: op.map(&mut mapper),
                            srcloc,
                        }),
                        VInst::Args { .. } => {}
                        VInst::ParamLoad { index, .. } => {
                            let dst = mapper.next();
                            ops.push(Placement {
                                op: Op::MovWide {
                                    dst,
                                    src: Slot(*index as u16),
                                },
                                srcloc,
                            });
                        }
                        VInst::Jump { target, .. } => ending = Ending::Jump(*target),
                        VInst::Branch {
                            op,
                            taken,
                            not_taken,
                        } => {
                            ending = Ending::Branch {
                                op: op.map(&mut mapper),
                                taken: *taken,
                                not_taken: *not_taken,
                                srcloc,
                            }
                        }
                        VInst::Table { targets, .. } => {
                            let index = mapper.next();
                            let targets = targets.iter().map(|&t| Label::Block(t)).collect();
                            ops.push(Placement {
                                op: Op::BrTable { index, targets },
                                srcloc,
                            });
                        }
                    }
                }
            }
        }
        blocks.push(PlacedBlock { ops, ending });
    }
    blocks
}

/// Whether a block does nothing but jump.
fn is_pure_jump(block: &PlacedBlock) -> bool {
    block.ops.is_empty() && matches!(block.ending, Ending::Jump(_))
}

/// Whether a block is a few ops ending in a return or a tail call, cheaper
/// to copy than to jump to.
fn is_small_exit(block: &PlacedBlock) -> bool {
    matches!(block.ending, Ending::Op)
        && block.ops.len() <= 3
        && block
            .ops
            .last()
            .is_some_and(|placement| placement.op.flags().returns())
}

/// For every block, the block control really reaches: pure jumps followed.
fn thread_jumps(blocks: &[PlacedBlock]) -> Vec<u32> {
    (0..blocks.len() as u32)
        .map(|start| {
            let mut block = start;
            let mut steps = 0;
            while let Ending::Jump(target) = blocks[block as usize].ending {
                if !blocks[block as usize].ops.is_empty() || steps > blocks.len() {
                    break;
                }
                block = target;
                steps += 1;
            }
            block
        })
        .collect()
}

/// `op` with block labels threaded.
fn retarget(op: &PlacedOp, target_of: &impl Fn(u32) -> u32) -> PlacedOp {
    struct Retarget<'a, F>(&'a F);
    impl<F: Fn(u32) -> u32> OperandMapper<Placed, Placed> for Retarget<'_, F> {
        fn dst(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn src(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn dst_wide(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn src_wide(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn dst_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
            list.clone()
        }
        fn src_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
            list.clone()
        }
        fn target(&mut self, target: &Label) -> Label {
            match *target {
                Label::Block(block) => Label::Block((self.0)(block)),
                trap => trap,
            }
        }
        fn jump_table(&mut self, table: &Vec<Label>) -> Vec<Label> {
            table.iter().map(|label| self.target(label)).collect()
        }
    }
    op.map(&mut Retarget(target_of))
}

/// `op` branching to `label` instead.
fn with_target(op: &PlacedOp, label: Label) -> PlacedOp {
    struct SetTarget(Label);
    impl OperandMapper<Placed, Placed> for SetTarget {
        fn dst(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn src(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn dst_wide(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn src_wide(&mut self, slot: &Slot) -> Slot {
            *slot
        }
        fn dst_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
            list.clone()
        }
        fn src_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
            list.clone()
        }
        fn target(&mut self, _: &Label) -> Label {
            self.0
        }
        fn jump_table(&mut self, table: &Vec<Label>) -> Vec<Label> {
            table.clone()
        }
    }
    op.map(&mut SetTarget(label))
}

/// The branch that is taken exactly when `op` is not, to `target`, if the
/// ISA has one (integer conditions; float comparisons are not invertible
/// because of NaN).
fn invert(op: &PlacedOp, target: Label) -> Option<PlacedOp> {
    Some(match *op {
        Op::BrIf32 { cond, .. } => Op::BrIfNot32 { cond, target },
        Op::BrIfNot32 { cond, .. } => Op::BrIf32 { cond, target },
        Op::BrIf64 { cond, .. } => Op::BrIfNot64 { cond, target },
        Op::BrIfNot64 { cond, .. } => Op::BrIf64 { cond, target },
        Op::BrIfXeq32 { a, b, .. } => Op::BrIfXne32 { a, b, target },
        Op::BrIfXne32 { a, b, .. } => Op::BrIfXeq32 { a, b, target },
        Op::BrIfXslt32 { a, b, .. } => Op::BrIfXsle32 { a: b, b: a, target },
        Op::BrIfXsle32 { a, b, .. } => Op::BrIfXslt32 { a: b, b: a, target },
        Op::BrIfXult32 { a, b, .. } => Op::BrIfXule32 { a: b, b: a, target },
        Op::BrIfXule32 { a, b, .. } => Op::BrIfXult32 { a: b, b: a, target },
        Op::BrIfXeq64 { a, b, .. } => Op::BrIfXne64 { a, b, target },
        Op::BrIfXne64 { a, b, .. } => Op::BrIfXeq64 { a, b, target },
        Op::BrIfXslt64 { a, b, .. } => Op::BrIfXsle64 { a: b, b: a, target },
        Op::BrIfXsle64 { a, b, .. } => Op::BrIfXslt64 { a: b, b: a, target },
        Op::BrIfXult64 { a, b, .. } => Op::BrIfXule64 { a: b, b: a, target },
        Op::BrIfXule64 { a, b, .. } => Op::BrIfXult64 { a: b, b: a, target },
        Op::BrIfXeq32Imm { a, b, .. } => Op::BrIfXne32Imm { a, b, target },
        Op::BrIfXne32Imm { a, b, .. } => Op::BrIfXeq32Imm { a, b, target },
        Op::BrIfXslt32Imm { a, b, .. } => Op::BrIfXsge32Imm { a, b, target },
        Op::BrIfXsge32Imm { a, b, .. } => Op::BrIfXslt32Imm { a, b, target },
        Op::BrIfXsle32Imm { a, b, .. } => Op::BrIfXsgt32Imm { a, b, target },
        Op::BrIfXsgt32Imm { a, b, .. } => Op::BrIfXsle32Imm { a, b, target },
        Op::BrIfXult32Imm { a, b, .. } => Op::BrIfXuge32Imm { a, b, target },
        Op::BrIfXuge32Imm { a, b, .. } => Op::BrIfXult32Imm { a, b, target },
        Op::BrIfXule32Imm { a, b, .. } => Op::BrIfXugt32Imm { a, b, target },
        Op::BrIfXugt32Imm { a, b, .. } => Op::BrIfXule32Imm { a, b, target },
        Op::BrIfXeq64Imm { a, b, .. } => Op::BrIfXne64Imm { a, b, target },
        Op::BrIfXne64Imm { a, b, .. } => Op::BrIfXeq64Imm { a, b, target },
        Op::BrIfXslt64Imm { a, b, .. } => Op::BrIfXsge64Imm { a, b, target },
        Op::BrIfXsge64Imm { a, b, .. } => Op::BrIfXslt64Imm { a, b, target },
        Op::BrIfXsle64Imm { a, b, .. } => Op::BrIfXsgt64Imm { a, b, target },
        Op::BrIfXsgt64Imm { a, b, .. } => Op::BrIfXsle64Imm { a, b, target },
        Op::BrIfXult64Imm { a, b, .. } => Op::BrIfXuge64Imm { a, b, target },
        Op::BrIfXuge64Imm { a, b, .. } => Op::BrIfXult64Imm { a, b, target },
        Op::BrIfXule64Imm { a, b, .. } => Op::BrIfXugt64Imm { a, b, target },
        Op::BrIfXugt64Imm { a, b, .. } => Op::BrIfXule64Imm { a, b, target },
        _ => return None,
    })
}
