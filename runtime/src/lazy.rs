//! Functions compiled at their first call ([`CompilationMode`]): each
//! defined function of a lazy module is compiled at most once, by whichever
//! thread calls it first, while other threads that call the same function
//! wait for it; functions compile independently of each other.
//!
//! [`CompilationMode`]: crate::CompilationMode

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use pulley_emit::{CompileError, FunctionCode, LazyModule, Tier};
use pulley_interp::{CodeVersion, Program, VerifyError};
use pulley_isa::FuncIndex;
use pulley_module::CompiledModule;

use crate::{Error, FirstTier, Result};

/// A lazy module's compiler and what it compiled.
pub(crate) struct LazyFunctions {
    compiler: LazyModule,
    /// The tier each function is compiled with first.
    tier: Tier,
    /// Each defined function's compilation, once done.
    compiled: Box<[OnceLock<Compiled>]>,
    /// Each defined function's compilation by the optimizing tier after it
    /// counted as hot (a tier-up), once done.
    upgraded: Box<[OnceLock<Compiled>]>,
    /// Whether each defined function's tier-up was asked for already.
    tier_up_requested: Box<[AtomicBool]>,
    /// The on-stack entries asked for, by defined function and loop header:
    /// each one's compilation, once done.
    on_stack: Mutex<BTreeMap<(u32, u32), Option<Compiled>>>,
}

/// A function's compilation, or why it failed.
type Compiled = Result<CompiledFunction, Failure>;

/// What is kept of a function's compilation.
struct CompiledFunction {
    /// (offset in its own code, wasm offset) of each op that can trap or
    /// call.
    address_map: Box<[(u32, u32)]>,
    /// The tier that compiled it.
    tier: Tier,
    /// How long compiling and installing it took.
    time: Duration,
    /// The size of its bytecode.
    code_bytes: usize,
}

/// What a lazy module compiled so far ([`Module::compilation_stats`]).
///
/// [`Module::compilation_stats`]: crate::Module::compilation_stats
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompilationStats {
    /// Functions the baseline tier compiled.
    pub baseline: TierStats,
    /// Functions the optimizing tier compiled (with the baseline tier first:
    /// those it could not translate).
    pub optimizing: TierStats,
    /// Functions the optimizing tier compiled again once their baseline
    /// code counted them as hot.
    pub tiered_up: TierStats,
    /// On-stack entries the optimizing tier compiled for frames of baseline
    /// code that ran a loop long enough to count as hot (one per loop
    /// header that asked; the `functions` counted are entries).
    pub on_stack: TierStats,
    /// Bytecode that tiering up superseded and that stays until the module
    /// is dropped (frames may still run it): the first code of the functions
    /// in `tiered_up`.
    pub superseded_code_bytes: usize,
    /// Tier-ups and on-stack entries that failed where they should not
    /// have: an internal compiler error, or optimized code the verifier
    /// refused (other than an entry that would use a frame value as a
    /// reference). A bug in Pulley, which the differential fuzzer looks
    /// for; the code that asked ran on in its first code.
    pub tier_up_bugs: usize,
}

/// The functions one tier compiled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TierStats {
    /// How many.
    pub functions: usize,
    /// Their compile time in total (compiling and verifying).
    pub time: Duration,
    /// The one that took longest: its index among all functions, and its
    /// time.
    pub slowest: Option<(u32, Duration)>,
    /// The size of their bytecode.
    pub code_bytes: usize,
}

impl CompiledFunction {
    /// The wasm offset of `code_offset` in its code: that of the last op at
    /// or before it that can trap or call.
    fn wasm_offset(&self, code_offset: usize) -> Option<u32> {
        let map = &self.address_map;
        let position = map.partition_point(|&(offset, _)| offset as usize <= code_offset);
        Some(map.get(position.checked_sub(1)?)?.1)
    }
}

impl TierStats {
    fn add(&mut self, func: u32, compiled: &CompiledFunction) {
        let time = compiled.time;
        self.functions += 1;
        self.time += time;
        self.code_bytes += compiled.code_bytes;
        if self.slowest.is_none_or(|(_, slowest)| time > slowest) {
            self.slowest = Some((func, time));
        }
    }
}

/// Why a function could not be compiled; kept, so that every call of the
/// function fails the same way.
#[derive(Clone, Debug)]
enum Failure {
    Compile(CompileError),
    Verify(VerifyError),
}

impl Failure {
    /// Whether the failure of a tier-up (`on_stack`: of an on-stack entry)
    /// is a bug (see [`CompilationStats::tier_up_bugs`]).
    fn is_bug(&self, on_stack: bool) -> bool {
        match self {
            Failure::Compile(error) => matches!(error, CompileError::Internal(_)),
            Failure::Verify(VerifyError::KindMismatch { .. }) => !on_stack,
            Failure::Verify(_) => true,
        }
    }
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Error {
        match failure {
            Failure::Compile(error) => error.into(),
            Failure::Verify(error) => error.into(),
        }
    }
}

impl LazyFunctions {
    pub(crate) fn new(compiler: LazyModule, first_tier: FirstTier) -> LazyFunctions {
        let count = compiler.info().defined_functions() as usize;
        let tier = match first_tier {
            FirstTier::Optimizing => Tier::Optimizing,
            FirstTier::Baseline => Tier::Baseline,
        };
        LazyFunctions {
            compiler,
            tier,
            compiled: (0..count).map(|_| OnceLock::new()).collect(),
            upgraded: (0..count).map(|_| OnceLock::new()).collect(),
            tier_up_requested: (0..count).map(|_| AtomicBool::new(false)).collect(),
            on_stack: Mutex::default(),
        }
    }

    /// Compiles defined function `defined` into `program` unless it was.
    pub(crate) fn ensure_compiled(&self, program: &Program, defined: u32) -> Result<()> {
        let cell = self
            .compiled
            .get(defined as usize)
            .ok_or(crate::UsageError::NoSuchFunction)?;
        let compiled = cell.get_or_init(|| {
            self.compile(
                |compiler| compiler.compile_function(defined, self.tier),
                |function| program.install(FuncIndex(defined), function.code, function.frame_slots),
            )
        });
        match compiled {
            Ok(_) => Ok(()),
            Err(failure) => Err(failure.clone().into()),
        }
    }

    /// Whether this is the first request to tier defined function `defined`
    /// up (the caller then does it, or has it done).
    pub(crate) fn request_tier_up(&self, defined: u32) -> bool {
        self.tier_up_requested
            .get(defined as usize)
            .is_some_and(|requested| !requested.swap(true, Ordering::AcqRel))
    }

    /// Compiles defined function `defined` with the optimizing tier and
    /// upgrades `program` to that code, once, after its first code counted
    /// it as hot. If that fails, the function keeps its first code: the
    /// failure is kept, so the function is not compiled again.
    pub(crate) fn tier_up(&self, program: &Program, defined: u32) {
        let Some(cell) = self.upgraded.get(defined as usize) else {
            return;
        };
        cell.get_or_init(|| {
            self.compile(
                |compiler| compiler.compile_function(defined, Tier::Optimizing),
                |function| program.upgrade(FuncIndex(defined), function.code, function.frame_slots),
            )
        });
    }

    /// Whether this is the first request for defined function `defined`'s
    /// on-stack entry at the loop header at wasm offset `header` (the
    /// caller then compiles it, or has it compiled).
    pub(crate) fn request_on_stack_entry(&self, defined: u32, header: u32) -> bool {
        let mut entries = self.on_stack.lock().unwrap_or_else(PoisonError::into_inner);
        match entries.entry((defined, header)) {
            alloc::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(None);
                true
            }
            alloc::collections::btree_map::Entry::Occupied(_) => false,
        }
    }

    /// Compiles defined function `defined`'s on-stack entry at the loop
    /// header at wasm offset `header` and installs it into `program`, for
    /// frames of its baseline code at that header to move into. If that
    /// fails, those frames run on in the baseline code.
    pub(crate) fn compile_on_stack_entry(&self, program: &Program, defined: u32, header: u32) {
        let compiled = self.compile(
            |compiler| compiler.compile_on_stack_entry(defined, header),
            |function| {
                program.install_on_stack_entry(
                    FuncIndex(defined),
                    header,
                    function.code,
                    function.frame_slots,
                    function.params,
                )
            },
        );
        self.on_stack
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert((defined, header), Some(compiled));
    }

    /// Compiles a function with `compile` and hands its code to `install`,
    /// timing both.
    fn compile(
        &self,
        compile: impl FnOnce(&LazyModule) -> Result<FunctionCode, CompileError>,
        install: impl FnOnce(FunctionCode) -> Result<(), VerifyError>,
    ) -> Compiled {
        let start = Instant::now();
        let mut function = compile(&self.compiler).map_err(Failure::Compile)?;
        let address_map = core::mem::take(&mut function.address_map).into_boxed_slice();
        let (tier, code_bytes) = (function.tier, function.code.len());
        install(function).map_err(Failure::Verify)?;
        Ok(CompiledFunction {
            address_map,
            tier,
            time: start.elapsed(),
            code_bytes,
        })
    }

    /// The wasm offset of `code_offset` in defined function `defined`'s
    /// code `version`, if it was compiled: that of the last op at or
    /// before it that can trap or call.
    pub(crate) fn wasm_offset(
        &self,
        defined: u32,
        code_offset: usize,
        version: CodeVersion,
    ) -> Option<u32> {
        let lookup = |compiled: &CompiledFunction| compiled.wasm_offset(code_offset);
        match version {
            CodeVersion::First => self
                .compiled
                .get(defined as usize)?
                .get()?
                .as_ref()
                .ok()
                .and_then(lookup),
            CodeVersion::Upgraded => self
                .upgraded
                .get(defined as usize)?
                .get()?
                .as_ref()
                .ok()
                .and_then(lookup),
            CodeVersion::OnStack { header } => {
                let entries = self.on_stack.lock().unwrap_or_else(PoisonError::into_inner);
                entries
                    .get(&(defined, header))?
                    .as_ref()?
                    .as_ref()
                    .ok()
                    .and_then(lookup)
            }
        }
    }

    /// How many functions are compiled so far.
    pub(crate) fn compiled_count(&self) -> usize {
        self.compiled
            .iter()
            .filter(|cell| matches!(cell.get(), Some(Ok(_))))
            .count()
    }

    /// What was compiled so far, by tier.
    pub(crate) fn stats(&self) -> CompilationStats {
        let imported = self.compiler.info().imported_functions;
        let mut stats = CompilationStats::default();
        for (defined, cell) in (0u32..).zip(&self.compiled) {
            if let Some(Ok(compiled)) = cell.get() {
                let tier = match compiled.tier {
                    Tier::Baseline => &mut stats.baseline,
                    Tier::Optimizing => &mut stats.optimizing,
                };
                tier.add(imported + defined, compiled);
            }
        }
        let entries = self.on_stack.lock().unwrap_or_else(PoisonError::into_inner);
        for (&(defined, _), compiled) in entries.iter() {
            match compiled {
                Some(Ok(compiled)) => stats.on_stack.add(imported + defined, compiled),
                Some(Err(failure)) => stats.tier_up_bugs += usize::from(failure.is_bug(true)),
                None => {}
            }
        }
        for (defined, cell) in (0u32..).zip(&self.upgraded) {
            match cell.get() {
                Some(Ok(compiled)) => {
                    stats.tiered_up.add(imported + defined, compiled);
                    if let Some(Ok(first)) = self.compiled[defined as usize].get() {
                        stats.superseded_code_bytes += first.code_bytes;
                    }
                }
                Some(Err(failure)) => stats.tier_up_bugs += usize::from(failure.is_bug(false)),
                None => {}
            }
        }
        stats
    }

    /// Every function compiled into one module's bytecode, for an artifact.
    pub(crate) fn compile_all(&self) -> Result<CompiledModule> {
        Ok(self.compiler.compile_all()?)
    }
}
