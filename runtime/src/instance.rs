//! Instances: instantiation (import matching, globals, tables, memories,
//! segments, the start function) and exports.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use pulley_interp::{Environment, TableView};
use pulley_module::{
    ConstExpr, ConstOp, DataMode, ElementItems, ElementMode, ExportKind, ImportKind, Limits,
};

use crate::error::{Trap, TrapKind};
use crate::exec::invoke;
use crate::global::Global;
use crate::memory::Memory;
use crate::module::Module;
use crate::store::{
    AsContext, AsContextMut, FuncKind, GlobalEntry, InstanceEntry, MemoryEntry, StoreId, TableEntry,
};
use crate::table::Table;
use crate::values::Func;
use crate::{Error, ImportMismatch, LimitError, LinkError, Result, Store, UsageError};

/// Something an instance can import or export.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
}

impl Extern {
    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        match self {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        match self {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }

    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        match self {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        match self {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }

    fn store(&self) -> StoreId {
        match self {
            Extern::Func(f) => f.store,
            Extern::Table(t) => t.store,
            Extern::Memory(m) => m.store,
            Extern::Global(g) => g.store,
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}

impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}

impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}

impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}

/// An instance of a module in a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Instance {
    /// Instantiates `module` with `imports`, in the order of the module's
    /// imports, and runs its start function.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance> {
        instantiate(store.as_context_mut().0, module, imports)
    }

    /// The export called `name`.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let store = store.as_context().0;
        if store.inner.id != self.store {
            return None;
        }
        let entry = store.inner.instances.get(self.index)?;
        let export = entry
            .module
            .inner
            .compiled
            .info
            .exports
            .iter()
            .find(|e| e.name == name)?;
        Some(export_extern(store.inner.id, entry, export.kind))
    }

    /// Every export, with its name.
    pub fn exports<'a, C: AsContext + 'a>(
        &self,
        store: &'a C,
    ) -> impl Iterator<Item = (&'a str, Extern)> + 'a {
        let store = store.as_context().0;
        let id = store.inner.id;
        let entry = &store.inner.instances[self.index];
        entry
            .module
            .inner
            .compiled
            .info
            .exports
            .iter()
            .map(move |e| (e.name.as_str(), export_extern(id, entry, e.kind)))
    }

    /// The exported function `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function `name`, typed.
    pub fn get_typed_func<Params: crate::WasmParams, Results: crate::WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<crate::TypedFunc<Params, Results>> {
        let store = store.as_context();
        let func = self
            .get_func(&store, name)
            .ok_or_else(|| UsageError::NoExport {
                kind: "function",
                name: name.into(),
            })?;
        func.typed(&store)
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported global `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// The exported table `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// The module it instantiates.
    pub fn module<'a, C: AsContext + 'a>(&self, store: &'a C) -> &'a Module {
        &store.as_context().0.inner.instances[self.index].module
    }
}

fn export_extern(store: StoreId, entry: &InstanceEntry, kind: ExportKind) -> Extern {
    match kind {
        ExportKind::Func(f) => Extern::Func(Func {
            store,
            index: entry.funcs[f as usize],
        }),
        ExportKind::Table(t) => Extern::Table(Table {
            store,
            index: entry.tables[t as usize],
        }),
        ExportKind::Memory(_) => Extern::Memory(Memory {
            store,
            index: entry.memory.expect("a memory"),
        }),
        ExportKind::Global(g) => Extern::Global(Global {
            store,
            index: entry.globals[g as usize],
        }),
    }
}

/// Whether `actual` limits satisfy an import's `expected` limits.
fn limits_match(actual: Limits, expected: Limits) -> bool {
    actual.min >= expected.min
        && match expected.max {
            None => true,
            Some(max) => actual.max.is_some_and(|actual| actual <= max),
        }
}

fn instantiate<T>(store: &mut Store<T>, module: &Module, imports: &[Extern]) -> Result<Instance> {
    module.check_runnable()?;
    let info = &module.inner.compiled.info;
    if imports.len() != info.imports.len() {
        return Err(LinkError::ImportCount {
            expected: info.imports.len(),
            given: imports.len(),
        }
        .into());
    }
    if store.inner.instances.len() >= store.inner.engine.config().instances_limit() {
        return Err(LimitError::Instances.into());
    }
    let id = store.inner.id;
    let mut funcs = Vec::with_capacity(info.functions.len());
    let mut tables = Vec::with_capacity(info.tables.len());
    let mut memory = None;
    let mut globals = Vec::with_capacity(info.globals.len());
    for (import, external) in info.imports.iter().zip(imports) {
        if external.store() != id {
            return Err(UsageError::ForeignStore { what: "an import" }.into());
        }
        let incompatible = |mismatch| {
            Error::from(LinkError::IncompatibleImport {
                module: import.module.clone(),
                name: import.name.clone(),
                mismatch,
            })
        };
        match (&import.kind, external) {
            (ImportKind::Func(ty), Extern::Func(func)) => {
                let entry = store
                    .inner
                    .funcs
                    .get(func.index)
                    .ok_or(UsageError::NoSuchFunction)?;
                if *entry.ty != info.types[*ty as usize] {
                    return Err(incompatible(ImportMismatch::FunctionType));
                }
                funcs.push(func.index);
            }
            (ImportKind::Table(ty), Extern::Table(table)) => {
                let entry = &store.inner.tables[table.index];
                let actual = Limits {
                    min: entry.elements().len() as u64,
                    max: entry.ty.limits.max,
                };
                if entry.ty.element != ty.element || !limits_match(actual, ty.limits) {
                    return Err(incompatible(ImportMismatch::TableType));
                }
                tables.push(table.index);
            }
            (ImportKind::Memory(ty), Extern::Memory(mem)) => {
                let entry = &store.inner.memories[mem.index];
                let actual = Limits {
                    min: entry.pages(),
                    max: entry.ty.limits.max,
                };
                if !limits_match(actual, ty.limits) {
                    return Err(incompatible(ImportMismatch::MemoryType));
                }
                memory = Some(mem.index);
            }
            (ImportKind::Global(ty), Extern::Global(global)) => {
                if store.inner.globals[global.index].ty != *ty {
                    return Err(incompatible(ImportMismatch::GlobalType));
                }
                globals.push(global.index);
            }
            _ => return Err(incompatible(ImportMismatch::Kind)),
        }
    }

    // The instance's own entities. Nothing is observable until the segments
    // are applied, so failing here leaves no trace but unused store entries.
    let instance = store.inner.instances.len() as u32;
    let type_ids: Vec<u64> = module
        .inner
        .types
        .iter()
        .map(|ty| store.inner.types.id(ty))
        .collect();
    for defined in 0..info.defined_functions() {
        let ty = info.functions[(info.imported_functions + defined) as usize];
        let index = store.inner.push_func_of_type(
            FuncKind::Wasm { instance, defined },
            Arc::clone(&module.inner.types[ty as usize]),
            type_ids[ty as usize],
        );
        funcs.push(index);
    }
    let func_refs: Vec<u64> = funcs.iter().map(|&f| u64::from(f) + 1).collect();
    let config = store.inner.engine.config().clone();
    for ty in &info.memories[info.imported_memories as usize..] {
        let entry = MemoryEntry::new(*ty, config.memory_pages_limit())?;
        memory = Some(store.inner.memories.push(entry));
    }
    for ty in &info.tables[info.imported_tables as usize..] {
        let entry = TableEntry::new(*ty, 0, config.table_elements_limit())?;
        tables.push(store.inner.tables.push(entry));
    }
    for (ty, init) in info.globals[info.imported_globals as usize..]
        .iter()
        .zip(&info.global_inits)
    {
        let value = evaluate(store, init, &globals, &func_refs)?;
        globals.push(store.inner.globals.push(GlobalEntry::new(*ty, value)));
    }
    let global_cells: Vec<*mut u64> = globals
        .iter()
        .map(|&g| store.inner.globals[g].cell.as_mut_ptr())
        .collect();
    let mut elements = Vec::with_capacity(info.elements.len());
    for segment in &info.elements {
        let values = match &segment.items {
            ElementItems::Functions(functions) => {
                functions.iter().map(|&f| func_refs[f as usize]).collect()
            }
            ElementItems::Expressions(_, expressions) => {
                let mut values = Vec::with_capacity(expressions.len());
                for expression in expressions {
                    values.push(evaluate(store, expression, &globals, &func_refs)? as u64);
                }
                values
            }
        };
        elements.push(Some(values));
    }
    let mut env = Box::new(Environment::new());
    env.set_instance_id(u64::from(instance) + 1);
    let table_views = vec![
        TableView {
            elements: core::ptr::null_mut(),
            len: 0
        };
        tables.len()
    ];
    #[cfg(feature = "native")]
    let vmctx = module.inner.native.as_ref().map(|code| {
        let entities = crate::native::context::VmctxEntities {
            type_ids: &type_ids,
            func_refs: &func_refs,
            global_cells: &global_cells,
            table_views: &table_views,
        };
        crate::native::context::Vmctx::new(code, instance, entities, store.inner.native_context())
    });
    store.inner.push_instance(InstanceEntry {
        module: module.clone(),
        funcs,
        memory,
        table_views,
        tables,
        globals,
        func_refs,
        type_ids,
        elements,
        dropped_data: vec![false; info.data.len()],
        global_cells,
        env,
        #[cfg(feature = "native")]
        vmctx,
    });

    // Active segments, in order; a failure traps with earlier writes kept.
    for (index, segment) in info.elements.iter().enumerate() {
        match &segment.mode {
            ElementMode::Active { table, offset } => {
                let globals = store.inner.instances[instance].globals.clone();
                let func_refs = store.inner.instances[instance].func_refs.clone();
                let offset = evaluate(store, offset, &globals, &func_refs)? as u32;
                let entry = &mut store.inner.instances[instance];
                let values = entry.elements[index].take().unwrap_or_default();
                let table = &mut store.inner.tables[entry.tables[*table as usize]];
                let target = (offset as usize)
                    .checked_add(values.len())
                    .and_then(|end| table.elements_mut().get_mut(offset as usize..end))
                    .ok_or_else(|| Trap::new(TrapKind::TableOutOfBounds))?;
                target.copy_from_slice(&values);
            }
            ElementMode::Declared => store.inner.instances[instance].elements[index] = None,
            ElementMode::Passive => {}
        }
    }
    for (index, segment) in info.data.iter().enumerate() {
        if let DataMode::Active { offset, .. } = &segment.mode {
            let globals = store.inner.instances[instance].globals.clone();
            let offset = evaluate(store, offset, &globals, &[])? as u32;
            let entry = &mut store.inner.instances[instance];
            entry.dropped_data[index] = true;
            let Some(memory) = entry.memory else {
                return Err(Trap::new(TrapKind::MemoryOutOfBounds).into());
            };
            let bytes = store.inner.memories[memory].bytes_mut();
            let target = (offset as usize)
                .checked_add(segment.bytes.len())
                .and_then(|end| bytes.get_mut(offset as usize..end))
                .ok_or_else(|| Trap::new(TrapKind::MemoryOutOfBounds))?;
            target.copy_from_slice(&segment.bytes);
        }
    }
    if let Some(start) = info.start {
        let func = store.inner.instances[instance].funcs[start as usize];
        invoke(store, func, &[], Some(instance))?;
    }
    Ok(Instance {
        store: id,
        index: instance,
    })
}

/// Evaluates a (consistency-checked) constant expression to a value's bits
/// (a slot's 64 bits, or a `v128`'s 128).
fn evaluate<T>(
    store: &Store<T>,
    expression: &ConstExpr,
    globals: &[u32],
    func_refs: &[u64],
) -> Result<u128> {
    let malformed = || Error::from(UsageError::MalformedConstantExpression);
    // The value an operand pushes; `None` for an arithmetic op.
    let operand = |op: &ConstOp| -> Result<Option<u128>> {
        Ok(Some(match *op {
            ConstOp::I32Const(v) => u128::from(v as u32),
            ConstOp::I64Const(v) => u128::from(v as u64),
            ConstOp::F32Const(v) => u128::from(v),
            ConstOp::F64Const(v) => u128::from(v),
            ConstOp::V128Const(v) => v,
            ConstOp::RefNull => 0,
            ConstOp::RefFunc(f) => u128::from(*func_refs.get(f as usize).ok_or_else(malformed)?),
            ConstOp::GlobalGet(g) => {
                let global = *globals.get(g as usize).ok_or_else(malformed)?;
                store.inner.globals[global].bits()
            }
            ConstOp::I32Add
            | ConstOp::I32Sub
            | ConstOp::I32Mul
            | ConstOp::I64Add
            | ConstOp::I64Sub
            | ConstOp::I64Mul => return Ok(None),
        }))
    };
    // Nearly all are one operand (`i32.const N`: C programs have hundreds
    // of data segments), which needs no stack.
    if let [op] = expression.ops.as_slice() {
        return operand(op)?.ok_or_else(malformed);
    }
    let mut stack: Vec<u128> = Vec::with_capacity(2);
    for op in &expression.ops {
        let value = match operand(op)? {
            Some(value) => value,
            None => {
                let b = stack.pop().ok_or_else(malformed)? as u64;
                let a = stack.pop().ok_or_else(malformed)? as u64;
                u128::from(match *op {
                    ConstOp::I32Add => u64::from((a as u32).wrapping_add(b as u32)),
                    ConstOp::I32Sub => u64::from((a as u32).wrapping_sub(b as u32)),
                    ConstOp::I32Mul => u64::from((a as u32).wrapping_mul(b as u32)),
                    ConstOp::I64Add => a.wrapping_add(b),
                    ConstOp::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
        };
        stack.push(value);
    }
    stack.pop().ok_or_else(malformed)
}
