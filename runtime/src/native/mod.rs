//! Native code (feature `native`): modules compiled to host machine code by
//! `pulley_emit::native`, mapped executable ([`code`]), entered through
//! per-type trampolines ([`run`]); and the host side of
//! `pulley_emit::native::abi`: the native context and the per-instance
//! vmctx ([`context`]), the dispatcher and the resolver (`host`).
//!
//! Native code needs no signal handler: it records a trap in the context's
//! trap word and returns, every caller returns in turn, and [`run`] turns the
//! word into a [`Trap`]. Host functions and builtins run in Rust, served by
//! the execution boundary ([`HostCalls`], implemented by `crate::exec`); the
//! operations the interpreter has ops for (tables, bulk memory, fuel) are
//! compiled inline, with the context's help.

pub(crate) mod code;
pub(crate) mod context;
mod host;

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use pulley_emit::native::abi::{HostCall, TrapWord};

use self::context::NativeContext;
use crate::error::{Trap, TrapKind};
use crate::store::StoreInner;
use crate::{NativeError, Result, Store, UsageError};

/// What serves native code's host calls (imports, builtins, function
/// references into other instances): the execution boundary, `crate::exec`,
/// which serves the interpreter's exits too. [`run`] takes it as a type, so
/// that native code depends on it without this module depending on `exec`.
pub(crate) trait HostCalls {
    /// The argument and result counts of `call`, made by `instance`.
    fn arity<T>(store: &Store<T>, instance: u32, call: HostCall) -> Result<(usize, usize)>;

    /// Performs `call` for `instance` with `args`; returns its results.
    fn perform<T>(
        store: &mut Store<T>,
        instance: u32,
        call: HostCall,
        args: &[u64],
    ) -> Result<Vec<u64>>;
}

/// The entry trampoline's signature (see `NativeModule::trampolines`).
type Trampoline = unsafe extern "C" fn(*mut u64, *const u8, *mut u64);

/// Runs defined function `defined` of native instance `instance`, its host
/// calls served by `H`.
pub(crate) fn run<T, H: HostCalls>(
    store: &mut Store<T>,
    instance: u32,
    defined: u32,
    args: &[u64],
) -> Result<Vec<u64>> {
    store.inner.sync_environments();
    let inner = &mut store.inner;
    let entry = &mut inner.instances[instance];
    let module = Arc::clone(&entry.module.inner);
    let code = module
        .native
        .as_ref()
        .ok_or(NativeError::NotNative("module"))?;
    let info = &module.compiled.info;
    let type_index = *info
        .functions
        .get((info.imported_functions + defined) as usize)
        .ok_or(UsageError::NoSuchFunction)?;
    let ty = &info.types[type_index as usize];
    let (function, trampoline) = code
        .function(defined)
        .zip(code.trampolines.get(type_index as usize))
        .ok_or(UsageError::NoSuchFunction)?;
    let mut values = vec![0u64; args.len().max(ty.results.len()).max(1)];
    values[..args.len()].copy_from_slice(args);
    let vmctx = entry
        .vmctx
        .as_mut()
        .ok_or(NativeError::NotNative("instance"))?
        .as_mut_ptr();
    let budget = inner.engine.config().max_wasm_stack_bytes();
    let fuel = inner.interpreter.fuel();
    let context: *mut NativeContext = &mut **inner.native_context();
    // SAFETY: `context` is the store's boxed context; no reference to it is
    // live while native code runs (the dispatcher makes its own from the
    // vmctx), and this is the only thread using the store.
    unsafe {
        if (*context).depth == 0 {
            (*context).stack_limit = crate::stack::limit(budget, crate::stack::HOST_RESERVE);
        }
        (*context).depth += 1;
        (*context).fuel = fuel;
        (*context).store = (store as *mut Store<T>).cast();
        (*context).dispatch = host::dispatch::<T, H> as *const () as usize;
        (*context).resolve = host::resolve::<T> as *const () as usize;
    }
    // SAFETY: the trampoline of the function's type, from the same compiled
    // module as `function`; `vmctx` is the instance's, kept current by
    // `sync_environments`, and `values` holds a word for every parameter
    // and result. The module (and so the code) outlives the call: `module`
    // holds it.
    unsafe {
        let trampoline: Trampoline = core::mem::transmute(code.code.at(*trampoline));
        trampoline(vmctx, function, values.as_mut_ptr());
    }
    // SAFETY: as above; native code has returned.
    let (word, error, panic, fuel) = unsafe {
        (*context).depth -= 1;
        let word = core::mem::take(&mut (*context).trap);
        let fuel = (*context).fuel;
        (word, (*context).error.take(), (*context).panic.take(), fuel)
    };
    store.inner.interpreter.set_fuel(fuel);
    if let Some(payload) = panic {
        std::panic::resume_unwind(payload);
    }
    match TrapWord::decode(word) {
        TrapWord::None => {
            values.truncate(ty.results.len());
            Ok(values)
        }
        TrapWord::Wasm(code) => Err(Trap::new(TrapKind::from_code(code)).into()),
        TrapWord::OutOfFuel => Err(Trap::new(TrapKind::OutOfFuel).into()),
        TrapWord::Host => Err(error.unwrap_or_else(|| {
            Trap::host("native code reported a host error that was not recorded").into()
        })),
    }
}

impl StoreInner {
    /// The store's native context, made on first use.
    pub(crate) fn native_context(&mut self) -> &mut Box<NativeContext> {
        self.native.get_or_insert_with(NativeContext::new)
    }
}
