//! Operand types of the Pulley ISA and their byte encoding.
//!
//! Every operand kind named in the opcode table (`crate::for_each_op!`) is one
//! of two sorts:
//!
//! * **Register kinds** (`Dst`, `Src`, `DstWide`, `SrcWide`, `DstList`,
//!   `SrcList`, `Target`, `JumpTable`) name frame slots or code positions.
//!   Their Rust type depends on the [`OperandFamily`](crate::OperandFamily):
//!   decoded bytecode uses [`Slot`] and [`PcRel`], the compiler uses its
//!   virtual registers and block labels.
//! * **Immediate kinds** (`I8`, `I32`, `U32`, `TrapCode`, `FuncIndex`, ...)
//!   are the same Rust type everywhere; each implements [`Immediate`].
//!
//! All multi-byte values are little-endian and unaligned.

use core::fmt;

use crate::DecodeError;

/// A frame slot: one 64-bit register of the current call's register window.
///
/// `Dst` and `Src` operands encode a slot in one byte (slots 0..=255);
/// `DstWide`, `SrcWide` and list entries use two bytes.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Slot(pub u16);

impl Slot {
    /// The number of distinct slots (slot indices are 16 bits), hence the
    /// largest frame a function can have.
    pub const COUNT: u32 = 1 << 16;

    /// The slot's index within the frame.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

/// A branch offset in bytes, relative to the first byte (the opcode) of the
/// instruction that holds it.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct PcRel(pub i32);

impl PcRel {
    /// The absolute code offset this branch lands on, given the offset of the
    /// instruction holding it; `None` if that is outside `0..=usize::MAX`.
    pub fn resolve(self, instruction_offset: usize) -> Option<usize> {
        instruction_offset.checked_add_signed(isize::try_from(self.0).ok()?)
    }
}

/// Why execution stopped with a trap. Encoded as one byte.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum TrapCode {
    /// An explicit `trap` of unreachable code.
    Unreachable = 0,
    /// Signed division overflow (`INT_MIN / -1`) or a float-to-int
    /// conversion whose result does not fit.
    IntegerOverflow = 1,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero = 2,
    /// Float-to-integer conversion of NaN.
    BadConversionToInteger = 3,
    /// A linear-memory access outside the memory's current length.
    MemoryOutOfBounds = 4,
    /// A table access outside the table's current size.
    TableOutOfBounds = 5,
    /// An indirect call through a null function reference.
    IndirectCallToNull = 6,
    /// An indirect call whose callee has a different signature.
    BadSignature = 7,
    /// A null reference where a non-null one is required.
    NullReference = 8,
    /// The register or frame stack is exhausted.
    StackOverflow = 9,
    /// A data or element segment access out of bounds (bulk memory ops).
    SegmentOutOfBounds = 10,
}

impl TrapCode {
    /// Every trap code, in encoding order.
    pub const ALL: [TrapCode; 11] = [
        TrapCode::Unreachable,
        TrapCode::IntegerOverflow,
        TrapCode::IntegerDivisionByZero,
        TrapCode::BadConversionToInteger,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::IndirectCallToNull,
        TrapCode::BadSignature,
        TrapCode::NullReference,
        TrapCode::StackOverflow,
        TrapCode::SegmentOutOfBounds,
    ];

    /// The trap code for an encoded byte, if it is one.
    pub fn from_u8(byte: u8) -> Option<TrapCode> {
        Self::ALL.get(usize::from(byte)).copied()
    }

    /// A short lowercase name, as the disassembler prints it.
    pub fn name(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::IntegerOverflow => "integer_overflow",
            TrapCode::IntegerDivisionByZero => "integer_division_by_zero",
            TrapCode::BadConversionToInteger => "bad_conversion_to_integer",
            TrapCode::MemoryOutOfBounds => "memory_out_of_bounds",
            TrapCode::TableOutOfBounds => "table_out_of_bounds",
            TrapCode::IndirectCallToNull => "indirect_call_to_null",
            TrapCode::BadSignature => "bad_signature",
            TrapCode::NullReference => "null_reference",
            TrapCode::StackOverflow => "stack_overflow",
            TrapCode::SegmentOutOfBounds => "segment_out_of_bounds",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Declares the `u32` index newtypes used as immediate operands, and
/// [`IndexKind`] with one variant for each.
macro_rules! index_types {
    ($($(#[$doc:meta])* $name:ident => $prefix:literal, $Kind:ident, $what:literal;)*) => {
        /// Which table of the program or the embedder an index operand
        /// names; [`OperandVisitor::index`](crate::OperandVisitor::index)
        /// passes it with the index.
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
        pub enum IndexKind {
            $( $(#[$doc])* $Kind, )*
        }

        impl IndexKind {
            /// What the index names, for messages ("function", "global", ...).
            pub fn name(self) -> &'static str {
                match self {
                    $( IndexKind::$Kind => $what, )*
                }
            }
        }

        $(
        $(#[$doc])*
        #[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub struct $name(pub u32);

        impl $name {
            /// The kind of index this is.
            pub const KIND: IndexKind = IndexKind::$Kind;

            /// The index as a `usize`.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }

        impl Immediate for $name {
            const SIZE: usize = 4;
            #[inline]
            fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                reader.u32().map($name)
            }
            #[inline]
            fn encode(&self, out: &mut impl Sink) {
                out.put(&self.0.to_le_bytes());
            }
            #[inline]
            unsafe fn read_unchecked(at: *const u8) -> Self {
                // SAFETY: the caller guarantees `SIZE` readable bytes at `at`.
                $name(u32::from_le_bytes(unsafe { at.cast::<[u8; 4]>().read_unaligned() }))
            }
        }
        )*
    };
}

index_types! {
    /// A function of the program, by index into its function table.
    FuncIndex => "func", Function, "function";
    /// A function the embedder provides, by index.
    ImportIndex => "import", Import, "import";
    /// A function reference the embedder provides, by index.
    FuncRefIndex => "funcref", FuncRef, "function reference";
    /// A global variable cell the embedder provides, by index.
    GlobalIndex => "global", Global, "global";
    /// A table the embedder provides, by index.
    TableIndex => "table", Table, "table";
    /// A signature (function type) of the program, by index.
    TypeIndex => "type", Type, "type";
    /// An operation the embedder performs on the interpreter's behalf.
    BuiltinIndex => "builtin", Builtin, "builtin";
}

/// The opcode-table name of an 8-bit signed immediate.
pub type I8 = i8;
/// The opcode-table name of a 32-bit signed immediate.
pub type I32 = i32;
/// The opcode-table name of a 64-bit signed immediate.
pub type I64 = i64;
/// The opcode-table name of an 8-bit unsigned immediate.
pub type U8 = u8;
/// The opcode-table name of a 32-bit unsigned immediate.
pub type U32 = u32;
/// The opcode-table name of a 128-bit unsigned immediate (16 bytes).
pub type U128 = u128;

/// An operand whose type and encoding are the same in every operand family.
pub trait Immediate: Copy + fmt::Debug + PartialEq {
    /// Encoded size in bytes.
    const SIZE: usize;
    /// Reads the operand, checking bounds and validity.
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError>;
    /// Appends the operand's encoding.
    fn encode(&self, out: &mut impl Sink);
    /// Reads the operand without checks.
    ///
    /// # Safety
    /// `SIZE` bytes at `at` must be readable and hold a valid encoding (as
    /// established by decoding them once with [`Immediate::decode`]).
    unsafe fn read_unchecked(at: *const u8) -> Self;
}

macro_rules! int_immediates {
    ($($ty:ty),*) => {$(
        impl Immediate for $ty {
            const SIZE: usize = core::mem::size_of::<$ty>();
            #[inline]
            fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                reader.array().map(<$ty>::from_le_bytes)
            }
            #[inline]
            fn encode(&self, out: &mut impl Sink) {
                out.put(&self.to_le_bytes());
            }
            #[inline]
            unsafe fn read_unchecked(at: *const u8) -> Self {
                // SAFETY: the caller guarantees `SIZE` readable bytes at `at`.
                <$ty>::from_le_bytes(unsafe { at.cast::<[u8; core::mem::size_of::<$ty>()]>().read_unaligned() })
            }
        }
    )*};
}

int_immediates!(i8, i32, i64, u8, u32, u128);

impl Immediate for TrapCode {
    const SIZE: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = reader.position();
        let byte = reader.u8()?;
        TrapCode::from_u8(byte).ok_or(DecodeError::InvalidTrapCode { at, byte })
    }
    #[inline]
    fn encode(&self, out: &mut impl Sink) {
        out.put(&[*self as u8]);
    }
    #[inline]
    unsafe fn read_unchecked(at: *const u8) -> Self {
        // SAFETY: the caller guarantees one readable byte at `at`.
        let byte = unsafe { at.read() };
        // A verified program only holds valid codes; an invalid byte would be a
        // broken caller contract, and degrading it to `Unreachable` keeps this
        // function free of undefined behaviour anyway.
        TrapCode::from_u8(byte).unwrap_or(TrapCode::Unreachable)
    }
}

/// Where encoded bytes go.
pub trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
}

#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        // Byte by byte: operands are a few bytes of a size known where this
        // is inlined, and `push` inlines where `extend_from_slice` did not
        // (a call per operand, most of an op's encoding cost).
        for &byte in bytes {
            self.push(byte);
        }
    }
}

/// Counts bytes instead of storing them: the size of an encoding.
#[derive(Default, Debug)]
pub struct SizeCounter(pub usize);

impl Sink for SizeCounter {
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

/// A list of slots as stored in bytecode: a `u16` count, then one `u16` per
/// slot. Borrowed from the code it was decoded from.
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct SlotList<'a> {
    /// The entries, two bytes each, without the count.
    bytes: &'a [u8],
}

impl<'a> SlotList<'a> {
    /// Wraps already-validated entry bytes (an even number of them).
    pub fn from_entry_bytes(bytes: &'a [u8]) -> Self {
        debug_assert!(bytes.len().is_multiple_of(2));
        SlotList { bytes }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.bytes.len() / 2
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The `i`th slot.
    pub fn get(&self, i: usize) -> Option<Slot> {
        let pair = self.bytes.get(2 * i..2 * i + 2)?;
        Some(Slot(u16::from_le_bytes([pair[0], pair[1]])))
    }

    /// The slots in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Slot> + use<'a> {
        self.bytes
            .chunks_exact(2)
            .map(|pair| Slot(u16::from_le_bytes([pair[0], pair[1]])))
    }
}

impl fmt::Debug for SlotList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A `br_table` jump table as stored in bytecode: a `u32` count `n >= 1`,
/// then `n` [`PcRel`] offsets (each relative to the `br_table` opcode). An
/// index `i` selects entry `min(i, n - 1)`: the last entry is the default.
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct JumpTableRef<'a> {
    /// The entries, four bytes each, without the count.
    bytes: &'a [u8],
}

impl<'a> JumpTableRef<'a> {
    /// Wraps already-validated entry bytes (a multiple of four, at least four).
    pub fn from_entry_bytes(bytes: &'a [u8]) -> Self {
        debug_assert!(bytes.len().is_multiple_of(4) && !bytes.is_empty());
        JumpTableRef { bytes }
    }

    /// Number of entries, the default included.
    pub fn len(&self) -> usize {
        self.bytes.len() / 4
    }

    /// Whether the table has no entries (never true for decoded tables).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The entries in order; the last is the default.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PcRel> + use<'a> {
        self.bytes
            .chunks_exact(4)
            .map(|quad| PcRel(i32::from_le_bytes([quad[0], quad[1], quad[2], quad[3]])))
    }
}

impl fmt::Debug for JumpTableRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A bounds-checked cursor over bytecode, used by the decoder.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    /// A reader at `position` of `bytes`.
    #[inline]
    pub fn new(bytes: &'a [u8], position: usize) -> Self {
        Reader { bytes, position }
    }

    /// The offset of the next byte to read.
    #[inline]
    pub fn position(&self) -> usize {
        self.position
    }

    /// The whole buffer being read.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Takes the next `len` bytes.
    #[inline]
    pub fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .position
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(DecodeError::UnexpectedEnd { at: self.position })?;
        let taken = &self.bytes[self.position..end];
        self.position = end;
        Ok(taken)
    }

    /// Takes the next `N` bytes as an array.
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let taken = self.take(N)?;
        let mut array = [0; N];
        array.copy_from_slice(taken);
        Ok(array)
    }

    /// Reads one byte.
    #[inline]
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        self.array::<1>().map(|[b]| b)
    }

    /// Reads a little-endian `u16`.
    #[inline]
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        self.array().map(u16::from_le_bytes)
    }

    /// Reads a little-endian `u32`.
    #[inline]
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_le_bytes)
    }

    /// Reads a one-byte slot (`Dst`, `Src`).
    #[inline]
    pub fn slot8(&mut self) -> Result<Slot, DecodeError> {
        self.u8().map(|b| Slot(u16::from(b)))
    }

    /// Reads a two-byte slot (`DstWide`, `SrcWide`).
    #[inline]
    pub fn slot16(&mut self) -> Result<Slot, DecodeError> {
        self.u16().map(Slot)
    }

    /// Reads a branch offset.
    #[inline]
    pub fn pc_rel(&mut self) -> Result<PcRel, DecodeError> {
        self.array().map(|b| PcRel(i32::from_le_bytes(b)))
    }

    /// Reads a slot list.
    pub fn slot_list(&mut self) -> Result<SlotList<'a>, DecodeError> {
        let count = self.u16()?;
        let bytes = self.take(2 * usize::from(count))?;
        Ok(SlotList { bytes })
    }

    /// Reads a jump table.
    pub fn jump_table(&mut self) -> Result<JumpTableRef<'a>, DecodeError> {
        let at = self.position;
        let count = self.u32()?;
        if count == 0 {
            return Err(DecodeError::EmptyJumpTable { at });
        }
        let len = usize::try_from(count)
            .ok()
            .and_then(|n| n.checked_mul(4))
            .ok_or(DecodeError::UnexpectedEnd { at })?;
        let bytes = self.take(len)?;
        Ok(JumpTableRef { bytes })
    }
}

/// Appends a one-byte slot, failing if it does not fit.
#[inline]
pub fn encode_slot8(out: &mut impl Sink, slot: Slot) -> Result<(), crate::EncodeError> {
    let byte =
        u8::try_from(slot.0).map_err(|_| crate::EncodeError::SlotTooWide { slot: slot.0 })?;
    out.put(&[byte]);
    Ok(())
}

/// Appends a two-byte slot.
#[inline]
pub fn encode_slot16(out: &mut impl Sink, slot: Slot) {
    out.put(&slot.0.to_le_bytes());
}

/// Appends a branch offset.
#[inline]
pub fn encode_pc_rel(out: &mut impl Sink, offset: PcRel) {
    out.put(&offset.0.to_le_bytes());
}

/// Appends a slot list: count, then the entries.
pub fn encode_slot_list(
    out: &mut impl Sink,
    slots: impl ExactSizeIterator<Item = Slot>,
) -> Result<(), crate::EncodeError> {
    let count = u16::try_from(slots.len())
        .map_err(|_| crate::EncodeError::ListTooLong { len: slots.len() })?;
    out.put(&count.to_le_bytes());
    for slot in slots {
        out.put(&slot.0.to_le_bytes());
    }
    Ok(())
}

/// Appends a jump table: count, then the offsets (the last is the default).
pub fn encode_jump_table(
    out: &mut impl Sink,
    offsets: impl ExactSizeIterator<Item = PcRel>,
) -> Result<(), crate::EncodeError> {
    if offsets.len() == 0 {
        return Err(crate::EncodeError::EmptyJumpTable);
    }
    let count = u32::try_from(offsets.len())
        .map_err(|_| crate::EncodeError::ListTooLong { len: offsets.len() })?;
    out.put(&count.to_le_bytes());
    for offset in offsets {
        out.put(&offset.0.to_le_bytes());
    }
    Ok(())
}
