//! Real programs from ../shared/bench-wasm, when that folder is there.

use std::fs;

use crate::support::{Via, bench_dir, run_program};

#[test]
fn sightglass_noop() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("sightglass/noop");
    let (status, stdout) = run_program(&dir, "benchmark.wasm", &[], Vec::new(), Via::Wasm);
    assert_eq!(status, 0);
    assert_eq!(
        stdout,
        fs::read(dir.join("benchmark.stdout.expected")).unwrap()
    );
}

#[test]
fn wasm3_brotli_decompresses_stdin() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("wasm3/brotli");
    let compressed = fs::read(dir.join("alice29.txt.compressed")).unwrap();
    let (status, stdout) = run_program(&dir, "brotli.wasm", &["-d", "-c"], compressed, Via::Wasm);
    assert_eq!(status, 0);
    assert_eq!(stdout, fs::read(dir.join("alice29.txt")).unwrap());
}
