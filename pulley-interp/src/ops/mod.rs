//! The semantics of every op, one function per op named by its mnemonic. The
//! dispatch code (`crate::dispatch`) decodes an op's operands and calls its
//! function here; every dispatch mode shares these.
//!
//! Safe code only: the pointer work behind slots, memory, calls and the
//! embedder's entities lives in `crate::machine` and `crate::environment`,
//! whose accessors carry the safety contracts.

#![forbid(unsafe_code)]

mod control;
mod embedder;
mod float;
mod integer;
mod memory;
mod simd;

pub(crate) use control::*;
pub(crate) use embedder::*;
pub(crate) use float::*;
pub(crate) use integer::*;
pub(crate) use memory::*;
pub(crate) use simd::*;
