//! Memory accesses: loads and stores of vmctx fields, globals and linear
//! memory, scalar and vector, and the bounds checks a fused access makes
//! redundant. The address patterns are in [`address`].
//!
//! The translator computes `base + index` (plus an `iadd` of the offset when
//! it does not fit the load's immediate) after an explicit
//! `trapnz (icmp ugt (index + offset + size) length)`. The interpreter's
//! memory ops check bounds themselves with the same 64-bit arithmetic and
//! the same trap, so the lowering fuses the address into the op and drops the
//! check when the very next effectful instruction is the access it guards.
//!
//! Loads and stores of vmctx fields and globals become the ops that reach
//! the same entity through the interpreter's environment. A linear-memory
//! address of a shape the patterns do not know takes a general fallback:
//! the index computed into a register, then the plain op.

mod address;

use cranelift_codegen::ir::{self, Inst, Opcode, Type, Value};
use pulley_isa::GenericOp as Op;
use regalloc2::VReg;

use self::address::{HeapAddress, bounds_check_is_redundant, global_cell, heap_access};
use super::context::LoweringContext;
use crate::CompileError;
use crate::vmctx::VmctxField;

/// `result = load address+offset` of type `ty` (extending as `opcode`
/// says): a vmctx field, a global, or linear memory.
pub(crate) fn load(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    ty: Type,
    result: Value,
    address: Value,
    offset: i64,
) -> Result<(), CompileError> {
    if ty.is_vector() {
        return load_vector(cx, opcode, ty, result, address, offset);
    }
    let dst = cx.def(result);
    if address == cx.vmctx() || cx.resolve(address) == cx.vmctx() {
        let field = cx
            .env
            .layout
            .field_at(offset)
            .ok_or_else(|| cx.error(format_args!("vmctx load at {offset}")))?;
        let op = match field {
            VmctxField::MemoryLength => Op::MemoryLen { dst },
            VmctxField::FuncRef(func) => Op::RefFunc {
                dst,
                func: pulley_isa::FuncRefIndex(func),
            },
            VmctxField::MemoryBase
            | VmctxField::GlobalPointer(_)
            | VmctxField::TypeId(_)
            | VmctxField::NativeContext
            | VmctxField::InstanceIndex
            | VmctxField::TableViews
            | VmctxField::FunctionCode => {
                return Err(cx.error(format_args!("unsupported use of vmctx field {field:?}")));
            }
        };
        cx.op(op);
        return Ok(());
    }
    if let Some(global) = global_cell(cx, address) {
        cx.op(Op::GlobalGet { dst, global });
        return Ok(());
    }
    let size = match opcode {
        Opcode::Uload8 | Opcode::Sload8 => 1,
        Opcode::Uload16 | Opcode::Sload16 => 2,
        Opcode::Uload32 | Opcode::Sload32 => 4,
        _ => ty.bytes(),
    };
    let indexed = matches!(
        (opcode, ty.bytes()),
        (Opcode::Load, 4 | 8) | (Opcode::Uload8 | Opcode::Uload32, _)
    );
    let (addr, offset) = match heap_access(cx, address, offset, size, indexed)? {
        HeapAddress::Plain { addr, offset } => (addr, offset),
        HeapAddress::Indexed {
            base,
            index,
            offset,
        } => {
            cx.op(match (opcode, ty.bytes()) {
                (Opcode::Uload8, _) => Op::Load8UIndexed {
                    dst,
                    base,
                    index,
                    offset,
                },
                (Opcode::Load, 8) => Op::Load64Indexed {
                    dst,
                    base,
                    index,
                    offset,
                },
                _ => Op::Load32UIndexed {
                    dst,
                    base,
                    index,
                    offset,
                },
            });
            return Ok(());
        }
    };
    let op = match (opcode, ty.bytes()) {
        (Opcode::Load, 4) | (Opcode::Uload32, _) => Op::Load32U { dst, addr, offset },
        (Opcode::Load, 8) => Op::Load64 { dst, addr, offset },
        // An 8- or 16-bit value's high bits are not observed.
        (Opcode::Load, 1) => Op::Load8U { dst, addr, offset },
        (Opcode::Load, 2) => Op::Load16U { dst, addr, offset },
        (Opcode::Uload8, _) => Op::Load8U { dst, addr, offset },
        (Opcode::Sload8, _) => Op::Load8S { dst, addr, offset },
        (Opcode::Uload16, _) => Op::Load16U { dst, addr, offset },
        (Opcode::Sload16, _) => Op::Load16S { dst, addr, offset },
        (Opcode::Sload32, _) => Op::Load32S { dst, addr, offset },
        _ => return Err(cx.error(format_args!("unsupported {opcode} of {ty}"))),
    };
    cx.op(op);
    Ok(())
}

/// `store value, address+offset` (truncating as `opcode` says): a global
/// or linear memory.
pub(crate) fn store(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    value: Value,
    address: Value,
    offset: i64,
) -> Result<(), CompileError> {
    if cx.value_type(value).is_vector() {
        return store_vector(cx, opcode, value, address, offset);
    }
    let src = cx.vreg(value);
    if let Some(global) = global_cell(cx, address) {
        cx.op(Op::GlobalSet { global, src });
        return Ok(());
    }
    let bytes = match opcode {
        Opcode::Istore8 => 1,
        Opcode::Istore16 => 2,
        Opcode::Istore32 => 4,
        _ => cx.value_type(value).bytes(),
    };
    let (addr, offset) = match heap_access(cx, address, offset, bytes, bytes != 2)? {
        HeapAddress::Plain { addr, offset } => (addr, offset),
        HeapAddress::Indexed {
            base,
            index,
            offset,
        } => {
            cx.op(match bytes {
                1 => Op::Store8Indexed {
                    base,
                    index,
                    offset,
                    src,
                },
                4 => Op::Store32Indexed {
                    base,
                    index,
                    offset,
                    src,
                },
                _ => Op::Store64Indexed {
                    base,
                    index,
                    offset,
                    src,
                },
            });
            return Ok(());
        }
    };
    cx.op(match bytes {
        1 => Op::Store8 { addr, offset, src },
        2 => Op::Store16 { addr, offset, src },
        4 => Op::Store32 { addr, offset, src },
        8 => Op::Store64 { addr, offset, src },
        _ => return Err(cx.error(format_args!("unsupported {bytes}-byte store"))),
    });
    Ok(())
}

/// `result = load address+offset` of a v128: a global or linear memory.
fn load_vector(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    ty: Type,
    result: Value,
    address: Value,
    offset: i64,
) -> Result<(), CompileError> {
    if opcode != Opcode::Load || ty.bits() != 128 {
        return Err(cx.error(format_args!("unsupported {opcode} of {ty}")));
    }
    let (dst_lo, dst_hi) = cx.vdef(result);
    if let Some(global) = global_cell(cx, address) {
        cx.op(Op::VglobalGet {
            dst_lo,
            dst_hi,
            global,
        });
        return Ok(());
    }
    let access = heap_access(cx, address, offset, 16, false)?;
    let (addr, offset) = plain(cx, access);
    cx.op(Op::Vload128 {
        dst_lo,
        dst_hi,
        addr,
        offset,
    });
    Ok(())
}

/// `store value, address+offset` of a v128: a global or linear memory.
fn store_vector(
    cx: &mut LoweringContext<'_>,
    opcode: Opcode,
    value: Value,
    address: Value,
    offset: i64,
) -> Result<(), CompileError> {
    if opcode != Opcode::Store {
        return Err(cx.error(format_args!("unsupported vector {opcode}")));
    }
    let (src_lo, src_hi) = cx.vpair(value);
    if let Some(global) = global_cell(cx, address) {
        cx.op(Op::VglobalSet {
            global,
            src_lo,
            src_hi,
        });
        return Ok(());
    }
    let access = heap_access(cx, address, offset, 16, false)?;
    let (addr, offset) = plain(cx, access);
    cx.op(Op::Vstore128 {
        addr,
        offset,
        src_lo,
        src_hi,
    });
    Ok(())
}

/// The index register and offset of an access, adding an indexed form's
/// two operands (as 32 bits, as the indexed ops do) for an op that has no
/// indexed form.
fn plain(cx: &mut LoweringContext<'_>, access: HeapAddress) -> (VReg, u32) {
    match access {
        HeapAddress::Plain { addr, offset } => (addr, offset),
        HeapAddress::Indexed {
            base,
            index,
            offset,
        } => {
            let addr = cx.fresh();
            cx.op(Op::Xadd32 {
                dst: addr,
                a: base,
                b: index,
            });
            (addr, offset)
        }
    }
}

/// Drops the conditional trap `inst` if it is a bounds check
/// (`trapnz` of `heap_out_of_bounds`) of exactly the access that follows
/// it, which checks the same bounds itself: whether it did.
pub(crate) fn elide_bounds_check(
    cx: &mut LoweringContext<'_>,
    inst: Inst,
    opcode: Opcode,
    code: ir::TrapCode,
) -> bool {
    let redundant = code == ir::TrapCode::HEAP_OUT_OF_BOUNDS
        && opcode == Opcode::Trapnz
        && bounds_check_is_redundant(cx, inst);
    if redundant {
        cx.keep_last_access();
    }
    redundant
}
