//! Lazy programs: functions that get their code at their first call
//! (`Program::lazy`, `Exit::Compile`, `Program::install`,
//! `Interpreter::finish_first_call`).

mod common;

use std::sync::Arc;

use common::{FunctionBuilder, TestEnv, assemble, number_types, run};
use pulley_interp::{
    CallError, Claims, CodeVersion, Config, EnvironmentShape, Exit, Interpreter, Program,
    ProgramCode, Signature, SlotKind, Verification, VerifyError,
};
use pulley_isa::{FuncIndex, OwnedOp, Slot, TrapCode};

fn r(i: u16) -> Slot {
    Slot(i)
}

/// func 0 (type 0: one parameter, one result) returns `f1(x) + 1`; func 1
/// (type 0) returns `x * 2`, or divides by zero when `x` is 0.
fn functions() -> Vec<FunctionBuilder> {
    let mut f0 = FunctionBuilder::new(3, 1, 1);
    f0.typed(0)
        .op(OwnedOp::Call {
            func: FuncIndex(1),
            args: vec![r(0)],
            results: vec![r(1)],
        })
        .op(OwnedOp::Xadd64Imm {
            dst: r(1),
            a: r(1),
            b: 1,
        })
        .op(OwnedOp::Ret { values: vec![r(1)] });
    let mut f1 = FunctionBuilder::new(2, 1, 1);
    f1.typed(0)
        .op(OwnedOp::Xadd64 {
            dst: r(1),
            a: r(0),
            b: r(0),
        })
        .label("nonzero")
        .op(OwnedOp::Xdiv64U {
            dst: r(0),
            a: r(1),
            b: r(0),
        })
        .op(OwnedOp::Ret { values: vec![r(1)] });
    vec![f0, f1]
}

fn shape() -> EnvironmentShape {
    EnvironmentShape {
        types: number_types(&[(1, 1)]),
        ..EnvironmentShape::default()
    }
}

/// A lazy program names every type of its shape: the environment gives a
/// signature id for each.
fn test_env() -> TestEnv {
    static TYPE_IDS: [u64; 1] = [1];
    let mut env = TestEnv::new(0, 0);
    // SAFETY: a static, readable for as long as any call runs.
    unsafe { env.env.set_type_ids(TYPE_IDS.as_ptr(), TYPE_IDS.len()) };
    env
}

fn lazy_program() -> Arc<Program> {
    Arc::new(Program::lazy(&[0, 0], shape(), Claims::default()).unwrap())
}

/// Each function's own code and frame size, as a compiler would give them.
fn compiled(func: usize) -> (Vec<u8>, u32) {
    let functions = functions();
    let (code, infos) = assemble(&[&functions[func]]);
    (code, infos[0].frame_slots)
}

/// Serves `Exit::Compile` by installing the function's code, until another
/// exit.
fn serve_compiles(interp: &mut Interpreter, program: &Program, mut exit: Exit) -> (Exit, Vec<u32>) {
    let mut compiled_now = Vec::new();
    while let Exit::FirstCall(func) = exit {
        let (code, frame_slots) = compiled(func.index());
        program.install(func, code, frame_slots).unwrap();
        compiled_now.push(func.0);
        exit = interp.finish_first_call().unwrap();
    }
    (exit, compiled_now)
}

#[test]
fn functions_are_compiled_at_their_first_call_and_once() {
    let program = lazy_program();
    assert!(program.is_lazy());
    let mut interp = Interpreter::default();
    let mut env = test_env();
    let (exit, _) = run(&mut interp, &program, &mut env, 0, &[5]);
    assert_eq!(exit, Exit::FirstCall(FuncIndex(0)));
    let (exit, compiled_now) = serve_compiles(&mut interp, &program, exit);
    assert_eq!(exit, Exit::Returned);
    assert_eq!(compiled_now, [0, 1]);
    assert_eq!(interp.results(), [11]);
    // Installed now: no more exits, in this interpreter or another.
    assert_eq!(
        run(&mut interp, &program, &mut env, 0, &[7]),
        (Exit::Returned, vec![15])
    );
    let mut other = Interpreter::default();
    assert_eq!(
        run(&mut other, &program, &mut env, 1, &[4]),
        (Exit::Returned, vec![8])
    );
    assert_eq!(
        program.function_code(FuncIndex(1)),
        Some(&compiled(1).0[..])
    );
}

#[test]
fn a_second_install_keeps_the_first_code() {
    let program = lazy_program();
    let (code, frame_slots) = compiled(1);
    program
        .install(FuncIndex(1), code.clone(), frame_slots)
        .unwrap();
    let first = program.function_code(FuncIndex(1)).unwrap().as_ptr();
    program.install(FuncIndex(1), code, frame_slots).unwrap();
    assert_eq!(program.function_code(FuncIndex(1)).unwrap().as_ptr(), first);
}

#[test]
fn installed_code_is_verified() {
    let program = lazy_program();
    // A slot outside the frame.
    let (code, _) = compiled(1);
    assert!(matches!(
        program.install(FuncIndex(1), code, 1),
        Err(VerifyError::SlotOutOfFrame { func: 1, .. })
    ));
    // A call passing the wrong number of arguments.
    let mut bad = FunctionBuilder::new(2, 1, 1);
    bad.op(OwnedOp::Call {
        func: FuncIndex(1),
        args: vec![],
        results: vec![r(1)],
    })
    .op(OwnedOp::Ret { values: vec![r(1)] });
    let (code, _) = assemble(&[&bad]);
    assert!(matches!(
        program.install(FuncIndex(0), code, 2),
        Err(VerifyError::ArityMismatch { func: 0, .. })
    ));
    // The interpreter's own pending entry.
    let mut pending = Vec::new();
    OwnedOp::FirstCall { func: FuncIndex(0) }
        .encode(&mut pending)
        .unwrap();
    assert!(matches!(
        program.install(FuncIndex(0), pending.clone(), 1),
        Err(VerifyError::RuntimeOnlyOp { func: 0, .. })
    ));
    // Nor may a complete program hold one.
    let info = pulley_interp::FunctionInfo {
        ty: 0,
        code_start: 0,
        code_end: pending.len() as u32,
        frame_slots: 1,
        params: 1,
        results: 1,
    };
    assert!(matches!(
        Program::new(pending, vec![info], shape(), Claims::default()),
        Err(VerifyError::RuntimeOnlyOp { func: 0, .. })
    ));
    // A function that does not exist.
    assert!(matches!(
        program.install(FuncIndex(2), compiled(1).0, 2),
        Err(VerifyError::NotPending { func: 2 })
    ));
    // Nothing was installed.
    assert_eq!(program.function_code(FuncIndex(0)), None);
    assert_eq!(program.function_code(FuncIndex(1)), None);
}

#[test]
fn finishing_before_installing_is_an_error() {
    let program = lazy_program();
    let mut interp = Interpreter::default();
    let mut env = test_env();
    let (exit, _) = run(&mut interp, &program, &mut env, 1, &[5]);
    assert_eq!(exit, Exit::FirstCall(FuncIndex(1)));
    assert_eq!(
        interp.finish_first_call(),
        Err(CallError::NotReady { func: 1 })
    );
    interp.abort().unwrap();
    assert_eq!(interp.depth(), 0);
}

#[test]
fn traps_in_lazy_code_carry_a_backtrace() {
    let program = lazy_program();
    let mut interp = Interpreter::default();
    let mut env = test_env();
    let (exit, _) = run(&mut interp, &program, &mut env, 0, &[0]);
    let (exit, _) = serve_compiles(&mut interp, &program, exit);
    assert_eq!(exit, Exit::Trap(TrapCode::IntegerDivisionByZero));
    let frames: Vec<(u32, usize)> = interp
        .trap_backtrace()
        .iter()
        .map(|p| (p.func.0, p.code_offset))
        .collect();
    // The division follows a 4-byte add in func 1; func 0 is inside its
    // call, its first op.
    let call_len = OwnedOp::Call {
        func: FuncIndex(1),
        args: vec![r(0)],
        results: vec![r(1)],
    }
    .encoded_len()
    .unwrap();
    assert_eq!(frames[0], (1, 4));
    assert_eq!(frames[1].0, 0);
    assert!(frames[1].1 < call_len, "{frames:?}");
    assert_eq!(frames.len(), 2);
}

#[test]
fn a_compiled_frame_that_does_not_fit_traps() {
    // Func 1's compiled frame (2 slots) does not fit where its pending
    // entry (1 slot, its parameter) did.
    let program = lazy_program();
    let mut interp = Interpreter::new(Config {
        stack_slots: 4,
        max_frames: 10,
    });
    let mut env = test_env();
    let (exit, _) = run(&mut interp, &program, &mut env, 0, &[5]);
    let (exit, compiled_now) = serve_compiles(&mut interp, &program, exit);
    assert_eq!(compiled_now, [0, 1]);
    assert_eq!(exit, Exit::Trap(TrapCode::StackOverflow));
    assert_eq!(interp.depth(), 0);
}

/// The two functions' code as one program's, verified at each first call.
fn verified_at_first_call(code: ProgramCode) -> Arc<Program> {
    let functions = functions();
    let (_, infos) = assemble(&[&functions[0], &functions[1]]);
    Arc::new(
        Program::with_code(
            code,
            infos,
            shape(),
            Claims::default(),
            Verification::AtFirstCall,
        )
        .unwrap(),
    )
}

fn both_functions_code() -> Vec<u8> {
    let functions = functions();
    assemble(&[&functions[0], &functions[1]]).0
}

/// Serves `Exit::FirstCall` by verifying the function in place.
fn serve_verification(interp: &mut Interpreter, program: &Program, mut exit: Exit) -> Exit {
    while let Exit::FirstCall(func) = exit {
        program.verify_pending(func).unwrap();
        exit = interp.finish_first_call().unwrap();
    }
    exit
}

#[test]
fn code_verified_at_first_call_runs_in_place() {
    static CODE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let code: &'static [u8] = CODE.get_or_init(both_functions_code);
    let program = verified_at_first_call(ProgramCode::Static(code));
    assert!(program.is_lazy());
    assert_eq!(program.function_code(FuncIndex(1)), None);
    let mut interp = Interpreter::default();
    let mut env = test_env();
    let (exit, _) = run(&mut interp, &program, &mut env, 0, &[5]);
    assert_eq!(exit, Exit::FirstCall(FuncIndex(0)));
    assert_eq!(
        serve_verification(&mut interp, &program, exit),
        Exit::Returned
    );
    assert_eq!(interp.results(), [11]);
    // The code that ran is the caller's buffer itself.
    let function = program.function_code(FuncIndex(1)).unwrap();
    assert!(code.as_ptr_range().contains(&function.as_ptr()));
    assert_eq!(program.code().as_ptr(), code.as_ptr());
    // Backtraces find functions verified in place.
    let (exit, _) = run(&mut interp, &program, &mut env, 0, &[0]);
    assert_eq!(exit, Exit::Trap(TrapCode::IntegerDivisionByZero));
    let funcs: Vec<u32> = interp.trap_backtrace().iter().map(|p| p.func.0).collect();
    assert_eq!(funcs, [1, 0]);
}

#[test]
fn a_forged_function_is_refused_at_its_first_call() {
    let mut code = both_functions_code();
    let functions = functions();
    let (_, infos) = assemble(&[&functions[0], &functions[1]]);
    // Function 1's `ret` names a slot outside its 2-slot frame.
    let last = infos[1].code_end as usize - 1;
    code[last] = 9;
    let program = verified_at_first_call(code.into());
    let mut interp = Interpreter::default();
    let mut env = test_env();
    let (exit, _) = run(&mut interp, &program, &mut env, 0, &[5]);
    assert_eq!(exit, Exit::FirstCall(FuncIndex(0)));
    program.verify_pending(FuncIndex(0)).unwrap();
    assert_eq!(
        interp.finish_first_call().unwrap(),
        Exit::FirstCall(FuncIndex(1))
    );
    assert!(matches!(
        program.verify_pending(FuncIndex(1)),
        Err(VerifyError::SlotOutOfFrame { func: 1, .. })
    ));
    assert_eq!(
        interp.finish_first_call(),
        Err(CallError::NotReady { func: 1 })
    );
    interp.abort().unwrap();
    // Still refused, and never run.
    assert!(program.verify_pending(FuncIndex(1)).is_err());
    assert_eq!(program.function_code(FuncIndex(1)), None);
}

#[test]
fn code_ranges_are_checked_up_front() {
    let functions = functions();
    let (code, mut infos) = assemble(&[&functions[0], &functions[1]]);
    infos[1].code_end = code.len() as u32 + 1;
    assert!(matches!(
        Program::with_code(
            code.into(),
            infos,
            shape(),
            Claims::default(),
            Verification::AtFirstCall
        ),
        Err(VerifyError::FunctionOutOfCode { func: 1, .. })
    ));
    // Readying the wrong way is refused.
    let program = verified_at_first_call(both_functions_code().into());
    assert!(matches!(
        program.install(FuncIndex(0), compiled(0).0, 3),
        Err(VerifyError::NotPending { func: 0 })
    ));
    assert!(matches!(
        lazy_program().verify_pending(FuncIndex(0)),
        Err(VerifyError::NotPending { func: 0 })
    ));
}

// --- Tiering up -------------------------------------------------------------

/// Function `func`'s code counting toward tiering up at its entry, as the
/// baseline tier installs it. (Branch targets are relative: the code moves
/// unchanged.)
fn counting(func: usize) -> (Vec<u8>, u32) {
    counting_by(func, 1)
}

/// [`counting`], each call counting `weight` units.
fn counting_by(func: usize, weight: u8) -> (Vec<u8>, u32) {
    let (code, frame_slots) = compiled(func);
    let mut counting = Vec::new();
    OwnedOp::HotCount {
        func: FuncIndex(func as u32),
        weight,
    }
    .encode(&mut counting)
    .unwrap();
    counting.extend(code);
    (counting, frame_slots)
}

/// A lazy program counting to `threshold`, with func 0 installed as
/// compiled and func 1 as counting code.
fn counting_program(threshold: u32) -> Arc<Program> {
    let mut program = Program::lazy(&[0, 0], shape(), Claims::default()).unwrap();
    program.set_tier_up_threshold(threshold);
    let (code, frame_slots) = compiled(0);
    program.install(FuncIndex(0), code, frame_slots).unwrap();
    let (code, frame_slots) = counting(1);
    program.install(FuncIndex(1), code, frame_slots).unwrap();
    Arc::new(program)
}

/// Calls func 1 three times: the first two return, the third stops to
/// tier up at its entry.
fn third_call_tiers_up(interp: &mut Interpreter, program: &Arc<Program>, env: &mut TestEnv) {
    for _ in 0..2 {
        assert_eq!(
            run(interp, program, env, 1, &[4]),
            (Exit::Returned, vec![8])
        );
    }
    let (exit, _) = run(interp, program, env, 1, &[4]);
    assert_eq!(
        exit,
        Exit::TierUp {
            func: FuncIndex(1),
            at_loop: None
        }
    );
}

#[test]
fn hot_code_stops_to_tier_up_and_later_calls_enter_the_upgrade() {
    let program = counting_program(3);
    let mut interp = Interpreter::default();
    let mut env = test_env();
    // Two calls count; the third's count runs out at its entry.
    third_call_tiers_up(&mut interp, &program, &mut env);
    let (code, frame_slots) = compiled(1);
    program.upgrade(FuncIndex(1), code, frame_slots).unwrap();
    assert!(program.is_upgraded(FuncIndex(1)));
    // The stopped call goes on in its first code, after the count.
    assert_eq!(interp.finish_tier_up(), Ok(Exit::Returned));
    assert_eq!(interp.results(), [8]);
    // Later calls, direct or from func 0, and in another interpreter,
    // enter the upgraded code, which counts no more.
    for _ in 0..5 {
        assert_eq!(
            run(&mut interp, &program, &mut env, 1, &[4]),
            (Exit::Returned, vec![8])
        );
        assert_eq!(
            run(&mut interp, &program, &mut env, 0, &[4]),
            (Exit::Returned, vec![9])
        );
    }
    let mut other = Interpreter::default();
    assert_eq!(
        run(&mut other, &program, &mut env, 1, &[2]),
        (Exit::Returned, vec![4])
    );
    // A trap in the upgraded code says so in its backtrace.
    let (exit, _) = run(&mut interp, &program, &mut env, 0, &[0]);
    assert_eq!(exit, Exit::Trap(TrapCode::IntegerDivisionByZero));
    let frames: Vec<(u32, CodeVersion)> = interp
        .trap_backtrace()
        .iter()
        .map(|p| (p.func.0, p.code))
        .collect();
    assert_eq!(
        frames,
        [(1, CodeVersion::Upgraded), (0, CodeVersion::First)]
    );
}

#[test]
fn a_call_counts_its_weight() {
    // 250 units, 100 a call: two calls count (150, then 50 left), the
    // third's runs out.
    let mut program = Program::lazy(&[0, 0], shape(), Claims::default()).unwrap();
    program.set_tier_up_threshold(250);
    let (code, frame_slots) = counting_by(1, 100);
    program.install(FuncIndex(1), code, frame_slots).unwrap();
    let program = Arc::new(program);
    let mut interp = Interpreter::default();
    let mut env = test_env();
    third_call_tiers_up(&mut interp, &program, &mut env);
}

#[test]
fn a_tier_up_without_an_upgrade_goes_on_counting() {
    let program = counting_program(2);
    let mut interp = Interpreter::default();
    let mut env = test_env();
    assert_eq!(
        run(&mut interp, &program, &mut env, 1, &[4]),
        (Exit::Returned, vec![8])
    );
    let (exit, _) = run(&mut interp, &program, &mut env, 1, &[4]);
    assert_eq!(
        exit,
        Exit::TierUp {
            func: FuncIndex(1),
            at_loop: None
        }
    );
    // The embedder declines (its compiler failed, or works elsewhere).
    assert_eq!(interp.finish_tier_up(), Ok(Exit::Returned));
    assert_eq!(interp.results(), [8]);
    // The count starts again, much higher: no stop for a while.
    for _ in 0..1000 {
        assert_eq!(
            run(&mut interp, &program, &mut env, 1, &[4]),
            (Exit::Returned, vec![8])
        );
    }
    assert!(!program.is_upgraded(FuncIndex(1)));
    // Finishing a tier-up that is not waiting is misuse.
    assert!(matches!(
        interp.finish_tier_up(),
        Err(CallError::NotSuspended { .. })
    ));
}

#[test]
fn counting_ops_are_refused_outside_code_installed_lazily() {
    // In a program's own code (an artifact's).
    let functions = functions();
    let (plain, mut infos) = assemble(&[&functions[1]]);
    let (code, _) = counting(1);
    infos[0].code_end += (code.len() - plain.len()) as u32;
    assert!(matches!(
        Program::new(code.clone(), infos.clone(), shape(), Claims::default()),
        Err(VerifyError::LazyOnlyOp { func: 0, at: 0, .. })
    ));
    // In code verified at its first call.
    let program = Program::with_code(
        code.into(),
        infos,
        shape(),
        Claims::default(),
        Verification::AtFirstCall,
    )
    .unwrap();
    assert!(matches!(
        program.verify_pending(FuncIndex(0)),
        Err(VerifyError::LazyOnlyOp { .. })
    ));
    // In upgraded code: it would count toward another upgrade.
    let program = counting_program(10);
    let (code, frame_slots) = counting(1);
    assert!(matches!(
        program.upgrade(FuncIndex(1), code, frame_slots),
        Err(VerifyError::LazyOnlyOp { .. })
    ));
    // And only functions that have their first code are upgraded.
    let program = lazy_program();
    let (code, frame_slots) = compiled(1);
    assert!(matches!(
        program.upgrade(FuncIndex(1), code, frame_slots),
        Err(VerifyError::NotPending { func: 1 })
    ));
}

// --- On-stack replacement ---------------------------------------------------

/// The wasm offset the loop of `summing` stands for.
const HEADER: u32 = 0x42;

/// Function 1's first code: sums `n + (n - 1) + ... + 1` in a loop whose
/// header counts (`hot_loop`); the sum in slot 1.
fn summing() -> (Vec<u8>, u32) {
    let mut f = FunctionBuilder::new(2, 1, 1);
    f.typed(0)
        .op(OwnedOp::Xconst8 { dst: r(1), imm: 0 })
        .label("header")
        .op(OwnedOp::HotLoop {
            func: FuncIndex(1),
            header: HEADER,
        });
    sum_loop(&mut f)
}

/// The rest of `summing`'s loop from its header on, and its return; the
/// function's code and frame size.
fn sum_loop(f: &mut FunctionBuilder) -> (Vec<u8>, u32) {
    f.op(OwnedOp::Xadd64 {
        dst: r(1),
        a: r(1),
        b: r(0),
    })
    .op(OwnedOp::Xadd64Imm {
        dst: r(0),
        a: r(0),
        b: -1,
    })
    .branch("header", |target| OwnedOp::BrIf64 { cond: r(0), target })
    .op(OwnedOp::Ret { values: vec![r(1)] });
    let (code, infos) = assemble(&[f]);
    (code, infos[0].frame_slots)
}

/// An on-stack entry at `summing`'s header, with the frame's two slots as
/// parameters: the same loop, adding 1000 once on entry (so that a result
/// shows the frame moved), with a frame of 3 slots.
fn summing_entry() -> (Vec<u8>, u32) {
    let mut f = FunctionBuilder::new(3, 2, 1);
    f.typed(0)
        .op(OwnedOp::Xadd64Imm {
            dst: r(1),
            a: r(1),
            b: 1000,
        })
        .label("header");
    sum_loop(&mut f)
}

#[test]
fn a_frame_at_a_hot_loop_header_moves_into_its_on_stack_entry() {
    let mut program = Program::lazy(&[0, 0], shape(), Claims::default()).unwrap();
    program.set_tier_up_threshold(5);
    let (code, frame_slots) = compiled(0);
    program.install(FuncIndex(0), code, frame_slots).unwrap();
    let (code, frame_slots) = summing();
    program.install(FuncIndex(1), code, frame_slots).unwrap();
    let program = Arc::new(program);
    let mut interp = Interpreter::default();
    let mut env = test_env();
    // The fifth iteration's count runs out at the header.
    let (exit, _) = run(&mut interp, &program, &mut env, 1, &[10]);
    let hot = Exit::TierUp {
        func: FuncIndex(1),
        at_loop: Some(HEADER),
    };
    assert_eq!(exit, hot);
    // Without an entry, the frame goes on in its first code.
    assert_eq!(interp.finish_tier_up(), Ok(Exit::Returned));
    assert_eq!(interp.results(), [55]);
    // With one, it moves: 10 + 9 + 8 + 7 in the first code, then 1000 and
    // the rest in the entry, whose frame is larger. (Another interpreter:
    // this one's count restarted much higher.)
    let mut interp = Interpreter::default();
    let (exit, _) = run(&mut interp, &program, &mut env, 1, &[10]);
    assert_eq!(exit, hot);
    let (code, frame_slots) = summing_entry();
    program
        .install_on_stack_entry(FuncIndex(1), HEADER, code, frame_slots, 2)
        .unwrap();
    assert!(program.has_on_stack_entry(FuncIndex(1), HEADER));
    assert_eq!(interp.finish_tier_up(), Ok(Exit::Returned));
    assert_eq!(interp.results(), [1055]);
    // A second entry for the header is dropped; the first stays.
    let (code, frame_slots) = compiled(1);
    program
        .install_on_stack_entry(FuncIndex(1), HEADER, code, frame_slots, 1)
        .unwrap();
    let mut interp = Interpreter::default();
    let (exit, _) = run(&mut interp, &program, &mut env, 1, &[10]);
    assert_eq!(exit, hot);
    assert_eq!(interp.finish_tier_up(), Ok(Exit::Returned));
    assert_eq!(interp.results(), [1055]);
}

#[test]
fn on_stack_entries_are_verified_with_untyped_parameters() {
    let program = counting_program(10);
    // Its parameters must fit its frame.
    let (code, _) = summing_entry();
    assert!(matches!(
        program.install_on_stack_entry(FuncIndex(1), HEADER, code, 3, 4),
        Err(VerifyError::BadFrame { func: 1, .. })
    ));
    // It may not count.
    let (code, frame_slots) = counting(1);
    assert!(matches!(
        program.install_on_stack_entry(FuncIndex(1), HEADER, code, frame_slots, 1),
        Err(VerifyError::LazyOnlyOp { .. })
    ));
    // Only functions that have their first code get entries.
    let (code, frame_slots) = summing_entry();
    assert!(matches!(
        lazy_program().install_on_stack_entry(FuncIndex(1), HEADER, code, frame_slots, 2),
        Err(VerifyError::NotPending { func: 1 })
    ));
    // No parameter holds a reference: an entry that returns one as a
    // function reference is refused, though a function whose type takes
    // a reference could return its parameter.
    let shape = EnvironmentShape {
        types: vec![Signature {
            params: vec![SlotKind::FuncRef],
            results: vec![SlotKind::FuncRef],
        }],
        ..EnvironmentShape::default()
    };
    let program = Program::lazy(&[0], shape, Claims::default()).unwrap();
    let mut identity = FunctionBuilder::new(1, 1, 1);
    identity.typed(0).op(OwnedOp::Ret { values: vec![r(0)] });
    let (code, infos) = assemble(&[&identity]);
    program
        .install(FuncIndex(0), code.clone(), infos[0].frame_slots)
        .unwrap();
    assert!(matches!(
        program.install_on_stack_entry(FuncIndex(0), HEADER, code, 1, 1),
        Err(VerifyError::KindMismatch { .. })
    ));
}
