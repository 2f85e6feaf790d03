//! Instruction selection: optimized Cranelift IR -> VCode.
//!
//! Blocks are lowered in reverse reverse-postorder and each block bottom-up,
//! so every user of a value is lowered before its definition. A user may
//! *absorb* an operand's defining instruction (a constant into an immediate,
//! a compare into a branch, address arithmetic into a memory op) instead of
//! reading its register; a pure instruction whose results no emitted
//! instruction reads is then not emitted. Value aliases (`ireduce`,
//! `bitcast`, widening a compare result) emit nothing: they share their
//! source's virtual register.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::{CondCode, FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32, F64, I32, I64};
use cranelift_codegen::ir::{
    self, BlockArg, ExternalName, Inst, InstructionData, Opcode, Type, Value, ValueDef,
};
use pulley_isa::{BuiltinIndex, FuncIndex, GenericOp as Op, ImportIndex, TableIndex, TypeIndex};
use regalloc2::{RegClass, VReg};

use super::memory::HeapAddress;
use super::vcode::{Label, REGISTER_PARAMS, VInst, VirtualOp};
use crate::intrinsics::{self, Intrinsic};
use crate::translate::ModuleEnvironment;
use crate::vmctx::VmctxField;
use crate::{CompileError, traps};

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

/// Instruction selection state for one function.
pub(crate) struct Selector<'a> {
    pub(crate) env: &'a ModuleEnvironment<'a>,
    pub(crate) func: &'a ir::Function,
    pub(crate) wasm_func: u32,
    vmctx: Value,
    /// Alias targets: a value that shares another's register.
    aliases: HashMap<Value, Value>,
    /// Static uses of each (alias-resolved) value, for fusion heuristics.
    uses: HashMap<Value, u32>,
    /// Values whose register an emitted instruction reads.
    read: std::collections::HashSet<Value>,
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
    last_access: Option<super::memory::AccessKey>,
    /// Whether the current instruction was a linear-memory access or a
    /// bounds check it made redundant.
    kept_last_access: bool,
    /// Set when a 128-bit comparison had operands of an unknown form.
    unsupported_wide: bool,
}

impl<'a> Selector<'a> {
    pub(crate) fn new(
        env: &'a ModuleEnvironment<'a>,
        func: &'a ir::Function,
        wasm_func: u32,
    ) -> Self {
        let entry = func.layout.entry_block().expect("a function body");
        let vmctx = func.dfg.block_params(entry)[0];
        Selector {
            env,
            func,
            wasm_func,
            vmctx,
            aliases: HashMap::new(),
            uses: HashMap::new(),
            read: std::collections::HashSet::new(),
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
            unsupported_wide: false,
        }
    }

    /// Selects instructions for the whole function.
    pub(crate) fn select(mut self) -> Result<Selection, CompileError> {
        let func = self.func;
        let layout: Vec<ir::Block> = func.layout.blocks().collect();
        for &block in &layout {
            let id = self.new_block();
            self.block_ids.insert(block, id);
        }
        self.find_aliases();
        self.count_uses();
        for &block in reverse_postorder(func).iter().rev() {
            self.select_block(block)?;
        }
        let mut order = Vec::new();
        for block in &layout {
            let id = self.block_ids[block];
            order.push(id);
            if let Some(edges) = self.edges.get(&id) {
                order.extend_from_slice(edges);
            }
        }
        Ok(Selection {
            blocks: self.blocks,
            order,
            num_vregs: self.next_vreg,
        })
    }

    fn new_block(&mut self) -> u32 {
        self.blocks.push(SelectedBlock::default());
        (self.blocks.len() - 1) as u32
    }

    pub(crate) fn error(&self, what: impl std::fmt::Display) -> CompileError {
        CompileError::Internal(format!(
            "lowering function {} at wasm offset {:#x}: {what}",
            self.wasm_func, self.srcloc
        ))
    }

    // --- Values, aliases and use counts. ---

    fn def_inst(&self, value: Value) -> Option<Inst> {
        match self.func.dfg.value_def(value) {
            ValueDef::Result(inst, _) => Some(inst),
            _ => None,
        }
    }

    fn data(&self, inst: Inst) -> &InstructionData {
        &self.func.dfg.insts[inst]
    }

    fn ty(&self, value: Value) -> Type {
        self.func.dfg.value_type(value)
    }

    /// Whether `value`'s register holds 0 or 1 in all 64 bits.
    fn is_clean_bool(&self, value: Value) -> bool {
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
                    } if self.ty(arg).bits()
                        == self.ty(self.func.dfg.first_result(inst)).bits() =>
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
    fn resolve(&self, mut value: Value) -> Value {
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

    fn is_alias(&self, inst: Inst) -> bool {
        self.func
            .dfg
            .inst_results(inst)
            .first()
            .is_some_and(|result| self.aliases.contains_key(result))
    }

    /// Whether an emitted instruction reads one of `inst`'s results.
    fn is_read(&self, inst: Inst) -> bool {
        self.func
            .dfg
            .inst_results(inst)
            .iter()
            .any(|result| self.read.contains(result))
    }

    /// Whether `inst` must execute even if its results are unused.
    fn has_effects(&self, inst: Inst) -> bool {
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
    fn read_list(&mut self, values: &[Value]) -> Vec<VReg> {
        let mut list = Vec::with_capacity(values.len());
        for &value in values {
            if self.ty(value).is_vector() {
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
    fn def_list(&mut self, values: &[Value]) -> Vec<VReg> {
        let mut list = Vec::with_capacity(values.len());
        for &value in values {
            if self.ty(value).is_vector() {
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
        let width = self.ty(value).bits();
        Some(if width >= 64 {
            bits
        } else {
            (bits << (64 - width)) >> (64 - width)
        })
    }

    /// An immediate for a `width`-bit op: any 32-bit
    /// value for 32-bit ops, values that sign-extend from 32 bits for 64-bit ops.
    fn immediate(&mut self, value: Value, width: u32) -> Option<i32> {
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
    fn compare_immediate(&mut self, a: Value, b: Value, signed: bool) -> Option<i32> {
        let bits = self.ty(a).bits();
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

    // --- Blocks. ---

    fn select_block(&mut self, block: ir::Block) -> Result<(), CompileError> {
        let id = self.block_ids[&block];
        let mut reversed: Vec<(VInst, u32)> = Vec::new();
        let insts: Vec<Inst> = self.func.layout.block_insts(block).collect();
        self.last_access = None;
        for &inst in insts.iter().rev() {
            let effects = self.has_effects(inst);
            if self.is_alias(inst) || (!effects && !self.is_read(inst)) {
                continue;
            }
            self.srcloc = self.func.srcloc(inst).bits();
            if self.srcloc == u32::MAX {
                self.srcloc = 0;
            }
            self.kept_last_access = false;
            self.select_inst(inst, id)?;
            if self.unsupported_wide {
                return Err(self
                    .error("a 128-bit comparison of values that are not pairs of 64-bit halves"));
            }
            if effects && !self.kept_last_access {
                self.last_access = None;
            }
            for emitted in self.pending.drain(..).rev() {
                reversed.push((emitted, self.srcloc));
            }
        }
        let is_entry = Some(block) == self.func.layout.entry_block();
        let params: Vec<Value> = self.func.dfg.block_params(block).to_vec();
        if is_entry {
            let mut slots = self.def_list(&params[1..]);
            let stack_params = slots.split_off(slots.len().min(REGISTER_PARAMS));
            let mut entry = vec![(VInst::Args { params: slots }, 0)];
            for (index, dst) in (REGISTER_PARAMS..).zip(stack_params) {
                entry.push((
                    VInst::ParamLoad {
                        dst,
                        index: index as u32,
                    },
                    0,
                ));
            }
            reversed.extend(entry.into_iter().rev());
        } else {
            self.blocks[id as usize].params = self.def_list(&params);
        }
        reversed.reverse();
        self.blocks[id as usize].insts = reversed;
        Ok(())
    }

    /// An edge block that jumps to `call`'s block with its arguments, after
    /// the block `from`. A constant argument used nowhere else is
    /// materialized in the edge block, so that only this edge pays for it.
    fn edge(&mut self, from: u32, call: ir::BlockCall) -> u32 {
        let func = self.func;
        let target = self.block_ids[&call.block(&func.dfg.value_lists)];
        let values: Vec<Value> = call
            .args(&func.dfg.value_lists)
            .filter_map(|arg| match arg {
                BlockArg::Value(value) => Some(value),
                _ => None,
            })
            .collect();
        let outer = std::mem::take(&mut self.pending);
        let mut args = Vec::with_capacity(values.len());
        for value in values {
            match self.constant(value) {
                Some(constant) if self.use_count(value) == 1 => {
                    let dst = self.fresh();
                    self.constant_into(dst, constant);
                    args.push(dst);
                }
                _ => args.extend(self.read_list(&[value])),
            }
        }
        let edge = self.new_block();
        let constants = std::mem::replace(&mut self.pending, outer);
        let srcloc = self.srcloc;
        self.blocks[edge as usize].insts = constants
            .into_iter()
            .chain([VInst::Jump { target, args }])
            .map(|inst| (inst, srcloc))
            .collect();
        self.edges.entry(from).or_default().push(edge);
        edge
    }

    // --- Instructions. ---

    fn select_inst(&mut self, inst: Inst, block: u32) -> Result<(), CompileError> {
        let func = self.func;
        let data = *self.data(inst);
        let results = func.dfg.inst_results(inst);
        let result = results.first().copied();
        let ctrl = func.dfg.ctrl_typevar(inst);
        if self.is_vector_inst(inst) {
            return self.select_vector(inst);
        }
        match data {
            InstructionData::UnaryImm {
                opcode: Opcode::Iconst,
                imm,
            } => {
                let dst = self.def(result.unwrap());
                let width = ctrl.bits();
                let bits = imm.bits();
                let value = if width >= 64 {
                    bits
                } else {
                    (bits << (64 - width)) >> (64 - width)
                };
                self.constant_into(dst, value);
            }
            InstructionData::UnaryIeee32 { imm, .. } => {
                let dst = self.def(result.unwrap());
                self.constant_into(dst, i64::from(imm.bits() as i32));
            }
            InstructionData::UnaryIeee64 { imm, .. } => {
                let dst = self.def(result.unwrap());
                self.constant_into(dst, imm.bits() as i64);
            }
            InstructionData::Binary {
                opcode,
                args: [a, b],
            } => self.binary(opcode, ctrl, result.unwrap(), a, b)?,
            InstructionData::Unary { opcode, arg } => {
                self.unary(opcode, ctrl, result.unwrap(), arg)?
            }
            InstructionData::IntCompare {
                cond, args: [a, b], ..
            } => {
                let dst = self.def(result.unwrap());
                self.int_compare_value(dst, cond, a, b);
            }
            InstructionData::FloatCompare {
                cond, args: [a, b], ..
            } => {
                let dst = self.def(result.unwrap());
                self.float_compare_value(dst, cond, a, b);
            }
            InstructionData::Ternary {
                opcode: Opcode::Select,
                args: [cond, a, b],
            } => {
                let dst = self.def(result.unwrap());
                let (cond, wide) = self.condition(cond);
                let (if_true, if_false) = (self.vreg(a), self.vreg(b));
                self.op(select_op(wide, dst, cond, if_true, if_false));
            }
            InstructionData::Load {
                opcode,
                arg,
                flags,
                offset,
            } => {
                let flags = func.dfg.mem_flags[flags];
                self.load(opcode, ctrl, result.unwrap(), arg, i64::from(offset), flags)?
            }
            InstructionData::Store {
                opcode,
                args: [value, address],
                offset,
                ..
            } => self.store(opcode, value, address, i64::from(offset))?,
            InstructionData::Jump { destination, .. } => {
                let target = self.block_ids[&destination.block(&func.dfg.value_lists)];
                let args: Vec<Value> = destination
                    .args(&func.dfg.value_lists)
                    .filter_map(|arg| match arg {
                        BlockArg::Value(value) => Some(value),
                        _ => None,
                    })
                    .collect();
                let args = self.read_list(&args);
                self.emit(VInst::Jump { target, args });
            }
            InstructionData::Brif {
                arg,
                blocks: [then_call, else_call],
                ..
            } => {
                let taken = self.edge(block, then_call);
                let not_taken = self.edge(block, else_call);
                let op = self.conditional_branch(arg, true, Label::Block(taken));
                self.emit(VInst::Branch {
                    op,
                    taken,
                    not_taken,
                });
            }
            InstructionData::BranchTable { arg, table, .. } => {
                let table = &func.dfg.jump_tables[table];
                let mut seen: HashMap<ir::BlockCall, u32> = HashMap::new();
                let mut targets = Vec::new();
                let calls: Vec<ir::BlockCall> = table.as_slice().to_vec();
                let default = table.default_block();
                for call in calls.iter().copied().chain(std::iter::once(default)) {
                    let edge = match seen.get(&call) {
                        Some(&edge) => edge,
                        None => {
                            let edge = self.edge(block, call);
                            seen.insert(call, edge);
                            edge
                        }
                    };
                    targets.push(edge);
                }
                let index = self.vreg(arg);
                self.emit(VInst::Table { index, targets });
            }
            InstructionData::Trap { code, .. } => {
                let code = self.trap_code(code)?;
                self.op(Op::Trap { code });
            }
            InstructionData::CondTrap { opcode, arg, code } => {
                if code == ir::TrapCode::HEAP_OUT_OF_BOUNDS
                    && opcode == Opcode::Trapnz
                    && self.bounds_check_is_redundant(inst)
                {
                    self.kept_last_access = true;
                    return Ok(());
                }
                let label = Label::Trap(self.trap_code(code)?, self.srcloc);
                let op = self.conditional_branch(arg, opcode == Opcode::Trapnz, label);
                self.op(op);
            }
            InstructionData::MultiAry {
                opcode: Opcode::Return,
                args,
            } => {
                let values: Vec<Value> = args.as_slice(&func.dfg.value_lists).to_vec();
                let values = self.read_list(&values);
                self.op(Op::Ret { values });
            }
            InstructionData::Call {
                opcode,
                args,
                func_ref,
            } => {
                let args: Vec<Value> = args.as_slice(&func.dfg.value_lists).to_vec();
                let results: Vec<Value> = results.to_vec();
                self.call(opcode == Opcode::ReturnCall, func_ref, &args, &results)?;
            }
            InstructionData::NullAry {
                opcode: Opcode::Nop,
            } => {}
            other => {
                return Err(
                    self.error(format_args!("unsupported instruction {:?}", other.opcode()))
                );
            }
        }
        Ok(())
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

    pub(crate) fn trap_code(
        &self,
        code: ir::TrapCode,
    ) -> Result<pulley_isa::TrapCode, CompileError> {
        traps::to_isa(code).ok_or_else(|| self.error(format_args!("unknown trap code {code}")))
    }

    /// A register holding `value` zero- or sign-extended to 32 bits, for
    /// ops that read 32 bits of an 8- or 16-bit value.
    fn widened(&mut self, value: Value, signed: bool) -> VReg {
        let ty = self.ty(value);
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

    /// The 32-bit operands of an 8- or 16-bit binary op (which the optimizer
    /// makes of SIMD lanes lifted out of splats): ops whose low bits depend
    /// only on the operands' low bits take them as they are; the others see
    /// them extended as the op reads them, and shifts see their count
    /// reduced modulo the narrow width, as Cranelift defines it.
    fn narrow_operands(
        &mut self,
        opcode: Opcode,
        ty: Type,
        a: Value,
        b: Value,
    ) -> Result<(VReg, VReg), CompileError> {
        Ok(match opcode {
            Opcode::Iadd
            | Opcode::Isub
            | Opcode::Imul
            | Opcode::Band
            | Opcode::Bor
            | Opcode::Bxor => (self.vreg(a), self.vreg(b)),
            Opcode::Ishl | Opcode::Ushr | Opcode::Sshr => {
                let a = if opcode == Opcode::Ishl {
                    self.vreg(a)
                } else {
                    self.widened(a, opcode == Opcode::Sshr)
                };
                let count = self.vreg(b);
                let masked = self.fresh();
                self.op(Op::Xband32Imm {
                    dst: masked,
                    a: count,
                    b: ty.bits() as i32 - 1,
                });
                (a, masked)
            }
            Opcode::Smin | Opcode::Smax => (self.widened(a, true), self.widened(b, true)),
            Opcode::Umin | Opcode::Umax => (self.widened(a, false), self.widened(b, false)),
            _ => return Err(self.error(format_args!("unsupported {opcode} on {ty}"))),
        })
    }

    /// The register and width to test for a branch or select condition.
    pub(crate) fn condition(&mut self, value: Value) -> (VReg, bool) {
        let ty = self.ty(value);
        (self.widened(value, false), ty.bits() == 64)
    }

    fn binary(
        &mut self,
        opcode: Opcode,
        ty: Type,
        result: Value,
        a: Value,
        b: Value,
    ) -> Result<(), CompileError> {
        let dst = self.def(result);
        let wide = ty.bits() == 64;
        if ty.is_float() {
            let (a, b) = (self.vreg(a), self.vreg(b));
            let op = match (opcode, ty) {
                (Opcode::Fadd, F32) => Op::Fadd32 { dst, a, b },
                (Opcode::Fsub, F32) => Op::Fsub32 { dst, a, b },
                (Opcode::Fmul, F32) => Op::Fmul32 { dst, a, b },
                (Opcode::Fdiv, F32) => Op::Fdiv32 { dst, a, b },
                (Opcode::Fmin, F32) => Op::Fmin32 { dst, a, b },
                (Opcode::Fmax, F32) => Op::Fmax32 { dst, a, b },
                (Opcode::Fcopysign, F32) => Op::Fcopysign32 { dst, a, b },
                (Opcode::Fadd, F64) => Op::Fadd64 { dst, a, b },
                (Opcode::Fsub, F64) => Op::Fsub64 { dst, a, b },
                (Opcode::Fmul, F64) => Op::Fmul64 { dst, a, b },
                (Opcode::Fdiv, F64) => Op::Fdiv64 { dst, a, b },
                (Opcode::Fmin, F64) => Op::Fmin64 { dst, a, b },
                (Opcode::Fmax, F64) => Op::Fmax64 { dst, a, b },
                (Opcode::Fcopysign, F64) => Op::Fcopysign64 { dst, a, b },
                _ => return Err(self.error(format_args!("unsupported {opcode} on {ty}"))),
            };
            self.op(op);
            return Ok(());
        }
        // `x - d * (x / d)` with the quotient by magic multiply: `x % d`.
        if opcode == Opcode::Isub
            && matches!(ty.bits(), 32 | 64)
            && let Some(divisor) = self.unsigned_remainder_divisor(a, b, ty.bits())
        {
            let (a, b) = (self.vreg(a), self.vreg(divisor));
            self.op(if wide {
                Op::Xrem64U { dst, a, b }
            } else {
                Op::Xrem32U { dst, a, b }
            });
            return Ok(());
        }
        // Immediate forms (commutative ops take the constant on either side).
        let commutative = matches!(
            opcode,
            Opcode::Iadd | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor
        );
        let (a, b) = if commutative && self.constant(a).is_some() && self.constant(b).is_none() {
            (b, a)
        } else {
            (a, b)
        };
        if matches!(
            opcode,
            Opcode::Iadd | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor | Opcode::Isub
        ) && let Some(constant) = self.constant(b)
        {
            let negated = if opcode == Opcode::Isub {
                constant.checked_neg()
            } else {
                Some(constant)
            };
            let fits = |c: i64| if wide { i32::try_from(c).is_ok() } else { true };
            if let Some(imm) = negated.filter(|&c| fits(c)) {
                let imm = imm as i32;
                let a = self.vreg(a);
                self.op(match (opcode, wide) {
                    (Opcode::Iadd | Opcode::Isub, false) => Op::Xadd32Imm { dst, a, b: imm },
                    (Opcode::Imul, false) => Op::Xmul32Imm { dst, a, b: imm },
                    (Opcode::Band, false) => Op::Xband32Imm { dst, a, b: imm },
                    (Opcode::Bor, false) => Op::Xbor32Imm { dst, a, b: imm },
                    (Opcode::Bxor, false) => Op::Xbxor32Imm { dst, a, b: imm },
                    (Opcode::Iadd | Opcode::Isub, true) => Op::Xadd64Imm { dst, a, b: imm },
                    (Opcode::Imul, true) => Op::Xmul64Imm { dst, a, b: imm },
                    (Opcode::Band, true) => Op::Xband64Imm { dst, a, b: imm },
                    (Opcode::Bor, true) => Op::Xbor64Imm { dst, a, b: imm },
                    (Opcode::Bxor, true) => Op::Xbxor64Imm { dst, a, b: imm },
                    _ => unreachable!(),
                });
                return Ok(());
            }
        }
        if matches!(opcode, Opcode::Ishl | Opcode::Ushr | Opcode::Sshr)
            && let Some(count) = self.constant(b)
        {
            // Cranelift takes shift counts modulo the type's width.
            let count = (count as u64 % u64::from(ty.bits())) as u8;
            let narrow_shift_right = ty.bits() < 32 && opcode != Opcode::Ishl;
            let a = if narrow_shift_right {
                self.widened(a, opcode == Opcode::Sshr)
            } else {
                self.vreg(a)
            };
            self.op(match (opcode, wide) {
                (Opcode::Ishl, false) => Op::Xshl32Imm { dst, a, b: count },
                (Opcode::Ushr, false) => Op::Xshr32UImm { dst, a, b: count },
                (Opcode::Sshr, false) => Op::Xshr32SImm { dst, a, b: count },
                (Opcode::Ishl, true) => Op::Xshl64Imm { dst, a, b: count },
                (Opcode::Ushr, true) => Op::Xshr64UImm { dst, a, b: count },
                (Opcode::Sshr, true) => Op::Xshr64SImm { dst, a, b: count },
                _ => unreachable!(),
            });
            return Ok(());
        }
        let (a, b) = if ty.bits() < 32 {
            self.narrow_operands(opcode, ty, a, b)?
        } else {
            (self.vreg(a), self.vreg(b))
        };
        let op = match (opcode, wide) {
            (Opcode::Iadd, false) => Op::Xadd32 { dst, a, b },
            (Opcode::Isub, false) => Op::Xsub32 { dst, a, b },
            (Opcode::Imul, false) => Op::Xmul32 { dst, a, b },
            (Opcode::Band, false) => Op::Xband32 { dst, a, b },
            (Opcode::Bor, false) => Op::Xbor32 { dst, a, b },
            (Opcode::Bxor, false) => Op::Xbxor32 { dst, a, b },
            (Opcode::Ishl, false) => Op::Xshl32 { dst, a, b },
            (Opcode::Ushr, false) => Op::Xshr32U { dst, a, b },
            (Opcode::Sshr, false) => Op::Xshr32S { dst, a, b },
            (Opcode::Rotl, false) => Op::Xrotl32 { dst, a, b },
            (Opcode::Rotr, false) => Op::Xrotr32 { dst, a, b },
            (Opcode::Sdiv, false) => Op::Xdiv32S { dst, a, b },
            (Opcode::Udiv, false) => Op::Xdiv32U { dst, a, b },
            (Opcode::Srem, false) => Op::Xrem32S { dst, a, b },
            (Opcode::Urem, false) => Op::Xrem32U { dst, a, b },
            (Opcode::Smulhi, false) => Op::Xmulhi32S { dst, a, b },
            (Opcode::Umulhi, false) => Op::Xmulhi32U { dst, a, b },
            (Opcode::Smin, false) => Op::Xmin32S { dst, a, b },
            (Opcode::Umin, false) => Op::Xmin32U { dst, a, b },
            (Opcode::Smax, false) => Op::Xmax32S { dst, a, b },
            (Opcode::Umax, false) => Op::Xmax32U { dst, a, b },
            (Opcode::Iadd, true) => Op::Xadd64 { dst, a, b },
            (Opcode::Isub, true) => Op::Xsub64 { dst, a, b },
            (Opcode::Imul, true) => Op::Xmul64 { dst, a, b },
            (Opcode::Band, true) => Op::Xband64 { dst, a, b },
            (Opcode::Bor, true) => Op::Xbor64 { dst, a, b },
            (Opcode::Bxor, true) => Op::Xbxor64 { dst, a, b },
            (Opcode::Ishl, true) => Op::Xshl64 { dst, a, b },
            (Opcode::Ushr, true) => Op::Xshr64U { dst, a, b },
            (Opcode::Sshr, true) => Op::Xshr64S { dst, a, b },
            (Opcode::Rotl, true) => Op::Xrotl64 { dst, a, b },
            (Opcode::Rotr, true) => Op::Xrotr64 { dst, a, b },
            (Opcode::Sdiv, true) => Op::Xdiv64S { dst, a, b },
            (Opcode::Udiv, true) => Op::Xdiv64U { dst, a, b },
            (Opcode::Srem, true) => Op::Xrem64S { dst, a, b },
            (Opcode::Urem, true) => Op::Xrem64U { dst, a, b },
            (Opcode::Smulhi, true) => Op::Xmulhi64S { dst, a, b },
            (Opcode::Umulhi, true) => Op::Xmulhi64U { dst, a, b },
            (Opcode::Smin, true) => Op::Xmin64S { dst, a, b },
            (Opcode::Umin, true) => Op::Xmin64U { dst, a, b },
            (Opcode::Smax, true) => Op::Xmax64S { dst, a, b },
            (Opcode::Umax, true) => Op::Xmax64U { dst, a, b },
            _ => return Err(self.error(format_args!("unsupported {opcode} on {ty}"))),
        };
        self.op(op);
        Ok(())
    }

    fn unary(
        &mut self,
        opcode: Opcode,
        ty: Type,
        result: Value,
        arg: Value,
    ) -> Result<(), CompileError> {
        let dst = self.def(result);
        let from = self.ty(arg);
        let wide = ty.bits() == 64;
        let op = match opcode {
            Opcode::Uextend | Opcode::Sextend => {
                let signed = opcode == Opcode::Sextend;
                let src = self.vreg(arg);
                match (from.bits(), signed) {
                    (8, false) => Op::Xzext8 { dst, src },
                    (8, true) => Op::Xsext8 { dst, src },
                    (16, false) => Op::Xzext16 { dst, src },
                    (16, true) => Op::Xsext16 { dst, src },
                    (32, false) if wide => Op::Xzext32 { dst, src },
                    (32, true) if wide => Op::Xsext32 { dst, src },
                    _ => {
                        return Err(
                            self.error(format_args!("unsupported {opcode} from {from} to {ty}"))
                        );
                    }
                }
            }
            Opcode::Ineg
            | Opcode::Bnot
            | Opcode::Clz
            | Opcode::Ctz
            | Opcode::Popcnt
            | Opcode::Iabs
            | Opcode::Bswap
            | Opcode::Bmask
                if ty.is_int() =>
            {
                // 8- and 16-bit forms (SIMD lanes lifted out of splats) read
                // their operand extended where the low bits of the result
                // depend on the high bits of the operand.
                let narrow = ty.bits() < 32;
                let src = match opcode {
                    Opcode::Bmask => self.widened(arg, false),
                    Opcode::Popcnt if narrow => self.widened(arg, false),
                    Opcode::Iabs if narrow => self.widened(arg, true),
                    Opcode::Ineg | Opcode::Bnot => self.vreg(arg),
                    _ if narrow => {
                        return Err(self.error(format_args!("unsupported {opcode} on {ty}")));
                    }
                    _ => self.vreg(arg),
                };
                let src_wide = from.bits() == 64;
                match (opcode, wide) {
                    (Opcode::Ineg, false) => Op::Xneg32 { dst, src },
                    (Opcode::Ineg, true) => Op::Xneg64 { dst, src },
                    (Opcode::Bnot, false) => Op::Xbxor32Imm { dst, a: src, b: -1 },
                    (Opcode::Bnot, true) => Op::Xbxor64Imm { dst, a: src, b: -1 },
                    (Opcode::Clz, false) => Op::Xclz32 { dst, src },
                    (Opcode::Clz, true) => Op::Xclz64 { dst, src },
                    (Opcode::Ctz, false) => Op::Xctz32 { dst, src },
                    (Opcode::Ctz, true) => Op::Xctz64 { dst, src },
                    (Opcode::Popcnt, false) => Op::Xpopcnt32 { dst, src },
                    (Opcode::Popcnt, true) => Op::Xpopcnt64 { dst, src },
                    (Opcode::Iabs, false) => Op::Xabs32 { dst, src },
                    (Opcode::Iabs, true) => Op::Xabs64 { dst, src },
                    (Opcode::Bswap, false) => Op::Xbswap32 { dst, src },
                    (Opcode::Bswap, true) => Op::Xbswap64 { dst, src },
                    (Opcode::Bmask, _) => {
                        // 0 or -1: (src != 0), negated.
                        let flag = self.fresh();
                        self.op(if src_wide {
                            Op::Xne64Imm {
                                dst: flag,
                                a: src,
                                b: 0,
                            }
                        } else {
                            Op::Xne32Imm {
                                dst: flag,
                                a: src,
                                b: 0,
                            }
                        });
                        Op::Xneg64 { dst, src: flag }
                    }
                    _ => unreachable!(),
                }
            }
            _ if ty.is_float() || from.is_float() => {
                // The optimizer narrows conversions of small values; widen
                // them back to 32 bits.
                let (src, from) = if from.is_int() && from.bits() < 32 {
                    (self.widened(arg, opcode == Opcode::FcvtFromSint), I32)
                } else {
                    (self.vreg(arg), from)
                };
                match (opcode, from, ty) {
                    (Opcode::Fabs, F32, _) => Op::Fabs32 { dst, src },
                    (Opcode::Fneg, F32, _) => Op::Fneg32 { dst, src },
                    (Opcode::Sqrt, F32, _) => Op::Fsqrt32 { dst, src },
                    (Opcode::Ceil, F32, _) => Op::Fceil32 { dst, src },
                    (Opcode::Floor, F32, _) => Op::Ffloor32 { dst, src },
                    (Opcode::Trunc, F32, _) => Op::Ftrunc32 { dst, src },
                    (Opcode::Nearest, F32, _) => Op::Fnearest32 { dst, src },
                    (Opcode::Fabs, F64, _) => Op::Fabs64 { dst, src },
                    (Opcode::Fneg, F64, _) => Op::Fneg64 { dst, src },
                    (Opcode::Sqrt, F64, _) => Op::Fsqrt64 { dst, src },
                    (Opcode::Ceil, F64, _) => Op::Fceil64 { dst, src },
                    (Opcode::Floor, F64, _) => Op::Ffloor64 { dst, src },
                    (Opcode::Trunc, F64, _) => Op::Ftrunc64 { dst, src },
                    (Opcode::Nearest, F64, _) => Op::Fnearest64 { dst, src },
                    (Opcode::Fpromote, F32, F64) => Op::F64FromF32 { dst, src },
                    (Opcode::Fdemote, F64, F32) => Op::F32FromF64 { dst, src },
                    (Opcode::FcvtToSint, F32, I32) => Op::X32FromF32S { dst, src },
                    (Opcode::FcvtToUint, F32, I32) => Op::X32FromF32U { dst, src },
                    (Opcode::FcvtToSint, F64, I32) => Op::X32FromF64S { dst, src },
                    (Opcode::FcvtToUint, F64, I32) => Op::X32FromF64U { dst, src },
                    (Opcode::FcvtToSint, F32, I64) => Op::X64FromF32S { dst, src },
                    (Opcode::FcvtToUint, F32, I64) => Op::X64FromF32U { dst, src },
                    (Opcode::FcvtToSint, F64, I64) => Op::X64FromF64S { dst, src },
                    (Opcode::FcvtToUint, F64, I64) => Op::X64FromF64U { dst, src },
                    (Opcode::FcvtToSintSat, F32, I32) => Op::X32FromF32SSat { dst, src },
                    (Opcode::FcvtToUintSat, F32, I32) => Op::X32FromF32USat { dst, src },
                    (Opcode::FcvtToSintSat, F64, I32) => Op::X32FromF64SSat { dst, src },
                    (Opcode::FcvtToUintSat, F64, I32) => Op::X32FromF64USat { dst, src },
                    (Opcode::FcvtToSintSat, F32, I64) => Op::X64FromF32SSat { dst, src },
                    (Opcode::FcvtToUintSat, F32, I64) => Op::X64FromF32USat { dst, src },
                    (Opcode::FcvtToSintSat, F64, I64) => Op::X64FromF64SSat { dst, src },
                    (Opcode::FcvtToUintSat, F64, I64) => Op::X64FromF64USat { dst, src },
                    (Opcode::FcvtFromSint, I32, F32) => Op::F32FromX32S { dst, src },
                    (Opcode::FcvtFromUint, I32, F32) => Op::F32FromX32U { dst, src },
                    (Opcode::FcvtFromSint, I64, F32) => Op::F32FromX64S { dst, src },
                    (Opcode::FcvtFromUint, I64, F32) => Op::F32FromX64U { dst, src },
                    (Opcode::FcvtFromSint, I32, F64) => Op::F64FromX32S { dst, src },
                    (Opcode::FcvtFromUint, I32, F64) => Op::F64FromX32U { dst, src },
                    (Opcode::FcvtFromSint, I64, F64) => Op::F64FromX64S { dst, src },
                    (Opcode::FcvtFromUint, I64, F64) => Op::F64FromX64U { dst, src },
                    _ => {
                        return Err(
                            self.error(format_args!("unsupported {opcode} from {from} to {ty}"))
                        );
                    }
                }
            }
            _ => return Err(self.error(format_args!("unsupported {opcode} from {from} to {ty}"))),
        };
        self.op(op);
        Ok(())
    }

    /// `dst = a <cond> b` (0 or 1).
    fn int_compare_value(&mut self, dst: VReg, cond: IntCC, a: Value, b: Value) {
        if self.ty(a).bits() == 128 {
            return self.wide_compare_value(dst, cond, a, b);
        }
        let (cond, a, b) = self.constant_on_the_right(cond, a, b);
        let signed = cond.unsigned() != cond;
        let wide = self.ty(a).bits() == 64;
        if let Some(imm) = self.compare_immediate(a, b, signed) {
            let a = self.widened(a, signed);
            use IntCC::*;
            self.op(match (cond, wide) {
                (Equal, false) => Op::Xeq32Imm { dst, a, b: imm },
                (NotEqual, false) => Op::Xne32Imm { dst, a, b: imm },
                (SignedLessThan, false) => Op::Xslt32Imm { dst, a, b: imm },
                (SignedLessThanOrEqual, false) => Op::Xsle32Imm { dst, a, b: imm },
                (SignedGreaterThan, false) => Op::Xsgt32Imm { dst, a, b: imm },
                (SignedGreaterThanOrEqual, false) => Op::Xsge32Imm { dst, a, b: imm },
                (UnsignedLessThan, false) => Op::Xult32Imm { dst, a, b: imm },
                (UnsignedLessThanOrEqual, false) => Op::Xule32Imm { dst, a, b: imm },
                (UnsignedGreaterThan, false) => Op::Xugt32Imm { dst, a, b: imm },
                (UnsignedGreaterThanOrEqual, false) => Op::Xuge32Imm { dst, a, b: imm },
                (Equal, true) => Op::Xeq64Imm { dst, a, b: imm },
                (NotEqual, true) => Op::Xne64Imm { dst, a, b: imm },
                (SignedLessThan, true) => Op::Xslt64Imm { dst, a, b: imm },
                (SignedLessThanOrEqual, true) => Op::Xsle64Imm { dst, a, b: imm },
                (SignedGreaterThan, true) => Op::Xsgt64Imm { dst, a, b: imm },
                (SignedGreaterThanOrEqual, true) => Op::Xsge64Imm { dst, a, b: imm },
                (UnsignedLessThan, true) => Op::Xult64Imm { dst, a, b: imm },
                (UnsignedLessThanOrEqual, true) => Op::Xule64Imm { dst, a, b: imm },
                (UnsignedGreaterThan, true) => Op::Xugt64Imm { dst, a, b: imm },
                (UnsignedGreaterThanOrEqual, true) => Op::Xuge64Imm { dst, a, b: imm },
            });
            return;
        }
        let (cond, a, b) = normalize_int_cond(cond, a, b);
        let (a, b) = (self.widened(a, signed), self.widened(b, signed));
        use IntCC::*;
        self.op(match (cond, wide) {
            (Equal, false) => Op::Xeq32 { dst, a, b },
            (NotEqual, false) => Op::Xne32 { dst, a, b },
            (SignedLessThan, false) => Op::Xslt32 { dst, a, b },
            (SignedLessThanOrEqual, false) => Op::Xsle32 { dst, a, b },
            (UnsignedLessThan, false) => Op::Xult32 { dst, a, b },
            (UnsignedLessThanOrEqual, false) => Op::Xule32 { dst, a, b },
            (Equal, true) => Op::Xeq64 { dst, a, b },
            (NotEqual, true) => Op::Xne64 { dst, a, b },
            (SignedLessThan, true) => Op::Xslt64 { dst, a, b },
            (SignedLessThanOrEqual, true) => Op::Xsle64 { dst, a, b },
            (UnsignedLessThan, true) => Op::Xult64 { dst, a, b },
            (UnsignedLessThanOrEqual, true) => Op::Xule64 { dst, a, b },
            _ => unreachable!("normalized"),
        });
    }

    /// The (low, high) 64-bit halves of a 128-bit value built by `iconcat`
    /// or by extending a 64-bit value (the optimizer fuses two-word
    /// comparisons into 128-bit ones).
    fn halves(&mut self, value: Value) -> Option<(VReg, VReg)> {
        let (_, data) = self.def_inst_of(value)?;
        match data {
            InstructionData::Binary {
                opcode: Opcode::Iconcat,
                args: [low, high],
            } => Some((self.vreg(low), self.vreg(high))),
            InstructionData::Unary {
                opcode: Opcode::Uextend,
                arg,
            } if self.ty(arg) == I64 => {
                let high = self.fresh();
                self.op(Op::Xconst8 { dst: high, imm: 0 });
                Some((self.vreg(arg), high))
            }
            InstructionData::Unary {
                opcode: Opcode::Sextend,
                arg,
            } if self.ty(arg) == I64 => {
                let low = self.vreg(arg);
                let high = self.fresh();
                self.op(Op::Xshr64SImm {
                    dst: high,
                    a: low,
                    b: 63,
                });
                Some((low, high))
            }
            _ => None,
        }
    }

    /// A 128-bit comparison from 64-bit ones: the high halves decide unless
    /// they are equal, then the low halves (unsigned) do.
    fn wide_compare_value(&mut self, dst: VReg, cond: IntCC, a: Value, b: Value) {
        use IntCC::*;
        let (cond, a, b) = normalize_int_cond(cond, a, b);
        let (Some((a_low, a_high)), Some((b_low, b_high))) = (self.halves(a), self.halves(b))
        else {
            // Only the optimizer's fused comparisons produce 128-bit values;
            // an unknown form cannot be computed.
            self.unsupported_wide = true;
            return;
        };
        let (low, high) = (self.fresh(), self.fresh());
        match cond {
            Equal | NotEqual => {
                let equal = cond == Equal;
                self.op(if equal {
                    Op::Xeq64 {
                        dst: low,
                        a: a_low,
                        b: b_low,
                    }
                } else {
                    Op::Xne64 {
                        dst: low,
                        a: a_low,
                        b: b_low,
                    }
                });
                self.op(if equal {
                    Op::Xeq64 {
                        dst: high,
                        a: a_high,
                        b: b_high,
                    }
                } else {
                    Op::Xne64 {
                        dst: high,
                        a: a_high,
                        b: b_high,
                    }
                });
                self.op(if equal {
                    Op::Xband64 {
                        dst,
                        a: low,
                        b: high,
                    }
                } else {
                    Op::Xbor64 {
                        dst,
                        a: low,
                        b: high,
                    }
                });
            }
            _ => {
                let signed = matches!(cond, SignedLessThan | SignedLessThanOrEqual);
                let or_equal = matches!(cond, SignedLessThanOrEqual | UnsignedLessThanOrEqual);
                let (same, low_holds) = (self.fresh(), self.fresh());
                self.op(if signed {
                    Op::Xslt64 {
                        dst: high,
                        a: a_high,
                        b: b_high,
                    }
                } else {
                    Op::Xult64 {
                        dst: high,
                        a: a_high,
                        b: b_high,
                    }
                });
                self.op(Op::Xeq64 {
                    dst: same,
                    a: a_high,
                    b: b_high,
                });
                self.op(if or_equal {
                    Op::Xule64 {
                        dst: low,
                        a: a_low,
                        b: b_low,
                    }
                } else {
                    Op::Xult64 {
                        dst: low,
                        a: a_low,
                        b: b_low,
                    }
                });
                self.op(Op::Xband64 {
                    dst: low_holds,
                    a: same,
                    b: low,
                });
                self.op(Op::Xbor64 {
                    dst,
                    a: high,
                    b: low_holds,
                });
            }
        }
    }

    /// Swaps a constant left operand to the right.
    fn constant_on_the_right(&self, cond: IntCC, a: Value, b: Value) -> (IntCC, Value, Value) {
        if self.constant(a).is_some() && self.constant(b).is_none() {
            (cond.swap_args(), b, a)
        } else {
            (cond, a, b)
        }
    }

    /// `dst = a <cond> b` for floats (0 or 1).
    fn float_compare_value(&mut self, dst: VReg, cond: FloatCC, a: Value, b: Value) {
        let wide = self.ty(a) == F64;
        let (a, b) = (self.vreg(a), self.vreg(b));
        let basic = |cond: FloatCC, dst, a, b| -> Option<VirtualOp> {
            use FloatCC::*;
            Some(match (cond, wide) {
                (Equal, false) => Op::Feq32 { dst, a, b },
                (NotEqual, false) => Op::Fne32 { dst, a, b },
                (LessThan, false) => Op::Flt32 { dst, a, b },
                (LessThanOrEqual, false) => Op::Fle32 { dst, a, b },
                (GreaterThan, false) => Op::Flt32 { dst, a: b, b: a },
                (GreaterThanOrEqual, false) => Op::Fle32 { dst, a: b, b: a },
                (Equal, true) => Op::Feq64 { dst, a, b },
                (NotEqual, true) => Op::Fne64 { dst, a, b },
                (LessThan, true) => Op::Flt64 { dst, a, b },
                (LessThanOrEqual, true) => Op::Fle64 { dst, a, b },
                (GreaterThan, true) => Op::Flt64 { dst, a: b, b: a },
                (GreaterThanOrEqual, true) => Op::Fle64 { dst, a: b, b: a },
                _ => return None,
            })
        };
        if let Some(op) = basic(cond, dst, a, b) {
            self.op(op);
            return;
        }
        // The unordered/ordered conditions: a negation of a basic one.
        let inverse = cond.complement();
        let flag = self.fresh();
        if let Some(op) = basic(inverse, flag, a, b) {
            self.op(op);
        } else {
            // `ord`/`uno`: (a == a) && (b == b), or its negation.
            let (left, right) = (self.fresh(), self.fresh());
            self.op(basic(FloatCC::Equal, left, a, a).expect("basic"));
            self.op(basic(FloatCC::Equal, right, b, b).expect("basic"));
            let ordered = if cond == FloatCC::Ordered { dst } else { flag };
            self.op(Op::Xband32 {
                dst: ordered,
                a: left,
                b: right,
            });
            if cond == FloatCC::Ordered {
                return;
            }
        }
        self.op(Op::Xbxor32Imm { dst, a: flag, b: 1 });
    }

    /// A branch op to `label` taken when `condition` is nonzero (`when_true`)
    /// or zero, fusing a single-use compare into the branch.
    fn conditional_branch(&mut self, condition: Value, when_true: bool, label: Label) -> VirtualOp {
        let resolved = self.resolve(condition);
        let single_use = self.uses.get(&resolved).copied().unwrap_or(0) == 1;
        if single_use && let Some(inst) = self.def_inst(resolved) {
            match *self.data(inst) {
                InstructionData::IntCompare {
                    cond, args: [a, b], ..
                } if self.ty(a).bits() <= 64 => {
                    let cond = if when_true { cond } else { cond.complement() };
                    return self.compare_and_branch(cond, a, b, label);
                }
                InstructionData::FloatCompare {
                    cond, args: [a, b], ..
                } if when_true => {
                    if let Some(op) = self.float_branch(cond, a, b, label) {
                        return op;
                    }
                }
                _ => {}
            }
        }
        let (cond, wide) = self.condition(condition);
        match (when_true, wide) {
            (true, false) => Op::BrIf32 {
                cond,
                target: label,
            },
            (false, false) => Op::BrIfNot32 {
                cond,
                target: label,
            },
            (true, true) => Op::BrIf64 {
                cond,
                target: label,
            },
            (false, true) => Op::BrIfNot64 {
                cond,
                target: label,
            },
        }
    }

    fn compare_and_branch(&mut self, cond: IntCC, a: Value, b: Value, target: Label) -> VirtualOp {
        let (cond, a, b) = self.constant_on_the_right(cond, a, b);
        let signed = cond.unsigned() != cond;
        let wide = self.ty(a).bits() == 64;
        if let Some(imm) = self.compare_immediate(a, b, signed) {
            let a = self.widened(a, signed);
            use IntCC::*;
            return match (cond, wide) {
                (Equal, false) => Op::BrIfXeq32Imm { a, b: imm, target },
                (NotEqual, false) => Op::BrIfXne32Imm { a, b: imm, target },
                (SignedLessThan, false) => Op::BrIfXslt32Imm { a, b: imm, target },
                (SignedLessThanOrEqual, false) => Op::BrIfXsle32Imm { a, b: imm, target },
                (SignedGreaterThan, false) => Op::BrIfXsgt32Imm { a, b: imm, target },
                (SignedGreaterThanOrEqual, false) => Op::BrIfXsge32Imm { a, b: imm, target },
                (UnsignedLessThan, false) => Op::BrIfXult32Imm { a, b: imm, target },
                (UnsignedLessThanOrEqual, false) => Op::BrIfXule32Imm { a, b: imm, target },
                (UnsignedGreaterThan, false) => Op::BrIfXugt32Imm { a, b: imm, target },
                (UnsignedGreaterThanOrEqual, false) => Op::BrIfXuge32Imm { a, b: imm, target },
                (Equal, true) => Op::BrIfXeq64Imm { a, b: imm, target },
                (NotEqual, true) => Op::BrIfXne64Imm { a, b: imm, target },
                (SignedLessThan, true) => Op::BrIfXslt64Imm { a, b: imm, target },
                (SignedLessThanOrEqual, true) => Op::BrIfXsle64Imm { a, b: imm, target },
                (SignedGreaterThan, true) => Op::BrIfXsgt64Imm { a, b: imm, target },
                (SignedGreaterThanOrEqual, true) => Op::BrIfXsge64Imm { a, b: imm, target },
                (UnsignedLessThan, true) => Op::BrIfXult64Imm { a, b: imm, target },
                (UnsignedLessThanOrEqual, true) => Op::BrIfXule64Imm { a, b: imm, target },
                (UnsignedGreaterThan, true) => Op::BrIfXugt64Imm { a, b: imm, target },
                (UnsignedGreaterThanOrEqual, true) => Op::BrIfXuge64Imm { a, b: imm, target },
            };
        }
        let (cond, a, b) = normalize_int_cond(cond, a, b);
        let (a, b) = (self.widened(a, signed), self.widened(b, signed));
        use IntCC::*;
        match (cond, wide) {
            (Equal, false) => Op::BrIfXeq32 { a, b, target },
            (NotEqual, false) => Op::BrIfXne32 { a, b, target },
            (SignedLessThan, false) => Op::BrIfXslt32 { a, b, target },
            (SignedLessThanOrEqual, false) => Op::BrIfXsle32 { a, b, target },
            (UnsignedLessThan, false) => Op::BrIfXult32 { a, b, target },
            (UnsignedLessThanOrEqual, false) => Op::BrIfXule32 { a, b, target },
            (Equal, true) => Op::BrIfXeq64 { a, b, target },
            (NotEqual, true) => Op::BrIfXne64 { a, b, target },
            (SignedLessThan, true) => Op::BrIfXslt64 { a, b, target },
            (SignedLessThanOrEqual, true) => Op::BrIfXsle64 { a, b, target },
            (UnsignedLessThan, true) => Op::BrIfXult64 { a, b, target },
            (UnsignedLessThanOrEqual, true) => Op::BrIfXule64 { a, b, target },
            _ => unreachable!("normalized"),
        }
    }

    fn float_branch(
        &mut self,
        cond: FloatCC,
        a: Value,
        b: Value,
        target: Label,
    ) -> Option<VirtualOp> {
        let wide = self.ty(a) == F64;
        let (a, b) = match cond {
            FloatCC::GreaterThan | FloatCC::GreaterThanOrEqual => (b, a),
            _ => (a, b),
        };
        let cond = match cond {
            FloatCC::GreaterThan => FloatCC::LessThan,
            FloatCC::GreaterThanOrEqual => FloatCC::LessThanOrEqual,
            other => other,
        };
        if !matches!(
            cond,
            FloatCC::Equal | FloatCC::NotEqual | FloatCC::LessThan | FloatCC::LessThanOrEqual
        ) {
            return None;
        }
        let (a, b) = (self.vreg(a), self.vreg(b));
        Some(match (cond, wide) {
            (FloatCC::Equal, false) => Op::BrIfFeq32 { a, b, target },
            (FloatCC::NotEqual, false) => Op::BrIfFne32 { a, b, target },
            (FloatCC::LessThan, false) => Op::BrIfFlt32 { a, b, target },
            (FloatCC::LessThanOrEqual, false) => Op::BrIfFle32 { a, b, target },
            (FloatCC::Equal, true) => Op::BrIfFeq64 { a, b, target },
            (FloatCC::NotEqual, true) => Op::BrIfFne64 { a, b, target },
            (FloatCC::LessThan, true) => Op::BrIfFlt64 { a, b, target },
            (_, true) => Op::BrIfFle64 { a, b, target },
            (_, false) => Op::BrIfFle32 { a, b, target },
        })
    }

    // --- Calls. ---

    fn call(
        &mut self,
        tail: bool,
        callee: ir::FuncRef,
        args: &[Value],
        results: &[Value],
    ) -> Result<(), CompileError> {
        let func = self.func;
        let name = match &func.dfg.ext_funcs[callee].name {
            ExternalName::User(name) => func.params.user_named_funcs()[*name].clone(),
            other => return Err(self.error(format_args!("call to {other:?}"))),
        };
        // Every call passes the vmctx first; the interpreter has no use for it.
        if args.first() != Some(&self.vmctx) {
            return Err(self.error("call without the vmctx as first argument"));
        }
        let wasm_args = self.read_list(&args[1..]);
        let result_regs = self.def_list(results);
        let single = |list: &[VReg]| list[0];
        match (name.namespace, tail) {
            (intrinsics::DEFINED_FUNCTION, false) => self.op(Op::Call {
                func: FuncIndex(name.index),
                args: wasm_args,
                results: result_regs,
            }),
            (intrinsics::DEFINED_FUNCTION, true) => self.op(Op::ReturnCall {
                func: FuncIndex(name.index),
                args: wasm_args,
            }),
            (intrinsics::IMPORTED_FUNCTION, _) => {
                self.op(Op::CallImport {
                    import: ImportIndex(name.index),
                    args: wasm_args,
                    results: result_regs.clone(),
                });
                if tail {
                    self.op(Op::Ret {
                        values: result_regs,
                    });
                }
            }
            (intrinsics::BUILTIN, false) => self.op(Op::CallBuiltin {
                builtin: BuiltinIndex(name.index),
                args: wasm_args,
                results: result_regs,
            }),
            (namespace, _) => {
                let Some(intrinsic) = Intrinsic::from_namespace(namespace) else {
                    return Err(self.error(format_args!("call to unknown namespace {namespace}")));
                };
                let table = TableIndex(name.index);
                let op = match intrinsic {
                    Intrinsic::TableGet => Op::TableGet {
                        dst: single(&result_regs),
                        table,
                        index: wasm_args[0],
                    },
                    Intrinsic::TableSet => Op::TableSet {
                        table,
                        index: wasm_args[0],
                        value: wasm_args[1],
                    },
                    Intrinsic::TableSize => Op::TableSize {
                        dst: single(&result_regs),
                        table,
                    },
                    Intrinsic::FuncrefType => Op::FuncrefType {
                        dst: single(&result_regs),
                        funcref: wasm_args[0],
                    },
                    Intrinsic::MemoryCopy => Op::MemoryCopy {
                        dst_addr: wasm_args[0],
                        src_addr: wasm_args[1],
                        len: wasm_args[2],
                    },
                    Intrinsic::MemoryFill => Op::MemoryFill {
                        addr: wasm_args[0],
                        value: wasm_args[1],
                        len: wasm_args[2],
                    },
                    Intrinsic::ConsumeFuel => Op::ConsumeFuel { amount: name.index },
                    Intrinsic::CallRef if tail => Op::ReturnCallRef {
                        callee: wasm_args[0],
                        args: wasm_args[1..].to_vec(),
                    },
                    Intrinsic::CallRef => Op::CallRef {
                        callee: wasm_args[0],
                        args: wasm_args[1..].to_vec(),
                        results: result_regs,
                    },
                };
                if tail && intrinsic != Intrinsic::CallRef {
                    return Err(self.error("tail call to an intrinsic"));
                }
                self.op(op);
            }
        }
        Ok(())
    }

    // --- Memory, globals and vmctx fields (see `lower::memory`). ---

    fn load(
        &mut self,
        opcode: Opcode,
        ty: Type,
        result: Value,
        address: Value,
        offset: i64,
        flags: ir::MemFlagsData,
    ) -> Result<(), CompileError> {
        let dst = self.def(result);
        let _ = flags;
        if address == self.vmctx || self.resolve(address) == self.vmctx {
            let field = self
                .env
                .layout
                .field_at(offset)
                .ok_or_else(|| self.error(format_args!("vmctx load at {offset}")))?;
            let op = match field {
                VmctxField::MemoryLength => Op::MemoryLen { dst },
                VmctxField::TypeId(ty) => Op::TypeId {
                    dst,
                    ty: TypeIndex(ty),
                },
                VmctxField::FuncRef(func) => Op::RefFunc {
                    dst,
                    func: pulley_isa::FuncRefIndex(func),
                },
                VmctxField::MemoryBase
                | VmctxField::GlobalPointer(_)
                | VmctxField::NativeContext
                | VmctxField::InstanceIndex
                | VmctxField::TableViews
                | VmctxField::FunctionCode => {
                    return Err(
                        self.error(format_args!("unsupported use of vmctx field {field:?}"))
                    );
                }
            };
            self.op(op);
            return Ok(());
        }
        if let Some(global) = self.global_cell(address) {
            self.op(Op::GlobalGet { dst, global });
            return Ok(());
        }
        let size = match opcode {
            Opcode::Uload8 | Opcode::Sload8 => 1,
            Opcode::Uload16 | Opcode::Sload16 => 2,
            Opcode::Uload32 | Opcode::Sload32 => 4,
            _ => ty.bytes(),
        };
        let indexed = matches!(
            (opcode, ty.bytes()),
            (Opcode::Load, 4 | 8) | (Opcode::Uload8 | Opcode::Uload32, _)
        );
        let (addr, offset) = match self.heap_access(address, offset, size, indexed)? {
            HeapAddress::Plain { addr, offset } => (addr, offset),
            HeapAddress::Indexed {
                base,
                index,
                offset,
            } => {
                self.op(match (opcode, ty.bytes()) {
                    (Opcode::Uload8, _) => Op::Load8UIndexed {
                        dst,
                        base,
                        index,
                        offset,
                    },
                    (Opcode::Load, 8) => Op::Load64Indexed {
                        dst,
                        base,
                        index,
                        offset,
                    },
                    _ => Op::Load32UIndexed {
                        dst,
                        base,
                        index,
                        offset,
                    },
                });
                return Ok(());
            }
        };
        let op = match (opcode, ty.bytes()) {
            (Opcode::Load, 4) | (Opcode::Uload32, _) => Op::Load32U { dst, addr, offset },
            (Opcode::Load, 8) => Op::Load64 { dst, addr, offset },
            (Opcode::Uload8, _) => Op::Load8U { dst, addr, offset },
            (Opcode::Sload8, _) => Op::Load8S { dst, addr, offset },
            (Opcode::Uload16, _) => Op::Load16U { dst, addr, offset },
            (Opcode::Sload16, _) => Op::Load16S { dst, addr, offset },
            (Opcode::Sload32, _) => Op::Load32S { dst, addr, offset },
            _ => return Err(self.error(format_args!("unsupported {opcode} of {ty}"))),
        };
        self.op(op);
        Ok(())
    }

    fn store(
        &mut self,
        opcode: Opcode,
        value: Value,
        address: Value,
        offset: i64,
    ) -> Result<(), CompileError> {
        let src = self.vreg(value);
        if let Some(global) = self.global_cell(address) {
            self.op(Op::GlobalSet { global, src });
            return Ok(());
        }
        let bytes = match opcode {
            Opcode::Istore8 => 1,
            Opcode::Istore16 => 2,
            Opcode::Istore32 => 4,
            _ => self.ty(value).bytes(),
        };
        let (addr, offset) = match self.heap_access(address, offset, bytes, bytes != 2)? {
            HeapAddress::Plain { addr, offset } => (addr, offset),
            HeapAddress::Indexed {
                base,
                index,
                offset,
            } => {
                self.op(match bytes {
                    1 => Op::Store8Indexed {
                        base,
                        index,
                        offset,
                        src,
                    },
                    4 => Op::Store32Indexed {
                        base,
                        index,
                        offset,
                        src,
                    },
                    _ => Op::Store64Indexed {
                        base,
                        index,
                        offset,
                        src,
                    },
                });
                return Ok(());
            }
        };
        self.op(match bytes {
            1 => Op::Store8 { addr, offset, src },
            2 => Op::Store16 { addr, offset, src },
            4 => Op::Store32 { addr, offset, src },
            8 => Op::Store64 { addr, offset, src },
            _ => return Err(self.error(format_args!("unsupported {bytes}-byte store"))),
        });
        Ok(())
    }

    pub(crate) fn set_last_access(&mut self, access: Option<super::memory::AccessKey>) {
        self.last_access = access;
        self.kept_last_access = true;
    }

    pub(crate) fn last_access(&self) -> Option<super::memory::AccessKey> {
        self.last_access
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
        self.ty(value)
    }

    pub(crate) fn resolved(&self, value: Value) -> Value {
        self.resolve(value)
    }
}

/// The function's blocks in reverse postorder: every block after its
/// dominators.
fn reverse_postorder(func: &ir::Function) -> Vec<ir::Block> {
    let entry = func.layout.entry_block().expect("a function body");
    let mut visited = std::collections::HashSet::new();
    let mut postorder = Vec::new();
    // (block, successors not yet pushed)
    let mut stack = vec![(entry, successors(func, entry))];
    visited.insert(entry);
    while let Some((block, mut pending)) = stack.pop() {
        match pending.pop() {
            Some(next) => {
                stack.push((block, pending));
                if visited.insert(next) {
                    stack.push((next, successors(func, next)));
                }
            }
            None => postorder.push(block),
        }
    }
    postorder.reverse();
    postorder
}

fn successors(func: &ir::Function, block: ir::Block) -> Vec<ir::Block> {
    let Some(last) = func.layout.last_inst(block) else {
        return Vec::new();
    };
    let mut successors: Vec<ir::Block> = func.dfg.insts[last]
        .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)
        .iter()
        .map(|call| call.block(&func.dfg.value_lists))
        .collect();
    // Visit in source order.
    successors.reverse();
    successors
}

/// Rewrites a condition to one of `eq ne slt sle ult ule` by swapping
/// operands.
fn normalize_int_cond(cond: IntCC, a: Value, b: Value) -> (IntCC, Value, Value) {
    use IntCC::*;
    match cond {
        SignedGreaterThan
        | SignedGreaterThanOrEqual
        | UnsignedGreaterThan
        | UnsignedGreaterThanOrEqual => (cond.swap_args(), b, a),
        _ => (cond, a, b),
    }
}

/// `dst = cond ? if_true : if_false`, testing 64 bits of `cond` if `wide`,
/// else 32.
pub(crate) fn select_op(
    wide: bool,
    dst: VReg,
    cond: VReg,
    if_true: VReg,
    if_false: VReg,
) -> VirtualOp {
    if wide {
        Op::Xselect64 {
            dst,
            cond,
            if_true,
            if_false,
        }
    } else {
        Op::Xselect32 {
            dst,
            cond,
            if_true,
            if_false,
        }
    }
}
