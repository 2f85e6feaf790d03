//! Files: pre-opened directories, reading, writing, seeking and stat'ing a
//! file, access modes and rights, append mode, and renumbering descriptors.

use std::fs;

use pulley::wasi::{Errno, WasiCtxBuilder, WasiError};

use crate::guest::abi::*;
use crate::guest::{DATA, Guest, IOVS, OUT, STAT, TempDir, sandbox};

#[test]
fn preopens_are_described() {
    let tmp = TempDir::new("preopens");
    let mut builder = WasiCtxBuilder::new();
    builder.preopened_dir(tmp.path(), ".").unwrap();
    builder.preopened_dir(tmp.path(), "/data/set").unwrap();
    let mut guest = Guest::shim(builder.build());
    guest.ok("fd_prestat_get", &[3, STAT.into()]);
    assert_eq!(guest.bytes(STAT, 8), [0, 0, 0, 0, 1, 0, 0, 0]);
    guest.ok("fd_prestat_get", &[4, STAT.into()]);
    assert_eq!(guest.u32(STAT + 4), 9);
    guest.ok("fd_prestat_dir_name", &[4, DATA.into(), 9]);
    assert_eq!(guest.bytes(DATA, 9), b"/data/set");
    assert_eq!(
        guest.errno("fd_prestat_dir_name", &[4, DATA.into(), 8]),
        Errno::Nametoolong
    );
    assert_eq!(
        guest.errno("fd_prestat_get", &[5, STAT.into()]),
        Errno::Badf
    );
    guest.ok("fd_fdstat_get", &[3, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize], FILETYPE_DIRECTORY);

    let missing = tmp.path().join("does-not-exist");
    let error = WasiCtxBuilder::new()
        .preopened_dir(&missing, ".")
        .unwrap_err();
    assert!(matches!(&error, WasiError::Preopen { path, .. } if path == &missing));
    assert!(error.to_string().contains("does-not-exist"), "{error}");
    // The message holds the OS error, so a chain printer must not find it
    // again as the source.
    assert!(std::error::Error::source(&error).is_none());
}

#[test]
fn file_read_write_seek_stat() {
    let (_tmp, sandbox, mut guest) = sandbox("file-io");
    let (errno, fd) = guest.open(
        3,
        true,
        "a.txt",
        O_CREAT | O_EXCL,
        READ_WRITE | RIGHT_FD_SEEK | RIGHT_FD_TELL,
        0,
    );
    assert_eq!(errno, Errno::Success);
    assert!(fd >= 4, "{fd}");
    assert_eq!(guest.fd_write(fd, b"hello world"), 11);
    assert_eq!(fs::read(sandbox.join("a.txt")).unwrap(), b"hello world");

    guest.ok("fd_tell", &[fd.into(), OUT.into()]);
    assert_eq!(guest.u64(OUT), 11);
    guest.ok("fd_seek", &[fd.into(), 6, WHENCE_SET, OUT.into()]);
    assert_eq!(guest.u64(OUT), 6);
    assert_eq!(guest.fd_read(fd, 100), b"world");
    guest.ok(
        "fd_seek",
        &[fd.into(), (-5i64) as u64, WHENCE_END, OUT.into()],
    );
    assert_eq!(guest.u64(OUT), 6);
    guest.ok(
        "fd_seek",
        &[fd.into(), (-6i64) as u64, WHENCE_CUR, OUT.into()],
    );
    assert_eq!(guest.fd_read(fd, 5), b"hello");
    assert_eq!(
        guest.errno(
            "fd_seek",
            &[fd.into(), (-100i64) as u64, WHENCE_CUR, OUT.into()]
        ),
        Errno::Inval
    );
    assert_eq!(
        guest.errno("fd_seek", &[fd.into(), 0, 3, OUT.into()]),
        Errno::Inval
    );

    let (filetype, nlink, size) = guest.filestat(fd);
    assert_eq!((filetype, nlink, size), (FILETYPE_REGULAR_FILE, 1, 11));

    // Positioned I/O leaves the offset alone.
    guest.write(DATA, b"HELLO");
    guest.iovecs(IOVS, &[(DATA, 5)]);
    guest.ok("fd_pwrite", &[fd.into(), IOVS.into(), 1, 0, OUT.into()]);
    assert_eq!(guest.u32(OUT), 5);
    guest.iovecs(IOVS, &[(DATA + 100, 3), (DATA + 200, 3)]);
    guest.ok("fd_pread", &[fd.into(), IOVS.into(), 2, 3, OUT.into()]);
    assert_eq!(guest.u32(OUT), 6);
    assert_eq!(guest.bytes(DATA + 100, 3), b"LO ");
    assert_eq!(guest.bytes(DATA + 200, 3), b"wor");
    guest.ok("fd_tell", &[fd.into(), OUT.into()]);
    assert_eq!(guest.u64(OUT), 5);

    guest.ok("fd_filestat_set_size", &[fd.into(), 4]);
    assert_eq!(fs::read(sandbox.join("a.txt")).unwrap(), b"HELL");
    guest.ok("fd_allocate", &[fd.into(), 0, 100]);
    assert_eq!(fs::metadata(sandbox.join("a.txt")).unwrap().len(), 100);
    guest.ok("fd_advise", &[fd.into(), 0, 0, 1]);
    assert_eq!(
        guest.errno("fd_advise", &[fd.into(), 0, 0, 6]),
        Errno::Inval
    );
    guest.ok("fd_datasync", &[fd.into()]);
    guest.ok("fd_sync", &[fd.into()]);
    guest.ok("fd_sync", &[3]);

    // Times: set both explicitly, then read them back.
    let atim = 1_000_000_000_123u64;
    let mtim = 2_000_000_000_456u64;
    guest.ok("fd_filestat_set_times", &[fd.into(), atim, mtim, 1 | 4]);
    guest.ok("fd_filestat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.u64(STAT + 40) / 1000, atim / 1000);
    assert_eq!(guest.u64(STAT + 48) / 1000, mtim / 1000);
    assert_eq!(
        guest.errno("fd_filestat_set_times", &[fd.into(), 0, 0, 1 | 2]),
        Errno::Inval
    );

    // Opening an existing file exclusively fails; truncating empties it.
    assert_eq!(
        guest
            .open(3, true, "a.txt", O_CREAT | O_EXCL, READ_WRITE, 0)
            .0,
        Errno::Exist
    );
    let (errno, fd2) = guest.open(3, true, "a.txt", O_TRUNC, RIGHT_FD_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    assert_eq!(fs::metadata(sandbox.join("a.txt")).unwrap().len(), 0);

    guest.ok("fd_close", &[fd.into()]);
    guest.ok("fd_close", &[fd2.into()]);
    assert_eq!(guest.errno("fd_close", &[fd.into()]), Errno::Badf);
    assert_eq!(
        guest.errno("fd_read", &[fd.into(), IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
    assert_eq!(
        guest.open(3, true, "missing.txt", 0, READ_WRITE, 0).0,
        Errno::Noent
    );
}

#[test]
fn access_modes_rights_and_flags() {
    let (_tmp, sandbox, mut guest) = sandbox("rights");
    fs::write(sandbox.join("f.txt"), b"abc").unwrap();

    // Read-only: FD_READ but not FD_WRITE; writing is EBADF.
    let (errno, fd) = guest.open(3, true, "f.txt", 0, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize], FILETYPE_REGULAR_FILE);
    assert_eq!(guest.u64(STAT + 8) & READ_WRITE, RIGHT_FD_READ);
    guest.write(DATA, b"x");
    guest.iovecs(IOVS, &[(DATA, 1)]);
    assert_eq!(
        guest.errno("fd_write", &[fd.into(), IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
    assert_eq!(guest.fd_read(fd, 10), b"abc");

    // Rights can be dropped, not regained; dropped rights are enforced.
    let base = guest.u64(STAT + 8);
    guest.ok(
        "fd_fdstat_set_rights",
        &[fd.into(), base & !RIGHT_FD_READ, 0],
    );
    assert_eq!(
        guest.errno("fd_read", &[fd.into(), IOVS.into(), 1, OUT.into()]),
        Errno::Notcapable
    );
    assert_eq!(
        guest.errno("fd_fdstat_set_rights", &[fd.into(), base, 0]),
        Errno::Notcapable
    );
    // FD_SEEK implies FD_TELL; without FD_SEEK, only telling is left.
    let (_, fd2) = guest.open(3, true, "f.txt", 0, RIGHT_FD_READ, 0);
    let base = base & !RIGHT_FD_READ;
    guest.ok(
        "fd_fdstat_set_rights",
        &[fd2.into(), base & !RIGHT_FD_TELL, 0],
    );
    guest.ok("fd_seek", &[fd2.into(), 1, WHENCE_SET, OUT.into()]);
    guest.ok("fd_tell", &[fd2.into(), OUT.into()]);
    assert_eq!(guest.u64(OUT), 1);
    guest.ok(
        "fd_fdstat_set_rights",
        &[fd.into(), base & !RIGHT_FD_SEEK, 0],
    );
    assert_eq!(
        guest.errno("fd_seek", &[fd.into(), 0, WHENCE_SET, OUT.into()]),
        Errno::Notcapable
    );
    guest.ok("fd_seek", &[fd.into(), 0, WHENCE_CUR, OUT.into()]);
    assert_eq!(guest.u64(OUT), 3);
    guest.ok("fd_tell", &[fd.into(), OUT.into()]);
    guest.ok("fd_fdstat_set_rights", &[fd.into(), 0, 0]);
    assert_eq!(
        guest.errno("fd_tell", &[fd.into(), OUT.into()]),
        Errno::Notcapable
    );

    // A directory whose inheriting rights lack FD_WRITE opens files without it.
    guest.ok("fd_fdstat_get", &[3, STAT.into()]);
    let (dir_base, dir_inheriting) = (guest.u64(STAT + 8), guest.u64(STAT + 16));
    assert_ne!(dir_base & RIGHT_PATH_OPEN, 0);
    guest.ok(
        "fd_fdstat_set_rights",
        &[3, dir_base, dir_inheriting & !RIGHT_FD_WRITE],
    );
    let (errno, fd) = guest.open(3, true, "f.txt", 0, READ_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.u64(STAT + 8) & READ_WRITE, RIGHT_FD_READ);
    // ... and without PATH_OPEN, nothing opens at all.
    guest.ok("fd_fdstat_set_rights", &[3, dir_base & !RIGHT_PATH_OPEN, 0]);
    assert_eq!(
        guest.open(3, true, "f.txt", 0, RIGHT_FD_READ, 0).0,
        Errno::Notcapable
    );
}

#[test]
fn append_mode() {
    let (_tmp, sandbox, mut guest) = sandbox("append");
    fs::write(sandbox.join("log"), b"one\n").unwrap();
    let (errno, fd) = guest.open(3, true, "log", 0, RIGHT_FD_WRITE, FDFLAGS_APPEND);
    assert_eq!(errno, Errno::Success);
    guest.fd_write(fd, b"two\n");
    guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
    assert_eq!(
        u16::from_le_bytes([
            guest.memory()[STAT as usize + 2],
            guest.memory()[STAT as usize + 3]
        ]),
        FDFLAGS_APPEND
    );
    // Turning append off writes at the offset again (after the last write).
    guest.ok("fd_fdstat_set_flags", &[fd.into(), 0]);
    guest.ok("fd_seek", &[fd.into(), 0, WHENCE_SET, OUT.into()]);
    guest.fd_write(fd, b"ONE");
    assert_eq!(fs::read(sandbox.join("log")).unwrap(), b"ONE\ntwo\n");
    // Synchronisation flags are fixed when the file is opened.
    assert_eq!(
        guest.errno("fd_fdstat_set_flags", &[fd.into(), FDFLAGS_SYNC.into()]),
        Errno::Notsup
    );
    assert_eq!(
        guest.errno("fd_fdstat_set_flags", &[fd.into(), 0x100]),
        Errno::Inval
    );
    assert_eq!(guest.errno("fd_fdstat_set_flags", &[3, 0]), Errno::Badf);
}

#[test]
fn renumber_replaces_a_descriptor() {
    let (_tmp, sandbox, mut guest) = sandbox("renumber");
    let (errno, fd) = guest.open(3, true, "out.txt", O_CREAT, RIGHT_FD_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    // Make the file standard output.
    guest.ok("fd_renumber", &[fd.into(), 1]);
    guest.fd_write(1, b"redirected");
    assert_eq!(fs::read(sandbox.join("out.txt")).unwrap(), b"redirected");
    assert_eq!(guest.errno("fd_close", &[fd.into()]), Errno::Badf);
    assert_eq!(guest.errno("fd_renumber", &[1, 1000]), Errno::Badf);
    assert_eq!(guest.errno("fd_renumber", &[1000, 1]), Errno::Badf);
    // The freed number is reused by the next open.
    let (errno, again) = guest.open(3, true, "out.txt", 0, RIGHT_FD_READ, 0);
    assert_eq!((errno, again), (Errno::Success, fd));
}
