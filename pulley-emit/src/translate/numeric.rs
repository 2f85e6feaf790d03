//! Constants, integer and float arithmetic, comparisons and conversions: the
//! translator's `visit_*` methods for them, most defined by family with the
//! local macros below.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32, F64, I8, I16, I32, I64};
use cranelift_codegen::ir::{
    InstBuilder, MemFlagsData, Type, Value, immediates::Ieee32, immediates::Ieee64,
};

use super::FuncTranslator;
use crate::CompileError;

/// Operators of one operand that are one CLIF instruction:
/// `visit_method => instruction`, or `visit_method => instruction(leading
/// arguments)` for an instruction that takes its result type (and flags)
/// before the operand.
macro_rules! unary_operators {
    ($($visit:ident => $instruction:ident $(($($leading:expr),*))?,)*) => {$(
        pub(super) fn $visit(&mut self) -> Result<(), CompileError> {
            self.unary(|t, a| t.builder.ins().$instruction($($($leading,)*)? a));
            Ok(())
        }
    )*};
}

/// Operators of two operands that are one CLIF instruction.
macro_rules! binary_operators {
    ($($visit:ident => $instruction:ident,)*) => {$(
        pub(super) fn $visit(&mut self) -> Result<(), CompileError> {
            self.binary(|t, a, b| t.builder.ins().$instruction(a, b));
            Ok(())
        }
    )*};
}

impl FuncTranslator<'_, '_> {
    fn unary(&mut self, f: impl FnOnce(&mut Self, Value) -> Value) {
        let a = self.pop();
        let result = f(self, a);
        self.push(result);
    }

    fn binary(&mut self, f: impl FnOnce(&mut Self, Value, Value) -> Value) {
        let (a, b) = self.pop2();
        let result = f(self, a, b);
        self.push(result);
    }

    /// A wasm comparison: CLIF's `i8` result widened to `i32`.
    fn int_compare(&mut self, cc: IntCC) {
        self.binary(|t, a, b| {
            let flag = t.builder.ins().icmp(cc, a, b);
            t.builder.ins().uextend(I32, flag)
        });
    }

    fn float_compare(&mut self, cc: FloatCC) {
        self.binary(|t, a, b| {
            let flag = t.builder.ins().fcmp(cc, a, b);
            t.builder.ins().uextend(I32, flag)
        });
    }

    fn equal_zero(&mut self) {
        self.unary(|t, a| {
            let flag = t.builder.ins().icmp_imm_u(IntCC::Equal, a, 0);
            t.builder.ins().uextend(I32, flag)
        });
    }

    /// `sextend.to (ireduce.from a)`: the sign-extension operators.
    fn sign_extend_low(&mut self, from: Type, to: Type) {
        self.unary(|t, a| {
            let low = t.builder.ins().ireduce(from, a);
            t.builder.ins().sextend(to, low)
        });
    }

    pub(super) fn visit_i32_const(&mut self, value: i32) -> Result<(), CompileError> {
        let v = self.builder.ins().iconst(I32, i64::from(value));
        self.push(v);
        Ok(())
    }

    pub(super) fn visit_i64_const(&mut self, value: i64) -> Result<(), CompileError> {
        let v = self.builder.ins().iconst(I64, value);
        self.push(v);
        Ok(())
    }

    pub(super) fn visit_f32_const(
        &mut self,
        value: wasmparser::Ieee32,
    ) -> Result<(), CompileError> {
        let v = self.builder.ins().f32const(Ieee32::with_bits(value.bits()));
        self.push(v);
        Ok(())
    }

    pub(super) fn visit_f64_const(
        &mut self,
        value: wasmparser::Ieee64,
    ) -> Result<(), CompileError> {
        let v = self.builder.ins().f64const(Ieee64::with_bits(value.bits()));
        self.push(v);
        Ok(())
    }

    operators! {
        visit_i32_eqz() => equal_zero();
        visit_i64_eqz() => equal_zero();
        visit_i32_eq() => int_compare(IntCC::Equal);
        visit_i64_eq() => int_compare(IntCC::Equal);
        visit_i32_ne() => int_compare(IntCC::NotEqual);
        visit_i64_ne() => int_compare(IntCC::NotEqual);
        visit_i32_lt_s() => int_compare(IntCC::SignedLessThan);
        visit_i64_lt_s() => int_compare(IntCC::SignedLessThan);
        visit_i32_lt_u() => int_compare(IntCC::UnsignedLessThan);
        visit_i64_lt_u() => int_compare(IntCC::UnsignedLessThan);
        visit_i32_gt_s() => int_compare(IntCC::SignedGreaterThan);
        visit_i64_gt_s() => int_compare(IntCC::SignedGreaterThan);
        visit_i32_gt_u() => int_compare(IntCC::UnsignedGreaterThan);
        visit_i64_gt_u() => int_compare(IntCC::UnsignedGreaterThan);
        visit_i32_le_s() => int_compare(IntCC::SignedLessThanOrEqual);
        visit_i64_le_s() => int_compare(IntCC::SignedLessThanOrEqual);
        visit_i32_le_u() => int_compare(IntCC::UnsignedLessThanOrEqual);
        visit_i64_le_u() => int_compare(IntCC::UnsignedLessThanOrEqual);
        visit_i32_ge_s() => int_compare(IntCC::SignedGreaterThanOrEqual);
        visit_i64_ge_s() => int_compare(IntCC::SignedGreaterThanOrEqual);
        visit_i32_ge_u() => int_compare(IntCC::UnsignedGreaterThanOrEqual);
        visit_i64_ge_u() => int_compare(IntCC::UnsignedGreaterThanOrEqual);
        visit_f32_eq() => float_compare(FloatCC::Equal);
        visit_f64_eq() => float_compare(FloatCC::Equal);
        visit_f32_ne() => float_compare(FloatCC::NotEqual);
        visit_f64_ne() => float_compare(FloatCC::NotEqual);
        visit_f32_lt() => float_compare(FloatCC::LessThan);
        visit_f64_lt() => float_compare(FloatCC::LessThan);
        visit_f32_gt() => float_compare(FloatCC::GreaterThan);
        visit_f64_gt() => float_compare(FloatCC::GreaterThan);
        visit_f32_le() => float_compare(FloatCC::LessThanOrEqual);
        visit_f64_le() => float_compare(FloatCC::LessThanOrEqual);
        visit_f32_ge() => float_compare(FloatCC::GreaterThanOrEqual);
        visit_f64_ge() => float_compare(FloatCC::GreaterThanOrEqual);
    }

    unary_operators! {
        visit_i32_clz => clz,
        visit_i64_clz => clz,
        visit_i32_ctz => ctz,
        visit_i64_ctz => ctz,
        visit_i32_popcnt => popcnt,
        visit_i64_popcnt => popcnt,
        visit_i32_wrap_i64 => ireduce(I32),
        visit_i64_extend_i32_s => sextend(I64),
        visit_i64_extend_i32_u => uextend(I64),
        visit_f32_abs => fabs,
        visit_f64_abs => fabs,
        visit_f32_neg => fneg,
        visit_f64_neg => fneg,
        visit_f32_ceil => ceil,
        visit_f64_ceil => ceil,
        visit_f32_floor => floor,
        visit_f64_floor => floor,
        visit_f32_trunc => trunc,
        visit_f64_trunc => trunc,
        visit_f32_nearest => nearest,
        visit_f64_nearest => nearest,
        visit_f32_sqrt => sqrt,
        visit_f64_sqrt => sqrt,
        visit_i32_trunc_f32_s => fcvt_to_sint(I32),
        visit_i32_trunc_f64_s => fcvt_to_sint(I32),
        visit_i32_trunc_f32_u => fcvt_to_uint(I32),
        visit_i32_trunc_f64_u => fcvt_to_uint(I32),
        visit_i64_trunc_f32_s => fcvt_to_sint(I64),
        visit_i64_trunc_f64_s => fcvt_to_sint(I64),
        visit_i64_trunc_f32_u => fcvt_to_uint(I64),
        visit_i64_trunc_f64_u => fcvt_to_uint(I64),
        visit_i32_trunc_sat_f32_s => fcvt_to_sint_sat(I32),
        visit_i32_trunc_sat_f64_s => fcvt_to_sint_sat(I32),
        visit_i32_trunc_sat_f32_u => fcvt_to_uint_sat(I32),
        visit_i32_trunc_sat_f64_u => fcvt_to_uint_sat(I32),
        visit_i64_trunc_sat_f32_s => fcvt_to_sint_sat(I64),
        visit_i64_trunc_sat_f64_s => fcvt_to_sint_sat(I64),
        visit_i64_trunc_sat_f32_u => fcvt_to_uint_sat(I64),
        visit_i64_trunc_sat_f64_u => fcvt_to_uint_sat(I64),
        visit_f32_convert_i32_s => fcvt_from_sint(F32),
        visit_f32_convert_i64_s => fcvt_from_sint(F32),
        visit_f32_convert_i32_u => fcvt_from_uint(F32),
        visit_f32_convert_i64_u => fcvt_from_uint(F32),
        visit_f64_convert_i32_s => fcvt_from_sint(F64),
        visit_f64_convert_i64_s => fcvt_from_sint(F64),
        visit_f64_convert_i32_u => fcvt_from_uint(F64),
        visit_f64_convert_i64_u => fcvt_from_uint(F64),
        visit_f32_demote_f64 => fdemote(F32),
        visit_f64_promote_f32 => fpromote(F64),
        visit_i32_reinterpret_f32 => bitcast(I32, MemFlagsData::new()),
        visit_i64_reinterpret_f64 => bitcast(I64, MemFlagsData::new()),
        visit_f32_reinterpret_i32 => bitcast(F32, MemFlagsData::new()),
        visit_f64_reinterpret_i64 => bitcast(F64, MemFlagsData::new()),
    }

    binary_operators! {
        visit_i32_add => iadd,
        visit_i64_add => iadd,
        visit_i32_sub => isub,
        visit_i64_sub => isub,
        visit_i32_mul => imul,
        visit_i64_mul => imul,
        visit_i32_div_s => sdiv,
        visit_i64_div_s => sdiv,
        visit_i32_div_u => udiv,
        visit_i64_div_u => udiv,
        visit_i32_rem_s => srem,
        visit_i64_rem_s => srem,
        visit_i32_rem_u => urem,
        visit_i64_rem_u => urem,
        visit_i32_and => band,
        visit_i64_and => band,
        visit_i32_or => bor,
        visit_i64_or => bor,
        visit_i32_xor => bxor,
        visit_i64_xor => bxor,
        visit_i32_shl => ishl,
        visit_i64_shl => ishl,
        visit_i32_shr_s => sshr,
        visit_i64_shr_s => sshr,
        visit_i32_shr_u => ushr,
        visit_i64_shr_u => ushr,
        visit_i32_rotl => rotl,
        visit_i64_rotl => rotl,
        visit_i32_rotr => rotr,
        visit_i64_rotr => rotr,
        visit_f32_add => fadd,
        visit_f64_add => fadd,
        visit_f32_sub => fsub,
        visit_f64_sub => fsub,
        visit_f32_mul => fmul,
        visit_f64_mul => fmul,
        visit_f32_div => fdiv,
        visit_f64_div => fdiv,
        visit_f32_min => fmin,
        visit_f64_min => fmin,
        visit_f32_max => fmax,
        visit_f64_max => fmax,
        visit_f32_copysign => fcopysign,
        visit_f64_copysign => fcopysign,
    }

    operators! {
        visit_i32_extend8_s() => sign_extend_low(I8, I32);
        visit_i32_extend16_s() => sign_extend_low(I16, I32);
        visit_i64_extend8_s() => sign_extend_low(I8, I64);
        visit_i64_extend16_s() => sign_extend_low(I16, I64);
        visit_i64_extend32_s() => sign_extend_low(I32, I64);
    }
}
