//! The Pulley compiler: WebAssembly -> Cranelift IR -> Cranelift's optimizer
//! -> our own lowering to Pulley bytecode.
//!
//! 1. [`parse`] parses and validates the module into a
//!    [`ModuleInfo`](pulley_module::ModuleInfo).
//! 2. [`translate`] turns each function body into Cranelift IR with
//!    `cranelift-frontend`, expressing wasm semantics (traps, memory bounds,
//!    table bounds, signature checks) in the IR itself.
//! 3. Cranelift's mid-end optimizes the IR (egraph rewrites, GVN, LICM,
//!    alias analysis) for one of the four Pulley flavours.
//! 4. [`lower`] selects Pulley ops (folding immediates, compares into
//!    branches, bounds checks into memory ops), allocates frame slots with
//!    regalloc2 and emits bytecode with an address map.
//!
//! With the `native` feature, [`native`] compiles the same IR for the host
//! CPU instead of step 4.
//!
//! [`compile`] runs the steps for every function at once; a [`LazyModule`]
//! runs step 1 up front and the others for one function when asked, for
//! runtimes that compile each function at its first call. A lazy module can
//! also compile a function with the [`Tier::Baseline`] tier instead: one
//! pass from wasm operators to bytecode, without Cranelift (`baseline`).
//!
//! It depends on `pulley-isa` and `pulley-module`, never on the interpreter.

mod baseline;
mod compile;
mod encoding;
mod error;
mod flavour;
mod hoist;
mod intrinsics;
mod lazy;
mod lower;
#[cfg(feature = "native")]
pub mod native;
mod parse;
mod translate;
mod traps;
pub mod vmctx;

pub use compile::{Config, compile, compile_function_to_clif, compile_function_to_ir};
pub use error::CompileError;
pub use lazy::{BodyValidation, FunctionCode, LazyModule, Tier};
pub use pulley_module::Flavour;
