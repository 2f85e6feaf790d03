//! The execution boundary: the one place the runtime runs functions.
//!
//! [`invoke`] calls a store function: a host function directly, a wasm
//! function by entering the interpreter (or native code) and serving its
//! exits until the call returns or traps. In the interpreter an activation
//! is driven by two steps, `enter` and `resume`, with `serve` performing
//! each exit in between. An exit is a host call, a
//! builtin ([`builtins`]), a call into another instance, or running out of
//! fuel; the interpreter's activation stays suspended while the host serves
//! it and resumes with its results. Backtraces of traps are assembled in
//! [`backtrace`]. Native code's host calls come back here too: `crate::native`
//! runs its code with [`native_exits`] as the server of its host calls, so
//! that native code, like the interpreter, depends on nothing here.

mod backtrace;
pub(crate) mod builtins;
mod host;
#[cfg(feature = "native")]
mod native_exits;

use alloc::vec::Vec;

use pulley_interp::Exit;
use pulley_isa::FuncIndex;

use self::backtrace::frames;
use self::host::{call_host, host_args};
use crate::error::{Trap, TrapKind};
use crate::store::{FuncKind, Store};
use crate::{Error, Result, UsageError};

/// Calls store function `func` with raw arguments; returns raw results.
pub(crate) fn invoke<T>(
    store: &mut Store<T>,
    func: u32,
    args: &[u64],
    caller: Option<u32>,
) -> Result<Vec<u64>> {
    let entry = store
        .inner
        .funcs
        .get(func)
        .ok_or(UsageError::NoSuchFunction)?;
    match entry.kind {
        FuncKind::Host { host } => call_host(store, host, args, caller),
        FuncKind::Wasm { instance, defined } => {
            if store.inner.depth >= store.inner.engine.config().host_nesting_limit() {
                return Err(Trap::new(TrapKind::StackOverflow).into());
            }
            // Each level of nesting through the host takes native stack: on
            // a small stack, trap before running off it.
            #[cfg(feature = "std")]
            if store.inner.depth == 0 {
                store.inner.nesting_stack_limit =
                    crate::stack::limit(usize::MAX, crate::stack::HOST_RESERVE);
            } else if crate::stack::here() < store.inner.nesting_stack_limit {
                return Err(Trap::new(TrapKind::StackOverflow).into());
            }
            store.inner.depth += 1;
            #[cfg(feature = "native")]
            let result = if store.inner.instances[instance]
                .module
                .inner
                .native
                .is_some()
            {
                crate::native::run::<T, native_exits::NativeExits>(store, instance, defined, args)
            } else {
                run_wasm(store, instance, defined, args)
            };
            #[cfg(not(feature = "native"))]
            let result = run_wasm(store, instance, defined, args);
            store.inner.depth -= 1;
            result
        }
    }
}

/// Runs defined function `defined` of `instance` in the interpreter: enters
/// it, then serves each exit and resumes, until it returns or traps.
fn run_wasm<T>(
    store: &mut Store<T>,
    instance: u32,
    defined: u32,
    args: &[u64],
) -> Result<Vec<u64>> {
    let mut exit = enter(store, instance, defined, args)?;
    loop {
        let results = match exit {
            Exit::Returned => return Ok(store.inner.interpreter.results().to_vec()),
            Exit::Trap(code) => {
                let backtrace = frames(store, instance, store.inner.interpreter.trap_backtrace());
                return Err(Trap::new(TrapKind::from_code(code))
                    .with_backtrace(backtrace)
                    .into());
            }
            Exit::FirstCall(func) => {
                exit = match ready(store, instance, func) {
                    Ok(()) => store.inner.interpreter.finish_first_call()?,
                    Err(error) => return Err(abandon(store, instance, error)),
                };
                continue;
            }
            Exit::TierUp { func, at_loop } => {
                tier_up(store, instance, func, at_loop);
                exit = store.inner.interpreter.finish_tier_up()?;
                continue;
            }
            exit => serve(store, instance, exit),
        };
        exit = match results {
            Ok(results) => resume(store, &results)?,
            Err(error) => return Err(abandon(store, instance, error)),
        };
    }
}

/// Starts an activation of defined function `defined` of `instance`; runs
/// it until it first stops.
fn enter<T>(store: &mut Store<T>, instance: u32, defined: u32, args: &[u64]) -> Result<Exit> {
    store.inner.sync_environments();
    let program = store.inner.instances[instance].module.inner.program.clone();
    let env = store.inner.environment(instance);
    Ok(store
        .inner
        .interpreter
        .call(&program, env, FuncIndex(defined), args)?)
}

/// Resumes the suspended activation on top with the results of the exit it
/// stopped at; runs it until it stops again.
fn resume<T>(store: &mut Store<T>, results: &[u64]) -> Result<Exit> {
    store.inner.sync_environments();
    Ok(store.inner.interpreter.finish_host_call(results)?)
}

/// Serves one exit of the activation running in `instance`: calls the
/// import or the other instance's function, or performs the builtin;
/// returns the results to resume with.
fn serve<T>(store: &mut Store<T>, instance: u32, exit: Exit) -> Result<Vec<u64>> {
    match exit {
        Exit::HostCall(import) => {
            let args = host_args(store);
            call_import(store, instance, import.0, &args)
        }
        Exit::ExternalCall { handle } => {
            let args = host_args(store);
            let target = (handle - 1) as u32;
            invoke(store, target, &args, Some(instance))
        }
        Exit::Builtin(builtin) => {
            let args = host_args(store);
            builtins::perform(store, instance, builtin.0, &args)
        }
        Exit::OutOfFuel => Err(Trap::new(TrapKind::OutOfFuel).into()),
        Exit::Returned | Exit::Trap(_) | Exit::FirstCall(_) | Exit::TierUp { .. } => {
            Err(pulley_interp::CallError::NotSuspended {
                expected: "an exit to serve",
            }
            .into())
        }
    }
}

/// Readies defined function `func` of `instance`'s module at its first call
/// (in this store; another may have readied it already): compiles it, or
/// verifies the artifact's code for it.
fn ready<T>(store: &Store<T>, instance: u32, func: FuncIndex) -> Result<()> {
    let module = &store.inner.instances[instance].module.inner;
    #[cfg(feature = "compiler")]
    if let Some(lazy) = &module.lazy {
        return lazy.ensure_compiled(&module.program, func.0);
    }
    Ok(module.program.verify_pending(func)?)
}

/// Compiles defined function `func` of `instance`'s module with the
/// optimizing tier, once it counted as hot, unless that was done or is
/// under way; at a loop header (`at_loop`), its on-stack entry there
/// first, for the frame that asked to move into. In the background if the
/// engine says so (the baseline code runs on meanwhile: calls enter the
/// new code once it is there, and the frame moves once it asks again), on
/// the engine's tier-up worker; else here. Code that counts is only ever
/// the baseline tier's, of a lazy module. A function or entry the
/// optimizing tier refuses keeps the baseline code running.
fn tier_up<T>(store: &Store<T>, instance: u32, func: FuncIndex, at_loop: Option<u32>) {
    #[cfg(feature = "compiler")]
    {
        let module = &store.inner.instances[instance].module;
        let Some(lazy) = &module.inner.lazy else {
            return;
        };
        let on_stack = at_loop.filter(|&header| lazy.request_on_stack_entry(func.0, header));
        let upgrade = lazy.request_tier_up(func.0);
        let background = module.inner.engine.config().get_tier_up_in_background();
        for header in on_stack
            .map(Some)
            .into_iter()
            .chain(upgrade.then_some(None))
        {
            let work = move |module: &crate::Module| {
                let inner = &module.inner;
                if let Some(lazy) = &inner.lazy {
                    match header {
                        Some(header) => lazy.compile_on_stack_entry(&inner.program, func.0, header),
                        None => lazy.tier_up(&inner.program, func.0),
                    }
                }
            };
            if background {
                let queued = module.clone();
                let job = alloc::boxed::Box::new(move || work(&queued));
                if let Err(job) = module.inner.engine.tier_up_worker().queue(job) {
                    job();
                }
            } else {
                work(module);
            }
        }
    }
    #[cfg(not(feature = "compiler"))]
    let _ = (store, instance, func, at_loop);
}

/// Calls import `import` of `instance` (interpreted or native) with `args`.
fn call_import<T>(
    store: &mut Store<T>,
    instance: u32,
    import: u32,
    args: &[u64],
) -> Result<Vec<u64>> {
    match store.inner.instances[instance]
        .funcs
        .get(import as usize)
        .copied()
    {
        Some(target) => invoke(store, target, args, Some(instance)),
        None => Err(UsageError::NoSuchFunction.into()),
    }
}

/// Ends the suspended activation on top after serving its exit failed; a
/// trap gains the activation's frames in its backtrace.
fn abandon<T>(store: &mut Store<T>, instance: u32, error: Error) -> Error {
    let positions = store.inner.interpreter.backtrace();
    let outer = frames(store, instance, &positions);
    let _ = store.inner.interpreter.abort();
    match error {
        Error::Trap(trap) => Error::Trap(trap.extended(outer)),
        other => other,
    }
}

#[cfg(all(test, feature = "wat"))]
mod tests {
    use crate::{Caller, Engine, Linker, Module, Store, Val};

    const MODULE: &str = r#"(module
      (import "host" "tick" (func $tick))
      (import "host" "grow" (func $grow))
      (memory (export "memory") 1)
      (func (export "ticks") (param $n i32)
        (loop $again
          (call $tick)
          (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $again)))
      ;; Grows memory from the host, then stores past the old end.
      (func (export "grow_then_store") (result i32)
        (call $grow)
        (i32.store (i32.const 65536) (i32.const 7))
        (i32.load (i32.const 65536))))"#;

    fn setup() -> (Store<()>, crate::Instance) {
        let engine = Engine::default();
        let module = Module::new(&engine, MODULE).unwrap();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.func_wrap("host", "tick", || {}).unwrap();
        linker
            .func_wrap("host", "grow", |mut caller: Caller<'_, ()>| {
                let memory = caller.get_export("memory").unwrap().into_memory().unwrap();
                memory.grow(&mut caller, 1).unwrap();
            })
            .unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        (store, instance)
    }

    /// Host calls that move nothing leave the environments alone.
    #[test]
    fn environments_are_not_repointed_after_every_host_call() {
        let (mut store, instance) = setup();
        let ticks = instance.get_func(&store, "ticks").unwrap();
        ticks.call(&mut store, &[Val::I32(1)], &mut []).unwrap();
        let before = store.inner.environment_refreshes();
        ticks.call(&mut store, &[Val::I32(1000)], &mut []).unwrap();
        assert_eq!(store.inner.environment_refreshes(), before);
    }

    /// A memory the host grows in the middle of a call is seen by the code
    /// that resumes.
    #[test]
    fn a_move_during_a_host_call_repoints_the_environments() {
        let (mut store, instance) = setup();
        let ticks = instance.get_func(&store, "ticks").unwrap();
        ticks.call(&mut store, &[Val::I32(1)], &mut []).unwrap();
        let func = instance.get_func(&store, "grow_then_store").unwrap();
        let before = store.inner.environment_refreshes();
        let mut results = [Val::I32(0)];
        func.call(&mut store, &[], &mut results).unwrap();
        assert_eq!(results, [Val::I32(7)]);
        assert_eq!(store.inner.environment_refreshes(), before + 1);
    }
}
