//! Branches, calls, returns, traps and exits to the embedder.

use pulley_isa::{BuiltinIndex, FuncIndex, ImportIndex, TrapCode, TypeIndex};

use crate::machine::{Callee, JumpTable, Machine, Reg, RegList, Step, Stop, StopReason};

#[inline(always)]
pub(crate) fn jump(m: &mut Machine<'_>, target: *const u8) -> Step {
    m.pc = target;
    Ok(())
}

/// Branch if a condition on one slot holds.
macro_rules! branch_on_value {
    ($($name:ident($get:ident) = |$x:ident| $cond:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, cond: Reg, target: *const u8) -> Step {
            let $x = m.$get(cond);
            if $cond {
                m.pc = target;
            }
            Ok(())
        }
    )*};
}

branch_on_value! {
    br_if32(u32) = |x| x != 0;
    br_if_not32(u32) = |x| x == 0;
    br_if64(u64) = |x| x != 0;
    br_if_not64(u64) = |x| x == 0;
}

/// Branch if a comparison of two slots holds.
macro_rules! compare_and_branch {
    ($($name:ident($get:ident) = |$a:ident, $b:ident| $cond:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, a: Reg, b: Reg, target: *const u8) -> Step {
            let ($a, $b) = (m.$get(a), m.$get(b));
            if $cond {
                m.pc = target;
            }
            Ok(())
        }
    )*};
}

compare_and_branch! {
    br_if_xeq32(u32) = |a, b| a == b;
    br_if_xne32(u32) = |a, b| a != b;
    br_if_xslt32(i32) = |a, b| a < b;
    br_if_xsle32(i32) = |a, b| a <= b;
    br_if_xult32(u32) = |a, b| a < b;
    br_if_xule32(u32) = |a, b| a <= b;
    br_if_xeq64(u64) = |a, b| a == b;
    br_if_xne64(u64) = |a, b| a != b;
    br_if_xslt64(i64) = |a, b| a < b;
    br_if_xsle64(i64) = |a, b| a <= b;
    br_if_xult64(u64) = |a, b| a < b;
    br_if_xule64(u64) = |a, b| a <= b;
}

/// Branch if a comparison of a slot with an immediate holds.
macro_rules! compare_immediate_and_branch {
    ($($name:ident($get:ident as $ty:ty) = |$a:ident, $b:ident| $cond:expr;)*) => {$(
        #[inline(always)]
        pub(crate) fn $name(m: &mut Machine<'_>, a: Reg, b: i32, target: *const u8) -> Step {
            let $a = m.$get(a);
            let $b = b as $ty;
            if $cond {
                m.pc = target;
            }
            Ok(())
        }
    )*};
}

compare_immediate_and_branch! {
    br_if_xeq32_imm(u32 as u32) = |a, b| a == b;
    br_if_xne32_imm(u32 as u32) = |a, b| a != b;
    br_if_xslt32_imm(i32 as i32) = |a, b| a < b;
    br_if_xsle32_imm(i32 as i32) = |a, b| a <= b;
    br_if_xsgt32_imm(i32 as i32) = |a, b| a > b;
    br_if_xsge32_imm(i32 as i32) = |a, b| a >= b;
    br_if_xult32_imm(u32 as u32) = |a, b| a < b;
    br_if_xule32_imm(u32 as u32) = |a, b| a <= b;
    br_if_xugt32_imm(u32 as u32) = |a, b| a > b;
    br_if_xuge32_imm(u32 as u32) = |a, b| a >= b;
    br_if_xeq64_imm(u64 as i64) = |a, b| a == b as u64;
    br_if_xne64_imm(u64 as i64) = |a, b| a != b as u64;
    br_if_xslt64_imm(i64 as i64) = |a, b| a < b;
    br_if_xsle64_imm(i64 as i64) = |a, b| a <= b;
    br_if_xsgt64_imm(i64 as i64) = |a, b| a > b;
    br_if_xsge64_imm(i64 as i64) = |a, b| a >= b;
    br_if_xult64_imm(u64 as i64) = |a, b| a < b as u64;
    br_if_xule64_imm(u64 as i64) = |a, b| a <= b as u64;
    br_if_xugt64_imm(u64 as i64) = |a, b| a > b as u64;
    br_if_xuge64_imm(u64 as i64) = |a, b| a >= b as u64;
}

#[inline(always)]
pub(crate) fn br_table(m: &mut Machine<'_>, index: Reg, targets: JumpTable) -> Step {
    m.pc = targets.target(m.u32(index));
    Ok(())
}

#[inline(always)]
pub(crate) fn trap(m: &mut Machine<'_>, code: TrapCode) -> Step {
    Err(m.trap(code))
}

#[inline(always)]
pub(crate) fn call(m: &mut Machine<'_>, func: FuncIndex, args: RegList, results: RegList) -> Step {
    let callee = m.function(func);
    m.enter(callee, args, results)
}

/// Resolves a function reference to a function of this program whose
/// parameter and result counts match, or stops.
#[inline(always)]
fn local_callee(
    m: &mut Machine<'_>,
    callee: Reg,
    ty: TypeIndex,
    args: RegList,
    results: Option<RegList>,
) -> Result<Callee, Stop> {
    let handle = m.u64(callee);
    if handle == 0 {
        return Err(m.trap(TrapCode::IndirectCallToNull));
    }
    let env = m.env();
    let Some(target) = env.funcref_target(handle) else {
        return Err(m.trap(TrapCode::BadSignature));
    };
    // The verifier typed the arguments and results by `ty`: a callee of
    // another signature would receive or return values of other kinds.
    if target.type_id != env.type_id(ty) {
        return Err(m.trap(TrapCode::BadSignature));
    }
    if target.instance_id != env.instance_id {
        return Err(m.stop_for_call(StopReason::ExternalCall(handle), args, results));
    }
    let Some(func) = m.function_checked(target.func as usize) else {
        return Err(m.trap(TrapCode::BadSignature));
    };
    // Equal signature ids imply equal counts only if the embedder's ids are
    // right; the frame copies below rely on the counts, so they are checked
    // here, where the interpreter does not have to trust the embedder.
    let results_match = results.is_none_or(|list| list.len == func.results());
    if func.params() != args.len || !results_match {
        return Err(m.trap(TrapCode::BadSignature));
    }
    Ok(func)
}

#[inline(always)]
pub(crate) fn call_ref(
    m: &mut Machine<'_>,
    callee: Reg,
    ty: TypeIndex,
    args: RegList,
    results: RegList,
) -> Step {
    let func = local_callee(m, callee, ty, args, Some(results))?;
    m.enter(func, args, results)
}

#[inline(always)]
pub(crate) fn ret(m: &mut Machine<'_>, values: RegList) -> Step {
    if m.in_entry_frame() {
        return Err(m.stop_for_return(StopReason::Returned, values));
    }
    m.return_to_caller(values)
}

#[inline(always)]
pub(crate) fn return_call(m: &mut Machine<'_>, func: FuncIndex, args: RegList) -> Step {
    let callee = m.function(func);
    m.replace_frame(callee, args)
}

#[inline(always)]
pub(crate) fn return_call_ref(
    m: &mut Machine<'_>,
    callee: Reg,
    ty: TypeIndex,
    args: RegList,
) -> Step {
    let func = local_callee(m, callee, ty, args, None)?;
    m.replace_frame(func, args)
}

#[inline(always)]
pub(crate) fn call_import(
    m: &mut Machine<'_>,
    import: ImportIndex,
    args: RegList,
    results: RegList,
) -> Step {
    Err(m.stop_for_call(StopReason::HostCall(import.0), args, Some(results)))
}

#[inline(always)]
pub(crate) fn call_builtin(
    m: &mut Machine<'_>,
    builtin: BuiltinIndex,
    args: RegList,
    results: RegList,
) -> Step {
    Err(m.stop_for_call(StopReason::Builtin(builtin.0), args, Some(results)))
}

#[inline(always)]
pub(crate) fn consume_fuel(m: &mut Machine<'_>, amount: u32) -> Step {
    match m.state.fuel.checked_sub(u64::from(amount)) {
        Some(left) => {
            m.state.fuel = left;
            Ok(())
        }
        None => Err(m.stop(StopReason::OutOfFuel)),
    }
}

/// Counts toward tiering function `func` up: stops for the embedder when
/// its count runs out (`Interpreter::finish_tier_up` goes on after the op).
#[inline(always)]
pub(crate) fn hot_count(m: &mut Machine<'_>, func: FuncIndex, weight: u8) -> Step {
    if m.count_hot(func, u32::from(weight)) {
        Ok(())
    } else {
        Err(m.stop(StopReason::Hot(func.0)))
    }
}

/// Counts toward tiering function `func` up at the loop header at wasm
/// offset `header`: stops for the embedder when its count runs out
/// (`Interpreter::finish_tier_up` then moves into the function's entry at
/// that header, if it was given one, or goes on after the op).
#[inline(always)]
pub(crate) fn hot_loop(m: &mut Machine<'_>, func: FuncIndex, header: u32) -> Step {
    if m.count_hot(func, 1) {
        Ok(())
    } else {
        Err(m.stop(StopReason::HotLoop {
            func: func.0,
            header,
        }))
    }
}

/// The entry of a function that has no verified code yet: stops for the
/// embedder to compile or verify it (`Interpreter::finish_first_call` goes
/// on in this frame).
#[inline(always)]
pub(crate) fn first_call(m: &mut Machine<'_>, func: FuncIndex) -> Step {
    Err(m.stop(StopReason::FirstCall(func.0)))
}
