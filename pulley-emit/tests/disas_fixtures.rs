//! Text fixtures: each `tests/disas/*.wat` holds a module and, after the
//! marker line, the expected disassembly of its compiled code. `BLESS=1`
//! rewrites the expectations; review the diff.

use std::path::Path;

use pulley_emit::{Config, Flavour, compile};

const MARKER: &str = ";; ---- expected (regenerate with BLESS=1) ----";

#[test]
fn disassembly_fixtures() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/disas");
    let bless = std::env::var_os("BLESS").is_some();
    let mut paths: Vec<_> = std::fs::read_dir(&directory)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wat"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut mismatches = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let source = text.split(MARKER).next().unwrap().trim_end();
        let wasm = wat::parse_str(source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The bytecode is the same for every flavour of one byte order; the
        // fixtures use little-endian 64-bit.
        let config = Config {
            flavour: Flavour::Pulley64,
            ..Config::default()
        };
        let module = compile(&wasm, &config).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let disassembly = module.disassemble(None);
        let expected: String = disassembly
            .lines()
            .map(|line| format!(";; {line}\n"))
            .collect();
        let actual = format!("{source}\n\n{MARKER}\n{expected}");
        if actual != text {
            if bless {
                std::fs::write(path, &actual).unwrap();
            } else {
                mismatches.push(format!("{}:\n{}", path.display(), expected));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "fixtures differ (BLESS=1 to update):\n{}",
        mismatches.join("\n")
    );
}
