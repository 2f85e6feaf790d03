//! The interpreter's environments: each instance's view of the store's
//! entities (memory 0, tables, globals, function references, signature
//! ids), as raw pointers that `pulley_interp::Environment` holds.
//!
//! This is the one place the runtime hands the interpreter pointers into the
//! store: it re-points the environments after anything moved, and vouches
//! for one when the execution boundary (`crate::exec`) enters an activation.

use core::ptr::NonNull;

use pulley_interp::{EnvironmentRef, TableView};

use crate::store::StoreInner;

// SAFETY: the raw pointers in `InstanceEntry` (and its environment) point
// into memory owned by this same store, which moves with it; nothing is
// shared with another thread.
unsafe impl Send for StoreInner {}

impl StoreInner {
    /// Makes every instance's environment point at the current memory,
    /// tables, globals and function references. Called before wasm runs or
    /// resumes; does nothing unless something moved since the last time.
    #[inline]
    pub(crate) fn sync_environments(&mut self) {
        if self.environments_at != Some(self.moves.count()) {
            self.refresh_environments();
            self.environments_at = Some(self.moves.count());
        }
    }

    /// How often the environments were re-pointed.
    #[cfg(test)]
    pub(crate) fn environment_refreshes(&self) -> u64 {
        self.environment_refreshes
    }

    /// Re-points every instance's environment.
    #[cold]
    fn refresh_environments(&mut self) {
        self.environment_refreshes += 1;
        let targets = (self.funcref_targets.as_ptr(), self.funcref_targets.len());
        #[cfg(feature = "native")]
        if let Some(context) = &mut self.native {
            context.set_funcref_targets(&self.funcref_targets);
        }
        for instance in self.instances.iter_mut() {
            for (view, &table) in instance.table_views.iter_mut().zip(&instance.tables) {
                let elements = self.tables[table].elements_mut();
                *view = TableView {
                    elements: elements.as_mut_ptr(),
                    len: elements.len(),
                };
            }
            let env = &mut *instance.env;
            // SAFETY: every pointer is into memory this store owns and keeps
            // alive and in place until the next refresh: entity vectors are
            // only resized outside interpreter runs, and every run is preceded
            // by a refresh.
            unsafe {
                let (base, length) = match instance.memory {
                    Some(memory) => {
                        let bytes = self.memories[memory].bytes_mut();
                        (bytes.as_mut_ptr(), bytes.len())
                    }
                    None => (NonNull::dangling().as_ptr(), 0),
                };
                env.set_memory(base, length);
                #[cfg(feature = "native")]
                if let Some(vmctx) = &mut instance.vmctx {
                    vmctx.set_memory(base, length);
                }
                env.set_tables(instance.table_views.as_ptr(), instance.table_views.len());
                env.set_globals(instance.global_cells.as_ptr(), instance.global_cells.len());
                env.set_func_refs(instance.func_refs.as_ptr(), instance.func_refs.len());
                env.set_type_ids(instance.type_ids.as_ptr(), instance.type_ids.len());
                env.set_funcref_targets(targets.0, targets.1);
            }
        }
    }

    /// The environment of `instance`, to run against, once
    /// `sync_environments` has made it current.
    pub(crate) fn environment(&self, instance: u32) -> EnvironmentRef {
        let env = NonNull::from(&*self.instances[instance].env);
        // SAFETY: the environment lives in the store's instance list, boxed,
        // and stays in place until the store is dropped, which cannot happen
        // while one of its activations runs or is suspended (they run inside
        // calls that borrow the store). What it points to stays valid while
        // an activation lives because every entry and resumption is preceded
        // by `sync_environments`, which re-points it after any move.
        unsafe { EnvironmentRef::new(env) }
    }
}
