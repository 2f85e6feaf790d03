//! The linker: names host functions and exports, and resolves a module's
//! imports by name when instantiating it.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
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

/// A set of host functions whose definitions are made only when a module
/// imports them.
///
/// WASI defines some fifty functions under each of its two module names, and
/// a program imports a handful. Making every definition up front (its type,
/// its closure, its name in the linker's map) and dropping it with the
/// linker cost 4% of a small program's start-up: 147 K of
/// `shootout-ackermann`'s 3.77 M instructions, which imports 9 of them
/// (BENCHMARKS.md, "bench-wasm: start-up against wasmi"). So such a set is
/// kept whole and asked by name.
pub(crate) trait OnDemand<T>: Send + Sync {
    /// Whether the set defines `name`.
    fn defines(&self, name: &str) -> bool;
    /// Every name the set defines.
    fn names(&self) -> Vec<&'static str>;
    /// The definition of `name`, made now; `None` if the set lacks it.
    fn make(&self, name: &str) -> Option<HostFuncDef<T>>;
}

/// What a linker defines under one module name.
struct ModuleDefinitions<T> {
    /// Definitions made one by one; searched first.
    named: BTreeMap<String, Definition<T>>,
    /// Sets made on demand, oldest first; searched after `named`, newest
    /// first. A later definition shadows an earlier one: a set added with
    /// shadowing allowed removes the names of `named` that it defines.
    on_demand: Vec<Arc<dyn OnDemand<T>>>,
}

impl<T> Default for ModuleDefinitions<T> {
    fn default() -> Self {
        ModuleDefinitions {
            named: BTreeMap::new(),
            on_demand: Vec::new(),
        }
    }
}

impl<T> Clone for ModuleDefinitions<T> {
    fn clone(&self) -> Self {
        ModuleDefinitions {
            named: self.named.clone(),
            on_demand: self.on_demand.clone(),
        }
    }
}

impl<T> ModuleDefinitions<T> {
    fn is_empty(&self) -> bool {
        self.named.is_empty() && self.on_demand.is_empty()
    }

    fn defines(&self, name: &str) -> bool {
        self.named.contains_key(name) || self.on_demand.iter().any(|set| set.defines(name))
    }

    /// Every name defined (a name both in `named` and in a set, or in two
    /// sets, comes more than once).
    fn names(&self) -> impl Iterator<Item = &str> {
        let on_demand = self.on_demand.iter().flat_map(|set| set.names());
        self.named.keys().map(String::as_str).chain(on_demand)
    }

    fn get(&self, name: &str) -> Option<Cow<'_, Definition<T>>> {
        if let Some(definition) = self.named.get(name) {
            return Some(Cow::Borrowed(definition));
        }
        let made = self.on_demand.iter().rev().find_map(|set| set.make(name))?;
        Some(Cow::Owned(Definition::HostFunc(made)))
    }

    /// Removes the names of `named` that one of `sets` defines: they are
    /// shadowed.
    fn shadow_named(&mut self, sets: &[Arc<dyn OnDemand<T>>]) {
        self.named
            .retain(|name, _| !sets.iter().any(|set| set.defines(name)));
    }
}

/// Resolves imports by module and field name.
pub struct Linker<T> {
    engine: Engine,
    /// By module name, then by name: a lookup compares the module's name
    /// once, not at every step of the search, and allocates nothing.
    definitions: BTreeMap<String, ModuleDefinitions<T>>,
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

    /// The definitions under `module`, made empty if there are none.
    fn module_mut(&mut self, module: &str) -> &mut ModuleDefinitions<T> {
        // Two searches when the module is new, so that the common case
        // allocates no name.
        if !self.definitions.contains_key(module) {
            self.definitions
                .insert(String::from(module), ModuleDefinitions::default());
        }
        self.definitions
            .get_mut(module)
            .expect("inserted just above")
    }

    fn defined_twice(module: &str, name: &str) -> Error {
        LinkError::DefinedTwice {
            module: module.into(),
            name: name.into(),
        }
        .into()
    }

    fn insert(&mut self, module: &str, name: &str, definition: Definition<T>) -> Result<&mut Self> {
        let allow_shadowing = self.allow_shadowing;
        let definitions = self.module_mut(module);
        if !allow_shadowing && definitions.defines(name) {
            return Err(Self::defined_twice(module, name));
        }
        // Searched before the sets made on demand, so it shadows them.
        definitions.named.insert(String::from(name), definition);
        Ok(self)
    }

    /// Defines every function of `set` under `module`, each made when a
    /// module first imports it.
    pub(crate) fn define_on_demand(
        &mut self,
        module: &str,
        set: Arc<dyn OnDemand<T>>,
    ) -> Result<&mut Self> {
        let allow_shadowing = self.allow_shadowing;
        let definitions = self.module_mut(module);
        if allow_shadowing {
            definitions.shadow_named(core::slice::from_ref(&set));
        } else if !definitions.is_empty()
            && let Some(name) = set.names().into_iter().find(|n| definitions.defines(n))
        {
            return Err(Self::defined_twice(module, name));
        }
        definitions.on_demand.push(set);
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
        let Some(source) = self.definitions.get(module) else {
            return Ok(self);
        };
        let source = source.clone();
        if let Some(target) = self.definitions.get(as_module)
            && !self.allow_shadowing
            // All or nothing: a refused alias leaves no name behind.
            && let Some(name) = source.names().find(|name| target.defines(name))
        {
            return Err(Self::defined_twice(as_module, name));
        }
        let target = self.module_mut(as_module);
        target.shadow_named(&source.on_demand);
        target.named.extend(source.named);
        target.on_demand.extend(source.on_demand);
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
        match self.definitions.get(module)?.get(name)?.as_ref() {
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
