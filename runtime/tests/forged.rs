//! Forged artifacts: bytecode edited by hand, with its checksum recomputed,
//! can do nothing that compiled code could not. Each forgery here worked
//! before the verifier typed slots (references) and proved fuel charging;
//! where an artifact would still load, the test runs it and checks that the
//! forgery achieved nothing.

use std::sync::{Arc, Mutex};

use pulley::{CompilationMode, Config, Engine, Error, ExternRef, Linker, Module, Store, Val};
use pulley_interp::VerifyError;
use pulley_isa::{Op, OwnedOp, Slot, decode_all};

/// `module`'s artifact with the first op that `pick` chooses replaced by
/// `dst = value` (the op's result slot), padded with `mov dst, dst` to the
/// op's length so that no branch moves.
/// A configuration that compiles modules whole, so that their bytecode can
/// be forged (`Module::compiled`).
fn eager() -> Config {
    let mut config = Config::new();
    config.compilation_mode(CompilationMode::Eager);
    config
}

fn forge_constant(module: &Module, value: i32, pick: impl Fn(&Op<'_>) -> Option<Slot>) -> Vec<u8> {
    let mut compiled = module.compiled().clone();
    let (at, len, dst) = decode_all(&compiled.code)
        .map(|decoded| decoded.expect("compiled code decodes"))
        .find_map(|(at, op)| Some((at, op.encoded_len().unwrap(), pick(&op)?)))
        .expect("the op to forge is in the code");
    let mut forged = Vec::new();
    OwnedOp::Xconst32 { dst, imm: value }
        .encode(&mut forged)
        .unwrap();
    while forged.len() < len {
        OwnedOp::Mov { dst, src: dst }.encode(&mut forged).unwrap();
    }
    assert_eq!(forged.len(), len, "no padding fits the forged op");
    compiled.code[at..at + len].copy_from_slice(&forged);
    let mut bytes = module.serialize().unwrap();
    let original = pulley_module::encode(&module.compiled(), &header(module));
    assert_eq!(bytes, original, "re-encoding reproduces the artifact");
    bytes = pulley_module::encode(&compiled, &header(module));
    pulley_module::reseal(&mut bytes);
    bytes
}

fn header(module: &Module) -> pulley_module::ArtifactHeader {
    let bytes = module.serialize().unwrap();
    pulley_module::decode_header(&bytes).unwrap()
}

/// A library whose private function calls the host's canary: nothing but a
/// forged reference can reach it from another instance.
const LIB: &str = r#"
(module
  (import "host" "canary" (func $canary))
  (func $private (call $canary))
  (func (export "public")))
"#;

/// Calls whatever its table holds at index 0 (its own function).
const MAIN: &str = r#"
(module
  (type $t (func))
  (table 1 funcref)
  (elem (i32.const 0) $own)
  (func $own)
  (func (export "main") (call_indirect (type $t) (i32.const 0))))
"#;

#[test]
fn a_forged_function_reference_cannot_reach_another_instance() {
    let engine = Engine::new(&eager());
    let main = Module::new(&engine, MAIN).unwrap();
    // Every store-wide handle a forger could guess, small ones included.
    for handle in 1..8 {
        let forged = forge_constant(&main, handle, |op| match op {
            Op::TableGet { dst, .. } => Some(*dst),
            _ => None,
        });
        let calls = Arc::new(Mutex::new(0));
        let mut linker = Linker::new(&engine);
        let counter = calls.clone();
        linker
            .func_wrap("host", "canary", move || *counter.lock().unwrap() += 1)
            .unwrap();
        let mut store = Store::new(&engine, ());
        let lib = Module::new(&engine, LIB).unwrap();
        linker.instantiate(&mut store, &lib).unwrap();
        match Module::deserialize(&engine, &forged) {
            Err(Error::Verify(VerifyError::KindMismatch { .. })) => {}
            Err(other) => panic!("rejected for another reason: {other}"),
            Ok(module) => {
                let instance = linker.instantiate(&mut store, &module).unwrap();
                let run = instance.get_func(&mut store, "main").unwrap();
                let _ = run.call(&mut store, &[], &mut []);
                assert_eq!(
                    *calls.lock().unwrap(),
                    0,
                    "handle {handle} reached the other instance's private function"
                );
                panic!("a forged reference (handle {handle}) was accepted");
            }
        }
    }
}

/// Returns its externref global, which holds null.
const EXTERN: &str = r#"
(module
  (global $g (mut externref) (ref.null extern))
  (func (export "get") (result externref) (global.get $g)))
"#;

#[test]
fn a_forged_extern_reference_cannot_reach_another_value() {
    let engine = Engine::new(&eager());
    let module = Module::new(&engine, EXTERN).unwrap();
    let forged = forge_constant(&module, 1, |op| match op {
        Op::GlobalGet { dst, .. } => Some(*dst),
        _ => None,
    });
    let mut store = Store::new(&engine, ());
    // Somebody else's value, handle 1 in this store.
    let _secret = ExternRef::new(&mut store, "secret");
    match Module::deserialize(&engine, &forged) {
        Err(Error::Verify(VerifyError::KindMismatch { .. })) => {}
        Err(other) => panic!("rejected for another reason: {other}"),
        Ok(module) => {
            let instance = Linker::new(&engine)
                .instantiate(&mut store, &module)
                .unwrap();
            let get = instance.get_func(&mut store, "get").unwrap();
            let mut results = [Val::ExternRef(None)];
            get.call(&mut store, &[], &mut results).unwrap();
            let leaked = match &results[0] {
                Val::ExternRef(Some(value)) => value.data(&store).is_some(),
                _ => false,
            };
            assert!(!leaked, "the forged handle reached another value");
            panic!("a forged reference was accepted");
        }
    }
}

/// Loops forever.
const SPIN: &str = r#"(module (func (export "spin") (loop (br 0))))"#;

#[test]
fn an_artifact_compiled_without_fuel_cannot_claim_it() {
    let module = Module::new(&Engine::new(&eager()), SPIN).unwrap();
    let mut bytes = module.serialize().unwrap();
    let mut metered = eager();
    metered.consume_fuel(true);
    let metered = Engine::new(&metered);
    let fuel = pulley_module::CodeFeatures { fuel: true };
    bytes[pulley_module::FEATURES_OFFSET] |= fuel.bits() as u8;
    pulley_module::reseal(&mut bytes);
    match Module::deserialize(&metered, &bytes) {
        Err(Error::Verify(VerifyError::FuelNotCharged { .. })) => {}
        Err(other) => panic!("rejected for another reason: {other}"),
        Ok(_) => panic!("code without fuel checks was accepted as charging fuel"),
    }
}

#[test]
fn forged_fuel_charges_are_refused() {
    // The charge in the loop removed (replaced by a no-op of its size).
    let mut config = eager();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, SPIN).unwrap();
    let mut compiled = module.compiled().clone();
    let charges: Vec<(usize, usize)> = decode_all(&compiled.code)
        .map(|decoded| decoded.unwrap())
        .filter(|(_, op)| matches!(op, Op::ConsumeFuel { .. }))
        .map(|(at, op)| (at, op.encoded_len().unwrap()))
        .collect();
    assert!(!charges.is_empty());
    for (at, len) in charges {
        // `consume_fuel 0` keeps the length and charges nothing.
        let mut free = Vec::new();
        OwnedOp::ConsumeFuel { amount: 0 }
            .encode(&mut free)
            .unwrap();
        assert_eq!(free.len(), len);
        compiled.code[at..at + len].copy_from_slice(&free);
    }
    let mut bytes = pulley_module::encode(&compiled, &header(&module));
    pulley_module::reseal(&mut bytes);
    match Module::deserialize(&engine, &bytes) {
        Err(Error::Verify(VerifyError::FuelNotCharged { .. })) => {}
        Err(other) => panic!("rejected for another reason: {other}"),
        Ok(_) => panic!("a loop that charges no fuel was accepted"),
    }
}
