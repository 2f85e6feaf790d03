//! The register stack, and the windows in it that the embedder-facing
//! interpreter (`crate::interpreter`) reads and writes between runs: an
//! activation's arguments, a suspended frame's host-call operands and
//! results, a caller's result slots.
//!
//! A [`Window`] is made only by [`RegisterStack::window`], which checks that
//! it lies inside the stack, and each access is checked against the
//! window's size; so this module's API is safe, and these are the only
//! accesses to the stack outside the handlers' (`Machine`'s).

use alloc::boxed::Box;
use alloc::vec;
use core::ptr::NonNull;

/// The register stack: one allocation of zeroed slots, freed on drop.
pub(crate) struct RegisterStack {
    base: NonNull<u64>,
    len: usize,
}

// SAFETY: the stack is a heap allocation owned by this value alone.
unsafe impl Send for RegisterStack {}

impl RegisterStack {
    /// A stack of `len` slots (at least one).
    pub(crate) fn new(len: usize) -> Self {
        let slots: Box<[u64]> = vec![0u64; len.max(1)].into_boxed_slice();
        let len = slots.len();
        let base =
            NonNull::new(Box::into_raw(slots).cast::<u64>()).expect("Box::into_raw is never null");
        RegisterStack { base, len }
    }

    /// Slot 0.
    pub(crate) fn base(&self) -> *mut u64 {
        self.base.as_ptr()
    }

    /// One past the last slot.
    pub(crate) fn end(&self) -> *mut u64 {
        self.base.as_ptr().wrapping_add(self.len)
    }

    /// The window of `slots` slots from `regs`, if `regs` is a slot of this
    /// stack (or its end) and all of them fit before the end.
    pub(crate) fn window(&self, regs: *mut u64, slots: usize) -> Option<Window> {
        let offset = regs.addr().checked_sub(self.base.as_ptr().addr())?;
        let size = core::mem::size_of::<u64>();
        let first = offset / size;
        let fits = offset % size == 0 && first <= self.len && self.len - first >= slots;
        fits.then_some(Window { regs, slots })
    }
}

impl Drop for RegisterStack {
    fn drop(&mut self) {
        let slice = core::ptr::slice_from_raw_parts_mut(self.base.as_ptr(), self.len);
        // SAFETY: `base` and `len` came from `Box::into_raw` of a boxed slice
        // of this length, and are dropped once.
        drop(unsafe { Box::from_raw(slice) });
    }
}

/// `slots` consecutive slots of a [`RegisterStack`], all inside it. Valid
/// while the stack lives: windows are kept only by the interpreter that owns
/// the stack.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Window {
    regs: *mut u64,
    slots: usize,
}

// SAFETY: a window points into a stack owned by the same interpreter, and
// moves between threads with it.
unsafe impl Send for Window {}

impl Window {
    /// Its first slot.
    pub(crate) fn regs(self) -> *mut u64 {
        self.regs
    }

    /// Its size in slots.
    pub(crate) fn slots(self) -> usize {
        self.slots
    }

    /// The slot right after it, where a window above it starts.
    pub(crate) fn end(self) -> *mut u64 {
        self.regs.wrapping_add(self.slots)
    }

    /// The value in `slot`. Panics unless `slot` is inside the window.
    pub(crate) fn read(self, slot: usize) -> u64 {
        assert!(
            slot < self.slots,
            "slot {slot} outside a {}-slot window",
            self.slots
        );
        // SAFETY: `slot` is inside the window, which lies inside the stack
        // (`RegisterStack::window`), whose slots are initialized.
        unsafe { self.regs.add(slot).read() }
    }

    /// Sets `slot`. Panics unless `slot` is inside the window.
    pub(crate) fn write(self, slot: usize, value: u64) {
        assert!(
            slot < self.slots,
            "slot {slot} outside a {}-slot window",
            self.slots
        );
        // SAFETY: as in `read`.
        unsafe { self.regs.add(slot).write(value) }
    }

    /// Sets slots `0..values.len()`. Panics unless they are inside the
    /// window.
    pub(crate) fn write_all(self, values: &[u64]) {
        for (slot, &value) in values.iter().enumerate() {
            self.write(slot, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_lie_inside_the_stack() {
        let stack = RegisterStack::new(8);
        let base = stack.base();
        assert!(stack.window(base, 8).is_some());
        assert!(stack.window(base, 9).is_none());
        assert!(stack.window(base.wrapping_add(6), 2).is_some());
        assert!(stack.window(base.wrapping_add(6), 3).is_none());
        assert!(stack.window(stack.end(), 0).is_some());
        assert!(stack.window(stack.end().wrapping_add(1), 0).is_none());
        assert!(stack.window(base.wrapping_sub(1), 1).is_none());
        // Not on a slot boundary.
        let misaligned = base.cast::<u8>().wrapping_add(4).cast::<u64>();
        assert!(stack.window(misaligned, 1).is_none());
    }

    #[test]
    fn accesses_stay_inside_the_window() {
        extern crate std;
        let stack = RegisterStack::new(4);
        let window = stack.window(stack.base().wrapping_add(1), 2).unwrap();
        window.write_all(&[5, 6]);
        assert_eq!((window.read(0), window.read(1)), (5, 6));
        assert_eq!(stack.window(stack.base(), 4).unwrap().read(2), 6);
        let outside = std::panic::catch_unwind(|| window.read(2));
        assert!(outside.is_err());
    }
}
