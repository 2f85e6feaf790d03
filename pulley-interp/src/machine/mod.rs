//! The machine state handlers work on, and the unsafe primitives they use:
//! slot access, unchecked operand decoding and linear-memory addressing.
//!
//! Everything unsafe that handlers need is here, behind small `#[inline]`
//! functions whose safety rests on two facts:
//!
//! * the code was accepted by the verifier (`crate::verify`): every op decodes,
//!   every slot operand is below the frame size, every branch lands on an op
//!   of the same function, every function ends in a terminator;
//! * every call checked, before entering a function, that its whole frame fits
//!   in the register stack.

use pulley_isa::operands::Immediate;
use pulley_isa::{Slot, TrapCode};

use crate::environment::Environment;
use crate::program::FunctionEntry;

mod calls;
mod stack;
mod stop;

pub(crate) use calls::Callee;
pub(crate) use stack::{RegisterStack, Window};
pub(crate) use stop::{Done, Step, Stop, StopReason, stopped};

/// A slot index of the current frame, as decoded from an operand.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Reg(pub(crate) usize);

/// A list of slots inside the code (a `DstList` or `SrcList` operand).
#[derive(Copy, Clone, Debug)]
pub(crate) struct RegList {
    /// The first entry (two bytes each).
    pub(crate) entries: *const u8,
    pub(crate) len: usize,
}

impl RegList {
    /// No slots.
    pub(crate) const EMPTY: RegList = RegList {
        entries: core::ptr::null(),
        len: 0,
    };

    /// The `i`th slot.
    ///
    /// # Safety
    /// `i < self.len`, and the list lies in verified code.
    #[inline(always)]
    pub(crate) unsafe fn get(self, i: usize) -> Reg {
        // SAFETY: the caller guarantees entry `i` is inside the list.
        let bytes = unsafe { self.entries.add(2 * i).cast::<[u8; 2]>().read_unaligned() };
        Reg(usize::from(u16::from_le_bytes(bytes)))
    }

    /// Decodes a list (count, then entries) at `at`.
    ///
    /// # Safety
    /// `at` points at a slot list operand of verified code.
    #[inline(always)]
    pub(crate) unsafe fn at(at: *const u8) -> RegList {
        // SAFETY: the caller guarantees a whole list operand at `at`.
        unsafe {
            let len = usize::from(u16::from_le_bytes(at.cast::<[u8; 2]>().read_unaligned()));
            RegList {
                entries: at.add(2),
                len,
            }
        }
    }

    /// The first byte after the list.
    #[inline(always)]
    pub(crate) fn end(self) -> *const u8 {
        self.entries.wrapping_add(2 * self.len)
    }
}

/// A `br_table` jump table inside the code.
#[derive(Copy, Clone, Debug)]
pub(crate) struct JumpTable {
    /// The first offset (four bytes each).
    pub(crate) entries: *const u8,
    pub(crate) len: usize,
    /// The `br_table` op's first byte, which offsets are relative to.
    pub(crate) base: *const u8,
}

impl JumpTable {
    /// The target of entry `min(index, len - 1)`.
    #[inline(always)]
    pub(crate) fn target(self, index: u32) -> *const u8 {
        let last = self.len - 1;
        let i = (index as usize).min(last);
        // SAFETY: `i < len`, so the entry is inside the verified table, and the
        // verifier checked that every entry lands on an op of this function.
        unsafe {
            let offset =
                i32::from_le_bytes(self.entries.add(4 * i).cast::<[u8; 4]>().read_unaligned());
            self.base.offset(offset as isize)
        }
    }
}

/// Reads operands of verified code, advancing a cursor.
pub(crate) struct OperandReader {
    pub(crate) cursor: *const u8,
    /// First byte of the op being decoded (branch offsets are relative to it).
    pub(crate) start: *const u8,
}

impl OperandReader {
    /// # Safety (all methods)
    /// The cursor points at an operand of the kind read, in verified code.
    #[inline(always)]
    pub(crate) unsafe fn slot8(&mut self) -> Reg {
        // SAFETY: see above.
        unsafe {
            let byte = self.cursor.read();
            self.cursor = self.cursor.add(1);
            Reg(usize::from(byte))
        }
    }

    #[inline(always)]
    pub(crate) unsafe fn slot16(&mut self) -> Reg {
        // SAFETY: see `slot8`.
        unsafe {
            let bytes = self.cursor.cast::<[u8; 2]>().read_unaligned();
            self.cursor = self.cursor.add(2);
            Reg(usize::from(u16::from_le_bytes(bytes)))
        }
    }

    #[inline(always)]
    pub(crate) unsafe fn list(&mut self) -> RegList {
        // SAFETY: see `slot8`.
        let list = unsafe { RegList::at(self.cursor) };
        self.cursor = list.end();
        list
    }

    #[inline(always)]
    pub(crate) unsafe fn target(&mut self) -> *const u8 {
        // SAFETY: see `slot8`; the verifier checked that the target is an op
        // start inside the same function.
        unsafe {
            let offset = i32::from_le_bytes(self.cursor.cast::<[u8; 4]>().read_unaligned());
            self.cursor = self.cursor.add(4);
            self.start.offset(offset as isize)
        }
    }

    #[inline(always)]
    pub(crate) unsafe fn jump_table(&mut self) -> JumpTable {
        // SAFETY: see `slot8`; decoding checked the count is at least one.
        unsafe {
            let len = u32::from_le_bytes(self.cursor.cast::<[u8; 4]>().read_unaligned()) as usize;
            let entries = self.cursor.add(4);
            self.cursor = entries.add(4 * len);
            JumpTable {
                entries,
                len,
                base: self.start,
            }
        }
    }

    #[inline(always)]
    pub(crate) unsafe fn immediate<T: Immediate>(&mut self) -> T {
        // SAFETY: see `slot8`.
        unsafe {
            let value = T::read_unchecked(self.cursor);
            self.cursor = self.cursor.add(T::SIZE);
            value
        }
    }
}

/// Decodes one operand of a table kind with an [`OperandReader`].
macro_rules! read_operand {
    ($r:ident, Dst) => {
        $r.slot8()
    };
    ($r:ident, Src) => {
        $r.slot8()
    };
    ($r:ident, DstWide) => {
        $r.slot16()
    };
    ($r:ident, SrcWide) => {
        $r.slot16()
    };
    ($r:ident, DstList) => {
        $r.list()
    };
    ($r:ident, SrcList) => {
        $r.list()
    };
    ($r:ident, Target) => {
        $r.target()
    };
    ($r:ident, JumpTable) => {
        $r.jump_table()
    };
    ($r:ident, $immediate:ident) => {
        $r.immediate::<pulley_isa::operands::$immediate>()
    };
}
pub(crate) use read_operand;

/// A call frame record: where to return, and the caller's window.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Frame {
    /// The `results` list of the call op that made this frame. The return
    /// continues right after it.
    pub(crate) results: RegList,
    pub(crate) caller_regs: *mut u64,
    pub(crate) caller_frame_slots: usize,
}

impl Frame {
    /// The caller's slots that receive the results, in order.
    pub(crate) fn result_slots(&self) -> impl Iterator<Item = usize> {
        let results = self.results;
        // SAFETY: `i < len`, and the list was made from verified code.
        (0..results.len).map(move |i| unsafe { results.get(i).0 })
    }
}

/// Everything the handlers need beyond the values pinned in their arguments.
pub(crate) struct State {
    /// The current program's function table: where each function's
    /// verified code starts (or its `first_call` entry) and its frame.
    pub(crate) functions: *const FunctionEntry,
    pub(crate) functions_len: usize,
    /// The current activation's environment.
    pub(crate) env: *const Environment,
    /// One past the last slot of the register stack.
    pub(crate) stack_end: *mut u64,
    /// Size of the current frame.
    pub(crate) frame_slots: usize,
    /// Call frames of all activations; never grows beyond `frames_limit`.
    pub(crate) frames: alloc::vec::Vec<Frame>,
    pub(crate) frames_limit: usize,
    /// How many frames fit in `frames` without reallocating, at most
    /// `frames_limit`: a call pushes below it and stops with
    /// [`StopReason::GrowFrames`] at it (`Interpreter::grow_frames`).
    pub(crate) frames_room: usize,
    /// `frames.len()` when the current activation started: a `ret` at this
    /// depth returns to the embedder.
    pub(crate) frame_floor: usize,
    pub(crate) fuel: u64,
    /// Set together with `Stop`.
    pub(crate) stop: StopReason,
    /// The first byte of the op that stopped, and the window it ran in.
    pub(crate) stop_pc: *const u8,
    pub(crate) stop_regs: *mut u64,
    /// For a stop at a call of the embedder's (an import, a builtin, a
    /// function of another instance): the op's argument slots, and its result
    /// slots (`None` for a tail call, which returns them instead).
    pub(crate) stop_call: Option<(RegList, Option<RegList>)>,
    /// For a stop at a `ret` (`Returned`, `ReturnValues`): its values,
    /// slots of the stopped window.
    pub(crate) stop_values: RegList,
    /// Values returned to the embedder.
    pub(crate) results: alloc::vec::Vec<u64>,
    #[cfg(feature = "profile")]
    pub(crate) profile: crate::profile::Profile,
}

// SAFETY: the state's pointers point into the register stack and the
// program of the interpreter that owns it, and into environments the
// embedder keeps valid while a call runs (`EnvironmentRef::new`); the
// state moves between threads only with that interpreter.
unsafe impl Send for State {}

/// The handler view of the machine: the hot values (which tail-call dispatch
/// keeps in registers) plus the rest of the state.
pub(crate) struct Machine<'s> {
    /// The next op to execute. Handlers set it past the current op before its
    /// semantics run; branches and calls overwrite it.
    pub(crate) pc: *const u8,
    /// Slot 0 of the current frame.
    pub(crate) regs: *mut u64,
    /// Memory 0.
    pub(crate) memory_base: *mut u8,
    pub(crate) memory_len: usize,
    pub(crate) state: &'s mut State,
}

/// Where the low 32 bits of a slot are, in `u32` units.
const LOW_HALF: usize = if cfg!(target_endian = "big") { 1 } else { 0 };

impl Machine<'_> {
    #[inline(always)]
    fn slot(&self, reg: Reg) -> *mut u64 {
        // SAFETY: the verifier checked `reg` against the frame size, and the
        // frame was checked to fit the stack on entry.
        unsafe { self.regs.add(reg.0) }
    }

    #[inline(always)]
    pub(crate) fn u64(&self, reg: Reg) -> u64 {
        // SAFETY: `slot` is in the frame; the stack is initialized memory.
        unsafe { self.slot(reg).read() }
    }

    #[inline(always)]
    pub(crate) fn u32(&self, reg: Reg) -> u32 {
        self.u64(reg) as u32
    }

    #[inline(always)]
    pub(crate) fn i32(&self, reg: Reg) -> i32 {
        self.u32(reg) as i32
    }

    #[inline(always)]
    pub(crate) fn i64(&self, reg: Reg) -> i64 {
        self.u64(reg) as i64
    }

    #[inline(always)]
    pub(crate) fn f32(&self, reg: Reg) -> f32 {
        f32::from_bits(self.u32(reg))
    }

    #[inline(always)]
    pub(crate) fn f64(&self, reg: Reg) -> f64 {
        f64::from_bits(self.u64(reg))
    }

    #[inline(always)]
    pub(crate) fn set_u64(&mut self, reg: Reg, value: u64) {
        // SAFETY: `slot` is in the frame.
        unsafe { self.slot(reg).write(value) }
    }

    /// Writes the low 32 bits of a slot. On 64-bit hosts the whole slot is
    /// written (avoiding a partial-store-then-wide-load stall); on 32-bit hosts
    /// only the low half, which is one store instead of two.
    #[inline(always)]
    pub(crate) fn set_u32(&mut self, reg: Reg, value: u32) {
        if cfg!(target_pointer_width = "64") {
            self.set_u64(reg, u64::from(value));
        } else {
            // SAFETY: `slot` is in the frame and 8-byte aligned; its low half
            // is at `LOW_HALF`.
            unsafe { self.slot(reg).cast::<u32>().add(LOW_HALF).write(value) }
        }
    }

    #[inline(always)]
    pub(crate) fn set_i32(&mut self, reg: Reg, value: i32) {
        self.set_u32(reg, value as u32)
    }

    #[inline(always)]
    pub(crate) fn set_i64(&mut self, reg: Reg, value: i64) {
        self.set_u64(reg, value as u64)
    }

    #[inline(always)]
    pub(crate) fn set_f32(&mut self, reg: Reg, value: f32) {
        self.set_u32(reg, value.to_bits())
    }

    #[inline(always)]
    pub(crate) fn set_f64(&mut self, reg: Reg, value: f64) {
        self.set_u64(reg, value.to_bits())
    }

    /// The host address of `SIZE` bytes of memory 0 at wasm address
    /// `address` plus `offset` (summed in 64 bits, as wasm does), or a
    /// `memory_out_of_bounds` trap.
    #[inline(always)]
    pub(crate) fn memory_address<const SIZE: usize>(
        &mut self,
        address: u32,
        offset: u32,
    ) -> Result<*mut u8, Stop> {
        let index = u64::from(address) + u64::from(offset);
        if index + SIZE as u64 > self.memory_len as u64 {
            return Err(self.trap(TrapCode::MemoryOutOfBounds));
        }
        // SAFETY: `index + SIZE <= memory_len`, and the embedder guarantees
        // `memory_len` bytes at `memory_base` (see `Environment::set_memory`).
        Ok(unsafe { self.memory_base.add(index as usize) })
    }

    /// The host address of the range `[start, start + len)` of memory 0, or a
    /// `memory_out_of_bounds` trap.
    #[inline(always)]
    fn memory_range(&mut self, start: u32, len: u32) -> Result<*mut u8, Stop> {
        if u64::from(start) + u64::from(len) > self.memory_len as u64 {
            return Err(self.trap(TrapCode::MemoryOutOfBounds));
        }
        // SAFETY: the range is inside memory 0 (see `memory_address`).
        Ok(unsafe { self.memory_base.add(start as usize) })
    }

    /// Loads `N` little-endian bytes of memory 0 at `address + offset`.
    #[inline(always)]
    pub(crate) fn load<const N: usize>(
        &mut self,
        address: u32,
        offset: u32,
    ) -> Result<[u8; N], Stop> {
        let at = self.memory_address::<N>(address, offset)?;
        // SAFETY: `memory_address` checked `N` bytes at `at`; wasm memory has
        // no alignment guarantee, hence the unaligned read.
        Ok(unsafe { at.cast::<[u8; N]>().read_unaligned() })
    }

    /// Stores `N` bytes into memory 0 at `address + offset`.
    #[inline(always)]
    pub(crate) fn store<const N: usize>(
        &mut self,
        address: u32,
        offset: u32,
        bytes: [u8; N],
    ) -> Step {
        let at = self.memory_address::<N>(address, offset)?;
        // SAFETY: as in `load`.
        unsafe { at.cast::<[u8; N]>().write_unaligned(bytes) };
        Ok(())
    }

    /// Copies `len` bytes of memory 0 from `source` to `destination`
    /// (the ranges may overlap), or traps without writing if either range
    /// is out of bounds.
    #[inline(always)]
    pub(crate) fn copy_memory(&mut self, destination: u32, source: u32, len: u32) -> Step {
        let from = self.memory_range(source, len)?;
        let to = self.memory_range(destination, len)?;
        // SAFETY: both ranges were checked to lie inside memory 0; `copy`
        // allows them to overlap.
        unsafe { core::ptr::copy(from, to, len as usize) };
        Ok(())
    }

    /// Sets `len` bytes of memory 0 at `start` to `byte`, or traps without
    /// writing if the range is out of bounds.
    #[inline(always)]
    pub(crate) fn fill_memory(&mut self, start: u32, byte: u8, len: u32) -> Step {
        let to = self.memory_range(start, len)?;
        // SAFETY: the range was checked to lie inside memory 0.
        unsafe { core::ptr::write_bytes(to, byte, len as usize) };
        Ok(())
    }

    /// The current environment.
    #[inline(always)]
    pub(crate) fn env(&self) -> &Environment {
        // SAFETY: the embedder keeps the environment alive and unaliased by
        // writes while its activation runs (see `EnvironmentRef::new`).
        unsafe { &*self.state.env }
    }

    /// Copies slots of the current window into another window.
    ///
    /// # Safety
    /// Every destination `dst_regs + i` for `i < sources.len` is inside the
    /// register stack and does not overlap the current frame.
    #[inline(always)]
    unsafe fn copy_out(&self, sources: RegList, dst_regs: *mut u64) {
        for i in 0..sources.len {
            // SAFETY: `i < len`; the source is a verified slot of this frame,
            // the destination is valid by the caller's guarantee.
            unsafe { dst_regs.add(i).write(self.u64(sources.get(i))) };
        }
    }
}

impl From<Slot> for Reg {
    fn from(slot: Slot) -> Reg {
        Reg(slot.index())
    }
}
