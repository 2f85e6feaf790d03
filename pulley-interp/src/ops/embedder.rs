//! Ops on the embedder's entities: global cells, tables, function
//! references and signature ids (see `Environment`).

use pulley_isa::{FuncRefIndex, GlobalIndex, TableIndex, TrapCode};

use crate::machine::{Machine, Reg, Step};

#[inline(always)]
pub(crate) fn global_get(m: &mut Machine<'_>, dst: Reg, global: GlobalIndex) -> Step {
    let value = m.env().global(global);
    m.set_u64(dst, value);
    Ok(())
}

#[inline(always)]
pub(crate) fn global_set(m: &mut Machine<'_>, global: GlobalIndex, src: Reg) -> Step {
    m.env().set_global(global, m.u64(src));
    Ok(())
}

#[inline(always)]
pub(crate) fn table_get(m: &mut Machine<'_>, dst: Reg, table: TableIndex, index: Reg) -> Step {
    let Some(value) = m.env().table(table).get(m.u32(index) as usize) else {
        return Err(m.trap(TrapCode::TableOutOfBounds));
    };
    m.set_u64(dst, value);
    Ok(())
}

#[inline(always)]
pub(crate) fn table_set(m: &mut Machine<'_>, table: TableIndex, index: Reg, value: Reg) -> Step {
    let table = m.env().table(table);
    match table.set(m.u32(index) as usize, m.u64(value)) {
        Some(()) => Ok(()),
        None => Err(m.trap(TrapCode::TableOutOfBounds)),
    }
}

#[inline(always)]
pub(crate) fn table_size(m: &mut Machine<'_>, dst: Reg, table: TableIndex) -> Step {
    let len = m.env().table(table).len() as u64;
    m.set_u64(dst, len);
    Ok(())
}

#[inline(always)]
pub(crate) fn ref_func(m: &mut Machine<'_>, dst: Reg, func: FuncRefIndex) -> Step {
    let handle = m.env().func_ref(func);
    m.set_u64(dst, handle);
    Ok(())
}
