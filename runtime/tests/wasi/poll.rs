//! `poll_oneoff`: sleeping on clocks, descriptor readiness for standard
//! streams and files, and the helpers that write subscriptions and read
//! events.

use std::fs;
use std::time::{Duration, Instant};

use pulley::wasi::{Errno, WasiCtxBuilder};

use crate::guest::abi::*;
use crate::guest::{Guest, OUT, sandbox};

/// Writes a preview1 clock subscription at `at`.
fn clock_subscription(
    guest: &mut Guest,
    at: u32,
    userdata: u64,
    clock: u32,
    timeout: u64,
    flags: u16,
) {
    let mut bytes = [0u8; 48];
    bytes[0..8].copy_from_slice(&userdata.to_le_bytes());
    bytes[8] = 0;
    bytes[16..20].copy_from_slice(&clock.to_le_bytes());
    bytes[24..32].copy_from_slice(&timeout.to_le_bytes());
    bytes[40..42].copy_from_slice(&flags.to_le_bytes());
    guest.write(at, &bytes);
}

/// Writes a preview1 descriptor subscription at `at`.
fn fd_subscription(guest: &mut Guest, at: u32, userdata: u64, write: bool, fd: u32) {
    let mut bytes = [0u8; 48];
    bytes[0..8].copy_from_slice(&userdata.to_le_bytes());
    bytes[8] = if write { 2 } else { 1 };
    bytes[16..20].copy_from_slice(&fd.to_le_bytes());
    guest.write(at, &bytes);
}

/// The events written at `at`: `(userdata, errno, type, nbytes, flags)`.
pub(crate) fn events(guest: &Guest, at: u32, count: u32) -> Vec<(u64, u16, u8, u64, u16)> {
    (0..count)
        .map(|i| {
            let e = at + i * 32;
            let b = guest.bytes(e, 32);
            (
                guest.u64(e),
                u16::from_le_bytes([b[8], b[9]]),
                b[10],
                guest.u64(e + 16),
                u16::from_le_bytes([b[24], b[25]]),
            )
        })
        .collect()
}

pub(crate) const SUBS: u32 = 0x2000;
pub(crate) const EVENTS: u32 = 0x3000;

#[test]
fn poll_sleeps_on_a_clock() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    clock_subscription(&mut guest, SUBS, 7, CLOCK_MONOTONIC as u32, 20_000_000, 0);
    let start = Instant::now();
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 1, OUT.into()]);
    assert!(start.elapsed() >= Duration::from_millis(20));
    assert_eq!(guest.u32(OUT), 1);
    assert_eq!(events(&guest, EVENTS, 1), [(7, 0, 0, 0, 0)]);

    // An absolute deadline in the past fires at once; the sooner of two
    // clocks wins.
    clock_subscription(
        &mut guest,
        SUBS,
        1,
        CLOCK_MONOTONIC as u32,
        3_600_000_000_000,
        0,
    );
    clock_subscription(&mut guest, SUBS + 48, 2, CLOCK_REALTIME as u32, 1, 1);
    let start = Instant::now();
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 2, OUT.into()]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(guest.u32(OUT), 1);
    assert_eq!(events(&guest, EVENTS, 1)[0].0, 2);

    // CPU clocks cannot be waited on; unknown clocks are invalid.
    clock_subscription(&mut guest, SUBS, 3, CLOCK_PROCESS_CPUTIME as u32, 1, 0);
    clock_subscription(&mut guest, SUBS + 48, 4, 9, 1, 0);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 2, OUT.into()]);
    let answered = events(&guest, EVENTS, 2);
    assert_eq!(answered[0].0, 3);
    assert_eq!(answered[0].1, Errno::Notsup.raw());
    assert_eq!(answered[1].1, Errno::Inval.raw());

    assert_eq!(
        guest.errno("poll_oneoff", &[SUBS.into(), EVENTS.into(), 0, OUT.into()]),
        Errno::Inval
    );
}

#[test]
fn poll_reports_descriptor_readiness() {
    let mut builder = WasiCtxBuilder::new();
    builder.stdin("12345");
    let mut guest = Guest::shim(builder.build());
    fd_subscription(&mut guest, SUBS, 10, false, 0);
    fd_subscription(&mut guest, SUBS + 48, 11, true, 1);
    fd_subscription(&mut guest, SUBS + 96, 12, false, 42);
    clock_subscription(
        &mut guest,
        SUBS + 144,
        13,
        CLOCK_MONOTONIC as u32,
        3_600_000_000_000,
        0,
    );
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 4, OUT.into()]);
    assert_eq!(guest.u32(OUT), 3);
    assert_eq!(
        events(&guest, EVENTS, 3),
        [
            (10, 0, 1, 5, 0),
            (11, 0, 2, 1, 0),
            (12, Errno::Badf.raw(), 1, 0, 0),
        ]
    );
    // Drained standard input hangs up.
    guest.fd_read(0, 100);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 1, OUT.into()]);
    assert_eq!(events(&guest, EVENTS, 1), [(10, 0, 1, 0, 1)]);
}

#[test]
fn poll_files_are_ready() {
    let (_tmp, sandbox, mut guest) = sandbox("poll-files");
    fs::write(sandbox.join("f"), b"0123456789").unwrap();
    let (_, fd) = guest.open(3, true, "f", 0, READ_WRITE, 0);
    guest.fd_read(fd, 4);
    fd_subscription(&mut guest, SUBS, 1, false, fd);
    fd_subscription(&mut guest, SUBS + 48, 2, true, fd);
    fd_subscription(&mut guest, SUBS + 96, 3, false, 3);
    guest.ok("poll_oneoff", &[SUBS.into(), EVENTS.into(), 3, OUT.into()]);
    assert_eq!(guest.u32(OUT), 3);
    let answered = events(&guest, EVENTS, 3);
    assert_eq!(answered[0], (1, 0, 1, 6, 0));
    assert_eq!(answered[1], (2, 0, 2, 1, 0));
    assert_eq!(
        answered[2].1,
        Errno::Badf.raw(),
        "directories cannot be polled"
    );
}
