//! Operand families: which Rust types stand for register-like operands.
//!
//! The generated [`GenericOp`](crate::GenericOp) is parameterized by an
//! [`OperandFamily`]. Decoded bytecode uses [`Decoded`] (slots, byte offsets,
//! lists borrowed from the code); a compiler can define its own family
//! (virtual registers, block labels) and build the very same op enum before
//! register allocation, then [`map`](crate::GenericOp::map) it to [`Owned`]
//! and encode it. Immediates have the same type in every family.

use core::fmt::Debug;
use core::marker::PhantomData;

use crate::operands::{IndexKind, JumpTableRef, PcRel, Slot, SlotList};

/// The types a family uses for each register-like operand kind of the table.
pub trait OperandFamily {
    /// A slot the op writes (encoded in one byte).
    type Dst: Debug + Clone + PartialEq;
    /// A slot the op reads (encoded in one byte).
    type Src: Debug + Clone + PartialEq;
    /// A slot the op writes (encoded in two bytes).
    type DstWide: Debug + Clone + PartialEq;
    /// A slot the op reads (encoded in two bytes).
    type SrcWide: Debug + Clone + PartialEq;
    /// A list of slots the op writes.
    type DstList: Debug + Clone + PartialEq;
    /// A list of slots the op reads.
    type SrcList: Debug + Clone + PartialEq;
    /// A branch target.
    type Target: Debug + Clone + PartialEq;
    /// A `br_table` list of branch targets; the last is the default.
    type JumpTable: Debug + Clone + PartialEq;
}

/// Operands as decoded from bytecode, borrowing lists from the code.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Decoded<'a>(PhantomData<&'a [u8]>);

impl<'a> OperandFamily for Decoded<'a> {
    type Dst = Slot;
    type Src = Slot;
    type DstWide = Slot;
    type SrcWide = Slot;
    type DstList = SlotList<'a>;
    type SrcList = SlotList<'a>;
    type Target = PcRel;
    type JumpTable = JumpTableRef<'a>;
}

/// Operands with owned lists, as a compiler builds them for encoding.
#[cfg(feature = "alloc")]
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Owned;

#[cfg(feature = "alloc")]
impl OperandFamily for Owned {
    type Dst = Slot;
    type Src = Slot;
    type DstWide = Slot;
    type SrcWide = Slot;
    type DstList = alloc::vec::Vec<Slot>;
    type SrcList = alloc::vec::Vec<Slot>;
    type Target = PcRel;
    type JumpTable = alloc::vec::Vec<PcRel>;
}

/// A family whose ops can be encoded: slots, byte offsets, and lists that
/// can be iterated.
pub trait EncodeFamily:
    OperandFamily<
        Dst = Slot,
        Src = Slot,
        DstWide = Slot,
        SrcWide = Slot,
        Target = PcRel,
        DstList: SlotSequence,
        SrcList: SlotSequence,
        JumpTable: TargetSequence,
    >
{
}

impl<F> EncodeFamily for F
where
    F: OperandFamily<Dst = Slot, Src = Slot, DstWide = Slot, SrcWide = Slot, Target = PcRel>,
    F::DstList: SlotSequence,
    F::SrcList: SlotSequence,
    F::JumpTable: TargetSequence,
{
}

/// A list of slots that can be iterated for encoding.
pub trait SlotSequence {
    /// The slots in order.
    fn slots(&self) -> impl ExactSizeIterator<Item = Slot> + '_;
}

impl SlotSequence for SlotList<'_> {
    fn slots(&self) -> impl ExactSizeIterator<Item = Slot> + '_ {
        self.iter()
    }
}

#[cfg(feature = "alloc")]
impl SlotSequence for alloc::vec::Vec<Slot> {
    fn slots(&self) -> impl ExactSizeIterator<Item = Slot> + '_ {
        self.iter().copied()
    }
}

/// A list of branch targets that can be iterated for encoding.
pub trait TargetSequence {
    /// The targets in order; the last is the default.
    fn targets(&self) -> impl ExactSizeIterator<Item = PcRel> + '_;
}

impl TargetSequence for JumpTableRef<'_> {
    fn targets(&self) -> impl ExactSizeIterator<Item = PcRel> + '_ {
        self.iter()
    }
}

#[cfg(feature = "alloc")]
impl TargetSequence for alloc::vec::Vec<PcRel> {
    fn targets(&self) -> impl ExactSizeIterator<Item = PcRel> + '_ {
        self.iter().copied()
    }
}

/// Converts the register-like operands of one family into another's, for
/// [`GenericOp::map`](crate::GenericOp::map).
pub trait OperandMapper<F: OperandFamily, G: OperandFamily> {
    /// Maps a written slot.
    fn dst(&mut self, dst: &F::Dst) -> G::Dst;
    /// Maps a read slot.
    fn src(&mut self, src: &F::Src) -> G::Src;
    /// Maps a written wide slot.
    fn dst_wide(&mut self, dst: &F::DstWide) -> G::DstWide;
    /// Maps a read wide slot.
    fn src_wide(&mut self, src: &F::SrcWide) -> G::SrcWide;
    /// Maps a list of written slots.
    fn dst_list(&mut self, list: &F::DstList) -> G::DstList;
    /// Maps a list of read slots.
    fn src_list(&mut self, list: &F::SrcList) -> G::SrcList;
    /// Maps a branch target.
    fn target(&mut self, target: &F::Target) -> G::Target;
    /// Maps a jump table.
    fn jump_table(&mut self, table: &F::JumpTable) -> G::JumpTable;
}

/// Visits the register-like and index operands of an op, in table order, for
/// [`GenericOp::visit_operands`](crate::GenericOp::visit_operands).
/// Every method does nothing unless overridden.
#[allow(unused_variables)]
pub trait OperandVisitor<F: OperandFamily> {
    /// A written slot.
    fn dst(&mut self, dst: &F::Dst) {}
    /// A read slot.
    fn src(&mut self, src: &F::Src) {}
    /// A written wide slot.
    fn dst_wide(&mut self, dst: &F::DstWide) {}
    /// A read wide slot.
    fn src_wide(&mut self, src: &F::SrcWide) {}
    /// A list of written slots.
    fn dst_list(&mut self, list: &F::DstList) {}
    /// A list of read slots.
    fn src_list(&mut self, list: &F::SrcList) {}
    /// A branch target.
    fn target(&mut self, target: &F::Target) {}
    /// A jump table.
    fn jump_table(&mut self, table: &F::JumpTable) {}
    /// An index immediate (`FuncIndex`, `GlobalIndex`, ...) into one of the
    /// program's or the embedder's tables.
    fn index(&mut self, kind: IndexKind, index: u32) {}
}

/// Expands an operand kind of the table to its Rust type in family `$F`.
#[doc(hidden)]
#[macro_export]
macro_rules! __operand_type {
    ($F:ty, Dst) => {
        <$F as $crate::OperandFamily>::Dst
    };
    ($F:ty, Src) => {
        <$F as $crate::OperandFamily>::Src
    };
    ($F:ty, DstWide) => {
        <$F as $crate::OperandFamily>::DstWide
    };
    ($F:ty, SrcWide) => {
        <$F as $crate::OperandFamily>::SrcWide
    };
    ($F:ty, DstList) => {
        <$F as $crate::OperandFamily>::DstList
    };
    ($F:ty, SrcList) => {
        <$F as $crate::OperandFamily>::SrcList
    };
    ($F:ty, Target) => {
        <$F as $crate::OperandFamily>::Target
    };
    ($F:ty, JumpTable) => {
        <$F as $crate::OperandFamily>::JumpTable
    };
    ($F:ty, $immediate:ident) => {
        $crate::operands::$immediate
    };
}

/// Maps one operand through an [`OperandMapper`]; immediates are copied.
#[doc(hidden)]
#[macro_export]
macro_rules! __map_operand {
    ($m:ident, Dst, $v:expr) => {
        $m.dst($v)
    };
    ($m:ident, Src, $v:expr) => {
        $m.src($v)
    };
    ($m:ident, DstWide, $v:expr) => {
        $m.dst_wide($v)
    };
    ($m:ident, SrcWide, $v:expr) => {
        $m.src_wide($v)
    };
    ($m:ident, DstList, $v:expr) => {
        $m.dst_list($v)
    };
    ($m:ident, SrcList, $v:expr) => {
        $m.src_list($v)
    };
    ($m:ident, Target, $v:expr) => {
        $m.target($v)
    };
    ($m:ident, JumpTable, $v:expr) => {
        $m.jump_table($v)
    };
    ($m:ident, $immediate:ident, $v:expr) => {
        *$v
    };
}

/// Passes one operand to an [`OperandVisitor`]; immediates are skipped.
#[doc(hidden)]
#[macro_export]
macro_rules! __visit_operand {
    ($v:ident, Dst, $x:expr) => {
        $v.dst($x)
    };
    ($v:ident, Src, $x:expr) => {
        $v.src($x)
    };
    ($v:ident, DstWide, $x:expr) => {
        $v.dst_wide($x)
    };
    ($v:ident, SrcWide, $x:expr) => {
        $v.src_wide($x)
    };
    ($v:ident, DstList, $x:expr) => {
        $v.dst_list($x)
    };
    ($v:ident, SrcList, $x:expr) => {
        $v.src_list($x)
    };
    ($v:ident, Target, $x:expr) => {
        $v.target($x)
    };
    ($v:ident, JumpTable, $x:expr) => {
        $v.jump_table($x)
    };
    ($v:ident, FuncIndex, $x:expr) => {
        $crate::__visit_index!($v, FuncIndex, $x)
    };
    ($v:ident, ImportIndex, $x:expr) => {
        $crate::__visit_index!($v, ImportIndex, $x)
    };
    ($v:ident, FuncRefIndex, $x:expr) => {
        $crate::__visit_index!($v, FuncRefIndex, $x)
    };
    ($v:ident, GlobalIndex, $x:expr) => {
        $crate::__visit_index!($v, GlobalIndex, $x)
    };
    ($v:ident, TableIndex, $x:expr) => {
        $crate::__visit_index!($v, TableIndex, $x)
    };
    ($v:ident, TypeIndex, $x:expr) => {
        $crate::__visit_index!($v, TypeIndex, $x)
    };
    ($v:ident, BuiltinIndex, $x:expr) => {
        $crate::__visit_index!($v, BuiltinIndex, $x)
    };
    ($v:ident, $immediate:ident, $x:expr) => {
        ()
    };
}

/// Passes an index immediate to [`OperandVisitor::index`] with its kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __visit_index {
    ($v:ident, $index:ident, $x:expr) => {
        $v.index($crate::operands::$index::KIND, $x.0)
    };
}

/// Decodes one operand of the given kind from a [`Reader`](crate::operands::Reader).
#[doc(hidden)]
#[macro_export]
macro_rules! __decode_operand {
    ($r:ident, Dst) => {
        $r.slot8()
    };
    ($r:ident, Src) => {
        $r.slot8()
    };
    ($r:ident, DstWide) => {
        $r.slot16()
    };
    ($r:ident, SrcWide) => {
        $r.slot16()
    };
    ($r:ident, DstList) => {
        $r.slot_list()
    };
    ($r:ident, SrcList) => {
        $r.slot_list()
    };
    ($r:ident, Target) => {
        $r.pc_rel()
    };
    ($r:ident, JumpTable) => {
        $r.jump_table()
    };
    ($r:ident, $immediate:ident) => {
        <$crate::operands::$immediate as $crate::operands::Immediate>::decode($r)
    };
}

/// Encodes one operand of the given kind into a [`Sink`](crate::operands::Sink).
#[doc(hidden)]
#[macro_export]
macro_rules! __encode_operand {
    ($out:ident, Dst, $v:expr) => {
        $crate::operands::encode_slot8($out, *$v)?
    };
    ($out:ident, Src, $v:expr) => {
        $crate::operands::encode_slot8($out, *$v)?
    };
    ($out:ident, DstWide, $v:expr) => {
        $crate::operands::encode_slot16($out, *$v)
    };
    ($out:ident, SrcWide, $v:expr) => {
        $crate::operands::encode_slot16($out, *$v)
    };
    ($out:ident, DstList, $v:expr) => {
        $crate::operands::encode_slot_list($out, $crate::SlotSequence::slots($v))?
    };
    ($out:ident, SrcList, $v:expr) => {
        $crate::operands::encode_slot_list($out, $crate::SlotSequence::slots($v))?
    };
    ($out:ident, Target, $v:expr) => {
        $crate::operands::encode_pc_rel($out, *$v)
    };
    ($out:ident, JumpTable, $v:expr) => {
        $crate::operands::encode_jump_table($out, $crate::TargetSequence::targets($v))?
    };
    ($out:ident, $immediate:ident, $v:expr) => {
        <$crate::operands::$immediate as $crate::operands::Immediate>::encode($v, $out)
    };
}

/// The encoded size of an operand kind, or `None` for variable-length lists.
#[doc(hidden)]
#[macro_export]
macro_rules! __operand_size {
    (Dst) => {
        Some(1usize)
    };
    (Src) => {
        Some(1usize)
    };
    (DstWide) => {
        Some(2usize)
    };
    (SrcWide) => {
        Some(2usize)
    };
    (DstList) => {
        None::<usize>
    };
    (SrcList) => {
        None::<usize>
    };
    (Target) => {
        Some(4usize)
    };
    (JumpTable) => {
        None::<usize>
    };
    ($immediate:ident) => {
        Some(<$crate::operands::$immediate as $crate::operands::Immediate>::SIZE)
    };
}
