//! The description of a WebAssembly module as compiled for Pulley: its types,
//! imports, exports, globals, tables, memories, segments and names, plus the
//! compiled code with per-function metadata.
//!
//! `pulley-emit` produces a [`CompiledModule`]; the runtime instantiates it,
//! and stores and loads it as an artifact. This crate depends on neither, nor
//! on WebAssembly parsers or Cranelift, so that an interpreter-only runtime can
//! load artifacts without them. `no_std` + `alloc`.

#![no_std]

extern crate alloc;

mod artifact;
mod builtins;
mod disas;
mod escape;
mod flavour;
mod module;
mod names;

pub use artifact::{
    ArtifactError, ArtifactHeader, CodeFeatures, FEATURES_OFFSET, FORMAT_VERSION, HEADER_LEN,
    MAGIC, decode, decode_header, decode_payload, decode_payload_in_place, encode, reseal,
};
pub use builtins::{Builtin, BuiltinType};
pub use escape::Escaped;
pub use flavour::{Flavour, UnknownFlavour};
pub use module::*;
pub use names::FunctionNames;
