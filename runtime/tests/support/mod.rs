//! Running the real programs of ../shared/bench-wasm from integration tests:
//! shared by the test files that need them (`mod support;`, or
//! `#[path = "../support/mod.rs"] mod support;` from a test folder's
//! `main.rs`).

// Each test file that includes this module uses a part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use pulley::wasi::{self, WasiCtx, WasiCtxBuilder};
use pulley::{Engine, Linker, Module, Store, TrapKind};

/// The benchmark programs' folder, if this checkout has it beside it (it is
/// part of the shared workspace, not of the repository); says so when not.
pub fn bench_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench-wasm");
    if dir.join("manifest.json").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

/// How a program's module reaches the engine.
#[derive(Clone, Copy)]
pub enum Via {
    /// Compiled from its wasm.
    Wasm,
    /// Compiled, serialized to an artifact and deserialized again.
    Artifact,
}

/// Runs WASI program `wasm` in `dir` (pre-opened as `.`) with `args` and
/// `stdin`, with no-op `bench.start`/`bench.end`; returns the exit status and
/// stdout.
pub fn run_program(
    dir: &Path,
    wasm: &str,
    args: &[&str],
    stdin: Vec<u8>,
    via: Via,
) -> (i32, Vec<u8>) {
    let engine = Engine::default();
    let bytes = fs::read(dir.join(wasm)).unwrap();
    let mut module = Module::new(&engine, &bytes).expect("the program compiles");
    if let Via::Artifact = via {
        module = Module::deserialize(
            &engine,
            &module.serialize().expect("a bytecode module serializes"),
        )
        .expect("its artifact loads");
    }
    let mut linker = Linker::new(&engine);
    wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).unwrap();
    linker.func_wrap("bench", "start", || {}).unwrap();
    linker.func_wrap("bench", "end", || {}).unwrap();
    let mut builder = WasiCtxBuilder::new();
    builder.arg(wasm).args(args).stdin(stdin);
    builder.preopened_dir(dir, ".").unwrap();
    let stdout = builder.stdout_buffer();
    let _stderr = builder.stderr_buffer();
    let mut store = Store::new(&engine, builder.build());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let start = instance.get_typed_func::<(), ()>(&store, "_start").unwrap();
    let status = match start.call(&mut store, ()) {
        Ok(()) => 0,
        Err(error) => match error.as_trap().map(|trap| trap.kind()) {
            Some(TrapKind::Exit(status)) => *status,
            _ => panic!("{wasm} failed: {error}"),
        },
    };
    (status, stdout.take())
}
