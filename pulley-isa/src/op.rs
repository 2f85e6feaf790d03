//! The materialized op enum, generated from the opcode table, with operand
//! mapping, operand visiting and encoding.

use crate::family::{EncodeFamily, OperandFamily, OperandMapper, OperandVisitor};
use crate::opcode::{AnyOpcode, EXTENDED_PREFIX, ExtOpcode, Opcode};
use crate::operands::{Sink, SizeCounter};
use crate::{Decoded, EncodeError};

macro_rules! define_generic_op {
    (
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        /// One op with its operands, register-like operands typed by the
        /// family `F`.
        #[allow(missing_docs)]
        pub enum GenericOp<F: OperandFamily> {
            $( $(#[$primary_attr])* $Primary { $( $pfield: $crate::__operand_type!(F, $pkind), )* }, )*
            $( $(#[$ext_attr])* $Extended { $( $efield: $crate::__operand_type!(F, $ekind), )* }, )*
        }

        impl<F: OperandFamily> Clone for GenericOp<F> {
            fn clone(&self) -> Self {
                match self {
                    $( GenericOp::$Primary { $( $pfield ),* } => GenericOp::$Primary { $( $pfield: $pfield.clone() ),* }, )*
                    $( GenericOp::$Extended { $( $efield ),* } => GenericOp::$Extended { $( $efield: $efield.clone() ),* }, )*
                }
            }
        }

        impl<F: OperandFamily> PartialEq for GenericOp<F> {
            fn eq(&self, other: &Self) -> bool {
                match self {
                    $( GenericOp::$Primary { $( $pfield ),* } => {
                        let lhs = ($( $pfield, )*);
                        match other {
                            GenericOp::$Primary { $( $pfield ),* } => lhs == ($( $pfield, )*),
                            _ => false,
                        }
                    } )*
                    $( GenericOp::$Extended { $( $efield ),* } => {
                        let lhs = ($( $efield, )*);
                        match other {
                            GenericOp::$Extended { $( $efield ),* } => lhs == ($( $efield, )*),
                            _ => false,
                        }
                    } )*
                }
            }
        }

        impl<F: OperandFamily> core::fmt::Debug for GenericOp<F> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self {
                    $( GenericOp::$Primary { $( $pfield ),* } => f.debug_struct(stringify!($Primary))
                        $( .field(stringify!($pfield), $pfield) )*.finish(), )*
                    $( GenericOp::$Extended { $( $efield ),* } => f.debug_struct(stringify!($Extended))
                        $( .field(stringify!($efield), $efield) )*.finish(), )*
                }
            }
        }

        impl<F: OperandFamily> GenericOp<F> {
            /// The op's opcode.
            pub fn opcode(&self) -> AnyOpcode {
                match self {
                    $( GenericOp::$Primary { .. } => AnyOpcode::Primary(Opcode::$Primary), )*
                    $( GenericOp::$Extended { .. } => AnyOpcode::Extended(ExtOpcode::$Extended), )*
                }
            }

            /// The op's mnemonic.
            pub fn mnemonic(&self) -> &'static str {
                self.opcode().mnemonic()
            }

            /// The op's flags in the table.
            pub fn flags(&self) -> $crate::OpFlags {
                self.opcode().flags()
            }

            /// The same op with its register-like operands converted to family
            /// `G`; immediates are copied.
            pub fn map<G: OperandFamily>(&self, mapper: &mut impl OperandMapper<F, G>) -> GenericOp<G> {
                match self {
                    $( GenericOp::$Primary { $( $pfield ),* } => GenericOp::$Primary {
                        $( $pfield: $crate::__map_operand!(mapper, $pkind, $pfield), )*
                    }, )*
                    $( GenericOp::$Extended { $( $efield ),* } => GenericOp::$Extended {
                        $( $efield: $crate::__map_operand!(mapper, $ekind, $efield), )*
                    }, )*
                }
            }

            /// Passes each register-like operand and each index immediate to
            /// `visitor`, in table order.
            #[allow(unused_variables)]
            pub fn visit_operands(&self, visitor: &mut impl OperandVisitor<F>) {
                match self {
                    $( GenericOp::$Primary { $( $pfield ),* } => {
                        $( $crate::__visit_operand!(visitor, $pkind, $pfield); )*
                    } )*
                    $( GenericOp::$Extended { $( $efield ),* } => {
                        $( $crate::__visit_operand!(visitor, $ekind, $efield); )*
                    } )*
                }
            }
        }

        impl<F: EncodeFamily> GenericOp<F> {
            /// Appends the op's encoding to `out`.
            ///
            /// Fails if a one-byte slot operand is above 255, a list is longer
            /// than `u16::MAX` entries, or a jump table is empty; nothing
            /// useful is in `out` then.
            pub fn encode(&self, out: &mut impl Sink) -> Result<(), EncodeError> {
                match self {
                    $( GenericOp::$Primary { $( $pfield ),* } => {
                        out.put(&[Opcode::$Primary as u8]);
                        $( $crate::__encode_operand!(out, $pkind, $pfield); )*
                    } )*
                    $( GenericOp::$Extended { $( $efield ),* } => {
                        out.put(&[EXTENDED_PREFIX]);
                        out.put(&(ExtOpcode::$Extended as u16).to_le_bytes());
                        $( $crate::__encode_operand!(out, $ekind, $efield); )*
                    } )*
                }
                Ok(())
            }

            /// The number of bytes [`encode`](Self::encode) appends.
            pub fn encoded_len(&self) -> Result<usize, EncodeError> {
                let mut counter = SizeCounter::default();
                self.encode(&mut counter)?;
                Ok(counter.0)
            }
        }
    };
}

crate::for_each_op!(define_generic_op);

/// An op decoded from bytecode; lists borrow from the code.
pub type Op<'a> = GenericOp<Decoded<'a>>;

/// An op with owned lists, ready to encode.
#[cfg(feature = "alloc")]
pub type OwnedOp = GenericOp<crate::Owned>;

#[cfg(feature = "alloc")]
impl Op<'_> {
    /// The same op with owned lists.
    pub fn to_owned_op(&self) -> OwnedOp {
        self.map(&mut ToOwnedMapper)
    }
}

/// Converts decoded operands to owned ones.
#[cfg(feature = "alloc")]
struct ToOwnedMapper;

#[cfg(feature = "alloc")]
impl<'a> OperandMapper<Decoded<'a>, crate::Owned> for ToOwnedMapper {
    fn dst(&mut self, dst: &crate::Slot) -> crate::Slot {
        *dst
    }
    fn src(&mut self, src: &crate::Slot) -> crate::Slot {
        *src
    }
    fn dst_wide(&mut self, dst: &crate::Slot) -> crate::Slot {
        *dst
    }
    fn src_wide(&mut self, src: &crate::Slot) -> crate::Slot {
        *src
    }
    fn dst_list(&mut self, list: &crate::SlotList<'a>) -> alloc::vec::Vec<crate::Slot> {
        list.iter().collect()
    }
    fn src_list(&mut self, list: &crate::SlotList<'a>) -> alloc::vec::Vec<crate::Slot> {
        list.iter().collect()
    }
    fn target(&mut self, target: &crate::PcRel) -> crate::PcRel {
        *target
    }
    fn jump_table(&mut self, table: &crate::JumpTableRef<'a>) -> alloc::vec::Vec<crate::PcRel> {
        table.iter().collect()
    }
}
