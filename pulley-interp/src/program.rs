//! A verified program: bytecode plus its function table, and the shape of the
//! environment it expects.

use alloc::boxed::Box;
use alloc::vec::Vec;

use pulley_isa::FuncIndex;

use crate::shape::{Claims, EnvironmentShape, FunctionInfo};
use crate::verify::{VerifyError, verify_program};

/// Bytecode that passed the verifier, with its function table.
///
/// The verifier proves two kinds of facts. The structural ones make
/// unchecked decoding in the interpreter sound: every op decodes, every slot
/// operand is inside its function's frame, every branch lands on an op of
/// the same function, every function ends in an op that does not fall
/// through (a `terminator` in the opcode table), every index operand is in
/// range for the function table or the [`EnvironmentShape`], and calls and
/// returns pass as many values as their callee's or function's type has.
///
/// The semantic ones make a forged program unable to do what compiled wasm
/// could not:
/// * **References come from ops that produce them.** A dataflow over slot
///   kinds ([`SlotKind`], as the JVM verifier types its locals) tracks which
///   slots hold a function reference, an extern reference, null, or plain
///   bits, on every path. A slot used as a reference (a `call_ref` callee,
///   a table element or reference global written, a reference argument or
///   result) must hold one of that kind on every path that reaches the op.
///   References come from `ref_func`, `table_get`, `global_get`, call
///   results and parameters, by their types; `mov` and the selects carry
///   them; a zero constant is null. `call_ref` names its callee's type, and
///   the interpreter checks the callee's signature id against it.
/// * **Globals are accessed as their type says:** `global_set` only on
///   mutable ones, v128 globals only by `vglobal_*`.
/// * **Fuel**, when [`Claims::charges_fuel`] is set: every `consume_fuel`
///   charges at least one unit; on every path from a function's entry, and
///   from the return of any call, to a call, and around every cycle of the
///   control flow, there is a `consume_fuel`. So between two charges the
///   interpreter runs at most one acyclic stretch of one function and one
///   call of a function that makes no calls and has no cycles.
///
/// The analysis is linear in the code's size, times the number of slots
/// that hold references at once (it stores only those).
#[derive(Debug)]
pub struct Program {
    code: Box<[u8]>,
    functions: Box<[FunctionInfo]>,
    shape: EnvironmentShape,
    claims: Claims,
    /// Function indices sorted by code offset, for `function_at`.
    by_offset: Box<[u32]>,
    /// How many signature ids the code reads (`type_id`, `call_ref`).
    type_ids_used: u32,
}

impl Program {
    /// Verifies `code` against `functions`, `shape` and what it `claims`.
    pub fn new(
        code: Vec<u8>,
        functions: Vec<FunctionInfo>,
        shape: EnvironmentShape,
        claims: Claims,
    ) -> Result<Program, VerifyError> {
        let verified = verify_program(&code, &functions, &shape, claims)?;
        let type_ids_used = verified.type_ids_used;
        Ok(Program {
            code: code.into_boxed_slice(),
            functions: functions.into_boxed_slice(),
            shape,
            claims,
            by_offset: verified.by_offset.into_boxed_slice(),
            type_ids_used,
        })
    }

    /// The bytecode.
    pub fn code(&self) -> &[u8] {
        &self.code
    }

    /// The address of code offset `offset` (for offsets inside the code,
    /// a pointer into it).
    pub(crate) fn code_at(&self, offset: usize) -> *const u8 {
        self.code.as_ptr().wrapping_add(offset)
    }

    /// The code offset of `pc`, a pointer into the code.
    pub(crate) fn offset_of(&self, pc: *const u8) -> usize {
        pc.addr().wrapping_sub(self.code.as_ptr().addr())
    }

    /// The function table.
    pub fn functions(&self) -> &[FunctionInfo] {
        &self.functions
    }

    /// The environment the program expects.
    pub fn shape(&self) -> &EnvironmentShape {
        &self.shape
    }

    /// How many of the shape's types need signature ids in the environment:
    /// one past the highest type index an op names.
    pub fn type_ids_used(&self) -> u32 {
        self.type_ids_used
    }

    /// What the code claims, proven.
    pub fn claims(&self) -> Claims {
        self.claims
    }

    /// The function whose code contains `offset`.
    pub fn function_at(&self, offset: usize) -> Option<FuncIndex> {
        let position = self
            .by_offset
            .partition_point(|&f| self.functions[f as usize].code_start as usize <= offset);
        let candidate = *self.by_offset.get(position.checked_sub(1)?)?;
        let info = &self.functions[candidate as usize];
        (offset < info.code_end as usize).then_some(FuncIndex(candidate))
    }
}
