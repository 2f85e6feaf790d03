//! Block layout: which blocks are emitted, in which order, and how each
//! block's ending becomes ops.
//!
//! * Blocks that only jump are threaded away; a jump to the next block
//!   falls through; a jump to a small exit (a few ops ending in a return or
//!   a tail call) is replaced by a copy of them; a conditional branch whose
//!   taken target is next is inverted when the ISA has the inverse.
//! * Branches to traps go to one `trap` op per (code, wasm offset) at the
//!   end of the function.
//!
//! It works on ops whose registers are frame slots and whose targets are
//! still labels; `emit` resolves the labels and encodes.

use std::collections::BTreeMap;

use pulley_isa::{GenericOp as Op, OperandFamily, OperandMapper, Slot, TrapCode};

use super::vcode::Label;

/// Ops with slots assigned and labels not yet resolved.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Placed;

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

pub(crate) type PlacedOp = Op<Placed>;

/// An op placed in a block, with its wasm offset.
pub(crate) struct Placement {
    pub(crate) op: PlacedOp,
    pub(crate) srcloc: u32,
}

/// The content of one block after allocation.
pub(crate) enum Ending {
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

/// A block after allocation: its ops, then how it ends.
pub(crate) struct PlacedBlock {
    pub(crate) ops: Vec<Placement>,
    pub(crate) ending: Ending,
}

/// The function's ops in order, each with its wasm offset and the labels
/// that point at it (an empty block's label points at whatever comes next).
pub(crate) type LaidOutOps = Vec<(PlacedOp, u32, Vec<Label>)>;

/// Lays out `blocks` (the entry block first): the ops in order, and for
/// every block the block control really reaches from it (pure jumps
/// followed), whose label a threaded-away block's label resolves to.
pub(crate) fn lay_out(blocks: &[PlacedBlock]) -> (LaidOutOps, Vec<u32>) {
    let threaded = thread_jumps(blocks);
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
        map_targets::<Placed>(op, |label| {
            if let Label::Trap(code, srcloc) = label {
                traps.insert((code as u8, srcloc), code);
            }
            label
        });
    }
    for (&(_, srcloc), &code) in &traps {
        labels.push(Label::Trap(code, srcloc));
        push(Op::Trap { code }, srcloc, &mut labels, &mut ops);
    }
    (ops, threaded)
}

/// An operand family with allocated slots, as [`Placed`] has them: only
/// its branch targets may be of another type.
pub(crate) trait SlotFamily:
    OperandFamily<
        Dst = Slot,
        Src = Slot,
        DstWide = Slot,
        SrcWide = Slot,
        DstList = Vec<Slot>,
        SrcList = Vec<Slot>,
        JumpTable = Vec<<Self as OperandFamily>::Target>,
    >
{
}

impl<G> SlotFamily for G where
    G: OperandFamily<
            Dst = Slot,
            Src = Slot,
            DstWide = Slot,
            SrcWide = Slot,
            DstList = Vec<Slot>,
            SrcList = Vec<Slot>,
            JumpTable = Vec<<G as OperandFamily>::Target>,
        >
{
}

/// `op` with every label mapped by `map`, into a family `G` that keeps the
/// slots as they are: the one place that walks an op's targets, for
/// threading, retargeting, collecting trap sites and resolving labels to
/// offsets (`G = Owned`).
pub(crate) fn map_targets<G: SlotFamily>(
    op: &PlacedOp,
    map: impl FnMut(Label) -> G::Target,
) -> Op<G> {
    struct MapTargets<F>(F);
    impl<G, F> OperandMapper<Placed, G> for MapTargets<F>
    where
        G: SlotFamily,
        F: FnMut(Label) -> G::Target,
    {
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
        fn target(&mut self, target: &Label) -> G::Target {
            (self.0)(*target)
        }
        fn jump_table(&mut self, table: &Vec<Label>) -> Vec<G::Target> {
            table.iter().map(|&label| (self.0)(label)).collect()
        }
    }
    op.map(&mut MapTargets(map))
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
/// Linear: each chain is walked once, and every block on it remembers where
/// it ends (a cycle of pure jumps ends at the block where it closes).
fn thread_jumps(blocks: &[PlacedBlock]) -> Vec<u32> {
    const UNKNOWN: u32 = u32::MAX;
    let mut reaches = vec![UNKNOWN; blocks.len()];
    let mut on_chain = vec![false; blocks.len()];
    let mut chain = Vec::new();
    for start in 0..blocks.len() as u32 {
        let mut block = start;
        let end = loop {
            let index = block as usize;
            if reaches[index] != UNKNOWN {
                break reaches[index];
            }
            if on_chain[index] {
                break block;
            }
            match blocks[index].ending {
                Ending::Jump(target) if blocks[index].ops.is_empty() => {
                    on_chain[index] = true;
                    chain.push(block);
                    block = target;
                }
                _ => break block,
            }
        };
        for block in chain.drain(..) {
            reaches[block as usize] = end;
            on_chain[block as usize] = false;
        }
        if reaches[start as usize] == UNKNOWN {
            reaches[start as usize] = end;
        }
    }
    reaches
}

/// `op` with block labels threaded.
fn retarget(op: &PlacedOp, target_of: &impl Fn(u32) -> u32) -> PlacedOp {
    map_targets(op, |label| match label {
        Label::Block(block) => Label::Block(target_of(block)),
        trap => trap,
    })
}

/// `op` branching to `label` instead.
fn with_target(op: &PlacedOp, label: Label) -> PlacedOp {
    map_targets(op, |_| label)
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
