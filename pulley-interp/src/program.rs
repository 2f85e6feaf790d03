//! A verified program: bytecode plus its function table, and the shape of the
//! environment it expects. A program is verified whole when made, or each
//! function the first time it runs: code it has is then verified in place
//! ([`Verification::AtFirstCall`], [`Program::verify_pending`]), or code
//! arrives for it then ([`Program::lazy`], [`Program::install`]).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicPtr, Ordering};

use pulley_isa::{FuncIndex, OwnedOp};

use crate::shape::{Claims, EnvironmentShape, FunctionInfo};
use crate::verify::{
    LazyOnlyOps, VerifyError, verify_function, verify_function_table, verify_on_stack_entry,
    verify_program,
};

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
/// entry is a `first_call` op, which only the program places (the
/// verifier refuses it in code). The first call of the function stops there
/// with [`Exit::Compile`](crate::Exit::Compile); the embedder compiles the
/// function and hands its code to [`Program::install`], which verifies it
/// alone (the same checks as above, against the same function table) and
/// publishes it, once, for every thread. Installed code is never replaced or
/// freed while the program lives, so frames that run it stay valid.
///
/// # Tiering up
///
/// Code installed into a lazy program may count toward replacing itself
/// (`hot_count`, which the verifier accepts only there): each interpreter
/// counts calls and loop iterations of each function down from the
/// program's [threshold](Program::set_tier_up_threshold), and stops with
/// [`Exit::TierUp`](crate::Exit::TierUp) when a count runs out. The
/// embedder compiles the function again and hands the code to
/// [`Program::upgrade`], which verifies and publishes it beside the first;
/// calls made after that (in an interpreter, once its count ran out again,
/// or at once for an interpreter that had not called the function) enter the
/// upgraded code. The first code stays, for the frames that run it, until
/// the program is dropped: what tiering up costs in memory is at most the
/// first code of every function.
///
/// # On-stack replacement
///
/// A frame that runs a long loop of first code, in a function called only
/// once, would never reach upgraded code through calls. Its loop headers
/// count with `hot_loop`, which stops with the header's wasm offset; the
/// embedder may then compile an *on-stack entry* for that header, code
/// whose parameters are the frame's slots at the header (the locals, then
/// the operands), and hand it to [`Program::install_on_stack_entry`].
/// [`Interpreter::finish_tier_up`](crate::Interpreter::finish_tier_up)
/// then moves the frame into it: the window is resized to the entry's
/// frame and execution goes on at its first op, with the slots as they
/// are. Entries are verified like functions, except that no parameter is
/// taken to hold a reference (the frame's slots carry no types), so an
/// entry that would use one as a reference is refused; they stay until
/// the program is dropped.
#[derive(Debug)]
pub struct Program {
    /// The code of the functions: all of it, except for a program whose
    /// functions arrive one by one ([`Program::lazy`]).
    code: ProgramCode,
    functions: Box<[FunctionInfo]>,
    /// A lazy program's pending entries: one `first_call` op per function,
    /// each [`PENDING_ENTRY_LEN`] bytes.
    pending: Box<[u8]>,
    /// Where calls go when the program is new: its functions, or a lazy
    /// program's pending entries (each interpreter keeps its own copy,
    /// filled in as functions are readied).
    entries: Box<[FunctionEntry]>,
    /// A lazy program's readied functions, null until then.
    readied: Box<[AtomicPtr<ReadyCode>]>,
    /// A lazy program's upgraded functions ([`Program::upgrade`]), null
    /// until then.
    upgraded: Box<[AtomicPtr<ReadyCode>]>,
    /// A lazy program's on-stack entries of each function
    /// ([`Program::install_on_stack_entry`]): a list, newest first.
    on_stack: Box<[AtomicPtr<OnStackEntry>]>,
    /// Where each interpreter's count toward upgrading a function starts.
    tier_up_threshold: u32,
    shape: EnvironmentShape,
    claims: Claims,
    /// Function indices sorted by code offset, for `function_at`.
    by_offset: Box<[u32]>,
    /// How many signature ids the code reads (`type_id`, `call_ref`).
    type_ids_used: u32,
}

/// The bytes of a program's code: its own, or borrowed for as long as the
/// program may live, such as an artifact in a microcontroller's flash,
/// which the interpreter then runs in place.
#[derive(Debug)]
pub enum ProgramCode {
    /// Code the program owns.
    Owned(Box<[u8]>),
    /// Code that outlives the program.
    Static(&'static [u8]),
}

impl core::ops::Deref for ProgramCode {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            ProgramCode::Owned(code) => code,
            ProgramCode::Static(code) => code,
        }
    }
}

impl From<Vec<u8>> for ProgramCode {
    fn from(code: Vec<u8>) -> ProgramCode {
        ProgramCode::Owned(code.into_boxed_slice())
    }
}

/// When the code a program is made with is verified.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// All of it, when the program is made.
    UpFront,
    /// The function table when the program is made; each function's code
    /// when the function is first called ([`Program::verify_pending`]), so
    /// that the cost grows with the code that runs. A function that fails
    /// is refused at that call.
    AtFirstCall,
}

// SAFETY: the raw pointers in `entries` and in readied functions point into
// `code`, `pending` and installed code, which the program owns (or borrows
// for `'static`) and never changes or frees before it is dropped; readied
// functions are published through atomics.
unsafe impl Send for Program {}
// SAFETY: as for `Send`: shared access only reads immutable code and entries,
// and readying a function publishes it with a compare-and-swap.
unsafe impl Sync for Program {}

/// Where a call goes: a function's first op and what its frame needs.
/// Made only by [`Program`], from verified code.
#[derive(Copy, Clone, Debug)]
pub(crate) struct FunctionEntry {
    pub(crate) code: *const u8,
    pub(crate) frame_slots: u32,
    pub(crate) params: u32,
    pub(crate) results: u32,
    /// `hot_count`s left before the function asks to be upgraded (only
    /// code installed into a lazy program counts).
    pub(crate) hotness: u32,
}

/// Where a function's count toward tiering up starts again after it ran out
/// and the upgraded code was not ready (or was refused): it asks again after
/// this many more calls and loop iterations.
pub(crate) const HOT_RECHECK: u32 = 1 << 16;

/// The default [`Program::set_tier_up_threshold`]: never.
const NEVER: u32 = u32::MAX;

// SAFETY: an entry points into a program's code, which is immutable and
// shared; whoever holds an entry also holds that program (see `Program`).
unsafe impl Send for FunctionEntry {}

/// A readied function of a lazy program: verified code, installed or in
/// the program's own code.
#[derive(Debug)]
struct ReadyCode {
    /// Installed code (empty for code verified in place).
    installed: Box<[u8]>,
    /// The function's code: in `installed`, or in the program's code.
    start: *const u8,
    len: usize,
    frame_slots: u32,
}

impl ReadyCode {
    /// Verified `code`, installed, with a frame of `frame_slots`.
    fn installed(code: Vec<u8>, frame_slots: u32) -> ReadyCode {
        let installed = code.into_boxed_slice();
        ReadyCode {
            start: installed.as_ptr(),
            len: installed.len(),
            installed,
            frame_slots,
        }
    }
}

/// An on-stack entry of a function: verified code entered at the loop
/// header at wasm offset `header`.
#[derive(Debug)]
struct OnStackEntry {
    header: u32,
    code: ReadyCode,
    /// The function's entry installed before this one, or null.
    next: *mut OnStackEntry,
}

/// Where a frame moves at a loop header ([`Program::on_stack_entry`]): made
/// only by [`Program`], from verified code.
#[derive(Copy, Clone, Debug)]
pub(crate) struct OnStackTarget {
    pub(crate) code: *const u8,
    pub(crate) frame_slots: u32,
}

/// Which of a function's code a position is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CodeVersion {
    /// Its first code.
    First,
    /// Its upgraded code ([`Program::upgrade`]).
    Upgraded,
    /// Its on-stack entry at the loop header at this wasm offset
    /// ([`Program::install_on_stack_entry`]).
    OnStack {
        /// The header's wasm offset.
        header: u32,
    },
}

/// The length of a pending entry: a `first_call` op.
const PENDING_ENTRY_LEN: usize = 7;

impl Program {
    /// Verifies `code` against `functions`, `shape` and what it `claims`.
    pub fn new(
        code: Vec<u8>,
        functions: Vec<FunctionInfo>,
        shape: EnvironmentShape,
        claims: Claims,
    ) -> Result<Program, VerifyError> {
        Program::with_code(code.into(), functions, shape, claims, Verification::UpFront)
    }

    /// A program of `code`, which `functions` describes, verified as
    /// `verification` says.
    pub fn with_code(
        code: ProgramCode,
        functions: Vec<FunctionInfo>,
        shape: EnvironmentShape,
        claims: Claims,
        verification: Verification,
    ) -> Result<Program, VerifyError> {
        if verification == Verification::AtFirstCall {
            let by_offset = verify_layout(&code, &functions, &shape)?;
            return Ok(Program::pending(code, functions, by_offset, shape, claims));
        }
        let verified = verify_program(&code, &functions, &shape, claims)?;
        Ok(Program {
            entries: entries(&code, &functions),
            code,
            functions: functions.into_boxed_slice(),
            pending: Box::default(),
            readied: Box::default(),
            upgraded: Box::default(),
            on_stack: Box::default(),
            tier_up_threshold: NEVER,
            shape,
            claims,
            by_offset: verified.by_offset.into_boxed_slice(),
            type_ids_used: verified.type_ids_used,
        })
    }

    /// A lazy program of checked `functions`: all pending.
    fn pending(
        code: ProgramCode,
        functions: Vec<FunctionInfo>,
        by_offset: Vec<u32>,
        shape: EnvironmentShape,
        claims: Claims,
    ) -> Program {
        let (pending, entries) = pending_entries(&functions);
        let readied = unpublished(functions.len());
        let upgraded = unpublished(functions.len());
        let on_stack = unpublished(functions.len());
        Program {
            code,
            functions: functions.into_boxed_slice(),
            pending,
            entries,
            readied,
            upgraded,
            on_stack,
            tier_up_threshold: NEVER,
            type_ids_used: count(shape.types.len()),
            shape,
            claims,
            by_offset: by_offset.into_boxed_slice(),
        }
    }

    /// A program whose functions, of types `function_types` (indices into
    /// the shape's types), arrive one by one through [`Program::install`].
    pub fn lazy(
        function_types: &[u32],
        shape: EnvironmentShape,
        claims: Claims,
    ) -> Result<Program, VerifyError> {
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
            let (params, results) = (
                count(signature.params.len()),
                count(signature.results.len()),
            );
            functions.push(FunctionInfo {
                ty,
                code_start: 0,
                code_end: 0,
                // Until it has code, its frame holds its arguments.
                frame_slots: params,
                params,
                results,
            });
        }
        verify_function_table(&functions, &shape)?;
        Ok(Program::pending(
            ProgramCode::Owned(Box::default()),
            functions,
            Vec::new(),
            shape,
            claims,
        ))
    }

    /// Verifies `code`, function `func`'s code with a frame of
    /// `frame_slots`, and makes it the function's code for every caller of
    /// a program made by [`Program::lazy`]. If the function has its code
    /// already (another thread was first), that code stays and `code` is
    /// dropped.
    pub fn install(
        &self,
        func: FuncIndex,
        code: Vec<u8>,
        frame_slots: u32,
    ) -> Result<(), VerifyError> {
        if !self.code.is_empty() {
            return Err(VerifyError::NotPending { func: func.0 });
        }
        let slot = self.pending_slot(func)?;
        self.verify_and_publish(slot, func, code, frame_slots, LazyOnlyOps::Allowed)
    }

    /// Verifies `code` as function `func`'s and publishes it in `slot`,
    /// unless code is there already.
    fn verify_and_publish(
        &self,
        slot: &AtomicPtr<ReadyCode>,
        func: FuncIndex,
        code: Vec<u8>,
        frame_slots: u32,
        lazy_only: LazyOnlyOps,
    ) -> Result<(), VerifyError> {
        if !slot.load(Ordering::Acquire).is_null() {
            return Ok(());
        }
        self.verify(func, &code, frame_slots, lazy_only)?;
        publish(slot, ReadyCode::installed(code, frame_slots));
        Ok(())
    }

    /// Verifies function `func`'s code, in a program made with
    /// [`Verification::AtFirstCall`], and makes it the function's code for
    /// every caller. Verifying a function twice is harmless.
    pub fn verify_pending(&self, func: FuncIndex) -> Result<(), VerifyError> {
        if self.code.is_empty() {
            return Err(VerifyError::NotPending { func: func.0 });
        }
        let slot = self.pending_slot(func)?;
        if !slot.load(Ordering::Acquire).is_null() {
            return Ok(());
        }
        let info = self.functions[func.index()];
        let code = &self.code[info.code_start as usize..info.code_end as usize];
        self.verify(func, code, info.frame_slots, LazyOnlyOps::Refused)?;
        publish(
            slot,
            ReadyCode {
                installed: Box::default(),
                start: code.as_ptr(),
                len: code.len(),
                frame_slots: info.frame_slots,
            },
        );
        Ok(())
    }

    /// Sets where each interpreter's count toward upgrading a function
    /// starts (`hot_count`s: calls and loop iterations of code that counts);
    /// the default, `u32::MAX`, never asks in practice.
    pub fn set_tier_up_threshold(&mut self, threshold: u32) {
        self.tier_up_threshold = threshold.max(1);
    }

    /// Verifies `code`, function `func`'s code again (of a function already
    /// readied), with a frame of `frame_slots`, and makes it the function's
    /// code for calls from now on ([`Exit::TierUp`](crate::Exit::TierUp)).
    /// It may not count toward another upgrade. If the function was upgraded
    /// already, that code stays and `code` is dropped.
    pub fn upgrade(
        &self,
        func: FuncIndex,
        code: Vec<u8>,
        frame_slots: u32,
    ) -> Result<(), VerifyError> {
        let slot = self
            .upgraded
            .get(func.index())
            .ok_or(VerifyError::NotPending { func: func.0 })?;
        if self.ready(func).is_none() {
            return Err(VerifyError::NotPending { func: func.0 });
        }
        self.verify_and_publish(slot, func, code, frame_slots, LazyOnlyOps::Refused)
    }

    /// Verifies `code`, an entry into function `func`'s code at the loop
    /// header at wasm offset `header` whose parameters are the frame's
    /// first `params` slots there, with a frame of `frame_slots`; frames
    /// of the function's first code that stop at that header's `hot_loop`
    /// move into it from now on (see [on-stack
    /// replacement](Program#on-stack-replacement)). Like upgraded code, it
    /// may not count. If the header has an entry already, that one stays.
    pub fn install_on_stack_entry(
        &self,
        func: FuncIndex,
        header: u32,
        code: Vec<u8>,
        frame_slots: u32,
        params: u32,
    ) -> Result<(), VerifyError> {
        let list = self
            .on_stack
            .get(func.index())
            .ok_or(VerifyError::NotPending { func: func.0 })?;
        if self.ready(func).is_none() {
            return Err(VerifyError::NotPending { func: func.0 });
        }
        if self.on_stack_entry(func, header).is_some() {
            return Ok(());
        }
        verify_on_stack_entry(
            &code,
            func.0,
            frame_slots,
            params,
            &self.functions,
            &self.shape,
            self.claims,
        )?;
        let entry = Box::into_raw(Box::new(OnStackEntry {
            header,
            code: ReadyCode::installed(code, frame_slots),
            next: core::ptr::null_mut(),
        }));
        let mut head = list.load(Ordering::Acquire);
        loop {
            // SAFETY: `entry` came from `Box::into_raw` above and is not
            // published until the exchange below succeeds.
            unsafe { (*entry).next = head };
            match list.compare_exchange_weak(head, entry, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return Ok(()),
                Err(now) => head = now,
            }
        }
    }

    /// Function `func`'s on-stack entries, newest first.
    fn on_stack_entries(&self, func: FuncIndex) -> impl Iterator<Item = &OnStackEntry> {
        let head = self
            .on_stack
            .get(func.index())
            .map_or(core::ptr::null_mut(), |list| list.load(Ordering::Acquire));
        // SAFETY: entries are published by `install_on_stack_entry` from
        // live boxes with their `next` set before publication, and freed
        // only when the program is dropped.
        core::iter::successors(unsafe { head.as_ref() }, |entry| unsafe {
            entry.next.as_ref()
        })
    }

    /// Where a frame of function `func` at the loop header at wasm offset
    /// `header` moves, if the header has an on-stack entry.
    pub(crate) fn on_stack_entry(&self, func: FuncIndex, header: u32) -> Option<OnStackTarget> {
        let entry = self
            .on_stack_entries(func)
            .find(|entry| entry.header == header)?;
        Some(OnStackTarget {
            code: entry.code.start,
            frame_slots: entry.code.frame_slots,
        })
    }

    /// Whether function `func` has an on-stack entry at the loop header at
    /// wasm offset `header`.
    pub fn has_on_stack_entry(&self, func: FuncIndex, header: u32) -> bool {
        self.on_stack_entry(func, header).is_some()
    }

    /// Function `func`'s slot among the readied ones, if the program is lazy
    /// and has that function.
    fn pending_slot(&self, func: FuncIndex) -> Result<&AtomicPtr<ReadyCode>, VerifyError> {
        self.readied
            .get(func.index())
            .ok_or(VerifyError::NotPending { func: func.0 })
    }

    /// Verifies `code` as function `func`'s, alone.
    fn verify(
        &self,
        func: FuncIndex,
        code: &[u8],
        frame_slots: u32,
        lazy_only: LazyOnlyOps,
    ) -> Result<(), VerifyError> {
        verify_function(
            code,
            func.0,
            frame_slots,
            &self.functions,
            &self.shape,
            self.claims,
            lazy_only,
        )
    }

    /// Whether functions are readied at their first call.
    pub fn is_lazy(&self) -> bool {
        !self.readied.is_empty()
    }

    /// Function `func`'s code, once verified.
    pub fn function_code(&self, func: FuncIndex) -> Option<&[u8]> {
        if self.is_lazy() {
            return self.ready(func).map(|ready| {
                // SAFETY: `start..start + len` is verified code the program
                // owns or borrows for as long as it lives.
                unsafe { core::slice::from_raw_parts(ready.start, ready.len) }
            });
        }
        let info = self.functions.get(func.index())?;
        self.code
            .get(info.code_start as usize..info.code_end as usize)
    }

    /// A lazy program's readied function `func`.
    fn ready(&self, func: FuncIndex) -> Option<&ReadyCode> {
        published(self.readied.get(func.index())?)
    }

    /// A lazy program's upgraded function `func`.
    fn upgraded(&self, func: FuncIndex) -> Option<&ReadyCode> {
        published(self.upgraded.get(func.index())?)
    }

    /// Whether function `func` was upgraded ([`Program::upgrade`]).
    pub fn is_upgraded(&self, func: FuncIndex) -> bool {
        self.upgraded(func).is_some()
    }

    /// Where calls of the program's functions go when the program is new.
    pub(crate) fn entries(&self) -> &[FunctionEntry] {
        &self.entries
    }

    /// The entry of a lazy program's function `func` once it is readied:
    /// its upgraded code if it has some.
    pub(crate) fn ready_entry(&self, func: FuncIndex) -> Option<FunctionEntry> {
        self.upgraded_entry(func)
            .or_else(|| Some(self.entry(func, self.ready(func)?, self.tier_up_threshold)))
    }

    /// The entry of a lazy program's function `func` once it is upgraded.
    /// Upgraded code does not count, but frames still running the first
    /// code do, on the entry's count, toward moving into an on-stack entry
    /// at a loop header.
    pub(crate) fn upgraded_entry(&self, func: FuncIndex) -> Option<FunctionEntry> {
        Some(self.entry(func, self.upgraded(func)?, self.tier_up_threshold))
    }

    /// The entry of function `func` for `code`, counting from `hotness`.
    fn entry(&self, func: FuncIndex, code: &ReadyCode, hotness: u32) -> FunctionEntry {
        let info = &self.functions[func.index()];
        FunctionEntry {
            code: code.start,
            frame_slots: code.frame_slots,
            params: info.params,
            results: info.results,
            hotness,
        }
    }

    /// The program's code (empty for one made by [`Program::lazy`]).
    pub fn code(&self) -> &[u8] {
        &self.code
    }

    /// The function table (a program made by [`Program::lazy`] lists no
    /// code ranges).
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
    /// made once per backtrace (for a program made by [`Program::lazy`] it
    /// sorts the installed functions).
    pub(crate) fn locator(&self) -> Locator<'_> {
        let mut installed: Vec<(usize, usize, u32, CodeVersion)> = Vec::new();
        for func in (0u32..).take(self.readied.len()) {
            let versions = [
                (self.ready(FuncIndex(func)), CodeVersion::First),
                (self.upgraded(FuncIndex(func)), CodeVersion::Upgraded),
            ];
            let on_stack = self.on_stack_entries(FuncIndex(func)).map(|entry| {
                let version = CodeVersion::OnStack {
                    header: entry.header,
                };
                (Some(&entry.code), version)
            });
            for (ready, version) in versions.into_iter().chain(on_stack) {
                if let Some(ready) = ready
                    && !ready.installed.is_empty()
                {
                    installed.push((ready.start.addr(), ready.len, func, version));
                }
            }
        }
        installed.sort_unstable_by_key(|&(start, ..)| start);
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
        for slot in self.readied.iter_mut().chain(self.upgraded.iter_mut()) {
            let pointer = *slot.get_mut();
            if !pointer.is_null() {
                // SAFETY: published by `publish` from `Box::into_raw`, and
                // dropped only here, once.
                drop(unsafe { Box::from_raw(pointer) });
            }
        }
        for list in self.on_stack.iter_mut() {
            let mut pointer = *list.get_mut();
            while !pointer.is_null() {
                // SAFETY: published by `install_on_stack_entry` from
                // `Box::into_raw`, reachable from one list only, and
                // dropped only here, once.
                let entry = unsafe { Box::from_raw(pointer) };
                pointer = entry.next;
            }
        }
    }
}

/// `n`, which counts entities of a program, as a `u32`.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The code published in `slot`, if any.
fn published(slot: &AtomicPtr<ReadyCode>) -> Option<&ReadyCode> {
    let pointer = slot.load(Ordering::Acquire);
    // SAFETY: a non-null pointer was published by `publish` from a live box,
    // which stays until the program is dropped.
    unsafe { pointer.as_ref() }
}

/// Makes `ready` a function's code in `slot`, unless another thread did
/// first (then `ready` is dropped).
fn publish(slot: &AtomicPtr<ReadyCode>, ready: ReadyCode) {
    let ready = Box::into_raw(Box::new(ready));
    if let Err(_first) = slot.compare_exchange(
        core::ptr::null_mut(),
        ready,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        // SAFETY: `ready` came from `Box::into_raw` above and was not
        // published.
        drop(unsafe { Box::from_raw(ready) });
    }
}

/// Checks the function table, and that the functions' code ranges are
/// non-empty, inside `code` and apart: what verifying a program at first
/// call checks up front. Returns the functions sorted by code offset.
fn verify_layout(
    code: &[u8],
    functions: &[FunctionInfo],
    shape: &EnvironmentShape,
) -> Result<Vec<u32>, VerifyError> {
    verify_function_table(functions, shape)?;
    crate::verify::verify_code_ranges(code, functions)
}

/// A lazy program's pending entries: the `first_call` ops, and each
/// function's entry pointing at its own.
fn pending_entries(functions: &[FunctionInfo]) -> (Box<[u8]>, Box<[FunctionEntry]>) {
    let mut pending = Vec::with_capacity(functions.len() * PENDING_ENTRY_LEN);
    for func in 0..count(functions.len()) {
        OwnedOp::FirstCall {
            func: FuncIndex(func),
        }
        .encode(&mut pending)
        .expect("an op without slot operands always encodes");
    }
    debug_assert_eq!(pending.len(), functions.len() * PENDING_ENTRY_LEN);
    let pending = pending.into_boxed_slice();
    let entries = functions
        .iter()
        .enumerate()
        .map(|(func, info)| FunctionEntry {
            code: pending.as_ptr().wrapping_add(func * PENDING_ENTRY_LEN),
            // Until it is readied, its frame holds its arguments.
            frame_slots: info.params,
            params: info.params,
            results: info.results,
            hotness: NEVER,
        })
        .collect();
    (pending, entries)
}

/// `len` slots for code not published yet.
fn unpublished<T>(len: usize) -> Box<[AtomicPtr<T>]> {
    (0..len)
        .map(|_| AtomicPtr::new(core::ptr::null_mut()))
        .collect()
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
            hotness: NEVER,
        })
        .collect()
}

/// Finds the function a code pointer is in ([`Program::locator`]).
pub(crate) struct Locator<'p> {
    program: &'p Program,
    /// Installed code: (start address, length, function, which of its
    /// code), by address.
    installed: Vec<(usize, usize, u32, CodeVersion)>,
}

impl Locator<'_> {
    /// The function `pc` is in, its offset in that function's code, and
    /// which of its code that is.
    pub(crate) fn locate(&self, pc: *const u8) -> Option<(FuncIndex, usize, CodeVersion)> {
        let program = self.program;
        let offset_in = |bytes: &[u8]| {
            let offset = pc.addr().wrapping_sub(bytes.as_ptr().addr());
            (offset < bytes.len()).then_some(offset)
        };
        if let Some(offset) = offset_in(&program.code) {
            let func = program.function_at(offset)?;
            let start = program.functions[func.index()].code_start as usize;
            return Some((func, offset - start, CodeVersion::First));
        }
        if let Some(offset) = offset_in(&program.pending) {
            let func = offset / PENDING_ENTRY_LEN;
            return Some((
                FuncIndex(count(func)),
                offset % PENDING_ENTRY_LEN,
                CodeVersion::First,
            ));
        }
        let position = self
            .installed
            .partition_point(|&(start, ..)| start <= pc.addr());
        let (start, len, func, version) = *self.installed.get(position.checked_sub(1)?)?;
        let offset = pc.addr() - start;
        (offset < len).then_some((FuncIndex(func), offset, version))
    }
}
