//! Emission: register allocation results -> frame slots -> bytecode.
//!
//! * Registers are renumbered densely (parameters keep slots `0..n`), spill
//!   slots follow, so a frame is only as large as what it uses.
//! * Blocks are laid out by [`layout`](super::layout) (jump threading,
//!   fall-through, trap sites at the end).
//! * Every op that can trap or call gets an address-map entry.
//!
//! All branch offsets are 32 bits, so no branch ever needs relaxation.

use std::collections::HashMap;

use pulley_isa::{GenericOp as Op, OperandMapper, Owned, OwnedOp, PcRel, Slot};
use regalloc2::{Allocation, AllocationKind, Edit, Function, InstOrEdit, Output};

use super::layout::{Ending, Placed, PlacedBlock, Placement, lay_out, map_targets};
use super::vcode::{Label, REGISTER_PARAMS, VCode, VInst, Virtual};
use crate::CompileError;

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
    let (ops, threaded) = lay_out(&blocks);
    let target_of = |block: u32| threaded[block as usize];

    // Offsets (sizes do not depend on branch offsets), then encoding.
    let mut offsets: HashMap<Label, u32> = HashMap::new();
    let mut at = 0u32;
    let mut op_offsets = Vec::with_capacity(ops.len());
    for (op, _, labels) in &ops {
        for &label in labels {
            offsets.insert(label, at);
        }
        op_offsets.push(at);
        // Sizes do not depend on the offsets: any will do here.
        let owned: OwnedOp = map_targets::<Owned>(op, |_| PcRel(0));
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
        let mut missing = false;
        let owned: OwnedOp = map_targets::<Owned>(op, |label| match offsets.get(&label) {
            Some(&target) => PcRel(target as i32 - offset as i32),
            None => {
                missing = true;
                PcRel(0)
            }
        });
        if missing {
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
