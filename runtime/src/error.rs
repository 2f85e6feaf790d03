//! Errors and traps.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

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
    Incompatible(String),
    /// Bytecode (of an artifact, or compiled) failed the interpreter's
    /// verifier: corrupt, or using ops this build leaves out (SIMD without
    /// the `simd` feature).
    #[error("bytecode rejected: {0}")]
    Verify(#[from] pulley_interp::VerifyError),
    /// Imports could not be satisfied.
    #[error("{0}")]
    Link(String),
    /// Execution trapped.
    #[error(transparent)]
    Trap(#[from] Trap),
    /// The API was used wrongly (wrong argument count or type, an object
    /// from another store, ...).
    #[error("{0}")]
    Usage(String),
    /// A limit was exceeded (memory, table or instance size).
    #[error("{0}")]
    ResourceLimit(String),
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
}

/// `0x29 - module!name`, as Wasmtime prints a frame: the wasm offset (when
/// known) first, so that the offsets of a backtrace line up.
impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(offset) = self.wasm_offset {
            write!(f, "{offset:#x} - ")?;
        }
        if let Some(module) = &self.module_name {
            write!(f, "{module}!")?;
        }
        match &self.func_name {
            Some(name) => write!(f, "{name}"),
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

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TrapKind::Exit(status) => write!(f, "exited with status {status}")?,
            kind => write!(f, "wasm trap: {}", kind.message())?,
        }
        if !self.backtrace.is_empty() {
            f.write_str("\nwasm backtrace:")?;
            for (i, frame) in self.backtrace.iter().enumerate() {
                write!(f, "\n  {i:>3}: {frame}")?;
            }
        }
        Ok(())
    }
}

impl core::error::Error for Trap {}

/// The result type of the runtime.
pub type Result<T, E = Error> = core::result::Result<T, E>;
