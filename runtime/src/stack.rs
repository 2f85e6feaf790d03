//! Native stack limits: how deep the thread calling into wasm may go before
//! a stack-overflow trap, instead of running off the thread's stack.
//!
//! * Native code (feature `native`) checks its stack pointer against a limit
//!   at every function entry.
//! * Wasm called from the host while wasm runs (a host function calling back
//!   in, or a call between instances) nests the runtime's frames on the
//!   thread's stack: `exec::invoke` checks the stack pointer at each such
//!   entry, so that nesting stops with a trap on small stacks too, however
//!   high `Config::max_host_nesting` is.

/// Room left below the limit for what runs after the last check: host
/// functions, builtins, the dispatcher of native code, and the interpreter's
/// loop (whose frame is large in unoptimized builds, where each op's locals
/// get their own stack slots).
pub(crate) const HOST_RESERVE: usize = 256 * 1024;

/// The current stack pointer, roughly (an address in this frame).
#[inline(always)]
pub(crate) fn here() -> usize {
    let marker = 0u8;
    core::ptr::addr_of!(marker).addr()
}

/// The limit for code entered from here: `budget` bytes below the current
/// stack pointer, but never closer than `reserve` to the end of the thread's
/// stack when that is known (0, no limit, when neither bounds it).
pub(crate) fn limit(budget: usize, reserve: usize) -> usize {
    let here = here();
    let wanted = here.saturating_sub(budget);
    match thread_stack_end() {
        Some(end) => wanted.max(end.saturating_add(reserve).min(here)),
        None => wanted,
    }
}

/// The lowest address of the current thread's stack, asked of the system
/// once per thread: for the main thread glibc reads `/proc/self/maps`, which
/// cost about 146,000 instructions per outermost call into wasm when it was
/// asked every time.
#[cfg(target_os = "linux")]
fn thread_stack_end() -> Option<usize> {
    std::thread_local! {
        static END: core::cell::Cell<Option<Option<usize>>> = const { core::cell::Cell::new(None) };
    }
    END.with(|end| {
        let known = end.get().unwrap_or_else(ask_thread_stack_end);
        end.set(Some(known));
        known
    })
}

#[cfg(target_os = "linux")]
fn ask_thread_stack_end() -> Option<usize> {
    let mut attributes = core::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `pthread_getattr_np` initializes the attributes on success;
    // they are read only then, and destroyed once.
    unsafe {
        if libc::pthread_getattr_np(libc::pthread_self(), attributes.as_mut_ptr()) != 0 {
            return None;
        }
        let mut start = core::ptr::null_mut();
        let mut size = 0;
        let status = libc::pthread_attr_getstack(attributes.as_ptr(), &mut start, &mut size);
        libc::pthread_attr_destroy(attributes.as_mut_ptr());
        (status == 0 && !start.is_null()).then(|| start.addr())
    }
}

#[cfg(not(target_os = "linux"))]
fn thread_stack_end() -> Option<usize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_below_the_caller_and_inside_the_thread_stack() {
        let marker = 0u8;
        let here = core::ptr::addr_of!(marker).addr();
        let limit = limit(64 * 1024, HOST_RESERVE);
        assert!(limit < here);
        assert!(here - limit <= 64 * 1024 + 4096);
        if let Some(end) = thread_stack_end() {
            assert!(end < limit);
            // A budget larger than the stack is cut at the reserve.
            assert!(super::limit(1 << 40, HOST_RESERVE) >= end + HOST_RESERVE);
        }
    }
}
