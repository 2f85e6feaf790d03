//! Operations on open descriptors: the `fd_*` functions other than reading,
//! writing (see `read_write`) and listing (see `readdir`).

use fs_set_times::{SetTimes, SystemTimeSpec};

use super::WasiCtx;
use super::descriptors::{Descriptor, DirDesc, Kind, require};
use super::errno::Errno;
use super::host_os;
use super::memory::GuestMemory;
use super::stat::{filestat, time_specs};
use super::types::{
    Fdstat, Filestat, Snapshot, Whence, encode_prestat_dir, fdflags, filetype, rights,
};

impl WasiCtx {
    /// `fd_advise`.
    pub(crate) fn fd_advise(
        &self,
        fd: u32,
        offset: u64,
        len: u64,
        advice: u32,
    ) -> Result<(), Errno> {
        let advice = u8::try_from(advice)
            .ok()
            .filter(|&advice| advice <= 5)
            .ok_or(Errno::Inval)?;
        let file = self.fds.get(fd)?.file(rights::FD_ADVISE, Errno::Spipe)?;
        Ok(host_os::advise(&file.file, offset, len, advice)?)
    }

    /// `fd_allocate`.
    pub(crate) fn fd_allocate(&self, fd: u32, offset: u64, len: u64) -> Result<(), Errno> {
        let file = self.fds.get(fd)?.file(rights::FD_ALLOCATE, Errno::Spipe)?;
        if len == 0 {
            return Err(Errno::Inval);
        }
        if offset
            .checked_add(len)
            .is_none_or(|end| end > i64::MAX as u64)
        {
            return Err(Errno::Fbig);
        }
        Ok(host_os::allocate(&file.file, offset, len)?)
    }

    /// `fd_close`.
    pub(crate) fn fd_close(&mut self, fd: u32) -> Result<(), Errno> {
        self.fds.remove(fd).map(drop)
    }

    /// `fd_datasync` (`data_only`) and `fd_sync`.
    pub(crate) fn fd_sync(&self, fd: u32, data_only: bool) -> Result<(), Errno> {
        let descriptor = self.fds.get(fd)?;
        let right = if data_only {
            rights::FD_DATASYNC
        } else {
            rights::FD_SYNC
        };
        match &descriptor.kind {
            Kind::File(file) => {
                descriptor.require(right)?;
                if data_only {
                    file.file.sync_data()?;
                } else {
                    file.file.sync_all()?;
                }
                Ok(())
            }
            Kind::Dir(dir) => {
                descriptor.require(right)?;
                Ok(host_os::sync_dir(&dir.dir)?)
            }
            Kind::Stdin(_) | Kind::Output(_) => Err(Errno::Inval),
        }
    }

    /// `fd_fdstat_get`.
    pub(crate) fn fd_fdstat_get(&self, fd: u32) -> Result<Fdstat, Errno> {
        let descriptor = self.fds.get(fd)?;
        let filetype = match &descriptor.kind {
            Kind::Stdin(input) => input.filetype(),
            Kind::Output(output) => output.filetype(),
            Kind::File(file) => file.filetype,
            Kind::Dir(_) => filetype::DIRECTORY,
        };
        Ok(Fdstat {
            filetype,
            flags: descriptor.flags,
            rights_base: descriptor.base,
            rights_inheriting: descriptor.inheriting,
        })
    }

    /// `fd_fdstat_set_flags`: `APPEND` and `NONBLOCK` can change; the
    /// synchronisation flags are fixed at open (`ENOTSUP` on a change).
    pub(crate) fn fd_fdstat_set_flags(&mut self, fd: u32, flags: u32) -> Result<(), Errno> {
        let flags = u16::try_from(flags)
            .ok()
            .filter(|flags| flags & !fdflags::ALL == 0)
            .ok_or(Errno::Inval)?;
        let descriptor = self.fds.get_mut(fd)?;
        if let Kind::Dir(_) = descriptor.kind {
            return Err(Errno::Badf);
        }
        descriptor.require(rights::FD_FDSTAT_SET_FLAGS)?;
        if (flags ^ descriptor.flags) & fdflags::SYNC_FLAGS != 0 {
            return Err(Errno::Notsup);
        }
        descriptor.flags = flags;
        Ok(())
    }

    /// `fd_fdstat_set_rights`: rights can only be dropped.
    pub(crate) fn fd_fdstat_set_rights(
        &mut self,
        fd: u32,
        base: u64,
        inheriting: u64,
    ) -> Result<(), Errno> {
        let descriptor = self.fds.get_mut(fd)?;
        if base & !descriptor.base != 0 || inheriting & !descriptor.inheriting != 0 {
            return Err(Errno::Notcapable);
        }
        descriptor.base = base;
        descriptor.inheriting = inheriting;
        Ok(())
    }

    /// `fd_filestat_get`.
    pub(crate) fn fd_filestat_get(&self, fd: u32) -> Result<Filestat, Errno> {
        let descriptor = self.fds.get(fd)?;
        descriptor.require(rights::FD_FILESTAT_GET)?;
        let stream = |filetype| Filestat {
            filetype,
            ..Filestat::default()
        };
        Ok(match &descriptor.kind {
            Kind::File(file) => filestat(&file.file.metadata()?),
            Kind::Dir(dir) => filestat(&dir.dir.dir_metadata()?),
            Kind::Stdin(input) => stream(input.filetype()),
            Kind::Output(output) => stream(output.filetype()),
        })
    }

    /// `fd_filestat_set_size`.
    pub(crate) fn fd_filestat_set_size(&self, fd: u32, size: u64) -> Result<(), Errno> {
        let file = self
            .fds
            .get(fd)?
            .file(rights::FD_FILESTAT_SET_SIZE, Errno::Badf)?;
        Ok(file.file.set_len(size)?)
    }

    /// `fd_filestat_set_times`.
    pub(crate) fn fd_filestat_set_times(
        &self,
        fd: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u32,
    ) -> Result<(), Errno> {
        let (atime, mtime) = time_specs(atim, mtim, fst_flags)?;
        let descriptor = self.fds.get(fd)?;
        match &descriptor.kind {
            Kind::File(file) => {
                descriptor.require(rights::FD_FILESTAT_SET_TIMES)?;
                Ok(file.file.set_times(atime, mtime)?)
            }
            Kind::Dir(dir) => {
                use cap_fs_ext::DirExt;
                descriptor.require(rights::FD_FILESTAT_SET_TIMES)?;
                // Through the path "." (the descriptor itself may be
                // open for path lookups only).
                let spec =
                    |time: Option<SystemTimeSpec>| time.map(cap_fs_ext::SystemTimeSpec::from_std);
                Ok(DirExt::set_times(&dir.dir, ".", spec(atime), spec(mtime))?)
            }
            Kind::Stdin(_) | Kind::Output(_) => Err(Errno::Badf),
        }
    }

    /// `fd_prestat_get`: the length of a pre-opened directory's name
    /// (`EBADF` for other descriptors, which ends the guest libc's scan of
    /// pre-opens).
    pub(crate) fn fd_prestat_get(&self, fd: u32) -> Result<[u8; 8], Errno> {
        match &self.fds.get(fd)?.kind {
            Kind::Dir(DirDesc {
                preopen: Some(name),
                ..
            }) => {
                let len = u32::try_from(name.len()).map_err(|_| Errno::Overflow)?;
                Ok(encode_prestat_dir(len))
            }
            _ => Err(Errno::Badf),
        }
    }

    /// `fd_prestat_dir_name`: the name, without a NUL (`ENAMETOOLONG` if it
    /// does not fit in `len` bytes).
    pub(crate) fn fd_prestat_dir_name(
        &self,
        memory: &mut GuestMemory<'_>,
        fd: u32,
        path: u32,
        len: u32,
    ) -> Result<(), Errno> {
        match &self.fds.get(fd)?.kind {
            Kind::Dir(DirDesc {
                preopen: Some(name),
                ..
            }) => {
                if u32::try_from(name.len()).is_ok_and(|needed| needed <= len) {
                    memory.write(path, name.as_bytes())
                } else {
                    Err(Errno::Nametoolong)
                }
            }
            _ => Err(Errno::Badf),
        }
    }

    /// `fd_renumber`.
    pub(crate) fn fd_renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.fds.renumber(from, to)
    }

    /// `fd_seek`: the new offset. Moving before the start, or past the
    /// largest offset a host file can have, is `EINVAL`.
    pub(crate) fn fd_seek(
        &mut self,
        fd: u32,
        offset: i64,
        whence: u32,
        snapshot: Snapshot,
    ) -> Result<u64, Errno> {
        let whence = snapshot.whence(whence)?;
        let Descriptor { kind, base, .. } = self.fds.get_mut(fd)?;
        let file = match kind {
            Kind::File(file) => file,
            Kind::Stdin(_) | Kind::Output(_) => return Err(Errno::Spipe),
            Kind::Dir(_) => return Err(Errno::Badf),
        };
        // Not moving only tells; `FD_SEEK` implies `FD_TELL`.
        if !(whence == Whence::Cur && offset == 0 && *base & rights::FD_TELL != 0) {
            require(*base, rights::FD_SEEK)?;
        }
        let from = match whence {
            Whence::Set => 0,
            Whence::Cur => file.position,
            Whence::End => file.file.metadata()?.len(),
        };
        let position = i128::from(from) + i128::from(offset);
        let position = u64::try_from(position)
            .ok()
            .filter(|&position| position <= i64::MAX as u64)
            .ok_or(Errno::Inval)?;
        file.position = position;
        Ok(position)
    }

    /// `fd_tell` (with `FD_TELL` or `FD_SEEK`, which implies it).
    pub(crate) fn fd_tell(&self, fd: u32) -> Result<u64, Errno> {
        let descriptor = self.fds.get(fd)?;
        let file = descriptor.file(0, Errno::Spipe)?;
        if descriptor.base & rights::FD_TELL == 0 {
            descriptor.require(rights::FD_SEEK)?;
        }
        Ok(file.position)
    }
}
