//! The embedder-facing interpreter: calls into a program, exits with a
//! reason, resumption after host calls and fuel, backtraces.
//!
//! An [`Interpreter`] owns a register stack and a frame stack. Each
//! [`Interpreter::call`] starts an *activation* on top of them; an activation
//! that stops for the embedder (a host call, a builtin, a call outside the
//! instance, fuel) stays suspended until the embedder finishes or aborts it,
//! and the embedder may make nested calls meanwhile (for example from inside a
//! host function), which run above it.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::Cell;

use pulley_isa::{BuiltinIndex, FuncIndex, ImportIndex, Opcode, TrapCode};

use crate::dispatch;
use crate::environment::{Environment, EnvironmentRef};
use crate::machine::{Frame, RegList, RegisterStack, State, StopReason, Window};
use crate::program::{CodeVersion, FunctionEntry, Program};

/// Sizes of the interpreter's stacks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Register slots (8 bytes each) shared by all frames.
    pub stack_slots: usize,
    /// Call frames.
    pub max_frames: usize,
}

impl Default for Config {
    /// 1 MiB of registers, 50 000 frames.
    fn default() -> Self {
        Config {
            stack_slots: 128 * 1024,
            max_frames: 50_000,
        }
    }
}

/// Why a call returned control to the embedder.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The called function returned; see [`Interpreter::results`].
    Returned,
    /// Execution trapped; the activation is gone. See
    /// [`Interpreter::trap_backtrace`].
    Trap(TrapCode),
    /// The program calls the embedder's function. Read the arguments with
    /// [`Interpreter::host_args`], then [`finish_host_call`] or
    /// [`abort`](Interpreter::abort).
    ///
    /// [`finish_host_call`]: Interpreter::finish_host_call
    HostCall(ImportIndex),
    /// The program asks the embedder to perform a builtin operation; handled
    /// like [`Exit::HostCall`].
    Builtin(BuiltinIndex),
    /// The program calls a function reference that names a function outside
    /// this instance; handled like [`Exit::HostCall`].
    ExternalCall {
        /// The function reference.
        handle: u64,
    },
    /// The program ran out of fuel; add fuel and [`resume`](Interpreter::resume),
    /// or [`abort`](Interpreter::abort).
    OutOfFuel,
    /// A function of a lazy program runs for the first time and has no
    /// verified code yet: give it its code ([`Program::install`]) or verify
    /// the code it has ([`Program::verify_pending`]), then
    /// [`finish_first_call`](Interpreter::finish_first_call), or
    /// [`abort`](Interpreter::abort).
    FirstCall(FuncIndex),
    /// Code installed into a lazy program counted a function as hot
    /// (`hot_count`, `hot_loop`): the embedder may compile it again and
    /// [upgrade](Program::upgrade) it, now or on another thread, and then
    /// [`finish_tier_up`](Interpreter::finish_tier_up) goes on.
    TierUp {
        /// The function.
        func: FuncIndex,
        /// Where it counted: the wasm offset of the loop header the frame
        /// is at (`hot_loop`), for which the embedder may also install an
        /// [on-stack entry](Program::install_on_stack_entry) for the frame
        /// to move into; `None` at the function's entry.
        at_loop: Option<u32>,
    },
}

/// A position in a backtrace: a function and a code offset inside it (the
/// op executing, or, for callers, inside the call op).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FramePosition {
    /// The function.
    pub func: FuncIndex,
    /// Offset in the function's code.
    pub code_offset: usize,
    /// Which of the function's code that is.
    pub code: CodeVersion,
}

/// Misuse of the interpreter by the embedder.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The function index is not in the program.
    #[error("function {func} does not exist: the program has {count}")]
    NoSuchFunction {
        /// The index.
        func: u32,
        /// Number of functions.
        count: usize,
    },
    /// Wrong number of argument or result values.
    #[error("expected {expected} {what}, got {found}")]
    ValueCount {
        /// "arguments" or "results".
        what: &'static str,
        /// The number needed.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// The environment provides fewer entities than the program uses.
    #[error("the environment has {provided} {what}, the program needs {needed}")]
    EnvironmentTooSmall {
        /// Which entity.
        what: &'static str,
        /// How many the program needs.
        needed: usize,
        /// How many the environment has.
        provided: usize,
    },
    /// No activation is suspended in the way this operation needs.
    #[error("no call is suspended at {expected}")]
    NotSuspended {
        /// What was expected.
        expected: &'static str,
    },
    /// [`Interpreter::finish_first_call`] before the function was readied.
    #[error("function {func} has no verified code yet")]
    NotReady {
        /// The function.
        func: u32,
    },
}

/// A started call: its program, environment and, while suspended, where it
/// stopped.
struct Activation {
    program: Arc<Program>,
    /// Where the program's calls go: its own entries, or this interpreter's
    /// copy for a lazy program (`LazyEntries`).
    entries: *const FunctionEntry,
    env: EnvironmentRef,
    frame_floor: usize,
    /// While suspended: the op that stopped, in verified code of `program`,
    /// its frame's window, and, for a call of the embedder's, the op's
    /// argument and result slots.
    stop_pc: *const u8,
    window: Window,
    waiting: Option<StopReason>,
    stop_call: Option<(RegList, Option<RegList>)>,
}

/// This interpreter's function table for a lazy program: the program's
/// entries when the interpreter first called it (pending ones for functions
/// not readied then), each pending one replaced by the function's verified
/// code once it has run here. Each interpreter keeps its own, so that calls
/// read plain memory that no other thread writes.
struct LazyEntries {
    /// Keeps the program, and so the code the entries point into, alive.
    _program: Arc<Program>,
    entries: Box<[Cell<FunctionEntry>]>,
}

/// A Pulley interpreter. See the [crate documentation](crate).
pub struct Interpreter {
    stack: RegisterStack,
    state: State,
    activations: Vec<Activation>,
    trap_backtrace: Vec<FramePosition>,
    /// By the address of their program.
    lazy_entries: BTreeMap<usize, LazyEntries>,
}

// SAFETY: everything an interpreter points to (its stack, its programs'
// code, its own lazy entries) it owns or holds an `Arc` of; environments are
// the embedder's, valid while a call runs (`EnvironmentRef::new`). Nothing
// is shared with another thread except programs, which are `Sync`.
unsafe impl Send for Interpreter {}

impl Default for Interpreter {
    fn default() -> Self {
        Self::new(Config::default())
    }
}

impl Interpreter {
    /// An interpreter with stacks of the given sizes.
    pub fn new(config: Config) -> Interpreter {
        let stack = RegisterStack::new(config.stack_slots);
        let state = State {
            functions: core::ptr::null(),
            functions_len: 0,
            env: core::ptr::null(),
            stack_end: stack.end(),
            frame_slots: 0,
            frames: Vec::new(),
            frames_limit: config.max_frames,
            frames_room: 0,
            frame_floor: 0,
            fuel: u64::MAX,
            stop: StopReason::Returned,
            stop_pc: core::ptr::null(),
            stop_regs: core::ptr::null_mut(),
            stop_call: None,
            stop_values: RegList::EMPTY,
            results: Vec::new(),
            #[cfg(feature = "profile")]
            profile: crate::profile::Profile::default(),
        };
        Interpreter {
            stack,
            state,
            activations: Vec::new(),
            trap_backtrace: Vec::new(),
            lazy_entries: BTreeMap::new(),
        }
    }

    /// Fuel left.
    pub fn fuel(&self) -> u64 {
        self.state.fuel
    }

    /// Sets the fuel left (`u64::MAX` for practically unlimited).
    pub fn set_fuel(&mut self, fuel: u64) {
        self.state.fuel = fuel;
    }

    /// The values the last [`Exit::Returned`] call returned.
    pub fn results(&self) -> &[u64] {
        &self.state.results
    }

    /// The positions of the last trap, innermost first.
    pub fn trap_backtrace(&self) -> &[FramePosition] {
        &self.trap_backtrace
    }

    /// Number of activations (started calls that have not finished).
    pub fn depth(&self) -> usize {
        self.activations.len()
    }

    /// The op and pair counts so far (feature `profile`).
    #[cfg(feature = "profile")]
    pub fn profile(&mut self) -> &mut crate::profile::Profile {
        &mut self.state.profile
    }

    /// Calls function `func` of `program` with `args` against `env`.
    ///
    /// If a call is suspended, this one runs above it (a nested call).
    pub fn call(
        &mut self,
        program: &Arc<Program>,
        env: EnvironmentRef,
        func: FuncIndex,
        args: &[u64],
    ) -> Result<Exit, CallError> {
        let functions = program.functions();
        if func.index() >= functions.len() {
            return Err(CallError::NoSuchFunction {
                func: func.0,
                count: functions.len(),
            });
        }
        let entries = self.entries_for(program);
        // SAFETY: `entries` has one entry per function of the program, and
        // `func` is one of them.
        let info = unsafe { *entries.add(func.index()) };
        if args.len() != info.params as usize {
            return Err(CallError::ValueCount {
                what: "arguments",
                expected: info.params as usize,
                found: args.len(),
            });
        }
        check_environment(program, env.get())?;
        let base = match self.activations.last() {
            None => self.stack.base(),
            Some(top) if top.waiting.is_some() => top.window.end(),
            Some(_) => {
                return Err(CallError::NotSuspended {
                    expected: "an exit (calls may only nest inside host calls)",
                });
            }
        };
        let Some(window) = self.stack.window(base, info.frame_slots as usize) else {
            self.trap_backtrace.clear();
            return Ok(Exit::Trap(TrapCode::StackOverflow));
        };
        // `params <= frame_slots` (verified).
        window.write_all(args);
        self.activations.push(Activation {
            program: Arc::clone(program),
            entries,
            env,
            frame_floor: self.state.frames.len(),
            stop_pc: core::ptr::null(),
            window,
            waiting: None,
            stop_call: None,
        });
        self.load_top();
        Ok(self.run(info.code, window.regs()))
    }

    /// The function table calls of `program` use in this interpreter.
    fn entries_for(&mut self, program: &Arc<Program>) -> *const FunctionEntry {
        if !program.is_lazy() {
            return program.entries().as_ptr();
        }
        let key = Arc::as_ptr(program).addr();
        let table = self.lazy_entries.entry(key).or_insert_with(|| LazyEntries {
            _program: Arc::clone(program),
            entries: (0u32..)
                .zip(program.entries())
                .map(|(func, &pending)| {
                    Cell::new(program.ready_entry(FuncIndex(func)).unwrap_or(pending))
                })
                .collect(),
        });
        // `Cell<T>` has the layout of `T`.
        table.entries.as_ptr().cast::<FunctionEntry>()
    }

    /// Continues after [`Exit::FirstCall`], once the function is readied
    /// ([`Program::install`], [`Program::verify_pending`]): runs it in the
    /// frame that called it. Traps with `stack_overflow` if its whole frame
    /// does not fit.
    pub fn finish_first_call(&mut self) -> Result<Exit, CallError> {
        let not_suspended = CallError::NotSuspended {
            expected: "a function's first call",
        };
        let top = self.activations.last().ok_or(not_suspended.clone())?;
        let Some(StopReason::FirstCall(func)) = top.waiting else {
            return Err(not_suspended);
        };
        let entry = top
            .program
            .ready_entry(FuncIndex(func))
            .ok_or(CallError::NotReady { func })?;
        let table = self
            .lazy_entries
            .get(&Arc::as_ptr(&top.program).addr())
            .ok_or(not_suspended)?;
        table.entries[func as usize].set(entry);
        Ok(self.run_in_top_frame(entry.code, entry.frame_slots))
    }

    /// Runs verified `code` in the suspended top frame, its window resized
    /// to `frame_slots` (its slots stay where they are: the code's
    /// parameters are the first of them); traps with `stack_overflow` if
    /// the window does not fit.
    fn run_in_top_frame(&mut self, code: *const u8, frame_slots: u32) -> Exit {
        let top = self.activations.last().expect("a suspended activation");
        let regs = top.window.regs();
        let Some(window) = self.stack.window(regs, frame_slots as usize) else {
            self.trap_backtrace =
                self.positions(top, top.stop_pc, &self.state.frames[top.frame_floor..]);
            self.pop_activation();
            return Exit::Trap(TrapCode::StackOverflow);
        };
        self.activations.last_mut().expect("checked above").window = window;
        self.wake_top();
        self.run(code, regs)
    }

    /// Continues after [`Exit::TierUp`]. From now on this interpreter's
    /// calls of the function enter its upgraded code, if
    /// [`Program::upgrade`] gave it some. At a loop header that has an
    /// [on-stack entry](Program::install_on_stack_entry), the frame moves
    /// into it; at a header whose entry is not there yet, the function
    /// keeps its first code for calls too (until a call of it asks), so
    /// that the frame asks again later. Otherwise execution goes on after the op that stopped, and a
    /// function without upgraded code counts on and asks again later.
    pub fn finish_tier_up(&mut self) -> Result<Exit, CallError> {
        let not_suspended = CallError::NotSuspended {
            expected: "a tier-up",
        };
        let top = self.activations.last().ok_or(not_suspended.clone())?;
        let (func, at_loop, opcode) = match top.waiting {
            Some(StopReason::Hot(func)) => (FuncIndex(func), None, Opcode::HotCount),
            Some(StopReason::HotLoop { func, header }) => {
                (FuncIndex(func), Some(header), Opcode::HotLoop)
            }
            _ => return Err(not_suspended),
        };
        let on_stack = at_loop.and_then(|header| top.program.on_stack_entry(func, header));
        // A frame at a header without its entry keeps the first code for
        // calls: with upgraded code there, its count would not run out
        // again, and it could not ask for the entry once it is compiled.
        if (at_loop.is_none() || on_stack.is_some())
            && let Some(entry) = top.program.upgraded_entry(func)
            && let Some(table) = self.lazy_entries.get(&Arc::as_ptr(&top.program).addr())
        {
            table.entries[func.index()].set(entry);
        }
        let (pc, regs) = (top.stop_pc, top.window.regs());
        if let Some(target) = on_stack {
            return Ok(self.run_in_top_frame(target.code, target.frame_slots));
        }
        let len = opcode.fixed_size().expect("hot counts have no lists");
        self.wake_top();
        Ok(self.run(pc.wrapping_add(len), regs))
    }

    /// Continues after [`Exit::OutOfFuel`], retrying the fuel check.
    pub fn resume(&mut self) -> Result<Exit, CallError> {
        let top = self.activations.last().ok_or(CallError::NotSuspended {
            expected: "an out-of-fuel exit",
        })?;
        if top.waiting != Some(StopReason::OutOfFuel) {
            return Err(CallError::NotSuspended {
                expected: "an out-of-fuel exit",
            });
        }
        let (pc, regs) = (top.stop_pc, top.window.regs());
        self.wake_top();
        Ok(self.run(pc, regs))
    }

    /// The arguments of the suspended host call, builtin or external call.
    pub fn host_args(&self) -> Result<impl ExactSizeIterator<Item = u64> + '_, CallError> {
        let (top, args, _) = self.suspended_call()?;
        let window = top.window;
        // SAFETY: `i < len`, and the list lies in the verified op that stopped.
        Ok((0..args.len).map(move |i| window.read(unsafe { args.get(i) }.0)))
    }

    /// Completes the suspended host call, builtin or external call with its
    /// results and continues execution.
    pub fn finish_host_call(&mut self, results: &[u64]) -> Result<Exit, CallError> {
        let (top, _, slots) = self.suspended_call()?;
        let window = top.window;
        let Some(slots) = slots else {
            // A tail call: its results are the frame's.
            self.wake_top();
            return Ok(self.return_values(results));
        };
        if slots.len != results.len() {
            return Err(CallError::ValueCount {
                what: "results",
                expected: slots.len,
                found: results.len(),
            });
        }
        for (i, &value) in results.iter().enumerate() {
            // SAFETY: `i < len`, and the list lies in the verified op that
            // stopped.
            window.write(unsafe { slots.get(i) }.0, value);
        }
        self.wake_top();
        // The op's results list ends it: execution goes on after it.
        Ok(self.run(slots.end(), window.regs()))
    }

    /// Ends the suspended activation on top without finishing it (for
    /// example because the host function trapped).
    pub fn abort(&mut self) -> Result<(), CallError> {
        match self.activations.last() {
            Some(top) if top.waiting.is_some() => {}
            _ => {
                return Err(CallError::NotSuspended {
                    expected: "an exit",
                });
            }
        }
        self.pop_activation();
        Ok(())
    }

    /// The positions of the suspended activation on top, innermost first.
    pub fn backtrace(&self) -> Vec<FramePosition> {
        match self.activations.last() {
            Some(top) if top.waiting.is_some() => {
                self.positions(top, top.stop_pc, &self.state.frames[top.frame_floor..])
            }
            _ => Vec::new(),
        }
    }

    /// The suspended activation on top, stopped at a call of the
    /// embedder's, with that call's argument and result slots.
    fn suspended_call(&self) -> Result<(&Activation, RegList, Option<RegList>), CallError> {
        let not_suspended = CallError::NotSuspended {
            expected: "a host call",
        };
        let top = self.activations.last().ok_or(not_suspended.clone())?;
        match (top.waiting, top.stop_call) {
            (
                Some(
                    StopReason::HostCall(_) | StopReason::Builtin(_) | StopReason::ExternalCall(_),
                ),
                Some((args, results)),
            ) => Ok((top, args, results)),
            _ => Err(not_suspended),
        }
    }

    /// Marks the suspended activation on top as running again, and loads it.
    fn wake_top(&mut self) {
        if let Some(top) = self.activations.last_mut() {
            top.waiting = None;
        }
        self.load_top();
    }

    /// Loads the state of the activation on top (or clears it).
    fn load_top(&mut self) {
        match self.activations.last() {
            Some(top) => {
                self.state.functions = top.entries;
                self.state.functions_len = top.program.functions().len();
                self.state.env = top.env.as_ptr();
                self.state.frame_slots = top.window.slots();
                self.state.frame_floor = top.frame_floor;
            }
            None => {
                self.state.functions = core::ptr::null();
                self.state.functions_len = 0;
                self.state.env = core::ptr::null();
                self.state.frame_floor = 0;
            }
        }
    }

    /// Runs the activation on top from `pc` in window `regs` until it stops.
    fn run(&mut self, mut pc: *const u8, mut regs: *mut u64) -> Exit {
        let env: &Environment = self
            .activations
            .last()
            .expect("a running activation")
            .env
            .get();
        let (memory_base, memory_len) = (env.memory_base, env.memory_len);
        // The stops that handlers leave to the interpreter, which goes on
        // without the embedder.
        loop {
            dispatch::run(&mut self.state, pc, regs, memory_base, memory_len);
            (pc, regs) = match self.state.stop {
                StopReason::GrowFrames => {
                    if !self.grow_frames() {
                        self.state.stop = StopReason::Trap(TrapCode::StackOverflow);
                        break;
                    }
                    // The call op had done nothing before it stopped: run it
                    // again.
                    (self.state.stop_pc, self.state.stop_regs)
                }
                StopReason::ReturnValues => self.return_stopped_values(),
                _ => break,
            };
        }
        self.after_stop()
    }

    /// Completes a `ret` that stopped with [`StopReason::ReturnValues`]:
    /// pops its frame, copies its values into the caller's result slots,
    /// and gives where the caller continues.
    fn return_stopped_values(&mut self) -> (*const u8, *mut u64) {
        let frame = self
            .state
            .frames
            .pop()
            .expect("`ret` stops with values only above the activation's floor");
        let values = self.state.stop_values;
        let callee = self
            .stack
            .window(self.state.stop_regs, self.state.frame_slots)
            .expect("the stopped frame lies inside the stack");
        let caller = self
            .stack
            .window(frame.caller_regs, frame.caller_frame_slots)
            .expect("a caller's frame lies inside the stack");
        for (i, slot) in frame.result_slots().take(values.len).enumerate() {
            // SAFETY: `i < values.len`, and the list lies in the verified
            // `ret` that stopped.
            caller.write(slot, callee.read(unsafe { values.get(i) }.0));
        }
        self.state.frame_slots = frame.caller_frame_slots;
        (frame.results.end(), frame.caller_regs)
    }

    /// Makes room for more frame records, doubling it up to the limit;
    /// false at the limit.
    fn grow_frames(&mut self) -> bool {
        let frames = &mut self.state.frames;
        let depth = frames.len();
        if depth >= self.state.frames_limit {
            return false;
        }
        let more = depth.max(64).min(self.state.frames_limit - depth);
        frames.reserve_exact(more);
        self.state.frames_room = frames.capacity().min(self.state.frames_limit);
        true
    }

    /// Turns a stop into an exit, ending or suspending the activation.
    fn after_stop(&mut self) -> Exit {
        let stop = self.state.stop;
        let exit = match stop {
            StopReason::Returned => {
                let values = self.state.stop_values;
                let window = self
                    .stack
                    .window(self.state.stop_regs, self.state.frame_slots)
                    .expect("the stopped frame lies inside the stack");
                self.state.results.clear();
                self.state.results.extend((0..values.len).map(|i| {
                    // SAFETY: `i < len`, and the list lies in the verified
                    // `ret` that stopped.
                    window.read(unsafe { values.get(i) }.0)
                }));
                self.pop_activation();
                return Exit::Returned;
            }
            StopReason::Trap(code) => {
                let top = self.activations.last().expect("a running activation");
                self.trap_backtrace = self.positions(
                    top,
                    self.state.stop_pc,
                    &self.state.frames[top.frame_floor..],
                );
                self.pop_activation();
                return Exit::Trap(code);
            }
            StopReason::HostCall(import) => Exit::HostCall(ImportIndex(import)),
            StopReason::Builtin(builtin) => Exit::Builtin(BuiltinIndex(builtin)),
            StopReason::ExternalCall(handle) => Exit::ExternalCall { handle },
            StopReason::OutOfFuel => Exit::OutOfFuel,
            StopReason::FirstCall(func) => Exit::FirstCall(FuncIndex(func)),
            StopReason::Hot(func) => Exit::TierUp {
                func: FuncIndex(func),
                at_loop: None,
            },
            StopReason::HotLoop { func, header } => Exit::TierUp {
                func: FuncIndex(func),
                at_loop: Some(header),
            },
            StopReason::GrowFrames | StopReason::ReturnValues => {
                unreachable!("`run` completes its own stops")
            }
        };
        let stop_call = self.state.stop_call.take();
        let window = self
            .stack
            .window(self.state.stop_regs, self.state.frame_slots)
            .expect("the stopped frame lies inside the stack");
        let top = self.activations.last_mut().expect("a running activation");
        top.stop_pc = self.state.stop_pc;
        top.window = window;
        top.waiting = Some(stop);
        top.stop_call = stop_call;
        exit
    }

    /// Returns `values` from the current frame of the activation on top, as a
    /// `ret` op would, and continues.
    fn return_values(&mut self, values: &[u64]) -> Exit {
        if self.state.frames.len() <= self.state.frame_floor {
            self.state.results.clear();
            self.state.results.extend_from_slice(values);
            self.pop_activation();
            return Exit::Returned;
        }
        let frame: Frame = self.state.frames.pop().expect("above the floor");
        let caller = self
            .stack
            .window(frame.caller_regs, frame.caller_frame_slots)
            .expect("a caller's frame lies inside the stack");
        for (slot, &value) in frame.result_slots().zip(values) {
            caller.write(slot, value);
        }
        self.state.frame_slots = frame.caller_frame_slots;
        self.run(frame.results.end(), frame.caller_regs)
    }

    /// Ends the activation on top, dropping its frames.
    fn pop_activation(&mut self) {
        if let Some(top) = self.activations.pop() {
            self.state.frames.truncate(top.frame_floor);
        }
        self.load_top();
    }

    /// Backtrace positions: `pc` in the current function, then each frame's
    /// call site, innermost first.
    fn positions(
        &self,
        activation: &Activation,
        pc: *const u8,
        frames: &[Frame],
    ) -> Vec<FramePosition> {
        let locator = activation.program.locator();
        let position = |at: usize| {
            locator
                .locate(core::ptr::without_provenance(at))
                .map(|(func, code_offset, code)| FramePosition {
                    func,
                    code_offset,
                    code,
                })
        };
        let mut positions: Vec<FramePosition> = position(pc.addr()).into_iter().collect();
        positions.extend(
            frames
                .iter()
                .rev()
                .filter_map(|frame| position(frame.results.entries.addr())),
        );
        positions
    }
}

/// Checks that `env` provides every entity `program` indexes.
fn check_environment(program: &Program, env: &Environment) -> Result<(), CallError> {
    let shape = program.shape();
    let checks = [
        ("globals", shape.globals.len(), env.globals_len),
        ("tables", shape.tables.len(), env.tables_len),
        (
            "type ids",
            program.type_ids_used() as usize,
            env.type_ids_len,
        ),
        (
            "function references",
            shape.func_refs as usize,
            env.func_refs_len,
        ),
    ];
    for (what, needed, provided) in checks {
        if provided < needed {
            return Err(CallError::EnvironmentTooSmall {
                what,
                needed,
                provided,
            });
        }
    }
    Ok(())
}
