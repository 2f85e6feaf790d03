//! Calls of host functions: raw argument slots to typed values and back,
//! with the results' types checked.

use alloc::vec::Vec;

use crate::store::{Caller, Store};
use crate::values::Val;
use crate::{Result, UsageError};

/// The arguments of the suspended activation's host call.
pub(super) fn host_args<T>(store: &Store<T>) -> Vec<u64> {
    store
        .inner
        .interpreter
        .host_args()
        .map(Iterator::collect)
        .unwrap_or_default()
}

/// Calls host function `host` (store function `func`).
pub(super) fn call_host<T>(
    store: &mut Store<T>,
    host: u32,
    func: u32,
    args: &[u64],
    caller: Option<u32>,
) -> Result<Vec<u64>> {
    let ty = store.inner.funcs[func].ty.clone();
    let id = store.inner.id;
    let mut slots = args.iter();
    let params: Vec<Val> = ty
        .params
        .iter()
        .map(|&t| Val::from_slots(&mut slots, t, id))
        .collect();
    let mut results: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
    let function = store.hosts[host as usize].clone();
    function.call(
        Caller {
            store,
            instance: caller,
        },
        &params,
        &mut results,
    )?;
    let mut raw = Vec::with_capacity(results.len());
    for (value, &expected) in results.iter().zip(&ty.results) {
        if value.ty() != expected {
            return Err(UsageError::HostResultType {
                value: value.clone(),
                expected,
            }
            .into());
        }
        value.push_slots(id, &mut raw)?;
    }
    Ok(raw)
}
