//! Links compiled functions into one block of machine code: places them
//! 16-byte aligned and patches the calls between them. Every call is
//! PC-relative, so the block runs at whatever address the runtime maps it.
//!
//! A relocation to anything outside the module (a libcall, an absolute
//! address) is refused: native code reaches the host only through the
//! function pointers of the native context.

use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{ExternalName, Function};
use cranelift_codegen::{FinalizedMachReloc, FinalizedRelocTarget};
use target_lexicon::Architecture;

use super::CompiledFunction;
use crate::CompileError;
use crate::intrinsics;

/// A call (or address) in a function's code to patch at link time.
pub(super) struct Call {
    /// Where the field is, from the function's start.
    offset: u32,
    kind: Reloc,
    addend: i64,
    target: Target,
}

/// What a call reaches.
#[derive(Copy, Clone)]
enum Target {
    /// A defined function of the module.
    Defined(u32),
    /// An offset in the same function.
    Local(u32),
}

/// The calls of `func`'s compiled code, from its relocations.
pub(super) fn calls(
    func: &Function,
    relocs: &[FinalizedMachReloc],
) -> Result<Vec<Call>, CompileError> {
    relocs
        .iter()
        .map(|reloc| {
            let target = match &reloc.target {
                FinalizedRelocTarget::Func(offset) => Target::Local(*offset),
                FinalizedRelocTarget::ExternalName(ExternalName::User(name)) => {
                    let name = &func.params.user_named_funcs()[*name];
                    if name.namespace != intrinsics::DEFINED_FUNCTION {
                        return Err(unsupported(reloc, "a function outside the module"));
                    }
                    Target::Defined(name.index)
                }
                FinalizedRelocTarget::ExternalName(_) => {
                    return Err(unsupported(reloc, "a libcall or symbol"));
                }
            };
            Ok(Call {
                offset: reloc.offset,
                kind: reloc.kind,
                addend: reloc.addend,
                target,
            })
        })
        .collect()
}

fn unsupported(reloc: &FinalizedMachReloc, what: &str) -> CompileError {
    CompileError::Unsupported(format!(
        "native code needing a {} relocation to {what}",
        reloc.kind
    ))
}

/// The linked code.
pub(super) struct Linked {
    pub(super) code: Vec<u8>,
    pub(super) functions: Vec<u32>,
    pub(super) trampolines: Vec<u32>,
}

/// Places `functions`, then `trampolines`, and patches their calls.
pub(super) fn link(
    architecture: Architecture,
    functions: Vec<CompiledFunction>,
    trampolines: Vec<CompiledFunction>,
) -> Result<Linked, CompileError> {
    let mut code = Vec::new();
    let mut place = |function: &CompiledFunction| -> Result<u32, CompileError> {
        code.resize(code.len().next_multiple_of(16), 0);
        let start = u32::try_from(code.len())
            .map_err(|_| CompileError::Unsupported("more than 4 GiB of native code".into()))?;
        code.extend_from_slice(&function.code);
        Ok(start)
    };
    let function_starts = functions
        .iter()
        .map(&mut place)
        .collect::<Result<Vec<u32>, _>>()?;
    let trampoline_starts = trampolines
        .iter()
        .map(&mut place)
        .collect::<Result<Vec<u32>, _>>()?;
    let placed = function_starts
        .iter()
        .zip(&functions)
        .chain(trampoline_starts.iter().zip(&trampolines));
    for (&start, function) in placed {
        for call in &function.calls {
            let target = match call.target {
                Target::Local(offset) => start + offset,
                Target::Defined(index) => {
                    *function_starts.get(index as usize).ok_or_else(|| {
                        CompileError::Internal(format!("a call to undefined function {index}"))
                    })?
                }
            };
            let at = (start + call.offset) as usize;
            let distance = i64::from(target) + call.addend - at as i64;
            patch(architecture, &mut code, at, call.kind, distance)?;
        }
    }
    Ok(Linked {
        code,
        functions: function_starts,
        trampolines: trampoline_starts,
    })
}

/// Writes a PC-relative `distance` (target + addend - field address) into
/// the field of `kind` at `at`.
fn patch(
    architecture: Architecture,
    code: &mut [u8],
    at: usize,
    kind: Reloc,
    distance: i64,
) -> Result<(), CompileError> {
    let out_of_range = || CompileError::Unsupported(format!("a {kind} call out of range"));
    let field = code
        .get_mut(at..at + 4)
        .ok_or_else(|| CompileError::Internal(format!("a {kind} relocation past the code")))?;
    let read = |field: &[u8]| u32::from_le_bytes(field.try_into().expect("four bytes"));
    match (architecture, kind) {
        (Architecture::X86_64, Reloc::X86CallPCRel4 | Reloc::X86PCRel4) => {
            let value = i32::try_from(distance).map_err(|_| out_of_range())?;
            field.copy_from_slice(&value.to_le_bytes());
        }
        (Architecture::Aarch64(_), Reloc::Arm64Call) => {
            let words = distance >> 2;
            if !(-(1 << 25)..1 << 25).contains(&words) {
                return Err(out_of_range());
            }
            let instruction = read(field) | (words as u32 & 0x03ff_ffff);
            field.copy_from_slice(&instruction.to_le_bytes());
        }
        (Architecture::S390x, Reloc::S390xPLTRel32Dbl | Reloc::S390xPCRel32Dbl) => {
            let value = i32::try_from(distance >> 1).map_err(|_| out_of_range())?;
            field.copy_from_slice(&value.to_be_bytes());
        }
        (Architecture::Riscv64(_), Reloc::RiscvCallPlt) => {
            // An `auipc` + `jalr` pair: the high 20 bits (rounded) and the
            // low 12 bits of the distance.
            let distance = i32::try_from(distance).map_err(|_| out_of_range())? as u32;
            let high = distance.wrapping_add(0x800) & 0xffff_f000;
            let low = distance.wrapping_sub(high) & 0xfff;
            let auipc = (read(field) & 0xfff) | high;
            field.copy_from_slice(&auipc.to_le_bytes());
            let next = code
                .get_mut(at + 4..at + 8)
                .ok_or_else(|| CompileError::Internal("a jalr past the code".into()))?;
            let jalr = (read(next) & 0x000f_ffff) | (low << 20);
            next.copy_from_slice(&jalr.to_le_bytes());
        }
        _ => {
            return Err(CompileError::Unsupported(format!(
                "native code needing a {kind} relocation on {architecture}"
            )));
        }
    }
    Ok(())
}
