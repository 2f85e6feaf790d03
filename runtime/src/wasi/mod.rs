//! WASI preview1: the system interface real wasm programs (compiled with
//! wasi-libc, Rust's `wasm32-wasip1`, TinyGo, ...) import.
//!
//! Build a [`WasiCtx`] with a [`WasiCtxBuilder`], put it in the store's data,
//! and define the functions with [`add_to_linker`], which puts every
//! function under both `wasi_snapshot_preview1` and `wasi_unstable`
//! (snapshot 0). A program ends with [`TrapKind::Exit`] when it calls
//! `proc_exit`: the host decides what the status means.
//!
//! ```
//! use pulley::wasi::{self, WasiCtx, WasiCtxBuilder};
//! use pulley::{Engine, Linker, Module, Store, TrapKind};
//!
//! struct Host {
//!     wasi: WasiCtx,
//! }
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"
//!     (module
//!       (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!       (memory (export "memory") 1)
//!       (func (export "_start") (call $exit (i32.const 3))))
//! "#)?;
//! let mut linker = Linker::new(&engine);
//! wasi::add_to_linker(&mut linker, |host: &mut Host| &mut host.wasi)?;
//! let wasi = WasiCtxBuilder::new().args(["program"]).inherit_stdio().build();
//! let mut store = Store::new(&engine, Host { wasi });
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
//! let error = start.call(&mut store, ()).unwrap_err();
//! assert_eq!(error.as_trap().map(|trap| trap.kind()), Some(&TrapKind::Exit(3)));
//! # Ok::<(), pulley::Error>(())
//! ```
//!
//! # Security
//!
//! A program sees only what the builder grants. Files are reached only
//! through pre-opened directories ([`WasiCtxBuilder::preopened_dir`]), and
//! every path is resolved by [cap-std] beneath the directory descriptor it is
//! relative to: absolute paths, `..` that would climb above it, and symbolic
//! links that lead outside it (to an absolute path, or through `..`) fail
//! with `EPERM`, as in Wasmtime. Reading a link whose target is absolute is
//! `EPERM` too (the host path is not revealed), and so is creating one.
//!
//! Every pointer and length from the guest is bounds-checked with checked
//! arithmetic before use: out-of-bounds buffers, `iovec` arrays and strings
//! give `EFAULT`, never a host panic or a trap. Functions that act and then
//! write a result (`fd_read`, `path_open`, ...) check the result's address
//! first, so a bad pointer does not lose input or leak an open file. A
//! module that exports no `memory` gets `EFAULT` from every function that
//! needs one. Pointers need no alignment.
//!
//! # Rights
//!
//! Preview1 descriptors carry rights. Here they are reported by
//! `fd_fdstat_get` and enforced (`ENOTCAPABLE`), but only ever narrowed by
//! the guest itself:
//! - a pre-opened directory has every directory right and may pass on every
//!   right; a file opened through `path_open` has every file right its
//!   access mode allows. The rights the guest asks for in `path_open` only
//!   choose that access mode (as in Wasmtime), since guest libraries ask for
//!   less than they later use. The inheriting rights asked for are
//!   ignored: a directory opened this way passes on what its parent does;
//! - `fd_fdstat_set_rights` drops rights (asking for more is
//!   `ENOTCAPABLE`), and a directory's inheriting rights bound what
//!   `path_open` gives descriptors opened through it;
//! - reading a file opened write-only, or writing one opened read-only, is
//!   `EBADF`, as in POSIX.
//!
//! # Functions
//!
//! All 46 preview1 functions are defined. Where a function cannot do what
//! is asked, it answers an errno:
//!
//! | function | behaviour and unsupported cases |
//! |---|---|
//! | `args_get`, `args_sizes_get`, `environ_get`, `environ_sizes_get` | from the builder |
//! | `clock_res_get`, `clock_time_get` | `realtime` (nanoseconds since 1970), `monotonic` (from an arbitrary start, shared by the process), and the CPU time of the host process and of the thread running the guest where the host has such clocks (Linux, Android, FreeBSD, Apple systems; `ENOTSUP` elsewhere); unknown clocks are `EINVAL`; the precision argument is ignored |
//! | `random_get` | the host's secure generator (`EIO` if it fails) |
//! | `fd_advise` | passed to `posix_fadvise` on Linux and Android, accepted and ignored elsewhere (it is a hint); `ESPIPE` on streams |
//! | `fd_allocate` | `fallocate` on Linux, else extends the file to cover the range; `ESPIPE` on streams |
//! | `fd_close`, `fd_renumber` | any descriptor, pre-opens and standard streams included; `fd_renumber` needs both numbers open (it replaces, it is not `dup2`) |
//! | `fd_datasync`, `fd_sync` | files and directories; `EINVAL` on standard streams |
//! | `fd_fdstat_get`, `fd_fdstat_set_rights` | all descriptors (see Rights) |
//! | `fd_fdstat_set_flags` | `APPEND` and `NONBLOCK` can change (non-blocking mode has no effect: reads and writes of files and standard streams always complete); `DSYNC`, `RSYNC`, `SYNC` are fixed at `path_open` and changing them is `ENOTSUP`; `EBADF` on directories |
//! | `fd_filestat_get` | files and directories; standard streams report their file type and zeros |
//! | `fd_filestat_set_size`, `fd_filestat_set_times` | files (and directories for times); `EBADF` on streams |
//! | `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`, `fd_seek`, `fd_tell` | files keep their own offset; `fd_pwrite` in append mode writes at the end, as Linux does; standard streams are `ESPIPE` for positioned I/O and seeking; writes to standard output and error are flushed before the call returns |
//! | `fd_readdir` | `.` and `..` first, then the host's order; cookies are indices, stable from one pass starting at cookie 0 to the next; names that are not UTF-8 are converted lossily |
//! | `fd_prestat_get`, `fd_prestat_dir_name` | pre-opened directories; `EBADF` otherwise |
//! | `path_create_directory`, `path_filestat_get`, `path_filestat_set_times`, `path_open`, `path_readlink`, `path_remove_directory`, `path_rename`, `path_symlink`, `path_unlink_file` | beneath a directory descriptor (`ENOTDIR` for other descriptors); paths must be UTF-8 (`EILSEQ`) |
//! | `path_link` | following a symbolic link at the source (`SYMLINK_FOLLOW`) is `EINVAL`, as in Wasmtime |
//! | `poll_oneoff` | waits for `realtime` and `monotonic` clocks (relative or absolute; CPU-time clocks get an `ENOTSUP` event) and for descriptors: files, in-memory standard input and output streams are always ready (a file read reports the bytes left, exhausted standard input `FD_READWRITE_HANGUP`); the host's standard input is waited on with `poll(2)` on Unix and reported ready elsewhere; a subscription that cannot be served (closed descriptor, directory, missing `POLL_FD_READWRITE`) gets an event carrying the error; an unknown subscription type, or none at all, is `EINVAL` |
//! | `proc_exit` | traps with [`TrapKind::Exit`] carrying the status |
//! | `proc_raise` | `ENOTSUP`: the host sends no signals to the guest |
//! | `sched_yield` | yields the host thread |
//! | `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown` | no descriptor is ever a socket (preview1 cannot create one and none are pre-opened): `ENOTSOCK` for open descriptors, `EBADF` otherwise |
//!
//! # `wasi_unstable`
//!
//! Snapshot 0 shares the functions and most layouts; what differs is
//! implemented:
//! - `fd_seek`'s `whence` numbering: snapshot 0 has `CUR = 0`, `END = 1`,
//!   `SET = 2` (preview1: `SET = 0`, `CUR = 1`, `END = 2`);
//! - `filestat` (from `fd_filestat_get` and `path_filestat_get`): snapshot
//!   0's `nlink` is a `u32`, so the structure is 56 bytes instead of 64;
//! - `subscription` (`poll_oneoff`): snapshot 0's clock subscription starts
//!   with an 8-byte `identifier`, so the structure is 56 bytes instead of 48.
//!
//! `dirent`, `fdstat`, `prestat`, `event`, `iovec`, errno values, rights and
//! flags are the same in both. `sock_accept`, which snapshot 0 lacks, is
//! defined under both names all the same.
//!
//! [cap-std]: https://docs.rs/cap-std
//! [`TrapKind::Exit`]: crate::TrapKind::Exit

mod clocks;
mod ctx;
mod descriptors;
mod errno;
mod fd;
mod host_os;
mod linker;
mod memory;
mod path;
mod poll;
mod process;
mod random;
mod read_write;
mod readdir;
mod sock;
mod stat;
mod stdio;
mod types;

pub use ctx::{WasiCtx, WasiCtxBuilder, WasiError};
pub use errno::Errno;
pub use linker::add_to_linker;
pub use stdio::OutputBuffer;
