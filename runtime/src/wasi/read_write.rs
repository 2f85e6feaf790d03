//! Reading and writing: `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`.
//!
//! Files are read and written at explicit offsets: the descriptor keeps its
//! own position. Transfers stop at the first short read or write; an error
//! after some bytes moved ends the call with those bytes, as POSIX allows.

use std::vec::Vec;

use cap_std::fs::File;

use super::WasiCtx;
use super::descriptors::{Descriptor, Kind, require};
use super::errno::Errno;
use super::host_os;
use super::memory::{GuestMemory, IoVec};
use super::stdio::Input;
use super::types::{fdflags, rights};

/// The length to use of the next buffer when `total` bytes were already
/// transferred: results are `u32`, so a call moves at most `u32::MAX` bytes
/// (guest buffers may overlap and add up to more).
fn room(total: u32, len: u32) -> u32 {
    len.min(u32::MAX - total)
}

/// Reads into the guest buffers from `offset` on, stopping at the first
/// short read. An error after some bytes were read ends the call with those
/// bytes, as POSIX allows.
fn read_at(
    file: &File,
    memory: &mut GuestMemory<'_>,
    iovecs: &[IoVec],
    offset: u64,
) -> Result<u32, Errno> {
    let mut total = 0u32;
    for iovec in iovecs {
        let len = room(total, iovec.len);
        if len == 0 {
            continue;
        }
        let at = offset
            .checked_add(u64::from(total))
            .ok_or(Errno::Overflow)?;
        let buf = memory.slice_mut(iovec.ptr, len)?;
        match host_os::read_at(file, buf, at) {
            Ok(n) => {
                // At most `len`, itself at most what `total` has room for.
                total += n as u32;
                if n < buf.len() {
                    break;
                }
            }
            Err(error) if total == 0 => return Err(error.into()),
            Err(_) => break,
        }
    }
    Ok(total)
}

/// Writes the guest buffers at `offset` on (see [`read_at`] for partial
/// transfers).
fn write_at(
    file: &File,
    memory: &GuestMemory<'_>,
    iovecs: &[IoVec],
    offset: u64,
) -> Result<u32, Errno> {
    let mut total = 0u32;
    for iovec in iovecs {
        let mut buf = memory.slice(iovec.ptr, room(total, iovec.len))?;
        while !buf.is_empty() {
            let at = offset.checked_add(u64::from(total)).ok_or(Errno::Fbig)?;
            match host_os::write_at(file, buf, at) {
                Ok(0) => return Ok(total),
                Ok(n) => {
                    total += n as u32;
                    buf = &buf[n..];
                }
                Err(error) if total == 0 => return Err(error.into()),
                Err(_) => return Ok(total),
            }
        }
    }
    Ok(total)
}

/// Reads standard input into the guest buffers. Input that may block stops
/// after the first buffer that gets data, so an interactive program is not
/// kept waiting for more than one read's worth.
fn read_input(
    input: &mut Input,
    memory: &mut GuestMemory<'_>,
    iovecs: &[IoVec],
) -> Result<u32, Errno> {
    let mut total = 0u32;
    for iovec in iovecs {
        let len = room(total, iovec.len);
        if len == 0 {
            continue;
        }
        let buf = memory.slice_mut(iovec.ptr, len)?;
        match input.read(buf) {
            Ok(n) => {
                total += n as u32;
                if n < buf.len() || input.may_block() {
                    break;
                }
            }
            Err(error) if total == 0 => return Err(error.into()),
            Err(_) => break,
        }
    }
    Ok(total)
}

impl WasiCtx {
    // Each function looks its descriptor up before reading the guest's
    // buffer list, so a bad descriptor is `EBADF` whatever the buffers.

    /// `fd_pread`.
    pub(crate) fn fd_pread(
        &self,
        memory: &mut GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
    ) -> Result<u32, Errno> {
        let file = self
            .fds
            .get(fd)?
            .file(rights::FD_READ | rights::FD_SEEK, Errno::Spipe)?;
        let iovecs = memory.iovecs(iovs, iovs_len)?;
        read_at(&file.file, memory, &iovecs, offset)
    }

    /// `fd_pwrite`. In append mode the data goes to the end of the file,
    /// whatever the offset (as on Linux).
    pub(crate) fn fd_pwrite(
        &self,
        memory: &GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
    ) -> Result<u32, Errno> {
        let descriptor = self.fds.get(fd)?;
        let file = descriptor.file(rights::FD_WRITE | rights::FD_SEEK, Errno::Spipe)?;
        let iovecs = memory.iovecs(iovs, iovs_len)?;
        let offset = if descriptor.flags & fdflags::APPEND != 0 {
            file.file.metadata()?.len()
        } else {
            offset
        };
        write_at(&file.file, memory, &iovecs, offset)
    }

    /// `fd_read`.
    pub(crate) fn fd_read(
        &mut self,
        memory: &mut GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
    ) -> Result<u32, Errno> {
        let Descriptor { kind, base, .. } = self.fds.get_mut(fd)?;
        match kind {
            Kind::File(file) => {
                file.access(rights::FD_READ)?;
                require(*base, rights::FD_READ)?;
                let iovecs = memory.iovecs(iovs, iovs_len)?;
                let n = read_at(&file.file, memory, &iovecs, file.position)?;
                file.position += u64::from(n);
                Ok(n)
            }
            Kind::Stdin(input) => {
                require(*base, rights::FD_READ)?;
                let iovecs = memory.iovecs(iovs, iovs_len)?;
                read_input(input, memory, &iovecs)
            }
            Kind::Output(_) | Kind::Dir(_) => Err(Errno::Badf),
        }
    }

    /// `fd_write`. Output streams are flushed before it returns.
    pub(crate) fn fd_write(
        &mut self,
        memory: &GuestMemory<'_>,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
    ) -> Result<u32, Errno> {
        let Descriptor {
            kind, base, flags, ..
        } = self.fds.get_mut(fd)?;
        match kind {
            Kind::File(file) => {
                file.access(rights::FD_WRITE)?;
                require(*base, rights::FD_WRITE)?;
                let iovecs = memory.iovecs(iovs, iovs_len)?;
                let offset = if *flags & fdflags::APPEND != 0 {
                    file.file.metadata()?.len()
                } else {
                    file.position
                };
                let n = write_at(&file.file, memory, &iovecs, offset)?;
                file.position = offset + u64::from(n);
                Ok(n)
            }
            Kind::Output(output) => {
                require(*base, rights::FD_WRITE)?;
                let iovecs = memory.iovecs(iovs, iovs_len)?;
                let mut total = 0u32;
                let mut chunks = Vec::with_capacity(iovecs.len());
                for iovec in &iovecs {
                    let len = room(total, iovec.len);
                    chunks.push(memory.slice(iovec.ptr, len)?);
                    total += len;
                }
                output.write_all(&chunks)?;
                Ok(total)
            }
            Kind::Stdin(_) | Kind::Dir(_) => Err(Errno::Badf),
        }
    }
}
