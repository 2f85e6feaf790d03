//! Defining the WASI functions in a [`Linker`].

use std::ops::ControlFlow;
use std::sync::Arc;
use std::vec;
use std::vec::Vec;

use crate::func::{HostFuncDef, IntoFunc};
use crate::linker::OnDemand;
use crate::{
    Caller, Error, Extern, FuncType, Linker, Result, Trap, TrapKind, UsageError, Val, ValType,
};

use super::WasiCtx;
use super::clocks;
use super::errno::Errno;
use super::memory::{GuestMemory, GuestStr};
use super::process;
use super::random;
use super::types::Snapshot;

/// Defines every WASI preview1 function in `linker`, under both
/// `wasi_snapshot_preview1` and `wasi_unstable`.
///
/// `get` finds the [`WasiCtx`] in the store's data; it runs on every WASI
/// call, so it should be a plain field access (`|state| &mut state.wasi`, or
/// `|ctx| ctx` when the data is the context itself).
///
/// Fails if `linker` already defines one of the names (unless it allows
/// shadowing).
///
/// ```
/// use pulley::wasi::{self, WasiCtxBuilder};
/// use pulley::{Engine, Linker, Module, Store};
///
/// let engine = Engine::default();
/// let module = Module::new(&engine, r#"
///     (module
///       (import "wasi_snapshot_preview1" "fd_write"
///         (func $fd_write (param i32 i32 i32 i32) (result i32)))
///       (memory (export "memory") 1)
///       (data (i32.const 16) "hello\n")
///       (func (export "_start")
///         (i32.store (i32.const 0) (i32.const 16))  ;; iovec: buffer
///         (i32.store (i32.const 4) (i32.const 6))   ;; iovec: length
///         (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
/// "#)?;
/// let mut linker = Linker::new(&engine);
/// wasi::add_to_linker(&mut linker, |ctx| ctx)?;
/// let mut builder = WasiCtxBuilder::new();
/// let stdout = builder.stdout_buffer();
/// let mut store = Store::new(&engine, builder.build());
/// let instance = linker.instantiate(&mut store, &module)?;
/// instance.get_typed_func::<(), ()>(&store, "_start")?.call(&mut store, ())?;
/// assert_eq!(stdout.contents(), b"hello\n");
/// # Ok::<(), pulley::Error>(())
/// ```
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
) -> Result<()> {
    // A program imports a handful of the functions: each is made when a
    // module imports it (`OnDemand`), not here.
    for (module, snapshot) in [
        ("wasi_snapshot_preview1", Snapshot::Preview1),
        ("wasi_unstable", Snapshot::Unstable),
    ] {
        linker.define_on_demand(module, Arc::new(Functions { snapshot, get }))?;
    }
    Ok(())
}

/// The WASI functions of one snapshot, made on demand.
struct Functions<G> {
    snapshot: Snapshot,
    /// Finds the context in the store's data.
    get: G,
}

impl<T: 'static, G> OnDemand<T> for Functions<G>
where
    G: Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
{
    fn defines(&self, name: &str) -> bool {
        each_function::<T>(self.snapshot, self.get, &mut |n, _| {
            if n == name {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break()
    }

    fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let _ = each_function::<T>(self.snapshot, self.get, &mut |name, _| {
            names.push(name);
            ControlFlow::Continue(())
        });
        names
    }

    fn make(&self, name: &str) -> Option<HostFuncDef<T>> {
        let mut made = None;
        let _ = each_function::<T>(self.snapshot, self.get, &mut |n, make| {
            if n != name {
                return ControlFlow::Continue(());
            }
            made = Some(make());
            ControlFlow::Break(())
        });
        made
    }
}

/// Runs one WASI function: `f` gets the caller's WASI context and memory,
/// and its result becomes the errno the guest receives.
///
/// The store gives out either its data or a memory, not both at once, so
/// the context is taken out of the data for the call (an empty placeholder
/// holds its place) and put back after. WASI functions never call back into
/// wasm, so nothing can observe the placeholder. A module without a
/// `memory` export gets an empty memory: every access is `EFAULT`.
fn call<T>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> Result<(), Errno>,
) -> i32 {
    let memory = caller.get_export("memory").and_then(Extern::into_memory);
    let mut ctx = core::mem::replace(get(caller.data_mut()), WasiCtx::placeholder());
    let result = match memory {
        Some(memory) => f(&mut ctx, &mut GuestMemory::new(memory.data_mut(caller))),
        None => f(&mut ctx, &mut GuestMemory::new(&mut [])),
    };
    *get(caller.data_mut()) = ctx;
    match result {
        Ok(()) => 0,
        Err(errno) => i32::from(errno.raw()),
    }
}

/// Writes the two results `(a, b)` at `(pa, pb)`, checking both addresses
/// before writing either.
fn write_pair(
    memory: &mut GuestMemory<'_>,
    (a, b): (u32, u32),
    (pa, pb): (u32, u32),
) -> Result<(), Errno> {
    memory.check_array(pa, 1, 4)?;
    memory.check_array(pb, 1, 4)?;
    memory.write_u32(pa, a)?;
    memory.write_u32(pb, b)
}

/// A guest string argument.
fn s(ptr: u32, len: u32) -> GuestStr {
    GuestStr { ptr, len }
}

/// A function's name, and what makes its definition.
type Visit<'a, T> = dyn FnMut(&'static str, &dyn Fn() -> HostFuncDef<T>) -> ControlFlow<()> + 'a;

/// The typed host function `f` (as [`Linker::func_wrap`] takes it).
fn wrap<T, Params, Results>(f: impl IntoFunc<T, Params, Results>) -> HostFuncDef<T> {
    f.into_def()
}

/// Calls `visit` with each WASI function of `of`, until it breaks: its name
/// and what makes its definition (called only for the functions that a
/// module imports).
fn each_function<T: 'static>(
    of: Snapshot,
    get: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
    visit: &mut Visit<'_, T>,
) -> ControlFlow<()> {
    // `define!("name" (wasm parameters) |ctx, memory| body)` defines a
    // function; the body sees the context and the memory and returns
    // `Result<(), Errno>`. Bodies that act before writing a result check the
    // result's address first, so a bad pointer does not lose a read or leak
    // an opened file.
    // `define!(snapshot "name" ...)` defines a function whose body depends
    // on the snapshot (its layouts or constants): only there is `snapshot`
    // bound.
    macro_rules! define {
        (@bind [$($snapshot:ident)?] $name:literal ($($arg:ident: $ty:ty),*) |$ctx:pat_param, $memory:pat_param| $body:expr) => {
            visit($name, &|| {
                $(let $snapshot = of;)?
                wrap(move |mut caller: Caller<'_, T>, $($arg: $ty),*| -> i32 {
                    call(&mut caller, get, |$ctx, $memory| $body)
                })
            })?;
        };
        ($snapshot:ident $name:literal $($rest:tt)*) => {
            define!(@bind [$snapshot] $name $($rest)*);
        };
        ($name:literal $($rest:tt)*) => {
            define!(@bind [] $name $($rest)*);
        };
    }

    // Arguments and environment.
    define!("args_get" (argv: u32, buf: u32) |ctx, memory| ctx.args_get(memory, argv, buf));
    define!("args_sizes_get" (count: u32, size: u32) |ctx, memory| {
        write_pair(memory, ctx.args_sizes_get()?, (count, size))
    });
    define!("environ_get" (environ: u32, buf: u32) |ctx, memory| {
        ctx.environ_get(memory, environ, buf)
    });
    define!("environ_sizes_get" (count: u32, size: u32) |ctx, memory| {
        write_pair(memory, ctx.environ_sizes_get()?, (count, size))
    });

    // Clocks and randomness.
    define!("clock_res_get" (id: u32, out: u32) |_, memory| {
        memory.write_u64(out, clocks::clock_res_get(id)?)
    });
    define!("clock_time_get" (id: u32, _precision: u64, out: u32) |_, memory| {
        memory.write_u64(out, clocks::clock_time_get(id)?)
    });
    define!("random_get" (buf: u32, len: u32) |_, memory| random::random_get(memory, buf, len));

    // Descriptors.
    define!("fd_advise" (fd: u32, offset: u64, len: u64, advice: u32) |ctx, _| {
        ctx.fd_advise(fd, offset, len, advice)
    });
    define!("fd_allocate" (fd: u32, offset: u64, len: u64) |ctx, _| {
        ctx.fd_allocate(fd, offset, len)
    });
    define!("fd_close" (fd: u32) |ctx, _| ctx.fd_close(fd));
    define!("fd_datasync" (fd: u32) |ctx, _| ctx.fd_sync(fd, true));
    define!("fd_fdstat_get" (fd: u32, out: u32) |ctx, memory| {
        memory.write(out, &ctx.fd_fdstat_get(fd)?.encode())
    });
    define!("fd_fdstat_set_flags" (fd: u32, flags: u32) |ctx, _| {
        ctx.fd_fdstat_set_flags(fd, flags)
    });
    define!("fd_fdstat_set_rights" (fd: u32, base: u64, inheriting: u64) |ctx, _| {
        ctx.fd_fdstat_set_rights(fd, base, inheriting)
    });
    define!(snapshot "fd_filestat_get" (fd: u32, out: u32) |ctx, memory| {
        let (bytes, len) = ctx.fd_filestat_get(fd)?.encode(snapshot);
        memory.write(out, &bytes[..len])
    });
    define!("fd_filestat_set_size" (fd: u32, size: u64) |ctx, _| {
        ctx.fd_filestat_set_size(fd, size)
    });
    define!("fd_filestat_set_times" (fd: u32, atim: u64, mtim: u64, flags: u32) |ctx, _| {
        ctx.fd_filestat_set_times(fd, atim, mtim, flags)
    });
    define!("fd_pread" (fd: u32, iovs: u32, len: u32, offset: u64, out: u32) |ctx, memory| {
        memory.check_array(out, 1, 4)?;
        let n = ctx.fd_pread(memory, fd, iovs, len, offset)?;
        memory.write_u32(out, n)
    });
    define!("fd_prestat_get" (fd: u32, out: u32) |ctx, memory| {
        memory.write(out, &ctx.fd_prestat_get(fd)?)
    });
    define!("fd_prestat_dir_name" (fd: u32, path: u32, len: u32) |ctx, memory| {
        ctx.fd_prestat_dir_name(memory, fd, path, len)
    });
    define!("fd_pwrite" (fd: u32, iovs: u32, len: u32, offset: u64, out: u32) |ctx, memory| {
        memory.check_array(out, 1, 4)?;
        let n = ctx.fd_pwrite(memory, fd, iovs, len, offset)?;
        memory.write_u32(out, n)
    });
    define!("fd_read" (fd: u32, iovs: u32, len: u32, out: u32) |ctx, memory| {
        memory.check_array(out, 1, 4)?;
        let n = ctx.fd_read(memory, fd, iovs, len)?;
        memory.write_u32(out, n)
    });
    define!("fd_readdir" (fd: u32, buf: u32, len: u32, cookie: u64, out: u32) |ctx, memory| {
        memory.check_array(out, 1, 4)?;
        let n = ctx.fd_readdir(memory, fd, buf, len, cookie)?;
        memory.write_u32(out, n)
    });
    define!("fd_renumber" (from: u32, to: u32) |ctx, _| ctx.fd_renumber(from, to));
    define!(snapshot "fd_seek" (fd: u32, offset: i64, whence: u32, out: u32) |ctx, memory| {
        memory.check_array(out, 1, 8)?;
        let position = ctx.fd_seek(fd, offset, whence, snapshot)?;
        memory.write_u64(out, position)
    });
    define!("fd_sync" (fd: u32) |ctx, _| ctx.fd_sync(fd, false));
    define!("fd_tell" (fd: u32, out: u32) |ctx, memory| memory.write_u64(out, ctx.fd_tell(fd)?));
    define!("fd_write" (fd: u32, iovs: u32, len: u32, out: u32) |ctx, memory| {
        memory.check_array(out, 1, 4)?;
        let n = ctx.fd_write(memory, fd, iovs, len)?;
        memory.write_u32(out, n)
    });

    // Paths.
    define!("path_create_directory" (fd: u32, path: u32, len: u32) |ctx, memory| {
        ctx.path_create_directory(memory, fd, s(path, len))
    });
    define!(snapshot "path_filestat_get" (fd: u32, flags: u32, path: u32, len: u32, out: u32) |ctx, memory| {
        let stat = ctx.path_filestat_get(memory, fd, flags, s(path, len))?;
        let (bytes, len) = stat.encode(snapshot);
        memory.write(out, &bytes[..len])
    });
    define!("path_filestat_set_times" (
        fd: u32, flags: u32, path: u32, len: u32, atim: u64, mtim: u64, fst_flags: u32
    ) |ctx, memory| {
        ctx.path_filestat_set_times(memory, (fd, flags, s(path, len)), (atim, mtim, fst_flags))
    });
    define!("path_link" (
        old_fd: u32, old_flags: u32, old_path: u32, old_len: u32,
        new_fd: u32, new_path: u32, new_len: u32
    ) |ctx, memory| {
        let old = (old_fd, old_flags, s(old_path, old_len));
        ctx.path_link(memory, old, (new_fd, s(new_path, new_len)))
    });
    visit("path_open", &|| path_open(get))?;
    define!("path_readlink" (
        fd: u32, path: u32, len: u32, buf: u32, buf_len: u32, out: u32
    ) |ctx, memory| {
        memory.check_array(out, 1, 4)?;
        memory.check_array(buf, buf_len, 1)?;
        let mut target = ctx.path_readlink(memory, fd, s(path, len))?;
        target.truncate(buf_len as usize);
        memory.write(buf, &target)?;
        // At most `buf_len`.
        memory.write_u32(out, target.len() as u32)
    });
    define!("path_remove_directory" (fd: u32, path: u32, len: u32) |ctx, memory| {
        ctx.path_remove_directory(memory, fd, s(path, len))
    });
    define!("path_rename" (
        old_fd: u32, old_path: u32, old_len: u32, new_fd: u32, new_path: u32, new_len: u32
    ) |ctx, memory| {
        ctx.path_rename(memory, (old_fd, s(old_path, old_len)), (new_fd, s(new_path, new_len)))
    });
    define!("path_symlink" (
        old_path: u32, old_len: u32, fd: u32, new_path: u32, new_len: u32
    ) |ctx, memory| {
        ctx.path_symlink(memory, s(old_path, old_len), (fd, s(new_path, new_len)))
    });
    define!("path_unlink_file" (fd: u32, path: u32, len: u32) |ctx, memory| {
        ctx.path_unlink_file(memory, fd, s(path, len))
    });

    // Polling.
    define!(snapshot "poll_oneoff" (subs: u32, events: u32, count: u32, out: u32) |ctx, memory| {
        memory.check_array(out, 1, 4)?;
        let n = ctx.poll_oneoff(memory, snapshot, subs, events, count)?;
        memory.write_u32(out, n)
    });

    // The process.
    visit("proc_exit", &|| {
        wrap(|status: u32| -> Result<(), Trap> {
            // The status is the guest's `u32`, passed on bit for bit.
            Err(Trap::new(TrapKind::Exit(status.cast_signed())))
        })
    })?;
    define!("proc_raise" (signal: u32) |_, _| process::proc_raise(signal));
    define!("sched_yield"() | _, _ | process::sched_yield());

    // Sockets.
    define!("sock_accept" (fd: u32, _flags: u32, _out: u32) |ctx, _| ctx.sock(fd));
    define!("sock_recv" (
        fd: u32, _data: u32, _len: u32, _flags: u32, _out_len: u32, _out_flags: u32
    ) |ctx, _| ctx.sock(fd));
    define!("sock_send" (fd: u32, _data: u32, _len: u32, _flags: u32, _out_len: u32) |ctx, _| {
        ctx.sock(fd)
    });
    define!("sock_shutdown" (fd: u32, _how: u32) |ctx, _| ctx.sock(fd));
    ControlFlow::Continue(())
}

/// `path_open`, whose nine parameters are more than typed closures take,
/// through the dynamically typed interface.
fn path_open<T: 'static>(
    get: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
) -> HostFuncDef<T> {
    use ValType::{I32, I64};
    let ty = FuncType {
        params: vec![I32, I32, I32, I32, I32, I64, I64, I32, I32],
        results: vec![I32],
    };
    HostFuncDef::dynamic(
        ty,
        move |mut caller: Caller<'_, T>, params: &[Val], results: &mut [Val]| {
            // The linker checked the types against `ty`; anything else is a bug.
            let bad = || {
                Error::from(UsageError::HostArgumentTypes {
                    function: "path_open",
                })
            };
            let i32_at = |i: usize| match params.get(i) {
                Some(Val::I32(v)) => Ok(v.cast_unsigned()),
                _ => Err(bad()),
            };
            let rights_base = match params.get(5) {
                Some(Val::I64(v)) => v.cast_unsigned(),
                _ => return Err(bad()),
            };
            let (fd, dirflags, path, path_len, oflags) =
                (i32_at(0)?, i32_at(1)?, i32_at(2)?, i32_at(3)?, i32_at(4)?);
            // Argument 6, the inheriting rights, plays no part (see `path_open`).
            let (fdflags, out) = (i32_at(7)?, i32_at(8)?);
            let errno = call(&mut caller, get, |ctx, memory| {
                memory.check_array(out, 1, 4)?;
                let at = (fd, dirflags, s(path, path_len));
                let fd = ctx.path_open(memory, at, oflags, rights_base, fdflags)?;
                memory.write_u32(out, fd)
            });
            *results.first_mut().ok_or_else(bad)? = Val::I32(errno);
            Ok(())
        },
    )
}
