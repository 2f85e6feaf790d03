//! The host side of `pulley_emit::native::abi`'s data: the store's native
//! context (the trap word, the stack limit, the functions native code calls)
//! and each instance's vmctx.

use alloc::boxed::Box;
use alloc::vec;
use core::any::Any;

use pulley_emit::native::abi::{self, TrapWord};
use pulley_emit::vmctx::{VmctxField, VmctxLayout};
use pulley_interp::{FuncRefTarget, TableView};

use super::code::NativeCode;
use crate::Error;

/// The store's native context: the fields native code reads, at the offsets
/// `abi` gives, then the runtime's own.
#[repr(C)]
pub(crate) struct NativeContext {
    pub(super) trap: u32,
    _padding: u32,
    pub(super) stack_limit: usize,
    pub(super) dispatch: usize,
    pub(super) resolve: usize,
    funcref_targets: *const FuncRefTarget,
    funcref_count: usize,
    copy: usize,
    fill: usize,
    /// The store's fuel while native code runs (see `abi::CONTEXT_FUEL`).
    pub(super) fuel: u64,
    /// The running store (`*mut Store<T>`), set on every entry.
    pub(super) store: *mut (),
    /// Native activations on the stack.
    pub(super) depth: u32,
    /// What a `TrapWord::Host` stands for.
    pub(super) error: Option<Error>,
    pub(super) panic: Option<Box<dyn Any + Send>>,
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
            copy: copy as *const () as usize,
            fill: fill as *const () as usize,
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
    pub(super) fn trap(&mut self, kind: pulley_isa::TrapCode) {
        self.trap = TrapWord::Wasm(kind).encode();
    }

    /// Records a host-side error for native code to unwind with.
    pub(super) fn fail(&mut self, error: Error) {
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

    pub(super) fn as_mut_ptr(&mut self) -> *mut u64 {
        self.words.as_mut_ptr()
    }
}

/// Copies for `memory.copy` (`abi::CONTEXT_COPY`).
///
/// # Safety
/// Both ranges lie in one live linear memory (native code checked them
/// against its length); they may overlap.
unsafe extern "C" fn copy(dst: *mut u8, src: *const u8, len: usize) {
    // SAFETY: see the function's contract.
    unsafe { core::ptr::copy(src, dst, len) }
}

/// Fills for `memory.fill` (`abi::CONTEXT_FILL`).
///
/// # Safety
/// The range lies in a live linear memory (native code checked it).
unsafe extern "C" fn fill(dst: *mut u8, value: u32, len: usize) {
    // SAFETY: see the function's contract.
    unsafe { core::ptr::write_bytes(dst, value as u8, len) }
}
