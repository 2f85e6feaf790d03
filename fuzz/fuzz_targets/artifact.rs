//! Arbitrary bytes, and artifacts with arbitrary changes, never crash
//! `Module::deserialize`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pulley::{Engine, Module};

fuzz_target!(|data: &[u8]| {
    let engine = Engine::default();
    let _ = Module::deserialize(&engine, data);
    // Also as a payload behind a valid header and checksum, to reach the
    // decoder, the consistency checks and the verifier.
    let module = pulley_module::CompiledModule::default();
    let header = pulley_module::ArtifactHeader {
        isa_hash: pulley_isa::ISA_HASH,
        flavour: pulley::Flavour::host(),
        features: pulley_module::CodeFeatures::default(),
    };
    let mut artifact = pulley_module::encode(&module, &header);
    artifact.truncate(41);
    artifact[25..33].copy_from_slice(&(data.len() as u64).to_le_bytes());
    artifact.extend_from_slice(data);
    pulley_module::reseal(&mut artifact);
    if let Ok(module) = Module::deserialize(&engine, &artifact) {
        let mut store = pulley::Store::new(&engine, ());
        let _ = pulley::Linker::new(&engine).instantiate(&mut store, &module);
    }
});
