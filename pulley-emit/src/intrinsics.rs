//! How compiled IR names what is not a plain wasm function: the external-name
//! namespaces of calls, and the signatures of intrinsics and builtins.
//!
//! * `DEFINED_FUNCTION` / `IMPORTED_FUNCTION`: calls to wasm functions.
//! * `BUILTIN`: a [`Builtin`] the runtime performs (`call_builtin`).
//! * The [`Intrinsic`] namespaces: operations the interpreter has ops for
//!   (`table_get`, `call_ref`, ...), with the entity (table, type, fuel
//!   amount) as the name's index.

use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{AbiParam, ArgumentPurpose, Signature, Type};
use cranelift_codegen::isa::CallConv;
use pulley_module::{Builtin, BuiltinType};

/// Namespace of calls to functions defined by the module (index: defined
/// function index).
pub(crate) const DEFINED_FUNCTION: u32 = 0;
/// Namespace of calls to imported functions (index: import index).
pub(crate) const IMPORTED_FUNCTION: u32 = 1;
/// Namespace of builtin calls (index: `Builtin` id).
pub(crate) const BUILTIN: u32 = 2;

/// An operation with its own op, named by namespace; the name's index is the
/// entity it works on.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Intrinsic {
    /// `(vmctx, index: i32) -> ref`, index = table.
    TableGet = 16,
    /// `(vmctx, index: i32, value: ref)`, index = table.
    TableSet = 17,
    /// `(vmctx) -> i32`, index = table.
    TableSize = 18,
    /// `(vmctx, dst: i32, src: i32, len: i32)`, memory 0.
    MemoryCopy = 20,
    /// `(vmctx, dst: i32, value: i32, len: i32)`, memory 0.
    MemoryFill = 21,
    /// `(vmctx)`, index = fuel units.
    ConsumeFuel = 22,
    /// `(vmctx, callee: ref, params...) -> results`, index = type.
    CallRef = 23,
}

impl Intrinsic {
    /// The intrinsic of a namespace, if it is one.
    pub(crate) fn from_namespace(namespace: u32) -> Option<Intrinsic> {
        Some(match namespace {
            16 => Intrinsic::TableGet,
            17 => Intrinsic::TableSet,
            18 => Intrinsic::TableSize,
            20 => Intrinsic::MemoryCopy,
            21 => Intrinsic::MemoryFill,
            22 => Intrinsic::ConsumeFuel,
            23 => Intrinsic::CallRef,
            _ => return None,
        })
    }

    /// The CLIF signature (not for `CallRef`, whose signature is the callee's
    /// type plus the reference).
    pub(crate) fn signature(self, call_conv: CallConv, pointer: Type) -> Signature {
        let (params, results): (&[Type], &[Type]) = match self {
            Intrinsic::TableGet => (&[I32], &[I64]),
            Intrinsic::TableSet => (&[I32, I64], &[]),
            Intrinsic::TableSize => (&[], &[I32]),
            Intrinsic::MemoryCopy | Intrinsic::MemoryFill => (&[I32, I32, I32], &[]),
            Intrinsic::ConsumeFuel => (&[], &[]),
            Intrinsic::CallRef => unreachable!("call_ref signatures come from wasm types"),
        };
        signature(call_conv, pointer, params, results)
    }
}

/// The CLIF signature of a builtin.
pub(crate) fn builtin_signature(builtin: Builtin, call_conv: CallConv, pointer: Type) -> Signature {
    let clif = |ty: &BuiltinType| match ty {
        BuiltinType::I32 => I32,
        BuiltinType::FuncRef | BuiltinType::ExternRef => I64,
    };
    let params: Vec<Type> = builtin.params().iter().map(clif).collect();
    let results: Vec<Type> = builtin.results().iter().map(clif).collect();
    signature(call_conv, pointer, &params, &results)
}

/// A signature with the vmctx first.
pub(crate) fn signature(
    call_conv: CallConv,
    pointer: Type,
    params: &[Type],
    results: &[Type],
) -> Signature {
    let mut signature = Signature::new(call_conv);
    signature
        .params
        .push(AbiParam::special(pointer, ArgumentPurpose::VMContext));
    signature
        .params
        .extend(params.iter().map(|&ty| AbiParam::new(ty)));
    signature
        .returns
        .extend(results.iter().map(|&ty| AbiParam::new(ty)));
    signature
}
