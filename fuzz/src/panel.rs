//! The engines a test case runs on, and the verdict: Pulley (the interpreter
//! on optimized and unoptimized code, on baseline code that tiers up in the
//! middle of runs, and native code) is under test,
//! Wasmtime with Cranelift is the reference, and wasmi runs alongside as a
//! second opinion whose divergences are reported but are not Pulley's
//! failures. Native code refuses SIMD, so SIMD modules skip it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crate::engines::{Pulley, Wasmi, Wasmtime};
use crate::oracle::{Engine, Observation, difference};
use pulley::CompilationMode;
use wasmparser::{Validator, WasmFeatures};

/// The engines, built once and reused for every test case.
pub struct Panel {
    pulley: Pulley,
    pulley_unoptimized: Pulley,
    pulley_baseline: Pulley,
    pulley_native: Pulley,
    wasmtime: Wasmtime,
    wasmi: Wasmi,
}

/// What one engine made of a test case.
pub struct Run {
    /// The engine's name.
    pub engine: &'static str,
    /// What it observed, or why it could not run the module.
    pub observation: Result<Observation, String>,
    /// How long it took (compilation included).
    pub time: Duration,
}

/// The outcome of one test case.
pub struct Verdict {
    /// The runs of the engines under test.
    pub under_test: Vec<Run>,
    /// The reference's run.
    pub reference: Run,
    /// The peers' runs.
    pub peers: Vec<Run>,
    /// How an engine under test differs from the reference: a failure.
    pub failure: Option<String>,
    /// Why the reference could not run the module (the case says nothing).
    pub reference_error: Option<String>,
    /// How peers differ from the reference: reported, not failures.
    pub peer_divergences: Vec<String>,
    /// Whether the module uses SIMD (so native code did not run it).
    pub simd: bool,
}

impl Panel {
    /// The panel, with its engines configured for generated test cases.
    pub fn new() -> Panel {
        Panel {
            // The default: functions compile at their first call.
            pulley: Pulley {
                optimize: true,
                native: false,
                compilation: CompilationMode::LazyTranslation,
                baseline: None,
            },
            // Bodies validated only when compiled too.
            pulley_unoptimized: Pulley {
                optimize: false,
                native: false,
                compilation: CompilationMode::Lazy,
                baseline: None,
            },
            // Baseline code, validated when compiled, whose functions tier
            // up after 3 calls and loop iterations: in the middle of runs.
            pulley_baseline: Pulley {
                optimize: true,
                native: false,
                compilation: CompilationMode::Lazy,
                baseline: Some(3),
            },
            pulley_native: Pulley {
                optimize: true,
                native: true,
                compilation: CompilationMode::Eager,
                baseline: None,
            },
            wasmtime: Wasmtime::new(),
            wasmi: Wasmi,
        }
    }

    /// Runs `wasm` on every engine and compares each with the reference.
    pub fn judge(&self, wasm: &[u8], arguments: &[u8]) -> Verdict {
        let run = |engine: &dyn Engine| Run::new(engine, wasm, arguments);
        let simd = uses_simd(wasm);
        let mut under_test = vec![
            run(&self.pulley),
            run(&self.pulley_unoptimized),
            run(&self.pulley_baseline),
        ];
        if !simd {
            under_test.push(run(&self.pulley_native));
        }
        let reference = run(&self.wasmtime);
        let peers = [run(&self.wasmi)];
        let compare = |run: &Run| match (&reference.observation, &run.observation) {
            (Err(_), _) => None,
            (Ok(_), Err(error)) => Some(format!("{}: {error}", run.engine)),
            (Ok(expected), Ok(observed)) => {
                difference(observed, expected).map(|d| format!("{}: {d}", run.engine))
            }
        };
        let failure = under_test.iter().find_map(compare);
        let peer_divergences = peers.iter().filter_map(compare).collect();
        let reference_error = reference
            .observation
            .as_ref()
            .err()
            .map(|e| format!("{}: {e}", reference.engine));
        Verdict {
            under_test,
            reference,
            peers: Vec::from(peers),
            failure,
            reference_error,
            peer_divergences,
            simd,
        }
    }
}

impl Run {
    /// Runs `wasm` on `engine`. An engine that panics has failed the case,
    /// whichever engine it is: the run records the panic instead of ending
    /// the fuzzing session.
    pub fn new(engine: &dyn Engine, wasm: &[u8], arguments: &[u8]) -> Run {
        let start = Instant::now();
        let observation = catch_unwind(AssertUnwindSafe(|| engine.observe(wasm, arguments)))
            .unwrap_or_else(|payload| Err(format!("panicked: {}", panic_message(&*payload))));
        Run {
            engine: engine.name(),
            observation,
            time: start.elapsed(),
        }
    }
}

impl Default for Panel {
    fn default() -> Self {
        Panel::new()
    }
}

impl Verdict {
    /// Every run: the engines under test, the reference, then the peers.
    pub fn runs(&self) -> impl Iterator<Item = &Run> {
        self.under_test
            .iter()
            .chain([&self.reference])
            .chain(&self.peers)
    }
}

/// Whether `wasm` validates only with SIMD (or not at all).
fn uses_simd(wasm: &[u8]) -> bool {
    let features = WasmFeatures::all() - WasmFeatures::SIMD - WasmFeatures::RELAXED_SIMD;
    Validator::new_with_features(features)
        .validate_all(wasm)
        .is_err()
}

/// The message a panic was raised with.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "(no message)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::{Outcome, Session};

    /// An engine that panics while compiling, as wasmi 2.0 does on some
    /// generated modules.
    struct Panicking;

    impl Engine for Panicking {
        fn name(&self) -> &'static str {
            "panicking"
        }

        fn instantiate(
            &self,
            _wasm: &[u8],
        ) -> Result<Result<Box<dyn Session + '_>, Outcome>, String> {
            panic!("entered unreachable code")
        }
    }

    #[test]
    fn a_panicking_engine_fails_its_run_without_ending_the_session() {
        let run = Run::new(&Panicking, b"\0asm\x01\0\0\0", &[]);
        assert_eq!(run.engine, "panicking");
        assert_eq!(
            run.observation.err().as_deref(),
            Some("panicked: entered unreachable code")
        );
    }
}
