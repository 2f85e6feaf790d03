//! Linear memories.

use alloc::vec::Vec;
use core::alloc::Layout;

use pulley_module::MemoryType;

use crate::store::{AsContext, AsContextMut, Moves, StoreId};
use crate::{Error, LimitError, Result, UsageError};

/// Bytes in a wasm page.
pub const PAGE_SIZE: u64 = 65_536;

/// A linear memory of a store.
///
/// # Panics
///
/// Its methods panic when given a store other than the one that owns the
/// memory: that is a programming error of the embedder (as in Wasmtime), not
/// something wasm can cause.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Memory {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// Zeroed bytes, or an error if they cannot be allocated.
///
/// The bytes come from the allocator's zeroed allocation (`calloc`), not
/// from writing zeros: a large allocation is then fresh pages that the host
/// zeroes on first touch, so a memory of hundreds of MiB costs nothing at
/// instantiation and only the pages that the program uses are ever resident.
pub(crate) fn zeroed(len: u64) -> Result<Vec<u8>> {
    let len = usize::try_from(len).map_err(|_| LimitError::MemoryAddressSpace)?;
    if len == 0 {
        return Ok(Vec::new());
    }
    let too_large = || Error::from(LimitError::MemoryAllocation { bytes: len });
    let layout = Layout::array::<u8>(len).map_err(|_| too_large())?;
    // SAFETY: `layout` has a non-zero size (`len > 0`).
    let pointer = unsafe { alloc::alloc::alloc_zeroed(layout) };
    if pointer.is_null() {
        return Err(too_large());
    }
    // SAFETY: `pointer` was allocated by the global allocator with the layout
    // of `len` bytes, which is the layout `Vec<u8>` frees with a capacity of
    // `len`; all `len` bytes are initialised (zero), and `len <= isize::MAX`
    // since `Layout::array` accepted it.
    Ok(unsafe { Vec::from_raw_parts(pointer, len, len) })
}

/// A linear memory's storage. Its bytes are reachable only as a slice:
/// [`grow`](Self::grow), the one way to resize (and so to move) them,
/// records the move.
pub(crate) struct MemoryEntry {
    bytes: Vec<u8>,
    pub(crate) ty: MemoryType,
    /// The most pages it may grow to.
    pub(crate) maximum: u64,
}

impl MemoryEntry {
    /// A memory of type `ty`, at most `limit` pages.
    pub(crate) fn new(ty: MemoryType, limit: u64) -> Result<MemoryEntry> {
        let maximum = ty.limits.max.unwrap_or(limit).min(limit);
        if ty.limits.min > maximum {
            return Err(LimitError::MemoryPages {
                pages: ty.limits.min,
                maximum,
            }
            .into());
        }
        Ok(MemoryEntry {
            bytes: zeroed(ty.limits.min * PAGE_SIZE)?,
            ty,
            maximum,
        })
    }

    /// Size in pages.
    pub(crate) fn pages(&self) -> u64 {
        self.bytes.len() as u64 / PAGE_SIZE
    }

    /// The bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, mutably (their length cannot change).
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }

    /// Grows by `delta` pages; returns the old size, or `None` if it cannot.
    pub(crate) fn grow(&mut self, delta: u64, moves: &mut Moves) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta).filter(|&new| new <= self.maximum)?;
        let additional = usize::try_from((new - old) * PAGE_SIZE).ok()?;
        self.bytes.try_reserve_exact(additional).ok()?;
        self.bytes.resize(self.bytes.len() + additional, 0);
        moves.record();
        Some(old)
    }
}

impl Memory {
    /// A new memory of type `ty` in the store.
    pub fn new<T>(mut store: impl AsContextMut<Data = T>, ty: MemoryType) -> Result<Memory> {
        let store = store.as_context_mut().0;
        let limit = store.inner.engine.config().memory_pages_limit();
        let index = store.inner.memories.push(MemoryEntry::new(ty, limit)?);
        Ok(Memory {
            store: store.inner.id,
            index,
        })
    }

    fn entry<'a, T: 'a>(&self, store: &'a crate::Store<T>) -> &'a MemoryEntry {
        assert_eq!(store.inner.id, self.store, "memory used with another store");
        &store.inner.memories[self.index]
    }

    /// The memory's type (with its current size as minimum).
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        let entry = self.entry(store.as_context().0);
        MemoryType {
            limits: pulley_module::Limits {
                min: entry.pages(),
                max: entry.ty.limits.max,
            },
        }
    }

    /// Current size in pages.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.entry(store.as_context().0).pages()
    }

    /// The memory's bytes.
    pub fn data<'a, C: AsContext + 'a>(&self, store: &'a C) -> &'a [u8] {
        self.entry(store.as_context().0).bytes()
    }

    /// The memory's bytes, mutably.
    pub fn data_mut<'a, T: 'a>(&self, store: &'a mut impl AsContextMut<Data = T>) -> &'a mut [u8] {
        let store = store.as_context_mut().0;
        assert_eq!(store.inner.id, self.store, "memory used with another store");
        store.inner.memories[self.index].bytes_mut()
    }

    /// Copies bytes at `offset` into `buffer`; fails if out of bounds.
    pub fn read(&self, store: impl AsContext, offset: usize, buffer: &mut [u8]) -> Result<()> {
        let bytes = self.entry(store.as_context().0).bytes();
        let source = offset
            .checked_add(buffer.len())
            .and_then(|end| bytes.get(offset..end))
            .ok_or(UsageError::MemoryOutOfBounds { access: "read" })?;
        buffer.copy_from_slice(source);
        Ok(())
    }

    /// Copies `data` to `offset`; fails if out of bounds.
    pub fn write<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        offset: usize,
        data: &[u8],
    ) -> Result<()> {
        let bytes = self.data_mut(&mut store);
        let target = offset
            .checked_add(data.len())
            .and_then(|end| bytes.get_mut(offset..end))
            .ok_or(UsageError::MemoryOutOfBounds { access: "write" })?;
        target.copy_from_slice(data);
        Ok(())
    }

    /// Grows by `delta` pages; returns the old size in pages.
    pub fn grow<T>(&self, mut store: impl AsContextMut<Data = T>, delta: u64) -> Result<u64> {
        let store = store.as_context_mut().0;
        store.inner.check(self.store)?;
        let inner = &mut store.inner;
        inner.memories[self.index]
            .grow(delta, &mut inner.moves)
            .ok_or_else(|| Error::from(LimitError::MemoryGrow { delta }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_bytes_are_zero_and_of_the_length_asked() {
        assert!(zeroed(0).unwrap().is_empty());
        // The last is beyond glibc's threshold for fresh pages (128 KiB).
        for len in [1, PAGE_SIZE, 64 * PAGE_SIZE] {
            let bytes = zeroed(len).unwrap();
            assert_eq!(bytes.len() as u64, len);
            assert!(bytes.iter().all(|&byte| byte == 0));
        }
    }

    #[test]
    fn allocations_that_cannot_be_made_are_errors() {
        // Beyond the address space on a 32-bit host, beyond any allocator
        // on a 64-bit one (the second is past `isize::MAX`).
        for len in [1 << 62, u64::MAX] {
            let error = zeroed(len).unwrap_err();
            assert!(matches!(error, Error::ResourceLimit(_)), "{len}: {error}");
        }
    }
}
