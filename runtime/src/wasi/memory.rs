//! Bounds-checked access to the guest's linear memory.
//!
//! Every pointer and length a WASI function receives comes from the guest
//! and may be anything. All access goes through [`GuestMemory`], whose
//! methods check `pointer + length <= memory size` with checked arithmetic
//! and answer [`Errno::Fault`] instead of panicking. Pointers need no
//! particular alignment: wasm memory is byte-addressed and read here byte by
//! byte.

use core::ops::Range;
use std::vec::Vec;

use super::errno::Errno;

/// The guest's memory during one WASI call.
pub(crate) struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// A string in guest memory (a path or a link target), not yet read: the
/// functions taking one look up their descriptors first, so a bad
/// descriptor is reported before a bad string.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct GuestStr {
    pub(crate) ptr: u32,
    pub(crate) len: u32,
}

/// One `iovec`/`ciovec`: a guest buffer, already checked to be in bounds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct IoVec {
    pub(crate) ptr: u32,
    pub(crate) len: u32,
}

impl<'a> GuestMemory<'a> {
    /// Wraps the memory's bytes (empty when the module exports no memory:
    /// then every access is a fault).
    pub(crate) fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    /// The host range of guest bytes `ptr..ptr + len`, if in bounds. An
    /// empty range is in bounds wherever it is: nothing is accessed.
    fn range(&self, ptr: u32, len: usize) -> Result<Range<usize>, Errno> {
        if len == 0 {
            return Ok(0..0);
        }
        let start = usize::try_from(ptr).map_err(|_| Errno::Fault)?;
        let end = start.checked_add(len).ok_or(Errno::Fault)?;
        if end <= self.bytes.len() {
            Ok(start..end)
        } else {
            Err(Errno::Fault)
        }
    }

    /// The guest bytes `ptr..ptr + len`.
    pub(crate) fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let len = usize::try_from(len).map_err(|_| Errno::Fault)?;
        let range = self.range(ptr, len)?;
        Ok(&self.bytes[range])
    }

    /// The guest bytes `ptr..ptr + len`, mutably.
    pub(crate) fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let len = usize::try_from(len).map_err(|_| Errno::Fault)?;
        let range = self.range(ptr, len)?;
        Ok(&mut self.bytes[range])
    }

    /// Checks that `count` elements of `size` bytes fit at `ptr`.
    pub(crate) fn check_array(&self, ptr: u32, count: u32, size: u32) -> Result<(), Errno> {
        let len = count.checked_mul(size).ok_or(Errno::Fault)?;
        self.slice(ptr, len).map(|_| ())
    }

    /// Copies `N` bytes from `ptr`.
    fn read_array<const N: usize>(&self, ptr: u32) -> Result<[u8; N], Errno> {
        let range = self.range(ptr, N)?;
        let mut out = [0; N];
        out.copy_from_slice(&self.bytes[range]);
        Ok(out)
    }

    /// Reads a little-endian `u32` at `ptr`.
    pub(crate) fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        self.read_array(ptr).map(u32::from_le_bytes)
    }

    /// Copies `bytes` to `ptr`.
    pub(crate) fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<(), Errno> {
        let range = self.range(ptr, bytes.len())?;
        self.bytes[range].copy_from_slice(bytes);
        Ok(())
    }

    /// Writes a little-endian `u32` at `ptr`.
    pub(crate) fn write_u32(&mut self, ptr: u32, value: u32) -> Result<(), Errno> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// Writes a little-endian `u64` at `ptr`.
    pub(crate) fn write_u64(&mut self, ptr: u32, value: u64) -> Result<(), Errno> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// Reads an array of `count` `iovec`s (8 bytes each: pointer, length)
    /// at `ptr`, checking that the array and every buffer it names are in
    /// bounds, so that later access to them cannot fail.
    pub(crate) fn iovecs(&self, ptr: u32, count: u32) -> Result<Vec<IoVec>, Errno> {
        self.check_array(ptr, count, 8)?;
        // The array is in bounds, so `count` is at most a memory's worth.
        let mut iovecs = Vec::with_capacity(count as usize);
        for i in 0..count {
            // In bounds and without overflow: checked above.
            let at = ptr + i * 8;
            let iovec = IoVec {
                ptr: self.read_u32(at)?,
                len: self.read_u32(at + 4)?,
            };
            self.slice(iovec.ptr, iovec.len)?;
            iovecs.push(iovec);
        }
        Ok(iovecs)
    }

    /// The UTF-8 string `s`: out of bounds is `EFAULT`, invalid UTF-8
    /// `EILSEQ`.
    pub(crate) fn str(&self, s: GuestStr) -> Result<&str, Errno> {
        core::str::from_utf8(self.slice(s.ptr, s.len)?).map_err(|_| Errno::Ilseq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        let mut bytes = [0u8; 16];
        let mut memory = GuestMemory::new(&mut bytes);
        assert!(memory.slice(0, 16).is_ok());
        assert!(memory.slice(16, 0).is_ok());
        assert_eq!(memory.slice(16, 1), Err(Errno::Fault));
        assert_eq!(memory.slice(u32::MAX, 0), Ok(&[][..]));
        assert_eq!(memory.slice(u32::MAX, u32::MAX), Err(Errno::Fault));
        assert_eq!(memory.read_u32(13), Err(Errno::Fault));
        assert_eq!(memory.write_u64(9, 1), Err(Errno::Fault));
        assert!(memory.write_u64(8, 0x0102).is_ok());
        assert_eq!(memory.read_u32(8), Ok(0x0102));
        assert_eq!(memory.check_array(0, u32::MAX, 8), Err(Errno::Fault));
    }

    #[test]
    fn iovecs_are_checked() {
        let mut bytes = [0u8; 32];
        bytes[0..4].copy_from_slice(&16u32.to_le_bytes());
        bytes[4..8].copy_from_slice(&16u32.to_le_bytes());
        let memory = GuestMemory::new(&mut bytes);
        assert_eq!(
            memory.iovecs(0, 1),
            Ok(std::vec![IoVec { ptr: 16, len: 16 }])
        );
        let mut bytes = [0u8; 32];
        bytes[0..4].copy_from_slice(&16u32.to_le_bytes());
        bytes[4..8].copy_from_slice(&17u32.to_le_bytes());
        let memory = GuestMemory::new(&mut bytes);
        assert_eq!(memory.iovecs(0, 1), Err(Errno::Fault));
        assert_eq!(memory.iovecs(0, 0x2000_0000), Err(Errno::Fault));
    }

    #[test]
    fn strings() {
        let mut bytes = *b"ok\xff";
        let memory = GuestMemory::new(&mut bytes);
        let s = |ptr, len| GuestStr { ptr, len };
        assert_eq!(memory.str(s(0, 2)), Ok("ok"));
        assert_eq!(memory.str(s(0, 3)), Err(Errno::Ilseq));
        assert_eq!(memory.str(s(2, 2)), Err(Errno::Fault));
    }
}
