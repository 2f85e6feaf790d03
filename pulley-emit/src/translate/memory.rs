//! Linear memory: loads and stores with explicit bounds checks, size, grow
//! and the bulk operations.
//!
//! Every access is checked in IR: `index + offset + size > length` traps with
//! `heap_out_of_bounds`, computed in 64 bits so it cannot wrap; then the
//! access reads `base + index` at the static offset. The lowering fuses this
//! pattern back into one bounds-checked op (see `lower::memory`).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{F32, F64, I32, I64};
use cranelift_codegen::ir::{Endianness, InstBuilder, MemFlagsData, TrapCode, Type, Value};
use pulley_module::Builtin;
use wasmparser::{MemArg, Operator};

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

    /// Translates memory operators; returns whether `operator` was one.
    pub(super) fn translate_memory(
        &mut self,
        operator: &Operator<'_>,
    ) -> Result<bool, CompileError> {
        let load = |ty: Type, size: u32, signed: bool| Access::Load { ty, size, signed };
        match *operator {
            Operator::I32Load { memarg } => self.access(&memarg, load(I32, 4, false))?,
            Operator::I64Load { memarg } => self.access(&memarg, load(I64, 8, false))?,
            Operator::F32Load { memarg } => self.access(&memarg, load(F32, 4, false))?,
            Operator::F64Load { memarg } => self.access(&memarg, load(F64, 8, false))?,
            Operator::I32Load8S { memarg } => self.access(&memarg, load(I32, 1, true))?,
            Operator::I32Load8U { memarg } => self.access(&memarg, load(I32, 1, false))?,
            Operator::I32Load16S { memarg } => self.access(&memarg, load(I32, 2, true))?,
            Operator::I32Load16U { memarg } => self.access(&memarg, load(I32, 2, false))?,
            Operator::I64Load8S { memarg } => self.access(&memarg, load(I64, 1, true))?,
            Operator::I64Load8U { memarg } => self.access(&memarg, load(I64, 1, false))?,
            Operator::I64Load16S { memarg } => self.access(&memarg, load(I64, 2, true))?,
            Operator::I64Load16U { memarg } => self.access(&memarg, load(I64, 2, false))?,
            Operator::I64Load32S { memarg } => self.access(&memarg, load(I64, 4, true))?,
            Operator::I64Load32U { memarg } => self.access(&memarg, load(I64, 4, false))?,
            Operator::I32Store { memarg } | Operator::F32Store { memarg } => {
                self.access(&memarg, Access::Store { size: 4 })?
            }
            Operator::I64Store { memarg } | Operator::F64Store { memarg } => {
                self.access(&memarg, Access::Store { size: 8 })?
            }
            Operator::I32Store8 { memarg } | Operator::I64Store8 { memarg } => {
                self.access(&memarg, Access::Store { size: 1 })?
            }
            Operator::I32Store16 { memarg } | Operator::I64Store16 { memarg } => {
                self.access(&memarg, Access::Store { size: 2 })?
            }
            Operator::I64Store32 { memarg } => self.access(&memarg, Access::Store { size: 4 })?,
            Operator::MemorySize { mem } => {
                Self::only_memory_zero(mem)?;
                let length = self.load_vmctx_field(VmctxField::MemoryLength, I64, false);
                let pages = self.builder.ins().ushr_imm_u(length, 16);
                let pages = self.builder.ins().ireduce(I32, pages);
                self.push(pages);
            }
            Operator::MemoryGrow { mem } => {
                Self::only_memory_zero(mem)?;
                let delta = self.pop();
                let memory = self.i32_const(mem);
                let old = self.call_builtin(Builtin::MemoryGrow, &[memory, delta])?[0];
                self.push(old);
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                Self::only_memory_zero(dst_mem)?;
                Self::only_memory_zero(src_mem)?;
                let (dst, src, len) = self.pop3();
                self.call_intrinsic(Intrinsic::MemoryCopy, 0, &[dst, src, len])?;
            }
            Operator::MemoryFill { mem } => {
                Self::only_memory_zero(mem)?;
                let (dst, value, len) = self.pop3();
                self.call_intrinsic(Intrinsic::MemoryFill, 0, &[dst, value, len])?;
            }
            Operator::MemoryInit { data_index, mem } => {
                Self::only_memory_zero(mem)?;
                let (dst, src, len) = self.pop3();
                let memory = self.i32_const(mem);
                let segment = self.i32_const(data_index);
                self.call_builtin(Builtin::MemoryInit, &[memory, segment, dst, src, len])?;
            }
            Operator::DataDrop { data_index } => {
                let segment = self.i32_const(data_index);
                self.call_builtin(Builtin::DataDrop, &[segment])?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn only_memory_zero(memory: u32) -> Result<(), CompileError> {
        if memory == 0 {
            Ok(())
        } else {
            Err(CompileError::Unsupported("multiple memories".into()))
        }
    }
}
