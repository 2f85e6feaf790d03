//! Any valid module compiles for all four flavours, and to native code,
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pulley::{Config, Engine, Flavour, Module};
use pulley_fuzz::oracle::TestCase;

fuzz_target!(|data: &[u8]| {
    let Ok(case) = TestCase::generate(data) else {
        return;
    };
    for flavour in Flavour::ALL {
        let mut config = Config::new();
        config.target(flavour);
        if let Err(error) = Module::from_binary(&Engine::new(&config), &case.wasm) {
            panic!("a valid module failed to compile for {flavour}: {error}");
        }
    }
    let mut config = Config::new();
    config.native(true);
    if let Err(error) = Module::from_binary(&Engine::new(&config), &case.wasm) {
        panic!("a valid module failed to compile to native code: {error}");
    }
});
