//! Float ops and conversions between floats and integers, with WebAssembly's
//! rules for NaN, signed zeros and out-of-range conversions.

use crate::float_math::{self, Quiet};
use crate::machine::{Machine, Reg, Step};
use crate::ops::integer::{binary, unary};

/// `min` with NaN propagation and `-0 < +0`.
macro_rules! wasm_min_max {
    ($($name:ident($ty:ty) = $pick_first:tt;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(a: $ty, b: $ty) -> $ty {
            if a.is_nan() || b.is_nan() {
                // An arithmetic NaN: quiets a signaling input, keeps a canonical one.
                (a + b).quieted()
            } else if a == b {
                // Equal, or zeros of either sign: the sign bits decide.
                <$ty>::from_bits(wasm_min_max!(@zero $pick_first a.to_bits(), b.to_bits()))
            } else if (a < b) == $pick_first {
                a
            } else {
                b
            }
        }
    )*};
    (@zero true $a:expr, $b:expr) => { $a | $b };
    (@zero false $a:expr, $b:expr) => { $a & $b };
}

wasm_min_max! {
    min32(f32) = true;
    max32(f32) = false;
    min64(f64) = true;
    max64(f64) = false;
}

binary! {
    fadd32(f32, set_f32) = |a, b| a + b;
    fsub32(f32, set_f32) = |a, b| a - b;
    fmul32(f32, set_f32) = |a, b| a * b;
    fdiv32(f32, set_f32) = |a, b| a / b;
    fmin32(f32, set_f32) = |a, b| min32(a, b);
    fmax32(f32, set_f32) = |a, b| max32(a, b);
    fcopysign32(u32, set_u32) = |a, b| (a & 0x7fff_ffff) | (b & 0x8000_0000);
    fadd64(f64, set_f64) = |a, b| a + b;
    fsub64(f64, set_f64) = |a, b| a - b;
    fmul64(f64, set_f64) = |a, b| a * b;
    fdiv64(f64, set_f64) = |a, b| a / b;
    fmin64(f64, set_f64) = |a, b| min64(a, b);
    fmax64(f64, set_f64) = |a, b| max64(a, b);
    fcopysign64(u64, set_u64) = |a, b| (a & 0x7fff_ffff_ffff_ffff) | (b & 0x8000_0000_0000_0000);

    feq32(f32, set_u64) = |a, b| u64::from(a == b);
    fne32(f32, set_u64) = |a, b| u64::from(a != b);
    flt32(f32, set_u64) = |a, b| u64::from(a < b);
    fle32(f32, set_u64) = |a, b| u64::from(a <= b);
    feq64(f64, set_u64) = |a, b| u64::from(a == b);
    fne64(f64, set_u64) = |a, b| u64::from(a != b);
    flt64(f64, set_u64) = |a, b| u64::from(a < b);
    fle64(f64, set_u64) = |a, b| u64::from(a <= b);
}

unary! {
    fabs32(u32, set_u32) = |x| x & 0x7fff_ffff;
    fneg32(u32, set_u32) = |x| x ^ 0x8000_0000;
    fsqrt32(f32, set_f32) = |x| float_math::sqrt32(x);
    fceil32(f32, set_f32) = |x| float_math::ceil32(x);
    ffloor32(f32, set_f32) = |x| float_math::floor32(x);
    ftrunc32(f32, set_f32) = |x| float_math::trunc32(x);
    fnearest32(f32, set_f32) = |x| float_math::nearest32(x);
    fabs64(u64, set_u64) = |x| x & 0x7fff_ffff_ffff_ffff;
    fneg64(u64, set_u64) = |x| x ^ 0x8000_0000_0000_0000;
    fsqrt64(f64, set_f64) = |x| float_math::sqrt64(x);
    fceil64(f64, set_f64) = |x| float_math::ceil64(x);
    ffloor64(f64, set_f64) = |x| float_math::floor64(x);
    ftrunc64(f64, set_f64) = |x| float_math::trunc64(x);
    fnearest64(f64, set_f64) = |x| float_math::nearest64(x);

    f32_from_x32_s(i32, set_f32) = |x| x as f32;
    f32_from_x32_u(u32, set_f32) = |x| x as f32;
    f32_from_x64_s(i64, set_f32) = |x| x as f32;
    f32_from_x64_u(u64, set_f32) = |x| x as f32;
    f64_from_x32_s(i32, set_f64) = |x| f64::from(x);
    f64_from_x32_u(u32, set_f64) = |x| f64::from(x);
    f64_from_x64_s(i64, set_f64) = |x| x as f64;
    f64_from_x64_u(u64, set_f64) = |x| x as f64;
    f32_from_f64(f64, set_f32) = |x| if x.is_nan() { (x as f32).quieted() } else { x as f32 };
    f64_from_f32(f32, set_f64) = |x| if x.is_nan() { f64::from(x).quieted() } else { f64::from(x) };

    // Rust's `as` from float to integer saturates and maps NaN to 0: exactly
    // the `_sat` semantics.
    x32_from_f32_s_sat(f32, set_i32) = |x| x as i32;
    x32_from_f32_u_sat(f32, set_u32) = |x| x as u32;
    x32_from_f64_s_sat(f64, set_i32) = |x| x as i32;
    x32_from_f64_u_sat(f64, set_u32) = |x| x as u32;
    x64_from_f32_s_sat(f32, set_i64) = |x| x as i64;
    x64_from_f32_u_sat(f32, set_u64) = |x| x as u64;
    x64_from_f64_s_sat(f64, set_i64) = |x| x as i64;
    x64_from_f64_u_sat(f64, set_u64) = |x| x as u64;
}

/// Branch if a float comparison holds.
macro_rules! float_branch {
    ($($name:ident($get:ident) = |$a:ident, $b:ident| $cond:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, a: Reg, b: Reg, target: *const u8) -> Step {
            let ($a, $b) = (m.$get(a), m.$get(b));
            if $cond {
                m.pc = target;
            }
            Ok(())
        }
    )*};
}

float_branch! {
    br_if_feq32(f32) = |a, b| a == b;
    br_if_fne32(f32) = |a, b| a != b;
    br_if_flt32(f32) = |a, b| a < b;
    br_if_fle32(f32) = |a, b| a <= b;
    br_if_feq64(f64) = |a, b| a == b;
    br_if_fne64(f64) = |a, b| a != b;
    br_if_flt64(f64) = |a, b| a < b;
    br_if_fle64(f64) = |a, b| a <= b;
}

/// Trapping float-to-integer conversion (`float_math::truncate`).
macro_rules! trapping_conversion {
    ($($name:ident($get:ident, $set:ident, $int:ty);)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, dst: Reg, src: Reg) -> Step {
            match float_math::truncate::<_, $int>(m.$get(src)) {
                Ok(value) => {
                    m.$set(dst, value);
                    Ok(())
                }
                Err(code) => Err(m.trap(code)),
            }
        }
    )*};
}

trapping_conversion! {
    x32_from_f32_s(f32, set_i32, i32);
    x32_from_f32_u(f32, set_u32, u32);
    x32_from_f64_s(f64, set_i32, i32);
    x32_from_f64_u(f64, set_u32, u32);
    x64_from_f32_s(f32, set_i64, i64);
    x64_from_f32_u(f32, set_u64, u64);
    x64_from_f64_s(f64, set_i64, i64);
    x64_from_f64_u(f64, set_u64, u64);
}
