//! Arguments, environment, and the process: `args_*`, `environ_*`,
//! `proc_raise` and `sched_yield` (`proc_exit` is a trap, raised where the
//! functions are defined).

use std::vec::Vec;

use super::WasiCtx;
use super::errno::Errno;
use super::memory::GuestMemory;

/// The count of `strings` and the bytes they take with their NULs.
fn sizes(strings: &[Vec<u8>]) -> Result<(u32, u32), Errno> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let bytes = strings.iter().try_fold(0u32, |total, s| {
        u32::try_from(s.len())
            .ok()
            .and_then(|len| total.checked_add(len)?.checked_add(1))
            .ok_or(Errno::Overflow)
    })?;
    Ok((count, bytes))
}

/// Writes `strings`, NUL-terminated, one after another at `buf`, and a
/// pointer to each in the array at `pointers`.
fn write_strings(
    memory: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    pointers: u32,
    buf: u32,
) -> Result<(), Errno> {
    let (count, bytes) = sizes(strings)?;
    memory.check_array(pointers, count, 4)?;
    memory.check_array(buf, bytes, 1)?;
    // Both areas are in bounds, so none of the offsets below overflow.
    let (mut slot, mut at) = (pointers, buf);
    for s in strings {
        memory.write_u32(slot, at)?;
        memory.write(at, s)?;
        let len = u32::try_from(s.len()).map_err(|_| Errno::Overflow)?;
        memory.write(at + len, &[0])?;
        slot += 4;
        at += len + 1;
    }
    Ok(())
}

impl WasiCtx {
    /// `args_sizes_get`: the argument count and the bytes they need.
    pub(crate) fn args_sizes_get(&self) -> Result<(u32, u32), Errno> {
        sizes(&self.args)
    }

    /// `args_get`: the arguments, into guest buffers sized by
    /// `args_sizes_get`.
    pub(crate) fn args_get(
        &self,
        memory: &mut GuestMemory<'_>,
        argv: u32,
        argv_buf: u32,
    ) -> Result<(), Errno> {
        write_strings(memory, &self.args, argv, argv_buf)
    }

    /// `environ_sizes_get`: the variable count and the bytes they need.
    pub(crate) fn environ_sizes_get(&self) -> Result<(u32, u32), Errno> {
        sizes(&self.env)
    }

    /// `environ_get`: the `KEY=VALUE` variables.
    pub(crate) fn environ_get(
        &self,
        memory: &mut GuestMemory<'_>,
        environ: u32,
        environ_buf: u32,
    ) -> Result<(), Errno> {
        write_strings(memory, &self.env, environ, environ_buf)
    }
}

/// `proc_raise`: signals are not supported.
pub(crate) fn proc_raise(_signal: u32) -> Result<(), Errno> {
    Err(Errno::Notsup)
}

/// `sched_yield`: lets other host threads run.
pub(crate) fn sched_yield() -> Result<(), Errno> {
    std::thread::yield_now();
    Ok(())
}
