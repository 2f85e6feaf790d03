//! The baseline tier: one pass from wasm operators straight to Pulley
//! bytecode, without Cranelift, for code that must start running at once.
//!
//! The ISA is a register machine whose frames are windows of slots, so the
//! wasm operand stack maps onto slots the way wasmi's translator maps it
//! onto registers: parameters and locals take the first slots, and the
//! value at operand-stack height `i` lives in slot `locals + i` (its *home*).
//! An operand is not always in its home yet ([`Operand`]): `local.get`
//! pushes a reference to the local's slot and constants stay constants, so
//! that an op reads them where they are (or as an immediate). Before a block
//! boundary every operand is put in its home, so that all paths into a label
//! agree on where values are.
//!
//! The tier translates the operators of WebAssembly 2.0 without SIMD, plus
//! tail calls. It refuses ([`Refusal`]) a function it cannot translate: one
//! that uses `v128`, another memory than memory 0, more than 256 slots (the
//! one-byte slot operands), or a construct beyond that; the caller then
//! compiles it with the optimizing pipeline instead. Fuel is charged exactly
//! where the optimizing translator charges it (one unit per operator, paid
//! before control flow, calls and builtins), so both tiers meter the same.
//!
//! `operators` translates each operator; this module holds the state they
//! share.

mod operators;

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
    if ty
        .params
        .iter()
        .chain(&ty.results)
        .any(|&t| t == ValType::V128)
    {
        return Err(Refusal("v128 parameters or results"));
    }
    let params = ty.params.len();
    let results = ty.results.len();
    let mut locals_reader = body.get_locals_reader()?;
    let mut declared = 0usize;
    for _ in 0..locals_reader.get_count() {
        let (count, ty) = locals_reader.read()?;
        if ty == wasmparser::ValType::V128 {
            return Err(Refusal("v128 locals"));
        }
        declared = declared.saturating_add(count as usize);
        if params + declared > MAX_SLOTS {
            return Err(Refusal("more than 256 locals"));
        }
    }
    let mut compiler = Baseline::new(env, params + declared, results);
    // Declared locals start at zero (of every type, null for references).
    for local in params..params + declared {
        compiler.emit(OwnedOp::Xconst8 {
            dst: Slot(local as u16),
            imm: 0,
        })?;
    }
    let mut reader = body.get_operators_reader()?;
    compiler.code_start = body.range().start as usize;
    compiler.code = body.as_bytes();
    while !reader.eof() {
        compiler.offset = reader.original_position() as u32;
        let op = reader.read()?;
        compiler.operator(op)?;
    }
    compiler.finish(params as u32, results as u32)
}

/// Where an operand of the wasm stack is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Operand {
    /// In its home slot.
    Home,
    /// In the slot of a local (pushed by `local.get`, not copied yet).
    Local(u16),
    /// A constant not written anywhere yet: an `i32` or `f32`'s bits
    /// sign-extended, or an `i64` or `f64`'s bits.
    Const(i64),
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
    params: usize,
    results: usize,
    /// Whether a branch to the end was emitted (so the end is reachable).
    branched: bool,
}

/// The state of one function's translation.
pub(crate) struct Baseline<'e, 'c> {
    env: &'e ModuleEnvironment<'e>,
    /// The bytecode so far.
    out: Vec<u8>,
    /// (offset in `out`, wasm offset) of each op that can trap or call.
    address_map: Vec<(u32, u32)>,
    /// The wasm offset of the operator being translated.
    offset: u32,
    /// The body's bytes and their offset in the module (for the 2.0
    /// encoding check of `memory.size` and `memory.grow`).
    code: &'c [u8],
    code_start: usize,
    /// Slots of the parameters and declared locals.
    locals: usize,
    stack: Vec<Operand>,
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
}

impl<'e> Baseline<'e, '_> {
    fn new(env: &'e ModuleEnvironment<'e>, locals: usize, results: usize) -> Self {
        let mut compiler = Baseline {
            env,
            out: Vec::new(),
            address_map: Vec::new(),
            offset: 0,
            code: &[],
            code_start: 0,
            locals,
            stack: Vec::new(),
            slots_used: locals,
            control: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            reachable: true,
            pending_fuel: 0,
        };
        let label = compiler.new_label();
        compiler.control.push(Frame {
            kind: FrameKind::Function,
            label,
            base: 0,
            params: 0,
            results,
            branched: false,
        });
        compiler
    }

    fn finish(mut self, params: u32, results: u32) -> Result<FunctionCode> {
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
            frame_slots: self.slots_used.max(results as usize) as u32,
            params,
            results,
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
        if op.flags().records_position() {
            self.address_map.push((start as u32, self.offset));
        }
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
    }

    fn jump(&mut self, label: Label) -> Result<()> {
        self.emit_branch(OwnedOp::Jump { target: PcRel(0) }, label)
    }

    // --- Slots and operands -------------------------------------------------

    /// The home slot of operand-stack height `height`.
    fn home(&mut self, height: usize) -> Result<Slot> {
        self.slot(self.locals + height)
    }

    /// Slot `index`, if a frame may have it.
    fn slot(&mut self, index: usize) -> Result<Slot> {
        if index >= MAX_SLOTS {
            return Err(Refusal("more than 256 slots"));
        }
        self.slots_used = self.slots_used.max(index + 1);
        Ok(Slot(index as u16))
    }

    /// A slot above every operand, for a value that is not on the stack:
    /// the `n`th such.
    fn scratch(&mut self, n: usize) -> Result<Slot> {
        self.home(self.stack.len() + n)
    }

    fn push(&mut self, operand: Operand) {
        self.stack.push(operand);
    }

    /// Pushes a value that the next op writes to its home; returns the slot.
    fn push_home(&mut self) -> Result<Slot> {
        let slot = self.home(self.stack.len())?;
        self.stack.push(Operand::Home);
        Ok(slot)
    }

    fn pop(&mut self) -> Result<Operand> {
        self.stack
            .pop()
            .ok_or(Refusal("an operand stack underflow"))
    }

    /// Pops an operand and returns a slot that holds it (its home, written
    /// now if it is a constant).
    fn pop_slot(&mut self) -> Result<Slot> {
        let operand = self.pop()?;
        let height = self.stack.len();
        self.slot_of(operand, height)
    }

    /// The slot that holds `operand` of height `height`, writing a constant
    /// to its home first.
    fn slot_of(&mut self, operand: Operand, height: usize) -> Result<Slot> {
        match operand {
            Operand::Home => self.home(height),
            Operand::Local(local) => Ok(Slot(local)),
            Operand::Const(value) => {
                let home = self.home(height)?;
                self.write_const(home, value)?;
                Ok(home)
            }
        }
    }

    /// The top `count` operands as slots, popped, in stack order.
    fn pop_slots(&mut self, count: usize) -> Result<Vec<Slot>> {
        let base = self
            .stack
            .len()
            .checked_sub(count)
            .ok_or(Refusal("an operand stack underflow"))?;
        let operands = self.stack.split_off(base);
        (base..)
            .zip(operands)
            .map(|(height, operand)| self.slot_of(operand, height))
            .collect()
    }

    /// Pops an operand that is a constant, if it is one.
    fn pop_const(&mut self) -> Option<i64> {
        match self.stack.last() {
            Some(&Operand::Const(value)) => {
                self.stack.pop();
                Some(value)
            }
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

    /// Writes `operand` (of height `height`) to `dst`, unless it is there.
    fn copy_to(&mut self, dst: Slot, operand: Operand, height: usize) -> Result<()> {
        match operand {
            Operand::Const(value) => self.write_const(dst, value),
            _ => {
                let src = self.slot_of(operand, height)?;
                if src != dst {
                    self.emit(OwnedOp::Mov { dst, src })?;
                }
                Ok(())
            }
        }
    }

    /// Puts the operands from height `from` up in their homes.
    fn materialize_from(&mut self, from: usize) -> Result<()> {
        for height in from..self.stack.len() {
            let operand = self.stack[height];
            if operand != Operand::Home {
                let home = self.home(height)?;
                self.copy_to(home, operand, height)?;
                self.stack[height] = Operand::Home;
            }
        }
        Ok(())
    }

    /// Copies the operands that still read local `local` to their homes,
    /// before the local changes.
    fn preserve_local(&mut self, local: u16) -> Result<()> {
        for height in 0..self.stack.len() {
            if self.stack[height] == Operand::Local(local) {
                let home = self.home(height)?;
                self.emit(OwnedOp::Mov {
                    dst: home,
                    src: Slot(local),
                })?;
                self.stack[height] = Operand::Home;
            }
        }
        Ok(())
    }

    // --- Control ------------------------------------------------------------

    /// Parameter and result counts of a block type.
    fn block_arity(&self, ty: BlockType) -> Result<(usize, usize)> {
        match ty {
            BlockType::Empty => Ok((0, 0)),
            BlockType::Type(wasmparser::ValType::V128) => Err(Refusal("v128 block results")),
            BlockType::Type(_) => Ok((0, 1)),
            BlockType::FuncType(index) => {
                let ty = self
                    .env
                    .info
                    .types
                    .get(index as usize)
                    .ok_or(Refusal("a block of no type"))?;
                if ty
                    .params
                    .iter()
                    .chain(&ty.results)
                    .any(|&t| t == ValType::V128)
                {
                    return Err(Refusal("v128 block parameters or results"));
                }
                Ok((ty.params.len(), ty.results.len()))
            }
        }
    }

    /// Opens a frame of `kind` for block type `ty`, its operands in their
    /// homes.
    fn open(&mut self, kind: FrameKind, ty: BlockType, label: Label) -> Result<()> {
        let (params, results) = self.block_arity(ty)?;
        self.materialize_from(0)?;
        let base = self
            .stack
            .len()
            .checked_sub(params)
            .ok_or(Refusal("an operand stack underflow"))?;
        self.control.push(Frame {
            kind,
            label,
            base,
            params,
            results,
            branched: false,
        });
        Ok(())
    }

    /// Opens a frame in unreachable code.
    fn open_dead(&mut self) {
        let label = Label(usize::MAX);
        self.control.push(Frame {
            kind: FrameKind::Dead,
            label,
            base: self.stack.len(),
            params: 0,
            results: 0,
            branched: false,
        });
    }

    /// The frame `depth` levels out, with the operand count a branch to it
    /// carries and its slots' first height.
    fn branch_target(&mut self, depth: u32) -> Result<(Label, usize, usize)> {
        let index = self
            .control
            .len()
            .checked_sub(depth as usize + 1)
            .ok_or(Refusal("a branch out of the function"))?;
        let frame = &mut self.control[index];
        let arity = if frame.kind == FrameKind::Loop {
            frame.params
        } else {
            frame.branched = true;
            frame.results
        };
        Ok((frame.label, arity, frame.base))
    }

    /// Whether a branch carrying `arity` operands to slots from height
    /// `base` up needs to move them.
    fn branch_moves(&self, arity: usize, base: usize) -> bool {
        let top = self.stack.len() - arity;
        top != base
            || self.stack[top..]
                .iter()
                .any(|&operand| operand != Operand::Home)
    }

    /// Copies the top `arity` operands to the homes of heights `base..`
    /// (without popping them). Ascending order is safe: each destination
    /// is at or below its source's home, and above every source already
    /// read.
    fn move_branch_values(&mut self, arity: usize, base: usize) -> Result<()> {
        let top = self.stack.len() - arity;
        for k in 0..arity {
            let operand = self.stack[top + k];
            let dst = self.home(base + k)?;
            self.copy_to(dst, operand, top + k)?;
        }
        Ok(())
    }

    /// A branch to the frame `depth` levels out, taken always.
    fn branch(&mut self, depth: u32) -> Result<()> {
        let (label, arity, base) = self.branch_target(depth)?;
        if self.stack.len() < arity {
            return Err(Refusal("an operand stack underflow"));
        }
        self.move_branch_values(arity, base)?;
        self.jump(label)
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
