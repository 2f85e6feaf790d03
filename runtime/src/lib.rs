//! Pulley: a portable, interpreter-first WebAssembly runtime.
//!
//! The API follows Wasmtime's: an [`Engine`] compiles [`Module`]s, a
//! [`Store`] owns everything instances create, a [`Linker`] resolves
//! imports, and [`Func`], [`Memory`], [`Table`] and [`Global`] are handles
//! into a store. Code runs on the Pulley interpreter (`pulley-interp`); the
//! compiler (`pulley-emit`, feature `compiler`) turns wasm into its bytecode.
//! With the `native` feature, `Config::native` compiles the same IR to host
//! machine code instead (x86_64 and s390x hosts): the same traps, host calls,
//! fuel and limits, as a faster mode and as the interpreter's fuzzing oracle.
//!
//! ```
//! use pulley::{Engine, Linker, Module, Store};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"
//!     (module
//!       (import "host" "log" (func $log (param i32)))
//!       (func (export "run") (param i32) (result i32)
//!         (call $log (local.get 0))
//!         (i32.mul (local.get 0) (i32.const 2))))
//! "#)?;
//! let mut linker = Linker::new(&engine);
//! linker.func_wrap("host", "log", |mut caller: pulley::Caller<'_, Vec<i32>>, value: i32| {
//!     caller.data_mut().push(value);
//! })?;
//! let mut store = Store::new(&engine, Vec::new());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let run = instance.get_typed_func::<i32, i32>(&store, "run")?;
//! assert_eq!(run.call(&mut store, 21)?, 42);
//! assert_eq!(store.data(), &[21]);
//! # Ok::<(), pulley::Error>(())
//! ```
//!
//! Precompiled artifacts: [`Module::serialize`] writes one,
//! [`Module::deserialize`] loads it after checking its header, checksum and
//! bytecode. With `default-features = false, features = ["interp"]` this
//! crate is `no_std` + `alloc` and loads artifacts without Cranelift.
//!
//! It depends on `pulley-isa`, `pulley-interp`, `pulley-module` and,
//! optionally, `pulley-emit`; the upstream Pulley interpreter and Wasmtime
//! are never part of its execution path.

#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod engine;
mod environments;
mod error;
mod exec;
mod func;
mod global;
mod instance;
#[cfg(feature = "compiler")]
mod lazy;
mod linker;
mod memory;
mod module;
#[cfg(feature = "native")]
mod native;
#[cfg(feature = "std")]
mod stack;
mod store;
mod table;
#[cfg(feature = "compiler")]
mod tier_up;
mod values;
#[cfg(feature = "wasi")]
pub mod wasi;
#[cfg(feature = "cli")]
pub mod wast;

pub use engine::{CompilationMode, Config, DEFAULT_TIER_UP_THRESHOLD, Engine, FirstTier};
#[cfg(feature = "native")]
pub use error::NativeError;
pub use error::{
    Error, FrameCode, FrameInfo, ImportMismatch, IncompatibleArtifact, LimitError, LinkError,
    Result, Trap, TrapKind, UsageError,
};
pub use func::{HostResult, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmTy, WithCaller};
pub use global::Global;
pub use instance::{Extern, Instance};
#[cfg(feature = "compiler")]
pub use lazy::{CompilationStats, TierStats};
pub use linker::Linker;
pub use memory::{Memory, PAGE_SIZE};
pub use module::{ExportType, ExternType, ImportType, MAX_MODULE_BYTES, Module};
pub use pulley_module::{Flavour, FuncType, GlobalType, Limits, MemoryType, TableType};
pub use store::{AsContext, AsContextMut, Caller, Store, StoreContext, StoreContextMut};
pub use table::Table;
pub use values::{ExternRef, Func, Val, ValType};
