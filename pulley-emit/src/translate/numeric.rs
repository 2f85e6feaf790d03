//! Constants, integer and float arithmetic, comparisons and conversions.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32, F64, I8, I16, I32, I64};
use cranelift_codegen::ir::{
    InstBuilder, MemFlagsData, Value, immediates::Ieee32, immediates::Ieee64,
};
use wasmparser::Operator;

use super::FuncTranslator;
use crate::CompileError;

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
    fn sign_extend_low(
        &mut self,
        from: cranelift_codegen::ir::Type,
        to: cranelift_codegen::ir::Type,
    ) {
        self.unary(|t, a| {
            let low = t.builder.ins().ireduce(from, a);
            t.builder.ins().sextend(to, low)
        });
    }

    /// Translates numeric operators; returns whether `operator` was one.
    pub(super) fn translate_numeric(
        &mut self,
        operator: &Operator<'_>,
    ) -> Result<bool, CompileError> {
        let bits = MemFlagsData::new();
        match *operator {
            Operator::I32Const { value } => {
                let v = self.builder.ins().iconst(I32, i64::from(value));
                self.push(v);
            }
            Operator::I64Const { value } => {
                let v = self.builder.ins().iconst(I64, value);
                self.push(v);
            }
            Operator::F32Const { value } => {
                let v = self.builder.ins().f32const(Ieee32::with_bits(value.bits()));
                self.push(v);
            }
            Operator::F64Const { value } => {
                let v = self.builder.ins().f64const(Ieee64::with_bits(value.bits()));
                self.push(v);
            }

            Operator::I32Eqz | Operator::I64Eqz => self.equal_zero(),
            Operator::I32Eq | Operator::I64Eq => self.int_compare(IntCC::Equal),
            Operator::I32Ne | Operator::I64Ne => self.int_compare(IntCC::NotEqual),
            Operator::I32LtS | Operator::I64LtS => self.int_compare(IntCC::SignedLessThan),
            Operator::I32LtU | Operator::I64LtU => self.int_compare(IntCC::UnsignedLessThan),
            Operator::I32GtS | Operator::I64GtS => self.int_compare(IntCC::SignedGreaterThan),
            Operator::I32GtU | Operator::I64GtU => self.int_compare(IntCC::UnsignedGreaterThan),
            Operator::I32LeS | Operator::I64LeS => self.int_compare(IntCC::SignedLessThanOrEqual),
            Operator::I32LeU | Operator::I64LeU => self.int_compare(IntCC::UnsignedLessThanOrEqual),
            Operator::I32GeS | Operator::I64GeS => {
                self.int_compare(IntCC::SignedGreaterThanOrEqual)
            }
            Operator::I32GeU | Operator::I64GeU => {
                self.int_compare(IntCC::UnsignedGreaterThanOrEqual)
            }

            Operator::I32Clz | Operator::I64Clz => self.unary(|t, a| t.builder.ins().clz(a)),
            Operator::I32Ctz | Operator::I64Ctz => self.unary(|t, a| t.builder.ins().ctz(a)),
            Operator::I32Popcnt | Operator::I64Popcnt => {
                self.unary(|t, a| t.builder.ins().popcnt(a))
            }
            Operator::I32Add | Operator::I64Add => {
                self.binary(|t, a, b| t.builder.ins().iadd(a, b))
            }
            Operator::I32Sub | Operator::I64Sub => {
                self.binary(|t, a, b| t.builder.ins().isub(a, b))
            }
            Operator::I32Mul | Operator::I64Mul => {
                self.binary(|t, a, b| t.builder.ins().imul(a, b))
            }
            Operator::I32DivS | Operator::I64DivS => {
                self.binary(|t, a, b| t.builder.ins().sdiv(a, b))
            }
            Operator::I32DivU | Operator::I64DivU => {
                self.binary(|t, a, b| t.builder.ins().udiv(a, b))
            }
            Operator::I32RemS | Operator::I64RemS => {
                self.binary(|t, a, b| t.builder.ins().srem(a, b))
            }
            Operator::I32RemU | Operator::I64RemU => {
                self.binary(|t, a, b| t.builder.ins().urem(a, b))
            }
            Operator::I32And | Operator::I64And => {
                self.binary(|t, a, b| t.builder.ins().band(a, b))
            }
            Operator::I32Or | Operator::I64Or => self.binary(|t, a, b| t.builder.ins().bor(a, b)),
            Operator::I32Xor | Operator::I64Xor => {
                self.binary(|t, a, b| t.builder.ins().bxor(a, b))
            }
            Operator::I32Shl | Operator::I64Shl => {
                self.binary(|t, a, b| t.builder.ins().ishl(a, b))
            }
            Operator::I32ShrS | Operator::I64ShrS => {
                self.binary(|t, a, b| t.builder.ins().sshr(a, b))
            }
            Operator::I32ShrU | Operator::I64ShrU => {
                self.binary(|t, a, b| t.builder.ins().ushr(a, b))
            }
            Operator::I32Rotl | Operator::I64Rotl => {
                self.binary(|t, a, b| t.builder.ins().rotl(a, b))
            }
            Operator::I32Rotr | Operator::I64Rotr => {
                self.binary(|t, a, b| t.builder.ins().rotr(a, b))
            }

            Operator::I32Extend8S => self.sign_extend_low(I8, I32),
            Operator::I32Extend16S => self.sign_extend_low(I16, I32),
            Operator::I64Extend8S => self.sign_extend_low(I8, I64),
            Operator::I64Extend16S => self.sign_extend_low(I16, I64),
            Operator::I64Extend32S => self.sign_extend_low(I32, I64),
            Operator::I32WrapI64 => self.unary(|t, a| t.builder.ins().ireduce(I32, a)),
            Operator::I64ExtendI32S => self.unary(|t, a| t.builder.ins().sextend(I64, a)),
            Operator::I64ExtendI32U => self.unary(|t, a| t.builder.ins().uextend(I64, a)),

            Operator::F32Eq | Operator::F64Eq => self.float_compare(FloatCC::Equal),
            Operator::F32Ne | Operator::F64Ne => self.float_compare(FloatCC::NotEqual),
            Operator::F32Lt | Operator::F64Lt => self.float_compare(FloatCC::LessThan),
            Operator::F32Gt | Operator::F64Gt => self.float_compare(FloatCC::GreaterThan),
            Operator::F32Le | Operator::F64Le => self.float_compare(FloatCC::LessThanOrEqual),
            Operator::F32Ge | Operator::F64Ge => self.float_compare(FloatCC::GreaterThanOrEqual),
            Operator::F32Abs | Operator::F64Abs => self.unary(|t, a| t.builder.ins().fabs(a)),
            Operator::F32Neg | Operator::F64Neg => self.unary(|t, a| t.builder.ins().fneg(a)),
            Operator::F32Ceil | Operator::F64Ceil => self.unary(|t, a| t.builder.ins().ceil(a)),
            Operator::F32Floor | Operator::F64Floor => self.unary(|t, a| t.builder.ins().floor(a)),
            Operator::F32Trunc | Operator::F64Trunc => self.unary(|t, a| t.builder.ins().trunc(a)),
            Operator::F32Nearest | Operator::F64Nearest => {
                self.unary(|t, a| t.builder.ins().nearest(a))
            }
            Operator::F32Sqrt | Operator::F64Sqrt => self.unary(|t, a| t.builder.ins().sqrt(a)),
            Operator::F32Add | Operator::F64Add => {
                self.binary(|t, a, b| t.builder.ins().fadd(a, b))
            }
            Operator::F32Sub | Operator::F64Sub => {
                self.binary(|t, a, b| t.builder.ins().fsub(a, b))
            }
            Operator::F32Mul | Operator::F64Mul => {
                self.binary(|t, a, b| t.builder.ins().fmul(a, b))
            }
            Operator::F32Div | Operator::F64Div => {
                self.binary(|t, a, b| t.builder.ins().fdiv(a, b))
            }
            Operator::F32Min | Operator::F64Min => {
                self.binary(|t, a, b| t.builder.ins().fmin(a, b))
            }
            Operator::F32Max | Operator::F64Max => {
                self.binary(|t, a, b| t.builder.ins().fmax(a, b))
            }
            Operator::F32Copysign | Operator::F64Copysign => {
                self.binary(|t, a, b| t.builder.ins().fcopysign(a, b))
            }

            Operator::I32TruncF32S | Operator::I32TruncF64S => {
                self.unary(|t, a| t.builder.ins().fcvt_to_sint(I32, a))
            }
            Operator::I32TruncF32U | Operator::I32TruncF64U => {
                self.unary(|t, a| t.builder.ins().fcvt_to_uint(I32, a))
            }
            Operator::I64TruncF32S | Operator::I64TruncF64S => {
                self.unary(|t, a| t.builder.ins().fcvt_to_sint(I64, a))
            }
            Operator::I64TruncF32U | Operator::I64TruncF64U => {
                self.unary(|t, a| t.builder.ins().fcvt_to_uint(I64, a))
            }
            Operator::I32TruncSatF32S | Operator::I32TruncSatF64S => {
                self.unary(|t, a| t.builder.ins().fcvt_to_sint_sat(I32, a))
            }
            Operator::I32TruncSatF32U | Operator::I32TruncSatF64U => {
                self.unary(|t, a| t.builder.ins().fcvt_to_uint_sat(I32, a))
            }
            Operator::I64TruncSatF32S | Operator::I64TruncSatF64S => {
                self.unary(|t, a| t.builder.ins().fcvt_to_sint_sat(I64, a))
            }
            Operator::I64TruncSatF32U | Operator::I64TruncSatF64U => {
                self.unary(|t, a| t.builder.ins().fcvt_to_uint_sat(I64, a))
            }
            Operator::F32ConvertI32S | Operator::F32ConvertI64S => {
                self.unary(|t, a| t.builder.ins().fcvt_from_sint(F32, a))
            }
            Operator::F32ConvertI32U | Operator::F32ConvertI64U => {
                self.unary(|t, a| t.builder.ins().fcvt_from_uint(F32, a))
            }
            Operator::F64ConvertI32S | Operator::F64ConvertI64S => {
                self.unary(|t, a| t.builder.ins().fcvt_from_sint(F64, a))
            }
            Operator::F64ConvertI32U | Operator::F64ConvertI64U => {
                self.unary(|t, a| t.builder.ins().fcvt_from_uint(F64, a))
            }
            Operator::F32DemoteF64 => self.unary(|t, a| t.builder.ins().fdemote(F32, a)),
            Operator::F64PromoteF32 => self.unary(|t, a| t.builder.ins().fpromote(F64, a)),
            Operator::I32ReinterpretF32 => self.unary(|t, a| t.builder.ins().bitcast(I32, bits, a)),
            Operator::I64ReinterpretF64 => self.unary(|t, a| t.builder.ins().bitcast(I64, bits, a)),
            Operator::F32ReinterpretI32 => self.unary(|t, a| t.builder.ins().bitcast(F32, bits, a)),
            Operator::F64ReinterpretI64 => self.unary(|t, a| t.builder.ins().bitcast(F64, bits, a)),
            _ => return Ok(false),
        }
        Ok(true)
    }
}
