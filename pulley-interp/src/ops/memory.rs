//! Linear-memory ops on memory 0: bounds-checked by wasm index, little-endian
//! on every host. The plain forms address `addr + offset`; the indexed forms
//! `(base + index) mod 2^32 + offset`, wasm's `i32.add` of an address fused
//! into the access.

use crate::machine::{Machine, Reg, Step};

/// A load of `N` bytes, extended to 64 bits: the plain form and, where
/// given, the indexed one.
macro_rules! loads {
    ($($name:ident $(/ $indexed:ident)?: $n:literal bytes as $ty:ty, $set:ident via $wide:ty;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, dst: Reg, addr: Reg, offset: u32) -> Step {
            let bytes = m.load::<$n>(m.u32(addr), offset)?;
            m.$set(dst, <$ty>::from_le_bytes(bytes) as $wide);
            Ok(())
        }
        $(
            #[inline(always)]
            pub(crate) fn $indexed(m: &mut Machine<'_>, dst: Reg, base: Reg, index: Reg, offset: u32) -> Step {
                let address = m.u32(base).wrapping_add(m.u32(index));
                let bytes = m.load::<$n>(address, offset)?;
                m.$set(dst, <$ty>::from_le_bytes(bytes) as $wide);
                Ok(())
            }
        )?
    )*};
}

loads! {
    load8_s: 1 bytes as i8, set_i64 via i64;
    load8_u / load8_u_indexed: 1 bytes as u8, set_u64 via u64;
    load16_s: 2 bytes as i16, set_i64 via i64;
    load16_u: 2 bytes as u16, set_u64 via u64;
    load32_s: 4 bytes as i32, set_i64 via i64;
    load32_u / load32_u_indexed: 4 bytes as u32, set_u64 via u64;
    load64 / load64_indexed: 8 bytes as u64, set_u64 via u64;
}

/// A store of the low `N` bytes of a slot: the plain form and, where given,
/// the indexed one.
macro_rules! stores {
    ($($name:ident $(/ $indexed:ident)?: $ty:ty;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, addr: Reg, offset: u32, src: Reg) -> Step {
            let value = m.u64(src) as $ty;
            m.store(m.u32(addr), offset, value.to_le_bytes())
        }
        $(
            #[inline(always)]
            pub(crate) fn $indexed(m: &mut Machine<'_>, base: Reg, index: Reg, offset: u32, src: Reg) -> Step {
                let address = m.u32(base).wrapping_add(m.u32(index));
                let value = m.u64(src) as $ty;
                m.store(address, offset, value.to_le_bytes())
            }
        )?
    )*};
}

stores! {
    store8 / store8_indexed: u8;
    store16: u16;
    store32 / store32_indexed: u32;
    store64 / store64_indexed: u64;
}

#[inline(always)]
pub(crate) fn memory_len(m: &mut Machine<'_>, dst: Reg) -> Step {
    let len = m.memory_len as u64;
    m.set_u64(dst, len);
    Ok(())
}

#[inline(always)]
pub(crate) fn memory_copy(m: &mut Machine<'_>, dst_addr: Reg, src_addr: Reg, len: Reg) -> Step {
    m.copy_memory(m.u32(dst_addr), m.u32(src_addr), m.u32(len))
}

#[inline(always)]
pub(crate) fn memory_fill(m: &mut Machine<'_>, addr: Reg, value: Reg, len: Reg) -> Step {
    m.fill_memory(m.u32(addr), m.u32(value) as u8, m.u32(len))
}
