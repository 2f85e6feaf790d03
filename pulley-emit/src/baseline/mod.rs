//! The baseline tier: one pass from wasm operators straight to Pulley
//! bytecode, without Cranelift, for code that must start running at once.
//!
//! The ISA is a register machine whose frames are windows of slots, so the
//! wasm operand stack maps onto slots the way wasmi's translator maps it
//! onto registers: parameters and locals take the first slots, and each
//! operand has a *home* right above the homes of those below it (one slot,
//! two for a `v128`).
//! An operand is not always in its home yet ([`Operand`]): `local.get`
//! pushes a reference to the local's slot and constants stay constants, so
//! that an op reads them where they are (or as an immediate). Before a block
//! boundary every operand is put in its home, so that all paths into a label
//! agree on where values are.
//!
//! The tier translates the operators of WebAssembly 2.0, with most of SIMD
//! (see `simd`), plus tail calls. It refuses ([`Refusal`]) a function it
//! cannot translate: one that uses a SIMD operator without a short
//! translation, another memory than memory 0, more than 256 slots (the
//! one-byte slot operands), or a construct beyond that; the caller then
//! compiles it with the optimizing pipeline instead. Fuel is charged exactly
//! where the optimizing translator charges it (one unit per operator, paid
//! before control flow, calls and builtins), so both tiers meter the same.
//!
//! `operators` translates each operator (`simd` the SIMD ones); this module
//! holds the state they share.

mod fusion;
mod operators;
mod simd;

use pulley_isa::{EncodeError, OwnedOp, PcRel, Slot};
use pulley_module::ValType;
use wasmparser::{BlockType, FunctionBody};

use crate::lazy::{FunctionCode, Tier};
use crate::translate::ModuleEnvironment;
use pulley_module::CheapCompilation;

/// Why the baseline tier does not compile a function (the optimizing tier
/// does instead).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal(pub(crate) &'static str);

impl From<EncodeError> for Refusal {
    fn from(_: EncodeError) -> Refusal {
        Refusal("an operand beyond the encoding's range (more than 256 slots)")
    }
}

impl From<wasmparser::BinaryReaderError> for Refusal {
    fn from(_: wasmparser::BinaryReaderError) -> Refusal {
        Refusal("a body the reader refuses (the optimizing tier reports it)")
    }
}

type Result<T> = core::result::Result<T, Refusal>;

/// Slots a baseline frame may use: slot operands are one byte.
const MAX_SLOTS: usize = 256;

/// Compiles defined function `func` (an index into all functions) from
/// `body`, which must be valid.
pub(crate) fn compile(
    env: &ModuleEnvironment<'_>,
    body: &FunctionBody<'_>,
    func: u32,
) -> Result<FunctionCode> {
    let ty = env
        .info
        .function_type(func)
        .ok_or(Refusal("a function without a type"))?;
    let results = widths(&ty.results);
    let mut compiler = Baseline::new(env, func, results.clone());
    for &param in &ty.params {
        compiler.declare_local(param == ValType::V128)?;
    }
    let params = compiler.locals_end;
    let mut locals_reader = body.get_locals_reader()?;
    for _ in 0..locals_reader.get_count() {
        let (count, ty) = locals_reader.read()?;
        let wide = ty == wasmparser::ValType::V128;
        for _ in 0..count {
            let slot = compiler.declare_local(wide)?;
            // Declared locals start at zero (of every type, null for
            // references).
            for half in 0..1 + usize::from(wide) {
                compiler.write_const(Slot(slot + half as u16), 0)?;
            }
        }
    }
    compiler.control[0].base_slot = compiler.locals_end;
    let range = body.range();
    let body_bytes = usize::try_from(range.end - range.start).unwrap_or(usize::MAX);
    compiler.count_hot(entry_weight(body_bytes))?;
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        compiler.offset = reader.original_position() as u32;
        let op = reader.read()?;
        compiler.operator(op)?;
    }
    compiler.finish(params, slot_count(&results))
}

/// Bytes of wasm body per unit a call counts toward tiering up, beyond the
/// first: a call counts something of the work it may do, as a loop
/// iteration does, so that a large function called a few thousand times
/// tiers up as a small one called ten thousand times does.
/// `blake3-scalar`'s 3.5 KB compression function ran 10,000 calls of
/// baseline code before, a third of the program's run time (116 ms against
/// 84 ms eager, best of 5); now 2,500 (90 ms). At 64 bytes a unit, the
/// large modules' `--help` runs tiered up functions they do not need
/// (`gaussian-kernel-radius`: peak RSS 8.7 -> 11.8 MB) for little more gain.
const BODY_BYTES_PER_UNIT: usize = 1024;

/// What a call of a function with a body of `body_bytes` counts toward
/// tiering up: one unit, plus one per [`BODY_BYTES_PER_UNIT`], at most 255.
fn entry_weight(body_bytes: usize) -> u8 {
    u8::try_from(1 + body_bytes / BODY_BYTES_PER_UNIT).unwrap_or(u8::MAX)
}

/// Whether each of `types` takes two slots (a `v128`) rather than one.
fn widths(types: &[ValType]) -> Vec<bool> {
    types.iter().map(|&ty| ty == ValType::V128).collect()
}

/// The slots values of these widths take.
fn slot_count(widths: &[bool]) -> usize {
    widths.iter().map(|&wide| 1 + usize::from(wide)).sum()
}

/// Where an operand of the wasm stack is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Operand {
    /// In its home slots.
    Home,
    /// In the slots of a local (pushed by `local.get`, not copied yet):
    /// the first of them.
    Local(u16),
    /// A scalar constant not written anywhere yet: an `i32` or `f32`'s bits
    /// sign-extended, or an `i64` or `f64`'s bits.
    Const(i64),
}

/// An operand of the wasm stack and its home: the slot (two for a `v128`)
/// where it lives once written, above the homes of the operands below it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Entry {
    operand: Operand,
    home: u16,
    wide: bool,
}

impl Entry {
    fn slots(self) -> u16 {
        1 + u16::from(self.wide)
    }
}

/// A branch target: a code offset once bound.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Label(usize);

/// A branch whose target offset is written once its label is bound.
struct Fixup {
    label: Label,
    /// Where the branching op starts (targets are relative to it).
    op_start: usize,
    /// Where its 4-byte target is.
    at: usize,
}

/// What opened a control frame.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum FrameKind {
    /// The function body.
    Function,
    Block,
    /// A loop; its label is bound at its header.
    Loop,
    /// An `if` without its `else` yet: the label its condition jumps to
    /// when false.
    If {
        else_label: Label,
    },
    /// An `if` past its `else`.
    Else,
    /// A frame opened in unreachable code: nothing is translated in it.
    Dead,
}

struct Frame {
    kind: FrameKind,
    /// Where branches to the frame go: the end (or, for a loop, the header).
    label: Label,
    /// Operand-stack height below the frame's parameters.
    base: usize,
    /// The home of the frame's first parameter or result.
    base_slot: usize,
    /// Whether each parameter, and each result, is a `v128`.
    params: Vec<bool>,
    results: Vec<bool>,
    /// Whether a branch to the end was emitted (so the end is reachable).
    branched: bool,
}

/// The state of one function's translation.
pub(crate) struct Baseline<'e> {
    env: &'e ModuleEnvironment<'e>,
    /// The function's index among all functions.
    func: u32,
    /// The bytecode so far.
    out: Vec<u8>,
    /// (offset in `out`, wasm offset) of each op that can trap or call.
    address_map: Vec<(u32, u32)>,
    /// The wasm offset of the operator being translated.
    offset: u32,
    /// The first slot of each local (parameters first), and whether it is a
    /// `v128`.
    locals: Vec<(u16, bool)>,
    /// Slots the locals take: the operands' homes start there.
    locals_end: usize,
    stack: Vec<Entry>,
    /// One more than the highest slot used.
    slots_used: usize,
    control: Vec<Frame>,
    /// Each label's code offset, once bound.
    labels: Vec<Option<usize>>,
    fixups: Vec<Fixup>,
    /// Whether the operator being translated can execute.
    reachable: bool,
    /// Operators since fuel was last charged.
    pending_fuel: u32,
    /// The op emitted last, until a label is bound after it (`fusion`).
    last: Option<fusion::LastOp>,
}

impl<'e> Baseline<'e> {
    fn new(env: &'e ModuleEnvironment<'e>, func: u32, results: Vec<bool>) -> Self {
        let mut compiler = Baseline {
            env,
            func,
            out: Vec::new(),
            address_map: Vec::new(),
            offset: 0,
            locals: Vec::new(),
            locals_end: 0,
            stack: Vec::new(),
            slots_used: 0,
            control: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            reachable: true,
            pending_fuel: 0,
            last: None,
        };
        let label = compiler.new_label();
        compiler.control.push(Frame {
            kind: FrameKind::Function,
            label,
            base: 0,
            base_slot: 0,
            params: Vec::new(),
            results,
            branched: false,
        });
        compiler
    }

    /// Gives the next local its slots; returns the first.
    fn declare_local(&mut self, wide: bool) -> Result<u16> {
        let slot = self.locals_end;
        self.slot(slot + usize::from(wide))?;
        self.locals.push((slot as u16, wide));
        self.locals_end += 1 + usize::from(wide);
        Ok(slot as u16)
    }

    fn finish(mut self, params: usize, results: usize) -> Result<FunctionCode> {
        if !self.control.is_empty() {
            return Err(Refusal("a body that does not end its blocks"));
        }
        for fixup in &self.fixups {
            let target = self.labels[fixup.label.0].ok_or(Refusal("a branch to no label"))?;
            let relative = i32::try_from(target as i64 - fixup.op_start as i64)
                .map_err(|_| Refusal("a branch beyond 2 GB"))?;
            self.out[fixup.at..fixup.at + 4].copy_from_slice(&relative.to_le_bytes());
        }
        Ok(FunctionCode {
            code: self.out,
            frame_slots: self.slots_used.max(results) as u32,
            params: params as u32,
            results: results as u32,
            address_map: self.address_map,
            compiled_cheaply: CheapCompilation::No,
            tier: Tier::Baseline,
        })
    }

    // --- Code ---------------------------------------------------------------

    /// Appends `op`; records its position if it can trap or call. Returns
    /// where it starts.
    fn emit(&mut self, op: OwnedOp) -> Result<usize> {
        let start = self.out.len();
        op.encode(&mut self.out)?;
        let recorded = op.flags().records_position();
        if recorded {
            self.address_map.push((start as u32, self.offset));
        }
        self.last = Some(fusion::LastOp::new(start, op, recorded));
        Ok(start)
    }

    /// Appends `op`, whose last operand is a target (given as a
    /// placeholder), branching to `label`.
    fn emit_branch(&mut self, op: OwnedOp, label: Label) -> Result<()> {
        let op_start = self.emit(op)?;
        let at = self.out.len() - 4;
        self.fixups.push(Fixup {
            label,
            op_start,
            at,
        });
        Ok(())
    }

    fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    fn bind(&mut self, label: Label) {
        self.labels[label.0] = Some(self.out.len());
        // Code may jump here: the op before is no longer the only way in.
        self.last = None;
    }

    fn jump(&mut self, label: Label) -> Result<()> {
        self.emit_branch(OwnedOp::Jump { target: PcRel(0) }, label)
    }

    // --- Slots and operands -------------------------------------------------

    /// Slot `index`, if a frame may have it.
    fn slot(&mut self, index: usize) -> Result<Slot> {
        if index >= MAX_SLOTS {
            return Err(Refusal("more than 256 slots"));
        }
        self.slots_used = self.slots_used.max(index + 1);
        Ok(Slot(index as u16))
    }

    /// The first slot above every operand's home.
    fn stack_end(&self) -> usize {
        match self.stack.last() {
            Some(entry) => usize::from(entry.home + entry.slots()),
            None => self.locals_end,
        }
    }

    /// The home of the operand at `height`, or of the next one pushed.
    fn home_at(&self, height: usize) -> usize {
        match self.stack.get(height) {
            Some(entry) => usize::from(entry.home),
            None => self.stack_end(),
        }
    }

    /// A slot above every operand, for a value that is not on the stack:
    /// the `n`th such.
    fn scratch(&mut self, n: usize) -> Result<Slot> {
        self.slot(self.stack_end() + n)
    }

    /// Pushes `operand`, giving it a home.
    fn push(&mut self, operand: Operand, wide: bool) -> Result<Slot> {
        let home = self.stack_end();
        self.slot(home + usize::from(wide))?;
        self.stack.push(Entry {
            operand,
            home: home as u16,
            wide,
        });
        Ok(Slot(home as u16))
    }

    /// Pushes a scalar that the next op writes to its home; returns the slot.
    fn push_home(&mut self) -> Result<Slot> {
        self.push(Operand::Home, false)
    }

    /// Pushes a `v128` that the next op writes to its homes; returns them.
    fn push_vector(&mut self) -> Result<(Slot, Slot)> {
        let lo = self.push(Operand::Home, true)?;
        Ok((lo, Slot(lo.0 + 1)))
    }

    /// Pushes values of `widths` that an op writes to their homes.
    fn push_results(&mut self, widths: &[bool]) -> Result<()> {
        for &wide in widths {
            self.push(Operand::Home, wide)?;
        }
        Ok(())
    }

    fn pop(&mut self) -> Result<Entry> {
        self.stack
            .pop()
            .ok_or(Refusal("an operand stack underflow"))
    }

    /// Pops a scalar and returns a slot that holds it (its home, written now
    /// if it is a constant).
    fn pop_slot(&mut self) -> Result<Slot> {
        let entry = self.pop()?;
        self.slot_of(entry)
    }

    /// Pops a `v128` and returns the slots that hold it.
    fn pop_vector(&mut self) -> Result<(Slot, Slot)> {
        let entry = self.pop()?;
        let lo = self.slot_of(entry)?;
        Ok((lo, Slot(lo.0 + 1)))
    }

    /// The (first) slot that holds `entry`, writing a constant to its home
    /// first.
    fn slot_of(&mut self, entry: Entry) -> Result<Slot> {
        match entry.operand {
            Operand::Home => Ok(Slot(entry.home)),
            Operand::Local(local) => Ok(Slot(local)),
            Operand::Const(value) => {
                let home = Slot(entry.home);
                self.write_const(home, value)?;
                Ok(home)
            }
        }
    }

    /// The top `count` operands, popped, as the slots that hold them in
    /// stack order (two for a `v128`): the form of argument lists.
    fn pop_slots(&mut self, count: usize) -> Result<Vec<Slot>> {
        let base = self
            .stack
            .len()
            .checked_sub(count)
            .ok_or(Refusal("an operand stack underflow"))?;
        let entries = self.stack.split_off(base);
        let mut slots = Vec::with_capacity(count);
        for entry in entries {
            let slot = self.slot_of(entry)?;
            slots.push(slot);
            if entry.wide {
                slots.push(Slot(slot.0 + 1));
            }
        }
        Ok(slots)
    }

    /// The homes, in slot-list form, that values of `widths` pushed now
    /// would have.
    fn result_slots(&mut self, widths: &[bool]) -> Result<Vec<Slot>> {
        let start = self.stack_end();
        (start..start + slot_count(widths))
            .map(|slot| self.slot(slot))
            .collect()
    }

    /// The top operand's value, if it is a constant.
    fn top_const(&self) -> Option<i64> {
        match self.stack.last()?.operand {
            Operand::Const(value) => Some(value),
            _ => None,
        }
    }

    fn write_const(&mut self, dst: Slot, value: i64) -> Result<()> {
        let op = if let Ok(imm) = i8::try_from(value) {
            OwnedOp::Xconst8 { dst, imm }
        } else if let Ok(imm) = i32::try_from(value) {
            OwnedOp::Xconst32 { dst, imm }
        } else {
            OwnedOp::Xconst64 { dst, imm: value }
        };
        self.emit(op)?;
        Ok(())
    }

    /// Writes `entry`'s value to the slots from `dst`, unless it is there.
    fn copy_to(&mut self, dst: Slot, entry: Entry) -> Result<()> {
        if let Operand::Const(value) = entry.operand {
            return self.write_const(dst, value);
        }
        let src = self.slot_of(entry)?;
        if src != dst {
            self.emit(OwnedOp::Mov { dst, src })?;
            if entry.wide {
                self.emit(OwnedOp::Mov {
                    dst: Slot(dst.0 + 1),
                    src: Slot(src.0 + 1),
                })?;
            }
        }
        Ok(())
    }

    /// Puts the operands from height `from` up in their homes.
    fn materialize_from(&mut self, from: usize) -> Result<()> {
        for height in from..self.stack.len() {
            let entry = self.stack[height];
            if entry.operand != Operand::Home {
                self.copy_to(Slot(entry.home), entry)?;
                self.stack[height].operand = Operand::Home;
            }
        }
        Ok(())
    }

    /// Copies the operands that still read local `local` (its first slot)
    /// to their homes, before the local changes.
    fn preserve_local(&mut self, local: u16) -> Result<()> {
        for height in 0..self.stack.len() {
            let entry = self.stack[height];
            if entry.operand == Operand::Local(local) {
                self.copy_to(Slot(entry.home), entry)?;
                self.stack[height].operand = Operand::Home;
            }
        }
        Ok(())
    }

    // --- Control ------------------------------------------------------------

    /// The widths of function type `ty`'s parameters and results.
    fn type_widths(&self, ty: u32) -> Result<(Vec<bool>, Vec<bool>)> {
        let ty = self
            .env
            .info
            .types
            .get(ty as usize)
            .ok_or(Refusal("a type out of range"))?;
        Ok((widths(&ty.params), widths(&ty.results)))
    }

    /// The widths of a block type's parameters and results.
    fn block_widths(&self, ty: BlockType) -> Result<(Vec<bool>, Vec<bool>)> {
        match ty {
            BlockType::Empty => Ok((Vec::new(), Vec::new())),
            BlockType::Type(ty) => Ok((Vec::new(), vec![ty == wasmparser::ValType::V128])),
            BlockType::FuncType(index) => self.type_widths(index),
        }
    }

    /// Opens a frame of `kind` for block type `ty`, its operands in their
    /// homes.
    fn open(&mut self, kind: FrameKind, ty: BlockType, label: Label) -> Result<()> {
        let (params, results) = self.block_widths(ty)?;
        self.materialize_from(0)?;
        let base = self
            .stack
            .len()
            .checked_sub(params.len())
            .ok_or(Refusal("an operand stack underflow"))?;
        let base_slot = self.home_at(base);
        self.control.push(Frame {
            kind,
            label,
            base,
            base_slot,
            params,
            results,
            branched: false,
        });
        Ok(())
    }

    /// Opens a frame in unreachable code.
    fn open_dead(&mut self) {
        self.control.push(Frame {
            kind: FrameKind::Dead,
            label: Label(usize::MAX),
            base: self.stack.len(),
            base_slot: self.stack_end(),
            params: Vec::new(),
            results: Vec::new(),
            branched: false,
        });
    }

    /// The frame `depth` levels out: its label, how many operands a branch
    /// to it carries, and the home of the first.
    fn branch_target(&mut self, depth: u32) -> Result<(Label, usize, usize)> {
        let index = self
            .control
            .len()
            .checked_sub(depth as usize + 1)
            .ok_or(Refusal("a branch out of the function"))?;
        let frame = &mut self.control[index];
        let arity = if frame.kind == FrameKind::Loop {
            frame.params.len()
        } else {
            frame.branched = true;
            frame.results.len()
        };
        if self.stack.len() < arity {
            return Err(Refusal("an operand stack underflow"));
        }
        Ok((frame.label, arity, frame.base_slot))
    }

    /// Whether a branch carrying the top `arity` operands to homes from
    /// `base_slot` up needs to move them.
    fn branch_moves(&self, arity: usize, base_slot: usize) -> bool {
        let top = self.stack.len() - arity;
        arity > 0
            && (self.home_at(top) != base_slot
                || self.stack[top..]
                    .iter()
                    .any(|entry| entry.operand != Operand::Home))
    }

    /// Copies the top `arity` operands to the homes from `base_slot` up
    /// (without popping them). Ascending order is safe: each destination
    /// is at or below its source's home, and above every source already
    /// read.
    fn move_branch_values(&mut self, arity: usize, base_slot: usize) -> Result<()> {
        let top = self.stack.len() - arity;
        let shift = self.home_at(top) - base_slot;
        for height in top..self.stack.len() {
            let entry = self.stack[height];
            self.copy_to(Slot(entry.home - shift as u16), entry)?;
        }
        Ok(())
    }

    /// A branch to the frame `depth` levels out, taken always.
    fn branch(&mut self, depth: u32) -> Result<()> {
        let (label, arity, base_slot) = self.branch_target(depth)?;
        self.move_branch_values(arity, base_slot)?;
        self.jump(label)
    }

    /// Counts `weight` units toward tiering the function up, if asked to.
    fn count_hot(&mut self, weight: u8) -> Result<()> {
        if self.env.config.tier_up_counters {
            self.emit(OwnedOp::HotCount {
                func: self.defined(),
                weight,
            })?;
        }
        Ok(())
    }

    /// Counts toward tiering the function up at the header of the loop
    /// being opened (the operator at `offset`), if asked to. At a loop with
    /// no operands below it (what compilers emit), `hot_loop` also asks for
    /// an on-stack entry there: the frame's values are then its slots from
    /// 0 up, the locals' and then the loop parameters' (in their homes),
    /// the entry's parameters (see `crate::translate`'s `OnStackEntry`).
    fn count_hot_loop(&mut self) -> Result<()> {
        if !self.env.config.tier_up_counters {
            return Ok(());
        }
        let frame = self
            .control
            .last()
            .ok_or(Refusal("a loop outside the body"))?;
        if frame.base > 0 {
            return self.count_hot(1);
        }
        debug_assert!(
            self.stack
                .iter()
                .all(|entry| entry.operand == Operand::Home)
        );
        self.emit(OwnedOp::HotLoop {
            func: self.defined(),
            header: self.offset,
        })?;
        Ok(())
    }

    /// The function's index among the module's own functions.
    fn defined(&self) -> pulley_isa::FuncIndex {
        pulley_isa::FuncIndex(self.func - self.env.info.imported_functions)
    }

    /// Charges the fuel of the operators since the last charge, if fuel is
    /// on.
    fn charge_fuel(&mut self) -> Result<()> {
        if self.env.config.fuel && self.pending_fuel > 0 {
            let amount = core::mem::take(&mut self.pending_fuel);
            self.emit(OwnedOp::ConsumeFuel { amount })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::entry_weight;

    #[test]
    fn a_call_weighs_one_plus_one_per_kib_of_body_up_to_255() {
        assert_eq!(entry_weight(0), 1);
        assert_eq!(entry_weight(1023), 1);
        assert_eq!(entry_weight(1024), 2);
        assert_eq!(entry_weight(3465), 4);
        assert_eq!(entry_weight(254 * 1024), 255);
        assert_eq!(entry_weight(usize::MAX), 255);
    }
}
