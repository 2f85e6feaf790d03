//! Programs of the shared collection that cannot pass on every engine, and
//! why. The runner still runs them and the tables show what happened, marked
//! with the reason, so that a known gap is neither hidden nor mistaken for a
//! regression.

use crate::engines::Engine;

/// Why a program cannot give the manifest's outcome everywhere.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KnownIssue {
    /// It prints its own timings, so its output differs from the recorded
    /// one on every run: only its exit status is checked, and its times are
    /// shown but left out of the geometric means.
    PrintsTimings,
    /// It uses 128-bit SIMD, which wasm3 and Pulley's native mode do not
    /// support: it cannot compile there (see [`KnownIssue::affects`]).
    NeedsSimd,
}

impl KnownIssue {
    /// The program's issue, if it has one.
    pub fn of(program: &str) -> Option<KnownIssue> {
        match program {
            "hashset" | "wasm3/stream" => Some(KnownIssue::PrintsTimings),
            // meshoptimizer, and the ITK-Wasm modules of programs/large.json.
            "meshoptimizer"
            | "large/resample --help"
            | "large/downsample --help"
            | "large/gaussian-kernel-radius --help" => Some(KnownIssue::NeedsSimd),
            _ => None,
        }
    }

    /// Whether the issue concerns `engine` (SIMD is missing only from some).
    pub fn affects(self, engine: Engine) -> bool {
        match self {
            KnownIssue::PrintsTimings => true,
            KnownIssue::NeedsSimd => matches!(engine, Engine::Wasm3 | Engine::PulleyNative),
        }
    }

    /// The table's footnote.
    pub fn explanation(self) -> &'static str {
        match self {
            KnownIssue::PrintsTimings => {
                "prints its own timings, so its output never matches the recorded one: \
                 only the exit status is checked, and its times stay out of the geomeans"
            }
            KnownIssue::NeedsSimd => {
                "needs 128-bit SIMD, which wasm3 and Pulley's native mode do not support: it \
                 fails to compile there"
            }
        }
    }
}
