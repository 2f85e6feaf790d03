//! Branches, calls, returns, traps and exits to the embedder.

use alloc::vec::Vec;

use pulley_isa::{BuiltinIndex, FuncIndex, ImportIndex, TrapCode};

use crate::machine::{Frame, JumpTable, Machine, Reg, RegList, Step, StopReason, next_frame};

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

/// Enters function `callee` with `args` from the current window; its `ret`
/// writes `results` of this window and continues after them.
///
/// # Safety
/// `callee` is below `functions_len`, and `args` has at most the callee's
/// `params` entries (its frame holds at least that many slots).
#[inline(always)]
unsafe fn enter(m: &mut Machine<'_>, callee: usize, args: RegList, results: RegList) -> Step {
    // SAFETY: the caller guarantees `callee` is in range.
    let info = unsafe { *m.function(callee) };
    let frame_slots = info.frame_slots as usize;
    let new_regs = next_frame(m.regs, m.state.frame_slots);
    let room = (m.state.stack_end.addr() - new_regs.addr()) / core::mem::size_of::<u64>();
    if room < frame_slots || m.state.frames.len() >= m.state.frames_limit {
        return Err(m.trap(TrapCode::StackOverflow));
    }
    m.state.frames.push(Frame {
        results,
        caller_regs: m.regs,
        caller_frame_slots: m.state.frame_slots,
    });
    // SAFETY: `args.len <= params <= frame_slots`, which fit in `room`; the new
    // frame starts after the current one.
    unsafe { m.copy_out(args, new_regs) };
    m.regs = new_regs;
    m.state.frame_slots = frame_slots;
    // SAFETY: the verifier checked the function's code range.
    m.pc = unsafe { m.state.code.add(info.code_start as usize) };
    Ok(())
}

#[inline(always)]
pub(crate) fn call(m: &mut Machine<'_>, func: FuncIndex, args: RegList, results: RegList) -> Step {
    // SAFETY: the verifier checked `func` and that `args` matches its params.
    unsafe { enter(m, func.index(), args, results) }
}

/// Resolves a function reference to a function of this program whose
/// parameter and result counts match, or stops.
#[inline(always)]
fn local_callee(
    m: &mut Machine<'_>,
    callee: Reg,
    args: usize,
    results: Option<usize>,
) -> Result<usize, crate::machine::Stop> {
    let handle = m.u64(callee);
    if handle == 0 {
        return Err(m.trap(TrapCode::IndirectCallToNull));
    }
    let env = m.env();
    let Some(target) = env.funcref_target(handle) else {
        return Err(m.trap(TrapCode::BadSignature));
    };
    if target.instance_id != env.instance_id {
        return Err(m.stop(StopReason::ExternalCall(handle)));
    }
    let func = target.func as usize;
    if func >= m.state.functions_len {
        return Err(m.trap(TrapCode::BadSignature));
    }
    // SAFETY: just checked.
    let info = unsafe { m.function(func) };
    let results_match = results.is_none_or(|n| n == info.results as usize);
    if info.params as usize != args || !results_match {
        return Err(m.trap(TrapCode::BadSignature));
    }
    Ok(func)
}

#[inline(always)]
pub(crate) fn call_ref(m: &mut Machine<'_>, callee: Reg, args: RegList, results: RegList) -> Step {
    let func = local_callee(m, callee, args.len, Some(results.len))?;
    // SAFETY: `local_callee` checked the index and the argument count.
    unsafe { enter(m, func, args, results) }
}

#[inline(always)]
pub(crate) fn ret(m: &mut Machine<'_>, values: RegList) -> Step {
    if m.state.frames.len() <= m.state.frame_floor {
        collect_results(&mut m.state.results, m.regs, values);
        return Err(m.stop(StopReason::Returned));
    }
    let Some(frame) = m.state.frames.pop() else {
        return Err(m.trap(TrapCode::Unreachable));
    };
    let count = values.len.min(frame.results.len);
    for i in 0..count {
        // SAFETY: `i` is below both lengths; the results list was verified
        // against the caller's frame, which `caller_regs` points to.
        unsafe {
            let value = m.u64(values.get(i));
            frame.caller_regs.add(frame.results.get(i).0).write(value);
        }
    }
    m.regs = frame.caller_regs;
    m.state.frame_slots = frame.caller_frame_slots;
    m.pc = frame.results.end();
    Ok(())
}

/// Puts `values` (slots of the frame at `regs`) in `results`, for the
/// embedder: the return from an activation's first frame. Out of line, and
/// given everything by value, so that no handler's state escapes and
/// dispatch stays a tail call.
#[cold]
#[inline(never)]
fn collect_results(results: &mut Vec<u64>, regs: *const u64, values: RegList) {
    results.clear();
    for i in 0..values.len {
        // SAFETY: `i < len`, and the list names verified slots of the frame
        // at `regs`.
        results.push(unsafe { regs.add(values.get(i).0).read() });
    }
}

/// Replaces the current frame with one for `callee`.
///
/// # Safety
/// As for `enter`.
#[inline(always)]
unsafe fn replace_frame(m: &mut Machine<'_>, callee: usize, args: RegList) -> Step {
    // SAFETY: the caller guarantees `callee` is in range.
    let info = unsafe { *m.function(callee) };
    let frame_slots = info.frame_slots as usize;
    // Arguments may name slots they are about to overwrite: stage them above
    // the current frame first.
    let scratch = next_frame(m.regs, m.state.frame_slots);
    let scratch_room = (m.state.stack_end.addr() - scratch.addr()) / core::mem::size_of::<u64>();
    let frame_room = (m.state.stack_end.addr() - m.regs.addr()) / core::mem::size_of::<u64>();
    if scratch_room < args.len || frame_room < frame_slots {
        return Err(m.trap(TrapCode::StackOverflow));
    }
    // SAFETY: `args.len` slots fit above the current frame; then `args.len <=
    // frame_slots` slots fit at `regs`. `copy` allows the ranges to overlap.
    unsafe {
        m.copy_out(args, scratch);
        core::ptr::copy(scratch, m.regs, args.len);
    }
    m.state.frame_slots = frame_slots;
    // SAFETY: the verifier checked the function's code range.
    m.pc = unsafe { m.state.code.add(info.code_start as usize) };
    Ok(())
}

#[inline(always)]
pub(crate) fn return_call(m: &mut Machine<'_>, func: FuncIndex, args: RegList) -> Step {
    // SAFETY: the verifier checked `func` and that `args` matches its params.
    unsafe { replace_frame(m, func.index(), args) }
}

#[inline(always)]
pub(crate) fn return_call_ref(m: &mut Machine<'_>, callee: Reg, args: RegList) -> Step {
    let func = local_callee(m, callee, args.len, None)?;
    // SAFETY: `local_callee` checked the index and the argument count.
    unsafe { replace_frame(m, func, args) }
}

#[inline(always)]
pub(crate) fn call_import(
    m: &mut Machine<'_>,
    import: ImportIndex,
    _args: RegList,
    _results: RegList,
) -> Step {
    Err(m.stop(StopReason::HostCall(import.0)))
}

#[inline(always)]
pub(crate) fn call_builtin(
    m: &mut Machine<'_>,
    builtin: BuiltinIndex,
    _args: RegList,
    _results: RegList,
) -> Step {
    Err(m.stop(StopReason::Builtin(builtin.0)))
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
