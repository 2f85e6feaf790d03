//! Native code (feature `native`): modules compiled to host machine code by
//! `pulley_emit::native`, mapped executable, entered through per-type
//! trampolines; and the host side of `pulley_emit::native::abi`: the native
//! context, the per-instance vmctx, the dispatcher and the resolver.
//!
//! Native code needs no signal handler: it records a trap in the context's
//! trap word and returns, every caller returns in turn, and [`run`] turns the
//! word into a [`Trap`]. Host functions and builtins run here, in Rust; the
//! operations the interpreter has ops for (tables, bulk memory, fuel) are
//! compiled inline, with the context's help.

mod code;
mod host;

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::any::Any;

use pulley_emit::native::NativeModule;
use pulley_emit::native::abi::{self, TrapWord};
use pulley_emit::vmctx::{VmctxField, VmctxLayout};
use pulley_interp::{FuncRefTarget, TableView};

use crate::error::{Trap, TrapKind};
use crate::store::StoreInner;
use crate::{Error, NativeError, Result, Store, UsageError};

/// A module's machine code.
pub(crate) struct NativeCode {
    code: code::ExecutableCode,
    functions: Vec<u32>,
    /// The address of each defined function (`VmctxField::FunctionCode`).
    addresses: Vec<usize>,
    trampolines: Vec<u32>,
    layout: VmctxLayout,
}

impl NativeCode {
    /// Maps `module`'s code executable.
    pub(crate) fn new(module: &NativeModule) -> Result<NativeCode> {
        let code = code::ExecutableCode::new(&module.code)?;
        let addresses = module
            .functions
            .iter()
            .map(|&offset| code.at(offset).expose_provenance())
            .collect();
        Ok(NativeCode {
            code,
            addresses,
            functions: module.functions.clone(),
            trampolines: module.trampolines.clone(),
            layout: module.layout,
        })
    }

    /// The code of defined function `defined`.
    fn function(&self, defined: u32) -> Option<*const u8> {
        let offset = *self.functions.get(defined as usize)?;
        Some(self.code.at(offset))
    }
}

/// The entry trampoline's signature (see `NativeModule::trampolines`).
type Trampoline = unsafe extern "C" fn(*mut u64, *const u8, *mut u64);

/// The store's native context: the fields native code reads, at the offsets
/// `abi` gives, then the runtime's own.
#[repr(C)]
pub(crate) struct NativeContext {
    trap: u32,
    _padding: u32,
    stack_limit: usize,
    dispatch: usize,
    resolve: usize,
    funcref_targets: *const FuncRefTarget,
    funcref_count: usize,
    copy: usize,
    fill: usize,
    /// The store's fuel while native code runs (see `abi::CONTEXT_FUEL`).
    fuel: u64,
    /// The running store (`*mut Store<T>`), set on every entry.
    store: *mut (),
    /// Native activations on the stack.
    depth: u32,
    /// What a `TrapWord::Host` stands for.
    error: Option<Error>,
    panic: Option<Box<dyn Any + Send>>,
}

const _: () = {
    assert!(core::mem::offset_of!(NativeContext, trap) == abi::CONTEXT_TRAP as usize);
    assert!(core::mem::offset_of!(NativeContext, stack_limit) == abi::CONTEXT_STACK_LIMIT as usize);
    assert!(core::mem::offset_of!(NativeContext, dispatch) == abi::CONTEXT_DISPATCH as usize);
    assert!(core::mem::offset_of!(NativeContext, resolve) == abi::CONTEXT_RESOLVE as usize);
    assert!(
        core::mem::offset_of!(NativeContext, funcref_targets)
            == abi::CONTEXT_FUNCREF_TARGETS as usize
    );
    assert!(
        core::mem::offset_of!(NativeContext, funcref_count) == abi::CONTEXT_FUNCREF_COUNT as usize
    );
    assert!(core::mem::offset_of!(NativeContext, copy) == abi::CONTEXT_COPY as usize);
    assert!(core::mem::offset_of!(NativeContext, fill) == abi::CONTEXT_FILL as usize);
    assert!(core::mem::offset_of!(NativeContext, fuel) == abi::CONTEXT_FUEL as usize);
    assert!(core::mem::size_of::<FuncRefTarget>() == abi::FUNCREF_TARGET_SIZE as usize);
    assert!(core::mem::offset_of!(FuncRefTarget, type_id) == abi::FUNCREF_TARGET_TYPE_ID as usize);
    assert!(
        core::mem::offset_of!(FuncRefTarget, instance_id) == abi::FUNCREF_TARGET_INSTANCE as usize
    );
    assert!(core::mem::offset_of!(FuncRefTarget, func) == abi::FUNCREF_TARGET_FUNC as usize);
    assert!(core::mem::size_of::<TableView>() == abi::TABLE_VIEW_SIZE as usize);
    assert!(core::mem::offset_of!(TableView, elements) == abi::TABLE_VIEW_ELEMENTS as usize);
    assert!(core::mem::offset_of!(TableView, len) == abi::TABLE_VIEW_LEN as usize);
    assert!(core::mem::size_of::<usize>() == 8);
};

impl NativeContext {
    pub(crate) fn new() -> Box<NativeContext> {
        Box::new(NativeContext {
            trap: 0,
            _padding: 0,
            stack_limit: 0,
            dispatch: 0,
            resolve: 0,
            funcref_targets: core::ptr::null(),
            funcref_count: 0,
            copy: host::copy as *const () as usize,
            fill: host::fill as *const () as usize,
            fuel: 0,
            store: core::ptr::null_mut(),
            depth: 0,
            error: None,
            panic: None,
        })
    }

    /// Points native code at the store's function-reference targets (they
    /// move when the store gains functions).
    pub(crate) fn set_funcref_targets(&mut self, targets: &[FuncRefTarget]) {
        self.funcref_targets = targets.as_ptr();
        self.funcref_count = targets.len();
    }

    /// Records a wasm trap for native code to unwind with.
    fn trap(&mut self, kind: pulley_isa::TrapCode) {
        self.trap = TrapWord::Wasm(kind).encode();
    }

    /// Records a host-side error for native code to unwind with.
    fn fail(&mut self, error: Error) {
        self.error = Some(error);
        self.trap = TrapWord::Host.encode();
    }
}

/// What an instance's vmctx points to, besides the module's code.
pub(crate) struct VmctxEntities<'a> {
    pub(crate) type_ids: &'a [u64],
    pub(crate) func_refs: &'a [u64],
    pub(crate) global_cells: &'a [*mut u64],
    pub(crate) table_views: &'a [TableView],
}

/// An instance's vmctx (see `pulley_emit::vmctx`), 8-byte words.
pub(crate) struct Vmctx {
    words: Box<[u64]>,
}

impl Vmctx {
    /// A vmctx for store instance `instance` of a module with `code`; the
    /// instance's table views and global cells must stay in place while it
    /// lives.
    pub(crate) fn new(
        code: &NativeCode,
        instance: u32,
        entities: VmctxEntities<'_>,
        context: &NativeContext,
    ) -> Vmctx {
        let layout = &code.layout;
        let mut vmctx = Vmctx {
            words: vec![0; layout.size().div_ceil(8) as usize].into_boxed_slice(),
        };
        let address = |pointer: *const u8| pointer.expose_provenance() as u64;
        vmctx.set(
            layout,
            VmctxField::NativeContext,
            address((context as *const NativeContext).cast()),
        );
        vmctx.set(layout, VmctxField::InstanceIndex, u64::from(instance));
        vmctx.set(
            layout,
            VmctxField::TableViews,
            address(entities.table_views.as_ptr().cast()),
        );
        vmctx.set(
            layout,
            VmctxField::FunctionCode,
            address(code.addresses.as_ptr().cast()),
        );
        for (ty, &id) in entities.type_ids.iter().enumerate() {
            vmctx.set(layout, VmctxField::TypeId(ty as u32), id);
        }
        for (func, &handle) in entities.func_refs.iter().enumerate() {
            vmctx.set(layout, VmctxField::FuncRef(func as u32), handle);
        }
        for (global, &cell) in entities.global_cells.iter().enumerate() {
            vmctx.set(
                layout,
                VmctxField::GlobalPointer(global as u32),
                address(cell.cast()),
            );
        }
        vmctx
    }

    fn set(&mut self, layout: &VmctxLayout, field: VmctxField, value: u64) {
        self.words[layout.offset(field) as usize / 8] = value;
    }

    /// Points the vmctx at memory 0's current bytes.
    pub(crate) fn set_memory(&mut self, base: *mut u8, length: usize) {
        self.words[0] = base.expose_provenance() as u64;
        self.words[1] = length as u64;
    }

    fn as_mut_ptr(&mut self) -> *mut u64 {
        self.words.as_mut_ptr()
    }
}

/// Runs defined function `defined` of native instance `instance`.
pub(crate) fn run<T>(
    store: &mut Store<T>,
    instance: u32,
    defined: u32,
    args: &[u64],
) -> Result<Vec<u64>> {
    store.inner.sync_environments();
    let inner = &mut store.inner;
    let entry = &mut inner.instances[instance];
    let module = Arc::clone(&entry.module.inner);
    let code = module
        .native
        .as_ref()
        .ok_or(NativeError::NotNative("module"))?;
    let info = &module.compiled.info;
    let type_index = *info
        .functions
        .get((info.imported_functions + defined) as usize)
        .ok_or(UsageError::NoSuchFunction)?;
    let ty = &info.types[type_index as usize];
    let (function, trampoline) = code
        .function(defined)
        .zip(code.trampolines.get(type_index as usize))
        .ok_or(UsageError::NoSuchFunction)?;
    let mut values = vec![0u64; args.len().max(ty.results.len()).max(1)];
    values[..args.len()].copy_from_slice(args);
    let vmctx = entry
        .vmctx
        .as_mut()
        .ok_or(NativeError::NotNative("instance"))?
        .as_mut_ptr();
    let budget = inner.engine.config().max_wasm_stack_bytes();
    let fuel = inner.interpreter.fuel();
    let context: *mut NativeContext = &mut **inner.native_context();
    // SAFETY: `context` is the store's boxed context; no reference to it is
    // live while native code runs (the dispatcher makes its own from the
    // vmctx), and this is the only thread using the store.
    unsafe {
        if (*context).depth == 0 {
            (*context).stack_limit = crate::stack::limit(budget, crate::stack::HOST_RESERVE);
        }
        (*context).depth += 1;
        (*context).fuel = fuel;
        (*context).store = (store as *mut Store<T>).cast();
        (*context).dispatch = host::dispatch::<T> as *const () as usize;
        (*context).resolve = host::resolve::<T> as *const () as usize;
    }
    // SAFETY: the trampoline of the function's type, from the same compiled
    // module as `function`; `vmctx` is the instance's, kept current by
    // `sync_environments`, and `values` holds a word for every parameter
    // and result. The module (and so the code) outlives the call: `module`
    // holds it.
    unsafe {
        let trampoline: Trampoline = core::mem::transmute(code.code.at(*trampoline));
        trampoline(vmctx, function, values.as_mut_ptr());
    }
    // SAFETY: as above; native code has returned.
    let (word, error, panic, fuel) = unsafe {
        (*context).depth -= 1;
        let word = core::mem::take(&mut (*context).trap);
        let fuel = (*context).fuel;
        (word, (*context).error.take(), (*context).panic.take(), fuel)
    };
    store.inner.interpreter.set_fuel(fuel);
    if let Some(payload) = panic {
        std::panic::resume_unwind(payload);
    }
    match TrapWord::decode(word) {
        TrapWord::None => {
            values.truncate(ty.results.len());
            Ok(values)
        }
        TrapWord::Wasm(code) => Err(Trap::new(TrapKind::from_code(code)).into()),
        TrapWord::OutOfFuel => Err(Trap::new(TrapKind::OutOfFuel).into()),
        TrapWord::Host => Err(error.unwrap_or_else(|| {
            Trap::host("native code reported a host error that was not recorded").into()
        })),
    }
}

impl StoreInner {
    /// The store's native context, made on first use.
    pub(crate) fn native_context(&mut self) -> &mut Box<NativeContext> {
        self.native.get_or_insert_with(NativeContext::new)
    }
}
