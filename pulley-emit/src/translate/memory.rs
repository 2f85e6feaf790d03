//! Linear memory: loads and stores with explicit bounds checks, size, grow
//! and the bulk operations (the translator's `visit_*` methods for them).
//!
//! Every access is checked in IR: `index + offset + size > length` traps with
//! `heap_out_of_bounds`, computed in 64 bits so it cannot wrap; then the
//! access reads `base + index` at the static offset. The lowering fuses this
//! pattern back into one bounds-checked op (see `lower::memory`).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{F32, F64, I32, I64};
use cranelift_codegen::ir::{Endianness, InstBuilder, MemFlagsData, TrapCode, Type, Value};
use pulley_module::Builtin;
use wasmparser::MemArg;

use super::FuncTranslator;
use crate::CompileError;
use crate::flavour::FlavourExt;
use crate::intrinsics::Intrinsic;
use crate::vmctx::VmctxField;

/// The flags of wasm memory accesses: little-endian, unaligned, and not
/// trapping (the explicit bounds check traps instead).
pub(super) fn heap_flags() -> MemFlagsData {
    MemFlagsData::new()
        .with_endianness(Endianness::Little)
        .with_notrap()
}

/// What kind of access an operator makes.
enum Access {
    /// Load `size` bytes into a value of type `ty`, sign- or zero-extending.
    Load { ty: Type, size: u32, signed: bool },
    /// Store the low `size` bytes.
    Store { size: u32 },
}

/// Loads: `visit_method => (value type, bytes read, sign-extended)`.
macro_rules! loads {
    ($($visit:ident => ($ty:expr, $size:expr, $signed:expr),)*) => {$(
        pub(super) fn $visit(&mut self, memarg: MemArg) -> Result<(), CompileError> {
            let access = Access::Load { ty: $ty, size: $size, signed: $signed };
            self.access(&memarg, access)
        }
    )*};
}

/// Stores: `visit_method => bytes written` (the low bytes of the value).
macro_rules! stores {
    ($($visit:ident => $size:expr,)*) => {$(
        pub(super) fn $visit(&mut self, memarg: MemArg) -> Result<(), CompileError> {
            self.access(&memarg, Access::Store { size: $size })
        }
    )*};
}

impl FuncTranslator<'_, '_> {
    /// Loads a vmctx field (trusted memory: aligned, never trapping).
    pub(super) fn load_vmctx_field(
        &mut self,
        field: VmctxField,
        ty: Type,
        readonly: bool,
    ) -> Value {
        let mut flags = MemFlagsData::trusted();
        if readonly {
            flags = flags.with_readonly().with_can_move();
        }
        let offset = self.env.layout.offset(field);
        self.builder.ins().load(ty, flags, self.vmctx, offset)
    }

    /// Checks an access of `size` bytes at `index + offset` and returns the
    /// address and static offset to access.
    pub(super) fn heap_address(&mut self, index: Value, offset: u64, size: u32) -> (Value, i32) {
        let pointer = self.env.flavour.pointer_type();
        let index64 = self.builder.ins().uextend(I64, index);
        let end = self
            .builder
            .ins()
            .iadd_imm_u(index64, (offset + u64::from(size)) as i64);
        let length = self.load_vmctx_field(VmctxField::MemoryLength, I64, false);
        let out_of_bounds = self
            .builder
            .ins()
            .icmp(IntCC::UnsignedGreaterThan, end, length);
        self.builder
            .ins()
            .trapnz(out_of_bounds, TrapCode::HEAP_OUT_OF_BOUNDS);
        let base = self.load_vmctx_field(VmctxField::MemoryBase, pointer, false);
        let index = if pointer == I64 { index64 } else { index };
        match i32::try_from(offset) {
            Ok(offset) => (self.builder.ins().iadd(base, index), offset),
            Err(_) => {
                let index = self.builder.ins().iadd_imm_u(index, offset as i64);
                (self.builder.ins().iadd(base, index), 0)
            }
        }
    }

    fn access(&mut self, memarg: &MemArg, access: Access) -> Result<(), CompileError> {
        if memarg.target != wasmparser::MemArgTarget::Memory(0) {
            return Err(CompileError::Unsupported("multiple memories".into()));
        }
        let flags = heap_flags();
        match access {
            Access::Load { ty, size, signed } => {
                let index = self.pop();
                let (address, offset) = self.heap_address(index, memarg.offset, size);
                let ins = self.builder.ins();
                let value = match (size, signed, ty.bytes() == size) {
                    (_, _, true) => ins.load(ty, flags, address, offset),
                    (1, true, _) => ins.sload8(ty, flags, address, offset),
                    (1, false, _) => ins.uload8(ty, flags, address, offset),
                    (2, true, _) => ins.sload16(ty, flags, address, offset),
                    (2, false, _) => ins.uload16(ty, flags, address, offset),
                    (4, true, _) => ins.sload32(flags, address, offset),
                    (4, false, _) => ins.uload32(flags, address, offset),
                    _ => unreachable!("wasm access sizes"),
                };
                self.push(value);
            }
            Access::Store { size } => {
                let value = self.pop();
                let index = self.pop();
                let (address, offset) = self.heap_address(index, memarg.offset, size);
                let full = self.builder.func.dfg.value_type(value).bytes() == size;
                let ins = self.builder.ins();
                match (size, full) {
                    (_, true) => ins.store(flags, value, address, offset),
                    (1, _) => ins.istore8(flags, value, address, offset),
                    (2, _) => ins.istore16(flags, value, address, offset),
                    (4, _) => ins.istore32(flags, value, address, offset),
                    _ => unreachable!("wasm access sizes"),
                };
            }
        }
        Ok(())
    }

    loads! {
        visit_i32_load => (I32, 4, false),
        visit_i64_load => (I64, 8, false),
        visit_f32_load => (F32, 4, false),
        visit_f64_load => (F64, 8, false),
        visit_i32_load8_s => (I32, 1, true),
        visit_i32_load8_u => (I32, 1, false),
        visit_i32_load16_s => (I32, 2, true),
        visit_i32_load16_u => (I32, 2, false),
        visit_i64_load8_s => (I64, 1, true),
        visit_i64_load8_u => (I64, 1, false),
        visit_i64_load16_s => (I64, 2, true),
        visit_i64_load16_u => (I64, 2, false),
        visit_i64_load32_s => (I64, 4, true),
        visit_i64_load32_u => (I64, 4, false),
    }

    stores! {
        visit_i32_store => 4,
        visit_f32_store => 4,
        visit_i64_store => 8,
        visit_f64_store => 8,
        visit_i32_store8 => 1,
        visit_i64_store8 => 1,
        visit_i32_store16 => 2,
        visit_i64_store16 => 2,
        visit_i64_store32 => 4,
    }

    pub(super) fn visit_memory_size(&mut self, mem: u32) -> Result<(), CompileError> {
        Self::only_memory_zero(mem)?;
        let length = self.load_vmctx_field(VmctxField::MemoryLength, I64, false);
        let pages = self.builder.ins().ushr_imm_u(length, 16);
        let pages = self.builder.ins().ireduce(I32, pages);
        self.push(pages);
        Ok(())
    }

    pub(super) fn visit_memory_grow(&mut self, mem: u32) -> Result<(), CompileError> {
        Self::only_memory_zero(mem)?;
        let delta = self.pop();
        let memory = self.i32_const(mem);
        let old = self.call_builtin(Builtin::MemoryGrow, &[memory, delta])?[0];
        self.push(old);
        Ok(())
    }

    pub(super) fn visit_memory_copy(
        &mut self,
        dst_mem: u32,
        src_mem: u32,
    ) -> Result<(), CompileError> {
        Self::only_memory_zero(dst_mem)?;
        Self::only_memory_zero(src_mem)?;
        let (dst, src, len) = self.pop3();
        self.call_intrinsic(Intrinsic::MemoryCopy, 0, &[dst, src, len])?;
        Ok(())
    }

    pub(super) fn visit_memory_fill(&mut self, mem: u32) -> Result<(), CompileError> {
        Self::only_memory_zero(mem)?;
        let (dst, value, len) = self.pop3();
        self.call_intrinsic(Intrinsic::MemoryFill, 0, &[dst, value, len])?;
        Ok(())
    }

    pub(super) fn visit_memory_init(
        &mut self,
        data_index: u32,
        mem: u32,
    ) -> Result<(), CompileError> {
        Self::only_memory_zero(mem)?;
        let (dst, src, len) = self.pop3();
        let memory = self.i32_const(mem);
        let segment = self.i32_const(data_index);
        self.call_builtin(Builtin::MemoryInit, &[memory, segment, dst, src, len])?;
        Ok(())
    }

    pub(super) fn visit_data_drop(&mut self, data_index: u32) -> Result<(), CompileError> {
        let segment = self.i32_const(data_index);
        self.call_builtin(Builtin::DataDrop, &[segment])?;
        Ok(())
    }

    fn only_memory_zero(memory: u32) -> Result<(), CompileError> {
        if memory == 0 {
            Ok(())
        } else {
            Err(CompileError::Unsupported("multiple memories".into()))
        }
    }
}
