//! WASI preview1 through real wasm: small WAT programs, and a "shim" module
//! that wraps every WASI function in an exported wasm function so a test can
//! call it with any arguments and look at memory afterwards.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use support::{Via, bench_dir, run_program};

use pulley::wasi::{self, Errno, WasiCtx, WasiCtxBuilder, WasiError};
use pulley::{Engine, Instance, Linker, Module, Store, TrapKind, Val, ValType};

// ---------------------------------------------------------------------------
// Harness

/// Every preview1 function that returns an errno, with its wasm parameters.
const FUNCTIONS: &[(&str, &str)] = &[
    ("args_get", "i32 i32"),
    ("args_sizes_get", "i32 i32"),
    ("environ_get", "i32 i32"),
    ("environ_sizes_get", "i32 i32"),
    ("clock_res_get", "i32 i32"),
    ("clock_time_get", "i32 i64 i32"),
    ("random_get", "i32 i32"),
    ("fd_advise", "i32 i64 i64 i32"),
    ("fd_allocate", "i32 i64 i64"),
    ("fd_close", "i32"),
    ("fd_datasync", "i32"),
    ("fd_fdstat_get", "i32 i32"),
    ("fd_fdstat_set_flags", "i32 i32"),
    ("fd_fdstat_set_rights", "i32 i64 i64"),
    ("fd_filestat_get", "i32 i32"),
    ("fd_filestat_set_size", "i32 i64"),
    ("fd_filestat_set_times", "i32 i64 i64 i32"),
    ("fd_pread", "i32 i32 i32 i64 i32"),
    ("fd_prestat_get", "i32 i32"),
    ("fd_prestat_dir_name", "i32 i32 i32"),
    ("fd_pwrite", "i32 i32 i32 i64 i32"),
    ("fd_read", "i32 i32 i32 i32"),
    ("fd_readdir", "i32 i32 i32 i64 i32"),
    ("fd_renumber", "i32 i32"),
    ("fd_seek", "i32 i64 i32 i32"),
    ("fd_sync", "i32"),
    ("fd_tell", "i32 i32"),
    ("fd_write", "i32 i32 i32 i32"),
    ("path_create_directory", "i32 i32 i32"),
    ("path_filestat_get", "i32 i32 i32 i32 i32"),
    ("path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32"),
    ("path_link", "i32 i32 i32 i32 i32 i32 i32"),
    ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
    ("path_readlink", "i32 i32 i32 i32 i32 i32"),
    ("path_remove_directory", "i32 i32 i32"),
    ("path_rename", "i32 i32 i32 i32 i32 i32"),
    ("path_symlink", "i32 i32 i32 i32 i32"),
    ("path_unlink_file", "i32 i32 i32"),
    ("poll_oneoff", "i32 i32 i32 i32"),
    ("proc_raise", "i32"),
    ("sched_yield", ""),
    ("sock_accept", "i32 i32 i32"),
    ("sock_recv", "i32 i32 i32 i32 i32 i32"),
    ("sock_send", "i32 i32 i32 i32 i32"),
    ("sock_shutdown", "i32 i32"),
];

/// A module importing every function of WASI module `wasi` and exporting a
/// wasm wrapper of each under the same name, plus two pages of memory.
fn shim(wasi: &str) -> String {
    let mut wat = String::from("(module\n");
    for (name, params) in FUNCTIONS {
        wat += &format!(
            "  (import \"{wasi}\" \"{name}\" (func ${name} (param {params}) (result i32)))\n"
        );
    }
    wat += &format!("  (import \"{wasi}\" \"proc_exit\" (func $proc_exit (param i32)))\n");
    wat += "  (memory (export \"memory\") 2)\n";
    for (name, params) in FUNCTIONS {
        let args: String = (0..params.split_whitespace().count())
            .map(|i| format!(" (local.get {i})"))
            .collect();
        wat += &format!(
            "  (func (export \"{name}\") (param {params}) (result i32) (call ${name}{args}))\n"
        );
    }
    wat += "  (func (export \"proc_exit\") (param i32) (call $proc_exit (local.get 0))))\n";
    wat
}

/// An instance of a module with WASI, and its store.
struct Guest {
    store: Store<WasiCtx>,
    instance: Instance,
}

impl Guest {
    /// Asserts that `path`, relative to the preopen at fd 3, can be neither
    /// opened nor stat'ed: both fail with `EPERM` (an escape is refused).
    fn assert_unreachable(&mut self, path: &str) {
        assert_eq!(
            self.open(3, true, path, 0, RIGHT_FD_READ, 0).0,
            Errno::Perm,
            "{path}"
        );
        let (ptr, len) = self.string(PATH, path);
        assert_eq!(
            self.errno("path_filestat_get", &[3, 1, ptr, len, STAT.into()]),
            Errno::Perm,
            "{path}"
        );
    }

    /// Instantiates `wat` with `ctx`.
    fn new(wat: &str, ctx: WasiCtx) -> Guest {
        let engine = Engine::default();
        let module = Module::new(&engine, wat).expect("test module compiles");
        let mut linker = Linker::new(&engine);
        wasi::add_to_linker(&mut linker, |ctx| ctx).expect("WASI functions defined");
        let mut store = Store::new(&engine, ctx);
        let instance = linker
            .instantiate(&mut store, &module)
            .expect("test module instantiates");
        Guest { store, instance }
    }

    /// The preview1 shim with `ctx`.
    fn shim(ctx: WasiCtx) -> Guest {
        Guest::new(&shim("wasi_snapshot_preview1"), ctx)
    }

    /// Calls export `name`: integer arguments are converted to the
    /// parameter types.
    fn call(&mut self, name: &str, args: &[u64]) -> pulley::Result<Vec<Val>> {
        let func = self
            .instance
            .get_func(&self.store, name)
            .unwrap_or_else(|| panic!("no export {name}"));
        let ty = func.ty(&self.store);
        assert_eq!(ty.params.len(), args.len(), "arguments of {name}");
        let args: Vec<Val> = ty
            .params
            .iter()
            .zip(args)
            .map(|(ty, &arg)| match ty {
                ValType::I32 => Val::I32(arg as u32 as i32),
                ValType::I64 => Val::I64(arg as i64),
                other => panic!("unexpected parameter type {other:?}"),
            })
            .collect();
        let mut results = vec![Val::I32(0); ty.results.len()];
        func.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    /// Calls WASI function `name` through the shim; returns its errno.
    fn errno(&mut self, name: &str, args: &[u64]) -> Errno {
        let results = self
            .call(name, args)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let raw = results[0].i32().expect("an i32 errno");
        errno_of(raw).unwrap_or_else(|| panic!("{name} returned unknown errno {raw}"))
    }

    /// Calls WASI function `name` and asserts it succeeds.
    fn ok(&mut self, name: &str, args: &[u64]) {
        assert_eq!(self.errno(name, args), Errno::Success, "{name}{args:?}");
    }

    fn memory(&self) -> &[u8] {
        self.instance
            .get_memory(&self.store, "memory")
            .expect("memory export")
            .data(&self.store)
    }

    fn write(&mut self, at: u32, bytes: &[u8]) {
        let memory = self
            .instance
            .get_memory(&self.store, "memory")
            .expect("memory export");
        memory
            .write(&mut self.store, at as usize, bytes)
            .expect("in bounds");
    }

    fn bytes(&self, at: u32, len: usize) -> Vec<u8> {
        self.memory()[at as usize..at as usize + len].to_vec()
    }

    fn u32(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.bytes(at, 4).try_into().unwrap())
    }

    fn u64(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.bytes(at, 8).try_into().unwrap())
    }

    /// Writes `text` at `at`; returns `(at, len)` for a WASI string.
    fn string(&mut self, at: u32, text: &str) -> (u64, u64) {
        self.write(at, text.as_bytes());
        (u64::from(at), text.len() as u64)
    }

    /// Writes an array of iovecs at `at`.
    fn iovecs(&mut self, at: u32, buffers: &[(u32, u32)]) {
        let mut bytes = Vec::new();
        for &(ptr, len) in buffers {
            bytes.extend_from_slice(&ptr.to_le_bytes());
            bytes.extend_from_slice(&len.to_le_bytes());
        }
        self.write(at, &bytes);
    }

    /// `path_open` beneath `dir`: returns the errno and the new descriptor.
    fn open(
        &mut self,
        dir: u32,
        follow: bool,
        path: &str,
        oflags: u16,
        rights: u64,
        fdflags: u16,
    ) -> (Errno, u32) {
        let (ptr, len) = self.string(PATH, path);
        let errno = self.errno(
            "path_open",
            &[
                dir.into(),
                u64::from(follow),
                ptr,
                len,
                oflags.into(),
                rights,
                rights,
                fdflags.into(),
                OUT.into(),
            ],
        );
        (errno, self.u32(OUT))
    }

    /// Writes `data` to `fd` with `fd_write`; returns the count written.
    fn fd_write(&mut self, fd: u32, data: &[u8]) -> u32 {
        self.write(DATA, data);
        self.iovecs(IOVS, &[(DATA, data.len() as u32)]);
        self.ok("fd_write", &[fd.into(), IOVS.into(), 1, OUT.into()]);
        self.u32(OUT)
    }

    /// Reads up to `len` bytes from `fd` with `fd_read`.
    fn fd_read(&mut self, fd: u32, len: u32) -> Vec<u8> {
        self.iovecs(IOVS, &[(DATA, len)]);
        self.ok("fd_read", &[fd.into(), IOVS.into(), 1, OUT.into()]);
        let n = self.u32(OUT);
        self.bytes(DATA, n as usize)
    }

    /// `fd_filestat_get` (preview1 layout): `(filetype, nlink, size)`.
    fn filestat(&mut self, fd: u32) -> (u8, u64, u64) {
        self.ok("fd_filestat_get", &[fd.into(), STAT.into()]);
        (
            self.memory()[STAT as usize + 16],
            self.u64(STAT + 24),
            self.u64(STAT + 32),
        )
    }
}

/// Scratch addresses in the shim's memory.
const OUT: u32 = 0x100;
const OUT2: u32 = 0x108;
const STAT: u32 = 0x200;
const IOVS: u32 = 0x300;
const PATH: u32 = 0x400;
const PATH2: u32 = 0x800;
const DATA: u32 = 0x1000;

/// The Errno with value `raw`.
fn errno_of(raw: i32) -> Option<Errno> {
    use Errno::*;
    const ALL: &[Errno] = &[
        Success,
        TooBig,
        Acces,
        Addrinuse,
        Addrnotavail,
        Afnosupport,
        Again,
        Already,
        Badf,
        Badmsg,
        Busy,
        Canceled,
        Child,
        Connaborted,
        Connrefused,
        Connreset,
        Deadlk,
        Destaddrreq,
        Dom,
        Dquot,
        Exist,
        Fault,
        Fbig,
        Hostunreach,
        Idrm,
        Ilseq,
        Inprogress,
        Intr,
        Inval,
        Io,
        Isconn,
        Isdir,
        Loop,
        Mfile,
        Mlink,
        Msgsize,
        Multihop,
        Nametoolong,
        Netdown,
        Netreset,
        Netunreach,
        Nfile,
        Nobufs,
        Nodev,
        Noent,
        Noexec,
        Nolck,
        Nolink,
        Nomem,
        Nomsg,
        Noprotoopt,
        Nospc,
        Nosys,
        Notconn,
        Notdir,
        Notempty,
        Notrecoverable,
        Notsock,
        Notsup,
        Notty,
        Nxio,
        Overflow,
        Ownerdead,
        Perm,
        Pipe,
        Proto,
        Protonosupport,
        Prototype,
        Range,
        Rofs,
        Spipe,
        Srch,
        Stale,
        Timedout,
        Txtbsy,
        Xdev,
        Notcapable,
    ];
    ALL.iter()
        .copied()
        .find(|errno| i32::from(errno.raw()) == raw)
}

/// WASI constants the tests use.
mod abi {
    pub const FILETYPE_CHARACTER_DEVICE: u8 = 2;
    pub const FILETYPE_DIRECTORY: u8 = 3;
    pub const FILETYPE_REGULAR_FILE: u8 = 4;
    pub const FILETYPE_SYMBOLIC_LINK: u8 = 7;
    pub const O_CREAT: u16 = 1;
    pub const O_DIRECTORY: u16 = 2;
    pub const O_EXCL: u16 = 4;
    pub const O_TRUNC: u16 = 8;
    pub const FDFLAGS_APPEND: u16 = 1;
    pub const FDFLAGS_SYNC: u16 = 16;
    pub const RIGHT_FD_READ: u64 = 1 << 1;
    pub const RIGHT_FD_SEEK: u64 = 1 << 2;
    pub const RIGHT_FD_TELL: u64 = 1 << 5;
    pub const RIGHT_FD_WRITE: u64 = 1 << 6;
    pub const RIGHT_PATH_OPEN: u64 = 1 << 13;
    pub const READ_WRITE: u64 = RIGHT_FD_READ | RIGHT_FD_WRITE;
    pub const WHENCE_SET: u64 = 0;
    pub const WHENCE_CUR: u64 = 1;
    pub const WHENCE_END: u64 = 2;
    pub const CLOCK_REALTIME: u64 = 0;
    pub const CLOCK_MONOTONIC: u64 = 1;
    pub const CLOCK_PROCESS_CPUTIME: u64 = 2;
    pub const CLOCK_THREAD_CPUTIME: u64 = 3;
}
use abi::*;

/// A directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "pulley-wasi-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(unique);
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("temporary directory");
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A temporary directory with a `sandbox` subdirectory pre-opened as `.`
/// (descriptor 3), and the shim.
fn sandbox(name: &str) -> (TempDir, PathBuf, Guest) {
    let tmp = TempDir::new(name);
    let sandbox = tmp.path().join("sandbox");
    fs::create_dir(&sandbox).unwrap();
    let mut builder = WasiCtxBuilder::new();
    builder.preopened_dir(&sandbox, ".").unwrap();
    let guest = Guest::shim(builder.build());
    (tmp, sandbox, guest)
}

// ---------------------------------------------------------------------------
// Linking and programs

#[test]
fn every_function_links_under_both_names() {
    for module in ["wasi_snapshot_preview1", "wasi_unstable"] {
        let mut guest = Guest::new(&shim(module), WasiCtxBuilder::new().build());
        assert_eq!(guest.errno("sched_yield", &[]), Errno::Success, "{module}");
    }
}

#[test]
fn hello_world_to_captured_stdout_and_stderr() {
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 64) "hello, ")
          (data (i32.const 80) "world\n")
          (data (i32.const 96) "oops\n")
          (func (export "_start")
            ;; Two iovecs: "hello, " and "world\n".
            (i32.store (i32.const 0) (i32.const 64))
            (i32.store (i32.const 4) (i32.const 7))
            (i32.store (i32.const 8) (i32.const 80))
            (i32.store (i32.const 12) (i32.const 6))
            (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 32))
              (then unreachable))
            (if (i32.ne (i32.load (i32.const 32)) (i32.const 13))
              (then unreachable))
            (i32.store (i32.const 16) (i32.const 96))
            (i32.store (i32.const 20) (i32.const 5))
            (if (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 32))
              (then unreachable))))
    "#;
    let mut builder = WasiCtxBuilder::new();
    let stdout = builder.stdout_buffer();
    let stderr = builder.stderr_buffer();
    let mut guest = Guest::new(wat, builder.build());
    guest.call("_start", &[]).unwrap();
    assert_eq!(stdout.contents(), b"hello, world\n");
    assert_eq!(stderr.take(), b"oops\n");
    assert!(stderr.is_empty());
}

#[test]
fn cat_copies_stdin_to_stdout() {
    // Reads stdin in 7-byte pieces until end of file, writing each piece.
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "fd_read"
            (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (loop $copy
              (i32.store (i32.const 4) (i32.const 7))
              (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
                (then unreachable))
              (if (i32.load (i32.const 8))
                (then
                  (i32.store (i32.const 4) (i32.load (i32.const 8)))
                  (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12))
                    (then unreachable))
                  (br $copy))))))
    "#;
    let text = "The quick brown fox jumps over the lazy dog.\n".repeat(20);
    let mut builder = WasiCtxBuilder::new();
    builder.stdin(text.clone());
    let stdout = builder.stdout_buffer();
    let mut guest = Guest::new(wat, builder.build());
    guest.call("_start", &[]).unwrap();
    assert_eq!(stdout.contents(), text.as_bytes());
}

#[test]
fn proc_exit_is_an_exit_trap() {
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start") (call $exit (i32.const 42)) unreachable))
    "#;
    let mut guest = Guest::new(wat, WasiCtxBuilder::new().build());
    let error = guest.call("_start", &[]).unwrap_err();
    let trap = error.as_trap().expect("a trap");
    assert_eq!(trap.kind(), &TrapKind::Exit(42));

    // The same through `wasi_unstable`, with status 0.
    let mut guest = Guest::new(&shim("wasi_unstable"), WasiCtxBuilder::new().build());
    let error = guest.call("proc_exit", &[0]).unwrap_err();
    assert_eq!(error.as_trap().map(|t| t.kind()), Some(&TrapKind::Exit(0)));
}

// ---------------------------------------------------------------------------
// Arguments, environment, clocks, randomness, process

#[test]
fn args_and_environ_round_trip() {
    let mut builder = WasiCtxBuilder::new();
    builder
        .args(["prog", "two words", "ünïcödé"])
        .env("FOO", "bar")
        .env("EMPTY", "")
        .env("FOO", "baz");
    let mut guest = Guest::shim(builder.build());

    guest.ok("args_sizes_get", &[OUT.into(), OUT2.into()]);
    assert_eq!(guest.u32(OUT), 3);
    let size = guest.u32(OUT2);
    let expected = b"prog\0two words\0\xc3\xbcn\xc3\xafc\xc3\xb6d\xc3\xa9\0";
    assert_eq!(size as usize, expected.len());
    guest.ok("args_get", &[STAT.into(), DATA.into()]);
    assert_eq!(guest.bytes(DATA, expected.len()), expected);
    assert_eq!(guest.u32(STAT), DATA);
    assert_eq!(guest.u32(STAT + 4), DATA + 5);
    assert_eq!(guest.u32(STAT + 8), DATA + 15);

    guest.ok("environ_sizes_get", &[OUT.into(), OUT2.into()]);
    assert_eq!(guest.u32(OUT), 2);
    assert_eq!(guest.u32(OUT2), 15);
    guest.ok("environ_get", &[STAT.into(), DATA.into()]);
    assert_eq!(guest.bytes(DATA, 15), b"FOO=baz\0EMPTY=\0");
    assert_eq!(guest.u32(STAT + 4), DATA + 8);
}

#[test]
fn clocks() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    let now = |guest: &mut Guest, clock: u64| {
        guest.ok("clock_time_get", &[clock, 1, OUT.into()]);
        guest.u64(OUT)
    };
    let first = now(&mut guest, CLOCK_MONOTONIC);
    std::thread::sleep(Duration::from_millis(5));
    let second = now(&mut guest, CLOCK_MONOTONIC);
    assert!(second >= first + 5_000_000, "{first} then {second}");

    let host = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let realtime = now(&mut guest, CLOCK_REALTIME);
    assert!(
        realtime.abs_diff(host) < 60_000_000_000,
        "{realtime} vs {host}"
    );

    for clock in [CLOCK_REALTIME, CLOCK_MONOTONIC] {
        guest.ok("clock_res_get", &[clock, OUT.into()]);
        let resolution = guest.u64(OUT);
        assert!((1..=1_000_000).contains(&resolution), "{resolution}");
    }
    if cfg!(target_os = "linux") {
        // Burn some CPU so that both CPU clocks have moved.
        let start = Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(10) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        for clock in [CLOCK_PROCESS_CPUTIME, CLOCK_THREAD_CPUTIME] {
            assert!(now(&mut guest, clock) > 0);
            guest.ok("clock_res_get", &[clock, OUT.into()]);
        }
    }
    assert_eq!(
        guest.errno("clock_time_get", &[4, 0, OUT.into()]),
        Errno::Inval
    );
    assert_eq!(
        guest.errno("clock_res_get", &[99, OUT.into()]),
        Errno::Inval
    );
    assert_eq!(
        guest.errno("clock_time_get", &[CLOCK_MONOTONIC, 0, 0x2_0000 - 4]),
        Errno::Fault
    );
}

#[test]
fn random_get_fills_bytes() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    guest.ok("random_get", &[DATA.into(), 256]);
    let bytes = guest.bytes(DATA, 256);
    assert!(bytes.iter().filter(|&&b| b != 0).count() > 200, "{bytes:?}");
    guest.ok("random_get", &[DATA.into(), 0]);
    assert_eq!(guest.errno("random_get", &[0x1_fff0, 0x20]), Errno::Fault);
    assert_eq!(
        guest.errno("random_get", &[0xffff_fff0, 0x20]),
        Errno::Fault
    );
}

#[test]
fn process_and_sockets() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    assert_eq!(guest.errno("proc_raise", &[2]), Errno::Notsup);
    assert_eq!(guest.errno("sched_yield", &[]), Errno::Success);
    assert_eq!(
        guest.errno("sock_accept", &[1, 0, OUT.into()]),
        Errno::Notsock
    );
    assert_eq!(
        guest.errno("sock_send", &[1, IOVS.into(), 0, 0, OUT.into()]),
        Errno::Notsock
    );
    assert_eq!(
        guest.errno(
            "sock_recv",
            &[0, IOVS.into(), 0, 0, OUT.into(), OUT2.into()]
        ),
        Errno::Notsock
    );
    assert_eq!(guest.errno("sock_shutdown", &[2, 3]), Errno::Notsock);
    assert_eq!(guest.errno("sock_shutdown", &[77, 3]), Errno::Badf);
}

// ---------------------------------------------------------------------------
// Standard streams

#[test]
fn stdin_reads_then_end_of_file() {
    let mut builder = WasiCtxBuilder::new();
    builder.stdin("hello world");
    let mut guest = Guest::shim(builder.build());
    // Two iovecs: 5 bytes, then 100.
    guest.iovecs(IOVS, &[(DATA, 5), (DATA + 16, 100)]);
    guest.ok("fd_read", &[0, IOVS.into(), 2, OUT.into()]);
    assert_eq!(guest.u32(OUT), 11);
    assert_eq!(guest.bytes(DATA, 5), b"hello");
    assert_eq!(guest.bytes(DATA + 16, 6), b" world");
    assert_eq!(guest.fd_read(0, 10), b"");
    // Standard input is not writable or seekable.
    guest.iovecs(IOVS, &[(DATA, 1)]);
    assert_eq!(
        guest.errno("fd_write", &[0, IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
    assert_eq!(
        guest.errno("fd_seek", &[0, 0, WHENCE_SET, OUT.into()]),
        Errno::Spipe
    );
    assert_eq!(guest.errno("fd_tell", &[0, OUT.into()]), Errno::Spipe);
    assert_eq!(
        guest.errno("fd_pread", &[0, IOVS.into(), 1, 0, OUT.into()]),
        Errno::Spipe
    );
    // Standard output is not readable.
    assert_eq!(
        guest.errno("fd_read", &[1, IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
}

#[test]
fn stdio_fdstat() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    for fd in 0..3u32 {
        guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
        let filetype = guest.memory()[STAT as usize];
        assert_ne!(
            filetype, FILETYPE_CHARACTER_DEVICE,
            "buffers are not terminals"
        );
        let base = guest.u64(STAT + 8);
        // No seek or tell: what wasi-libc's isatty looks for.
        assert_eq!(base & (RIGHT_FD_SEEK | RIGHT_FD_TELL), 0);
        let expected = if fd == 0 {
            RIGHT_FD_READ
        } else {
            RIGHT_FD_WRITE
        };
        assert_eq!(base & READ_WRITE, expected);
    }
    assert_eq!(guest.errno("fd_fdstat_get", &[3, STAT.into()]), Errno::Badf);
    // No pre-opens: the guest libc's scan stops at descriptor 3.
    assert_eq!(
        guest.errno("fd_prestat_get", &[3, STAT.into()]),
        Errno::Badf
    );
}

// ---------------------------------------------------------------------------
// Files

#[test]
fn preopens_are_described() {
    let tmp = TempDir::new("preopens");
    let mut builder = WasiCtxBuilder::new();
    builder.preopened_dir(tmp.path(), ".").unwrap();
    builder.preopened_dir(tmp.path(), "/data/set").unwrap();
    let mut guest = Guest::shim(builder.build());
    guest.ok("fd_prestat_get", &[3, STAT.into()]);
    assert_eq!(guest.bytes(STAT, 8), [0, 0, 0, 0, 1, 0, 0, 0]);
    guest.ok("fd_prestat_get", &[4, STAT.into()]);
    assert_eq!(guest.u32(STAT + 4), 9);
    guest.ok("fd_prestat_dir_name", &[4, DATA.into(), 9]);
    assert_eq!(guest.bytes(DATA, 9), b"/data/set");
    assert_eq!(
        guest.errno("fd_prestat_dir_name", &[4, DATA.into(), 8]),
        Errno::Nametoolong
    );
    assert_eq!(
        guest.errno("fd_prestat_get", &[5, STAT.into()]),
        Errno::Badf
    );
    guest.ok("fd_fdstat_get", &[3, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize], FILETYPE_DIRECTORY);

    let missing = tmp.path().join("does-not-exist");
    let error = WasiCtxBuilder::new()
        .preopened_dir(&missing, ".")
        .unwrap_err();
    assert!(matches!(&error, WasiError::Preopen { path, .. } if path == &missing));
    assert!(error.to_string().contains("does-not-exist"), "{error}");
}

#[test]
fn file_read_write_seek_stat() {
    let (_tmp, sandbox, mut guest) = sandbox("file-io");
    let (errno, fd) = guest.open(
        3,
        true,
        "a.txt",
        O_CREAT | O_EXCL,
        READ_WRITE | RIGHT_FD_SEEK | RIGHT_FD_TELL,
        0,
    );
    assert_eq!(errno, Errno::Success);
    assert!(fd >= 4, "{fd}");
    assert_eq!(guest.fd_write(fd, b"hello world"), 11);
    assert_eq!(fs::read(sandbox.join("a.txt")).unwrap(), b"hello world");

    guest.ok("fd_tell", &[fd.into(), OUT.into()]);
    assert_eq!(guest.u64(OUT), 11);
    guest.ok("fd_seek", &[fd.into(), 6, WHENCE_SET, OUT.into()]);
    assert_eq!(guest.u64(OUT), 6);
    assert_eq!(guest.fd_read(fd, 100), b"world");
    guest.ok(
        "fd_seek",
        &[fd.into(), (-5i64) as u64, WHENCE_END, OUT.into()],
    );
    assert_eq!(guest.u64(OUT), 6);
    guest.ok(
        "fd_seek",
        &[fd.into(), (-6i64) as u64, WHENCE_CUR, OUT.into()],
    );
    assert_eq!(guest.fd_read(fd, 5), b"hello");
    assert_eq!(
        guest.errno(
            "fd_seek",
            &[fd.into(), (-100i64) as u64, WHENCE_CUR, OUT.into()]
        ),
        Errno::Inval
    );
    assert_eq!(
        guest.errno("fd_seek", &[fd.into(), 0, 3, OUT.into()]),
        Errno::Inval
    );

    let (filetype, nlink, size) = guest.filestat(fd);
    assert_eq!((filetype, nlink, size), (FILETYPE_REGULAR_FILE, 1, 11));

    // Positioned I/O leaves the offset alone.
    guest.write(DATA, b"HELLO");
    guest.iovecs(IOVS, &[(DATA, 5)]);
    guest.ok("fd_pwrite", &[fd.into(), IOVS.into(), 1, 0, OUT.into()]);
    assert_eq!(guest.u32(OUT), 5);
    guest.iovecs(IOVS, &[(DATA + 100, 3), (DATA + 200, 3)]);
    guest.ok("fd_pread", &[fd.into(), IOVS.into(), 2, 3, OUT.into()]);
    assert_eq!(guest.u32(OUT), 6);
    assert_eq!(guest.bytes(DATA + 100, 3), b"LO ");
    assert_eq!(guest.bytes(DATA + 200, 3), b"wor");
    guest.ok("fd_tell", &[fd.into(), OUT.into()]);
    assert_eq!(guest.u64(OUT), 5);

    guest.ok("fd_filestat_set_size", &[fd.into(), 4]);
    assert_eq!(fs::read(sandbox.join("a.txt")).unwrap(), b"HELL");
    guest.ok("fd_allocate", &[fd.into(), 0, 100]);
    assert_eq!(fs::metadata(sandbox.join("a.txt")).unwrap().len(), 100);
    guest.ok("fd_advise", &[fd.into(), 0, 0, 1]);
    assert_eq!(
        guest.errno("fd_advise", &[fd.into(), 0, 0, 6]),
        Errno::Inval
    );
    guest.ok("fd_datasync", &[fd.into()]);
    guest.ok("fd_sync", &[fd.into()]);
    guest.ok("fd_sync", &[3]);

    // Times: set both explicitly, then read them back.
    let atim = 1_000_000_000_123u64;
    let mtim = 2_000_000_000_456u64;
    guest.ok("fd_filestat_set_times", &[fd.into(), atim, mtim, 1 | 4]);
    guest.ok("fd_filestat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.u64(STAT + 40) / 1000, atim / 1000);
    assert_eq!(guest.u64(STAT + 48) / 1000, mtim / 1000);
    assert_eq!(
        guest.errno("fd_filestat_set_times", &[fd.into(), 0, 0, 1 | 2]),
        Errno::Inval
    );

    // Opening an existing file exclusively fails; truncating empties it.
    assert_eq!(
        guest
            .open(3, true, "a.txt", O_CREAT | O_EXCL, READ_WRITE, 0)
            .0,
        Errno::Exist
    );
    let (errno, fd2) = guest.open(3, true, "a.txt", O_TRUNC, RIGHT_FD_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    assert_eq!(fs::metadata(sandbox.join("a.txt")).unwrap().len(), 0);

    guest.ok("fd_close", &[fd.into()]);
    guest.ok("fd_close", &[fd2.into()]);
    assert_eq!(guest.errno("fd_close", &[fd.into()]), Errno::Badf);
    assert_eq!(
        guest.errno("fd_read", &[fd.into(), IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
    assert_eq!(
        guest.open(3, true, "missing.txt", 0, READ_WRITE, 0).0,
        Errno::Noent
    );
}

#[test]
fn access_modes_rights_and_flags() {
    let (_tmp, sandbox, mut guest) = sandbox("rights");
    fs::write(sandbox.join("f.txt"), b"abc").unwrap();

    // Read-only: FD_READ but not FD_WRITE; writing is EBADF.
    let (errno, fd) = guest.open(3, true, "f.txt", 0, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize], FILETYPE_REGULAR_FILE);
    assert_eq!(guest.u64(STAT + 8) & READ_WRITE, RIGHT_FD_READ);
    guest.write(DATA, b"x");
    guest.iovecs(IOVS, &[(DATA, 1)]);
    assert_eq!(
        guest.errno("fd_write", &[fd.into(), IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
    assert_eq!(guest.fd_read(fd, 10), b"abc");

    // Rights can be dropped, not regained; dropped rights are enforced.
    let base = guest.u64(STAT + 8);
    guest.ok(
        "fd_fdstat_set_rights",
        &[fd.into(), base & !RIGHT_FD_READ, 0],
    );
    assert_eq!(
        guest.errno("fd_read", &[fd.into(), IOVS.into(), 1, OUT.into()]),
        Errno::Notcapable
    );
    assert_eq!(
        guest.errno("fd_fdstat_set_rights", &[fd.into(), base, 0]),
        Errno::Notcapable
    );
    // FD_SEEK implies FD_TELL; without FD_SEEK, only telling is left.
    let (_, fd2) = guest.open(3, true, "f.txt", 0, RIGHT_FD_READ, 0);
    let base = base & !RIGHT_FD_READ;
    guest.ok(
        "fd_fdstat_set_rights",
        &[fd2.into(), base & !RIGHT_FD_TELL, 0],
    );
    guest.ok("fd_seek", &[fd2.into(), 1, WHENCE_SET, OUT.into()]);
    guest.ok("fd_tell", &[fd2.into(), OUT.into()]);
    assert_eq!(guest.u64(OUT), 1);
    guest.ok(
        "fd_fdstat_set_rights",
        &[fd.into(), base & !RIGHT_FD_SEEK, 0],
    );
    assert_eq!(
        guest.errno("fd_seek", &[fd.into(), 0, WHENCE_SET, OUT.into()]),
        Errno::Notcapable
    );
    guest.ok("fd_seek", &[fd.into(), 0, WHENCE_CUR, OUT.into()]);
    assert_eq!(guest.u64(OUT), 3);
    guest.ok("fd_tell", &[fd.into(), OUT.into()]);
    guest.ok("fd_fdstat_set_rights", &[fd.into(), 0, 0]);
    assert_eq!(
        guest.errno("fd_tell", &[fd.into(), OUT.into()]),
        Errno::Notcapable
    );

    // A directory whose inheriting rights lack FD_WRITE opens files without it.
    guest.ok("fd_fdstat_get", &[3, STAT.into()]);
    let (dir_base, dir_inheriting) = (guest.u64(STAT + 8), guest.u64(STAT + 16));
    assert_ne!(dir_base & RIGHT_PATH_OPEN, 0);
    guest.ok(
        "fd_fdstat_set_rights",
        &[3, dir_base, dir_inheriting & !RIGHT_FD_WRITE],
    );
    let (errno, fd) = guest.open(3, true, "f.txt", 0, READ_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.u64(STAT + 8) & READ_WRITE, RIGHT_FD_READ);
    // ... and without PATH_OPEN, nothing opens at all.
    guest.ok("fd_fdstat_set_rights", &[3, dir_base & !RIGHT_PATH_OPEN, 0]);
    assert_eq!(
        guest.open(3, true, "f.txt", 0, RIGHT_FD_READ, 0).0,
        Errno::Notcapable
    );
}

#[test]
fn append_mode() {
    let (_tmp, sandbox, mut guest) = sandbox("append");
    fs::write(sandbox.join("log"), b"one\n").unwrap();
    let (errno, fd) = guest.open(3, true, "log", 0, RIGHT_FD_WRITE, FDFLAGS_APPEND);
    assert_eq!(errno, Errno::Success);
    guest.fd_write(fd, b"two\n");
    guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
    assert_eq!(
        u16::from_le_bytes([
            guest.memory()[STAT as usize + 2],
            guest.memory()[STAT as usize + 3]
        ]),
        FDFLAGS_APPEND
    );
    // Turning append off writes at the offset again (after the last write).
    guest.ok("fd_fdstat_set_flags", &[fd.into(), 0]);
    guest.ok("fd_seek", &[fd.into(), 0, WHENCE_SET, OUT.into()]);
    guest.fd_write(fd, b"ONE");
    assert_eq!(fs::read(sandbox.join("log")).unwrap(), b"ONE\ntwo\n");
    // Synchronisation flags are fixed when the file is opened.
    assert_eq!(
        guest.errno("fd_fdstat_set_flags", &[fd.into(), FDFLAGS_SYNC.into()]),
        Errno::Notsup
    );
    assert_eq!(
        guest.errno("fd_fdstat_set_flags", &[fd.into(), 0x100]),
        Errno::Inval
    );
    assert_eq!(guest.errno("fd_fdstat_set_flags", &[3, 0]), Errno::Badf);
}

#[test]
fn renumber_replaces_a_descriptor() {
    let (_tmp, sandbox, mut guest) = sandbox("renumber");
    let (errno, fd) = guest.open(3, true, "out.txt", O_CREAT, RIGHT_FD_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    // Make the file standard output.
    guest.ok("fd_renumber", &[fd.into(), 1]);
    guest.fd_write(1, b"redirected");
    assert_eq!(fs::read(sandbox.join("out.txt")).unwrap(), b"redirected");
    assert_eq!(guest.errno("fd_close", &[fd.into()]), Errno::Badf);
    assert_eq!(guest.errno("fd_renumber", &[1, 1000]), Errno::Badf);
    assert_eq!(guest.errno("fd_renumber", &[1000, 1]), Errno::Badf);
    // The freed number is reused by the next open.
    let (errno, again) = guest.open(3, true, "out.txt", 0, RIGHT_FD_READ, 0);
    assert_eq!((errno, again), (Errno::Success, fd));
}

/// The entries of an `fd_readdir` result: `(next, type, name)`.
fn dirents(bytes: &[u8]) -> Vec<(u64, u8, String)> {
    let mut entries = Vec::new();
    let mut at = 0;
    while at + 24 <= bytes.len() {
        let next = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        let namlen = u32::from_le_bytes(bytes[at + 16..at + 20].try_into().unwrap()) as usize;
        let filetype = bytes[at + 20];
        let name = &bytes[at + 24..(at + 24 + namlen).min(bytes.len())];
        entries.push((next, filetype, String::from_utf8_lossy(name).into_owned()));
        at += 24 + namlen;
    }
    entries
}

#[test]
fn readdir_lists_entries_with_cookies() {
    let (_tmp, sandbox, mut guest) = sandbox("readdir");
    fs::write(sandbox.join("a"), b"").unwrap();
    fs::write(sandbox.join("bb"), b"").unwrap();
    fs::create_dir(sandbox.join("ccc")).unwrap();

    guest.ok("fd_readdir", &[3, DATA.into(), 4096, 0, OUT.into()]);
    let used = guest.u32(OUT);
    assert!(used < 4096);
    let mut entries = dirents(&guest.bytes(DATA, used as usize));
    assert_eq!(entries.len(), 5);
    assert_eq!(&entries[0].2, ".");
    assert_eq!(&entries[1].2, "..");
    for (i, entry) in entries.iter().enumerate() {
        assert_eq!(entry.0, i as u64 + 1, "cookies are positions");
    }
    entries.sort_by(|a, b| a.2.cmp(&b.2));
    let types: Vec<(u8, &str)> = entries.iter().map(|(_, t, n)| (*t, n.as_str())).collect();
    assert_eq!(
        types,
        [
            (FILETYPE_DIRECTORY, "."),
            (FILETYPE_DIRECTORY, ".."),
            (FILETYPE_REGULAR_FILE, "a"),
            (FILETYPE_REGULAR_FILE, "bb"),
            (FILETYPE_DIRECTORY, "ccc"),
        ]
    );

    // A small buffer fills up; continuing from each last complete entry's
    // cookie visits every entry once.
    let mut names = Vec::new();
    let mut cookie = 0u64;
    loop {
        guest.ok("fd_readdir", &[3, DATA.into(), 40, cookie, OUT.into()]);
        let used = guest.u32(OUT) as usize;
        let batch = dirents(&guest.bytes(DATA, used));
        let Some(first) = batch.first() else { break };
        // Keep only entries that fit whole.
        let complete = 24 + first.2.len() <= used;
        assert!(complete, "an entry of at most 27 bytes fits in 40");
        names.push(first.2.clone());
        cookie = first.0;
        if used < 40 && batch.len() == 1 {
            break;
        }
    }
    names.sort();
    assert_eq!(names, [".", "..", "a", "bb", "ccc"]);

    // Past the end: nothing.
    guest.ok("fd_readdir", &[3, DATA.into(), 4096, 5, OUT.into()]);
    assert_eq!(guest.u32(OUT), 0);
    // Only directories can be listed.
    assert_eq!(
        guest.errno("fd_readdir", &[1, DATA.into(), 4096, 0, OUT.into()]),
        Errno::Notdir
    );
}

#[test]
fn directories_rename_and_unlink() {
    let (_tmp, sandbox, mut guest) = sandbox("dirs");
    let (ptr, len) = guest.string(PATH, "d");
    guest.ok("path_create_directory", &[3, ptr, len]);
    assert!(sandbox.join("d").is_dir());
    assert_eq!(
        guest.errno("path_create_directory", &[3, ptr, len]),
        Errno::Exist
    );

    // Open the new directory and create a file through it.
    let (errno, dir) = guest.open(3, true, "d", O_DIRECTORY, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    guest.ok("fd_fdstat_get", &[dir.into(), STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize], FILETYPE_DIRECTORY);
    let (errno, file) = guest.open(dir, true, "inner.txt", O_CREAT, RIGHT_FD_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    guest.fd_write(file, b"inside");
    assert_eq!(fs::read(sandbox.join("d/inner.txt")).unwrap(), b"inside");
    // A directory opened this way can be listed, synced and stamped.
    guest.ok(
        "fd_readdir",
        &[dir.into(), DATA.into(), 4096, 0, OUT.into()],
    );
    let names: Vec<String> = dirents(&guest.bytes(DATA, guest.u32(OUT) as usize))
        .into_iter()
        .map(|(_, _, name)| name)
        .collect();
    assert_eq!(names, [".", "..", "inner.txt"]);
    guest.ok("fd_sync", &[dir.into()]);
    guest.ok(
        "fd_filestat_set_times",
        &[dir.into(), 0, 3_000_000_000, 1 | 4],
    );
    assert_eq!(
        fs::metadata(sandbox.join("d")).unwrap().modified().unwrap(),
        SystemTime::UNIX_EPOCH + Duration::from_secs(3)
    );
    let (ptr2, len2) = guest.string(PATH2, "d/inner.txt");
    guest.ok(
        "path_filestat_set_times",
        &[3, 1, ptr2, len2, 0, 5_000_000_000, 1 | 4],
    );
    assert_eq!(
        fs::metadata(sandbox.join("d/inner.txt"))
            .unwrap()
            .modified()
            .unwrap(),
        SystemTime::UNIX_EPOCH + Duration::from_secs(5)
    );
    // Path functions need a directory descriptor.
    let (ptr2, len2) = guest.string(PATH2, "x");
    assert_eq!(
        guest.errno("path_create_directory", &[file.into(), ptr2, len2]),
        Errno::Notdir
    );
    assert_eq!(
        guest
            .open(3, true, "d/inner.txt", O_DIRECTORY, RIGHT_FD_READ, 0)
            .0,
        Errno::Notdir
    );
    assert_eq!(
        guest
            .open(3, true, "d", O_DIRECTORY | O_CREAT, RIGHT_FD_READ, 0)
            .0,
        Errno::Inval
    );
    assert_eq!(guest.open(3, true, "d", 0, READ_WRITE, 0).0, Errno::Isdir);

    // Not empty, then empty.
    assert_eq!(
        guest.errno("path_remove_directory", &[3, ptr, len]),
        Errno::Notempty
    );
    let (from, from_len) = guest.string(PATH, "d/inner.txt");
    let (to, to_len) = guest.string(PATH2, "moved.txt");
    guest.ok("path_rename", &[3, from, from_len, 3, to, to_len]);
    assert!(!sandbox.join("d/inner.txt").exists());
    assert_eq!(fs::read(sandbox.join("moved.txt")).unwrap(), b"inside");
    let (ptr, len) = guest.string(PATH, "d");
    guest.ok("path_remove_directory", &[3, ptr, len]);
    assert!(!sandbox.join("d").exists());
    assert_eq!(
        guest.errno("path_remove_directory", &[3, ptr, len]),
        Errno::Noent
    );

    // Unlink a file; unlinking a directory or a missing file fails.
    fs::create_dir(sandbox.join("e")).unwrap();
    let (ptr, len) = guest.string(PATH, "e");
    let errno = guest.errno("path_unlink_file", &[3, ptr, len]);
    assert!(matches!(errno, Errno::Isdir | Errno::Perm), "{errno:?}");
    let (ptr, len) = guest.string(PATH, "moved.txt");
    guest.ok("path_filestat_get", &[3, 1, ptr, len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_REGULAR_FILE);
    assert_eq!(guest.u64(STAT + 32), 6);
    guest.ok("path_unlink_file", &[3, ptr, len]);
    assert!(!sandbox.join("moved.txt").exists());
    assert_eq!(
        guest.errno("path_unlink_file", &[3, ptr, len]),
        Errno::Noent
    );
    assert_eq!(
        guest.errno("path_filestat_get", &[3, 1, ptr, len, STAT.into()]),
        Errno::Noent
    );
}

#[cfg(unix)]
#[test]
fn symlinks_and_hard_links() {
    let (_tmp, sandbox, mut guest) = sandbox("links");
    fs::write(sandbox.join("target.txt"), b"target").unwrap();
    let (target, target_len) = guest.string(PATH, "target.txt");
    let (link, link_len) = guest.string(PATH2, "link");
    guest.ok("path_symlink", &[target, target_len, 3, link, link_len]);
    assert_eq!(
        fs::read_link(sandbox.join("link")).unwrap(),
        Path::new("target.txt")
    );

    guest.ok(
        "path_readlink",
        &[3, link, link_len, DATA.into(), 100, OUT.into()],
    );
    assert_eq!(guest.u32(OUT), 10);
    assert_eq!(guest.bytes(DATA, 10), b"target.txt");
    // A short buffer gets the start of the target.
    guest.ok(
        "path_readlink",
        &[3, link, link_len, DATA.into(), 4, OUT.into()],
    );
    assert_eq!(guest.u32(OUT), 4);
    // Not a link.
    assert_eq!(
        guest.errno(
            "path_readlink",
            &[3, target, target_len, DATA.into(), 100, OUT.into()]
        ),
        Errno::Inval
    );

    // Followed, the link opens the target; not followed, it does not open.
    let (errno, fd) = guest.open(3, true, "link", 0, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    assert_eq!(guest.fd_read(fd, 100), b"target");
    assert_eq!(
        guest.open(3, false, "link", 0, RIGHT_FD_READ, 0).0,
        Errno::Loop
    );
    guest.ok("path_filestat_get", &[3, 0, link, link_len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_SYMBOLIC_LINK);
    guest.ok("path_filestat_get", &[3, 1, link, link_len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_REGULAR_FILE);

    // A hard link shares the file (`open` reused the path scratch area).
    let (target, target_len) = guest.string(PATH, "target.txt");
    let (hard, hard_len) = guest.string(PATH2, "hard");
    guest.ok("path_link", &[3, 0, target, target_len, 3, hard, hard_len]);
    assert_eq!(fs::read(sandbox.join("hard")).unwrap(), b"target");
    guest.ok("path_filestat_get", &[3, 0, hard, hard_len, STAT.into()]);
    assert_eq!(guest.u64(STAT + 24), 2, "nlink");
    assert_eq!(
        guest.errno("path_link", &[3, 1, target, target_len, 3, hard, hard_len]),
        Errno::Inval
    );

    // A relative link that stays inside, through `..`, is followed.
    fs::create_dir(sandbox.join("sub")).unwrap();
    let (target, target_len) = guest.string(PATH, "../target.txt");
    let (inner, inner_len) = guest.string(PATH2, "sub/up");
    guest.ok("path_symlink", &[target, target_len, 3, inner, inner_len]);
    let (errno, fd) = guest.open(3, true, "sub/up", 0, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    assert_eq!(guest.fd_read(fd, 100), b"target");

    // Unlinking the symbolic link leaves the target.
    let (link, link_len) = guest.string(PATH2, "link");
    guest.ok("path_unlink_file", &[3, link, link_len]);
    assert!(sandbox.join("target.txt").exists());
}

#[cfg(unix)]
#[test]
fn opening_a_fifo_as_a_directory_does_not_block() {
    let (_tmp, sandbox, mut guest) = sandbox("fifo");
    let fifo = sandbox.join("fifo");
    match std::process::Command::new("mkfifo").arg(&fifo).status() {
        Ok(status) if status.success() => {}
        _ => {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
    }
    // Without O_DIRECTORY this open would wait for a writer.
    let (errno, _) = guest.open(3, true, "fifo", O_DIRECTORY, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Notdir);
}

#[test]
fn contexts_can_move_between_threads() {
    fn send<T: Send>() {}
    send::<WasiCtx>();
    send::<WasiCtxBuilder>();
}

// ---------------------------------------------------------------------------
// The sandbox

#[test]
fn dot_dot_cannot_leave_the_preopen() {
    let (tmp, sandbox, mut guest) = sandbox("dotdot");
    fs::write(tmp.path().join("outside.txt"), b"secret").unwrap();
    fs::create_dir(sandbox.join("sub")).unwrap();
    for path in [
        "../outside.txt",
        "sub/../../outside.txt",
        "..",
        "./sub/../..",
    ] {
        guest.assert_unreachable(path);
    }
    for path in ["../evil", "sub/../../evil"] {
        let (ptr, len) = guest.string(PATH, path);
        assert_eq!(
            guest.errno("path_create_directory", &[3, ptr, len]),
            Errno::Perm,
            "{path}"
        );
        assert_eq!(
            guest.open(3, true, path, O_CREAT, RIGHT_FD_WRITE, 0).0,
            Errno::Perm,
            "{path}"
        );
    }
    assert!(!tmp.path().join("evil").exists());
    // `..` that stays inside is fine.
    fs::write(sandbox.join("inside.txt"), b"ok").unwrap();
    assert_eq!(
        guest
            .open(3, true, "sub/../inside.txt", 0, RIGHT_FD_READ, 0)
            .0,
        Errno::Success
    );
    // A directory opened beneath the pre-open is a sandbox of its own.
    let (_, sub) = guest.open(3, true, "sub", O_DIRECTORY, RIGHT_FD_READ, 0);
    assert_eq!(
        guest
            .open(sub, true, "../inside.txt", 0, RIGHT_FD_READ, 0)
            .0,
        Errno::Perm
    );
    // Renaming out is refused too.
    let (from, from_len) = guest.string(PATH, "inside.txt");
    let (to, to_len) = guest.string(PATH2, "../stolen.txt");
    assert_eq!(
        guest.errno("path_rename", &[3, from, from_len, 3, to, to_len]),
        Errno::Perm
    );
    assert!(!tmp.path().join("stolen.txt").exists());
}

#[test]
fn absolute_paths_are_refused() {
    let (tmp, _sandbox, mut guest) = sandbox("absolute");
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, b"secret").unwrap();
    let outside = outside.to_str().unwrap().to_owned();
    for path in [outside.as_str(), "/", "/etc/passwd"] {
        guest.assert_unreachable(path);
        let (ptr, len) = guest.string(PATH, path);
        assert_eq!(
            guest.errno("path_unlink_file", &[3, ptr, len]),
            Errno::Perm,
            "{path}"
        );
    }
    assert!(Path::new(&outside).exists());
}

#[cfg(unix)]
#[test]
fn symlinks_cannot_leave_the_preopen() {
    use std::os::unix::fs::symlink;
    let (tmp, sandbox, mut guest) = sandbox("symlink-escape");
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, b"secret").unwrap();
    // Links planted by the host: relative and absolute, to a file and to a
    // directory outside.
    symlink("../outside.txt", sandbox.join("relative")).unwrap();
    symlink(&outside, sandbox.join("absolute")).unwrap();
    symlink("..", sandbox.join("parent")).unwrap();
    symlink(tmp.path(), sandbox.join("parent_abs")).unwrap();

    for path in [
        "relative",
        "absolute",
        "parent/outside.txt",
        "parent_abs/outside.txt",
        "parent",
    ] {
        guest.assert_unreachable(path);
    }
    // Writing through a link is refused the same way, and changes nothing.
    assert_eq!(
        guest
            .open(3, true, "relative", O_TRUNC, RIGHT_FD_WRITE, 0)
            .0,
        Errno::Perm
    );
    assert_eq!(fs::read(&outside).unwrap(), b"secret");
    // The links themselves can be looked at without following them.
    let (ptr, len) = guest.string(PATH, "absolute");
    guest.ok("path_filestat_get", &[3, 0, ptr, len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_SYMBOLIC_LINK);
    // An absolute target is not revealed; a relative one is just text.
    assert_eq!(
        guest.errno(
            "path_readlink",
            &[3, ptr, len, DATA.into(), 100, OUT.into()]
        ),
        Errno::Perm
    );
    let (ptr, len) = guest.string(PATH, "relative");
    guest.ok(
        "path_readlink",
        &[3, ptr, len, DATA.into(), 100, OUT.into()],
    );
    assert_eq!(
        guest.bytes(DATA, guest.u32(OUT) as usize),
        b"../outside.txt"
    );

    // The guest cannot make a link to an absolute path; it can make one
    // with `..`, but not follow it out.
    let (target, target_len) = guest.string(PATH, outside.to_str().unwrap());
    let (link, link_len) = guest.string(PATH2, "mine");
    assert_eq!(
        guest.errno("path_symlink", &[target, target_len, 3, link, link_len]),
        Errno::Perm
    );
    let (target, target_len) = guest.string(PATH, "../outside.txt");
    guest.ok("path_symlink", &[target, target_len, 3, link, link_len]);
    assert_eq!(
        guest.open(3, true, "mine", 0, RIGHT_FD_READ, 0).0,
        Errno::Perm
    );
}

#[test]
fn bad_pointers_are_efault() {
    let mut builder = WasiCtxBuilder::new();
    builder.stdin("input").args(["prog"]);
    let stdout = builder.stdout_buffer();
    let mut guest = Guest::shim(builder.build());
    let end = guest.memory().len() as u64; // two pages
    guest.write(DATA, b"data");

    // The iovec array out of bounds, or wrapping around.
    for iovs in [end - 4, end, u64::from(u32::MAX - 3)] {
        assert_eq!(
            guest.errno("fd_write", &[1, iovs, 1, OUT.into()]),
            Errno::Fault
        );
    }
    // Too many iovecs for memory.
    assert_eq!(
        guest.errno("fd_write", &[1, IOVS.into(), 0x2000_0000, OUT.into()]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "fd_write",
            &[1, IOVS.into(), u64::from(u32::MAX), OUT.into()]
        ),
        Errno::Fault
    );
    // A buffer past the end, or huge, or wrapping around.
    for (ptr, len) in [
        (end as u32 - 2, 4),
        (DATA, u32::MAX),
        (u32::MAX, 2),
        (0, 0x2_0001),
    ] {
        guest.iovecs(IOVS, &[(ptr, len)]);
        assert_eq!(
            guest.errno("fd_write", &[1, IOVS.into(), 1, OUT.into()]),
            Errno::Fault,
            "{ptr} {len}"
        );
        assert_eq!(
            guest.errno("fd_read", &[0, IOVS.into(), 1, OUT.into()]),
            Errno::Fault,
            "{ptr} {len}"
        );
    }
    // One good buffer and one bad one: nothing happens.
    guest.iovecs(IOVS, &[(DATA, 4), (end as u32, 1)]);
    assert_eq!(
        guest.errno("fd_write", &[1, IOVS.into(), 2, OUT.into()]),
        Errno::Fault
    );
    assert!(stdout.is_empty());
    // A bad result pointer: checked before acting, so stdin is not consumed.
    guest.iovecs(IOVS, &[(DATA, 4)]);
    assert_eq!(
        guest.errno("fd_read", &[0, IOVS.into(), 1, end - 2]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("fd_write", &[1, IOVS.into(), 1, end]),
        Errno::Fault
    );
    assert!(stdout.is_empty());
    assert_eq!(guest.fd_read(0, 100), b"input");

    // Strings and other results.
    assert_eq!(
        guest.errno("args_get", &[end - 2, DATA.into()]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("args_get", &[OUT.into(), end - 3]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("args_sizes_get", &[OUT.into(), end]),
        Errno::Fault
    );
    assert_eq!(guest.errno("fd_fdstat_get", &[1, end - 8]), Errno::Fault);
    assert_eq!(
        guest.errno("fd_filestat_get", &[1, u64::from(u32::MAX)]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("environ_get", &[u64::from(u32::MAX), 0]),
        Errno::Success,
        "no variables, nothing written"
    );
    assert_eq!(
        guest.errno("poll_oneoff", &[end - 8, DATA.into(), 1, OUT.into()]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "poll_oneoff",
            &[DATA.into(), DATA.into(), u64::from(u32::MAX), OUT.into()]
        ),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("fd_prestat_dir_name", &[0, end, 10]),
        Errno::Badf
    );
}

#[test]
fn bad_paths_are_efault_or_eilseq() {
    let (_tmp, _sandbox, mut guest) = sandbox("bad-paths");
    let end = guest.memory().len() as u64;
    assert_eq!(
        guest.errno("path_create_directory", &[3, end - 1, 2]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "path_create_directory",
            &[3, DATA.into(), u64::from(u32::MAX)]
        ),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "path_open",
            &[
                3,
                0,
                u64::from(u32::MAX),
                2,
                0,
                RIGHT_FD_READ,
                0,
                0,
                OUT.into()
            ]
        ),
        Errno::Fault
    );
    let (ptr, len) = guest.string(PATH, "fine");
    assert_eq!(
        guest.errno(
            "path_open",
            &[3, 0, ptr, len, O_CREAT.into(), RIGHT_FD_WRITE, 0, 0, end]
        ),
        Errno::Fault
    );
    assert!(!_sandbox.join("fine").exists(), "checked before creating");
    guest.write(PATH, b"bad\xff");
    assert_eq!(
        guest.errno("path_create_directory", &[3, PATH.into(), 4]),
        Errno::Ilseq
    );
    assert_eq!(
        guest.errno("path_readlink", &[3, ptr, len, end - 1, 10, OUT.into()]),
        Errno::Fault
    );
    // Bad descriptors come before bad paths are looked at.
    assert_eq!(
        guest.errno("path_unlink_file", &[99, ptr, len]),
        Errno::Badf
    );
}

#[test]
fn module_without_memory_gets_efault() {
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get"
            (func $sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close"
            (func $close (param i32) (result i32)))
          (func (export "sizes") (result i32) (call $sizes (i32.const 0) (i32.const 4)))
          (func (export "close") (result i32) (call $close (i32.const 2))))
    "#;
    let mut guest = Guest::new(wat, WasiCtxBuilder::new().build());
    let fault = i32::from(Errno::Fault.raw());
    assert_eq!(guest.call("sizes", &[]).unwrap()[0].i32(), Some(fault));
    assert_eq!(guest.call("close", &[]).unwrap()[0].i32(), Some(0));
}

// ---------------------------------------------------------------------------
// poll_oneoff

/// Writes a preview1 clock subscription at `at`.
fn clock_subscription(
    guest: &mut Guest,
    at: u32,
    userdata: u64,
    clock: u32,
    timeout: u64,
    flags: u16,
) {
    let mut bytes = [0u8; 48];
    bytes[0..8].copy_from_slice(&userdata.to_le_bytes());
    bytes[8] = 0;
    bytes[16..20].copy_from_slice(&clock.to_le_bytes());
    bytes[24..32].copy_from_slice(&timeout.to_le_bytes());
    bytes[40..42].copy_from_slice(&flags.to_le_bytes());
    guest.write(at, &bytes);
}

/// Writes a preview1 descriptor subscription at `at`.
fn fd_subscription(guest: &mut Guest, at: u32, userdata: u64, write: bool, fd: u32) {
    let mut bytes = [0u8; 48];
    bytes[0..8].copy_from_slice(&userdata.to_le_bytes());
    bytes[8] = if write { 2 } else { 1 };
    bytes[16..20].copy_from_slice(&fd.to_le_bytes());
    guest.write(at, &bytes);
}

/// The events written at `at`: `(userdata, errno, type, nbytes, flags)`.
fn events(guest: &Guest, at: u32, count: u32) -> Vec<(u64, u16, u8, u64, u16)> {
    (0..count)
        .map(|i| {
            let e = at + i * 32;
            let b = guest.bytes(e, 32);
            (
                guest.u64(e),
                u16::from_le_bytes([b[8], b[9]]),
                b[10],
                guest.u64(e + 16),
                u16::from_le_bytes([b[24], b[25]]),
            )
        })
        .collect()
}

const SUBS: u32 = 0x2000;
const EVENTS: u32 = 0x3000;

#[test]
fn poll_sleeps_on_a_clock() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    clock_subscription(&mut guest, SUBS, 7, CLOCK_MONOTONIC as u32, 20_000_000, 0);
    let start = Instant::now();
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 1, OUT.into()]);
    assert!(start.elapsed() >= Duration::from_millis(20));
    assert_eq!(guest.u32(OUT), 1);
    assert_eq!(events(&guest, EVENTS, 1), [(7, 0, 0, 0, 0)]);

    // An absolute deadline in the past fires at once; the sooner of two
    // clocks wins.
    clock_subscription(
        &mut guest,
        SUBS,
        1,
        CLOCK_MONOTONIC as u32,
        3_600_000_000_000,
        0,
    );
    clock_subscription(&mut guest, SUBS + 48, 2, CLOCK_REALTIME as u32, 1, 1);
    let start = Instant::now();
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 2, OUT.into()]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(guest.u32(OUT), 1);
    assert_eq!(events(&guest, EVENTS, 1)[0].0, 2);

    // CPU clocks cannot be waited on; unknown clocks are invalid.
    clock_subscription(&mut guest, SUBS, 3, CLOCK_PROCESS_CPUTIME as u32, 1, 0);
    clock_subscription(&mut guest, SUBS + 48, 4, 9, 1, 0);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 2, OUT.into()]);
    let answered = events(&guest, EVENTS, 2);
    assert_eq!(answered[0].0, 3);
    assert_eq!(answered[0].1, Errno::Notsup.raw());
    assert_eq!(answered[1].1, Errno::Inval.raw());

    assert_eq!(
        guest.errno("poll_oneoff", &[SUBS.into(), EVENTS.into(), 0, OUT.into()]),
        Errno::Inval
    );
}

#[test]
fn poll_reports_descriptor_readiness() {
    let mut builder = WasiCtxBuilder::new();
    builder.stdin("12345");
    let mut guest = Guest::shim(builder.build());
    fd_subscription(&mut guest, SUBS, 10, false, 0);
    fd_subscription(&mut guest, SUBS + 48, 11, true, 1);
    fd_subscription(&mut guest, SUBS + 96, 12, false, 42);
    clock_subscription(
        &mut guest,
        SUBS + 144,
        13,
        CLOCK_MONOTONIC as u32,
        3_600_000_000_000,
        0,
    );
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 4, OUT.into()]);
    assert_eq!(guest.u32(OUT), 3);
    assert_eq!(
        events(&guest, EVENTS, 3),
        [
            (10, 0, 1, 5, 0),
            (11, 0, 2, 1, 0),
            (12, Errno::Badf.raw(), 1, 0, 0),
        ]
    );
    // Drained standard input hangs up.
    guest.fd_read(0, 100);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 1, OUT.into()]);
    assert_eq!(events(&guest, EVENTS, 1), [(10, 0, 1, 0, 1)]);
}

#[test]
fn poll_files_are_ready() {
    let (_tmp, sandbox, mut guest) = sandbox("poll-files");
    fs::write(sandbox.join("f"), b"0123456789").unwrap();
    let (_, fd) = guest.open(3, true, "f", 0, READ_WRITE, 0);
    guest.fd_read(fd, 4);
    fd_subscription(&mut guest, SUBS, 1, false, fd);
    fd_subscription(&mut guest, SUBS + 48, 2, true, fd);
    fd_subscription(&mut guest, SUBS + 96, 3, false, 3);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 3, OUT.into()]);
    assert_eq!(guest.u32(OUT), 3);
    let answered = events(&guest, EVENTS, 3);
    assert_eq!(answered[0], (1, 0, 1, 6, 0));
    assert_eq!(answered[1], (2, 0, 2, 1, 0));
    assert_eq!(
        answered[2].1,
        Errno::Badf.raw(),
        "directories cannot be polled"
    );
}

// ---------------------------------------------------------------------------
// wasi_unstable

#[test]
fn snapshot_0_layouts() {
    let tmp = TempDir::new("unstable");
    fs::write(tmp.path().join("f"), b"0123456789").unwrap();
    let mut builder = WasiCtxBuilder::new();
    builder.preopened_dir(tmp.path(), ".").unwrap();
    let mut guest = Guest::new(&shim("wasi_unstable"), builder.build());
    let (errno, fd) = guest.open(
        3,
        true,
        "f",
        0,
        READ_WRITE | RIGHT_FD_SEEK | RIGHT_FD_TELL,
        0,
    );
    assert_eq!(errno, Errno::Success);

    // whence: CUR = 0, END = 1, SET = 2.
    guest.ok("fd_seek", &[fd.into(), 3, 2, OUT.into()]);
    assert_eq!(guest.u64(OUT), 3);
    guest.ok("fd_seek", &[fd.into(), 2, 0, OUT.into()]);
    assert_eq!(guest.u64(OUT), 5);
    guest.ok("fd_seek", &[fd.into(), (-1i64) as u64, 1, OUT.into()]);
    assert_eq!(guest.u64(OUT), 9);
    assert_eq!(guest.fd_read(fd, 10), b"9");

    // filestat: 56 bytes, nlink a u32 at 20, size at 24.
    guest.write(STAT, &[0xee; 64]);
    guest.ok("fd_filestat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_REGULAR_FILE);
    assert_eq!(guest.u32(STAT + 20), 1);
    assert_eq!(guest.u64(STAT + 24), 10);
    assert_eq!(
        guest.bytes(STAT + 56, 8),
        [0xee; 8],
        "nothing past 56 bytes"
    );
    let (ptr, len) = guest.string(PATH, "f");
    guest.ok("path_filestat_get", &[3, 0, ptr, len, STAT.into()]);
    assert_eq!(guest.u64(STAT + 24), 10);

    // Subscriptions: a clock's fields follow an 8-byte identifier.
    let mut sub = [0u8; 56];
    sub[0] = 5; // userdata
    sub[8] = 0; // clock
    sub[16] = 0xaa; // identifier, ignored
    sub[24] = CLOCK_MONOTONIC as u8;
    sub[32..40].copy_from_slice(&1_000_000u64.to_le_bytes());
    guest.write(SUBS, &sub);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 1, OUT.into()]);
    assert_eq!(events(&guest, EVENTS, 1), [(5, 0, 0, 0, 0)]);
}

// ---------------------------------------------------------------------------
// Real programs from ../shared/bench-wasm, when that folder is there

#[test]
fn sightglass_noop() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("sightglass/noop");
    let (status, stdout) = run_program(&dir, "benchmark.wasm", &[], Vec::new(), Via::Wasm);
    assert_eq!(status, 0);
    assert_eq!(
        stdout,
        fs::read(dir.join("benchmark.stdout.expected")).unwrap()
    );
}

#[test]
fn wasm3_brotli_decompresses_stdin() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("wasm3/brotli");
    let compressed = fs::read(dir.join("alice29.txt.compressed")).unwrap();
    let (status, stdout) = run_program(&dir, "brotli.wasm", &["-d", "-c"], compressed, Via::Wasm);
    assert_eq!(status, 0);
    assert_eq!(stdout, fs::read(dir.join("alice29.txt")).unwrap());
}
