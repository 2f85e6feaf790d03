//! Native code (feature `native`): the same translated IR, legalized for
//! running without signal handlers ([`legalize`]), compiled by Cranelift for
//! the host CPU, and linked into one position-independent block of machine
//! code ([`link`]).
//!
//! This module produces bytes; it never maps them executable. The runtime
//! does, and implements the host side of [`abi`].

pub mod abi;
mod legalize;
mod link;

use cranelift_codegen::Context;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{AbiParam, InstBuilder, Signature, Type, UserFuncName};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use pulley_module::{Flavour, FuncType, ModuleInfo};
use wasmparser::{Validator, WasmFeatures};

use crate::compile::map_functions;
use crate::flavour::FlavourExt;
use crate::parse::{self, BodyToCompile};
use crate::translate::{ModuleEnvironment, TranslationScratch};
use crate::vmctx::VmctxLayout;
use crate::{CompileError, Config};

/// A module compiled to host machine code.
#[derive(Clone, Debug)]
pub struct NativeModule {
    /// What the module declares.
    pub info: ModuleInfo,
    /// The vmctx layout the code expects.
    pub layout: VmctxLayout,
    /// Every defined function and trampoline, linked: position-independent,
    /// to be mapped executable at any 16-byte-aligned address.
    pub code: Vec<u8>,
    /// Offset in `code` of each defined function (wasm calling convention).
    pub functions: Vec<u32>,
    /// Offset in `code` of the entry trampoline of each type index: a host C
    /// ABI function `fn(vmctx, code: *const u8, values: *mut u64)` that calls
    /// `code` with the arguments in `values` and leaves the results there
    /// (one 64-bit word each).
    pub trampolines: Vec<u32>,
}

/// One compiled function: its machine code and the calls it makes to other
/// functions of the module.
struct CompiledFunction {
    code: Vec<u8>,
    calls: Vec<link::Call>,
}

/// Compiles `wasm` for the host CPU (functions in parallel with the
/// `parallel` feature). `config.flavour` is ignored: native code is for the
/// host.
///
/// Native code does not run v128 values yet (its entry trampolines and host
/// calls pass one 64-bit word per value), so modules are validated without
/// SIMD: one that is valid only with SIMD gets [`CompileError::Unsupported`].
pub fn compile_native(wasm: &[u8], config: &Config) -> Result<NativeModule, CompileError> {
    let simd = WasmFeatures::SIMD | WasmFeatures::RELAXED_SIMD;
    let without_simd = Config {
        features: config.features - simd,
        ..config.clone()
    };
    match compile_native_without_simd(wasm, &without_simd) {
        Err(CompileError::Invalid { offset, .. }) if config.features.intersects(simd) => {
            // Invalid as it stands, or only for want of SIMD?
            Validator::new_with_features(config.features).validate_all(wasm)?;
            Err(CompileError::Unsupported(format!(
                "native code does not run SIMD (v128 use at offset {offset:#x}); \
                 run this module in the interpreter"
            )))
        }
        result => result,
    }
}

fn compile_native_without_simd(wasm: &[u8], config: &Config) -> Result<NativeModule, CompileError> {
    let parsed = parse::parse(wasm, config.features)?;
    let flavour = Flavour::host();
    let config = Config {
        flavour,
        ..config.clone()
    };
    let env = ModuleEnvironment {
        info: &parsed.info,
        layout: VmctxLayout::new(&parsed.info, flavour.pointer_bytes()),
        flavour,
        config: &config,
    };
    let mut compiler = NativeCompiler::new(config.optimize)?;
    if compiler.isa.pointer_type() != flavour.pointer_type() {
        return Err(CompileError::Unsupported(
            "native code on a host whose pointer width differs from its Pulley flavour".into(),
        ));
    }
    let bodies = (parsed.info.imported_functions..)
        .zip(parsed.bodies)
        .collect();
    let functions = map_functions(
        bodies,
        || NativeCompiler::new(config.optimize),
        |compiler, func, body| compiler.function(&env, body, func),
    )?;
    let trampolines = parsed
        .info
        .types
        .iter()
        .map(|ty| compiler.trampoline(&env, ty))
        .collect::<Result<Vec<_>, _>>()?;
    let linked = link::link(compiler.isa.triple().architecture, functions, trampolines)?;
    Ok(NativeModule {
        info: parsed.info.clone(),
        layout: env.layout,
        code: linked.code,
        functions: linked.functions,
        trampolines: linked.trampolines,
    })
}

/// Cranelift for the host CPU, with the features it detects.
fn host_isa(optimize: bool) -> Result<OwnedTargetIsa, CompileError> {
    let builder = cranelift_native::builder()
        .map_err(|error| CompileError::Unsupported(format!("native code on this host: {error}")))?;
    let mut flags = settings::builder();
    let settings = [
        ("opt_level", if optimize { "speed" } else { "none" }),
        (
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        ),
        // Functions with more results than the ABI has return registers
        // return the rest through a hidden area (found by fuzzing).
        ("enable_multi_ret_implicit_sret", "true"),
        // Cranelift's tail calls (`return_call_indirect`) rely on them.
        ("preserve_frame_pointers", "true"),
        // Large frames probe the stack page by page, inline (no libcall).
        ("enable_probestack", "true"),
        ("probestack_strategy", "inline"),
    ];
    for (name, value) in settings {
        flags.set(name, value).map_err(|error| {
            CompileError::Internal(format!("cranelift setting {name}={value}: {error}"))
        })?;
    }
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|error| CompileError::Internal(format!("Cranelift for the host: {error}")))
}

/// Reusable compilation state.
struct NativeCompiler {
    isa: OwnedTargetIsa,
    context: Context,
    scratch: TranslationScratch,
}

impl NativeCompiler {
    fn new(optimize: bool) -> Result<NativeCompiler, CompileError> {
        Ok(NativeCompiler {
            isa: host_isa(optimize)?,
            context: Context::new(),
            scratch: TranslationScratch::default(),
        })
    }

    /// Translates, legalizes and compiles function `func`.
    fn function(
        &mut self,
        env: &ModuleEnvironment<'_>,
        body: BodyToCompile<'_>,
        func: u32,
    ) -> Result<CompiledFunction, CompileError> {
        self.context.clear();
        self.scratch
            .translate(env, func, body, None, &mut self.context.func)?;
        let host_call_conv = self.host_call_conv();
        legalize::legalize(
            &mut self.context.func,
            &env.layout,
            host_call_conv,
            self.isa.pointer_type(),
        )?;
        self.compile(&format!("function {func}"))
    }

    /// Builds and compiles the entry trampoline of type `ty`.
    fn trampoline(
        &mut self,
        env: &ModuleEnvironment<'_>,
        ty: &FuncType,
    ) -> Result<CompiledFunction, CompileError> {
        self.context.clear();
        let pointer = self.isa.pointer_type();
        let host_call_conv = self.host_call_conv();
        let func = &mut self.context.func;
        func.signature = Signature::new(host_call_conv);
        func.signature
            .params
            .extend([pointer, pointer, pointer].map(AbiParam::new));
        func.name = UserFuncName::testcase("trampoline");
        let wasm_signature = env.signature(ty)?;
        let param_types: Vec<Type> = wasm_signature.params[1..]
            .iter()
            .map(|p| p.value_type)
            .collect();
        let wasm_signature = func.import_signature(wasm_signature);
        let entry = func.dfg.make_block();
        func.layout.append_block(entry);
        let [vmctx, code, values] = [pointer; 3].map(|ty| func.dfg.append_block_param(entry, ty));
        let mut pos = FuncCursor::new(func).at_bottom(entry);
        let mut args = vec![vmctx];
        args.extend(legalize::load_words(&mut pos, values, &param_types));
        let call = pos.ins().call_indirect(wasm_signature, code, &args);
        let results = pos.func.dfg.inst_results(call).to_vec();
        legalize::store_words(&mut pos, values, &results);
        pos.ins().return_(&[]);
        self.compile("a trampoline")
    }

    /// Compiles the function in the context.
    fn compile(&mut self, what: &str) -> Result<CompiledFunction, CompileError> {
        let compiled = self
            .context
            .compile(&*self.isa, &mut ControlPlane::default())
            .map_err(|error| {
                CompileError::Internal(format!("compiling {what} for the host: {:?}", error.inner))
            })?;
        let code = compiled.code_buffer().to_vec();
        let relocs = compiled.buffer.relocs().to_vec();
        let calls = link::calls(&self.context.func, &relocs)?;
        Ok(CompiledFunction { code, calls })
    }

    /// The host's C calling convention.
    fn host_call_conv(&self) -> CallConv {
        CallConv::triple_default(self.isa.triple())
    }
}
