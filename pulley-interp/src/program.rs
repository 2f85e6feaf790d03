//! A verified program: bytecode plus its function table, and the shape of the
//! environment it expects. A program is either complete when made, or lazy:
//! each function's code arrives on its own, verified then, the first time
//! the function runs ([`Program::lazy`], [`Program::install`]).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicPtr, Ordering};

use pulley_isa::{FuncIndex, OwnedOp};

use crate::shape::{Claims, EnvironmentShape, FunctionInfo};
use crate::verify::{VerifyError, verify_function, verify_function_table, verify_program};

/// Bytecode that passed the verifier, with its function table.
///
/// The verifier proves two kinds of facts. The structural ones make
/// unchecked decoding in the interpreter sound: every op decodes, every slot
/// operand is inside its function's frame, every branch lands on an op of
/// the same function, every function ends in an op that does not fall
/// through (a `terminator` in the opcode table), every index operand is in
/// range for the function table or the [`EnvironmentShape`], and calls and
/// returns pass as many values as their callee's or function's type has.
///
/// The semantic ones make a forged program unable to do what compiled wasm
/// could not:
/// * **References come from ops that produce them.** A dataflow over slot
///   kinds ([`SlotKind`], as the JVM verifier types its locals) tracks which
///   slots hold a function reference, an extern reference, null, or plain
///   bits, on every path. A slot used as a reference (a `call_ref` callee,
///   a table element or reference global written, a reference argument or
///   result) must hold one of that kind on every path that reaches the op.
///   References come from `ref_func`, `table_get`, `global_get`, call
///   results and parameters, by their types; `mov` and the selects carry
///   them; a zero constant is null. `call_ref` names its callee's type, and
///   the interpreter checks the callee's signature id against it.
/// * **Globals are accessed as their type says:** `global_set` only on
///   mutable ones, v128 globals only by `vglobal_*`.
/// * **Fuel**, when [`Claims::charges_fuel`] is set: every `consume_fuel`
///   charges at least one unit; on every path from a function's entry, and
///   from the return of any call, to a call, and around every cycle of the
///   control flow, there is a `consume_fuel`. So between two charges the
///   interpreter runs at most one acyclic stretch of one function and one
///   call of a function that makes no calls and has no cycles.
///
/// The analysis is linear in the code's size, times the number of slots
/// that hold references at once (it stores only those).
///
/// # Lazy programs
///
/// A program made by [`Program::lazy`] starts with no code: each function's
/// entry is a `compile_pending` op, which only the program places (the
/// verifier refuses it in code). The first call of the function stops there
/// with [`Exit::Compile`](crate::Exit::Compile); the embedder compiles the
/// function and hands its code to [`Program::install`], which verifies it
/// alone (the same checks as above, against the same function table) and
/// publishes it, once, for every thread. Installed code is never replaced or
/// freed while the program lives, so frames that run it stay valid.
#[derive(Debug)]
pub struct Program {
    /// The code of a complete program; a lazy program's pending entries.
    code: Box<[u8]>,
    functions: Box<[FunctionInfo]>,
    /// Where calls go: a complete program's functions, or a lazy program's
    /// pending entries (each interpreter keeps its own copy, filled in as
    /// functions arrive).
    entries: Box<[FunctionEntry]>,
    /// A lazy program's installed functions, null until then.
    installed: Box<[AtomicPtr<InstalledCode>]>,
    shape: EnvironmentShape,
    claims: Claims,
    /// Function indices sorted by code offset, for `function_at`.
    by_offset: Box<[u32]>,
    /// How many signature ids the code reads (`type_id`, `call_ref`).
    type_ids_used: u32,
}

// SAFETY: the raw pointers in `entries` point into `code` and into installed
// code, which the program owns and never changes or frees before it is
// dropped; installed functions are published through atomics.
unsafe impl Send for Program {}
// SAFETY: as for `Send`: shared access only reads immutable code and entries,
// and `install` publishes with a compare-and-swap.
unsafe impl Sync for Program {}

/// Where a call goes: a function's first op and what its frame needs.
/// Made only by [`Program`], from verified code.
#[derive(Copy, Clone, Debug)]
pub(crate) struct FunctionEntry {
    pub(crate) code: *const u8,
    pub(crate) frame_slots: u32,
    pub(crate) params: u32,
    pub(crate) results: u32,
}

// SAFETY: an entry points into a program's code, which is immutable and
// shared; whoever holds an entry also holds that program (see `Program`).
unsafe impl Send for FunctionEntry {}

/// The verified code of a function of a lazy program.
#[derive(Debug)]
struct InstalledCode {
    code: Box<[u8]>,
    frame_slots: u32,
}

impl Program {
    /// Verifies `code` against `functions`, `shape` and what it `claims`.
    pub fn new(
        code: Vec<u8>,
        functions: Vec<FunctionInfo>,
        shape: EnvironmentShape,
        claims: Claims,
    ) -> Result<Program, VerifyError> {
        let verified = verify_program(&code, &functions, &shape, claims)?;
        let code = code.into_boxed_slice();
        let entries = entries(&code, &functions);
        Ok(Program {
            code,
            functions: functions.into_boxed_slice(),
            entries,
            installed: Box::new([]),
            shape,
            claims,
            by_offset: verified.by_offset.into_boxed_slice(),
            type_ids_used: verified.type_ids_used,
        })
    }

    /// A program whose functions, of types `function_types` (indices into
    /// the shape's types), arrive one by one through [`Program::install`].
    pub fn lazy(
        function_types: &[u32],
        shape: EnvironmentShape,
        claims: Claims,
    ) -> Result<Program, VerifyError> {
        let mut code = Vec::new();
        let mut functions = Vec::with_capacity(function_types.len());
        for (func, &ty) in (0u32..).zip(function_types) {
            let signature = shape
                .types
                .get(ty as usize)
                .ok_or(VerifyError::TypeMismatch {
                    func,
                    ty,
                    params: 0,
                    results: 0,
                })?;
            let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            let (params, results) = (
                count(signature.params.len()),
                count(signature.results.len()),
            );
            let code_start = count(code.len());
            OwnedOp::CompilePending {
                func: FuncIndex(func),
            }
            .encode(&mut code)
            .expect("an op without slot operands always encodes");
            functions.push(FunctionInfo {
                ty,
                code_start,
                code_end: count(code.len()),
                // The pending entry only holds the arguments.
                frame_slots: params,
                params,
                results,
            });
        }
        verify_function_table(&functions, &shape)?;
        let code = code.into_boxed_slice();
        let entries = entries(&code, &functions);
        let installed = functions
            .iter()
            .map(|_| AtomicPtr::new(core::ptr::null_mut()))
            .collect();
        let type_ids_used = u32::try_from(shape.types.len()).unwrap_or(u32::MAX);
        Ok(Program {
            code,
            by_offset: (0..functions.len() as u32).collect(),
            functions: functions.into_boxed_slice(),
            entries,
            installed,
            shape,
            claims,
            type_ids_used,
        })
    }

    /// Verifies `code`, function `func`'s code with a frame of
    /// `frame_slots`, and makes it the function's code for every caller.
    /// If the function has its code already (another thread was first),
    /// that code stays and `code` is dropped. Fails for a function the
    /// program does not have, and for a complete program.
    pub fn install(
        &self,
        func: FuncIndex,
        code: Vec<u8>,
        frame_slots: u32,
    ) -> Result<(), VerifyError> {
        let slot = self
            .installed
            .get(func.index())
            .ok_or(VerifyError::NotPending { func: func.0 })?;
        if !slot.load(Ordering::Acquire).is_null() {
            return Ok(());
        }
        verify_function(
            &code,
            func.0,
            frame_slots,
            &self.functions,
            &self.shape,
            self.claims,
        )?;
        let installed = Box::into_raw(Box::new(InstalledCode {
            code: code.into_boxed_slice(),
            frame_slots,
        }));
        if let Err(_first) = slot.compare_exchange(
            core::ptr::null_mut(),
            installed,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            // SAFETY: `installed` came from `Box::into_raw` above and was not
            // published.
            drop(unsafe { Box::from_raw(installed) });
        }
        Ok(())
    }

    /// Whether functions arrive one by one ([`Program::lazy`]).
    pub fn is_lazy(&self) -> bool {
        !self.installed.is_empty()
    }

    /// Function `func`'s code, once it has code: all of a complete
    /// program's functions, a lazy program's once installed.
    pub fn function_code(&self, func: FuncIndex) -> Option<&[u8]> {
        if self.is_lazy() {
            return self.installed(func).map(|installed| &*installed.code);
        }
        let info = self.functions.get(func.index())?;
        self.code
            .get(info.code_start as usize..info.code_end as usize)
    }

    /// A lazy program's installed function `func`.
    fn installed(&self, func: FuncIndex) -> Option<&InstalledCode> {
        let pointer = self.installed.get(func.index())?.load(Ordering::Acquire);
        // SAFETY: a non-null pointer was published by `install` from a live
        // box, which stays until the program is dropped.
        unsafe { pointer.as_ref() }
    }

    /// Where calls of the program's functions go when the program is new.
    pub(crate) fn entries(&self) -> &[FunctionEntry] {
        &self.entries
    }

    /// The entry of a lazy program's function `func` once it is installed.
    pub(crate) fn installed_entry(&self, func: FuncIndex) -> Option<FunctionEntry> {
        let installed = self.installed(func)?;
        let info = &self.functions[func.index()];
        Some(FunctionEntry {
            code: installed.code.as_ptr(),
            frame_slots: installed.frame_slots,
            params: info.params,
            results: info.results,
        })
    }

    /// The code of a complete program (a lazy program's pending entries).
    pub fn code(&self) -> &[u8] {
        &self.code
    }

    /// The function table (a lazy program's lists its pending entries).
    pub fn functions(&self) -> &[FunctionInfo] {
        &self.functions
    }

    /// The environment the program expects.
    pub fn shape(&self) -> &EnvironmentShape {
        &self.shape
    }

    /// How many of the shape's types need signature ids in the environment:
    /// one past the highest type index an op names (a lazy program: all).
    pub fn type_ids_used(&self) -> u32 {
        self.type_ids_used
    }

    /// What the code claims, proven.
    pub fn claims(&self) -> Claims {
        self.claims
    }

    /// A way to find the function a code pointer is in, for backtraces:
    /// made once per backtrace (for a lazy program it sorts the installed
    /// functions).
    pub(crate) fn locator(&self) -> Locator<'_> {
        let mut installed: Vec<(usize, usize, u32)> = (0u32..)
            .zip(self.installed.iter())
            .filter_map(|(func, _)| {
                let code = &self.installed(FuncIndex(func))?.code;
                Some((code.as_ptr().addr(), code.len(), func))
            })
            .collect();
        installed.sort_unstable();
        Locator {
            program: self,
            installed,
        }
    }

    /// The function whose code contains `offset` of [`Program::code`].
    pub fn function_at(&self, offset: usize) -> Option<FuncIndex> {
        let position = self
            .by_offset
            .partition_point(|&f| self.functions[f as usize].code_start as usize <= offset);
        let candidate = *self.by_offset.get(position.checked_sub(1)?)?;
        let info = &self.functions[candidate as usize];
        (offset < info.code_end as usize).then_some(FuncIndex(candidate))
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        for slot in &mut self.installed {
            let pointer = *slot.get_mut();
            if !pointer.is_null() {
                // SAFETY: published by `install` from `Box::into_raw`, and
                // dropped only here, once.
                drop(unsafe { Box::from_raw(pointer) });
            }
        }
    }
}

/// Each function's entry, for functions whose code lies in `code`.
fn entries(code: &[u8], functions: &[FunctionInfo]) -> Box<[FunctionEntry]> {
    functions
        .iter()
        .map(|info| FunctionEntry {
            code: code.as_ptr().wrapping_add(info.code_start as usize),
            frame_slots: info.frame_slots,
            params: info.params,
            results: info.results,
        })
        .collect()
}

/// Finds the function a code pointer is in ([`Program::locator`]).
pub(crate) struct Locator<'p> {
    program: &'p Program,
    /// Installed functions: (start address, length, function), by address.
    installed: Vec<(usize, usize, u32)>,
}

impl Locator<'_> {
    /// The function `pc` is in, and its offset in that function's code.
    pub(crate) fn locate(&self, pc: *const u8) -> Option<(FuncIndex, usize)> {
        let code = &self.program.code;
        let offset = pc.addr().wrapping_sub(code.as_ptr().addr());
        if offset < code.len() {
            let func = self.program.function_at(offset)?;
            let start = self.program.functions[func.index()].code_start as usize;
            return Some((func, offset - start));
        }
        let position = self
            .installed
            .partition_point(|&(start, _, _)| start <= pc.addr());
        let (start, len, func) = *self.installed.get(position.checked_sub(1)?)?;
        let offset = pc.addr() - start;
        (offset < len).then_some((FuncIndex(func), offset))
    }
}
