//! The engines compared, and what each does inside a child process: compile
//! the module, link WASI and `bench.start`/`bench.end`, call `_start`.

mod pulley;
mod wasmi;
mod wasmtime;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Engine {
    /// Our interpreter through the `pulley` crate's API.
    Pulley,
    /// The same IR compiled to host machine code (the runtime's `native`
    /// feature, docs/native.md).
    PulleyNative,
    /// Wasmtime 48 compiling to native code with Cranelift.
    Wasmtime,
    /// Wasmtime 48 compiling to its own Pulley bytecode and interpreting it.
    WasmtimePulley,
    /// wasmi 2, eager translation (compile time is all translation).
    Wasmi,
    /// wasm3 0.4.7 through `benches/wasm3/driver.c` (built by
    /// `benches/wasm3/build.sh`): a separate executable.
    Wasm3,
}

impl Engine {
    pub const ALL: [Engine; 6] = [
        Engine::Pulley,
        Engine::PulleyNative,
        Engine::Wasmtime,
        Engine::WasmtimePulley,
        Engine::Wasmi,
        Engine::Wasm3,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Pulley => "pulley",
            Engine::PulleyNative => "pulley-native",
            Engine::Wasmtime => "wasmtime",
            Engine::WasmtimePulley => "wasmtime-pulley",
            Engine::Wasmi => "wasmi",
            Engine::Wasm3 => "wasm3",
        }
    }

    /// What the engine is, for the tables' legend.
    pub fn description(self) -> &'static str {
        match self {
            Engine::Pulley => "Pulley's interpreter (this repository, `pulley` crate API)",
            Engine::PulleyNative => "Pulley's native mode: the same IR, Cranelift to host code",
            Engine::Wasmtime => "Wasmtime 48, Cranelift to native code",
            Engine::WasmtimePulley => {
                "Wasmtime 48, Cranelift to Wasmtime's own Pulley bytecode (`pulley64`)"
            }
            Engine::Wasmi => "wasmi 2.0, eager translation",
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
}

/// The outcome of one run, measured inside the child.
pub struct Measurement {
    /// From the module's bytes to a compiled module.
    pub compile: Duration,
    /// Between `bench.start` and `bench.end`, or the whole `_start` call if
    /// the program does not call them.
    pub run: Duration,
    /// The program's exit status (`proc_exit`, or 0 when `_start` returns).
    pub exit: i32,
}

/// Where a run failed: the report's `error` line names it, so that the
/// table can tell a module an engine cannot compile from a trap.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Phase {
    /// Reading, validating or compiling the module.
    Compile,
    /// Linking WASI and `bench`, instantiating, finding `_start`.
    Link,
    /// `_start` trapped or failed (other than by `proc_exit`).
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

/// A run that did not reach the end of `_start`.
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
        Engine::Pulley => pulley::run(&bytes, invocation, false),
        Engine::PulleyNative => pulley::run(&bytes, invocation, true),
        Engine::Wasmtime => wasmtime::run(&bytes, invocation, false),
        Engine::WasmtimePulley => wasmtime::run(&bytes, invocation, true),
        Engine::Wasmi => wasmi::run(&bytes, invocation),
        Engine::Wasm3 => Err(anyhow!("wasm3 runs as its own executable")).in_phase(Phase::Link),
    }
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

    /// The measured region, or `whole` (the `_start` call) if there was none.
    pub fn measured_or(&self, whole: Duration) -> Duration {
        self.measured.unwrap_or(whole)
    }
}
