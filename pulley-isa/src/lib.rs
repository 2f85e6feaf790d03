//! The Pulley bytecode ISA.
//!
//! This crate is the contract between the compiler (`pulley-emit`) and the
//! interpreter (`pulley-interp`). It knows nothing of WebAssembly, Cranelift
//! or how ops are executed, and depends on nothing but `core` (and `alloc`
//! for owned ops and the disassembler).
//!
//! # One table
//!
//! Every op is one entry of [`for_each_op!`], with its operands and a doc
//! comment; see the [`table`] module for the naming conventions. From that
//! table this crate generates the [`Opcode`] and [`ExtOpcode`] enums, the
//! materialized [`GenericOp`] (with [`Op`] for decoded code), the encoder
//! ([`GenericOp::encode`]), the decoder ([`OpVisitor`], [`decode_with`],
//! [`decode_one`]), the disassembler ([`disassemble`]), per-op sizes
//! ([`Opcode::fixed_size`]), per-op flags ([`OpFlags`]: terminators, calls,
//! ops that trap, SIMD), and the [`ISA_HASH`]. The interpreter generates its
//! handler table from the same macro. Adding an op is one line in the
//! table plus its handler in `pulley-interp`.
//!
//! # Encoding
//!
//! * An op starts with its one-byte [`Opcode`]. Rare ops are *extended*: the
//!   byte [`EXTENDED_PREFIX`] followed by a little-endian `u16` [`ExtOpcode`].
//! * The operands follow in table order, packed, unaligned, little-endian on
//!   every host: a slot in one byte (two for `*Wide`), immediates at their
//!   natural width, branch targets as `i32` offsets from the op's first byte,
//!   lists as a `u16` count then `u16` slots.
//! * Code is position-independent: branches are relative and calls name
//!   functions by index, so bytecode does not depend on where it is loaded.
//!
//! ```
//! use pulley_isa::{Op, OwnedOp, Slot, decode_one, format_op};
//!
//! // r0 = r1 + r2 (32-bit)
//! let add = OwnedOp::Xadd32 { dst: Slot(0), a: Slot(1), b: Slot(2) };
//! let mut code = Vec::new();
//! add.encode(&mut code).unwrap();
//! assert_eq!(code, [pulley_isa::Opcode::Xadd32 as u8, 0, 1, 2]);
//!
//! let (decoded, next) = decode_one(&code, 0).unwrap();
//! assert_eq!(next, 4);
//! assert!(matches!(decoded, Op::Xadd32 { dst: Slot(0), a: Slot(1), b: Slot(2) }));
//! assert_eq!(format_op(&decoded, 0), "xadd32 r0, r1, r2");
//! ```

#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod table;

mod decode;
#[cfg(feature = "alloc")]
mod disas;
mod family;
mod flags;
mod op;
mod opcode;
pub mod operands;

pub use decode::{DecodeError, OpVisitor, decode_all, decode_one, decode_with};
#[cfg(feature = "alloc")]
pub use disas::{disassemble, format_op, write_op};
#[cfg(feature = "alloc")]
pub use family::Owned;
pub use family::{
    Decoded, EncodeFamily, OperandFamily, OperandMapper, OperandVisitor, SlotSequence,
    TargetSequence,
};
pub use flags::OpFlags;
#[cfg(feature = "alloc")]
pub use op::OwnedOp;
pub use op::{GenericOp, Op};
pub use opcode::{AnyOpcode, EXTENDED_PREFIX, ExtOpcode, Opcode};
pub use operands::{
    BuiltinIndex, FuncIndex, FuncRefIndex, GlobalIndex, ImportIndex, IndexKind, JumpTableRef,
    PcRel, Slot, SlotList, TableIndex, TrapCode, TypeIndex,
};

/// Why an op could not be encoded.
#[derive(Copy, Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum EncodeError {
    /// A one-byte slot operand names a slot above 255.
    #[error("slot {slot} does not fit a one-byte operand")]
    SlotTooWide {
        /// The slot.
        slot: u16,
    },
    /// A slot list or jump table longer than its count field allows.
    #[error("operand list of {len} entries is too long")]
    ListTooLong {
        /// The list's length.
        len: usize,
    },
    /// A jump table without entries (it needs at least the default).
    #[error("jump table without entries")]
    EmptyJumpTable,
}

/// Bumped whenever the encoding of an operand kind changes, since such a
/// change does not show in the table's text.
const ENCODING_VERSION: u32 = 1;

/// A hash of the opcode table (op names, mnemonics, order, operand names and
/// kinds) and the operand encoding. Bytecode compiled against a different
/// table has a different hash, so artifacts record it and loaders compare.
pub const ISA_HASH: u64 = {
    let mut hash = fnv1a(0xcbf2_9ce4_8422_2325, opcode::TABLE_SIGNATURE.as_bytes());
    hash = fnv1a(hash, &ENCODING_VERSION.to_le_bytes());
    hash
};

/// 64-bit FNV-1a, usable in constants.
const fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_reference_vectors() {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        assert_eq!(fnv1a(OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_hash_covers_names_order_and_operand_layout() {
        let signature = opcode::TABLE_SIGNATURE;
        assert!(signature.starts_with("Ret=ret{values:SrcList,};Jump=jump{target:Target,};"));
        assert!(signature.contains("Xadd32=xadd32{dst:Dst,a:Src,b:Src,};"));
        assert!(signature.contains("extended;MovWide=mov_wide{dst:DstWide,src:SrcWide,};"));
        assert!(!signature.contains("///"));
        let expected = fnv1a(
            fnv1a(0xcbf2_9ce4_8422_2325, signature.as_bytes()),
            &ENCODING_VERSION.to_le_bytes(),
        );
        assert_eq!(ISA_HASH, expected);
    }
}
