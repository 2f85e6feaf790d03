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

use super::{Machine, RegList};

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
/// the window it ran in.
#[cold]
#[inline(never)]
pub(crate) fn stopped(_stop: Stop, m: Machine<'_>, op_start: *const u8) -> Done {
    m.state.stop_pc = op_start;
    m.state.stop_regs = m.regs;
    Done(())
}
