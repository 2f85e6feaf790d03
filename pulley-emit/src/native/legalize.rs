//! Rewrites a translated function so that its machine code never faults and
//! never calls anything it cannot reach: the form native code needs, where
//! the interpreter gets the IR as it is.
//!
//! * Implicit traps become explicit checks: a division by zero or
//!   `INT_MIN / -1`, a float-to-int conversion of NaN or out of range (the
//!   native backends would otherwise fault, or trap in ways only a signal
//!   handler sees).
//! * Every trap (`trap`, `trapz`, `trapnz`) becomes a branch to a cold block
//!   that writes the trap word into the native context and returns zeros;
//!   every call is followed by a check of the word that returns as well. A
//!   trap thus unwinds by plain returns to the entry trampoline.
//! * Function entry compares the stack pointer with the context's limit.
//! * Table accesses and function-reference signature lookups become loads
//!   (through the instance's table views and the store's targets);
//!   `memory.copy` and `memory.fill` check their ranges inline and call the
//!   context's copier and filler.
//! * Calls to imports, builtins and the other intrinsics go through the host
//!   dispatcher. `call_ref` calls a function of its own instance directly,
//!   found through the targets; any other reference is resolved by the host:
//!   wasm code is called directly with its own vmctx, a host function through
//!   the dispatcher.
//!
//! See [`abi`](super::abi) for the context's layout and entry points.

use std::collections::HashMap;

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32, F64, I32, I64};
use cranelift_codegen::ir::{
    AbiParam, Block, BlockArg, ExternalName, FuncRef, Function, Inst, InstBuilder, InstructionData,
    MemFlagsData, Opcode, SigRef, Signature, StackSlot, StackSlotData, StackSlotKind, TrapCode,
    Type, Value,
};
use cranelift_codegen::isa::CallConv;

use super::abi::{
    CONTEXT_COPY, CONTEXT_DISPATCH, CONTEXT_FILL, CONTEXT_FUEL, CONTEXT_FUNCREF_COUNT,
    CONTEXT_FUNCREF_TARGETS, CONTEXT_RESOLVE, CONTEXT_STACK_LIMIT, CONTEXT_TRAP,
    FUNCREF_TARGET_FUNC, FUNCREF_TARGET_INSTANCE, FUNCREF_TARGET_SIZE, FUNCREF_TARGET_TYPE_ID,
    HostCall, TABLE_VIEW_ELEMENTS, TABLE_VIEW_LEN, TABLE_VIEW_SIZE, TrapWord,
};
use crate::CompileError;
use crate::intrinsics::{self, Intrinsic};
use crate::traps;
use crate::vmctx::{VmctxField, VmctxLayout};

/// Rewrites `func` (wasm calling convention, vmctx first) for native code;
/// `host` is the host's C calling convention, `pointer` its pointer type.
pub(crate) fn legalize(
    func: &mut Function,
    layout: &VmctxLayout,
    host: CallConv,
    pointer: Type,
) -> Result<(), CompileError> {
    let entry = func
        .layout
        .entry_block()
        .ok_or_else(|| CompileError::Internal("a function without an entry block".into()))?;
    let vmctx = func.dfg.block_params(entry)[0];
    make_implicit_traps_explicit(func, layout, vmctx, pointer, host)?;
    let mut rewriter = Rewriter {
        layout: *layout,
        vmctx,
        context: vmctx,
        pointer,
        host,
        returns: func
            .signature
            .returns
            .iter()
            .map(|p| p.value_type)
            .collect(),
        trap_blocks: HashMap::new(),
        unwind: None,
        values: None,
        words: value_words(func),
        dispatch: None,
        resolve: None,
    };
    rewriter.enter(func, entry)?;
    // Each rewrite may split its block after the instruction. Rewriting a
    // block's instructions last to first moves every instruction once;
    // first to last would move the rest of a long block at every split.
    let blocks: Vec<Block> = func.layout.blocks().collect();
    for block in blocks {
        let insts: Vec<Inst> = func
            .layout
            .block_insts(block)
            .filter(|&inst| {
                matches!(
                    func.dfg.insts[inst],
                    InstructionData::Trap { .. }
                        | InstructionData::CondTrap { .. }
                        | InstructionData::Call { .. }
                )
            })
            .collect();
        for inst in insts.into_iter().rev() {
            rewriter.rewrite(func, inst)?;
        }
    }
    Ok(())
}

/// Inserts, before each instruction that traps implicitly, the explicit
/// check that traps first, so the instruction itself never does; replaces
/// the table and signature intrinsics by loads with explicit checks.
fn make_implicit_traps_explicit(
    func: &mut Function,
    layout: &VmctxLayout,
    vmctx: Value,
    pointer: Type,
    host: CallConv,
) -> Result<(), CompileError> {
    let inline = Inliner {
        layout,
        vmctx,
        pointer,
        host,
    };
    let mut pos = FuncCursor::new(func);
    while let Some(_block) = pos.next_block() {
        while let Some(inst) = pos.next_inst() {
            let data = pos.func.dfg.insts[inst];
            match data {
                InstructionData::Call {
                    opcode: Opcode::Call,
                    func_ref,
                    ..
                } => {
                    if let Callee::Host { namespace, index } = callee(pos.func, func_ref)?
                        && let Some(call) = HostCall::decode(namespace, index)
                    {
                        inline.intrinsic(&mut pos, inst, call);
                    }
                }
                InstructionData::Binary {
                    opcode,
                    args: [a, b],
                } if matches!(
                    opcode,
                    Opcode::Udiv | Opcode::Urem | Opcode::Sdiv | Opcode::Srem
                ) =>
                {
                    pos.ins().trapz(b, TrapCode::INTEGER_DIVISION_BY_ZERO);
                    if opcode == Opcode::Sdiv {
                        let ty = pos.func.dfg.value_type(a);
                        let (min, minus_one) = if ty == I32 {
                            (i64::from(i32::MIN as u32), i64::from(u32::MAX))
                        } else {
                            (i64::MIN, -1)
                        };
                        let min = pos.ins().iconst(ty, min);
                        let minus_one = pos.ins().iconst(ty, minus_one);
                        let is_min = pos.ins().icmp(IntCC::Equal, a, min);
                        let is_minus_one = pos.ins().icmp(IntCC::Equal, b, minus_one);
                        let overflows = pos.ins().band(is_min, is_minus_one);
                        pos.ins().trapnz(overflows, TrapCode::INTEGER_OVERFLOW);
                    }
                }
                InstructionData::Unary { opcode, arg }
                    if matches!(opcode, Opcode::FcvtToSint | Opcode::FcvtToUint) =>
                {
                    let result = pos.func.dfg.first_result(inst);
                    let to = pos.func.dfg.value_type(result);
                    let from = pos.func.dfg.value_type(arg);
                    let signed = opcode == Opcode::FcvtToSint;
                    let is_nan = pos.ins().fcmp(FloatCC::Unordered, arg, arg);
                    pos.ins()
                        .trapnz(is_nan, TrapCode::BAD_CONVERSION_TO_INTEGER);
                    let (above_cc, low, high) = conversion_range(from, to, signed);
                    let float = |pos: &mut FuncCursor, value: f64| {
                        if from == F32 {
                            pos.ins().f32const(value as f32)
                        } else {
                            pos.ins().f64const(value)
                        }
                    };
                    let low = float(&mut pos, low);
                    let high = float(&mut pos, high);
                    let above = pos.ins().fcmp(above_cc, arg, low);
                    let below = pos.ins().fcmp(FloatCC::LessThan, arg, high);
                    let in_range = pos.ins().band(above, below);
                    pos.ins().trapz(in_range, TrapCode::INTEGER_OVERFLOW);
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// What inlining intrinsics needs to know.
struct Inliner<'a> {
    layout: &'a VmctxLayout,
    vmctx: Value,
    pointer: Type,
    host: CallConv,
}

impl Inliner<'_> {
    /// Replaces intrinsic call `inst` (the cursor's instruction) by loads,
    /// stores and checks, if it is a table, signature or bulk-memory one.
    fn intrinsic(&self, pos: &mut FuncCursor, inst: Inst, call: HostCall) {
        let args = pos.func.dfg.inst_args(inst).to_vec();
        let results = match call {
            HostCall::TableSize(table) => {
                let (_, length) = self.table_view(pos, table);
                vec![pos.ins().ireduce(I32, length)]
            }
            HostCall::TableGet(table) => {
                let address = self.element(pos, table, args[1]);
                vec![pos.ins().load(I64, trusted(), address, 0)]
            }
            HostCall::TableSet(table) => {
                let address = self.element(pos, table, args[1]);
                pos.ins().store(trusted(), args[2], address, 0);
                vec![]
            }
            HostCall::MemoryCopy => {
                let (dst, src, len) = (args[1], args[2], args[3]);
                let len = pos.ins().uextend(I64, len);
                let source = self.memory_range(pos, src, len);
                let destination = self.memory_range(pos, dst, len);
                self.call_context(pos, CONTEXT_COPY, &[destination, source, len]);
                vec![]
            }
            HostCall::ConsumeFuel(amount) => {
                let context = self.context(pos);
                let fuel = pos.ins().load(I64, trusted(), context, CONTEXT_FUEL);
                let amount = pos.ins().iconst(I64, i64::from(amount));
                let enough = pos
                    .ins()
                    .icmp(IntCC::UnsignedGreaterThanOrEqual, fuel, amount);
                pos.ins().trapz(enough, traps::OUT_OF_FUEL);
                let left = pos.ins().isub(fuel, amount);
                pos.ins().store(trusted(), left, context, CONTEXT_FUEL);
                vec![]
            }
            HostCall::MemoryFill => {
                let (dst, value, len) = (args[1], args[2], args[3]);
                let len = pos.ins().uextend(I64, len);
                let destination = self.memory_range(pos, dst, len);
                self.call_context(pos, CONTEXT_FILL, &[destination, value, len]);
                vec![]
            }
            _ => return,
        };
        let old = pos.func.dfg.inst_results(inst).to_vec();
        pos.func.dfg.detach_inst_results(inst);
        for (old, new) in old.into_iter().zip(results) {
            pos.func.dfg.change_to_alias(old, new);
        }
        pos.remove_inst_and_step_back();
    }

    /// The elements and length of table `table`.
    fn table_view(&self, pos: &mut FuncCursor, table: u32) -> (Value, Value) {
        let views = pos.ins().load(
            self.pointer,
            fixed(),
            self.vmctx,
            self.layout.offset(VmctxField::TableViews),
        );
        let view = TABLE_VIEW_SIZE * table as i32;
        let elements = pos
            .ins()
            .load(self.pointer, trusted(), views, view + TABLE_VIEW_ELEMENTS);
        let length = pos.ins().load(I64, trusted(), views, view + TABLE_VIEW_LEN);
        (elements, length)
    }

    /// The address of element `index` of `table`, trapping if out of bounds.
    fn element(&self, pos: &mut FuncCursor, table: u32, index: Value) -> Value {
        let (elements, length) = self.table_view(pos, table);
        let index = pos.ins().uextend(I64, index);
        let outside = pos
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, length);
        pos.ins().trapnz(outside, traps::TABLE_OUT_OF_BOUNDS);
        let offset = pos.ins().imul_imm_u(index, 8);
        pos.ins().iadd(elements, offset)
    }

    /// The host address of memory 0 at `offset` (i32), trapping unless
    /// `offset + len` (`len` i64) is within the memory.
    fn memory_range(&self, pos: &mut FuncCursor, offset: Value, len: Value) -> Value {
        let field = |field| self.layout.offset(field);
        let length = pos
            .ins()
            .load(I64, trusted(), self.vmctx, field(VmctxField::MemoryLength));
        let offset = pos.ins().uextend(I64, offset);
        let end = pos.ins().iadd(offset, len);
        let outside = pos.ins().icmp(IntCC::UnsignedGreaterThan, end, length);
        pos.ins().trapnz(outside, TrapCode::HEAP_OUT_OF_BOUNDS);
        let base = pos.ins().load(
            self.pointer,
            trusted(),
            self.vmctx,
            field(VmctxField::MemoryBase),
        );
        pos.ins().iadd(base, offset)
    }

    /// The native context's address.
    fn context(&self, pos: &mut FuncCursor) -> Value {
        pos.ins().load(
            self.pointer,
            fixed(),
            self.vmctx,
            self.layout.offset(VmctxField::NativeContext),
        )
    }

    /// Calls the context's function at `field` (host C ABI, no results).
    fn call_context(&self, pos: &mut FuncCursor, field: i32, args: &[Value]) {
        let context = self.context(pos);
        let function = pos.ins().load(self.pointer, fixed(), context, field);
        let mut signature = Signature::new(self.host);
        signature.params.extend(
            args.iter()
                .map(|&arg| AbiParam::new(pos.func.dfg.value_type(arg))),
        );
        let signature = pos.func.import_signature(signature);
        pos.ins().call_indirect(signature, function, args);
    }
}

/// A function-reference target, looked up at the cursor.
struct Target {
    /// Non-zero if the handle names a target.
    known: Value,
    /// The target's address (meaningful only if `known`).
    address: Value,
}

impl Target {
    /// Loads the 64-bit field at `offset`.
    fn load(&self, pos: &mut FuncCursor, offset: i32) -> Value {
        pos.ins().load(I64, trusted(), self.address, offset)
    }
}

/// Looks up the target of non-null-or-not `handle` in the store's targets
/// (no branch: `known` says whether it exists).
fn funcref_target(
    pos: &mut FuncCursor,
    layout: &VmctxLayout,
    vmctx: Value,
    pointer: Type,
    handle: Value,
) -> Target {
    let context = pos.ins().load(
        pointer,
        fixed(),
        vmctx,
        layout.offset(VmctxField::NativeContext),
    );
    let targets = pos
        .ins()
        .load(pointer, trusted(), context, CONTEXT_FUNCREF_TARGETS);
    let count = pos
        .ins()
        .load(I64, trusted(), context, CONTEXT_FUNCREF_COUNT);
    // Handle 0 wraps to the largest index, which is never known.
    let index = pos.ins().iadd_imm_s(handle, -1);
    let known = pos.ins().icmp(IntCC::UnsignedLessThan, index, count);
    // An unknown index is clamped to 0 so the address stays computable;
    // callers check `known` before using what it points to.
    let zero = pos.ins().iconst(I64, 0);
    let index = pos.ins().select(known, index, zero);
    let offset = pos.ins().imul_imm_u(index, i64::from(FUNCREF_TARGET_SIZE));
    let address = pos.ins().iadd(targets, offset);
    Target { known, address }
}

/// The range a float-to-int conversion accepts after truncation: `x cc low
/// && x < high`. Every bound is exact in both float types.
fn conversion_range(from: Type, to: Type, signed: bool) -> (FloatCC, f64, f64) {
    let bits = to.bits();
    if !signed {
        return (FloatCC::GreaterThan, -1.0, 2f64.powi(bits as i32));
    }
    let high = 2f64.powi(bits as i32 - 1);
    if bits == 32 && from == F64 {
        // -2^31 - 1 is exact in f64: anything above it truncates into range.
        (FloatCC::GreaterThan, -high - 1.0, high)
    } else {
        (FloatCC::GreaterThanOrEqual, -high, high)
    }
}

/// How many 64-bit words the values area needs: the most arguments (vmctx
/// excluded) or results of any call that may go through the host.
fn value_words(func: &Function) -> u32 {
    func.dfg
        .ext_funcs
        .values()
        .map(|ext| {
            let signature = &func.dfg.signatures[ext.signature];
            signature
                .params
                .len()
                .saturating_sub(1)
                .max(signature.returns.len())
        })
        .max()
        .unwrap_or(0)
        .max(1) as u32
}

/// What a call instruction calls.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Callee {
    /// A function of the module, called directly.
    Defined,
    /// `call_ref` of wasm type `type_index`.
    CallRef { type_index: u32 },
    /// Anything else, through the dispatcher.
    Host { namespace: u32, index: u32 },
}

struct Rewriter {
    layout: VmctxLayout,
    vmctx: Value,
    /// The native context, loaded once at entry.
    context: Value,
    pointer: Type,
    host: CallConv,
    returns: Vec<Type>,
    /// The cold block recording each trap word, with its number of uses.
    trap_blocks: HashMap<u32, (Block, usize)>,
    /// The cold block returning zeros once a trap is recorded, with its number
    /// of uses.
    unwind: Option<(Block, usize)>,
    /// The values area of host calls.
    values: Option<StackSlot>,
    words: u32,
    dispatch: Option<SigRef>,
    resolve: Option<SigRef>,
}

/// How many branches share one cold block. A block reached from every trap
/// site of a long function makes dominator computations (Cranelift's and
/// regalloc2's) quadratic: each predecessor's path to the entry is walked.
const SHARED_BY: usize = 16;

/// No block arguments.
const NO_ARGS: &[BlockArg] = &[];

/// Flags of the context and values-area accesses: aligned, never trapping.
fn trusted() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Flags of context fields that stay the same while native code runs.
fn fixed() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

impl Rewriter {
    /// Loads the context and checks the stack limit at the top of `entry`.
    fn enter(&mut self, func: &mut Function, entry: Block) -> Result<(), CompileError> {
        let first = func
            .layout
            .first_inst(entry)
            .ok_or_else(|| CompileError::Internal("an empty entry block".into()))?;
        let mut pos = FuncCursor::new(func).at_inst(first);
        let offset = self.layout.offset(VmctxField::NativeContext);
        self.context = pos.ins().load(self.pointer, fixed(), self.vmctx, offset);
        let limit = pos
            .ins()
            .load(self.pointer, fixed(), self.context, CONTEXT_STACK_LIMIT);
        let sp = pos.ins().get_stack_pointer(self.pointer);
        let overflows = pos.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
        let body = func.dfg.make_block();
        func.layout.split_block(body, first);
        let trap = self.trap_block(func, TrapCode::STACK_OVERFLOW)?;
        FuncCursor::new(func)
            .at_bottom(entry)
            .ins()
            .brif(overflows, trap, NO_ARGS, body, NO_ARGS);
        Ok(())
    }

    /// Rewrites trap or call `inst`.
    fn rewrite(&mut self, func: &mut Function, inst: Inst) -> Result<(), CompileError> {
        match func.dfg.insts[inst] {
            InstructionData::Trap { code, .. } => {
                let trap = self.trap_block(func, code)?;
                func.replace(inst).jump(trap, NO_ARGS);
                Ok(())
            }
            InstructionData::CondTrap { opcode, arg, code } => {
                let trap = self.trap_block(func, code)?;
                let rest = split_after(func, inst);
                let replace = func.replace(inst);
                if opcode == Opcode::Trapnz {
                    replace.brif(arg, trap, NO_ARGS, rest, NO_ARGS);
                } else {
                    replace.brif(arg, rest, NO_ARGS, trap, NO_ARGS);
                }
                Ok(())
            }
            InstructionData::Call {
                opcode, func_ref, ..
            } => {
                let tail = opcode == Opcode::ReturnCall;
                match callee(func, func_ref)? {
                    Callee::Defined if tail => Ok(()),
                    Callee::Defined => {
                        self.check_trap_after(func, inst);
                        Ok(())
                    }
                    Callee::CallRef { type_index } => {
                        self.call_ref(func, inst, func_ref, type_index, tail);
                        Ok(())
                    }
                    Callee::Host { namespace, index } => {
                        self.host_call(func, inst, namespace, index, tail);
                        Ok(())
                    }
                }
            }
            _ => Ok(()),
        }
    }

    /// Replaces the call `inst` with a call through the dispatcher.
    fn host_call(
        &mut self,
        func: &mut Function,
        inst: Inst,
        namespace: u32,
        index: u32,
        tail: bool,
    ) {
        let args = func.dfg.inst_args(inst)[1..].to_vec();
        let result_types = self.result_types(func, inst);
        let mut pos = FuncCursor::new(func).at_inst(inst);
        let values = self.values_area(&mut pos);
        let call = self.dispatch(&mut pos, values, namespace, index, &args);
        let results = load_words(&mut pos, values, &result_types);
        if tail {
            // The caller checks the trap word, so no check is needed here.
            pos.ins().return_(&results);
            pos.func.layout.remove_inst(inst);
            return;
        }
        let last = results
            .last()
            .map_or(call, |&value| pos.func.dfg.value_def(value).unwrap_inst());
        replace_results(pos.func, inst, &results);
        self.check_trap_after(func, last);
    }

    /// Replaces `call_ref` `inst`: a function of this instance is called
    /// directly through the instance's function code; any other reference is
    /// resolved by the host (which traps on a null or mistyped one), wasm
    /// code then called directly with its own vmctx, a host function through
    /// the dispatcher.
    fn call_ref(
        &mut self,
        func: &mut Function,
        inst: Inst,
        func_ref: FuncRef,
        type_index: u32,
        tail: bool,
    ) {
        let args = func.dfg.inst_args(inst).to_vec();
        let (funcref, params) = (args[1], &args[2..]);
        let old_results = func.dfg.inst_results(inst).to_vec();
        let result_types = if tail {
            self.returns.clone()
        } else {
            self.result_types(func, inst)
        };
        let mut wasm_signature =
            func.dfg.signatures[func.dfg.ext_funcs[func_ref].signature].clone();
        wasm_signature.params.remove(1);
        let wasm_signature = func.import_signature(wasm_signature);

        let join = (!tail).then(|| split_after(func, inst));
        let unwind = self.unwind_block(func);
        let [check, local, resolve, resolved, direct, through_host] =
            [(); 6].map(|()| func.dfg.make_block());
        let mut after = func.layout.inst_block(inst).expect("inst in layout");
        for block in [check, local, resolve, resolved, direct, through_host] {
            func.layout.insert_block_after(block, after);
            after = block;
        }
        let code = func.dfg.append_block_param(direct, self.pointer);
        let callee_vmctx = func.dfg.append_block_param(direct, self.pointer);

        // Look the reference up; only a known one is read.
        let mut pos = FuncCursor::new(func).at_inst(inst);
        let target = funcref_target(&mut pos, &self.layout, self.vmctx, self.pointer, funcref);
        pos.ins()
            .brif(target.known, check, NO_ARGS, resolve, NO_ARGS);
        pos.func.dfg.detach_inst_results(inst);
        pos.func.layout.remove_inst(inst);

        // This instance's function of the expected type: call it directly.
        let mut pos = FuncCursor::new(func).at_bottom(check);
        let type_id = target.load(&mut pos, FUNCREF_TARGET_TYPE_ID);
        let expected = pos.ins().load(
            I64,
            fixed(),
            self.vmctx,
            self.layout.offset(VmctxField::TypeId(type_index)),
        );
        let instance_id = target.load(&mut pos, FUNCREF_TARGET_INSTANCE);
        let own_index = pos.ins().load(
            I64,
            fixed(),
            self.vmctx,
            self.layout.offset(VmctxField::InstanceIndex),
        );
        let own_id = pos.ins().iadd_imm_u(own_index, 1);
        let same_type = pos.ins().icmp(IntCC::Equal, type_id, expected);
        let same_instance = pos.ins().icmp(IntCC::Equal, instance_id, own_id);
        let local_call = pos.ins().band(same_type, same_instance);
        pos.ins().brif(local_call, local, NO_ARGS, resolve, NO_ARGS);

        let mut pos = FuncCursor::new(func).at_bottom(local);
        let index = pos
            .ins()
            .load(I32, trusted(), target.address, FUNCREF_TARGET_FUNC);
        let index = pos.ins().uextend(I64, index);
        let offset = pos.ins().imul_imm_u(index, 8);
        let codes = pos.ins().load(
            self.pointer,
            fixed(),
            self.vmctx,
            self.layout.offset(VmctxField::FunctionCode),
        );
        let address = pos.ins().iadd(codes, offset);
        let local_code = pos.ins().load(self.pointer, trusted(), address, 0);
        pos.ins().jump(
            direct,
            &[BlockArg::Value(local_code), BlockArg::Value(self.vmctx)],
        );

        // Anything else: ask the host, and return if that trapped.
        let mut pos = FuncCursor::new(func).at_bottom(resolve);
        let values = self.values_area(&mut pos);
        let resolver = pos
            .ins()
            .load(self.pointer, fixed(), self.context, CONTEXT_RESOLVE);
        let signature = self.resolve_signature(pos.func);
        let type_value = pos.ins().iconst(I32, i64::from(type_index));
        let call = pos.ins().call_indirect(
            signature,
            resolver,
            &[self.vmctx, funcref, type_value, values],
        );
        let resolved_code = pos.func.dfg.first_result(call);
        let word = self.load_trap_word(&mut pos);
        pos.ins().brif(word, unwind, NO_ARGS, resolved, NO_ARGS);

        let mut pos = FuncCursor::new(func).at_bottom(resolved);
        let resolved_vmctx = pos.ins().load(self.pointer, trusted(), values, 0);
        pos.ins().brif(
            resolved_code,
            direct,
            &[
                BlockArg::Value(resolved_code),
                BlockArg::Value(resolved_vmctx),
            ],
            through_host,
            NO_ARGS,
        );

        // Wasm: call the code with the callee's vmctx.
        let mut pos = FuncCursor::new(func).at_bottom(direct);
        let mut wasm_args = vec![callee_vmctx];
        wasm_args.extend_from_slice(params);
        if let Some(join) = join {
            let call = pos.ins().call_indirect(wasm_signature, code, &wasm_args);
            let results = pos.func.dfg.inst_results(call).to_vec();
            let values = self.values_area(&mut pos);
            store_words(&mut pos, values, &results);
            let word = self.load_trap_word(&mut pos);
            pos.ins().brif(word, unwind, NO_ARGS, join, NO_ARGS);
        } else {
            pos.ins()
                .return_call_indirect(wasm_signature, code, &wasm_args);
        }

        // A host function: through the dispatcher, results in the values area.
        let mut pos = FuncCursor::new(func).at_bottom(through_host);
        let mut host_args = vec![funcref];
        host_args.extend_from_slice(params);
        let values = self.values_area(&mut pos);
        self.dispatch(
            &mut pos,
            values,
            Intrinsic::CallRef as u32,
            type_index,
            &host_args,
        );
        match join {
            Some(join) => {
                let word = self.load_trap_word(&mut pos);
                pos.ins().brif(word, unwind, NO_ARGS, join, NO_ARGS);
                let mut pos = FuncCursor::new(func);
                pos.goto_first_insertion_point(join);
                let values = self.values_area(&mut pos);
                let results = load_words(&mut pos, values, &result_types);
                for (old, new) in old_results.into_iter().zip(results) {
                    pos.func.dfg.change_to_alias(old, new);
                }
            }
            None => {
                let results = load_words(&mut pos, values, &result_types);
                pos.ins().return_(&results);
            }
        }
    }

    /// The types of `inst`'s results.
    fn result_types(&self, func: &Function, inst: Inst) -> Vec<Type> {
        func.dfg
            .inst_results(inst)
            .iter()
            .map(|&value| func.dfg.value_type(value))
            .collect()
    }

    /// The values area's address, at the cursor.
    fn values_area(&mut self, pos: &mut FuncCursor) -> Value {
        let slot = *self.values.get_or_insert_with(|| {
            pos.func.create_sized_stack_slot(StackSlotData::new(
                StackSlotKind::ExplicitSlot,
                8 * self.words,
                3,
            ))
        });
        pos.ins().stack_addr(self.pointer, slot, 0)
    }

    /// Stores `args` into the values area and calls the dispatcher.
    fn dispatch(
        &mut self,
        pos: &mut FuncCursor,
        values: Value,
        namespace: u32,
        index: u32,
        args: &[Value],
    ) -> Inst {
        store_words(pos, values, args);
        let dispatcher = pos
            .ins()
            .load(self.pointer, fixed(), self.context, CONTEXT_DISPATCH);
        let signature = *self.dispatch.get_or_insert_with(|| {
            let mut signature = Signature::new(self.host);
            signature.params.extend(
                [self.pointer, I32, I32, self.pointer]
                    .into_iter()
                    .map(AbiParam::new),
            );
            pos.func.import_signature(signature)
        });
        let namespace = pos.ins().iconst(I32, i64::from(namespace));
        let index = pos.ins().iconst(I32, i64::from(index));
        pos.ins().call_indirect(
            signature,
            dispatcher,
            &[self.vmctx, namespace, index, values],
        )
    }

    fn resolve_signature(&mut self, func: &mut Function) -> SigRef {
        *self.resolve.get_or_insert_with(|| {
            let mut signature = Signature::new(self.host);
            signature.params.extend(
                [self.pointer, I64, I32, self.pointer]
                    .into_iter()
                    .map(AbiParam::new),
            );
            signature.returns.push(AbiParam::new(self.pointer));
            func.import_signature(signature)
        })
    }

    fn load_trap_word(&self, pos: &mut FuncCursor) -> Value {
        pos.ins().load(I32, trusted(), self.context, CONTEXT_TRAP)
    }

    /// Ends `inst`'s block after `inst` with a return if a trap is pending.
    fn check_trap_after(&mut self, func: &mut Function, inst: Inst) {
        let block = func.layout.inst_block(inst).expect("inst in layout");
        let rest = split_after(func, inst);
        let unwind = self.unwind_block(func);
        let mut pos = FuncCursor::new(func).at_bottom(block);
        let word = self.load_trap_word(&mut pos);
        pos.ins().brif(word, unwind, NO_ARGS, rest, NO_ARGS);
    }

    /// A cold block that records a trap with `code` and unwinds.
    fn trap_block(&mut self, func: &mut Function, code: TrapCode) -> Result<Block, CompileError> {
        let word = if code == traps::OUT_OF_FUEL {
            TrapWord::OutOfFuel
        } else {
            TrapWord::Wasm(traps::to_isa(code).ok_or_else(|| {
                CompileError::Internal(format!("trap code {code} has no ISA code"))
            })?)
        }
        .encode();
        if let Some((block, uses)) = self.trap_blocks.get_mut(&word)
            && *uses < SHARED_BY
        {
            *uses += 1;
            return Ok(*block);
        }
        let unwind = self.unwind_block(func);
        let block = func.dfg.make_block();
        func.layout.append_block(block);
        func.layout.set_cold(block);
        let mut pos = FuncCursor::new(func).at_bottom(block);
        let word_value = pos.ins().iconst(I32, i64::from(word));
        pos.ins()
            .store(trusted(), word_value, self.context, CONTEXT_TRAP);
        pos.ins().jump(unwind, NO_ARGS);
        self.trap_blocks.insert(word, (block, 1));
        Ok(block)
    }

    /// A cold block returning zeros (the trap word is already set), at the
    /// end of the layout.
    fn unwind_block(&mut self, func: &mut Function) -> Block {
        if let Some((block, uses)) = &mut self.unwind
            && *uses < SHARED_BY
        {
            *uses += 1;
            return *block;
        }
        let block = func.dfg.make_block();
        func.layout.append_block(block);
        func.layout.set_cold(block);
        let mut pos = FuncCursor::new(func).at_bottom(block);
        let zeros: Vec<Value> = self
            .returns
            .iter()
            .map(|&ty| match ty {
                F32 => pos.ins().f32const(0.0),
                F64 => pos.ins().f64const(0.0),
                _ => pos.ins().iconst(ty, 0),
            })
            .collect();
        pos.ins().return_(&zeros);
        self.unwind = Some((block, 1));
        block
    }
}

/// Which kind of function a `call`'s `func_ref` names.
fn callee(func: &Function, func_ref: FuncRef) -> Result<Callee, CompileError> {
    let ExternalName::User(name) = func.dfg.ext_funcs[func_ref].name else {
        return Err(CompileError::Internal(
            "a call to a function without a user name".into(),
        ));
    };
    let name = &func.params.user_named_funcs()[name];
    Ok(match name.namespace {
        intrinsics::DEFINED_FUNCTION => Callee::Defined,
        namespace if namespace == Intrinsic::CallRef as u32 => Callee::CallRef {
            type_index: name.index,
        },
        namespace => Callee::Host {
            namespace,
            index: name.index,
        },
    })
}

/// Moves everything after `inst` into a new block placed right after its
/// block; returns the new block.
fn split_after(func: &mut Function, inst: Inst) -> Block {
    let next = func
        .layout
        .next_inst(inst)
        .expect("only a terminator ends a block, and it is not split after");
    let block = func.dfg.make_block();
    func.layout.split_block(block, next);
    block
}

/// Makes `inst`'s results aliases of `results` and removes `inst`.
fn replace_results(func: &mut Function, inst: Inst, results: &[Value]) {
    let old = func.dfg.inst_results(inst).to_vec();
    func.dfg.detach_inst_results(inst);
    for (old, &new) in old.into_iter().zip(results) {
        func.dfg.change_to_alias(old, new);
    }
    func.layout.remove_inst(inst);
}

/// Stores `values` as 64-bit words at `area`, in order: integers
/// zero-extended, floats as their bits.
pub(super) fn store_words(pos: &mut FuncCursor, area: Value, values: &[Value]) {
    for (i, &value) in values.iter().enumerate() {
        let word = match pos.func.dfg.value_type(value) {
            I32 => pos.ins().uextend(I64, value),
            F32 => {
                let bits = pos.ins().bitcast(I32, MemFlagsData::new(), value);
                pos.ins().uextend(I64, bits)
            }
            F64 => pos.ins().bitcast(I64, MemFlagsData::new(), value),
            _ => value,
        };
        pos.ins().store(trusted(), word, area, 8 * i as i32);
    }
}

/// Loads values of `types` from 64-bit words at `area` (the inverse of
/// [`store_words`]).
pub(super) fn load_words(pos: &mut FuncCursor, area: Value, types: &[Type]) -> Vec<Value> {
    types
        .iter()
        .enumerate()
        .map(|(i, &ty)| {
            let word = pos.ins().load(I64, trusted(), area, 8 * i as i32);
            match ty {
                I32 => pos.ins().ireduce(I32, word),
                F32 => {
                    let bits = pos.ins().ireduce(I32, word);
                    pos.ins().bitcast(F32, MemFlagsData::new(), bits)
                }
                F64 => pos.ins().bitcast(F64, MemFlagsData::new(), word),
                _ => word,
            }
        })
        .collect()
}
