//! Threaded dispatch: every op has its own handler function, which decodes
//! the op, runs its semantics and transfers to the next op's handler through
//! a table, in tail position. The hot state travels in the handlers'
//! arguments so it stays in registers.
//!
//! With `pulley_dispatch = "become"` the transfer is a guaranteed tail call
//! (`become`) between `extern "rust-preserve-none"` functions; with
//! `pulley_dispatch = "tail"` it is a plain call that LLVM turns into a jump.
//! The torture test (tests/torture.rs) fails if the native stack grows.

use pulley_isa::{EXTENDED_PREFIX, ExtOpcode, Opcode};

use super::{invalid_op, profile_op};
use crate::machine::{Done, Machine, OperandReader, State, read_operand, stopped};
use crate::ops;

macro_rules! threaded_handlers {
    (
        $abi:literal, $transfer:tt,
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        type Handler = extern $abi fn(*const u8, *mut u64, *mut u8, usize, &mut State) -> Done;

        /// Transfers to the handler of the op at `m.pc`.
        macro_rules! next {
            ($m:ident) => {{
                // SAFETY: `pc` is an op start of verified code.
                let opcode = unsafe { $m.pc.read() };
                $transfer HANDLERS[usize::from(opcode)]($m.pc, $m.regs, $m.memory_base, $m.memory_len, $m.state)
            }};
        }

        mod primary_handlers {
            use super::*;
            $(
                #[allow(unused_mut, unused_variables)]
                pub(super) extern $abi fn $primary(
                    pc: *const u8,
                    regs: *mut u64,
                    memory_base: *mut u8,
                    memory_len: usize,
                    state: &mut State,
                ) -> Done {
                    let mut m = Machine { pc, regs, memory_base, memory_len, state };
                    profile_op!(m, Opcode::$Primary as usize);
                    // SAFETY: verified code holds the whole op at `pc`.
                    let mut reader = OperandReader { cursor: unsafe { pc.add(1) }, start: pc };
                    // SAFETY: verified code holds every operand of this op.
                    $( let $pfield = unsafe { read_operand!(reader, $pkind) }; )*
                    m.pc = reader.cursor;
                    match ops::$primary(&mut m, $( $pfield ),*) {
                        Ok(()) => next!(m),
                        Err(stop) => stopped(stop, m.state, m.regs, pc),
                    }
                }
            )*
        }

        mod extended_handlers {
            use super::*;
            $(
                #[allow(unused_mut, unused_variables)]
                pub(super) extern $abi fn $extended(
                    pc: *const u8,
                    regs: *mut u64,
                    memory_base: *mut u8,
                    memory_len: usize,
                    state: &mut State,
                ) -> Done {
                    let mut m = Machine { pc, regs, memory_base, memory_len, state };
                    profile_op!(m, 256 + ExtOpcode::$Extended as usize);
                    // SAFETY: verified code holds the whole op at `pc`.
                    let mut reader = OperandReader { cursor: unsafe { pc.add(3) }, start: pc };
                    // SAFETY: verified code holds every operand of this op.
                    $( let $efield = unsafe { read_operand!(reader, $ekind) }; )*
                    m.pc = reader.cursor;
                    match ops::$extended(&mut m, $( $efield ),*) {
                        Ok(()) => next!(m),
                        Err(stop) => stopped(stop, m.state, m.regs, pc),
                    }
                }
            )*
        }

        /// The prefix byte: dispatches on the `u16` that follows.
        extern $abi fn extended(
            pc: *const u8,
            regs: *mut u64,
            memory_base: *mut u8,
            memory_len: usize,
            state: &mut State,
        ) -> Done {
            // SAFETY: verified code holds the whole op at `pc`.
            let opcode = u16::from_le_bytes(unsafe { pc.add(1).cast::<[u8; 2]>().read_unaligned() });
            match EXTENDED_HANDLERS.get(usize::from(opcode)) {
                Some(&handler) => $transfer handler(pc, regs, memory_base, memory_len, state),
                None => $transfer invalid(pc, regs, memory_base, memory_len, state),
            }
        }

        extern $abi fn invalid(
            pc: *const u8,
            regs: *mut u64,
            memory_base: *mut u8,
            memory_len: usize,
            state: &mut State,
        ) -> Done {
            invalid_op(Machine { pc, regs, memory_base, memory_len, state }, pc)
        }

        static HANDLERS: [Handler; 256] = {
            let mut table = [invalid as Handler; 256];
            $( table[Opcode::$Primary as usize] = primary_handlers::$primary; )*
            table[EXTENDED_PREFIX as usize] = extended;
            table
        };

        static EXTENDED_HANDLERS: [Handler; ExtOpcode::ALL.len()] = {
            let mut table = [invalid as Handler; ExtOpcode::ALL.len()];
            $( table[ExtOpcode::$Extended as usize] = extended_handlers::$extended; )*
            table
        };

        /// Runs from `pc` until an op stops.
        pub(crate) fn run(
            state: &mut State,
            pc: *const u8,
            regs: *mut u64,
            memory_base: *mut u8,
            memory_len: usize,
        ) {
            // SAFETY: `pc` is an op start of verified code.
            let opcode = unsafe { pc.read() };
            let _: Done = HANDLERS[usize::from(opcode)](pc, regs, memory_base, memory_len, state);
        }
    };
}

#[cfg(pulley_dispatch = "tail")]
pulley_isa::for_each_op!(threaded_handlers, "Rust", return,);

#[cfg(pulley_dispatch = "become")]
pulley_isa::for_each_op!(threaded_handlers, "rust-preserve-none", become,);
