//! Calls of host functions, over raw slots (the conversions to and from
//! typed values are the host function's own: `crate::func`).

use alloc::vec::Vec;

use crate::Result;
use crate::store::{Caller, Store};

/// The arguments of the suspended activation's host call.
pub(super) fn host_args<T>(store: &Store<T>) -> Vec<u64> {
    store
        .inner
        .interpreter
        .host_args()
        .map(Iterator::collect)
        .unwrap_or_default()
}

/// Calls host function `host` with raw `args`; returns its results' slots.
pub(super) fn call_host<T>(
    store: &mut Store<T>,
    host: u32,
    args: &[u64],
    caller: Option<u32>,
) -> Result<Vec<u64>> {
    let function = store.hosts[host as usize].clone();
    let mut results = Vec::new();
    function.call(
        Caller {
            store,
            instance: caller,
        },
        args,
        &mut results,
    )?;
    Ok(results)
}
