//! Float functions that `core` lacks: `std`'s when available, `libm`'s in
//! `no_std` builds. Both are exact (correctly rounded) for these operations,
//! so results do not depend on the build. NaN inputs give quiet NaNs.

#[cfg(feature = "std")]
extern crate std;

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
    ceil32(f32) = std ceil, libm ceilf;
    floor32(f32) = std floor, libm floorf;
    trunc32(f32) = std trunc, libm truncf;
    nearest32(f32) = std round_ties_even, libm rintf;
    sqrt64(f64) = std sqrt, libm sqrt;
    ceil64(f64) = std ceil, libm ceil;
    floor64(f64) = std floor, libm floor;
    trunc64(f64) = std trunc, libm trunc;
    nearest64(f64) = std round_ties_even, libm rint;
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
