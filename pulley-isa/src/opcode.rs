//! The `Opcode` and `ExtOpcode` enums and per-op size information, generated
//! from the opcode table.

use crate::OpFlags;

macro_rules! define_opcodes {
    (
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        /// A one-byte opcode: the position of the op in the table's `primary`
        /// section. The byte [`EXTENDED_PREFIX`] (one past the last opcode)
        /// introduces an [`ExtOpcode`].
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Opcode {
            $( $(#[$primary_attr])* $Primary, )*
        }

        /// An extended opcode: the position of the op in the table's
        /// `extended` section, encoded as a little-endian `u16` after
        /// [`EXTENDED_PREFIX`].
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum ExtOpcode {
            $( $(#[$ext_attr])* $Extended, )*
        }

        impl Opcode {
            /// Every primary opcode in encoding order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$Primary),*];

            /// The opcode for a byte, if the byte is one (the extended prefix
            /// is not).
            #[inline]
            pub fn from_u8(byte: u8) -> Option<Opcode> {
                Self::ALL.get(usize::from(byte)).copied()
            }

            /// The op's mnemonic.
            pub fn mnemonic(self) -> &'static str {
                match self {
                    $( Opcode::$Primary => stringify!($primary), )*
                }
            }

            /// The op's flags in the table.
            #[inline]
            pub const fn flags(self) -> $crate::OpFlags {
                match self {
                    $( Opcode::$Primary => $crate::OpFlags::NONE
                        $( .union($crate::__operand_flags!($pkind)) )*
                        $($( .union($crate::__op_flag!($pflag)) )*)?, )*
                }
            }

            /// The encoded size in bytes (opcode included), or `None` if the op
            /// has a variable-length operand.
            pub fn fixed_size(self) -> Option<usize> {
                match self {
                    $( Opcode::$Primary => {
                        #[allow(unused_mut)]
                        let mut size = Some(1usize);
                        $( size = match (size, $crate::__operand_size!($pkind)) {
                            (Some(a), Some(b)) => Some(a + b),
                            _ => None,
                        }; )*
                        size
                    } )*
                }
            }
        }

        impl ExtOpcode {
            /// Every extended opcode in encoding order.
            pub const ALL: &'static [ExtOpcode] = &[$(ExtOpcode::$Extended),*];

            /// The extended opcode for a `u16`, if it is one.
            #[inline]
            pub fn from_u16(value: u16) -> Option<ExtOpcode> {
                Self::ALL.get(usize::from(value)).copied()
            }

            /// The op's mnemonic.
            pub fn mnemonic(self) -> &'static str {
                match self {
                    $( ExtOpcode::$Extended => stringify!($extended), )*
                }
            }

            /// The op's flags in the table.
            #[inline]
            pub const fn flags(self) -> $crate::OpFlags {
                match self {
                    $( ExtOpcode::$Extended => $crate::OpFlags::NONE
                        $( .union($crate::__operand_flags!($ekind)) )*
                        $($( .union($crate::__op_flag!($eflag)) )*)?, )*
                }
            }

            /// The encoded size in bytes (prefix and opcode included), or
            /// `None` if the op has a variable-length operand.
            pub fn fixed_size(self) -> Option<usize> {
                match self {
                    $( ExtOpcode::$Extended => {
                        #[allow(unused_mut)]
                        let mut size = Some(3usize);
                        $( size = match (size, $crate::__operand_size!($ekind)) {
                            (Some(a), Some(b)) => Some(a + b),
                            _ => None,
                        }; )*
                        size
                    } )*
                }
            }
        }

        /// The byte that introduces an extended opcode.
        pub const EXTENDED_PREFIX: u8 = {
            let count = Opcode::ALL.len();
            assert!(count < 256, "the primary opcode space is full: move ops to `extended`");
            count as u8
        };

        /// The table's text (names, mnemonics, operand names and kinds, in
        /// order, without doc comments), from which [`ISA_HASH`](crate::ISA_HASH)
        /// is computed.
        pub(crate) const TABLE_SIGNATURE: &str = concat!(
            $( stringify!($Primary), "=", stringify!($primary), "{",
               $( stringify!($pfield), ":", stringify!($pkind), ",", )* "};", )*
            "extended;",
            $( stringify!($Extended), "=", stringify!($extended), "{",
               $( stringify!($efield), ":", stringify!($ekind), ",", )* "};", )*
        );
    };
}

crate::for_each_op!(define_opcodes);

/// Either kind of opcode.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum AnyOpcode {
    /// A one-byte opcode.
    Primary(Opcode),
    /// A prefixed two-byte opcode.
    Extended(ExtOpcode),
}

impl AnyOpcode {
    /// The op's mnemonic.
    pub fn mnemonic(self) -> &'static str {
        match self {
            AnyOpcode::Primary(op) => op.mnemonic(),
            AnyOpcode::Extended(op) => op.mnemonic(),
        }
    }

    /// The op's flags in the table.
    pub const fn flags(self) -> OpFlags {
        match self {
            AnyOpcode::Primary(op) => op.flags(),
            AnyOpcode::Extended(op) => op.flags(),
        }
    }

    /// The encoded size, or `None` for variable-length ops.
    pub fn fixed_size(self) -> Option<usize> {
        match self {
            AnyOpcode::Primary(op) => op.fixed_size(),
            AnyOpcode::Extended(op) => op.fixed_size(),
        }
    }
}
