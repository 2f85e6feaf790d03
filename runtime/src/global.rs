//! Globals.

use pulley_module::GlobalType;

use crate::store::{AsContext, AsContextMut, GlobalEntry, StoreId};
use crate::values::Val;
use crate::{Result, UsageError};

/// A global of a store.
///
/// # Panics
///
/// Its methods panic when given a store other than the one that owns the
/// global: that is a programming error of the embedder (as in Wasmtime), not
/// something wasm can cause.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Global {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Global {
    /// A new global of type `ty` holding `value`.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        ty: GlobalType,
        value: Val,
    ) -> Result<Global> {
        let store = store.as_context_mut().0;
        if value.ty() != ty.ty {
            return Err(UsageError::GlobalType {
                ty: ty.ty,
                value: value.clone(),
            }
            .into());
        }
        let bits = value.to_bits(store.inner.id)?;
        let index = store.inner.globals.push(GlobalEntry::new(ty, bits));
        Ok(Global {
            store: store.inner.id,
            index,
        })
    }

    fn entry<'a, T: 'a>(&self, store: &'a crate::Store<T>) -> &'a GlobalEntry {
        assert_eq!(store.inner.id, self.store, "global used with another store");
        &store.inner.globals[self.index]
    }

    /// The global's type.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        self.entry(store.as_context().0).ty
    }

    /// The current value.
    pub fn get(&self, store: impl AsContext) -> Val {
        let store = store.as_context().0;
        let entry = self.entry(store);
        Val::from_bits(entry.bits(), entry.ty.ty, store.inner.id)
    }

    /// Sets the value; fails for immutable globals and wrong types.
    pub fn set<T>(&self, mut store: impl AsContextMut<Data = T>, value: Val) -> Result<()> {
        let store = store.as_context_mut().0;
        store.inner.check(self.store)?;
        let id = store.inner.id;
        let entry = &mut store.inner.globals[self.index];
        if !entry.ty.mutable {
            return Err(UsageError::ImmutableGlobal.into());
        }
        if value.ty() != entry.ty.ty {
            return Err(UsageError::GlobalType {
                ty: entry.ty.ty,
                value: value.clone(),
            }
            .into());
        }
        entry.set_bits(value.to_bits(id)?);
        Ok(())
    }
}
