//! The opcode table: the single source of truth for the Pulley ISA.
//!
//! [`for_each_op!`](crate::for_each_op) calls a macro with every op of the
//! ISA, in two sections: `primary` ops take the one-byte opcode space (opcode
//! = position in the section); `extended` ops are encoded as the
//! [`EXTENDED_PREFIX`](crate::EXTENDED_PREFIX) byte followed by a `u16`
//! (position in that section). Hot operations are primary; rare ones are
//! extended.
//!
//! Each entry reads `Name = mnemonic { operand: Kind, ... };` with a doc
//! comment. Operands are encoded in the order listed, right after the opcode.
//!
//! # Naming conventions
//!
//! * `x` prefix: integer operation on slots; `f` prefix: floating-point.
//! * `32` / `64`: the width operated on. A 32-bit operation reads only the low
//!   32 bits of its source slots and writes the low 32 bits of its destination;
//!   the upper 32 bits of the destination are then unspecified (no wasm-level
//!   value ever observes them). `f32` values live in the low 32 bits as IEEE
//!   bits, `f64` values use all 64 bits.
//! * `_s` / `_u`: signed or unsigned interpretation.
//! * `_imm`: the last value operand is an immediate instead of a slot; 64-bit
//!   ops sign-extend their `I32` immediate.
//! * `b` in `xband`/`xbor`/`xbxor`: bitwise and/or/xor.
//! * Comparisons (`xeq32`, `flt64`, ...) write 0 or 1 to all 64 bits.
//! * `br_if_<cmp>`: branch to `target` if the comparison holds, otherwise fall
//!   through. Register forms exist only for `eq ne slt sle ult ule` (and their
//!   float versions `eq ne lt le`); the compiler swaps operands for the others.
//! * `x<to>_from_f<from>_<s|u>` trap on NaN and on out-of-range values; the
//!   `_sat` forms saturate instead (NaN gives 0).
//! * Linear-memory ops (`load*`, `store*`, `memory_*`) address memory 0 with
//!   the low 32 bits of `addr` as an unsigned index plus the static `offset`,
//!   bounds-checked in 64-bit arithmetic; out of bounds traps with
//!   `memory_out_of_bounds`. Memory is little-endian on every host.
//!
//! # Operand kinds
//!
//! `Dst`/`Src`: a slot written/read, one byte. `DstWide`/`SrcWide`: the same
//! in two bytes. `DstList`/`SrcList`: a `u16` count then `u16` slots.
//! `Target`: an `i32` byte offset from this op's first byte. `JumpTable`: a
//! `u32` count `n >= 1` then `n` targets, the last being the default.
//! `I8`, `I32`, `I64`, `U8`, `U32`: immediates. `FuncIndex`, `ImportIndex`,
//! `FuncRefIndex`, `GlobalIndex`, `TableIndex`, `TypeIndex`, `BuiltinIndex`: `u32` indices
//! into the program's or the embedder's tables. `TrapCode`: one byte.
//!
//! # Calls
//!
//! Each call gets a fresh register window. `call` copies `args` into slots
//! `0..n` of the callee's window; the callee's `ret` copies its `values` into
//! the caller's `results`. Nothing is saved or restored around a call.

/// Calls `$macro!` with every op of the ISA.
///
/// `for_each_op!(m)` expands to `m! { primary { ... } extended { ... } }`,
/// each section a list of `/// doc  Name = mnemonic { operand: Kind, ... };`.
/// `for_each_op!(m, tokens...)` passes `tokens...` first, before `primary`,
/// so one generator macro can serve several configurations.
/// See the [module documentation](crate::table) for the conventions.
#[macro_export]
macro_rules! for_each_op {
    ($macro:ident $(, $($args:tt)*)?) => {
        $macro! {
            $($($args)*)?
            primary {
                /// Returns from the current call: copies `values` into the
                /// caller's result slots and pops the register window.
                Ret = ret { values: SrcList };
                /// Jumps to `target`.
                Jump = jump { target: Target };
                /// Branches if the low 32 bits of `cond` are nonzero.
                BrIf32 = br_if32 { cond: Src, target: Target };
                /// Branches if the low 32 bits of `cond` are zero.
                BrIfNot32 = br_if_not32 { cond: Src, target: Target };
                /// Branches if `cond` is nonzero.
                BrIf64 = br_if64 { cond: Src, target: Target };
                /// Branches if `cond` is zero.
                BrIfNot64 = br_if_not64 { cond: Src, target: Target };

                /// Branches if `a == b` (32-bit).
                BrIfXeq32 = br_if_xeq32 { a: Src, b: Src, target: Target };
                /// Branches if `a != b` (32-bit).
                BrIfXne32 = br_if_xne32 { a: Src, b: Src, target: Target };
                /// Branches if `a < b`, signed (32-bit).
                BrIfXslt32 = br_if_xslt32 { a: Src, b: Src, target: Target };
                /// Branches if `a <= b`, signed (32-bit).
                BrIfXsle32 = br_if_xsle32 { a: Src, b: Src, target: Target };
                /// Branches if `a < b`, unsigned (32-bit).
                BrIfXult32 = br_if_xult32 { a: Src, b: Src, target: Target };
                /// Branches if `a <= b`, unsigned (32-bit).
                BrIfXule32 = br_if_xule32 { a: Src, b: Src, target: Target };
                /// Branches if `a == b` (64-bit).
                BrIfXeq64 = br_if_xeq64 { a: Src, b: Src, target: Target };
                /// Branches if `a != b` (64-bit).
                BrIfXne64 = br_if_xne64 { a: Src, b: Src, target: Target };
                /// Branches if `a < b`, signed (64-bit).
                BrIfXslt64 = br_if_xslt64 { a: Src, b: Src, target: Target };
                /// Branches if `a <= b`, signed (64-bit).
                BrIfXsle64 = br_if_xsle64 { a: Src, b: Src, target: Target };
                /// Branches if `a < b`, unsigned (64-bit).
                BrIfXult64 = br_if_xult64 { a: Src, b: Src, target: Target };
                /// Branches if `a <= b`, unsigned (64-bit).
                BrIfXule64 = br_if_xule64 { a: Src, b: Src, target: Target };

                /// Branches if `a == b` (32-bit, immediate).
                BrIfXeq32Imm = br_if_xeq32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a != b` (32-bit, immediate).
                BrIfXne32Imm = br_if_xne32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a < b`, signed (32-bit, immediate).
                BrIfXslt32Imm = br_if_xslt32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a <= b`, signed (32-bit, immediate).
                BrIfXsle32Imm = br_if_xsle32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a > b`, signed (32-bit, immediate).
                BrIfXsgt32Imm = br_if_xsgt32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a >= b`, signed (32-bit, immediate).
                BrIfXsge32Imm = br_if_xsge32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a < b`, unsigned (32-bit, immediate).
                BrIfXult32Imm = br_if_xult32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a <= b`, unsigned (32-bit, immediate).
                BrIfXule32Imm = br_if_xule32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a > b`, unsigned (32-bit, immediate).
                BrIfXugt32Imm = br_if_xugt32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a >= b`, unsigned (32-bit, immediate).
                BrIfXuge32Imm = br_if_xuge32_imm { a: Src, b: I32, target: Target };
                /// Branches if `a == b` (64-bit, immediate).
                BrIfXeq64Imm = br_if_xeq64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a != b` (64-bit, immediate).
                BrIfXne64Imm = br_if_xne64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a < b`, signed (64-bit, immediate).
                BrIfXslt64Imm = br_if_xslt64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a <= b`, signed (64-bit, immediate).
                BrIfXsle64Imm = br_if_xsle64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a > b`, signed (64-bit, immediate).
                BrIfXsgt64Imm = br_if_xsgt64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a >= b`, signed (64-bit, immediate).
                BrIfXsge64Imm = br_if_xsge64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a < b`, unsigned (64-bit, immediate).
                BrIfXult64Imm = br_if_xult64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a <= b`, unsigned (64-bit, immediate).
                BrIfXule64Imm = br_if_xule64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a > b`, unsigned (64-bit, immediate).
                BrIfXugt64Imm = br_if_xugt64_imm { a: Src, b: I32, target: Target };
                /// Branches if `a >= b`, unsigned (64-bit, immediate).
                BrIfXuge64Imm = br_if_xuge64_imm { a: Src, b: I32, target: Target };

                /// Jumps to `targets[min(index, len - 1)]`, `index` read as an
                /// unsigned 32-bit value.
                BrTable = br_table { index: Src, targets: JumpTable };
                /// Stops execution with a trap.
                Trap = trap { code: TrapCode };
                /// Calls function `func` of the program with a new register
                /// window whose first slots are `args`; its results land in
                /// `results`. Traps with `stack_overflow` if the stack is full.
                Call = call { func: FuncIndex, args: SrcList, results: DstList };
                /// Leaves the interpreter so that the embedder can call its
                /// function `import` with `args`; the embedder resumes
                /// execution with the values for `results`.
                CallImport = call_import { import: ImportIndex, args: SrcList, results: DstList };
                /// Calls the function that the embedder's function reference
                /// `callee` names (see `ref_func`). A reference to a function of
                /// this program is a plain call; any other leaves the
                /// interpreter like `call_import`. A null reference traps with
                /// `indirect_call_to_null`.
                CallRef = call_ref { callee: Src, args: SrcList, results: DstList };

                /// `dst = src` (all 64 bits).
                Mov = mov { dst: Dst, src: Src };
                /// `dst = imm`, sign-extended to 64 bits.
                Xconst8 = xconst8 { dst: Dst, imm: I8 };
                /// `dst = imm`, sign-extended to 64 bits.
                Xconst32 = xconst32 { dst: Dst, imm: I32 };
                /// `dst = imm`.
                Xconst64 = xconst64 { dst: Dst, imm: I64 };

                /// `dst = a + b` (32-bit, wrapping).
                Xadd32 = xadd32 { dst: Dst, a: Src, b: Src };
                /// `dst = a - b` (32-bit, wrapping).
                Xsub32 = xsub32 { dst: Dst, a: Src, b: Src };
                /// `dst = a * b` (32-bit, wrapping).
                Xmul32 = xmul32 { dst: Dst, a: Src, b: Src };
                /// `dst = a & b` (32-bit).
                Xband32 = xband32 { dst: Dst, a: Src, b: Src };
                /// `dst = a | b` (32-bit).
                Xbor32 = xbor32 { dst: Dst, a: Src, b: Src };
                /// `dst = a ^ b` (32-bit).
                Xbxor32 = xbxor32 { dst: Dst, a: Src, b: Src };
                /// `dst = a << (b mod 32)`.
                Xshl32 = xshl32 { dst: Dst, a: Src, b: Src };
                /// `dst = a >> (b mod 32)`, arithmetic.
                Xshr32S = xshr32_s { dst: Dst, a: Src, b: Src };
                /// `dst = a >> (b mod 32)`, logical.
                Xshr32U = xshr32_u { dst: Dst, a: Src, b: Src };
                /// `dst = a` rotated left by `b mod 32`.
                Xrotl32 = xrotl32 { dst: Dst, a: Src, b: Src };
                /// `dst = a` rotated right by `b mod 32`.
                Xrotr32 = xrotr32 { dst: Dst, a: Src, b: Src };
                /// `dst = a / b`, signed, rounding toward zero (32-bit). Traps
                /// on division by zero and on `i32::MIN / -1`.
                Xdiv32S = xdiv32_s { dst: Dst, a: Src, b: Src };
                /// `dst = a / b`, unsigned (32-bit). Traps on division by zero.
                Xdiv32U = xdiv32_u { dst: Dst, a: Src, b: Src };
                /// `dst = a % b`, signed, sign of `a` (32-bit); `i32::MIN % -1`
                /// is 0. Traps on division by zero.
                Xrem32S = xrem32_s { dst: Dst, a: Src, b: Src };
                /// `dst = a % b`, unsigned (32-bit). Traps on division by zero.
                Xrem32U = xrem32_u { dst: Dst, a: Src, b: Src };
                /// `dst = a + b` (64-bit, wrapping).
                Xadd64 = xadd64 { dst: Dst, a: Src, b: Src };
                /// `dst = a - b` (64-bit, wrapping).
                Xsub64 = xsub64 { dst: Dst, a: Src, b: Src };
                /// `dst = a * b` (64-bit, wrapping).
                Xmul64 = xmul64 { dst: Dst, a: Src, b: Src };
                /// `dst = a & b` (64-bit).
                Xband64 = xband64 { dst: Dst, a: Src, b: Src };
                /// `dst = a | b` (64-bit).
                Xbor64 = xbor64 { dst: Dst, a: Src, b: Src };
                /// `dst = a ^ b` (64-bit).
                Xbxor64 = xbxor64 { dst: Dst, a: Src, b: Src };
                /// `dst = a << (b mod 64)`.
                Xshl64 = xshl64 { dst: Dst, a: Src, b: Src };
                /// `dst = a >> (b mod 64)`, arithmetic.
                Xshr64S = xshr64_s { dst: Dst, a: Src, b: Src };
                /// `dst = a >> (b mod 64)`, logical.
                Xshr64U = xshr64_u { dst: Dst, a: Src, b: Src };
                /// `dst = a` rotated left by `b mod 64`.
                Xrotl64 = xrotl64 { dst: Dst, a: Src, b: Src };
                /// `dst = a` rotated right by `b mod 64`.
                Xrotr64 = xrotr64 { dst: Dst, a: Src, b: Src };
                /// `dst = a / b`, signed, rounding toward zero (64-bit). Traps
                /// on division by zero and on `i64::MIN / -1`.
                Xdiv64S = xdiv64_s { dst: Dst, a: Src, b: Src };
                /// `dst = a / b`, unsigned (64-bit). Traps on division by zero.
                Xdiv64U = xdiv64_u { dst: Dst, a: Src, b: Src };
                /// `dst = a % b`, signed, sign of `a` (64-bit); `i64::MIN % -1`
                /// is 0. Traps on division by zero.
                Xrem64S = xrem64_s { dst: Dst, a: Src, b: Src };
                /// `dst = a % b`, unsigned (64-bit). Traps on division by zero.
                Xrem64U = xrem64_u { dst: Dst, a: Src, b: Src };

                /// `dst = a + b` (32-bit, wrapping).
                Xadd32Imm = xadd32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a * b` (32-bit, wrapping).
                Xmul32Imm = xmul32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a & b` (32-bit).
                Xband32Imm = xband32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a | b` (32-bit).
                Xbor32Imm = xbor32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a ^ b` (32-bit).
                Xbxor32Imm = xbxor32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a << (b mod 32)`.
                Xshl32Imm = xshl32_imm { dst: Dst, a: Src, b: U8 };
                /// `dst = a >> (b mod 32)`, arithmetic.
                Xshr32SImm = xshr32_s_imm { dst: Dst, a: Src, b: U8 };
                /// `dst = a >> (b mod 32)`, logical.
                Xshr32UImm = xshr32_u_imm { dst: Dst, a: Src, b: U8 };
                /// `dst = a + b` (64-bit, wrapping).
                Xadd64Imm = xadd64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a * b` (64-bit, wrapping).
                Xmul64Imm = xmul64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a & b` (64-bit).
                Xband64Imm = xband64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a | b` (64-bit).
                Xbor64Imm = xbor64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a ^ b` (64-bit).
                Xbxor64Imm = xbxor64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a << (b mod 64)`.
                Xshl64Imm = xshl64_imm { dst: Dst, a: Src, b: U8 };
                /// `dst = a >> (b mod 64)`, arithmetic.
                Xshr64SImm = xshr64_s_imm { dst: Dst, a: Src, b: U8 };
                /// `dst = a >> (b mod 64)`, logical.
                Xshr64UImm = xshr64_u_imm { dst: Dst, a: Src, b: U8 };

                /// `dst` = number of leading zero bits of `src` (32-bit).
                Xclz32 = xclz32 { dst: Dst, src: Src };
                /// `dst` = number of trailing zero bits of `src` (32-bit).
                Xctz32 = xctz32 { dst: Dst, src: Src };
                /// `dst` = number of one bits of `src` (32-bit).
                Xpopcnt32 = xpopcnt32 { dst: Dst, src: Src };
                /// `dst = -src` (32-bit, wrapping).
                Xneg32 = xneg32 { dst: Dst, src: Src };
                /// `dst` = number of leading zero bits of `src` (64-bit).
                Xclz64 = xclz64 { dst: Dst, src: Src };
                /// `dst` = number of trailing zero bits of `src` (64-bit).
                Xctz64 = xctz64 { dst: Dst, src: Src };
                /// `dst` = number of one bits of `src` (64-bit).
                Xpopcnt64 = xpopcnt64 { dst: Dst, src: Src };
                /// `dst = -src` (64-bit, wrapping).
                Xneg64 = xneg64 { dst: Dst, src: Src };

                /// `dst = a == b` (32-bit).
                Xeq32 = xeq32 { dst: Dst, a: Src, b: Src };
                /// `dst = a != b` (32-bit).
                Xne32 = xne32 { dst: Dst, a: Src, b: Src };
                /// `dst = a < b`, signed (32-bit).
                Xslt32 = xslt32 { dst: Dst, a: Src, b: Src };
                /// `dst = a <= b`, signed (32-bit).
                Xsle32 = xsle32 { dst: Dst, a: Src, b: Src };
                /// `dst = a < b`, unsigned (32-bit).
                Xult32 = xult32 { dst: Dst, a: Src, b: Src };
                /// `dst = a <= b`, unsigned (32-bit).
                Xule32 = xule32 { dst: Dst, a: Src, b: Src };
                /// `dst = a == b` (64-bit).
                Xeq64 = xeq64 { dst: Dst, a: Src, b: Src };
                /// `dst = a != b` (64-bit).
                Xne64 = xne64 { dst: Dst, a: Src, b: Src };
                /// `dst = a < b`, signed (64-bit).
                Xslt64 = xslt64 { dst: Dst, a: Src, b: Src };
                /// `dst = a <= b`, signed (64-bit).
                Xsle64 = xsle64 { dst: Dst, a: Src, b: Src };
                /// `dst = a < b`, unsigned (64-bit).
                Xult64 = xult64 { dst: Dst, a: Src, b: Src };
                /// `dst = a <= b`, unsigned (64-bit).
                Xule64 = xule64 { dst: Dst, a: Src, b: Src };

                /// `dst = a == b` (32-bit, immediate).
                Xeq32Imm = xeq32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a != b` (32-bit, immediate).
                Xne32Imm = xne32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a < b`, signed (32-bit, immediate).
                Xslt32Imm = xslt32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a <= b`, signed (32-bit, immediate).
                Xsle32Imm = xsle32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a > b`, signed (32-bit, immediate).
                Xsgt32Imm = xsgt32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a >= b`, signed (32-bit, immediate).
                Xsge32Imm = xsge32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a < b`, unsigned (32-bit, immediate).
                Xult32Imm = xult32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a <= b`, unsigned (32-bit, immediate).
                Xule32Imm = xule32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a > b`, unsigned (32-bit, immediate).
                Xugt32Imm = xugt32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a >= b`, unsigned (32-bit, immediate).
                Xuge32Imm = xuge32_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a == b` (64-bit, immediate).
                Xeq64Imm = xeq64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a != b` (64-bit, immediate).
                Xne64Imm = xne64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a < b`, signed (64-bit, immediate).
                Xslt64Imm = xslt64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a <= b`, signed (64-bit, immediate).
                Xsle64Imm = xsle64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a > b`, signed (64-bit, immediate).
                Xsgt64Imm = xsgt64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a >= b`, signed (64-bit, immediate).
                Xsge64Imm = xsge64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a < b`, unsigned (64-bit, immediate).
                Xult64Imm = xult64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a <= b`, unsigned (64-bit, immediate).
                Xule64Imm = xule64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a > b`, unsigned (64-bit, immediate).
                Xugt64Imm = xugt64_imm { dst: Dst, a: Src, b: I32 };
                /// `dst = a >= b`, unsigned (64-bit, immediate).
                Xuge64Imm = xuge64_imm { dst: Dst, a: Src, b: I32 };

                /// `dst` = the low 8 bits of `src`, sign-extended to 64 bits.
                Xsext8 = xsext8 { dst: Dst, src: Src };
                /// `dst` = the low 16 bits of `src`, sign-extended to 64 bits.
                Xsext16 = xsext16 { dst: Dst, src: Src };
                /// `dst` = the low 32 bits of `src`, sign-extended to 64 bits.
                Xsext32 = xsext32 { dst: Dst, src: Src };
                /// `dst` = the low 8 bits of `src`, zero-extended to 64 bits.
                Xzext8 = xzext8 { dst: Dst, src: Src };
                /// `dst` = the low 16 bits of `src`, zero-extended to 64 bits.
                Xzext16 = xzext16 { dst: Dst, src: Src };
                /// `dst` = the low 32 bits of `src`, zero-extended to 64 bits.
                Xzext32 = xzext32 { dst: Dst, src: Src };
                /// `dst = if low32(cond) != 0 { if_true } else { if_false }`
                /// (all 64 bits are copied).
                Xselect32 = xselect32 { dst: Dst, cond: Src, if_true: Src, if_false: Src };
                /// `dst = if cond != 0 { if_true } else { if_false }`.
                Xselect64 = xselect64 { dst: Dst, cond: Src, if_true: Src, if_false: Src };

                /// `dst = a + b` (f32).
                Fadd32 = fadd32 { dst: Dst, a: Src, b: Src };
                /// `dst = a - b` (f32).
                Fsub32 = fsub32 { dst: Dst, a: Src, b: Src };
                /// `dst = a * b` (f32).
                Fmul32 = fmul32 { dst: Dst, a: Src, b: Src };
                /// `dst = a / b` (f32).
                Fdiv32 = fdiv32 { dst: Dst, a: Src, b: Src };
                /// `dst = min(a, b)` (f32): NaN if either is NaN, `-0 < +0`.
                Fmin32 = fmin32 { dst: Dst, a: Src, b: Src };
                /// `dst = max(a, b)` (f32): NaN if either is NaN, `-0 < +0`.
                Fmax32 = fmax32 { dst: Dst, a: Src, b: Src };
                /// `dst` = `a` with the sign of `b` (f32).
                Fcopysign32 = fcopysign32 { dst: Dst, a: Src, b: Src };
                /// `dst = a + b` (f64).
                Fadd64 = fadd64 { dst: Dst, a: Src, b: Src };
                /// `dst = a - b` (f64).
                Fsub64 = fsub64 { dst: Dst, a: Src, b: Src };
                /// `dst = a * b` (f64).
                Fmul64 = fmul64 { dst: Dst, a: Src, b: Src };
                /// `dst = a / b` (f64).
                Fdiv64 = fdiv64 { dst: Dst, a: Src, b: Src };
                /// `dst = min(a, b)` (f64): NaN if either is NaN, `-0 < +0`.
                Fmin64 = fmin64 { dst: Dst, a: Src, b: Src };
                /// `dst = max(a, b)` (f64): NaN if either is NaN, `-0 < +0`.
                Fmax64 = fmax64 { dst: Dst, a: Src, b: Src };
                /// `dst` = `a` with the sign of `b` (f64).
                Fcopysign64 = fcopysign64 { dst: Dst, a: Src, b: Src };

                /// `dst = |src|` (f32, clears the sign bit).
                Fabs32 = fabs32 { dst: Dst, src: Src };
                /// `dst = -src` (f32, flips the sign bit).
                Fneg32 = fneg32 { dst: Dst, src: Src };
                /// `dst = sqrt(src)` (f32).
                Fsqrt32 = fsqrt32 { dst: Dst, src: Src };
                /// `dst` = `src` rounded up (f32).
                Fceil32 = fceil32 { dst: Dst, src: Src };
                /// `dst` = `src` rounded down (f32).
                Ffloor32 = ffloor32 { dst: Dst, src: Src };
                /// `dst` = `src` rounded toward zero (f32).
                Ftrunc32 = ftrunc32 { dst: Dst, src: Src };
                /// `dst` = `src` rounded to nearest, ties to even (f32).
                Fnearest32 = fnearest32 { dst: Dst, src: Src };
                /// `dst = |src|` (f64, clears the sign bit).
                Fabs64 = fabs64 { dst: Dst, src: Src };
                /// `dst = -src` (f64, flips the sign bit).
                Fneg64 = fneg64 { dst: Dst, src: Src };
                /// `dst = sqrt(src)` (f64).
                Fsqrt64 = fsqrt64 { dst: Dst, src: Src };
                /// `dst` = `src` rounded up (f64).
                Fceil64 = fceil64 { dst: Dst, src: Src };
                /// `dst` = `src` rounded down (f64).
                Ffloor64 = ffloor64 { dst: Dst, src: Src };
                /// `dst` = `src` rounded toward zero (f64).
                Ftrunc64 = ftrunc64 { dst: Dst, src: Src };
                /// `dst` = `src` rounded to nearest, ties to even (f64).
                Fnearest64 = fnearest64 { dst: Dst, src: Src };

                /// `dst = a == b` (f32; false if either is NaN).
                Feq32 = feq32 { dst: Dst, a: Src, b: Src };
                /// `dst = a != b` (f32; true if either is NaN).
                Fne32 = fne32 { dst: Dst, a: Src, b: Src };
                /// `dst = a < b` (f32; false if either is NaN).
                Flt32 = flt32 { dst: Dst, a: Src, b: Src };
                /// `dst = a <= b` (f32; false if either is NaN).
                Fle32 = fle32 { dst: Dst, a: Src, b: Src };
                /// `dst = a == b` (f64; false if either is NaN).
                Feq64 = feq64 { dst: Dst, a: Src, b: Src };
                /// `dst = a != b` (f64; true if either is NaN).
                Fne64 = fne64 { dst: Dst, a: Src, b: Src };
                /// `dst = a < b` (f64; false if either is NaN).
                Flt64 = flt64 { dst: Dst, a: Src, b: Src };
                /// `dst = a <= b` (f64; false if either is NaN).
                Fle64 = fle64 { dst: Dst, a: Src, b: Src };

                /// Branches if `a == b` (f32).
                BrIfFeq32 = br_if_feq32 { a: Src, b: Src, target: Target };
                /// Branches if `a != b` (f32).
                BrIfFne32 = br_if_fne32 { a: Src, b: Src, target: Target };
                /// Branches if `a < b` (f32).
                BrIfFlt32 = br_if_flt32 { a: Src, b: Src, target: Target };
                /// Branches if `a <= b` (f32).
                BrIfFle32 = br_if_fle32 { a: Src, b: Src, target: Target };
                /// Branches if `a == b` (f64).
                BrIfFeq64 = br_if_feq64 { a: Src, b: Src, target: Target };
                /// Branches if `a != b` (f64).
                BrIfFne64 = br_if_fne64 { a: Src, b: Src, target: Target };
                /// Branches if `a < b` (f64).
                BrIfFlt64 = br_if_flt64 { a: Src, b: Src, target: Target };
                /// Branches if `a <= b` (f64).
                BrIfFle64 = br_if_fle64 { a: Src, b: Src, target: Target };

                /// `dst` = `src` (f32) converted to a signed 32-bit integer,
                /// truncating; traps if NaN or out of range.
                X32FromF32S = x32_from_f32_s { dst: Dst, src: Src };
                /// `dst` = `src` (f32) converted to an unsigned 32-bit integer,
                /// truncating; traps if NaN or out of range.
                X32FromF32U = x32_from_f32_u { dst: Dst, src: Src };
                /// `dst` = `src` (f64) converted to a signed 32-bit integer,
                /// truncating; traps if NaN or out of range.
                X32FromF64S = x32_from_f64_s { dst: Dst, src: Src };
                /// `dst` = `src` (f64) converted to an unsigned 32-bit integer,
                /// truncating; traps if NaN or out of range.
                X32FromF64U = x32_from_f64_u { dst: Dst, src: Src };
                /// `dst` = `src` (f32) converted to a signed 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF32S = x64_from_f32_s { dst: Dst, src: Src };
                /// `dst` = `src` (f32) converted to an unsigned 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF32U = x64_from_f32_u { dst: Dst, src: Src };
                /// `dst` = `src` (f64) converted to a signed 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF64S = x64_from_f64_s { dst: Dst, src: Src };
                /// `dst` = `src` (f64) converted to an unsigned 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF64U = x64_from_f64_u { dst: Dst, src: Src };
                /// `dst` = signed 32-bit `src` converted to f32, rounding to nearest.
                F32FromX32S = f32_from_x32_s { dst: Dst, src: Src };
                /// `dst` = unsigned 32-bit `src` converted to f32, rounding to nearest.
                F32FromX32U = f32_from_x32_u { dst: Dst, src: Src };
                /// `dst` = signed 64-bit `src` converted to f32, rounding to nearest.
                F32FromX64S = f32_from_x64_s { dst: Dst, src: Src };
                /// `dst` = unsigned 64-bit `src` converted to f32, rounding to nearest.
                F32FromX64U = f32_from_x64_u { dst: Dst, src: Src };
                /// `dst` = signed 32-bit `src` converted to f64 (exact).
                F64FromX32S = f64_from_x32_s { dst: Dst, src: Src };
                /// `dst` = unsigned 32-bit `src` converted to f64 (exact).
                F64FromX32U = f64_from_x32_u { dst: Dst, src: Src };
                /// `dst` = signed 64-bit `src` converted to f64, rounding to nearest.
                F64FromX64S = f64_from_x64_s { dst: Dst, src: Src };
                /// `dst` = unsigned 64-bit `src` converted to f64, rounding to nearest.
                F64FromX64U = f64_from_x64_u { dst: Dst, src: Src };
                /// `dst` = f64 `src` rounded to f32 (demotion).
                F32FromF64 = f32_from_f64 { dst: Dst, src: Src };
                /// `dst` = f32 `src` widened to f64 (promotion).
                F64FromF32 = f64_from_f32 { dst: Dst, src: Src };

                /// `dst` = the byte at `addr + offset`, sign-extended to 64 bits.
                Load8S = load8_s { dst: Dst, addr: Src, offset: U32 };
                /// `dst` = the byte at `addr + offset`, zero-extended to 64 bits.
                Load8U = load8_u { dst: Dst, addr: Src, offset: U32 };
                /// `dst` = the 16 bits at `addr + offset`, sign-extended.
                Load16S = load16_s { dst: Dst, addr: Src, offset: U32 };
                /// `dst` = the 16 bits at `addr + offset`, zero-extended.
                Load16U = load16_u { dst: Dst, addr: Src, offset: U32 };
                /// `dst` = the 32 bits at `addr + offset`, sign-extended.
                Load32S = load32_s { dst: Dst, addr: Src, offset: U32 };
                /// `dst` = the 32 bits at `addr + offset`, zero-extended.
                Load32U = load32_u { dst: Dst, addr: Src, offset: U32 };
                /// `dst` = the 64 bits at `addr + offset`.
                Load64 = load64 { dst: Dst, addr: Src, offset: U32 };
                /// Stores the low 8 bits of `src` at `addr + offset`.
                Store8 = store8 { addr: Src, offset: U32, src: Src };
                /// Stores the low 16 bits of `src` at `addr + offset`.
                Store16 = store16 { addr: Src, offset: U32, src: Src };
                /// Stores the low 32 bits of `src` at `addr + offset`.
                Store32 = store32 { addr: Src, offset: U32, src: Src };
                /// Stores all 64 bits of `src` at `addr + offset`.
                Store64 = store64 { addr: Src, offset: U32, src: Src };
                /// `load8_u` at the 32-bit (wrapping) sum `base + index`, plus
                /// `offset`: wasm's `i32.add` of an address, fused.
                Load8UIndexed = load8_u_indexed { dst: Dst, base: Src, index: Src, offset: U32 };
                /// `load32_u` at `base + index` (see `load8_u_indexed`).
                Load32UIndexed = load32_u_indexed { dst: Dst, base: Src, index: Src, offset: U32 };
                /// `load64` at `base + index` (see `load8_u_indexed`).
                Load64Indexed = load64_indexed { dst: Dst, base: Src, index: Src, offset: U32 };
                /// `store8` at `base + index` (see `load8_u_indexed`).
                Store8Indexed = store8_indexed { base: Src, index: Src, offset: U32, src: Src };
                /// `store32` at `base + index` (see `load8_u_indexed`).
                Store32Indexed = store32_indexed { base: Src, index: Src, offset: U32, src: Src };
                /// `store64` at `base + index` (see `load8_u_indexed`).
                Store64Indexed = store64_indexed { base: Src, index: Src, offset: U32, src: Src };

                /// `dst` = the 64-bit value of the embedder's global cell `global`.
                GlobalGet = global_get { dst: Dst, global: GlobalIndex };
                /// Sets the embedder's global cell `global` to all 64 bits of `src`.
                GlobalSet = global_set { global: GlobalIndex, src: Src };
            }
            extended {
                /// `dst = src` for slots beyond 255.
                MovWide = mov_wide { dst: DstWide, src: SrcWide };
                /// Tail call: replaces the current register window with one for
                /// `func` whose first slots are `args`; `func`'s `ret` returns
                /// to this frame's caller.
                ReturnCall = return_call { func: FuncIndex, args: SrcList };
                /// Tail call through a function reference (see `call_ref`).
                ReturnCallRef = return_call_ref { callee: Src, args: SrcList };
                /// Leaves the interpreter so that the embedder performs its
                /// operation `builtin` with `args` (growing memory, bulk table
                /// operations, ...); the embedder resumes execution with the
                /// values for `results`, or ends it with a trap.
                CallBuiltin = call_builtin { builtin: BuiltinIndex, args: SrcList, results: DstList };

                /// Like `x32_from_f32_s`, saturating: NaN gives 0.
                X32FromF32SSat = x32_from_f32_s_sat { dst: Dst, src: Src };
                /// Like `x32_from_f32_u`, saturating: NaN gives 0.
                X32FromF32USat = x32_from_f32_u_sat { dst: Dst, src: Src };
                /// Like `x32_from_f64_s`, saturating: NaN gives 0.
                X32FromF64SSat = x32_from_f64_s_sat { dst: Dst, src: Src };
                /// Like `x32_from_f64_u`, saturating: NaN gives 0.
                X32FromF64USat = x32_from_f64_u_sat { dst: Dst, src: Src };
                /// Like `x64_from_f32_s`, saturating: NaN gives 0.
                X64FromF32SSat = x64_from_f32_s_sat { dst: Dst, src: Src };
                /// Like `x64_from_f32_u`, saturating: NaN gives 0.
                X64FromF32USat = x64_from_f32_u_sat { dst: Dst, src: Src };
                /// Like `x64_from_f64_s`, saturating: NaN gives 0.
                X64FromF64SSat = x64_from_f64_s_sat { dst: Dst, src: Src };
                /// Like `x64_from_f64_u`, saturating: NaN gives 0.
                X64FromF64USat = x64_from_f64_u_sat { dst: Dst, src: Src };

                /// `dst` = the current length of memory 0 in bytes.
                MemoryLen = memory_len { dst: Dst };
                /// Copies `len` bytes of memory 0 from `src_addr` to `dst_addr`
                /// (overlap allowed); traps without writing anything if either
                /// range is out of bounds. All three are unsigned 32-bit.
                MemoryCopy = memory_copy { dst_addr: Src, src_addr: Src, len: Src };
                /// Sets `len` bytes of memory 0 at `addr` to the low 8 bits of
                /// `value`; traps without writing anything if out of bounds.
                MemoryFill = memory_fill { addr: Src, value: Src, len: Src };

                /// `dst` = element `index` (unsigned 32-bit) of the embedder's
                /// table `table`; traps with `table_out_of_bounds` past its end.
                TableGet = table_get { dst: Dst, table: TableIndex, index: Src };
                /// Sets element `index` of table `table` to `value`; traps with
                /// `table_out_of_bounds` past its end.
                TableSet = table_set { table: TableIndex, index: Src, value: Src };
                /// `dst` = the current number of elements of table `table`.
                TableSize = table_size { dst: Dst, table: TableIndex };
                /// `dst` = the embedder's function reference `func` (see
                /// `call_ref`).
                RefFunc = ref_func { dst: Dst, func: FuncRefIndex };
                /// `dst` = the embedder's signature id of the function that
                /// reference `funcref` names; traps with `indirect_call_to_null`
                /// if it is null.
                FuncrefType = funcref_type { dst: Dst, funcref: Src };
                /// `dst` = the embedder's signature id for this program's type
                /// `ty`, comparable with `funcref_type` results.
                TypeId = type_id { dst: Dst, ty: TypeIndex };
                /// `dst` = the high 32 bits of the 64-bit product `a * b`, signed.
                Xmulhi32S = xmulhi32_s { dst: Dst, a: Src, b: Src };
                /// `dst` = the high 32 bits of the 64-bit product `a * b`, unsigned.
                Xmulhi32U = xmulhi32_u { dst: Dst, a: Src, b: Src };
                /// `dst` = the high 64 bits of the 128-bit product `a * b`, signed.
                Xmulhi64S = xmulhi64_s { dst: Dst, a: Src, b: Src };
                /// `dst` = the high 64 bits of the 128-bit product `a * b`, unsigned.
                Xmulhi64U = xmulhi64_u { dst: Dst, a: Src, b: Src };
                /// `dst = min(a, b)`, signed (32-bit).
                Xmin32S = xmin32_s { dst: Dst, a: Src, b: Src };
                /// `dst = min(a, b)`, unsigned (32-bit).
                Xmin32U = xmin32_u { dst: Dst, a: Src, b: Src };
                /// `dst = max(a, b)`, signed (32-bit).
                Xmax32S = xmax32_s { dst: Dst, a: Src, b: Src };
                /// `dst = max(a, b)`, unsigned (32-bit).
                Xmax32U = xmax32_u { dst: Dst, a: Src, b: Src };
                /// `dst = min(a, b)`, signed (64-bit).
                Xmin64S = xmin64_s { dst: Dst, a: Src, b: Src };
                /// `dst = min(a, b)`, unsigned (64-bit).
                Xmin64U = xmin64_u { dst: Dst, a: Src, b: Src };
                /// `dst = max(a, b)`, signed (64-bit).
                Xmax64S = xmax64_s { dst: Dst, a: Src, b: Src };
                /// `dst = max(a, b)`, unsigned (64-bit).
                Xmax64U = xmax64_u { dst: Dst, a: Src, b: Src };
                /// `dst = |src|` (32-bit, wrapping: `|i32::MIN|` is `i32::MIN`).
                Xabs32 = xabs32 { dst: Dst, src: Src };
                /// `dst = |src|` (64-bit, wrapping).
                Xabs64 = xabs64 { dst: Dst, src: Src };
                /// `dst` = `src` with its 4 low bytes reversed.
                Xbswap32 = xbswap32 { dst: Dst, src: Src };
                /// `dst` = `src` with its 8 bytes reversed.
                Xbswap64 = xbswap64 { dst: Dst, src: Src };
                /// Consumes `amount` units of fuel. If less than `amount` is
                /// left, execution stops before this op, resumable once the
                /// embedder adds fuel.
                ConsumeFuel = consume_fuel { amount: U32 };
            }
        }
    };
}
