//! Operations on paths beneath a directory descriptor: the `path_*`
//! functions.
//!
//! Paths are resolved by cap-std beneath the directory descriptor given:
//! absolute paths, `..` above that directory, and symbolic links whose
//! target (absolute, or relative with enough `..`) lies outside it are
//! refused with `EPERM`, the error cap-std gives for an escape, which is
//! also what Wasmtime returns.

use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
};
use cap_std::fs::{Dir, Metadata, OpenOptions};
use std::vec::Vec;

use super::WasiCtx;
use super::descriptors::{Descriptor, DirDesc, FileDesc, Kind};
use super::errno::Errno;
use super::memory::{GuestMemory, GuestStr};
use super::stat::{filestat, filetype_of, time_specs};
use super::types::{Filestat, fdflags, lookupflags, oflags, rights};

/// Whether `lookupflags` asks to follow a final symbolic link (`EINVAL` for
/// unknown flags).
fn follow(flags: u32) -> Result<bool, Errno> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval);
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

/// The metadata of `path` in `dir`, following a final symbolic link or not.
fn metadata(dir: &Dir, path: &str, follow: bool) -> Result<Metadata, Errno> {
    Ok(if follow {
        dir.metadata(path)?
    } else {
        dir.symlink_metadata(path)?
    })
}

impl WasiCtx {
    /// The directory `fd`, with `rights`.
    fn dir(&self, fd: u32, rights: u64) -> Result<&DirDesc, Errno> {
        self.fds.get(fd)?.dir(rights)
    }

    /// `path_create_directory`.
    pub(crate) fn path_create_directory(
        &self,
        memory: &GuestMemory<'_>,
        fd: u32,
        path: GuestStr,
    ) -> Result<(), Errno> {
        let dir = self.dir(fd, rights::PATH_CREATE_DIRECTORY)?;
        Ok(dir.dir.create_dir(memory.str(path)?)?)
    }

    /// `path_filestat_get`.
    pub(crate) fn path_filestat_get(
        &self,
        memory: &GuestMemory<'_>,
        fd: u32,
        flags: u32,
        path: GuestStr,
    ) -> Result<Filestat, Errno> {
        let dir = self.dir(fd, rights::PATH_FILESTAT_GET)?;
        let follow = follow(flags)?;
        Ok(filestat(&metadata(&dir.dir, memory.str(path)?, follow)?))
    }

    /// `path_filestat_set_times`.
    pub(crate) fn path_filestat_set_times(
        &self,
        memory: &GuestMemory<'_>,
        (fd, flags, path): (u32, u32, GuestStr),
        (atim, mtim, fst_flags): (u64, u64, u32),
    ) -> Result<(), Errno> {
        let dir = self.dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
        let follow = follow(flags)?;
        let (atime, mtime) = time_specs(atim, mtim, fst_flags)?;
        let (atime, mtime) = (
            atime.map(cap_fs_ext::SystemTimeSpec::from_std),
            mtime.map(cap_fs_ext::SystemTimeSpec::from_std),
        );
        let path = memory.str(path)?;
        if follow {
            dir.dir.set_times(path, atime, mtime)?;
        } else {
            dir.dir.set_symlink_times(path, atime, mtime)?;
        }
        Ok(())
    }

    /// `path_link`: a hard link. Following a symbolic link at the source
    /// is not supported (`EINVAL`), as in Wasmtime.
    pub(crate) fn path_link(
        &self,
        memory: &GuestMemory<'_>,
        (old_fd, old_flags, old_path): (u32, u32, GuestStr),
        (new_fd, new_path): (u32, GuestStr),
    ) -> Result<(), Errno> {
        let old = self.dir(old_fd, rights::PATH_LINK_SOURCE)?;
        let new = self.dir(new_fd, rights::PATH_LINK_TARGET)?;
        if follow(old_flags)? {
            return Err(Errno::Inval);
        }
        let (old_path, new_path) = (memory.str(old_path)?, memory.str(new_path)?);
        Ok(old.dir.hard_link(old_path, &new.dir, new_path)?)
    }

    /// `path_open`: opens a file or directory beneath directory `fd`.
    ///
    /// The requested base rights choose the access mode (`FD_READ` reads;
    /// `FD_WRITE`, `FD_ALLOCATE`, `FD_FILESTAT_SET_SIZE` or `APPEND` write),
    /// within what `fd` lets descriptors opened through it have. The new
    /// descriptor gets every right its type and access mode allow, within
    /// the same limit.
    pub(crate) fn path_open(
        &mut self,
        memory: &GuestMemory<'_>,
        (fd, dirflags, path): (u32, u32, GuestStr),
        oflags: u32,
        rights_base: u64,
        fdflags: u32,
    ) -> Result<u32, Errno> {
        let parent = self.fds.get(fd)?;
        let follow = follow(dirflags)?;
        let oflags = u16::try_from(oflags)
            .ok()
            .filter(|flags| flags & !oflags::ALL == 0)
            .ok_or(Errno::Inval)?;
        let fdflags = u16::try_from(fdflags)
            .ok()
            .filter(|flags| flags & !fdflags::ALL == 0)
            .ok_or(Errno::Inval)?;
        let mut needed = rights::PATH_OPEN;
        if oflags & oflags::CREAT != 0 {
            needed |= rights::PATH_CREATE_FILE;
        }
        if oflags & oflags::TRUNC != 0 {
            needed |= rights::PATH_FILESTAT_SET_SIZE;
        }
        let dir = parent.dir(needed)?;
        let limit = parent.inheriting;

        let requested = rights_base & limit;
        let read = requested & rights::FD_READ != 0;
        let write_rights = rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE;
        let write = requested & write_rights != 0 || fdflags & fdflags::APPEND != 0;
        let directory = oflags & oflags::DIRECTORY != 0;
        if directory {
            if oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0 {
                return Err(Errno::Inval);
            }
            if write {
                return Err(Errno::Isdir);
            }
        }

        // Creating or truncating needs a writable host file, whatever the
        // rights say; without write rights the guest still cannot write.
        let host_write = write || oflags & (oflags::CREAT | oflags::TRUNC) != 0;
        let host_read = read || !host_write;
        let mut options = OpenOptions::new();
        options.read(host_read).write(host_write);
        if oflags & oflags::CREAT != 0 {
            if oflags & oflags::EXCL != 0 {
                options.create_new(true);
            } else {
                options.create(true);
            }
        }
        if oflags & oflags::TRUNC != 0 {
            options.truncate(true);
        }
        #[cfg(unix)]
        if directory {
            // Let the host refuse a non-directory before opening it (a FIFO,
            // say, would block the open).
            use cap_std::fs::OpenOptionsExt;
            options.custom_flags(rustix::fs::OFlags::DIRECTORY.bits() as i32);
        }
        options
            .follow(if follow {
                FollowSymlinks::Yes
            } else {
                FollowSymlinks::No
            })
            .maybe_dir(!host_write)
            .sync(fdflags & fdflags::SYNC != 0)
            .dsync(fdflags & fdflags::DSYNC != 0)
            .rsync(fdflags & fdflags::RSYNC != 0);
        let file = dir.dir.open_with(memory.str(path)?, &options)?;
        let metadata = file.metadata()?;

        let descriptor = if metadata.is_dir() {
            if write {
                return Err(Errno::Isdir);
            }
            Descriptor {
                kind: Kind::Dir(DirDesc {
                    dir: Dir::from_std_file(file.into_std()),
                    preopen: None,
                    listing: None,
                }),
                base: rights::DIRECTORY & limit,
                inheriting: limit,
                flags: fdflags,
            }
        } else {
            if directory {
                return Err(Errno::Notdir);
            }
            let mut base = rights::FILE & limit;
            if !read {
                base &= !rights::FD_READ;
            }
            if !write {
                base &= !write_rights;
            }
            Descriptor {
                kind: Kind::File(FileDesc {
                    file,
                    filetype: filetype_of(metadata.file_type()),
                    position: 0,
                    readable: host_read,
                    writable: host_write,
                }),
                base,
                inheriting: base,
                flags: fdflags,
            }
        };
        self.fds.insert(descriptor)
    }

    /// `path_readlink`: the link's target (the caller cuts it to the
    /// guest's buffer, as POSIX `readlink` does). A target that is an
    /// absolute path is not revealed (`EPERM`, from cap-std).
    pub(crate) fn path_readlink(
        &self,
        memory: &GuestMemory<'_>,
        fd: u32,
        path: GuestStr,
    ) -> Result<Vec<u8>, Errno> {
        let dir = self.dir(fd, rights::PATH_READLINK)?;
        let target = dir.dir.read_link(memory.str(path)?)?;
        Ok(target.to_string_lossy().as_bytes().to_vec())
    }

    /// `path_remove_directory`.
    pub(crate) fn path_remove_directory(
        &self,
        memory: &GuestMemory<'_>,
        fd: u32,
        path: GuestStr,
    ) -> Result<(), Errno> {
        let dir = self.dir(fd, rights::PATH_REMOVE_DIRECTORY)?;
        Ok(dir.dir.remove_dir(memory.str(path)?)?)
    }

    /// `path_rename`.
    pub(crate) fn path_rename(
        &self,
        memory: &GuestMemory<'_>,
        (old_fd, old_path): (u32, GuestStr),
        (new_fd, new_path): (u32, GuestStr),
    ) -> Result<(), Errno> {
        let old = self.dir(old_fd, rights::PATH_RENAME_SOURCE)?;
        let new = self.dir(new_fd, rights::PATH_RENAME_TARGET)?;
        let (old_path, new_path) = (memory.str(old_path)?, memory.str(new_path)?);
        Ok(old.dir.rename(old_path, &new.dir, new_path)?)
    }

    /// `path_symlink`: creates `new_path` pointing to `old_path`. Targets
    /// that are absolute paths are refused (`EPERM`, from cap-std); relative
    /// ones are stored as given, and checked whenever the link is followed.
    pub(crate) fn path_symlink(
        &self,
        memory: &GuestMemory<'_>,
        old_path: GuestStr,
        (fd, new_path): (u32, GuestStr),
    ) -> Result<(), Errno> {
        let dir = self.dir(fd, rights::PATH_SYMLINK)?;
        let (old_path, new_path) = (memory.str(old_path)?, memory.str(new_path)?);
        Ok(dir.dir.symlink(old_path, new_path)?)
    }

    /// `path_unlink_file`.
    pub(crate) fn path_unlink_file(
        &self,
        memory: &GuestMemory<'_>,
        fd: u32,
        path: GuestStr,
    ) -> Result<(), Errno> {
        let dir = self.dir(fd, rights::PATH_UNLINK_FILE)?;
        Ok(dir.dir.remove_file_or_symlink(memory.str(path)?)?)
    }
}
