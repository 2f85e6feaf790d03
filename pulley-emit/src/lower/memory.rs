//! Memory patterns: recognizing linear-memory addresses, global cells, and
//! bounds checks made redundant by a fused access.
//!
//! The translator computes `base + index` (plus an `iadd` of the offset when
//! it does not fit the load's immediate) after an explicit
//! `trapnz (icmp ugt (index + offset + size) length)`. The interpreter's
//! memory ops check bounds themselves with the same 64-bit arithmetic and
//! the same trap, so the lowering fuses the address into the op and drops the
//! check when the very next effectful instruction is the access it guards.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I32;
use cranelift_codegen::ir::{Inst, InstructionData, Opcode, Value};
use pulley_isa::{GenericOp as Op, GlobalIndex};
use regalloc2::VReg;

use super::select::Selector;
use crate::CompileError;
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

/// An access's identity for bounds-check matching: index root and end
/// (constant part + static offset + size).
pub(crate) type AccessKey = (Option<Value>, u64);

impl Selector<'_> {
    /// The vmctx field `value` was loaded from, if it is such a load.
    pub(crate) fn vmctx_field(&self, value: Value) -> Option<VmctxField> {
        match self.def_inst_of(value)? {
            (
                _,
                InstructionData::Load {
                    opcode: Opcode::Load,
                    arg,
                    offset,
                    ..
                },
            ) if self.resolved(arg) == self.vmctx() => self.env.layout.field_at(i64::from(offset)),
            _ => None,
        }
    }

    /// The global whose cell `address` points to.
    pub(crate) fn global_cell(&self, address: Value) -> Option<GlobalIndex> {
        match self.vmctx_field(address)? {
            VmctxField::GlobalPointer(global) => Some(GlobalIndex(global)),
            _ => None,
        }
    }

    /// Splits an index computation into a 32-bit wasm index and a constant:
    /// `uextend(i)`, `i` itself (32-bit pointers), constants, and `x + c`.
    /// A root is any value whose low 32 bits are the index.
    pub(crate) fn index_parts(&self, value: Value) -> Option<IndexParts> {
        if let Some(constant) = self.constant(value) {
            return u64::try_from(constant).ok().map(|c| (None, c));
        }
        // A value of at most 32 bits, directly (32-bit pointers) or behind
        // an extension the selection made an alias (of a comparison's clean
        // 0 or 1, say), is its own index.
        let resolved = self.resolved(value);
        if self.value_type(resolved).bits() <= 32 {
            return Some((Some(resolved), 0));
        }
        match self.def_inst_of(value)? {
            (
                _,
                InstructionData::Unary {
                    opcode: Opcode::Uextend,
                    arg,
                },
            ) => {
                if self.value_type(arg) == I32 {
                    Some((Some(self.resolved(arg)), 0))
                } else if self.value_type(arg).bits() < 32 {
                    // A narrower value (a comparison, an 8- or 16-bit
                    // load) the optimizer widened in one step: the extended
                    // value itself is the index, below 2^16 either way.
                    Some((Some(self.resolved(value)), 0))
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
                let (x, c) = match (self.constant(a), self.constant(b)) {
                    (_, Some(c)) => (a, c),
                    (Some(c), _) => (b, c),
                    _ => return None,
                };
                let (root, inner) = self.index_parts(x)?;
                Some((root, inner.checked_add(u64::try_from(c).ok()?)?))
            }
            _ => None,
        }
    }

    /// A register holding the wasm index of `parts` (zero for constants).
    fn index_register(&mut self, parts: IndexParts) -> VReg {
        match parts.0 {
            Some(root) => self.vreg(root),
            None => {
                let zero = self.fresh();
                self.op(Op::Xconst8 { dst: zero, imm: 0 });
                zero
            }
        }
    }

    /// Decomposes a linear-memory address `base + index` at static offset
    /// `offset` into an index register and a 32-bit offset, or, if
    /// `indexed` (the access has an indexed form) and the index is a 32-bit
    /// sum read nowhere else, into that sum's two operands. Records the
    /// access for bounds-check matching.
    pub(crate) fn heap_access(
        &mut self,
        address: Value,
        offset: i64,
        size: u32,
        indexed: bool,
    ) -> Result<HeapAddress, CompileError> {
        let index = if self.vmctx_field(address) == Some(VmctxField::MemoryBase) {
            // The optimizer folded a zero index away.
            None
        } else {
            let (a, b) = match self.def_inst_of(address) {
                Some((
                    _,
                    InstructionData::Binary {
                        opcode: Opcode::Iadd,
                        args: [a, b],
                    },
                )) => (a, b),
                _ => return Err(self.unsupported_address(address)),
            };
            if self.vmctx_field(a) == Some(VmctxField::MemoryBase) {
                Some(b)
            } else if self.vmctx_field(b) == Some(VmctxField::MemoryBase) {
                Some(a)
            } else {
                return Err(self.unsupported_address(address));
            }
        };
        let parts = match index {
            Some(index) => self
                .index_parts(index)
                .ok_or_else(|| self.unsupported_address(address))?,
            None => (None, 0),
        };
        let total = u64::try_from(offset)
            .ok()
            .and_then(|offset| parts.1.checked_add(offset))
            .ok_or_else(|| self.unsupported_address(address))?;
        self.set_last_access(Some((parts.0, total.saturating_add(u64::from(size)))));
        let Ok(total) = u32::try_from(total) else {
            // The optimizer folded a constant index and offset into one
            // constant beyond 4 GiB, so the access always traps: access at
            // index and offset u32::MAX instead, whose end exceeds even a
            // full 4 GiB memory whatever the index.
            let index = self.fresh();
            self.op(Op::Xconst32 {
                dst: index,
                imm: -1,
            });
            return Ok(HeapAddress::Plain {
                addr: index,
                offset: u32::MAX,
            });
        };
        if indexed && let Some((base, index)) = parts.0.and_then(|root| self.fusable_sum(root)) {
            return Ok(HeapAddress::Indexed {
                base: self.vreg(base),
                index: self.vreg(index),
                offset: total,
            });
        }
        Ok(HeapAddress::Plain {
            addr: self.index_register(parts),
            offset: total,
        })
    }

    /// The operands of `root` if it is a 32-bit `iadd` whose only uses are
    /// an access's address and bounds check (so that fusing it into the
    /// access leaves it unemitted).
    fn fusable_sum(&self, root: Value) -> Option<(Value, Value)> {
        match self.def_inst_of(root)? {
            (
                _,
                InstructionData::Binary {
                    opcode: Opcode::Iadd,
                    args: [a, b],
                },
            ) if self.value_type(root) == I32 && self.use_count(root) <= 2 => Some((a, b)),
            _ => None,
        }
    }

    fn unsupported_address(&self, address: Value) -> CompileError {
        let definition = match self.def_inst_of(address) {
            Some((inst, _)) => self.func.dfg.display_inst(inst).to_string(),
            None => address.to_string(),
        };
        CompileError::Internal(format!(
            "lowering function {}: a memory access whose address is not memory 0's base plus an index: {definition}",
            self.wasm_func
        ))
    }

    /// Whether the bounds check `trapnz` (of `heap_out_of_bounds`) guards
    /// exactly the access that follows it.
    pub(crate) fn bounds_check_is_redundant(&mut self, trapnz: Inst) -> bool {
        let Some(next_access) = self.last_access() else {
            return false;
        };
        let condition = self.func.dfg.inst_args(trapnz)[0];
        let Some((
            _,
            InstructionData::IntCompare {
                cond, args: [a, b], ..
            },
        )) = self.def_inst_of(condition)
        else {
            return false;
        };
        let (end, length) = match cond {
            IntCC::UnsignedGreaterThan => (a, b),
            IntCC::UnsignedLessThan => (b, a),
            _ => return false,
        };
        if self.vmctx_field(length) != Some(VmctxField::MemoryLength) {
            return false;
        }
        let Some(parts) = self.index_parts(end) else {
            return false;
        };
        parts == next_access
    }
}
