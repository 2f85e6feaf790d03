//! The decoder, generated from the opcode table: a visitor trait with one
//! method per op, and [`decode_one`] built on it.

use crate::Decoded;
use crate::op::Op;
use crate::opcode::{EXTENDED_PREFIX, ExtOpcode, Opcode};
use crate::operands::Reader;

/// Why bytes are not a valid op.
#[derive(Copy, Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum DecodeError {
    /// The bytes end in the middle of an op.
    #[error("bytecode ends inside the instruction at offset {at}")]
    UnexpectedEnd {
        /// Offset of the read that ran out of bytes.
        at: usize,
    },
    /// A byte that is no opcode.
    #[error("invalid opcode {byte:#04x} at offset {at}")]
    InvalidOpcode {
        /// Offset of the byte.
        at: usize,
        /// The byte.
        byte: u8,
    },
    /// An extended opcode out of range.
    #[error("invalid extended opcode {value} at offset {at}")]
    InvalidExtendedOpcode {
        /// Offset of the prefix byte.
        at: usize,
        /// The `u16` after the prefix.
        value: u16,
    },
    /// A trap-code operand out of range.
    #[error("invalid trap code {byte} at offset {at}")]
    InvalidTrapCode {
        /// Offset of the operand.
        at: usize,
        /// The byte.
        byte: u8,
    },
    /// A `br_table` with no entries (it needs at least the default).
    #[error("empty jump table at offset {at}")]
    EmptyJumpTable {
        /// Offset of the table's count.
        at: usize,
    },
}

macro_rules! define_decoder {
    (
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        /// Receives one decoded op: one method per op of the table, named by
        /// its mnemonic, taking its operands in table order (v128 ops have
        /// up to eight: two slots per vector).
        #[allow(missing_docs, clippy::too_many_arguments)]
        pub trait OpVisitor<'a> {
            /// What each method returns.
            type Output;
            $( $(#[$primary_attr])*
               fn $primary(&mut self, $( $pfield: $crate::__operand_type!(Decoded<'a>, $pkind) ),*) -> Self::Output; )*
            $( $(#[$ext_attr])*
               fn $extended(&mut self, $( $efield: $crate::__operand_type!(Decoded<'a>, $ekind) ),*) -> Self::Output; )*
        }

        /// Decodes the op at the reader's position, advancing past it, and
        /// passes it to `visitor`.
        pub fn decode_with<'a, V: OpVisitor<'a>>(
            reader: &mut Reader<'a>,
            visitor: &mut V,
        ) -> Result<V::Output, DecodeError> {
            let at = reader.position();
            let byte = reader.u8()?;
            if byte == EXTENDED_PREFIX {
                let value = reader.u16()?;
                let opcode = ExtOpcode::from_u16(value)
                    .ok_or(DecodeError::InvalidExtendedOpcode { at, value })?;
                return match opcode {
                    $( ExtOpcode::$Extended => {
                        $( let $efield = $crate::__decode_operand!(reader, $ekind)?; )*
                        Ok(visitor.$extended($( $efield ),*))
                    } )*
                };
            }
            let opcode = Opcode::from_u8(byte).ok_or(DecodeError::InvalidOpcode { at, byte })?;
            match opcode {
                $( Opcode::$Primary => {
                    $( let $pfield = $crate::__decode_operand!(reader, $pkind)?; )*
                    Ok(visitor.$primary($( $pfield ),*))
                } )*
            }
        }

        /// Builds an [`Op`] from visited operands.
        struct Materialize;

        impl<'a> OpVisitor<'a> for Materialize {
            type Output = Op<'a>;
            $( fn $primary(&mut self, $( $pfield: $crate::__operand_type!(Decoded<'a>, $pkind) ),*) -> Op<'a> {
                Op::$Primary { $( $pfield ),* }
            } )*
            $( fn $extended(&mut self, $( $efield: $crate::__operand_type!(Decoded<'a>, $ekind) ),*) -> Op<'a> {
                Op::$Extended { $( $efield ),* }
            } )*
        }
    };
}

crate::for_each_op!(define_decoder);

/// Decodes the op at offset `at` of `bytes`, returning it and the offset just
/// past it.
pub fn decode_one(bytes: &[u8], at: usize) -> Result<(Op<'_>, usize), DecodeError> {
    let mut reader = Reader::new(bytes, at);
    let op = decode_with(&mut reader, &mut Materialize)?;
    Ok((op, reader.position()))
}

/// Iterates over the ops of `bytes` from the start, with their offsets; stops
/// after the first error.
pub fn decode_all(bytes: &[u8]) -> impl Iterator<Item = Result<(usize, Op<'_>), DecodeError>> {
    let mut at = 0;
    let mut failed = false;
    core::iter::from_fn(move || {
        if failed || at >= bytes.len() {
            return None;
        }
        match decode_one(bytes, at) {
            Ok((op, next)) => {
                let start = at;
                at = next;
                Some(Ok((start, op)))
            }
            Err(error) => {
                failed = true;
                Some(Err(error))
            }
        }
    })
}
