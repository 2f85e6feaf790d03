//! The baseline tier's SIMD operators. A `v128` operand takes two slots,
//! `lo` (bytes 0..8) and `hi` (bytes 8..16), which the ISA's `v` ops name
//! one by one.
//!
//! Most operators have an op of their own; the loads that splat or zero
//! take a scalar load first, and the 64-bit lanes of `i64x2`/`f64x2` are
//! plain slots. The others are composed as the optimizing translator
//! composes them (see `translate::simd`): extended multiplies and pairwise
//! additions widen first, `pmin`/`pmax` select on a comparison, lane loads
//! and stores go through a scalar. Relaxed SIMD makes the same choices as
//! there. The relaxed dot products are refused: their functions go through
//! the optimizing tier.

use pulley_isa::{OwnedOp, Slot};
use wasmparser::Operator;

use super::{Baseline, Refusal, Result};

/// `dst = op(a, b)` on vectors: `(dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi)`.
type VectorBinary = fn(Slot, Slot, Slot, Slot, Slot, Slot) -> OwnedOp;
/// `dst = op(src)` on vectors: `(dst_lo, dst_hi, src_lo, src_hi)`.
type VectorUnary = fn(Slot, Slot, Slot, Slot) -> OwnedOp;
/// `dst = a << amount` and the like: `(dst_lo, dst_hi, a_lo, a_hi, amount)`.
type VectorShift = fn(Slot, Slot, Slot, Slot, Slot) -> OwnedOp;
/// A scalar of a vector: `(dst, src_lo, src_hi)`.
type VectorReduce = fn(Slot, Slot, Slot) -> OwnedOp;
/// A vector of a scalar: `(dst_lo, dst_hi, src)`.
type Splat = fn(Slot, Slot, Slot) -> OwnedOp;
/// A fused multiply-add: `(dst_lo, dst_hi, a.., b.., c..)`.
type VectorFma = fn(Slot, Slot, Slot, Slot, Slot, Slot, Slot, Slot) -> OwnedOp;

macro_rules! vbinary {
    ($name:ident) => {
        |dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi| OwnedOp::$name {
            dst_lo,
            dst_hi,
            a_lo,
            a_hi,
            b_lo,
            b_hi,
        }
    };
}

/// A lane-wise comparison with its operands swapped (`a > b` is `b < a`).
macro_rules! vswapped {
    ($name:ident) => {
        |dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi| OwnedOp::$name {
            dst_lo,
            dst_hi,
            a_lo: b_lo,
            a_hi: b_hi,
            b_lo: a_lo,
            b_hi: a_hi,
        }
    };
}

/// `(dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi)`: `a * b + c`.
macro_rules! vfma {
    ($name:ident) => {
        |dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi| OwnedOp::$name {
            dst_lo,
            dst_hi,
            a_lo,
            a_hi,
            b_lo,
            b_hi,
            c_lo,
            c_hi,
        }
    };
}

macro_rules! vunary {
    ($name:ident) => {
        |dst_lo, dst_hi, src_lo, src_hi| OwnedOp::$name {
            dst_lo,
            dst_hi,
            src_lo,
            src_hi,
        }
    };
}

macro_rules! vshift {
    ($name:ident) => {
        |dst_lo, dst_hi, a_lo, a_hi, amount| OwnedOp::$name {
            dst_lo,
            dst_hi,
            a_lo,
            a_hi,
            amount,
        }
    };
}

macro_rules! vreduce {
    ($name:ident) => {
        |dst, src_lo, src_hi| OwnedOp::$name {
            dst,
            src_lo,
            src_hi,
        }
    };
}

macro_rules! splat {
    ($name:ident) => {
        |dst_lo, dst_hi, src| OwnedOp::$name {
            dst_lo,
            dst_hi,
            src,
        }
    };
}

impl Baseline<'_> {
    /// Translates a SIMD operator, or refuses it.
    pub(super) fn simd_operator(&mut self, op: Operator<'_>) -> Result<()> {
        use Operator as O;
        match op {
            // Memory.
            O::V128Load { memarg } => {
                let offset = self.memarg(memarg)?;
                let addr = self.pop_slot()?;
                let (dst_lo, dst_hi) = self.push_vector()?;
                self.emit(OwnedOp::Vload128 {
                    dst_lo,
                    dst_hi,
                    addr,
                    offset,
                })?;
                Ok(())
            }
            O::V128Store { memarg } => {
                let offset = self.memarg(memarg)?;
                let (src_lo, src_hi) = self.pop_vector()?;
                let addr = self.pop_slot()?;
                self.emit(OwnedOp::Vstore128 {
                    addr,
                    offset,
                    src_lo,
                    src_hi,
                })?;
                Ok(())
            }
            O::V128Load8Splat { memarg } => self.load_splat(
                memarg,
                |dst, addr, offset| OwnedOp::Load8U { dst, addr, offset },
                Some(splat!(VsplatI8x16)),
            ),
            O::V128Load16Splat { memarg } => self.load_splat(
                memarg,
                |dst, addr, offset| OwnedOp::Load16U { dst, addr, offset },
                Some(splat!(VsplatI16x8)),
            ),
            O::V128Load32Splat { memarg } => self.load_splat(
                memarg,
                |dst, addr, offset| OwnedOp::Load32U { dst, addr, offset },
                Some(splat!(VsplatI32x4)),
            ),
            O::V128Load64Splat { memarg } => self.load_splat(
                memarg,
                |dst, addr, offset| OwnedOp::Load64 { dst, addr, offset },
                None,
            ),
            O::V128Load32Zero { memarg } => self
                .load_low(memarg, |dst, addr, offset| OwnedOp::Load32U {
                    dst,
                    addr,
                    offset,
                })
                .map(drop),
            O::V128Load64Zero { memarg } => self
                .load_low(memarg, |dst, addr, offset| OwnedOp::Load64 {
                    dst,
                    addr,
                    offset,
                })
                .map(drop),
            O::V128Load8x8S { memarg } => self.load_widened(memarg, vunary!(VwidenLowSI8x16)),
            O::V128Load8x8U { memarg } => self.load_widened(memarg, vunary!(VwidenLowUI8x16)),
            O::V128Load16x4S { memarg } => self.load_widened(memarg, vunary!(VwidenLowSI16x8)),
            O::V128Load16x4U { memarg } => self.load_widened(memarg, vunary!(VwidenLowUI16x8)),
            O::V128Load32x2S { memarg } => self.load_widened(memarg, vunary!(VwidenLowSI32x4)),
            O::V128Load32x2U { memarg } => self.load_widened(memarg, vunary!(VwidenLowUI32x4)),

            // Constants, lanes, splats.
            O::V128Const { value } => {
                let bits = value.i128();
                let (lo, hi) = self.push_vector()?;
                self.write_const(lo, bits as i64)?;
                self.write_const(hi, (bits >> 64) as i64)?;
                Ok(())
            }
            O::I8x16Shuffle { lanes } => {
                let (b_lo, b_hi) = self.pop_vector()?;
                let (a_lo, a_hi) = self.pop_vector()?;
                let (dst_lo, dst_hi) = self.push_vector()?;
                self.emit(OwnedOp::Vshuffle {
                    dst_lo,
                    dst_hi,
                    a_lo,
                    a_hi,
                    b_lo,
                    b_hi,
                    lanes: u128::from_le_bytes(lanes),
                })?;
                Ok(())
            }
            O::I8x16Swizzle => self.vector_binary(vbinary!(Vswizzle)),
            O::I8x16Splat => self.splat(splat!(VsplatI8x16)),
            O::I16x8Splat => self.splat(splat!(VsplatI16x8)),
            O::I32x4Splat | O::F32x4Splat => self.splat(splat!(VsplatI32x4)),
            O::I64x2Splat | O::F64x2Splat => {
                let src = self.pop_slot()?;
                let (lo, hi) = self.push_vector()?;
                self.emit(OwnedOp::Mov { dst: hi, src })?;
                if lo != src {
                    self.emit(OwnedOp::Mov { dst: lo, src })?;
                }
                Ok(())
            }
            O::I8x16ExtractLaneS { lane } => {
                self.extract(lane, vextract(ExtractWidth::I8))?;
                self.sign_extend_top(|dst, src| OwnedOp::Xsext8 { dst, src })
            }
            O::I8x16ExtractLaneU { lane } => self.extract(lane, vextract(ExtractWidth::I8)),
            O::I16x8ExtractLaneS { lane } => {
                self.extract(lane, vextract(ExtractWidth::I16))?;
                self.sign_extend_top(|dst, src| OwnedOp::Xsext16 { dst, src })
            }
            O::I16x8ExtractLaneU { lane } => self.extract(lane, vextract(ExtractWidth::I16)),
            O::I32x4ExtractLane { lane } | O::F32x4ExtractLane { lane } => {
                self.extract(lane, vextract(ExtractWidth::I32))
            }
            O::I64x2ExtractLane { lane } | O::F64x2ExtractLane { lane } => {
                let (lo, hi) = self.pop_vector()?;
                let dst = self.push_home()?;
                let src = if lane == 0 { lo } else { hi };
                if dst != src {
                    self.emit(OwnedOp::Mov { dst, src })?;
                }
                Ok(())
            }
            O::I8x16ReplaceLane { lane } => self.replace(lane, Some(ExtractWidth::I8)),
            O::I16x8ReplaceLane { lane } => self.replace(lane, Some(ExtractWidth::I16)),
            O::I32x4ReplaceLane { lane } | O::F32x4ReplaceLane { lane } => {
                self.replace(lane, Some(ExtractWidth::I32))
            }
            O::I64x2ReplaceLane { lane } | O::F64x2ReplaceLane { lane } => self.replace(lane, None),

            // Comparisons.
            O::I8x16Eq => self.vector_binary(vbinary!(VeqI8x16)),
            O::I8x16Ne => self.vector_binary(vbinary!(VneI8x16)),
            O::I8x16LtS => self.vector_binary(vbinary!(VltSI8x16)),
            O::I8x16LtU => self.vector_binary(vbinary!(VltUI8x16)),
            O::I8x16GtS => self.vector_binary(vswapped!(VltSI8x16)),
            O::I8x16GtU => self.vector_binary(vswapped!(VltUI8x16)),
            O::I8x16LeS => self.vector_binary(vbinary!(VleSI8x16)),
            O::I8x16LeU => self.vector_binary(vbinary!(VleUI8x16)),
            O::I8x16GeS => self.vector_binary(vswapped!(VleSI8x16)),
            O::I8x16GeU => self.vector_binary(vswapped!(VleUI8x16)),
            O::I16x8Eq => self.vector_binary(vbinary!(VeqI16x8)),
            O::I16x8Ne => self.vector_binary(vbinary!(VneI16x8)),
            O::I16x8LtS => self.vector_binary(vbinary!(VltSI16x8)),
            O::I16x8LtU => self.vector_binary(vbinary!(VltUI16x8)),
            O::I16x8GtS => self.vector_binary(vswapped!(VltSI16x8)),
            O::I16x8GtU => self.vector_binary(vswapped!(VltUI16x8)),
            O::I16x8LeS => self.vector_binary(vbinary!(VleSI16x8)),
            O::I16x8LeU => self.vector_binary(vbinary!(VleUI16x8)),
            O::I16x8GeS => self.vector_binary(vswapped!(VleSI16x8)),
            O::I16x8GeU => self.vector_binary(vswapped!(VleUI16x8)),
            O::I32x4Eq => self.vector_binary(vbinary!(VeqI32x4)),
            O::I32x4Ne => self.vector_binary(vbinary!(VneI32x4)),
            O::I32x4LtS => self.vector_binary(vbinary!(VltSI32x4)),
            O::I32x4LtU => self.vector_binary(vbinary!(VltUI32x4)),
            O::I32x4GtS => self.vector_binary(vswapped!(VltSI32x4)),
            O::I32x4GtU => self.vector_binary(vswapped!(VltUI32x4)),
            O::I32x4LeS => self.vector_binary(vbinary!(VleSI32x4)),
            O::I32x4LeU => self.vector_binary(vbinary!(VleUI32x4)),
            O::I32x4GeS => self.vector_binary(vswapped!(VleSI32x4)),
            O::I32x4GeU => self.vector_binary(vswapped!(VleUI32x4)),
            O::I64x2Eq => self.vector_binary(vbinary!(VeqI64x2)),
            O::I64x2Ne => self.vector_binary(vbinary!(VneI64x2)),
            O::I64x2LtS => self.vector_binary(vbinary!(VltSI64x2)),
            O::I64x2GtS => self.vector_binary(vswapped!(VltSI64x2)),
            O::I64x2LeS => self.vector_binary(vbinary!(VleSI64x2)),
            O::I64x2GeS => self.vector_binary(vswapped!(VleSI64x2)),
            O::F32x4Eq => self.vector_binary(vbinary!(VfeqF32x4)),
            O::F32x4Ne => self.vector_binary(vbinary!(VfneF32x4)),
            O::F32x4Lt => self.vector_binary(vbinary!(VfltF32x4)),
            O::F32x4Gt => self.vector_binary(vswapped!(VfltF32x4)),
            O::F32x4Le => self.vector_binary(vbinary!(VfleF32x4)),
            O::F32x4Ge => self.vector_binary(vswapped!(VfleF32x4)),
            O::F64x2Eq => self.vector_binary(vbinary!(VfeqF64x2)),
            O::F64x2Ne => self.vector_binary(vbinary!(VfneF64x2)),
            O::F64x2Lt => self.vector_binary(vbinary!(VfltF64x2)),
            O::F64x2Gt => self.vector_binary(vswapped!(VfltF64x2)),
            O::F64x2Le => self.vector_binary(vbinary!(VfleF64x2)),
            O::F64x2Ge => self.vector_binary(vswapped!(VfleF64x2)),

            // Bits.
            O::V128Not => self.vector_unary(vunary!(Vnot)),
            O::V128And => self.vector_binary(vbinary!(Vand)),
            O::V128AndNot => self.vector_binary(vbinary!(Vandnot)),
            O::V128Or => self.vector_binary(vbinary!(Vor)),
            O::V128Xor => self.vector_binary(vbinary!(Vxor)),
            O::V128Bitselect => {
                let (mask_lo, mask_hi) = self.pop_vector()?;
                let (b_lo, b_hi) = self.pop_vector()?;
                let (a_lo, a_hi) = self.pop_vector()?;
                let (dst_lo, dst_hi) = self.push_vector()?;
                self.emit(OwnedOp::Vbitselect {
                    dst_lo,
                    dst_hi,
                    mask_lo,
                    mask_hi,
                    a_lo,
                    a_hi,
                    b_lo,
                    b_hi,
                })?;
                Ok(())
            }
            O::V128AnyTrue => self.reduce(vreduce!(VanyTrue)),
            O::I8x16AllTrue => self.reduce(vreduce!(VallTrueI8x16)),
            O::I16x8AllTrue => self.reduce(vreduce!(VallTrueI16x8)),
            O::I32x4AllTrue => self.reduce(vreduce!(VallTrueI32x4)),
            O::I64x2AllTrue => self.reduce(vreduce!(VallTrueI64x2)),
            O::I8x16Bitmask => self.reduce(vreduce!(VbitmaskI8x16)),
            O::I16x8Bitmask => self.reduce(vreduce!(VbitmaskI16x8)),
            O::I32x4Bitmask => self.reduce(vreduce!(VbitmaskI32x4)),
            O::I64x2Bitmask => self.reduce(vreduce!(VbitmaskI64x2)),
            O::I8x16Shl => self.shift(vshift!(VshlI8x16)),
            O::I8x16ShrS => self.shift(vshift!(VshrSI8x16)),
            O::I8x16ShrU => self.shift(vshift!(VshrUI8x16)),
            O::I16x8Shl => self.shift(vshift!(VshlI16x8)),
            O::I16x8ShrS => self.shift(vshift!(VshrSI16x8)),
            O::I16x8ShrU => self.shift(vshift!(VshrUI16x8)),
            O::I32x4Shl => self.shift(vshift!(VshlI32x4)),
            O::I32x4ShrS => self.shift(vshift!(VshrSI32x4)),
            O::I32x4ShrU => self.shift(vshift!(VshrUI32x4)),
            O::I64x2Shl => self.shift(vshift!(VshlI64x2)),
            O::I64x2ShrS => self.shift(vshift!(VshrSI64x2)),
            O::I64x2ShrU => self.shift(vshift!(VshrUI64x2)),

            // Integer lanes.
            O::I8x16Abs => self.vector_unary(vunary!(VabsI8x16)),
            O::I16x8Abs => self.vector_unary(vunary!(VabsI16x8)),
            O::I32x4Abs => self.vector_unary(vunary!(VabsI32x4)),
            O::I64x2Abs => self.vector_unary(vunary!(VabsI64x2)),
            O::I8x16Neg => self.vector_unary(vunary!(VnegI8x16)),
            O::I16x8Neg => self.vector_unary(vunary!(VnegI16x8)),
            O::I32x4Neg => self.vector_unary(vunary!(VnegI32x4)),
            O::I64x2Neg => self.vector_unary(vunary!(VnegI64x2)),
            O::I8x16Popcnt => self.vector_unary(vunary!(VpopcntI8x16)),
            O::I8x16Add => self.vector_binary(vbinary!(VaddI8x16)),
            O::I16x8Add => self.vector_binary(vbinary!(VaddI16x8)),
            O::I32x4Add => self.vector_binary(vbinary!(VaddI32x4)),
            O::I64x2Add => self.vector_binary(vbinary!(VaddI64x2)),
            O::I8x16Sub => self.vector_binary(vbinary!(VsubI8x16)),
            O::I16x8Sub => self.vector_binary(vbinary!(VsubI16x8)),
            O::I32x4Sub => self.vector_binary(vbinary!(VsubI32x4)),
            O::I64x2Sub => self.vector_binary(vbinary!(VsubI64x2)),
            O::I16x8Mul => self.vector_binary(vbinary!(VmulI16x8)),
            O::I32x4Mul => self.vector_binary(vbinary!(VmulI32x4)),
            O::I64x2Mul => self.vector_binary(vbinary!(VmulI64x2)),
            O::I8x16AddSatS => self.vector_binary(vbinary!(VaddSatSI8x16)),
            O::I8x16AddSatU => self.vector_binary(vbinary!(VaddSatUI8x16)),
            O::I8x16SubSatS => self.vector_binary(vbinary!(VsubSatSI8x16)),
            O::I8x16SubSatU => self.vector_binary(vbinary!(VsubSatUI8x16)),
            O::I16x8AddSatS => self.vector_binary(vbinary!(VaddSatSI16x8)),
            O::I16x8AddSatU => self.vector_binary(vbinary!(VaddSatUI16x8)),
            O::I16x8SubSatS => self.vector_binary(vbinary!(VsubSatSI16x8)),
            O::I16x8SubSatU => self.vector_binary(vbinary!(VsubSatUI16x8)),
            O::I8x16MinS => self.vector_binary(vbinary!(VminSI8x16)),
            O::I8x16MinU => self.vector_binary(vbinary!(VminUI8x16)),
            O::I8x16MaxS => self.vector_binary(vbinary!(VmaxSI8x16)),
            O::I8x16MaxU => self.vector_binary(vbinary!(VmaxUI8x16)),
            O::I16x8MinS => self.vector_binary(vbinary!(VminSI16x8)),
            O::I16x8MinU => self.vector_binary(vbinary!(VminUI16x8)),
            O::I16x8MaxS => self.vector_binary(vbinary!(VmaxSI16x8)),
            O::I16x8MaxU => self.vector_binary(vbinary!(VmaxUI16x8)),
            O::I32x4MinS => self.vector_binary(vbinary!(VminSI32x4)),
            O::I32x4MinU => self.vector_binary(vbinary!(VminUI32x4)),
            O::I32x4MaxS => self.vector_binary(vbinary!(VmaxSI32x4)),
            O::I32x4MaxU => self.vector_binary(vbinary!(VmaxUI32x4)),
            O::I8x16AvgrU => self.vector_binary(vbinary!(VavgrUI8x16)),
            O::I16x8AvgrU => self.vector_binary(vbinary!(VavgrUI16x8)),
            O::I16x8Q15MulrSatS => self.vector_binary(vbinary!(Vq15mulrSatSI16x8)),
            O::I8x16NarrowI16x8S => self.vector_binary(vbinary!(VnarrowSI16x8)),
            O::I8x16NarrowI16x8U => self.vector_binary(vbinary!(VnarrowUI16x8)),
            O::I16x8NarrowI32x4S => self.vector_binary(vbinary!(VnarrowSI32x4)),
            O::I16x8NarrowI32x4U => self.vector_binary(vbinary!(VnarrowUI32x4)),
            O::I16x8ExtendLowI8x16S => self.vector_unary(vunary!(VwidenLowSI8x16)),
            O::I16x8ExtendHighI8x16S => self.vector_unary(vunary!(VwidenHighSI8x16)),
            O::I16x8ExtendLowI8x16U => self.vector_unary(vunary!(VwidenLowUI8x16)),
            O::I16x8ExtendHighI8x16U => self.vector_unary(vunary!(VwidenHighUI8x16)),
            O::I32x4ExtendLowI16x8S => self.vector_unary(vunary!(VwidenLowSI16x8)),
            O::I32x4ExtendHighI16x8S => self.vector_unary(vunary!(VwidenHighSI16x8)),
            O::I32x4ExtendLowI16x8U => self.vector_unary(vunary!(VwidenLowUI16x8)),
            O::I32x4ExtendHighI16x8U => self.vector_unary(vunary!(VwidenHighUI16x8)),
            O::I64x2ExtendLowI32x4S => self.vector_unary(vunary!(VwidenLowSI32x4)),
            O::I64x2ExtendHighI32x4S => self.vector_unary(vunary!(VwidenHighSI32x4)),
            O::I64x2ExtendLowI32x4U => self.vector_unary(vunary!(VwidenLowUI32x4)),
            O::I64x2ExtendHighI32x4U => self.vector_unary(vunary!(VwidenHighUI32x4)),

            // Float lanes.
            O::F32x4Ceil => self.vector_unary(vunary!(VfceilF32x4)),
            O::F32x4Floor => self.vector_unary(vunary!(VffloorF32x4)),
            O::F32x4Trunc => self.vector_unary(vunary!(VftruncF32x4)),
            O::F32x4Nearest => self.vector_unary(vunary!(VfnearestF32x4)),
            O::F32x4Abs => self.vector_unary(vunary!(VfabsF32x4)),
            O::F32x4Neg => self.vector_unary(vunary!(VfnegF32x4)),
            O::F32x4Sqrt => self.vector_unary(vunary!(VfsqrtF32x4)),
            O::F32x4Add => self.vector_binary(vbinary!(VfaddF32x4)),
            O::F32x4Sub => self.vector_binary(vbinary!(VfsubF32x4)),
            O::F32x4Mul => self.vector_binary(vbinary!(VfmulF32x4)),
            O::F32x4Div => self.vector_binary(vbinary!(VfdivF32x4)),
            O::F32x4Min => self.vector_binary(vbinary!(VfminF32x4)),
            O::F32x4Max => self.vector_binary(vbinary!(VfmaxF32x4)),
            O::F64x2Ceil => self.vector_unary(vunary!(VfceilF64x2)),
            O::F64x2Floor => self.vector_unary(vunary!(VffloorF64x2)),
            O::F64x2Trunc => self.vector_unary(vunary!(VftruncF64x2)),
            O::F64x2Nearest => self.vector_unary(vunary!(VfnearestF64x2)),
            O::F64x2Abs => self.vector_unary(vunary!(VfabsF64x2)),
            O::F64x2Neg => self.vector_unary(vunary!(VfnegF64x2)),
            O::F64x2Sqrt => self.vector_unary(vunary!(VfsqrtF64x2)),
            O::F64x2Add => self.vector_binary(vbinary!(VfaddF64x2)),
            O::F64x2Sub => self.vector_binary(vbinary!(VfsubF64x2)),
            O::F64x2Mul => self.vector_binary(vbinary!(VfmulF64x2)),
            O::F64x2Div => self.vector_binary(vbinary!(VfdivF64x2)),
            O::F64x2Min => self.vector_binary(vbinary!(VfminF64x2)),
            O::F64x2Max => self.vector_binary(vbinary!(VfmaxF64x2)),
            O::I32x4TruncSatF32x4S => self.vector_unary(vunary!(Vi32x4FromF32x4SSat)),
            O::I32x4TruncSatF32x4U => self.vector_unary(vunary!(Vi32x4FromF32x4USat)),
            O::F32x4ConvertI32x4S => self.vector_unary(vunary!(Vf32x4FromI32x4S)),
            O::F32x4ConvertI32x4U => self.vector_unary(vunary!(Vf32x4FromI32x4U)),
            O::F32x4DemoteF64x2Zero => self.vector_unary(vunary!(Vf32x4DemoteF64x2)),
            O::F64x2PromoteLowF32x4 => self.vector_unary(vunary!(Vf64x2PromoteF32x4)),
            O::F64x2ConvertLowI32x4S => {
                self.vector_unary_steps(&[vunary!(VwidenLowSI32x4), vunary!(Vf64x2FromI64x2S)])
            }
            O::F64x2ConvertLowI32x4U => {
                self.vector_unary_steps(&[vunary!(VwidenLowUI32x4), vunary!(Vf64x2FromI64x2U)])
            }
            O::I32x4TruncSatF64x2SZero => {
                self.narrowed_with_zero(vunary!(Vi64x2FromF64x2SSat), vbinary!(VnarrowSI64x2))
            }
            O::I32x4TruncSatF64x2UZero => {
                self.narrowed_with_zero(vunary!(Vi64x2FromF64x2USat), vbinary!(VnarrowUuI64x2))
            }

            // Composed of widening, multiplying and pairwise adding.
            O::I16x8ExtMulLowI8x16S => self.extmul(vunary!(VwidenLowSI8x16), vbinary!(VmulI16x8)),
            O::I16x8ExtMulHighI8x16S => self.extmul(vunary!(VwidenHighSI8x16), vbinary!(VmulI16x8)),
            O::I16x8ExtMulLowI8x16U => self.extmul(vunary!(VwidenLowUI8x16), vbinary!(VmulI16x8)),
            O::I16x8ExtMulHighI8x16U => self.extmul(vunary!(VwidenHighUI8x16), vbinary!(VmulI16x8)),
            O::I32x4ExtMulLowI16x8S => self.extmul(vunary!(VwidenLowSI16x8), vbinary!(VmulI32x4)),
            O::I32x4ExtMulHighI16x8S => self.extmul(vunary!(VwidenHighSI16x8), vbinary!(VmulI32x4)),
            O::I32x4ExtMulLowI16x8U => self.extmul(vunary!(VwidenLowUI16x8), vbinary!(VmulI32x4)),
            O::I32x4ExtMulHighI16x8U => self.extmul(vunary!(VwidenHighUI16x8), vbinary!(VmulI32x4)),
            O::I64x2ExtMulLowI32x4S => self.extmul(vunary!(VwidenLowSI32x4), vbinary!(VmulI64x2)),
            O::I64x2ExtMulHighI32x4S => self.extmul(vunary!(VwidenHighSI32x4), vbinary!(VmulI64x2)),
            O::I64x2ExtMulLowI32x4U => self.extmul(vunary!(VwidenLowUI32x4), vbinary!(VmulI64x2)),
            O::I64x2ExtMulHighI32x4U => self.extmul(vunary!(VwidenHighUI32x4), vbinary!(VmulI64x2)),
            O::I16x8ExtAddPairwiseI8x16S => self.extadd_pairwise(
                vunary!(VwidenLowSI8x16),
                vunary!(VwidenHighSI8x16),
                vbinary!(VaddPairwiseI16x8),
            ),
            O::I16x8ExtAddPairwiseI8x16U => self.extadd_pairwise(
                vunary!(VwidenLowUI8x16),
                vunary!(VwidenHighUI8x16),
                vbinary!(VaddPairwiseI16x8),
            ),
            O::I32x4ExtAddPairwiseI16x8S => self.extadd_pairwise(
                vunary!(VwidenLowSI16x8),
                vunary!(VwidenHighSI16x8),
                vbinary!(VaddPairwiseI32x4),
            ),
            O::I32x4ExtAddPairwiseI16x8U => self.extadd_pairwise(
                vunary!(VwidenLowUI16x8),
                vunary!(VwidenHighUI16x8),
                vbinary!(VaddPairwiseI32x4),
            ),
            O::I32x4DotI16x8S => self.dot(),
            O::F32x4PMin => self.pseudo_min_max(vbinary!(VfltF32x4), false),
            O::F32x4PMax => self.pseudo_min_max(vbinary!(VfltF32x4), true),
            O::F64x2PMin => self.pseudo_min_max(vbinary!(VfltF64x2), false),
            O::F64x2PMax => self.pseudo_min_max(vbinary!(VfltF64x2), true),

            // Lanes of memory.
            O::V128Load8Lane { memarg, lane } => self.load_lane(
                memarg,
                lane,
                |dst, addr, offset| OwnedOp::Load8U { dst, addr, offset },
                Some(ExtractWidth::I8),
            ),
            O::V128Load16Lane { memarg, lane } => self.load_lane(
                memarg,
                lane,
                |dst, addr, offset| OwnedOp::Load16U { dst, addr, offset },
                Some(ExtractWidth::I16),
            ),
            O::V128Load32Lane { memarg, lane } => self.load_lane(
                memarg,
                lane,
                |dst, addr, offset| OwnedOp::Load32U { dst, addr, offset },
                Some(ExtractWidth::I32),
            ),
            O::V128Load64Lane { memarg, lane } => self.load_lane(
                memarg,
                lane,
                |dst, addr, offset| OwnedOp::Load64 { dst, addr, offset },
                None,
            ),
            O::V128Store8Lane { memarg, lane } => self.store_lane(
                memarg,
                lane,
                |addr, offset, src| OwnedOp::Store8 { addr, offset, src },
                Some(ExtractWidth::I8),
            ),
            O::V128Store16Lane { memarg, lane } => self.store_lane(
                memarg,
                lane,
                |addr, offset, src| OwnedOp::Store16 { addr, offset, src },
                Some(ExtractWidth::I16),
            ),
            O::V128Store32Lane { memarg, lane } => self.store_lane(
                memarg,
                lane,
                |addr, offset, src| OwnedOp::Store32 { addr, offset, src },
                Some(ExtractWidth::I32),
            ),
            O::V128Store64Lane { memarg, lane } => self.store_lane(
                memarg,
                lane,
                |addr, offset, src| OwnedOp::Store64 { addr, offset, src },
                None,
            ),

            // Relaxed SIMD, with the optimizing translator's choices (see
            // `translate::simd`).
            O::I8x16RelaxedSwizzle => self.vector_binary(vbinary!(Vswizzle)),
            O::I32x4RelaxedTruncF32x4S => self.vector_unary(vunary!(Vi32x4FromF32x4SSat)),
            O::I32x4RelaxedTruncF32x4U => self.vector_unary(vunary!(Vi32x4FromF32x4USat)),
            O::I32x4RelaxedTruncF64x2SZero => {
                self.narrowed_with_zero(vunary!(Vi64x2FromF64x2SSat), vbinary!(VnarrowSI64x2))
            }
            O::I32x4RelaxedTruncF64x2UZero => {
                self.narrowed_with_zero(vunary!(Vi64x2FromF64x2USat), vbinary!(VnarrowUuI64x2))
            }
            O::F32x4RelaxedMadd => self.fma(vfma!(VfmaF32x4), None),
            O::F32x4RelaxedNmadd => self.fma(vfma!(VfmaF32x4), Some(vunary!(VfnegF32x4))),
            O::F64x2RelaxedMadd => self.fma(vfma!(VfmaF64x2), None),
            O::F64x2RelaxedNmadd => self.fma(vfma!(VfmaF64x2), Some(vunary!(VfnegF64x2))),
            O::I8x16RelaxedLaneselect
            | O::I16x8RelaxedLaneselect
            | O::I32x4RelaxedLaneselect
            | O::I64x2RelaxedLaneselect => self.simd_operator(O::V128Bitselect),
            O::F32x4RelaxedMin => self.vector_binary(vbinary!(VfminF32x4)),
            O::F32x4RelaxedMax => self.vector_binary(vbinary!(VfmaxF32x4)),
            O::F64x2RelaxedMin => self.vector_binary(vbinary!(VfminF64x2)),
            O::F64x2RelaxedMax => self.vector_binary(vbinary!(VfmaxF64x2)),
            O::I16x8RelaxedQ15mulrS => self.vector_binary(vbinary!(Vq15mulrSatSI16x8)),

            _ => Err(Refusal(
                "an operator outside the baseline tier (a proposal, or SIMD without a short translation)",
            )),
        }
    }

    fn vector_binary(&mut self, op: VectorBinary) -> Result<()> {
        let (b_lo, b_hi) = self.pop_vector()?;
        let (a_lo, a_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        self.emit(op(dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi))?;
        Ok(())
    }

    /// The ops `steps` one after the other on the top vector, in its home.
    fn vector_unary_steps(&mut self, steps: &[VectorUnary]) -> Result<()> {
        let (mut src_lo, mut src_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        for step in steps {
            self.emit(step(dst_lo, dst_hi, src_lo, src_hi))?;
            (src_lo, src_hi) = (dst_lo, dst_hi);
        }
        Ok(())
    }

    /// A vector slot pair above every operand, after `skip` slots: the top
    /// operands' homes may be right above the stack.
    fn scratch_vector(&mut self, skip: usize) -> Result<(Slot, Slot)> {
        Ok((self.scratch(skip)?, self.scratch(skip + 1)?))
    }

    /// `narrow(convert(a), 0)`: the `trunc_sat_f64x2_*_zero` conversions.
    fn narrowed_with_zero(&mut self, convert: VectorUnary, narrow: VectorBinary) -> Result<()> {
        let (src_lo, src_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        let (zero_lo, zero_hi) = self.scratch_vector(0)?;
        self.emit(convert(dst_lo, dst_hi, src_lo, src_hi))?;
        self.write_const(zero_lo, 0)?;
        self.write_const(zero_hi, 0)?;
        self.emit(narrow(dst_lo, dst_hi, dst_lo, dst_hi, zero_lo, zero_hi))?;
        Ok(())
    }

    /// `extmul`: `multiply(widen(a), widen(b))`.
    fn extmul(&mut self, widen: VectorUnary, multiply: VectorBinary) -> Result<()> {
        let (b_lo, b_hi) = self.pop_vector()?;
        let (a_lo, a_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        // Past `b`'s home, which is right above `dst`.
        let (t_lo, t_hi) = self.scratch_vector(2)?;
        self.emit(widen(t_lo, t_hi, b_lo, b_hi))?;
        self.emit(widen(dst_lo, dst_hi, a_lo, a_hi))?;
        self.emit(multiply(dst_lo, dst_hi, dst_lo, dst_hi, t_lo, t_hi))?;
        Ok(())
    }

    /// `extadd_pairwise`: the pairwise sums of `a`'s lanes, widened.
    fn extadd_pairwise(
        &mut self,
        widen_low: VectorUnary,
        widen_high: VectorUnary,
        pairwise: VectorBinary,
    ) -> Result<()> {
        let (a_lo, a_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        let (t_lo, t_hi) = self.scratch_vector(0)?;
        self.emit(widen_high(t_lo, t_hi, a_lo, a_hi))?;
        self.emit(widen_low(dst_lo, dst_hi, a_lo, a_hi))?;
        self.emit(pairwise(dst_lo, dst_hi, dst_lo, dst_hi, t_lo, t_hi))?;
        Ok(())
    }

    /// `i32x4.dot_i16x8_s`: the pairwise sums of the products of the
    /// widened lanes.
    fn dot(&mut self) -> Result<()> {
        let (b_lo, b_hi) = self.pop_vector()?;
        let (a_lo, a_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        // Past `b`'s home, which is right above `dst`.
        let (high_lo, high_hi) = self.scratch_vector(2)?;
        let (t_lo, t_hi) = self.scratch_vector(4)?;
        let ops = [
            OwnedOp::VwidenHighSI16x8 {
                dst_lo: high_lo,
                dst_hi: high_hi,
                src_lo: a_lo,
                src_hi: a_hi,
            },
            OwnedOp::VwidenHighSI16x8 {
                dst_lo: t_lo,
                dst_hi: t_hi,
                src_lo: b_lo,
                src_hi: b_hi,
            },
            OwnedOp::VmulI32x4 {
                dst_lo: high_lo,
                dst_hi: high_hi,
                a_lo: high_lo,
                a_hi: high_hi,
                b_lo: t_lo,
                b_hi: t_hi,
            },
            OwnedOp::VwidenLowSI16x8 {
                dst_lo: t_lo,
                dst_hi: t_hi,
                src_lo: b_lo,
                src_hi: b_hi,
            },
            OwnedOp::VwidenLowSI16x8 {
                dst_lo,
                dst_hi,
                src_lo: a_lo,
                src_hi: a_hi,
            },
            OwnedOp::VmulI32x4 {
                dst_lo,
                dst_hi,
                a_lo: dst_lo,
                a_hi: dst_hi,
                b_lo: t_lo,
                b_hi: t_hi,
            },
            OwnedOp::VaddPairwiseI32x4 {
                dst_lo,
                dst_hi,
                a_lo: dst_lo,
                a_hi: dst_hi,
                b_lo: high_lo,
                b_hi: high_hi,
            },
        ];
        for op in ops {
            self.emit(op)?;
        }
        Ok(())
    }

    /// `pmin` (`b < a ? b : a`) or, if `max`, `pmax` (`a < b ? b : a`),
    /// chosen bitwise by the lanes of a `less` comparison.
    fn pseudo_min_max(&mut self, less: VectorBinary, max: bool) -> Result<()> {
        let (b_lo, b_hi) = self.pop_vector()?;
        let (a_lo, a_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        let (mask_lo, mask_hi) = self.scratch_vector(2)?;
        let compare = if max {
            less(mask_lo, mask_hi, a_lo, a_hi, b_lo, b_hi)
        } else {
            less(mask_lo, mask_hi, b_lo, b_hi, a_lo, a_hi)
        };
        self.emit(compare)?;
        self.emit(OwnedOp::Vbitselect {
            dst_lo,
            dst_hi,
            mask_lo,
            mask_hi,
            a_lo: b_lo,
            a_hi: b_hi,
            b_lo: a_lo,
            b_hi: a_hi,
        })?;
        Ok(())
    }

    /// `relaxed_madd` (`a * b + c`), or `relaxed_nmadd` with `negate`.
    fn fma(&mut self, fma: VectorFma, negate: Option<VectorUnary>) -> Result<()> {
        let (c_lo, c_hi) = self.pop_vector()?;
        let (b_lo, b_hi) = self.pop_vector()?;
        let (mut a_lo, mut a_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        if let Some(negate) = negate {
            // Past `b` and `c`, whose homes are right above `dst`.
            let (t_lo, t_hi) = self.scratch_vector(4)?;
            self.emit(negate(t_lo, t_hi, a_lo, a_hi))?;
            (a_lo, a_hi) = (t_lo, t_hi);
        }
        self.emit(fma(dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi))?;
        Ok(())
    }

    /// A scalar load into lane `lane` of the top vector: inserted by a
    /// `vinsert` of `width`, or, without one, a 64-bit lane's slot.
    fn load_lane(
        &mut self,
        memarg: wasmparser::MemArg,
        lane: u8,
        load: fn(Slot, Slot, u32) -> OwnedOp,
        width: Option<ExtractWidth>,
    ) -> Result<()> {
        let offset = self.memarg(memarg)?;
        let (src_lo, src_hi) = self.pop_vector()?;
        let addr = self.pop_slot()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        // The vector's home is one slot above `dst`'s: past it.
        let value = self.scratch(2)?;
        self.emit(load(value, addr, offset))?;
        self.insert_lane(width, (dst_lo, dst_hi), (src_lo, src_hi), value, lane)
    }

    /// `dst` = `src` with lane `lane` replaced by `value`: by a `vinsert` of
    /// `width`, or, without one, a 64-bit lane's slot. `value` must be in
    /// neither of `dst`'s slots.
    fn insert_lane(
        &mut self,
        width: Option<ExtractWidth>,
        (dst_lo, dst_hi): (Slot, Slot),
        (src_lo, src_hi): (Slot, Slot),
        value: Slot,
        lane: u8,
    ) -> Result<()> {
        if let Some(width) = width {
            self.emit(vinsert(width, dst_lo, dst_hi, src_lo, src_hi, value, lane))?;
            return Ok(());
        }
        // The kept lane first: its source is never the slot the replaced
        // lane goes to (`src` is `dst`, a local, or, for a lane load, one
        // slot above `dst`).
        let (kept, kept_dst, replaced_dst) = if lane == 0 {
            (src_hi, dst_hi, dst_lo)
        } else {
            (src_lo, dst_lo, dst_hi)
        };
        if kept != kept_dst {
            self.emit(OwnedOp::Mov {
                dst: kept_dst,
                src: kept,
            })?;
        }
        self.emit(OwnedOp::Mov {
            dst: replaced_dst,
            src: value,
        })?;
        Ok(())
    }

    /// Stores lane `lane` of the top vector: taken out by a `vextract` of
    /// `width`, or, without one, a 64-bit lane's slot.
    fn store_lane(
        &mut self,
        memarg: wasmparser::MemArg,
        lane: u8,
        store: fn(Slot, u32, Slot) -> OwnedOp,
        width: Option<ExtractWidth>,
    ) -> Result<()> {
        let offset = self.memarg(memarg)?;
        let (src_lo, src_hi) = self.pop_vector()?;
        let addr = self.pop_slot()?;
        let value = match width {
            Some(width) => {
                // Past the vector's home, right above the address's.
                let value = self.scratch(3)?;
                self.emit(vextract(width)(value, src_lo, src_hi, lane))?;
                value
            }
            None if lane == 0 => src_lo,
            None => src_hi,
        };
        self.emit(store(addr, offset, value))?;
        Ok(())
    }

    fn vector_unary(&mut self, op: VectorUnary) -> Result<()> {
        let (src_lo, src_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        self.emit(op(dst_lo, dst_hi, src_lo, src_hi))?;
        Ok(())
    }

    fn shift(&mut self, op: VectorShift) -> Result<()> {
        let amount = self.pop_slot()?;
        let (a_lo, a_hi) = self.pop_vector()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        self.emit(op(dst_lo, dst_hi, a_lo, a_hi, amount))?;
        Ok(())
    }

    fn reduce(&mut self, op: VectorReduce) -> Result<()> {
        let (src_lo, src_hi) = self.pop_vector()?;
        let dst = self.push_home()?;
        self.emit(op(dst, src_lo, src_hi))?;
        Ok(())
    }

    fn splat(&mut self, op: Splat) -> Result<()> {
        let src = self.pop_slot()?;
        let (dst_lo, dst_hi) = self.push_vector()?;
        self.emit(op(dst_lo, dst_hi, src))?;
        Ok(())
    }

    /// A scalar load (`load`) into the low slot, spread over the vector by
    /// `splat` (or, without one, copied to the high slot: 64-bit lanes).
    fn load_splat(
        &mut self,
        memarg: wasmparser::MemArg,
        load: fn(Slot, Slot, u32) -> OwnedOp,
        splat: Option<Splat>,
    ) -> Result<()> {
        let (lo, hi) = self.load_low(memarg, load)?;
        match splat {
            Some(splat) => self.emit(splat(lo, hi, lo))?,
            None => self.emit(OwnedOp::Mov { dst: hi, src: lo })?,
        };
        Ok(())
    }

    /// A 64-bit load into the low slot, each lane widened by `widen`.
    fn load_widened(&mut self, memarg: wasmparser::MemArg, widen: VectorUnary) -> Result<()> {
        let (lo, hi) = self.load_low(memarg, |dst, addr, offset| OwnedOp::Load64 {
            dst,
            addr,
            offset,
        })?;
        self.emit(widen(lo, hi, lo, hi))?;
        Ok(())
    }

    /// A scalar load (zero-extended) into the low slot of a new vector, its
    /// high slot zero.
    fn load_low(
        &mut self,
        memarg: wasmparser::MemArg,
        load: fn(Slot, Slot, u32) -> OwnedOp,
    ) -> Result<(Slot, Slot)> {
        let offset = self.memarg(memarg)?;
        let addr = self.pop_slot()?;
        let (lo, hi) = self.push_vector()?;
        self.emit(load(lo, addr, offset))?;
        self.write_const(hi, 0)?;
        Ok((lo, hi))
    }

    /// `extract_lane`: a lane of the top vector, zero-extended.
    fn extract(&mut self, lane: u8, op: VectorExtract) -> Result<()> {
        let (src_lo, src_hi) = self.pop_vector()?;
        let dst = self.push_home()?;
        self.emit(op(dst, src_lo, src_hi, lane))?;
        Ok(())
    }

    /// Sign-extends the top scalar in its home, from the width `op` takes.
    fn sign_extend_top(&mut self, op: fn(Slot, Slot) -> OwnedOp) -> Result<()> {
        let slot = self.pop_slot()?;
        let dst = self.push_home()?;
        self.emit(op(dst, slot))?;
        Ok(())
    }

    /// `replace_lane`: lanes of `width`, or 64-bit ones without.
    fn replace(&mut self, lane: u8, width: Option<ExtractWidth>) -> Result<()> {
        // `value`'s home is above the vector's, so not in `dst`.
        let value = self.pop_slot()?;
        let src = self.pop_vector()?;
        let dst = self.push_vector()?;
        self.insert_lane(width, dst, src, value, lane)
    }
}

/// The lane widths with `vextract`/`vinsert` ops.
#[derive(Copy, Clone)]
enum ExtractWidth {
    I8,
    I16,
    I32,
}

/// `(dst, src_lo, src_hi, lane)`.
type VectorExtract = fn(Slot, Slot, Slot, u8) -> OwnedOp;

/// The `vinsert` of `width`.
fn vinsert(
    width: ExtractWidth,
    dst_lo: Slot,
    dst_hi: Slot,
    src_lo: Slot,
    src_hi: Slot,
    value: Slot,
    lane: u8,
) -> OwnedOp {
    match width {
        ExtractWidth::I8 => OwnedOp::VinsertI8x16 {
            dst_lo,
            dst_hi,
            src_lo,
            src_hi,
            value,
            lane,
        },
        ExtractWidth::I16 => OwnedOp::VinsertI16x8 {
            dst_lo,
            dst_hi,
            src_lo,
            src_hi,
            value,
            lane,
        },
        ExtractWidth::I32 => OwnedOp::VinsertI32x4 {
            dst_lo,
            dst_hi,
            src_lo,
            src_hi,
            value,
            lane,
        },
    }
}

/// The `vextract` of `width` (zero-extending).
fn vextract(width: ExtractWidth) -> VectorExtract {
    match width {
        ExtractWidth::I8 => |dst, src_lo, src_hi, lane| OwnedOp::VextractI8x16 {
            dst,
            src_lo,
            src_hi,
            lane,
        },
        ExtractWidth::I16 => |dst, src_lo, src_hi, lane| OwnedOp::VextractI16x8 {
            dst,
            src_lo,
            src_hi,
            lane,
        },
        ExtractWidth::I32 => |dst, src_lo, src_hi, lane| OwnedOp::VextractI32x4 {
            dst,
            src_lo,
            src_hi,
            lane,
        },
    }
}
