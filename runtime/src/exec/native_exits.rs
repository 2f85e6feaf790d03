//! Native code's host calls, served here as the interpreter's exits are
//! (`super::serve`): imports and function references into other instances
//! through [`invoke`], builtins through [`builtins`]. Native code reaches
//! this through `crate::native::HostCalls`.

use alloc::vec::Vec;

use pulley_emit::native::abi::HostCall;
use pulley_isa::TrapCode;

use super::{builtins, call_import, invoke};
use crate::error::{Trap, TrapKind};
use crate::native::HostCalls;
use crate::{Error, Result, Store};

/// The execution boundary, as the server of native code's host calls.
pub(crate) struct NativeExits;

impl HostCalls for NativeExits {
    fn arity<T>(store: &Store<T>, instance: u32, call: HostCall) -> Result<(usize, usize)> {
        let info = &store.inner.instances[instance].module.inner.compiled.info;
        let function_type = |ty: Option<u32>| {
            ty.and_then(|ty| info.types.get(ty as usize))
                .ok_or_else(|| Error::from(Trap::host("a host call of an unknown type")))
        };
        Ok(match call {
            HostCall::Import(func) => {
                let ty = function_type(info.functions.get(func as usize).copied())?;
                (ty.params.len(), ty.results.len())
            }
            HostCall::Builtin(id) => {
                let builtin = pulley_module::Builtin::from_index(id)
                    .ok_or_else(|| Error::from(Trap::host("an unknown builtin")))?;
                (builtin.params().len(), builtin.results().len())
            }
            HostCall::TableGet(_)
            | HostCall::TableSet(_)
            | HostCall::TableSize(_)
            | HostCall::MemoryCopy
            | HostCall::MemoryFill
            | HostCall::ConsumeFuel(_) => return Err(compiled_inline()),
            HostCall::CallRef(ty) => {
                let ty = function_type(Some(ty))?;
                (1 + ty.params.len(), ty.results.len())
            }
        })
    }

    fn perform<T>(
        store: &mut Store<T>,
        instance: u32,
        call: HostCall,
        args: &[u64],
    ) -> Result<Vec<u64>> {
        let trap = |code| -> Error { Trap::new(TrapKind::from_code(code)).into() };
        match call {
            HostCall::Import(func) => call_import(store, instance, func, args),
            HostCall::Builtin(id) => builtins::perform(store, instance, id, args),
            HostCall::TableGet(_)
            | HostCall::TableSet(_)
            | HostCall::TableSize(_)
            | HostCall::MemoryCopy
            | HostCall::MemoryFill
            | HostCall::ConsumeFuel(_) => Err(compiled_inline()),
            HostCall::CallRef(_) => {
                let handle = args[0];
                if handle == 0 {
                    return Err(trap(TrapCode::IndirectCallToNull));
                }
                let target = (handle - 1) as u32;
                if store.inner.funcs.get(target).is_none() {
                    return Err(trap(TrapCode::BadSignature));
                }
                invoke(store, target, &args[1..], Some(instance))
            }
        }
    }
}

/// The error for an intrinsic native code performs itself (legalize
/// compiles the table, signature, bulk-memory and fuel intrinsics inline).
fn compiled_inline() -> Error {
    Trap::host("native code dispatched an intrinsic it compiles inline").into()
}
