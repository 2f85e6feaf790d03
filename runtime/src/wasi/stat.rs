//! File metadata and times: host metadata as a WASI `filestat`, and the
//! times `fstflags` ask to set.

use std::io;
use std::time::{Duration, SystemTime};

use cap_std::fs::Metadata;
use fs_set_times::SystemTimeSpec;

use super::errno::Errno;
use super::types::{Filestat, filetype, fstflags};

/// The WASI file type of a host file type.
pub(crate) fn filetype_of(ty: cap_std::fs::FileType) -> u8 {
    use cap_fs_ext::FileTypeExt;
    if ty.is_dir() {
        filetype::DIRECTORY
    } else if ty.is_file() {
        filetype::REGULAR_FILE
    } else if ty.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if ty.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if ty.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if ty.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

/// Nanoseconds since 1970 of a file time (0 if unknown or earlier).
fn time_nanos(time: io::Result<cap_std::time::SystemTime>) -> u64 {
    time.ok()
        .and_then(|time| time.into_std().duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, super::clocks::duration_nanos)
}

/// The status-change time (`ctim`).
#[cfg(unix)]
fn change_time(metadata: &Metadata) -> u64 {
    use cap_std::fs::MetadataExt;
    u64::try_from(metadata.ctime())
        .ok()
        .and_then(|seconds| seconds.checked_mul(1_000_000_000))
        .zip(u64::try_from(metadata.ctime_nsec()).ok())
        .and_then(|(seconds, nanos)| seconds.checked_add(nanos))
        .unwrap_or(0)
}

/// The status-change time: hosts without one report the modification time.
#[cfg(not(unix))]
fn change_time(metadata: &Metadata) -> u64 {
    time_nanos(metadata.modified())
}

/// The `filestat` of host metadata.
pub(crate) fn filestat(metadata: &Metadata) -> Filestat {
    use cap_fs_ext::MetadataExt;
    Filestat {
        dev: metadata.dev(),
        ino: metadata.ino(),
        filetype: filetype_of(metadata.file_type()),
        nlink: metadata.nlink(),
        size: metadata.len(),
        atim: time_nanos(metadata.accessed()),
        mtim: time_nanos(metadata.modified()),
        ctim: change_time(metadata),
    }
}

/// One of the two times `fstflags` sets: `EINVAL` if asked both to set a
/// time and to use the current time.
fn time_spec(time: u64, set: u16, now: u16, flags: u16) -> Result<Option<SystemTimeSpec>, Errno> {
    match (flags & set != 0, flags & now != 0) {
        (true, true) => Err(Errno::Inval),
        (true, false) => SystemTime::UNIX_EPOCH
            .checked_add(Duration::from_nanos(time))
            .map(|time| Some(SystemTimeSpec::Absolute(time)))
            .ok_or(Errno::Inval),
        (false, true) => Ok(Some(SystemTimeSpec::SymbolicNow)),
        (false, false) => Ok(None),
    }
}

/// The access and modification times `fst_flags` asks to set.
pub(crate) fn time_specs(
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(Option<SystemTimeSpec>, Option<SystemTimeSpec>), Errno> {
    let flags = u16::try_from(fst_flags)
        .ok()
        .filter(|flags| flags & !fstflags::ALL == 0)
        .ok_or(Errno::Inval)?;
    Ok((
        time_spec(atim, fstflags::ATIM, fstflags::ATIM_NOW, flags)?,
        time_spec(mtim, fstflags::MTIM, fstflags::MTIM_NOW, flags)?,
    ))
}
