//! wasm -> Cranelift IR: one function at a time, on `cranelift-frontend`'s
//! `FunctionBuilder`, validating each operator before translating it (unless
//! the body was validated before).
//!
//! The translator speaks wasm (an operand stack, locals, structured control)
//! and leaves SSA construction to the builder. Operators reach it through a
//! wasmparser visitor (`visit`): the reader decodes each operator once and
//! calls the visitor's method for it, which runs the function validator's
//! method of the same name (when validating), then the translator's. The
//! visitor is expanded from wasmparser's operator tables, so an operator the
//! translator has no method for does not compile; operators of proposals we
//! do not support are refused there, by name, with
//! [`CompileError::UnsupportedOperator`].
//!
//! The translator's `visit_*` methods live in one module per concern:
//! `control` (blocks, branches, calls), `numeric`, `memory`, `tables`
//! (tables and references), `variables` (locals and globals), `simd`
//! (fixed-width and relaxed SIMD).

/// Defines translator methods that each call one helper returning nothing:
/// `visit_method(parameters) => helper(arguments);`.
macro_rules! operators {
    ($($visit:ident($($param:ident: $ty:ty),*) => $helper:ident($($arg:expr),*);)*) => {$(
        pub(super) fn $visit(&mut self $(, $param: $ty)*) -> Result<(), CompileError> {
            self.$helper($($arg),*);
            Ok(())
        }
    )*};
}

/// Defines translator methods that each call one helper that can fail:
/// `visit_method(parameters) => helper(arguments);`.
macro_rules! fallible_operators {
    ($($visit:ident($($param:ident: $ty:ty),*) => $helper:ident($($arg:expr),*);)*) => {$(
        pub(super) fn $visit(&mut self $(, $param: $ty)*) -> Result<(), CompileError> {
            self.$helper($($arg),*)
        }
    )*};
}

mod control;
mod memory;
mod numeric;
mod simd;
mod tables;
mod variables;
mod visit;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use cranelift_codegen::ir::{
    self, ExtFuncData, ExternalName, FuncRef, InstBuilder, UserExternalName, UserFuncName, Value,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use pulley_module::{Builtin, FuncType, ModuleInfo, ValType};
use wasmparser::{
    FuncToValidate, FuncValidator, FuncValidatorAllocations, FunctionBody, ValidatorResources,
};

use crate::flavour::FlavourExt;
use crate::intrinsics::{self, Intrinsic};
use crate::parse::BodyToCompile;
use crate::vmctx::VmctxLayout;
use crate::{CompileError, Config};
use pulley_module::Flavour;

pub(crate) use control::ControlFrame;

/// What the translator knows about the module.
pub(crate) struct ModuleEnvironment<'a> {
    pub(crate) info: &'a ModuleInfo,
    pub(crate) layout: VmctxLayout,
    pub(crate) flavour: Flavour,
    pub(crate) config: &'a Config,
}

impl ModuleEnvironment<'_> {
    /// The calling convention of wasm functions (tail calls need `Tail`).
    pub(crate) fn call_conv(&self) -> CallConv {
        CallConv::Tail
    }

    /// The CLIF type of a wasm value type.
    pub(crate) fn clif_type(&self, ty: ValType) -> Result<ir::Type, CompileError> {
        Ok(match ty {
            ValType::I32 => ir::types::I32,
            ValType::I64 => ir::types::I64,
            ValType::F32 => ir::types::F32,
            ValType::F64 => ir::types::F64,
            ValType::FuncRef | ValType::ExternRef => ir::types::I64,
            // Every vector on the operand stack is `i8x16`; see `simd`.
            ValType::V128 => ir::types::I8X16,
        })
    }

    /// The CLIF signature of a wasm function type: the vmctx, then the wasm
    /// parameters.
    pub(crate) fn signature(&self, ty: &FuncType) -> Result<ir::Signature, CompileError> {
        let params = ty
            .params
            .iter()
            .map(|&t| self.clif_type(t))
            .collect::<Result<Vec<_>, _>>()?;
        let results = ty
            .results
            .iter()
            .map(|&t| self.clif_type(t))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(intrinsics::signature(
            self.call_conv(),
            self.flavour.pointer_type(),
            &params,
            &results,
        ))
    }

    /// The wasm function type of a type index.
    pub(crate) fn func_type(&self, type_index: u32) -> &FuncType {
        &self.info.types[type_index as usize]
    }
}

/// An on-stack entry being translated: the function's code entered at a
/// loop header from a frame of the baseline tier that is running the loop
/// (on-stack replacement).
///
/// The IR's entry block takes the vmctx, then the frame's values at the
/// header: every local, then the loop's parameters, which is how the
/// baseline tier lays out its slots there. It defines the locals and jumps
/// to the loop's header. The function's own entry becomes a block nothing
/// jumps to, so that the code before the header is dead unless a loop
/// around the header reaches it again, and Cranelift removes the rest.
///
/// Only a loop with no operands below it gets an entry: code after it
/// could be reached both through the entry and, by a branch out of an
/// enclosing loop, without passing the header, so such operands would need
/// a definition on every path (the locals get theirs from the SSA builder).
/// Compilers keep values in locals across loops; the baseline tier asks
/// for entries only at such loops.
struct OnStackEntry {
    /// The wasm offset of the loop operator.
    header: u32,
    /// The IR's entry block; parameters are added at the header.
    entry: ir::Block,
    /// Whether the header was reached.
    placed: bool,
}

/// Translates one function.
pub(crate) struct FuncTranslator<'a, 'f> {
    env: &'a ModuleEnvironment<'a>,
    builder: FunctionBuilder<'f>,
    vmctx: Value,
    locals: Vec<Variable>,
    /// Each local's type.
    local_types: Vec<ir::Type>,
    /// The wasm offset of the operator being translated.
    offset: u32,
    /// The on-stack entry being translated instead of the function's entry.
    on_stack: Option<OnStackEntry>,
    /// The wasm operand stack.
    stack: Vec<Value>,
    control: Vec<ControlFrame>,
    /// Whether the current position can be reached.
    reachable: bool,
    callees: HashMap<(u32, u32), FuncRef>,
    /// Operators since fuel was last charged.
    pending_fuel: u32,
}

/// What translating one function after another reuses: the SSA builder's
/// and the validator's allocations.
#[derive(Default)]
pub(crate) struct TranslationScratch {
    builder_context: FunctionBuilderContext,
    validator_allocations: FuncValidatorAllocations,
}

impl TranslationScratch {
    /// Translates wasm function `func` (an index into all functions) with
    /// body `body` into `function`, validating the body first unless it was
    /// validated already; with `on_stack_header`, its on-stack entry at the
    /// loop operator at that wasm offset (see [`OnStackEntry`]).
    pub(crate) fn translate(
        &mut self,
        env: &ModuleEnvironment<'_>,
        func: u32,
        body: BodyToCompile<'_>,
        on_stack_header: Option<u32>,
        function: &mut ir::Function,
    ) -> Result<(), CompileError> {
        let translated = match body.validator {
            None => translate_function(
                env,
                func,
                &body.body,
                None,
                on_stack_header,
                function,
                &mut self.builder_context,
            ),
            Some(validator) => {
                let allocations = std::mem::take(&mut self.validator_allocations);
                let mut validator = validator.into_validator(allocations);
                let translated = translate_function(
                    env,
                    func,
                    &body.body,
                    Some(&mut validator),
                    on_stack_header,
                    function,
                    &mut self.builder_context,
                );
                self.validator_allocations = validator.into_allocations();
                translated
            }
        };
        if translated.is_err() {
            // A translation that stopped half-way leaves the builder's
            // context in use; the next function needs a clean one.
            self.builder_context = FunctionBuilderContext::new();
        }
        translated
    }

    /// Validates `body` on its own (for modules whose bodies are validated
    /// up front and translated later).
    pub(crate) fn validate(
        &mut self,
        validator: FuncToValidate<ValidatorResources>,
        body: &FunctionBody<'_>,
    ) -> Result<(), CompileError> {
        let allocations = std::mem::take(&mut self.validator_allocations);
        let mut validator = validator.into_validator(allocations);
        validator.validate(body)?;
        self.validator_allocations = validator.into_allocations();
        Ok(())
    }
}

/// Translates wasm function `func` (an index into all functions) with body
/// `body` into `function`, validating the body with `validator` if given;
/// with `on_stack_header`, its on-stack entry at that loop header.
fn translate_function(
    env: &ModuleEnvironment<'_>,
    func: u32,
    body: &FunctionBody<'_>,
    mut validator: Option<&mut FuncValidator<ValidatorResources>>,
    on_stack_header: Option<u32>,
    function: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
) -> Result<(), CompileError> {
    let ty = env
        .info
        .function_type(func)
        .expect("validated function index");
    let defined = func - env.info.imported_functions;
    function.signature = env.signature(ty)?;
    function.name = UserFuncName::user(intrinsics::DEFINED_FUNCTION, defined);

    let mut builder = FunctionBuilder::new(function, builder_context);
    let (vmctx, params, on_stack) = match on_stack_header {
        None => {
            let entry = builder.create_block();
            builder.append_block_params_for_function_params(entry);
            builder.switch_to_block(entry);
            builder.seal_block(entry);
            let vmctx = builder.block_params(entry)[0];
            (vmctx, builder.block_params(entry)[1..].to_vec(), None)
        }
        Some(header) => {
            // The entry comes first in the layout; it is filled at the
            // header.
            let entry = builder.create_block();
            builder.func.layout.append_block(entry);
            let vmctx = builder.append_block_param(entry, env.flavour.pointer_type());
            let own_entry = builder.create_block();
            for &param in &ty.params {
                builder.append_block_param(own_entry, env.clif_type(param)?);
            }
            builder.switch_to_block(own_entry);
            builder.seal_block(own_entry);
            let params = builder.block_params(own_entry).to_vec();
            let on_stack = OnStackEntry {
                header,
                entry,
                placed: false,
            };
            (vmctx, params, Some(on_stack))
        }
    };

    let mut translator = FuncTranslator {
        env,
        builder,
        vmctx,
        locals: Vec::new(),
        local_types: Vec::new(),
        offset: 0,
        on_stack,
        stack: Vec::new(),
        control: Vec::new(),
        reachable: true,
        callees: HashMap::new(),
        pending_fuel: 0,
    };
    for (&ty, value) in ty.params.iter().zip(params) {
        let clif = env.clif_type(ty)?;
        let variable = translator.builder.declare_var(clif);
        translator.builder.def_var(variable, value);
        translator.locals.push(variable);
        translator.local_types.push(clif);
    }
    let mut locals = body.get_locals_reader()?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, ty) = locals.read()?;
        if let Some(validator) = validator.as_deref_mut() {
            validator.define_locals(offset, count, ty)?;
        }
        let ty = crate::parse::value_type(ty)?;
        translator.declare_zeroed_locals(count, ty)?;
    }

    translator.enter_function_body(&ty.results)?;
    let mut reader = body.get_operators_reader()?;
    // Without multi-memory, 2.0 encodes the memory index of `memory.size`
    // and `memory.grow` as one zero byte, which the validator does not check.
    let single_byte_memory_index = validator.is_some()
        && !env
            .config
            .features
            .contains(wasmparser::WasmFeatures::MULTI_MEMORY);
    let mut visitor = visit::OperatorVisitor {
        translator: &mut translator,
        validator,
        memory_index_code: single_byte_memory_index.then(|| (body.as_bytes(), body.range().start)),
        offset: 0,
    };
    while !reader.eof() {
        visitor.offset = reader.original_position();
        reader.visit_operator(&mut visitor)??;
    }
    reader.finish()?;
    debug_assert!(translator.control.is_empty());
    if let Some(on_stack) = &translator.on_stack
        && !on_stack.placed
    {
        return Err(CompileError::NoLoopHeader {
            func,
            header: on_stack.header,
        });
    }
    let frontend_config = TargetFrontendConfig {
        default_call_conv: env.call_conv(),
        pointer_width: if env.flavour.pointer_bytes() == 4 {
            target_lexicon::PointerWidth::U32
        } else {
            target_lexicon::PointerWidth::U64
        },
        page_size_align_log2: 16,
    };
    translator.builder.finalize(frontend_config);
    Ok(())
}

impl FuncTranslator<'_, '_> {
    fn declare_zeroed_locals(&mut self, count: u32, ty: ValType) -> Result<(), CompileError> {
        let clif = self.env.clif_type(ty)?;
        let zero = match ty {
            ValType::F32 => self.builder.ins().f32const(0.0),
            ValType::F64 => self.builder.ins().f64const(0.0),
            ValType::V128 => self.zero_vector(ir::types::I8X16),
            _ => self.builder.ins().iconst(clif, 0),
        };
        for _ in 0..count {
            let variable = self.builder.declare_var(clif);
            self.builder.def_var(variable, zero);
            self.locals.push(variable);
            self.local_types.push(clif);
        }
        Ok(())
    }

    fn pop(&mut self) -> Value {
        self.stack.pop().expect("validated operand stack")
    }

    fn pop2(&mut self) -> (Value, Value) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    fn pop3(&mut self) -> (Value, Value, Value) {
        let c = self.pop();
        let (a, b) = self.pop2();
        (a, b, c)
    }

    fn push(&mut self, value: Value) {
        self.stack.push(value);
    }

    /// The top `count` operands (not popped).
    fn peek(&self, count: usize) -> &[Value] {
        &self.stack[self.stack.len() - count..]
    }

    /// A callee of the given namespace and index, declared once.
    fn callee(
        &mut self,
        namespace: u32,
        index: u32,
        signature: impl FnOnce(&Self) -> Result<ir::Signature, CompileError>,
    ) -> Result<FuncRef, CompileError> {
        if let Some(&callee) = self.callees.get(&(namespace, index)) {
            return Ok(callee);
        }
        let signature = signature(self)?;
        let signature = self.builder.import_signature(signature);
        let name = self
            .builder
            .func
            .declare_imported_user_function(UserExternalName::new(namespace, index));
        let callee = self.builder.import_function(ExtFuncData {
            name: ExternalName::user(name),
            signature,
            colocated: true,
            patchable: false,
        });
        self.callees.insert((namespace, index), callee);
        Ok(callee)
    }

    /// Calls an intrinsic with the vmctx and `args`; returns its results.
    fn call_intrinsic(
        &mut self,
        intrinsic: Intrinsic,
        index: u32,
        args: &[Value],
    ) -> Result<Vec<Value>, CompileError> {
        let call_conv = self.env.call_conv();
        let pointer = self.env.flavour.pointer_type();
        let callee = self.callee(intrinsic as u32, index, |_| {
            Ok(intrinsic.signature(call_conv, pointer))
        })?;
        let mut all = vec![self.vmctx];
        all.extend_from_slice(args);
        let call = self.builder.ins().call(callee, &all);
        Ok(self.builder.inst_results(call).to_vec())
    }

    /// Calls a builtin with the vmctx and `args`; returns its results.
    fn call_builtin(
        &mut self,
        builtin: Builtin,
        args: &[Value],
    ) -> Result<Vec<Value>, CompileError> {
        self.charge_fuel();
        let call_conv = self.env.call_conv();
        let pointer = self.env.flavour.pointer_type();
        let callee = self.callee(intrinsics::BUILTIN, builtin as u32, |_| {
            Ok(intrinsics::builtin_signature(builtin, call_conv, pointer))
        })?;
        let mut all = vec![self.vmctx];
        all.extend_from_slice(args);
        let call = self.builder.ins().call(callee, &all);
        Ok(self.builder.inst_results(call).to_vec())
    }

    /// An `i32` constant.
    fn i32_const(&mut self, value: u32) -> Value {
        self.builder.ins().iconst(ir::types::I32, i64::from(value))
    }

    /// Charges the fuel of the operators since the last charge, if fuel is on.
    fn charge_fuel(&mut self) {
        if self.env.config.fuel && self.pending_fuel > 0 {
            let amount = std::mem::take(&mut self.pending_fuel);
            // `consume_fuel` has no results; its signature cannot fail.
            let _ = self.call_intrinsic(Intrinsic::ConsumeFuel, amount, &[]);
        }
    }
}
