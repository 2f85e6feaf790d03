//! Ops on the embedder's entities: global cells, tables, function
//! references and signature ids (see `Environment`).

use pulley_isa::{FuncRefIndex, GlobalIndex, TableIndex, TrapCode, TypeIndex};

use crate::environment::TableView;
use crate::machine::{Machine, Reg, Step};

impl Machine<'_> {
    #[inline(always)]
    pub(crate) fn global_cell(&self, global: GlobalIndex) -> *mut u64 {
        // SAFETY: the verifier checked `global` against the program's shape,
        // and `Interpreter::call` checked the environment provides that many;
        // the pointers are readable by `set_globals`' contract.
        unsafe { self.env().globals.add(global.index()).read() }
    }

    #[inline(always)]
    fn table(&self, table: TableIndex) -> TableView {
        // SAFETY: as for `global_cell`, with `set_tables`.
        unsafe { self.env().tables.add(table.index()).read() }
    }
}

#[inline(always)]
pub(crate) fn global_get(m: &mut Machine<'_>, dst: Reg, global: GlobalIndex) -> Step {
    // SAFETY: the cell is valid for reads (see `Environment::set_globals`).
    let value = unsafe { m.global_cell(global).read() };
    m.set_u64(dst, value);
    Ok(())
}

#[inline(always)]
pub(crate) fn global_set(m: &mut Machine<'_>, global: GlobalIndex, src: Reg) -> Step {
    let value = m.u64(src);
    // SAFETY: the cell is valid for writes (see `Environment::set_globals`).
    unsafe { m.global_cell(global).write(value) };
    Ok(())
}

#[inline(always)]
pub(crate) fn table_get(m: &mut Machine<'_>, dst: Reg, table: TableIndex, index: Reg) -> Step {
    let view = m.table(table);
    let index = m.u32(index) as usize;
    if index >= view.len {
        return Err(m.trap(TrapCode::TableOutOfBounds));
    }
    // SAFETY: `index < len` elements are valid (see `Environment::set_tables`).
    let value = unsafe { view.elements.add(index).read() };
    m.set_u64(dst, value);
    Ok(())
}

#[inline(always)]
pub(crate) fn table_set(m: &mut Machine<'_>, table: TableIndex, index: Reg, value: Reg) -> Step {
    let view = m.table(table);
    let index = m.u32(index) as usize;
    if index >= view.len {
        return Err(m.trap(TrapCode::TableOutOfBounds));
    }
    let value = m.u64(value);
    // SAFETY: as in `table_get`.
    unsafe { view.elements.add(index).write(value) };
    Ok(())
}

#[inline(always)]
pub(crate) fn table_size(m: &mut Machine<'_>, dst: Reg, table: TableIndex) -> Step {
    let len = m.table(table).len as u64;
    m.set_u64(dst, len);
    Ok(())
}

#[inline(always)]
pub(crate) fn ref_func(m: &mut Machine<'_>, dst: Reg, func: FuncRefIndex) -> Step {
    // SAFETY: the verifier checked `func` against the program's shape, and
    // `Interpreter::call` checked the environment has that many handles.
    let handle = unsafe { m.env().func_refs.add(func.index()).read() };
    m.set_u64(dst, handle);
    Ok(())
}

#[inline(always)]
pub(crate) fn funcref_type(m: &mut Machine<'_>, dst: Reg, funcref: Reg) -> Step {
    let handle = m.u64(funcref);
    if handle == 0 {
        return Err(m.trap(TrapCode::IndirectCallToNull));
    }
    let Some(target) = m.env().funcref_target(handle) else {
        return Err(m.trap(TrapCode::BadSignature));
    };
    let type_id = target.type_id;
    m.set_u64(dst, type_id);
    Ok(())
}

#[inline(always)]
pub(crate) fn type_id(m: &mut Machine<'_>, dst: Reg, ty: TypeIndex) -> Step {
    // SAFETY: the verifier checked `ty` against the program's shape, and
    // `Interpreter::call` checked the environment has that many ids.
    let id = unsafe { m.env().type_ids.add(ty.index()).read() };
    m.set_u64(dst, id);
    Ok(())
}
