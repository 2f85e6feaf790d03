//! Text fixtures: each `tests/disas/*.wat` holds a module and, after the
//! marker line, the expected disassembly of its compiled code. `BLESS=1`
//! rewrites the expectations; review the diff.

use std::path::Path;

use pulley_emit::{Config, Flavour, compile};

#[path = "common/fixtures.rs"]
mod fixtures;

const MARKER: &str = ";; ---- expected (regenerate with BLESS=1) ----";

#[test]
fn disassembly_fixtures() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/disas");
    fixtures::check_fixtures(&directory, "wat", ";;", MARKER, |source| {
        let wasm = wat::parse_str(source).map_err(|e| e.to_string())?;
        // The bytecode is the same for every flavour of one byte order; the
        // fixtures use little-endian 64-bit.
        let config = Config {
            flavour: Flavour::Pulley64,
            ..Config::default()
        };
        let module = compile(&wasm, &config).map_err(|e| e.to_string())?;
        Ok(module.disassemble(None))
    });
}
