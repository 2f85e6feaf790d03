//! The dispatch torture test: tens of millions of ops, every op that can run
//! without leaving the interpreter among them, plus calls, on a thread with a
//! 256 KiB native stack. If any handler stopped tail-calling (in the `tail`
//! and `become` dispatch modes), the native stack would grow with every op
//! executed and this test would overflow it. The program is a lazy one
//! whose code is installed, so that `hot_count` (allowed only there) runs
//! too.

mod common;

use common::{FunctionBuilder, TestEnv, installed_program, number_types};
use pulley_interp::{
    DISPATCH, EnvironmentRef, EnvironmentShape, Exit, FuncRefTarget, GlobalShape, Interpreter,
    SlotKind, TableView,
};
use pulley_isa::{
    BuiltinIndex, FuncIndex, FuncRefIndex, GlobalIndex, ImportIndex, OwnedOp, PcRel, Slot,
    TableIndex, TrapCode, TypeIndex, for_each_op,
};

/// A default operand for each kind: reads come from r1 (which holds 3, a
/// safe divisor, shift count, index and function reference handle, made by
/// `ref_func` so that the verifier accepts it as one), writes go to r10, branches
/// fall through to the next op (`next` is this op's size).
macro_rules! default_operand {
    (Dst, $next:expr) => {
        Slot(10)
    };
    (Src, $next:expr) => {
        Slot(1)
    };
    (DstWide, $next:expr) => {
        Slot(10)
    };
    (SrcWide, $next:expr) => {
        Slot(1)
    };
    (Target, $next:expr) => {
        PcRel($next)
    };
    (JumpTable, $next:expr) => {
        vec![PcRel($next), PcRel($next)]
    };
    (I8, $next:expr) => {
        1
    };
    (I32, $next:expr) => {
        1
    };
    (I64, $next:expr) => {
        1
    };
    (U8, $next:expr) => {
        1
    };
    (U32, $next:expr) => {
        1
    };
    (U128, $next:expr) => {
        1
    };
    (FuncRefIndex, $next:expr) => {
        pulley_isa::FuncRefIndex(1)
    };
    (FuncIndex, $next:expr) => {
        FuncIndex(1)
    };
    (GlobalIndex, $next:expr) => {
        GlobalIndex(0)
    };
    (TableIndex, $next:expr) => {
        TableIndex(0)
    };
    (TypeIndex, $next:expr) => {
        TypeIndex(0)
    };
    (ImportIndex, $next:expr) => {
        ImportIndex(0)
    };
    (BuiltinIndex, $next:expr) => {
        BuiltinIndex(0)
    };
    (TrapCode, $next:expr) => {
        TrapCode::Unreachable
    };
    (DstList, $next:expr) => {
        vec![]
    };
    (SrcList, $next:expr) => {
        vec![]
    };
}

/// Every op of the table with default operands, except calls and the
/// terminators that do not branch (those appear in the program explicitly).
macro_rules! every_op_in_place {
    (
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        fn every_op_in_place() -> Vec<OwnedOp> {
            let builders: Vec<fn(i32) -> OwnedOp> = vec![
                $( |_next| OwnedOp::$Primary { $( $pfield: default_operand!($pkind, _next) ),* }, )*
                $( |_next| OwnedOp::$Extended { $( $efield: default_operand!($ekind, _next) ),* }, )*
            ];
            builders
                .into_iter()
                .map(|build| {
                    let size = build(0).encoded_len().unwrap() as i32;
                    build(size)
                })
                .filter(|op| {
                    // Branches target the next op, so they stay in place.
                    let flags = op.flags();
                    let leaves = flags.is_terminator() && !flags.branches();
                    !(leaves || flags.is_call())
                })
                .collect()
        }
    };
}

for_each_op!(every_op_in_place);

const ITERATIONS: u64 = 100_000;

fn torture() {
    let r = Slot;
    // func 0: fn(n): loop { every op; r10 = leaf(r1); r10 = call_ref(handle 2); } while ++i < n
    let mut main = FunctionBuilder::new(12, 1, 1);
    main.op(OwnedOp::RefFunc {
        dst: r(1),
        func: FuncRefIndex(2),
    })
    .op(OwnedOp::Xconst8 { dst: r(8), imm: 0 })
    .label("loop");
    // v128 globals are global 1 (global 0 holds a scalar).
    let body = every_op_in_place().into_iter().map(|op| match op {
        OwnedOp::VglobalGet { dst_lo, dst_hi, .. } => OwnedOp::VglobalGet {
            dst_lo,
            dst_hi,
            global: GlobalIndex(1),
        },
        OwnedOp::VglobalSet { src_lo, src_hi, .. } => OwnedOp::VglobalSet {
            global: GlobalIndex(1),
            src_lo,
            src_hi,
        },
        op => op,
    });
    let body: Vec<OwnedOp> = body.collect();
    let ops_per_iteration = body.len() + 6;
    for op in body {
        main.op(op);
    }
    main.op(OwnedOp::Call {
        func: FuncIndex(1),
        args: vec![r(1)],
        results: vec![r(10)],
    })
    .op(OwnedOp::RefFunc {
        dst: r(11),
        func: FuncRefIndex(1),
    })
    .op(OwnedOp::CallRef {
        callee: r(11),
        ty: TypeIndex(0),
        args: vec![r(1)],
        results: vec![r(10)],
    })
    .op(OwnedOp::Xadd64Imm {
        dst: r(8),
        a: r(8),
        b: 1,
    })
    .branch("loop", |target| OwnedOp::BrIfXult64 {
        a: Slot(8),
        b: Slot(0),
        target,
    })
    .op(OwnedOp::Ret { values: vec![r(8)] });
    // func 1: fn(x) = x + 1
    let mut leaf = FunctionBuilder::new(1, 1, 1);
    leaf.op(OwnedOp::Xadd64Imm {
        dst: r(0),
        a: r(0),
        b: 1,
    })
    .op(OwnedOp::Ret { values: vec![r(0)] });
    // func 2: fn(x) = tail call leaf(x)
    let mut tail = FunctionBuilder::new(1, 1, 1);
    tail.op(OwnedOp::ReturnCall {
        func: FuncIndex(1),
        args: vec![r(0)],
    });
    // Installed as a compiler installs code, so that the ops only such code
    // may hold run too.
    let p = installed_program(
        &[&main, &leaf, &tail],
        EnvironmentShape {
            types: number_types(&[(1, 1)]),
            imports: vec![0],
            globals: vec![
                GlobalShape {
                    scalar: Some(SlotKind::Number),
                    mutable: true,
                },
                GlobalShape {
                    scalar: None,
                    mutable: true,
                },
            ],
            tables: vec![SlotKind::FuncRef],
            func_refs: 3,
            builtins: Vec::new(),
        },
    );

    let mut env = TestEnv::new(64, 2);
    let mut table = vec![1u64, 2, 3, 4];
    let view = TableView {
        elements: table.as_mut_ptr(),
        len: table.len(),
    };
    let targets = [
        FuncRefTarget {
            type_id: 1,
            instance_id: 0,
            func: 1,
        },
        FuncRefTarget {
            type_id: 1,
            instance_id: 0,
            func: 2,
        },
        FuncRefTarget {
            type_id: 1,
            instance_id: 0,
            func: 1,
        },
    ];
    let func_refs = [1u64, 2, 3];
    let type_ids = [1u64];
    env.refresh();
    // SAFETY: all of these outlive the call below.
    unsafe {
        env.env.set_tables(&view, 1);
        env.env.set_funcref_targets(targets.as_ptr(), targets.len());
        env.env.set_func_refs(func_refs.as_ptr(), func_refs.len());
        env.env.set_type_ids(type_ids.as_ptr(), type_ids.len());
    }
    let mut interpreter = Interpreter::default();
    // SAFETY: `env` and what it points to outlive the call.
    let env = unsafe { EnvironmentRef::new(env.env_ptr()) };
    let exit = interpreter
        .call(&p, env, FuncIndex(0), &[ITERATIONS])
        .unwrap();
    assert_eq!(exit, Exit::Returned);
    assert_eq!(interpreter.results(), &[ITERATIONS]);
    let total = ITERATIONS as usize * ops_per_iteration;
    assert!(total > 20_000_000, "only {total} ops");
    drop(table);
}

#[test]
fn handlers_never_grow_the_native_stack() {
    eprintln!("dispatch mode: {DISPATCH:?}");
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(torture)
        .unwrap()
        .join()
        .expect("the torture run finished on a 256 KiB stack");
}
