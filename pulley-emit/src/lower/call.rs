//! Calls and returns. A call names its arguments and results as register
//! lists (the callee gets a fresh register window); the vmctx that every
//! CLIF call passes first is dropped. Calls to intrinsics (tables, `call_ref`,
//! bulk memory, fuel) become their own ops.

use cranelift_codegen::ir::{self, ExternalName, Value};
use pulley_isa::{BuiltinIndex, FuncIndex, GenericOp as Op, ImportIndex, TableIndex, TypeIndex};
use regalloc2::VReg;

use super::context::LoweringContext;
use crate::CompileError;
use crate::intrinsics::{self, Intrinsic};

/// `return values`.
pub(crate) fn ret(cx: &mut LoweringContext<'_>, values: &[Value]) {
    let values = cx.read_list(values);
    cx.op(Op::Ret { values });
}

/// A call (a tail call if `tail`) of `callee` with `args`, the vmctx first,
/// defining `results`: to a wasm function, an import, a builtin, or an
/// intrinsic that has its own op.
pub(crate) fn call(
    cx: &mut LoweringContext<'_>,
    tail: bool,
    callee: ir::FuncRef,
    args: &[Value],
    results: &[Value],
) -> Result<(), CompileError> {
    let func = cx.func;
    let name = match &func.dfg.ext_funcs[callee].name {
        ExternalName::User(name) => func.params.user_named_funcs()[*name].clone(),
        other => return Err(cx.error(format_args!("call to {other:?}"))),
    };
    // Every call passes the vmctx first; the interpreter has no use for it.
    if args.first() != Some(&cx.vmctx()) {
        return Err(cx.error("call without the vmctx as first argument"));
    }
    let wasm_args = cx.read_list(&args[1..]);
    let is_interpreter_call = name.namespace == intrinsics::DEFINED_FUNCTION
        || Intrinsic::from_namespace(name.namespace) == Some(Intrinsic::CallRef);
    let result_regs = if tail && !is_interpreter_call {
        // A tail call that is a call and a return defines no CLIF values:
        // the callee's results get registers of their own to pass on.
        let signature = func.dfg.ext_funcs[callee].signature;
        let slots = super::slot_count(&func.dfg.signatures[signature].returns);
        (0..slots).map(|_| cx.fresh()).collect()
    } else {
        cx.def_list(results)
    };
    let single = |list: &[VReg]| list[0];
    match (name.namespace, tail) {
        (intrinsics::DEFINED_FUNCTION, false) => cx.op(Op::Call {
            func: FuncIndex(name.index),
            args: wasm_args,
            results: result_regs,
        }),
        (intrinsics::DEFINED_FUNCTION, true) => cx.op(Op::ReturnCall {
            func: FuncIndex(name.index),
            args: wasm_args,
        }),
        (intrinsics::IMPORTED_FUNCTION, _) => {
            cx.op(Op::CallImport {
                import: ImportIndex(name.index),
                args: wasm_args,
                results: result_regs.clone(),
            });
            if tail {
                cx.op(Op::Ret {
                    values: result_regs,
                });
            }
        }
        // A tail call of an import or a builtin (or, below, an intrinsic)
        // is the call and a return of its results: their frames are the
        // embedder's, not the interpreter's.
        (intrinsics::BUILTIN, _) => {
            cx.op(Op::CallBuiltin {
                builtin: BuiltinIndex(name.index),
                args: wasm_args,
                results: result_regs.clone(),
            });
            if tail {
                cx.op(Op::Ret {
                    values: result_regs,
                });
            }
        }
        (namespace, _) => {
            let Some(intrinsic) = Intrinsic::from_namespace(namespace) else {
                return Err(cx.error(format_args!("call to unknown namespace {namespace}")));
            };
            let table = TableIndex(name.index);
            let tail_values =
                (tail && intrinsic != Intrinsic::CallRef).then(|| result_regs.clone());
            let op = match intrinsic {
                Intrinsic::TableGet => Op::TableGet {
                    dst: single(&result_regs),
                    table,
                    index: wasm_args[0],
                },
                Intrinsic::TableSet => Op::TableSet {
                    table,
                    index: wasm_args[0],
                    value: wasm_args[1],
                },
                Intrinsic::TableSize => Op::TableSize {
                    dst: single(&result_regs),
                    table,
                },
                Intrinsic::MemoryCopy => Op::MemoryCopy {
                    dst_addr: wasm_args[0],
                    src_addr: wasm_args[1],
                    len: wasm_args[2],
                },
                Intrinsic::MemoryFill => Op::MemoryFill {
                    addr: wasm_args[0],
                    value: wasm_args[1],
                    len: wasm_args[2],
                },
                Intrinsic::ConsumeFuel => Op::ConsumeFuel { amount: name.index },
                Intrinsic::CallRef if tail => Op::ReturnCallRef {
                    callee: wasm_args[0],
                    ty: TypeIndex(name.index),
                    args: wasm_args[1..].to_vec(),
                },
                Intrinsic::CallRef => Op::CallRef {
                    callee: wasm_args[0],
                    ty: TypeIndex(name.index),
                    args: wasm_args[1..].to_vec(),
                    results: result_regs,
                },
            };
            cx.op(op);
            if let Some(values) = tail_values {
                cx.op(Op::Ret { values });
            }
        }
    }
    Ok(())
}
