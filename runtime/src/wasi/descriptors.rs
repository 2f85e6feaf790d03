//! The guest's file descriptors.
//!
//! A descriptor is standard input, an output stream (standard output or
//! error), a file, or a directory. Each carries the WASI rights it has left
//! (see the module documentation for how rights work here) and its
//! `fdflags`.

use std::collections::BTreeMap;
use std::string::String;
use std::vec::Vec;

use super::errno::Errno;
use super::stdio::{Input, Output};
use super::types::rights;

/// An open file (or device) the guest opened through a pre-opened
/// directory.
pub(crate) struct FileDesc {
    pub(crate) file: cap_std::fs::File,
    /// The file type, fixed when it was opened.
    pub(crate) filetype: u8,
    /// The offset `fd_read`, `fd_write`, `fd_seek` and `fd_tell` use. It is
    /// kept here: the host file is only ever read and written at explicit
    /// offsets, its own cursor unused.
    pub(crate) position: u64,
    /// Whether the host file was opened for reading.
    pub(crate) readable: bool,
    /// Whether the host file was opened for writing.
    pub(crate) writable: bool,
}

impl FileDesc {
    /// Fails with `EBADF`, as POSIX does, if the `wanted` rights include
    /// reading or writing and the host file was not opened for it (this
    /// comes before the rights check, which would say `ENOTCAPABLE`).
    pub(crate) fn access(&self, wanted: u64) -> Result<(), Errno> {
        let reads = wanted & rights::FD_READ != 0;
        let writes = wanted & rights::FD_WRITE != 0;
        if (reads && !self.readable) || (writes && !self.writable) {
            Err(Errno::Badf)
        } else {
            Ok(())
        }
    }
}

/// An entry of a directory listing, as `fd_readdir` returns it.
pub(crate) struct ListingEntry {
    pub(crate) name: Vec<u8>,
    pub(crate) ino: u64,
    pub(crate) filetype: u8,
}

/// An open directory: every path the guest names is resolved beneath one.
pub(crate) struct DirDesc {
    pub(crate) dir: cap_std::fs::Dir,
    /// The guest path it was pre-opened as, if it was.
    pub(crate) preopen: Option<String>,
    /// The listing `fd_readdir` hands out: read afresh when the guest asks
    /// from cookie 0, so that the cookies of one pass stay consistent.
    pub(crate) listing: Option<Vec<ListingEntry>>,
}

/// What a descriptor is.
pub(crate) enum Kind {
    Stdin(Input),
    Output(Output),
    File(FileDesc),
    Dir(DirDesc),
}

/// One file descriptor.
pub(crate) struct Descriptor {
    pub(crate) kind: Kind,
    /// The rights of operations on this descriptor.
    pub(crate) base: u64,
    /// The most rights descriptors opened through this one may have.
    pub(crate) inheriting: u64,
    /// `fdflags`.
    pub(crate) flags: u16,
}

impl Descriptor {
    /// Fails with `ENOTCAPABLE` unless the descriptor has all of `rights`.
    pub(crate) fn require(&self, rights: u64) -> Result<(), Errno> {
        require(self.base, rights)
    }

    /// The file, if this is one with `rights` (see [`FileDesc::access`]);
    /// standard streams answer `stream` (`ESPIPE` or `EBADF`, depending on
    /// the operation), directories `EBADF`.
    pub(crate) fn file(&self, rights: u64, stream: Errno) -> Result<&FileDesc, Errno> {
        match &self.kind {
            Kind::File(file) => {
                file.access(rights)?;
                self.require(rights)?;
                Ok(file)
            }
            Kind::Stdin(_) | Kind::Output(_) => Err(stream),
            Kind::Dir(_) => Err(Errno::Badf),
        }
    }

    /// The directory, if this is one with `rights`: `ENOTDIR` for other
    /// descriptors (as `openat` on a non-directory), `ENOTCAPABLE` without
    /// the rights.
    pub(crate) fn dir(&self, rights: u64) -> Result<&DirDesc, Errno> {
        match &self.kind {
            Kind::Dir(dir) => {
                self.require(rights)?;
                Ok(dir)
            }
            _ => Err(Errno::Notdir),
        }
    }
}

/// Fails with `ENOTCAPABLE` unless `base` holds all of `rights`.
pub(crate) fn require(base: u64, rights: u64) -> Result<(), Errno> {
    if base & rights == rights {
        Ok(())
    } else {
        Err(Errno::Notcapable)
    }
}

/// The descriptor table: numbers to descriptors.
#[derive(Default)]
pub(crate) struct FdTable {
    descriptors: BTreeMap<u32, Descriptor>,
}

impl FdTable {
    /// An empty table.
    pub(crate) const fn new() -> FdTable {
        FdTable {
            descriptors: BTreeMap::new(),
        }
    }

    /// The descriptor `fd`, or `EBADF`.
    pub(crate) fn get(&self, fd: u32) -> Result<&Descriptor, Errno> {
        self.descriptors.get(&fd).ok_or(Errno::Badf)
    }

    /// The descriptor `fd` mutably, or `EBADF`.
    pub(crate) fn get_mut(&mut self, fd: u32) -> Result<&mut Descriptor, Errno> {
        self.descriptors.get_mut(&fd).ok_or(Errno::Badf)
    }

    /// Adds a descriptor under the lowest free number, as POSIX does.
    pub(crate) fn insert(&mut self, descriptor: Descriptor) -> Result<u32, Errno> {
        let mut fd = 0u32;
        for &used in self.descriptors.keys() {
            if used != fd {
                break;
            }
            fd = fd.checked_add(1).ok_or(Errno::Mfile)?;
        }
        self.descriptors.insert(fd, descriptor);
        Ok(fd)
    }

    /// Removes descriptor `fd` (closing what it holds when dropped).
    pub(crate) fn remove(&mut self, fd: u32) -> Result<Descriptor, Errno> {
        self.descriptors.remove(&fd).ok_or(Errno::Badf)
    }

    /// Moves descriptor `from` to number `to`, closing what `to` held. Both
    /// must be open: preview1 renumbers, it does not `dup2` to arbitrary
    /// numbers.
    pub(crate) fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(from)?;
        self.get(to)?;
        if from != to {
            let descriptor = self.remove(from)?;
            self.descriptors.insert(to, descriptor);
        }
        Ok(())
    }

    /// The open descriptor numbers, in order.
    pub(crate) fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        self.descriptors.keys().copied()
    }
}
