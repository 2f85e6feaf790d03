//! The builtins compiled code exits for (`call_builtin`): growing memories
//! and tables, bulk table operations, and segment initialization and drops.
//! Arguments come from bytecode, so every index and range is checked: a bad
//! one is a trap, never a panic.

use alloc::vec::Vec;

use pulley_module::{Builtin, ValType};

use crate::error::{Trap, TrapKind};
use crate::store::StoreInner;
use crate::{Result, Store};

/// Performs builtin `index` for `instance` with `args`; returns its results.
pub(crate) fn perform<T>(
    store: &mut Store<T>,
    instance: u32,
    index: u32,
    args: &[u64],
) -> Result<Vec<u64>> {
    let builtin = Builtin::from_index(index)
        .ok_or_else(|| Trap::host(alloc::format!("unknown builtin {index}")))?;
    if args.len() != builtin.params().len() {
        return Err(Trap::host(alloc::format!(
            "builtin {} called with {} arguments",
            builtin.name(),
            args.len()
        ))
        .into());
    }
    let inner = &mut store.inner;
    let arg = |i: usize| args[i] as u32;
    let results = match builtin {
        Builtin::MemoryGrow => {
            let memory = memory(inner, instance)?;
            let old = inner.memories[memory]
                .grow(u64::from(arg(1)), &mut inner.moves)
                .map_or(u32::MAX, |old| old as u32);
            alloc::vec![u64::from(old)]
        }
        Builtin::MemoryInit => {
            let memory = memory(inner, instance)?;
            let entry = &inner.instances[instance];
            let segment = arg(1) as usize;
            let data = entry
                .module
                .inner
                .compiled
                .info
                .data
                .get(segment)
                .ok_or_else(out_of_bounds_memory)?;
            let bytes: &[u8] = if entry.dropped_data.get(segment).copied().unwrap_or(true) {
                &[]
            } else {
                &data.bytes
            };
            let (dst, src, len) = (arg(2) as usize, arg(3) as usize, arg(4) as usize);
            let source = src
                .checked_add(len)
                .and_then(|end| bytes.get(src..end))
                .ok_or_else(out_of_bounds_memory)?;
            let target = dst
                .checked_add(len)
                .and_then(|end| inner.memories[memory].bytes_mut().get_mut(dst..end))
                .ok_or_else(out_of_bounds_memory)?;
            target.copy_from_slice(source);
            Vec::new()
        }
        Builtin::DataDrop => {
            if let Some(dropped) = inner.instances[instance]
                .dropped_data
                .get_mut(arg(0) as usize)
            {
                *dropped = true;
            }
            Vec::new()
        }
        Builtin::TableGrowFunc | Builtin::TableGrowExtern => {
            let table = table_of(inner, instance, arg(0), element_of(builtin))?;
            let old = inner.tables[table]
                .grow(u64::from(arg(2)), args[1], &mut inner.moves)
                .map_or(u32::MAX, |old| old as u32);
            alloc::vec![u64::from(old)]
        }
        Builtin::TableFillFunc | Builtin::TableFillExtern => {
            let table = table_of(inner, instance, arg(0), element_of(builtin))?;
            let (dst, value, len) = (arg(1) as usize, args[2], arg(3) as usize);
            let target = dst
                .checked_add(len)
                .and_then(|end| inner.tables[table].elements_mut().get_mut(dst..end))
                .ok_or_else(out_of_bounds_table)?;
            target.fill(value);
            Vec::new()
        }
        Builtin::TableCopy => {
            let src_table = table(inner, instance, arg(1))?;
            let element = inner.tables[src_table].ty.element;
            let dst_table = table_of(inner, instance, arg(0), element)?;
            let (dst, src, len) = (arg(2) as usize, arg(3) as usize, arg(4) as usize);
            let source: Vec<u64> = src
                .checked_add(len)
                .and_then(|end| inner.tables[src_table].elements().get(src..end))
                .ok_or_else(out_of_bounds_table)?
                .to_vec();
            let target = dst
                .checked_add(len)
                .and_then(|end| inner.tables[dst_table].elements_mut().get_mut(dst..end))
                .ok_or_else(out_of_bounds_table)?;
            target.copy_from_slice(&source);
            Vec::new()
        }
        Builtin::TableInit => {
            let segment = arg(1) as usize;
            let info = &inner.instances[instance].module.inner.compiled.info;
            let element = info
                .elements
                .get(segment)
                .map_or(ValType::FuncRef, |segment| segment.items.ty());
            let table = table_of(inner, instance, arg(0), element)?;
            let (dst, src, len) = (arg(2) as usize, arg(3) as usize, arg(4) as usize);
            let entry = &inner.instances[instance];
            let values: &[u64] = match entry.elements.get(segment) {
                Some(Some(values)) => values,
                Some(None) => &[],
                None => return Err(out_of_bounds_table().into()),
            };
            let source: Vec<u64> = src
                .checked_add(len)
                .and_then(|end| values.get(src..end))
                .ok_or_else(out_of_bounds_table)?
                .to_vec();
            let target = dst
                .checked_add(len)
                .and_then(|end| inner.tables[table].elements_mut().get_mut(dst..end))
                .ok_or_else(out_of_bounds_table)?;
            target.copy_from_slice(&source);
            Vec::new()
        }
        Builtin::ElemDrop => {
            if let Some(values) = inner.instances[instance].elements.get_mut(arg(0) as usize) {
                *values = None;
            }
            Vec::new()
        }
    };
    Ok(results)
}

fn out_of_bounds_memory() -> Trap {
    Trap::new(TrapKind::MemoryOutOfBounds)
}

fn out_of_bounds_table() -> Trap {
    Trap::new(TrapKind::TableOutOfBounds)
}

/// The store memory of the instance (memory 0).
fn memory(inner: &StoreInner, instance: u32) -> Result<u32, Trap> {
    inner.instances[instance]
        .memory
        .ok_or_else(out_of_bounds_memory)
}

/// The element type a table builtin's value is typed as.
fn element_of(builtin: Builtin) -> ValType {
    match builtin {
        Builtin::TableGrowExtern | Builtin::TableFillExtern => ValType::ExternRef,
        _ => ValType::FuncRef,
    }
}

/// The store table of the instance's table `index`, which must hold
/// `element`s. Compiled code always names such a table: the verifier typed
/// the values the builtin stores by the builtin's variant (or the segment's
/// type), and a value of one kind must not land in a table of the other.
fn table_of(inner: &StoreInner, instance: u32, index: u32, element: ValType) -> Result<u32, Trap> {
    let table = table(inner, instance, index)?;
    if inner.tables[table].ty.element == element {
        Ok(table)
    } else {
        Err(Trap::host(alloc::format!(
            "bytecode stored {element} values in table {index}, which holds {}",
            inner.tables[table].ty.element
        )))
    }
}

/// The store table of the instance's table `index`.
fn table(inner: &StoreInner, instance: u32, index: u32) -> Result<u32, Trap> {
    inner.instances[instance]
        .tables
        .get(index as usize)
        .copied()
        .ok_or_else(out_of_bounds_table)
}
