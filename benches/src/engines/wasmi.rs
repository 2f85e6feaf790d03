//! wasmi 2 with WASI preview1 from `wasmi_wasi` (wasi-common).
//!
//! wasmi translates lazily by default (`wasmi-lazy`, the counterpart of
//! Pulley's default); eager translation (`wasmi`) makes its compile time
//! comparable with the eager engines' and keeps translation out of the
//! measured region. Its default call depth (1000 frames) is far below the
//! others' and stops deep recursion that they run, so it gets Pulley's
//! (`pulley::Config::max_frames`, 50 000) and room on its value stack to
//! match. It is built with its `simd` feature (off by default), so that it
//! runs the SIMD program (meshoptimizer) too.

use std::time::Instant;

use wasmi::{Caller, CompilationMode, Config, Engine, Linker, Module, Store};
use wasmi_wasi::{WasiCtx, WasiCtxBuilder, ambient_authority};

use super::{BenchClock, Failed, InPhase, Invocation, Measurement, Phase, Ran, entry_points};

struct Host {
    wasi: WasiCtx,
    clock: BenchClock,
}

/// Runs the program with wasmi translating its functions as `mode` says.
pub fn run(
    bytes: &[u8],
    invocation: &Invocation,
    mode: CompilationMode,
) -> Result<Measurement, Failed> {
    let mut config = Config::default();
    config
        .compilation_mode(mode)
        .set_max_recursion_depth(50_000)
        .set_max_stack_height(64 << 20);
    let engine = Engine::new(&config);
    let started = Instant::now();
    let module = Module::new(&engine, bytes).in_phase(Phase::Compile)?;
    let compile = started.elapsed();

    let mut args = vec![invocation.wasm.to_owned()];
    args.extend_from_slice(invocation.args);
    let dir = wasmi_wasi::Dir::open_ambient_dir(".", ambient_authority()).in_phase(Phase::Link)?;
    let wasi = WasiCtxBuilder::new()
        .args(&args)
        .in_phase(Phase::Link)?
        .preopened_dir(dir, ".")
        .in_phase(Phase::Link)?
        .inherit_stdio()
        .build();
    let host = Host {
        wasi,
        clock: BenchClock::default(),
    };
    let mut store = Store::new(&engine, host);
    let mut linker = Linker::new(&engine);
    wasmi_wasi::add_to_linker(&mut linker, |host: &mut Host| &mut host.wasi)
        .in_phase(Phase::Link)?;
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
        .instantiate_and_start(&mut store, &module)
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
        Err(error) => match error.i32_exit_status() {
            Some(status) => status,
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
