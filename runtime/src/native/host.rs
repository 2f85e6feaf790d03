//! The functions native code calls through its context: the dispatcher
//! (imports, builtins, and what the interpreter has ops for) and the
//! function-reference resolver. Both are `extern "C"`, never unwind (a panic
//! is caught and rethrown once native code has returned), and report
//! failures in the trap word.

use pulley_emit::native::abi::HostCall;
use pulley_isa::TrapCode;

use super::HostCalls;
use super::context::NativeContext;
use crate::error::Trap;
use crate::store::FuncKind;
use crate::{Error, Store};

/// The context and store instance of a vmctx.
///
/// # Safety
/// `vmctx` must be a live instance's vmctx (native code passes its own).
unsafe fn context_of(vmctx: *mut u64) -> (*mut NativeContext, u32) {
    // SAFETY: words 2 and 3 of every vmctx are the context pointer and the
    // instance index (`pulley_emit::vmctx`), written by `Vmctx::new`.
    unsafe {
        let context =
            core::ptr::with_exposed_provenance_mut::<NativeContext>(*vmctx.add(2) as usize);
        (context, *vmctx.add(3) as u32)
    }
}

/// Performs a host call for native code (`abi::CONTEXT_DISPATCH`).
///
/// # Safety
/// Called by native code only: `vmctx` is the caller's, the context's store
/// is a live `Store<T>` that nothing else references during the call, and
/// `values` holds as many words as the call has arguments or results.
pub(super) unsafe extern "C" fn dispatch<T, H: HostCalls>(
    vmctx: *mut u64,
    namespace: u32,
    index: u32,
    values: *mut u64,
) {
    // SAFETY: see the function's contract.
    let (context, instance) = unsafe { context_of(vmctx) };
    // SAFETY: the store pointer was set by `native::run` for this store,
    // whose frames below hold no reference into it while native code runs.
    let store = unsafe { &mut *(*context).store.cast::<Store<T>>() };
    // The host sees (and may change) the fuel native code charged.
    // SAFETY: the context outlives the store's native activations.
    store.inner.interpreter.set_fuel(unsafe { (*context).fuel });
    let outcome = std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| {
        let call = HostCall::decode(namespace, index)
            .ok_or_else(|| Error::from(Trap::host("native code made an unknown host call")))?;
        let arity = H::arity(store, instance, call)?;
        // SAFETY: `values` holds `arity.0` argument words (the contract).
        let args = unsafe { core::slice::from_raw_parts(values, arity.0) }.to_vec();
        let results = H::perform(store, instance, call, &args)?;
        if results.len() != arity.1 {
            return Err(Trap::host("a host call returned the wrong number of results").into());
        }
        // SAFETY: `values` has room for `arity.1` result words (the contract).
        unsafe { core::ptr::copy_nonoverlapping(results.as_ptr(), values, results.len()) };
        Ok(())
    }));
    store.inner.sync_environments();
    // SAFETY: the context outlives the store's native activations.
    let context = unsafe { &mut *context };
    context.fuel = store.inner.interpreter.fuel();
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => context.fail(error),
        Err(payload) => {
            context.panic = Some(payload);
            context.trap = pulley_emit::native::abi::TrapWord::Host.encode();
        }
    }
}

/// Resolves a function reference for native code (`abi::CONTEXT_RESOLVE`).
///
/// # Safety
/// As for [`dispatch`]; `callee_vmctx` is writable.
pub(super) unsafe extern "C" fn resolve<T>(
    vmctx: *mut u64,
    funcref: u64,
    type_index: u32,
    callee_vmctx: *mut u64,
) -> *const u8 {
    // SAFETY: see the function's contract.
    let (context, instance) = unsafe { context_of(vmctx) };
    // SAFETY: as in `dispatch`.
    let store = unsafe { &mut *(*context).store.cast::<Store<T>>() };
    let inner = &mut store.inner;
    let outcome = (|| {
        if funcref == 0 {
            return Err(TrapCode::IndirectCallToNull);
        }
        let target = (funcref - 1) as usize;
        let expected = inner.instances[instance].type_ids.get(type_index as usize);
        let actual = inner.funcref_targets.get(target).map(|t| t.type_id);
        if expected.is_none() || expected.copied() != actual {
            return Err(TrapCode::BadSignature);
        }
        // `target` is below the number of functions: it has a target.
        let FuncKind::Wasm { instance, defined } = inner.funcs[target as u32].kind else {
            return Ok(core::ptr::null());
        };
        let callee = &mut inner.instances[instance];
        let module = &callee.module.inner;
        match (module.native.as_ref(), callee.vmctx.as_mut()) {
            (Some(code), Some(vmctx)) => {
                Ok(code
                    .function(defined)
                    .map_or(core::ptr::null(), |function| {
                        // SAFETY: `callee_vmctx` is writable (the contract).
                        unsafe {
                            callee_vmctx.write(vmctx.as_mut_ptr().expose_provenance() as u64)
                        };
                        function
                    }))
            }
            _ => Ok(core::ptr::null()),
        }
    })();
    outcome.unwrap_or_else(|code| {
        // SAFETY: the context outlives the store's native activations.
        unsafe { (*context).trap(code) };
        core::ptr::null()
    })
}
