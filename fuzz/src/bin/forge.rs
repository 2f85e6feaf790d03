//! A bounded forged-artifact run on the stable toolchain, for CI:
//! `cargo run -p pulley-fuzz --release --bin forge -- --iterations N --seed S`.
//! Each iteration compiles a generated module, forges its artifact
//! (`pulley_fuzz::forge`), loads it, and runs an accepted one in a child
//! process (a copy of this program, `--child`) with a deadline: nothing
//! bounds an artifact that claims no fuel, and a crash of the child is a
//! failure that must not end the run. Prints progress and each failure
//! (saving the artifact to `fuzz/divergences/`), and ends with
//! `N accepted (M with changed code), N rejected, N failed`; exits non-zero
//! on any failure. `--only I` redoes iteration I of the seed in this process
//! and prints every step; `--replay FILE` runs a saved artifact so.

use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use pulley_fuzz::forge::{self, Case, Forgery, Loaded, Mutation, Run};

const USAGE: &str = "usage: forge [--iterations N] [--seed S] [--only I] | forge --replay FILE";

/// A child running an artifact that claims fuel still running after this
/// has hung: a failure. (Each call gets `forge::FUEL` units of fuel; the
/// longest call in the README's runs took 16 ms, whole runs well under a
/// second.)
const HANG: Duration = Duration::from_secs(30);

/// A child running an artifact that claims no fuel is stopped after this:
/// nothing bounds it (a compiled `loop br 0` runs forever too), so it is
/// not a failure.
const UNMETERED: Duration = Duration::from_millis(250);

/// Tallies over a run.
#[derive(Default)]
struct Tally {
    not_generated: u64,
    /// Cases whose code handles references (see `forge::handles_references`).
    with_references: u64,
    rejected: u64,
    /// Loaded but failed to instantiate (counted in `rejected`).
    not_instantiated: u64,
    accepted: u64,
    changed: u64,
    failed: u64,
    /// Runs of artifacts claiming no fuel stopped at the deadline.
    stopped: u64,
    calls: u64,
    longest: Duration,
    /// Per mutation kind: forgeries with it, and those accepted.
    kinds: [(u64, u64); Mutation::KINDS.len()],
}

fn main() -> ExitCode {
    // A panic is reported as a failure with its message; the hook only says
    // where it happened.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(ToString::to_string);
        eprintln!("panic at {}", location.unwrap_or_default());
    }));
    let mut iterations = 1000u64;
    let mut seed = 0u64;
    let mut only = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--child" {
            return child();
        }
        let value = args.next();
        let number = value.as_deref().and_then(|v| v.parse().ok());
        match (arg.as_str(), number) {
            ("--iterations", Some(v)) => iterations = v,
            ("--seed", Some(v)) => seed = v,
            ("--only", Some(v)) => only = Some(v),
            ("--replay", _) if value.is_some() => {
                let path = value.unwrap_or_default();
                let Ok(artifact) = std::fs::read(&path) else {
                    eprintln!("cannot read {path}");
                    return ExitCode::from(2);
                };
                return replay(&artifact, &[]);
            }
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(iteration) = only {
        return verbose(seed, iteration);
    }
    let output = Path::new(env!("CARGO_MANIFEST_DIR")).join("divergences");
    let mut tally = Tally::default();
    let started = Instant::now();
    for iteration in 0..iterations {
        tally.iteration(seed, iteration, &output);
        if (iteration + 1) % 500 == 0 {
            println!(
                "{} iterations in {:.1} s: {}",
                iteration + 1,
                started.elapsed().as_secs_f64(),
                tally.summary()
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
    fn iteration(&mut self, seed: u64, iteration: u64, output: &Path) {
        let fail = |tally: &mut Tally, problem: &str, wasm: Option<&[u8]>, artifact: &[u8]| {
            tally.failed += 1;
            let path = save(output, seed, iteration, wasm, artifact);
            println!("iteration {iteration}: FAILURE: {problem}");
            println!(
                "  artifact saved to {}; replay: cargo run --release -p pulley-fuzz --bin forge -- \
                 --replay {} (or --seed {seed} --only {iteration})",
                path.display(),
                path.display()
            );
        };
        let generated = catch_unwind(|| Case::for_iteration(seed, iteration));
        let (case, mut choices) = match generated {
            Ok((Some(case), choices)) => (case, choices),
            Ok((None, _)) => {
                self.not_generated += 1;
                return;
            }
            Err(panic) => {
                let message = forge::panic_message(&*panic);
                return fail(self, &format!("generating: {message}"), None, &[]);
            }
        };
        self.with_references += u64::from(forge::handles_references(&case.code));
        let forged = catch_unwind(AssertUnwindSafe(|| {
            forge::forge(&case.artifact, &mut choices)
        }));
        let forgery = match forged {
            Ok(forgery) => forgery,
            Err(panic) => {
                let message = forge::panic_message(&*panic);
                let problem = format!("forging: {message}");
                return fail(self, &problem, Some(&case.wasm), &case.artifact);
            }
        };
        let mut kinds = [false; Mutation::KINDS.len()];
        for mutation in &forgery.mutations {
            kinds[mutation.kind()] = true;
        }
        for (_, count) in kinds.iter().zip(&mut self.kinds).filter(|(k, _)| **k) {
            count.0 += 1;
        }
        let wasm = Some(&case.wasm[..]);
        let loaded = catch_unwind(|| forge::load(&forgery.artifact, &case.code));
        let code_changed = match loaded {
            Err(panic) => {
                let message = forge::panic_message(&*panic);
                let problem = format!("loading panicked: {message}");
                return fail(self, &problem, wasm, &forgery.artifact);
            }
            Ok(Loaded::Rejected(_)) => {
                self.rejected += 1;
                return;
            }
            Ok(Loaded::Accepted { code_changed, .. }) => code_changed,
        };
        let fuel = forge::claims_fuel(&forgery.artifact);
        match run_in_child(&forgery.artifact, fuel) {
            Outcome::Ran(run) => {
                self.calls += run.calls as u64;
                self.longest = self.longest.max(run.longest);
                if run.instantiation.is_some() {
                    self.rejected += 1;
                    self.not_instantiated += 1;
                } else {
                    self.accepted += 1;
                    self.changed += u64::from(code_changed);
                    for (_, count) in kinds.iter().zip(&mut self.kinds).filter(|(k, _)| **k) {
                        count.1 += 1;
                    }
                }
                if !run.failures.is_empty() {
                    let problem = run.failures.join("; ");
                    fail(self, &problem, wasm, &forgery.artifact);
                }
            }
            Outcome::Stopped => {
                // Accepted: it loaded (and ran until stopped).
                self.stopped += 1;
                self.accepted += 1;
                self.changed += u64::from(code_changed);
            }
            Outcome::Hung(call) => {
                let place = match call {
                    Some(call) => format!("in the call of {call}"),
                    None => "instantiating it".into(),
                };
                let problem = format!(
                    "an artifact that claims fuel still ran after {} s, {place}",
                    HANG.as_secs()
                );
                fail(self, &problem, wasm, &forgery.artifact);
            }
            Outcome::Crashed(why) => fail(self, &why, wasm, &forgery.artifact),
        }
    }

    fn summary(&self) -> String {
        format!(
            "{} accepted ({} with changed code), {} rejected, {} failed",
            self.accepted, self.changed, self.rejected, self.failed
        )
    }

    fn print(&self) {
        let kinds: Vec<String> = Mutation::KINDS
            .iter()
            .zip(&self.kinds)
            .map(|(name, (made, accepted))| format!("{name} {accepted}/{made}"))
            .collect();
        println!(
            "forgeries accepted / made, by mutation they contain: {}",
            kinds.join(", ")
        );
        println!(
            "{} cases not generated, {} with code that handles references",
            self.not_generated, self.with_references
        );
        println!(
            "{} calls, the longest {:.1} ms; {} accepted artifacts claiming no fuel stopped after {} ms \
             (allowed); {} rejected at instantiation",
            self.calls,
            self.longest.as_secs_f64() * 1000.0,
            self.stopped,
            UNMETERED.as_millis(),
            self.not_instantiated
        );
        println!("{}", self.summary());
    }
}

/// Saves a failing forgery (and its original module) to `output`.
fn save(output: &Path, seed: u64, iteration: u64, wasm: Option<&[u8]>, artifact: &[u8]) -> PathBuf {
    let _ = std::fs::create_dir_all(output);
    let path = output.join(format!("forge-seed{seed}-iteration{iteration}.pulley"));
    let _ = std::fs::write(&path, artifact);
    if let Some(wasm) = wasm {
        let _ = std::fs::write(path.with_extension("wasm"), wasm);
    }
    path
}

/// How a child's run ended.
enum Outcome {
    /// It reported a run.
    Ran(Run),
    /// It claimed no fuel and was stopped at the deadline.
    Stopped,
    /// It claimed fuel and was stopped at the deadline, in this call (if
    /// it had started one).
    Hung(Option<String>),
    /// It died without reporting, or could not be started.
    Crashed(String),
}

/// Runs `artifact` (which loaded here) in a child process.
fn run_in_child(artifact: &[u8], fuel: bool) -> Outcome {
    // On Linux `/proc/self/exe` still runs this program after a build
    // replaced its file (the target directory may be shared).
    let this = Path::new("/proc/self/exe");
    let exe = if this.exists() {
        Ok(this.to_path_buf())
    } else {
        std::env::current_exe()
    };
    let spawned = exe.and_then(|exe| {
        Command::new(exe)
            .arg("--child")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
    });
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => return Outcome::Crashed(format!("cannot start a child: {error}")),
    };
    // A child that dies before reading shows in its status below.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(artifact);
    }
    let deadline = if fuel { HANG } else { UNMETERED };
    let started = Instant::now();
    let mut pause = Duration::from_micros(50);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > deadline => {
                stop(&mut child);
                if !fuel {
                    return Outcome::Stopped;
                }
                let mut report = String::new();
                if let Some(mut stdout) = child.stdout.take() {
                    let _ = stdout.read_to_string(&mut report);
                }
                let last = report
                    .lines()
                    .rev()
                    .find_map(|line| line.strip_prefix("calling "));
                return Outcome::Hung(last.map(String::from));
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(5));
            }
            Err(error) => {
                stop(&mut child);
                return Outcome::Crashed(format!("cannot wait for the child: {error}"));
            }
        }
    };
    let mut report = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut report);
    }
    match parse_report(&report) {
        Some(run) if status.success() => Outcome::Ran(run),
        _ => Outcome::Crashed(format!("the child running the artifact died: {status}")),
    }
}

fn stop(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The child's side: loads the artifact on stdin, runs it, and reports
/// one line per fact (see `parse_report`).
fn child() -> ExitCode {
    let mut artifact = Vec::new();
    if std::io::stdin().read_to_end(&mut artifact).is_err() {
        return ExitCode::FAILURE;
    }
    let outcome = catch_unwind(|| match forge::load(&artifact, &[]) {
        Loaded::Rejected(why) => Run {
            failures: vec![format!("rejected in the child, accepted before: {why}")],
            ..Run::default()
        },
        Loaded::Accepted { module, .. } => {
            // Said as each call starts: if the run never ends, the parent
            // reads where it was.
            let mut stdout = std::io::stdout();
            forge::run(&module, &mut |what| {
                let _ = writeln!(stdout, "calling {}", what.replace('\n', " "));
                let _ = stdout.flush();
            })
        }
    });
    let run = outcome.unwrap_or_else(|panic| Run {
        failures: vec![format!("a panic: {}", forge::panic_message(&*panic))],
        ..Run::default()
    });
    let mut out = String::new();
    if let Some(why) = &run.instantiation {
        out += &format!("instantiation {}\n", why.replace('\n', " "));
    }
    for failure in &run.failures {
        out += &format!("failure {}\n", failure.replace('\n', " "));
    }
    out += &format!("done {} {}\n", run.calls, run.longest.as_nanos());
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// A child's report, if it finished.
fn parse_report(report: &str) -> Option<Run> {
    let mut run = Run::default();
    for line in report.lines() {
        let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
        match key {
            "instantiation" => run.instantiation = Some(rest.into()),
            "failure" => run.failures.push(rest.into()),
            "done" => {
                let mut numbers = rest.split(' ').map(|n| n.parse::<u64>().ok());
                run.calls = numbers.next()?? as usize;
                run.longest = Duration::from_nanos(numbers.next()??);
                return Some(run);
            }
            _ => {}
        }
    }
    None
}

/// `--only`: iteration `iteration` of `seed`, every step printed, run in
/// this process.
fn verbose(seed: u64, iteration: u64) -> ExitCode {
    let (case, mut choices) = Case::for_iteration(seed, iteration);
    let Some(case) = case else {
        println!("no module generated");
        return ExitCode::SUCCESS;
    };
    println!(
        "module of {} bytes, compiled {} fuel, {}: {} bytes of code",
        case.wasm.len(),
        if case.fuel { "with" } else { "without" },
        if case.optimize {
            "optimized"
        } else {
            "not optimized"
        },
        case.code.len()
    );
    let Forgery {
        artifact,
        mutations,
    } = forge::forge(&case.artifact, &mut choices);
    for mutation in &mutations {
        println!("mutation: {mutation}");
    }
    replay(&artifact, &case.code)
}

/// Loads and runs `artifact` in this process, printing every step.
fn replay(artifact: &[u8], original_code: &[u8]) -> ExitCode {
    let fuel = forge::claims_fuel(artifact);
    let module = match forge::load(artifact, original_code) {
        Loaded::Rejected(why) => {
            println!("rejected: {why}");
            return ExitCode::SUCCESS;
        }
        Loaded::Accepted {
            module,
            code_changed,
        } => {
            println!(
                "accepted, claiming {} fuel{}",
                if fuel { "to charge" } else { "no" },
                if code_changed {
                    ", with changed code"
                } else {
                    ""
                }
            );
            module
        }
    };
    if !fuel {
        println!("(it claims no fuel: nothing bounds this run)");
    }
    let announce = &mut |what: &str| println!("calling {what}");
    let run =
        catch_unwind(AssertUnwindSafe(|| forge::run(&module, announce))).unwrap_or_else(|panic| {
            Run {
                failures: vec![format!("a panic: {}", forge::panic_message(&*panic))],
                ..Run::default()
            }
        });
    if let Some(why) = &run.instantiation {
        println!("instantiation failed: {why}");
    }
    for line in &run.log {
        println!("{line}");
    }
    println!(
        "{} calls, the longest {:.1} ms",
        run.calls,
        run.longest.as_secs_f64() * 1000.0
    );
    for failure in &run.failures {
        println!("FAILURE: {failure}");
    }
    if run.failures.is_empty() {
        println!("no failure");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
