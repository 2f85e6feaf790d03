//! The lowering context of one function: what every rule reads and writes.
//!
//! It holds the value state (aliases, static use counts, which values an
//! emitted instruction reads, the virtual register of each value and the
//! second register of each vector), the blocks being built, and the
//! instructions emitted for the CLIF instruction being lowered. The rules
//! (`arithmetic`, `compare`, `branch`, `call`, `memory`, `division`,
//! `simd`) are functions that take this context; the walk over the function
//! is in `select`.
//!
//! Value aliases (`ireduce`, `bitcast` to the same width, widening a compare
//! result) emit nothing: they share their source's virtual register.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::ir::{self, BlockArg, Inst, InstructionData, Opcode, Type, Value, ValueDef};
use pulley_isa::GenericOp as Op;
use regalloc2::{RegClass, VReg};

use super::vcode::{VInst, VirtualOp};
use crate::CompileError;
use crate::translate::ModuleEnvironment;

/// A lowered block before layout: parameters, instructions in order, and the
/// srcloc of each.
#[derive(Default)]
pub(crate) struct SelectedBlock {
    pub(crate) params: Vec<VReg>,
    pub(crate) insts: Vec<(VInst, u32)>,
}

/// The result of selection: blocks (CLIF blocks in layout order first, with
/// the edge blocks created for branches after them in `order`).
pub(crate) struct Selection {
    pub(crate) blocks: Vec<SelectedBlock>,
    /// Block ids in layout order: each CLIF block followed by its edge blocks.
    pub(crate) order: Vec<u32>,
    pub(crate) num_vregs: usize,
}

/// A linear-memory access's identity for bounds-check matching: index root
/// and end (constant part + static offset + size).
pub(crate) type AccessKey = (Option<Value>, u64);

/// Instruction selection state for one function.
pub(crate) struct LoweringContext<'a> {
    pub(crate) env: &'a ModuleEnvironment<'a>,
    pub(crate) func: &'a ir::Function,
    pub(crate) wasm_func: u32,
    vmctx: Value,
    /// Alias targets: a value that shares another's register.
    aliases: HashMap<Value, Value>,
    /// Static uses of each (alias-resolved) value, for fusion heuristics.
    uses: HashMap<Value, u32>,
    /// Values whose register an emitted instruction reads.
    read: HashSet<Value>,
    vregs: HashMap<Value, VReg>,
    /// The second register of each vector value (its `vregs` entry is the
    /// first): bytes 8..16 of the v128.
    high_halves: HashMap<Value, VReg>,
    next_vreg: usize,
    /// Id of each CLIF block.
    block_ids: HashMap<ir::Block, u32>,
    blocks: Vec<SelectedBlock>,
    /// Edge blocks created while lowering each CLIF block's terminator.
    edges: HashMap<u32, Vec<u32>>,
    /// The instructions of the current CLIF instruction, in order.
    pending: Vec<VInst>,
    /// The current CLIF instruction's wasm offset.
    srcloc: u32,
    /// The linear-memory access that is the next effect after the current
    /// instruction (blocks are lowered bottom-up), for bounds-check elision.
    last_access: Option<AccessKey>,
    /// Whether the current instruction was a linear-memory access or a
    /// bounds check it made redundant.
    kept_last_access: bool,
}

impl<'a> LoweringContext<'a> {
    /// The context of `func`: its blocks numbered in layout order, its
    /// aliases found and its uses counted.
    pub(crate) fn new(
        env: &'a ModuleEnvironment<'a>,
        func: &'a ir::Function,
        wasm_func: u32,
    ) -> Self {
        let entry = func.layout.entry_block().expect("a function body");
        let vmctx = func.dfg.block_params(entry)[0];
        let mut cx = LoweringContext {
            env,
            func,
            wasm_func,
            vmctx,
            aliases: HashMap::new(),
            uses: HashMap::new(),
            read: HashSet::new(),
            vregs: HashMap::new(),
            high_halves: HashMap::new(),
            next_vreg: 0,
            block_ids: HashMap::new(),
            blocks: Vec::new(),
            edges: HashMap::new(),
            pending: Vec::new(),
            srcloc: 0,
            last_access: None,
            kept_last_access: false,
        };
        for block in func.layout.blocks() {
            let id = cx.new_block();
            cx.block_ids.insert(block, id);
        }
        cx.find_aliases();
        cx.count_uses();
        cx
    }

    /// The blocks built, in layout order: each CLIF block followed by the
    /// edge blocks of its terminator.
    pub(crate) fn finish(self) -> Selection {
        let mut order = Vec::new();
        for block in self.func.layout.blocks() {
            let id = self.block_ids[&block];
            order.push(id);
            if let Some(edges) = self.edges.get(&id) {
                order.extend_from_slice(edges);
            }
        }
        Selection {
            blocks: self.blocks,
            order,
            num_vregs: self.next_vreg,
        }
    }

    pub(crate) fn error(&self, what: impl std::fmt::Display) -> CompileError {
        CompileError::Internal(format!(
            "lowering function {} at wasm offset {:#x}: {what}",
            self.wasm_func, self.srcloc
        ))
    }

    // --- Blocks and the instruction being lowered. ---

    fn new_block(&mut self) -> u32 {
        self.blocks.push(SelectedBlock::default());
        (self.blocks.len() - 1) as u32
    }

    /// The id of a CLIF block.
    pub(crate) fn block_id(&self, block: ir::Block) -> u32 {
        self.block_ids[&block]
    }

    /// Sets the parameters and instructions of block `id`.
    pub(crate) fn set_block(&mut self, id: u32, params: Vec<VReg>, insts: Vec<(VInst, u32)>) {
        let block = &mut self.blocks[id as usize];
        block.params = params;
        block.insts = insts;
    }

    /// A new block of `insts`, laid out after block `from` (an edge of its
    /// terminator).
    pub(crate) fn add_edge_block(&mut self, from: u32, insts: Vec<VInst>) -> u32 {
        let edge = self.new_block();
        let srcloc = self.srcloc;
        self.blocks[edge as usize].insts = insts.into_iter().map(|inst| (inst, srcloc)).collect();
        self.edges.entry(from).or_default().push(edge);
        edge
    }

    /// Starts a block (lowered bottom-up): no access follows its last
    /// instruction.
    pub(crate) fn begin_block(&mut self) {
        self.last_access = None;
    }

    /// Starts lowering `inst`: its wasm offset becomes the current one.
    pub(crate) fn begin_inst(&mut self, inst: Inst) {
        self.srcloc = self.func.srcloc(inst).bits();
        if self.srcloc == u32::MAX {
            self.srcloc = 0;
        }
        self.kept_last_access = false;
    }

    /// Ends lowering an instruction (with side effects if `effects`): the
    /// instructions emitted for it, in order, each with its wasm offset.
    pub(crate) fn finish_inst(&mut self, effects: bool) -> Vec<(VInst, u32)> {
        if effects && !self.kept_last_access {
            self.last_access = None;
        }
        let srcloc = self.srcloc;
        self.pending.drain(..).map(|inst| (inst, srcloc)).collect()
    }

    /// Runs `lower` with what it emits set aside: its result and those
    /// instructions.
    pub(crate) fn set_aside<R>(&mut self, lower: impl FnOnce(&mut Self) -> R) -> (R, Vec<VInst>) {
        let outer = std::mem::take(&mut self.pending);
        let result = lower(self);
        let emitted = std::mem::replace(&mut self.pending, outer);
        (result, emitted)
    }

    /// Records the linear-memory access the current instruction makes
    /// (`None`: one whose bounds check cannot be matched).
    pub(crate) fn set_last_access(&mut self, access: Option<AccessKey>) {
        self.last_access = access;
        self.kept_last_access = true;
    }

    /// Keeps the access recorded after the current instruction (a bounds
    /// check it made redundant).
    pub(crate) fn keep_last_access(&mut self) {
        self.kept_last_access = true;
    }

    /// The linear-memory access that is the next effect after the current
    /// instruction, if it is one.
    pub(crate) fn last_access(&self) -> Option<AccessKey> {
        self.last_access
    }

    /// The current instruction's wasm offset.
    pub(crate) fn srcloc(&self) -> u32 {
        self.srcloc
    }

    // --- Values, aliases and use counts. ---

    pub(crate) fn def_inst(&self, value: Value) -> Option<Inst> {
        match self.func.dfg.value_def(value) {
            ValueDef::Result(inst, _) => Some(inst),
            _ => None,
        }
    }

    pub(crate) fn data(&self, inst: Inst) -> &InstructionData {
        &self.func.dfg.insts[inst]
    }

    /// Whether `value`'s register holds 0 or 1 in all 64 bits.
    pub(crate) fn is_clean_bool(&self, value: Value) -> bool {
        let value = self.resolve(value);
        self.def_inst(value)
            .is_some_and(|inst| matches!(self.data(inst).opcode(), Opcode::Icmp | Opcode::Fcmp))
    }

    fn find_aliases(&mut self) {
        for block in self.func.layout.blocks() {
            for inst in self.func.layout.block_insts(block) {
                let data = *self.data(inst);
                let alias_of = match data {
                    InstructionData::Unary {
                        opcode: Opcode::Ireduce,
                        arg,
                    } => Some(arg),
                    InstructionData::LoadNoOffset {
                        opcode: Opcode::Bitcast,
                        arg,
                        ..
                    } if self.value_type(arg).bits()
                        == self.value_type(self.func.dfg.first_result(inst)).bits() =>
                    {
                        Some(arg)
                    }
                    InstructionData::Unary {
                        opcode: Opcode::Uextend,
                        arg,
                    } if self.is_clean_bool(arg) => Some(arg),
                    _ => None,
                };
                if let Some(source) = alias_of {
                    self.aliases
                        .insert(self.func.dfg.first_result(inst), source);
                }
            }
        }
    }

    /// The value whose register `value` shares.
    pub(crate) fn resolve(&self, mut value: Value) -> Value {
        value = self.func.dfg.resolve_aliases(value);
        while let Some(&source) = self.aliases.get(&value) {
            value = source;
        }
        value
    }

    fn count_uses(&mut self) {
        let func = self.func;
        for block in func.layout.blocks() {
            for inst in func.layout.block_insts(block) {
                if self.is_alias(inst) {
                    continue;
                }
                for &arg in func.dfg.inst_args(inst) {
                    *self.uses.entry(self.resolve(arg)).or_default() += 1;
                }
                for destination in func.dfg.insts[inst]
                    .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)
                {
                    for arg in destination.args(&func.dfg.value_lists) {
                        if let BlockArg::Value(value) = arg {
                            *self.uses.entry(self.resolve(value)).or_default() += 1;
                        }
                    }
                }
            }
        }
    }

    pub(crate) fn is_alias(&self, inst: Inst) -> bool {
        self.func
            .dfg
            .inst_results(inst)
            .first()
            .is_some_and(|result| self.aliases.contains_key(result))
    }

    /// Whether an emitted instruction reads one of `inst`'s results.
    pub(crate) fn is_read(&self, inst: Inst) -> bool {
        self.func
            .dfg
            .inst_results(inst)
            .iter()
            .any(|result| self.read.contains(result))
    }

    /// Whether `inst` must execute even if its results are unused.
    pub(crate) fn has_effects(&self, inst: Inst) -> bool {
        let data = self.data(inst);
        let opcode = data.opcode();
        if opcode.is_call()
            || opcode.is_branch()
            || opcode.is_terminator()
            || opcode.can_store()
            || opcode.other_side_effects()
        {
            return true;
        }
        if opcode.can_load() {
            return false;
        }
        opcode.can_trap()
    }

    /// The virtual register of `value`, read by the instruction being
    /// lowered.
    pub(crate) fn vreg(&mut self, value: Value) -> VReg {
        let value = self.resolve(value);
        self.read.insert(value);
        self.register(value)
    }

    /// The virtual register of `value`, defined by the instruction being
    /// lowered (or a block parameter).
    pub(crate) fn def(&mut self, value: Value) -> VReg {
        let value = self.resolve(value);
        self.register(value)
    }

    fn register(&mut self, value: Value) -> VReg {
        if let Some(&vreg) = self.vregs.get(&value) {
            return vreg;
        }
        let vreg = self.fresh();
        self.vregs.insert(value, vreg);
        vreg
    }

    /// The register pair (bytes 0..8, bytes 8..16) of vector `value`, read
    /// by the instruction being lowered.
    pub(crate) fn vpair(&mut self, value: Value) -> (VReg, VReg) {
        let low = self.vreg(value);
        (low, self.high_half(value))
    }

    /// The register pair of vector `value`, defined by the instruction being
    /// lowered.
    pub(crate) fn vdef(&mut self, value: Value) -> (VReg, VReg) {
        let low = self.def(value);
        (low, self.high_half(value))
    }

    fn high_half(&mut self, value: Value) -> VReg {
        let value = self.resolve(value);
        if let Some(&vreg) = self.high_halves.get(&value) {
            return vreg;
        }
        let vreg = self.fresh();
        self.high_halves.insert(value, vreg);
        vreg
    }

    /// The slots `values` occupy as a list operand (a call's arguments, a
    /// return's values, a jump's block arguments): one register each, two
    /// for a vector.
    pub(crate) fn read_list(&mut self, values: &[Value]) -> Vec<VReg> {
        let mut list = Vec::with_capacity(values.len());
        for &value in values {
            if self.value_type(value).is_vector() {
                let (low, high) = self.vpair(value);
                list.extend([low, high]);
            } else {
                list.push(self.vreg(value));
            }
        }
        list
    }

    /// Like [`read_list`](Self::read_list), for values defined by the
    /// instruction being lowered (call results, block parameters).
    pub(crate) fn def_list(&mut self, values: &[Value]) -> Vec<VReg> {
        let mut list = Vec::with_capacity(values.len());
        for &value in values {
            if self.value_type(value).is_vector() {
                let (low, high) = self.vdef(value);
                list.extend([low, high]);
            } else {
                list.push(self.def(value));
            }
        }
        list
    }

    /// A new virtual register for a temporary.
    pub(crate) fn fresh(&mut self) -> VReg {
        let vreg = VReg::new(self.next_vreg, RegClass::Int);
        self.next_vreg += 1;
        vreg
    }

    /// The constant `value` holds, sign-extended from its type's width.
    pub(crate) fn constant(&self, value: Value) -> Option<i64> {
        let value = self.resolve(value);
        let inst = self.def_inst(value)?;
        let bits = match *self.data(inst) {
            InstructionData::UnaryImm {
                opcode: Opcode::Iconst,
                imm,
            } => imm.bits(),
            _ => return None,
        };
        let width = self.value_type(value).bits();
        Some(if width >= 64 {
            bits
        } else {
            (bits << (64 - width)) >> (64 - width)
        })
    }

    /// An immediate for a `width`-bit op: any 32-bit
    /// value for 32-bit ops, values that sign-extend from 32 bits for 64-bit ops.
    pub(crate) fn immediate(&mut self, value: Value, width: u32) -> Option<i32> {
        let constant = self.constant(value)?;
        let immediate = if width <= 32 {
            constant as i32
        } else {
            i32::try_from(constant).ok()?
        };
        Some(immediate)
    }

    /// The immediate to compare `a` with when `b` is a constant: extended
    /// as [`widened`](Self::widened) extends an 8- or 16-bit `a` (zero for
    /// unsigned and equality compares, sign for signed ones). The constant
    /// alone is sign-extended, which against a zero-extended `a` would make
    /// `a == 0xff` (an i8 `-1`) never true (found by fuzzing).
    pub(crate) fn compare_immediate(&mut self, a: Value, b: Value, signed: bool) -> Option<i32> {
        let bits = self.value_type(a).bits();
        if bits >= 32 {
            return self.immediate(b, bits);
        }
        let constant = self.constant(b)?;
        Some(if signed {
            constant as i32
        } else {
            (constant as u64 & ((1 << bits) - 1)) as i32
        })
    }

    pub(crate) fn emit(&mut self, inst: VInst) {
        self.pending.push(inst);
    }

    pub(crate) fn op(&mut self, op: VirtualOp) {
        self.emit(VInst::Op(op));
    }

    /// `dst = value`, with the shortest constant op.
    pub(crate) fn constant_into(&mut self, dst: VReg, value: i64) {
        self.op(if let Ok(imm) = i8::try_from(value) {
            Op::Xconst8 { dst, imm }
        } else if let Ok(imm) = i32::try_from(value) {
            Op::Xconst32 { dst, imm }
        } else {
            Op::Xconst64 { dst, imm: value }
        });
    }

    /// A register holding `value` zero- or sign-extended to 32 bits, for
    /// ops that read 32 bits of an 8- or 16-bit value.
    pub(crate) fn widened(&mut self, value: Value, signed: bool) -> VReg {
        let ty = self.value_type(value);
        let src = self.vreg(value);
        if ty.bits() >= 32 || (!signed && self.is_clean_bool(value)) {
            return src;
        }
        let dst = self.fresh();
        self.op(match (ty.bits(), signed) {
            (8, false) => Op::Xzext8 { dst, src },
            (8, true) => Op::Xsext8 { dst, src },
            (_, false) => Op::Xzext16 { dst, src },
            (_, true) => Op::Xsext16 { dst, src },
        });
        dst
    }

    /// `vmctx` itself.
    pub(crate) fn vmctx(&self) -> Value {
        self.vmctx
    }

    pub(crate) fn def_inst_of(&self, value: Value) -> Option<(Inst, InstructionData)> {
        let inst = self.def_inst(self.resolve(value))?;
        Some((inst, *self.data(inst)))
    }

    /// Static uses of `value` (alias-resolved) by non-alias instructions.
    pub(crate) fn use_count(&self, value: Value) -> u32 {
        self.uses.get(&self.resolve(value)).copied().unwrap_or(0)
    }

    pub(crate) fn value_type(&self, value: Value) -> Type {
        self.func.dfg.value_type(value)
    }
}
