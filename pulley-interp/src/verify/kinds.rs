//! The slot-kind dataflow: proves that every slot an op uses as a reference
//! holds a reference of that kind (or null) on every path that reaches the
//! op, so that a forged program cannot make a handle out of an integer.
//!
//! A forward dataflow over the function's blocks, as the JVM verifier types
//! its locals. The state at a point maps each slot to what it may hold:
//! null, a function reference, an extern reference, or anything (a number).
//! Only slots that hold a reference or null are stored, so states stay as
//! small as the references live at once. Where paths meet, a slot keeps a
//! reference kind only if every path agrees (null joins either kind). Each
//! block's entry state only loses entries or widens null to a kind, so
//! every block is walked a bounded number of times.

use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;

use pulley_isa::{Decoded, Op, OperandVisitor, Slot, SlotList};

use super::{Function, VerifyError};
use crate::shape::{EnvironmentShape, FunctionInfo, Signature, SlotKind};

/// What a slot may hold at a point of the code.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// Zero, from a constant: null, usable as either reference or a number.
    Null,
    /// A function reference or null.
    FuncRef,
    /// An extern reference or null.
    ExternRef,
    /// Anything: usable only as a number.
    Number,
}

impl Kind {
    fn of(kind: SlotKind) -> Kind {
        match kind {
            SlotKind::Number => Kind::Number,
            SlotKind::FuncRef => Kind::FuncRef,
            SlotKind::ExternRef => Kind::ExternRef,
        }
    }

    /// What a slot may hold where paths holding `self` and `other` meet.
    fn join(self, other: Kind) -> Kind {
        match (self, other) {
            (a, b) if a == b => a,
            (Kind::Null, b) => b,
            (a, Kind::Null) => a,
            _ => Kind::Number,
        }
    }

    /// Whether a value of this kind may be used as a `needed`.
    fn fits(self, needed: SlotKind) -> bool {
        match needed {
            SlotKind::Number => true,
            SlotKind::FuncRef => matches!(self, Kind::Null | Kind::FuncRef),
            SlotKind::ExternRef => matches!(self, Kind::Null | Kind::ExternRef),
        }
    }

    /// The kind in messages (`Null` fits every use, so it is never one).
    fn slot_kind(self) -> SlotKind {
        match self {
            Kind::FuncRef => SlotKind::FuncRef,
            Kind::ExternRef => SlotKind::ExternRef,
            Kind::Null | Kind::Number => SlotKind::Number,
        }
    }
}

/// The kinds of a frame's slots at a point: the slots that hold null or a
/// reference, sorted by slot; every other slot holds a number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Kinds(Vec<(u16, Kind)>);

impl Kinds {
    fn get(&self, slot: Slot) -> Kind {
        match self.0.binary_search_by_key(&slot.0, |&(s, _)| s) {
            Ok(i) => self.0[i].1,
            Err(_) => Kind::Number,
        }
    }

    fn set(&mut self, slot: Slot, kind: Kind) {
        match (self.0.binary_search_by_key(&slot.0, |&(s, _)| s), kind) {
            (Ok(i), Kind::Number) => {
                self.0.remove(i);
            }
            (Ok(i), kind) => self.0[i].1 = kind,
            (Err(_), Kind::Number) => {}
            (Err(i), kind) => self.0.insert(i, (slot.0, kind)),
        }
    }

    /// Joins `other` (another path to the same point) into `self`; returns
    /// whether `self` changed.
    fn join(&mut self, other: &Kinds) -> bool {
        let mut changed = false;
        let mut theirs = other.0.iter().peekable();
        self.0.retain_mut(|(slot, kind)| {
            while theirs.next_if(|&&(s, _)| s < *slot).is_some() {}
            let joined = match theirs.peek() {
                Some(&&(s, k)) if s == *slot => kind.join(k),
                _ => Kind::Number,
            };
            changed |= joined != *kind;
            *kind = joined;
            joined != Kind::Number
        });
        changed
    }
}

/// A slot used as what it may not hold.
struct Misuse {
    slot: Slot,
    expected: SlotKind,
    found: Kind,
}

/// What an op writes beyond plain numbers, computed before it runs: `'o`
/// is the op's, `'t` the types'.
enum Written<'o, 't> {
    Nothing,
    Slot(Slot, Kind),
    Results(SlotList<'o>, &'t [SlotKind]),
}

/// The dataflow's buffers, reused across functions.
#[derive(Default)]
pub(super) struct KindChecker {
    /// For each op: the number of the block it starts, or `NOT_A_LEADER`.
    block_of: Vec<u32>,
    /// Each block's first op.
    leaders: Vec<u32>,
    /// Each block's entry state, once a path reaches it (`reached`). The
    /// vectors are reused across functions, so walking allocates little.
    entries: Vec<Kinds>,
    reached: Vec<bool>,
    /// The state while a block is walked.
    current: Kinds,
    /// Blocks to walk, lowest first; `queued` marks them.
    queue: BinaryHeap<Reverse<u32>>,
    queued: Vec<bool>,
}

const NOT_A_LEADER: u32 = u32::MAX;

impl KindChecker {
    /// Proves that `function` uses references only where it has them.
    pub(super) fn check(
        &mut self,
        function: &Function<'_, '_>,
        functions: &[FunctionInfo],
        shape: &EnvironmentShape,
    ) -> Result<(), VerifyError> {
        self.find_blocks(function);
        let own_type = &shape.types[function.info.ty as usize];
        let ops = Ops {
            functions,
            shape,
            own_type,
        };
        if self.proves_block_by_block(function, &ops) {
            return Ok(());
        }
        let entry = &mut self.entries[0];
        entry.0.clear();
        if function.typed_params {
            for (slot, &kind) in (0..).zip(&own_type.params) {
                entry.set(Slot(slot), Kind::of(kind));
            }
        }
        self.reached[0] = true;
        self.enqueue(0);
        while let Some(Reverse(block)) = self.queue.pop() {
            self.queued[block as usize] = false;
            let mut kinds = core::mem::take(&mut self.current);
            kinds.0.clear();
            kinds.0.extend_from_slice(&self.entries[block as usize].0);
            let mut op = self.leaders[block as usize];
            loop {
                function
                    .with_op(op, |decoded| ops.step(decoded, &mut kinds))?
                    .map_err(|misuse| VerifyError::KindMismatch {
                        func: function.index,
                        at: function.graph.offset(op),
                        slot: misuse.slot.0,
                        expected: misuse.expected,
                        found: misuse.found.slot_kind(),
                    })?;
                let next = op + 1;
                if next == function.graph.len() || self.block_of[next as usize] != NOT_A_LEADER {
                    for successor in function.graph.successors(op) {
                        self.flow_into(self.block_of[successor as usize], &kinds);
                    }
                    self.current = kinds;
                    break;
                }
                op = next;
            }
        }
        Ok(())
    }

    /// The fast path: one walk of the blocks in order, each from what it
    /// knows alone (the parameters for the entry block, no references for
    /// the others). Knowing less at a block's entry can only refuse more, so
    /// when nothing is refused, every path is proven; and a reference is
    /// mostly used in the block that made it (`table_get`, then `call_ref`).
    /// When something is refused, the dataflow decides.
    fn proves_block_by_block(&mut self, function: &Function<'_, '_>, ops: &Ops<'_>) -> bool {
        let mut kinds = core::mem::take(&mut self.current);
        let mut proven = true;
        for op in 0..function.graph.len() {
            if self.block_of[op as usize] != NOT_A_LEADER {
                kinds.0.clear();
                if op == 0 && function.typed_params {
                    for (slot, &kind) in (0..).zip(&ops.own_type.params) {
                        kinds.set(Slot(slot), Kind::of(kind));
                    }
                }
            }
            let stepped = function.with_op(op, |decoded| ops.step(decoded, &mut kinds));
            if !matches!(stepped, Ok(Ok(()))) {
                proven = false;
                break;
            }
        }
        self.current = kinds;
        proven
    }

    /// Splits the function into blocks: a block starts at the entry, at
    /// every branch target, and after every branch or terminator.
    fn find_blocks(&mut self, function: &Function<'_, '_>) {
        let graph = function.graph;
        let count = graph.len();
        self.block_of.clear();
        self.block_of.resize(count as usize, NOT_A_LEADER);
        let mark = |block_of: &mut Vec<u32>, op: u32| {
            if let Some(entry) = block_of.get_mut(op as usize) {
                *entry = 0;
            }
        };
        mark(&mut self.block_of, 0);
        for op in 0..count {
            if graph.branches(op) || !graph.falls_through(op) {
                for successor in graph.successors(op) {
                    mark(&mut self.block_of, successor);
                }
                mark(&mut self.block_of, op + 1);
            }
        }
        self.leaders.clear();
        for (op, block) in (0..).zip(self.block_of.iter_mut()) {
            if *block != NOT_A_LEADER {
                *block = self.leaders.len() as u32;
                self.leaders.push(op);
            }
        }
        let blocks = self.leaders.len();
        if self.entries.len() < blocks {
            self.entries.resize_with(blocks, Kinds::default);
        }
        self.reached.clear();
        self.reached.resize(blocks, false);
        self.queued.clear();
        self.queued.resize(self.leaders.len(), false);
        self.queue.clear();
    }

    /// Joins `kinds` into `block`'s entry; queues the block if it changed.
    fn flow_into(&mut self, block: u32, kinds: &Kinds) {
        let entry = &mut self.entries[block as usize];
        let changed = if core::mem::replace(&mut self.reached[block as usize], true) {
            entry.join(kinds)
        } else {
            entry.0.clear();
            entry.0.extend_from_slice(&kinds.0);
            true
        };
        if changed {
            self.enqueue(block);
        }
    }

    fn enqueue(&mut self, block: u32) {
        if !core::mem::replace(&mut self.queued[block as usize], true) {
            self.queue.push(Reverse(block));
        }
    }
}

/// The types the transfer function looks up.
struct Ops<'a> {
    functions: &'a [FunctionInfo],
    shape: &'a EnvironmentShape,
    own_type: &'a Signature,
}

impl<'a> Ops<'a> {
    /// Checks what `op` uses and applies what it writes to `kinds`.
    fn step(&self, op: &Op<'_>, kinds: &mut Kinds) -> Result<(), Misuse> {
        let written = self.uses(op, kinds)?;
        op.visit_operands(&mut WriteNumbers(kinds));
        match written {
            Written::Nothing => {}
            Written::Slot(slot, kind) => kinds.set(slot, kind),
            Written::Results(slots, types) => {
                for (slot, &kind) in slots.iter().zip(types) {
                    kinds.set(slot, Kind::of(kind));
                }
            }
        }
        Ok(())
    }

    /// Checks the slots `op` uses as references; returns what it writes
    /// that is not a plain number.
    fn uses<'o>(&self, op: &Op<'o>, kinds: &Kinds) -> Result<Written<'o, 'a>, Misuse> {
        let need = |slot: Slot, expected: SlotKind| {
            let found = kinds.get(slot);
            if found.fits(expected) {
                Ok(())
            } else {
                Err(Misuse {
                    slot,
                    expected,
                    found,
                })
            }
        };
        let need_all = |slots: &SlotList<'_>, expected: &[SlotKind]| {
            slots
                .iter()
                .zip(expected)
                .try_for_each(|(slot, &kind)| need(slot, kind))
        };
        let types = &self.shape.types;
        let function_type =
            |func: pulley_isa::FuncIndex| &types[self.functions[func.index()].ty as usize];
        Ok(match op {
            Op::Mov { dst, src } | Op::MovWide { dst, src } => Written::Slot(*dst, kinds.get(*src)),
            Op::Xselect32 {
                dst,
                if_true,
                if_false,
                ..
            }
            | Op::Xselect64 {
                dst,
                if_true,
                if_false,
                ..
            } => Written::Slot(*dst, kinds.get(*if_true).join(kinds.get(*if_false))),
            Op::Xconst8 { dst, imm: 0 }
            | Op::Xconst32 { dst, imm: 0 }
            | Op::Xconst64 { dst, imm: 0 } => Written::Slot(*dst, Kind::Null),
            Op::RefFunc { dst, .. } => Written::Slot(*dst, Kind::FuncRef),
            Op::TableGet { dst, table, .. } => {
                Written::Slot(*dst, Kind::of(self.shape.tables[table.index()]))
            }
            Op::TableSet { table, value, .. } => {
                need(*value, self.shape.tables[table.index()])?;
                Written::Nothing
            }
            // (The structural pass checked that these globals are scalar.)
            Op::GlobalGet { dst, global } => Written::Slot(*dst, Kind::of(self.scalar(*global))),
            Op::GlobalSet { global, src } => {
                need(*src, self.scalar(*global))?;
                Written::Nothing
            }
            Op::Call {
                func,
                args,
                results,
            } => {
                let callee = function_type(*func);
                need_all(args, &callee.params)?;
                Written::Results(*results, &callee.results)
            }
            // (The structural pass checked the kinds a tail callee returns.)
            Op::ReturnCall { func, args } => {
                need_all(args, &function_type(*func).params)?;
                Written::Nothing
            }
            Op::CallRef {
                callee,
                ty,
                args,
                results,
            } => {
                need(*callee, SlotKind::FuncRef)?;
                let callee = &types[ty.index()];
                need_all(args, &callee.params)?;
                Written::Results(*results, &callee.results)
            }
            Op::ReturnCallRef { callee, ty, args } => {
                need(*callee, SlotKind::FuncRef)?;
                need_all(args, &types[ty.index()].params)?;
                Written::Nothing
            }
            Op::CallImport {
                import,
                args,
                results,
            } => {
                let callee = &types[self.shape.imports[import.index()] as usize];
                need_all(args, &callee.params)?;
                Written::Results(*results, &callee.results)
            }
            Op::CallBuiltin {
                builtin,
                args,
                results,
            } => {
                let callee = &self.shape.builtins[builtin.index()];
                need_all(args, &callee.params)?;
                Written::Results(*results, &callee.results)
            }
            Op::Ret { values } => {
                need_all(values, &self.own_type.results)?;
                Written::Nothing
            }
            _ => Written::Nothing,
        })
    }

    /// What scalar global `global` holds.
    fn scalar(&self, global: pulley_isa::GlobalIndex) -> SlotKind {
        self.shape.globals[global.index()]
            .scalar
            .unwrap_or(SlotKind::Number)
    }
}

/// Marks every slot an op writes as holding a number.
struct WriteNumbers<'k>(&'k mut Kinds);

impl<'o> OperandVisitor<Decoded<'o>> for WriteNumbers<'_> {
    fn dst(&mut self, dst: &Slot) {
        self.0.set(*dst, Kind::Number);
    }
    fn dst_wide(&mut self, dst: &Slot) {
        self.0.set(*dst, Kind::Number);
    }
    fn dst_list(&mut self, list: &SlotList<'o>) {
        for slot in list.iter() {
            self.0.set(slot, Kind::Number);
        }
    }
}
