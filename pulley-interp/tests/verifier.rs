//! The verifier's semantic checks on hand-written bytecode: references come
//! from ops that produce them (the slot-kind dataflow), globals are accessed
//! by their types, and code that claims fuel charges it. Each forgery here is
//! something compiled wasm cannot do.

mod common;

use common::{FunctionBuilder, try_program};
use pulley_interp::{Claims, EnvironmentShape, GlobalShape, Signature, SlotKind, VerifyError};
use pulley_isa::{
    FuncIndex, FuncRefIndex, GlobalIndex, ImportIndex, OwnedOp, Slot, TableIndex, TypeIndex,
};

const fn r(i: u16) -> Slot {
    Slot(i)
}

const FUNCREF: SlotKind = SlotKind::FuncRef;
const EXTERNREF: SlotKind = SlotKind::ExternRef;
const NUMBER: SlotKind = SlotKind::Number;

/// Type 0: `() -> ()`; type 1: `(funcref) -> ()`; type 2: `() -> funcref`;
/// type 3: `(externref) -> ()`; one funcref table; one function reference.
fn shape() -> EnvironmentShape {
    let signature = |params: &[SlotKind], results: &[SlotKind]| Signature {
        params: params.to_vec(),
        results: results.to_vec(),
    };
    EnvironmentShape {
        types: vec![
            signature(&[], &[]),
            signature(&[FUNCREF], &[]),
            signature(&[], &[FUNCREF]),
            signature(&[EXTERNREF], &[]),
        ],
        tables: vec![FUNCREF],
        func_refs: 1,
        ..EnvironmentShape::default()
    }
}

fn verify(functions: &[&FunctionBuilder], shape: EnvironmentShape) -> Result<(), VerifyError> {
    try_program(functions, shape, Claims::default()).map(|_| ())
}

/// `call_ref` of `callee`, type `() -> ()`, then `ret`.
fn call_ref_then_return(f: &mut FunctionBuilder, callee: u16) {
    f.op(OwnedOp::CallRef {
        callee: r(callee),
        ty: TypeIndex(0),
        args: vec![],
        results: vec![],
    })
    .op(OwnedOp::Ret { values: vec![] });
}

fn rejects_slot(result: Result<(), VerifyError>, slot: u16, expected: SlotKind, found: SlotKind) {
    match result {
        Err(VerifyError::KindMismatch {
            slot: s,
            expected: e,
            found: f,
            ..
        }) if (s, e, f) == (slot, expected, found) => {}
        other => panic!("expected slot {slot} refused as a {expected:?}, got {other:?}"),
    }
}

#[test]
fn integers_cannot_be_called_as_function_references() {
    let mut f = FunctionBuilder::new(1, 0, 0);
    f.op(OwnedOp::Xconst8 { dst: r(0), imm: 5 });
    call_ref_then_return(&mut f, 0);
    rejects_slot(verify(&[&f], shape()), 0, FUNCREF, NUMBER);
}

#[test]
fn references_from_ref_func_tables_and_parameters_and_null_can_be_called() {
    let sources = [
        OwnedOp::RefFunc {
            dst: r(0),
            func: FuncRefIndex(0),
        },
        OwnedOp::TableGet {
            dst: r(0),
            table: TableIndex(0),
            index: r(1),
        },
        OwnedOp::Xconst8 { dst: r(0), imm: 0 },
        OwnedOp::Mov {
            dst: r(0),
            src: r(2),
        },
    ];
    for source in sources {
        let mut f = FunctionBuilder::new(3, 0, 0);
        f.op(OwnedOp::RefFunc {
            dst: r(2),
            func: FuncRefIndex(0),
        })
        .op(source.clone());
        call_ref_then_return(&mut f, 0);
        assert_eq!(verify(&[&f], shape()), Ok(()), "{source:?}");
    }
    // A funcref parameter (type 1), also past the size up to which ops are
    // kept decoded.
    for padded in [false, true] {
        let mut f = FunctionBuilder::new(2, 1, 0);
        f.typed(1);
        if padded {
            pad(&mut f, 1);
        }
        call_ref_then_return(&mut f, 0);
        assert_eq!(verify(&[&f], shape()), Ok(()), "padded: {padded}");
    }
}

#[test]
fn arithmetic_on_a_reference_gives_a_number() {
    let mut f = FunctionBuilder::new(1, 0, 0);
    f.op(OwnedOp::RefFunc {
        dst: r(0),
        func: FuncRefIndex(0),
    })
    .op(OwnedOp::Xadd64Imm {
        dst: r(0),
        a: r(0),
        b: 1,
    });
    call_ref_then_return(&mut f, 0);
    rejects_slot(verify(&[&f], shape()), 0, FUNCREF, NUMBER);
}

/// if r0 { r1 = then } else { r1 = otherwise }; call_ref r1.
fn joined(then: OwnedOp, otherwise: OwnedOp) -> Result<(), VerifyError> {
    let mut f = FunctionBuilder::new(2, 1, 0);
    f.branch("else", |target| OwnedOp::BrIfNot32 { cond: r(0), target })
        .op(then)
        .branch("join", |target| OwnedOp::Jump { target })
        .label("else")
        .op(otherwise)
        .label("join");
    call_ref_then_return(&mut f, 1);
    verify(&[&f], shape())
}

#[test]
fn a_reference_on_every_path_is_one_and_on_some_is_not() {
    let func = || OwnedOp::RefFunc {
        dst: r(1),
        func: FuncRefIndex(0),
    };
    let constant = |imm| OwnedOp::Xconst8 { dst: r(1), imm };
    assert_eq!(joined(func(), func()), Ok(()));
    assert_eq!(
        joined(func(), constant(0)),
        Ok(()),
        "null joins a reference"
    );
    rejects_slot(joined(func(), constant(7)), 1, FUNCREF, NUMBER);
    rejects_slot(joined(constant(7), func()), 1, FUNCREF, NUMBER);
    // A select of a reference and a number is not a reference either.
    let mut f = FunctionBuilder::new(3, 1, 0);
    f.op(func())
        .op(OwnedOp::Xconst8 { dst: r(2), imm: 9 })
        .op(OwnedOp::Xselect32 {
            dst: r(1),
            cond: r(0),
            if_true: r(1),
            if_false: r(2),
        });
    call_ref_then_return(&mut f, 1);
    rejects_slot(verify(&[&f], shape()), 1, FUNCREF, NUMBER);
}

/// Prepends enough ops to take a function's code past the size beyond which
/// the verifier does not keep its ops decoded but decodes them again where
/// the semantic passes need them (64 KiB): 22,000 three-byte `xconst8`s to
/// `slot`.
fn pad(f: &mut FunctionBuilder, slot: u16) {
    for _ in 0..22_000 {
        f.op(OwnedOp::Xconst8 {
            dst: r(slot),
            imm: 0,
        });
    }
}

#[test]
fn a_loop_that_overwrites_a_reference_is_walked_again() {
    for padded in [false, true] {
        rejects_slot(loop_that_overwrites_a_reference(padded), 1, FUNCREF, NUMBER);
    }
}

fn loop_that_overwrites_a_reference(padded: bool) -> Result<(), VerifyError> {
    // r1 = ref.func; loop: call_ref r1; r1 = 3; br_if r0 loop. The first walk
    // of the loop sees a reference; the back edge brings a number.
    let mut f = FunctionBuilder::new(2, 1, 0);
    if padded {
        pad(&mut f, 1);
    }
    f.op(OwnedOp::RefFunc {
        dst: r(1),
        func: FuncRefIndex(0),
    })
    .label("loop")
    .op(OwnedOp::CallRef {
        callee: r(1),
        ty: TypeIndex(0),
        args: vec![],
        results: vec![],
    })
    .op(OwnedOp::Xconst8 { dst: r(1), imm: 3 })
    .branch("loop", |target| OwnedOp::BrIf32 { cond: r(0), target })
    .op(OwnedOp::Ret { values: vec![] });
    verify(&[&f], shape())
}

#[test]
fn extern_references_are_not_function_references() {
    // An externref parameter (type 3) called, and stored in a funcref table.
    let mut f = FunctionBuilder::new(1, 1, 0);
    f.typed(3);
    call_ref_then_return(&mut f, 0);
    rejects_slot(verify(&[&f], shape()), 0, FUNCREF, EXTERNREF);
    let mut f = FunctionBuilder::new(2, 1, 0);
    f.typed(3)
        .op(OwnedOp::Xconst8 { dst: r(1), imm: 0 })
        .op(OwnedOp::TableSet {
            table: TableIndex(0),
            index: r(1),
            value: r(0),
        })
        .op(OwnedOp::Ret { values: vec![] });
    rejects_slot(verify(&[&f], shape()), 0, FUNCREF, EXTERNREF);
}

#[test]
fn calls_and_returns_are_typed_by_their_callee() {
    // A number passed for a funcref parameter (func 1 has type 1).
    let mut f0 = FunctionBuilder::new(1, 0, 0);
    f0.op(OwnedOp::Xconst8 { dst: r(0), imm: 4 })
        .op(OwnedOp::Call {
            func: FuncIndex(1),
            args: vec![r(0)],
            results: vec![],
        })
        .op(OwnedOp::Ret { values: vec![] });
    let mut f1 = FunctionBuilder::new(1, 1, 0);
    f1.typed(1).op(OwnedOp::Ret { values: vec![] });
    rejects_slot(verify(&[&f0, &f1], shape()), 0, FUNCREF, NUMBER);

    // A number returned as a funcref (type 2).
    let mut f = FunctionBuilder::new(1, 0, 1);
    f.typed(2)
        .op(OwnedOp::Xconst8 { dst: r(0), imm: 4 })
        .op(OwnedOp::Ret { values: vec![r(0)] });
    rejects_slot(verify(&[&f], shape()), 0, FUNCREF, NUMBER);

    // An import's externref result returned as a funcref.
    let mut shape_with_import = shape();
    shape_with_import.types.push(Signature {
        params: vec![],
        results: vec![EXTERNREF],
    });
    shape_with_import.imports = vec![4];
    let mut f = FunctionBuilder::new(1, 0, 1);
    f.typed(2)
        .op(OwnedOp::CallImport {
            import: ImportIndex(0),
            args: vec![],
            results: vec![r(0)],
        })
        .op(OwnedOp::Ret { values: vec![r(0)] });
    rejects_slot(verify(&[&f], shape_with_import), 0, FUNCREF, EXTERNREF);

    // A tail call of a function returning a number, from one returning a
    // funcref.
    let mut f0 = FunctionBuilder::new(1, 0, 1);
    f0.typed(2).op(OwnedOp::ReturnCall {
        func: FuncIndex(1),
        args: vec![],
    });
    let mut f1 = FunctionBuilder::new(1, 0, 1);
    f1.op(OwnedOp::Xconst8 { dst: r(0), imm: 4 })
        .op(OwnedOp::Ret { values: vec![r(0)] });
    assert!(matches!(
        verify(&[&f0, &f1], shape()),
        Err(VerifyError::ResultKindMismatch {
            result: 0,
            expected: FUNCREF,
            found: NUMBER,
            ..
        })
    ));
}

#[test]
fn globals_are_accessed_by_their_type() {
    let mut shape = shape();
    shape.globals = vec![
        GlobalShape {
            scalar: Some(NUMBER),
            mutable: false,
        },
        GlobalShape {
            scalar: None,
            mutable: true,
        },
        GlobalShape {
            scalar: Some(FUNCREF),
            mutable: true,
        },
    ];
    let misuse = |op: OwnedOp| {
        let mut f = FunctionBuilder::new(2, 0, 0);
        f.op(OwnedOp::Xconst8 { dst: r(0), imm: 1 })
            .op(op)
            .op(OwnedOp::Ret { values: vec![] });
        verify(&[&f], shape.clone())
    };
    let global_set = |global| OwnedOp::GlobalSet {
        global: GlobalIndex(global),
        src: r(0),
    };
    assert!(matches!(
        misuse(global_set(0)),
        Err(VerifyError::GlobalMisuse {
            why: "it is immutable",
            ..
        })
    ));
    assert!(matches!(
        misuse(global_set(1)),
        Err(VerifyError::GlobalMisuse { global: 1, .. })
    ));
    rejects_slot(misuse(global_set(2)), 0, FUNCREF, NUMBER);
    if cfg!(feature = "simd") {
        assert!(matches!(
            misuse(OwnedOp::VglobalSet {
                global: GlobalIndex(2),
                src_lo: r(0),
                src_hi: r(1),
            }),
            Err(VerifyError::GlobalMisuse { global: 2, .. })
        ));
    }
    // A funcref global's value is a reference.
    let mut f = FunctionBuilder::new(1, 0, 0);
    f.op(OwnedOp::GlobalGet {
        dst: r(0),
        global: GlobalIndex(2),
    });
    call_ref_then_return(&mut f, 0);
    assert_eq!(verify(&[&f], shape.clone()), Ok(()));
}

/// A counting loop that calls function 1 each time, with a charge at the
/// places `charge` names ("entry", "loop", "after call").
fn metered(charges: &[&str], amount: u32) -> Result<(), VerifyError> {
    metered_with(charges, amount, false)
}

/// [`metered`], its first function padded past the size up to which the
/// verifier keeps ops decoded ([`pad`]) if `padded`.
fn metered_with(charges: &[&str], amount: u32, padded: bool) -> Result<(), VerifyError> {
    let charge = |f: &mut FunctionBuilder, place: &str| {
        if charges.contains(&place) {
            f.op(OwnedOp::ConsumeFuel { amount });
        }
    };
    let mut f0 = FunctionBuilder::new(2, 1, 0);
    charge(&mut f0, "entry");
    if padded {
        pad(&mut f0, 1);
    }
    f0.label("loop");
    charge(&mut f0, "loop");
    f0.op(OwnedOp::Call {
        func: FuncIndex(1),
        args: vec![],
        results: vec![],
    });
    charge(&mut f0, "after call");
    f0.op(OwnedOp::Xadd32Imm {
        dst: r(0),
        a: r(0),
        b: -1,
    })
    .branch("loop", |target| OwnedOp::BrIf32 { cond: r(0), target })
    .op(OwnedOp::Ret { values: vec![] });
    let mut f1 = FunctionBuilder::new(1, 0, 0);
    f1.op(OwnedOp::Ret { values: vec![] });
    let claims = Claims { charges_fuel: true };
    try_program(&[&f0, &f1], EnvironmentShape::default(), claims).map(|_| ())
}

fn refused(result: Result<(), VerifyError>, why: &str) {
    match result {
        Err(VerifyError::FuelNotCharged { why: w, .. }) if w.contains(why) => {}
        other => panic!("expected a fuel refusal ({why}), got {other:?}"),
    }
}

#[test]
fn code_that_claims_fuel_charges_it_before_calls_and_around_cycles() {
    assert_eq!(metered(&["loop"], 1), Ok(()));
    assert_eq!(metered(&["entry", "after call"], 1), Ok(()));
    refused(metered(&[], 1), "call");
    // Charged before the first call only: the loop comes back to the call
    // from the previous call's return without a charge.
    refused(metered(&["entry"], 1), "call");
    refused(metered(&["loop"], 0), "charges no fuel");
    // The same, in a function too large to keep decoded.
    assert_eq!(metered_with(&["loop"], 1, true), Ok(()));
    refused(metered_with(&["entry"], 1, true), "call");
    refused(metered_with(&["loop"], 0, true), "charges no fuel");
    // Without the claim, nothing is required.
    let mut f = FunctionBuilder::new(1, 0, 0);
    f.label("spin")
        .branch("spin", |target| OwnedOp::Jump { target });
    assert!(try_program(&[&f], EnvironmentShape::default(), Claims::default()).is_ok());
    refused(
        try_program(
            &[&f],
            EnvironmentShape::default(),
            Claims { charges_fuel: true },
        )
        .map(|_| ()),
        "cycle",
    );
}

#[test]
fn builtins_are_typed_by_the_embedder() {
    let mut shape = shape();
    shape.builtins = vec![Signature {
        params: vec![NUMBER, FUNCREF],
        results: vec![],
    }];
    let mut f = FunctionBuilder::new(2, 0, 0);
    f.op(OwnedOp::Xconst8 { dst: r(0), imm: 1 })
        .op(OwnedOp::CallBuiltin {
            builtin: pulley_isa::BuiltinIndex(0),
            args: vec![r(0), r(0)],
            results: vec![],
        })
        .op(OwnedOp::Ret { values: vec![] });
    rejects_slot(verify(&[&f], shape.clone()), 0, FUNCREF, NUMBER);
    // An index past the embedder's builtins.
    let mut f = FunctionBuilder::new(1, 0, 0);
    f.op(OwnedOp::CallBuiltin {
        builtin: pulley_isa::BuiltinIndex(1),
        args: vec![],
        results: vec![],
    })
    .op(OwnedOp::Ret { values: vec![] });
    assert!(matches!(
        verify(&[&f], shape),
        Err(VerifyError::IndexOutOfRange {
            what: "builtin",
            ..
        })
    ));
}
