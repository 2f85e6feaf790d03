//! Standard streams: programs writing to captured stdout and stderr and
//! copying stdin to stdout, reading stdin to its end, and the descriptors'
//! types and rights.

use pulley::wasi::{Errno, WasiCtxBuilder};

use crate::guest::abi::*;
use crate::guest::{DATA, Guest, IOVS, OUT, STAT};

#[test]
fn hello_world_to_captured_stdout_and_stderr() {
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 64) "hello, ")
          (data (i32.const 80) "world\n")
          (data (i32.const 96) "oops\n")
          (func (export "_start")
            ;; Two iovecs: "hello, " and "world\n".
            (i32.store (i32.const 0) (i32.const 64))
            (i32.store (i32.const 4) (i32.const 7))
            (i32.store (i32.const 8) (i32.const 80))
            (i32.store (i32.const 12) (i32.const 6))
            (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 32))
              (then unreachable))
            (if (i32.ne (i32.load (i32.const 32)) (i32.const 13))
              (then unreachable))
            (i32.store (i32.const 16) (i32.const 96))
            (i32.store (i32.const 20) (i32.const 5))
            (if (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 32))
              (then unreachable))))
    "#;
    let mut builder = WasiCtxBuilder::new();
    let stdout = builder.stdout_buffer();
    let stderr = builder.stderr_buffer();
    let mut guest = Guest::new(wat, builder.build());
    guest.call("_start", &[]).unwrap();
    assert_eq!(stdout.contents(), b"hello, world\n");
    assert_eq!(stderr.take(), b"oops\n");
    assert!(stderr.is_empty());
}

#[test]
fn cat_copies_stdin_to_stdout() {
    // Reads stdin in 7-byte pieces until end of file, writing each piece.
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "fd_read"
            (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (loop $copy
              (i32.store (i32.const 4) (i32.const 7))
              (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
                (then unreachable))
              (if (i32.load (i32.const 8))
                (then
                  (i32.store (i32.const 4) (i32.load (i32.const 8)))
                  (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12))
                    (then unreachable))
                  (br $copy))))))
    "#;
    let text = "The quick brown fox jumps over the lazy dog.\n".repeat(20);
    let mut builder = WasiCtxBuilder::new();
    builder.stdin(text.clone());
    let stdout = builder.stdout_buffer();
    let mut guest = Guest::new(wat, builder.build());
    guest.call("_start", &[]).unwrap();
    assert_eq!(stdout.contents(), text.as_bytes());
}

#[test]
fn stdin_reads_then_end_of_file() {
    let mut builder = WasiCtxBuilder::new();
    builder.stdin("hello world");
    let mut guest = Guest::shim(builder.build());
    // Two iovecs: 5 bytes, then 100.
    guest.iovecs(IOVS, &[(DATA, 5), (DATA + 16, 100)]);
    guest.ok("fd_read", &[0, IOVS.into(), 2, OUT.into()]);
    assert_eq!(guest.u32(OUT), 11);
    assert_eq!(guest.bytes(DATA, 5), b"hello");
    assert_eq!(guest.bytes(DATA + 16, 6), b" world");
    assert_eq!(guest.fd_read(0, 10), b"");
    // Standard input is not writable or seekable.
    guest.iovecs(IOVS, &[(DATA, 1)]);
    assert_eq!(
        guest.errno("fd_write", &[0, IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
    assert_eq!(
        guest.errno("fd_seek", &[0, 0, WHENCE_SET, OUT.into()]),
        Errno::Spipe
    );
    assert_eq!(guest.errno("fd_tell", &[0, OUT.into()]), Errno::Spipe);
    assert_eq!(
        guest.errno("fd_pread", &[0, IOVS.into(), 1, 0, OUT.into()]),
        Errno::Spipe
    );
    // Standard output is not readable.
    assert_eq!(
        guest.errno("fd_read", &[1, IOVS.into(), 1, OUT.into()]),
        Errno::Badf
    );
}

#[test]
fn stdio_fdstat() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    for fd in 0..3u32 {
        guest.ok("fd_fdstat_get", &[fd.into(), STAT.into()]);
        let filetype = guest.memory()[STAT as usize];
        assert_ne!(
            filetype, FILETYPE_CHARACTER_DEVICE,
            "buffers are not terminals"
        );
        let base = guest.u64(STAT + 8);
        // No seek or tell: what wasi-libc's isatty looks for.
        assert_eq!(base & (RIGHT_FD_SEEK | RIGHT_FD_TELL), 0);
        let expected = if fd == 0 {
            RIGHT_FD_READ
        } else {
            RIGHT_FD_WRITE
        };
        assert_eq!(base & READ_WRITE, expected);
    }
    assert_eq!(guest.errno("fd_fdstat_get", &[3, STAT.into()]), Errno::Badf);
    // No pre-opens: the guest libc's scan stops at descriptor 3.
    assert_eq!(
        guest.errno("fd_prestat_get", &[3, STAT.into()]),
        Errno::Badf
    );
}
