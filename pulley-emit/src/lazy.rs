//! Compiling one function at a time: a [`LazyModule`] parses the module
//! (and, unless told otherwise, validates every body) up front, keeps the
//! wasm bytes, and translates, optimizes and lowers a function when the
//! runtime asks for it, typically at the function's first call.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use pulley_module::{CheapCompilation, CompiledModule, ModuleInfo};
use wasmparser::{BinaryReader, FuncToValidate, FunctionBody, ValidatorResources};

use crate::compile::{FunctionCompiler, compile_bodies, map_functions};
use crate::parse::{self, BodyToCompile};
use crate::translate::{ModuleEnvironment, TranslationScratch};
use crate::vmctx::VmctxLayout;
use crate::{CompileError, Config};

/// When a [`LazyModule`]'s function bodies are validated.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BodyValidation {
    /// All of them when the module is made, so that an invalid module is
    /// refused before anything runs.
    UpFront,
    /// Each when its function is compiled: an invalid body is an error at
    /// that point, and a body that is never compiled is never checked.
    WhenCompiled,
}

/// Which compiler a function goes through.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Tier {
    /// The single-pass translator from wasm operators to bytecode (see the
    /// `baseline` module): fast to compile, slower code. A function it
    /// cannot translate (the relaxed dot products, more than 256 slots, a
    /// second memory) goes through the optimizing pipeline instead.
    Baseline,
    /// Cranelift's IR, its optimizer and our lowering with regalloc2.
    #[default]
    Optimizing,
}

/// One function compiled on its own: bytecode whose offsets start at its
/// first op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionCode {
    /// The bytecode.
    pub code: Vec<u8>,
    /// Register slots its frame needs.
    pub frame_slots: u32,
    /// Slots its parameters occupy.
    pub params: u32,
    /// Slots its results occupy.
    pub results: u32,
    /// (offset in `code`, wasm offset) of each op that can trap or call.
    pub address_map: Vec<(u32, u32)>,
    /// How it was compiled, where not the usual way.
    pub compiled_cheaply: CheapCompilation,
    /// The tier that compiled it.
    pub tier: Tier,
}

/// A module parsed up front whose functions are compiled one at a time
/// ([`LazyModule::compile_function`]), from any thread.
pub struct LazyModule {
    wasm: Box<[u8]>,
    info: Arc<ModuleInfo>,
    config: Config,
    layout: VmctxLayout,
    /// Each defined function's body: its bytes in `wasm`.
    bodies: Vec<Range<usize>>,
    /// What validates bodies still unchecked (`BodyValidation::WhenCompiled`);
    /// `None` if every body was validated up front.
    validation: Option<Validation>,
    /// Compilers not in use, kept for the next function: making one sets up
    /// a Cranelift target and its buffers.
    idle: Mutex<Vec<FunctionCompiler>>,
}

/// Bytecode size of a function beyond which the compiler that compiled it
/// is not kept for the next one (its buffers grew to that function's
/// size: 100 MB for a 463 KB static initializer of
/// ../shared/bench-wasm-large's `resample`).
const KEEP_COMPILER_BELOW_BYTES: usize = 64 << 10;

/// What a body's validator is made of (wasmparser's `FuncToValidate`).
struct Validation {
    resources: ValidatorResources,
    /// The type of each defined function.
    types: Vec<u32>,
}

impl LazyModule {
    /// Parses and validates `wasm`'s structure; validates its bodies now or
    /// at compilation, as `bodies` says.
    pub fn new(
        wasm: Vec<u8>,
        config: &Config,
        bodies: BodyValidation,
    ) -> Result<LazyModule, CompileError> {
        let (info, ranges, validators) = {
            let parsed = parse::parse(&wasm, config.features)?;
            let ranges = parsed
                .bodies
                .iter()
                .map(|body| {
                    let range = body.body.range();
                    range.start as usize..range.end as usize
                })
                .collect::<Vec<_>>();
            if bodies == BodyValidation::UpFront {
                validate_all(parsed.bodies)?;
                (parsed.info, ranges, None)
            } else {
                let validators: Vec<FuncToValidate<ValidatorResources>> = parsed
                    .bodies
                    .into_iter()
                    .filter_map(|body| body.validator)
                    .collect();
                (parsed.info, ranges, Some(validators))
            }
        };
        // (A module without bodies has nothing left to validate.)
        let validation = validators.and_then(|validators| {
            Some(Validation {
                resources: validators.first()?.resources.clone(),
                types: validators.iter().map(|v| v.ty).collect(),
            })
        });
        let layout = VmctxLayout::new(&info, config.flavour.pointer_bytes());
        Ok(LazyModule {
            wasm: wasm.into_boxed_slice(),
            info: Arc::new(info),
            config: config.clone(),
            layout,
            bodies: ranges,
            validation,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// The module's structure.
    pub fn info(&self) -> &ModuleInfo {
        &self.info
    }

    /// The module's structure, shared: the runtime's module holds it too.
    pub fn shared_info(&self) -> Arc<ModuleInfo> {
        Arc::clone(&self.info)
    }

    /// Compiles defined function `defined` (an index among the module's own
    /// functions, after its imports) with `tier`, or with the optimizing
    /// tier if the baseline tier cannot translate it.
    pub fn compile_function(&self, defined: u32, tier: Tier) -> Result<FunctionCode, CompileError> {
        let mut body = self.body(defined)?;
        let func = self.info.imported_functions + defined;
        if tier == Tier::Baseline {
            // Validated here, once: a body the baseline tier refuses goes on
            // to the optimizing tier without its validator.
            if let Some(validator) = body.validator.take() {
                validator
                    .into_validator(Default::default())
                    .validate(&body.body)?;
            }
            if let Ok(code) = crate::baseline::compile(&self.environment(), &body.body, func) {
                return Ok(code);
            }
        }
        self.optimize(body, func, None)
    }

    /// Compiles defined function `defined`'s on-stack entry at the loop
    /// operator at wasm offset `header`, with the optimizing tier: code that
    /// a frame of the function's baseline code moves into at that loop's
    /// header (on-stack replacement), whose parameters are that frame's
    /// slots there, the locals' and then the operands'. The result's
    /// `params` counts those slots.
    pub fn compile_on_stack_entry(
        &self,
        defined: u32,
        header: u32,
    ) -> Result<FunctionCode, CompileError> {
        let body = self.body(defined)?;
        let func = self.info.imported_functions + defined;
        self.optimize(body, func, Some(header))
    }

    /// Compiles `body`, function `func`'s (its on-stack entry at
    /// `on_stack_header`, if given), with the optimizing tier, on an idle
    /// compiler.
    fn optimize(
        &self,
        body: BodyToCompile<'_>,
        func: u32,
        on_stack_header: Option<u32>,
    ) -> Result<FunctionCode, CompileError> {
        let mut compiler = match self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            Some(compiler) => compiler,
            None => FunctionCompiler::new(self.config.flavour, self.config.optimize)?,
        };
        let compiled = compiler.compile(&self.environment(), body, func, on_stack_header);
        // A compiler's buffers grow to the largest function it compiled and
        // stay so: one that compiled an outlier is dropped, not kept.
        let outlier = compiled
            .as_ref()
            .is_ok_and(|function| function.code_len() > KEEP_COMPILER_BELOW_BYTES);
        if !outlier && let Ok(mut idle) = self.idle.lock() {
            idle.push(compiler);
        }
        Ok(compiled?.into_function_code())
    }

    /// Compiles every function into a whole module's bytecode (to save it
    /// as an artifact).
    pub fn compile_all(&self) -> Result<CompiledModule, CompileError> {
        let count = u32::try_from(self.bodies.len()).unwrap_or(u32::MAX);
        let bodies = (0..count)
            .map(|defined| self.body(defined))
            .collect::<Result<Vec<_>, _>>()?;
        compile_bodies(&self.environment(), bodies)
    }

    fn environment(&self) -> ModuleEnvironment<'_> {
        ModuleEnvironment {
            info: &self.info,
            layout: self.layout,
            flavour: self.config.flavour,
            config: &self.config,
        }
    }

    /// Defined function `defined`'s body, with its validator unless it was
    /// validated up front.
    fn body(&self, defined: u32) -> Result<BodyToCompile<'_>, CompileError> {
        let range = self.bodies.get(defined as usize).cloned().ok_or_else(|| {
            CompileError::Internal(format!("the module defines no function {defined}"))
        })?;
        let reader = BinaryReader::new_features(
            &self.wasm[range.clone()],
            range.start as u64,
            self.config.features,
        );
        let validator = self.validation.as_ref().map(|validation| FuncToValidate {
            resources: validation.resources.clone(),
            index: self.info.imported_functions + defined,
            ty: validation.types[defined as usize],
            features: self.config.features,
        });
        Ok(BodyToCompile {
            body: FunctionBody::new(reader),
            validator,
        })
    }
}

/// Bodies of fewer bytes than this are validated on the calling thread:
/// starting the parallel pool costs more than it saves on them.
const PARALLEL_VALIDATION_BYTES: usize = 128 << 10;

/// Validates every body, in parallel with the `parallel` feature if they are
/// large enough to gain from it.
fn validate_all(bodies: Vec<BodyToCompile<'_>>) -> Result<(), CompileError> {
    let validate = |scratch: &mut TranslationScratch, body: BodyToCompile<'_>| match body.validator
    {
        Some(validator) => scratch.validate(validator, &body.body),
        None => Ok(()),
    };
    let bytes: u64 = bodies
        .iter()
        .map(|body| {
            let range = body.body.range();
            range.end - range.start
        })
        .sum();
    if bytes < PARALLEL_VALIDATION_BYTES as u64 {
        let mut scratch = TranslationScratch::default();
        return bodies
            .into_iter()
            .try_for_each(|body| validate(&mut scratch, body));
    }
    let functions = (0..).zip(bodies).collect();
    map_functions(
        functions,
        || Ok(TranslationScratch::default()),
        |scratch, _, body| validate(scratch, body),
    )?;
    Ok(())
}
