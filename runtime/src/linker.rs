//! The linker: names host functions and exports, and resolves a module's
//! imports by name when instantiating it.

use alloc::collections::BTreeMap;
use alloc::collections::btree_map::Entry;
use alloc::string::String;
use alloc::vec::Vec;

use pulley_module::FuncType;

use crate::func::{HostFuncDef, IntoFunc};
use crate::instance::{Extern, Instance};
use crate::module::Module;
use crate::store::{AsContext, AsContextMut, Caller};
use crate::values::Val;
use crate::{Engine, Error, LinkError, Result};

enum Definition<T> {
    Extern(Extern),
    HostFunc(HostFuncDef<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::HostFunc(f) => Definition::HostFunc(f.clone()),
        }
    }
}

/// Resolves imports by module and field name.
pub struct Linker<T> {
    engine: Engine,
    /// By module name, then by name: a lookup compares the module's name
    /// once, not at every step of the search (WASI defines some fifty
    /// names under one long module name), and allocates nothing.
    definitions: BTreeMap<String, BTreeMap<String, Definition<T>>>,
    allow_shadowing: bool,
}

impl<T> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Linker<T> {
        Linker {
            engine: engine.clone(),
            definitions: BTreeMap::new(),
            allow_shadowing: false,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a later definition of a name replaces an earlier one instead
    /// of failing (default: no).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, definition: Definition<T>) -> Result<&mut Self> {
        let names = match self.definitions.get_mut(module) {
            Some(names) => names,
            None => self.definitions.entry(String::from(module)).or_default(),
        };
        match names.entry(String::from(name)) {
            Entry::Occupied(_) if !self.allow_shadowing => {
                return Err(LinkError::DefinedTwice {
                    module: module.into(),
                    name: name.into(),
                }
                .into());
            }
            Entry::Occupied(mut occupied) => {
                occupied.insert(definition);
            }
            Entry::Vacant(vacant) => {
                vacant.insert(definition);
            }
        }
        Ok(self)
    }

    /// Defines a host function from a typed Rust closure (see
    /// [`Func::wrap`](crate::Func::wrap)).
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::HostFunc(func.into_def()))
    }

    /// Defines a host function of type `ty` over dynamically typed values.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Result<&mut Self> {
        let def = HostFuncDef::dynamic(ty, func);
        self.insert(module, name, Definition::HostFunc(def))
    }

    /// Defines `module.name` as `item`.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines every name now defined under `module` under `as_module`
    /// too, as Wasmtime's `Linker::alias_module` does. A name already
    /// defined under `as_module` is [`LinkError::DefinedTwice`] unless
    /// shadowing is allowed; nothing defined under `module` aliases nothing.
    pub fn alias_module(&mut self, module: &str, as_module: &str) -> Result<&mut Self> {
        let Some(names) = self.definitions.get(module) else {
            return Ok(self);
        };
        let names = names.clone();
        if let Some(defined) = self.definitions.get(as_module) {
            // All or nothing: a refused alias leaves no name behind.
            if !self.allow_shadowing
                && let Some(name) = names.keys().find(|name| defined.contains_key(*name))
            {
                return Err(LinkError::DefinedTwice {
                    module: as_module.into(),
                    name: name.clone(),
                }
                .into());
            }
            for (name, definition) in names {
                self.insert(as_module, &name, definition)?;
            }
        } else {
            // A copy of the whole tree, with no search.
            self.definitions.insert(String::from(as_module), names);
        }
        Ok(self)
    }

    /// Defines every export of `instance` under `module`.
    pub fn instance(
        &mut self,
        store: impl AsContext<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self> {
        let exports: Vec<(String, Extern)> = instance
            .exports(&store)
            .map(|(name, item)| (String::from(name), item))
            .collect();
        for (name, item) in exports {
            self.define(module, &name, item)?;
        }
        Ok(self)
    }

    /// The definition of `module.name`, added to `store` if it is a host
    /// function.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        match self.definitions.get(module)?.get(name)? {
            Definition::Extern(item) => Some(*item),
            Definition::HostFunc(def) => {
                Some(Extern::Func(def.instantiate(store.as_context_mut().0)))
            }
        }
    }

    /// Instantiates `module`, resolving its imports from this linker.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        let store = store.as_context_mut().0;
        let mut imports = Vec::with_capacity(module.inner.compiled.info.imports.len());
        for import in module.imports() {
            let item = self
                .get(&mut *store, &import.module, &import.name)
                .ok_or_else(|| {
                    Error::from(LinkError::UnknownImport {
                        module: import.module.clone(),
                        name: import.name.clone(),
                    })
                })?;
            imports.push(item);
        }
        Instance::new(store, module, &imports)
    }
}
