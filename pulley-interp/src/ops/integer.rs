//! Moves, constants and integer ops.

use pulley_isa::TrapCode;

use crate::machine::{Machine, Reg, Step};

#[inline(always)]
pub(crate) fn mov(m: &mut Machine<'_>, dst: Reg, src: Reg) -> Step {
    let value = m.u64(src);
    m.set_u64(dst, value);
    Ok(())
}

#[inline(always)]
pub(crate) fn mov_wide(m: &mut Machine<'_>, dst: Reg, src: Reg) -> Step {
    mov(m, dst, src)
}

#[inline(always)]
pub(crate) fn xconst8(m: &mut Machine<'_>, dst: Reg, imm: i8) -> Step {
    m.set_i64(dst, i64::from(imm));
    Ok(())
}

#[inline(always)]
pub(crate) fn xconst32(m: &mut Machine<'_>, dst: Reg, imm: i32) -> Step {
    m.set_i64(dst, i64::from(imm));
    Ok(())
}

#[inline(always)]
pub(crate) fn xconst64(m: &mut Machine<'_>, dst: Reg, imm: i64) -> Step {
    m.set_i64(dst, imm);
    Ok(())
}

/// `dst = f(a, b)` over slots read and written with the given accessors.
macro_rules! binary {
    ($($name:ident($get:ident, $set:ident) = |$a:ident, $b:ident| $body:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, dst: Reg, a: Reg, b: Reg) -> Step {
            let ($a, $b) = (m.$get(a), m.$get(b));
            m.$set(dst, $body);
            Ok(())
        }
    )*};
}

/// `dst = f(a, imm)`.
macro_rules! binary_immediate {
    ($($name:ident($get:ident, $imm:ty, $set:ident) = |$a:ident, $b:ident| $body:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, dst: Reg, a: Reg, $b: $imm) -> Step {
            let $a = m.$get(a);
            m.$set(dst, $body);
            Ok(())
        }
    )*};
}

/// `dst = f(src)`.
macro_rules! unary {
    ($($name:ident($get:ident, $set:ident) = |$x:ident| $body:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, dst: Reg, src: Reg) -> Step {
            let $x = m.$get(src);
            m.$set(dst, $body);
            Ok(())
        }
    )*};
}
pub(crate) use {binary, unary};

binary! {
    xadd32(u32, set_u32) = |a, b| a.wrapping_add(b);
    xsub32(u32, set_u32) = |a, b| a.wrapping_sub(b);
    xmul32(u32, set_u32) = |a, b| a.wrapping_mul(b);
    xband32(u32, set_u32) = |a, b| a & b;
    xbor32(u32, set_u32) = |a, b| a | b;
    xbxor32(u32, set_u32) = |a, b| a ^ b;
    xshl32(u32, set_u32) = |a, b| a.wrapping_shl(b);
    xshr32_s(i32, set_i32) = |a, b| a.wrapping_shr(b as u32);
    xshr32_u(u32, set_u32) = |a, b| a.wrapping_shr(b);
    xrotl32(u32, set_u32) = |a, b| a.rotate_left(b);
    xrotr32(u32, set_u32) = |a, b| a.rotate_right(b);
    xadd64(u64, set_u64) = |a, b| a.wrapping_add(b);
    xsub64(u64, set_u64) = |a, b| a.wrapping_sub(b);
    xmul64(u64, set_u64) = |a, b| a.wrapping_mul(b);
    xband64(u64, set_u64) = |a, b| a & b;
    xbor64(u64, set_u64) = |a, b| a | b;
    xbxor64(u64, set_u64) = |a, b| a ^ b;
    xshl64(u64, set_u64) = |a, b| a.wrapping_shl(b as u32);
    xshr64_s(i64, set_i64) = |a, b| a.wrapping_shr(b as u32);
    xshr64_u(u64, set_u64) = |a, b| a.wrapping_shr(b as u32);
    xrotl64(u64, set_u64) = |a, b| a.rotate_left(b as u32);
    xrotr64(u64, set_u64) = |a, b| a.rotate_right(b as u32);

    xmulhi32_s(i32, set_i32) = |a, b| ((i64::from(a) * i64::from(b)) >> 32) as i32;
    xmulhi32_u(u32, set_u32) = |a, b| ((u64::from(a) * u64::from(b)) >> 32) as u32;
    xmulhi64_s(i64, set_i64) = |a, b| ((i128::from(a) * i128::from(b)) >> 64) as i64;
    xmulhi64_u(u64, set_u64) = |a, b| ((u128::from(a) * u128::from(b)) >> 64) as u64;
    xmin32_s(i32, set_i32) = |a, b| a.min(b);
    xmin32_u(u32, set_u32) = |a, b| a.min(b);
    xmax32_s(i32, set_i32) = |a, b| a.max(b);
    xmax32_u(u32, set_u32) = |a, b| a.max(b);
    xmin64_s(i64, set_i64) = |a, b| a.min(b);
    xmin64_u(u64, set_u64) = |a, b| a.min(b);
    xmax64_s(i64, set_i64) = |a, b| a.max(b);
    xmax64_u(u64, set_u64) = |a, b| a.max(b);

    xeq32(u32, set_u64) = |a, b| u64::from(a == b);
    xne32(u32, set_u64) = |a, b| u64::from(a != b);
    xslt32(i32, set_u64) = |a, b| u64::from(a < b);
    xsle32(i32, set_u64) = |a, b| u64::from(a <= b);
    xult32(u32, set_u64) = |a, b| u64::from(a < b);
    xule32(u32, set_u64) = |a, b| u64::from(a <= b);
    xeq64(u64, set_u64) = |a, b| u64::from(a == b);
    xne64(u64, set_u64) = |a, b| u64::from(a != b);
    xslt64(i64, set_u64) = |a, b| u64::from(a < b);
    xsle64(i64, set_u64) = |a, b| u64::from(a <= b);
    xult64(u64, set_u64) = |a, b| u64::from(a < b);
    xule64(u64, set_u64) = |a, b| u64::from(a <= b);
}

binary_immediate! {
    xadd32_imm(u32, i32, set_u32) = |a, b| a.wrapping_add(b as u32);
    xmul32_imm(u32, i32, set_u32) = |a, b| a.wrapping_mul(b as u32);
    xband32_imm(u32, i32, set_u32) = |a, b| a & b as u32;
    xbor32_imm(u32, i32, set_u32) = |a, b| a | b as u32;
    xbxor32_imm(u32, i32, set_u32) = |a, b| a ^ b as u32;
    xshl32_imm(u32, u8, set_u32) = |a, b| a.wrapping_shl(u32::from(b));
    xshr32_s_imm(i32, u8, set_i32) = |a, b| a.wrapping_shr(u32::from(b));
    xshr32_u_imm(u32, u8, set_u32) = |a, b| a.wrapping_shr(u32::from(b));
    xadd64_imm(u64, i32, set_u64) = |a, b| a.wrapping_add(b as i64 as u64);
    xmul64_imm(u64, i32, set_u64) = |a, b| a.wrapping_mul(b as i64 as u64);
    xband64_imm(u64, i32, set_u64) = |a, b| a & b as i64 as u64;
    xbor64_imm(u64, i32, set_u64) = |a, b| a | b as i64 as u64;
    xbxor64_imm(u64, i32, set_u64) = |a, b| a ^ b as i64 as u64;
    xshl64_imm(u64, u8, set_u64) = |a, b| a.wrapping_shl(u32::from(b));
    xshr64_s_imm(i64, u8, set_i64) = |a, b| a.wrapping_shr(u32::from(b));
    xshr64_u_imm(u64, u8, set_u64) = |a, b| a.wrapping_shr(u32::from(b));

    xeq32_imm(u32, i32, set_u64) = |a, b| u64::from(a == b as u32);
    xne32_imm(u32, i32, set_u64) = |a, b| u64::from(a != b as u32);
    xslt32_imm(i32, i32, set_u64) = |a, b| u64::from(a < b);
    xsle32_imm(i32, i32, set_u64) = |a, b| u64::from(a <= b);
    xsgt32_imm(i32, i32, set_u64) = |a, b| u64::from(a > b);
    xsge32_imm(i32, i32, set_u64) = |a, b| u64::from(a >= b);
    xult32_imm(u32, i32, set_u64) = |a, b| u64::from(a < b as u32);
    xule32_imm(u32, i32, set_u64) = |a, b| u64::from(a <= b as u32);
    xugt32_imm(u32, i32, set_u64) = |a, b| u64::from(a > b as u32);
    xuge32_imm(u32, i32, set_u64) = |a, b| u64::from(a >= b as u32);
    xeq64_imm(u64, i32, set_u64) = |a, b| u64::from(a == b as i64 as u64);
    xne64_imm(u64, i32, set_u64) = |a, b| u64::from(a != b as i64 as u64);
    xslt64_imm(i64, i32, set_u64) = |a, b| u64::from(a < i64::from(b));
    xsle64_imm(i64, i32, set_u64) = |a, b| u64::from(a <= i64::from(b));
    xsgt64_imm(i64, i32, set_u64) = |a, b| u64::from(a > i64::from(b));
    xsge64_imm(i64, i32, set_u64) = |a, b| u64::from(a >= i64::from(b));
    xult64_imm(u64, i32, set_u64) = |a, b| u64::from(a < b as i64 as u64);
    xule64_imm(u64, i32, set_u64) = |a, b| u64::from(a <= b as i64 as u64);
    xugt64_imm(u64, i32, set_u64) = |a, b| u64::from(a > b as i64 as u64);
    xuge64_imm(u64, i32, set_u64) = |a, b| u64::from(a >= b as i64 as u64);
}

unary! {
    xclz32(u32, set_u32) = |x| x.leading_zeros();
    xctz32(u32, set_u32) = |x| x.trailing_zeros();
    xpopcnt32(u32, set_u32) = |x| x.count_ones();
    xneg32(u32, set_u32) = |x| x.wrapping_neg();
    xclz64(u64, set_u64) = |x| u64::from(x.leading_zeros());
    xctz64(u64, set_u64) = |x| u64::from(x.trailing_zeros());
    xpopcnt64(u64, set_u64) = |x| u64::from(x.count_ones());
    xneg64(u64, set_u64) = |x| x.wrapping_neg();
    xsext8(u64, set_i64) = |x| i64::from(x as i8);
    xsext16(u64, set_i64) = |x| i64::from(x as i16);
    xsext32(u64, set_i64) = |x| i64::from(x as i32);
    xzext8(u64, set_u64) = |x| u64::from(x as u8);
    xzext16(u64, set_u64) = |x| u64::from(x as u16);
    xzext32(u64, set_u64) = |x| u64::from(x as u32);
    xabs32(i32, set_i32) = |x| x.wrapping_abs();
    xabs64(i64, set_i64) = |x| x.wrapping_abs();
    xbswap32(u32, set_u32) = |x| x.swap_bytes();
    xbswap64(u64, set_u64) = |x| x.swap_bytes();
}

/// Division and remainder: trap on zero divisors and signed overflow.
macro_rules! division {
    ($($name:ident($get:ident, $set:ident, $ty:ty) = |$a:ident, $b:ident| $body:expr, overflow: $overflow:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, dst: Reg, a: Reg, b: Reg) -> Step {
            let ($a, $b): ($ty, $ty) = (m.$get(a), m.$get(b));
            if $b == 0 {
                return Err(m.trap(TrapCode::IntegerDivisionByZero));
            }
            if $overflow {
                return Err(m.trap(TrapCode::IntegerOverflow));
            }
            m.$set(dst, $body);
            Ok(())
        }
    )*};
}

division! {
    xdiv32_s(i32, set_i32, i32) = |a, b| a / b, overflow: a == i32::MIN && b == -1;
    xdiv32_u(u32, set_u32, u32) = |a, b| a / b, overflow: false;
    xrem32_s(i32, set_i32, i32) = |a, b| a.wrapping_rem(b), overflow: false;
    xrem32_u(u32, set_u32, u32) = |a, b| a % b, overflow: false;
    xdiv64_s(i64, set_i64, i64) = |a, b| a / b, overflow: a == i64::MIN && b == -1;
    xdiv64_u(u64, set_u64, u64) = |a, b| a / b, overflow: false;
    xrem64_s(i64, set_i64, i64) = |a, b| a.wrapping_rem(b), overflow: false;
    xrem64_u(u64, set_u64, u64) = |a, b| a % b, overflow: false;
}

#[inline(always)]
pub(crate) fn xselect32(
    m: &mut Machine<'_>,
    dst: Reg,
    cond: Reg,
    if_true: Reg,
    if_false: Reg,
) -> Step {
    let chosen = if m.u32(cond) != 0 { if_true } else { if_false };
    let value = m.u64(chosen);
    m.set_u64(dst, value);
    Ok(())
}

#[inline(always)]
pub(crate) fn xselect64(
    m: &mut Machine<'_>,
    dst: Reg,
    cond: Reg,
    if_true: Reg,
    if_false: Reg,
) -> Step {
    let chosen = if m.u64(cond) != 0 { if_true } else { if_false };
    let value = m.u64(chosen);
    m.set_u64(dst, value);
    Ok(())
}
