//! Differential fuzzing: Pulley (optimized and not) against Wasmtime.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pulley_fuzz::oracle::TestCase;
use pulley_fuzz::panel::Panel;

static PANEL: OnceLock<Panel> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(case) = TestCase::generate(data) else {
        return;
    };
    let verdict = PANEL
        .get_or_init(Panel::new)
        .judge(&case.wasm, &case.arguments);
    if let Some(failure) = verdict.failure {
        panic!("divergence: {failure}");
    }
});
