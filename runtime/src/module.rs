//! Modules: compiled from wasm (or text), or loaded from an artifact.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use pulley_interp::{
    Claims, EnvironmentShape, FunctionInfo, GlobalShape, Program, ProgramCode, Signature, SlotKind,
    Verification,
};
use pulley_module::{
    ArtifactHeader, Builtin, BuiltinType, CodeFeatures, CompiledModule, ExportKind, Flavour,
    FuncType, GlobalType, ImportKind, MemoryType, ModuleInfo, TableType, ValType,
};

#[cfg(feature = "compiler")]
use crate::engine::CompilationMode;
use crate::engine::Engine;
use crate::{IncompatibleArtifact, LimitError, Result};

/// The largest input, in bytes, that [`Module::new`], [`Module::from_binary`]
/// and [`Module::deserialize`] accept: a wasm binary, its text, or an
/// artifact. Larger input is a [`LimitError::ModuleSize`], and the `pulley`
/// command reads no more than this of any file.
///
/// 1 GiB, the limit wasmparser puts on a component: far above real modules
/// (the largest, with debug information, are hundreds of MB) and below the
/// 4 GiB that bytecode offsets address, so that input that never ends
/// (`/dev/zero`) is refused before it exhausts memory.
pub const MAX_MODULE_BYTES: usize = 1 << 30;

/// A compiled module, ready to instantiate. Cheap to clone.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

pub(crate) struct ModuleInner {
    pub(crate) engine: Engine,
    pub(crate) compiled: CompiledModule,
    pub(crate) program: Arc<Program>,
    pub(crate) flavour: Flavour,
    pub(crate) features: CodeFeatures,
    /// Every function type, shared with the store's functions.
    pub(crate) types: Vec<Arc<FuncType>>,
    /// Machine code, for a module compiled natively (its bytecode is empty).
    #[cfg(feature = "native")]
    pub(crate) native: Option<crate::native::code::NativeCode>,
    /// For a module whose functions compile at their first call: their
    /// compiler (`compiled` then holds only the module's structure).
    #[cfg(feature = "compiler")]
    pub(crate) lazy: Option<crate::lazy::LazyFunctions>,
}

impl core::fmt::Debug for Module {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}

/// The type of an import or export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    /// A function.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// An import of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportType {
    /// The module name.
    pub module: String,
    /// The field name.
    pub name: String,
    /// What is imported.
    pub ty: ExternType,
}

/// An export of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportType {
    /// The export name.
    pub name: String,
    /// What is exported.
    pub ty: ExternType,
}

impl Module {
    /// Compiles a module from the binary or text format, or loads an artifact
    /// (recognized by its magic bytes).
    #[cfg(feature = "compiler")]
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let bytes = bytes.as_ref();
        check_size(bytes)?;
        if bytes.starts_with(&pulley_module::MAGIC) {
            return Module::deserialize(engine, bytes);
        }
        #[cfg(feature = "wat")]
        {
            let wasm = wat::parse_bytes(bytes)
                .map_err(|error| crate::Error::Wat(alloc::string::ToString::to_string(&error)))?;
            Module::from_binary(engine, &wasm)
        }
        #[cfg(not(feature = "wat"))]
        Module::from_binary(engine, bytes)
    }

    /// Compiles a module from the binary format.
    #[cfg(feature = "compiler")]
    pub fn from_binary(engine: &Engine, wasm: &[u8]) -> Result<Module> {
        Module::from_binary_bytes(engine, alloc::borrow::Cow::Borrowed(wasm))
    }

    /// As [`Module::from_binary`], taking the bytes: a lazily compiled
    /// module keeps them (to compile functions from) without a copy, so
    /// that they are in memory once, not twice, while the module is made.
    #[cfg(feature = "compiler")]
    pub fn from_binary_vec(engine: &Engine, wasm: Vec<u8>) -> Result<Module> {
        Module::from_binary_bytes(engine, alloc::borrow::Cow::Owned(wasm))
    }

    #[cfg(feature = "compiler")]
    fn from_binary_bytes(engine: &Engine, bytes: alloc::borrow::Cow<'_, [u8]>) -> Result<Module> {
        let wasm: &[u8] = &bytes;
        check_size(wasm)?;
        let config = engine.config();
        #[cfg(feature = "native")]
        if config.get_native() {
            return Module::from_binary_native(engine, wasm);
        }
        // Baseline code counts toward tiering up if there is a threshold.
        let tier_up_threshold = match config.get_first_tier() {
            crate::FirstTier::Baseline => config.get_tier_up_threshold(),
            crate::FirstTier::Optimizing => None,
        };
        let compile_config = pulley_emit::Config {
            flavour: config.get_target(),
            optimize: config.get_optimize(),
            fuel: config.get_consume_fuel(),
            tier_up_counters: tier_up_threshold.is_some(),
            ..pulley_emit::Config::default()
        };
        let features = CodeFeatures {
            fuel: config.get_consume_fuel(),
        };
        let bodies = match config.get_compilation_mode() {
            // Code for another flavour cannot run here: it is made to be
            // serialized, which needs all of it.
            _ if config.get_target() != Flavour::host() => None,
            CompilationMode::Eager => None,
            CompilationMode::LazyTranslation => Some(pulley_emit::BodyValidation::UpFront),
            CompilationMode::Lazy => Some(pulley_emit::BodyValidation::WhenCompiled),
        };
        let Some(bodies) = bodies else {
            let compiled = pulley_emit::compile(wasm, &compile_config)?;
            return Module::from_compiled(
                engine,
                compiled,
                config.get_target(),
                features,
                Verification::UpFront,
            );
        };
        let compiler = pulley_emit::LazyModule::new(bytes.into_owned(), &compile_config, bodies)?;
        let info = compiler.shared_info();
        let shape = environment_shape(&info);
        let mut program = Program::lazy(
            &info.functions[info.imported_functions as usize..],
            shape,
            Claims {
                charges_fuel: features.fuel,
            },
        )?;
        if let Some(threshold) = tier_up_threshold {
            program.set_tier_up_threshold(threshold);
        }
        let compiled = CompiledModule {
            info,
            code: Vec::new(),
            functions: Vec::new(),
            address_map: Vec::new(),
        };
        Ok(Module::with_program(
            engine,
            compiled,
            program,
            Flavour::host(),
            features,
            Some(crate::lazy::LazyFunctions::new(
                compiler,
                config.get_first_tier(),
            )),
        ))
    }

    /// Compiles `wasm` to host machine code.
    #[cfg(feature = "native")]
    fn from_binary_native(engine: &Engine, wasm: &[u8]) -> Result<Module> {
        let config = engine.config();
        let compile_config = pulley_emit::Config {
            optimize: config.get_optimize(),
            fuel: config.get_consume_fuel(),
            ..pulley_emit::Config::default()
        };
        let native = pulley_emit::native::compile_native(wasm, &compile_config)?;
        let code = crate::native::code::NativeCode::new(&native)?;
        let compiled = CompiledModule {
            info: native.info.into(),
            code: Vec::new(),
            functions: Vec::new(),
            address_map: Vec::new(),
        };
        let features = CodeFeatures {
            fuel: config.get_consume_fuel(),
        };
        let mut module = Module::from_compiled(
            engine,
            compiled,
            Flavour::host(),
            features,
            Verification::UpFront,
        )?;
        Arc::get_mut(&mut module.inner)
            .expect("a module just made is not shared")
            .native = Some(code);
        Ok(module)
    }

    /// Loads a module from an artifact made by [`Module::serialize`].
    ///
    /// This is safe: a corrupt or foreign artifact is an error. The header
    /// must match this build's opcode table, the host's flavour and the
    /// engine's features; the payload must be intact; and every function's
    /// bytecode must pass the verifier (`docs/security.md`). With
    /// [`CompilationMode::Eager`](crate::CompilationMode) every function is
    /// verified here; in the lazy modes (the default) the function table and
    /// code ranges are checked here and each function's code at its first
    /// call, so that loading costs little more than reading the artifact: a
    /// function that fails is then an [`Error::Verify`](crate::Error) from
    /// that call, and never runs.
    pub fn deserialize(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let header = load_header(engine, bytes)?;
        let mut compiled = pulley_module::decode_payload(bytes)?;
        let code = core::mem::take(&mut compiled.code);
        Module::with_code(engine, compiled, code.into(), &header)
    }

    /// Loads a module from an artifact in memory that outlives it, such as
    /// one in a microcontroller's flash or `include_bytes!`, as
    /// [`Module::deserialize`] does, but runs its bytecode where it lies,
    /// without copying it.
    pub fn deserialize_static(engine: &Engine, bytes: &'static [u8]) -> Result<Module> {
        let header = load_header(engine, bytes)?;
        let (compiled, code) = pulley_module::decode_payload_in_place(bytes)?;
        Module::with_code(engine, compiled, ProgramCode::Static(&bytes[code]), &header)
    }

    /// A module of an artifact's decoded parts, verified as the engine's
    /// compilation mode says.
    fn with_code(
        engine: &Engine,
        compiled: CompiledModule,
        code: ProgramCode,
        header: &ArtifactHeader,
    ) -> Result<Module> {
        let verification = match engine.config().get_compilation_mode() {
            crate::CompilationMode::Eager => Verification::UpFront,
            crate::CompilationMode::LazyTranslation | crate::CompilationMode::Lazy => {
                Verification::AtFirstCall
            }
        };
        Module::from_parts(
            engine,
            compiled,
            code,
            header.flavour,
            header.features,
            verification,
        )
    }

    /// A module of compiled code, whose bytecode goes to its program.
    #[cfg(feature = "compiler")]
    fn from_compiled(
        engine: &Engine,
        mut compiled: CompiledModule,
        flavour: Flavour,
        features: CodeFeatures,
        verification: Verification,
    ) -> Result<Module> {
        let code = core::mem::take(&mut compiled.code);
        Module::from_parts(
            engine,
            compiled,
            code.into(),
            flavour,
            features,
            verification,
        )
    }

    /// A module of `compiled` (whose `code` is empty) and its bytecode.
    fn from_parts(
        engine: &Engine,
        compiled: CompiledModule,
        code: ProgramCode,
        flavour: Flavour,
        features: CodeFeatures,
        verification: Verification,
    ) -> Result<Module> {
        let info = &compiled.info;
        let shape = environment_shape(info);
        let imported = info.imported_functions as usize;
        let functions = compiled
            .functions
            .iter()
            .zip(&info.functions[imported..])
            .map(|(f, &ty)| FunctionInfo {
                ty,
                code_start: f.code_start,
                code_end: f.code_end,
                frame_slots: f.frame_slots,
                params: f.params,
                results: f.results,
            })
            .collect();
        let claims = Claims {
            charges_fuel: features.fuel,
        };
        let program = Program::with_code(code, functions, shape, claims, verification)?;
        Ok(Module::with_program(
            engine,
            compiled,
            program,
            flavour,
            features,
            #[cfg(feature = "compiler")]
            None,
        ))
    }

    /// The module of `program` and its structure `compiled`; `lazy`
    /// compiles its functions if they arrive at their first call.
    fn with_program(
        engine: &Engine,
        compiled: CompiledModule,
        program: Program,
        flavour: Flavour,
        features: CodeFeatures,
        #[cfg(feature = "compiler")] lazy: Option<crate::lazy::LazyFunctions>,
    ) -> Module {
        let types = compiled.info.types.iter().cloned().map(Arc::new).collect();
        Module {
            inner: Arc::new(ModuleInner {
                engine: engine.clone(),
                compiled,
                program: Arc::new(program),
                flavour,
                features,
                types,
                #[cfg(feature = "native")]
                native: None,
                #[cfg(feature = "compiler")]
                lazy,
            }),
        }
    }

    /// The artifact bytes of this module, loadable with [`Module::deserialize`]
    /// on a host of the flavour it was compiled for. Fails for a module
    /// compiled to machine code ([`Config::native`](crate::Config)).
    pub fn serialize(&self) -> Result<Vec<u8>> {
        #[cfg(feature = "native")]
        if self.inner.native.is_some() {
            return Err(crate::UsageError::NativeNotSerializable.into());
        }
        let header = ArtifactHeader {
            isa_hash: pulley_isa::ISA_HASH,
            flavour: self.inner.flavour,
            features: self.inner.features,
        };
        #[cfg(feature = "compiler")]
        if let Some(lazy) = &self.inner.lazy {
            return Ok(pulley_module::encode(&lazy.compile_all()?, &header));
        }
        Ok(pulley_module::encode(&self.compiled(), &header))
    }

    /// Whether the module's functions compile at their first call
    /// ([`CompilationMode`](crate::CompilationMode)).
    pub fn is_lazy(&self) -> bool {
        #[cfg(feature = "compiler")]
        return self.inner.lazy.is_some();
        #[cfg(not(feature = "compiler"))]
        false
    }

    /// How many of the module's own functions are compiled: all of them but
    /// for a lazy module, whose functions compile at their first call.
    pub fn compiled_functions(&self) -> usize {
        #[cfg(feature = "compiler")]
        if let Some(lazy) = &self.inner.lazy {
            return lazy.compiled_count();
        }
        self.inner.compiled.info.defined_functions() as usize
    }

    /// The name the name section gives function `func` (an index among all
    /// functions), if any.
    pub fn function_name(&self, func: u32) -> Option<&str> {
        self.inner.compiled.info.function_name(func)
    }

    /// What a lazy module compiled so far, by tier, with compile times;
    /// `None` for a module compiled in full up front.
    #[cfg(feature = "compiler")]
    pub fn compilation_stats(&self) -> Option<crate::CompilationStats> {
        Some(self.inner.lazy.as_ref()?.stats())
    }

    /// The wasm offset of `code_offset` in defined function `defined`'s
    /// code `version`: that of the last op at or before it that can trap or
    /// call.
    pub(crate) fn wasm_offset(
        &self,
        defined: u32,
        code_offset: usize,
        version: pulley_interp::CodeVersion,
    ) -> Option<u32> {
        #[cfg(feature = "compiler")]
        if let Some(lazy) = &self.inner.lazy {
            return lazy.wasm_offset(defined, code_offset, version);
        }
        let _ = version;
        let compiled = &self.inner.compiled;
        let function = compiled.functions.get(defined as usize)?;
        let offset = (function.code_start as usize).checked_add(code_offset)?;
        if offset >= function.code_end as usize {
            return None;
        }
        compiled.wasm_offset(offset)
    }

    /// The module's name from its name section.
    pub fn name(&self) -> Option<&str> {
        self.inner.compiled.info.name.as_deref()
    }

    /// The engine that made it.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The flavour it was compiled for.
    pub fn flavour(&self) -> Flavour {
        self.inner.flavour
    }

    /// The compiled form, copied: module structure, bytecode, address map.
    /// A module whose functions compile at their first call
    /// ([`Module::is_lazy`] and no bytecode yet) has only its structure
    /// here.
    pub fn compiled(&self) -> CompiledModule {
        CompiledModule {
            code: self.inner.program.code().to_vec(),
            ..self.inner.compiled.clone()
        }
    }

    /// The bytecode the interpreter runs: the module's own, or the caller's
    /// buffer for a module from [`Module::deserialize_static`]. Empty for a
    /// module whose functions compile at their first call.
    pub fn bytecode(&self) -> &[u8] {
        self.inner.program.code()
    }

    /// The imports, in order.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ImportType> + '_ {
        let info = &self.inner.compiled.info;
        info.imports.iter().map(move |import| ImportType {
            module: import.module.clone(),
            name: import.name.clone(),
            ty: match &import.kind {
                ImportKind::Func(ty) => ExternType::Func(info.types[*ty as usize].clone()),
                ImportKind::Table(table) => ExternType::Table(*table),
                ImportKind::Memory(memory) => ExternType::Memory(*memory),
                ImportKind::Global(global) => ExternType::Global(*global),
            },
        })
    }

    /// The exports, in order.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = ExportType> + '_ {
        let info = &self.inner.compiled.info;
        info.exports.iter().map(move |export| ExportType {
            name: export.name.clone(),
            ty: match export.kind {
                ExportKind::Func(f) => {
                    ExternType::Func(info.function_type(f).cloned().unwrap_or_default())
                }
                ExportKind::Table(t) => ExternType::Table(info.tables[t as usize]),
                ExportKind::Memory(m) => ExternType::Memory(info.memories[m as usize]),
                ExportKind::Global(g) => ExternType::Global(info.globals[g as usize]),
            },
        })
    }

    /// Fails unless this host can run the module's code.
    pub(crate) fn check_runnable(&self) -> Result<()> {
        if self.inner.flavour != Flavour::host() {
            return Err(IncompatibleArtifact::Flavour {
                module: self.inner.flavour,
                host: Flavour::host(),
            }
            .into());
        }
        Ok(())
    }
}

/// Reads an artifact's header and checks it against this build, host and
/// engine.
fn load_header(engine: &Engine, bytes: &[u8]) -> Result<ArtifactHeader> {
    check_size(bytes)?;
    let header = pulley_module::decode_header(bytes)?;
    check_header(engine, &header)?;
    Ok(header)
}

/// Checks an artifact header against this build, host and engine.
/// What the verifier needs to know of the module's entities: their types,
/// as the slot kinds the bytecode must respect.
fn environment_shape(info: &ModuleInfo) -> EnvironmentShape {
    let signature = |params: &[ValType], results: &[ValType]| Signature {
        params: slot_kinds(params),
        results: slot_kinds(results),
    };
    EnvironmentShape {
        types: info
            .types
            .iter()
            .map(|ty| signature(&ty.params, &ty.results))
            .collect(),
        imports: info.functions[..info.imported_functions as usize].to_vec(),
        globals: info
            .globals
            .iter()
            .map(|global| GlobalShape {
                scalar: (global.ty != ValType::V128).then(|| slot_kind(global.ty)),
                mutable: global.mutable,
            })
            .collect(),
        tables: info.tables.iter().map(|t| slot_kind(t.element)).collect(),
        func_refs: info.functions.len() as u32,
        builtins: (0..)
            .map_while(Builtin::from_index)
            .map(|builtin| {
                let kinds = |types: &[BuiltinType]| {
                    types
                        .iter()
                        .map(|ty| match ty {
                            BuiltinType::I32 => SlotKind::Number,
                            BuiltinType::FuncRef => SlotKind::FuncRef,
                            BuiltinType::ExternRef => SlotKind::ExternRef,
                        })
                        .collect()
                };
                Signature {
                    params: kinds(builtin.params()),
                    results: kinds(builtin.results()),
                }
            })
            .collect(),
    }
}

/// The kind of the slots a value of type `ty` occupies.
fn slot_kind(ty: ValType) -> SlotKind {
    match ty {
        ValType::FuncRef => SlotKind::FuncRef,
        ValType::ExternRef => SlotKind::ExternRef,
        _ => SlotKind::Number,
    }
}

/// The slots of a list of values, by kind (a v128 takes two).
fn slot_kinds(types: &[ValType]) -> Vec<SlotKind> {
    types
        .iter()
        .flat_map(|&ty| core::iter::repeat_n(slot_kind(ty), ty.slots() as usize))
        .collect()
}

/// Refuses input larger than [`MAX_MODULE_BYTES`].
fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.len() > MAX_MODULE_BYTES {
        return Err(LimitError::ModuleSize {
            bytes: bytes.len(),
            maximum: MAX_MODULE_BYTES,
        }
        .into());
    }
    Ok(())
}

fn check_header(engine: &Engine, header: &ArtifactHeader) -> Result<()> {
    if header.isa_hash != pulley_isa::ISA_HASH {
        return Err(IncompatibleArtifact::IsaHash {
            artifact: header.isa_hash,
            build: pulley_isa::ISA_HASH,
        }
        .into());
    }
    if header.flavour != Flavour::host() {
        return Err(IncompatibleArtifact::Flavour {
            module: header.flavour,
            host: Flavour::host(),
        }
        .into());
    }
    let fuel = engine.config().get_consume_fuel();
    if header.features.fuel != fuel {
        return Err(IncompatibleArtifact::Fuel {
            artifact: header.features.fuel,
            engine: fuel,
        }
        .into());
    }
    Ok(())
}
