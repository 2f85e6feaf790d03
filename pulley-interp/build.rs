//! Chooses the dispatch mode of the interpreter (see `Dispatch` in the crate):
//!
//! * `become`: `become` with `extern "rust-preserve-none"` handlers, when the
//!   `nightly` feature is on;
//! * `tail`: plain calls in tail position, on optimized builds without debug
//!   assertions, for targets where LLVM is known to turn them into jumps (the
//!   torture test checks). Debug assertions (the standard library's checks
//!   of unsafe preconditions among them) keep LLVM from emitting sibling
//!   calls even at opt-level 2: the torture test overflows the native stack
//!   there;
//! * `loop`: a loop over a match, everywhere else.
//!
//! `PULLEY_DISPATCH=loop|tail|become` overrides the choice (for benchmarks
//! that compare modes on one host).
//!
//! It also sets `rounding_instruction` on hosts that round floats to
//! integers in one instruction (src/float_math.rs).

use std::env;

/// Targets where optimized builds reliably emit sibling calls for handlers:
/// `arm` (32-bit, in ARM mode: Thumb targets such as thumbv7em are not
/// proven) passes the torture test under qemu in release builds
/// (docs/portability.md; CI runs it); i686, powerpc and s390x do not.
const TAIL_CALL_ARCHES: &[&str] = &["x86_64", "aarch64", "arm"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(pulley_dispatch, values(\"become\", \"tail\", \"loop\"))");
    println!("cargo::rerun-if-env-changed=PULLEY_DISPATCH");
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimized = env::var("OPT_LEVEL").is_ok_and(|level| level != "0")
        && env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_none();
    // Thumb targets (thumbv7em-none-eabihf, ...) share `arm` but not the proof.
    let thumb = env::var("TARGET").is_ok_and(|target| target.starts_with("thumb"));
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
        Err(_) if optimized && !thumb && TAIL_CALL_ARCHES.contains(&arch.as_str()) => {
            "tail".to_string()
        }
        Err(_) => "loop".to_string(),
    };
    println!("cargo::rustc-cfg=pulley_dispatch=\"{mode}\"");

    // Hosts with an instruction that rounds a float to an integer
    // (src/float_math.rs uses the library's functions there).
    println!("cargo::rustc-check-cfg=cfg(rounding_instruction)");
    let features = env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let sse4_1 = features.split(',').any(|feature| feature == "sse4.1");
    let rounding_instruction = match arch.as_str() {
        "aarch64" | "s390x" => true,
        "x86" | "x86_64" => sse4_1,
        _ => false,
    };
    if rounding_instruction {
        println!("cargo::rustc-cfg=rounding_instruction");
    }
}
