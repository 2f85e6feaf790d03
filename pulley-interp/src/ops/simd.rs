//! v128 (SIMD) ops. A vector lives in a pair of slots (see the opcode
//! table's docs): `lo` holds bytes 0..8 and `hi` bytes 8..16, so the vector
//! is the 128-bit number `hi << 64 | lo` on every host, and lane `i` of an
//! `iNxM` shape is its bits `N*i..N*(i+1)`. Lanes are taken apart and put
//! together with shifts of that number, never through host memory order, so
//! big-endian hosts compute the same lanes. Every op reads all its inputs
//! before it writes, so a destination may share slots with a source.
//!
//! With the `simd` feature off, every op here is a stub that traps; the
//! verifier rejects programs that use them (`VerifyError::SimdNotEnabled`),
//! so the stubs never run.

use pulley_isa::GlobalIndex;

use crate::machine::{Machine, Reg, Step};

#[cfg(feature = "simd")]
use {
    crate::float_math::{self, Quiet},
    crate::ops::float::{max32, max64, min32, min64},
    lanes::{
        all_true, bitmask, compare, convert, lane, map, narrow, pairwise, splat, with_lane, zip,
        zip3,
    },
};

/// Defines op functions: the semantics with the `simd` feature, a trapping
/// stub with the same signature without it.
///
/// Optimized builds inline each op into its handler like every other op. In
/// unoptimized builds, which dispatch with one loop over a `match`, the ops
/// stay out of line: inlined, their unmerged temporaries would swell that
/// loop's frame past what the torture test allows (tests/torture.rs).
macro_rules! simd_op {
    ($(fn $name:ident($m:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block)*) => {$(
        #[cfg(feature = "simd")]
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        // One parameter per operand: two slots per vector.
        #[allow(clippy::too_many_arguments)]
        pub(crate) fn $name($m: &mut Machine<'_> $(, $arg: $ty)*) -> Step $body

        #[cfg(not(feature = "simd"))]
        #[inline(always)]
        #[allow(clippy::too_many_arguments)]
        pub(crate) fn $name(m: &mut Machine<'_> $(, _: $ty)*) -> Step {
            Err(m.trap(pulley_isa::TrapCode::Unreachable))
        }
    )*};
}

#[cfg(feature = "simd")]
impl Machine<'_> {
    /// The vector in the slot pair `lo`, `hi`.
    #[inline(always)]
    fn v128(&self, lo: Reg, hi: Reg) -> u128 {
        (u128::from(self.u64(hi)) << 64) | u128::from(self.u64(lo))
    }

    /// Writes a vector to the slot pair `lo`, `hi`.
    #[inline(always)]
    fn set_v128(&mut self, lo: Reg, hi: Reg, value: u128) {
        self.set_u64(lo, value as u64);
        self.set_u64(hi, (value >> 64) as u64);
    }
}

/// Lane access on a vector held as a `u128`: lane `i` of a `W`-bit lane type
/// is bits `W*i..W*(i+1)`. Loops have constant trip counts, so they unroll.
#[cfg(feature = "simd")]
mod lanes {
    /// A lane type.
    pub(super) trait Lane: Copy {
        const BITS: u32;
        /// The lane in the low `BITS` bits of `bits`.
        fn from_bits(bits: u128) -> Self;
        /// The lane's bits, zero-extended.
        fn to_bits(self) -> u128;
    }

    macro_rules! lane_types {
        ($($ty:ty as $unsigned:ty, $bits:literal;)*) => {$(
            impl Lane for $ty {
                const BITS: u32 = $bits;
                #[inline(always)]
                fn from_bits(bits: u128) -> $ty {
                    bits as $unsigned as $ty
                }
                #[inline(always)]
                fn to_bits(self) -> u128 {
                    u128::from(self as $unsigned)
                }
            }
        )*};
    }

    lane_types! {
        u8 as u8, 8;
        i8 as u8, 8;
        u16 as u16, 16;
        i16 as u16, 16;
        u32 as u32, 32;
        i32 as u32, 32;
        u64 as u64, 64;
        i64 as u64, 64;
    }

    impl Lane for f32 {
        const BITS: u32 = 32;
        #[inline(always)]
        fn from_bits(bits: u128) -> f32 {
            f32::from_bits(bits as u32)
        }
        #[inline(always)]
        fn to_bits(self) -> u128 {
            u128::from(self.to_bits())
        }
    }

    impl Lane for f64 {
        const BITS: u32 = 64;
        #[inline(always)]
        fn from_bits(bits: u128) -> f64 {
            f64::from_bits(bits as u64)
        }
        #[inline(always)]
        fn to_bits(self) -> u128 {
            u128::from(self.to_bits())
        }
    }

    /// How many `T` lanes a vector has.
    #[inline(always)]
    fn count<T: Lane>() -> u32 {
        128 / T::BITS
    }

    /// All ones in a `T` lane's bits.
    #[inline(always)]
    fn ones<T: Lane>() -> u128 {
        u128::MAX >> (128 - T::BITS)
    }

    /// Lane `i` (below the lane count) of `v`.
    #[inline(always)]
    pub(super) fn lane<T: Lane>(v: u128, i: u32) -> T {
        T::from_bits(v >> (T::BITS * i))
    }

    /// `v` with lane `i` (below the lane count) replaced by `x`.
    #[inline(always)]
    pub(super) fn with_lane<T: Lane>(v: u128, i: u32, x: T) -> u128 {
        let shift = T::BITS * i;
        (v & !(ones::<T>() << shift)) | (x.to_bits() << shift)
    }

    /// Every lane `x`.
    #[inline(always)]
    pub(super) fn splat<T: Lane>(x: T) -> u128 {
        (0..count::<T>()).fold(0, |v, i| v | (x.to_bits() << (T::BITS * i)))
    }

    /// Lane-wise `f(a)`.
    #[inline(always)]
    pub(super) fn map<T: Lane>(a: u128, f: impl Fn(T) -> T) -> u128 {
        convert(a, f)
    }

    /// Lane-wise `f(a, b)`.
    #[inline(always)]
    pub(super) fn zip<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> T) -> u128 {
        (0..count::<T>()).fold(0, |v, i| {
            let x = f(lane(a, i), lane(b, i));
            v | (x.to_bits() << (T::BITS * i))
        })
    }

    /// Lane-wise `f(a, b, c)`.
    #[inline(always)]
    pub(super) fn zip3<T: Lane>(a: u128, b: u128, c: u128, f: impl Fn(T, T, T) -> T) -> u128 {
        (0..count::<T>()).fold(0, |v, i| {
            let x = f(lane(a, i), lane(b, i), lane(c, i));
            v | (x.to_bits() << (T::BITS * i))
        })
    }

    /// Lane-wise comparison: all ones where `f(a, b)` holds, zeros elsewhere.
    #[inline(always)]
    pub(super) fn compare<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> bool) -> u128 {
        (0..count::<T>()).fold(0, |v, i| {
            if f(lane(a, i), lane(b, i)) {
                v | (ones::<T>() << (T::BITS * i))
            } else {
                v
            }
        })
    }

    /// Lane `i` of the result is `f` of lane `i` of `a`, for as many lanes as
    /// the narrower shape has; the wider shape's other lanes are zero. So
    /// same-width conversions convert every lane, widening ones take the low
    /// lanes of `a`, and narrowing ones fill the low half of the result.
    #[inline(always)]
    pub(super) fn convert<T: Lane, U: Lane>(a: u128, f: impl Fn(T) -> U) -> u128 {
        (0..count::<T>().min(count::<U>()))
            .fold(0, |v, i| v | (f(lane(a, i)).to_bits() << (U::BITS * i)))
    }

    /// The lanes of `a` then those of `b`, each narrowed by `f` to half its
    /// width.
    #[inline(always)]
    pub(super) fn narrow<T: Lane, U: Lane>(a: u128, b: u128, f: impl Fn(T) -> U) -> u128 {
        convert(a, &f) | (convert(b, &f) << 64)
    }

    /// Sums of adjacent lanes: `a0+a1, a2+a3, ...` then `b0+b1, ...`.
    #[inline(always)]
    pub(super) fn pairwise<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> T) -> u128 {
        let half = count::<T>() / 2;
        (0..count::<T>()).fold(0, |v, i| {
            let (source, j) = if i < half { (a, i) } else { (b, i - half) };
            let x = f(lane(source, 2 * j), lane(source, 2 * j + 1));
            v | (x.to_bits() << (T::BITS * i))
        })
    }

    /// Bit `i` set to the top bit of lane `i`.
    #[inline(always)]
    pub(super) fn bitmask<T: Lane>(a: u128) -> u64 {
        (0..count::<T>()).fold(0, |mask, i| {
            let top = (a >> (T::BITS * i + T::BITS - 1)) & 1;
            mask | ((top as u64) << i)
        })
    }

    /// Whether every lane is nonzero.
    #[inline(always)]
    pub(super) fn all_true<T: Lane>(a: u128) -> bool {
        (0..count::<T>()).all(|i| (a >> (T::BITS * i)) & ones::<T>() != 0)
    }
}

// --- Memory and globals. ---

simd_op! {
    fn vload128(m, dst_lo: Reg, dst_hi: Reg, addr: Reg, offset: u32) {
        let bytes = m.load::<16>(m.u32(addr), offset)?;
        m.set_v128(dst_lo, dst_hi, u128::from_le_bytes(bytes));
        Ok(())
    }

    fn vstore128(m, addr: Reg, offset: u32, src_lo: Reg, src_hi: Reg) {
        let value = m.v128(src_lo, src_hi);
        m.store(m.u32(addr), offset, value.to_le_bytes())
    }

    fn vglobal_get(m, dst_lo: Reg, dst_hi: Reg, global: GlobalIndex) {
        let bytes = m.env().global_v128(global);
        m.set_v128(dst_lo, dst_hi, u128::from_le_bytes(bytes));
        Ok(())
    }

    fn vglobal_set(m, global: GlobalIndex, src_lo: Reg, src_hi: Reg) {
        let bytes = m.v128(src_lo, src_hi).to_le_bytes();
        m.env().set_global_v128(global, bytes);
        Ok(())
    }
}

// --- Lanes: splat, extract, insert, shuffle, swizzle. ---

macro_rules! lane_access {
    ($($splat:ident, $extract:ident, $insert:ident: $ty:ty;)*) => {$(
        simd_op! {
            fn $splat(m, dst_lo: Reg, dst_hi: Reg, src: Reg) {
                let value = splat(m.u64(src) as $ty);
                m.set_v128(dst_lo, dst_hi, value);
                Ok(())
            }

            fn $extract(m, dst: Reg, src_lo: Reg, src_hi: Reg, index: u8) {
                let lanes = 128 / <$ty>::BITS;
                let value: $ty = lane(m.v128(src_lo, src_hi), u32::from(index) % lanes);
                m.set_u64(dst, u64::from(value));
                Ok(())
            }

            fn $insert(m, dst_lo: Reg, dst_hi: Reg, src_lo: Reg, src_hi: Reg, value: Reg, index: u8) {
                let lanes = 128 / <$ty>::BITS;
                let vector = m.v128(src_lo, src_hi);
                let value = with_lane(vector, u32::from(index) % lanes, m.u64(value) as $ty);
                m.set_v128(dst_lo, dst_hi, value);
                Ok(())
            }
        }
    )*};
}

lane_access! {
    vsplat_i8x16, vextract_i8x16, vinsert_i8x16: u8;
    vsplat_i16x8, vextract_i16x8, vinsert_i16x8: u16;
    vsplat_i32x4, vextract_i32x4, vinsert_i32x4: u32;
}

simd_op! {
    fn vshuffle(m, dst_lo: Reg, dst_hi: Reg, a_lo: Reg, a_hi: Reg, b_lo: Reg, b_hi: Reg, lanes: u128) {
        let a = m.v128(a_lo, a_hi).to_le_bytes();
        let b = m.v128(b_lo, b_hi).to_le_bytes();
        let picks = lanes.to_le_bytes();
        let bytes: [u8; 16] = core::array::from_fn(|i| {
            let pick = usize::from(picks[i] % 32);
            if pick < 16 { a[pick] } else { b[pick - 16] }
        });
        m.set_v128(dst_lo, dst_hi, u128::from_le_bytes(bytes));
        Ok(())
    }

    fn vswizzle(m, dst_lo: Reg, dst_hi: Reg, a_lo: Reg, a_hi: Reg, b_lo: Reg, b_hi: Reg) {
        let a = m.v128(a_lo, a_hi).to_le_bytes();
        let picks = m.v128(b_lo, b_hi).to_le_bytes();
        let bytes: [u8; 16] = core::array::from_fn(|i| a.get(usize::from(picks[i])).copied().unwrap_or(0));
        m.set_v128(dst_lo, dst_hi, u128::from_le_bytes(bytes));
        Ok(())
    }
}

// --- Lane-wise ops. ---

/// `dst = f(a, b)` on whole vectors.
macro_rules! vector_binary {
    ($($name:ident = |$a:ident, $b:ident| $body:expr;)*) => {$(
        simd_op! {
            fn $name(m, dst_lo: Reg, dst_hi: Reg, a_lo: Reg, a_hi: Reg, b_lo: Reg, b_hi: Reg) {
                let ($a, $b) = (m.v128(a_lo, a_hi), m.v128(b_lo, b_hi));
                m.set_v128(dst_lo, dst_hi, $body);
                Ok(())
            }
        }
    )*};
}

/// `dst = f(src)` on whole vectors.
macro_rules! vector_unary {
    ($($name:ident = |$a:ident| $body:expr;)*) => {$(
        simd_op! {
            fn $name(m, dst_lo: Reg, dst_hi: Reg, src_lo: Reg, src_hi: Reg) {
                let $a = m.v128(src_lo, src_hi);
                m.set_v128(dst_lo, dst_hi, $body);
                Ok(())
            }
        }
    )*};
}

/// A scalar `dst = f(src)` of a vector.
macro_rules! vector_test {
    ($($name:ident = |$a:ident| $body:expr;)*) => {$(
        simd_op! {
            fn $name(m, dst: Reg, src_lo: Reg, src_hi: Reg) {
                let $a = m.v128(src_lo, src_hi);
                m.set_u64(dst, $body);
                Ok(())
            }
        }
    )*};
}

/// Lane-wise shifts by `amount mod lane bits`.
macro_rules! vector_shift {
    ($($name:ident($ty:ty) = |$x:ident, $n:ident| $body:expr;)*) => {$(
        simd_op! {
            fn $name(m, dst_lo: Reg, dst_hi: Reg, a_lo: Reg, a_hi: Reg, amount: Reg) {
                let $n = m.u32(amount) % <$ty>::BITS;
                let value = map(m.v128(a_lo, a_hi), |$x: $ty| $body);
                m.set_v128(dst_lo, dst_hi, value);
                Ok(())
            }
        }
    )*};
}

vector_binary! {
    vand = |a, b| a & b;
    vor = |a, b| a | b;
    vxor = |a, b| a ^ b;
    vandnot = |a, b| a & !b;

    vadd_i8x16 = |a, b| zip(a, b, u8::wrapping_add);
    vadd_i16x8 = |a, b| zip(a, b, u16::wrapping_add);
    vadd_i32x4 = |a, b| zip(a, b, u32::wrapping_add);
    vadd_i64x2 = |a, b| zip(a, b, u64::wrapping_add);
    vsub_i8x16 = |a, b| zip(a, b, u8::wrapping_sub);
    vsub_i16x8 = |a, b| zip(a, b, u16::wrapping_sub);
    vsub_i32x4 = |a, b| zip(a, b, u32::wrapping_sub);
    vsub_i64x2 = |a, b| zip(a, b, u64::wrapping_sub);
    vmul_i16x8 = |a, b| zip(a, b, u16::wrapping_mul);
    vmul_i32x4 = |a, b| zip(a, b, u32::wrapping_mul);
    vmul_i64x2 = |a, b| zip(a, b, u64::wrapping_mul);

    vadd_sat_s_i8x16 = |a, b| zip(a, b, i8::saturating_add);
    vsub_sat_s_i8x16 = |a, b| zip(a, b, i8::saturating_sub);
    vadd_sat_u_i8x16 = |a, b| zip(a, b, u8::saturating_add);
    vsub_sat_u_i8x16 = |a, b| zip(a, b, u8::saturating_sub);
    vadd_sat_s_i16x8 = |a, b| zip(a, b, i16::saturating_add);
    vsub_sat_s_i16x8 = |a, b| zip(a, b, i16::saturating_sub);
    vadd_sat_u_i16x8 = |a, b| zip(a, b, u16::saturating_add);
    vsub_sat_u_i16x8 = |a, b| zip(a, b, u16::saturating_sub);

    vmin_s_i8x16 = |a, b| zip(a, b, i8::min);
    vmax_s_i8x16 = |a, b| zip(a, b, i8::max);
    vmin_u_i8x16 = |a, b| zip(a, b, u8::min);
    vmax_u_i8x16 = |a, b| zip(a, b, u8::max);
    vmin_s_i16x8 = |a, b| zip(a, b, i16::min);
    vmax_s_i16x8 = |a, b| zip(a, b, i16::max);
    vmin_u_i16x8 = |a, b| zip(a, b, u16::min);
    vmax_u_i16x8 = |a, b| zip(a, b, u16::max);
    vmin_s_i32x4 = |a, b| zip(a, b, i32::min);
    vmax_s_i32x4 = |a, b| zip(a, b, i32::max);
    vmin_u_i32x4 = |a, b| zip(a, b, u32::min);
    vmax_u_i32x4 = |a, b| zip(a, b, u32::max);

    vavgr_u_i8x16 = |a, b| zip(a, b, |x: u8, y: u8| ((u16::from(x) + u16::from(y) + 1) >> 1) as u8);
    vavgr_u_i16x8 = |a, b| zip(a, b, |x: u16, y: u16| ((u32::from(x) + u32::from(y) + 1) >> 1) as u16);
    vq15mulr_sat_s_i16x8 = |a, b| zip(a, b, |x: i16, y: i16| {
        let product = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
        product.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
    });
    vadd_pairwise_i16x8 = |a, b| pairwise(a, b, u16::wrapping_add);
    vadd_pairwise_i32x4 = |a, b| pairwise(a, b, u32::wrapping_add);

    veq_i8x16 = |a, b| compare(a, b, |x: u8, y| x == y);
    veq_i16x8 = |a, b| compare(a, b, |x: u16, y| x == y);
    veq_i32x4 = |a, b| compare(a, b, |x: u32, y| x == y);
    veq_i64x2 = |a, b| compare(a, b, |x: u64, y| x == y);
    vne_i8x16 = |a, b| compare(a, b, |x: u8, y| x != y);
    vne_i16x8 = |a, b| compare(a, b, |x: u16, y| x != y);
    vne_i32x4 = |a, b| compare(a, b, |x: u32, y| x != y);
    vne_i64x2 = |a, b| compare(a, b, |x: u64, y| x != y);
    vlt_s_i8x16 = |a, b| compare(a, b, |x: i8, y| x < y);
    vlt_s_i16x8 = |a, b| compare(a, b, |x: i16, y| x < y);
    vlt_s_i32x4 = |a, b| compare(a, b, |x: i32, y| x < y);
    vlt_s_i64x2 = |a, b| compare(a, b, |x: i64, y| x < y);
    vle_s_i8x16 = |a, b| compare(a, b, |x: i8, y| x <= y);
    vle_s_i16x8 = |a, b| compare(a, b, |x: i16, y| x <= y);
    vle_s_i32x4 = |a, b| compare(a, b, |x: i32, y| x <= y);
    vle_s_i64x2 = |a, b| compare(a, b, |x: i64, y| x <= y);
    vlt_u_i8x16 = |a, b| compare(a, b, |x: u8, y| x < y);
    vlt_u_i16x8 = |a, b| compare(a, b, |x: u16, y| x < y);
    vlt_u_i32x4 = |a, b| compare(a, b, |x: u32, y| x < y);
    vlt_u_i64x2 = |a, b| compare(a, b, |x: u64, y| x < y);
    vle_u_i8x16 = |a, b| compare(a, b, |x: u8, y| x <= y);
    vle_u_i16x8 = |a, b| compare(a, b, |x: u16, y| x <= y);
    vle_u_i32x4 = |a, b| compare(a, b, |x: u32, y| x <= y);
    vle_u_i64x2 = |a, b| compare(a, b, |x: u64, y| x <= y);
    vfeq_f32x4 = |a, b| compare(a, b, |x: f32, y| x == y);
    vfeq_f64x2 = |a, b| compare(a, b, |x: f64, y| x == y);
    vfne_f32x4 = |a, b| compare(a, b, |x: f32, y| x != y);
    vfne_f64x2 = |a, b| compare(a, b, |x: f64, y| x != y);
    vflt_f32x4 = |a, b| compare(a, b, |x: f32, y| x < y);
    vflt_f64x2 = |a, b| compare(a, b, |x: f64, y| x < y);
    vfle_f32x4 = |a, b| compare(a, b, |x: f32, y| x <= y);
    vfle_f64x2 = |a, b| compare(a, b, |x: f64, y| x <= y);

    vnarrow_s_i16x8 = |a, b| narrow(a, b, |x: i16| x.clamp(i8::MIN.into(), i8::MAX.into()) as i8);
    vnarrow_u_i16x8 = |a, b| narrow(a, b, |x: i16| x.clamp(0, u8::MAX.into()) as u8);
    vnarrow_s_i32x4 = |a, b| narrow(a, b, |x: i32| x.clamp(i16::MIN.into(), i16::MAX.into()) as i16);
    vnarrow_u_i32x4 = |a, b| narrow(a, b, |x: i32| x.clamp(0, u16::MAX.into()) as u16);
    vnarrow_s_i64x2 = |a, b| narrow(a, b, |x: i64| x.clamp(i32::MIN.into(), i32::MAX.into()) as i32);
    vnarrow_u_i64x2 = |a, b| narrow(a, b, |x: i64| x.clamp(0, u32::MAX.into()) as u32);
    vnarrow_uu_i64x2 = |a, b| narrow(a, b, |x: u64| x.min(u32::MAX.into()) as u32);

    vfadd_f32x4 = |a, b| zip(a, b, |x: f32, y| x + y);
    vfadd_f64x2 = |a, b| zip(a, b, |x: f64, y| x + y);
    vfsub_f32x4 = |a, b| zip(a, b, |x: f32, y| x - y);
    vfsub_f64x2 = |a, b| zip(a, b, |x: f64, y| x - y);
    vfmul_f32x4 = |a, b| zip(a, b, |x: f32, y| x * y);
    vfmul_f64x2 = |a, b| zip(a, b, |x: f64, y| x * y);
    vfdiv_f32x4 = |a, b| zip(a, b, |x: f32, y| x / y);
    vfdiv_f64x2 = |a, b| zip(a, b, |x: f64, y| x / y);
    vfmin_f32x4 = |a, b| zip(a, b, min32);
    vfmin_f64x2 = |a, b| zip(a, b, min64);
    vfmax_f32x4 = |a, b| zip(a, b, max32);
    vfmax_f64x2 = |a, b| zip(a, b, max64);
}

vector_unary! {
    vnot = |a| !a;
    vneg_i8x16 = |a| map(a, i8::wrapping_neg);
    vneg_i16x8 = |a| map(a, i16::wrapping_neg);
    vneg_i32x4 = |a| map(a, i32::wrapping_neg);
    vneg_i64x2 = |a| map(a, i64::wrapping_neg);
    vabs_i8x16 = |a| map(a, i8::wrapping_abs);
    vabs_i16x8 = |a| map(a, i16::wrapping_abs);
    vabs_i32x4 = |a| map(a, i32::wrapping_abs);
    vabs_i64x2 = |a| map(a, i64::wrapping_abs);
    vpopcnt_i8x16 = |a| map(a, |x: u8| x.count_ones() as u8);

    vwiden_low_s_i8x16 = |a| convert(a, |x: i8| i16::from(x));
    vwiden_low_u_i8x16 = |a| convert(a, |x: u8| u16::from(x));
    vwiden_high_s_i8x16 = |a| convert(a >> 64, |x: i8| i16::from(x));
    vwiden_high_u_i8x16 = |a| convert(a >> 64, |x: u8| u16::from(x));
    vwiden_low_s_i16x8 = |a| convert(a, |x: i16| i32::from(x));
    vwiden_low_u_i16x8 = |a| convert(a, |x: u16| u32::from(x));
    vwiden_high_s_i16x8 = |a| convert(a >> 64, |x: i16| i32::from(x));
    vwiden_high_u_i16x8 = |a| convert(a >> 64, |x: u16| u32::from(x));
    vwiden_low_s_i32x4 = |a| convert(a, |x: i32| i64::from(x));
    vwiden_low_u_i32x4 = |a| convert(a, |x: u32| u64::from(x));
    vwiden_high_s_i32x4 = |a| convert(a >> 64, |x: i32| i64::from(x));
    vwiden_high_u_i32x4 = |a| convert(a >> 64, |x: u32| u64::from(x));

    // Sign-bit operations on the lanes' bits, like the scalar ops.
    vfneg_f32x4 = |a| map(a, |x: u32| x ^ 0x8000_0000);
    vfneg_f64x2 = |a| map(a, |x: u64| x ^ 0x8000_0000_0000_0000);
    vfabs_f32x4 = |a| map(a, |x: u32| x & 0x7fff_ffff);
    vfabs_f64x2 = |a| map(a, |x: u64| x & 0x7fff_ffff_ffff_ffff);
    vfsqrt_f32x4 = |a| map(a, float_math::sqrt32);
    vfsqrt_f64x2 = |a| map(a, float_math::sqrt64);
    vfceil_f32x4 = |a| map(a, float_math::ceil32);
    vfceil_f64x2 = |a| map(a, float_math::ceil64);
    vffloor_f32x4 = |a| map(a, float_math::floor32);
    vffloor_f64x2 = |a| map(a, float_math::floor64);
    vftrunc_f32x4 = |a| map(a, float_math::trunc32);
    vftrunc_f64x2 = |a| map(a, float_math::trunc64);
    vfnearest_f32x4 = |a| map(a, float_math::nearest32);
    vfnearest_f64x2 = |a| map(a, float_math::nearest64);

    vf32x4_from_i32x4_s = |a| convert(a, |x: i32| x as f32);
    vf32x4_from_i32x4_u = |a| convert(a, |x: u32| x as f32);
    vf64x2_from_i64x2_s = |a| convert(a, |x: i64| x as f64);
    vf64x2_from_i64x2_u = |a| convert(a, |x: u64| x as f64);
    // Rust's float-to-integer `as` saturates and maps NaN to 0.
    vi32x4_from_f32x4_s_sat = |a| convert(a, |x: f32| x as i32);
    vi32x4_from_f32x4_u_sat = |a| convert(a, |x: f32| x as u32);
    vi64x2_from_f64x2_s_sat = |a| convert(a, |x: f64| x as i64);
    vi64x2_from_f64x2_u_sat = |a| convert(a, |x: f64| x as u64);
    vf32x4_demote_f64x2 = |a| convert(a, |x: f64| if x.is_nan() { (x as f32).quieted() } else { x as f32 });
    vf64x2_promote_f32x4 = |a| convert(a, |x: f32| if x.is_nan() { f64::from(x).quieted() } else { f64::from(x) });
}

vector_test! {
    vany_true = |a| u64::from(a != 0);
    vall_true_i8x16 = |a| u64::from(all_true::<u8>(a));
    vall_true_i16x8 = |a| u64::from(all_true::<u16>(a));
    vall_true_i32x4 = |a| u64::from(all_true::<u32>(a));
    vall_true_i64x2 = |a| u64::from(all_true::<u64>(a));
    vbitmask_i8x16 = |a| bitmask::<u8>(a);
    vbitmask_i16x8 = |a| bitmask::<u16>(a);
    vbitmask_i32x4 = |a| bitmask::<u32>(a);
    vbitmask_i64x2 = |a| bitmask::<u64>(a);
}

vector_shift! {
    vshl_i8x16(u8) = |x, n| x << n;
    vshl_i16x8(u16) = |x, n| x << n;
    vshl_i32x4(u32) = |x, n| x << n;
    vshl_i64x2(u64) = |x, n| x << n;
    vshr_s_i8x16(i8) = |x, n| x >> n;
    vshr_s_i16x8(i16) = |x, n| x >> n;
    vshr_s_i32x4(i32) = |x, n| x >> n;
    vshr_s_i64x2(i64) = |x, n| x >> n;
    vshr_u_i8x16(u8) = |x, n| x >> n;
    vshr_u_i16x8(u16) = |x, n| x >> n;
    vshr_u_i32x4(u32) = |x, n| x >> n;
    vshr_u_i64x2(u64) = |x, n| x >> n;
}

simd_op! {
    fn vbitselect(
        m,
        dst_lo: Reg,
        dst_hi: Reg,
        mask_lo: Reg,
        mask_hi: Reg,
        a_lo: Reg,
        a_hi: Reg,
        b_lo: Reg,
        b_hi: Reg,
    ) {
        let mask = m.v128(mask_lo, mask_hi);
        let (a, b) = (m.v128(a_lo, a_hi), m.v128(b_lo, b_hi));
        m.set_v128(dst_lo, dst_hi, (a & mask) | (b & !mask));
        Ok(())
    }
}

/// Lane-wise fused multiply-add `a * b + c`.
macro_rules! vector_fma {
    ($($name:ident = $fma:path;)*) => {$(
        simd_op! {
            fn $name(
                m,
                dst_lo: Reg,
                dst_hi: Reg,
                a_lo: Reg,
                a_hi: Reg,
                b_lo: Reg,
                b_hi: Reg,
                c_lo: Reg,
                c_hi: Reg,
            ) {
                let (a, b, c) = (m.v128(a_lo, a_hi), m.v128(b_lo, b_hi), m.v128(c_lo, c_hi));
                m.set_v128(dst_lo, dst_hi, zip3(a, b, c, $fma));
                Ok(())
            }
        }
    )*};
}

vector_fma! {
    vfma_f32x4 = float_math::fma32;
    vfma_f64x2 = float_math::fma64;
}

#[cfg(all(test, feature = "simd"))]
mod tests {
    use super::lanes::*;

    #[test]
    fn lanes_are_numbered_from_the_low_bits() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100_u128;
        assert_eq!(lane::<u8>(v, 0), 0x00);
        assert_eq!(lane::<u8>(v, 15), 0x0f);
        assert_eq!(lane::<u16>(v, 1), 0x0302);
        assert_eq!(lane::<u64>(v, 1), 0x0f0e_0d0c_0b0a_0908);
        assert_eq!(with_lane::<u16>(v, 7, 0xffff) >> 112, 0xffff);
        assert_eq!(
            splat::<u32>(0x1234_5678),
            0x1234_5678_1234_5678_1234_5678_1234_5678
        );
    }

    #[test]
    fn shape_changes() {
        // i16 lanes -1, 2 widened from i8, low then high half.
        let bytes = u128::from_le_bytes([0xff, 2, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0]);
        let low = convert(bytes, |x: i8| i16::from(x));
        assert_eq!(lane::<i16>(low, 0), -1);
        assert_eq!(lane::<i16>(low, 1), 2);
        assert_eq!(
            lane::<i16>(convert(bytes >> 64, |x: i8| i16::from(x)), 0),
            -128
        );
        // Narrowing puts `a`'s lanes first.
        let a = splat::<i16>(300);
        let b = splat::<i16>(-300);
        let narrowed = narrow(a, b, |x: i16| x.clamp(-128, 127) as i8);
        assert_eq!(lane::<i8>(narrowed, 0), 127);
        assert_eq!(lane::<i8>(narrowed, 8), -128);
        // Pairwise sums: a's pairs, then b's.
        let summed = pairwise(splat::<u32>(1), splat::<u32>(5), u32::wrapping_add);
        assert_eq!(summed, 0x0000_000a_0000_000a_0000_0002_0000_0002);
        assert_eq!(bitmask::<u16>(splat::<u16>(0x8000)), 0xff);
        assert!(!all_true::<u32>(with_lane::<u32>(u128::MAX, 2, 0)));
    }
}
