//! The Pulley interpreter: executes verified Pulley bytecode.
//!
//! It depends only on `pulley-isa` (and `core`/`alloc`); it knows nothing of
//! WebAssembly or Cranelift, allocates no executable memory, uses no signals
//! and has no global mutable state.
//!
//! * [`Program`]: bytecode plus a function table, accepted only if the
//!   structural verifier proves what the handlers assume.
//! * [`Environment`]: the embedder's memory, globals, tables and function
//!   references a program runs against.
//! * [`Interpreter`]: the register and frame stacks; [`Interpreter::call`]
//!   runs until the program returns, traps, or needs the embedder
//!   ([`Exit`]).
//!
//! Handlers are dispatched by tail calls where the build allows it; see
//! [`Dispatch`] and [`DISPATCH`]. Each op's semantics live in one function,
//! shared by every dispatch mode, so adding an op means one line in the
//! `pulley-isa` table plus one function in `ops`.
//!
//! ```
//! use std::sync::Arc;
//! use pulley_interp::{
//!     Claims, Environment, EnvironmentRef, EnvironmentShape, Exit, FunctionInfo, Interpreter,
//!     Program, Signature,
//! };
//! use pulley_isa::{FuncIndex, OwnedOp, Slot};
//!
//! // fn(a, b) -> a * b + 1
//! let ops = [
//!     OwnedOp::Xmul32 { dst: Slot(2), a: Slot(0), b: Slot(1) },
//!     OwnedOp::Xadd32Imm { dst: Slot(2), a: Slot(2), b: 1 },
//!     OwnedOp::Ret { values: vec![Slot(2)] },
//! ];
//! let mut code = Vec::new();
//! for op in &ops {
//!     op.encode(&mut code).unwrap();
//! }
//! // Type 0: two number slots in, one out.
//! let shape = EnvironmentShape { types: vec![Signature::numbers(2, 1)], ..Default::default() };
//! let function = FunctionInfo { ty: 0, code_start: 0, code_end: code.len() as u32, frame_slots: 3, params: 2, results: 1 };
//! let program = Arc::new(Program::new(code, vec![function], shape, Claims::default()).unwrap());
//!
//! let mut env = Environment::new();
//! let mut interpreter = Interpreter::default();
//! // SAFETY: `env` outlives the call and has no memory, globals or tables.
//! let env = unsafe { EnvironmentRef::new((&mut env).into()) };
//! let exit = interpreter.call(&program, env, FuncIndex(0), &[6, 7]).unwrap();
//! assert_eq!(exit, Exit::Returned);
//! assert_eq!(interpreter.results()[0] as u32, 43);
//! ```

#![no_std]
#![cfg_attr(
    pulley_dispatch = "become",
    feature(explicit_tail_calls, rust_preserve_none_cc)
)]
#![cfg_attr(pulley_dispatch = "become", allow(incomplete_features))]

extern crate alloc;

mod dispatch;
mod environment;
mod float_math;
mod interpreter;
mod machine;
mod ops;
#[cfg(feature = "profile")]
mod profile;
mod program;
mod shape;
mod verify;

pub use dispatch::{DISPATCH, Dispatch};
pub use environment::{Environment, EnvironmentRef, FuncRefTarget, TableView};
pub use interpreter::{CallError, Config, Exit, FramePosition, Interpreter};
#[cfg(feature = "profile")]
pub use profile::Profile;
pub use program::{CodeVersion, Program, ProgramCode, Verification};
pub use shape::{
    Claims, EnvironmentShape, FunctionInfo, GlobalShape, MAX_FRAME_SLOTS, Signature, SlotKind,
};
pub use verify::VerifyError;
