//! The engines a test case runs on, each behind [`crate::oracle::Engine`]:
//! converting values, types and traps to the oracle's own.

mod pulley;
mod wasmi;
mod wasmtime;

pub use self::pulley::Pulley;
pub use self::wasmi::Wasmi;
pub use self::wasmtime::Wasmtime;
