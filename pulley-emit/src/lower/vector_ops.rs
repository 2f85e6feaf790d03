//! The `v` op of each vector instruction and lane shape: builders that
//! take register pairs (bytes 0..8, bytes 8..16 of the v128) and make the
//! op, looked up by opcode and type. `simd` selects with them.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I8X16, I16X8, I32X4, I64X2};
use cranelift_codegen::ir::{Opcode, Type};
use pulley_isa::GenericOp as Op;
use regalloc2::VReg;

use super::vcode::VirtualOp;

/// A vector's register pair: bytes 0..8, bytes 8..16.
pub(crate) type Pair = (VReg, VReg);

/// Builds a two-operand vector op: `dst = f(a, b)`.
pub(crate) type BinaryOp = fn(Pair, Pair, Pair) -> VirtualOp;

/// Builds a one-operand vector op: `dst = f(src)`.
pub(crate) type UnaryOp = fn(Pair, Pair) -> VirtualOp;

macro_rules! binary_op {
    ($variant:ident) => {
        (|dst: $crate::lower::vector_ops::Pair,
          a: $crate::lower::vector_ops::Pair,
          b: $crate::lower::vector_ops::Pair| pulley_isa::GenericOp::$variant {
            dst_lo: dst.0,
            dst_hi: dst.1,
            a_lo: a.0,
            a_hi: a.1,
            b_lo: b.0,
            b_hi: b.1,
        }) as $crate::lower::vector_ops::BinaryOp
    };
}

macro_rules! unary_op {
    ($variant:ident) => {
        (|dst: $crate::lower::vector_ops::Pair, src: $crate::lower::vector_ops::Pair| {
            pulley_isa::GenericOp::$variant {
                dst_lo: dst.0,
                dst_hi: dst.1,
                src_lo: src.0,
                src_hi: src.1,
            }
        }) as $crate::lower::vector_ops::UnaryOp
    };
}

/// Builds a scalar test of a vector: `dst = f(src)`.
macro_rules! test_op {
    ($variant:ident) => {
        (|dst: regalloc2::VReg, src: $crate::lower::vector_ops::Pair| {
            pulley_isa::GenericOp::$variant {
                dst,
                src_lo: src.0,
                src_hi: src.1,
            }
        })
            as fn(
                regalloc2::VReg,
                $crate::lower::vector_ops::Pair,
            ) -> $crate::lower::vcode::VirtualOp
    };
}

/// Builds a `vfma_*` op from its eight registers.
macro_rules! fma_op {
    ($variant:ident, $operands:expr) => {{
        let (dst_lo, dst_hi, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi) = $operands;
        pulley_isa::GenericOp::$variant {
            dst_lo,
            dst_hi,
            a_lo,
            a_hi,
            b_lo,
            b_hi,
            c_lo,
            c_hi,
        }
    }};
}

pub(crate) use {binary_op, fma_op, test_op};

/// The op of a lane-wise (or whole-vector) two-operand instruction.
pub(crate) fn binary(opcode: Opcode, ty: Type) -> Option<BinaryOp> {
    use Opcode::*;
    Some(match (opcode, ty) {
        (Band, _) => binary_op!(Vand),
        (Bor, _) => binary_op!(Vor),
        (Bxor, _) => binary_op!(Vxor),
        (Iadd, I8X16) => binary_op!(VaddI8x16),
        (Iadd, I16X8) => binary_op!(VaddI16x8),
        (Iadd, I32X4) => binary_op!(VaddI32x4),
        (Iadd, I64X2) => binary_op!(VaddI64x2),
        (Isub, I8X16) => binary_op!(VsubI8x16),
        (Isub, I16X8) => binary_op!(VsubI16x8),
        (Isub, I32X4) => binary_op!(VsubI32x4),
        (Isub, I64X2) => binary_op!(VsubI64x2),
        (Imul, I16X8) => binary_op!(VmulI16x8),
        (Imul, I32X4) => binary_op!(VmulI32x4),
        (Imul, I64X2) => binary_op!(VmulI64x2),
        (SaddSat, I8X16) => binary_op!(VaddSatSI8x16),
        (UaddSat, I8X16) => binary_op!(VaddSatUI8x16),
        (SsubSat, I8X16) => binary_op!(VsubSatSI8x16),
        (UsubSat, I8X16) => binary_op!(VsubSatUI8x16),
        (SaddSat, I16X8) => binary_op!(VaddSatSI16x8),
        (UaddSat, I16X8) => binary_op!(VaddSatUI16x8),
        (SsubSat, I16X8) => binary_op!(VsubSatSI16x8),
        (UsubSat, I16X8) => binary_op!(VsubSatUI16x8),
        (Smin, I8X16) => binary_op!(VminSI8x16),
        (Umin, I8X16) => binary_op!(VminUI8x16),
        (Smax, I8X16) => binary_op!(VmaxSI8x16),
        (Umax, I8X16) => binary_op!(VmaxUI8x16),
        (Smin, I16X8) => binary_op!(VminSI16x8),
        (Umin, I16X8) => binary_op!(VminUI16x8),
        (Smax, I16X8) => binary_op!(VmaxSI16x8),
        (Umax, I16X8) => binary_op!(VmaxUI16x8),
        (Smin, I32X4) => binary_op!(VminSI32x4),
        (Umin, I32X4) => binary_op!(VminUI32x4),
        (Smax, I32X4) => binary_op!(VmaxSI32x4),
        (Umax, I32X4) => binary_op!(VmaxUI32x4),
        (AvgRound, I8X16) => binary_op!(VavgrUI8x16),
        (AvgRound, I16X8) => binary_op!(VavgrUI16x8),
        (SqmulRoundSat, I16X8) => binary_op!(Vq15mulrSatSI16x8),
        (IaddPairwise, I16X8) => binary_op!(VaddPairwiseI16x8),
        (IaddPairwise, I32X4) => binary_op!(VaddPairwiseI32x4),
        (Swizzle, I8X16) => binary_op!(Vswizzle),
        (Fadd, F32X4) => binary_op!(VfaddF32x4),
        (Fadd, F64X2) => binary_op!(VfaddF64x2),
        (Fsub, F32X4) => binary_op!(VfsubF32x4),
        (Fsub, F64X2) => binary_op!(VfsubF64x2),
        (Fmul, F32X4) => binary_op!(VfmulF32x4),
        (Fmul, F64X2) => binary_op!(VfmulF64x2),
        (Fdiv, F32X4) => binary_op!(VfdivF32x4),
        (Fdiv, F64X2) => binary_op!(VfdivF64x2),
        (Fmin, F32X4) => binary_op!(VfminF32x4),
        (Fmin, F64X2) => binary_op!(VfminF64x2),
        (Fmax, F32X4) => binary_op!(VfmaxF32x4),
        (Fmax, F64X2) => binary_op!(VfmaxF64x2),
        _ => return None,
    })
}

/// The op of a narrowing instruction, by its *input* type.
pub(crate) fn narrow(opcode: Opcode, input: Type) -> Option<BinaryOp> {
    use Opcode::*;
    Some(match (opcode, input) {
        (Snarrow, I16X8) => binary_op!(VnarrowSI16x8),
        (Unarrow, I16X8) => binary_op!(VnarrowUI16x8),
        (Snarrow, I32X4) => binary_op!(VnarrowSI32x4),
        (Unarrow, I32X4) => binary_op!(VnarrowUI32x4),
        (Snarrow, I64X2) => binary_op!(VnarrowSI64x2),
        (Unarrow, I64X2) => binary_op!(VnarrowUI64x2),
        (Uunarrow, I64X2) => binary_op!(VnarrowUuI64x2),
        _ => return None,
    })
}

/// The op of a one-operand instruction; `input` is the operand's type
/// (widening and conversions are named by it).
pub(crate) fn unary(opcode: Opcode, ty: Type, input: Type) -> Option<UnaryOp> {
    use Opcode::*;
    Some(match (opcode, ty, input) {
        (Bnot, _, _) => unary_op!(Vnot),
        (Ineg, I8X16, _) => unary_op!(VnegI8x16),
        (Ineg, I16X8, _) => unary_op!(VnegI16x8),
        (Ineg, I32X4, _) => unary_op!(VnegI32x4),
        (Ineg, I64X2, _) => unary_op!(VnegI64x2),
        (Iabs, I8X16, _) => unary_op!(VabsI8x16),
        (Iabs, I16X8, _) => unary_op!(VabsI16x8),
        (Iabs, I32X4, _) => unary_op!(VabsI32x4),
        (Iabs, I64X2, _) => unary_op!(VabsI64x2),
        (Popcnt, I8X16, _) => unary_op!(VpopcntI8x16),
        (SwidenLow, _, I8X16) => unary_op!(VwidenLowSI8x16),
        (UwidenLow, _, I8X16) => unary_op!(VwidenLowUI8x16),
        (SwidenHigh, _, I8X16) => unary_op!(VwidenHighSI8x16),
        (UwidenHigh, _, I8X16) => unary_op!(VwidenHighUI8x16),
        (SwidenLow, _, I16X8) => unary_op!(VwidenLowSI16x8),
        (UwidenLow, _, I16X8) => unary_op!(VwidenLowUI16x8),
        (SwidenHigh, _, I16X8) => unary_op!(VwidenHighSI16x8),
        (UwidenHigh, _, I16X8) => unary_op!(VwidenHighUI16x8),
        (SwidenLow, _, I32X4) => unary_op!(VwidenLowSI32x4),
        (UwidenLow, _, I32X4) => unary_op!(VwidenLowUI32x4),
        (SwidenHigh, _, I32X4) => unary_op!(VwidenHighSI32x4),
        (UwidenHigh, _, I32X4) => unary_op!(VwidenHighUI32x4),
        (Fneg, F32X4, _) => unary_op!(VfnegF32x4),
        (Fneg, F64X2, _) => unary_op!(VfnegF64x2),
        (Fabs, F32X4, _) => unary_op!(VfabsF32x4),
        (Fabs, F64X2, _) => unary_op!(VfabsF64x2),
        (Sqrt, F32X4, _) => unary_op!(VfsqrtF32x4),
        (Sqrt, F64X2, _) => unary_op!(VfsqrtF64x2),
        (Ceil, F32X4, _) => unary_op!(VfceilF32x4),
        (Ceil, F64X2, _) => unary_op!(VfceilF64x2),
        (Floor, F32X4, _) => unary_op!(VffloorF32x4),
        (Floor, F64X2, _) => unary_op!(VffloorF64x2),
        (Trunc, F32X4, _) => unary_op!(VftruncF32x4),
        (Trunc, F64X2, _) => unary_op!(VftruncF64x2),
        (Nearest, F32X4, _) => unary_op!(VfnearestF32x4),
        (Nearest, F64X2, _) => unary_op!(VfnearestF64x2),
        (FcvtFromSint, F32X4, I32X4) => unary_op!(Vf32x4FromI32x4S),
        (FcvtFromUint, F32X4, I32X4) => unary_op!(Vf32x4FromI32x4U),
        (FcvtFromSint, F64X2, I64X2) => unary_op!(Vf64x2FromI64x2S),
        (FcvtFromUint, F64X2, I64X2) => unary_op!(Vf64x2FromI64x2U),
        (FcvtToSintSat, I32X4, F32X4) => unary_op!(Vi32x4FromF32x4SSat),
        (FcvtToUintSat, I32X4, F32X4) => unary_op!(Vi32x4FromF32x4USat),
        (FcvtToSintSat, I64X2, F64X2) => unary_op!(Vi64x2FromF64x2SSat),
        (FcvtToUintSat, I64X2, F64X2) => unary_op!(Vi64x2FromF64x2USat),
        (Fvdemote, F32X4, F64X2) => unary_op!(Vf32x4DemoteF64x2),
        (FvpromoteLow, F64X2, F32X4) => unary_op!(Vf64x2PromoteF32x4),
        _ => return None,
    })
}

/// The op of a lane-wise integer comparison, after putting it in the form
/// `a <cond> b` with `cond` one of eq, ne, lt, le (swapping operands for
/// gt, ge).
pub(crate) fn int_compare(cond: IntCC, ty: Type) -> Option<(BinaryOp, bool)> {
    use IntCC::*;
    let (cond, swap) = match cond {
        SignedGreaterThan => (SignedLessThan, true),
        SignedGreaterThanOrEqual => (SignedLessThanOrEqual, true),
        UnsignedGreaterThan => (UnsignedLessThan, true),
        UnsignedGreaterThanOrEqual => (UnsignedLessThanOrEqual, true),
        other => (other, false),
    };
    let op = match (cond, ty) {
        (Equal, I8X16) => binary_op!(VeqI8x16),
        (Equal, I16X8) => binary_op!(VeqI16x8),
        (Equal, I32X4) => binary_op!(VeqI32x4),
        (Equal, I64X2) => binary_op!(VeqI64x2),
        (NotEqual, I8X16) => binary_op!(VneI8x16),
        (NotEqual, I16X8) => binary_op!(VneI16x8),
        (NotEqual, I32X4) => binary_op!(VneI32x4),
        (NotEqual, I64X2) => binary_op!(VneI64x2),
        (SignedLessThan, I8X16) => binary_op!(VltSI8x16),
        (SignedLessThan, I16X8) => binary_op!(VltSI16x8),
        (SignedLessThan, I32X4) => binary_op!(VltSI32x4),
        (SignedLessThan, I64X2) => binary_op!(VltSI64x2),
        (SignedLessThanOrEqual, I8X16) => binary_op!(VleSI8x16),
        (SignedLessThanOrEqual, I16X8) => binary_op!(VleSI16x8),
        (SignedLessThanOrEqual, I32X4) => binary_op!(VleSI32x4),
        (SignedLessThanOrEqual, I64X2) => binary_op!(VleSI64x2),
        (UnsignedLessThan, I8X16) => binary_op!(VltUI8x16),
        (UnsignedLessThan, I16X8) => binary_op!(VltUI16x8),
        (UnsignedLessThan, I32X4) => binary_op!(VltUI32x4),
        (UnsignedLessThan, I64X2) => binary_op!(VltUI64x2),
        (UnsignedLessThanOrEqual, I8X16) => binary_op!(VleUI8x16),
        (UnsignedLessThanOrEqual, I16X8) => binary_op!(VleUI16x8),
        (UnsignedLessThanOrEqual, I32X4) => binary_op!(VleUI32x4),
        (UnsignedLessThanOrEqual, I64X2) => binary_op!(VleUI64x2),
        _ => return None,
    };
    Some((op, swap))
}

/// Like [`int_compare`], for float lanes: eq, ne, lt, le, and gt, ge by
/// swapping.
pub(crate) fn float_compare(cond: FloatCC, ty: Type) -> Option<(BinaryOp, bool)> {
    use FloatCC::*;
    let (cond, swap) = match cond {
        GreaterThan => (LessThan, true),
        GreaterThanOrEqual => (LessThanOrEqual, true),
        other => (other, false),
    };
    let op = match (cond, ty) {
        (Equal, F32X4) => binary_op!(VfeqF32x4),
        (Equal, F64X2) => binary_op!(VfeqF64x2),
        (NotEqual, F32X4) => binary_op!(VfneF32x4),
        (NotEqual, F64X2) => binary_op!(VfneF64x2),
        (LessThan, F32X4) => binary_op!(VfltF32x4),
        (LessThan, F64X2) => binary_op!(VfltF64x2),
        (LessThanOrEqual, F32X4) => binary_op!(VfleF32x4),
        (LessThanOrEqual, F64X2) => binary_op!(VfleF64x2),
        _ => return None,
    };
    Some((op, swap))
}

/// The op of a lane-wise shift by a scalar amount.
pub(crate) fn shift(
    opcode: Opcode,
    ty: Type,
    dst: Pair,
    a: Pair,
    amount: VReg,
) -> Option<VirtualOp> {
    use Opcode::*;
    let (dst_lo, dst_hi, a_lo, a_hi) = (dst.0, dst.1, a.0, a.1);
    macro_rules! shift_op {
        ($variant:ident) => {
            Op::$variant {
                dst_lo,
                dst_hi,
                a_lo,
                a_hi,
                amount,
            }
        };
    }
    Some(match (opcode, ty) {
        (Ishl, I8X16) => shift_op!(VshlI8x16),
        (Ishl, I16X8) => shift_op!(VshlI16x8),
        (Ishl, I32X4) => shift_op!(VshlI32x4),
        (Ishl, I64X2) => shift_op!(VshlI64x2),
        (Sshr, I8X16) => shift_op!(VshrSI8x16),
        (Sshr, I16X8) => shift_op!(VshrSI16x8),
        (Sshr, I32X4) => shift_op!(VshrSI32x4),
        (Sshr, I64X2) => shift_op!(VshrSI64x2),
        (Ushr, I8X16) => shift_op!(VshrUI8x16),
        (Ushr, I16X8) => shift_op!(VshrUI16x8),
        (Ushr, I32X4) => shift_op!(VshrUI32x4),
        (Ushr, I64X2) => shift_op!(VshrUI64x2),
        _ => return None,
    })
}
