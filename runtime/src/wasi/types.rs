//! The preview1 ABI: constants, flag bits, and the byte layout of the
//! structures the guest passes in or gets back, for both snapshots.
//!
//! All multi-byte values are little-endian, as wasm memory is. The layouts
//! are written out field by field (offsets from the witx definitions), so
//! nothing depends on the host's struct layout or endianness.

use super::errno::Errno;

/// Which WASI module a function was imported from: the two differ in a few
/// layouts and constants.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Snapshot {
    /// `wasi_unstable` (snapshot 0).
    Unstable,
    /// `wasi_snapshot_preview1`.
    Preview1,
}

/// `filetype`.
pub(crate) mod filetype {
    pub(crate) const UNKNOWN: u8 = 0;
    pub(crate) const BLOCK_DEVICE: u8 = 1;
    pub(crate) const CHARACTER_DEVICE: u8 = 2;
    pub(crate) const DIRECTORY: u8 = 3;
    pub(crate) const REGULAR_FILE: u8 = 4;
    pub(crate) const SOCKET_STREAM: u8 = 6;
    pub(crate) const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags`.
pub(crate) mod fdflags {
    pub(crate) const APPEND: u16 = 1 << 0;
    pub(crate) const DSYNC: u16 = 1 << 1;
    pub(crate) const NONBLOCK: u16 = 1 << 2;
    pub(crate) const RSYNC: u16 = 1 << 3;
    pub(crate) const SYNC: u16 = 1 << 4;
    /// The synchronisation flags, fixed when a file is opened.
    pub(crate) const SYNC_FLAGS: u16 = DSYNC | RSYNC | SYNC;
    pub(crate) const ALL: u16 = APPEND | NONBLOCK | SYNC_FLAGS;
}

/// `oflags`.
pub(crate) mod oflags {
    pub(crate) const CREAT: u16 = 1 << 0;
    pub(crate) const DIRECTORY: u16 = 1 << 1;
    pub(crate) const EXCL: u16 = 1 << 2;
    pub(crate) const TRUNC: u16 = 1 << 3;
    pub(crate) const ALL: u16 = CREAT | DIRECTORY | EXCL | TRUNC;
}

/// `lookupflags`.
pub(crate) mod lookupflags {
    pub(crate) const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags`.
pub(crate) mod fstflags {
    pub(crate) const ATIM: u16 = 1 << 0;
    pub(crate) const ATIM_NOW: u16 = 1 << 1;
    pub(crate) const MTIM: u16 = 1 << 2;
    pub(crate) const MTIM_NOW: u16 = 1 << 3;
    pub(crate) const ALL: u16 = ATIM | ATIM_NOW | MTIM | MTIM_NOW;
}

/// `clockid`.
pub(crate) mod clockid {
    pub(crate) const REALTIME: u32 = 0;
    pub(crate) const MONOTONIC: u32 = 1;
    pub(crate) const PROCESS_CPUTIME_ID: u32 = 2;
    pub(crate) const THREAD_CPUTIME_ID: u32 = 3;
}

/// `eventtype`.
pub(crate) mod eventtype {
    pub(crate) const CLOCK: u8 = 0;
    pub(crate) const FD_READ: u8 = 1;
    pub(crate) const FD_WRITE: u8 = 2;
}

/// `eventrwflags`.
pub(crate) mod eventrwflags {
    pub(crate) const FD_READWRITE_HANGUP: u16 = 1 << 0;
}

/// `subclockflags`.
pub(crate) mod subclockflags {
    pub(crate) const SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1 << 0;
}

/// `rights`.
pub(crate) mod rights {
    pub(crate) const FD_DATASYNC: u64 = 1 << 0;
    pub(crate) const FD_READ: u64 = 1 << 1;
    pub(crate) const FD_SEEK: u64 = 1 << 2;
    pub(crate) const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub(crate) const FD_SYNC: u64 = 1 << 4;
    pub(crate) const FD_TELL: u64 = 1 << 5;
    pub(crate) const FD_WRITE: u64 = 1 << 6;
    pub(crate) const FD_ADVISE: u64 = 1 << 7;
    pub(crate) const FD_ALLOCATE: u64 = 1 << 8;
    pub(crate) const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub(crate) const PATH_CREATE_FILE: u64 = 1 << 10;
    pub(crate) const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub(crate) const PATH_LINK_TARGET: u64 = 1 << 12;
    pub(crate) const PATH_OPEN: u64 = 1 << 13;
    pub(crate) const FD_READDIR: u64 = 1 << 14;
    pub(crate) const PATH_READLINK: u64 = 1 << 15;
    pub(crate) const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub(crate) const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub(crate) const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub(crate) const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub(crate) const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub(crate) const FD_FILESTAT_GET: u64 = 1 << 21;
    pub(crate) const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub(crate) const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub(crate) const PATH_SYMLINK: u64 = 1 << 24;
    pub(crate) const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub(crate) const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub(crate) const POLL_FD_READWRITE: u64 = 1 << 27;
    // Bits 28 and 29 are `sock_shutdown` and `sock_accept`: no descriptor
    // here is a socket.
    /// Every right preview1 defines.
    pub(crate) const ALL: u64 = (1 << 30) - 1;

    /// What a regular file (or device) descriptor can do.
    pub(crate) const FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// What a directory descriptor can do.
    pub(crate) const DIRECTORY: u64 = FD_DATASYNC
        | FD_SYNC
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;

    /// What standard input can do. No seek or tell: wasi-libc's `isatty`
    /// looks for their absence.
    pub(crate) const STDIN: u64 =
        FD_READ | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /// What standard output and error can do.
    pub(crate) const STDOUT: u64 =
        FD_WRITE | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
}

/// `whence` of `fd_seek`, decoded.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Whence {
    Set,
    Cur,
    End,
}

impl Snapshot {
    /// Decodes a `whence`: preview1 numbers them set, cur, end; snapshot 0
    /// numbered them cur, end, set.
    pub(crate) fn whence(self, raw: u32) -> Result<Whence, Errno> {
        match (self, raw) {
            (Snapshot::Preview1, 0) | (Snapshot::Unstable, 2) => Ok(Whence::Set),
            (Snapshot::Preview1, 1) | (Snapshot::Unstable, 0) => Ok(Whence::Cur),
            (Snapshot::Preview1, 2) | (Snapshot::Unstable, 1) => Ok(Whence::End),
            _ => Err(Errno::Inval),
        }
    }

    /// Bytes in a `subscription`: snapshot 0's clock subscription carries an
    /// extra 8-byte `identifier`.
    pub(crate) fn subscription_size(self) -> u32 {
        match self {
            Snapshot::Preview1 => 48,
            Snapshot::Unstable => 56,
        }
    }
}

/// Writes `value` little-endian at `offset` of `bytes` (in bounds by
/// construction: the callers' buffers have fixed sizes).
fn put<const N: usize>(bytes: &mut [u8], offset: usize, value: [u8; N]) {
    bytes[offset..offset + N].copy_from_slice(&value);
}

/// Reads `N` bytes at `offset` of a fixed-size buffer.
fn get<const N: usize>(bytes: &[u8], offset: usize) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&bytes[offset..offset + N]);
    out
}

/// `filestat`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filestat {
    pub(crate) dev: u64,
    pub(crate) ino: u64,
    pub(crate) filetype: u8,
    pub(crate) nlink: u64,
    pub(crate) size: u64,
    pub(crate) atim: u64,
    pub(crate) mtim: u64,
    pub(crate) ctim: u64,
}

impl Filestat {
    /// The guest bytes: 64 in preview1; 56 in snapshot 0, whose `nlink` is a
    /// `u32` (saturated here) and whose later fields sit 8 bytes earlier.
    pub(crate) fn encode(&self, snapshot: Snapshot) -> ([u8; 64], usize) {
        let mut bytes = [0; 64];
        put(&mut bytes, 0, self.dev.to_le_bytes());
        put(&mut bytes, 8, self.ino.to_le_bytes());
        bytes[16] = self.filetype;
        let rest = match snapshot {
            Snapshot::Preview1 => {
                put(&mut bytes, 24, self.nlink.to_le_bytes());
                32
            }
            Snapshot::Unstable => {
                let nlink = u32::try_from(self.nlink).unwrap_or(u32::MAX);
                put(&mut bytes, 20, nlink.to_le_bytes());
                24
            }
        };
        put(&mut bytes, rest, self.size.to_le_bytes());
        put(&mut bytes, rest + 8, self.atim.to_le_bytes());
        put(&mut bytes, rest + 16, self.mtim.to_le_bytes());
        put(&mut bytes, rest + 24, self.ctim.to_le_bytes());
        (bytes, rest + 32)
    }
}

/// `fdstat` (the same in both snapshots).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fdstat {
    pub(crate) filetype: u8,
    pub(crate) flags: u16,
    pub(crate) rights_base: u64,
    pub(crate) rights_inheriting: u64,
}

impl Fdstat {
    /// The 24 guest bytes.
    pub(crate) fn encode(&self) -> [u8; 24] {
        let mut bytes = [0; 24];
        bytes[0] = self.filetype;
        put(&mut bytes, 2, self.flags.to_le_bytes());
        put(&mut bytes, 8, self.rights_base.to_le_bytes());
        put(&mut bytes, 16, self.rights_inheriting.to_le_bytes());
        bytes
    }
}

/// The fixed part of a `dirent` (the same in both snapshots); the name's
/// bytes follow it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dirent {
    pub(crate) next: u64,
    pub(crate) ino: u64,
    pub(crate) namlen: u32,
    pub(crate) filetype: u8,
}

impl Dirent {
    /// Bytes of the fixed part.
    pub(crate) const SIZE: usize = 24;

    /// The 24 guest bytes.
    pub(crate) fn encode(&self) -> [u8; Self::SIZE] {
        let mut bytes = [0; Self::SIZE];
        put(&mut bytes, 0, self.next.to_le_bytes());
        put(&mut bytes, 8, self.ino.to_le_bytes());
        put(&mut bytes, 16, self.namlen.to_le_bytes());
        bytes[20] = self.filetype;
        bytes
    }
}

/// `prestat` of a pre-opened directory (tag 0, `preopentype::dir`).
pub(crate) fn encode_prestat_dir(name_len: u32) -> [u8; 8] {
    let mut bytes = [0; 8];
    put(&mut bytes, 4, name_len.to_le_bytes());
    bytes
}

/// An `event` of `poll_oneoff` (the same in both snapshots).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) userdata: u64,
    pub(crate) error: Errno,
    pub(crate) kind: u8,
    pub(crate) nbytes: u64,
    pub(crate) flags: u16,
}

impl Event {
    /// Bytes of an event.
    pub(crate) const SIZE: u32 = 32;

    /// The 32 guest bytes.
    pub(crate) fn encode(&self) -> [u8; 32] {
        let mut bytes = [0; 32];
        put(&mut bytes, 0, self.userdata.to_le_bytes());
        put(&mut bytes, 8, self.error.raw().to_le_bytes());
        bytes[10] = self.kind;
        put(&mut bytes, 16, self.nbytes.to_le_bytes());
        put(&mut bytes, 24, self.flags.to_le_bytes());
        bytes
    }
}

/// What a `subscription` waits for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum SubscriptionKind {
    /// A clock reaching a time.
    Clock { id: u32, timeout: u64, flags: u16 },
    /// A descriptor becoming readable.
    FdRead(u32),
    /// A descriptor becoming writable.
    FdWrite(u32),
}

/// A decoded `subscription`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Subscription {
    pub(crate) userdata: u64,
    pub(crate) kind: SubscriptionKind,
}

impl Subscription {
    /// Decodes one subscription from exactly `snapshot.subscription_size()`
    /// bytes. An unknown event type is `EINVAL`.
    pub(crate) fn decode(bytes: &[u8], snapshot: Snapshot) -> Result<Subscription, Errno> {
        if bytes.len() != snapshot.subscription_size() as usize {
            return Err(Errno::Fault);
        }
        let userdata = u64::from_le_bytes(get(bytes, 0));
        // The union's tag, then its payload at offset 16.
        let kind = match bytes[8] {
            eventtype::CLOCK => {
                // Snapshot 0 puts an `identifier` (unused here) first.
                let clock = match snapshot {
                    Snapshot::Preview1 => 16,
                    Snapshot::Unstable => 24,
                };
                SubscriptionKind::Clock {
                    id: u32::from_le_bytes(get(bytes, clock)),
                    timeout: u64::from_le_bytes(get(bytes, clock + 8)),
                    // `precision` at clock + 16 is a hint, ignored.
                    flags: u16::from_le_bytes(get(bytes, clock + 24)),
                }
            }
            eventtype::FD_READ => SubscriptionKind::FdRead(u32::from_le_bytes(get(bytes, 16))),
            eventtype::FD_WRITE => SubscriptionKind::FdWrite(u32::from_le_bytes(get(bytes, 16))),
            _ => return Err(Errno::Inval),
        };
        Ok(Subscription { userdata, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filestat_layouts() {
        let stat = Filestat {
            dev: 1,
            ino: 2,
            filetype: filetype::REGULAR_FILE,
            nlink: 3,
            size: 4,
            atim: 5,
            mtim: 6,
            ctim: 7,
        };
        let (bytes, len) = stat.encode(Snapshot::Preview1);
        assert_eq!(len, 64);
        assert_eq!(bytes[16], 4);
        assert_eq!(bytes[24], 3);
        assert_eq!(bytes[32], 4);
        assert_eq!(bytes[56], 7);
        let (bytes, len) = stat.encode(Snapshot::Unstable);
        assert_eq!(len, 56);
        assert_eq!(bytes[20], 3);
        assert_eq!(bytes[24], 4);
        assert_eq!(bytes[48], 7);
    }

    #[test]
    fn whence_numbering() {
        assert_eq!(Snapshot::Preview1.whence(0), Ok(Whence::Set));
        assert_eq!(Snapshot::Unstable.whence(0), Ok(Whence::Cur));
        assert_eq!(Snapshot::Unstable.whence(1), Ok(Whence::End));
        assert_eq!(Snapshot::Unstable.whence(2), Ok(Whence::Set));
        assert_eq!(Snapshot::Preview1.whence(3), Err(Errno::Inval));
    }

    #[test]
    fn subscriptions() {
        let mut bytes = [0u8; 56];
        bytes[0] = 9;
        bytes[8] = eventtype::CLOCK;
        bytes[24] = 1; // snapshot 0: id after the identifier
        bytes[32] = 100; // timeout
        let sub = Subscription::decode(&bytes, Snapshot::Unstable).unwrap();
        assert_eq!(sub.userdata, 9);
        assert_eq!(
            sub.kind,
            SubscriptionKind::Clock {
                id: 1,
                timeout: 100,
                flags: 0
            }
        );
        let mut bytes = [0u8; 48];
        bytes[8] = eventtype::FD_WRITE;
        bytes[16] = 1;
        let sub = Subscription::decode(&bytes, Snapshot::Preview1).unwrap();
        assert_eq!(sub.kind, SubscriptionKind::FdWrite(1));
        bytes[8] = 7;
        assert_eq!(
            Subscription::decode(&bytes, Snapshot::Preview1),
            Err(Errno::Inval)
        );
    }
}
