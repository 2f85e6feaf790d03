//! Loop dispatch: one loop over a `match` on the opcode, for targets and
//! builds where tail calls are not known to become jumps (and for
//! unoptimized builds). Uses the same op semantics as threaded dispatch.

use pulley_isa::{EXTENDED_PREFIX, ExtOpcode, Opcode};

use super::{invalid_op, profile_op};
use crate::machine::{Machine, OperandReader, State, read_operand, stopped};
use crate::ops;

macro_rules! loop_interpreter {
    (
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        /// Runs from `pc` until an op stops.
        pub(crate) fn run(
            state: &mut State,
            pc: *const u8,
            regs: *mut u64,
            memory_base: *mut u8,
            memory_len: usize,
        ) {
            let mut m = Machine { pc, regs, memory_base, memory_len, state };
            loop {
                let start = m.pc;
                // SAFETY: `start` is an op start of verified code.
                let byte = unsafe { start.read() };
                let step = if byte < EXTENDED_PREFIX {
                    // SAFETY: `Opcode` is `repr(u8)` with the discriminants
                    // `0..EXTENDED_PREFIX`, and `byte` is below that.
                    let opcode: Opcode = unsafe { core::mem::transmute::<u8, Opcode>(byte) };
                    // SAFETY: verified code holds the whole op at `start`.
                    let mut reader = OperandReader { cursor: unsafe { start.add(1) }, start };
                    match opcode {
                        $( Opcode::$Primary => {
                            profile_op!(m, Opcode::$Primary as usize);
                            // SAFETY: verified code holds every operand of this op.
                            $( let $pfield = unsafe { read_operand!(reader, $pkind) }; )*
                            m.pc = reader.cursor;
                            ops::$primary(&mut m, $( $pfield ),*)
                        } )*
                    }
                } else if byte == EXTENDED_PREFIX {
                    // SAFETY: verified code holds the whole op at `start`.
                    let value = u16::from_le_bytes(unsafe { start.add(1).cast::<[u8; 2]>().read_unaligned() });
                    // SAFETY: as above, the operands follow the three opcode bytes.
                    let mut reader = OperandReader { cursor: unsafe { start.add(3) }, start };
                    match ExtOpcode::from_u16(value) {
                        $( Some(ExtOpcode::$Extended) => {
                            profile_op!(m, 256 + ExtOpcode::$Extended as usize);
                            // SAFETY: verified code holds every operand of this op.
                            $( let $efield = unsafe { read_operand!(reader, $ekind) }; )*
                            m.pc = reader.cursor;
                            ops::$extended(&mut m, $( $efield ),*)
                        } )*
                        None => {
                            invalid_op(m, start);
                            return;
                        }
                    }
                } else {
                    invalid_op(m, start);
                    return;
                };
                if let Err(stop) = step {
                    stopped(stop, m.state, m.regs, start);
                    return;
                }
            }
        }
    };
}

pulley_isa::for_each_op!(loop_interpreter);
