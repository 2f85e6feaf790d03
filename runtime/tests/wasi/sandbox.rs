//! The sandbox and bad input: `..`, absolute paths and symbolic links cannot
//! leave the pre-opened directory; bad pointers and paths are `EFAULT` or
//! `EILSEQ`, and so is memory a module does not have.

use std::fs;
use std::path::Path;

use pulley::wasi::{Errno, WasiCtxBuilder};

use crate::guest::abi::*;
use crate::guest::{DATA, Guest, IOVS, OUT, PATH, PATH2, STAT, sandbox};

#[test]
fn dot_dot_cannot_leave_the_preopen() {
    let (tmp, sandbox, mut guest) = sandbox("dotdot");
    fs::write(tmp.path().join("outside.txt"), b"secret").unwrap();
    fs::create_dir(sandbox.join("sub")).unwrap();
    for path in [
        "../outside.txt",
        "sub/../../outside.txt",
        "..",
        "./sub/../..",
    ] {
        guest.assert_unreachable(path);
    }
    for path in ["../evil", "sub/../../evil"] {
        let (ptr, len) = guest.string(PATH, path);
        assert_eq!(
            guest.errno("path_create_directory", &[3, ptr, len]),
            Errno::Perm,
            "{path}"
        );
        assert_eq!(
            guest.open(3, true, path, O_CREAT, RIGHT_FD_WRITE, 0).0,
            Errno::Perm,
            "{path}"
        );
    }
    assert!(!tmp.path().join("evil").exists());
    // `..` that stays inside is fine.
    fs::write(sandbox.join("inside.txt"), b"ok").unwrap();
    assert_eq!(
        guest
            .open(3, true, "sub/../inside.txt", 0, RIGHT_FD_READ, 0)
            .0,
        Errno::Success
    );
    // A directory opened beneath the pre-open is a sandbox of its own.
    let (_, sub) = guest.open(3, true, "sub", O_DIRECTORY, RIGHT_FD_READ, 0);
    assert_eq!(
        guest
            .open(sub, true, "../inside.txt", 0, RIGHT_FD_READ, 0)
            .0,
        Errno::Perm
    );
    // Renaming out is refused too.
    let (from, from_len) = guest.string(PATH, "inside.txt");
    let (to, to_len) = guest.string(PATH2, "../stolen.txt");
    assert_eq!(
        guest.errno("path_rename", &[3, from, from_len, 3, to, to_len]),
        Errno::Perm
    );
    assert!(!tmp.path().join("stolen.txt").exists());
}

#[test]
fn absolute_paths_are_refused() {
    let (tmp, _sandbox, mut guest) = sandbox("absolute");
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, b"secret").unwrap();
    let outside = outside.to_str().unwrap().to_owned();
    for path in [outside.as_str(), "/", "/etc/passwd"] {
        guest.assert_unreachable(path);
        let (ptr, len) = guest.string(PATH, path);
        assert_eq!(
            guest.errno("path_unlink_file", &[3, ptr, len]),
            Errno::Perm,
            "{path}"
        );
    }
    assert!(Path::new(&outside).exists());
}

#[cfg(unix)]
#[test]
fn symlinks_cannot_leave_the_preopen() {
    use std::os::unix::fs::symlink;
    let (tmp, sandbox, mut guest) = sandbox("symlink-escape");
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, b"secret").unwrap();
    // Links planted by the host: relative and absolute, to a file and to a
    // directory outside.
    symlink("../outside.txt", sandbox.join("relative")).unwrap();
    symlink(&outside, sandbox.join("absolute")).unwrap();
    symlink("..", sandbox.join("parent")).unwrap();
    symlink(tmp.path(), sandbox.join("parent_abs")).unwrap();

    for path in [
        "relative",
        "absolute",
        "parent/outside.txt",
        "parent_abs/outside.txt",
        "parent",
    ] {
        guest.assert_unreachable(path);
    }
    // Writing through a link is refused the same way, and changes nothing.
    assert_eq!(
        guest
            .open(3, true, "relative", O_TRUNC, RIGHT_FD_WRITE, 0)
            .0,
        Errno::Perm
    );
    assert_eq!(fs::read(&outside).unwrap(), b"secret");
    // The links themselves can be looked at without following them.
    let (ptr, len) = guest.string(PATH, "absolute");
    guest.ok("path_filestat_get", &[3, 0, ptr, len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_SYMBOLIC_LINK);
    // An absolute target is not revealed; a relative one is just text.
    assert_eq!(
        guest.errno(
            "path_readlink",
            &[3, ptr, len, DATA.into(), 100, OUT.into()]
        ),
        Errno::Perm
    );
    let (ptr, len) = guest.string(PATH, "relative");
    guest.ok(
        "path_readlink",
        &[3, ptr, len, DATA.into(), 100, OUT.into()],
    );
    assert_eq!(
        guest.bytes(DATA, guest.u32(OUT) as usize),
        b"../outside.txt"
    );

    // The guest cannot make a link to an absolute path; it can make one
    // with `..`, but not follow it out.
    let (target, target_len) = guest.string(PATH, outside.to_str().unwrap());
    let (link, link_len) = guest.string(PATH2, "mine");
    assert_eq!(
        guest.errno("path_symlink", &[target, target_len, 3, link, link_len]),
        Errno::Perm
    );
    let (target, target_len) = guest.string(PATH, "../outside.txt");
    guest.ok("path_symlink", &[target, target_len, 3, link, link_len]);
    assert_eq!(
        guest.open(3, true, "mine", 0, RIGHT_FD_READ, 0).0,
        Errno::Perm
    );
}

#[test]
fn bad_pointers_are_efault() {
    let mut builder = WasiCtxBuilder::new();
    builder.stdin("input").args(["prog"]);
    let stdout = builder.stdout_buffer();
    let mut guest = Guest::shim(builder.build());
    let end = guest.memory().len() as u64; // two pages
    guest.write(DATA, b"data");

    // The iovec array out of bounds, or wrapping around.
    for iovs in [end - 4, end, u64::from(u32::MAX - 3)] {
        assert_eq!(
            guest.errno("fd_write", &[1, iovs, 1, OUT.into()]),
            Errno::Fault
        );
    }
    // Too many iovecs for memory.
    assert_eq!(
        guest.errno("fd_write", &[1, IOVS.into(), 0x2000_0000, OUT.into()]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "fd_write",
            &[1, IOVS.into(), u64::from(u32::MAX), OUT.into()]
        ),
        Errno::Fault
    );
    // A buffer past the end, or huge, or wrapping around.
    for (ptr, len) in [
        (end as u32 - 2, 4),
        (DATA, u32::MAX),
        (u32::MAX, 2),
        (0, 0x2_0001),
    ] {
        guest.iovecs(IOVS, &[(ptr, len)]);
        assert_eq!(
            guest.errno("fd_write", &[1, IOVS.into(), 1, OUT.into()]),
            Errno::Fault,
            "{ptr} {len}"
        );
        assert_eq!(
            guest.errno("fd_read", &[0, IOVS.into(), 1, OUT.into()]),
            Errno::Fault,
            "{ptr} {len}"
        );
    }
    // One good buffer and one bad one: nothing happens.
    guest.iovecs(IOVS, &[(DATA, 4), (end as u32, 1)]);
    assert_eq!(
        guest.errno("fd_write", &[1, IOVS.into(), 2, OUT.into()]),
        Errno::Fault
    );
    assert!(stdout.is_empty());
    // A bad result pointer: checked before acting, so stdin is not consumed.
    guest.iovecs(IOVS, &[(DATA, 4)]);
    assert_eq!(
        guest.errno("fd_read", &[0, IOVS.into(), 1, end - 2]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("fd_write", &[1, IOVS.into(), 1, end]),
        Errno::Fault
    );
    assert!(stdout.is_empty());
    assert_eq!(guest.fd_read(0, 100), b"input");

    // Strings and other results.
    assert_eq!(
        guest.errno("args_get", &[end - 2, DATA.into()]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("args_get", &[OUT.into(), end - 3]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("args_sizes_get", &[OUT.into(), end]),
        Errno::Fault
    );
    assert_eq!(guest.errno("fd_fdstat_get", &[1, end - 8]), Errno::Fault);
    assert_eq!(
        guest.errno("fd_filestat_get", &[1, u64::from(u32::MAX)]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("environ_get", &[u64::from(u32::MAX), 0]),
        Errno::Success,
        "no variables, nothing written"
    );
    assert_eq!(
        guest.errno("poll_oneoff", &[end - 8, DATA.into(), 1, OUT.into()]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "poll_oneoff",
            &[DATA.into(), DATA.into(), u64::from(u32::MAX), OUT.into()]
        ),
        Errno::Fault
    );
    assert_eq!(
        guest.errno("fd_prestat_dir_name", &[0, end, 10]),
        Errno::Badf
    );
}

#[test]
fn bad_paths_are_efault_or_eilseq() {
    let (_tmp, _sandbox, mut guest) = sandbox("bad-paths");
    let end = guest.memory().len() as u64;
    assert_eq!(
        guest.errno("path_create_directory", &[3, end - 1, 2]),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "path_create_directory",
            &[3, DATA.into(), u64::from(u32::MAX)]
        ),
        Errno::Fault
    );
    assert_eq!(
        guest.errno(
            "path_open",
            &[
                3,
                0,
                u64::from(u32::MAX),
                2,
                0,
                RIGHT_FD_READ,
                0,
                0,
                OUT.into()
            ]
        ),
        Errno::Fault
    );
    let (ptr, len) = guest.string(PATH, "fine");
    assert_eq!(
        guest.errno(
            "path_open",
            &[3, 0, ptr, len, O_CREAT.into(), RIGHT_FD_WRITE, 0, 0, end]
        ),
        Errno::Fault
    );
    assert!(!_sandbox.join("fine").exists(), "checked before creating");
    guest.write(PATH, b"bad\xff");
    assert_eq!(
        guest.errno("path_create_directory", &[3, PATH.into(), 4]),
        Errno::Ilseq
    );
    assert_eq!(
        guest.errno("path_readlink", &[3, ptr, len, end - 1, 10, OUT.into()]),
        Errno::Fault
    );
    // Bad descriptors come before bad paths are looked at.
    assert_eq!(
        guest.errno("path_unlink_file", &[99, ptr, len]),
        Errno::Badf
    );
}

#[test]
fn module_without_memory_gets_efault() {
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get"
            (func $sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close"
            (func $close (param i32) (result i32)))
          (func (export "sizes") (result i32) (call $sizes (i32.const 0) (i32.const 4)))
          (func (export "close") (result i32) (call $close (i32.const 2))))
    "#;
    let mut guest = Guest::new(wat, WasiCtxBuilder::new().build());
    let fault = i32::from(Errno::Fault.raw());
    assert_eq!(guest.call("sizes", &[]).unwrap()[0].i32(), Some(fault));
    assert_eq!(guest.call("close", &[]).unwrap()[0].i32(), Some(0));
}
