//! Helpers shared by the spec-driven compiler tests.

use wast::parser::{self, ParseBuffer};
use wast::{Wast, WastDirective, WastExecute};

/// The binaries of the modules a script defines and expects to be valid.
pub fn valid_modules(text: &str) -> Vec<Vec<u8>> {
    let Ok(buffer) = ParseBuffer::new(text) else {
        return Vec::new();
    };
    let Ok(wast) = parser::parse::<Wast>(&buffer) else {
        return Vec::new();
    };
    let mut modules = Vec::new();
    for directive in wast.directives {
        let binary = match directive {
            WastDirective::Module(mut module) => module.encode(),
            WastDirective::AssertTrap {
                exec: WastExecute::Wat(mut wat),
                ..
            }
            | WastDirective::AssertUnlinkable {
                module: mut wat, ..
            } => wat.encode(),
            _ => continue,
        };
        if let Ok(binary) = binary {
            modules.push(binary);
        }
    }
    modules
}
