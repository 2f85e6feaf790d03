//! Remainders by constants, given back their single op.
//!
//! Cranelift's mid-end rewrites `x % d` by a constant `d` into a
//! multiply-high, a shift, a multiply and a subtraction, which pays on a CPU
//! whose divider is slow. In an interpreter each of those is a dispatch
//! through the frame, and the four cost more than one `xrem` (on
//! `shootout-random`, see BENCHMARKS.md). Instruction selection recognizes the
//! sequence here and emits the remainder instead, but only after proving
//! that the sequence computes `x / d` exactly for every `x`: a sequence that
//! is anything else is left as it is.

use cranelift_codegen::ir::{InstructionData, Opcode, Type, Value};
use pulley_isa::GenericOp as Op;

use super::context::LoweringContext;

/// `result = a - b` as one `xrem` if it is `x % d` for an unsigned constant
/// `d` (`b` = `d * (x / d)`, the quotient by a magic multiply-high and
/// shift): whether it was.
pub(crate) fn remainder(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    ty: Type,
    result: Value,
    a: Value,
    b: Value,
) -> bool {
    if opcode != Opcode::Isub || !matches!(ty.bits(), 32 | 64) {
        return false;
    }
    let Some(divisor) = unsigned_remainder_divisor(cx, a, b, ty.bits()) else {
        return false;
    };
    let dst = cx.def(result);
    let (a, b) = (cx.vreg(a), cx.vreg(divisor));
    cx.op(if ty.bits() == 64 {
        Op::Xrem64U { dst, a, b }
    } else {
        Op::Xrem32U { dst, a, b }
    });
    true
}

/// If `a - b` is `x % d` for an unsigned `d` (`b` = `d * (x / d)`, the
/// quotient by a magic multiply-high and shift), the value holding `d`.
/// `bits` is the width of the operation, 32 or 64.
fn unsigned_remainder_divisor(
    cx: &LoweringContext<'_>,
    a: Value,
    b: Value,
    bits: u32,
) -> Option<Value> {
    let (quotient, divisor_value) = product_with_constant(cx, b)?;
    let divisor = cx.constant(divisor_value)? as u64 & mask(bits);
    let (dividend, multiplier, shift) = magic_quotient(cx, quotient)?;
    let exact =
        cx.resolve(dividend) == cx.resolve(a) && is_exact_magic(multiplier, shift, divisor, bits);
    exact.then_some(divisor_value)
}

/// `value = q * c` with `c` a constant: `(q, c's value)`.
fn product_with_constant(cx: &LoweringContext<'_>, value: Value) -> Option<(Value, Value)> {
    let (_, data) = cx.def_inst_of(value)?;
    let InstructionData::Binary {
        opcode: Opcode::Imul,
        args: [x, y],
    } = data
    else {
        return None;
    };
    match (cx.constant(x), cx.constant(y)) {
        (None, Some(_)) => Some((x, y)),
        (Some(_), None) => Some((y, x)),
        _ => None,
    }
}

/// The quotient `x / d` as Cranelift's mid-end computes it, with
/// constants `m` and `t`: `umulhi(x, m) >> t`, or, when the multiplier
/// needs one bit more than the width, `(q + ((x - q) >> 1)) >> t` with
/// `q = umulhi(x, m)` (a shift by 0 is no shift). Either is
/// `(x * multiplier) >> (bits + shift)`: returns `(x, multiplier, shift)`.
fn magic_quotient(cx: &LoweringContext<'_>, value: Value) -> Option<(Value, u128, u32)> {
    let bits = cx.value_type(value).bits();
    let (value, shift) = match cx.def_inst_of(value)? {
        (
            _,
            InstructionData::Binary {
                opcode: Opcode::Ushr,
                args: [shifted, count],
            },
        ) => (shifted, u32::try_from(cx.constant(count)?).ok()?),
        _ => (value, 0),
    };
    if shift >= bits {
        return None;
    }
    if let Some((dividend, multiplier)) = multiply_high(cx, value) {
        return Some((dividend, multiplier, shift));
    }
    // The "add" form: value = q + ((x - q) >> 1).
    let (_, data) = cx.def_inst_of(value)?;
    let InstructionData::Binary {
        opcode: Opcode::Iadd,
        args: [y, z],
    } = data
    else {
        return None;
    };
    [(y, z), (z, y)].into_iter().find_map(|(high, halved)| {
        let (dividend, multiplier) = multiply_high(cx, high)?;
        let (
            _,
            InstructionData::Binary {
                opcode: Opcode::Ushr,
                args: [difference, one],
            },
        ) = cx.def_inst_of(halved)?
        else {
            return None;
        };
        let (
            _,
            InstructionData::Binary {
                opcode: Opcode::Isub,
                args: [x, q],
            },
        ) = cx.def_inst_of(difference)?
        else {
            return None;
        };
        let matches = cx.constant(one) == Some(1)
            && cx.resolve(x) == cx.resolve(dividend)
            && cx.resolve(q) == cx.resolve(high);
        matches.then_some((dividend, (1u128 << bits) + multiplier, shift + 1))
    })
}

/// `value = umulhi(x, m)` with `m` a constant: `(x, m)`.
fn multiply_high(cx: &LoweringContext<'_>, value: Value) -> Option<(Value, u128)> {
    let bits = cx.value_type(value).bits();
    let (_, data) = cx.def_inst_of(value)?;
    let InstructionData::Binary {
        opcode: Opcode::Umulhi,
        args: [x, y],
    } = data
    else {
        return None;
    };
    let (dividend, multiplier) = match (cx.constant(x), cx.constant(y)) {
        (None, Some(m)) => (x, m),
        (Some(m), None) => (y, m),
        _ => return None,
    };
    Some((dividend, u128::from(multiplier as u64 & mask(bits))))
}

fn mask(bits: u32) -> u64 {
    u64::MAX >> (64 - bits)
}

/// Whether `(x * multiplier) >> (bits + shift) == x / divisor` for every
/// `bits`-wide unsigned `x`. By Granlund and Montgomery's theorem (Division
/// by Invariant Integers using Multiplication, 1994, 4.2), it holds when
/// `2^(bits+shift) <= multiplier * divisor <= 2^(bits+shift) + 2^shift`.
fn is_exact_magic(multiplier: u128, shift: u32, divisor: u64, bits: u32) -> bool {
    if divisor == 0 || !(bits == 32 || bits == 64) {
        return false;
    }
    let Some(scale) = 1u128.checked_shl(bits + shift) else {
        return false;
    };
    let Some(product) = multiplier.checked_mul(u128::from(divisor)) else {
        return false;
    };
    product >= scale && product - scale <= 1u128 << shift
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numerators that stress a divisor: the ends of the range and the
    /// neighbourhood of its multiples there.
    fn numerators(divisor: u64, bits: u32) -> Vec<u64> {
        let max = mask(bits);
        let mut xs = vec![0, 1, max, max - 1, max / 2, max / 2 + 1];
        for k in [1, 2, 3, max / divisor - 1, max / divisor] {
            let m = k.wrapping_mul(divisor);
            xs.extend([m.wrapping_sub(1), m, m.wrapping_add(1)]);
        }
        let mut state = divisor.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            xs.push(state & max);
        }
        xs.into_iter().map(|x| x & max).collect()
    }

    /// `(x * multiplier) >> (bits + shift)` without overflow, for
    /// multipliers of up to `bits + 1` bits.
    fn quotient(x: u64, multiplier: u128, shift: u32, bits: u32) -> u64 {
        let (high, low) = (multiplier >> bits, multiplier & u128::from(mask(bits)));
        let x = u128::from(x);
        ((high * x + ((x * low) >> bits)) >> shift) as u64
    }

    /// The smallest shift with a multiplier of at most `bits + 1` bits
    /// that passes, as Cranelift chooses them.
    fn find_magic(divisor: u64, bits: u32) -> Option<(u128, u32)> {
        (0..bits).find_map(|shift| {
            let scale = 1u128.checked_shl(bits + shift)?;
            let multiplier = scale.div_ceil(u128::from(divisor));
            (multiplier < 1 << (bits + 1) && is_exact_magic(multiplier, shift, divisor, bits))
                .then_some((multiplier, shift))
        })
    }

    #[test]
    fn accepted_magic_numbers_divide_exactly() {
        let mut accepted = 0;
        for bits in [32, 64] {
            let divisors = (2..600).chain([139_968, 1_000_000_007, 0x7fff_ffff, 0xffff_fffb]);
            for divisor in divisors {
                let Some((multiplier, shift)) = find_magic(divisor, bits) else {
                    continue;
                };
                accepted += 1;
                for x in numerators(divisor, bits) {
                    assert_eq!(
                        quotient(x, multiplier, shift, bits),
                        x / divisor,
                        "{bits}-bit {x} / {divisor} with {multiplier:#x} >> {shift}"
                    );
                }
            }
        }
        assert_eq!(accepted, 2 * 602, "every divisor has a magic number");
    }

    #[test]
    fn inexact_magic_numbers_are_refused() {
        // shootout-random's divisor and Cranelift's multiplier for it, and
        // 7's, which needs the 33-bit "add" form.
        assert!(is_exact_magic(502_748_801, 14, 139_968, 32));
        assert!(is_exact_magic((1 << 32) + 613_566_757, 3, 7, 32));
        assert!(!is_exact_magic(613_566_757, 3, 7, 32));
        // One less, one more, another shift, another divisor.
        assert!(!is_exact_magic(502_748_800, 14, 139_968, 32));
        assert!(!is_exact_magic(502_748_801 + 8, 14, 139_968, 32));
        assert!(!is_exact_magic(502_748_801, 13, 139_968, 32));
        assert!(!is_exact_magic(502_748_801, 14, 139_969, 32));
        assert!(!is_exact_magic(502_748_801, 14, 0, 32));
        assert!(!is_exact_magic(502_748_801, 32, 139_968, 32));
        // Refusals are right: each has a numerator it gets wrong.
        for (multiplier, shift, divisor) in [(502_748_800, 14, 139_968), (0xaaaa_aaaa, 1, 3)] {
            assert!(!is_exact_magic(multiplier, shift, divisor, 32));
            let wrong = numerators(divisor, 32)
                .into_iter()
                .any(|x| quotient(x, multiplier, shift, 32) != x / divisor);
            assert!(wrong, "{multiplier:#x} >> {shift} is exact for {divisor}");
        }
    }
}
