//! A verified program: bytecode plus its function table, and the shape of the
//! environment it expects.

use alloc::boxed::Box;
use alloc::vec::Vec;

use pulley_isa::FuncIndex;

use crate::verify::{VerifyError, verify_program};

/// Where a function's code is and what its frame needs.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FunctionInfo {
    /// Its type: an index into [`EnvironmentShape::types`], whose slot
    /// counts must equal `params` and `results`.
    pub ty: u32,
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

/// What a slot holds, as far as the verifier tracks it: the kinds of
/// values whose bits name something of the embedder's, and plain bits.
///
/// A reference is a handle into the embedder's store; bytecode may use one
/// only where it came from an op that produces one (see [`Program`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SlotKind {
    /// Plain bits: an integer, a float, or one half of a v128.
    Number,
    /// A function reference handle (`ref_func`, `call_ref`), or null (0).
    FuncRef,
    /// A handle to a value of the embedder's (wasm's `externref`), or null
    /// (0).
    ExternRef,
}

impl SlotKind {
    /// The kind's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            SlotKind::Number => "number",
            SlotKind::FuncRef => "function reference",
            SlotKind::ExternRef => "extern reference",
        }
    }
}

/// The slots a function takes and returns, in order (a v128 takes two
/// `Number` slots, low half first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Signature {
    /// The parameters: slots `0..params.len()` of the callee's frame.
    pub params: Vec<SlotKind>,
    /// The results.
    pub results: Vec<SlotKind>,
}

impl Signature {
    /// A signature of `params` and `results` number slots.
    pub fn numbers(params: usize, results: usize) -> Signature {
        Signature {
            params: alloc::vec![SlotKind::Number; params],
            results: alloc::vec![SlotKind::Number; results],
        }
    }
}

/// What a global cell holds, and whether code may set it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct GlobalShape {
    /// What `global_get` reads from it; `None` for a v128 global, which
    /// only `vglobal_get` and `vglobal_set` access.
    pub scalar: Option<SlotKind>,
    /// Whether `global_set` (or `vglobal_set`) may write it.
    pub mutable: bool,
}

/// The embedder entities a program refers to, with their types. An
/// environment that runs the program must provide these, of these types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvironmentShape {
    /// The program's function types, by [`TypeIndex`](pulley_isa::TypeIndex):
    /// the types of its functions ([`FunctionInfo::ty`]), of its imports,
    /// of `call_ref` callees, and the signature ids of `type_id`.
    pub types: Vec<Signature>,
    /// The type of each function the embedder provides (`call_import`).
    pub imports: Vec<u32>,
    /// Global cells (`global_get`, `global_set`).
    pub globals: Vec<GlobalShape>,
    /// The element kind of each table (`table_*`).
    pub tables: Vec<SlotKind>,
    /// Function references (`ref_func`).
    pub func_refs: u32,
    /// The signature of each of the embedder's builtins (`call_builtin`).
    pub builtins: Vec<Signature>,
}

/// What the code promises beyond its shape, and the verifier proves.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Claims {
    /// The code charges fuel (`consume_fuel`): at least one unit before
    /// every call and on every cycle of every function's control flow, so
    /// it cannot run on without fuel. See [`Program`].
    pub charges_fuel: bool,
}

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
