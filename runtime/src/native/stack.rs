//! The native stack limit: how deep native code may go before a function
//! entry traps with `StackOverflow` instead of running off the thread's
//! stack.

/// Room left below the limit for the host code native code calls (the
/// dispatcher, host functions, builtins): they run after the last check.
const HOST_RESERVE: usize = 256 * 1024;

/// The limit for native code entered from here: `budget` bytes below the
/// current stack pointer, but never closer than [`HOST_RESERVE`] to the end
/// of the thread's stack when that is known.
pub(super) fn limit(budget: usize) -> usize {
    let marker = 0u8;
    let here = core::ptr::addr_of!(marker).addr();
    let wanted = here.saturating_sub(budget);
    match thread_stack_end() {
        Some(end) => wanted.max(end.saturating_add(HOST_RESERVE).min(here)),
        None => wanted,
    }
}

/// The lowest address of the current thread's stack.
#[cfg(target_os = "linux")]
fn thread_stack_end() -> Option<usize> {
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
        let limit = limit(64 * 1024);
        assert!(limit < here);
        assert!(here - limit <= 64 * 1024 + 4096);
        if let Some(end) = thread_stack_end() {
            assert!(end < limit);
            // A budget larger than the stack is cut at the reserve.
            assert!(super::limit(1 << 40) >= end + HOST_RESERVE);
        }
    }
}
