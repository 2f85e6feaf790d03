//! `random_get`: bytes from the host's cryptographically secure generator.

use super::errno::Errno;
use super::memory::GuestMemory;

/// `random_get`: fills `len` bytes at `buf` (`EFAULT` if out of bounds,
/// `EIO` if the host generator fails).
pub(crate) fn random_get(memory: &mut GuestMemory<'_>, buf: u32, len: u32) -> Result<(), Errno> {
    let bytes = memory.slice_mut(buf, len)?;
    getrandom::fill(bytes).map_err(|_| Errno::Io)
}
