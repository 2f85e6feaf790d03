//! Dispatch: how control passes from one op's handler to the next. One set of
//! op semantics (`crate::ops`), three builds chosen at build time (see
//! `build.rs` and [`Dispatch`]).

#[cfg(any(pulley_dispatch = "tail", pulley_dispatch = "become"))]
mod threaded;
#[cfg(any(pulley_dispatch = "tail", pulley_dispatch = "become"))]
pub(crate) use threaded::run;

#[cfg(pulley_dispatch = "loop")]
mod switch;
#[cfg(pulley_dispatch = "loop")]
pub(crate) use switch::run;

use crate::machine::{Done, Machine, stopped};

/// How the interpreter passes control between handlers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Dispatch {
    /// Each handler ends with `become` into the next through a table of
    /// `extern "rust-preserve-none"` functions (nightly `explicit_tail_calls`).
    Become,
    /// Each handler ends with a plain call to the next in tail position,
    /// which LLVM compiles to a jump on this target in optimized builds.
    Tail,
    /// A loop over a `match` on the opcode.
    Loop,
}

/// The dispatch mode of this build.
pub const DISPATCH: Dispatch = if cfg!(pulley_dispatch = "become") {
    Dispatch::Become
} else if cfg!(pulley_dispatch = "tail") {
    Dispatch::Tail
} else {
    Dispatch::Loop
};

/// Stops at bytes that are no op. Verified code never gets here; this keeps
/// the handler tables total.
#[cold]
fn invalid_op(mut m: Machine<'_>, op_start: *const u8) -> Done {
    let stop = m.trap(pulley_isa::TrapCode::Unreachable);
    stopped(stop, m.state, m.regs, op_start)
}

/// Counts an op in the profile.
macro_rules! profile_op {
    ($m:ident, $index:expr) => {
        #[cfg(feature = "profile")]
        $m.state.profile.record($index);
    };
}
pub(crate) use profile_op;
