//! WASI preview1 through real wasm: small WAT programs, and a "shim" module
//! that wraps every WASI function in an exported wasm function so a test can
//! call it with any arguments and look at memory afterwards.
//!
//! One test binary; each module below holds the tests of one concern, and
//! `guest` the harness they share.

#[path = "../support/mod.rs"]
mod support;

mod guest;

mod directories;
mod files;
mod poll;
mod process;
mod programs;
mod sandbox;
mod snapshots;
mod stdio;
