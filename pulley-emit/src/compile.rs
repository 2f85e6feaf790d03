//! The per-module and per-function pipeline.

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::{Context, ir};
use pulley_module::CompiledModule;
use wasmparser::WasmFeatures;

use crate::flavour::FlavourExt;
use crate::parse::{self, BodyToCompile};
use crate::translate::{ModuleEnvironment, TranslationScratch};
use crate::vmctx::VmctxLayout;
use crate::{CompileError, lower};
use pulley_module::Flavour;

/// How to compile.
#[derive(Clone, Debug)]
pub struct Config {
    /// The target flavour.
    pub flavour: Flavour,
    /// Run Cranelift's optimizer.
    pub optimize: bool,
    /// Charge fuel (the `consume_fuel` op) so that execution can be bounded.
    pub fuel: bool,
    /// Code of the baseline tier counts calls and loop iterations toward
    /// tiering up (the `hot_count` op, which only a lazy program runs).
    pub tier_up_counters: bool,
    /// The WebAssembly features to accept.
    pub features: WasmFeatures,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            flavour: Flavour::host(),
            optimize: true,
            fuel: false,
            tier_up_counters: false,
            features: supported_features(),
        }
    }
}

/// The WebAssembly 2.0 features (SIMD included), plus tail calls and
/// relaxed SIMD.
fn supported_features() -> WasmFeatures {
    let mut features = WasmFeatures::WASM2;
    features.insert(WasmFeatures::TAIL_CALL);
    features.insert(WasmFeatures::RELAXED_SIMD);
    features
}

/// Reusable per-thread compilation state.
pub(crate) struct FunctionCompiler {
    isa: OwnedTargetIsa,
    context: Context,
    scratch: TranslationScratch,
    lowering: lower::LoweringBuffers,
    optimize: bool,
}

impl FunctionCompiler {
    pub(crate) fn new(flavour: Flavour, optimize: bool) -> Result<Self, CompileError> {
        Ok(FunctionCompiler {
            isa: flavour.cranelift_isa(optimize)?,
            context: Context::new(),
            scratch: TranslationScratch::default(),
            lowering: lower::LoweringBuffers::default(),
            optimize,
        })
    }

    /// Translates and optimizes function `func` (its on-stack entry at the
    /// loop header at wasm offset `on_stack_header`, if given), leaving the
    /// IR in the context.
    fn translate(
        &mut self,
        env: &ModuleEnvironment<'_>,
        body: BodyToCompile<'_>,
        func: u32,
        on_stack_header: Option<u32>,
    ) -> Result<(), CompileError> {
        self.context.clear();
        self.scratch
            .translate(env, func, body, on_stack_header, &mut self.context.func)?;
        self.context
            .optimize(&*self.isa, &mut ControlPlane::default())
            .map_err(|error| {
                CompileError::Internal(format!("optimizing function {func}: {error:?}"))
            })?;
        if self.optimize {
            self.context.compute_cfg();
            self.context.compute_domtree();
            self.context.compute_loop_analysis();
            crate::hoist::hoist_loop_invariants(
                &mut self.context.func,
                &self.context.domtree,
                &self.context.loop_analysis,
            );
        }
        if on_stack_header.is_some() {
            // An on-stack entry runs code laid out before its header (an
            // enclosing loop's) after code laid out behind it; the lowering
            // wants every value defined before it is used in layout order,
            // as translated functions have it.
            self.context.compute_cfg();
            self.context.compute_domtree();
            lay_out_in_reverse_postorder(&mut self.context.func, &self.context.domtree);
        }
        Ok(())
    }

    /// Compiles function `func` (its on-stack entry at the loop header at
    /// wasm offset `on_stack_header`, if given) down to bytecode.
    pub(crate) fn compile(
        &mut self,
        env: &ModuleEnvironment<'_>,
        body: BodyToCompile<'_>,
        func: u32,
        on_stack_header: Option<u32>,
    ) -> Result<lower::LoweredFunction, CompileError> {
        self.translate(env, body, func, on_stack_header)?;
        self.lowering.lower(env, &self.context.func, func)
    }
}

/// Lays `func`'s blocks out in reverse postorder of its control flow, so
/// that each block comes after its dominators (and every value's definition
/// before its uses). `func` has no unreachable blocks.
fn lay_out_in_reverse_postorder(func: &mut ir::Function, domtree: &DominatorTree) {
    let order: Vec<ir::Block> = domtree.cfg_rpo().copied().collect();
    for block in order {
        let insts: Vec<ir::Inst> = func.layout.block_insts(block).collect();
        for &inst in &insts {
            func.layout.remove_inst(inst);
        }
        func.layout.remove_block(block);
        func.layout.append_block(block);
        for inst in insts {
            func.layout.append_inst(inst, block);
        }
    }
}

/// Compiles a module to Pulley bytecode (in parallel with the `parallel`
/// feature; the output is the same either way).
pub fn compile(wasm: &[u8], config: &Config) -> Result<CompiledModule, CompileError> {
    let parsed = parse::parse(wasm, config.features)?;
    let env = ModuleEnvironment {
        info: &parsed.info,
        layout: VmctxLayout::new(&parsed.info, config.flavour.pointer_bytes()),
        flavour: config.flavour,
        config,
    };
    compile_bodies(&env, parsed.bodies)
}

/// Compiles every defined function of `env`'s module from its body, in
/// order, into a whole module's bytecode.
pub(crate) fn compile_bodies(
    env: &ModuleEnvironment<'_>,
    bodies: Vec<BodyToCompile<'_>>,
) -> Result<CompiledModule, CompileError> {
    let config = env.config;
    let functions: Vec<(u32, BodyToCompile<'_>)> =
        (env.info.imported_functions..).zip(bodies).collect();
    let lowered = map_functions(
        functions,
        || FunctionCompiler::new(config.flavour, config.optimize),
        |compiler, func, body| compiler.compile(env, body, func, None),
    )?;
    let mut module = lower::ModuleEmitter::new(env);
    for function in lowered {
        module.push(function)?;
    }
    Ok(module.finish(env.info.clone()))
}

/// Runs `compile` over every function with a compiler made by `new`, and
/// returns the results in the functions' order. With the `parallel`
/// feature, on rayon's threads with one compiler per thread.
pub(crate) fn map_functions<'a, C, R: Send>(
    functions: Vec<(u32, BodyToCompile<'a>)>,
    new: impl Fn() -> Result<C, CompileError> + Sync + Send,
    compile: impl Fn(&mut C, u32, BodyToCompile<'a>) -> Result<R, CompileError> + Sync + Send,
) -> Result<Vec<R>, CompileError> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        functions
            .into_par_iter()
            .map_init(new, |compiler, (func, body)| match compiler {
                Ok(compiler) => compile(compiler, func, body),
                Err(error) => Err(CompileError::Internal(error.to_string())),
            })
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut compiler = new()?;
        functions
            .into_iter()
            .map(|(func, body)| compile(&mut compiler, func, body))
            .collect()
    }
}

/// The optimized Cranelift IR of function `func` (an index into all
/// functions), as text: for tests and for looking at what the lowering sees.
pub fn compile_function_to_clif(
    wasm: &[u8],
    config: &Config,
    func: u32,
) -> Result<String, CompileError> {
    Ok(compile_function_to_ir(wasm, config, func)?
        .display()
        .to_string())
}

/// The optimized Cranelift IR of function `func` (an index into all
/// functions), for tests that inspect what the lowering will see.
#[doc(hidden)]
pub fn compile_function_to_ir(
    wasm: &[u8],
    config: &Config,
    func: u32,
) -> Result<cranelift_codegen::ir::Function, CompileError> {
    let parsed = parse::parse(wasm, config.features)?;
    let env = ModuleEnvironment {
        info: &parsed.info,
        layout: VmctxLayout::new(&parsed.info, config.flavour.pointer_bytes()),
        flavour: config.flavour,
        config,
    };
    let body = func
        .checked_sub(parsed.info.imported_functions)
        .and_then(|defined| parsed.bodies.into_iter().nth(defined as usize))
        .ok_or_else(|| {
            CompileError::Internal(format!("function {func} is not defined by the module"))
        })?;
    let mut compiler = FunctionCompiler::new(config.flavour, config.optimize)?;
    compiler.translate(&env, body, func, None)?;
    Ok(compiler.context.func.clone())
}
