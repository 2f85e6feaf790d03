//! Float functions that `core` lacks: `std`'s when available, `libm`'s in
//! `no_std` builds, and our own where the library's would be a call for
//! what a few instructions do (rounding on hosts without a rounding
//! instruction, trapping conversions to integers). All are exact (correctly
//! rounded), so results do not depend on the build or the host; unit tests
//! below hold ours to the library's. NaN inputs give quiet NaNs.
//!
//! Its only unsafe code converts floats to integers that the code before
//! it proved in range (`to_int_unchecked`, without the clamping of `as`).

#[cfg(feature = "std")]
extern crate std;

use pulley_isa::TrapCode;

macro_rules! float_functions {
    ($($name:ident($ty:ty) = std $method:ident, libm $libm:ident;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(x: $ty) -> $ty {
            if x.is_nan() {
                return quiet(x);
            }
            #[cfg(feature = "std")]
            {
                <$ty>::$method(x)
            }
            #[cfg(not(feature = "std"))]
            {
                libm::$libm(x)
            }
        }
    )*};
}

/// A NaN with its quiet bit set: WebAssembly requires operations on NaN to
/// return a quiet ("arithmetic") NaN, which neither the libraries nor every
/// host's instructions guarantee for rounding functions.
pub(crate) trait Quiet {
    fn quieted(self) -> Self;
}

impl Quiet for f32 {
    #[inline(always)]
    fn quieted(self) -> f32 {
        f32::from_bits(self.to_bits() | 0x0040_0000)
    }
}

impl Quiet for f64 {
    #[inline(always)]
    fn quieted(self) -> f64 {
        f64::from_bits(self.to_bits() | 0x0008_0000_0000_0000)
    }
}

#[inline(always)]
fn quiet<T: Quiet>(x: T) -> T {
    x.quieted()
}

float_functions! {
    sqrt32(f32) = std sqrt, libm sqrtf;
    sqrt64(f64) = std sqrt, libm sqrt;
}

/// Rounding to an integer. Where the host has an instruction for it, the
/// library's function is that instruction.
#[cfg(rounding_instruction)]
float_functions! {
    ceil32(f32) = std ceil, libm ceilf;
    floor32(f32) = std floor, libm floorf;
    trunc32(f32) = std trunc, libm truncf;
    nearest32(f32) = std round_ties_even, libm rintf;
    ceil64(f64) = std ceil, libm ceil;
    floor64(f64) = std floor, libm floor;
    trunc64(f64) = std trunc, libm trunc;
    nearest64(f64) = std round_ties_even, libm rint;
}

/// Elsewhere (x86 before SSE4.1, 32-bit Arm, ...) the library's function is
/// a call, which costs a handler the registers it saves around it; these
/// take a few float instructions instead (no integer conversion, which is a
/// call itself for 64-bit integers on 32-bit hosts). A float of magnitude
/// at least 2^`mantissa bits` (`integral`) is an integer already, and so
/// are infinities. Below that, adding and then subtracting `integral`
/// rounds a magnitude to the nearest integer, ties to even (the default
/// rounding mode), and truncation steps back toward zero where that rounded
/// away from it. The sign is put back, so that values that round to zero
/// keep their sign, as IEEE 754 requires.
#[cfg(not(rounding_instruction))]
macro_rules! rounding_functions {
    ($float:ty, $integral:expr => $round:ident, $trunc:ident, $floor:ident, $ceil:ident, $nearest:ident) => {
        /// Rounds `x` to an integer by `round_magnitude`, which is given
        /// `|x|` below `integral`.
        #[inline(always)]
        fn $round(x: $float, round_magnitude: impl Fn($float) -> $float) -> $float {
            if x.is_nan() {
                return quiet(x);
            }
            let magnitude = x.abs();
            if magnitude < $integral {
                round_magnitude(magnitude).copysign(x)
            } else {
                x
            }
        }

        #[inline(always)]
        pub(crate) fn $nearest(x: $float) -> $float {
            $round(x, |magnitude| (magnitude + $integral) - $integral)
        }

        #[inline(always)]
        pub(crate) fn $trunc(x: $float) -> $float {
            $round(x, |magnitude| {
                let nearest = (magnitude + $integral) - $integral;
                if nearest > magnitude {
                    nearest - 1.0
                } else {
                    nearest
                }
            })
        }

        #[inline(always)]
        pub(crate) fn $floor(x: $float) -> $float {
            let t = $trunc(x);
            if t > x { t - 1.0 } else { t }
        }

        #[inline(always)]
        pub(crate) fn $ceil(x: $float) -> $float {
            let t = $trunc(x);
            if t < x { t + 1.0 } else { t }
        }
    };
}

#[cfg(not(rounding_instruction))]
rounding_functions!(f32, 8_388_608.0 => round32, trunc32, floor32, ceil32, nearest32);
#[cfg(not(rounding_instruction))]
rounding_functions!(f64, 4_503_599_627_370_496.0 => round64, trunc64, floor64, ceil64, nearest64);

/// Truncation toward zero into an integer type: WebAssembly's trapping
/// `iNN.trunc_fMM_{s,u}`.
pub(crate) trait Truncate<Int> {
    fn truncate(self) -> Result<Int, TrapCode>;
}

/// Each conversion tests the value itself, without truncating it (a
/// library call on hosts without a rounding instruction): truncation moves
/// a value by less than 1 toward zero, so the upper bound, an integer,
/// bounds the value alike, and the lower bound `low` becomes `x > low - 1`.
/// Where `low - 1` has no exact float, no float lies between it and `low`,
/// and `x >= low` is the same test. Every bound below is exact in its
/// format.
macro_rules! truncations {
    ($($float:ty => $int:ty: valid |$x:ident| $valid:expr;)*) => {$(
        impl Truncate<$int> for $float {
            #[inline(always)]
            fn truncate(self) -> Result<$int, TrapCode> {
                let $x = self;
                if $x.is_nan() {
                    return Err(TrapCode::BadConversionToInteger);
                }
                if !$valid {
                    return Err(TrapCode::IntegerOverflow);
                }
                // SAFETY: `x` is not NaN, and `valid` showed that it
                // truncates into the integer type's range.
                Ok(unsafe { $x.to_int_unchecked::<$int>() })
            }
        }
    )*};
}

truncations! {
    f32 => i32: valid |x| (-2147483648.0..2147483648.0).contains(&x);
    f32 => u32: valid |x| x > -1.0 && x < 4294967296.0;
    f64 => i32: valid |x| x > -2147483649.0 && x < 2147483648.0;
    f64 => u32: valid |x| x > -1.0 && x < 4294967296.0;
    f32 => i64: valid |x| (-9223372036854775808.0..9223372036854775808.0).contains(&x);
    f32 => u64: valid |x| x > -1.0 && x < 18446744073709551616.0;
    f64 => i64: valid |x| (-9223372036854775808.0..9223372036854775808.0).contains(&x);
    f64 => u64: valid |x| x > -1.0 && x < 18446744073709551616.0;
}

/// `x` truncated toward zero into `Int`, or the trap WebAssembly gives.
#[inline(always)]
pub(crate) fn truncate<Float: Truncate<Int>, Int>(x: Float) -> Result<Int, TrapCode> {
    x.truncate()
}

/// Fused multiply-add `a * b + c` with one rounding. A NaN result is quiet.
#[cfg(feature = "simd")]
macro_rules! fused_multiply_add {
    ($($name:ident($ty:ty) = libm $libm:ident;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(a: $ty, b: $ty, c: $ty) -> $ty {
            #[cfg(feature = "std")]
            let result = a.mul_add(b, c);
            #[cfg(not(feature = "std"))]
            let result = libm::$libm(a, b, c);
            if result.is_nan() { result.quieted() } else { result }
        }
    )*};
}

#[cfg(feature = "simd")]
fused_multiply_add! {
    fma32(f32) = libm fmaf;
    fma64(f64) = libm fma;
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec;

    use super::*;

    /// Edge values of a format, `edges` and their neighbours, and bit
    /// patterns of every exponent.
    macro_rules! samples {
        ($float:ty $(, $edge:expr)*) => {{
            let mut values = vec![0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5,
                <$float>::INFINITY, <$float>::NEG_INFINITY, <$float>::MAX, <$float>::MIN,
                <$float>::MIN_POSITIVE, -<$float>::MIN_POSITIVE, <$float>::EPSILON];
            let integral: $float = (2.0 as $float).powi(<$float>::MANTISSA_DIGITS as i32 - 1);
            for edge in [integral, -integral, 0.5, -0.5, 1.0, -1.0 $(, $edge)*] {
                let bits = edge.to_bits();
                for delta in 0..4 {
                    values.push(<$float>::from_bits(bits.wrapping_add(delta)));
                    values.push(<$float>::from_bits(bits.wrapping_sub(delta)));
                }
            }
            let mut state = 0x2545_f491_4f6c_dd1d_u64;
            for _ in 0..20_000 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                values.push(<$float>::from_bits(state as _));
            }
            values
        }};
    }

    /// Truncation by the definition: truncate, then compare the result
    /// with the integer type's bounds.
    macro_rules! check_against_definition {
        ($($float:ty => $int:ty;)*) => {$({
            // Both exact: 0 or -2^(n-1), and 2^n or 2^(n-1).
            let low = <$int>::MIN as $float;
            let high = 2.0 * ((<$int>::MAX / 2 + 1) as $float);
            let expected = |x: $float| -> Result<$int, TrapCode> {
                if x.is_nan() {
                    return Err(TrapCode::BadConversionToInteger);
                }
                let t = x.trunc();
                if t >= low && t < high { Ok(t as $int) } else { Err(TrapCode::IntegerOverflow) }
            };
            for x in samples!($float, low, high, low - 1.0) {
                assert_eq!(
                    truncate::<$float, $int>(x),
                    expected(x),
                    "{x:e} ({}) to {}", stringify!($float), stringify!($int)
                );
            }
        })*};
    }

    #[test]
    fn rounding_agrees_with_the_standard_library() {
        macro_rules! check {
            ($float:ty: $($ours:ident = $std:ident),*) => {
                for x in samples!($float) {
                    $(
                        let (ours, expected) = ($ours(x), x.$std());
                        if expected.is_nan() {
                            assert!(ours.is_nan() && ours.to_bits() == ours.quieted().to_bits());
                        } else {
                            assert_eq!(ours.to_bits(), expected.to_bits(),
                                "{}({x:e}) = {ours:e}, not {expected:e}", stringify!($ours));
                        }
                    )*
                }
            };
        }
        check!(f32: trunc32 = trunc, floor32 = floor, ceil32 = ceil, nearest32 = round_ties_even);
        check!(f64: trunc64 = trunc, floor64 = floor, ceil64 = ceil, nearest64 = round_ties_even);
    }

    #[test]
    fn truncation_agrees_with_its_definition() {
        check_against_definition! {
            f32 => i32;
            f32 => u32;
            f64 => i32;
            f64 => u32;
            f32 => i64;
            f32 => u64;
            f64 => i64;
            f64 => u64;
        }
    }
}
