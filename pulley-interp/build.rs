//! Chooses the dispatch mode of the interpreter (see `Dispatch` in the crate):
//!
//! * `become`: `become` with `extern "rust-preserve-none"` handlers, when the
//!   `nightly` feature is on;
//! * `tail`: plain calls in tail position, on optimized builds for targets
//!   where LLVM is known to turn them into jumps (the torture test checks);
//! * `loop`: a loop over a match, everywhere else.
//!
//! `PULLEY_DISPATCH=loop|tail|become` overrides the choice (for benchmarks
//! that compare modes on one host).

use std::env;

/// Targets where optimized builds reliably emit sibling calls for handlers.
const TAIL_CALL_ARCHES: &[&str] = &["x86_64", "aarch64"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(pulley_dispatch, values(\"become\", \"tail\", \"loop\"))");
    println!("cargo::rerun-if-env-changed=PULLEY_DISPATCH");
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimized = env::var("OPT_LEVEL").is_ok_and(|level| level != "0");
    let nightly = env::var_os("CARGO_FEATURE_NIGHTLY").is_some();
    let mode = match env::var("PULLEY_DISPATCH") {
        Ok(mode) => {
            assert!(
                matches!(mode.as_str(), "become" | "tail" | "loop"),
                "PULLEY_DISPATCH must be become, tail or loop, not {mode:?}"
            );
            assert!(
                mode != "become" || nightly,
                "PULLEY_DISPATCH=become needs the `nightly` feature"
            );
            mode
        }
        Err(_) if nightly => "become".to_string(),
        Err(_) if optimized && TAIL_CALL_ARCHES.contains(&arch.as_str()) => "tail".to_string(),
        Err(_) => "loop".to_string(),
    };
    println!("cargo::rustc-cfg=pulley_dispatch=\"{mode}\"");
}
