//! The disassembler, generated from the opcode table: one line of text per op,
//! with its offset, mnemonic and operands; branch targets are printed as
//! absolute offsets.

use alloc::string::String;
use core::fmt::{self, Write};

use crate::decode::{DecodeError, decode_all};
use crate::op::Op;
use crate::operands::{JumpTableRef, PcRel, SlotList};

/// Writes one operand of the given kind.
macro_rules! write_operand {
    ($f:ident, $at:ident, Target, $v:expr) => {
        write_target($f, $at, *$v)
    };
    ($f:ident, $at:ident, JumpTable, $v:expr) => {
        write_jump_table($f, $at, $v)
    };
    ($f:ident, $at:ident, DstList, $v:expr) => {
        write_slot_list($f, $v)
    };
    ($f:ident, $at:ident, SrcList, $v:expr) => {
        write_slot_list($f, $v)
    };
    ($f:ident, $at:ident, $kind:ident, $v:expr) => {
        write!($f, "{}", $v)
    };
}

macro_rules! define_disassembler {
    (
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        /// Writes `op`, located at code offset `at`, as `mnemonic operand, ...`.
        #[allow(unused_assignments)]
        pub fn write_op(f: &mut impl Write, op: &Op<'_>, at: usize) -> fmt::Result {
            f.write_str(op.mnemonic())?;
            #[allow(unused_mut, unused_variables)]
            let mut separator = " ";
            match op {
                $( Op::$Primary { $( $pfield ),* } => {
                    $( f.write_str(separator)?; separator = ", "; write_operand!(f, at, $pkind, $pfield)?; )*
                } )*
                $( Op::$Extended { $( $efield ),* } => {
                    $( f.write_str(separator)?; separator = ", "; write_operand!(f, at, $ekind, $efield)?; )*
                } )*
            }
            Ok(())
        }
    };
}

crate::for_each_op!(define_disassembler);

fn write_target(f: &mut impl Write, at: usize, target: PcRel) -> fmt::Result {
    match target.resolve(at) {
        Some(absolute) => write!(f, "{absolute:#06x}"),
        None => write!(f, "<invalid {}>", target.0),
    }
}

fn write_jump_table(f: &mut impl Write, at: usize, table: &JumpTableRef<'_>) -> fmt::Result {
    f.write_char('[')?;
    let last = table.len().saturating_sub(1);
    for (i, target) in table.iter().enumerate() {
        match i {
            0 => {}
            _ => f.write_str(", ")?,
        }
        if i == last {
            f.write_str("default ")?;
        }
        write_target(f, at, target)?;
    }
    f.write_char(']')
}

fn write_slot_list(f: &mut impl Write, list: &SlotList<'_>) -> fmt::Result {
    f.write_char('[')?;
    for (i, slot) in list.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{slot}")?;
    }
    f.write_char(']')
}

/// Formats `op` at code offset `at` as a string.
pub fn format_op(op: &Op<'_>, at: usize) -> String {
    let mut text = String::new();
    write_op(&mut text, op, at).expect("writing to a String cannot fail");
    text
}

/// Disassembles a whole code buffer, one `offset: op` line per op.
///
/// Fails on the first invalid op, as [`decode_one`](crate::decode_one) would.
pub fn disassemble(bytes: &[u8]) -> Result<String, DecodeError> {
    let mut text = String::new();
    for decoded in decode_all(bytes) {
        let (at, op) = decoded?;
        write!(text, "{at:#06x}: ").expect("writing to a String cannot fail");
        write_op(&mut text, &op, at).expect("writing to a String cannot fail");
        text.push('\n');
    }
    Ok(text)
}
