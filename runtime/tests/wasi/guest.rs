//! The harness the WASI tests share: the "shim" module that wraps every WASI
//! function in an exported wasm function, [`Guest`] to instantiate a module
//! and call into it, scratch addresses in its memory, WASI constants, and
//! temporary directories pre-opened as the guest's sandbox.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use pulley::wasi::{self, Errno, WasiCtx, WasiCtxBuilder};
use pulley::{Engine, Instance, Linker, Module, Store, Val, ValType};

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
pub(crate) fn shim(wasi: &str) -> String {
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
pub(crate) struct Guest {
    store: Store<WasiCtx>,
    instance: Instance,
}

impl Guest {
    /// Asserts that `path`, relative to the preopen at fd 3, can be neither
    /// opened nor stat'ed: both fail with `EPERM` (an escape is refused).
    pub(crate) fn assert_unreachable(&mut self, path: &str) {
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
    pub(crate) fn new(wat: &str, ctx: WasiCtx) -> Guest {
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
    pub(crate) fn shim(ctx: WasiCtx) -> Guest {
        Guest::new(&shim("wasi_snapshot_preview1"), ctx)
    }

    /// Calls export `name`: integer arguments are converted to the
    /// parameter types.
    pub(crate) fn call(&mut self, name: &str, args: &[u64]) -> pulley::Result<Vec<Val>> {
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
    pub(crate) fn errno(&mut self, name: &str, args: &[u64]) -> Errno {
        let results = self
            .call(name, args)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let raw = results[0].i32().expect("an i32 errno");
        errno_of(raw).unwrap_or_else(|| panic!("{name} returned unknown errno {raw}"))
    }

    /// Calls WASI function `name` and asserts it succeeds.
    pub(crate) fn ok(&mut self, name: &str, args: &[u64]) {
        assert_eq!(self.errno(name, args), Errno::Success, "{name}{args:?}");
    }

    pub(crate) fn memory(&self) -> &[u8] {
        self.instance
            .get_memory(&self.store, "memory")
            .expect("memory export")
            .data(&self.store)
    }

    pub(crate) fn write(&mut self, at: u32, bytes: &[u8]) {
        let memory = self
            .instance
            .get_memory(&self.store, "memory")
            .expect("memory export");
        memory
            .write(&mut self.store, at as usize, bytes)
            .expect("in bounds");
    }

    pub(crate) fn bytes(&self, at: u32, len: usize) -> Vec<u8> {
        self.memory()[at as usize..at as usize + len].to_vec()
    }

    pub(crate) fn u32(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.bytes(at, 4).try_into().unwrap())
    }

    pub(crate) fn u64(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.bytes(at, 8).try_into().unwrap())
    }

    /// Writes `text` at `at`; returns `(at, len)` for a WASI string.
    pub(crate) fn string(&mut self, at: u32, text: &str) -> (u64, u64) {
        self.write(at, text.as_bytes());
        (u64::from(at), text.len() as u64)
    }

    /// Writes an array of iovecs at `at`.
    pub(crate) fn iovecs(&mut self, at: u32, buffers: &[(u32, u32)]) {
        let mut bytes = Vec::new();
        for &(ptr, len) in buffers {
            bytes.extend_from_slice(&ptr.to_le_bytes());
            bytes.extend_from_slice(&len.to_le_bytes());
        }
        self.write(at, &bytes);
    }

    /// `path_open` beneath `dir`: returns the errno and the new descriptor.
    pub(crate) fn open(
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
    pub(crate) fn fd_write(&mut self, fd: u32, data: &[u8]) -> u32 {
        self.write(DATA, data);
        self.iovecs(IOVS, &[(DATA, data.len() as u32)]);
        self.ok("fd_write", &[fd.into(), IOVS.into(), 1, OUT.into()]);
        self.u32(OUT)
    }

    /// Reads up to `len` bytes from `fd` with `fd_read`.
    pub(crate) fn fd_read(&mut self, fd: u32, len: u32) -> Vec<u8> {
        self.iovecs(IOVS, &[(DATA, len)]);
        self.ok("fd_read", &[fd.into(), IOVS.into(), 1, OUT.into()]);
        let n = self.u32(OUT);
        self.bytes(DATA, n as usize)
    }

    /// `fd_filestat_get` (preview1 layout): `(filetype, nlink, size)`.
    pub(crate) fn filestat(&mut self, fd: u32) -> (u8, u64, u64) {
        self.ok("fd_filestat_get", &[fd.into(), STAT.into()]);
        (
            self.memory()[STAT as usize + 16],
            self.u64(STAT + 24),
            self.u64(STAT + 32),
        )
    }
}

/// Scratch addresses in the shim's memory.
pub(crate) const OUT: u32 = 0x100;
pub(crate) const OUT2: u32 = 0x108;
pub(crate) const STAT: u32 = 0x200;
pub(crate) const IOVS: u32 = 0x300;
pub(crate) const PATH: u32 = 0x400;
pub(crate) const PATH2: u32 = 0x800;
pub(crate) const DATA: u32 = 0x1000;

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
pub(crate) mod abi {
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
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> TempDir {
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

    pub(crate) fn path(&self) -> &Path {
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
pub(crate) fn sandbox(name: &str) -> (TempDir, PathBuf, Guest) {
    let tmp = TempDir::new(name);
    let sandbox = tmp.path().join("sandbox");
    fs::create_dir(&sandbox).unwrap();
    let mut builder = WasiCtxBuilder::new();
    builder.preopened_dir(&sandbox, ".").unwrap();
    let guest = Guest::shim(builder.build());
    (tmp, sandbox, guest)
}
