//! Tables and references (the translator's `visit_*` methods for them).
//! Table bounds are checked in IR before every element access (the
//! intrinsics check again, which costs nothing extra in the interpreter).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{InstBuilder, Value};
use pulley_module::{Builtin, ValType};
use wasmparser::HeapType;

use super::FuncTranslator;
use crate::CompileError;
use crate::intrinsics::Intrinsic;
use crate::traps;
use crate::vmctx::VmctxField;

impl FuncTranslator<'_, '_> {
    /// Traps with `table_out_of_bounds` unless `index < table.size`.
    fn check_table_index(&mut self, table: u32, index: Value) -> Result<(), CompileError> {
        let size = self.call_intrinsic(Intrinsic::TableSize, table, &[])?[0];
        let out_of_bounds = self
            .builder
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, size);
        self.builder
            .ins()
            .trapnz(out_of_bounds, traps::TABLE_OUT_OF_BOUNDS);
        Ok(())
    }

    /// Element `index` of `table`, bounds-checked.
    pub(super) fn checked_table_get(
        &mut self,
        table: u32,
        index: Value,
    ) -> Result<Value, CompileError> {
        self.check_table_index(table, index)?;
        Ok(self.call_intrinsic(Intrinsic::TableGet, table, &[index])?[0])
    }

    pub(super) fn visit_table_get(&mut self, table: u32) -> Result<(), CompileError> {
        let index = self.pop();
        let value = self.checked_table_get(table, index)?;
        self.push(value);
        Ok(())
    }

    pub(super) fn visit_table_set(&mut self, table: u32) -> Result<(), CompileError> {
        let (index, value) = self.pop2();
        self.check_table_index(table, index)?;
        self.call_intrinsic(Intrinsic::TableSet, table, &[index, value])?;
        Ok(())
    }

    pub(super) fn visit_table_size(&mut self, table: u32) -> Result<(), CompileError> {
        let size = self.call_intrinsic(Intrinsic::TableSize, table, &[])?[0];
        self.push(size);
        Ok(())
    }

    /// Whether `table` holds function references (else extern references):
    /// the builtins that take an element come in one variant for each, so
    /// that the verifier knows the element's kind.
    fn holds_funcrefs(&self, table: u32) -> bool {
        self.env.info.tables[table as usize].element == ValType::FuncRef
    }

    pub(super) fn visit_table_grow(&mut self, table: u32) -> Result<(), CompileError> {
        let (init, delta) = self.pop2();
        let builtin = if self.holds_funcrefs(table) {
            Builtin::TableGrowFunc
        } else {
            Builtin::TableGrowExtern
        };
        let table = self.i32_const(table);
        let old = self.call_builtin(builtin, &[table, init, delta])?[0];
        self.push(old);
        Ok(())
    }

    pub(super) fn visit_table_fill(&mut self, table: u32) -> Result<(), CompileError> {
        let (dst, value, len) = self.pop3();
        let builtin = if self.holds_funcrefs(table) {
            Builtin::TableFillFunc
        } else {
            Builtin::TableFillExtern
        };
        let table = self.i32_const(table);
        self.call_builtin(builtin, &[table, dst, value, len])?;
        Ok(())
    }

    pub(super) fn visit_table_copy(
        &mut self,
        dst_table: u32,
        src_table: u32,
    ) -> Result<(), CompileError> {
        let (dst, src, len) = self.pop3();
        let dst_table = self.i32_const(dst_table);
        let src_table = self.i32_const(src_table);
        self.call_builtin(Builtin::TableCopy, &[dst_table, src_table, dst, src, len])?;
        Ok(())
    }

    pub(super) fn visit_table_init(
        &mut self,
        elem_index: u32,
        table: u32,
    ) -> Result<(), CompileError> {
        let (dst, src, len) = self.pop3();
        let table = self.i32_const(table);
        let segment = self.i32_const(elem_index);
        self.call_builtin(Builtin::TableInit, &[table, segment, dst, src, len])?;
        Ok(())
    }

    pub(super) fn visit_elem_drop(&mut self, elem_index: u32) -> Result<(), CompileError> {
        let segment = self.i32_const(elem_index);
        self.call_builtin(Builtin::ElemDrop, &[segment])?;
        Ok(())
    }

    pub(super) fn visit_ref_null(&mut self, _: HeapType) -> Result<(), CompileError> {
        let null = self.builder.ins().iconst(I64, 0);
        self.push(null);
        Ok(())
    }

    pub(super) fn visit_ref_is_null(&mut self) -> Result<(), CompileError> {
        let reference = self.pop();
        let is_null = self.builder.ins().icmp_imm_u(IntCC::Equal, reference, 0);
        let is_null = self.builder.ins().uextend(I32, is_null);
        self.push(is_null);
        Ok(())
    }

    pub(super) fn visit_ref_func(&mut self, function_index: u32) -> Result<(), CompileError> {
        let handle = self.load_vmctx_field(VmctxField::FuncRef(function_index), I64, true);
        self.push(handle);
        Ok(())
    }
}
