//! What a program is checked against: its function table, the types of the
//! slots it passes, the embedder entities it refers to, and what it claims.
//! The verifier (`crate::verify`) proves a [`Program`](crate::Program)'s
//! code against these.

use alloc::vec::Vec;

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
/// only where it came from an op that produces one (see [`Program`](crate::Program)).
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
    /// it cannot run on without fuel. See [`Program`](crate::Program).
    pub charges_fuel: bool,
}
