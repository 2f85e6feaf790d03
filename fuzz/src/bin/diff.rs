//! A bounded differential run on the stable toolchain, for CI:
//! `cargo run -p pulley-fuzz --release --bin diff -- --iterations N --seed S`.
//! Prints progress and each divergence (saving the module to
//! `fuzz/divergences/`), and ends with `N passed, N failed`. `--only I`
//! reruns iteration I of the seed and prints what every engine observed;
//! `--replay FILE` does so for a saved module (.wasm or .wat), arguments all
//! zero; `--input FILE` for an input of the cargo-fuzz `differential`
//! target (a crash it found, or a file of the kept corpus), saving its
//! module beside it first.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use pulley_fuzz::oracle::{Outcome, TestCase};
use pulley_fuzz::panel::{Panel, Verdict};
use pulley_fuzz::rng::SplitMix;

/// An engine taking longer than this on one module is reported.
const SLOW: Duration = Duration::from_secs(2);

const USAGE: &str = "usage: diff [--iterations N] [--seed S] [--only I] \
                     | diff --replay FILE.wasm|FILE.wat | diff --input FILE";

/// Tallies over a run.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    not_generated: u64,
    reference_errors: u64,
    peer_divergences: u64,
    simd_modules: u64,
    returned: u64,
    trapped: u64,
    exhausted: u64,
    instantiation_traps: u64,
}

fn main() -> ExitCode {
    let mut iterations = 1000u64;
    let mut seed = 0u64;
    let mut only = None;
    let mut args = std::env::args().skip(1);
    let panel = Panel::new();
    // A panicking engine is part of the verdict (see `Panel::judge`): one
    // line where it happened, not a backtrace in the middle of the report.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(ToString::to_string);
        eprintln!("panic at {}", location.unwrap_or_default());
    }));
    while let Some(arg) = args.next() {
        let value = args.next();
        let number = value.as_deref().and_then(|v| v.parse().ok());
        match (arg.as_str(), number) {
            ("--iterations", Some(v)) => iterations = v,
            ("--seed", Some(v)) => seed = v,
            ("--only", Some(v)) => only = Some(v),
            ("--input", _) if value.is_some() => {
                let path = value.unwrap_or_default();
                let Ok(data) = std::fs::read(&path) else {
                    eprintln!("cannot read {path}");
                    return ExitCode::from(2);
                };
                let Ok(case) = TestCase::generate(&data) else {
                    println!("{path} makes no test case");
                    return ExitCode::SUCCESS;
                };
                // Saved before anything runs: an engine may take the
                // process down with it.
                let saved = Path::new(&path).with_extension("wasm");
                let _ = std::fs::write(&saved, &case.wasm);
                if let Ok(text) = wasmprinter::print_bytes(&case.wasm) {
                    let _ = std::fs::write(saved.with_extension("wat"), text);
                }
                println!("module saved to {}", saved.display());
                report(&panel.judge(&case.wasm, &case.arguments));
                return ExitCode::SUCCESS;
            }
            ("--replay", _) if value.is_some() => {
                let path = value.unwrap_or_default();
                let Ok(wasm) = wat::parse_file(&path) else {
                    eprintln!("cannot read {path} as a module");
                    return ExitCode::from(2);
                };
                report(&panel.judge(&wasm, &[]));
                return ExitCode::SUCCESS;
            }
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let output = Path::new(env!("CARGO_MANIFEST_DIR")).join("divergences");
    let mut tally = Tally::default();
    let mut random = SplitMix(seed);
    let started = Instant::now();
    for iteration in 0..iterations {
        let length = 4000 + (random.next_u64() % 60_000) as usize;
        let data = random.bytes(length);
        if only.is_some_and(|only| only != iteration) {
            continue;
        }
        let Ok(case) = TestCase::generate(&data) else {
            tally.not_generated += 1;
            continue;
        };
        let verdict = panel.judge(&case.wasm, &case.arguments);
        if only.is_some() {
            report(&verdict);
            return ExitCode::SUCCESS;
        }
        for run in verdict.runs().filter(|run| run.time > SLOW) {
            println!(
                "iteration {iteration}: {} took {:.1} s",
                run.engine,
                run.time.as_secs_f64()
            );
        }
        let save = |problem: &str| {
            let _ = std::fs::create_dir_all(&output);
            let path = output.join(format!("seed{seed}-iteration{iteration}.wasm"));
            let _ = std::fs::write(&path, &case.wasm);
            if let Ok(text) = wasmprinter::print_bytes(&case.wasm) {
                let _ = std::fs::write(path.with_extension("wat"), text);
            }
            println!(
                "iteration {iteration}: {problem} (module saved to {})",
                path.display()
            );
        };
        tally.count_calls(&verdict);
        match (&verdict.failure, &verdict.reference_error) {
            (Some(failure), _) => {
                tally.failed += 1;
                save(&format!("divergence: {failure}"));
            }
            (None, Some(error)) => {
                tally.reference_errors += 1;
                println!("iteration {iteration}: the reference cannot run the module: {error}");
            }
            (None, None) => tally.passed += 1,
        }
        for divergence in &verdict.peer_divergences {
            // Not saved: `--only` regenerates the module.
            tally.peer_divergences += 1;
            let divergence = divergence.replace('\n', "; ");
            println!("iteration {iteration}: a peer diverges (not a failure): {divergence}");
        }
        if (iteration + 1) % 1000 == 0 {
            println!(
                "{} iterations in {:.1} s: {} passed, {} failed",
                iteration + 1,
                started.elapsed().as_secs_f64(),
                tally.passed,
                tally.failed
            );
        }
    }
    tally.print();
    if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

impl Tally {
    fn count_calls(&mut self, verdict: &Verdict) {
        let Ok(reference) = &verdict.reference.observation else {
            return;
        };
        self.instantiation_traps += u64::from(reference.instantiation.is_some());
        self.simd_modules += u64::from(verdict.simd);
        for (_, _, outcome) in &reference.calls {
            match outcome {
                Outcome::Returned(_) => self.returned += 1,
                Outcome::Trapped(_) => self.trapped += 1,
                Outcome::Exhausted => self.exhausted += 1,
            }
        }
    }

    fn print(&self) {
        println!(
            "calls made: {} returned, {} trapped, {} exhausted the stack; {} instantiations trapped; \
             {} modules used SIMD (native code skips them)",
            self.returned,
            self.trapped,
            self.exhausted,
            self.instantiation_traps,
            self.simd_modules
        );
        println!(
            "{} modules not generated, {} the reference could not run, {} peer divergences",
            self.not_generated, self.reference_errors, self.peer_divergences
        );
        println!("{} passed, {} failed", self.passed, self.failed);
    }
}

/// Prints what each engine observed (memories summarized) and the verdict.
fn report(verdict: &Verdict) {
    for run in verdict.runs() {
        println!("== {} ({:.3} s)", run.engine, run.time.as_secs_f64());
        match &run.observation {
            Err(error) => println!("error: {error}"),
            Ok(observation) => {
                println!("instantiation: {:?}", observation.instantiation);
                for (name, args, outcome) in &observation.calls {
                    println!("{name:?}({args:?}) -> {outcome:?}");
                }
                for (name, bytes) in &observation.memories {
                    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                    });
                    println!("memory {name:?}: {} bytes, FNV-1a {hash:016x}", bytes.len());
                }
                println!("globals: {:?}", observation.globals);
            }
        }
    }
    let problems = verdict
        .failure
        .iter()
        .chain(&verdict.reference_error)
        .chain(&verdict.peer_divergences);
    let mut agree = true;
    for problem in problems {
        println!("{problem}");
        agree = false;
    }
    if agree {
        println!("all engines agree");
    }
}
