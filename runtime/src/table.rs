//! Tables of references.

use alloc::vec::Vec;

use pulley_module::{TableType, ValType};

use crate::store::{AsContext, AsContextMut, Moves, StoreId};
use crate::values::Val;
use crate::{Error, LimitError, Result, UsageError};

/// A table of a store.
///
/// # Panics
///
/// Its methods panic when given a store other than the one that owns the
/// table: that is a programming error of the embedder (as in Wasmtime), not
/// something wasm can cause.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// A table's storage. Its elements are reachable only as a slice:
/// [`grow`](Self::grow), the one way to resize (and so to move) them,
/// records the move.
pub(crate) struct TableEntry {
    elements: Vec<u64>,
    pub(crate) ty: TableType,
    pub(crate) maximum: u64,
}

impl TableEntry {
    /// A table of type `ty` filled with `init`, at most `limit` elements.
    pub(crate) fn new(ty: TableType, init: u64, limit: u64) -> Result<TableEntry> {
        let maximum = ty
            .limits
            .max
            .unwrap_or(limit)
            .min(limit)
            .min(u64::from(u32::MAX));
        if ty.limits.min > maximum {
            return Err(LimitError::TableElements {
                elements: ty.limits.min,
                maximum,
            }
            .into());
        }
        let len = ty.limits.min as usize;
        let mut elements = Vec::new();
        elements
            .try_reserve_exact(len)
            .map_err(|_| Error::from(LimitError::TableAllocation { elements: len }))?;
        elements.resize(len, init);
        Ok(TableEntry {
            elements,
            ty,
            maximum,
        })
    }

    /// The elements.
    pub(crate) fn elements(&self) -> &[u64] {
        &self.elements
    }

    /// The elements, mutably (their number cannot change).
    pub(crate) fn elements_mut(&mut self) -> &mut [u64] {
        &mut self.elements
    }

    /// Grows by `delta` elements of `init`; returns the old size or `None`.
    pub(crate) fn grow(&mut self, delta: u64, init: u64, moves: &mut Moves) -> Option<u64> {
        let old = self.elements.len() as u64;
        let new = old.checked_add(delta).filter(|&new| new <= self.maximum)?;
        let additional = usize::try_from(new - old).ok()?;
        self.elements.try_reserve_exact(additional).ok()?;
        self.elements.resize(new as usize, init);
        moves.record();
        Some(old)
    }
}

impl Table {
    /// A new table of type `ty` filled with `init`.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        ty: TableType,
        init: Val,
    ) -> Result<Table> {
        let store = store.as_context_mut().0;
        let init = init.to_bits(store.inner.id)? as u64;
        let limit = store.inner.engine.config().table_elements_limit();
        let index = store.inner.tables.push(TableEntry::new(ty, init, limit)?);
        Ok(Table {
            store: store.inner.id,
            index,
        })
    }

    fn entry<'a, T: 'a>(&self, store: &'a crate::Store<T>) -> &'a TableEntry {
        assert_eq!(store.inner.id, self.store, "table used with another store");
        &store.inner.tables[self.index]
    }

    /// The table's type (with its current size as minimum).
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let entry = self.entry(store.as_context().0);
        TableType {
            element: entry.ty.element,
            limits: pulley_module::Limits {
                min: entry.elements().len() as u64,
                max: entry.ty.limits.max,
            },
        }
    }

    /// Current number of elements.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.entry(store.as_context().0).elements().len() as u64
    }

    /// Element `index`, if in bounds.
    pub fn get(&self, store: impl AsContext, index: u64) -> Option<Val> {
        let store = store.as_context().0;
        let entry = self.entry(store);
        let raw = *entry.elements().get(usize::try_from(index).ok()?)?;
        Some(Val::from_bits(
            u128::from(raw),
            entry.ty.element,
            store.inner.id,
        ))
    }

    /// Sets element `index`.
    pub fn set<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        index: u64,
        value: Val,
    ) -> Result<()> {
        let store = store.as_context_mut().0;
        store.inner.check(self.store)?;
        let element = store.inner.tables[self.index].ty.element;
        if value.ty() != element {
            return Err(UsageError::TableElementType {
                element,
                value: value.clone(),
            }
            .into());
        }
        let raw = value.to_bits(store.inner.id)? as u64;
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| store.inner.tables[self.index].elements_mut().get_mut(i))
            .ok_or(UsageError::TableOutOfBounds)?;
        *slot = raw;
        Ok(())
    }

    /// Grows by `delta` elements of `init`; returns the old size.
    pub fn grow<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        delta: u64,
        init: Val,
    ) -> Result<u64> {
        let store = store.as_context_mut().0;
        store.inner.check(self.store)?;
        let raw = init.to_bits(store.inner.id)? as u64;
        let inner = &mut store.inner;
        inner.tables[self.index]
            .grow(delta, raw, &mut inner.moves)
            .ok_or_else(|| Error::from(LimitError::TableGrow { delta }))
    }

    /// The element type.
    pub fn element_type(&self, store: impl AsContext) -> ValType {
        self.entry(store.as_context().0).ty.element
    }
}
