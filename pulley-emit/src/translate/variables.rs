//! Locals and globals (the translator's `visit_*` methods for them). A
//! global is reached through its cell pointer in the vmctx; 32-bit values sit
//! in the low half of the 64-bit cell, which is at byte offset 4 on
//! big-endian hosts. A `v128` global's cell is 16 bytes
//! holding the vector in little-endian byte order on every host.

use cranelift_codegen::ir::{Endianness, InstBuilder, MemFlagsData, Type, Value};

use super::FuncTranslator;
use crate::CompileError;
use crate::flavour::FlavourExt;
use crate::vmctx::VmctxField;

impl FuncTranslator<'_, '_> {
    /// The cell pointer of `global`, the value's type and its offset in the cell.
    /// A vector's cell is always at offset 0 (its bytes are little-endian,
    /// see `global_flags`).
    fn global_cell(&mut self, global: u32) -> Result<(Value, Type, i32), CompileError> {
        let ty = self
            .env
            .clif_type(self.env.info.globals[global as usize].ty)?;
        let pointer = self.env.flavour.pointer_type();
        let cell = self.load_vmctx_field(VmctxField::GlobalPointer(global), pointer, true);
        let offset = if self.env.flavour.big_endian() && ty.bytes() == 4 {
            4
        } else {
            0
        };
        Ok((cell, ty, offset))
    }

    /// The flags of accesses to a global cell holding a value of type `ty`:
    /// trusted; for vectors little-endian (their cell has the same byte order
    /// on every host) and not marked aligned, since nothing promises a
    /// 16-byte cell 16-byte alignment (x86's native backend folds aligned
    /// vector loads into SSE operands that fault when misaligned).
    fn global_flags(ty: Type) -> MemFlagsData {
        if ty.is_vector() {
            MemFlagsData::new()
                .with_notrap()
                .with_endianness(Endianness::Little)
        } else {
            MemFlagsData::trusted()
        }
    }

    pub(super) fn visit_local_get(&mut self, local_index: u32) -> Result<(), CompileError> {
        let value = self.builder.use_var(self.locals[local_index as usize]);
        self.push(value);
        Ok(())
    }

    pub(super) fn visit_local_set(&mut self, local_index: u32) -> Result<(), CompileError> {
        let value = self.pop();
        self.builder
            .def_var(self.locals[local_index as usize], value);
        Ok(())
    }

    pub(super) fn visit_local_tee(&mut self, local_index: u32) -> Result<(), CompileError> {
        let value = *self.stack.last().expect("validated operand stack");
        self.builder
            .def_var(self.locals[local_index as usize], value);
        Ok(())
    }

    pub(super) fn visit_global_get(&mut self, global_index: u32) -> Result<(), CompileError> {
        let mutable = self.env.info.globals[global_index as usize].mutable;
        let (cell, ty, offset) = self.global_cell(global_index)?;
        let mut flags = Self::global_flags(ty);
        if !mutable {
            flags = flags.with_readonly().with_can_move();
        }
        let value = self.builder.ins().load(ty, flags, cell, offset);
        self.push(value);
        Ok(())
    }

    pub(super) fn visit_global_set(&mut self, global_index: u32) -> Result<(), CompileError> {
        let value = self.pop();
        let (cell, ty, offset) = self.global_cell(global_index)?;
        self.builder
            .ins()
            .store(Self::global_flags(ty), value, cell, offset);
        Ok(())
    }
}
