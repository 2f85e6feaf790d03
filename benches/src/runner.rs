//! Running each (program, engine) pair in a child process and collecting
//! what it measured, its peak memory, and whether its output was right.
//!
//! The report file is the protocol between parent and child, shared with
//! `benches/wasm3/driver.c`: lines `compile_ns N`, `startup_ns N`, `run_ns N`
//! and `exit N`, or `error PHASE MESSAGE` where PHASE is `compile`, `link` or
//! `trap`. A report without `startup_ns` (an older driver) counts its
//! compile time as its start-up. A child run with `--startup-only` (by hand,
//! to profile start-up) writes neither `run_ns` nor `exit`.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::cell::{Cell, Failure, Verdict};
use crate::engines::{self, Engine, Invocation, Phase};
use crate::known::KnownIssue;
use crate::programs::{Program, sha1_hex};

/// `pulley-benches child`: runs the program in the working directory and
/// writes the report (without `run_ns` and `exit` if `startup_only`).
pub fn child(engine: &str, report: &Path, invocation: &Invocation<'_>) -> Result<ExitCode> {
    let engine = Engine::from_name(engine)?;
    let mut file =
        File::create(report).with_context(|| format!("cannot write {}", report.display()))?;
    let text = match engines::run(engine, invocation) {
        Ok(measurement) => {
            let mut text = format!(
                "compile_ns {}\nstartup_ns {}\n",
                measurement.compile.as_nanos(),
                measurement.startup.as_nanos(),
            );
            if let Some(ran) = measurement.ran {
                text += &format!("run_ns {}\nexit {}\n", ran.run.as_nanos(), ran.exit);
            }
            text
        }
        Err(failed) => format!(
            "error {} {}\n",
            failed.phase.name(),
            format!("{:#}", failed.error).replace('\n', " / ")
        ),
    };
    std::io::stdout().flush()?;
    file.write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// One run's outcome as the parent sees it.
struct Run {
    compile: Duration,
    /// From the module's bytes to the entry point's call, as the child
    /// measured it.
    startup: Duration,
    run: Duration,
    /// The child process from spawn to reaping, as the parent measured it.
    wall: Duration,
    /// Peak resident memory of the child process, in KiB.
    max_rss_kib: u64,
    verdict: Verdict,
}

/// How a pair's repeated runs make one figure.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Statistic {
    /// The median run.
    Median,
    /// The fastest run: a shared machine's noise only ever adds time.
    Best,
}

impl Statistic {
    /// The figure for `values`.
    fn of(self, values: Vec<Duration>) -> Duration {
        match self {
            Statistic::Median => median(values),
            Statistic::Best => values.into_iter().min().unwrap_or_default(),
        }
    }

    /// Its name in the report, for `repeat` runs.
    pub fn describe(self, repeat: usize) -> String {
        match self {
            Statistic::Median => format!("Medians of {repeat} run(s)"),
            Statistic::Best => format!("Best of {repeat} run(s)"),
        }
    }
}

/// Runs children: this executable (`pulley-benches child`) or the wasm3
/// driver, each writing its report to a file in a private folder.
pub struct Runner {
    exe: PathBuf,
    wasm3: PathBuf,
    timeout: u32,
    reports: PathBuf,
}

impl Runner {
    pub fn new(wasm3: PathBuf, timeout: u32) -> Result<Runner> {
        let reports = std::env::temp_dir().join(format!("pulley-benches-{}", std::process::id()));
        std::fs::create_dir_all(&reports)
            .with_context(|| format!("cannot create {}", reports.display()))?;
        Ok(Runner {
            exe: std::env::current_exe().context("cannot find this executable")?,
            wasm3,
            timeout,
            reports,
        })
    }

    /// Every program on every engine, `repeat` times each: `results[p][e]`.
    /// Prints each pair's outcome to standard error as it comes.
    pub fn compare(
        &self,
        programs: &[Program],
        engines: &[Engine],
        repeat: usize,
        statistic: Statistic,
    ) -> Vec<Vec<Cell>> {
        programs
            .iter()
            .map(|program| {
                engines
                    .iter()
                    .map(|&engine| {
                        let cell = self.measure(program, engine, repeat, statistic);
                        eprintln!(
                            "{:<36} {:<16} {}",
                            program.name,
                            engine.name(),
                            describe(&cell, program)
                        );
                        cell
                    })
                    .collect()
            })
            .collect()
    }

    /// Runs the pair `repeat` times, stopping at the first run that fails
    /// or gives a wrong result: that one is the cell. Times are `statistic`
    /// of the runs; peak memory is the largest.
    fn measure(
        &self,
        program: &Program,
        engine: Engine,
        repeat: usize,
        statistic: Statistic,
    ) -> Cell {
        let mut runs = Vec::with_capacity(repeat);
        for _ in 0..repeat {
            match self.run_once(program, engine) {
                Ok(run) => {
                    let wrong = !matches!(run.verdict, Verdict::Correct | Verdict::Unchecked);
                    runs.push(run);
                    if wrong {
                        break;
                    }
                }
                Err((failure, message)) => return Cell::Failed { failure, message },
            }
        }
        let verdict = runs
            .iter()
            .map(|run| run.verdict.clone())
            .find(|verdict| *verdict != Verdict::Correct)
            .unwrap_or(Verdict::Correct);
        let figure =
            |duration: fn(&Run) -> Duration| statistic.of(runs.iter().map(duration).collect());
        Cell::Measured {
            compile: figure(|run| run.compile),
            startup: figure(|run| run.startup),
            run: figure(|run| run.run),
            wall: figure(|run| run.wall),
            max_rss_kib: runs.iter().map(|run| run.max_rss_kib).max().unwrap_or(0),
            verdict,
        }
    }

    fn run_once(&self, program: &Program, engine: Engine) -> Result<Run, (Failure, String)> {
        let harness = |error: anyhow::Error| (Failure::Harness, format!("{error:#}"));
        let report = self.reports.join("report");
        let _ = std::fs::remove_file(&report);
        let mut command = match engine {
            Engine::Wasm3 => {
                let mut command = Command::new(&self.wasm3);
                command.arg(&report);
                command
            }
            _ => {
                let mut command = Command::new(&self.exe);
                command
                    .args(["child", "--engine", engine.name(), "--report"])
                    .arg(&report)
                    .arg("--");
                command
            }
        };
        command
            .arg(&program.wasm)
            .args(&program.args)
            .current_dir(&program.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match &program.stdin {
            Some(path) => command.stdin(
                File::open(path)
                    .with_context(|| format!("cannot open {}", path.display()))
                    .map_err(harness)?,
            ),
            None => command.stdin(Stdio::null()),
        };
        let timeout = self.timeout;
        // SAFETY: between `fork` and `exec` the closure only calls `alarm`,
        // which is async-signal-safe and touches no memory. The pending
        // alarm survives `exec`, so SIGALRM (whose default action ends the
        // process; neither child handles it) stops a run that outlasts the
        // timeout.
        unsafe {
            command.pre_exec(move || {
                libc::alarm(timeout);
                Ok(())
            });
        }
        let spawned = Instant::now();
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot run {}", command.get_program().display()))
            .map_err(harness)?;
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let stderr = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = stderr.read_to_end(&mut text);
            text
        });
        let mut stdout = Vec::new();
        let read = child
            .stdout
            .take()
            .expect("stdout is piped")
            .read_to_end(&mut stdout);
        let (status, max_rss_kib) = wait(child.id()).map_err(harness)?;
        let wall = spawned.elapsed();
        read.context("cannot read the program's output")
            .map_err(harness)?;
        let stderr = stderr.join().unwrap_or_default();

        if status.signal() == Some(libc::SIGALRM) {
            return Err((Failure::Timeout, format!("killed after {timeout} s")));
        }
        let text = std::fs::read_to_string(&report).unwrap_or_default();
        let field = |key: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix(' '))
                .map(str::to_owned)
        };
        if let Some(error) = field("error") {
            let (phase, message) = error.split_once(' ').unwrap_or((&error, ""));
            let failure = Phase::ALL
                .into_iter()
                .find(|known| known.name() == phase)
                .map_or(Failure::Crash, Failure::Engine);
            return Err((failure, message.to_owned()));
        }
        let parsed = (|| -> Result<(Duration, Duration, Duration, i32)> {
            let nanos = |key: &str| -> Result<Option<Duration>> {
                let nanos = field(key).map(|text| text.parse()).transpose()?;
                Ok(nanos.map(Duration::from_nanos))
            };
            let required = |key: &str| nanos(key)?.with_context(|| format!("no {key}"));
            let compile = required("compile_ns")?;
            let startup = nanos("startup_ns")?.unwrap_or(compile);
            let exit = field("exit").context("no exit")?.parse()?;
            Ok((compile, startup, required("run_ns")?, exit))
        })();
        let Ok((compile, startup, run, exit)) = parsed else {
            let stderr = String::from_utf8_lossy(&stderr);
            let message = match stderr.lines().last().map(str::trim) {
                Some(last) if !last.is_empty() => format!("{status}: {last}"),
                _ => status.to_string(),
            };
            return Err((Failure::Crash, message));
        };
        let verdict = if exit != program.exit {
            Verdict::WrongExit {
                expected: program.exit,
                got: exit,
            }
        } else if program.known_issue == Some(KnownIssue::PrintsTimings) {
            Verdict::Unchecked
        } else {
            let sha1 = sha1_hex(&stdout);
            if sha1 == program.stdout_sha1 {
                Verdict::Correct
            } else {
                Verdict::WrongOutput {
                    sha1,
                    start: String::from_utf8_lossy(&stdout[..stdout.len().min(200)]).into_owned(),
                }
            }
        };
        Ok(Run {
            compile,
            startup,
            run,
            wall,
            max_rss_kib,
            verdict,
        })
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.reports);
    }
}

/// Reaps the child, returning its status and its peak resident memory.
fn wait(pid: u32) -> Result<(ExitStatus, u64)> {
    let mut status = 0;
    // SAFETY: all-zero is a valid `rusage`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: the pointers are to live locals; `pid` is our unreaped
        // child (std's `Child` never waits for it: we do it here, because
        // std does not return the child's resource usage).
        let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if reaped == pid as libc::pid_t {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("wait4");
        }
    }
    // Linux reports ru_maxrss in KiB.
    Ok((ExitStatus::from_raw(status), usage.ru_maxrss as u64))
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    match values.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2,
    }
}

/// The progress line of a pair: its measurements, and for a wrong
/// output what came instead (to update a kernel's manifest entry).
fn describe(cell: &Cell, program: &Program) -> String {
    use crate::report::format_duration;
    match cell {
        Cell::Measured {
            compile,
            startup,
            run,
            wall,
            max_rss_kib,
            verdict,
        } => {
            let verdict = match verdict {
                Verdict::Correct => "ok".to_owned(),
                Verdict::Unchecked => "exit ok, output not checked (prints timings)".to_owned(),
                Verdict::WrongExit { expected, got } => {
                    format!("WRONG EXIT STATUS {got} (expected {expected})")
                }
                Verdict::WrongOutput { sha1, start } => format!(
                    "WRONG OUTPUT: sha1 {sha1} (expected {}), output starts {start:?}",
                    program.stdout_sha1
                ),
            };
            format!(
                "run {:>10}  compile {:>10}  start-up {:>10}  process {:>10}  \
                 rss {:>7.1} MiB  {verdict}",
                format_duration(*run),
                format_duration(*compile),
                format_duration(*startup),
                format_duration(*wall),
                *max_rss_kib as f64 / 1024.0,
            )
        }
        Cell::Failed { failure, message } => format!("{}: {message}", failure.label()),
    }
}
