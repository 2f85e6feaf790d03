//! The engines compared, and what each does inside a child process: compile
//! the module, link WASI and `bench.start`/`bench.end`, instantiate, call the
//! entry point ([`entry_points`]).

mod pulley;
mod wasmi;
mod wasmtime;

use std::time::{Duration, Instant};

use ::pulley::CompilationMode as PulleyMode;
use ::wasmi::CompilationMode as WasmiMode;
use anyhow::{Context, Result, anyhow, bail};

use self::pulley::Target;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Engine {
    /// Our interpreter through the `pulley` crate's API, in the runtime's
    /// default compilation mode (`CompilationMode::LazyTranslation`): the
    /// module is validated up front, each function compiled at its first call.
    Pulley,
    /// Our interpreter compiling every function up front
    /// (`CompilationMode::Eager`).
    PulleyEager,
    /// Our interpreter validating and compiling each function at its first
    /// call (`CompilationMode::Lazy`).
    PulleyLazy,
    /// Our interpreter in the default mode with the optimizing tier first
    /// (`FirstTier::Optimizing`): no tiers.
    PulleyOptimizing,
    /// The same IR compiled to host machine code (the runtime's `native`
    /// feature, docs/native.md).
    PulleyNative,
    /// Wasmtime 48 compiling to native code with Cranelift.
    Wasmtime,
    /// Wasmtime 48 compiling to its own Pulley bytecode and interpreting it.
    WasmtimePulley,
    /// wasmi 2, eager translation (compile time is all translation).
    Wasmi,
    /// wasmi 2 in its default mode (`CompilationMode::LazyTranslation`):
    /// validated up front, each function translated at its first call.
    WasmiLazy,
    /// wasm3 0.4.7 through `benches/wasm3/driver.c` (built by
    /// `benches/wasm3/build.sh`): a separate executable.
    Wasm3,
}

impl Engine {
    pub const ALL: [Engine; 10] = [
        Engine::Pulley,
        Engine::PulleyEager,
        Engine::PulleyLazy,
        Engine::PulleyOptimizing,
        Engine::PulleyNative,
        Engine::Wasmtime,
        Engine::WasmtimePulley,
        Engine::Wasmi,
        Engine::WasmiLazy,
        Engine::Wasm3,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Pulley => "pulley",
            Engine::PulleyEager => "pulley-eager",
            Engine::PulleyLazy => "pulley-lazy",
            Engine::PulleyOptimizing => "pulley-optimizing",
            Engine::PulleyNative => "pulley-native",
            Engine::Wasmtime => "wasmtime",
            Engine::WasmtimePulley => "wasmtime-pulley",
            Engine::Wasmi => "wasmi",
            Engine::WasmiLazy => "wasmi-lazy",
            Engine::Wasm3 => "wasm3",
        }
    }

    /// What the engine is, for the tables' legend.
    pub fn description(self) -> &'static str {
        match self {
            Engine::Pulley => {
                "Pulley's interpreter (this repository, `pulley` crate API), in its default \
                 mode: lazy translation (module validated up front, each function compiled at \
                 its first call) with the baseline tier first (one pass from wasm to bytecode); \
                 a function tiers up to the optimizing compiler after 10,000 calls and loop \
                 iterations, and a frame running a hot loop moves into optimized code, \
                 compiled on another thread"
            }
            Engine::PulleyEager => "Pulley's interpreter, every function compiled up front",
            Engine::PulleyLazy => {
                "Pulley's interpreter, each function validated and compiled at its first call"
            }
            Engine::PulleyOptimizing => {
                "Pulley's interpreter, lazy translation with the optimizing compiler first (no \
                 tiers)"
            }
            Engine::PulleyNative => "Pulley's native mode: the same IR, Cranelift to host code",
            Engine::Wasmtime => "Wasmtime 48, Cranelift to native code",
            Engine::WasmtimePulley => {
                "Wasmtime 48, Cranelift to Wasmtime's own Pulley bytecode (`pulley64`)"
            }
            Engine::Wasmi => "wasmi 2.0, eager translation",
            Engine::WasmiLazy => {
                "wasmi 2.0 in its default mode: lazy translation (module validated up front, \
                 each function translated at its first call)"
            }
            Engine::Wasm3 => "wasm3 0.4.7 (C, built by benches/wasm3/build.sh)",
        }
    }

    pub fn from_name(name: &str) -> Result<Engine> {
        if let Some(engine) = Engine::ALL.into_iter().find(|engine| engine.name() == name) {
            return Ok(engine);
        }
        let names: Vec<_> = Engine::ALL.iter().map(|engine| engine.name()).collect();
        bail!(
            "unknown engine {name:?}: expected one of {}",
            names.join(", ")
        )
    }
}

/// What a program needs from its engine: its arguments (module path
/// first), with the working directory pre-opened as `.` and the process's
/// standard streams.
pub struct Invocation<'a> {
    pub wasm: &'a str,
    pub args: &'a [String],
    /// Stop just before the entry point is called (`child --startup-only`):
    /// to profile start-up alone, under callgrind for instance.
    pub startup_only: bool,
}

/// The outcome of one run, measured inside the child.
pub struct Measurement {
    /// From the module's bytes to a compiled module.
    pub compile: Duration,
    /// From the module's bytes to just before the entry point is called:
    /// compilation, linking, instantiation and the start function.
    pub startup: Duration,
    /// The entry points' run, unless the invocation stopped at start-up.
    pub ran: Option<Ran>,
}

/// What the entry points' run measured.
pub struct Ran {
    /// Between `bench.start` and `bench.end`, or the whole call of the entry
    /// points if the program does not call them.
    pub run: Duration,
    /// The program's exit status (`proc_exit`, or 0 when the entry points
    /// return).
    pub exit: i32,
}

/// Where a run failed: the report's `error` line names it, so that the
/// table can tell a module an engine cannot compile from a trap.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Phase {
    /// Reading, validating or compiling the module.
    Compile,
    /// Linking WASI and `bench`, instantiating, finding the entry point.
    Link,
    /// An entry point trapped or failed (other than by `proc_exit`).
    Trap,
}

impl Phase {
    pub const ALL: [Phase; 3] = [Phase::Compile, Phase::Link, Phase::Trap];

    /// The word in the report file (`error compile ...`).
    pub fn name(self) -> &'static str {
        match self {
            Phase::Compile => "compile",
            Phase::Link => "link",
            Phase::Trap => "trap",
        }
    }
}

/// A run that did not reach the end of its entry point.
pub struct Failed {
    pub phase: Phase,
    pub error: anyhow::Error,
}

/// Tags an engine's error with the phase it happened in.
pub trait InPhase<T> {
    fn in_phase(self, phase: Phase) -> Result<T, Failed>;
}

impl<T, E: Into<anyhow::Error>> InPhase<T> for Result<T, E> {
    fn in_phase(self, phase: Phase) -> Result<T, Failed> {
        self.map_err(|error| Failed {
            phase,
            error: error.into(),
        })
    }
}

/// Runs the program on one of the engines linked into this executable.
pub fn run(engine: Engine, invocation: &Invocation) -> Result<Measurement, Failed> {
    let bytes = std::fs::read(invocation.wasm)
        .with_context(|| format!("cannot read {}", invocation.wasm))
        .in_phase(Phase::Compile)?;
    match engine {
        Engine::Pulley => pulley::run(
            bytes,
            invocation,
            Target::Bytecode(PulleyMode::LazyTranslation),
        ),
        Engine::PulleyEager => pulley::run(bytes, invocation, Target::Bytecode(PulleyMode::Eager)),
        Engine::PulleyLazy => pulley::run(bytes, invocation, Target::Bytecode(PulleyMode::Lazy)),
        Engine::PulleyOptimizing => pulley::run(bytes, invocation, Target::OptimizingFirst),
        Engine::PulleyNative => pulley::run(bytes, invocation, Target::Native),
        Engine::Wasmtime => wasmtime::run(&bytes, invocation, false),
        Engine::WasmtimePulley => wasmtime::run(&bytes, invocation, true),
        Engine::Wasmi => wasmi::run(&bytes, invocation, WasmiMode::Eager),
        Engine::WasmiLazy => wasmi::run(&bytes, invocation, WasmiMode::LazyTranslation),
        Engine::Wasm3 => Err(anyhow!("wasm3 runs as its own executable")).in_phase(Phase::Link),
    }
}

/// The exports a run calls, in order, chosen as Wasmtime's and wasmi's `run`
/// commands choose them: `_start` if the module exports it (a WASI command);
/// otherwise `_initialize` if it is exported, then the default export `""`
/// (the entry of modules such as ITK-Wasm's). `export` looks a function up
/// by name and gives it the type `() -> ()`.
pub fn entry_points<F, E: Into<anyhow::Error>>(
    mut export: impl FnMut(&str) -> Option<Result<F, E>>,
) -> Result<Vec<F>, Failed> {
    let mut get = |name: &str| {
        export(name)
            .transpose()
            .map_err(Into::into)
            .with_context(|| format!("the export {name:?}"))
            .in_phase(Phase::Link)
    };
    if let Some(start) = get("_start")? {
        return Ok(vec![start]);
    }
    let initialize = get("_initialize")?;
    let main = get("")?
        .context("the module exports neither `_start` nor the default export \"\"")
        .in_phase(Phase::Link)?;
    Ok(initialize.into_iter().chain([main]).collect())
}

/// The times recorded by the host functions `bench.start` and `bench.end`.
#[derive(Default)]
pub struct BenchClock {
    started: Option<Instant>,
    measured: Option<Duration>,
}

impl BenchClock {
    pub fn start(&mut self) {
        self.started = Some(Instant::now());
    }

    pub fn end(&mut self) {
        if let Some(started) = self.started.take() {
            *self.measured.get_or_insert_default() += started.elapsed();
        }
    }

    /// The measured region, or `whole` (the entry points' calls) if there
    /// was none.
    pub fn measured_or(&self, whole: Duration) -> Duration {
        self.measured.unwrap_or(whole)
    }
}
