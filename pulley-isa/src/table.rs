//! The opcode table: the single source of truth for the Pulley ISA.
//!
//! [`for_each_op!`](crate::for_each_op) calls a macro with every op of the
//! ISA, in two sections: `primary` ops take the one-byte opcode space (opcode
//! = position in the section); `extended` ops are encoded as the
//! [`EXTENDED_PREFIX`](crate::EXTENDED_PREFIX) byte followed by a `u16`
//! (position in that section). Hot operations are primary; rare ones are
//! extended.
//!
//! Each entry reads `Name = mnemonic { operand: Kind, ... } [flags];` with a
//! doc comment; the flags are optional. Operands are encoded in the order
//! listed, right after the opcode.
//!
//! # Flags
//!
//! What the compiler and the verifier must know about an op beyond its
//! operands, generated into [`OpFlags`](crate::OpFlags) (and not part of
//! [`ISA_HASH`](crate::ISA_HASH): they change no encoding):
//!
//! * `terminator`: execution never falls through to the next op.
//! * `returns`: the op leaves the function (a return or a tail call).
//! * `calls`: the op enters another function, of the program or the
//!   embedder; that frame stays in a backtrace at this op.
//! * `traps`: the op may stop execution with a trap (or, `consume_fuel`,
//!   for lack of fuel), so the compiler records its wasm offset.
//! * `simd`: a `v` op, whose handler exists only with the interpreter's
//!   `simd` feature.
//! * `runtime_only`: the interpreter places the op itself (the entry of a
//!   function compiled lazily); the compiler never emits it, and the
//!   verifier refuses it in a program's code.
//! * `lazy_only`: allowed only in code installed into a lazy program one
//!   function at a time (the baseline tier's counters); the verifier refuses
//!   it in a program's own code, such as an artifact's.
//!
//! Whether an op branches is not written: it has a `Target` or `JumpTable`
//! operand ([`OpFlags::BRANCHES`](crate::OpFlags::BRANCHES)).
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
//! * `v` prefix: a v128 (SIMD) operation. A v128 value lives in two slots,
//!   named `<operand>_lo` and `<operand>_hi`: bytes 0..8 and 8..16 of the
//!   vector as little-endian `u64`s, so lane `i` of an `iNxM` vector is bits
//!   `N*i..N*(i+1)` of the 128-bit number `hi << 64 | lo` on every host.
//!   `f32x4` and `f64x2` lanes hold IEEE bits. Lane-shape suffixes
//!   (`_i8x16`, `_f64x2`, ...) name the lane type an op works on; ops on
//!   whole vectors (`vand`, `vload128`, ...) have none. The handlers of the
//!   `v` ops exist only in interpreters built with the `simd` feature.
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
//! `I8`, `I32`, `I64`, `U8`, `U32`, `U128`: immediates. `FuncIndex`, `ImportIndex`,
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
                Ret = ret { values: SrcList } [terminator, returns];
                /// Jumps to `target`.
                Jump = jump { target: Target } [terminator];
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
                BrTable = br_table { index: Src, targets: JumpTable } [terminator];
                /// Stops execution with a trap.
                Trap = trap { code: TrapCode } [terminator, traps];
                /// Calls function `func` of the program with a new register
                /// window whose first slots are `args`; its results land in
                /// `results`. Traps with `stack_overflow` if the stack is full.
                Call = call { func: FuncIndex, args: SrcList, results: DstList } [calls, traps];
                /// Leaves the interpreter so that the embedder can call its
                /// function `import` with `args`; the embedder resumes
                /// execution with the values for `results`.
                CallImport = call_import { import: ImportIndex, args: SrcList, results: DstList } [calls];
                /// Calls the function that the embedder's function reference
                /// `callee` names (see `ref_func`), which must have this
                /// program's type `ty`. A reference to a function of this
                /// program is a plain call; any other leaves the interpreter
                /// like `call_import`. A null reference traps with
                /// `indirect_call_to_null`, a function of another signature
                /// with `bad_signature`.
                CallRef = call_ref { callee: Src, ty: TypeIndex, args: SrcList, results: DstList } [calls, traps];

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
                Xdiv32S = xdiv32_s { dst: Dst, a: Src, b: Src } [traps];
                /// `dst = a / b`, unsigned (32-bit). Traps on division by zero.
                Xdiv32U = xdiv32_u { dst: Dst, a: Src, b: Src } [traps];
                /// `dst = a % b`, signed, sign of `a` (32-bit); `i32::MIN % -1`
                /// is 0. Traps on division by zero.
                Xrem32S = xrem32_s { dst: Dst, a: Src, b: Src } [traps];
                /// `dst = a % b`, unsigned (32-bit). Traps on division by zero.
                Xrem32U = xrem32_u { dst: Dst, a: Src, b: Src } [traps];
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
                Xdiv64S = xdiv64_s { dst: Dst, a: Src, b: Src } [traps];
                /// `dst = a / b`, unsigned (64-bit). Traps on division by zero.
                Xdiv64U = xdiv64_u { dst: Dst, a: Src, b: Src } [traps];
                /// `dst = a % b`, signed, sign of `a` (64-bit); `i64::MIN % -1`
                /// is 0. Traps on division by zero.
                Xrem64S = xrem64_s { dst: Dst, a: Src, b: Src } [traps];
                /// `dst = a % b`, unsigned (64-bit). Traps on division by zero.
                Xrem64U = xrem64_u { dst: Dst, a: Src, b: Src } [traps];

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
                X32FromF32S = x32_from_f32_s { dst: Dst, src: Src } [traps];
                /// `dst` = `src` (f32) converted to an unsigned 32-bit integer,
                /// truncating; traps if NaN or out of range.
                X32FromF32U = x32_from_f32_u { dst: Dst, src: Src } [traps];
                /// `dst` = `src` (f64) converted to a signed 32-bit integer,
                /// truncating; traps if NaN or out of range.
                X32FromF64S = x32_from_f64_s { dst: Dst, src: Src } [traps];
                /// `dst` = `src` (f64) converted to an unsigned 32-bit integer,
                /// truncating; traps if NaN or out of range.
                X32FromF64U = x32_from_f64_u { dst: Dst, src: Src } [traps];
                /// `dst` = `src` (f32) converted to a signed 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF32S = x64_from_f32_s { dst: Dst, src: Src } [traps];
                /// `dst` = `src` (f32) converted to an unsigned 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF32U = x64_from_f32_u { dst: Dst, src: Src } [traps];
                /// `dst` = `src` (f64) converted to a signed 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF64S = x64_from_f64_s { dst: Dst, src: Src } [traps];
                /// `dst` = `src` (f64) converted to an unsigned 64-bit integer,
                /// truncating; traps if NaN or out of range.
                X64FromF64U = x64_from_f64_u { dst: Dst, src: Src } [traps];
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
                Load8S = load8_s { dst: Dst, addr: Src, offset: U32 } [traps];
                /// `dst` = the byte at `addr + offset`, zero-extended to 64 bits.
                Load8U = load8_u { dst: Dst, addr: Src, offset: U32 } [traps];
                /// `dst` = the 16 bits at `addr + offset`, sign-extended.
                Load16S = load16_s { dst: Dst, addr: Src, offset: U32 } [traps];
                /// `dst` = the 16 bits at `addr + offset`, zero-extended.
                Load16U = load16_u { dst: Dst, addr: Src, offset: U32 } [traps];
                /// `dst` = the 32 bits at `addr + offset`, sign-extended.
                Load32S = load32_s { dst: Dst, addr: Src, offset: U32 } [traps];
                /// `dst` = the 32 bits at `addr + offset`, zero-extended.
                Load32U = load32_u { dst: Dst, addr: Src, offset: U32 } [traps];
                /// `dst` = the 64 bits at `addr + offset`.
                Load64 = load64 { dst: Dst, addr: Src, offset: U32 } [traps];
                /// Stores the low 8 bits of `src` at `addr + offset`.
                Store8 = store8 { addr: Src, offset: U32, src: Src } [traps];
                /// Stores the low 16 bits of `src` at `addr + offset`.
                Store16 = store16 { addr: Src, offset: U32, src: Src } [traps];
                /// Stores the low 32 bits of `src` at `addr + offset`.
                Store32 = store32 { addr: Src, offset: U32, src: Src } [traps];
                /// Stores all 64 bits of `src` at `addr + offset`.
                Store64 = store64 { addr: Src, offset: U32, src: Src } [traps];
                /// `load8_u` at the 32-bit (wrapping) sum `base + index`, plus
                /// `offset`: wasm's `i32.add` of an address, fused.
                Load8UIndexed = load8_u_indexed { dst: Dst, base: Src, index: Src, offset: U32 } [traps];
                /// `load32_u` at `base + index` (see `load8_u_indexed`).
                Load32UIndexed = load32_u_indexed { dst: Dst, base: Src, index: Src, offset: U32 } [traps];
                /// `load64` at `base + index` (see `load8_u_indexed`).
                Load64Indexed = load64_indexed { dst: Dst, base: Src, index: Src, offset: U32 } [traps];
                /// `store8` at `base + index` (see `load8_u_indexed`).
                Store8Indexed = store8_indexed { base: Src, index: Src, offset: U32, src: Src } [traps];
                /// `store32` at `base + index` (see `load8_u_indexed`).
                Store32Indexed = store32_indexed { base: Src, index: Src, offset: U32, src: Src } [traps];
                /// `store64` at `base + index` (see `load8_u_indexed`).
                Store64Indexed = store64_indexed { base: Src, index: Src, offset: U32, src: Src } [traps];

                /// `dst` = the 64-bit value of the embedder's global cell `global`.
                GlobalGet = global_get { dst: Dst, global: GlobalIndex };
                /// Sets the embedder's global cell `global` to all 64 bits of `src`.
                GlobalSet = global_set { global: GlobalIndex, src: Src };
                /// Counts `weight` units toward compiling function `func`
                /// again with the optimizing tier (the baseline tier places
                /// it at the function's entry, weighted by the body's size,
                /// and at loop headers); when the function's count, which
                /// each interpreter keeps, runs out, stops for the
                /// embedder, and execution then goes on after it.
                HotCount = hot_count { func: FuncIndex, weight: U8 } [lazy_only];
                /// `hot_count` at the header of a loop, the one at wasm
                /// offset `header`: when the count runs out, the embedder
                /// may also compile an entry into the optimized code at
                /// that header, and execution then moves into it, with the
                /// frame's values (on-stack replacement); otherwise it goes
                /// on after this op.
                HotLoop = hot_loop { func: FuncIndex, header: U32 } [lazy_only];
            }
            extended {
                /// `dst = src` for slots beyond 255.
                MovWide = mov_wide { dst: DstWide, src: SrcWide };
                /// Tail call: replaces the current register window with one for
                /// `func` whose first slots are `args`; `func`'s `ret` returns
                /// to this frame's caller.
                ReturnCall = return_call { func: FuncIndex, args: SrcList } [terminator, returns, calls, traps];
                /// Tail call through a function reference (see `call_ref`).
                ReturnCallRef = return_call_ref { callee: Src, ty: TypeIndex, args: SrcList } [terminator, returns, calls, traps];
                /// Leaves the interpreter so that the embedder performs its
                /// operation `builtin` with `args` (growing memory, bulk table
                /// operations, ...); the embedder resumes execution with the
                /// values for `results`, or ends it with a trap.
                CallBuiltin = call_builtin { builtin: BuiltinIndex, args: SrcList, results: DstList } [calls];

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
                MemoryCopy = memory_copy { dst_addr: Src, src_addr: Src, len: Src } [traps];
                /// Sets `len` bytes of memory 0 at `addr` to the low 8 bits of
                /// `value`; traps without writing anything if out of bounds.
                MemoryFill = memory_fill { addr: Src, value: Src, len: Src } [traps];

                /// `dst` = element `index` (unsigned 32-bit) of the embedder's
                /// table `table`; traps with `table_out_of_bounds` past its end.
                TableGet = table_get { dst: Dst, table: TableIndex, index: Src } [traps];
                /// Sets element `index` of table `table` to `value`; traps with
                /// `table_out_of_bounds` past its end.
                TableSet = table_set { table: TableIndex, index: Src, value: Src } [traps];
                /// `dst` = the current number of elements of table `table`.
                TableSize = table_size { dst: Dst, table: TableIndex };
                /// `dst` = the embedder's function reference `func` (see
                /// `call_ref`).
                RefFunc = ref_func { dst: Dst, func: FuncRefIndex };
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
                ConsumeFuel = consume_fuel { amount: U32 } [traps];
                /// The entry of function `func` until it has verified code
                /// (compiled, or verified, at its first call): stops for the
                /// embedder; execution then goes on in the same frame at the
                /// function's code. Only the interpreter places it (a lazy
                /// program's function table points at it).
                FirstCall = first_call { func: FuncIndex } [terminator, runtime_only];

                // --- SIMD: v128 values in slot pairs (see the module docs). ---
                /// `dst` = the 16 bytes at `addr + offset` (see `load64`).
                Vload128 = vload128 { dst_lo: Dst, dst_hi: Dst, addr: Src, offset: U32 } [simd, traps];
                /// Stores the 16 bytes of `src` at `addr + offset`.
                Vstore128 = vstore128 { addr: Src, offset: U32, src_lo: Src, src_hi: Src } [simd, traps];
                /// `dst` = the v128 value of the embedder's global cell `global` (16 bytes).
                VglobalGet = vglobal_get { dst_lo: Dst, dst_hi: Dst, global: GlobalIndex } [simd];
                /// Sets the embedder's global cell `global` to the v128 `src`.
                VglobalSet = vglobal_set { global: GlobalIndex, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = every lane set to the low bits of `src` (i8x16; f32x4 and f64x2 use the integer form of the same width).
                VsplatI8x16 = vsplat_i8x16 { dst_lo: Dst, dst_hi: Dst, src: Src } [simd];
                /// `dst` = every lane set to the low bits of `src` (i16x8; f32x4 and f64x2 use the integer form of the same width).
                VsplatI16x8 = vsplat_i16x8 { dst_lo: Dst, dst_hi: Dst, src: Src } [simd];
                /// `dst` = every lane set to the low bits of `src` (i32x4; f32x4 and f64x2 use the integer form of the same width).
                VsplatI32x4 = vsplat_i32x4 { dst_lo: Dst, dst_hi: Dst, src: Src } [simd];
                /// `dst` = lane `lane mod n` of `src`, zero-extended to 64 bits (i8x16).
                VextractI8x16 = vextract_i8x16 { dst: Dst, src_lo: Src, src_hi: Src, lane: U8 } [simd];
                /// `dst` = lane `lane mod n` of `src`, zero-extended to 64 bits (i16x8).
                VextractI16x8 = vextract_i16x8 { dst: Dst, src_lo: Src, src_hi: Src, lane: U8 } [simd];
                /// `dst` = lane `lane mod n` of `src`, zero-extended to 64 bits (i32x4).
                VextractI32x4 = vextract_i32x4 { dst: Dst, src_lo: Src, src_hi: Src, lane: U8 } [simd];
                /// `dst` = `src` with lane `lane mod n` replaced by the low bits of `value` (i8x16).
                VinsertI8x16 = vinsert_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src, value: Src, lane: U8 } [simd];
                /// `dst` = `src` with lane `lane mod n` replaced by the low bits of `value` (i16x8).
                VinsertI16x8 = vinsert_i16x8 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src, value: Src, lane: U8 } [simd];
                /// `dst` = `src` with lane `lane mod n` replaced by the low bits of `value` (i32x4).
                VinsertI32x4 = vinsert_i32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src, value: Src, lane: U8 } [simd];
                /// `dst` byte `i` = byte `lanes[i]` of the 32 bytes `a` then `b` (indices taken mod 32).
                Vshuffle = vshuffle { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src, lanes: U128 } [simd];
                /// `dst` byte `i` = byte `b[i]` of `a`, or 0 if `b[i] >= 16`.
                Vswizzle = vswizzle { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a + b` (i8x16).
                VaddI8x16 = vadd_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a + b` (i16x8).
                VaddI16x8 = vadd_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a + b` (i32x4).
                VaddI32x4 = vadd_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a + b` (i64x2).
                VaddI64x2 = vadd_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a - b` (i8x16).
                VsubI8x16 = vsub_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a - b` (i16x8).
                VsubI16x8 = vsub_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a - b` (i32x4).
                VsubI32x4 = vsub_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a - b` (i64x2).
                VsubI64x2 = vsub_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a * b` (i16x8).
                VmulI16x8 = vmul_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a * b` (i32x4).
                VmulI32x4 = vmul_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise wrapping `a * b` (i64x2).
                VmulI64x2 = vmul_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a + b`, signed (i8x16).
                VaddSatSI8x16 = vadd_sat_s_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a - b`, signed (i8x16).
                VsubSatSI8x16 = vsub_sat_s_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a + b`, unsigned (i8x16).
                VaddSatUI8x16 = vadd_sat_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a - b`, unsigned (i8x16).
                VsubSatUI8x16 = vsub_sat_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a + b`, signed (i16x8).
                VaddSatSI16x8 = vadd_sat_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a - b`, signed (i16x8).
                VsubSatSI16x8 = vsub_sat_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a + b`, unsigned (i16x8).
                VaddSatUI16x8 = vadd_sat_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise saturating `a - b`, unsigned (i16x8).
                VsubSatUI16x8 = vsub_sat_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)`, signed (i8x16).
                VminSI8x16 = vmin_s_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)`, signed (i8x16).
                VmaxSI8x16 = vmax_s_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)`, unsigned (i8x16).
                VminUI8x16 = vmin_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)`, unsigned (i8x16).
                VmaxUI8x16 = vmax_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)`, signed (i16x8).
                VminSI16x8 = vmin_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)`, signed (i16x8).
                VmaxSI16x8 = vmax_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)`, unsigned (i16x8).
                VminUI16x8 = vmin_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)`, unsigned (i16x8).
                VmaxUI16x8 = vmax_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)`, signed (i32x4).
                VminSI32x4 = vmin_s_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)`, signed (i32x4).
                VmaxSI32x4 = vmax_s_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)`, unsigned (i32x4).
                VminUI32x4 = vmin_u_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)`, unsigned (i32x4).
                VmaxUI32x4 = vmax_u_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise unsigned rounding average `(a + b + 1) / 2` (i8x16).
                VavgrUI8x16 = vavgr_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise unsigned rounding average `(a + b + 1) / 2` (i16x8).
                VavgrUI16x8 = vavgr_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise Q15 multiply `(a * b + 0x4000) >> 15`, saturating (i16x8).
                Vq15mulrSatSI16x8 = vq15mulr_sat_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Pairwise sums: lanes `a0+a1, a2+a3, ..., b0+b1, ...` (i16x8).
                VaddPairwiseI16x8 = vadd_pairwise_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Pairwise sums: lanes `a0+a1, a2+a3, b0+b1, b2+b3` (i32x4).
                VaddPairwiseI32x4 = vadd_pairwise_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a << (amount mod lane bits)` (i8x16).
                VshlI8x16 = vshl_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise `a << (amount mod lane bits)` (i16x8).
                VshlI16x8 = vshl_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise `a << (amount mod lane bits)` (i32x4).
                VshlI32x4 = vshl_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise `a << (amount mod lane bits)` (i64x2).
                VshlI64x2 = vshl_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise arithmetic `a >> (amount mod lane bits)` (i8x16).
                VshrSI8x16 = vshr_s_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise arithmetic `a >> (amount mod lane bits)` (i16x8).
                VshrSI16x8 = vshr_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise arithmetic `a >> (amount mod lane bits)` (i32x4).
                VshrSI32x4 = vshr_s_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise arithmetic `a >> (amount mod lane bits)` (i64x2).
                VshrSI64x2 = vshr_s_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise logical `a >> (amount mod lane bits)` (i8x16).
                VshrUI8x16 = vshr_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise logical `a >> (amount mod lane bits)` (i16x8).
                VshrUI16x8 = vshr_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise logical `a >> (amount mod lane bits)` (i32x4).
                VshrUI32x4 = vshr_u_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise logical `a >> (amount mod lane bits)` (i64x2).
                VshrUI64x2 = vshr_u_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, amount: Src } [simd];
                /// Lane-wise wrapping negation (i8x16).
                VnegI8x16 = vneg_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise wrapping negation (i16x8).
                VnegI16x8 = vneg_i16x8 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise wrapping negation (i32x4).
                VnegI32x4 = vneg_i32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise wrapping negation (i64x2).
                VnegI64x2 = vneg_i64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise wrapping absolute value (i8x16).
                VabsI8x16 = vabs_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise wrapping absolute value (i16x8).
                VabsI16x8 = vabs_i16x8 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise wrapping absolute value (i32x4).
                VabsI32x4 = vabs_i32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise wrapping absolute value (i64x2).
                VabsI64x2 = vabs_i64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise population count (i8x16).
                VpopcntI8x16 = vpopcnt_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst = a & b` (v128).
                Vand = vand { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// `dst = a | b` (v128).
                Vor = vor { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// `dst = a ^ b` (v128).
                Vxor = vxor { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// `dst = a & !b` (v128).
                Vandnot = vandnot { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// `dst = !src` (v128).
                Vnot = vnot { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst = (a & mask) | (b & !mask)` (v128).
                Vbitselect = vbitselect { dst_lo: Dst, dst_hi: Dst, mask_lo: Src, mask_hi: Src, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// `dst` = 1 if any bit of `src` is set, else 0.
                VanyTrue = vany_true { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = 1 if every lane of `src` is nonzero, else 0 (i8x16).
                VallTrueI8x16 = vall_true_i8x16 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = 1 if every lane of `src` is nonzero, else 0 (i16x8).
                VallTrueI16x8 = vall_true_i16x8 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = 1 if every lane of `src` is nonzero, else 0 (i32x4).
                VallTrueI32x4 = vall_true_i32x4 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = 1 if every lane of `src` is nonzero, else 0 (i64x2).
                VallTrueI64x2 = vall_true_i64x2 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = bit `i` set to the sign bit of lane `i` (i8x16).
                VbitmaskI8x16 = vbitmask_i8x16 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = bit `i` set to the sign bit of lane `i` (i16x8).
                VbitmaskI16x8 = vbitmask_i16x8 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = bit `i` set to the sign bit of lane `i` (i32x4).
                VbitmaskI32x4 = vbitmask_i32x4 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// `dst` = bit `i` set to the sign bit of lane `i` (i64x2).
                VbitmaskI64x2 = vbitmask_i64x2 { dst: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise `a ==` as an all-ones or all-zeros lane (i8x16).
                VeqI8x16 = veq_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a ==` as an all-ones or all-zeros lane (i16x8).
                VeqI16x8 = veq_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a ==` as an all-ones or all-zeros lane (i32x4).
                VeqI32x4 = veq_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a ==` as an all-ones or all-zeros lane (i64x2).
                VeqI64x2 = veq_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a !=` as an all-ones or all-zeros lane (i8x16).
                VneI8x16 = vne_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a !=` as an all-ones or all-zeros lane (i16x8).
                VneI16x8 = vne_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a !=` as an all-ones or all-zeros lane (i32x4).
                VneI32x4 = vne_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a !=` as an all-ones or all-zeros lane (i64x2).
                VneI64x2 = vne_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, signed,` as an all-ones or all-zeros lane (i8x16).
                VltSI8x16 = vlt_s_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, signed,` as an all-ones or all-zeros lane (i16x8).
                VltSI16x8 = vlt_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, signed,` as an all-ones or all-zeros lane (i32x4).
                VltSI32x4 = vlt_s_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, signed,` as an all-ones or all-zeros lane (i64x2).
                VltSI64x2 = vlt_s_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, signed,` as an all-ones or all-zeros lane (i8x16).
                VleSI8x16 = vle_s_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, signed,` as an all-ones or all-zeros lane (i16x8).
                VleSI16x8 = vle_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, signed,` as an all-ones or all-zeros lane (i32x4).
                VleSI32x4 = vle_s_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, signed,` as an all-ones or all-zeros lane (i64x2).
                VleSI64x2 = vle_s_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, unsigned,` as an all-ones or all-zeros lane (i8x16).
                VltUI8x16 = vlt_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, unsigned,` as an all-ones or all-zeros lane (i16x8).
                VltUI16x8 = vlt_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, unsigned,` as an all-ones or all-zeros lane (i32x4).
                VltUI32x4 = vlt_u_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <, unsigned,` as an all-ones or all-zeros lane (i64x2).
                VltUI64x2 = vlt_u_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, unsigned,` as an all-ones or all-zeros lane (i8x16).
                VleUI8x16 = vle_u_i8x16 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, unsigned,` as an all-ones or all-zeros lane (i16x8).
                VleUI16x8 = vle_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, unsigned,` as an all-ones or all-zeros lane (i32x4).
                VleUI32x4 = vle_u_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <=, unsigned,` as an all-ones or all-zeros lane (i64x2).
                VleUI64x2 = vle_u_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a == b` as an all-ones or all-zeros lane (f32x4).
                VfeqF32x4 = vfeq_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a == b` as an all-ones or all-zeros lane (f64x2).
                VfeqF64x2 = vfeq_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a != b` as an all-ones or all-zeros lane (f32x4).
                VfneF32x4 = vfne_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a != b` as an all-ones or all-zeros lane (f64x2).
                VfneF64x2 = vfne_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a < b` as an all-ones or all-zeros lane (f32x4).
                VfltF32x4 = vflt_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a < b` as an all-ones or all-zeros lane (f64x2).
                VfltF64x2 = vflt_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <= b` as an all-ones or all-zeros lane (f32x4).
                VfleF32x4 = vfle_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a <= b` as an all-ones or all-zeros lane (f64x2).
                VfleF64x2 = vfle_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Narrows the signed lanes of `a` then `b` to i8x16, saturating signed.
                VnarrowSI16x8 = vnarrow_s_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Narrows the signed lanes of `a` then `b` to i8x16, saturating unsigned.
                VnarrowUI16x8 = vnarrow_u_i16x8 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Narrows the signed lanes of `a` then `b` to i16x8, saturating signed.
                VnarrowSI32x4 = vnarrow_s_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Narrows the signed lanes of `a` then `b` to i16x8, saturating unsigned.
                VnarrowUI32x4 = vnarrow_u_i32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Narrows the signed lanes of `a` then `b` to i32x4, saturating signed.
                VnarrowSI64x2 = vnarrow_s_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Narrows the signed lanes of `a` then `b` to i32x4, saturating unsigned.
                VnarrowUI64x2 = vnarrow_u_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Narrows the unsigned lanes of `a` then `b` to i32x4, saturating unsigned.
                VnarrowUuI64x2 = vnarrow_uu_i64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// The low half of `src`'s lanes, sign-extended to i16x8.
                VwidenLowSI8x16 = vwiden_low_s_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The low half of `src`'s lanes, zero-extended to i16x8.
                VwidenLowUI8x16 = vwiden_low_u_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The high half of `src`'s lanes, sign-extended to i16x8.
                VwidenHighSI8x16 = vwiden_high_s_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The high half of `src`'s lanes, zero-extended to i16x8.
                VwidenHighUI8x16 = vwiden_high_u_i8x16 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The low half of `src`'s lanes, sign-extended to i32x4.
                VwidenLowSI16x8 = vwiden_low_s_i16x8 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The low half of `src`'s lanes, zero-extended to i32x4.
                VwidenLowUI16x8 = vwiden_low_u_i16x8 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The high half of `src`'s lanes, sign-extended to i32x4.
                VwidenHighSI16x8 = vwiden_high_s_i16x8 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The high half of `src`'s lanes, zero-extended to i32x4.
                VwidenHighUI16x8 = vwiden_high_u_i16x8 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The low half of `src`'s lanes, sign-extended to i64x2.
                VwidenLowSI32x4 = vwiden_low_s_i32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The low half of `src`'s lanes, zero-extended to i64x2.
                VwidenLowUI32x4 = vwiden_low_u_i32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The high half of `src`'s lanes, sign-extended to i64x2.
                VwidenHighSI32x4 = vwiden_high_s_i32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The high half of `src`'s lanes, zero-extended to i64x2.
                VwidenHighUI32x4 = vwiden_high_u_i32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise `a + b` (f32x4).
                VfaddF32x4 = vfadd_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a + b` (f64x2).
                VfaddF64x2 = vfadd_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a - b` (f32x4).
                VfsubF32x4 = vfsub_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a - b` (f64x2).
                VfsubF64x2 = vfsub_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a * b` (f32x4).
                VfmulF32x4 = vfmul_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a * b` (f64x2).
                VfmulF64x2 = vfmul_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a / b` (f32x4).
                VfdivF32x4 = vfdiv_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `a / b` (f64x2).
                VfdivF64x2 = vfdiv_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)` (wasm: NaN-propagating, `-0 < +0`) (f32x4).
                VfminF32x4 = vfmin_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `min(a, b)` (wasm: NaN-propagating, `-0 < +0`) (f64x2).
                VfminF64x2 = vfmin_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)` (wasm: NaN-propagating, `-0 < +0`) (f32x4).
                VfmaxF32x4 = vfmax_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise `max(a, b)` (wasm: NaN-propagating, `-0 < +0`) (f64x2).
                VfmaxF64x2 = vfmax_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src } [simd];
                /// Lane-wise negation (sign bit flipped) (f32x4).
                VfnegF32x4 = vfneg_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise negation (sign bit flipped) (f64x2).
                VfnegF64x2 = vfneg_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise absolute value (sign bit cleared) (f32x4).
                VfabsF32x4 = vfabs_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise absolute value (sign bit cleared) (f64x2).
                VfabsF64x2 = vfabs_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise square root (f32x4).
                VfsqrtF32x4 = vfsqrt_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise square root (f64x2).
                VfsqrtF64x2 = vfsqrt_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding up (f32x4).
                VfceilF32x4 = vfceil_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding up (f64x2).
                VfceilF64x2 = vfceil_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding down (f32x4).
                VffloorF32x4 = vffloor_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding down (f64x2).
                VffloorF64x2 = vffloor_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding toward zero (f32x4).
                VftruncF32x4 = vftrunc_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding toward zero (f64x2).
                VftruncF64x2 = vftrunc_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding to nearest, ties to even (f32x4).
                VfnearestF32x4 = vfnearest_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise rounding to nearest, ties to even (f64x2).
                VfnearestF64x2 = vfnearest_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Lane-wise fused `a * b + c`, one rounding (f32x4).
                VfmaF32x4 = vfma_f32x4 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src, c_lo: Src, c_hi: Src } [simd];
                /// Lane-wise fused `a * b + c`, one rounding (f64x2).
                VfmaF64x2 = vfma_f64x2 { dst_lo: Dst, dst_hi: Dst, a_lo: Src, a_hi: Src, b_lo: Src, b_hi: Src, c_lo: Src, c_hi: Src } [simd];
                /// Signed i32 lanes converted to f32, rounding to nearest.
                Vf32x4FromI32x4S = vf32x4_from_i32x4_s { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Unsigned i32 lanes converted to f32, rounding to nearest.
                Vf32x4FromI32x4U = vf32x4_from_i32x4_u { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Signed i64 lanes converted to f64, rounding to nearest.
                Vf64x2FromI64x2S = vf64x2_from_i64x2_s { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// Unsigned i64 lanes converted to f64, rounding to nearest.
                Vf64x2FromI64x2U = vf64x2_from_i64x2_u { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// f32 lanes converted to signed i32, saturating (NaN gives 0).
                Vi32x4FromF32x4SSat = vi32x4_from_f32x4_s_sat { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// f32 lanes converted to unsigned i32, saturating (NaN gives 0).
                Vi32x4FromF32x4USat = vi32x4_from_f32x4_u_sat { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// f64 lanes converted to signed i64, saturating (NaN gives 0).
                Vi64x2FromF64x2SSat = vi64x2_from_f64x2_s_sat { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// f64 lanes converted to unsigned i64, saturating (NaN gives 0).
                Vi64x2FromF64x2USat = vi64x2_from_f64x2_u_sat { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The two f64 lanes rounded to f32 in lanes 0 and 1; lanes 2 and 3 zero.
                Vf32x4DemoteF64x2 = vf32x4_demote_f64x2 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];
                /// The two low f32 lanes widened to f64.
                Vf64x2PromoteF32x4 = vf64x2_promote_f32x4 { dst_lo: Dst, dst_hi: Dst, src_lo: Src, src_hi: Src } [simd];

            }
        }
    };
}
