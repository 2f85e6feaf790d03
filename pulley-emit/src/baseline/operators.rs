//! The baseline tier's operators: each wasm operator becomes the ops that
//! do its work on the slots of [`Baseline`]'s operand stack.
//!
//! In unreachable code, only the operators that open or close frames are
//! looked at (they keep the control stack balanced). Each operator that can
//! execute counts one unit of fuel, as in the optimizing translator.

use pulley_isa::{
    BuiltinIndex, FuncIndex, FuncRefIndex, GlobalIndex, ImportIndex, OwnedOp, PcRel, Slot,
    TableIndex, TrapCode, TypeIndex,
};
use pulley_module::{Builtin, ValType};
use wasmparser::{BrTable, MemArg, Operator};

use super::{Baseline, Entry, FrameKind, Label, Operand, Refusal, Result};

/// An op of three slots (`dst`, `a`, `b`).
type Binary = fn(Slot, Slot, Slot) -> OwnedOp;
/// An op of a destination, a slot and a 32-bit immediate.
type BinaryImm = fn(Slot, Slot, i32) -> OwnedOp;
/// An op of a destination and a slot.
type Unary = fn(Slot, Slot) -> OwnedOp;

/// `OwnedOp::$name { dst, a, b }` as a [`Binary`].
macro_rules! binary {
    ($name:ident) => {
        |dst, a, b| OwnedOp::$name { dst, a, b }
    };
}

/// `OwnedOp::$name { dst, a: b, b: a }` (operands swapped: `a > b` is
/// `b < a`) as a [`Binary`].
macro_rules! swapped {
    ($name:ident) => {
        |dst, a, b| OwnedOp::$name { dst, a: b, b: a }
    };
}

/// `OwnedOp::$name { dst, src }` as a [`Unary`].
macro_rules! unary {
    ($name:ident) => {
        |dst, src| OwnedOp::$name { dst, src }
    };
}

/// `OwnedOp::$name { dst, a, b: imm }` with a `U8` shift amount masked to
/// `$mask`, as a [`BinaryImm`].
macro_rules! shift_imm {
    ($name:ident, $mask:expr) => {
        |dst, a, b| OwnedOp::$name {
            dst,
            a,
            b: (b & $mask) as u8,
        }
    };
}

/// Whether an immediate form applies: 32-bit ops take any constant's low
/// bits, 64-bit ops a constant that their sign-extended `I32` can express.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Width {
    W32,
    W64,
}

impl Width {
    fn immediate(self, value: i64) -> Option<i32> {
        match self {
            Width::W32 => Some(value as i32),
            Width::W64 => i32::try_from(value).ok(),
        }
    }
}

impl Baseline<'_> {
    /// Translates one operator.
    pub(super) fn operator(&mut self, op: Operator<'_>) -> Result<()> {
        if !self.reachable {
            return self.unreachable_operator(op);
        }
        self.pending_fuel += 1;
        use Operator as O;
        use Width::{W32, W64};
        match op {
            // Control.
            O::Nop => Ok(()),
            O::Unreachable => {
                self.charge_fuel()?;
                self.emit(OwnedOp::Trap {
                    code: TrapCode::Unreachable,
                })?;
                self.reachable = false;
                Ok(())
            }
            O::Block { blockty } => {
                let label = self.new_label();
                self.open(FrameKind::Block, blockty, label)
            }
            O::Loop { blockty } => {
                self.charge_fuel()?;
                let label = self.new_label();
                self.open(FrameKind::Loop, blockty, label)?;
                self.bind(label);
                self.count_hot_loop()
            }
            O::If { blockty } => {
                self.charge_fuel()?;
                let cond = self.pop()?;
                let else_label = self.new_label();
                let label = self.new_label();
                self.open(FrameKind::If { else_label }, blockty, label)?;
                self.branch_on(cond, false, else_label)
            }
            O::Else => self.else_(),
            O::End => self.end(),
            O::Br { relative_depth } => {
                self.charge_fuel()?;
                self.branch(relative_depth)?;
                self.reachable = false;
                Ok(())
            }
            O::BrIf { relative_depth } => {
                self.charge_fuel()?;
                self.br_if(relative_depth)
            }
            O::BrTable { targets } => {
                self.charge_fuel()?;
                self.br_table(&targets)
            }
            O::Return => {
                self.charge_fuel()?;
                self.return_()
            }
            O::Call { function_index } => {
                self.charge_fuel()?;
                self.call(function_index, false)
            }
            O::ReturnCall { function_index } => {
                self.charge_fuel()?;
                self.call(function_index, true)
            }
            O::CallIndirect {
                type_index,
                table_index,
            } => {
                self.charge_fuel()?;
                self.call_indirect(type_index, table_index, false)
            }
            O::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                self.charge_fuel()?;
                self.call_indirect(type_index, table_index, true)
            }
            O::Drop => self.pop().map(drop),
            O::Select | O::TypedSelect { .. } => self.select(),

            // Variables.
            O::LocalGet { local_index } => {
                let (local, wide) = self.local(local_index)?;
                self.push(Operand::Local(local), wide)?;
                Ok(())
            }
            O::LocalSet { local_index } => {
                let (local, _) = self.local(local_index)?;
                let value = self.pop()?;
                self.set_local(local, value)
            }
            O::LocalTee { local_index } => {
                let (local, wide) = self.local(local_index)?;
                let value = self.pop()?;
                self.set_local(local, value)?;
                self.push(Operand::Local(local), wide)?;
                Ok(())
            }
            O::GlobalGet { global_index } => {
                let global = GlobalIndex(global_index);
                if self.global_is_vector(global_index)? {
                    let (dst_lo, dst_hi) = self.push_vector()?;
                    self.emit(OwnedOp::VglobalGet {
                        dst_lo,
                        dst_hi,
                        global,
                    })?;
                } else {
                    let dst = self.push_home()?;
                    self.emit(OwnedOp::GlobalGet { dst, global })?;
                }
                Ok(())
            }
            O::GlobalSet { global_index } => {
                let global = GlobalIndex(global_index);
                if self.global_is_vector(global_index)? {
                    let (src_lo, src_hi) = self.pop_vector()?;
                    self.emit(OwnedOp::VglobalSet {
                        global,
                        src_lo,
                        src_hi,
                    })?;
                } else {
                    let src = self.pop_slot()?;
                    self.emit(OwnedOp::GlobalSet { global, src })?;
                }
                Ok(())
            }

            // Constants.
            O::I32Const { value } => self.constant(i64::from(value)),
            O::I64Const { value } => self.constant(value),
            O::F32Const { value } => self.constant(i64::from(value.bits() as i32)),
            O::F64Const { value } => self.constant(value.bits() as i64),

            // Memory.
            O::I32Load { memarg } | O::F32Load { memarg } | O::I64Load32U { memarg } => {
                self.load(memarg, |dst, addr, offset| OwnedOp::Load32U {
                    dst,
                    addr,
                    offset,
                })
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                self.load(memarg, |dst, addr, offset| OwnedOp::Load64 {
                    dst,
                    addr,
                    offset,
                })
            }
            O::I32Load8S { memarg } | O::I64Load8S { memarg } => {
                self.load(memarg, |dst, addr, offset| OwnedOp::Load8S {
                    dst,
                    addr,
                    offset,
                })
            }
            O::I32Load8U { memarg } | O::I64Load8U { memarg } => {
                self.load(memarg, |dst, addr, offset| OwnedOp::Load8U {
                    dst,
                    addr,
                    offset,
                })
            }
            O::I32Load16S { memarg } | O::I64Load16S { memarg } => {
                self.load(memarg, |dst, addr, offset| OwnedOp::Load16S {
                    dst,
                    addr,
                    offset,
                })
            }
            O::I32Load16U { memarg } | O::I64Load16U { memarg } => {
                self.load(memarg, |dst, addr, offset| OwnedOp::Load16U {
                    dst,
                    addr,
                    offset,
                })
            }
            O::I64Load32S { memarg } => self.load(memarg, |dst, addr, offset| OwnedOp::Load32S {
                dst,
                addr,
                offset,
            }),
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => self
                .store(memarg, |addr, offset, src| OwnedOp::Store32 {
                    addr,
                    offset,
                    src,
                }),
            O::I64Store { memarg } | O::F64Store { memarg } => {
                self.store(memarg, |addr, offset, src| OwnedOp::Store64 {
                    addr,
                    offset,
                    src,
                })
            }
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                self.store(memarg, |addr, offset, src| OwnedOp::Store8 {
                    addr,
                    offset,
                    src,
                })
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                self.store(memarg, |addr, offset, src| OwnedOp::Store16 {
                    addr,
                    offset,
                    src,
                })
            }
            O::MemorySize { mem } => {
                self.memory_zero(mem)?;
                let dst = self.push_home()?;
                self.emit(OwnedOp::MemoryLen { dst })?;
                self.emit(OwnedOp::Xshr64UImm { dst, a: dst, b: 16 })?;
                Ok(())
            }
            O::MemoryGrow { mem } => {
                self.memory_zero(mem)?;
                self.builtin(Builtin::MemoryGrow, &[mem], 1)
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                self.memory_zero(dst_mem)?;
                self.memory_zero(src_mem)?;
                let [dst_addr, src_addr, len] = self.pop3()?;
                self.emit(OwnedOp::MemoryCopy {
                    dst_addr,
                    src_addr,
                    len,
                })?;
                Ok(())
            }
            O::MemoryFill { mem } => {
                self.memory_zero(mem)?;
                let [addr, value, len] = self.pop3()?;
                self.emit(OwnedOp::MemoryFill { addr, value, len })?;
                Ok(())
            }
            O::MemoryInit { data_index, mem } => {
                self.memory_zero(mem)?;
                self.builtin(Builtin::MemoryInit, &[mem, data_index], 3)
            }
            O::DataDrop { data_index } => self.builtin(Builtin::DataDrop, &[data_index], 0),

            // Tables and references.
            O::TableGet { table } => {
                let index = self.pop_slot()?;
                let dst = self.push_home()?;
                self.emit(OwnedOp::TableGet {
                    dst,
                    table: TableIndex(table),
                    index,
                })?;
                Ok(())
            }
            O::TableSet { table } => {
                let value = self.pop_slot()?;
                let index = self.pop_slot()?;
                self.emit(OwnedOp::TableSet {
                    table: TableIndex(table),
                    index,
                    value,
                })?;
                Ok(())
            }
            O::TableSize { table } => {
                let dst = self.push_home()?;
                self.emit(OwnedOp::TableSize {
                    dst,
                    table: TableIndex(table),
                })?;
                Ok(())
            }
            O::TableGrow { table } => {
                let builtin = if self.holds_funcrefs(table)? {
                    Builtin::TableGrowFunc
                } else {
                    Builtin::TableGrowExtern
                };
                self.builtin(builtin, &[table], 2)
            }
            O::TableFill { table } => {
                let builtin = if self.holds_funcrefs(table)? {
                    Builtin::TableFillFunc
                } else {
                    Builtin::TableFillExtern
                };
                self.builtin(builtin, &[table], 3)
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => self.builtin(Builtin::TableCopy, &[dst_table, src_table], 3),
            O::TableInit { elem_index, table } => {
                self.builtin(Builtin::TableInit, &[table, elem_index], 3)
            }
            O::ElemDrop { elem_index } => self.builtin(Builtin::ElemDrop, &[elem_index], 0),
            O::RefNull { .. } => self.constant(0),
            O::RefIsNull => self.binary_const(|dst, a, b| OwnedOp::Xeq64Imm { dst, a, b }, 0),
            O::RefFunc { function_index } => {
                let dst = self.push_home()?;
                self.emit(OwnedOp::RefFunc {
                    dst,
                    func: FuncRefIndex(function_index),
                })?;
                Ok(())
            }

            // i32.
            O::I32Eqz => self.binary_const(|dst, a, b| OwnedOp::Xeq32Imm { dst, a, b }, 0),
            O::I32Eq => self.binary_imm(
                binary!(Xeq32),
                |dst, a, b| OwnedOp::Xeq32Imm { dst, a, b },
                W32,
            ),
            O::I32Ne => self.binary_imm(
                binary!(Xne32),
                |dst, a, b| OwnedOp::Xne32Imm { dst, a, b },
                W32,
            ),
            O::I32LtS => self.binary_imm(
                binary!(Xslt32),
                |dst, a, b| OwnedOp::Xslt32Imm { dst, a, b },
                W32,
            ),
            O::I32LtU => self.binary_imm(
                binary!(Xult32),
                |dst, a, b| OwnedOp::Xult32Imm { dst, a, b },
                W32,
            ),
            O::I32LeS => self.binary_imm(
                binary!(Xsle32),
                |dst, a, b| OwnedOp::Xsle32Imm { dst, a, b },
                W32,
            ),
            O::I32LeU => self.binary_imm(
                binary!(Xule32),
                |dst, a, b| OwnedOp::Xule32Imm { dst, a, b },
                W32,
            ),
            O::I32GtS => self.binary_imm(
                swapped!(Xslt32),
                |dst, a, b| OwnedOp::Xsgt32Imm { dst, a, b },
                W32,
            ),
            O::I32GtU => self.binary_imm(
                swapped!(Xult32),
                |dst, a, b| OwnedOp::Xugt32Imm { dst, a, b },
                W32,
            ),
            O::I32GeS => self.binary_imm(
                swapped!(Xsle32),
                |dst, a, b| OwnedOp::Xsge32Imm { dst, a, b },
                W32,
            ),
            O::I32GeU => self.binary_imm(
                swapped!(Xule32),
                |dst, a, b| OwnedOp::Xuge32Imm { dst, a, b },
                W32,
            ),
            O::I32Clz => self.unary(unary!(Xclz32)),
            O::I32Ctz => self.unary(unary!(Xctz32)),
            O::I32Popcnt => self.unary(unary!(Xpopcnt32)),
            O::I32Add => self.binary_imm(
                binary!(Xadd32),
                |dst, a, b| OwnedOp::Xadd32Imm { dst, a, b },
                W32,
            ),
            O::I32Sub => self.subtract(
                binary!(Xsub32),
                |dst, a, b| OwnedOp::Xadd32Imm { dst, a, b },
                W32,
            ),
            O::I32Mul => self.binary_imm(
                binary!(Xmul32),
                |dst, a, b| OwnedOp::Xmul32Imm { dst, a, b },
                W32,
            ),
            O::I32DivS => self.binary(binary!(Xdiv32S)),
            O::I32DivU => self.binary(binary!(Xdiv32U)),
            O::I32RemS => self.binary(binary!(Xrem32S)),
            O::I32RemU => self.binary(binary!(Xrem32U)),
            O::I32And => self.binary_imm(
                binary!(Xband32),
                |dst, a, b| OwnedOp::Xband32Imm { dst, a, b },
                W32,
            ),
            O::I32Or => self.binary_imm(
                binary!(Xbor32),
                |dst, a, b| OwnedOp::Xbor32Imm { dst, a, b },
                W32,
            ),
            O::I32Xor => self.binary_imm(
                binary!(Xbxor32),
                |dst, a, b| OwnedOp::Xbxor32Imm { dst, a, b },
                W32,
            ),
            O::I32Shl => self.binary_imm(binary!(Xshl32), shift_imm!(Xshl32Imm, 31), W32),
            O::I32ShrS => self.binary_imm(binary!(Xshr32S), shift_imm!(Xshr32SImm, 31), W32),
            O::I32ShrU => self.binary_imm(binary!(Xshr32U), shift_imm!(Xshr32UImm, 31), W32),
            O::I32Rotl => self.binary(binary!(Xrotl32)),
            O::I32Rotr => self.binary(binary!(Xrotr32)),

            // i64.
            O::I64Eqz => self.binary_const(|dst, a, b| OwnedOp::Xeq64Imm { dst, a, b }, 0),
            O::I64Eq => self.binary_imm(
                binary!(Xeq64),
                |dst, a, b| OwnedOp::Xeq64Imm { dst, a, b },
                W64,
            ),
            O::I64Ne => self.binary_imm(
                binary!(Xne64),
                |dst, a, b| OwnedOp::Xne64Imm { dst, a, b },
                W64,
            ),
            O::I64LtS => self.binary_imm(
                binary!(Xslt64),
                |dst, a, b| OwnedOp::Xslt64Imm { dst, a, b },
                W64,
            ),
            O::I64LtU => self.binary_imm(
                binary!(Xult64),
                |dst, a, b| OwnedOp::Xult64Imm { dst, a, b },
                W64,
            ),
            O::I64LeS => self.binary_imm(
                binary!(Xsle64),
                |dst, a, b| OwnedOp::Xsle64Imm { dst, a, b },
                W64,
            ),
            O::I64LeU => self.binary_imm(
                binary!(Xule64),
                |dst, a, b| OwnedOp::Xule64Imm { dst, a, b },
                W64,
            ),
            O::I64GtS => self.binary_imm(
                swapped!(Xslt64),
                |dst, a, b| OwnedOp::Xsgt64Imm { dst, a, b },
                W64,
            ),
            O::I64GtU => self.binary_imm(
                swapped!(Xult64),
                |dst, a, b| OwnedOp::Xugt64Imm { dst, a, b },
                W64,
            ),
            O::I64GeS => self.binary_imm(
                swapped!(Xsle64),
                |dst, a, b| OwnedOp::Xsge64Imm { dst, a, b },
                W64,
            ),
            O::I64GeU => self.binary_imm(
                swapped!(Xule64),
                |dst, a, b| OwnedOp::Xuge64Imm { dst, a, b },
                W64,
            ),
            O::I64Clz => self.unary(unary!(Xclz64)),
            O::I64Ctz => self.unary(unary!(Xctz64)),
            O::I64Popcnt => self.unary(unary!(Xpopcnt64)),
            O::I64Add => self.binary_imm(
                binary!(Xadd64),
                |dst, a, b| OwnedOp::Xadd64Imm { dst, a, b },
                W64,
            ),
            O::I64Sub => self.subtract(
                binary!(Xsub64),
                |dst, a, b| OwnedOp::Xadd64Imm { dst, a, b },
                W64,
            ),
            O::I64Mul => self.binary_imm(
                binary!(Xmul64),
                |dst, a, b| OwnedOp::Xmul64Imm { dst, a, b },
                W64,
            ),
            O::I64DivS => self.binary(binary!(Xdiv64S)),
            O::I64DivU => self.binary(binary!(Xdiv64U)),
            O::I64RemS => self.binary(binary!(Xrem64S)),
            O::I64RemU => self.binary(binary!(Xrem64U)),
            O::I64And => self.binary_imm(
                binary!(Xband64),
                |dst, a, b| OwnedOp::Xband64Imm { dst, a, b },
                W64,
            ),
            O::I64Or => self.binary_imm(
                binary!(Xbor64),
                |dst, a, b| OwnedOp::Xbor64Imm { dst, a, b },
                W64,
            ),
            O::I64Xor => self.binary_imm(
                binary!(Xbxor64),
                |dst, a, b| OwnedOp::Xbxor64Imm { dst, a, b },
                W64,
            ),
            O::I64Shl => self.binary_imm(binary!(Xshl64), shift_imm!(Xshl64Imm, 63), W32),
            O::I64ShrS => self.binary_imm(binary!(Xshr64S), shift_imm!(Xshr64SImm, 63), W32),
            O::I64ShrU => self.binary_imm(binary!(Xshr64U), shift_imm!(Xshr64UImm, 63), W32),
            O::I64Rotl => self.binary(binary!(Xrotl64)),
            O::I64Rotr => self.binary(binary!(Xrotr64)),

            // f32 and f64.
            O::F32Eq => self.binary(binary!(Feq32)),
            O::F32Ne => self.binary(binary!(Fne32)),
            O::F32Lt => self.binary(binary!(Flt32)),
            O::F32Gt => self.binary(swapped!(Flt32)),
            O::F32Le => self.binary(binary!(Fle32)),
            O::F32Ge => self.binary(swapped!(Fle32)),
            O::F64Eq => self.binary(binary!(Feq64)),
            O::F64Ne => self.binary(binary!(Fne64)),
            O::F64Lt => self.binary(binary!(Flt64)),
            O::F64Gt => self.binary(swapped!(Flt64)),
            O::F64Le => self.binary(binary!(Fle64)),
            O::F64Ge => self.binary(swapped!(Fle64)),
            O::F32Abs => self.unary(unary!(Fabs32)),
            O::F32Neg => self.unary(unary!(Fneg32)),
            O::F32Ceil => self.unary(unary!(Fceil32)),
            O::F32Floor => self.unary(unary!(Ffloor32)),
            O::F32Trunc => self.unary(unary!(Ftrunc32)),
            O::F32Nearest => self.unary(unary!(Fnearest32)),
            O::F32Sqrt => self.unary(unary!(Fsqrt32)),
            O::F32Add => self.binary(binary!(Fadd32)),
            O::F32Sub => self.binary(binary!(Fsub32)),
            O::F32Mul => self.binary(binary!(Fmul32)),
            O::F32Div => self.binary(binary!(Fdiv32)),
            O::F32Min => self.binary(binary!(Fmin32)),
            O::F32Max => self.binary(binary!(Fmax32)),
            O::F32Copysign => self.binary(binary!(Fcopysign32)),
            O::F64Abs => self.unary(unary!(Fabs64)),
            O::F64Neg => self.unary(unary!(Fneg64)),
            O::F64Ceil => self.unary(unary!(Fceil64)),
            O::F64Floor => self.unary(unary!(Ffloor64)),
            O::F64Trunc => self.unary(unary!(Ftrunc64)),
            O::F64Nearest => self.unary(unary!(Fnearest64)),
            O::F64Sqrt => self.unary(unary!(Fsqrt64)),
            O::F64Add => self.binary(binary!(Fadd64)),
            O::F64Sub => self.binary(binary!(Fsub64)),
            O::F64Mul => self.binary(binary!(Fmul64)),
            O::F64Div => self.binary(binary!(Fdiv64)),
            O::F64Min => self.binary(binary!(Fmin64)),
            O::F64Max => self.binary(binary!(Fmax64)),
            O::F64Copysign => self.binary(binary!(Fcopysign64)),

            // Conversions. A 32-bit value's high bits are never observed, so
            // wrapping and reinterpreting move nothing.
            O::I32WrapI64
            | O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64 => Ok(()),
            O::I32TruncF32S => self.unary(unary!(X32FromF32S)),
            O::I32TruncF32U => self.unary(unary!(X32FromF32U)),
            O::I32TruncF64S => self.unary(unary!(X32FromF64S)),
            O::I32TruncF64U => self.unary(unary!(X32FromF64U)),
            O::I64ExtendI32S => self.unary(unary!(Xsext32)),
            O::I64ExtendI32U => self.unary(unary!(Xzext32)),
            O::I64TruncF32S => self.unary(unary!(X64FromF32S)),
            O::I64TruncF32U => self.unary(unary!(X64FromF32U)),
            O::I64TruncF64S => self.unary(unary!(X64FromF64S)),
            O::I64TruncF64U => self.unary(unary!(X64FromF64U)),
            O::F32ConvertI32S => self.unary(unary!(F32FromX32S)),
            O::F32ConvertI32U => self.unary(unary!(F32FromX32U)),
            O::F32ConvertI64S => self.unary(unary!(F32FromX64S)),
            O::F32ConvertI64U => self.unary(unary!(F32FromX64U)),
            O::F32DemoteF64 => self.unary(unary!(F32FromF64)),
            O::F64ConvertI32S => self.unary(unary!(F64FromX32S)),
            O::F64ConvertI32U => self.unary(unary!(F64FromX32U)),
            O::F64ConvertI64S => self.unary(unary!(F64FromX64S)),
            O::F64ConvertI64U => self.unary(unary!(F64FromX64U)),
            O::F64PromoteF32 => self.unary(unary!(F64FromF32)),
            O::I32Extend8S | O::I64Extend8S => self.unary(unary!(Xsext8)),
            O::I32Extend16S | O::I64Extend16S => self.unary(unary!(Xsext16)),
            O::I64Extend32S => self.unary(unary!(Xsext32)),
            O::I32TruncSatF32S => self.unary(unary!(X32FromF32SSat)),
            O::I32TruncSatF32U => self.unary(unary!(X32FromF32USat)),
            O::I32TruncSatF64S => self.unary(unary!(X32FromF64SSat)),
            O::I32TruncSatF64U => self.unary(unary!(X32FromF64USat)),
            O::I64TruncSatF32S => self.unary(unary!(X64FromF32SSat)),
            O::I64TruncSatF32U => self.unary(unary!(X64FromF32USat)),
            O::I64TruncSatF64S => self.unary(unary!(X64FromF64SSat)),
            O::I64TruncSatF64U => self.unary(unary!(X64FromF64USat)),

            other => self.simd_operator(other),
        }
    }

    /// An operator in unreachable code: frames are opened and closed, the
    /// rest skipped.
    fn unreachable_operator(&mut self, op: Operator<'_>) -> Result<()> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.open_dead();
                Ok(())
            }
            Operator::Else => self.else_(),
            Operator::End => self.end(),
            _ => Ok(()),
        }
    }

    // --- Control ------------------------------------------------------------

    fn else_(&mut self) -> Result<()> {
        let frame = self
            .control
            .last_mut()
            .ok_or(Refusal("an else outside an if"))?;
        let FrameKind::If { else_label } = frame.kind else {
            // The `else` of an `if` opened in unreachable code.
            return Ok(());
        };
        frame.kind = FrameKind::Else;
        let (label, base) = (frame.label, frame.base);
        let (params, results) = (frame.params.clone(), frame.results.len());
        if self.reachable {
            self.materialize_from(base)?;
            if self.stack.len() != base + results {
                return Err(Refusal("an if whose results do not match"));
            }
            self.control.last_mut().expect("the frame above").branched = true;
            self.jump(label)?;
        }
        self.bind(else_label);
        self.stack.truncate(base);
        self.push_results(&params)?;
        self.reachable = true;
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        let frame = self
            .control
            .pop()
            .ok_or(Refusal("an end outside every frame"))?;
        if frame.kind == FrameKind::Dead {
            return Ok(());
        }
        if frame.kind == FrameKind::Function && self.reachable && !frame.branched {
            // Nothing jumps to the end: return the values where they are.
            self.charge_fuel()?;
            let values = self.pop_slots(frame.results.len())?;
            self.emit(OwnedOp::Ret { values })?;
            self.reachable = false;
            return Ok(());
        }
        if self.reachable {
            self.materialize_from(frame.base)?;
            if self.stack.len() != frame.base + frame.results.len() {
                return Err(Refusal("a block whose results do not match"));
            }
        }
        let reached = match frame.kind {
            FrameKind::If { else_label } => {
                // No `else`: the false condition falls through with the
                // parameters, which are the results, in place.
                self.bind(else_label);
                true
            }
            FrameKind::Loop => self.reachable,
            _ => self.reachable || frame.branched,
        };
        if frame.kind != FrameKind::Loop {
            self.bind(frame.label);
        }
        self.stack.truncate(frame.base);
        self.push_results(&frame.results)?;
        self.reachable = reached;
        if frame.kind == FrameKind::Function && reached {
            self.charge_fuel()?;
            let values = (frame.base_slot..self.stack_end())
                .map(|slot| Slot(slot as u16))
                .collect();
            self.emit(OwnedOp::Ret { values })?;
        }
        Ok(())
    }

    fn br_if(&mut self, depth: u32) -> Result<()> {
        let cond = self.pop()?;
        let (label, arity, base) = self.branch_target(depth)?;
        if !self.branch_moves(arity, base) {
            return self.branch_on(cond, true, label);
        }
        let skip = self.new_label();
        self.branch_on(cond, false, skip)?;
        self.move_branch_values(arity, base)?;
        self.jump(label)?;
        self.bind(skip);
        Ok(())
    }

    /// Branches to `label` when the condition `cond` (just popped) is
    /// nonzero, or, unless `when`, when it is zero: with the comparison
    /// that computed it turned into the branch where it can be (`fusion`).
    fn branch_on(&mut self, cond: Entry, when: bool, label: Label) -> Result<()> {
        if cond.operand == Operand::Home
            && !cond.wide
            && let Some(branch) = self.fuse_compare(Slot(cond.home), !when)
        {
            return self.emit_branch(branch, label);
        }
        let cond = self.slot_of(cond)?;
        let target = PcRel(0);
        let branch = if when {
            OwnedOp::BrIf32 { cond, target }
        } else {
            OwnedOp::BrIfNot32 { cond, target }
        };
        self.emit_branch(branch, label)
    }

    fn br_table(&mut self, table: &BrTable<'_>) -> Result<()> {
        let index = self.pop_slot()?;
        let mut depths = table
            .targets()
            .collect::<core::result::Result<Vec<u32>, _>>()?;
        depths.push(table.default());
        // Each target is its frame's label, or a stub that moves the
        // operands there first.
        let mut labels = Vec::with_capacity(depths.len());
        let mut stubs = Vec::new();
        for &depth in &depths {
            let (label, arity, base) = self.branch_target(depth)?;
            if self.branch_moves(arity, base) {
                let stub = self.new_label();
                stubs.push((stub, depth));
                labels.push(stub);
            } else {
                labels.push(label);
            }
        }
        let op_start = self.emit(OwnedOp::BrTable {
            index,
            targets: vec![PcRel(0); labels.len()],
        })?;
        // The table's targets are its last 4 bytes each.
        let first = self.out.len() - 4 * labels.len();
        for (i, label) in labels.into_iter().enumerate() {
            self.fixups.push(super::Fixup {
                label,
                op_start,
                at: first + 4 * i,
            });
        }
        for (stub, depth) in stubs {
            self.bind(stub);
            self.branch(depth)?;
        }
        self.reachable = false;
        Ok(())
    }

    fn return_(&mut self) -> Result<()> {
        let results = self.control[0].results.len();
        let values = self.pop_slots(results)?;
        self.emit(OwnedOp::Ret { values })?;
        self.reachable = false;
        Ok(())
    }

    fn call(&mut self, func: u32, tail: bool) -> Result<()> {
        let ty = *self
            .env
            .info
            .functions
            .get(func as usize)
            .ok_or(Refusal("a call of no function"))?;
        let (params, results) = self.type_widths(ty)?;
        let args = self.pop_slots(params.len())?;
        let imported = self.env.info.imported_functions;
        if let Some(defined) = func.checked_sub(imported) {
            if tail {
                self.emit(OwnedOp::ReturnCall {
                    func: FuncIndex(defined),
                    args,
                })?;
                self.reachable = false;
                return Ok(());
            }
            let result_slots = self.result_slots(&results)?;
            self.emit(OwnedOp::Call {
                func: FuncIndex(defined),
                args,
                results: result_slots,
            })?;
        } else {
            // An import's frame is the embedder's: a tail call of it is a
            // call and a return.
            let result_slots = self.result_slots(&results)?;
            self.emit(OwnedOp::CallImport {
                import: ImportIndex(func),
                args,
                results: result_slots.clone(),
            })?;
            if tail {
                self.emit(OwnedOp::Ret {
                    values: result_slots,
                })?;
                self.reachable = false;
                return Ok(());
            }
        }
        self.push_results(&results)
    }

    fn call_indirect(&mut self, ty: u32, table: u32, tail: bool) -> Result<()> {
        let (params, results) = self.type_widths(ty)?;
        let index = self.pop_slot()?;
        // The element goes above the arguments. `table_get` checks the
        // bounds; `call_ref` a null reference and the signature.
        let callee = self.scratch(0)?;
        self.emit(OwnedOp::TableGet {
            dst: callee,
            table: TableIndex(table),
            index,
        })?;
        let args = self.pop_slots(params.len())?;
        if tail {
            self.emit(OwnedOp::ReturnCallRef {
                callee,
                ty: TypeIndex(ty),
                args,
            })?;
            self.reachable = false;
            return Ok(());
        }
        let result_slots = self.result_slots(&results)?;
        self.emit(OwnedOp::CallRef {
            callee,
            ty: TypeIndex(ty),
            args,
            results: result_slots,
        })?;
        self.push_results(&results)
    }

    /// `select` (of two `v128`s too, typed or not): each slot chosen by the
    /// condition.
    fn select(&mut self) -> Result<()> {
        let cond = self.pop_slot()?;
        let if_false = self.pop()?;
        let wide = if_false.wide;
        let if_false = self.slot_of(if_false)?;
        let if_true = self.pop()?;
        let if_true = self.slot_of(if_true)?;
        let dst = self.push(Operand::Home, wide)?;
        for half in 0..1 + u16::from(wide) {
            self.emit(OwnedOp::Xselect32 {
                dst: Slot(dst.0 + half),
                cond,
                if_true: Slot(if_true.0 + half),
                if_false: Slot(if_false.0 + half),
            })?;
        }
        Ok(())
    }

    // --- Variables and constants --------------------------------------------

    /// The first slot of local `index`, and whether it is a `v128`.
    fn local(&self, index: u32) -> Result<(u16, bool)> {
        self.locals
            .get(index as usize)
            .copied()
            .ok_or(Refusal("a local out of range"))
    }

    /// Writes `value` to local `local` (its first slot), first copying the
    /// operands that still read the local.
    fn set_local(&mut self, local: u16, value: Entry) -> Result<()> {
        self.preserve_local(local)?;
        // The op that just computed a scalar writes it to the local instead
        // (its home is dead once popped).
        if value.operand == Operand::Home
            && !value.wide
            && self.retarget_last(Slot(value.home), Slot(local))
        {
            return Ok(());
        }
        self.copy_to(Slot(local), value)
    }

    /// Whether global `global` is a `v128`.
    fn global_is_vector(&self, global: u32) -> Result<bool> {
        match self.env.info.globals.get(global as usize) {
            Some(ty) => Ok(ty.ty == ValType::V128),
            None => Err(Refusal("a global out of range")),
        }
    }

    fn constant(&mut self, value: i64) -> Result<()> {
        self.push(Operand::Const(value), false)?;
        Ok(())
    }

    // --- Memory and tables --------------------------------------------------

    fn memory_zero(&self, memory: u32) -> Result<()> {
        if memory == 0 {
            Ok(())
        } else {
            Err(Refusal("a memory other than memory 0"))
        }
    }

    /// The static offset of `memarg`, for memory 0.
    pub(super) fn memarg(&self, memarg: MemArg) -> Result<u32> {
        if memarg.target != wasmparser::MemArgTarget::Memory(0) {
            return Err(Refusal("a memory other than memory 0"));
        }
        u32::try_from(memarg.offset).map_err(|_| Refusal("a 64-bit memory offset"))
    }

    fn load(&mut self, memarg: MemArg, op: fn(Slot, Slot, u32) -> OwnedOp) -> Result<()> {
        let offset = self.memarg(memarg)?;
        let addr = self.pop_slot()?;
        let dst = self.push_home()?;
        self.emit(op(dst, addr, offset))?;
        Ok(())
    }

    fn store(&mut self, memarg: MemArg, op: fn(Slot, u32, Slot) -> OwnedOp) -> Result<()> {
        let offset = self.memarg(memarg)?;
        let src = self.pop_slot()?;
        let addr = self.pop_slot()?;
        self.emit(op(addr, offset, src))?;
        Ok(())
    }

    fn pop3(&mut self) -> Result<[Slot; 3]> {
        let slots = self.pop_slots(3)?;
        Ok([slots[0], slots[1], slots[2]])
    }

    fn holds_funcrefs(&self, table: u32) -> Result<bool> {
        let table = self
            .env
            .info
            .tables
            .get(table as usize)
            .ok_or(Refusal("a table out of range"))?;
        Ok(table.element == ValType::FuncRef)
    }

    /// Calls `builtin` with the constants `immediates` (indices of memories,
    /// tables and segments) and then the top `operands` operands; pushes its
    /// results. Fuel is charged first, as before every builtin.
    fn builtin(&mut self, builtin: Builtin, immediates: &[u32], operands: usize) -> Result<()> {
        self.charge_fuel()?;
        let operand_slots = self.pop_slots(operands)?;
        // The constants go above the operands' homes.
        let mut args = Vec::with_capacity(immediates.len() + operands);
        for (n, &value) in immediates.iter().enumerate() {
            let slot = self.scratch(operands + n)?;
            self.write_const(slot, i64::from(value))?;
            args.push(slot);
        }
        args.extend(operand_slots);
        let results = vec![false; builtin.results().len()];
        let result_slots = self.result_slots(&results)?;
        self.emit(OwnedOp::CallBuiltin {
            builtin: BuiltinIndex(builtin as u32),
            args,
            results: result_slots,
        })?;
        self.push_results(&results)
    }

    // --- Numeric ------------------------------------------------------------

    fn unary(&mut self, op: Unary) -> Result<()> {
        let src = self.pop_slot()?;
        let dst = self.push_home()?;
        self.emit(op(dst, src))?;
        Ok(())
    }

    fn binary(&mut self, op: Binary) -> Result<()> {
        let b = self.pop_slot()?;
        let a = self.pop_slot()?;
        let dst = self.push_home()?;
        self.emit(op(dst, a, b))?;
        Ok(())
    }

    /// A binary op whose second operand, if a constant that `width` can
    /// take as an immediate, becomes one (`imm`).
    fn binary_imm(&mut self, op: Binary, imm: BinaryImm, width: Width) -> Result<()> {
        if let Some(value) = self.top_const()
            && let Some(immediate) = width.immediate(value)
        {
            self.stack.pop();
            return self.binary_const(imm, immediate);
        }
        self.binary(op)
    }

    /// `imm` of the top operand and `immediate`.
    fn binary_const(&mut self, imm: BinaryImm, immediate: i32) -> Result<()> {
        let a = self.pop_slot()?;
        let dst = self.push_home()?;
        self.emit(imm(dst, a, immediate))?;
        Ok(())
    }

    /// `a - b`: an addition of `-b` when `b` is a constant that negates
    /// into an immediate.
    fn subtract(&mut self, op: Binary, add_imm: BinaryImm, width: Width) -> Result<()> {
        if let Some(value) = self.top_const() {
            let negated = match width {
                Width::W32 => Some((value as i32).wrapping_neg()),
                Width::W64 => value.checked_neg().and_then(|n| i32::try_from(n).ok()),
            };
            if let Some(immediate) = negated {
                self.stack.pop();
                return self.binary_const(add_imm, immediate);
            }
        }
        self.binary(op)
    }
}
