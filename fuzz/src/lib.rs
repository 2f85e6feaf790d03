//! Differential fuzzing of Pulley.
//!
//! [`oracle`] generates a module with wasm-smith (no imports, canonical NaNs,
//! bounded memories and tables, loops that terminate), runs every export on
//! arbitrary arguments in an engine, and records results, trap kinds, and the
//! final memories and globals. [`panel`] runs a case on Pulley (optimized and
//! not), on Wasmtime with Cranelift (the reference) and on wasmi, and
//! compares. The cargo-fuzz targets in `fuzz_targets/` and the stable `diff`
//! runner (for CI) both use it.

pub mod engines;
pub mod oracle;
pub mod panel;
