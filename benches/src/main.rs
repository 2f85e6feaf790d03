//! `pulley-benches`: runs real programs and our own kernels on Pulley and
//! its peers in one run and reports times, compile times and peak memory as
//! ratios to Pulley.
//!
//! Each run happens in a child process (this executable re-run as
//! `pulley-benches child`, or the wasm3 driver), so that its peak resident
//! memory can be read from the kernel, and a crash or a hang costs one
//! measurement, not the whole comparison. The child times compilation,
//! start-up (up to the entry point's call) and the program's measured region
//! and writes them to a report file; the parent times the whole process and
//! checks the program's output and exit status against the manifest.
//!
//! Depends on the `pulley` crate and on the peers (Wasmtime, wasmi), so it is
//! a workspace member outside `default-members`: the runtime must never
//! depend on it.

mod cell;
mod engines;
mod known;
mod programs;
mod report;
mod runner;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use engines::Engine;

#[derive(Parser)]
#[command(
    name = "pulley-benches",
    about = "Runs the programs of ../shared/bench-wasm and benches/programs (or of \
             --manifest) on Pulley, Wasmtime (Cranelift and Pulley), wasmi and wasm3",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    child: Option<Child>,
    #[command(flatten)]
    compare: CompareArgs,
}

#[derive(Args)]
struct CompareArgs {
    /// Run the programs of this manifest instead of the default ones (the
    /// shared collection's and benches/programs/manifest.json); its folders
    /// are relative to its own.
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
    /// Only the programs whose name contains one of these.
    #[arg(long, value_name = "SUBSTR")]
    only: Vec<String>,
    /// The engines, comma-separated (default: all; wasm3 only if built).
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    engines: Vec<String>,
    /// Runs of each program on each engine; medians are reported.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Report each pair's fastest run instead of its median (times only;
    /// peak memory is always the largest): what to compare steady-state
    /// speed by on a noisy machine.
    #[arg(long)]
    best: bool,
    /// Print the tables in Markdown (for BENCHMARKS.md).
    #[arg(long)]
    markdown: bool,
    /// Show every engine's absolute value, with its ratio to Pulley in
    /// parentheses.
    #[arg(long)]
    absolute: bool,
    /// Seconds after which a run is killed and reported as a timeout.
    #[arg(long, default_value_t = 600)]
    timeout: u32,
}

#[derive(Subcommand)]
enum Child {
    /// Runs one program once on one engine (used by the comparison itself).
    #[command(hide = true)]
    Child {
        #[arg(long)]
        engine: String,
        /// Where to write the measurements.
        #[arg(long)]
        report: PathBuf,
        /// Stop just before the entry point is called, reporting compile
        /// time and start-up only: to profile start-up alone (for
        /// instance, instructions counted by callgrind).
        #[arg(long)]
        startup_only: bool,
        /// The module, relative to the working directory.
        wasm: String,
        /// The program's arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.child {
        Some(Child::Child {
            engine,
            report,
            startup_only,
            wasm,
            args,
        }) => runner::child(
            &engine,
            &report,
            &engines::Invocation {
                wasm: &wasm,
                args: &args,
                startup_only,
            },
        ),
        None => compare(&cli.compare),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn compare(args: &CompareArgs) -> Result<ExitCode> {
    let mut programs = match &args.manifest {
        // Absolute, so that the children find their folders whatever their
        // working directory.
        Some(manifest) => programs::load(
            &std::path::absolute(manifest)
                .with_context(|| format!("cannot resolve {}", manifest.display()))?,
        )?,
        None => default_programs()?,
    };
    if !args.only.is_empty() {
        programs.retain(|program| args.only.iter().any(|only| program.name.contains(only)));
    }
    if programs.is_empty() {
        bail!("no program matches --only {:?}", args.only);
    }

    let wasm3 = wasm3_driver()?;
    let engines = if args.engines.is_empty() {
        let mut engines = Engine::ALL.to_vec();
        if !wasm3.exists() {
            eprintln!(
                "note: {} not built (benches/wasm3/build.sh): leaving wasm3 out",
                wasm3.display()
            );
            engines.retain(|&engine| engine != Engine::Wasm3);
        }
        engines
    } else {
        let engines = args
            .engines
            .iter()
            .map(|name| Engine::from_name(name))
            .collect::<Result<Vec<_>>>()?;
        if engines.contains(&Engine::Wasm3) && !wasm3.exists() {
            bail!(
                "{} not built: run benches/wasm3/build.sh (or set PULLEY_BENCH_WASM3)",
                wasm3.display()
            );
        }
        engines
    };

    let runner = runner::Runner::new(wasm3, args.timeout)?;
    let repeat = args.repeat.max(1);
    let statistic = if args.best {
        runner::Statistic::Best
    } else {
        runner::Statistic::Median
    };
    let results = runner.compare(&programs, &engines, repeat, statistic);
    let tables = report::Tables::new(&programs, &engines, &results, repeat, statistic);
    print!(
        "{}",
        tables.render(&report::Style {
            markdown: args.markdown,
            absolute: args.absolute,
        })
    );
    let unexpected = programs
        .iter()
        .zip(&results)
        .flat_map(|(program, cells)| {
            engines
                .iter()
                .zip(cells)
                .filter(|(engine, cell)| !cell.expected(**engine, program.known_issue))
        })
        .count();
    Ok(if unexpected == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{unexpected} (program, engine) pairs failed or gave a wrong result \
             (known issues not counted)"
        );
        ExitCode::FAILURE
    })
}

/// The programs of the shared collection (if it is there) and our kernels.
fn default_programs() -> Result<Vec<programs::Program>> {
    let mut programs = Vec::new();
    let shared = shared_manifest();
    if shared.exists() {
        programs.extend(programs::load(&shared)?);
    } else {
        eprintln!(
            "note: {} not found (set PULLEY_BENCH_WASM): running our kernels only",
            shared.display()
        );
    }
    programs.extend(programs::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("programs/manifest.json"),
    )?);
    Ok(programs)
}

/// `$PULLEY_BENCH_WASM/manifest.json`, by default `../shared/bench-wasm`
/// beside the workspace.
fn shared_manifest() -> PathBuf {
    let dir = std::env::var_os("PULLEY_BENCH_WASM").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench-wasm"),
        PathBuf::from,
    );
    dir.join("manifest.json")
}

/// `$PULLEY_BENCH_WASM3`, by default `wasm3/wasm3-bench` in the target
/// directory this executable was built in, where `benches/wasm3/build.sh`
/// puts it.
fn wasm3_driver() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("PULLEY_BENCH_WASM3") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().context("cannot find this executable")?;
    let target = exe
        .parent()
        .and_then(Path::parent)
        .context("this executable is not in a cargo target directory")?;
    Ok(target.join("wasm3/wasm3-bench"))
}
