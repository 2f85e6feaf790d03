//! Listing directories: `fd_readdir`.

use std::vec::Vec;

use super::WasiCtx;
use super::descriptors::{Descriptor, DirDesc, Kind, ListingEntry, require};
use super::errno::Errno;
use super::memory::GuestMemory;
use super::stat::filetype_of;
use super::types::{Dirent, filetype, rights};

/// Reads a directory's listing: `.`, `..`, then its entries in the host's
/// order. Names that are not UTF-8 are converted lossily.
fn read_listing(dir: &DirDesc) -> Result<Vec<ListingEntry>, Errno> {
    use cap_fs_ext::MetadataExt;
    let ino = dir.dir.dir_metadata().map_or(0, |metadata| metadata.ino());
    let dot = |name: &[u8]| ListingEntry {
        name: name.to_vec(),
        ino,
        filetype: filetype::DIRECTORY,
    };
    let mut listing = std::vec![dot(b"."), dot(b"..")];
    for entry in dir.dir.entries()? {
        let entry = entry?;
        #[cfg(unix)]
        let ino = std::os::unix::fs::DirEntryExt::ino(&entry);
        #[cfg(not(unix))]
        let ino = entry.metadata().map_or(0, |metadata| metadata.ino());
        listing.push(ListingEntry {
            name: entry.file_name().to_string_lossy().as_bytes().to_vec(),
            ino,
            filetype: entry.file_type().map_or(filetype::UNKNOWN, filetype_of),
        });
    }
    Ok(listing)
}

impl WasiCtx {
    /// `fd_readdir`: as many entries from `cookie` on as fit in `buf_len`
    /// bytes, the last one possibly cut short; returns the bytes used. The
    /// guest knows it has seen everything when fewer than `buf_len` come
    /// back. The cookie of an entry is its index + 1.
    pub(crate) fn fd_readdir(
        &mut self,
        memory: &mut GuestMemory<'_>,
        fd: u32,
        buf: u32,
        buf_len: u32,
        cookie: u64,
    ) -> Result<u32, Errno> {
        let Descriptor { kind, base, .. } = self.fds.get_mut(fd)?;
        let Kind::Dir(dir) = kind else {
            return Err(Errno::Notdir);
        };
        require(*base, rights::FD_READDIR)?;
        memory.slice(buf, buf_len)?;
        let listing = match dir.listing.take() {
            Some(listing) if cookie != 0 => listing,
            _ => read_listing(dir)?,
        };
        let capacity = buf_len as usize;
        let mut out = Vec::with_capacity(capacity.min(64 * 1024));
        let start = usize::try_from(cookie).unwrap_or(usize::MAX);
        for (index, entry) in listing.iter().enumerate().skip(start) {
            if out.len() >= capacity {
                break;
            }
            let dirent = Dirent {
                next: index as u64 + 1,
                ino: entry.ino,
                namlen: u32::try_from(entry.name.len()).map_err(|_| Errno::Overflow)?,
                filetype: entry.filetype,
            };
            out.extend_from_slice(&dirent.encode());
            out.extend_from_slice(&entry.name);
        }
        out.truncate(capacity);
        dir.listing = Some(listing);
        memory.write(buf, &out)?;
        // At most `buf_len`.
        Ok(out.len() as u32)
    }
}
