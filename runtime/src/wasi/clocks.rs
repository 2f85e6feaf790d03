//! Clocks: `clock_res_get` and `clock_time_get`.
//!
//! - `realtime` is the host's wall clock, in nanoseconds since 1970.
//! - `monotonic` counts nanoseconds from an arbitrary point fixed the first
//!   time any WASI context in the process reads it (it starts near zero).
//! - `process_cputime_id` and `thread_cputime_id` are the CPU time of the
//!   host process and of the thread running the guest, where the host has
//!   such clocks (Linux, Android, FreeBSD, Apple systems); elsewhere they
//!   answer `ENOTSUP`.
//!
//! The `precision` argument of `clock_time_get` is a hint and is ignored.

use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use super::errno::Errno;
use super::host_os::{self, Clock};
use super::types::clockid;

/// The instant monotonic time counts from.
pub(crate) fn monotonic_epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds in `duration`, saturated.
pub(crate) fn duration_nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// Monotonic time now, in nanoseconds.
pub(crate) fn monotonic_now() -> u64 {
    duration_nanos(monotonic_epoch().elapsed())
}

/// Wall-clock time now, in nanoseconds since 1970 (`EOVERFLOW` before).
pub(crate) fn realtime_now() -> Result<u64, Errno> {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(duration_nanos)
        .map_err(|_| Errno::Overflow)
}

/// The clock a `clockid` names (`EINVAL` for unknown ids).
pub(crate) fn clock(id: u32) -> Result<Clock, Errno> {
    match id {
        clockid::REALTIME => Ok(Clock::Realtime),
        clockid::MONOTONIC => Ok(Clock::Monotonic),
        clockid::PROCESS_CPUTIME_ID => Ok(Clock::ProcessCpu),
        clockid::THREAD_CPUTIME_ID => Ok(Clock::ThreadCpu),
        _ => Err(Errno::Inval),
    }
}

/// `clock_res_get`: the clock's resolution in nanoseconds.
pub(crate) fn clock_res_get(id: u32) -> Result<u64, Errno> {
    host_os::resolution(clock(id)?).ok_or(Errno::Notsup)
}

/// `clock_time_get`: the clock's time in nanoseconds.
pub(crate) fn clock_time_get(id: u32) -> Result<u64, Errno> {
    match clock(id)? {
        Clock::Realtime => realtime_now(),
        Clock::Monotonic => Ok(monotonic_now()),
        cpu @ (Clock::ProcessCpu | Clock::ThreadCpu) => host_os::cpu_time(cpu).ok_or(Errno::Notsup),
    }
}
