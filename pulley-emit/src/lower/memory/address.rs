//! Addresses: what a pointer in the IR points to. A vmctx field, a
//! global's cell, or a linear-memory address decomposed into the index and
//! offset of a fused op (with the general fallback for other shapes), and
//! the bounds checks such an access makes redundant.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I32;
use cranelift_codegen::ir::{Inst, InstructionData, Opcode, Value};
use pulley_isa::{GenericOp as Op, GlobalIndex};
use regalloc2::VReg;

use crate::CompileError;
use crate::lower::context::LoweringContext;
use crate::vmctx::VmctxField;

/// A wasm index value (or none: a constant index) plus a constant.
pub(crate) type IndexParts = (Option<Value>, u64);

/// Where an access goes: `addr + offset`, or the 32-bit sum
/// `base + index` (wrapping) plus `offset`.
pub(crate) enum HeapAddress {
    Plain {
        addr: VReg,
        offset: u32,
    },
    Indexed {
        base: VReg,
        index: VReg,
        offset: u32,
    },
}

/// The vmctx field `value` was loaded from, if it is such a load.
pub(crate) fn vmctx_field(cx: &LoweringContext<'_>, value: Value) -> Option<VmctxField> {
    match cx.def_inst_of(value)? {
        (
            _,
            InstructionData::Load {
                opcode: Opcode::Load,
                arg,
                offset,
                ..
            },
        ) if cx.resolve(arg) == cx.vmctx() => cx.env.layout.field_at(i64::from(offset)),
        _ => None,
    }
}

/// The global whose cell `address` points to.
pub(crate) fn global_cell(cx: &LoweringContext<'_>, address: Value) -> Option<GlobalIndex> {
    match vmctx_field(cx, address)? {
        VmctxField::GlobalPointer(global) => Some(GlobalIndex(global)),
        _ => None,
    }
}

/// Splits an index computation into a 32-bit wasm index and a constant:
/// `uextend(i)`, `i` itself (32-bit pointers), constants, and `x + c`.
/// A root is any value whose low 32 bits are the index.
pub(crate) fn index_parts(cx: &LoweringContext<'_>, value: Value) -> Option<IndexParts> {
    if let Some(constant) = cx.constant(value) {
        return u64::try_from(constant).ok().map(|c| (None, c));
    }
    // A value of at most 32 bits, directly (32-bit pointers) or behind
    // an extension the selection made an alias (of a comparison's clean
    // 0 or 1, say), is its own index.
    let resolved = cx.resolve(value);
    if cx.value_type(resolved).bits() <= 32 {
        return Some((Some(resolved), 0));
    }
    match cx.def_inst_of(value)? {
        (
            _,
            InstructionData::Unary {
                opcode: Opcode::Uextend,
                arg,
            },
        ) => {
            if cx.value_type(arg) == I32 {
                Some((Some(cx.resolve(arg)), 0))
            } else if cx.value_type(arg).bits() < 32 {
                // A narrower value (a comparison, an 8- or 16-bit
                // load) the optimizer widened in one step: the extended
                // value itself is the index, below 2^16 either way.
                Some((Some(cx.resolve(value)), 0))
            } else {
                None
            }
        }
        (
            _,
            InstructionData::Binary {
                opcode: Opcode::Iadd,
                args: [a, b],
            },
        ) => {
            let (x, c) = match (cx.constant(a), cx.constant(b)) {
                (_, Some(c)) => (a, c),
                (Some(c), _) => (b, c),
                _ => return None,
            };
            let (root, inner) = index_parts(cx, x)?;
            Some((root, inner.checked_add(u64::try_from(c).ok()?)?))
        }
        _ => None,
    }
}

/// A register holding the wasm index of `parts` (zero for constants).
fn index_register(cx: &mut LoweringContext<'_>, parts: IndexParts) -> VReg {
    match parts.0 {
        Some(root) => cx.vreg(root),
        None => {
            let zero = cx.fresh();
            cx.op(Op::Xconst8 { dst: zero, imm: 0 });
            zero
        }
    }
}

/// Decomposes a linear-memory address `base + index` at static offset
/// `offset` into an index register and a 32-bit offset, or, if
/// `indexed` (the access has an indexed form) and the index is a 32-bit
/// sum read nowhere else, into that sum's two operands. Records the
/// access for bounds-check matching. An address of another shape takes
/// the general fallback, [`plain_access`].
pub(crate) fn heap_access(
    cx: &mut LoweringContext<'_>,
    address: Value,
    offset: i64,
    size: u32,
    indexed: bool,
) -> Result<HeapAddress, CompileError> {
    let parts = if vmctx_field(cx, address) == Some(VmctxField::MemoryBase) {
        // The optimizer folded a zero index away.
        Some((None, 0))
    } else {
        index_beside_base(cx, address).and_then(|index| index_parts(cx, index))
    };
    let total = parts.and_then(|parts| {
        u64::try_from(offset)
            .ok()
            .and_then(|offset| parts.1.checked_add(offset))
    });
    let (Some(parts), Some(total)) = (parts, total) else {
        return plain_access(cx, address, offset);
    };
    cx.set_last_access(Some((parts.0, total.saturating_add(u64::from(size)))));
    let Ok(total) = u32::try_from(total) else {
        // The optimizer folded a constant index and offset into one
        // constant beyond 4 GiB, so the access always traps: access at
        // index and offset u32::MAX instead, whose end exceeds even a
        // full 4 GiB memory whatever the index.
        let index = cx.fresh();
        cx.op(Op::Xconst32 {
            dst: index,
            imm: -1,
        });
        return Ok(HeapAddress::Plain {
            addr: index,
            offset: u32::MAX,
        });
    };
    if indexed && let Some((base, index)) = parts.0.and_then(|root| fusable_sum(cx, root)) {
        return Ok(HeapAddress::Indexed {
            base: cx.vreg(base),
            index: cx.vreg(index),
            offset: total,
        });
    }
    Ok(HeapAddress::Plain {
        addr: index_register(cx, parts),
        offset: total,
    })
}

/// The other operand of `address` if it is `iadd` of memory 0's base and it.
fn index_beside_base(cx: &LoweringContext<'_>, address: Value) -> Option<Value> {
    let (_, data) = cx.def_inst_of(address)?;
    let InstructionData::Binary {
        opcode: Opcode::Iadd,
        args: [a, b],
    } = data
    else {
        return None;
    };
    if is_memory_base(cx, a) {
        Some(b)
    } else if is_memory_base(cx, b) {
        Some(a)
    } else {
        None
    }
}

fn is_memory_base(cx: &LoweringContext<'_>, value: Value) -> bool {
    vmctx_field(cx, value) == Some(VmctxField::MemoryBase)
}

/// The general fallback for an address the patterns above do not know:
/// the wasm index, `address - base`, computed into a register by
/// [`index_without_base`], and the static offset (added into the index when
/// it is negative). The op reads the low 32 bits of the index, which is
/// the whole index of any address in memory 0. The access matches no
/// bounds check, so the explicit check in front of it stays.
fn plain_access(
    cx: &mut LoweringContext<'_>,
    address: Value,
    offset: i64,
) -> Result<HeapAddress, CompileError> {
    let Some(index) = index_without_base(cx, address) else {
        return Err(unsupported_address(cx, address));
    };
    cx.set_last_access(None);
    if let Ok(offset) = u32::try_from(offset) {
        return Ok(HeapAddress::Plain {
            addr: index,
            offset,
        });
    }
    let Ok(offset) = i32::try_from(offset) else {
        return Err(unsupported_address(cx, address));
    };
    let addr = cx.fresh();
    cx.op(Op::Xadd64Imm {
        dst: addr,
        a: index,
        b: offset,
    });
    Ok(HeapAddress::Plain { addr, offset: 0 })
}

/// A register holding `value - base` when `value` is a tree of `iadd`s (and
/// `isub`s, the base on the left) with memory 0's base as one leaf: the
/// other leaves added up. `None`, having emitted nothing, when there is no
/// such leaf.
fn index_without_base(cx: &mut LoweringContext<'_>, value: Value) -> Option<VReg> {
    if is_memory_base(cx, value) {
        let zero = cx.fresh();
        cx.op(Op::Xconst8 { dst: zero, imm: 0 });
        return Some(zero);
    }
    let (opcode, a, b) = match cx.def_inst_of(value)? {
        (
            _,
            InstructionData::Binary {
                opcode: opcode @ (Opcode::Iadd | Opcode::Isub),
                args: [a, b],
            },
        ) => (opcode, a, b),
        _ => return None,
    };
    if opcode == Opcode::Iadd && is_memory_base(cx, a) {
        return Some(cx.vreg(b));
    }
    if opcode == Opcode::Iadd && is_memory_base(cx, b) {
        return Some(cx.vreg(a));
    }
    let (rest, other) = if let Some(rest) = index_without_base(cx, a) {
        (rest, b)
    } else if opcode == Opcode::Iadd
        && let Some(rest) = index_without_base(cx, b)
    {
        (rest, a)
    } else {
        return None;
    };
    let (other, dst) = (cx.vreg(other), cx.fresh());
    cx.op(if opcode == Opcode::Isub {
        Op::Xsub64 {
            dst,
            a: rest,
            b: other,
        }
    } else {
        Op::Xadd64 {
            dst,
            a: rest,
            b: other,
        }
    });
    Some(dst)
}

/// The operands of `root` if it is a 32-bit `iadd` whose only uses are
/// an access's address and bounds check (so that fusing it into the
/// access leaves it unemitted).
fn fusable_sum(cx: &LoweringContext<'_>, root: Value) -> Option<(Value, Value)> {
    match cx.def_inst_of(root)? {
        (
            _,
            InstructionData::Binary {
                opcode: Opcode::Iadd,
                args: [a, b],
            },
        ) if cx.value_type(root) == I32 && cx.use_count(root) <= 2 => Some((a, b)),
        _ => None,
    }
}

fn unsupported_address(cx: &LoweringContext<'_>, address: Value) -> CompileError {
    let definition = match cx.def_inst_of(address) {
        Some((inst, _)) => cx.func.dfg.display_inst(inst).to_string(),
        None => address.to_string(),
    };
    CompileError::Internal(format!(
        "lowering function {}: a memory access whose address has no term that is memory 0's base: {definition}",
        cx.wasm_func
    ))
}

/// Whether the bounds check `trapnz` guards exactly the access that
/// follows it.
pub(crate) fn bounds_check_is_redundant(cx: &mut LoweringContext<'_>, trapnz: Inst) -> bool {
    let Some(next_access) = cx.last_access() else {
        return false;
    };
    let condition = cx.func.dfg.inst_args(trapnz)[0];
    let Some((
        _,
        InstructionData::IntCompare {
            cond, args: [a, b], ..
        },
    )) = cx.def_inst_of(condition)
    else {
        return false;
    };
    let (end, length) = match cond {
        IntCC::UnsignedGreaterThan => (a, b),
        IntCC::UnsignedLessThan => (b, a),
        _ => return false,
    };
    if vmctx_field(cx, length) != Some(VmctxField::MemoryLength) {
        return false;
    }
    let Some(parts) = index_parts(cx, end) else {
        return false;
    };
    parts == next_access
}
