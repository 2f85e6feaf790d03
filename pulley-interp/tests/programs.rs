//! Hand-assembled programs with checked results: loops, recursion, memory,
//! traps, host calls, fuel, tail calls, function references, backtraces.

mod common;

use std::sync::Arc;

use common::{FunctionBuilder, TestEnv, number_globals, number_types, program, run};
use pulley_interp::{
    Config, EnvironmentRef, EnvironmentShape, Exit, FramePosition, FuncRefTarget, Interpreter,
    SlotKind, TableView,
};
use pulley_isa::{
    BuiltinIndex, FuncIndex, FuncRefIndex, GlobalIndex, ImportIndex, OwnedOp, Slot, TableIndex,
    TrapCode, TypeIndex,
};

const fn r(i: u16) -> Slot {
    Slot(i)
}

/// fn(n) -> sum of 0..n, as a counting loop.
fn counting_loop() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(3, 1, 1);
    f.op(OwnedOp::Xconst8 { dst: r(1), imm: 0 }) // i
        .op(OwnedOp::Xconst8 { dst: r(2), imm: 0 }) // sum
        .branch("done", |target| OwnedOp::BrIfXeq32Imm {
            a: r(0),
            b: 0,
            target,
        })
        .label("loop")
        .op(OwnedOp::Xadd32 {
            dst: r(2),
            a: r(2),
            b: r(1),
        })
        .op(OwnedOp::Xadd32Imm {
            dst: r(1),
            a: r(1),
            b: 1,
        })
        .branch("loop", |target| OwnedOp::BrIfXult32 {
            a: r(1),
            b: r(0),
            target,
        })
        .label("done")
        .op(OwnedOp::Ret { values: vec![r(2)] });
    f
}

#[test]
fn counting_loop_sums() {
    let p = program(&[&counting_loop()], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    for (n, sum) in [
        (0u64, 0u64),
        (1, 0),
        (10, 45),
        (100_000, 4_999_950_000 & 0xffff_ffff),
    ] {
        let (exit, results) = run(&mut interp, &p, &mut env, 0, &[n]);
        assert_eq!(exit, Exit::Returned);
        assert_eq!(results[0] as u32, sum as u32, "n = {n}");
    }
}

/// fn fib(n) = if n < 2 { n } else { fib(n - 1) + fib(n - 2) } (64-bit).
fn fib() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(4, 1, 1);
    f.branch("recurse", |target| OwnedOp::BrIfXuge64Imm {
        a: r(0),
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

#[test]
fn recursive_fib() {
    let p = program(&[&fib()], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    for (n, expected) in [(0, 0), (1, 1), (2, 1), (10, 55), (25, 75025)] {
        let (exit, results) = run(&mut interp, &p, &mut env, 0, &[n]);
        assert_eq!(exit, Exit::Returned);
        assert_eq!(results, vec![expected]);
    }
}

/// fn(dst, src, len): byte-by-byte copy in linear memory.
fn memcpy() -> FunctionBuilder {
    let mut f = FunctionBuilder::new(5, 3, 0);
    f.branch("done", |target| OwnedOp::BrIfXeq32Imm {
        a: r(2),
        b: 0,
        target,
    })
    .label("loop")
    .op(OwnedOp::Load8U {
        dst: r(3),
        addr: r(1),
        offset: 0,
    })
    .op(OwnedOp::Store8 {
        addr: r(0),
        offset: 0,
        src: r(3),
    })
    .op(OwnedOp::Xadd32Imm {
        dst: r(0),
        a: r(0),
        b: 1,
    })
    .op(OwnedOp::Xadd32Imm {
        dst: r(1),
        a: r(1),
        b: 1,
    })
    .op(OwnedOp::Xadd32Imm {
        dst: r(2),
        a: r(2),
        b: -1,
    })
    .branch("loop", |target| OwnedOp::BrIfXne32Imm {
        a: r(2),
        b: 0,
        target,
    })
    .label("done")
    .op(OwnedOp::Ret { values: vec![] });
    f
}

#[test]
fn memcpy_copies_and_traps_at_the_end_of_memory() {
    let p = program(&[&memcpy()], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(1024, 0);
    for (i, byte) in env.memory[100..200].iter_mut().enumerate() {
        *byte = i as u8 ^ 0x5a;
    }
    let (exit, _) = run(&mut interp, &p, &mut env, 0, &[500, 100, 100]);
    assert_eq!(exit, Exit::Returned);
    assert_eq!(env.memory[500..600], env.memory[100..200]);
    assert_eq!(env.memory[600], 0);

    // Copying up to the last byte works; one more traps at the first byte
    // out of bounds, after the bytes before it were copied.
    env.memory[0..4].copy_from_slice(&[1, 2, 3, 4]);
    let (exit, _) = run(&mut interp, &p, &mut env, 0, &[1020, 0, 4]);
    assert_eq!(exit, Exit::Returned);
    assert_eq!(env.memory[1020..1024], [1, 2, 3, 4]);
    env.memory[0..4].copy_from_slice(&[5, 6, 7, 8]);
    let (exit, _) = run(&mut interp, &p, &mut env, 0, &[1021, 0, 4]);
    assert_eq!(exit, Exit::Trap(TrapCode::MemoryOutOfBounds));
    assert_eq!(env.memory[1020..1024], [1, 5, 6, 7]);
}

#[test]
fn memory_bounds_use_the_full_64_bit_index() {
    // load32_u r0, r0, offset 0xffff_fff0: index 0x20 + offset wraps in 32
    // bits but not in 64, so it must trap.
    let mut f = FunctionBuilder::new(1, 1, 1);
    f.op(OwnedOp::Load32U {
        dst: r(0),
        addr: r(0),
        offset: 0xffff_fff0,
    })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let p = program(&[&f], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(65536, 0);
    let (exit, _) = run(&mut interp, &p, &mut env, 0, &[0x20]);
    assert_eq!(exit, Exit::Trap(TrapCode::MemoryOutOfBounds));
    // The upper 32 bits of the address slot are ignored.
    env.memory[8..12].copy_from_slice(&0xdead_beef_u32.to_le_bytes());
    let mut f = FunctionBuilder::new(1, 1, 1);
    f.op(OwnedOp::Load32U {
        dst: r(0),
        addr: r(0),
        offset: 0,
    })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let p = program(&[&f], EnvironmentShape::default());
    let (exit, results) = run(&mut interp, &p, &mut env, 0, &[0x1234_5678_0000_0008]);
    assert_eq!(exit, Exit::Returned);
    assert_eq!(results, vec![0xdead_beef]);
}

#[test]
fn every_trap_code_reaches_the_embedder() {
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(16, 0);
    for code in TrapCode::ALL {
        let mut f = FunctionBuilder::new(1, 0, 0);
        f.op(OwnedOp::Trap { code });
        let p = program(&[&f], EnvironmentShape::default());
        assert_eq!(run(&mut interp, &p, &mut env, 0, &[]).0, Exit::Trap(code));
    }
    let traps: [(OwnedOp, [u64; 2], TrapCode); 6] = [
        (
            OwnedOp::Xdiv32S {
                dst: r(0),
                a: r(0),
                b: r(1),
            },
            [7, 0],
            TrapCode::IntegerDivisionByZero,
        ),
        (
            OwnedOp::Xdiv32S {
                dst: r(0),
                a: r(0),
                b: r(1),
            },
            [i32::MIN as u32 as u64, u32::MAX as u64],
            TrapCode::IntegerOverflow,
        ),
        (
            OwnedOp::Xrem64U {
                dst: r(0),
                a: r(0),
                b: r(1),
            },
            [7, 0],
            TrapCode::IntegerDivisionByZero,
        ),
        (
            OwnedOp::X32FromF64S {
                dst: r(0),
                src: r(0),
            },
            [f64::NAN.to_bits(), 0],
            TrapCode::BadConversionToInteger,
        ),
        (
            OwnedOp::X32FromF64S {
                dst: r(0),
                src: r(0),
            },
            [2147483648.0f64.to_bits(), 0],
            TrapCode::IntegerOverflow,
        ),
        (
            OwnedOp::Load64 {
                dst: r(0),
                addr: r(0),
                offset: 9,
            },
            [0, 0],
            TrapCode::MemoryOutOfBounds,
        ),
    ];
    for (op, args, code) in traps {
        let mut f = FunctionBuilder::new(2, 2, 0);
        f.op(op).op(OwnedOp::Ret { values: vec![] });
        let p = program(&[&f], EnvironmentShape::default());
        assert_eq!(run(&mut interp, &p, &mut env, 0, &args).0, Exit::Trap(code));
    }
}

#[test]
fn deep_recursion_is_a_stack_overflow_trap() {
    // fn f(n) = f(n + 1): recursion without end.
    let mut f = FunctionBuilder::new(2, 1, 1);
    f.op(OwnedOp::Xadd64Imm {
        dst: r(1),
        a: r(0),
        b: 1,
    })
    .op(OwnedOp::Call {
        func: FuncIndex(0),
        args: vec![r(1)],
        results: vec![r(1)],
    })
    .op(OwnedOp::Ret { values: vec![r(1)] });
    let p = program(&[&f], EnvironmentShape::default());
    let mut env = TestEnv::new(0, 0);
    // Limited by frames.
    let mut interp = Interpreter::new(Config {
        stack_slots: 1 << 20,
        max_frames: 1000,
    });
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[0]).0,
        Exit::Trap(TrapCode::StackOverflow)
    );
    assert_eq!(interp.trap_backtrace().len(), 1001);
    // Limited by register slots.
    let mut interp = Interpreter::new(Config {
        stack_slots: 1000,
        max_frames: 1 << 20,
    });
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[0]).0,
        Exit::Trap(TrapCode::StackOverflow)
    );
    // The interpreter is usable afterwards.
    let p = program(&[&fib()], EnvironmentShape::default());
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[10]),
        (Exit::Returned, vec![55])
    );
}

#[test]
fn host_calls_exit_and_resume_with_results() {
    // fn(x) = import0(x, 3) * 2
    let mut f = FunctionBuilder::new(3, 1, 1);
    f.op(OwnedOp::Xconst8 { dst: r(1), imm: 3 })
        .op(OwnedOp::CallImport {
            import: ImportIndex(0),
            args: vec![r(0), r(1)],
            results: vec![r(2)],
        })
        .op(OwnedOp::Xmul64Imm {
            dst: r(2),
            a: r(2),
            b: 2,
        })
        .op(OwnedOp::Ret { values: vec![r(2)] });
    let p = program(
        &[&f],
        EnvironmentShape {
            types: number_types(&[(2, 1)]),
            imports: vec![0],
            ..Default::default()
        },
    );
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    let (exit, _) = run(&mut interp, &p, &mut env, 0, &[10]);
    assert_eq!(exit, Exit::HostCall(ImportIndex(0)));
    let args: Vec<u64> = interp.host_args().unwrap().collect();
    assert_eq!(args, vec![10, 3]);
    assert_eq!(
        interp.backtrace(),
        vec![FramePosition {
            func: FuncIndex(0),
            code_offset: 3,
            code: pulley_interp::CodeVersion::First,
        }]
    );
    // Wrong number of results is an error, and leaves the call suspended.
    assert!(interp.finish_host_call(&[1, 2]).is_err());
    let exit = interp.finish_host_call(&[args[0] + args[1]]).unwrap();
    assert_eq!(exit, Exit::Returned);
    assert_eq!(interp.results(), &[26]);
    assert_eq!(interp.depth(), 0);
}

#[test]
fn host_functions_can_call_back_into_the_program() {
    // func 0: fn(x) = import0(x) + 1; func 1: fn(y) = y * 10.
    let mut f0 = FunctionBuilder::new(2, 1, 1);
    f0.op(OwnedOp::CallImport {
        import: ImportIndex(0),
        args: vec![r(0)],
        results: vec![r(1)],
    })
    .op(OwnedOp::Xadd64Imm {
        dst: r(1),
        a: r(1),
        b: 1,
    })
    .op(OwnedOp::Ret { values: vec![r(1)] });
    let mut f1 = FunctionBuilder::new(1, 1, 1);
    f1.op(OwnedOp::Xmul64Imm {
        dst: r(0),
        a: r(0),
        b: 10,
    })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let p = program(
        &[&f0, &f1],
        EnvironmentShape {
            types: number_types(&[(1, 1)]),
            imports: vec![0],
            ..Default::default()
        },
    );
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[4]).0,
        Exit::HostCall(ImportIndex(0))
    );
    let x = interp.host_args().unwrap().next().unwrap();
    // The host calls func 1 while func 0 is suspended.
    let (inner, results) = run(&mut interp, &p, &mut env, 1, &[x]);
    assert_eq!((inner, results.clone()), (Exit::Returned, vec![40]));
    assert_eq!(interp.depth(), 1);
    assert_eq!(interp.finish_host_call(&results).unwrap(), Exit::Returned);
    assert_eq!(interp.results(), &[41]);
}

#[test]
fn aborting_a_host_call_ends_the_activation() {
    let mut f = FunctionBuilder::new(1, 0, 0);
    f.op(OwnedOp::CallBuiltin {
        builtin: BuiltinIndex(7),
        args: vec![],
        results: vec![],
    })
    .op(OwnedOp::Ret { values: vec![] });
    let p = program(
        &[&f],
        EnvironmentShape {
            builtins: number_types(&[(0, 0); 8]),
            ..Default::default()
        },
    );
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[]).0,
        Exit::Builtin(BuiltinIndex(7))
    );
    interp.abort().unwrap();
    assert_eq!(interp.depth(), 0);
    assert!(interp.abort().is_err());
    assert!(interp.finish_host_call(&[]).is_err());
}

#[test]
fn fuel_exhaustion_is_resumable() {
    // The counting loop, charging 1 fuel per iteration.
    let mut f = FunctionBuilder::new(3, 1, 1);
    f.op(OwnedOp::Xconst8 { dst: r(1), imm: 0 })
        .op(OwnedOp::Xconst8 { dst: r(2), imm: 0 })
        .label("loop")
        .op(OwnedOp::ConsumeFuel { amount: 1 })
        .op(OwnedOp::Xadd32 {
            dst: r(2),
            a: r(2),
            b: r(1),
        })
        .op(OwnedOp::Xadd32Imm {
            dst: r(1),
            a: r(1),
            b: 1,
        })
        .branch("loop", |target| OwnedOp::BrIfXult32 {
            a: r(1),
            b: r(0),
            target,
        })
        .op(OwnedOp::Ret { values: vec![r(2)] });
    let p = program(&[&f], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    interp.set_fuel(250);
    let mut exit = run(&mut interp, &p, &mut env, 0, &[1000]).0;
    let mut refuels = 0;
    while exit == Exit::OutOfFuel {
        assert_eq!(interp.fuel(), 0);
        refuels += 1;
        interp.set_fuel(250);
        exit = interp.resume().unwrap();
    }
    assert_eq!(exit, Exit::Returned);
    assert_eq!(refuels, 3);
    assert_eq!(interp.fuel(), 0);
    assert_eq!(interp.results()[0] as u32, 499_500);
}

#[test]
fn br_table_selects_and_clamps_to_the_default() {
    let mut f = FunctionBuilder::new(1, 1, 1);
    f.table(&["zero", "one", "default"], |targets| OwnedOp::BrTable {
        index: r(0),
        targets,
    })
    .label("zero")
    .op(OwnedOp::Xconst8 { dst: r(0), imm: 10 })
    .op(OwnedOp::Ret { values: vec![r(0)] })
    .label("one")
    .op(OwnedOp::Xconst8 { dst: r(0), imm: 11 })
    .op(OwnedOp::Ret { values: vec![r(0)] })
    .label("default")
    .op(OwnedOp::Xconst8 { dst: r(0), imm: 12 })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let p = program(&[&f], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    for (index, expected) in [
        (0, 10),
        (1, 11),
        (2, 12),
        (3, 12),
        (u32::MAX as u64, 12),
        (1 << 32, 10),
    ] {
        assert_eq!(
            run(&mut interp, &p, &mut env, 0, &[index]).1,
            vec![expected],
            "index {index}"
        );
    }
}

#[test]
fn tail_calls_run_in_constant_stack() {
    // fn count(n, acc) = if n == 0 { acc } else { return_call count(n - 1, acc + 1) }
    let mut f = FunctionBuilder::new(2, 2, 1);
    f.branch("recurse", |target| OwnedOp::BrIfXne64Imm {
        a: r(0),
        b: 0,
        target,
    })
    .op(OwnedOp::Ret { values: vec![r(1)] })
    .label("recurse")
    .op(OwnedOp::Xadd64Imm {
        dst: r(0),
        a: r(0),
        b: -1,
    })
    .op(OwnedOp::Xadd64Imm {
        dst: r(1),
        a: r(1),
        b: 1,
    })
    // Swapped arguments exercise the staging of overlapping slots.
    .op(OwnedOp::ReturnCall {
        func: FuncIndex(1),
        args: vec![r(1), r(0)],
    });
    // fn swapped(acc, n) = return_call count(n, acc)
    let mut g = FunctionBuilder::new(2, 2, 1);
    g.op(OwnedOp::ReturnCall {
        func: FuncIndex(0),
        args: vec![r(1), r(0)],
    });
    let p = program(&[&f, &g], EnvironmentShape::default());
    let mut interp = Interpreter::new(Config {
        stack_slots: 64,
        max_frames: 4,
    });
    let mut env = TestEnv::new(0, 0);
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[1_000_000, 5]),
        (Exit::Returned, vec![1_000_005])
    );
}

#[test]
fn globals_read_and_write_embedder_cells() {
    let mut f = FunctionBuilder::new(2, 1, 1);
    f.op(OwnedOp::GlobalGet {
        dst: r(1),
        global: GlobalIndex(1),
    })
    .op(OwnedOp::Xadd64 {
        dst: r(1),
        a: r(1),
        b: r(0),
    })
    .op(OwnedOp::GlobalSet {
        global: GlobalIndex(1),
        src: r(1),
    })
    .op(OwnedOp::Ret { values: vec![r(1)] });
    let p = program(
        &[&f],
        EnvironmentShape {
            globals: number_globals(2),
            ..Default::default()
        },
    );
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 2);
    env.globals[1][0] = 100;
    assert_eq!(run(&mut interp, &p, &mut env, 0, &[5]).1, vec![105]);
    assert_eq!(run(&mut interp, &p, &mut env, 0, &[5]).1, vec![110]);
    assert_eq!(env.globals[1][0], 110);
    assert_eq!(env.globals[0][0], 0);
}

#[test]
fn environments_smaller_than_the_program_are_rejected() {
    let mut f = FunctionBuilder::new(1, 0, 0);
    f.op(OwnedOp::GlobalSet {
        global: GlobalIndex(1),
        src: r(0),
    })
    .op(OwnedOp::Ret { values: vec![] });
    let p = program(
        &[&f],
        EnvironmentShape {
            globals: number_globals(2),
            ..Default::default()
        },
    );
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 1);
    env.refresh();
    // SAFETY: `env` outlives the calls.
    let env = unsafe { EnvironmentRef::new(env.env_ptr()) };
    assert!(interp.call(&p, env, FuncIndex(0), &[]).is_err());
    assert!(interp.call(&p, env, FuncIndex(1), &[]).is_err());
}

/// An instance with one table of function references for `call_ref` tests.
struct RefWorld {
    env: TestEnv,
    table: Vec<u64>,
    view: Box<TableView>,
    targets: Vec<FuncRefTarget>,
    func_refs: Vec<u64>,
    type_ids: Vec<u64>,
}

impl RefWorld {
    fn new() -> Self {
        let mut world = RefWorld {
            env: TestEnv::new(0, 0),
            // handle 1: local func 1 (type 7); 2: local func 2 (type 8);
            // 3: func 0 of another instance; 0: null.
            table: vec![1, 2, 3, 0],
            view: Box::new(TableView {
                elements: std::ptr::null_mut(),
                len: 0,
            }),
            targets: vec![
                FuncRefTarget {
                    type_id: 7,
                    instance_id: 1,
                    func: 1,
                },
                FuncRefTarget {
                    type_id: 8,
                    instance_id: 1,
                    func: 2,
                },
                FuncRefTarget {
                    type_id: 7,
                    instance_id: 2,
                    func: 0,
                },
            ],
            func_refs: vec![0, 1, 2],
            type_ids: vec![7, 8],
        };
        *world.view = TableView {
            elements: world.table.as_mut_ptr(),
            len: world.table.len(),
        };
        // SAFETY: every pointer is into `world`, which outlives the calls.
        unsafe {
            world.env.env.set_tables(&*world.view, 1);
            world
                .env
                .env
                .set_funcref_targets(world.targets.as_ptr(), world.targets.len());
            world
                .env
                .env
                .set_func_refs(world.func_refs.as_ptr(), world.func_refs.len());
            world
                .env
                .env
                .set_type_ids(world.type_ids.as_ptr(), world.type_ids.len());
        }
        world.env.env.set_instance_id(1);
        world
    }
}

/// func 0: fn(i, x) = call_indirect type 0 table[i](x) (`call_ref` checks
/// the type); func 1: fn(x) = x + 100 (type 0); func 2: fn(x, y) = x (type 1).
fn call_indirect_program() -> Arc<pulley_interp::Program> {
    let mut f0 = FunctionBuilder::new(3, 2, 1);
    f0.op(OwnedOp::TableGet {
        dst: r(2),
        table: TableIndex(0),
        index: r(0),
    })
    .op(OwnedOp::CallRef {
        callee: r(2),
        ty: TypeIndex(0),
        args: vec![r(1)],
        results: vec![r(1)],
    })
    .op(OwnedOp::Ret { values: vec![r(1)] });
    let mut f1 = FunctionBuilder::new(1, 1, 1);
    f1.op(OwnedOp::Xadd64Imm {
        dst: r(0),
        a: r(0),
        b: 100,
    })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let mut f2 = FunctionBuilder::new(2, 2, 1);
    f2.op(OwnedOp::Ret { values: vec![r(0)] });
    program(
        &[&f0, &f1, &f2],
        EnvironmentShape {
            tables: vec![SlotKind::FuncRef],
            types: number_types(&[(1, 1), (2, 1)]),
            ..Default::default()
        },
    )
}

#[test]
fn call_ref_calls_local_functions_and_exits_for_others() {
    let p = call_indirect_program();
    let mut world = RefWorld::new();
    let mut interp = Interpreter::default();
    assert_eq!(
        run(&mut interp, &p, &mut world.env, 0, &[0, 5]),
        (Exit::Returned, vec![105])
    );
    assert_eq!(
        run(&mut interp, &p, &mut world.env, 0, &[1, 5]).0,
        Exit::Trap(TrapCode::BadSignature)
    );
    assert_eq!(
        run(&mut interp, &p, &mut world.env, 0, &[3, 5]).0,
        Exit::Trap(TrapCode::IndirectCallToNull)
    );
    assert_eq!(
        run(&mut interp, &p, &mut world.env, 0, &[4, 5]).0,
        Exit::Trap(TrapCode::TableOutOfBounds)
    );
    assert_eq!(
        run(&mut interp, &p, &mut world.env, 0, &[2, 5]).0,
        Exit::ExternalCall { handle: 3 }
    );
    assert_eq!(interp.host_args().unwrap().collect::<Vec<_>>(), vec![5]);
    assert_eq!(interp.finish_host_call(&[77]).unwrap(), Exit::Returned);
    assert_eq!(interp.results(), &[77]);
}

#[test]
fn call_ref_checks_the_callee_type_without_a_type_check_before_it() {
    // call_ref of type 0 (one param) to func 2 (type 1, two params) traps
    // instead of reading a missing argument.
    let mut f0 = FunctionBuilder::new(2, 1, 1);
    f0.op(OwnedOp::RefFunc {
        dst: r(1),
        func: FuncRefIndex(2),
    })
    .op(OwnedOp::CallRef {
        callee: r(1),
        ty: TypeIndex(0),
        args: vec![r(0)],
        results: vec![r(0)],
    })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let mut f1 = FunctionBuilder::new(1, 1, 1);
    f1.op(OwnedOp::Ret { values: vec![r(0)] });
    let mut f2 = FunctionBuilder::new(2, 2, 1);
    f2.op(OwnedOp::Ret { values: vec![r(0)] });
    let p = program(
        &[&f0, &f1, &f2],
        EnvironmentShape {
            tables: vec![SlotKind::FuncRef],
            types: number_types(&[(1, 1), (2, 1)]),
            func_refs: 3,
            ..Default::default()
        },
    );
    let mut world = RefWorld::new();
    let mut interp = Interpreter::default();
    assert_eq!(
        run(&mut interp, &p, &mut world.env, 0, &[1]).0,
        Exit::Trap(TrapCode::BadSignature)
    );
}

#[test]
fn traps_carry_a_backtrace() {
    // func 0 calls func 1, which divides by zero.
    let mut f0 = FunctionBuilder::new(1, 0, 1);
    f0.op(OwnedOp::Call {
        func: FuncIndex(1),
        args: vec![],
        results: vec![r(0)],
    })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let mut f1 = FunctionBuilder::new(1, 0, 1);
    f1.op(OwnedOp::Xconst8 { dst: r(0), imm: 0 })
        .op(OwnedOp::Xdiv64U {
            dst: r(0),
            a: r(0),
            b: r(0),
        })
        .op(OwnedOp::Ret { values: vec![r(0)] });
    let p = program(&[&f0, &f1], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(0, 0);
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[]).0,
        Exit::Trap(TrapCode::IntegerDivisionByZero)
    );
    let funcs: Vec<u32> = interp.trap_backtrace().iter().map(|p| p.func.0).collect();
    assert_eq!(funcs, vec![1, 0]);
    // Offsets are in the function's code: the division follows a 3-byte op.
    assert_eq!(interp.trap_backtrace()[0].code_offset, 3);
}

#[test]
fn memory_copy_and_fill_check_bounds_before_writing() {
    let mut f = FunctionBuilder::new(3, 3, 0);
    f.op(OwnedOp::MemoryCopy {
        dst_addr: r(0),
        src_addr: r(1),
        len: r(2),
    })
    .op(OwnedOp::Ret { values: vec![] });
    let mut g = FunctionBuilder::new(3, 3, 1);
    g.op(OwnedOp::MemoryFill {
        addr: r(0),
        value: r(1),
        len: r(2),
    })
    .op(OwnedOp::MemoryLen { dst: r(0) })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    let p = program(&[&f, &g], EnvironmentShape::default());
    let mut interp = Interpreter::default();
    let mut env = TestEnv::new(64, 0);
    assert_eq!(
        run(&mut interp, &p, &mut env, 1, &[8, 0x1ab, 8]),
        (Exit::Returned, vec![64])
    );
    assert_eq!(
        env.memory[7..17],
        [0, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0]
    );
    // Overlapping copy forward.
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[10, 8, 8]).0,
        Exit::Returned
    );
    assert_eq!(env.memory[8..18], [0xab; 10]);
    // Out of bounds: nothing written.
    assert_eq!(
        run(&mut interp, &p, &mut env, 1, &[60, 1, 5]).0,
        Exit::Trap(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(env.memory[60..64], [0; 4]);
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[0, 60, 5]).0,
        Exit::Trap(TrapCode::MemoryOutOfBounds)
    );
    // Zero-length at the very end is fine.
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[64, 64, 0]).0,
        Exit::Returned
    );
}

#[test]
fn a_frame_larger_than_the_stack_traps_on_entry() {
    let mut f = FunctionBuilder::new(100, 0, 0);
    f.op(OwnedOp::Ret { values: vec![] });
    let p = program(&[&f], EnvironmentShape::default());
    let mut interp = Interpreter::new(Config {
        stack_slots: 50,
        max_frames: 10,
    });
    let mut env = TestEnv::new(0, 0);
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[]).0,
        Exit::Trap(TrapCode::StackOverflow)
    );
}

#[test]
fn many_values_return_through_frames_that_outgrow_their_first_room() {
    // fn f(n, a, b) = if n == 0 { (a, b) } else { let (x, y) = f(n - 1, b, a + b); (y, x) }
    // Two values come back through every frame, and the frame records grow
    // several times on the way down (from room for 64).
    let mut f = FunctionBuilder::new(5, 3, 2);
    f.branch("recurse", |target| OwnedOp::BrIfXne64Imm {
        a: r(0),
        b: 0,
        target,
    })
    .op(OwnedOp::Ret {
        values: vec![r(1), r(2)],
    })
    .label("recurse")
    .op(OwnedOp::Xadd64Imm {
        dst: r(0),
        a: r(0),
        b: -1,
    })
    .op(OwnedOp::Xadd64 {
        dst: r(3),
        a: r(1),
        b: r(2),
    })
    .op(OwnedOp::Call {
        func: FuncIndex(0),
        args: vec![r(0), r(2), r(3)],
        results: vec![r(3), r(4)],
    })
    .op(OwnedOp::Ret {
        values: vec![r(4), r(3)],
    });
    let p = program(&[&f], EnvironmentShape::default());
    let mut env = TestEnv::new(0, 0);
    fn expected(n: u64, a: u64, b: u64) -> Vec<u64> {
        if n == 0 {
            return vec![a, b];
        }
        let inner = expected(n - 1, b, a.wrapping_add(b));
        vec![inner[1], inner[0]]
    }
    let mut interp = Interpreter::new(Config {
        stack_slots: 1 << 16,
        max_frames: 300,
    });
    for n in [0, 1, 2, 63, 64, 65, 200, 300] {
        assert_eq!(
            run(&mut interp, &p, &mut env, 0, &[n, 3, 5]),
            (Exit::Returned, expected(n, 3, 5)),
            "n = {n}"
        );
    }
    // One call more than the limit allows.
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[301, 3, 5]).0,
        Exit::Trap(TrapCode::StackOverflow)
    );
    assert_eq!(interp.trap_backtrace().len(), 301);
    // The interpreter is usable after the trap.
    assert_eq!(
        run(&mut interp, &p, &mut env, 0, &[10, 1, 1]),
        (Exit::Returned, expected(10, 1, 1))
    );
}
