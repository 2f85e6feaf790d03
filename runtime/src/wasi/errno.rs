//! WASI error numbers, and how host I/O errors map onto them.

use std::io;

macro_rules! errnos {
    ($($(#[doc = $doc:literal])* $name:ident = $value:literal,)*) => {
        /// A WASI `errno`: what a WASI function returns to the guest.
        ///
        /// Both `wasi_snapshot_preview1` and `wasi_unstable` use these numbers.
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Errno {
            $($(#[doc = $doc])* $name = $value,)*
        }
    };
}

errnos! {
    /// No error occurred.
    Success = 0,
    /// Argument list too long.
    TooBig = 1,
    /// Permission denied.
    Acces = 2,
    /// Address in use.
    Addrinuse = 3,
    /// Address not available.
    Addrnotavail = 4,
    /// Address family not supported.
    Afnosupport = 5,
    /// Resource unavailable, or operation would block.
    Again = 6,
    /// Connection already in progress.
    Already = 7,
    /// Bad file descriptor.
    Badf = 8,
    /// Bad message.
    Badmsg = 9,
    /// Device or resource busy.
    Busy = 10,
    /// Operation canceled.
    Canceled = 11,
    /// No child processes.
    Child = 12,
    /// Connection aborted.
    Connaborted = 13,
    /// Connection refused.
    Connrefused = 14,
    /// Connection reset.
    Connreset = 15,
    /// Resource deadlock would occur.
    Deadlk = 16,
    /// Destination address required.
    Destaddrreq = 17,
    /// Mathematics argument out of domain of function.
    Dom = 18,
    /// Reserved.
    Dquot = 19,
    /// File exists.
    Exist = 20,
    /// Bad address.
    Fault = 21,
    /// File too large.
    Fbig = 22,
    /// Host is unreachable.
    Hostunreach = 23,
    /// Identifier removed.
    Idrm = 24,
    /// Illegal byte sequence.
    Ilseq = 25,
    /// Operation in progress.
    Inprogress = 26,
    /// Interrupted function.
    Intr = 27,
    /// Invalid argument.
    Inval = 28,
    /// I/O error.
    Io = 29,
    /// Socket is connected.
    Isconn = 30,
    /// Is a directory.
    Isdir = 31,
    /// Too many levels of symbolic links.
    Loop = 32,
    /// File descriptor value too large.
    Mfile = 33,
    /// Too many links.
    Mlink = 34,
    /// Message too large.
    Msgsize = 35,
    /// Reserved.
    Multihop = 36,
    /// Filename too long.
    Nametoolong = 37,
    /// Network is down.
    Netdown = 38,
    /// Connection aborted by network.
    Netreset = 39,
    /// Network unreachable.
    Netunreach = 40,
    /// Too many files open in system.
    Nfile = 41,
    /// No buffer space available.
    Nobufs = 42,
    /// No such device.
    Nodev = 43,
    /// No such file or directory.
    Noent = 44,
    /// Executable file format error.
    Noexec = 45,
    /// No locks available.
    Nolck = 46,
    /// Reserved.
    Nolink = 47,
    /// Not enough space.
    Nomem = 48,
    /// No message of the desired type.
    Nomsg = 49,
    /// Protocol not available.
    Noprotoopt = 50,
    /// No space left on device.
    Nospc = 51,
    /// Function not supported.
    Nosys = 52,
    /// The socket is not connected.
    Notconn = 53,
    /// Not a directory or a symbolic link to a directory.
    Notdir = 54,
    /// Directory not empty.
    Notempty = 55,
    /// State not recoverable.
    Notrecoverable = 56,
    /// Not a socket.
    Notsock = 57,
    /// Not supported, or operation not supported on socket.
    Notsup = 58,
    /// Inappropriate I/O control operation.
    Notty = 59,
    /// No such device or address.
    Nxio = 60,
    /// Value too large to be stored in data type.
    Overflow = 61,
    /// Previous owner died.
    Ownerdead = 62,
    /// Operation not permitted.
    Perm = 63,
    /// Broken pipe.
    Pipe = 64,
    /// Protocol error.
    Proto = 65,
    /// Protocol not supported.
    Protonosupport = 66,
    /// Protocol wrong type for socket.
    Prototype = 67,
    /// Result too large.
    Range = 68,
    /// Read-only file system.
    Rofs = 69,
    /// Invalid seek.
    Spipe = 70,
    /// No such process.
    Srch = 71,
    /// Reserved.
    Stale = 72,
    /// Connection timed out.
    Timedout = 73,
    /// Text file busy.
    Txtbsy = 74,
    /// Cross-device link.
    Xdev = 75,
    /// Extension: capabilities insufficient.
    Notcapable = 76,
}

impl Errno {
    /// The value the guest receives.
    pub fn raw(self) -> u16 {
        self as u16
    }
}

impl core::fmt::Display for Errno {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{self:?} (errno {})", self.raw())
    }
}

impl core::error::Error for Errno {}

impl From<io::Error> for Errno {
    fn from(error: io::Error) -> Errno {
        Errno::from(&error)
    }
}

impl From<&io::Error> for Errno {
    /// The host's own error number when there is one (it is the most
    /// precise), otherwise the error's kind. Errors that cap-std makes up
    /// itself have no number: its sandbox-escape error is a
    /// `PermissionDenied` without one, and becomes [`Errno::Perm`], as in
    /// Wasmtime.
    fn from(error: &io::Error) -> Errno {
        if let Some(errno) = os::from_os_error(error) {
            return errno;
        }
        from_kind(error.kind())
    }
}

/// The errno of an I/O error kind (for errors that carry no OS number).
fn from_kind(kind: io::ErrorKind) -> Errno {
    use io::ErrorKind as K;
    match kind {
        K::NotFound => Errno::Noent,
        K::PermissionDenied => Errno::Perm,
        K::ConnectionRefused => Errno::Connrefused,
        K::ConnectionReset => Errno::Connreset,
        K::HostUnreachable => Errno::Hostunreach,
        K::NetworkUnreachable => Errno::Netunreach,
        K::ConnectionAborted => Errno::Connaborted,
        K::NotConnected => Errno::Notconn,
        K::AddrInUse => Errno::Addrinuse,
        K::AddrNotAvailable => Errno::Addrnotavail,
        K::NetworkDown => Errno::Netdown,
        K::BrokenPipe => Errno::Pipe,
        K::AlreadyExists => Errno::Exist,
        K::WouldBlock => Errno::Again,
        K::NotADirectory => Errno::Notdir,
        K::IsADirectory => Errno::Isdir,
        K::DirectoryNotEmpty => Errno::Notempty,
        K::ReadOnlyFilesystem => Errno::Rofs,
        K::StaleNetworkFileHandle => Errno::Stale,
        K::InvalidInput => Errno::Inval,
        K::InvalidData => Errno::Ilseq,
        K::TimedOut => Errno::Timedout,
        K::StorageFull => Errno::Nospc,
        K::NotSeekable => Errno::Spipe,
        K::QuotaExceeded => Errno::Dquot,
        K::FileTooLarge => Errno::Fbig,
        K::ResourceBusy => Errno::Busy,
        K::ExecutableFileBusy => Errno::Txtbsy,
        K::Deadlock => Errno::Deadlk,
        K::CrossesDevices => Errno::Xdev,
        K::TooManyLinks => Errno::Mlink,
        K::InvalidFilename => Errno::Nametoolong,
        K::ArgumentListTooLong => Errno::TooBig,
        K::Interrupted => Errno::Intr,
        K::Unsupported => Errno::Notsup,
        K::OutOfMemory => Errno::Nomem,
        _ => Errno::Io,
    }
}

#[cfg(unix)]
mod os {
    use super::Errno;
    use rustix::io::Errno as E;

    /// Host error numbers and their WASI counterparts.
    const TABLE: &[(E, Errno)] = &[
        (E::TOOBIG, Errno::TooBig),
        (E::ACCESS, Errno::Acces),
        (E::ADDRINUSE, Errno::Addrinuse),
        (E::ADDRNOTAVAIL, Errno::Addrnotavail),
        (E::AFNOSUPPORT, Errno::Afnosupport),
        (E::AGAIN, Errno::Again),
        (E::ALREADY, Errno::Already),
        (E::BADF, Errno::Badf),
        (E::BADMSG, Errno::Badmsg),
        (E::BUSY, Errno::Busy),
        (E::CANCELED, Errno::Canceled),
        (E::CHILD, Errno::Child),
        (E::CONNABORTED, Errno::Connaborted),
        (E::CONNREFUSED, Errno::Connrefused),
        (E::CONNRESET, Errno::Connreset),
        (E::DEADLK, Errno::Deadlk),
        (E::DESTADDRREQ, Errno::Destaddrreq),
        (E::DOM, Errno::Dom),
        (E::DQUOT, Errno::Dquot),
        (E::EXIST, Errno::Exist),
        (E::FAULT, Errno::Fault),
        (E::FBIG, Errno::Fbig),
        (E::HOSTUNREACH, Errno::Hostunreach),
        (E::IDRM, Errno::Idrm),
        (E::ILSEQ, Errno::Ilseq),
        (E::INPROGRESS, Errno::Inprogress),
        (E::INTR, Errno::Intr),
        (E::INVAL, Errno::Inval),
        (E::IO, Errno::Io),
        (E::ISCONN, Errno::Isconn),
        (E::ISDIR, Errno::Isdir),
        (E::LOOP, Errno::Loop),
        (E::MFILE, Errno::Mfile),
        (E::MLINK, Errno::Mlink),
        (E::MSGSIZE, Errno::Msgsize),
        (E::NAMETOOLONG, Errno::Nametoolong),
        (E::NETDOWN, Errno::Netdown),
        (E::NETRESET, Errno::Netreset),
        (E::NETUNREACH, Errno::Netunreach),
        (E::NFILE, Errno::Nfile),
        (E::NOBUFS, Errno::Nobufs),
        (E::NODEV, Errno::Nodev),
        (E::NOENT, Errno::Noent),
        (E::NOEXEC, Errno::Noexec),
        (E::NOLCK, Errno::Nolck),
        (E::NOMEM, Errno::Nomem),
        (E::NOMSG, Errno::Nomsg),
        (E::NOPROTOOPT, Errno::Noprotoopt),
        (E::NOSPC, Errno::Nospc),
        (E::NOSYS, Errno::Nosys),
        (E::NOTCONN, Errno::Notconn),
        (E::NOTDIR, Errno::Notdir),
        (E::NOTEMPTY, Errno::Notempty),
        (E::NOTSOCK, Errno::Notsock),
        (E::NOTSUP, Errno::Notsup),
        (E::OPNOTSUPP, Errno::Notsup),
        (E::NOTTY, Errno::Notty),
        (E::NXIO, Errno::Nxio),
        (E::OVERFLOW, Errno::Overflow),
        (E::PERM, Errno::Perm),
        (E::PIPE, Errno::Pipe),
        (E::PROTO, Errno::Proto),
        (E::PROTONOSUPPORT, Errno::Protonosupport),
        (E::PROTOTYPE, Errno::Prototype),
        (E::RANGE, Errno::Range),
        (E::ROFS, Errno::Rofs),
        (E::SPIPE, Errno::Spipe),
        (E::SRCH, Errno::Srch),
        (E::STALE, Errno::Stale),
        (E::TIMEDOUT, Errno::Timedout),
        (E::TXTBSY, Errno::Txtbsy),
        (E::XDEV, Errno::Xdev),
    ];

    /// The WASI errno of the host error number `error` carries, if any.
    pub(super) fn from_os_error(error: &std::io::Error) -> Option<Errno> {
        let code = E::from_io_error(error)?;
        Some(
            TABLE
                .iter()
                .find(|(host, _)| *host == code)
                .map_or(Errno::Io, |&(_, errno)| errno),
        )
    }
}

#[cfg(not(unix))]
mod os {
    use super::Errno;

    /// Other hosts' error numbers are not mapped one by one: the error kind
    /// (which std derives from them) is used instead.
    pub(super) fn from_os_error(_error: &std::io::Error) -> Option<Errno> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_numbers() {
        assert_eq!(
            Errno::from(io::Error::from(io::ErrorKind::NotFound)),
            Errno::Noent
        );
        // cap-std's sandbox-escape error: no OS number, permission denied.
        let escape = io::Error::new(io::ErrorKind::PermissionDenied, "escape");
        assert_eq!(Errno::from(escape), Errno::Perm);
        #[cfg(unix)]
        {
            let eacces = io::Error::from(rustix::io::Errno::ACCESS);
            assert_eq!(Errno::from(eacces), Errno::Acces);
            let eloop = io::Error::from(rustix::io::Errno::LOOP);
            assert_eq!(Errno::from(eloop), Errno::Loop);
        }
        assert_eq!(Errno::Notcapable.raw(), 76);
        assert_eq!(std::format!("{}", Errno::Badf), "Badf (errno 8)");
    }
}
