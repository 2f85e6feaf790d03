//! Call frames: entering, replacing and leaving register windows, for the
//! call and return ops (`crate::ops`), which decide *whom* to call; this
//! module does the pointer work.
//!
//! A frame's window starts right after its caller's (`next_frame`). Before
//! a window is used, the call checks that all of it fits below the end of
//! the register stack; every slot operand of verified code is below its
//! function's frame size, so slot accesses then stay inside the stack.

use pulley_isa::{FuncIndex, TrapCode};

use super::{Frame, Machine, RegList, Step, StopReason};
use crate::program::FunctionEntry;

/// A function of the running program, looked up in its function table.
/// Made only here, so its code and frame are the verified ones.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Callee(FunctionEntry);

impl Callee {
    /// Its parameter count.
    #[inline(always)]
    pub(crate) fn params(self) -> usize {
        self.0.params as usize
    }

    /// Its result count.
    #[inline(always)]
    pub(crate) fn results(self) -> usize {
        self.0.results as usize
    }
}

/// The address of slot `0` of the frame above the current one.
#[inline(always)]
fn next_frame(regs: *mut u64, frame_slots: usize) -> *mut u64 {
    regs.wrapping_add(frame_slots)
}

impl Machine<'_> {
    /// The function a `call` or `return_call` operand names.
    #[inline(always)]
    pub(crate) fn function(&self, func: FuncIndex) -> Callee {
        debug_assert!(func.index() < self.state.functions_len);
        // SAFETY: the operand comes from verified code, whose function
        // indices the verifier checked against the program's table.
        Callee(unsafe { *self.state.functions.add(func.index()) })
    }

    /// Counts `weight` units toward tiering function `func` up; false when
    /// its count ran out (it then starts again from
    /// [`HOT_RECHECK`](crate::program::HOT_RECHECK), so that a function whose
    /// optimized code is not ready yet asks again later).
    #[inline(always)]
    pub(crate) fn count_hot(&mut self, func: FuncIndex, weight: u32) -> bool {
        debug_assert!(func.index() < self.state.functions_len);
        // SAFETY: the operand comes from verified code, whose function
        // indices the verifier checked against the program's table. The
        // verifier accepts `hot_count` only in code installed into a lazy
        // program, whose activations use this interpreter's own copy of the
        // table (`Interpreter::entries_for`: cells no other thread reads or
        // writes), so this write races with nothing.
        unsafe {
            let entry = self.state.functions.add(func.index()).cast_mut();
            let left = (*entry).hotness;
            if left > weight {
                (*entry).hotness = left - weight;
                true
            } else {
                (*entry).hotness = crate::program::HOT_RECHECK;
                false
            }
        }
    }

    /// Function `index` of the program, if there is one (for indices that
    /// come from data, such as a function reference).
    #[inline(always)]
    pub(crate) fn function_checked(&self, index: usize) -> Option<Callee> {
        if index < self.state.functions_len {
            // SAFETY: in range of the program's function table.
            Some(Callee(unsafe { *self.state.functions.add(index) }))
        } else {
            None
        }
    }

    /// Enters `callee` with `args` from the current window; its `ret`
    /// writes `results` of this window and continues after them. Traps with
    /// `stack_overflow` if its window or frame record does not fit. `args`
    /// has exactly the callee's parameter count (as verified code and
    /// `local_callee` ensure).
    #[inline(always)]
    pub(crate) fn enter(&mut self, callee: Callee, args: RegList, results: RegList) -> Step {
        let info = callee.0;
        let frame_slots = info.frame_slots as usize;
        let new_regs = next_frame(self.regs, self.state.frame_slots);
        let room = (self.state.stack_end.addr() - new_regs.addr()) / core::mem::size_of::<u64>();
        let depth = self.state.frames.len();
        if room < frame_slots {
            return Err(self.trap(TrapCode::StackOverflow));
        }
        if depth >= self.state.frames_room {
            // Also at `frames_limit`: the interpreter then traps.
            return Err(self.stop(StopReason::GrowFrames));
        }
        // Every caller passes as many arguments as the callee has parameters
        // (the verifier checks `call`, `local_callee` checks `call_ref`), and
        // the verifier checked `params <= frame_slots`: no check on the call
        // path for what holds already.
        debug_assert!(args.len <= frame_slots);
        debug_assert!(depth < self.state.frames.capacity());
        // SAFETY: `depth < frames_room <= capacity`: the record fits without
        // reallocating, and `set_len` counts exactly the one written.
        unsafe {
            self.state.frames.as_mut_ptr().add(depth).write(Frame {
                results,
                caller_regs: self.regs,
                caller_frame_slots: self.state.frame_slots,
            });
            self.state.frames.set_len(depth + 1);
        }
        // The state is written before the arguments are copied: the copy
        // writes through pointers the compiler cannot tell apart from the
        // state's, and values kept across it would cost the handler
        // registers that it would have to save.
        self.state.frame_slots = frame_slots;
        self.pc = info.code;
        // SAFETY: `args.len <= params <= frame_slots <= room` (see above): the
        // new window is inside the stack, after the current one.
        unsafe { self.copy_out(args, new_regs) };
        self.regs = new_regs;
        Ok(())
    }

    /// Replaces the current frame with one for `callee` (a tail call).
    #[inline(always)]
    pub(crate) fn replace_frame(&mut self, callee: Callee, args: RegList) -> Step {
        let info = callee.0;
        let frame_slots = info.frame_slots as usize;
        // Arguments may name slots they are about to overwrite: stage them
        // above the current frame first.
        let scratch = next_frame(self.regs, self.state.frame_slots);
        let scratch_room =
            (self.state.stack_end.addr() - scratch.addr()) / core::mem::size_of::<u64>();
        let frame_room =
            (self.state.stack_end.addr() - self.regs.addr()) / core::mem::size_of::<u64>();
        if scratch_room < args.len || frame_room < frame_slots {
            return Err(self.trap(TrapCode::StackOverflow));
        }
        // SAFETY: `args.len` slots fit above the current frame, so they fit
        // at `regs` too (`frame_room > scratch_room`). `copy` allows the
        // ranges to overlap.
        unsafe {
            self.copy_out(args, scratch);
            core::ptr::copy(scratch, self.regs, args.len);
        }
        self.state.frame_slots = frame_slots;
        self.pc = info.code;
        Ok(())
    }

    /// Whether the current frame is the activation's first, whose `ret`
    /// returns to the embedder.
    #[inline(always)]
    pub(crate) fn in_entry_frame(&self) -> bool {
        self.state.frames.len() <= self.state.frame_floor
    }

    /// Pops the current frame if it returns at most one value: copies it
    /// into the caller's result slot and continues after the call op. More
    /// values stop with [`StopReason::ReturnValues`] (the interpreter copies
    /// them), and so does a frame without a caller (which `in_entry_frame`
    /// rules out) with a trap.
    #[inline(always)]
    pub(crate) fn return_to_caller(&mut self, values: RegList) -> Step {
        let depth = self.state.frames.len();
        let Some(&frame) = self.state.frames.last() else {
            return Err(self.trap(TrapCode::Unreachable));
        };
        let count = values.len.min(frame.results.len);
        if count > 1 {
            return Err(self.stop_for_return(StopReason::ReturnValues, values));
        }
        self.state.frames.truncate(depth - 1);
        if count == 1 {
            // SAFETY: both lists have an entry 0; the results list was
            // verified against the caller's frame, which `caller_regs`
            // points to.
            unsafe {
                let value = self.u64(values.get(0));
                frame.caller_regs.add(frame.results.get(0).0).write(value);
            }
        }
        self.regs = frame.caller_regs;
        self.state.frame_slots = frame.caller_frame_slots;
        self.pc = frame.results.end();
        Ok(())
    }
}
