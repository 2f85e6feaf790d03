//! The two WASI module names: every function links under both
//! `wasi_snapshot_preview1` and `wasi_unstable`, and `wasi_unstable` gets
//! snapshot 0's layouts (whence values, filestat, subscriptions).

use std::fs;

use pulley::wasi::{Errno, WasiCtxBuilder};

use crate::guest::abi::*;
use crate::guest::{Guest, OUT, PATH, STAT, TempDir, shim};
use crate::poll::{EVENTS, SUBS, events};

#[test]
fn every_function_links_under_both_names() {
    for module in ["wasi_snapshot_preview1", "wasi_unstable"] {
        let mut guest = Guest::new(&shim(module), WasiCtxBuilder::new().build());
        assert_eq!(guest.errno("sched_yield", &[]), Errno::Success, "{module}");
    }
}

#[test]
fn snapshot_0_layouts() {
    let tmp = TempDir::new("unstable");
    fs::write(tmp.path().join("f"), b"0123456789").unwrap();
    let mut builder = WasiCtxBuilder::new();
    builder.preopened_dir(tmp.path(), ".").unwrap();
    let mut guest = Guest::new(&shim("wasi_unstable"), builder.build());
    let (errno, fd) = guest.open(
        3,
        true,
        "f",
        0,
        READ_WRITE | RIGHT_FD_SEEK | RIGHT_FD_TELL,
        0,
    );
    assert_eq!(errno, Errno::Success);

    // whence: CUR = 0, END = 1, SET = 2.
    guest.ok("fd_seek", &[fd.into(), 3, 2, OUT.into()]);
    assert_eq!(guest.u64(OUT), 3);
    guest.ok("fd_seek", &[fd.into(), 2, 0, OUT.into()]);
    assert_eq!(guest.u64(OUT), 5);
    guest.ok("fd_seek", &[fd.into(), (-1i64) as u64, 1, OUT.into()]);
    assert_eq!(guest.u64(OUT), 9);
    assert_eq!(guest.fd_read(fd, 10), b"9");

    // filestat: 56 bytes, nlink a u32 at 20, size at 24.
    guest.write(STAT, &[0xee; 64]);
    guest.ok("fd_filestat_get", &[fd.into(), STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_REGULAR_FILE);
    assert_eq!(guest.u32(STAT + 20), 1);
    assert_eq!(guest.u64(STAT + 24), 10);
    assert_eq!(
        guest.bytes(STAT + 56, 8),
        [0xee; 8],
        "nothing past 56 bytes"
    );
    let (ptr, len) = guest.string(PATH, "f");
    guest.ok("path_filestat_get", &[3, 0, ptr, len, STAT.into()]);
    assert_eq!(guest.u64(STAT + 24), 10);

    // Subscriptions: a clock's fields follow an 8-byte identifier.
    let mut sub = [0u8; 56];
    sub[0] = 5; // userdata
    sub[8] = 0; // clock
    sub[16] = 0xaa; // identifier, ignored
    sub[24] = CLOCK_MONOTONIC as u8;
    sub[32..40].copy_from_slice(&1_000_000u64.to_le_bytes());
    guest.write(SUBS, &sub);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 1, OUT.into()]);
    assert_eq!(events(&guest, EVENTS, 1), [(5, 0, 0, 0, 0)]);
}
