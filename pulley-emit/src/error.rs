//! Compilation errors.

use pulley_module::Escaped;

/// Why a module could not be compiled.
#[derive(Clone, Debug, thiserror::Error)]
pub enum CompileError {
    /// The module is not valid WebAssembly (malformed or failing validation).
    #[error("invalid module: {} (at offset {offset:#x})", Escaped(.message))]
    Invalid {
        /// What is wrong.
        message: String,
        /// Where in the binary.
        offset: u64,
    },
    /// The module uses a feature Pulley does not support (yet).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// A function uses an operator of a proposal Pulley does not support.
    #[error("unsupported operator {operator} (from the {proposal} proposal) at offset {offset:#x}")]
    UnsupportedOperator {
        /// The operator, as wasmparser names it (`I64Add128`).
        operator: &'static str,
        /// The proposal that defines it, as wasmparser names it
        /// (`wide_arithmetic`).
        proposal: &'static str,
        /// Where in the binary.
        offset: u64,
    },
    /// An on-stack entry was asked for at a loop header the function does
    /// not have (or has only in unreachable code).
    #[error("function {func} has no reachable loop header at offset {header:#x}")]
    NoLoopHeader {
        /// The wasm function index.
        func: u32,
        /// The wasm offset asked for.
        header: u32,
    },
    /// An on-stack entry was asked for at a loop with operands below it
    /// (only loops with none get entries: every path to code after such a
    /// loop would need those values from the entry).
    #[error("the loop at offset {header:#x} has operands below it: no on-stack entry")]
    OperandsBelowLoop {
        /// The wasm offset of the loop.
        header: u32,
    },
    /// A function is too large for the bytecode format.
    #[error("function {func} is too large: {what}")]
    TooLarge {
        /// The wasm function index.
        func: u32,
        /// Which limit it exceeds.
        what: String,
    },
    /// A bug in the compiler.
    #[error("internal compiler error: {0}")]
    Internal(String),
}

impl From<wasmparser::BinaryReaderError> for CompileError {
    fn from(error: wasmparser::BinaryReaderError) -> Self {
        CompileError::Invalid {
            message: error.message().to_string(),
            offset: error.offset(),
        }
    }
}
