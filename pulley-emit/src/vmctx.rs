//! The instance context (vmctx): the layout compiled code uses to reach an
//! instance's memory, globals, signature ids and function references.
//!
//! This is the one definition shared by the compiler and the runtime. The
//! interpreter never reads a vmctx: the lowering recognizes each field access
//! in the IR and turns it into the op that reaches the same entity through the
//! interpreter's environment. Native code reads the fields directly.
//!
//! Layout (offsets in bytes):
//!
//! | offset | field |
//! |---|---|
//! | 0 | memory 0 base (pointer) |
//! | 8 | memory 0 length in bytes (`u64`) |
//! | 16 | native context (pointer; native code only) |
//! | 24 | instance index (`u64`; native code only) |
//! | 32 | table views: pointer to one (elements, length) pair per table (native code only) |
//! | 40 | function code: pointer to one code address per defined function (native code only) |
//! | 48 | signature ids: one `u64` per type of the module |
//! | ... | function references: one `u64` handle per function |
//! | ... | global cells: one pointer per global |
//!
//! The fields before the signature ids have the same offsets in every
//! module, so the runtime finds them from a bare vmctx pointer.

use pulley_module::ModuleInfo;

/// A field of the vmctx.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum VmctxField {
    /// The base address of memory 0.
    MemoryBase,
    /// The length of memory 0 in bytes.
    MemoryLength,
    /// The runtime's signature id of a type index.
    TypeId(u32),
    /// The function reference handle of a function index.
    FuncRef(u32),
    /// A pointer to a global's 16-byte cell.
    GlobalPointer(u32),
    /// Native code only: a pointer to the store's native context (see
    /// `native::abi`), where traps are recorded and host calls found.
    NativeContext,
    /// Native code only: the store's index of the instance.
    InstanceIndex,
    /// Native code only: a pointer to the instance's table views (see
    /// `native::abi::TABLE_VIEW_SIZE`), one per table.
    TableViews,
    /// Native code only: a pointer to the code address of each defined
    /// function.
    FunctionCode,
}

/// Offsets of the vmctx fields for one module and pointer width.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct VmctxLayout {
    pointer_bytes: u32,
    type_ids: u32,
    types: u32,
    func_refs: u32,
    functions: u32,
    global_pointers: u32,
    globals: u32,
    size: u32,
}

impl VmctxLayout {
    /// The layout for `module` with pointers of `pointer_bytes` bytes.
    pub fn new(module: &ModuleInfo, pointer_bytes: u8) -> VmctxLayout {
        let pointer_bytes = u32::from(pointer_bytes);
        let types = module.types.len() as u32;
        let functions = module.functions.len() as u32;
        let globals = module.globals.len() as u32;
        let type_ids = 48;
        let func_refs = type_ids + 8 * types;
        let global_pointers = func_refs + 8 * functions;
        let size = global_pointers + pointer_bytes * globals;
        VmctxLayout {
            pointer_bytes,
            type_ids,
            types,
            func_refs,
            functions,
            global_pointers,
            globals,
            size,
        }
    }

    /// The offset of `field`.
    pub fn offset(&self, field: VmctxField) -> i32 {
        let offset = match field {
            VmctxField::MemoryBase => 0,
            VmctxField::MemoryLength => 8,
            VmctxField::TypeId(ty) => self.type_ids + 8 * ty,
            VmctxField::FuncRef(func) => self.func_refs + 8 * func,
            VmctxField::GlobalPointer(global) => self.global_pointers + self.pointer_bytes * global,
            VmctxField::NativeContext => 16,
            VmctxField::InstanceIndex => 24,
            VmctxField::TableViews => 32,
            VmctxField::FunctionCode => 40,
        };
        offset as i32
    }

    /// The field at `offset`, if a field starts there.
    pub fn field_at(&self, offset: i64) -> Option<VmctxField> {
        let offset = u32::try_from(offset).ok()?;
        let indexed = |start: u32, stride: u32, count: u32| {
            let relative = offset.checked_sub(start)?;
            (relative % stride == 0 && relative / stride < count).then_some(relative / stride)
        };
        match offset {
            0 => Some(VmctxField::MemoryBase),
            8 => Some(VmctxField::MemoryLength),
            16 => Some(VmctxField::NativeContext),
            24 => Some(VmctxField::InstanceIndex),
            32 => Some(VmctxField::TableViews),
            40 => Some(VmctxField::FunctionCode),
            _ => indexed(self.type_ids, 8, self.types)
                .map(VmctxField::TypeId)
                .or_else(|| indexed(self.func_refs, 8, self.functions).map(VmctxField::FuncRef))
                .or_else(|| {
                    indexed(self.global_pointers, self.pointer_bytes, self.globals)
                        .map(VmctxField::GlobalPointer)
                }),
        }
    }

    /// Total size in bytes.
    pub fn size(&self) -> u32 {
        self.size
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulley_module::{FuncType, GlobalType, ValType};

    #[test]
    fn every_field_maps_back_from_its_offset() {
        let module = ModuleInfo {
            types: vec![FuncType::default(); 3],
            functions: vec![0, 1, 2, 2],
            globals: vec![
                GlobalType {
                    ty: ValType::I32,
                    mutable: true
                };
                5
            ],
            ..Default::default()
        };
        for pointer_bytes in [4, 8] {
            let layout = VmctxLayout::new(&module, pointer_bytes);
            let fields = [VmctxField::MemoryBase, VmctxField::MemoryLength]
                .into_iter()
                .chain((0..3).map(VmctxField::TypeId))
                .chain((0..4).map(VmctxField::FuncRef))
                .chain((0..5).map(VmctxField::GlobalPointer))
                .chain([
                    VmctxField::NativeContext,
                    VmctxField::InstanceIndex,
                    VmctxField::TableViews,
                    VmctxField::FunctionCode,
                ]);
            for field in fields {
                assert_eq!(
                    layout.field_at(i64::from(layout.offset(field))),
                    Some(field)
                );
            }
            assert_eq!(layout.field_at(i64::from(layout.size())), None);
            assert_eq!(layout.field_at(4), None);
            assert_eq!(layout.field_at(-8), None);
        }
    }
}
