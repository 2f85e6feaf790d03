//! CLIF fixtures: each `tests/lower/*.clif` holds CLIF functions and, after
//! the marker line, the expected disassembly of their lowering, as
//! Cranelift's precise-output filetests do. The functions are lowered as
//! they are written (no optimizer runs), so each file pins lowering rules.
//! `BLESS=1` rewrites the expectations; review the diff.
//!
//! The functions belong to an empty module (`ModuleInfo::default()`), so
//! the vmctx fields they may load are memory 0's base (offset 0) and length
//! (offset 8); they are lowered one by one through
//! [`LoweringBuffers::lower`], the lowering's entry point, after Cranelift's
//! verifier has accepted them. Function `i` of a file is wasm function `i`; a call's name
//! `uN:M` is namespace `N` (0: defined function, 1: import, 2: builtin,
//! see `intrinsics`) and index `M`. Each function takes the vmctx first.

use std::path::Path;

use pulley_module::{Flavour, ModuleInfo};

use super::{LoweringBuffers, ModuleEmitter};
use crate::Config;
use crate::flavour::FlavourExt;
use crate::translate::ModuleEnvironment;
use crate::vmctx::VmctxLayout;

#[path = "../../tests/common/fixtures.rs"]
mod fixtures;

const MARKER: &str = "; ---- expected (regenerate with BLESS=1) ----";

/// The disassembly of `source`'s functions lowered for pulley64, or what
/// went wrong.
fn lower_clif(source: &str) -> Result<String, String> {
    let functions = cranelift_reader::parse_functions(source).map_err(|e| e.to_string())?;
    let flavour = Flavour::Pulley64;
    let isa = flavour.cranelift_isa(false).map_err(|e| e.to_string())?;
    let info = ModuleInfo::default();
    let config = Config {
        flavour,
        ..Config::default()
    };
    let env = ModuleEnvironment {
        info: &info,
        layout: VmctxLayout::new(&info, flavour.pointer_bytes()),
        flavour,
        config: &config,
    };
    let mut lowering = LoweringBuffers::default();
    let mut module = ModuleEmitter::new(&env);
    for (index, func) in (0..).zip(&functions) {
        cranelift_codegen::verify_function(func, &*isa)
            .map_err(|errors| format!("{}: {errors}", func.name))?;
        let lowered = lowering
            .lower(&env, func, index)
            .map_err(|e| format!("{}: {e}", func.name))?;
        module.push(lowered).map_err(|e| e.to_string())?;
    }
    Ok(module.finish(info.clone()).disassemble(None))
}

#[test]
fn clif_fixtures() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lower");
    fixtures::check_fixtures(&directory, "clif", ";", MARKER, lower_clif);
}
