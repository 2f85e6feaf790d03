//! Wasmtime 48 with Cranelift, compiling to native code or (`pulley64`) to
//! its own Pulley bytecode; WASI preview1 from `wasmtime-wasi`.
//!
//! Compilation runs on one thread (no `parallel-compilation` feature), as
//! ours does.

use std::time::Instant;

use wasmtime::{Caller, Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

use super::{BenchClock, Failed, InPhase, Invocation, Measurement, Phase, Ran, entry_points};

struct Host {
    wasi: WasiP1Ctx,
    clock: BenchClock,
}

pub fn run(bytes: &[u8], invocation: &Invocation, pulley: bool) -> Result<Measurement, Failed> {
    let mut config = Config::new();
    if pulley {
        config.target("pulley64").in_phase(Phase::Compile)?;
    }
    let engine = Engine::new(&config).in_phase(Phase::Compile)?;
    let started = Instant::now();
    let module = Module::from_binary(&engine, bytes).in_phase(Phase::Compile)?;
    let compile = started.elapsed();

    let wasi = WasiCtxBuilder::new()
        .arg(invocation.wasm)
        .args(invocation.args)
        .preopened_dir(".", ".", FsPerms::ReadWrite)
        .in_phase(Phase::Link)?
        .inherit_stdio()
        .build_p1();
    let host = Host {
        wasi,
        clock: BenchClock::default(),
    };
    let mut store = Store::new(&engine, host);
    let mut linker = Linker::new(&engine);
    p1::add_to_linker_sync(&mut linker, |host: &mut Host| &mut host.wasi).in_phase(Phase::Link)?;
    linker
        .func_wrap("bench", "start", |mut caller: Caller<'_, Host>| {
            caller.data_mut().clock.start();
        })
        .in_phase(Phase::Link)?;
    linker
        .func_wrap("bench", "end", |mut caller: Caller<'_, Host>| {
            caller.data_mut().clock.end();
        })
        .in_phase(Phase::Link)?;
    let instance = linker
        .instantiate(&mut store, &module)
        .in_phase(Phase::Link)?;
    let entry = entry_points(|name| {
        instance
            .get_func(&mut store, name)
            .map(|func| func.typed::<(), ()>(&store))
    })?;
    let startup = started.elapsed();
    if invocation.startup_only {
        return Ok(Measurement {
            compile,
            startup,
            ran: None,
        });
    }

    let run_started = Instant::now();
    let outcome = entry.iter().try_for_each(|func| func.call(&mut store, ()));
    let whole = run_started.elapsed();
    let exit = match outcome {
        Ok(()) => 0,
        Err(error) => match error.downcast_ref::<I32Exit>() {
            Some(exit) => exit.0,
            None => return Err(error).in_phase(Phase::Trap),
        },
    };
    Ok(Measurement {
        compile,
        startup,
        ran: Some(Ran {
            run: store.data().clock.measured_or(whole),
            exit,
        }),
    })
}
