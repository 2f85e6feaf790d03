//! Fixed-width SIMD (the `v128` proposal) and relaxed SIMD: wasm vector
//! operators to Cranelift IR (the translator's `visit_*` methods for them,
//! most defined by family with the local macros below).
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

use cranelift_codegen::ir::condcodes::IntCC::*;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I8X16, I16X8, I32, I32X4, I64, I64X2};
use cranelift_codegen::ir::{ConstantData, Endianness, InstBuilder, MemFlagsData, Type, Value};
use wasmparser::{MemArg, V128};

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

/// Vector operators of one operand that are one CLIF instruction:
/// `visit_method => (operand lane type, instruction)`, or
/// `instruction(result type)` for an instruction that takes its result type.
macro_rules! vector_unary_operators {
    ($($visit:ident => ($ty:expr, $instruction:ident $(($result:expr))?);)*) => {$(
        pub(super) fn $visit(&mut self) -> Result<(), CompileError> {
            self.vector_unary($ty, |t, a| t.builder.ins().$instruction($($result,)? a));
            Ok(())
        }
    )*};
}

/// Vector operators of two operands that are one CLIF instruction:
/// `visit_method => (operand lane type, instruction)`.
macro_rules! vector_binary_operators {
    ($($visit:ident => ($ty:expr, $instruction:ident);)*) => {$(
        pub(super) fn $visit(&mut self) -> Result<(), CompileError> {
            self.vector_binary($ty, |t, a, b| t.builder.ins().$instruction(a, b));
            Ok(())
        }
    )*};
}

/// Vector shifts by an `i32`: `visit_method => (lane type, instruction)`.
macro_rules! vector_shifts {
    ($($visit:ident => ($ty:expr, $instruction:ident);)*) => {$(
        pub(super) fn $visit(&mut self) -> Result<(), CompileError> {
            self.vector_shift($ty, |t, a, n| t.builder.ins().$instruction(a, n));
            Ok(())
        }
    )*};
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

    /// `v128.bitselect` (and `relaxed_laneselect`): bits of the first operand
    /// where the mask (the third) is set, of the second elsewhere.
    fn vector_bitselect(&mut self) {
        self.vector_ternary(I8X16, |t, a, b, c| t.builder.ins().bitselect(c, a, b));
    }

    /// The dot product of lanes of type `ty` (`i32x4.dot_i16x8_s`,
    /// `i16x8.relaxed_dot_i8x16_i7x16_s`).
    fn vector_dot(&mut self, ty: Type) {
        self.vector_binary(ty, |t, a, b| t.dot(a, b));
    }

    /// `relaxed_madd` (`negate` false) or `relaxed_nmadd` of lanes of type
    /// `ty`: a fused multiply-add, of `-a` for `nmadd`.
    fn vector_fma(&mut self, ty: Type, negate: bool) {
        self.vector_ternary(ty, |t, a, b, c| {
            let a = if negate { t.builder.ins().fneg(a) } else { a };
            t.builder.ins().fma(a, b, c)
        });
    }

    /// `f64x2.convert_low_i32x4_{s,u}`: widen the low half, then convert.
    fn convert_low(&mut self, signed: bool) {
        self.vector_unary(I32X4, |t, a| {
            if signed {
                let wide = t.builder.ins().swiden_low(a);
                t.builder.ins().fcvt_from_sint(F64X2, wide)
            } else {
                let wide = t.builder.ins().uwiden_low(a);
                t.builder.ins().fcvt_from_uint(F64X2, wide)
            }
        });
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

    pub(super) fn visit_v128_load(&mut self, memarg: MemArg) -> Result<(), CompileError> {
        let index = self.pop();
        let (address, offset) = self.vector_address(&memarg, index, 16)?;
        let value = self
            .builder
            .ins()
            .load(I8X16, heap_flags(), address, offset);
        self.push(value);
        Ok(())
    }

    pub(super) fn visit_v128_store(&mut self, memarg: MemArg) -> Result<(), CompileError> {
        let value = self.pop();
        let index = self.pop();
        let (address, offset) = self.vector_address(&memarg, index, 16)?;
        self.builder
            .ins()
            .store(heap_flags(), value, address, offset);
        Ok(())
    }

    fallible_operators! {
        visit_v128_load8x8_s(memarg: MemArg) => load_extend(&memarg, I8X16, true);
        visit_v128_load8x8_u(memarg: MemArg) => load_extend(&memarg, I8X16, false);
        visit_v128_load16x4_s(memarg: MemArg) => load_extend(&memarg, I16X8, true);
        visit_v128_load16x4_u(memarg: MemArg) => load_extend(&memarg, I16X8, false);
        visit_v128_load32x2_s(memarg: MemArg) => load_extend(&memarg, I32X4, true);
        visit_v128_load32x2_u(memarg: MemArg) => load_extend(&memarg, I32X4, false);
        visit_v128_load8_splat(memarg: MemArg) => load_splat(&memarg, Scalar::I8);
        visit_v128_load16_splat(memarg: MemArg) => load_splat(&memarg, Scalar::I16);
        visit_v128_load32_splat(memarg: MemArg) => load_splat(&memarg, Scalar::I32);
        visit_v128_load64_splat(memarg: MemArg) => load_splat(&memarg, Scalar::I64);
        visit_v128_load32_zero(memarg: MemArg) => load_zero(&memarg, Scalar::I32);
        visit_v128_load64_zero(memarg: MemArg) => load_zero(&memarg, Scalar::I64);
        visit_v128_load8_lane(memarg: MemArg, lane: u8) => load_lane(&memarg, Scalar::I8, lane);
        visit_v128_load16_lane(memarg: MemArg, lane: u8) => load_lane(&memarg, Scalar::I16, lane);
        visit_v128_load32_lane(memarg: MemArg, lane: u8) => load_lane(&memarg, Scalar::I32, lane);
        visit_v128_load64_lane(memarg: MemArg, lane: u8) => load_lane(&memarg, Scalar::I64, lane);
        visit_v128_store8_lane(memarg: MemArg, lane: u8) => store_lane(&memarg, Scalar::I8, lane);
        visit_v128_store16_lane(memarg: MemArg, lane: u8) => store_lane(&memarg, Scalar::I16, lane);
        visit_v128_store32_lane(memarg: MemArg, lane: u8) => store_lane(&memarg, Scalar::I32, lane);
        visit_v128_store64_lane(memarg: MemArg, lane: u8) => store_lane(&memarg, Scalar::I64, lane);
    }

    pub(super) fn visit_v128_const(&mut self, value: V128) -> Result<(), CompileError> {
        let value = self.vector_const(I8X16, *value.bytes());
        self.push(value);
        Ok(())
    }

    pub(super) fn visit_i8x16_shuffle(&mut self, lanes: [u8; 16]) -> Result<(), CompileError> {
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
        Ok(())
    }

    pub(super) fn visit_i32x4_relaxed_dot_i8x16_i7x16_add_s(&mut self) -> Result<(), CompileError> {
        let c = self.pop_vector(I32X4);
        let b = self.pop_vector(I8X16);
        let a = self.pop_vector(I8X16);
        let dot = self.dot(a, b);
        let low = self.widen(dot, false, true);
        let high = self.widen(dot, true, true);
        let sum = self.builder.ins().iadd_pairwise(low, high);
        let result = self.builder.ins().iadd(sum, c);
        self.push_vector(result);
        Ok(())
    }

    // Lanes.
    operators! {
        visit_i8x16_extract_lane_s(lane: u8) => extract_lane(I8X16, lane, true);
        visit_i8x16_extract_lane_u(lane: u8) => extract_lane(I8X16, lane, false);
        visit_i16x8_extract_lane_s(lane: u8) => extract_lane(I16X8, lane, true);
        visit_i16x8_extract_lane_u(lane: u8) => extract_lane(I16X8, lane, false);
        visit_i32x4_extract_lane(lane: u8) => extract_lane(I32X4, lane, false);
        visit_i64x2_extract_lane(lane: u8) => extract_lane(I64X2, lane, false);
        visit_f32x4_extract_lane(lane: u8) => extract_lane(F32X4, lane, false);
        visit_f64x2_extract_lane(lane: u8) => extract_lane(F64X2, lane, false);
        visit_i8x16_replace_lane(lane: u8) => replace_lane(I8X16, lane);
        visit_i16x8_replace_lane(lane: u8) => replace_lane(I16X8, lane);
        visit_i32x4_replace_lane(lane: u8) => replace_lane(I32X4, lane);
        visit_i64x2_replace_lane(lane: u8) => replace_lane(I64X2, lane);
        visit_f32x4_replace_lane(lane: u8) => replace_lane(F32X4, lane);
        visit_f64x2_replace_lane(lane: u8) => replace_lane(F64X2, lane);
        visit_i8x16_splat() => splat(I8X16);
        visit_i16x8_splat() => splat(I16X8);
        visit_i32x4_splat() => splat(I32X4);
        visit_i64x2_splat() => splat(I64X2);
        visit_f32x4_splat() => splat(F32X4);
        visit_f64x2_splat() => splat(F64X2);
    }

    // Comparisons: lane masks.
    operators! {
        visit_i8x16_eq() => vector_icmp(I8X16, Equal);
        visit_i8x16_ne() => vector_icmp(I8X16, NotEqual);
        visit_i8x16_lt_s() => vector_icmp(I8X16, SignedLessThan);
        visit_i8x16_lt_u() => vector_icmp(I8X16, UnsignedLessThan);
        visit_i8x16_gt_s() => vector_icmp(I8X16, SignedGreaterThan);
        visit_i8x16_gt_u() => vector_icmp(I8X16, UnsignedGreaterThan);
        visit_i8x16_le_s() => vector_icmp(I8X16, SignedLessThanOrEqual);
        visit_i8x16_le_u() => vector_icmp(I8X16, UnsignedLessThanOrEqual);
        visit_i8x16_ge_s() => vector_icmp(I8X16, SignedGreaterThanOrEqual);
        visit_i8x16_ge_u() => vector_icmp(I8X16, UnsignedGreaterThanOrEqual);
        visit_i16x8_eq() => vector_icmp(I16X8, Equal);
        visit_i16x8_ne() => vector_icmp(I16X8, NotEqual);
        visit_i16x8_lt_s() => vector_icmp(I16X8, SignedLessThan);
        visit_i16x8_lt_u() => vector_icmp(I16X8, UnsignedLessThan);
        visit_i16x8_gt_s() => vector_icmp(I16X8, SignedGreaterThan);
        visit_i16x8_gt_u() => vector_icmp(I16X8, UnsignedGreaterThan);
        visit_i16x8_le_s() => vector_icmp(I16X8, SignedLessThanOrEqual);
        visit_i16x8_le_u() => vector_icmp(I16X8, UnsignedLessThanOrEqual);
        visit_i16x8_ge_s() => vector_icmp(I16X8, SignedGreaterThanOrEqual);
        visit_i16x8_ge_u() => vector_icmp(I16X8, UnsignedGreaterThanOrEqual);
        visit_i32x4_eq() => vector_icmp(I32X4, Equal);
        visit_i32x4_ne() => vector_icmp(I32X4, NotEqual);
        visit_i32x4_lt_s() => vector_icmp(I32X4, SignedLessThan);
        visit_i32x4_lt_u() => vector_icmp(I32X4, UnsignedLessThan);
        visit_i32x4_gt_s() => vector_icmp(I32X4, SignedGreaterThan);
        visit_i32x4_gt_u() => vector_icmp(I32X4, UnsignedGreaterThan);
        visit_i32x4_le_s() => vector_icmp(I32X4, SignedLessThanOrEqual);
        visit_i32x4_le_u() => vector_icmp(I32X4, UnsignedLessThanOrEqual);
        visit_i32x4_ge_s() => vector_icmp(I32X4, SignedGreaterThanOrEqual);
        visit_i32x4_ge_u() => vector_icmp(I32X4, UnsignedGreaterThanOrEqual);
        visit_i64x2_eq() => vector_icmp(I64X2, Equal);
        visit_i64x2_ne() => vector_icmp(I64X2, NotEqual);
        visit_i64x2_lt_s() => vector_icmp(I64X2, SignedLessThan);
        visit_i64x2_gt_s() => vector_icmp(I64X2, SignedGreaterThan);
        visit_i64x2_le_s() => vector_icmp(I64X2, SignedLessThanOrEqual);
        visit_i64x2_ge_s() => vector_icmp(I64X2, SignedGreaterThanOrEqual);
        visit_f32x4_eq() => vector_fcmp(F32X4, FloatCC::Equal);
        visit_f32x4_ne() => vector_fcmp(F32X4, FloatCC::NotEqual);
        visit_f32x4_lt() => vector_fcmp(F32X4, FloatCC::LessThan);
        visit_f32x4_gt() => vector_fcmp(F32X4, FloatCC::GreaterThan);
        visit_f32x4_le() => vector_fcmp(F32X4, FloatCC::LessThanOrEqual);
        visit_f32x4_ge() => vector_fcmp(F32X4, FloatCC::GreaterThanOrEqual);
        visit_f64x2_eq() => vector_fcmp(F64X2, FloatCC::Equal);
        visit_f64x2_ne() => vector_fcmp(F64X2, FloatCC::NotEqual);
        visit_f64x2_lt() => vector_fcmp(F64X2, FloatCC::LessThan);
        visit_f64x2_gt() => vector_fcmp(F64X2, FloatCC::GreaterThan);
        visit_f64x2_le() => vector_fcmp(F64X2, FloatCC::LessThanOrEqual);
        visit_f64x2_ge() => vector_fcmp(F64X2, FloatCC::GreaterThanOrEqual);
    }

    // Tests.
    operators! {
        visit_v128_any_true() => vector_test(I8X16, false);
        visit_i8x16_all_true() => vector_test(I8X16, true);
        visit_i16x8_all_true() => vector_test(I16X8, true);
        visit_i32x4_all_true() => vector_test(I32X4, true);
        visit_i64x2_all_true() => vector_test(I64X2, true);
        visit_i8x16_bitmask() => vector_bitmask(I8X16);
        visit_i16x8_bitmask() => vector_bitmask(I16X8);
        visit_i32x4_bitmask() => vector_bitmask(I32X4);
        visit_i64x2_bitmask() => vector_bitmask(I64X2);
    }

    // Swizzles; `relaxed_swizzle` is `swizzle`.
    vector_binary_operators! {
        visit_i8x16_swizzle => (I8X16, swizzle);
        visit_i8x16_relaxed_swizzle => (I8X16, swizzle);
    }

    // Bitwise operators; `relaxed_laneselect` is `bitselect`.
    vector_unary_operators! {
        visit_v128_not => (I8X16, bnot);
    }
    vector_binary_operators! {
        visit_v128_and => (I8X16, band);
        visit_v128_andnot => (I8X16, band_not);
        visit_v128_or => (I8X16, bor);
        visit_v128_xor => (I8X16, bxor);
    }
    operators! {
        visit_v128_bitselect() => vector_bitselect();
        visit_i8x16_relaxed_laneselect() => vector_bitselect();
        visit_i16x8_relaxed_laneselect() => vector_bitselect();
        visit_i32x4_relaxed_laneselect() => vector_bitselect();
        visit_i64x2_relaxed_laneselect() => vector_bitselect();
    }

    // Shifts.
    vector_shifts! {
        visit_i8x16_shl => (I8X16, ishl);
        visit_i16x8_shl => (I16X8, ishl);
        visit_i32x4_shl => (I32X4, ishl);
        visit_i64x2_shl => (I64X2, ishl);
        visit_i8x16_shr_s => (I8X16, sshr);
        visit_i16x8_shr_s => (I16X8, sshr);
        visit_i32x4_shr_s => (I32X4, sshr);
        visit_i64x2_shr_s => (I64X2, sshr);
        visit_i8x16_shr_u => (I8X16, ushr);
        visit_i16x8_shr_u => (I16X8, ushr);
        visit_i32x4_shr_u => (I32X4, ushr);
        visit_i64x2_shr_u => (I64X2, ushr);
    }

    // Integer arithmetic; `relaxed_q15mulr_s` is `q15mulr_sat_s`.
    vector_binary_operators! {
        visit_i8x16_add => (I8X16, iadd);
        visit_i16x8_add => (I16X8, iadd);
        visit_i32x4_add => (I32X4, iadd);
        visit_i64x2_add => (I64X2, iadd);
        visit_i8x16_sub => (I8X16, isub);
        visit_i16x8_sub => (I16X8, isub);
        visit_i32x4_sub => (I32X4, isub);
        visit_i64x2_sub => (I64X2, isub);
        visit_i16x8_mul => (I16X8, imul);
        visit_i32x4_mul => (I32X4, imul);
        visit_i64x2_mul => (I64X2, imul);
        visit_i8x16_add_sat_s => (I8X16, sadd_sat);
        visit_i16x8_add_sat_s => (I16X8, sadd_sat);
        visit_i8x16_add_sat_u => (I8X16, uadd_sat);
        visit_i16x8_add_sat_u => (I16X8, uadd_sat);
        visit_i8x16_sub_sat_s => (I8X16, ssub_sat);
        visit_i16x8_sub_sat_s => (I16X8, ssub_sat);
        visit_i8x16_sub_sat_u => (I8X16, usub_sat);
        visit_i16x8_sub_sat_u => (I16X8, usub_sat);
        visit_i8x16_min_s => (I8X16, smin);
        visit_i16x8_min_s => (I16X8, smin);
        visit_i32x4_min_s => (I32X4, smin);
        visit_i8x16_min_u => (I8X16, umin);
        visit_i16x8_min_u => (I16X8, umin);
        visit_i32x4_min_u => (I32X4, umin);
        visit_i8x16_max_s => (I8X16, smax);
        visit_i16x8_max_s => (I16X8, smax);
        visit_i32x4_max_s => (I32X4, smax);
        visit_i8x16_max_u => (I8X16, umax);
        visit_i16x8_max_u => (I16X8, umax);
        visit_i32x4_max_u => (I32X4, umax);
        visit_i8x16_avgr_u => (I8X16, avg_round);
        visit_i16x8_avgr_u => (I16X8, avg_round);
        visit_i16x8_q15mulr_sat_s => (I16X8, sqmul_round_sat);
        visit_i16x8_relaxed_q15mulr_s => (I16X8, sqmul_round_sat);
    }
    vector_unary_operators! {
        visit_i8x16_neg => (I8X16, ineg);
        visit_i16x8_neg => (I16X8, ineg);
        visit_i32x4_neg => (I32X4, ineg);
        visit_i64x2_neg => (I64X2, ineg);
        visit_i8x16_abs => (I8X16, iabs);
        visit_i16x8_abs => (I16X8, iabs);
        visit_i32x4_abs => (I32X4, iabs);
        visit_i64x2_abs => (I64X2, iabs);
        visit_i8x16_popcnt => (I8X16, popcnt);
    }

    // Narrowing, widening, extended multiplication and dot products.
    vector_binary_operators! {
        visit_i8x16_narrow_i16x8_s => (I16X8, snarrow);
        visit_i8x16_narrow_i16x8_u => (I16X8, unarrow);
        visit_i16x8_narrow_i32x4_s => (I32X4, snarrow);
        visit_i16x8_narrow_i32x4_u => (I32X4, unarrow);
    }
    operators! {
        visit_i16x8_extend_low_i8x16_s() => vector_extend(I8X16, false, true);
        visit_i16x8_extend_high_i8x16_s() => vector_extend(I8X16, true, true);
        visit_i16x8_extend_low_i8x16_u() => vector_extend(I8X16, false, false);
        visit_i16x8_extend_high_i8x16_u() => vector_extend(I8X16, true, false);
        visit_i32x4_extend_low_i16x8_s() => vector_extend(I16X8, false, true);
        visit_i32x4_extend_high_i16x8_s() => vector_extend(I16X8, true, true);
        visit_i32x4_extend_low_i16x8_u() => vector_extend(I16X8, false, false);
        visit_i32x4_extend_high_i16x8_u() => vector_extend(I16X8, true, false);
        visit_i64x2_extend_low_i32x4_s() => vector_extend(I32X4, false, true);
        visit_i64x2_extend_high_i32x4_s() => vector_extend(I32X4, true, true);
        visit_i64x2_extend_low_i32x4_u() => vector_extend(I32X4, false, false);
        visit_i64x2_extend_high_i32x4_u() => vector_extend(I32X4, true, false);
        visit_i16x8_extmul_low_i8x16_s() => vector_extmul(I8X16, false, true);
        visit_i16x8_extmul_high_i8x16_s() => vector_extmul(I8X16, true, true);
        visit_i16x8_extmul_low_i8x16_u() => vector_extmul(I8X16, false, false);
        visit_i16x8_extmul_high_i8x16_u() => vector_extmul(I8X16, true, false);
        visit_i32x4_extmul_low_i16x8_s() => vector_extmul(I16X8, false, true);
        visit_i32x4_extmul_high_i16x8_s() => vector_extmul(I16X8, true, true);
        visit_i32x4_extmul_low_i16x8_u() => vector_extmul(I16X8, false, false);
        visit_i32x4_extmul_high_i16x8_u() => vector_extmul(I16X8, true, false);
        visit_i64x2_extmul_low_i32x4_s() => vector_extmul(I32X4, false, true);
        visit_i64x2_extmul_high_i32x4_s() => vector_extmul(I32X4, true, true);
        visit_i64x2_extmul_low_i32x4_u() => vector_extmul(I32X4, false, false);
        visit_i64x2_extmul_high_i32x4_u() => vector_extmul(I32X4, true, false);
        visit_i16x8_extadd_pairwise_i8x16_s() => vector_extadd_pairwise(I8X16, true);
        visit_i16x8_extadd_pairwise_i8x16_u() => vector_extadd_pairwise(I8X16, false);
        visit_i32x4_extadd_pairwise_i16x8_s() => vector_extadd_pairwise(I16X8, true);
        visit_i32x4_extadd_pairwise_i16x8_u() => vector_extadd_pairwise(I16X8, false);
        visit_i32x4_dot_i16x8_s() => vector_dot(I16X8);
        visit_i16x8_relaxed_dot_i8x16_i7x16_s() => vector_dot(I8X16);
    }

    // Float arithmetic; `relaxed_min`/`relaxed_max` are `min`/`max`.
    vector_binary_operators! {
        visit_f32x4_add => (F32X4, fadd);
        visit_f64x2_add => (F64X2, fadd);
        visit_f32x4_sub => (F32X4, fsub);
        visit_f64x2_sub => (F64X2, fsub);
        visit_f32x4_mul => (F32X4, fmul);
        visit_f64x2_mul => (F64X2, fmul);
        visit_f32x4_div => (F32X4, fdiv);
        visit_f64x2_div => (F64X2, fdiv);
        visit_f32x4_min => (F32X4, fmin);
        visit_f32x4_relaxed_min => (F32X4, fmin);
        visit_f64x2_min => (F64X2, fmin);
        visit_f64x2_relaxed_min => (F64X2, fmin);
        visit_f32x4_max => (F32X4, fmax);
        visit_f32x4_relaxed_max => (F32X4, fmax);
        visit_f64x2_max => (F64X2, fmax);
        visit_f64x2_relaxed_max => (F64X2, fmax);
    }
    operators! {
        visit_f32x4_pmin() => vector_pseudo_min_max(F32X4, false);
        visit_f64x2_pmin() => vector_pseudo_min_max(F64X2, false);
        visit_f32x4_pmax() => vector_pseudo_min_max(F32X4, true);
        visit_f64x2_pmax() => vector_pseudo_min_max(F64X2, true);
        visit_f32x4_relaxed_madd() => vector_fma(F32X4, false);
        visit_f64x2_relaxed_madd() => vector_fma(F64X2, false);
        visit_f32x4_relaxed_nmadd() => vector_fma(F32X4, true);
        visit_f64x2_relaxed_nmadd() => vector_fma(F64X2, true);
    }
    vector_unary_operators! {
        visit_f32x4_neg => (F32X4, fneg);
        visit_f64x2_neg => (F64X2, fneg);
        visit_f32x4_abs => (F32X4, fabs);
        visit_f64x2_abs => (F64X2, fabs);
        visit_f32x4_sqrt => (F32X4, sqrt);
        visit_f64x2_sqrt => (F64X2, sqrt);
        visit_f32x4_ceil => (F32X4, ceil);
        visit_f64x2_ceil => (F64X2, ceil);
        visit_f32x4_floor => (F32X4, floor);
        visit_f64x2_floor => (F64X2, floor);
        visit_f32x4_trunc => (F32X4, trunc);
        visit_f64x2_trunc => (F64X2, trunc);
        visit_f32x4_nearest => (F32X4, nearest);
        visit_f64x2_nearest => (F64X2, nearest);
    }

    // Conversions; `relaxed_trunc` is `trunc_sat`.
    vector_unary_operators! {
        visit_i32x4_trunc_sat_f32x4_s => (F32X4, fcvt_to_sint_sat(I32X4));
        visit_i32x4_relaxed_trunc_f32x4_s => (F32X4, fcvt_to_sint_sat(I32X4));
        visit_i32x4_trunc_sat_f32x4_u => (F32X4, fcvt_to_uint_sat(I32X4));
        visit_i32x4_relaxed_trunc_f32x4_u => (F32X4, fcvt_to_uint_sat(I32X4));
        visit_f32x4_convert_i32x4_s => (I32X4, fcvt_from_sint(F32X4));
        visit_f32x4_convert_i32x4_u => (I32X4, fcvt_from_uint(F32X4));
        visit_f32x4_demote_f64x2_zero => (F64X2, fvdemote);
        visit_f64x2_promote_low_f32x4 => (F32X4, fvpromote_low);
    }
    operators! {
        visit_i32x4_trunc_sat_f64x2_s_zero() => trunc_sat_f64x2_zero(true);
        visit_i32x4_relaxed_trunc_f64x2_s_zero() => trunc_sat_f64x2_zero(true);
        visit_i32x4_trunc_sat_f64x2_u_zero() => trunc_sat_f64x2_zero(false);
        visit_i32x4_relaxed_trunc_f64x2_u_zero() => trunc_sat_f64x2_zero(false);
        visit_f64x2_convert_low_i32x4_s() => convert_low(true);
        visit_f64x2_convert_low_i32x4_u() => convert_low(false);
    }
}
