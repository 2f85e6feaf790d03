//! The fuel proof, for code that claims to charge fuel: it cannot run on,
//! loop, or call without charging.
//!
//! Three facts, each linear in the function's size:
//! * every `consume_fuel` charges at least one unit;
//! * from the function's entry, and from the op after any call (where a
//!   call returns), no path reaches a call without passing a
//!   `consume_fuel`: so calls, recursion and tail calls are charged;
//! * every cycle of the control flow passes a `consume_fuel`: the graph
//!   without them is acyclic.

use alloc::vec;
use alloc::vec::Vec;

use pulley_isa::Op;

use super::{Function, VerifyError};

/// Proves that `function` charges fuel as its code claims.
pub(super) fn check(function: &Function<'_, '_>) -> Result<(), VerifyError> {
    let graph = function.graph;
    let count = graph.len();
    let mut charges = vec![false; count as usize];
    let mut calls = vec![false; count as usize];
    for op in 0..count {
        let (amount, is_call) = function.with_op(op, |decoded| match *decoded {
            Op::ConsumeFuel { amount } => (Some(amount), false),
            _ => (None, decoded.flags().is_call()),
        })?;
        if let Some(amount) = amount {
            if amount == 0 {
                return Err(uncharged(function, op, "charges no fuel"));
            }
            charges[op as usize] = true;
        }
        calls[op as usize] = is_call;
    }
    charged_before_calls(function, &charges, &calls)?;
    charged_in_cycles(function, &charges)
}

fn uncharged(function: &Function<'_, '_>, op: u32, why: &'static str) -> VerifyError {
    VerifyError::FuelNotCharged {
        func: function.index,
        at: function.graph.offset(op),
        why,
    }
}

/// No path from the entry, or from a call's return, reaches a call
/// without a charge: a search from all of those at once that stops at
/// charges.
fn charged_before_calls(
    function: &Function<'_, '_>,
    charges: &[bool],
    calls: &[bool],
) -> Result<(), VerifyError> {
    let graph = function.graph;
    let mut seen = vec![false; charges.len()];
    let mut stack: Vec<u32> = vec![0];
    for op in 0..graph.len() {
        if calls[op as usize] && graph.falls_through(op) {
            stack.push(op + 1);
        }
    }
    while let Some(op) = stack.pop() {
        if core::mem::replace(&mut seen[op as usize], true) || charges[op as usize] {
            continue;
        }
        if calls[op as usize] {
            return Err(uncharged(
                function,
                op,
                "is a call that a path from the function's entry or from another call reaches without charging fuel",
            ));
        }
        stack.extend(graph.successors(op));
    }
    Ok(())
}

/// Every cycle passes a charge: a depth-first search of the graph without
/// charges finds no edge back to an op on its path.
fn charged_in_cycles(function: &Function<'_, '_>, charges: &[bool]) -> Result<(), VerifyError> {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let graph = function.graph;
    let mut state = vec![UNSEEN; charges.len()];
    // (op, index of the next successor to follow)
    let mut path: Vec<(u32, usize)> = Vec::new();
    for root in 0..graph.len() {
        if state[root as usize] != UNSEEN || charges[root as usize] {
            continue;
        }
        state[root as usize] = ON_PATH;
        path.push((root, 0));
        while let Some(&mut (op, ref mut next)) = path.last_mut() {
            let successor = graph.successor(op, *next);
            *next += 1;
            match successor {
                None => {
                    state[op as usize] = DONE;
                    path.pop();
                }
                Some(successor) if charges[successor as usize] => {}
                Some(successor) => match state[successor as usize] {
                    UNSEEN => {
                        state[successor as usize] = ON_PATH;
                        path.push((successor, 0));
                    }
                    ON_PATH => {
                        return Err(uncharged(
                            function,
                            op,
                            "branches back around a cycle that charges no fuel",
                        ));
                    }
                    _ => {}
                },
            }
        }
    }
    Ok(())
}
