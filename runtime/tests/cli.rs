//! The `pulley` command line: running WASI programs with their arguments,
//! environment, directories and exit status; invoking exports (v128 values
//! included); preloads;
//! compiling, disassembling and running artifacts; spec scripts; errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn pulley(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pulley"))
        .args(args)
        .output()
        .expect("the pulley binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn repo_file(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

/// A fresh directory under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn hello_world() {
    let output = pulley(&["run", &repo_file("examples/hello.wat")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Hello, world!\n");
}

#[test]
fn arguments_environment_directories_and_exit_status() {
    let dir = scratch("cli-probe");
    std::fs::write(dir.join("data.txt"), "file contents\n").unwrap();
    let probe = repo_file("runtime/tests/programs/wasi-probe.wat");
    let granted = format!("{}::.", dir.display());
    let output = pulley(&[
        "run",
        "--dir",
        &granted,
        "--env",
        "A=1",
        "--env",
        "B=two words",
        &probe,
        "x",
        "-y",
        "z w",
    ]);
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("{probe}\nx\n-y\nz w\nA=1\nB=two words\nfile contents\n")
    );
    // Nothing granted: no environment, no file.
    let output = pulley(&["run", &probe]);
    assert_eq!(output.status.code(), Some(7));
    assert_eq!(stdout(&output), format!("{probe}\n"));
}

/// Everything after the module is the program's, options that are also
/// pulley's included, as under Wasmtime's and wasmi's `run`.
#[test]
fn options_after_the_module_belong_to_the_program() {
    let probe = repo_file("runtime/tests/programs/wasi-probe.wat");
    let output = pulley(&["run", &probe, "--help", "--fuel", "3", "--", "-x"]);
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("{probe}\n--help\n--fuel\n3\n--\n-x\n")
    );
    // Before the module, they are pulley's.
    let output = pulley(&["run", "--help"]);
    assert!(output.status.success());
    assert!(
        stdout(&output).contains("Usage: pulley run"),
        "{}",
        stdout(&output)
    );
}

/// Without `--invoke`: `_start`, else the default export `""`; a reactor's
/// `_initialize` runs first, before either or an invoked export.
#[test]
fn the_entry_point_is_start_else_the_default_export() {
    let dir = scratch("cli-entry");
    let log = r#"(import "wasi_snapshot_preview1" "fd_write"
          (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "init\n" "main\n" "start\n")
        ;; Writes the 5 or 6 bytes at `at` to standard output.
        (func $say (param $at i32) (param $len i32)
          (i32.store (i32.const 0) (local.get $at))
          (i32.store (i32.const 4) (local.get $len))
          (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))"#;
    let reactor = dir.join("reactor.wat");
    std::fs::write(
        &reactor,
        format!(
            r#"(module {log}
                 (func (export "_initialize") (call $say (i32.const 16) (i32.const 5)))
                 (func (export "") (call $say (i32.const 21) (i32.const 5)))
                 (func (export "answer") (result i32) (i32.const 42)))"#
        ),
    )
    .unwrap();
    let reactor = reactor.display().to_string();
    let output = pulley(&["run", &reactor]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "init\nmain\n");
    let output = pulley(&["run", "--invoke", "answer", &reactor]);
    assert_eq!(stdout(&output), "init\n42\n");
    // `_start` wins over "".
    let command = dir.join("command.wat");
    std::fs::write(
        &command,
        format!(
            r#"(module {log}
                 (func (export "") (call $say (i32.const 21) (i32.const 5)))
                 (func (export "_start") (call $say (i32.const 26) (i32.const 6))))"#
        ),
    )
    .unwrap();
    let output = pulley(&["run", &command.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "start\n");
    // Neither: a clear error.
    let library = dir.join("library.wat");
    std::fs::write(&library, r#"(module (func (export "f")))"#).unwrap();
    let output = pulley(&["run", &library.display().to_string()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("exports neither `_start` nor the default export \"\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn inherit_env_passes_the_host_environment() {
    let probe = repo_file("runtime/tests/programs/wasi-probe.wat");
    let output = Command::new(env!("CARGO_BIN_EXE_pulley"))
        .args(["run", "--inherit-env", "--env", "EXTRA=1", &probe])
        .env("PULLEY_CLI_TEST", "inherited")
        .output()
        .unwrap();
    let printed = stdout(&output);
    assert!(
        printed.contains("\nPULLEY_CLI_TEST=inherited\n"),
        "{printed}"
    );
    assert!(printed.contains("\nEXTRA=1\n"), "{printed}");
}

#[test]
fn exit_statuses_outside_the_shells_range_are_an_error() {
    let dir = scratch("cli-exit");
    let exit = |status: u32| {
        let file = dir.join(format!("exit{status}.wat"));
        std::fs::write(
            &file,
            format!(
                r#"(module
                    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                    (memory (export "memory") 1)
                    (func (export "_start") (call $exit (i32.const {status}))))"#
            ),
        )
        .unwrap();
        pulley(&["run", &file.display().to_string()])
    };
    assert_eq!(exit(0).status.code(), Some(0));
    assert_eq!(exit(125).status.code(), Some(125));
    let output = exit(126);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("status 126"),
        "{}",
        stderr(&output)
    );
    assert_eq!(exit(u32::MAX).status.code(), Some(1));
}

#[test]
fn invoke_passes_and_prints_vectors() {
    let dir = scratch("invoke-v128");
    let program = dir.join("double.wat");
    std::fs::write(
        &program,
        r#"(module (func (export "double") (param v128) (result v128)
            (i8x16.add (local.get 0) (local.get 0))))"#,
    )
    .unwrap();
    let program = program.display().to_string();
    let output = pulley(&[
        "run",
        "--invoke",
        "double",
        &program,
        "0x80ff0000000000000000000000000201",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "0x00fe0000000000000000000000000402\n");
    let output = pulley(&["run", "--invoke", "double", &program, "12"]);
    assert!(
        stderr(&output).contains("is not a v128"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn invoke_parses_arguments_and_prints_results() {
    let fib = repo_file("examples/fib.wat");
    let output = pulley(&["run", "--invoke", "fib", &fib, "20"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "6765\n");
    let output = pulley(&["run", "--invoke", "fib", &fib]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("takes 1 arguments, 0 given"));
    let output = pulley(&["run", "--invoke", "fib", &fib, "twenty"]);
    assert!(
        stderr(&output).contains("not a valid i32"),
        "{}",
        stderr(&output)
    );
    let output = pulley(&["run", "--invoke", "nope", &fib, "1"]);
    assert!(stderr(&output).contains("exports no function \"nope\""));
}

#[test]
fn traps_are_reported_with_a_backtrace() {
    let dir = scratch("cli-trap");
    let file = dir.join("trap.wat");
    std::fs::write(
        &file,
        r#"(module
            (func $inner (unreachable))
            (func $outer (export "_start") (call $inner)))"#,
    )
    .unwrap();
    let output = pulley(&["run", &file.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("unreachable"), "{message}");
    // Each frame with its wasm offset: `unreachable` is byte 0x24 of the
    // binary (8 header bytes, a 6-byte type section, a 5-byte function
    // section, a 12-byte export section, then the code section's id, size,
    // count, body size and local count), the call in `outer` byte 0x28.
    assert!(
        message.contains("    0: 0x24 - inner\n    1: 0x28 - outer"),
        "{message}"
    );
}

#[test]
fn preload_makes_a_modules_exports_importable() {
    let dir = scratch("cli-preload");
    let library = dir.join("library.wat");
    std::fs::write(
        &library,
        r#"(module (func (export "answer") (result i32) (i32.const 42)))"#,
    )
    .unwrap();
    let program = dir.join("program.wat");
    std::fs::write(
        &program,
        r#"(module
            (import "lib" "answer" (func $answer (result i32)))
            (func (export "twice") (result i32) (i32.mul (call $answer) (i32.const 2))))"#,
    )
    .unwrap();
    let preload = format!("lib={}", library.display());
    let program = program.display().to_string();
    let output = pulley(&["run", "--preload", &preload, "--invoke", "twice", &program]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "84\n");
    let output = pulley(&["run", "--invoke", "twice", &program]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("lib"), "{}", stderr(&output));
    let output = pulley(&["run", "--preload", "no-equals-sign", &program]);
    assert!(stderr(&output).contains("NAME=FILE"));
}

#[test]
fn compiled_artifacts_run_and_disassemble() {
    let dir = scratch("cli-artifact");
    let artifact = dir.join("fib.pulley").display().to_string();
    let fib = repo_file("examples/fib.wat");
    let output = pulley(&["compile", &fib, "-o", &artifact]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = pulley(&["run", "--invoke", "fib", &artifact, "10"]);
    assert_eq!(stdout(&output), "55\n", "{}", stderr(&output));
    let output = pulley(&["disas", "--func", "fib", &artifact]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("ret"), "{}", stdout(&output));
    // A corrupt artifact is an error, not a crash.
    let mut bytes = std::fs::read(&artifact).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&artifact, bytes).unwrap();
    let output = pulley(&["run", "--invoke", "fib", &artifact, "10"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot load"),
        "{}",
        stderr(&output)
    );
}

/// An error whose message already includes its cause prints the cause
/// once: the CLI prints the error chain, so such an error must not also
/// report its cause as `source()` (the unit test in `runtime/src/error.rs`
/// checks every such variant; a rejected bytecode was printed twice).
#[test]
fn causes_are_printed_once() {
    let dir = scratch("cli-cause-once");
    let other = if cfg!(target_endian = "little") {
        "pulley32be"
    } else {
        "pulley64"
    };
    let artifact = dir.join("fib.pulley").display().to_string();
    let fib = repo_file("examples/fib.wat");
    let output = pulley(&["compile", &fib, "-o", &artifact, "--target", other]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = pulley(&["run", "--invoke", "fib", &artifact, "10"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert_eq!(message.matches("compiled for").count(), 1, "{message}");
}

#[test]
fn wast_scripts_report_passes_and_failures() {
    let dir = scratch("cli-wast");
    let script = dir.join("script.wast");
    std::fs::write(
        &script,
        r#"(module (func (export "add") (param i32 i32) (result i32)
              (i32.add (local.get 0) (local.get 1))))
           (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
           (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))"#,
    )
    .unwrap();
    let output = pulley(&["wast", &script.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).ends_with("2 passed, 1 failed\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn missing_and_malformed_files_are_errors() {
    let output = pulley(&["run", "/nonexistent/program.wasm"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot read /nonexistent/program.wasm"));
    let dir = scratch("cli-malformed");
    let file = dir.join("bad.wasm");
    std::fs::write(&file, b"\0asm\x01\0\0\0\x01\xff").unwrap();
    let output = pulley(&["run", &file.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot load"),
        "{}",
        stderr(&output)
    );
    let output = pulley(&[
        "run",
        "--dir",
        "/nonexistent",
        &repo_file("examples/hello.wat"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--dir /nonexistent"),
        "{}",
        stderr(&output)
    );
}

/// `pulley` with its standard output (and error) sent to `stdout` (and
/// `stderr`).
fn pulley_to(args: &[&str], stdout: Stdio, stderr: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pulley"))
        .args(args)
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .expect("the pulley binary runs")
}

/// A pipe whose reading end is already closed: writing to it fails with a
/// broken pipe, as when `pulley disas X | head -1` has stopped reading.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    writer.into()
}

/// A broken pipe on standard output ends the command quietly with status
/// 141, as a tool killed by SIGPIPE reports in a shell.
#[test]
fn a_closed_standard_output_ends_quietly() {
    let fib = repo_file("examples/fib.wat");
    for args in [
        &["disas", fib.as_str()][..],
        &["run", "--invoke", "fib", fib.as_str(), "10"],
        &["--help"],
    ] {
        let output = pulley_to(args, closed_pipe(), Stdio::piped());
        assert_eq!(
            output.status.code(),
            Some(141),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output), "", "{args:?}");
    }
}

/// Any other failure to write standard output is an error, status 1.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error() {
    let fib = repo_file("examples/fib.wat");
    for args in [
        &["disas", fib.as_str()][..],
        &["run", "--invoke", "fib", fib.as_str(), "10"],
        &["--help"],
    ] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let output = pulley_to(args, full.into(), Stdio::piped());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stderr(&output)
        );
        let message = stderr(&output);
        assert!(
            message.starts_with("error: cannot write to standard output: "),
            "{args:?}: {message}"
        );
    }
}

/// An error report that cannot be written (a trap's, to a closed pipe or a
/// full device) still ends with status 1, not a panic.
#[test]
fn a_failing_standard_error_still_exits_with_the_error_status() {
    let dir = scratch("cli-stderr-closed");
    let file = dir.join("trap.wat");
    std::fs::write(&file, r#"(module (func (export "_start") (unreachable)))"#).unwrap();
    let file = file.display().to_string();
    let output = pulley_to(&["run", &file], Stdio::piped(), closed_pipe());
    assert_eq!(output.status.code(), Some(1));
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let output = pulley_to(&["run", &file], Stdio::piped(), full.into());
        assert_eq!(output.status.code(), Some(1));
    }
}

/// The guest's writes to a failing standard output are its own: `fd_write`
/// returns the errno (`nospc` 51, `pipe` 64), which this program exits with.
#[test]
fn guest_writes_to_a_failing_standard_output_return_an_errno() {
    let dir = scratch("cli-guest-stdout");
    let file = dir.join("write.wat");
    std::fs::write(
        &file,
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write"
                (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "Hello, world!\n")
            (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16))
                (i32.store (i32.const 4) (i32.const 14))
                (call $exit (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
    )
    .unwrap();
    let file = file.display().to_string();
    let output = pulley_to(&["run", &file], closed_pipe(), Stdio::piped());
    assert_eq!(output.status.code(), Some(64), "{}", stderr(&output));
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let output = pulley_to(&["run", &file], full.into(), Stdio::piped());
        assert_eq!(output.status.code(), Some(51), "{}", stderr(&output));
    }
}

/// Whether `text` holds a control character other than the line ends that
/// separate its lines.
fn has_raw_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

/// Names that a module controls (import and export names, name-section
/// names) reach the terminal with their control characters escaped, so a
/// module cannot color, retitle or rewrite it.
#[test]
fn module_names_are_escaped_in_errors_backtraces_and_disassembly() {
    let dir = scratch("cli-escaped-names");
    let traps = dir.join("traps.wat");
    std::fs::write(
        &traps,
        r#"(module (@name "mo\1bd")
            (func $"in\1b[31mner\0a\07" (unreachable))
            (func (@name "out\0d") (export "_start") (call 0)))"#,
    )
    .unwrap();
    let traps = traps.display().to_string();
    let output = pulley(&["run", &traps]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(!has_raw_control(&message), "{message:?}");
    assert_eq!(message.lines().count(), 4, "{message:?}");
    assert!(
        message.contains(r"0x24 - mo\u{1b}d!in\u{1b}[31mner\n\u{7}"),
        "{message}"
    );
    assert!(message.contains(r"0x28 - mo\u{1b}d!out\r"), "{message}");

    let output = pulley(&["disas", &traps]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!has_raw_control(&text), "{text:?}");
    assert!(
        text.contains(r"function 0 in\u{1b}[31mner\n\u{7} (frame"),
        "{text}"
    );

    let imports = dir.join("imports.wat");
    std::fs::write(
        &imports,
        r#"(module (import "env\1b[31m" "f\0a\07" (func))
            (func (export "_start")))"#,
    )
    .unwrap();
    let output = pulley(&["run", &imports.display().to_string()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert_eq!(
        message,
        "error: unknown import: env\\u{1b}[31m.f\\n\\u{7} has not been defined\n"
    );

    // Export names: defined twice in the linker, and invalid twice in one
    // module (the validator's message quotes the name).
    let library = dir.join("library.wat");
    std::fs::write(&library, r#"(module (func (export "x\1b\0a")))"#).unwrap();
    let preload = format!("a={}", library.display());
    let output = pulley(&["run", "--preload", &preload, "--preload", &preload, &traps]);
    let message = stderr(&output);
    assert_eq!(message, "error: a.x\\u{1b}\\n is defined twice\n");
    let duplicate = dir.join("duplicate.wat");
    std::fs::write(
        &duplicate,
        r#"(module (func (export "y\1b\0a")) (func (export "y\1b\0a")))"#,
    )
    .unwrap();
    let output = pulley(&["run", &duplicate.display().to_string()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(!has_raw_control(&message), "{message:?}");
    assert!(message.contains(r"y\u{1b}\n"), "{message}");
}

/// Input is read up to the largest module the runtime accepts
/// ([`pulley::MAX_MODULE_BYTES`]), then refused: an endless device is an
/// error, not a read until the memory runs out.
#[cfg(unix)]
#[test]
fn an_endless_input_is_refused_at_the_size_limit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulley"))
        .args(["run", "/dev/zero"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the pulley binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("`pulley run /dev/zero` still reading after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert_eq!(
        message,
        format!(
            "error: cannot read /dev/zero: larger than {} bytes, the largest module Pulley accepts\n",
            pulley::MAX_MODULE_BYTES
        )
    );
}

/// A file larger than the limit is refused before it is read, by every
/// command that reads one.
#[test]
fn files_larger_than_the_size_limit_are_refused() {
    let dir = scratch("cli-too-large");
    let file = dir.join("large.wasm");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(pulley::MAX_MODULE_BYTES as u64 + 1)
        .unwrap();
    let file = file.display().to_string();
    let artifact = dir.join("out.pulley").display().to_string();
    let preload = format!("lib={file}");
    let fib = repo_file("examples/fib.wat");
    for args in [
        &["run", file.as_str()][..],
        &["run", "--preload", &preload, &fib],
        &["compile", &file, "-o", &artifact],
        &["disas", &file],
        &["wast", &file],
    ] {
        let output = pulley(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&output),
            format!(
                "error: cannot read {file}: larger than {} bytes, the largest module Pulley accepts\n",
                pulley::MAX_MODULE_BYTES
            ),
            "{args:?}"
        );
    }
}

/// `disas --func` of a function that does not exist, or that is imported
/// and has no code, is an error that says how many functions there are.
#[test]
fn disassembling_a_missing_function_is_an_error() {
    let fib = repo_file("examples/fib.wat");
    let output = pulley(&["disas", "--func", "1000000", &fib]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "error: no function 1000000: the module has 1 function\n"
    );
    let dir = scratch("cli-disas-missing");
    let file = dir.join("imports.wat");
    std::fs::write(&file, r#"(module (import "env" "f" (func)) (func) (func))"#).unwrap();
    let file = file.display().to_string();
    let output = pulley(&["disas", "--func", "0", &file]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: function 0 is imported and has no code: the module defines functions 1 to 2\n"
    );
    let output = pulley(&["disas", "--func", "3", &file]);
    assert_eq!(
        stderr(&output),
        "error: no function 3: the module has 3 functions\n"
    );
    let output = pulley(&["disas", "--func", "2", &file]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("function 2 "),
        "{}",
        stdout(&output)
    );
}

/// An artifact compiled with fuel disassembles: `disas` takes the
/// artifact's fuel setting.
#[test]
fn artifacts_compiled_with_fuel_disassemble() {
    let dir = scratch("cli-disas-fuel");
    let artifact = dir.join("fib.pulley").display().to_string();
    let fib = repo_file("examples/fib.wat");
    let output = pulley(&["compile", "--fuel", &fib, "-o", &artifact]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = pulley(&["disas", &artifact]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("consume_fuel"), "{text}");
    // The same code as disassembling the module compiled with fuel.
    let output = pulley(&["compile", &fib, "-o", &artifact]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = pulley(&["disas", &artifact]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stdout(&output).contains("consume_fuel"));
}

/// An operating system's error is printed once, after the path it concerns.
#[test]
fn os_errors_are_printed_once_with_their_path() {
    let missing = "/nonexistent/directory";
    let os_error = std::fs::read_dir(missing).unwrap_err().to_string();
    let output = pulley(&["run", "--dir", missing, &repo_file("examples/hello.wat")]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert_eq!(message.matches(&os_error).count(), 1, "{message}");
    assert!(
        message.contains(&format!("{missing}: {os_error}")),
        "{message}"
    );
    let output = pulley(&["run", "/nonexistent/program.wasm"]);
    let message = stderr(&output);
    assert_eq!(
        message,
        format!(
            "error: cannot read /nonexistent/program.wasm: {}\n",
            std::fs::read("/nonexistent/program.wasm").unwrap_err()
        )
    );
}

/// `--env` needs a name: `=v` is refused.
#[test]
fn environment_variables_need_a_name() {
    let hello = repo_file("examples/hello.wat");
    let output = pulley(&["run", "--env", "=v", &hello]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "error: --env \"=v\" has an empty name: expected NAME=VALUE\n"
    );
    let output = pulley(&["run", "--env", "A=", &hello]);
    assert!(output.status.success(), "{}", stderr(&output));
}
