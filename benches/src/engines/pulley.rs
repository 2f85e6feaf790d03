//! Pulley (the interpreter, or native code) through the `pulley` crate's
//! embedding API, wired as
//! `pulley run --dir . PROGRAM` wires it (`pulley::wasi`, the host's standard
//! streams), with `bench.start`/`bench.end` as host functions that time the
//! measured region instead of the no-op `--preload bench=bench-stub.wasm`.

use std::time::Instant;

use pulley::wasi::{self, WasiCtx, WasiCtxBuilder};
use pulley::{Caller, CompilationMode, Config, Engine, FirstTier, Linker, Module, Store, TrapKind};

use super::{BenchClock, Failed, InPhase, Invocation, Measurement, Phase, Ran, entry_points};

/// What the module is compiled to, and when.
#[derive(Clone, Copy)]
pub enum Target {
    /// Bytecode for the interpreter, compiled when the mode says.
    Bytecode(CompilationMode),
    /// Bytecode compiled lazily by the optimizing tier first (no tiers).
    OptimizingFirst,
    /// Host machine code (the runtime's `native` feature), always compiled
    /// when the module is made.
    Native,
}

struct Host {
    wasi: WasiCtx,
    clock: BenchClock,
}

/// Runs `bytes`, which it takes: a lazily compiled module keeps the bytes
/// it compiles functions from without a copy (`Module::from_binary_vec`),
/// as the `pulley` command does.
pub fn run(bytes: Vec<u8>, invocation: &Invocation, target: Target) -> Result<Measurement, Failed> {
    // The `pulley` command's configuration: the host's flavour (or native
    // code), optimized.
    let mut config = Config::new();
    match target {
        Target::Bytecode(mode) => config.compilation_mode(mode),
        Target::OptimizingFirst => config.first_tier(FirstTier::Optimizing),
        Target::Native => config.native(true),
    };
    let engine = Engine::new(&config);
    let started = Instant::now();
    let module = Module::from_binary_vec(&engine, bytes).in_phase(Phase::Compile)?;
    let compile = started.elapsed();

    let mut builder = WasiCtxBuilder::new();
    builder
        .arg(invocation.wasm)
        .args(invocation.args)
        .preopened_dir(".", ".")
        .in_phase(Phase::Link)?
        .inherit_stdio();
    let host = Host {
        wasi: builder.build(),
        clock: BenchClock::default(),
    };
    let mut store = Store::new(&engine, host);
    let mut linker = Linker::new(&engine);
    wasi::add_to_linker(&mut linker, |host: &mut Host| &mut host.wasi).in_phase(Phase::Link)?;
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
            .get_func(&store, name)
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
        Err(error) => match error.as_trap().map(|trap| trap.kind()) {
            Some(TrapKind::Exit(status)) => *status,
            _ => return Err(error).in_phase(Phase::Trap),
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
