//! Linear-memory ops on memory 0: bounds-checked by wasm index, little-endian
//! on every host.

use crate::machine::{Machine, Reg, Step};

/// A load of `N` bytes, extended to 64 bits.
macro_rules! loads {
    ($($name:ident: $n:literal bytes as $ty:ty, $set:ident via $wide:ty;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, dst: Reg, addr: Reg, offset: u32) -> Step {
            let bytes = m.load::<$n>(addr, offset)?;
            m.$set(dst, <$ty>::from_le_bytes(bytes) as $wide);
            Ok(())
        }
    )*};
}

loads! {
    load8_s: 1 bytes as i8, set_i64 via i64;
    load8_u: 1 bytes as u8, set_u64 via u64;
    load16_s: 2 bytes as i16, set_i64 via i64;
    load16_u: 2 bytes as u16, set_u64 via u64;
    load32_s: 4 bytes as i32, set_i64 via i64;
    load32_u: 4 bytes as u32, set_u64 via u64;
    load64: 8 bytes as u64, set_u64 via u64;
}

/// A store of the low `N` bytes of a slot.
macro_rules! stores {
    ($($name:ident: $ty:ty;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, addr: Reg, offset: u32, src: Reg) -> Step {
            let value = m.u64(src) as $ty;
            m.store(addr, offset, value.to_le_bytes())
        }
    )*};
}

stores! {
    store8: u8;
    store16: u16;
    store32: u32;
    store64: u64;
}

#[inline(always)]
pub(crate) fn memory_len(m: &mut Machine<'_>, dst: Reg) -> Step {
    let len = m.memory_len as u64;
    m.set_u64(dst, len);
    Ok(())
}

#[inline(always)]
pub(crate) fn memory_copy(m: &mut Machine<'_>, dst_addr: Reg, src_addr: Reg, len: Reg) -> Step {
    let len = m.u32(len);
    let source = m.memory_range(m.u32(src_addr), len)?;
    let destination = m.memory_range(m.u32(dst_addr), len)?;
    // SAFETY: both ranges were checked to lie inside memory 0; `copy` allows
    // them to overlap.
    unsafe { core::ptr::copy(source, destination, len as usize) };
    Ok(())
}

#[inline(always)]
pub(crate) fn memory_fill(m: &mut Machine<'_>, addr: Reg, value: Reg, len: Reg) -> Step {
    let len = m.u32(len);
    let destination = m.memory_range(m.u32(addr), len)?;
    // SAFETY: the range was checked to lie inside memory 0.
    unsafe { core::ptr::write_bytes(destination, m.u32(value) as u8, len as usize) };
    Ok(())
}
