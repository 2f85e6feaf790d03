//! The `pulley` command: run, compile, disassemble wasm, and run spec scripts.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use pulley::wasi::{self, WasiCtx, WasiCtxBuilder};
use pulley::{
    CompilationMode, Config, Engine, FirstTier, Flavour, Instance, Linker, Module, Store, TrapKind,
    Val, ValType,
};
use pulley_module::ExportKind;

#[derive(Parser)]
#[command(
    name = "pulley",
    version,
    about = "Pulley: a portable, interpreter-first WebAssembly runtime"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a module (.wasm, .wat or a compiled artifact).
    Run(RunArgs),
    /// Compiles a module to an artifact for a target.
    Compile {
        /// The module (.wasm or .wat).
        file: PathBuf,
        /// pulley32, pulley64, pulley32be or pulley64be (default: this host's).
        #[arg(long)]
        target: Option<Flavour>,
        /// Where to write the artifact.
        #[arg(short, long)]
        output: PathBuf,
        /// Compile the code to charge fuel (for `run --fuel`).
        #[arg(long)]
        fuel: bool,
    },
    /// Prints the bytecode of a module's functions with their wasm offsets.
    Disas {
        /// The module (.wasm, .wat or an artifact).
        file: PathBuf,
        /// Only this function: an export name, a name-section name, or an index.
        #[arg(long)]
        func: Option<String>,
        /// The target to compile for (default: this host's).
        #[arg(long)]
        target: Option<Flavour>,
    },
    /// Runs WebAssembly spec test scripts.
    Wast {
        /// The scripts.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `native` to run them as host machine code (default: this host's
        /// Pulley flavour).
        #[arg(long)]
        target: Option<Target>,
        #[command(flatten)]
        compiling: Compiling,
    },
}

/// How functions are compiled (`run` and `wast`).
#[derive(clap::Args, Copy, Clone)]
struct Compiling {
    /// When functions are compiled to bytecode. Native code is always
    /// compiled eagerly.
    #[arg(long, value_enum, default_value_t = Compilation::LazyTranslation)]
    compilation: Compilation,
    /// The compiler that functions compiled at their first call go through
    /// (in the lazy compilation modes).
    #[arg(long, value_enum, default_value_t = Tier::Baseline)]
    first_tier: Tier,
    /// With the baseline tier first: calls plus loop iterations after which
    /// a function is compiled again with the optimizing tier, and a frame
    /// running a loop moves into optimized code (0: never). A call counts
    /// one more per KiB of the function's wasm body.
    #[arg(long, value_name = "COUNT", default_value_t = pulley::DEFAULT_TIER_UP_THRESHOLD)]
    tier_up_threshold: u32,
}

impl Compiling {
    /// Eager compilation, as `compile` and `disas` need.
    const EAGER: Compiling = Compiling {
        compilation: Compilation::Eager,
        first_tier: Tier::Optimizing,
        tier_up_threshold: 0,
    };
}

/// The compiler of lazily compiled functions: `pulley::FirstTier`.
#[derive(Copy, Clone, Debug, clap::ValueEnum)]
enum Tier {
    /// Cranelift's optimizer and our lowering: the fastest code.
    Optimizing,
    /// One pass from wasm to bytecode: compiles much faster, runs slower;
    /// hot code tiers up to the optimizing compiler.
    Baseline,
}

impl From<Tier> for FirstTier {
    fn from(tier: Tier) -> FirstTier {
        match tier {
            Tier::Optimizing => FirstTier::Optimizing,
            Tier::Baseline => FirstTier::Baseline,
        }
    }
}

/// When functions are compiled: `pulley::CompilationMode`, by wasmi's names.
#[derive(Copy, Clone, Debug, clap::ValueEnum)]
enum Compilation {
    /// Every function before the program starts.
    Eager,
    /// The module is validated first; each function is compiled at its first
    /// call.
    LazyTranslation,
    /// Each function is validated and compiled at its first call: an invalid
    /// body is an error only when it is called.
    Lazy,
}

impl From<Compilation> for CompilationMode {
    fn from(compilation: Compilation) -> CompilationMode {
        match compilation {
            Compilation::Eager => CompilationMode::Eager,
            Compilation::LazyTranslation => CompilationMode::LazyTranslation,
            Compilation::Lazy => CompilationMode::Lazy,
        }
    }
}

#[derive(clap::Args)]
struct RunArgs {
    /// Call this export instead of `_start`; the arguments are its parameters.
    #[arg(long)]
    invoke: Option<String>,
    /// Bound execution to this much fuel.
    #[arg(long)]
    fuel: Option<u64>,
    /// The target to compile for: this host's Pulley flavour (the default)
    /// or `native` (host machine code, with the `native` feature).
    #[arg(long)]
    target: Option<Target>,
    #[command(flatten)]
    compiling: Compiling,
    /// Grant access to a host directory, as HOST or HOST::GUEST (the path
    /// the program sees; default: the host path).
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Set an environment variable for the program (NAME=VALUE).
    #[arg(long = "env", value_name = "NAME=VALUE")]
    envs: Vec<String>,
    /// Pass the host's whole environment to the program (before --env).
    #[arg(long)]
    inherit_env: bool,
    /// Instantiate another module first and make its exports importable
    /// under NAME.
    #[arg(long = "preload", value_name = "NAME=FILE")]
    preloads: Vec<String>,
    /// Write the counts of executed ops and op pairs to this file (needs a
    /// build with the `profile` feature).
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// When the program ends, print to stderr what the lazy compilation
    /// modes compiled: functions and compile time by tier, and the slowest.
    #[arg(long)]
    compile_stats: bool,
    /// The module, then the arguments: the program's, or the invoked
    /// function's parameters. Everything after the module belongs to the
    /// program, options too (`pulley run prog.wasm --help` passes `--help`).
    #[arg(
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "MODULE [ARGS]"
    )]
    command: Vec<String>,
}

impl RunArgs {
    /// The module's path.
    fn file(&self) -> &Path {
        Path::new(&self.command[0])
    }

    /// The arguments after the module.
    fn args(&self) -> &[String] {
        &self.command[1..]
    }
}

/// The store's data for `run`: the program's WASI context.
struct Host {
    wasi: WasiCtx,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => return print_usage(&usage),
    };
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Compile {
            file,
            target,
            output,
            fuel,
        } => compile(&file, target, &output, fuel),
        Command::Disas { file, func, target } => disas(&file, func.as_deref(), target),
        Command::Wast {
            files,
            target,
            compiling,
        } => wast(&files, target, compiling),
    };
    match result {
        Ok(code) => code,
        Err(error) if error.is::<StdoutClosed>() => ExitCode::from(STDOUT_CLOSED_STATUS),
        Err(error) => {
            // If standard error fails too, the status alone tells.
            let _ = writeln!(io::stderr(), "error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints clap's help, version or usage error, which `Cli::parse` would
/// print ignoring a failure to write.
fn print_usage(usage: &clap::Error) -> ExitCode {
    let status = ExitCode::from(u8::try_from(usage.exit_code()).unwrap_or(1));
    match usage.print() {
        Ok(()) => status,
        // A usage error goes to standard error: its status alone tells.
        Err(_) if usage.use_stderr() => status,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::from(STDOUT_CLOSED_STATUS)
        }
        Err(error) => {
            let _ = writeln!(
                io::stderr(),
                "error: cannot write to standard output: {error}"
            );
            ExitCode::FAILURE
        }
    }
}

/// Standard output's reader went away (`pulley disas X | head -1`): the
/// command stops writing and exits quietly.
#[derive(Debug, thiserror::Error)]
#[error("standard output is closed")]
struct StdoutClosed;

/// The status of a command whose standard output was closed: 128 + SIGPIPE,
/// what a shell reports for a tool that SIGPIPE ended (Rust programs ignore
/// the signal and see the error instead), so that `set -o pipefail` scripts
/// see the same as for `cat`.
const STDOUT_CLOSED_STATUS: u8 = 141;

/// Writes to standard output and flushes, so that a failure is seen here
/// and not lost at exit. `print!` would panic instead.
fn write_stdout(text: fmt::Arguments<'_>) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_fmt(text)
        .and_then(|()| stdout.flush())
        .map_err(|error| match error.kind() {
            io::ErrorKind::BrokenPipe => anyhow::Error::new(StdoutClosed),
            _ => anyhow::Error::new(error).context("cannot write to standard output"),
        })
}

/// What `run` and `wast` compile for: a Pulley flavour, or host machine
/// code.
#[derive(Copy, Clone, Debug)]
enum Target {
    Pulley(Flavour),
    Native,
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(name: &str) -> Result<Target, String> {
        if name == "native" {
            Ok(Target::Native)
        } else {
            name.parse()
                .map(Target::Pulley)
                .map_err(|error| format!("{error} (or `native` for host machine code)"))
        }
    }
}

/// The engine of `compile` and `disas`, which show or save all the code.
fn engine(target: Option<Flavour>, fuel: bool) -> Engine {
    Engine::new(
        &config(target.map(Target::Pulley), fuel, Compiling::EAGER).expect("a Pulley target"),
    )
}

fn config(target: Option<Target>, fuel: bool, compiling: Compiling) -> Result<Config> {
    let mut config = Config::new();
    config
        .compilation_mode(compiling.compilation.into())
        .first_tier(compiling.first_tier.into())
        .tier_up_threshold(
            (compiling.tier_up_threshold > 0).then_some(compiling.tier_up_threshold),
        );
    match target {
        None => {}
        Some(Target::Pulley(flavour)) => {
            config.target(flavour);
        }
        #[cfg(feature = "native")]
        Some(Target::Native) => {
            config.native(true);
        }
        #[cfg(not(feature = "native"))]
        Some(Target::Native) => {
            anyhow::bail!("this build has no native code: build with `--features native`")
        }
    }
    config.consume_fuel(fuel);
    Ok(config)
}

fn load(engine: &Engine, file: &Path) -> Result<Module> {
    let bytes = read_input(file)?;
    if bytes.starts_with(&pulley_module::MAGIC) {
        // An artifact runs where it was read: its bytes stay for the rest
        // of the process instead of being copied into the module.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        return Module::deserialize_static(engine, bytes)
            .with_context(|| format!("cannot load {}", file.display()));
    }
    if bytes.starts_with(b"\0asm") {
        // The module keeps the bytes it compiles functions from: handed
        // over, they are in memory once.
        return Module::from_binary_vec(engine, bytes)
            .with_context(|| format!("cannot load {}", file.display()));
    }
    load_bytes(engine, file, &bytes)
}

/// Compiles or loads `bytes`, read from `file`.
fn load_bytes(engine: &Engine, file: &Path, bytes: &[u8]) -> Result<Module> {
    Module::new(engine, bytes).with_context(|| format!("cannot load {}", file.display()))
}

/// Reads a module, artifact or script: at most [`pulley::MAX_MODULE_BYTES`],
/// the largest module Pulley accepts, so that a file that never ends
/// (`/dev/zero`) is an error and not a read until memory runs out. A
/// regular file that is larger is refused before it is read.
fn read_input(path: &Path) -> Result<Vec<u8>> {
    let limit = pulley::MAX_MODULE_BYTES as u64;
    let read = || -> io::Result<Option<Vec<u8>>> {
        let file = File::open(path)?;
        if file.metadata()?.len() > limit {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        file.take(limit + 1).read_to_end(&mut bytes)?;
        Ok((bytes.len() as u64 <= limit).then_some(bytes))
    };
    match read().with_context(|| format!("cannot read {}", path.display()))? {
        Some(bytes) => Ok(bytes),
        None => bail!(
            "cannot read {}: larger than {limit} bytes, the largest module Pulley accepts",
            path.display()
        ),
    }
}

/// What `run` calls without `--invoke`, the first one exported: a command's
/// `_start`, else the default export `""`, as Wasmtime's and wasmi's `run` do.
const ENTRY_POINTS: [&str; 2] = ["_start", ""];

fn run(args: RunArgs) -> Result<ExitCode> {
    let engine = Engine::new(&config(args.target, args.fuel.is_some(), args.compiling)?);
    let module = load(&engine, args.file())?;
    let wasi = wasi_context(&args)?;
    let mut store = Store::new(&engine, Host { wasi });
    if let Some(fuel) = args.fuel {
        store.set_fuel(fuel)?;
    }
    let mut linker = Linker::new(&engine);
    wasi::add_to_linker(&mut linker, |host: &mut Host| &mut host.wasi)?;
    for preload in &args.preloads {
        let (name, file) = preload
            .split_once('=')
            .with_context(|| format!("--preload {preload:?} is not NAME=FILE"))?;
        let preloaded = load(&engine, Path::new(file))?;
        let instance = linker
            .instantiate(&mut store, &preloaded)
            .with_context(|| format!("cannot instantiate {file}"))?;
        linker.instance(&mut store, name, instance)?;
    }
    if args.profile.is_some() && !cfg!(feature = "profile") {
        bail!("--profile needs a pulley built with `--features profile`");
    }
    let outcome = linker
        .instantiate(&mut store, &module)
        .map_err(anyhow::Error::from)
        .and_then(|instance| {
            // A reactor initializes itself before anything is called.
            if let Some(initialize) = instance.get_func(&store, "_initialize") {
                initialize.call(&mut store, &[], &mut [])?;
            }
            match &args.invoke {
                Some(name) => invoke(&mut store, instance, name, args.args()),
                None => {
                    let entry = ENTRY_POINTS
                        .iter()
                        .find_map(|name| instance.get_func(&store, name))
                        .context(
                            "the module exports neither `_start` nor the default export \"\": \
                             use --invoke NAME to call an export",
                        )?;
                    Ok(entry.call(&mut store, &[], &mut [])?)
                }
            }
        });
    #[cfg(feature = "profile")]
    if let Some(path) = &args.profile {
        write_profile(store.profile(), path)?;
    }
    if args.compile_stats {
        print_compile_stats(&module);
    }
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => match exit_status(&error) {
            // `proc_exit`: the status is the process's, as in a native
            // program, where the shell reserves 126 and up.
            Some(status) => match u8::try_from(status) {
                Ok(status) if status < 126 => Ok(ExitCode::from(status)),
                _ => bail!("the program exited with status {status}, outside [0, 126)"),
            },
            None => Err(error),
        },
    }
}

/// `run --compile-stats`: what a lazy module compiled, by tier.
fn print_compile_stats(module: &Module) {
    let Some(stats) = module.compilation_stats() else {
        eprintln!("compiled: every function, before the program started (eager compilation)");
        return;
    };
    for (tier, what, stats) in [
        ("the baseline tier", "functions", &stats.baseline),
        ("the optimizing tier", "functions", &stats.optimizing),
        (
            "the optimizing tier, tiering up",
            "functions",
            &stats.tiered_up,
        ),
        (
            "the optimizing tier, on-stack replacement",
            "loop entries",
            &stats.on_stack,
        ),
    ] {
        let slowest = match stats.slowest {
            Some((func, time)) => format!(
                "; slowest: function {func}{} in {:.3} ms",
                module
                    .function_name(func)
                    .map(|name| format!(" ({name})"))
                    .unwrap_or_default(),
                time.as_secs_f64() * 1e3
            ),
            None => String::new(),
        };
        eprintln!(
            "compiled by {tier}: {} {what}, {} bytes of bytecode, in {:.3} ms{slowest}",
            stats.functions,
            stats.code_bytes,
            stats.time.as_secs_f64() * 1e3
        );
    }
    eprintln!(
        "superseded by tiering up, kept while the module lives: {} bytes of bytecode",
        stats.superseded_code_bytes
    );
}

/// Writes the op counts, then the op-pair counts, most frequent first.
#[cfg(feature = "profile")]
fn write_profile(profile: &pulley_interp::Profile, path: &Path) -> Result<()> {
    use std::fmt::Write as _;
    let mut text = String::from("# op count\n");
    for (op, count) in profile.ops() {
        writeln!(text, "{op} {count}")?;
    }
    text.push_str("# first second count\n");
    for (first, second, count) in profile.pairs() {
        writeln!(text, "{first} {second} {count}")?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The status of a program that ended by calling `proc_exit`.
fn exit_status(error: &anyhow::Error) -> Option<u32> {
    match error.downcast_ref::<pulley::Error>()?.as_trap()?.kind() {
        TrapKind::Exit(status) => Some(*status as u32),
        _ => None,
    }
}

/// The WASI context `run` grants: the program's arguments (its file name
/// first), the environment asked for, the pre-opened directories, and the
/// host's standard streams.
fn wasi_context(args: &RunArgs) -> Result<WasiCtx> {
    let mut builder = WasiCtxBuilder::new();
    builder.arg(args.file().display().to_string());
    if args.invoke.is_none() {
        builder.args(args.args());
    }
    if args.inherit_env {
        builder.inherit_env();
    }
    for env in &args.envs {
        let (name, value) = env
            .split_once('=')
            .with_context(|| format!("--env {env:?} is not NAME=VALUE"))?;
        // Split off at the first `=`, the name holds none; an empty one is
        // refused too, as no program could look the variable up.
        if name.is_empty() {
            bail!("--env {env:?} has an empty name: expected NAME=VALUE");
        }
        builder.env(name, value);
    }
    for dir in &args.dirs {
        let (host, guest) = dir.split_once("::").unwrap_or((dir, dir));
        builder
            .preopened_dir(host, guest)
            .with_context(|| format!("cannot grant --dir {dir}"))?;
    }
    builder.inherit_stdio();
    Ok(builder.build())
}

/// Calls export `name` with parameters parsed from `args`, printing the
/// results one per line.
fn invoke(store: &mut Store<Host>, instance: Instance, name: &str, args: &[String]) -> Result<()> {
    let func = instance
        .get_func(&*store, name)
        .with_context(|| format!("the module exports no function {name:?}"))?;
    let ty = func.ty(&*store);
    if args.len() != ty.params.len() {
        bail!(
            "{name} takes {} arguments, {} given",
            ty.params.len(),
            args.len()
        );
    }
    let params = args
        .iter()
        .zip(&ty.params)
        .map(|(text, &ty)| parse_value(text, ty))
        .collect::<Result<Vec<_>>>()?;
    let mut results: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
    func.call(&mut *store, &params, &mut results)?;
    for result in results {
        write_stdout(format_args!("{}\n", format_value(&result)))?;
    }
    Ok(())
}

fn parse_value(text: &str, ty: ValType) -> Result<Val> {
    let bad = || format!("{text:?} is not a valid {ty}");
    Ok(match ty {
        ValType::I32 => Val::I32(
            text.parse::<i32>()
                .or_else(|_| text.parse::<u32>().map(|v| v as i32))
                .with_context(bad)?,
        ),
        ValType::I64 => Val::I64(
            text.parse::<i64>()
                .or_else(|_| text.parse::<u64>().map(|v| v as i64))
                .with_context(bad)?,
        ),
        ValType::F32 => Val::F32(text.parse::<f32>().with_context(bad)?.to_bits()),
        ValType::F64 => Val::F64(text.parse::<f64>().with_context(bad)?.to_bits()),
        ValType::V128 => Val::V128(
            text.strip_prefix("0x")
                .and_then(|hex| u128::from_str_radix(hex, 16).ok())
                .with_context(|| {
                    format!("{text:?} is not a v128 (expected 0x and 32 hex digits)")
                })?,
        ),
        other => bail!("cannot pass a {other} on the command line"),
    })
}

fn format_value(value: &Val) -> String {
    match value {
        Val::I32(v) => v.to_string(),
        Val::I64(v) => v.to_string(),
        Val::F32(bits) => f32::from_bits(*bits).to_string(),
        Val::F64(bits) => f64::from_bits(*bits).to_string(),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".into(),
        Val::FuncRef(Some(_)) => "funcref".into(),
        Val::ExternRef(Some(_)) => "externref".into(),
        Val::V128(bits) => format!("{bits:#034x}"),
    }
}

fn compile(file: &Path, target: Option<Flavour>, output: &Path, fuel: bool) -> Result<ExitCode> {
    let engine = engine(target, fuel);
    let module = load(&engine, file)?;
    std::fs::write(output, module.serialize()?)
        .with_context(|| format!("cannot write {}", output.display()))?;
    Ok(ExitCode::SUCCESS)
}

fn disas(file: &Path, only: Option<&str>, target: Option<Flavour>) -> Result<ExitCode> {
    let bytes = read_input(file)?;
    // An artifact's code charges fuel or not as it was compiled: the engine
    // that shows it takes the artifact's setting (a wasm module is compiled
    // without fuel).
    let fuel = pulley_module::decode_header(&bytes).is_ok_and(|header| header.features.fuel);
    let engine = engine(target, fuel);
    let module = load_bytes(&engine, file, &bytes)?;
    let compiled = module.compiled();
    let info = &compiled.info;
    let selected = only
        .map(|name| {
            let export = info.exports.iter().find_map(|e| match e.kind {
                ExportKind::Func(f) if e.name == name => Some(f),
                _ => None,
            });
            export
                .or_else(|| {
                    info.function_names
                        .iter()
                        .find(|(_, n)| *n == name)
                        .map(|(i, _)| i)
                })
                .or_else(|| name.parse().ok())
                .with_context(|| format!("no function {name:?}"))
        })
        .transpose()?;
    if let Some(index) = selected {
        let functions = info.functions.len() as u64;
        let imported = info.imported_functions;
        if u64::from(index) >= functions {
            let plural = if functions == 1 { "" } else { "s" };
            bail!("no function {index}: the module has {functions} function{plural}");
        }
        if index < imported {
            let defined = match functions - u64::from(imported) {
                0 => "no functions".to_string(),
                1 => format!("function {imported}"),
                _ => format!("functions {imported} to {}", functions - 1),
            };
            bail!("function {index} is imported and has no code: the module defines {defined}");
        }
    }
    write_stdout(format_args!("{}", compiled.disassemble(selected)))?;
    Ok(ExitCode::SUCCESS)
}

fn wast(files: &[PathBuf], target: Option<Target>, compiling: Compiling) -> Result<ExitCode> {
    let config = config(target, false, compiling)?;
    let (mut passed, mut failed) = (0, 0);
    for file in files {
        let text = String::from_utf8(read_input(file)?)
            .with_context(|| format!("cannot read {}: not UTF-8 text", file.display()))?;
        let name = file.display().to_string();
        let report = pulley::wast::run_script(&name, &text, &config);
        for failure in &report.failures {
            write_stdout(format_args!("  FAIL {failure}\n"))?;
        }
        write_stdout(format_args!(
            "{name}: {} passed, {} failed\n",
            report.passed,
            report.failed()
        ))?;
        passed += report.passed;
        failed += report.failed();
    }
    write_stdout(format_args!("{passed} passed, {failed} failed\n"))?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
