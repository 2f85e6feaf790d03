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
use crate::program::{EnvironmentShape, FunctionInfo, GlobalShape, Signature, SlotKind};

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

/// What an op writes beyond plain numbers, computed before it runs.
enum Written<'a> {
    Nothing,
    Slot(Slot, Kind),
    Results(SlotList<'a>, &'a [SlotKind]),
}

/// The dataflow's buffers, reused across functions.
#[derive(Default)]
pub(super) struct KindChecker {
    /// For each op: the number of the block it starts, or `NOT_A_LEADER`.
    block_of: Vec<u32>,
    /// Each block's first op.
    leaders: Vec<u32>,
    /// Each block's entry state, once a path reaches it.
    entries: Vec<Option<Kinds>>,
    /// Blocks to walk, lowest first; `queued` marks them.
    queue: BinaryHeap<Reverse<u32>>,
    queued: Vec<bool>,
}

const NOT_A_LEADER: u32 = u32::MAX;

impl KindChecker {
    /// Proves that `function` uses references only where it has them.
    pub(super) fn check(
        &mut self,
        function: &Function<'_>,
        functions: &[FunctionInfo],
        shape: &EnvironmentShape,
    ) -> Result<(), VerifyError> {
        self.find_blocks(function);
        let own_type = &shape.types[function.info.ty as usize];
        let mut params = Kinds::default();
        for (slot, &kind) in (0..).zip(&own_type.params) {
            params.set(Slot(slot), Kind::of(kind));
        }
        self.entries[0] = Some(params);
        self.enqueue(0);
        let ops = Ops {
            functions,
            shape,
            own_type,
        };
        while let Some(Reverse(block)) = self.queue.pop() {
            self.queued[block as usize] = false;
            let Some(mut kinds) = self.entries[block as usize].clone() else {
                continue;
            };
            let mut op = self.leaders[block as usize];
            loop {
                let decoded = function.op(op);
                ops.step(&decoded, &mut kinds).map_err(|misuse| {
                    let at = function.graph.offset(op);
                    match misuse {
                        StepError::Kind(misuse) => VerifyError::KindMismatch {
                            func: function.index,
                            at,
                            slot: misuse.slot.0,
                            expected: misuse.expected,
                            found: misuse.found.slot_kind(),
                        },
                        StepError::Global { global, why } => VerifyError::GlobalMisuse {
                            func: function.index,
                            at,
                            global,
                            why,
                        },
                    }
                })?;
                let next = op + 1;
                if next == function.graph.len() || self.block_of[next as usize] != NOT_A_LEADER {
                    for successor in function.graph.successors(op) {
                        self.flow_into(self.block_of[successor as usize], &kinds);
                    }
                    break;
                }
                op = next;
            }
        }
        Ok(())
    }

    /// Splits the function into blocks: a block starts at the entry, at
    /// every branch target, and after every branch or terminator.
    fn find_blocks(&mut self, function: &Function<'_>) {
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
        self.entries.clear();
        self.entries.resize(self.leaders.len(), None);
        self.queued.clear();
        self.queued.resize(self.leaders.len(), false);
        self.queue.clear();
    }

    /// Joins `kinds` into `block`'s entry; queues the block if it changed.
    fn flow_into(&mut self, block: u32, kinds: &Kinds) {
        let changed = match &mut self.entries[block as usize] {
            Some(entry) => entry.join(kinds),
            empty => {
                *empty = Some(kinds.clone());
                true
            }
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

/// Why an op is refused.
enum StepError {
    Kind(Misuse),
    Global { global: u32, why: &'static str },
}

impl From<Misuse> for StepError {
    fn from(misuse: Misuse) -> StepError {
        StepError::Kind(misuse)
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
    fn step<'o>(&self, op: &Op<'o>, kinds: &mut Kinds) -> Result<(), StepError>
    where
        'a: 'o,
    {
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
    fn uses<'o>(&self, op: &Op<'o>, kinds: &Kinds) -> Result<Written<'o>, StepError>
    where
        'a: 'o,
    {
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
            Op::GlobalGet { dst, global } => {
                let kind = self.scalar(global.0, false)?;
                Written::Slot(*dst, Kind::of(kind))
            }
            Op::GlobalSet { global, src } => {
                need(*src, self.scalar(global.0, true)?)?;
                Written::Nothing
            }
            Op::VglobalGet { global, .. } => {
                self.vector(global.0, false)?;
                Written::Nothing
            }
            Op::VglobalSet { global, .. } => {
                self.vector(global.0, true)?;
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
            Op::ReturnCall { func, args } => {
                let callee = function_type(*func);
                need_all(args, &callee.params)?;
                self.returns_own_results(&callee.results)?;
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
                let callee = &types[ty.index()];
                need_all(args, &callee.params)?;
                self.returns_own_results(&callee.results)?;
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

    /// A tail callee's results become this function's: each must be of the
    /// kind this function's type promises its caller.
    fn returns_own_results(&self, callee_results: &[SlotKind]) -> Result<(), StepError> {
        let promised = &self.own_type.results;
        match callee_results
            .iter()
            .zip(promised)
            .position(|(&theirs, &ours)| theirs != ours && ours != SlotKind::Number)
        {
            Some(i) => Err(StepError::Kind(Misuse {
                slot: Slot(i as u16),
                expected: promised[i],
                found: Kind::of(callee_results[i]),
            })),
            None => Ok(()),
        }
    }

    /// The kind of scalar global `global`, which must be mutable if it is
    /// `written`.
    fn scalar(&self, global: u32, written: bool) -> Result<SlotKind, StepError> {
        let shape = self.global(global, written)?;
        shape.scalar.ok_or(StepError::Global {
            global,
            why: "it holds a v128",
        })
    }

    /// Checks that `global` holds a v128 (and is mutable if `written`).
    fn vector(&self, global: u32, written: bool) -> Result<(), StepError> {
        match self.global(global, written)?.scalar {
            None => Ok(()),
            Some(_) => Err(StepError::Global {
                global,
                why: "it does not hold a v128",
            }),
        }
    }

    fn global(&self, global: u32, written: bool) -> Result<&GlobalShape, StepError> {
        let shape = &self.shape.globals[global as usize];
        if written && !shape.mutable {
            return Err(StepError::Global {
                global,
                why: "it is immutable",
            });
        }
        Ok(shape)
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
