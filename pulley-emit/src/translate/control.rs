//! Structured control flow, branches, calls and returns (the translator's
//! `visit_*` methods for them).

use cranelift_codegen::ir::{self, Block, BlockArg, InstBuilder, JumpTableData, Value};
use pulley_module::ValType;
use wasmparser::{BlockType, BrTable};

use super::FuncTranslator;
use crate::CompileError;
use crate::flavour::FlavourExt;
use crate::intrinsics::{self, Intrinsic};
use crate::traps;

/// An open `block`, `loop` or `if`.
pub(crate) enum ControlFrame {
    /// A `block`: branches go to `next`, its continuation.
    Block {
        next: Block,
        results: usize,
        stack_base: usize,
        next_reached: bool,
    },
    /// A `loop`: branches go to `header`; falling off the end goes to `next`.
    Loop {
        header: Block,
        next: Block,
        params: usize,
        results: usize,
        stack_base: usize,
    },
    /// An `if`: the condition chose `then` (current) or `else_block`.
    If {
        next: Block,
        else_block: Block,
        params: usize,
        results: usize,
        stack_base: usize,
        next_reached: bool,
        else_seen: bool,
        head_reachable: bool,
    },
    /// A construct opened in unreachable code.
    Unreachable,
}

/// The parameter and result types of a block.
type BlockSignature = (Vec<ir::Type>, Vec<ir::Type>);

/// The value arguments of a block call.
fn block_args(values: &[Value]) -> Vec<BlockArg> {
    values.iter().map(|&value| BlockArg::Value(value)).collect()
}

impl FuncTranslator<'_, '_> {
    /// The parameter and result types of a block type.
    fn block_signature(&self, ty: BlockType) -> Result<BlockSignature, CompileError> {
        let (params, results): (Vec<ValType>, Vec<ValType>) = match ty {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Type(ty) => (vec![], vec![crate::parse::value_type(ty)?]),
            BlockType::FuncType(index) => {
                let ty = self.env.func_type(index);
                (ty.params.clone(), ty.results.clone())
            }
        };
        let convert = |types: Vec<ValType>| {
            types
                .into_iter()
                .map(|t| self.env.clif_type(t))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok((convert(params)?, convert(results)?))
    }

    fn block_with_params(&mut self, types: &[ir::Type]) -> Block {
        let block = self.builder.create_block();
        for &ty in types {
            self.builder.append_block_param(block, ty);
        }
        block
    }

    /// Opens the function body's implicit block, whose continuation returns.
    pub(super) fn enter_function_body(&mut self, results: &[ValType]) -> Result<(), CompileError> {
        let types = results
            .iter()
            .map(|&t| self.env.clif_type(t))
            .collect::<Result<Vec<_>, _>>()?;
        let next = self.block_with_params(&types);
        self.control.push(ControlFrame::Block {
            next,
            results: types.len(),
            stack_base: 0,
            next_reached: false,
        });
        Ok(())
    }

    pub(super) fn visit_nop(&mut self) -> Result<(), CompileError> {
        Ok(())
    }

    pub(super) fn visit_unreachable(&mut self) -> Result<(), CompileError> {
        self.charge_fuel();
        self.builder.ins().trap(traps::UNREACHABLE);
        self.reachable = false;
        Ok(())
    }

    /// The parameter and result types of a block, `loop` or `if` opened in
    /// reachable code. In unreachable code, where these operators are
    /// translated too (see `visit`) to keep the control stack balanced, opens
    /// a frame that `end` closes and returns `None`.
    fn open_block(&mut self, blockty: BlockType) -> Result<Option<BlockSignature>, CompileError> {
        if !self.reachable {
            self.control.push(ControlFrame::Unreachable);
            return Ok(None);
        }
        self.block_signature(blockty).map(Some)
    }

    pub(super) fn visit_block(&mut self, blockty: BlockType) -> Result<(), CompileError> {
        let Some((params, results)) = self.open_block(blockty)? else {
            return Ok(());
        };
        let next = self.block_with_params(&results);
        let stack_base = self.stack.len() - params.len();
        self.control.push(ControlFrame::Block {
            next,
            results: results.len(),
            stack_base,
            next_reached: false,
        });
        Ok(())
    }

    pub(super) fn visit_loop(&mut self, blockty: BlockType) -> Result<(), CompileError> {
        let Some((params, results)) = self.open_block(blockty)? else {
            return Ok(());
        };
        let header = self.block_with_params(&params);
        let next = self.block_with_params(&results);
        let stack_base = self.stack.len() - params.len();
        self.charge_fuel();
        let args = block_args(self.peek(params.len()));
        self.builder.ins().jump(header, &args);
        self.stack.truncate(stack_base);
        if let Some(on_stack) = &self.on_stack
            && on_stack.header == self.offset
        {
            if stack_base > 0 {
                return Err(CompileError::OperandsBelowLoop {
                    header: on_stack.header,
                });
            }
            self.enter_on_stack(header, &params);
        }
        self.builder.switch_to_block(header);
        self.stack
            .extend_from_slice(self.builder.block_params(header));
        self.control.push(ControlFrame::Loop {
            header,
            next,
            params: params.len(),
            results: results.len(),
            stack_base,
        });
        Ok(())
    }

    /// Fills the on-stack entry's block, at its loop's `header` (with no
    /// operands below the loop), whose parameters are `params`: it takes
    /// the locals and the loop's parameters and jumps to the header; the
    /// function's signature becomes the entry's.
    fn enter_on_stack(&mut self, header: Block, params: &[ir::Type]) {
        let on_stack = self.on_stack.as_mut().expect("an on-stack entry");
        on_stack.placed = true;
        let entry = on_stack.entry;
        self.builder.switch_to_block(entry);
        for (&variable, &ty) in self.locals.iter().zip(&self.local_types) {
            let value = self.builder.append_block_param(entry, ty);
            self.builder.def_var(variable, value);
        }
        let args: Vec<Value> = params
            .iter()
            .map(|&ty| self.builder.append_block_param(entry, ty))
            .collect();
        self.builder.ins().jump(header, &block_args(&args));
        self.builder.seal_block(entry);
        let entry_params: Vec<ir::Type> = self.local_types.iter().chain(params).copied().collect();
        let returns: Vec<ir::Type> = self
            .builder
            .func
            .signature
            .returns
            .iter()
            .map(|abi| abi.value_type)
            .collect();
        self.builder.func.signature = intrinsics::signature(
            self.env.call_conv(),
            self.env.flavour.pointer_type(),
            &entry_params,
            &returns,
        );
    }

    pub(super) fn visit_if(&mut self, blockty: BlockType) -> Result<(), CompileError> {
        let Some((params, results)) = self.open_block(blockty)? else {
            return Ok(());
        };
        let condition = self.pop();
        let then_block = self.block_with_params(&params);
        let else_block = self.block_with_params(&params);
        let next = self.block_with_params(&results);
        let stack_base = self.stack.len() - params.len();
        self.charge_fuel();
        let args = block_args(self.peek(params.len()));
        self.builder
            .ins()
            .brif(condition, then_block, &args, else_block, &args);
        self.stack.truncate(stack_base);
        self.builder.seal_block(then_block);
        self.builder.seal_block(else_block);
        self.builder.switch_to_block(then_block);
        self.stack
            .extend_from_slice(self.builder.block_params(then_block));
        self.control.push(ControlFrame::If {
            next,
            else_block,
            params: params.len(),
            results: results.len(),
            stack_base,
            next_reached: false,
            else_seen: false,
            head_reachable: true,
        });
        Ok(())
    }

    pub(super) fn visit_else(&mut self) -> Result<(), CompileError> {
        // In unreachable code, only the `else` of an `if` whose head was
        // reached starts reachable code again.
        let head_reached = matches!(
            self.control.last(),
            Some(ControlFrame::If {
                head_reachable: true,
                ..
            })
        );
        if self.reachable || head_reached {
            self.translate_else();
        }
        Ok(())
    }

    pub(super) fn visit_end(&mut self) -> Result<(), CompileError> {
        if !self.reachable && matches!(self.control.last(), Some(ControlFrame::Unreachable)) {
            self.control.pop();
        } else {
            self.translate_end();
        }
        Ok(())
    }

    pub(super) fn visit_br(&mut self, relative_depth: u32) -> Result<(), CompileError> {
        self.charge_fuel();
        let (target, arity) = self.branch_target(relative_depth);
        let args = block_args(self.peek(arity));
        self.builder.ins().jump(target, &args);
        self.reachable = false;
        Ok(())
    }

    pub(super) fn visit_br_if(&mut self, relative_depth: u32) -> Result<(), CompileError> {
        self.charge_fuel();
        let condition = self.pop();
        let (target, arity) = self.branch_target(relative_depth);
        let args = block_args(self.peek(arity));
        let continuation = self.builder.create_block();
        self.builder
            .ins()
            .brif(condition, target, &args, continuation, &[]);
        self.builder.seal_block(continuation);
        self.builder.switch_to_block(continuation);
        Ok(())
    }

    pub(super) fn visit_br_table(&mut self, targets: BrTable<'_>) -> Result<(), CompileError> {
        self.charge_fuel();
        let index = self.pop();
        let mut depths = Vec::with_capacity(targets.len() as usize);
        for depth in targets.targets() {
            depths.push(depth?);
        }
        let (default, arity) = self.branch_target(targets.default());
        let args = block_args(self.peek(arity));
        let pool = &mut self.builder.func.dfg.value_lists;
        let default_call = ir::BlockCall::new(default, args.iter().copied(), pool);
        let mut entries = Vec::with_capacity(depths.len());
        for depth in depths {
            let (block, _) = self.branch_target(depth);
            let pool = &mut self.builder.func.dfg.value_lists;
            entries.push(ir::BlockCall::new(block, args.iter().copied(), pool));
        }
        let table = self
            .builder
            .create_jump_table(JumpTableData::new(default_call, &entries));
        self.builder.ins().br_table(index, table);
        self.reachable = false;
        Ok(())
    }

    pub(super) fn visit_return(&mut self) -> Result<(), CompileError> {
        self.charge_fuel();
        let results = self.function_result_count();
        let values = self.peek(results).to_vec();
        self.builder.ins().return_(&values);
        self.reachable = false;
        Ok(())
    }

    pub(super) fn visit_call(&mut self, function_index: u32) -> Result<(), CompileError> {
        self.charge_fuel();
        let (callee, params) = self.direct_callee(function_index)?;
        let args = self.call_args(params);
        let call = self.builder.ins().call(callee, &args);
        let results = self.builder.inst_results(call).to_vec();
        self.stack.extend_from_slice(&results);
        Ok(())
    }

    pub(super) fn visit_call_indirect(
        &mut self,
        type_index: u32,
        table_index: u32,
    ) -> Result<(), CompileError> {
        self.charge_fuel();
        let (callee, args) = self.indirect_call_args(type_index, table_index)?;
        let call = self.builder.ins().call(callee, &args);
        let results = self.builder.inst_results(call).to_vec();
        self.stack.extend_from_slice(&results);
        Ok(())
    }

    pub(super) fn visit_return_call(&mut self, function_index: u32) -> Result<(), CompileError> {
        self.charge_fuel();
        let (callee, params) = self.direct_callee(function_index)?;
        let args = self.call_args(params);
        self.builder.ins().return_call(callee, &args);
        self.reachable = false;
        Ok(())
    }

    pub(super) fn visit_return_call_indirect(
        &mut self,
        type_index: u32,
        table_index: u32,
    ) -> Result<(), CompileError> {
        self.charge_fuel();
        let (callee, args) = self.indirect_call_args(type_index, table_index)?;
        self.builder.ins().return_call(callee, &args);
        self.reachable = false;
        Ok(())
    }

    pub(super) fn visit_drop(&mut self) -> Result<(), CompileError> {
        self.pop();
        Ok(())
    }

    pub(super) fn visit_select(&mut self) -> Result<(), CompileError> {
        let condition = self.pop();
        let (a, b) = self.pop2();
        let value = self.builder.ins().select(condition, a, b);
        self.push(value);
        Ok(())
    }

    pub(super) fn visit_typed_select(
        &mut self,
        _: wasmparser::ValType,
    ) -> Result<(), CompileError> {
        self.visit_select()
    }

    fn translate_else(&mut self) {
        let Some(&mut ControlFrame::If {
            next,
            else_block,
            params,
            results,
            stack_base,
            ref mut next_reached,
            ref mut else_seen,
            head_reachable,
        }) = self.control.last_mut()
        else {
            unreachable!("validated else");
        };
        *else_seen = true;
        let reached = self.reachable;
        *next_reached |= reached;
        if reached {
            let args = block_args(self.peek(results));
            self.builder.ins().jump(next, &args);
        }
        self.reachable = head_reachable;
        self.stack.truncate(stack_base);
        self.builder.switch_to_block(else_block);
        let values = self.builder.block_params(else_block).to_vec();
        debug_assert_eq!(values.len(), params);
        self.stack.extend_from_slice(&values);
    }

    fn translate_end(&mut self) {
        let frame = self.control.pop().expect("validated end");
        let (next, results, stack_base, mut next_reached) = match frame {
            ControlFrame::Block {
                next,
                results,
                stack_base,
                next_reached,
            } => (next, results, stack_base, next_reached),
            ControlFrame::Loop {
                header,
                next,
                results,
                stack_base,
                ..
            } => {
                self.builder.seal_block(header);
                (next, results, stack_base, false)
            }
            ControlFrame::If {
                next,
                else_block,
                results,
                stack_base,
                next_reached,
                else_seen,
                head_reachable,
                params,
            } => {
                let mut reached = next_reached;
                if self.reachable {
                    let args = block_args(self.peek(results));
                    self.builder.ins().jump(next, &args);
                    reached = true;
                    self.reachable = false;
                }
                if !else_seen {
                    // Without `else`, the parameters pass through as results.
                    self.builder.switch_to_block(else_block);
                    let values = self.builder.block_params(else_block).to_vec();
                    debug_assert_eq!(values.len(), params);
                    self.builder.ins().jump(next, &block_args(&values));
                    reached |= head_reachable;
                }
                (next, results, stack_base, reached)
            }
            ControlFrame::Unreachable => unreachable!("handled by visit_end"),
        };
        if self.reachable {
            let args = block_args(self.peek(results));
            self.builder.ins().jump(next, &args);
            next_reached = true;
        }
        self.stack.truncate(stack_base);
        self.builder.switch_to_block(next);
        self.builder.seal_block(next);
        self.stack
            .extend_from_slice(self.builder.block_params(next));
        self.reachable = next_reached;
        if self.control.is_empty() {
            // The end of the function body.
            if self.reachable {
                let values = self.builder.block_params(next).to_vec();
                self.charge_fuel();
                self.builder.ins().return_(&values);
            } else {
                self.builder.ins().trap(crate::traps::UNREACHABLE);
            }
        }
    }

    /// The block a branch to `depth` jumps to and how many values it takes;
    /// marks the target as reached.
    fn branch_target(&mut self, depth: u32) -> (Block, usize) {
        let index = self.control.len() - 1 - depth as usize;
        match &mut self.control[index] {
            ControlFrame::Block {
                next,
                results,
                next_reached,
                ..
            }
            | ControlFrame::If {
                next,
                results,
                next_reached,
                ..
            } => {
                *next_reached = true;
                (*next, *results)
            }
            ControlFrame::Loop { header, params, .. } => (*header, *params),
            ControlFrame::Unreachable => {
                unreachable!("branches in unreachable code are not translated")
            }
        }
    }

    fn function_result_count(&self) -> usize {
        match &self.control[0] {
            ControlFrame::Block { results, .. } => *results,
            _ => unreachable!("the outermost frame is the function's block"),
        }
    }

    /// The callee of a direct call and its parameter count.
    fn direct_callee(&mut self, func: u32) -> Result<(ir::FuncRef, usize), CompileError> {
        let imported = self.env.info.imported_functions;
        let ty = self.env.info.functions[func as usize];
        let params = self.env.func_type(ty).params.len();
        let (namespace, index) = if func < imported {
            (intrinsics::IMPORTED_FUNCTION, func)
        } else {
            (intrinsics::DEFINED_FUNCTION, func - imported)
        };
        let callee = self.callee(namespace, index, |this| {
            this.env.signature(this.env.func_type(ty))
        })?;
        Ok((callee, params))
    }

    /// The `call_ref` intrinsic for type `ty` and its parameter count.
    fn call_ref_callee(&mut self, ty: u32) -> Result<(ir::FuncRef, usize), CompileError> {
        let params = self.env.func_type(ty).params.len();
        let callee = self.callee(Intrinsic::CallRef as u32, ty, |this| {
            let mut signature = this.env.signature(this.env.func_type(ty))?;
            signature
                .params
                .insert(1, ir::AbiParam::new(ir::types::I64));
            Ok(signature)
        })?;
        Ok((callee, params))
    }

    /// The callee and arguments of an indirect call of type `ty` through
    /// `table`: pops the element index (checking the element) and the
    /// arguments, and passes the vmctx and the funcref first.
    fn indirect_call_args(
        &mut self,
        ty: u32,
        table: u32,
    ) -> Result<(ir::FuncRef, Vec<Value>), CompileError> {
        let index = self.pop();
        // The `call_ref` traps on a null reference or one of another type
        // than `ty` (the interpreter's op and native code's call both check
        // the signature id), so the IR checks only the table's bounds.
        let funcref = self.checked_table_get(table, index)?;
        let (callee, params) = self.call_ref_callee(ty)?;
        let mut args = self.call_args(params);
        args.insert(1, funcref);
        Ok((callee, args))
    }

    /// Pops `count` arguments and prepends the vmctx.
    fn call_args(&mut self, count: usize) -> Vec<Value> {
        let mut args = Vec::with_capacity(count + 1);
        args.push(self.vmctx);
        args.extend_from_slice(self.peek(count));
        self.stack.truncate(self.stack.len() - count);
        args
    }
}
