//! What differs between host operating systems: positioned I/O, file
//! advice and allocation, CPU-time clocks, clock resolutions, and waiting
//! for standard input.
//!
//! Everything here is safe code over std, cap-std and (on Unix) rustix.

use std::io;
use std::time::Duration;

use cap_std::fs::File;

/// Retries `op` while it is interrupted by a signal.
fn retry<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match op() {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Reads into `buf` at `offset` (the guest's own position is kept by the
/// caller; a host cursor, if the platform moves one, is never used).
pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    retry(|| {
        #[cfg(unix)]
        {
            cap_std::fs::FileExt::read_at(file, buf, offset)
        }
        #[cfg(windows)]
        {
            cap_std::fs::FileExt::seek_read(file, buf, offset)
        }
        #[cfg(not(any(unix, windows)))]
        {
            let _ = (file, &buf, offset);
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
    })
}

/// Writes from `buf` at `offset` (see [`read_at`]).
pub(crate) fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<usize> {
    retry(|| {
        #[cfg(unix)]
        {
            cap_std::fs::FileExt::write_at(file, buf, offset)
        }
        #[cfg(windows)]
        {
            cap_std::fs::FileExt::seek_write(file, buf, offset)
        }
        #[cfg(not(any(unix, windows)))]
        {
            let _ = (file, buf, offset);
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
    })
}

/// Passes WASI `advice` (0 to 5, already checked) for a byte range to the
/// host where it has `posix_fadvise`; elsewhere advice, being only a hint,
/// is ignored.
pub(crate) fn advise(file: &File, offset: u64, len: u64, advice: u8) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::Advice;
        let advice = match advice {
            0 => Advice::Normal,
            1 => Advice::Sequential,
            2 => Advice::Random,
            3 => Advice::WillNeed,
            4 => Advice::DontNeed,
            _ => Advice::NoReuse,
        };
        rustix::fs::fadvise(file, offset, core::num::NonZeroU64::new(len), advice)?;
        Ok(())
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (file, offset, len, advice);
        Ok(())
    }
}

/// Makes sure bytes `offset..offset + len` of the file are allocated, like
/// `posix_fallocate`: with `fallocate` on Linux, elsewhere (or where the
/// file system cannot) by extending the file to cover the range.
pub(crate) fn allocate(file: &File, offset: u64, len: u64) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::io::Errno;
        match rustix::fs::fallocate(file, rustix::fs::FallocateFlags::empty(), offset, len) {
            Ok(()) => return Ok(()),
            Err(Errno::OPNOTSUPP) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let end = offset
        .checked_add(len)
        .ok_or_else(|| io::Error::from(io::ErrorKind::FileTooLarge))?;
    if file.metadata()?.len() < end {
        file.set_len(end)?;
    }
    Ok(())
}

/// Flushes a directory's entries to storage: `fsync` on the directory,
/// opened afresh for reading (its descriptor may be open for path lookups
/// only, which cannot be synced).
pub(crate) fn sync_dir(dir: &cap_std::fs::Dir) -> io::Result<()> {
    use cap_fs_ext::OpenOptionsMaybeDirExt;
    let mut options = cap_std::fs::OpenOptions::new();
    options.read(true).maybe_dir(true);
    dir.open_with(".", &options)?.sync_all()
}

/// A host clock.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Clock {
    Realtime,
    Monotonic,
    ProcessCpu,
    ThreadCpu,
}

/// A Unix `timespec` in nanoseconds, if it fits.
#[cfg(unix)]
fn nanos(time: rustix::time::Timespec) -> Option<u64> {
    let seconds = u64::try_from(time.tv_sec).ok()?;
    let nanos = u64::try_from(time.tv_nsec).ok()?;
    seconds.checked_mul(1_000_000_000)?.checked_add(nanos)
}

/// The clock's resolution in nanoseconds, if the host has the clock.
pub(crate) fn resolution(clock: Clock) -> Option<u64> {
    #[cfg(unix)]
    {
        let id = match clock {
            Clock::Realtime => rustix::time::ClockId::Realtime,
            Clock::Monotonic => rustix::time::ClockId::Monotonic,
            Clock::ProcessCpu | Clock::ThreadCpu => cpu_clock_id(clock)?,
        };
        nanos(rustix::time::clock_getres(id)).map(|ns| ns.max(1))
    }
    #[cfg(not(unix))]
    {
        // Without a way to ask: std's clocks tick in at most a microsecond
        // on the supported hosts.
        match clock {
            Clock::Realtime | Clock::Monotonic => Some(1_000),
            Clock::ProcessCpu | Clock::ThreadCpu => None,
        }
    }
}

#[cfg(unix)]
fn cpu_clock_id(clock: Clock) -> Option<rustix::time::ClockId> {
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "freebsd",
        target_vendor = "apple"
    ))]
    {
        match clock {
            Clock::ProcessCpu => Some(rustix::time::ClockId::ProcessCPUTime),
            Clock::ThreadCpu => Some(rustix::time::ClockId::ThreadCPUTime),
            Clock::Realtime | Clock::Monotonic => None,
        }
    }
    #[cfg(not(any(
        target_os = "linux",
        target_os = "android",
        target_os = "freebsd",
        target_vendor = "apple"
    )))]
    {
        let _ = clock;
        None
    }
}

/// CPU time used by the host process or the current thread (the one
/// running the guest), in nanoseconds, if the host can tell.
pub(crate) fn cpu_time(clock: Clock) -> Option<u64> {
    #[cfg(unix)]
    {
        nanos(rustix::time::clock_gettime(cpu_clock_id(clock)?))
    }
    #[cfg(not(unix))]
    {
        let _ = clock;
        None
    }
}

/// Whether the host's standard input has something to read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Readiness {
    /// Nothing yet.
    Pending,
    /// A read will not block.
    Ready,
    /// The other end is closed: a read returns end of file.
    Hangup,
}

/// Waits up to `timeout` (forever if `None`) for the host's standard input
/// to become readable. Where the host cannot wait on it, it is reported
/// ready.
pub(crate) fn wait_stdin(timeout: Option<Duration>) -> io::Result<Readiness> {
    #[cfg(unix)]
    {
        use rustix::event::{PollFd, PollFlags, Timespec, poll};
        let timeout = timeout.map(|timeout| Timespec {
            tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: timeout.subsec_nanos().into(),
        });
        let stdin = io::stdin();
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        retry(|| Ok(poll(&mut fds, timeout.as_ref())?))?;
        let events = fds[0].revents();
        Ok(if events.contains(PollFlags::IN) {
            Readiness::Ready
        } else if events.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            Readiness::Hangup
        } else {
            Readiness::Pending
        })
    }
    #[cfg(not(unix))]
    {
        let _ = timeout;
        Ok(Readiness::Ready)
    }
}
