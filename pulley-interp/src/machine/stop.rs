//! Stopping: the only way out of the handlers.
//!
//! A handler stops by returning `Err(Stop)`, and a threaded handler ends
//! the chain of tail calls by returning [`Done`]. Neither can be forged:
//! [`Stop`] is made only by [`Machine::trap`] and [`Machine::stop`], which
//! record the reason first, and [`Done`] only by [`stopped`], which takes a
//! `Stop` and records where execution stopped. So whenever the dispatcher
//! returns to `Interpreter`, `State::stop`, `stop_pc` and `stop_regs`
//! describe the stop.

use pulley_isa::TrapCode;

use super::{Machine, RegList, State};

/// Why the handlers stopped.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// The activation's entry function returned; its results are in
    /// `State::results`.
    Returned,
    /// A trap.
    Trap(TrapCode),
    /// `call_import`.
    HostCall(u32),
    /// `call_builtin`.
    Builtin(u32),
    /// `call_ref` or `return_call_ref` to a function outside this instance.
    ExternalCall(u64),
    /// `consume_fuel` with too little fuel left.
    OutOfFuel,
    /// `first_call`: a function of a lazy program runs for the first time.
    FirstCall(u32),
    /// `hot_count`: a function's count toward tiering up ran out.
    Hot(u32),
    /// `hot_loop`: the same, at the header of the loop at wasm offset
    /// `header`.
    HotLoop { func: u32, header: u32 },
    /// A call found the frame records full below `State::frames_limit`:
    /// the interpreter makes room and runs the call op again. (So that no
    /// handler allocates: an allocation is a call, and a call in a handler
    /// costs every run of it the registers it saves.)
    GrowFrames,
    /// A `ret` of more than one value to a caller, whose values are
    /// `State::stop_values`: the interpreter copies them and continues in
    /// the caller (so that `ret` needs no loop, whose registers every return
    /// would save).
    ReturnValues,
}

/// Proof that a handler recorded why execution stops (in `State::stop`).
/// Its field is private to this module.
#[derive(Debug)]
pub(crate) struct Stop(());

/// What an op's semantics return: continue at `Machine::pc`, or stop.
pub(crate) type Step = Result<(), Stop>;

/// What threaded handlers return when execution stops: proof that the stop
/// was recorded with its position. Its field is private to this module.
pub(crate) struct Done(());

impl Machine<'_> {
    /// Records a trap and stops.
    #[inline(always)]
    pub(crate) fn trap(&mut self, code: TrapCode) -> Stop {
        self.stop(StopReason::Trap(code))
    }

    /// Stops for the embedder.
    #[inline(always)]
    pub(crate) fn stop(&mut self, reason: StopReason) -> Stop {
        self.state.stop = reason;
        Stop(())
    }

    /// Stops at a `ret` whose `values` (slots of this frame) the
    /// interpreter returns: `Returned` or `ReturnValues`.
    #[inline(always)]
    pub(crate) fn stop_for_return(&mut self, reason: StopReason, values: RegList) -> Stop {
        self.state.stop_values = values;
        self.stop(reason)
    }

    /// Stops for the embedder to perform a call of the current op, with
    /// `args` and, unless it is a tail call, `results` slots of this frame.
    #[inline(always)]
    pub(crate) fn stop_for_call(
        &mut self,
        reason: StopReason,
        args: RegList,
        results: Option<RegList>,
    ) -> Stop {
        self.state.stop_call = Some((args, results));
        self.stop(reason)
    }
}

/// Records where execution stopped: the first byte of the stopping op and
/// the window it ran in. Takes only what it records, each in a register
/// (not the `Machine`, which would go through the handler's stack): a
/// handler's stop is then a jump, and a handler that can stop needs no
/// stack frame of its own for it.
#[cold]
#[inline(never)]
pub(crate) fn stopped(_stop: Stop, state: &mut State, regs: *mut u64, op_start: *const u8) -> Done {
    state.stop_pc = op_start;
    state.stop_regs = regs;
    Done(())
}
