//! Locals and globals. A global is reached through its cell pointer in the
//! vmctx; 32-bit values sit in the low half of the 64-bit cell, which is at
//! byte offset 4 on big-endian hosts.

use cranelift_codegen::ir::{InstBuilder, MemFlagsData, Type, Value};
use wasmparser::Operator;

use super::FuncTranslator;
use crate::CompileError;
use crate::flavour::FlavourExt;
use crate::vmctx::VmctxField;

impl FuncTranslator<'_, '_> {
    /// The cell pointer of `global`, the value's type and its offset in the cell.
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

    /// Translates local and global operators; returns whether `operator` was
    /// one.
    pub(super) fn translate_variable(
        &mut self,
        operator: &Operator<'_>,
    ) -> Result<bool, CompileError> {
        match *operator {
            Operator::LocalGet { local_index } => {
                let value = self.builder.use_var(self.locals[local_index as usize]);
                self.push(value);
            }
            Operator::LocalSet { local_index } => {
                let value = self.pop();
                self.builder
                    .def_var(self.locals[local_index as usize], value);
            }
            Operator::LocalTee { local_index } => {
                let value = *self.stack.last().expect("validated operand stack");
                self.builder
                    .def_var(self.locals[local_index as usize], value);
            }
            Operator::GlobalGet { global_index } => {
                let mutable = self.env.info.globals[global_index as usize].mutable;
                let (cell, ty, offset) = self.global_cell(global_index)?;
                let mut flags = MemFlagsData::trusted();
                if !mutable {
                    flags = flags.with_readonly().with_can_move();
                }
                let value = self.builder.ins().load(ty, flags, cell, offset);
                self.push(value);
            }
            Operator::GlobalSet { global_index } => {
                let value = self.pop();
                let (cell, _, offset) = self.global_cell(global_index)?;
                self.builder
                    .ins()
                    .store(MemFlagsData::trusted(), value, cell, offset);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
