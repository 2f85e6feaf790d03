//! Hand-assembled kernels that show the cost of dispatch: recursive fib
//! (calls), a tight arithmetic loop, and a memory-copy loop.
//!
//! The dispatch mode is chosen at build time, so compare modes by running
//! this benchmark once per mode (see BENCHMARKS.md):
//!
//! ```text
//! cargo bench -p pulley-interp --features bench --bench dispatch                         # tail
//! PULLEY_DISPATCH=loop cargo bench -p pulley-interp --features bench --bench dispatch    # loop
//! rustup run nightly cargo bench -p pulley-interp --features nightly,bench --bench dispatch  # become
//! ```

#![allow(missing_docs)] // criterion's macros generate public functions

#[path = "../tests/common/mod.rs"]
mod common;

use common::{FunctionBuilder, TestEnv, program, run};
use criterion::{Criterion, criterion_group, criterion_main};
use pulley_interp::{DISPATCH, EnvironmentShape, Exit, Interpreter};
use pulley_isa::{FuncIndex, OwnedOp, Slot};

fn r(i: u16) -> Slot {
    Slot(i)
}

fn fib() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(4, 1, 1);
    f.branch("recurse", |target| OwnedOp::BrIfXuge64Imm {
        a: Slot(0),
        b: 2,
        target,
    })
    .op(OwnedOp::Ret { values: vec![r(0)] })
    .label("recurse")
    .op(OwnedOp::Xadd64Imm {
        dst: r(1),
        a: r(0),
        b: -1,
    })
    .op(OwnedOp::Call {
        func: FuncIndex(0),
        args: vec![r(1)],
        results: vec![r(2)],
    })
    .op(OwnedOp::Xadd64Imm {
        dst: r(1),
        a: r(0),
        b: -2,
    })
    .op(OwnedOp::Call {
        func: FuncIndex(0),
        args: vec![r(1)],
        results: vec![r(3)],
    })
    .op(OwnedOp::Xadd64 {
        dst: r(2),
        a: r(2),
        b: r(3),
    })
    .op(OwnedOp::Ret { values: vec![r(2)] });
    f
}

/// fn(n): x = x * 1664525 + 1013904223; acc ^= x >> 7, n times.
fn arithmetic() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(4, 1, 1);
    f.op(OwnedOp::Xconst8 { dst: r(1), imm: 1 })
        .op(OwnedOp::Xconst8 { dst: r(2), imm: 0 })
        .label("loop")
        .op(OwnedOp::Xmul32Imm {
            dst: r(1),
            a: r(1),
            b: 1664525,
        })
        .op(OwnedOp::Xadd32Imm {
            dst: r(1),
            a: r(1),
            b: 1013904223,
        })
        .op(OwnedOp::Xshr32UImm {
            dst: r(3),
            a: r(1),
            b: 7,
        })
        .op(OwnedOp::Xbxor32 {
            dst: r(2),
            a: r(2),
            b: r(3),
        })
        .op(OwnedOp::Xadd32Imm {
            dst: r(0),
            a: r(0),
            b: -1,
        })
        .branch("loop", |target| OwnedOp::BrIfXne32Imm {
            a: Slot(0),
            b: 0,
            target,
        })
        .op(OwnedOp::Ret { values: vec![r(2)] });
    f
}

/// fn(dst, src, len): copies `len` bytes eight at a time.
fn memory_copy() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(4, 3, 0);
    f.label("loop")
        .op(OwnedOp::Load64 {
            dst: r(3),
            addr: r(1),
            offset: 0,
        })
        .op(OwnedOp::Store64 {
            addr: r(0),
            offset: 0,
            src: r(3),
        })
        .op(OwnedOp::Xadd32Imm {
            dst: r(0),
            a: r(0),
            b: 8,
        })
        .op(OwnedOp::Xadd32Imm {
            dst: r(1),
            a: r(1),
            b: 8,
        })
        .op(OwnedOp::Xadd32Imm {
            dst: r(2),
            a: r(2),
            b: -8,
        })
        .branch("loop", |target| OwnedOp::BrIfXne32Imm {
            a: Slot(2),
            b: 0,
            target,
        })
        .op(OwnedOp::Ret { values: vec![] });
    f
}

fn kernels(c: &mut Criterion) {
    let mode = format!("{DISPATCH:?}").to_lowercase();
    let mut interpreter = Interpreter::default();
    let mut env = TestEnv::new(1 << 17, 0);

    let p = program(&[&fib()], EnvironmentShape::default());
    c.bench_function(&format!("{mode}/fib-25"), |b| {
        b.iter(|| {
            assert_eq!(
                run(&mut interpreter, &p, &mut env, 0, &[25]).0,
                Exit::Returned
            )
        })
    });
    let p = program(&[&arithmetic()], EnvironmentShape::default());
    c.bench_function(&format!("{mode}/arithmetic-1M"), |b| {
        b.iter(|| {
            assert_eq!(
                run(&mut interpreter, &p, &mut env, 0, &[1_000_000]).0,
                Exit::Returned
            )
        })
    });
    let p = program(&[&memory_copy()], EnvironmentShape::default());
    c.bench_function(&format!("{mode}/memory-copy-64KiB"), |b| {
        b.iter(|| {
            assert_eq!(
                run(&mut interpreter, &p, &mut env, 0, &[65536, 0, 65536]).0,
                Exit::Returned
            )
        })
    });
}

criterion_group!(benches, kernels);
criterion_main!(benches);
