//! A verified program: bytecode plus its function table, and the shape of the
//! environment it expects.

use alloc::boxed::Box;
use alloc::vec::Vec;

use pulley_isa::FuncIndex;

use crate::verify::{VerifyError, verify_program};

/// Where a function's code is and what its frame needs.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FunctionInfo {
    /// Offset of the function's first op in the code.
    pub code_start: u32,
    /// Offset one past its last op.
    pub code_end: u32,
    /// Slots in its register window (at most [`MAX_FRAME_SLOTS`]).
    pub frame_slots: u32,
    /// Number of parameters: arrive in slots `0..params`.
    pub params: u32,
    /// Number of results its `ret` ops return.
    pub results: u32,
}

/// The largest frame a function may have: slot operands are 16 bits.
pub const MAX_FRAME_SLOTS: u32 = pulley_isa::Slot::COUNT;

/// How many of each embedder entity a program refers to. An environment that
/// runs the program must provide at least these many.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvironmentShape {
    /// Functions the embedder provides (`call_import`).
    pub imports: u32,
    /// Global cells (`global_get`, `global_set`).
    pub globals: u32,
    /// Tables (`table_*`).
    pub tables: u32,
    /// Signature ids (`type_id`).
    pub types: u32,
    /// Function references (`ref_func`).
    pub func_refs: u32,
}

/// Bytecode that passed the verifier, with its function table.
///
/// Every op decodes, every slot operand is inside its function's frame, every
/// branch lands on an op of the same function, every function ends in an op
/// that does not fall through (a `terminator` in the opcode table), and every
/// index operand is in range for the function table or the
/// [`EnvironmentShape`] (builtin indices excepted: the embedder checks those
/// when `call_builtin` exits to it). The interpreter relies on these facts to
/// decode without bounds checks.
#[derive(Debug)]
pub struct Program {
    code: Box<[u8]>,
    functions: Box<[FunctionInfo]>,
    shape: EnvironmentShape,
    /// Function indices sorted by code offset, for `function_at`.
    by_offset: Box<[u32]>,
}

impl Program {
    /// Verifies `code` against `functions` and `shape`.
    pub fn new(
        code: Vec<u8>,
        functions: Vec<FunctionInfo>,
        shape: EnvironmentShape,
    ) -> Result<Program, VerifyError> {
        let verified = verify_program(&code, &functions, &shape)?;
        Ok(Program {
            code: code.into_boxed_slice(),
            functions: functions.into_boxed_slice(),
            shape,
            by_offset: verified.into_boxed_slice(),
        })
    }

    /// The bytecode.
    pub fn code(&self) -> &[u8] {
        &self.code
    }

    /// The function table.
    pub fn functions(&self) -> &[FunctionInfo] {
        &self.functions
    }

    /// The environment the program expects.
    pub fn shape(&self) -> &EnvironmentShape {
        &self.shape
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
