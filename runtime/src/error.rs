//! Errors and traps.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use pulley_module::Escaped;

/// Why an operation of the runtime failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The module could not be compiled (invalid or unsupported wasm).
    #[cfg(feature = "compiler")]
    #[error(transparent)]
    Compile(#[from] pulley_emit::CompileError),
    /// The text format could not be parsed.
    #[cfg(feature = "wat")]
    #[error("{0}")]
    Wat(String),
    /// The bytes are not a valid artifact.
    #[error(transparent)]
    Artifact(#[from] pulley_module::ArtifactError),
    /// A valid artifact, but not for this engine: another ISA, flavour or
    /// feature set.
    #[error("incompatible artifact: {0}")]
    Incompatible(IncompatibleArtifact),
    /// Bytecode (of an artifact, or compiled) failed the interpreter's
    /// verifier: corrupt, or using ops this build leaves out (SIMD without
    /// the `simd` feature).
    #[error("bytecode rejected: {0}")]
    Verify(pulley_interp::VerifyError),
    /// Imports could not be satisfied.
    #[error(transparent)]
    Link(#[from] LinkError),
    /// Execution trapped.
    #[error(transparent)]
    Trap(#[from] Trap),
    /// The API was used wrongly (wrong argument count or type, an object
    /// from another store, ...).
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// A limit was exceeded (memory, table or instance size).
    #[error(transparent)]
    ResourceLimit(#[from] LimitError),
    /// The interpreter refused a call or resumption: a bug in the runtime,
    /// never a property of the module.
    #[error("interpreter: {0}")]
    Interpreter(pulley_interp::CallError),
    /// Native code could not be set up (`native` feature).
    #[cfg(feature = "native")]
    #[error(transparent)]
    Native(#[from] NativeError),
}

// These variants print their cause in their own message, so they do not
// also report it as `source()`: a chain printer (anyhow's `{:#}`) would
// print it twice.
impl From<IncompatibleArtifact> for Error {
    fn from(error: IncompatibleArtifact) -> Self {
        Error::Incompatible(error)
    }
}

impl From<pulley_interp::VerifyError> for Error {
    fn from(error: pulley_interp::VerifyError) -> Self {
        Error::Verify(error)
    }
}

impl From<pulley_interp::CallError> for Error {
    fn from(error: pulley_interp::CallError) -> Self {
        Error::Interpreter(error)
    }
}

impl Error {
    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(trap) => Some(trap),
            _ => None,
        }
    }
}

/// Why a valid artifact cannot run on this engine.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IncompatibleArtifact {
    /// Compiled for another pointer width or byte order.
    #[error("the module was compiled for {module}, but this host is {host}")]
    Flavour {
        /// The artifact's flavour.
        module: pulley_module::Flavour,
        /// This host's.
        host: pulley_module::Flavour,
    },
    /// Compiled against another opcode table.
    #[error(
        "the artifact's opcode table (ISA hash {artifact:#018x}) differs from this build's ({build:#018x}); recompile it"
    )]
    IsaHash {
        /// The artifact's ISA hash.
        artifact: u64,
        /// This build's.
        build: u64,
    },
    /// Compiled with fuel metering and the engine has none, or the reverse.
    #[error(
        "the artifact was compiled {}, but the engine has fuel {}",
        if *.artifact { "with fuel" } else { "without fuel" },
        if *.engine { "enabled" } else { "disabled" }
    )]
    Fuel {
        /// Whether the artifact charges fuel.
        artifact: bool,
        /// Whether the engine meters fuel.
        engine: bool,
    },
}

/// Why imports could not be satisfied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// A linker definition was given twice.
    #[error("{}.{} is defined twice", Escaped(.module), Escaped(.name))]
    DefinedTwice {
        /// The import's module name.
        module: String,
        /// The import's field name.
        name: String,
    },
    /// An import has no definition.
    #[error(
        "unknown import: {}.{} has not been defined",
        Escaped(.module),
        Escaped(.name)
    )]
    UnknownImport {
        /// The import's module name.
        module: String,
        /// The import's field name.
        name: String,
    },
    /// The wrong number of imports was given.
    #[error("the module has {expected} imports, {given} were given")]
    ImportCount {
        /// How many the module imports.
        expected: usize,
        /// How many were given.
        given: usize,
    },
    /// A definition of the wrong kind or type.
    #[error(
        "incompatible import type for {}.{}: {mismatch}",
        Escaped(.module),
        Escaped(.name)
    )]
    IncompatibleImport {
        /// The import's module name.
        module: String,
        /// The import's field name.
        name: String,
        /// What differs.
        mismatch: ImportMismatch,
    },
}

/// What differs between an import and the definition given for it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportMismatch {
    /// A function, table, memory or global where another kind was expected.
    #[error("kinds differ")]
    Kind,
    /// Function types differ.
    #[error("function types differ")]
    FunctionType,
    /// Element types or limits differ.
    #[error("table types differ")]
    TableType,
    /// Limits differ.
    #[error("memory types differ")]
    MemoryType,
    /// Value types or mutability differ.
    #[error("global types differ")]
    GlobalType,
}

/// Misuse of the embedding API.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UsageError {
    /// An object (function, memory, import, reference, ...) of another store.
    #[error("{what} from another store")]
    ForeignStore {
        /// What it is ("an object", "an import", "a reference").
        what: &'static str,
    },
    /// Parameter or result counts that do not match the function's type.
    #[error(
        "function takes {params} parameters and returns {results} results; got {given} and room for {room}"
    )]
    ValueCount {
        /// The function's parameter count.
        params: usize,
        /// Its result count.
        results: usize,
        /// Arguments given.
        given: usize,
        /// Room given for results.
        room: usize,
    },
    /// An argument of the wrong type.
    #[error("argument {value:?} is not of type {expected}")]
    ArgumentType {
        /// The argument.
        value: crate::Val,
        /// The parameter's type.
        expected: pulley_module::ValType,
    },
    /// A host function's result of the wrong type.
    #[error("host function returned {value:?} where {expected} was expected")]
    HostResultType {
        /// The result.
        value: crate::Val,
        /// The result's declared type.
        expected: pulley_module::ValType,
    },
    /// A host function called with arguments of the wrong types.
    #[error("{function} called with the wrong argument types")]
    HostArgumentTypes {
        /// The host function.
        function: &'static str,
    },
    /// A typed view of a function whose type differs.
    #[error(
        "function type {params:?} -> {results:?} does not match {wanted_params:?} -> {wanted_results:?}"
    )]
    FunctionType {
        /// The function's parameter types.
        params: alloc::vec::Vec<pulley_module::ValType>,
        /// Its result types.
        results: alloc::vec::Vec<pulley_module::ValType>,
        /// The typed view's parameter types.
        wanted_params: alloc::vec::Vec<pulley_module::ValType>,
        /// Its result types.
        wanted_results: alloc::vec::Vec<pulley_module::ValType>,
    },
    /// Typed host functions return numbers only.
    #[error("reference results in typed host functions")]
    TypedReferenceResult,
    /// A function index that does not exist.
    #[error("no such function")]
    NoSuchFunction,
    /// No export of that name and kind.
    #[error("no exported {kind} {name:?}")]
    NoExport {
        /// "function", "global", ...
        kind: &'static str,
        /// The name asked for.
        name: String,
    },
    /// A value of the wrong type for a global.
    #[error("a {ty} global cannot hold {value:?}")]
    GlobalType {
        /// The global's type.
        ty: pulley_module::ValType,
        /// The value.
        value: crate::Val,
    },
    /// A write to an immutable global.
    #[error("cannot set an immutable global")]
    ImmutableGlobal,
    /// A value of the wrong type for a table.
    #[error("a {element} table cannot hold {value:?}")]
    TableElementType {
        /// The table's element type.
        element: pulley_module::ValType,
        /// The value.
        value: crate::Val,
    },
    /// A table access past the end.
    #[error("table index out of bounds")]
    TableOutOfBounds,
    /// A memory access past the end.
    #[error("memory {access} out of bounds")]
    MemoryOutOfBounds {
        /// "read" or "write".
        access: &'static str,
    },
    /// Fuel asked for on an engine without fuel.
    #[error("fuel is not enabled: use Config::consume_fuel(true)")]
    FuelDisabled,
    /// Natively compiled modules hold no bytecode.
    #[error("a natively compiled module cannot be serialized: artifacts hold bytecode")]
    NativeNotSerializable,
    /// A constant expression (global initializer, segment offset) that
    /// does not evaluate.
    #[error("malformed constant expression")]
    MalformedConstantExpression,
    /// A spec script that names a module it never defined.
    #[error("no module named {0}")]
    UnknownScriptModule(String),
    /// A spec script action before any module.
    #[error("no module instantiated")]
    NoScriptModule,
    /// A spec script value this runner does not take.
    #[error("unsupported argument")]
    UnsupportedScriptArgument,
}

/// A limit that was exceeded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// A memory larger than this host can address.
    #[error("memory larger than the address space")]
    MemoryAddressSpace,
    /// The allocation of a memory failed.
    #[error("could not allocate {bytes} bytes of linear memory")]
    MemoryAllocation {
        /// Its size in bytes.
        bytes: usize,
    },
    /// A memory larger than the engine allows.
    #[error("memory of {pages} pages exceeds the limit of {maximum} pages")]
    MemoryPages {
        /// Its size in pages.
        pages: u64,
        /// The limit.
        maximum: u64,
    },
    /// `Memory::grow` past a limit.
    #[error("memory cannot grow by {delta} pages")]
    MemoryGrow {
        /// The pages asked for.
        delta: u64,
    },
    /// A table larger than the engine allows.
    #[error("table of {elements} elements exceeds the limit of {maximum}")]
    TableElements {
        /// Its size.
        elements: u64,
        /// The limit.
        maximum: u64,
    },
    /// The allocation of a table failed.
    #[error("could not allocate a table of {elements} elements")]
    TableAllocation {
        /// Its size.
        elements: usize,
    },
    /// `Table::grow` past a limit.
    #[error("table cannot grow by {delta} elements")]
    TableGrow {
        /// The elements asked for.
        delta: u64,
    },
    /// More instances than a store holds.
    #[error("too many instances in the store")]
    Instances,
    /// Input larger than [`MAX_MODULE_BYTES`](crate::MAX_MODULE_BYTES).
    #[error("a module of {bytes} bytes exceeds the limit of {maximum} bytes")]
    ModuleSize {
        /// The input's size.
        bytes: usize,
        /// The limit.
        maximum: usize,
    },
}

/// Why native code could not be set up.
#[cfg(feature = "native")]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NativeError {
    /// This host needs instruction-cache maintenance we do not do yet.
    #[error(
        "native code is not supported on this host yet (it needs instruction-cache maintenance after writing code)"
    )]
    UnsupportedHost,
    /// The code's memory could not be mapped or protected.
    #[error("{operation}: {message}")]
    Memory {
        /// "mmap" or "mprotect".
        operation: &'static str,
        /// The system's error.
        message: String,
    },
    /// A module or instance without native code where it was needed.
    #[error("not a native {0}")]
    NotNative(&'static str),
}

/// What kind of trap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// `unreachable` executed.
    Unreachable,
    /// Integer overflow (division, or a float-to-int conversion).
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero,
    /// Float-to-int conversion of NaN.
    BadConversionToInteger,
    /// Linear-memory access out of bounds.
    MemoryOutOfBounds,
    /// Table access out of bounds.
    TableOutOfBounds,
    /// Indirect call through a null reference.
    IndirectCallToNull,
    /// Indirect call with the wrong signature.
    BadSignature,
    /// A null reference where one is required.
    NullReference,
    /// The wasm stack is exhausted.
    StackOverflow,
    /// Fuel ran out.
    OutOfFuel,
    /// A host function failed with this message.
    Host(String),
    /// The program asked to exit with this status (WASI `proc_exit`).
    Exit(i32),
}

impl TrapKind {
    /// The message the WebAssembly spec tests use for this trap.
    pub fn message(&self) -> &str {
        match self {
            TrapKind::Unreachable => "unreachable",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::IntegerDivisionByZero => "integer divide by zero",
            TrapKind::BadConversionToInteger => "invalid conversion to integer",
            TrapKind::MemoryOutOfBounds => "out of bounds memory access",
            TrapKind::TableOutOfBounds => "out of bounds table access",
            TrapKind::IndirectCallToNull => "uninitialized element",
            TrapKind::BadSignature => "indirect call type mismatch",
            TrapKind::NullReference => "null reference",
            TrapKind::StackOverflow => "call stack exhausted",
            TrapKind::OutOfFuel => "all fuel consumed",
            TrapKind::Host(message) => message,
            TrapKind::Exit(_) => "exit",
        }
    }

    pub(crate) fn from_code(code: pulley_isa::TrapCode) -> TrapKind {
        use pulley_isa::TrapCode;
        match code {
            TrapCode::Unreachable => TrapKind::Unreachable,
            TrapCode::IntegerOverflow => TrapKind::IntegerOverflow,
            TrapCode::IntegerDivisionByZero => TrapKind::IntegerDivisionByZero,
            TrapCode::BadConversionToInteger => TrapKind::BadConversionToInteger,
            TrapCode::MemoryOutOfBounds | TrapCode::SegmentOutOfBounds => {
                TrapKind::MemoryOutOfBounds
            }
            TrapCode::TableOutOfBounds => TrapKind::TableOutOfBounds,
            TrapCode::IndirectCallToNull => TrapKind::IndirectCallToNull,
            TrapCode::BadSignature => TrapKind::BadSignature,
            TrapCode::NullReference => TrapKind::NullReference,
            TrapCode::StackOverflow => TrapKind::StackOverflow,
        }
    }
}

/// One frame of a wasm backtrace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// The module's name, from its name section.
    pub module_name: Option<String>,
    /// The function's index in its module.
    pub func_index: u32,
    /// The function's name, from the name section.
    pub func_name: Option<String>,
    /// The offset in the wasm binary of the instruction executing.
    pub wasm_offset: Option<u32>,
    /// Which of the function's code the frame was running.
    pub code: FrameCode,
}

/// Which of a function's code a frame runs: with the baseline tier first,
/// a function has up to three.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FrameCode {
    /// The function's first code: its only one, unless it tiered up.
    First,
    /// The code the optimizing tier compiled once the function was hot.
    TieredUp,
    /// Optimized code entered at a loop header by a frame that was running
    /// the loop in first code (on-stack replacement).
    OnStackEntry {
        /// The wasm offset of the loop.
        header: u32,
    },
}

/// `0x29 - module!name`, as Wasmtime prints a frame: the wasm offset (when
/// known) first, so that the offsets of a backtrace line up.
impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(offset) = self.wasm_offset {
            write!(f, "{offset:#x} - ")?;
        }
        if let Some(module) = &self.module_name {
            write!(f, "{}!", Escaped(module))?;
        }
        match &self.func_name {
            Some(name) => write!(f, "{}", Escaped(name)),
            None => write!(f, "<wasm function {}>", self.func_index),
        }
    }
}

/// A trap: execution stopped abnormally, with the wasm frames it stopped in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    kind: TrapKind,
    backtrace: Vec<FrameInfo>,
}

impl Trap {
    /// A trap of `kind` without backtrace.
    pub fn new(kind: TrapKind) -> Trap {
        Trap {
            kind,
            backtrace: Vec::new(),
        }
    }

    /// A trap raised by a host function with a message.
    pub fn host(message: impl Into<String>) -> Trap {
        Trap::new(TrapKind::Host(message.into()))
    }

    /// The kind of trap.
    pub fn kind(&self) -> &TrapKind {
        &self.kind
    }

    /// The wasm frames, innermost first.
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }

    pub(crate) fn with_backtrace(mut self, backtrace: Vec<FrameInfo>) -> Trap {
        if self.backtrace.is_empty() {
            self.backtrace = backtrace;
        }
        self
    }

    pub(crate) fn push_frames(&mut self, frames: Vec<FrameInfo>) {
        self.backtrace.extend(frames);
    }
}

/// Frames a displayed backtrace shows from its innermost end and from its
/// outermost end; those in between (a deep recursion's thousands) are
/// counted, not printed. [`Trap::backtrace`] keeps them all.
const SHOWN_INNER_FRAMES: usize = 20;
const SHOWN_OUTER_FRAMES: usize = 10;

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TrapKind::Exit(status) => write!(f, "exited with status {status}")?,
            kind => write!(f, "wasm trap: {}", kind.message())?,
        }
        if !self.backtrace.is_empty() {
            f.write_str("\nwasm backtrace:")?;
            let frames = self.backtrace.len();
            let elided = frames.saturating_sub(SHOWN_INNER_FRAMES + SHOWN_OUTER_FRAMES);
            for (i, frame) in self.backtrace.iter().enumerate() {
                if elided > 0 && i == SHOWN_INNER_FRAMES {
                    write!(f, "\n       ... {elided} frames elided ...")?;
                }
                if elided == 0 || i < SHOWN_INNER_FRAMES || i >= frames - SHOWN_OUTER_FRAMES {
                    write!(f, "\n  {i:>3}: {frame}")?;
                }
            }
        }
        Ok(())
    }
}

impl core::error::Error for Trap {}

/// The result type of the runtime.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(all(test, feature = "std"))]
mod tests {
    use std::error::Error as _;
    use std::string::ToString;

    use super::*;

    /// Variants that print their cause do not report it again as a source,
    /// so a chain printer shows it once.
    #[test]
    fn causes_in_the_message_are_not_sources() {
        let verify = pulley_interp::VerifyError::MissingTerminator { func: 3 };
        let errors = [
            Error::from(verify.clone()),
            Error::from(IncompatibleArtifact::IsaHash {
                artifact: 1,
                build: 2,
            }),
            Error::from(pulley_interp::CallError::NotSuspended { expected: "a call" }),
        ];
        for error in errors {
            assert!(error.source().is_none(), "{error}");
        }
        assert_eq!(
            Error::from(verify.clone()).to_string(),
            std::format!("bytecode rejected: {verify}")
        );
    }
}
