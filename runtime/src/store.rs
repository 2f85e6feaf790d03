//! The store: everything instances own (functions, memories, tables,
//! globals, external references), the interpreter that runs their code, and
//! the host's data `T`.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicUsize, Ordering};

use pulley_interp::{Environment, FuncRefTarget, Interpreter, TableView};
use pulley_module::{FuncType, GlobalType, ValType};

use crate::engine::Engine;
pub(crate) use crate::memory::MemoryEntry;
use crate::module::Module;
pub(crate) use crate::table::TableEntry;
use crate::{Result, UsageError};

/// Identifies a store, so that objects of one store are not used with another.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct StoreId(usize);

impl StoreId {
    fn next() -> StoreId {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        StoreId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What a store function is.
#[derive(Copy, Clone, Debug)]
pub(crate) enum FuncKind {
    /// Function `defined` of instance `instance`'s module.
    Wasm { instance: u32, defined: u32 },
    /// Host function `host` of the store.
    Host { host: u32 },
}

/// A function of the store.
#[derive(Clone, Debug)]
pub(crate) struct FuncEntry {
    pub(crate) kind: FuncKind,
    pub(crate) ty: Arc<FuncType>,
}

/// A store's entities of one kind (functions, instances, memories, tables or
/// globals), numbered from 0 in the order they were added. Entities are
/// never removed, so an index, once handed out, stays valid for the store's
/// life.
pub(crate) struct Entities<E>(Vec<E>);

impl<E> Default for Entities<E> {
    fn default() -> Self {
        Entities(Vec::new())
    }
}

impl<E> Entities<E> {
    /// Adds an entity; returns its index.
    pub(crate) fn push(&mut self, entity: E) -> u32 {
        self.0.push(entity);
        (self.0.len() - 1) as u32
    }

    /// How many there are.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Entity `index`, if there is one.
    pub(crate) fn get(&self, index: u32) -> Option<&E> {
        self.0.get(index as usize)
    }

    /// Every entity, in index order.
    pub(crate) fn iter_mut(&mut self) -> core::slice::IterMut<'_, E> {
        self.0.iter_mut()
    }
}

impl<E> core::ops::Index<u32> for Entities<E> {
    type Output = E;

    fn index(&self, index: u32) -> &E {
        &self.0[index as usize]
    }
}

impl<E> core::ops::IndexMut<u32> for Entities<E> {
    fn index_mut(&mut self, index: u32) -> &mut E {
        &mut self.0[index as usize]
    }
}

/// Counts the changes that can move what interpreter environments point
/// into: a memory or table reallocated by growing, a function added (the
/// function reference targets), an instance added. Whatever can make such
/// a change takes `&mut Moves`, so none goes unrecorded; environments are
/// re-pointed before wasm runs or resumes only when the count changed.
#[derive(Default)]
pub(crate) struct Moves(u64);

impl Moves {
    /// Records a change.
    pub(crate) fn record(&mut self) {
        self.0 += 1;
    }

    /// How many changes were recorded.
    pub(crate) fn count(&self) -> u64 {
        self.0
    }
}

/// A global: its type and a 16-byte cell that never moves.
pub(crate) struct GlobalEntry {
    pub(crate) ty: GlobalType,
    pub(crate) cell: Box<[u64; 2]>,
}

impl GlobalEntry {
    /// A global of type `ty` holding `bits` (see [`set_bits`](Self::set_bits)).
    pub(crate) fn new(ty: GlobalType, bits: u128) -> GlobalEntry {
        let mut entry = GlobalEntry {
            ty,
            cell: Box::new([0; 2]),
        };
        entry.set_bits(bits);
        entry
    }

    /// The value's bits: a `v128` is the cell's 16 bytes read as a
    /// little-endian number (as the `vglobal_*` ops and native code read
    /// it on every host); any other value is the first `u64`, in host order.
    pub(crate) fn bits(&self) -> u128 {
        if self.ty.ty == ValType::V128 {
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&self.cell[0].to_ne_bytes());
            bytes[8..].copy_from_slice(&self.cell[1].to_ne_bytes());
            u128::from_le_bytes(bytes)
        } else {
            u128::from(self.cell[0])
        }
    }

    /// Sets the value from its bits (see [`bits`](Self::bits)).
    pub(crate) fn set_bits(&mut self, bits: u128) {
        if self.ty.ty == ValType::V128 {
            let bytes = bits.to_le_bytes();
            let half = |range: core::ops::Range<usize>| {
                u64::from_ne_bytes(bytes[range].try_into().expect("8 bytes"))
            };
            *self.cell = [half(0..8), half(8..16)];
        } else {
            self.cell[0] = bits as u64;
        }
    }
}

/// An instance: its module, the store entities it uses, and the
/// interpreter environment pointing at them.
pub(crate) struct InstanceEntry {
    pub(crate) module: Module,
    /// Store function of each wasm function index.
    pub(crate) funcs: Vec<u32>,
    pub(crate) memory: Option<u32>,
    pub(crate) tables: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    /// Function reference handle of each wasm function index.
    pub(crate) func_refs: Vec<u64>,
    /// Signature id of each type index.
    pub(crate) type_ids: Vec<u64>,
    /// Passive element segments' values; `None` once dropped.
    pub(crate) elements: Vec<Option<Vec<u64>>>,
    /// Whether each data segment was dropped.
    pub(crate) dropped_data: Vec<bool>,
    // What the environment points into; rewritten by `sync_environments`
    // after anything moved (see `Moves`).
    pub(crate) table_views: Vec<TableView>,
    pub(crate) global_cells: Vec<*mut u64>,
    pub(crate) env: Box<Environment>,
    /// The vmctx native code uses, for an instance of a native module.
    #[cfg(feature = "native")]
    pub(crate) vmctx: Option<crate::native::context::Vmctx>,
}

/// Interns function types: equal types get equal signature ids.
#[derive(Default)]
pub(crate) struct TypeRegistry {
    ids: BTreeMap<Arc<FuncType>, u64>,
}

impl TypeRegistry {
    pub(crate) fn id(&mut self, ty: &Arc<FuncType>) -> u64 {
        let next = self.ids.len() as u64 + 1;
        *self.ids.entry(Arc::clone(ty)).or_insert(next)
    }
}

/// The store's state, independent of the host data type.
pub(crate) struct StoreInner {
    pub(crate) id: StoreId,
    pub(crate) engine: Engine,
    pub(crate) interpreter: Interpreter,
    pub(crate) funcs: Entities<FuncEntry>,
    /// How each function reference handle resolves (handle = index + 1),
    /// parallel to `funcs`; every environment points here.
    pub(crate) funcref_targets: Vec<FuncRefTarget>,
    pub(crate) instances: Entities<InstanceEntry>,
    pub(crate) memories: Entities<MemoryEntry>,
    pub(crate) tables: Entities<TableEntry>,
    pub(crate) globals: Entities<GlobalEntry>,
    pub(crate) externs: Vec<Box<dyn Any + Send + Sync>>,
    pub(crate) types: TypeRegistry,
    /// Nesting of wasm calls through the host.
    pub(crate) depth: u32,
    /// Below this stack address, wasm called from the host while wasm runs
    /// traps with a stack overflow (`crate::stack`; 0: no limit). Set when
    /// the outermost call enters.
    #[cfg(feature = "std")]
    pub(crate) nesting_stack_limit: usize,
    pub(crate) moves: Moves,
    /// `moves` when the environments were last re-pointed
    /// (`crate::environments`).
    pub(crate) environments_at: Option<u64>,
    /// How often they were (for tests).
    pub(crate) environment_refreshes: u64,
    /// Where native code records traps and finds the host; made when the
    /// first native instance is.
    #[cfg(feature = "native")]
    pub(crate) native: Option<Box<crate::native::context::NativeContext>>,
}

impl StoreInner {
    /// Adds a function; returns its index.
    pub(crate) fn push_func(&mut self, kind: FuncKind, ty: Arc<FuncType>) -> u32 {
        let type_id = self.types.id(&ty);
        self.push_func_of_type(kind, ty, type_id)
    }

    /// [`push_func`](Self::push_func), for a caller that has the type's id
    /// (`self.types.id(&ty)`) already: an instance looks each of its types
    /// up once, not once per function.
    pub(crate) fn push_func_of_type(
        &mut self,
        kind: FuncKind,
        ty: Arc<FuncType>,
        type_id: u64,
    ) -> u32 {
        debug_assert_eq!(self.types.ids.get(&ty), Some(&type_id));
        let target = match kind {
            FuncKind::Wasm { instance, defined } => FuncRefTarget {
                type_id,
                instance_id: u64::from(instance) + 1,
                func: defined,
            },
            FuncKind::Host { host } => FuncRefTarget {
                type_id,
                instance_id: 0,
                func: host,
            },
        };
        self.funcref_targets.push(target);
        self.moves.record();
        self.funcs.push(FuncEntry { kind, ty })
    }

    /// Adds an instance; returns its index.
    pub(crate) fn push_instance(&mut self, entry: InstanceEntry) -> u32 {
        self.moves.record();
        self.instances.push(entry)
    }

    /// Fails unless `id` is this store's.
    pub(crate) fn check(&self, id: StoreId) -> Result<()> {
        if id == self.id {
            Ok(())
        } else {
            Err(UsageError::ForeignStore { what: "an object" }.into())
        }
    }
}

/// The signature of a host function over raw slots: its parameters' slots
/// in, its results' slots appended to the vector (`crate::func` makes these
/// from typed closures and from closures over [`Val`](crate::Val)s, which
/// check what they convert).
pub(crate) type HostCallback<T> =
    dyn Fn(Caller<'_, T>, &[u64], &mut Vec<u64>) -> Result<()> + Send + Sync;

/// A host function's implementation.
pub struct HostFunc<T> {
    pub(crate) call: Arc<HostCallback<T>>,
}

impl<T> Clone for HostFunc<T> {
    fn clone(&self) -> Self {
        HostFunc {
            call: self.call.clone(),
        }
    }
}

impl<T> HostFunc<T> {
    pub(crate) fn call(
        &self,
        caller: Caller<'_, T>,
        params: &[u64],
        results: &mut Vec<u64>,
    ) -> Result<()> {
        (self.call)(caller, params, results)
    }
}

/// Everything wasm code can touch, with the host's data `T`.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) hosts: Vec<HostFunc<T>>,
    data: T,
}

impl<T> Store<T> {
    /// A store for `engine` holding `data`.
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        let inner = StoreInner {
            id: StoreId::next(),
            engine: engine.clone(),
            interpreter: Interpreter::new(engine.config().interpreter_config()),
            funcs: Entities::default(),
            funcref_targets: Vec::new(),
            instances: Entities::default(),
            memories: Entities::default(),
            tables: Entities::default(),
            globals: Entities::default(),
            externs: Vec::new(),
            types: TypeRegistry::default(),
            depth: 0,
            #[cfg(feature = "std")]
            nesting_stack_limit: 0,
            moves: Moves::default(),
            environments_at: None,
            environment_refreshes: 0,
            #[cfg(feature = "native")]
            native: None,
        };
        Store {
            inner,
            hosts: Vec::new(),
            data,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The host data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consumes the store, returning the host data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Sets the fuel left. Fails unless the engine consumes fuel.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<()> {
        self.fuel_enabled()?;
        self.inner.interpreter.set_fuel(fuel);
        Ok(())
    }

    /// The fuel left. Fails unless the engine consumes fuel.
    pub fn get_fuel(&self) -> Result<u64> {
        self.fuel_enabled()?;
        Ok(self.inner.interpreter.fuel())
    }

    /// The interpreter's counts of executed ops and adjacent op pairs
    /// (feature `profile`), for choosing super-instructions.
    #[cfg(feature = "profile")]
    pub fn profile(&mut self) -> &mut pulley_interp::Profile {
        self.inner.interpreter.profile()
    }

    fn fuel_enabled(&self) -> Result<()> {
        if self.inner.engine.config().get_consume_fuel() {
            Ok(())
        } else {
            Err(UsageError::FuelDisabled.into())
        }
    }
}

/// Read access to a store (a `Store`, a `Caller`, or a reference to one).
pub trait AsContext {
    /// The host data type.
    type Data;
    /// The store.
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Write access to a store.
pub trait AsContextMut: AsContext {
    /// The store.
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

/// A borrowed store.
pub struct StoreContext<'a, T>(pub(crate) &'a Store<T>);

/// A mutably borrowed store.
pub struct StoreContextMut<'a, T>(pub(crate) &'a mut Store<T>);

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self)
    }
}

impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self)
    }
}

impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}

impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, C::Data> {
        (**self).as_context_mut()
    }
}

impl<T> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self.0)
    }
}

/// What a host function gets: the store, and the instance that called it.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<u32>,
}

impl<T> Caller<'_, T> {
    /// The host data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// An export of the calling instance (WASI uses this to reach `memory`).
    pub fn get_export(&self, name: &str) -> Option<crate::Extern> {
        let instance = self.instance?;
        crate::Instance {
            store: self.store.inner.id,
            index: instance,
        }
        .get_export(&*self.store, name)
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.store)
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self.store)
    }
}
