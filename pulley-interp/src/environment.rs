//! What a running program sees of its embedder: memory 0, global cells,
//! tables, function references and signature ids.
//!
//! The embedder owns all of these; the interpreter reads and writes them
//! through raw pointers that the embedder sets with the `unsafe` setters
//! below, whose contracts say what must hold while a call runs.

use core::ptr::{self, NonNull};

use pulley_isa::{FuncRefIndex, GlobalIndex, TableIndex, TypeIndex};

/// A table as the interpreter sees it: a pointer to its elements and their
/// number. The embedder updates it in place when the table grows.
#[derive(Copy, Clone, Debug)]
#[repr(C)]
pub struct TableView {
    /// The elements (function reference handles or other 64-bit references).
    pub elements: *mut u64,
    /// Number of elements.
    pub len: usize,
}

/// A table read from an [`Environment`]: its view, valid by
/// [`Environment::set_tables`]' contract while a call runs.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Table(TableView);

impl Table {
    /// The number of elements.
    #[inline(always)]
    pub(crate) fn len(self) -> usize {
        self.0.len
    }

    /// Element `index`, or `None` past the end.
    #[inline(always)]
    pub(crate) fn get(self, index: usize) -> Option<u64> {
        if index < self.0.len {
            // SAFETY: `index < len` elements are valid for reads.
            Some(unsafe { self.0.elements.add(index).read() })
        } else {
            None
        }
    }

    /// Sets element `index`; `None` past the end.
    #[inline(always)]
    pub(crate) fn set(self, index: usize, value: u64) -> Option<()> {
        if index < self.0.len {
            // SAFETY: `index < len` elements are valid for writes.
            unsafe { self.0.elements.add(index).write(value) };
            Some(())
        } else {
            None
        }
    }
}

/// What a function reference handle resolves to. Handle `h != 0` names entry
/// `h - 1` of the embedder's list (see [`Environment::set_funcref_targets`]);
/// handle 0 is null.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct FuncRefTarget {
    /// The signature id, compared with the type `call_ref` names.
    pub type_id: u64,
    /// The instance the function belongs to: the reference is called
    /// directly when it equals [`Environment::instance_id`], through the
    /// embedder otherwise.
    pub instance_id: u64,
    /// The function's index in its instance's program (or the embedder's
    /// own numbering when `instance_id` names no interpreted instance).
    pub func: u32,
}

/// An [`Environment`] that its embedder keeps valid for the calls that use
/// it: what [`Interpreter::call`](crate::Interpreter::call) runs against.
#[derive(Copy, Clone, Debug)]
pub struct EnvironmentRef(NonNull<Environment>);

// SAFETY: the embedder that made it keeps the environment valid wherever
// the calls using it run (`EnvironmentRef::new`); the interpreter only reads
// it while such a call runs.
unsafe impl Send for EnvironmentRef {}

impl EnvironmentRef {
    /// Promises that `env` can be run against.
    ///
    /// # Safety
    /// `env` must satisfy the contracts of its setters and stay valid, at the
    /// same address, until every call started with this reference finishes
    /// (returns, traps, or is aborted), including while it is suspended.
    pub unsafe fn new(env: NonNull<Environment>) -> EnvironmentRef {
        EnvironmentRef(env)
    }

    /// The environment, valid while a call that uses it runs or is
    /// suspended (the contract of `new`).
    pub(crate) fn get(&self) -> &Environment {
        // SAFETY: the contract of `new`; the interpreter calls this only for
        // an activation that has not finished.
        unsafe { self.0.as_ref() }
    }

    /// The pointer, for the handlers' state.
    pub(crate) fn as_ptr(self) -> *const Environment {
        self.0.as_ptr()
    }
}

/// The embedder's state a program runs against. One per instance.
#[derive(Debug)]
pub struct Environment {
    pub(crate) memory_base: *mut u8,
    pub(crate) memory_len: usize,
    pub(crate) globals: *const *mut u64,
    pub(crate) globals_len: usize,
    pub(crate) tables: *const TableView,
    pub(crate) tables_len: usize,
    pub(crate) func_refs: *const u64,
    pub(crate) func_refs_len: usize,
    pub(crate) type_ids: *const u64,
    pub(crate) type_ids_len: usize,
    pub(crate) funcref_targets: *const FuncRefTarget,
    pub(crate) funcref_targets_len: usize,
    pub(crate) instance_id: u64,
}

impl Default for Environment {
    fn default() -> Self {
        Environment {
            memory_base: ptr::NonNull::dangling().as_ptr(),
            memory_len: 0,
            globals: ptr::null(),
            globals_len: 0,
            tables: ptr::null(),
            tables_len: 0,
            func_refs: ptr::null(),
            func_refs_len: 0,
            type_ids: ptr::null(),
            type_ids_len: 0,
            funcref_targets: ptr::null(),
            funcref_targets_len: 0,
            instance_id: 0,
        }
    }
}

impl Environment {
    /// An environment without memory, globals, tables or references.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets memory 0.
    ///
    /// # Safety
    /// `len` bytes at `base` must be valid for reads and writes, and not be
    /// accessed through other references, whenever a call with this
    /// environment runs (between entering or resuming and the next exit).
    /// The embedder calls this again after the memory grows or moves, before
    /// resuming.
    pub unsafe fn set_memory(&mut self, base: *mut u8, len: usize) {
        self.memory_base = base;
        self.memory_len = len;
    }

    /// Sets the global cells: `globals[i]` points to global `i`'s cell.
    ///
    /// # Safety
    /// `len` pointers at `globals` must be readable, and each must point to
    /// 16 bytes valid for reads and writes (aligned for `u64`), whenever a call
    /// with this environment runs. Scalar globals use the first 8 bytes as a
    /// `u64` in host order; v128 globals use all 16 as the vector's bytes in
    /// lane order (little-endian).
    pub unsafe fn set_globals(&mut self, globals: *const *mut u64, len: usize) {
        self.globals = globals;
        self.globals_len = len;
    }

    /// Sets the tables.
    ///
    /// # Safety
    /// `len` views at `tables` must be readable whenever a call with this
    /// environment runs, and each view's `len` elements must then be valid for
    /// reads and writes.
    pub unsafe fn set_tables(&mut self, tables: *const TableView, len: usize) {
        self.tables = tables;
        self.tables_len = len;
    }

    /// Sets the handles `ref_func` returns: `refs[i]` for `ref_func i`.
    ///
    /// # Safety
    /// `len` values at `refs` must be readable whenever a call runs.
    pub unsafe fn set_func_refs(&mut self, refs: *const u64, len: usize) {
        self.func_refs = refs;
        self.func_refs_len = len;
    }

    /// Sets the signature ids `type_id` returns: `ids[i]` for type `i`.
    ///
    /// # Safety
    /// `len` values at `ids` must be readable whenever a call runs.
    pub unsafe fn set_type_ids(&mut self, ids: *const u64, len: usize) {
        self.type_ids = ids;
        self.type_ids_len = len;
    }

    /// Sets how function reference handles resolve (shared by all instances
    /// of an embedder's store).
    ///
    /// # Safety
    /// `len` entries at `targets` must be readable whenever a call runs.
    pub unsafe fn set_funcref_targets(&mut self, targets: *const FuncRefTarget, len: usize) {
        self.funcref_targets = targets;
        self.funcref_targets_len = len;
    }

    /// Sets the id that marks function references to this instance's own
    /// functions.
    pub fn set_instance_id(&mut self, id: u64) {
        self.instance_id = id;
    }

    /// This instance's id.
    pub fn instance_id(&self) -> u64 {
        self.instance_id
    }

    /// The cell of global `global`.
    ///
    /// Handlers pass only index operands of verified code, which the
    /// verifier checked against the program's shape; `Interpreter::call`
    /// checked that this environment provides that many (so for the other
    /// index accessors below).
    #[inline(always)]
    fn global_cell(&self, global: GlobalIndex) -> *mut u64 {
        debug_assert!(global.index() < self.globals_len);
        // SAFETY: in range (see above); readable by `set_globals`' contract.
        unsafe { self.globals.add(global.index()).read() }
    }

    /// The value of scalar global `global`.
    #[inline(always)]
    pub(crate) fn global(&self, global: GlobalIndex) -> u64 {
        // SAFETY: the cell is valid for reads (`set_globals`).
        unsafe { self.global_cell(global).read() }
    }

    /// Sets scalar global `global`.
    #[inline(always)]
    pub(crate) fn set_global(&self, global: GlobalIndex, value: u64) {
        // SAFETY: the cell is valid for writes (`set_globals`).
        unsafe { self.global_cell(global).write(value) }
    }

    /// The 16 bytes of v128 global `global`, in lane order.
    #[cfg(feature = "simd")]
    #[inline(always)]
    pub(crate) fn global_v128(&self, global: GlobalIndex) -> [u8; 16] {
        // SAFETY: every cell holds 16 bytes valid for reads (`set_globals`).
        unsafe { self.global_cell(global).cast::<[u8; 16]>().read() }
    }

    /// Sets the 16 bytes of v128 global `global`, in lane order.
    #[cfg(feature = "simd")]
    #[inline(always)]
    pub(crate) fn set_global_v128(&self, global: GlobalIndex, bytes: [u8; 16]) {
        // SAFETY: every cell holds 16 bytes valid for writes (`set_globals`).
        unsafe { self.global_cell(global).cast::<[u8; 16]>().write(bytes) }
    }

    /// Table `table`.
    #[inline(always)]
    pub(crate) fn table(&self, table: TableIndex) -> Table {
        debug_assert!(table.index() < self.tables_len);
        // SAFETY: in range (see `global_cell`); readable by `set_tables`'
        // contract.
        Table(unsafe { self.tables.add(table.index()).read() })
    }

    /// The handle `ref_func func` gives.
    #[inline(always)]
    pub(crate) fn func_ref(&self, func: FuncRefIndex) -> u64 {
        debug_assert!(func.index() < self.func_refs_len);
        // SAFETY: in range (see `global_cell`); readable by `set_func_refs`'
        // contract.
        unsafe { self.func_refs.add(func.index()).read() }
    }

    /// The signature id of the program's type `ty`.
    #[inline(always)]
    pub(crate) fn type_id(&self, ty: TypeIndex) -> u64 {
        debug_assert!(ty.index() < self.type_ids_len);
        // SAFETY: in range (see `global_cell`); readable by `set_type_ids`'
        // contract.
        unsafe { self.type_ids.add(ty.index()).read() }
    }

    /// Resolves a function reference handle, or `None` for null or unknown
    /// handles.
    #[inline(always)]
    pub(crate) fn funcref_target(&self, handle: u64) -> Option<&FuncRefTarget> {
        let index = usize::try_from(handle.checked_sub(1)?).ok()?;
        if index >= self.funcref_targets_len {
            return None;
        }
        // SAFETY: in range, and readable by `set_funcref_targets`' contract.
        Some(unsafe { &*self.funcref_targets.add(index) })
    }
}
