//! What the runs of one (program, engine) pair came to: the medians of its
//! measurements with a verdict on its output, or why it has none.

use std::time::Duration;

use crate::engines::{Engine, Phase};
use crate::known::KnownIssue;

/// How a run that reached its end compares with the manifest.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Verdict {
    /// The expected exit status and output.
    Correct,
    /// The expected exit status; the output is not comparable
    /// ([`KnownIssue::PrintsTimings`]).
    Unchecked,
    WrongExit {
        expected: i32,
        got: i32,
    },
    /// The expected exit status, another output: its SHA-1 and its start.
    WrongOutput {
        sha1: String,
        start: String,
    },
}

/// Why a (program, engine) pair has no measurement.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Failure {
    /// The engine reported an error in this phase.
    Engine(Phase),
    /// Killed after `--timeout` seconds.
    Timeout,
    /// The child died without writing its report (a signal, an abort, a
    /// stack overflow of the engine itself).
    Crash,
    /// The harness could not run the child at all.
    Harness,
}

impl Failure {
    /// The table cell.
    pub fn label(&self) -> &'static str {
        match self {
            Failure::Engine(Phase::Compile) => "CANNOT COMPILE",
            Failure::Engine(Phase::Link) => "CANNOT LINK",
            Failure::Engine(Phase::Trap) => "TRAP",
            Failure::Timeout => "TIMEOUT",
            Failure::Crash => "CRASH",
            Failure::Harness => "NOT RUN",
        }
    }
}

/// The medians over the repeated runs of one (program, engine) pair, or why
/// they failed.
pub enum Cell {
    Measured {
        compile: Duration,
        /// From the module's bytes to the entry point's call (the child's
        /// compile time if its report has no start-up).
        startup: Duration,
        run: Duration,
        /// The child process's wall-clock time, from spawn to exit.
        wall: Duration,
        /// The largest peak over the runs, in KiB.
        max_rss_kib: u64,
        verdict: Verdict,
    },
    Failed {
        failure: Failure,
        message: String,
    },
}

impl Cell {
    /// Whether the run gave the manifest's exit status and output.
    pub fn correct(&self) -> bool {
        matches!(
            self,
            Cell::Measured {
                verdict: Verdict::Correct,
                ..
            }
        )
    }

    /// Whether `engine`'s cell is what the manifest expects, or the known
    /// issue of its program explains it.
    pub fn expected(&self, engine: Engine, known_issue: Option<KnownIssue>) -> bool {
        let known_issue = known_issue.filter(|issue| issue.affects(engine));
        match (self, known_issue) {
            (
                Cell::Measured {
                    verdict: Verdict::Correct,
                    ..
                },
                _,
            ) => true,
            (
                Cell::Measured {
                    verdict: Verdict::Unchecked,
                    ..
                },
                Some(KnownIssue::PrintsTimings),
            ) => true,
            // wasm3 compiles lazily: its SIMD failure may come from the call.
            (
                Cell::Failed {
                    failure: Failure::Engine(Phase::Compile | Phase::Trap),
                    ..
                },
                Some(KnownIssue::NeedsSimd),
            ) => true,
            _ => false,
        }
    }
}
