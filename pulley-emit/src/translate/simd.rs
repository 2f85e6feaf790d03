//! Fixed-width SIMD (the `v128` proposal) and relaxed SIMD: wasm vector
//! operators to Cranelift IR.
//!
//! # The contract with the lowering
//!
//! Every vector on the wasm operand stack (and so in locals, block
//! parameters, calls, `select`, globals and memory accesses) is an `i8x16`.
//! An operator that works on other lanes `bitcast`s its operands to its lane
//! type with little-endian flags (lane numbering is wasm's, whatever the
//! host) and its result back to `i8x16`; the optimizer removes the pairs.
//! Vector instructions are limited to a small set (see `lower` and the
//! `simd_translation` test); everything else is composed from it:
//!
//! - `extract_lane_s/u` of 8- and 16-bit lanes: `extractlane`, then
//!   `sextend`/`uextend` to `i32`; `replace_lane` and `splat` of those lanes
//!   `ireduce` the `i32` operand first.
//! - `extmul`: widen both operands, then `imul`; `extadd_pairwise`:
//!   `iadd_pairwise` of the widened low and high halves; `i32x4.dot_i16x8_s`:
//!   `iadd_pairwise` of the products of the low and of the high halves.
//! - `pmin`/`pmax`: `bitselect` on an `fcmp` mask.
//! - `f64x2.convert_low_i32x4`: widen the low half, then convert;
//!   `i32x4.trunc_sat_f64x2_*_zero`: saturating conversion to `i64x2`, then
//!   a saturating narrow with a zero vector.
//! - Loads that are not a full `v128.load` are scalar loads (through the same
//!   bounds check) followed by `scalar_to_vector`, `splat` or `insertlane`;
//!   lane stores are `extractlane` followed by a scalar store.
//!
//! # Relaxed SIMD
//!
//! Our implementation-defined choices, the same on every host and engine:
//!
//! - `i8x16.relaxed_swizzle` is `i8x16.swizzle` (an index over 15 gives 0).
//! - `i32x4.relaxed_trunc_*` are the saturating `trunc_sat` conversions (NaN
//!   gives 0).
//! - `relaxed_madd` is a fused multiply-add (one rounding); `relaxed_nmadd`
//!   is `fma(-a, b, c)`.
//! - `relaxed_laneselect` is `v128.bitselect` (bitwise, whatever the mask).
//! - `relaxed_min`/`relaxed_max` are `min`/`max`.
//! - `i16x8.relaxed_q15mulr_s` is `i16x8.q15mulr_sat_s`.
//! - `i16x8.relaxed_dot_i8x16_i7x16_s` multiplies signed by signed and adds
//!   adjacent products in 16 bits, wrapping; `i32x4.relaxed_dot_i8x16_i7x16_add_s`
//!   adds adjacent pairs of that 16-bit result in 32 bits, then the
//!   accumulator, wrapping.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I8X16, I16X8, I32, I32X4, I64, I64X2};
use cranelift_codegen::ir::{ConstantData, Endianness, InstBuilder, MemFlagsData, Type, Value};
use wasmparser::{MemArg, Operator};

use super::FuncTranslator;
use super::memory::heap_flags;
use crate::CompileError;

/// The flags of bitcasts between vector types: lanes numbered in
/// little-endian byte order, as wasm numbers them, on every host.
fn lane_order() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// How a scalar access of a vector operator reads or writes memory.
#[derive(Clone, Copy)]
enum Scalar {
    /// 8 bits, in an `i32`.
    I8,
    /// 16 bits, in an `i32`.
    I16,
    /// An `i32`.
    I32,
    /// An `i64`.
    I64,
}

impl Scalar {
    fn size(self) -> u32 {
        match self {
            Scalar::I8 => 1,
            Scalar::I16 => 2,
            Scalar::I32 => 4,
            Scalar::I64 => 8,
        }
    }

    /// The vector type whose lanes are this wide.
    fn vector(self) -> Type {
        match self {
            Scalar::I8 => I8X16,
            Scalar::I16 => I16X8,
            Scalar::I32 => I32X4,
            Scalar::I64 => I64X2,
        }
    }
}

impl FuncTranslator<'_, '_> {
    /// An all-zero vector of type `ty`.
    pub(super) fn zero_vector(&mut self, ty: Type) -> Value {
        self.vector_const(ty, [0; 16])
    }

    /// A vector constant of type `ty` with the given little-endian bytes.
    fn vector_const(&mut self, ty: Type, bytes: [u8; 16]) -> Value {
        let constant = self
            .builder
            .func
            .dfg
            .constants
            .insert(ConstantData::from(&bytes[..]));
        self.builder.ins().vconst(ty, constant)
    }

    /// `value` (of any vector type) as a vector of type `ty`.
    fn cast(&mut self, ty: Type, value: Value) -> Value {
        if self.builder.func.dfg.value_type(value) == ty {
            value
        } else {
            self.builder.ins().bitcast(ty, lane_order(), value)
        }
    }

    /// Pops a vector as type `ty`.
    fn pop_vector(&mut self, ty: Type) -> Value {
        let value = self.pop();
        self.cast(ty, value)
    }

    /// Pushes a vector of any type, as the canonical `i8x16`.
    fn push_vector(&mut self, value: Value) {
        let value = self.cast(I8X16, value);
        self.push(value);
    }

    /// A vector operator of one operand of type `ty`.
    fn vector_unary(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value) -> Value) {
        let a = self.pop_vector(ty);
        let result = f(self, a);
        self.push_vector(result);
    }

    /// A vector operator of two operands of type `ty`.
    fn vector_binary(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value, Value) -> Value) {
        let b = self.pop_vector(ty);
        let a = self.pop_vector(ty);
        let result = f(self, a, b);
        self.push_vector(result);
    }

    /// A vector operator of three operands of type `ty`.
    fn vector_ternary(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut Self, Value, Value, Value) -> Value,
    ) {
        let c = self.pop_vector(ty);
        let b = self.pop_vector(ty);
        let a = self.pop_vector(ty);
        let result = f(self, a, b, c);
        self.push_vector(result);
    }

    /// A shift of a vector of type `ty` by an `i32` amount (which CLIF, like
    /// wasm, takes modulo the lane width).
    fn vector_shift(&mut self, ty: Type, f: impl FnOnce(&mut Self, Value, Value) -> Value) {
        let amount = self.pop();
        let a = self.pop_vector(ty);
        let result = f(self, a, amount);
        self.push_vector(result);
    }

    fn vector_icmp(&mut self, ty: Type, cc: IntCC) {
        self.vector_binary(ty, |t, a, b| t.builder.ins().icmp(cc, a, b));
    }

    fn vector_fcmp(&mut self, ty: Type, cc: FloatCC) {
        self.vector_binary(ty, |t, a, b| t.builder.ins().fcmp(cc, a, b));
    }

    /// `any_true`/`all_true`: CLIF's `i8` answer widened to `i32`.
    fn vector_test(&mut self, ty: Type, all: bool) {
        let a = self.pop_vector(ty);
        let flag = if all {
            self.builder.ins().vall_true(a)
        } else {
            self.builder.ins().vany_true(a)
        };
        let result = self.builder.ins().uextend(I32, flag);
        self.push(result);
    }

    fn vector_bitmask(&mut self, ty: Type) {
        let a = self.pop_vector(ty);
        let result = self.builder.ins().vhigh_bits(I32, a);
        self.push(result);
    }

    /// `extract_lane` of lanes of type `ty`; 8- and 16-bit lanes are
    /// extended to `i32`, signed or not.
    fn extract_lane(&mut self, ty: Type, lane: u8, signed: bool) {
        let a = self.pop_vector(ty);
        let mut value = self.builder.ins().extractlane(a, lane);
        if ty.lane_bits() < 32 {
            value = if signed {
                self.builder.ins().sextend(I32, value)
            } else {
                self.builder.ins().uextend(I32, value)
            };
        }
        self.push(value);
    }

    /// A scalar operand as a lane of a vector of type `ty`: 8- and 16-bit
    /// lanes are the low bits of an `i32`.
    fn lane_value(&mut self, ty: Type, value: Value) -> Value {
        if ty.lane_bits() < 32 {
            self.builder.ins().ireduce(ty.lane_type(), value)
        } else {
            value
        }
    }

    fn replace_lane(&mut self, ty: Type, lane: u8) {
        let value = self.pop();
        let a = self.pop_vector(ty);
        let value = self.lane_value(ty, value);
        let result = self.builder.ins().insertlane(a, value, lane);
        self.push_vector(result);
    }

    fn splat(&mut self, ty: Type) {
        let value = self.pop();
        let value = self.lane_value(ty, value);
        let result = self.builder.ins().splat(ty, value);
        self.push_vector(result);
    }

    /// Widens the low or high half of a vector of type `ty`, signed or not.
    fn widen(&mut self, a: Value, high: bool, signed: bool) -> Value {
        let ins = self.builder.ins();
        match (high, signed) {
            (false, true) => ins.swiden_low(a),
            (true, true) => ins.swiden_high(a),
            (false, false) => ins.uwiden_low(a),
            (true, false) => ins.uwiden_high(a),
        }
    }

    /// `extend_{low,high}` of lanes of type `ty`.
    fn vector_extend(&mut self, ty: Type, high: bool, signed: bool) {
        self.vector_unary(ty, |t, a| t.widen(a, high, signed));
    }

    /// `extmul_{low,high}` of lanes of type `ty`: widen both, then multiply.
    fn vector_extmul(&mut self, ty: Type, high: bool, signed: bool) {
        self.vector_binary(ty, |t, a, b| {
            let a = t.widen(a, high, signed);
            let b = t.widen(b, high, signed);
            t.builder.ins().imul(a, b)
        });
    }

    /// `extadd_pairwise` of lanes of type `ty`.
    fn vector_extadd_pairwise(&mut self, ty: Type, signed: bool) {
        self.vector_unary(ty, |t, a| {
            let low = t.widen(a, false, signed);
            let high = t.widen(a, true, signed);
            t.builder.ins().iadd_pairwise(low, high)
        });
    }

    /// The signed dot product of `a` and `b` (lanes twice as wide as the
    /// result's, wrapping): adjacent products added pairwise.
    fn dot(&mut self, a: Value, b: Value) -> Value {
        let a_low = self.widen(a, false, true);
        let b_low = self.widen(b, false, true);
        let low = self.builder.ins().imul(a_low, b_low);
        let a_high = self.widen(a, true, true);
        let b_high = self.widen(b, true, true);
        let high = self.builder.ins().imul(a_high, b_high);
        self.builder.ins().iadd_pairwise(low, high)
    }

    /// `pmin` (`max` false) or `pmax` of lanes of type `ty`: `b < a ? b : a`
    /// or `a < b ? b : a`, selected bitwise on the canonical vectors.
    fn vector_pseudo_min_max(&mut self, ty: Type, max: bool) {
        let b = self.pop();
        let a = self.pop();
        let fa = self.cast(ty, a);
        let fb = self.cast(ty, b);
        let mask = if max {
            self.builder.ins().fcmp(FloatCC::LessThan, fa, fb)
        } else {
            self.builder.ins().fcmp(FloatCC::LessThan, fb, fa)
        };
        let mask = self.cast(I8X16, mask);
        let result = self.builder.ins().bitselect(mask, b, a);
        self.push(result);
    }

    /// `i32x4.trunc_sat_f64x2_{s,u}_zero`: saturate to 64 bits, then narrow
    /// (saturating again) with zeros in the upper lanes.
    fn trunc_sat_f64x2_zero(&mut self, signed: bool) {
        self.vector_unary(F64X2, |t, a| {
            let zero = t.zero_vector(I64X2);
            if signed {
                let wide = t.builder.ins().fcvt_to_sint_sat(I64X2, a);
                t.builder.ins().snarrow(wide, zero)
            } else {
                let wide = t.builder.ins().fcvt_to_uint_sat(I64X2, a);
                t.builder.ins().uunarrow(wide, zero)
            }
        });
    }

    /// The bounds-checked address and static offset of an access of `size`
    /// bytes at `index` (a wasm `i32`).
    fn vector_address(
        &mut self,
        memarg: &MemArg,
        index: Value,
        size: u32,
    ) -> Result<(Value, i32), CompileError> {
        if memarg.target != wasmparser::MemArgTarget::Memory(0) {
            return Err(CompileError::Unsupported("multiple memories".into()));
        }
        Ok(self.heap_address(index, memarg.offset, size))
    }

    /// Loads a scalar of kind `scalar` at the popped index: 8- and 16-bit
    /// values zero-extended into an `i32`.
    fn load_scalar(&mut self, memarg: &MemArg, scalar: Scalar) -> Result<Value, CompileError> {
        let index = self.pop();
        let (address, offset) = self.vector_address(memarg, index, scalar.size())?;
        let flags = heap_flags();
        let ins = self.builder.ins();
        Ok(match scalar {
            Scalar::I8 => ins.uload8(I32, flags, address, offset),
            Scalar::I16 => ins.uload16(I32, flags, address, offset),
            Scalar::I32 => ins.load(I32, flags, address, offset),
            Scalar::I64 => ins.load(I64, flags, address, offset),
        })
    }

    /// `v128.load{8x8,16x4,32x2}_{s,u}`: 8 bytes into the low half of a
    /// vector whose lanes are `ty`, then widened.
    fn load_extend(&mut self, memarg: &MemArg, ty: Type, signed: bool) -> Result<(), CompileError> {
        let value = self.load_scalar(memarg, Scalar::I64)?;
        let vector = self.builder.ins().scalar_to_vector(I64X2, value);
        let vector = self.cast(ty, vector);
        let result = self.widen(vector, false, signed);
        self.push_vector(result);
        Ok(())
    }

    /// `v128.load{8,16,32,64}_splat`.
    fn load_splat(&mut self, memarg: &MemArg, scalar: Scalar) -> Result<(), CompileError> {
        let value = self.load_scalar(memarg, scalar)?;
        let ty = scalar.vector();
        let value = self.lane_value(ty, value);
        let result = self.builder.ins().splat(ty, value);
        self.push_vector(result);
        Ok(())
    }

    /// `v128.load{32,64}_zero`.
    fn load_zero(&mut self, memarg: &MemArg, scalar: Scalar) -> Result<(), CompileError> {
        let value = self.load_scalar(memarg, scalar)?;
        let result = self.builder.ins().scalar_to_vector(scalar.vector(), value);
        self.push_vector(result);
        Ok(())
    }

    /// `v128.load{8,16,32,64}_lane`.
    fn load_lane(&mut self, memarg: &MemArg, scalar: Scalar, lane: u8) -> Result<(), CompileError> {
        let ty = scalar.vector();
        let vector = self.pop_vector(ty);
        let value = self.load_scalar(memarg, scalar)?;
        let value = self.lane_value(ty, value);
        let result = self.builder.ins().insertlane(vector, value, lane);
        self.push_vector(result);
        Ok(())
    }

    /// `v128.store{8,16,32,64}_lane`.
    fn store_lane(
        &mut self,
        memarg: &MemArg,
        scalar: Scalar,
        lane: u8,
    ) -> Result<(), CompileError> {
        let vector = self.pop_vector(scalar.vector());
        let index = self.pop();
        let (address, offset) = self.vector_address(memarg, index, scalar.size())?;
        let value = self.builder.ins().extractlane(vector, lane);
        let flags = heap_flags();
        match scalar {
            Scalar::I8 => {
                let value = self.builder.ins().uextend(I32, value);
                self.builder.ins().istore8(flags, value, address, offset)
            }
            Scalar::I16 => {
                let value = self.builder.ins().uextend(I32, value);
                self.builder.ins().istore16(flags, value, address, offset)
            }
            Scalar::I32 | Scalar::I64 => self.builder.ins().store(flags, value, address, offset),
        };
        Ok(())
    }

    /// Translates SIMD and relaxed-SIMD operators; returns whether
    /// `operator` was one.
    pub(super) fn translate_simd(&mut self, operator: &Operator<'_>) -> Result<bool, CompileError> {
        use IntCC::*;
        match *operator {
            // Memory.
            Operator::V128Load { memarg } => {
                let index = self.pop();
                let (address, offset) = self.vector_address(&memarg, index, 16)?;
                let value = self
                    .builder
                    .ins()
                    .load(I8X16, heap_flags(), address, offset);
                self.push(value);
            }
            Operator::V128Store { memarg } => {
                let value = self.pop();
                let index = self.pop();
                let (address, offset) = self.vector_address(&memarg, index, 16)?;
                self.builder
                    .ins()
                    .store(heap_flags(), value, address, offset);
            }
            Operator::V128Load8x8S { memarg } => self.load_extend(&memarg, I8X16, true)?,
            Operator::V128Load8x8U { memarg } => self.load_extend(&memarg, I8X16, false)?,
            Operator::V128Load16x4S { memarg } => self.load_extend(&memarg, I16X8, true)?,
            Operator::V128Load16x4U { memarg } => self.load_extend(&memarg, I16X8, false)?,
            Operator::V128Load32x2S { memarg } => self.load_extend(&memarg, I32X4, true)?,
            Operator::V128Load32x2U { memarg } => self.load_extend(&memarg, I32X4, false)?,
            Operator::V128Load8Splat { memarg } => self.load_splat(&memarg, Scalar::I8)?,
            Operator::V128Load16Splat { memarg } => self.load_splat(&memarg, Scalar::I16)?,
            Operator::V128Load32Splat { memarg } => self.load_splat(&memarg, Scalar::I32)?,
            Operator::V128Load64Splat { memarg } => self.load_splat(&memarg, Scalar::I64)?,
            Operator::V128Load32Zero { memarg } => self.load_zero(&memarg, Scalar::I32)?,
            Operator::V128Load64Zero { memarg } => self.load_zero(&memarg, Scalar::I64)?,
            Operator::V128Load8Lane { memarg, lane } => {
                self.load_lane(&memarg, Scalar::I8, lane)?
            }
            Operator::V128Load16Lane { memarg, lane } => {
                self.load_lane(&memarg, Scalar::I16, lane)?
            }
            Operator::V128Load32Lane { memarg, lane } => {
                self.load_lane(&memarg, Scalar::I32, lane)?
            }
            Operator::V128Load64Lane { memarg, lane } => {
                self.load_lane(&memarg, Scalar::I64, lane)?
            }
            Operator::V128Store8Lane { memarg, lane } => {
                self.store_lane(&memarg, Scalar::I8, lane)?
            }
            Operator::V128Store16Lane { memarg, lane } => {
                self.store_lane(&memarg, Scalar::I16, lane)?
            }
            Operator::V128Store32Lane { memarg, lane } => {
                self.store_lane(&memarg, Scalar::I32, lane)?
            }
            Operator::V128Store64Lane { memarg, lane } => {
                self.store_lane(&memarg, Scalar::I64, lane)?
            }

            // Constants, lanes, shuffles.
            Operator::V128Const { value } => {
                let value = self.vector_const(I8X16, *value.bytes());
                self.push(value);
            }
            Operator::I8x16Shuffle { lanes } => {
                let b = self.pop();
                let a = self.pop();
                let mask = self
                    .builder
                    .func
                    .dfg
                    .immediates
                    .push(ConstantData::from(&lanes[..]));
                let result = self.builder.ins().shuffle(a, b, mask);
                self.push(result);
            }
            Operator::I8x16Swizzle | Operator::I8x16RelaxedSwizzle => {
                self.vector_binary(I8X16, |t, a, b| t.builder.ins().swizzle(a, b))
            }
            Operator::I8x16ExtractLaneS { lane } => self.extract_lane(I8X16, lane, true),
            Operator::I8x16ExtractLaneU { lane } => self.extract_lane(I8X16, lane, false),
            Operator::I16x8ExtractLaneS { lane } => self.extract_lane(I16X8, lane, true),
            Operator::I16x8ExtractLaneU { lane } => self.extract_lane(I16X8, lane, false),
            Operator::I32x4ExtractLane { lane } => self.extract_lane(I32X4, lane, false),
            Operator::I64x2ExtractLane { lane } => self.extract_lane(I64X2, lane, false),
            Operator::F32x4ExtractLane { lane } => self.extract_lane(F32X4, lane, false),
            Operator::F64x2ExtractLane { lane } => self.extract_lane(F64X2, lane, false),
            Operator::I8x16ReplaceLane { lane } => self.replace_lane(I8X16, lane),
            Operator::I16x8ReplaceLane { lane } => self.replace_lane(I16X8, lane),
            Operator::I32x4ReplaceLane { lane } => self.replace_lane(I32X4, lane),
            Operator::I64x2ReplaceLane { lane } => self.replace_lane(I64X2, lane),
            Operator::F32x4ReplaceLane { lane } => self.replace_lane(F32X4, lane),
            Operator::F64x2ReplaceLane { lane } => self.replace_lane(F64X2, lane),
            Operator::I8x16Splat => self.splat(I8X16),
            Operator::I16x8Splat => self.splat(I16X8),
            Operator::I32x4Splat => self.splat(I32X4),
            Operator::I64x2Splat => self.splat(I64X2),
            Operator::F32x4Splat => self.splat(F32X4),
            Operator::F64x2Splat => self.splat(F64X2),

            // Comparisons: lane masks.
            Operator::I8x16Eq => self.vector_icmp(I8X16, Equal),
            Operator::I8x16Ne => self.vector_icmp(I8X16, NotEqual),
            Operator::I8x16LtS => self.vector_icmp(I8X16, SignedLessThan),
            Operator::I8x16LtU => self.vector_icmp(I8X16, UnsignedLessThan),
            Operator::I8x16GtS => self.vector_icmp(I8X16, SignedGreaterThan),
            Operator::I8x16GtU => self.vector_icmp(I8X16, UnsignedGreaterThan),
            Operator::I8x16LeS => self.vector_icmp(I8X16, SignedLessThanOrEqual),
            Operator::I8x16LeU => self.vector_icmp(I8X16, UnsignedLessThanOrEqual),
            Operator::I8x16GeS => self.vector_icmp(I8X16, SignedGreaterThanOrEqual),
            Operator::I8x16GeU => self.vector_icmp(I8X16, UnsignedGreaterThanOrEqual),
            Operator::I16x8Eq => self.vector_icmp(I16X8, Equal),
            Operator::I16x8Ne => self.vector_icmp(I16X8, NotEqual),
            Operator::I16x8LtS => self.vector_icmp(I16X8, SignedLessThan),
            Operator::I16x8LtU => self.vector_icmp(I16X8, UnsignedLessThan),
            Operator::I16x8GtS => self.vector_icmp(I16X8, SignedGreaterThan),
            Operator::I16x8GtU => self.vector_icmp(I16X8, UnsignedGreaterThan),
            Operator::I16x8LeS => self.vector_icmp(I16X8, SignedLessThanOrEqual),
            Operator::I16x8LeU => self.vector_icmp(I16X8, UnsignedLessThanOrEqual),
            Operator::I16x8GeS => self.vector_icmp(I16X8, SignedGreaterThanOrEqual),
            Operator::I16x8GeU => self.vector_icmp(I16X8, UnsignedGreaterThanOrEqual),
            Operator::I32x4Eq => self.vector_icmp(I32X4, Equal),
            Operator::I32x4Ne => self.vector_icmp(I32X4, NotEqual),
            Operator::I32x4LtS => self.vector_icmp(I32X4, SignedLessThan),
            Operator::I32x4LtU => self.vector_icmp(I32X4, UnsignedLessThan),
            Operator::I32x4GtS => self.vector_icmp(I32X4, SignedGreaterThan),
            Operator::I32x4GtU => self.vector_icmp(I32X4, UnsignedGreaterThan),
            Operator::I32x4LeS => self.vector_icmp(I32X4, SignedLessThanOrEqual),
            Operator::I32x4LeU => self.vector_icmp(I32X4, UnsignedLessThanOrEqual),
            Operator::I32x4GeS => self.vector_icmp(I32X4, SignedGreaterThanOrEqual),
            Operator::I32x4GeU => self.vector_icmp(I32X4, UnsignedGreaterThanOrEqual),
            Operator::I64x2Eq => self.vector_icmp(I64X2, Equal),
            Operator::I64x2Ne => self.vector_icmp(I64X2, NotEqual),
            Operator::I64x2LtS => self.vector_icmp(I64X2, SignedLessThan),
            Operator::I64x2GtS => self.vector_icmp(I64X2, SignedGreaterThan),
            Operator::I64x2LeS => self.vector_icmp(I64X2, SignedLessThanOrEqual),
            Operator::I64x2GeS => self.vector_icmp(I64X2, SignedGreaterThanOrEqual),
            Operator::F32x4Eq => self.vector_fcmp(F32X4, FloatCC::Equal),
            Operator::F32x4Ne => self.vector_fcmp(F32X4, FloatCC::NotEqual),
            Operator::F32x4Lt => self.vector_fcmp(F32X4, FloatCC::LessThan),
            Operator::F32x4Gt => self.vector_fcmp(F32X4, FloatCC::GreaterThan),
            Operator::F32x4Le => self.vector_fcmp(F32X4, FloatCC::LessThanOrEqual),
            Operator::F32x4Ge => self.vector_fcmp(F32X4, FloatCC::GreaterThanOrEqual),
            Operator::F64x2Eq => self.vector_fcmp(F64X2, FloatCC::Equal),
            Operator::F64x2Ne => self.vector_fcmp(F64X2, FloatCC::NotEqual),
            Operator::F64x2Lt => self.vector_fcmp(F64X2, FloatCC::LessThan),
            Operator::F64x2Gt => self.vector_fcmp(F64X2, FloatCC::GreaterThan),
            Operator::F64x2Le => self.vector_fcmp(F64X2, FloatCC::LessThanOrEqual),
            Operator::F64x2Ge => self.vector_fcmp(F64X2, FloatCC::GreaterThanOrEqual),

            // Bitwise operators and tests.
            Operator::V128Not => self.vector_unary(I8X16, |t, a| t.builder.ins().bnot(a)),
            Operator::V128And => self.vector_binary(I8X16, |t, a, b| t.builder.ins().band(a, b)),
            Operator::V128AndNot => {
                self.vector_binary(I8X16, |t, a, b| t.builder.ins().band_not(a, b))
            }
            Operator::V128Or => self.vector_binary(I8X16, |t, a, b| t.builder.ins().bor(a, b)),
            Operator::V128Xor => self.vector_binary(I8X16, |t, a, b| t.builder.ins().bxor(a, b)),
            Operator::V128Bitselect
            | Operator::I8x16RelaxedLaneselect
            | Operator::I16x8RelaxedLaneselect
            | Operator::I32x4RelaxedLaneselect
            | Operator::I64x2RelaxedLaneselect => {
                self.vector_ternary(I8X16, |t, a, b, c| t.builder.ins().bitselect(c, a, b))
            }
            Operator::V128AnyTrue => self.vector_test(I8X16, false),
            Operator::I8x16AllTrue => self.vector_test(I8X16, true),
            Operator::I16x8AllTrue => self.vector_test(I16X8, true),
            Operator::I32x4AllTrue => self.vector_test(I32X4, true),
            Operator::I64x2AllTrue => self.vector_test(I64X2, true),
            Operator::I8x16Bitmask => self.vector_bitmask(I8X16),
            Operator::I16x8Bitmask => self.vector_bitmask(I16X8),
            Operator::I32x4Bitmask => self.vector_bitmask(I32X4),
            Operator::I64x2Bitmask => self.vector_bitmask(I64X2),

            // Shifts.
            Operator::I8x16Shl => self.vector_shift(I8X16, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I16x8Shl => self.vector_shift(I16X8, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I32x4Shl => self.vector_shift(I32X4, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I64x2Shl => self.vector_shift(I64X2, |t, a, n| t.builder.ins().ishl(a, n)),
            Operator::I8x16ShrS => self.vector_shift(I8X16, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I16x8ShrS => self.vector_shift(I16X8, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I32x4ShrS => self.vector_shift(I32X4, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I64x2ShrS => self.vector_shift(I64X2, |t, a, n| t.builder.ins().sshr(a, n)),
            Operator::I8x16ShrU => self.vector_shift(I8X16, |t, a, n| t.builder.ins().ushr(a, n)),
            Operator::I16x8ShrU => self.vector_shift(I16X8, |t, a, n| t.builder.ins().ushr(a, n)),
            Operator::I32x4ShrU => self.vector_shift(I32X4, |t, a, n| t.builder.ins().ushr(a, n)),
            Operator::I64x2ShrU => self.vector_shift(I64X2, |t, a, n| t.builder.ins().ushr(a, n)),

            // Integer arithmetic.
            Operator::I8x16Add => self.vector_binary(I8X16, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I16x8Add => self.vector_binary(I16X8, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I32x4Add => self.vector_binary(I32X4, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I64x2Add => self.vector_binary(I64X2, |t, a, b| t.builder.ins().iadd(a, b)),
            Operator::I8x16Sub => self.vector_binary(I8X16, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I16x8Sub => self.vector_binary(I16X8, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I32x4Sub => self.vector_binary(I32X4, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I64x2Sub => self.vector_binary(I64X2, |t, a, b| t.builder.ins().isub(a, b)),
            Operator::I16x8Mul => self.vector_binary(I16X8, |t, a, b| t.builder.ins().imul(a, b)),
            Operator::I32x4Mul => self.vector_binary(I32X4, |t, a, b| t.builder.ins().imul(a, b)),
            Operator::I64x2Mul => self.vector_binary(I64X2, |t, a, b| t.builder.ins().imul(a, b)),
            Operator::I8x16Neg => self.vector_unary(I8X16, |t, a| t.builder.ins().ineg(a)),
            Operator::I16x8Neg => self.vector_unary(I16X8, |t, a| t.builder.ins().ineg(a)),
            Operator::I32x4Neg => self.vector_unary(I32X4, |t, a| t.builder.ins().ineg(a)),
            Operator::I64x2Neg => self.vector_unary(I64X2, |t, a| t.builder.ins().ineg(a)),
            Operator::I8x16Abs => self.vector_unary(I8X16, |t, a| t.builder.ins().iabs(a)),
            Operator::I16x8Abs => self.vector_unary(I16X8, |t, a| t.builder.ins().iabs(a)),
            Operator::I32x4Abs => self.vector_unary(I32X4, |t, a| t.builder.ins().iabs(a)),
            Operator::I64x2Abs => self.vector_unary(I64X2, |t, a| t.builder.ins().iabs(a)),
            Operator::I8x16Popcnt => self.vector_unary(I8X16, |t, a| t.builder.ins().popcnt(a)),
            Operator::I8x16AddSatS => {
                self.vector_binary(I8X16, |t, a, b| t.builder.ins().sadd_sat(a, b))
            }
            Operator::I16x8AddSatS => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().sadd_sat(a, b))
            }
            Operator::I8x16AddSatU => {
                self.vector_binary(I8X16, |t, a, b| t.builder.ins().uadd_sat(a, b))
            }
            Operator::I16x8AddSatU => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().uadd_sat(a, b))
            }
            Operator::I8x16SubSatS => {
                self.vector_binary(I8X16, |t, a, b| t.builder.ins().ssub_sat(a, b))
            }
            Operator::I16x8SubSatS => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().ssub_sat(a, b))
            }
            Operator::I8x16SubSatU => {
                self.vector_binary(I8X16, |t, a, b| t.builder.ins().usub_sat(a, b))
            }
            Operator::I16x8SubSatU => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().usub_sat(a, b))
            }
            Operator::I8x16MinS => self.vector_binary(I8X16, |t, a, b| t.builder.ins().smin(a, b)),
            Operator::I16x8MinS => self.vector_binary(I16X8, |t, a, b| t.builder.ins().smin(a, b)),
            Operator::I32x4MinS => self.vector_binary(I32X4, |t, a, b| t.builder.ins().smin(a, b)),
            Operator::I8x16MinU => self.vector_binary(I8X16, |t, a, b| t.builder.ins().umin(a, b)),
            Operator::I16x8MinU => self.vector_binary(I16X8, |t, a, b| t.builder.ins().umin(a, b)),
            Operator::I32x4MinU => self.vector_binary(I32X4, |t, a, b| t.builder.ins().umin(a, b)),
            Operator::I8x16MaxS => self.vector_binary(I8X16, |t, a, b| t.builder.ins().smax(a, b)),
            Operator::I16x8MaxS => self.vector_binary(I16X8, |t, a, b| t.builder.ins().smax(a, b)),
            Operator::I32x4MaxS => self.vector_binary(I32X4, |t, a, b| t.builder.ins().smax(a, b)),
            Operator::I8x16MaxU => self.vector_binary(I8X16, |t, a, b| t.builder.ins().umax(a, b)),
            Operator::I16x8MaxU => self.vector_binary(I16X8, |t, a, b| t.builder.ins().umax(a, b)),
            Operator::I32x4MaxU => self.vector_binary(I32X4, |t, a, b| t.builder.ins().umax(a, b)),
            Operator::I8x16AvgrU => {
                self.vector_binary(I8X16, |t, a, b| t.builder.ins().avg_round(a, b))
            }
            Operator::I16x8AvgrU => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().avg_round(a, b))
            }
            Operator::I16x8Q15MulrSatS | Operator::I16x8RelaxedQ15mulrS => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().sqmul_round_sat(a, b))
            }

            // Narrowing, widening, extended multiplication and dot products.
            Operator::I8x16NarrowI16x8S => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().snarrow(a, b))
            }
            Operator::I8x16NarrowI16x8U => {
                self.vector_binary(I16X8, |t, a, b| t.builder.ins().unarrow(a, b))
            }
            Operator::I16x8NarrowI32x4S => {
                self.vector_binary(I32X4, |t, a, b| t.builder.ins().snarrow(a, b))
            }
            Operator::I16x8NarrowI32x4U => {
                self.vector_binary(I32X4, |t, a, b| t.builder.ins().unarrow(a, b))
            }
            Operator::I16x8ExtendLowI8x16S => self.vector_extend(I8X16, false, true),
            Operator::I16x8ExtendHighI8x16S => self.vector_extend(I8X16, true, true),
            Operator::I16x8ExtendLowI8x16U => self.vector_extend(I8X16, false, false),
            Operator::I16x8ExtendHighI8x16U => self.vector_extend(I8X16, true, false),
            Operator::I32x4ExtendLowI16x8S => self.vector_extend(I16X8, false, true),
            Operator::I32x4ExtendHighI16x8S => self.vector_extend(I16X8, true, true),
            Operator::I32x4ExtendLowI16x8U => self.vector_extend(I16X8, false, false),
            Operator::I32x4ExtendHighI16x8U => self.vector_extend(I16X8, true, false),
            Operator::I64x2ExtendLowI32x4S => self.vector_extend(I32X4, false, true),
            Operator::I64x2ExtendHighI32x4S => self.vector_extend(I32X4, true, true),
            Operator::I64x2ExtendLowI32x4U => self.vector_extend(I32X4, false, false),
            Operator::I64x2ExtendHighI32x4U => self.vector_extend(I32X4, true, false),
            Operator::I16x8ExtMulLowI8x16S => self.vector_extmul(I8X16, false, true),
            Operator::I16x8ExtMulHighI8x16S => self.vector_extmul(I8X16, true, true),
            Operator::I16x8ExtMulLowI8x16U => self.vector_extmul(I8X16, false, false),
            Operator::I16x8ExtMulHighI8x16U => self.vector_extmul(I8X16, true, false),
            Operator::I32x4ExtMulLowI16x8S => self.vector_extmul(I16X8, false, true),
            Operator::I32x4ExtMulHighI16x8S => self.vector_extmul(I16X8, true, true),
            Operator::I32x4ExtMulLowI16x8U => self.vector_extmul(I16X8, false, false),
            Operator::I32x4ExtMulHighI16x8U => self.vector_extmul(I16X8, true, false),
            Operator::I64x2ExtMulLowI32x4S => self.vector_extmul(I32X4, false, true),
            Operator::I64x2ExtMulHighI32x4S => self.vector_extmul(I32X4, true, true),
            Operator::I64x2ExtMulLowI32x4U => self.vector_extmul(I32X4, false, false),
            Operator::I64x2ExtMulHighI32x4U => self.vector_extmul(I32X4, true, false),
            Operator::I16x8ExtAddPairwiseI8x16S => self.vector_extadd_pairwise(I8X16, true),
            Operator::I16x8ExtAddPairwiseI8x16U => self.vector_extadd_pairwise(I8X16, false),
            Operator::I32x4ExtAddPairwiseI16x8S => self.vector_extadd_pairwise(I16X8, true),
            Operator::I32x4ExtAddPairwiseI16x8U => self.vector_extadd_pairwise(I16X8, false),
            Operator::I32x4DotI16x8S => self.vector_binary(I16X8, |t, a, b| t.dot(a, b)),
            Operator::I16x8RelaxedDotI8x16I7x16S => {
                self.vector_binary(I8X16, |t, a, b| t.dot(a, b))
            }
            Operator::I32x4RelaxedDotI8x16I7x16AddS => {
                let c = self.pop_vector(I32X4);
                let b = self.pop_vector(I8X16);
                let a = self.pop_vector(I8X16);
                let dot = self.dot(a, b);
                let low = self.widen(dot, false, true);
                let high = self.widen(dot, true, true);
                let sum = self.builder.ins().iadd_pairwise(low, high);
                let result = self.builder.ins().iadd(sum, c);
                self.push_vector(result);
            }

            // Float arithmetic.
            Operator::F32x4Add => self.vector_binary(F32X4, |t, a, b| t.builder.ins().fadd(a, b)),
            Operator::F64x2Add => self.vector_binary(F64X2, |t, a, b| t.builder.ins().fadd(a, b)),
            Operator::F32x4Sub => self.vector_binary(F32X4, |t, a, b| t.builder.ins().fsub(a, b)),
            Operator::F64x2Sub => self.vector_binary(F64X2, |t, a, b| t.builder.ins().fsub(a, b)),
            Operator::F32x4Mul => self.vector_binary(F32X4, |t, a, b| t.builder.ins().fmul(a, b)),
            Operator::F64x2Mul => self.vector_binary(F64X2, |t, a, b| t.builder.ins().fmul(a, b)),
            Operator::F32x4Div => self.vector_binary(F32X4, |t, a, b| t.builder.ins().fdiv(a, b)),
            Operator::F64x2Div => self.vector_binary(F64X2, |t, a, b| t.builder.ins().fdiv(a, b)),
            Operator::F32x4Min | Operator::F32x4RelaxedMin => {
                self.vector_binary(F32X4, |t, a, b| t.builder.ins().fmin(a, b))
            }
            Operator::F64x2Min | Operator::F64x2RelaxedMin => {
                self.vector_binary(F64X2, |t, a, b| t.builder.ins().fmin(a, b))
            }
            Operator::F32x4Max | Operator::F32x4RelaxedMax => {
                self.vector_binary(F32X4, |t, a, b| t.builder.ins().fmax(a, b))
            }
            Operator::F64x2Max | Operator::F64x2RelaxedMax => {
                self.vector_binary(F64X2, |t, a, b| t.builder.ins().fmax(a, b))
            }
            Operator::F32x4PMin => self.vector_pseudo_min_max(F32X4, false),
            Operator::F64x2PMin => self.vector_pseudo_min_max(F64X2, false),
            Operator::F32x4PMax => self.vector_pseudo_min_max(F32X4, true),
            Operator::F64x2PMax => self.vector_pseudo_min_max(F64X2, true),
            Operator::F32x4Neg => self.vector_unary(F32X4, |t, a| t.builder.ins().fneg(a)),
            Operator::F64x2Neg => self.vector_unary(F64X2, |t, a| t.builder.ins().fneg(a)),
            Operator::F32x4Abs => self.vector_unary(F32X4, |t, a| t.builder.ins().fabs(a)),
            Operator::F64x2Abs => self.vector_unary(F64X2, |t, a| t.builder.ins().fabs(a)),
            Operator::F32x4Sqrt => self.vector_unary(F32X4, |t, a| t.builder.ins().sqrt(a)),
            Operator::F64x2Sqrt => self.vector_unary(F64X2, |t, a| t.builder.ins().sqrt(a)),
            Operator::F32x4Ceil => self.vector_unary(F32X4, |t, a| t.builder.ins().ceil(a)),
            Operator::F64x2Ceil => self.vector_unary(F64X2, |t, a| t.builder.ins().ceil(a)),
            Operator::F32x4Floor => self.vector_unary(F32X4, |t, a| t.builder.ins().floor(a)),
            Operator::F64x2Floor => self.vector_unary(F64X2, |t, a| t.builder.ins().floor(a)),
            Operator::F32x4Trunc => self.vector_unary(F32X4, |t, a| t.builder.ins().trunc(a)),
            Operator::F64x2Trunc => self.vector_unary(F64X2, |t, a| t.builder.ins().trunc(a)),
            Operator::F32x4Nearest => self.vector_unary(F32X4, |t, a| t.builder.ins().nearest(a)),
            Operator::F64x2Nearest => self.vector_unary(F64X2, |t, a| t.builder.ins().nearest(a)),
            Operator::F32x4RelaxedMadd => {
                self.vector_ternary(F32X4, |t, a, b, c| t.builder.ins().fma(a, b, c))
            }
            Operator::F64x2RelaxedMadd => {
                self.vector_ternary(F64X2, |t, a, b, c| t.builder.ins().fma(a, b, c))
            }
            Operator::F32x4RelaxedNmadd => self.vector_ternary(F32X4, |t, a, b, c| {
                let a = t.builder.ins().fneg(a);
                t.builder.ins().fma(a, b, c)
            }),
            Operator::F64x2RelaxedNmadd => self.vector_ternary(F64X2, |t, a, b, c| {
                let a = t.builder.ins().fneg(a);
                t.builder.ins().fma(a, b, c)
            }),

            // Conversions.
            Operator::I32x4TruncSatF32x4S | Operator::I32x4RelaxedTruncF32x4S => {
                self.vector_unary(F32X4, |t, a| t.builder.ins().fcvt_to_sint_sat(I32X4, a))
            }
            Operator::I32x4TruncSatF32x4U | Operator::I32x4RelaxedTruncF32x4U => {
                self.vector_unary(F32X4, |t, a| t.builder.ins().fcvt_to_uint_sat(I32X4, a))
            }
            Operator::I32x4TruncSatF64x2SZero | Operator::I32x4RelaxedTruncF64x2SZero => {
                self.trunc_sat_f64x2_zero(true)
            }
            Operator::I32x4TruncSatF64x2UZero | Operator::I32x4RelaxedTruncF64x2UZero => {
                self.trunc_sat_f64x2_zero(false)
            }
            Operator::F32x4ConvertI32x4S => {
                self.vector_unary(I32X4, |t, a| t.builder.ins().fcvt_from_sint(F32X4, a))
            }
            Operator::F32x4ConvertI32x4U => {
                self.vector_unary(I32X4, |t, a| t.builder.ins().fcvt_from_uint(F32X4, a))
            }
            Operator::F64x2ConvertLowI32x4S => self.vector_unary(I32X4, |t, a| {
                let wide = t.builder.ins().swiden_low(a);
                t.builder.ins().fcvt_from_sint(F64X2, wide)
            }),
            Operator::F64x2ConvertLowI32x4U => self.vector_unary(I32X4, |t, a| {
                let wide = t.builder.ins().uwiden_low(a);
                t.builder.ins().fcvt_from_uint(F64X2, wide)
            }),
            Operator::F32x4DemoteF64x2Zero => {
                self.vector_unary(F64X2, |t, a| t.builder.ins().fvdemote(a))
            }
            Operator::F64x2PromoteLowF32x4 => {
                self.vector_unary(F32X4, |t, a| t.builder.ins().fvpromote_low(a))
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
