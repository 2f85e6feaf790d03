//! The process around the guest: `proc_exit`, arguments and environment,
//! clocks, randomness, signals, scheduling and sockets, and WASI contexts
//! moving between threads.

use std::time::{Duration, Instant, SystemTime};

use pulley::TrapKind;
use pulley::wasi::{Errno, WasiCtx, WasiCtxBuilder};

use crate::guest::abi::*;
use crate::guest::{DATA, Guest, IOVS, OUT, OUT2, STAT, shim};

#[test]
fn proc_exit_is_an_exit_trap() {
    let wat = r#"
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start") (call $exit (i32.const 42)) unreachable))
    "#;
    let mut guest = Guest::new(wat, WasiCtxBuilder::new().build());
    let error = guest.call("_start", &[]).unwrap_err();
    let trap = error.as_trap().expect("a trap");
    assert_eq!(trap.kind(), &TrapKind::Exit(42));

    // The same through `wasi_unstable`, with status 0.
    let mut guest = Guest::new(&shim("wasi_unstable"), WasiCtxBuilder::new().build());
    let error = guest.call("proc_exit", &[0]).unwrap_err();
    assert_eq!(error.as_trap().map(|t| t.kind()), Some(&TrapKind::Exit(0)));
}

#[test]
fn args_and_environ_round_trip() {
    let mut builder = WasiCtxBuilder::new();
    builder
        .args(["prog", "two words", "ünïcödé"])
        .env("FOO", "bar")
        .env("EMPTY", "")
        .env("FOO", "baz");
    let mut guest = Guest::shim(builder.build());

    guest.ok("args_sizes_get", &[OUT.into(), OUT2.into()]);
    assert_eq!(guest.u32(OUT), 3);
    let size = guest.u32(OUT2);
    let expected = b"prog\0two words\0\xc3\xbcn\xc3\xafc\xc3\xb6d\xc3\xa9\0";
    assert_eq!(size as usize, expected.len());
    guest.ok("args_get", &[STAT.into(), DATA.into()]);
    assert_eq!(guest.bytes(DATA, expected.len()), expected);
    assert_eq!(guest.u32(STAT), DATA);
    assert_eq!(guest.u32(STAT + 4), DATA + 5);
    assert_eq!(guest.u32(STAT + 8), DATA + 15);

    guest.ok("environ_sizes_get", &[OUT.into(), OUT2.into()]);
    assert_eq!(guest.u32(OUT), 2);
    assert_eq!(guest.u32(OUT2), 15);
    guest.ok("environ_get", &[STAT.into(), DATA.into()]);
    assert_eq!(guest.bytes(DATA, 15), b"FOO=baz\0EMPTY=\0");
    assert_eq!(guest.u32(STAT + 4), DATA + 8);
}

#[test]
fn clocks() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    let now = |guest: &mut Guest, clock: u64| {
        guest.ok("clock_time_get", &[clock, 1, OUT.into()]);
        guest.u64(OUT)
    };
    let first = now(&mut guest, CLOCK_MONOTONIC);
    std::thread::sleep(Duration::from_millis(5));
    let second = now(&mut guest, CLOCK_MONOTONIC);
    assert!(second >= first + 5_000_000, "{first} then {second}");

    let host = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let realtime = now(&mut guest, CLOCK_REALTIME);
    assert!(
        realtime.abs_diff(host) < 60_000_000_000,
        "{realtime} vs {host}"
    );

    for clock in [CLOCK_REALTIME, CLOCK_MONOTONIC] {
        guest.ok("clock_res_get", &[clock, OUT.into()]);
        let resolution = guest.u64(OUT);
        assert!((1..=1_000_000).contains(&resolution), "{resolution}");
    }
    if cfg!(target_os = "linux") {
        // Burn some CPU so that both CPU clocks have moved.
        let start = Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(10) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        for clock in [CLOCK_PROCESS_CPUTIME, CLOCK_THREAD_CPUTIME] {
            assert!(now(&mut guest, clock) > 0);
            guest.ok("clock_res_get", &[clock, OUT.into()]);
        }
    }
    assert_eq!(
        guest.errno("clock_time_get", &[4, 0, OUT.into()]),
        Errno::Inval
    );
    assert_eq!(
        guest.errno("clock_res_get", &[99, OUT.into()]),
        Errno::Inval
    );
    assert_eq!(
        guest.errno("clock_time_get", &[CLOCK_MONOTONIC, 0, 0x2_0000 - 4]),
        Errno::Fault
    );
}

#[test]
fn random_get_fills_bytes() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    guest.ok("random_get", &[DATA.into(), 256]);
    let bytes = guest.bytes(DATA, 256);
    assert!(bytes.iter().filter(|&&b| b != 0).count() > 200, "{bytes:?}");
    guest.ok("random_get", &[DATA.into(), 0]);
    assert_eq!(guest.errno("random_get", &[0x1_fff0, 0x20]), Errno::Fault);
    assert_eq!(
        guest.errno("random_get", &[0xffff_fff0, 0x20]),
        Errno::Fault
    );
}

#[test]
fn process_and_sockets() {
    let mut guest = Guest::shim(WasiCtxBuilder::new().build());
    assert_eq!(guest.errno("proc_raise", &[2]), Errno::Notsup);
    assert_eq!(guest.errno("sched_yield", &[]), Errno::Success);
    assert_eq!(
        guest.errno("sock_accept", &[1, 0, OUT.into()]),
        Errno::Notsock
    );
    assert_eq!(
        guest.errno("sock_send", &[1, IOVS.into(), 0, 0, OUT.into()]),
        Errno::Notsock
    );
    assert_eq!(
        guest.errno(
            "sock_recv",
            &[0, IOVS.into(), 0, 0, OUT.into(), OUT2.into()]
        ),
        Errno::Notsock
    );
    assert_eq!(guest.errno("sock_shutdown", &[2, 3]), Errno::Notsock);
    assert_eq!(guest.errno("sock_shutdown", &[77, 3]), Errno::Badf);
}

#[test]
fn contexts_can_move_between_threads() {
    fn send<T: Send>() {}
    send::<WasiCtx>();
    send::<WasiCtxBuilder>();
}
