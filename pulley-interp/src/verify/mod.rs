//! The verifier, our security boundary: a structural pass makes unchecked
//! decoding in the interpreter sound, then a slot-kind dataflow
//! ([`kinds`]) proves that references are never forged and, for code that
//! claims it, a fuel proof ([`fuel`]) that the code cannot run on without
//! charging. See [`Program`](crate::Program) for what it proves.

mod fuel;
mod graph;
mod kinds;

use alloc::vec::Vec;

use pulley_isa::{
    DecodeError, Decoded, FuncIndex, IndexKind, JumpTableRef, Op, OperandVisitor, PcRel, Slot,
    SlotList, decode_one,
};

use crate::shape::{Claims, EnvironmentShape, FunctionInfo, MAX_FRAME_SLOTS, SlotKind};
use graph::OpGraph;

/// Why bytecode was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// A function's code range is not inside the code.
    #[error("function {func}: code range {start}..{end} is outside the {code_len}-byte code")]
    FunctionOutOfCode {
        /// The function.
        func: u32,
        /// Its start offset.
        start: u32,
        /// Its end offset.
        end: u32,
        /// Length of the code.
        code_len: usize,
    },
    /// A function has no ops.
    #[error("function {func} has no code")]
    EmptyFunction {
        /// The function.
        func: u32,
    },
    /// Two functions' code ranges overlap.
    #[error("functions {first} and {second} overlap")]
    OverlappingFunctions {
        /// One function.
        first: u32,
        /// The other.
        second: u32,
    },
    /// A frame larger than [`MAX_FRAME_SLOTS`] or smaller than the parameters.
    #[error(
        "function {func}: frame of {frame_slots} slots cannot hold {params} parameters or exceeds {MAX_FRAME_SLOTS}"
    )]
    BadFrame {
        /// The function.
        func: u32,
        /// Its frame size.
        frame_slots: u32,
        /// Its parameter count.
        params: u32,
    },
    /// An op does not decode.
    #[error("function {func}: {error}")]
    Decode {
        /// The function.
        func: u32,
        /// The decoding error.
        error: DecodeError,
    },
    /// An op runs past the end of its function.
    #[error("function {func}: op at offset {at} runs past the function's end")]
    OpCrossesEnd {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
    },
    /// The last op of a function can fall through.
    #[error("function {func}: its last op can fall through past the function's end")]
    MissingTerminator {
        /// The function.
        func: u32,
    },
    /// A slot operand outside the frame.
    #[error("function {func}: op at offset {at} uses slot {slot}, but the frame has {frame_slots}")]
    SlotOutOfFrame {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// The slot.
        slot: u16,
        /// The frame size.
        frame_slots: u32,
    },
    /// A branch that lands outside its function or inside an op.
    #[error(
        "function {func}: branch at offset {at} lands on {target}, which is no op of the function"
    )]
    BadBranchTarget {
        /// The function.
        func: u32,
        /// The branch's offset.
        at: usize,
        /// The target offset (may be out of range).
        target: i64,
    },
    /// An index operand out of range.
    #[error("function {func}: op at offset {at} names {what} {index}, but there are {limit}")]
    IndexOutOfRange {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// What kind of index.
        what: &'static str,
        /// The index.
        index: u32,
        /// How many there are.
        limit: u32,
    },
    /// A v128 (SIMD) op in an interpreter built without the `simd` feature.
    #[error(
        "function {func}: op `{mnemonic}` at offset {at} is a SIMD op, but this interpreter was built without the `simd` feature"
    )]
    SimdNotEnabled {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// The op's mnemonic.
        mnemonic: &'static str,
    },
    /// An op allowed only in code installed into a lazy program one
    /// function at a time, in other code (an artifact's, or upgraded code).
    #[error(
        "function {func}: op `{mnemonic}` at offset {at} is allowed only in code installed into a lazy program"
    )]
    LazyOnlyOp {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// The op's mnemonic.
        mnemonic: &'static str,
    },
    /// An op that only the interpreter places, in a program's code.
    #[error("function {func}: op `{mnemonic}` at offset {at} is placed by the interpreter only")]
    RuntimeOnlyOp {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// The op's mnemonic.
        mnemonic: &'static str,
    },
    /// Code for a function the program does not have.
    #[error("function {func} does not exist")]
    NoSuchFunction {
        /// The function.
        func: u32,
    },
    /// Readying a function the program does not have, or code of a kind
    /// the program does not take (code for a program that has its own, or
    /// in-place verification for one whose code arrives later).
    #[error("function {func} is not pending")]
    NotPending {
        /// The function.
        func: u32,
    },
    /// A call or return whose value counts do not match the callee.
    #[error("function {func}: op at offset {at} passes {found} {what}, expected {expected}")]
    ArityMismatch {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// "arguments" or "results".
        what: &'static str,
        /// The count the op has.
        found: usize,
        /// The count the callee or function needs.
        expected: u32,
    },
    /// A function whose frame counts disagree with its type, or a type
    /// index of the shape that names no type.
    #[error(
        "function {func}: type {ty} does not exist or does not have its {params} parameter and {results} result slots"
    )]
    TypeMismatch {
        /// The function (or `u32::MAX` for an import's or the shape's type).
        func: u32,
        /// The type index.
        ty: u32,
        /// The function's parameter slot count.
        params: u32,
        /// Its result slot count.
        results: u32,
    },
    /// A slot used as a reference (or as a value for a reference) that may
    /// hold something else on some path.
    #[error(
        "function {func}: op at offset {at} uses slot {slot} as a {}, but it may hold a {}",
        expected.name(),
        found.name()
    )]
    KindMismatch {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// The slot.
        slot: u16,
        /// What the op needs.
        expected: SlotKind,
        /// What the slot may hold instead.
        found: SlotKind,
    },
    /// A global accessed against its type: a write to an immutable one, or
    /// a v128 global read as a scalar or the other way round.
    #[error("function {func}: op at offset {at} cannot access global {global}: {why}")]
    GlobalMisuse {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// The global.
        global: u32,
        /// What is wrong.
        why: &'static str,
    },
    /// A tail call whose callee returns a kind of value this function's type
    /// does not promise.
    #[error(
        "function {func}: tail call at offset {at} returns a {} as result {result}, which the function's type makes a {}",
        found.name(),
        expected.name()
    )]
    ResultKindMismatch {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// Which result.
        result: u32,
        /// What the function's type promises.
        expected: SlotKind,
        /// What the callee returns.
        found: SlotKind,
    },
    /// Code that claims to charge fuel but has a way to run on without it.
    #[error("function {func}: op at offset {at} {why}, but the code claims to charge fuel")]
    FuelNotCharged {
        /// The function.
        func: u32,
        /// The op's offset.
        at: usize,
        /// What is uncharged.
        why: &'static str,
    },
}

/// What verification found out about a program.
pub(crate) struct Verified {
    /// Function indices sorted by code offset.
    pub(crate) by_offset: Vec<u32>,
    /// One past the highest type index an op names (`type_id`, `call_ref`):
    /// how many signature ids the environment must provide.
    pub(crate) type_ids_used: u32,
}

/// Verifies every function.
pub(crate) fn verify_program(
    code: &[u8],
    functions: &[FunctionInfo],
    shape: &EnvironmentShape,
    claims: Claims,
) -> Result<Verified, VerifyError> {
    verify_function_table(functions, shape)?;
    let by_offset = verify_code_ranges(code, functions)?;
    let mut checker = FunctionChecker::new(code, functions, shape);
    let count = u32::try_from(functions.len()).unwrap_or(u32::MAX);
    for (func, info) in (0..count).zip(functions) {
        checker.verify(func, *info, claims)?;
    }
    Ok(Verified {
        by_offset,
        type_ids_used: checker.type_ids_used,
    })
}

/// Whether code may hold the ops flagged `lazy_only` ([`OpFlags::is_lazy_only`]):
/// only code installed into a lazy program, whose activations count in
/// tables of their interpreter's own.
///
/// [`OpFlags::is_lazy_only`]: pulley_isa::OpFlags::is_lazy_only
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum LazyOnlyOps {
    Allowed,
    Refused,
}

/// Checks that every function's code range is non-empty, inside `code`, and
/// apart from the others; returns the functions sorted by code offset.
pub(crate) fn verify_code_ranges(
    code: &[u8],
    functions: &[FunctionInfo],
) -> Result<Vec<u32>, VerifyError> {
    let count = u32::try_from(functions.len()).unwrap_or(u32::MAX);
    for (func, info) in (0..count).zip(functions) {
        if info.code_start >= info.code_end {
            return Err(VerifyError::EmptyFunction { func });
        }
        if info.code_end as usize > code.len() {
            return Err(VerifyError::FunctionOutOfCode {
                func,
                start: info.code_start,
                end: info.code_end,
                code_len: code.len(),
            });
        }
    }
    let mut by_offset: Vec<u32> = (0..count).collect();
    by_offset.sort_by_key(|&f| functions[f as usize].code_start);
    for pair in by_offset.windows(2) {
        if functions[pair[0] as usize].code_end > functions[pair[1] as usize].code_start {
            return Err(VerifyError::OverlappingFunctions {
                first: pair[0],
                second: pair[1],
            });
        }
    }
    Ok(by_offset)
}

/// Checks what a function table says of each function, before any code:
/// frame sizes, and parameter and result counts against their types.
pub(crate) fn verify_function_table(
    functions: &[FunctionInfo],
    shape: &EnvironmentShape,
) -> Result<(), VerifyError> {
    check_shape(shape)?;
    let count = u32::try_from(functions.len()).unwrap_or(u32::MAX);
    for (func, info) in (0..count).zip(functions) {
        check_function_info(func, info, shape)?;
    }
    Ok(())
}

/// Checks function `func`'s frame size, and its parameter and result counts
/// against its type.
fn check_function_info(
    func: u32,
    info: &FunctionInfo,
    shape: &EnvironmentShape,
) -> Result<(), VerifyError> {
    if info.frame_slots > MAX_FRAME_SLOTS || info.params > info.frame_slots {
        return Err(VerifyError::BadFrame {
            func,
            frame_slots: info.frame_slots,
            params: info.params,
        });
    }
    let fits_type = shape.types.get(info.ty as usize).is_some_and(|ty| {
        ty.params.len() == info.params as usize && ty.results.len() == info.results as usize
    });
    if !fits_type {
        return Err(VerifyError::TypeMismatch {
            func,
            ty: info.ty,
            params: info.params,
            results: info.results,
        });
    }
    Ok(())
}

/// Verifies the code of one function compiled on its own: `code` is all of
/// it, with a frame of `frame_slots`; `functions` (already checked by
/// [`verify_function_table`]) gives every function's type, for calls.
pub(crate) fn verify_function(
    code: &[u8],
    func: u32,
    frame_slots: u32,
    functions: &[FunctionInfo],
    shape: &EnvironmentShape,
    claims: Claims,
    lazy_only: LazyOnlyOps,
) -> Result<(), VerifyError> {
    let listed = functions
        .get(func as usize)
        .ok_or(VerifyError::NoSuchFunction { func })?;
    let info = FunctionInfo {
        code_start: 0,
        code_end: u32::try_from(code.len()).map_err(|_| VerifyError::FunctionOutOfCode {
            func,
            start: 0,
            end: u32::MAX,
            code_len: code.len(),
        })?,
        frame_slots,
        ..*listed
    };
    if code.is_empty() {
        return Err(VerifyError::EmptyFunction { func });
    }
    check_function_info(func, &info, shape)?;
    let mut checker = FunctionChecker::new(code, functions, shape);
    checker.lazy_only = lazy_only;
    checker.verify(func, info, claims)
}

/// Verifies an on-stack entry into function `func`'s code
/// ([`Program::install_on_stack_entry`](crate::Program::install_on_stack_entry)):
/// as [`verify_function`] does, except that its parameters are the first
/// `params` slots of a frame of `frame_slots`, none holding a reference.
pub(crate) fn verify_on_stack_entry(
    code: &[u8],
    func: u32,
    frame_slots: u32,
    params: u32,
    functions: &[FunctionInfo],
    shape: &EnvironmentShape,
    claims: Claims,
) -> Result<(), VerifyError> {
    let listed = functions
        .get(func as usize)
        .ok_or(VerifyError::NoSuchFunction { func })?;
    let code_end = u32::try_from(code.len()).map_err(|_| VerifyError::FunctionOutOfCode {
        func,
        start: 0,
        end: u32::MAX,
        code_len: code.len(),
    })?;
    if code.is_empty() {
        return Err(VerifyError::EmptyFunction { func });
    }
    // The function's own entry is checked against its type; the on-stack
    // entry's parameters against its frame.
    check_function_info(func, listed, shape)?;
    if frame_slots > MAX_FRAME_SLOTS || params > frame_slots {
        return Err(VerifyError::BadFrame {
            func,
            frame_slots,
            params,
        });
    }
    let info = FunctionInfo {
        code_start: 0,
        code_end,
        frame_slots,
        params,
        ..*listed
    };
    let mut checker = FunctionChecker::new(code, functions, shape);
    checker.typed_params = false;
    checker.verify(func, info, claims)
}

/// Checks that the shape's own type indices name types.
fn check_shape(shape: &EnvironmentShape) -> Result<(), VerifyError> {
    let types = shape.types.len();
    match shape.imports.iter().find(|&&ty| ty as usize >= types) {
        Some(&ty) => Err(VerifyError::TypeMismatch {
            func: u32::MAX,
            ty,
            params: 0,
            results: 0,
        }),
        None => Ok(()),
    }
}

/// A function that passed the structural checks, for the semantic ones.
pub(super) struct Function<'f, 'a> {
    index: u32,
    /// Whether the parameters hold references as the function's type says
    /// (else none does).
    typed_params: bool,
    info: &'f FunctionInfo,
    graph: &'f OpGraph,
    /// The code its ops are in (at the graph's offsets).
    code: &'a [u8],
    /// Its ops, decoded, by number; empty if they were not kept
    /// ([`KEEP_DECODED_BELOW_BYTES`]).
    ops: &'f [Op<'a>],
}

impl<'a> Function<'_, 'a> {
    /// Hands op number `op` to `use_op`: as kept, or decoded again.
    fn with_op<R>(&self, op: u32, use_op: impl FnOnce(&Op<'a>) -> R) -> Result<R, VerifyError> {
        if let Some(kept) = self.ops.get(op as usize) {
            return Ok(use_op(kept));
        }
        // The structural pass decoded these bytes already: this cannot fail.
        let (decoded, _) =
            decode_one(self.code, self.graph.offset(op)).map_err(|error| VerifyError::Decode {
                func: self.index,
                error,
            })?;
        Ok(use_op(&decoded))
    }
}

/// Functions with more bytecode than this are not kept decoded for the
/// semantic passes, which decode each op again as they reach it: decoded,
/// the 463 KB static initializer of ../shared/bench-wasm-large's `resample`
/// took 6.3 MB (48 bytes an op) at the peak of that program's heap.
const KEEP_DECODED_BELOW_BYTES: usize = 64 << 10;

/// Which types and builtins take a reference: calls of those need the
/// slot-kind dataflow.
struct References {
    type_params: Vec<bool>,
    type_results: Vec<bool>,
    builtin_params: Vec<bool>,
}

impl References {
    fn new(shape: &EnvironmentShape) -> References {
        let any = |kinds: &[SlotKind]| kinds.iter().any(|&kind| kind != SlotKind::Number);
        References {
            type_params: shape.types.iter().map(|ty| any(&ty.params)).collect(),
            type_results: shape.types.iter().map(|ty| any(&ty.results)).collect(),
            builtin_params: shape.builtins.iter().map(|b| any(&b.params)).collect(),
        }
    }
}

/// Checks one function at a time, reusing its buffers.
struct FunctionChecker<'a> {
    code: &'a [u8],
    functions: &'a [FunctionInfo],
    shape: &'a EnvironmentShape,
    func: u32,
    info: FunctionInfo,
    /// The function's control flow, built by [`Self::check`].
    graph: OpGraph,
    /// The function's ops, decoded by [`Self::check`].
    ops: Vec<Op<'a>>,
    /// Whether an op of the function needs a slot to hold a reference.
    uses_references: bool,
    references: References,
    /// The slot-kind dataflow's buffers.
    kinds: kinds::KindChecker,
    /// See [`Verified::type_ids_used`].
    type_ids_used: u32,
    /// Whether the code may hold `lazy_only` ops.
    lazy_only: LazyOnlyOps,
    /// Whether the parameters hold references as the function's type
    /// says (false for an on-stack entry: none does).
    typed_params: bool,
}

impl<'a> FunctionChecker<'a> {
    fn new(
        code: &'a [u8],
        functions: &'a [FunctionInfo],
        shape: &'a EnvironmentShape,
    ) -> FunctionChecker<'a> {
        FunctionChecker {
            code,
            functions,
            shape,
            func: 0,
            info: FunctionInfo {
                ty: 0,
                code_start: 0,
                code_end: 0,
                frame_slots: 0,
                params: 0,
                results: 0,
            },
            graph: OpGraph::default(),
            ops: Vec::new(),
            uses_references: false,
            references: References::new(shape),
            kinds: kinds::KindChecker::default(),
            type_ids_used: 0,
            lazy_only: LazyOnlyOps::Refused,
            typed_params: true,
        }
    }

    /// All checks of function `func`, whose code range `info` gives.
    fn verify(&mut self, func: u32, info: FunctionInfo, claims: Claims) -> Result<(), VerifyError> {
        self.func = func;
        self.info = info;
        self.check()?;
        let function = Function {
            index: func,
            typed_params: self.typed_params,
            info: &info,
            graph: &self.graph,
            code: self.code,
            ops: &self.ops,
        };
        // Without an op that needs a slot to hold a reference, there is
        // nothing for the dataflow to prove.
        if self.uses_references {
            self.kinds.check(&function, self.functions, self.shape)?;
        }
        if claims.charges_fuel {
            fuel::check(&function)?;
        }
        Ok(())
    }

    /// The structural checks; builds the function's [`OpGraph`].
    fn check(&mut self) -> Result<(), VerifyError> {
        let start = self.info.code_start as usize;
        let end = self.info.code_end as usize;
        let func = self.func;
        self.graph.reset();
        self.ops.clear();
        let keep_decoded = end - start < KEEP_DECODED_BELOW_BYTES;
        self.uses_references = self.references.type_results[self.info.ty as usize];
        let limits = IndexLimits {
            functions: u32::try_from(self.functions.len()).unwrap_or(u32::MAX),
            shape: self.shape,
        };
        let mut at = start;
        let mut last_is_terminator = false;
        while at < end {
            let (op, next) =
                decode_one(self.code, at).map_err(|error| VerifyError::Decode { func, error })?;
            if next > end {
                return Err(VerifyError::OpCrossesEnd { func, at });
            }
            let flags = op.flags();
            if flags.is_runtime_only() {
                return Err(VerifyError::RuntimeOnlyOp {
                    func,
                    at,
                    mnemonic: op.mnemonic(),
                });
            }
            if flags.is_lazy_only() && self.lazy_only == LazyOnlyOps::Refused {
                return Err(VerifyError::LazyOnlyOp {
                    func,
                    at,
                    mnemonic: op.mnemonic(),
                });
            }
            if flags.is_simd() && !cfg!(feature = "simd") {
                return Err(VerifyError::SimdNotEnabled {
                    func,
                    at,
                    mnemonic: op.mnemonic(),
                });
            }
            let mut operands = OperandCheck {
                at,
                frame_slots: self.info.frame_slots,
                limits: &limits,
                error: None,
                graph: &mut self.graph,
                type_ids_used: &mut self.type_ids_used,
            };
            op.visit_operands(&mut operands);
            if let Some(error) = operands.error {
                return Err(error.at(func, at, self.info.frame_slots));
            }
            self.check_arity(&op, at)?;
            self.uses_references |= self.check_types(&op, at)?;
            last_is_terminator = flags.is_terminator();
            self.graph.end_op(at, !last_is_terminator);
            if keep_decoded {
                self.ops.push(op);
            }
            at = next;
        }
        if !last_is_terminator {
            return Err(VerifyError::MissingTerminator { func });
        }
        self.graph
            .resolve_branches()
            .map_err(|(at, target)| VerifyError::BadBranchTarget { func, at, target })
    }

    /// Value counts of calls and returns (every index operand is already in
    /// range).
    fn check_arity(&self, op: &Op<'_>, at: usize) -> Result<(), VerifyError> {
        let types = &self.shape.types;
        let callee = |func: FuncIndex| &self.functions[func.index()];
        let (args, results, ty) = match op {
            Op::Call {
                func,
                args,
                results,
            } => (args.len(), results.len(), callee(*func).ty),
            Op::ReturnCall { func, args } => {
                (args.len(), self.info.results as usize, callee(*func).ty)
            }
            Op::CallRef {
                ty, args, results, ..
            } => (args.len(), results.len(), ty.0),
            Op::ReturnCallRef { ty, args, .. } => (args.len(), self.info.results as usize, ty.0),
            Op::CallImport {
                import,
                args,
                results,
            } => (
                args.len(),
                results.len(),
                self.shape.imports[import.index()],
            ),
            Op::CallBuiltin {
                builtin,
                args,
                results,
            } => {
                let signature = &self.shape.builtins[builtin.index()];
                self.arity("arguments", args.len(), signature.params.len(), at)?;
                return self.arity("results", results.len(), signature.results.len(), at);
            }
            Op::Ret { values } => {
                return self.arity("results", values.len(), self.info.results as usize, at);
            }
            _ => return Ok(()),
        };
        let signature = &types[ty as usize];
        self.arity("arguments", args, signature.params.len(), at)?;
        self.arity("results", results, signature.results.len(), at)
    }

    /// The checks of an op against the types of what it names that do not
    /// depend on the path to it: globals accessed as their types say, tail
    /// calls returning what this function's type promises. Returns whether
    /// the op needs a slot to hold a reference (checked by the dataflow).
    fn check_types(&self, op: &Op<'_>, at: usize) -> Result<bool, VerifyError> {
        let refs = &self.references;
        let function_type = |func: FuncIndex| self.functions[func.index()].ty as usize;
        Ok(match op {
            Op::GlobalGet { global, .. } => {
                self.global(global.0, at, false, false)?;
                false
            }
            Op::GlobalSet { global, .. } => {
                self.global(global.0, at, true, false)?;
                self.shape.globals[global.index()].scalar != Some(SlotKind::Number)
            }
            Op::VglobalGet { global, .. } => {
                self.global(global.0, at, false, true)?;
                false
            }
            Op::VglobalSet { global, .. } => {
                self.global(global.0, at, true, true)?;
                false
            }
            Op::CallRef { .. } | Op::TableSet { .. } => true,
            Op::ReturnCallRef { ty, .. } => {
                self.returns_own_results(ty.0, at)?;
                true
            }
            Op::ReturnCall { func, .. } => {
                let ty = function_type(*func);
                self.returns_own_results(ty as u32, at)?;
                refs.type_params[ty]
            }
            Op::Call { func, .. } => refs.type_params[function_type(*func)],
            Op::CallImport { import, .. } => {
                refs.type_params[self.shape.imports[import.index()] as usize]
            }
            Op::CallBuiltin { builtin, .. } => refs.builtin_params[builtin.index()],
            _ => false,
        })
    }

    /// Checks an access to `global`: a write needs it mutable, and `vector`
    /// accesses need a v128 global, scalar ones any other.
    fn global(&self, global: u32, at: usize, write: bool, vector: bool) -> Result<(), VerifyError> {
        let shape = &self.shape.globals[global as usize];
        let why = if write && !shape.mutable {
            "it is immutable"
        } else if vector && shape.scalar.is_some() {
            "it does not hold a v128"
        } else if !vector && shape.scalar.is_none() {
            "it holds a v128"
        } else {
            return Ok(());
        };
        Err(VerifyError::GlobalMisuse {
            func: self.func,
            at,
            global,
            why,
        })
    }

    /// A tail callee's results become this function's: each must be of the
    /// kind this function's type promises its caller (a reference may stand
    /// where a number is promised, not the other way round).
    fn returns_own_results(&self, callee_type: u32, at: usize) -> Result<(), VerifyError> {
        let theirs = &self.shape.types[callee_type as usize].results;
        let ours = &self.shape.types[self.info.ty as usize].results;
        match theirs
            .iter()
            .zip(ours)
            .position(|(&theirs, &ours)| theirs != ours && ours != SlotKind::Number)
        {
            Some(i) => Err(VerifyError::ResultKindMismatch {
                func: self.func,
                at,
                result: i as u32,
                expected: ours[i],
                found: theirs[i],
            }),
            None => Ok(()),
        }
    }

    fn arity(
        &self,
        what: &'static str,
        found: usize,
        expected: usize,
        at: usize,
    ) -> Result<(), VerifyError> {
        if found == expected {
            Ok(())
        } else {
            Err(VerifyError::ArityMismatch {
                func: self.func,
                at,
                what,
                found,
                expected: u32::try_from(expected).unwrap_or(u32::MAX),
            })
        }
    }
}

/// How many entries each kind of index operand may range over.
struct IndexLimits<'a> {
    functions: u32,
    shape: &'a EnvironmentShape,
}

impl IndexLimits<'_> {
    /// The number of valid indices of `kind`.
    fn limit(&self, kind: IndexKind) -> u32 {
        let count = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        match kind {
            IndexKind::Function => self.functions,
            IndexKind::Import => count(self.shape.imports.len()),
            IndexKind::FuncRef => self.shape.func_refs,
            IndexKind::Global => count(self.shape.globals.len()),
            IndexKind::Table => count(self.shape.tables.len()),
            IndexKind::Type => count(self.shape.types.len()),
            IndexKind::Builtin => count(self.shape.builtins.len()),
        }
    }
}

/// The first bad operand an [`OperandCheck`] found.
enum OperandError {
    Slot(u16),
    Index {
        kind: IndexKind,
        index: u32,
        limit: u32,
    },
}

impl OperandError {
    fn at(self, func: u32, at: usize, frame_slots: u32) -> VerifyError {
        match self {
            OperandError::Slot(slot) => VerifyError::SlotOutOfFrame {
                func,
                at,
                slot,
                frame_slots,
            },
            OperandError::Index { kind, index, limit } => VerifyError::IndexOutOfRange {
                func,
                at,
                what: kind.name(),
                index,
                limit,
            },
        }
    }
}

/// Checks slot operands against the frame and index operands against their
/// limits, and collects branch targets.
struct OperandCheck<'b> {
    at: usize,
    frame_slots: u32,
    limits: &'b IndexLimits<'b>,
    error: Option<OperandError>,
    graph: &'b mut OpGraph,
    type_ids_used: &'b mut u32,
}

impl OperandCheck<'_> {
    fn slot(&mut self, slot: Slot) {
        if u32::from(slot.0) >= self.frame_slots && self.error.is_none() {
            self.error = Some(OperandError::Slot(slot.0));
        }
    }

    fn list(&mut self, list: &SlotList<'_>) {
        for slot in list.iter() {
            self.slot(slot);
        }
    }

    fn target(&mut self, target: PcRel) {
        self.graph.add_branch(self.at as i64 + i64::from(target.0));
    }
}

impl<'a> OperandVisitor<Decoded<'a>> for OperandCheck<'_> {
    fn dst(&mut self, dst: &Slot) {
        self.slot(*dst);
    }
    fn src(&mut self, src: &Slot) {
        self.slot(*src);
    }
    fn dst_wide(&mut self, dst: &Slot) {
        self.slot(*dst);
    }
    fn src_wide(&mut self, src: &Slot) {
        self.slot(*src);
    }
    fn dst_list(&mut self, list: &SlotList<'a>) {
        self.list(list);
    }
    fn src_list(&mut self, list: &SlotList<'a>) {
        self.list(list);
    }
    fn target(&mut self, target: &PcRel) {
        OperandCheck::target(self, *target);
    }
    fn jump_table(&mut self, table: &JumpTableRef<'a>) {
        for target in table.iter() {
            OperandCheck::target(self, target);
        }
    }
    fn index(&mut self, kind: IndexKind, index: u32) {
        if kind == IndexKind::Type {
            *self.type_ids_used = (*self.type_ids_used).max(index.saturating_add(1));
        }
        let limit = self.limits.limit(kind);
        if index >= limit && self.error.is_none() {
            self.error = Some(OperandError::Index { kind, index, limit });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::Signature;
    use alloc::vec;
    use pulley_isa::{FuncIndex, OwnedOp};

    fn encode(ops: &[OwnedOp]) -> Vec<u8> {
        let mut code = Vec::new();
        for op in ops {
            op.encode(&mut code).unwrap();
        }
        code
    }

    /// A shape whose type 0 takes `params` and returns `results` numbers.
    fn numbers_shape(params: u32, results: u32) -> EnvironmentShape {
        EnvironmentShape {
            types: vec![Signature::numbers(params as usize, results as usize)],
            ..EnvironmentShape::default()
        }
    }

    fn one_function(
        ops: &[OwnedOp],
        frame_slots: u32,
        params: u32,
        results: u32,
    ) -> Result<Vec<u32>, VerifyError> {
        let code = encode(ops);
        let info = FunctionInfo {
            ty: 0,
            code_start: 0,
            code_end: code.len() as u32,
            frame_slots,
            params,
            results,
        };
        verify_program(
            &code,
            &[info],
            &numbers_shape(params, results),
            Claims::default(),
        )
        .map(|verified| verified.by_offset)
    }

    #[test]
    fn simd_ops_need_the_simd_feature() {
        let ops = [
            OwnedOp::Vand {
                dst_lo: Slot(0),
                dst_hi: Slot(1),
                a_lo: Slot(0),
                a_hi: Slot(1),
                b_lo: Slot(0),
                b_hi: Slot(1),
            },
            OwnedOp::Ret { values: vec![] },
        ];
        let result = one_function(&ops, 2, 0, 0);
        if cfg!(feature = "simd") {
            assert!(result.is_ok(), "{result:?}");
        } else {
            assert_eq!(
                result,
                Err(VerifyError::SimdNotEnabled {
                    func: 0,
                    at: 0,
                    mnemonic: "vand"
                })
            );
        }
    }

    #[test]
    fn rejects_v128_globals_outside_the_environment() {
        let ops = [
            OwnedOp::VglobalGet {
                dst_lo: Slot(0),
                dst_hi: Slot(1),
                global: pulley_isa::GlobalIndex(0),
            },
            OwnedOp::Ret { values: vec![] },
        ];
        let result = one_function(&ops, 2, 0, 0);
        if cfg!(feature = "simd") {
            assert!(
                matches!(
                    result,
                    Err(VerifyError::IndexOutOfRange { what: "global", .. })
                ),
                "{result:?}"
            );
        } else {
            assert!(
                matches!(result, Err(VerifyError::SimdNotEnabled { .. })),
                "{result:?}"
            );
        }
    }

    #[test]
    fn accepts_a_well_formed_function() {
        let ops = [
            OwnedOp::Xconst8 {
                dst: Slot(1),
                imm: 0,
            },
            OwnedOp::BrIfXeq32 {
                a: Slot(0),
                b: Slot(1),
                target: PcRel(12),
            },
            OwnedOp::Jump { target: PcRel(-7) },
            OwnedOp::Ret {
                values: vec![Slot(1)],
            },
        ];
        assert_eq!(one_function(&ops, 2, 1, 1), Ok(vec![0]));
    }

    #[test]
    fn rejects_slots_outside_the_frame() {
        let ops = [OwnedOp::Ret {
            values: vec![Slot(2)],
        }];
        assert!(matches!(
            one_function(&ops, 2, 0, 1),
            Err(VerifyError::SlotOutOfFrame { slot: 2, .. })
        ));
    }

    #[test]
    fn rejects_branches_into_the_middle_of_an_op() {
        let ops = [
            OwnedOp::Jump { target: PcRel(1) },
            OwnedOp::Ret { values: vec![] },
        ];
        assert!(matches!(
            one_function(&ops, 1, 0, 0),
            Err(VerifyError::BadBranchTarget { target: 1, .. })
        ));
        let ops = [OwnedOp::Jump { target: PcRel(-1) }];
        assert!(matches!(
            one_function(&ops, 1, 0, 0),
            Err(VerifyError::BadBranchTarget { target: -1, .. })
        ));
    }

    #[test]
    fn rejects_falling_off_the_end() {
        let ops = [OwnedOp::Xconst8 {
            dst: Slot(0),
            imm: 0,
        }];
        assert_eq!(
            one_function(&ops, 1, 0, 0),
            Err(VerifyError::MissingTerminator { func: 0 })
        );
    }

    #[test]
    fn rejects_wrong_call_arities_and_unknown_functions() {
        let ops = [
            OwnedOp::Call {
                func: FuncIndex(0),
                args: vec![],
                results: vec![],
            },
            OwnedOp::Ret { values: vec![] },
        ];
        assert!(matches!(
            one_function(&ops, 1, 1, 0),
            Err(VerifyError::ArityMismatch {
                what: "arguments",
                ..
            })
        ));
        let ops = [
            OwnedOp::Call {
                func: FuncIndex(1),
                args: vec![],
                results: vec![],
            },
            OwnedOp::Ret { values: vec![] },
        ];
        assert!(matches!(
            one_function(&ops, 1, 0, 0),
            Err(VerifyError::IndexOutOfRange {
                what: "function",
                ..
            })
        ));
    }

    #[test]
    fn rejects_bad_frames_and_ranges() {
        let code = encode(&[OwnedOp::Ret { values: vec![] }]);
        let shape = numbers_shape(0, 0);
        let verify = |infos: &[FunctionInfo]| {
            verify_program(&code, infos, &shape, Claims::default()).map(|_| ())
        };
        let info = FunctionInfo {
            ty: 0,
            code_start: 0,
            code_end: 3,
            frame_slots: 0,
            params: 1,
            results: 0,
        };
        assert!(matches!(verify(&[info]), Err(VerifyError::BadFrame { .. })));
        let info = FunctionInfo {
            ty: 0,
            code_start: 0,
            code_end: 4,
            frame_slots: 1,
            params: 0,
            results: 0,
        };
        assert!(matches!(
            verify(&[info]),
            Err(VerifyError::FunctionOutOfCode { .. })
        ));
        let info = FunctionInfo {
            ty: 0,
            code_start: 0,
            code_end: 3,
            frame_slots: 1,
            params: 0,
            results: 0,
        };
        assert!(matches!(
            verify(&[info, info]),
            Err(VerifyError::OverlappingFunctions { .. })
        ));
    }
}
