//! Forged artifacts (`pulley_fuzz::forge`): libFuzzer's bytes pick the
//! generated module and the mutations of its artifact; whatever Pulley
//! accepts must behave as an artifact the compiler could have produced.
//! Accepted forgeries that claim fuel run beside the victim; those that
//! claim none are only loaded (nothing bounds their run: libFuzzer would
//! report a legitimate endless loop as a timeout; the `forge` runner runs
//! them in a child process with a deadline).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pulley_fuzz::forge::{self, ByteChoices, Case, Loaded};

fuzz_target!(|data: &[u8]| {
    // Byte 0: fuel and optimizer; bytes 1..3: how many of the rest make the
    // module (wasm-smith's input); the remainder chooses the mutations.
    let [flags, a, b, rest @ ..] = data else {
        return;
    };
    let split = usize::from(u16::from_le_bytes([*a, *b])).min(rest.len());
    let (module, choices) = rest.split_at(split);
    let Some(case) = Case::new(module, flags & 1 != 0, flags & 2 != 0) else {
        return;
    };
    let forgery = forge::forge(&case.artifact, &mut ByteChoices(choices));
    if let Loaded::Accepted { module, .. } = forge::load(&forgery.artifact, &case.code)
        && forge::claims_fuel(&forgery.artifact)
    {
        let run = forge::run(&module, &mut |_| {});
        assert!(
            run.failures.is_empty(),
            "mutations {:?}: {:?}",
            forgery.mutations,
            run.failures
        );
    }
});
