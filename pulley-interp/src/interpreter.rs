//! The embedder-facing interpreter: calls into a program, exits with a
//! reason, resumption after host calls and fuel, backtraces.
//!
//! An [`Interpreter`] owns a register stack and a frame stack. Each
//! [`Interpreter::call`] starts an *activation* on top of them; an activation
//! that stops for the embedder (a host call, a builtin, a call outside the
//! instance, fuel) stays suspended until the embedder finishes or aborts it,
//! and the embedder may make nested calls meanwhile (for example from inside a
//! host function), which run above it.

use alloc::sync::Arc;
use alloc::vec::Vec;

use pulley_isa::{BuiltinIndex, FuncIndex, ImportIndex, Op, SlotList, TrapCode, decode_one};

use crate::dispatch;
use crate::environment::{Environment, EnvironmentRef};
use crate::machine::{Frame, RegisterStack, State, StopReason, Window};
use crate::program::Program;

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
}

/// A position in a backtrace: a function and a code offset inside it (the
/// op executing, or, for callers, inside the call op).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FramePosition {
    /// The function.
    pub func: FuncIndex,
    /// Offset in the program's code.
    pub code_offset: usize,
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
}

/// A started call: its program, environment and, while suspended, where it
/// stopped.
struct Activation {
    program: Arc<Program>,
    env: EnvironmentRef,
    frame_floor: usize,
    /// While suspended: the code offset of the op that stopped, and its
    /// frame's window.
    stop_offset: usize,
    window: Window,
    waiting: Option<StopReason>,
}

/// A Pulley interpreter. See the [crate documentation](crate).
pub struct Interpreter {
    stack: RegisterStack,
    state: State,
    activations: Vec<Activation>,
    trap_backtrace: Vec<FramePosition>,
}

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
            code: core::ptr::null(),
            functions: core::ptr::null(),
            functions_len: 0,
            env: core::ptr::null(),
            stack_end: stack.end(),
            frame_slots: 0,
            frames: Vec::new(),
            frames_limit: config.max_frames,
            frame_floor: 0,
            fuel: u64::MAX,
            stop: StopReason::Returned,
            stop_pc: core::ptr::null(),
            stop_regs: core::ptr::null_mut(),
            results: Vec::new(),
            #[cfg(feature = "profile")]
            profile: crate::profile::Profile::default(),
        };
        Interpreter {
            stack,
            state,
            activations: Vec::new(),
            trap_backtrace: Vec::new(),
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
        let info = *functions
            .get(func.index())
            .ok_or(CallError::NoSuchFunction {
                func: func.0,
                count: functions.len(),
            })?;
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
            env,
            frame_floor: self.state.frames.len(),
            stop_offset: 0,
            window,
            waiting: None,
        });
        self.load_top();
        Ok(self.run(program.code_at(info.code_start as usize), window.regs()))
    }

    /// Continues after [`Exit::OutOfFuel`], retrying the fuel check.
    pub fn resume(&mut self) -> Result<Exit, CallError> {
        let top = self.activations.last_mut().ok_or(CallError::NotSuspended {
            expected: "an out-of-fuel exit",
        })?;
        if top.waiting != Some(StopReason::OutOfFuel) {
            return Err(CallError::NotSuspended {
                expected: "an out-of-fuel exit",
            });
        }
        top.waiting = None;
        let (pc, regs) = (top.program.code_at(top.stop_offset), top.window.regs());
        self.load_top();
        Ok(self.run(pc, regs))
    }

    /// The arguments of the suspended host call, builtin or external call.
    pub fn host_args(&self) -> Result<impl ExactSizeIterator<Item = u64> + '_, CallError> {
        let (top, op, _) = self.suspended_call()?;
        let args = match op {
            Op::CallImport { args, .. }
            | Op::CallBuiltin { args, .. }
            | Op::CallRef { args, .. }
            | Op::ReturnCallRef { args, .. } => args,
            _ => SlotList::from_entry_bytes(&[]),
        };
        let window = top.window;
        Ok(args.iter().map(move |slot| window.read(slot.index())))
    }

    /// Completes the suspended host call, builtin or external call with its
    /// results and continues execution.
    pub fn finish_host_call(&mut self, results: &[u64]) -> Result<Exit, CallError> {
        let (top, op, next) = self.suspended_call()?;
        let window = top.window;
        let pc = top.program.code_at(next);
        match op {
            Op::CallImport { results: slots, .. }
            | Op::CallBuiltin { results: slots, .. }
            | Op::CallRef { results: slots, .. } => {
                if slots.len() != results.len() {
                    return Err(CallError::ValueCount {
                        what: "results",
                        expected: slots.len(),
                        found: results.len(),
                    });
                }
                for (slot, &value) in slots.iter().zip(results) {
                    window.write(slot.index(), value);
                }
                let top = self
                    .activations
                    .last_mut()
                    .expect("suspended_call found one");
                top.waiting = None;
                self.load_top();
                // `next` is the end of a verified op, inside the code.
                Ok(self.run(pc, window.regs()))
            }
            Op::ReturnCallRef { .. } => {
                let top = self
                    .activations
                    .last_mut()
                    .expect("suspended_call found one");
                top.waiting = None;
                self.load_top();
                Ok(self.return_values(results))
            }
            _ => Err(CallError::NotSuspended { expected: "a call" }),
        }
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
                let pc = top.program.code_at(top.stop_offset);
                self.positions(top, pc, &self.state.frames[top.frame_floor..])
            }
            _ => Vec::new(),
        }
    }

    /// The suspended activation on top with the op it stopped at and the
    /// offset after that op.
    fn suspended_call(&self) -> Result<(&Activation, Op<'_>, usize), CallError> {
        let not_suspended = CallError::NotSuspended {
            expected: "a host call",
        };
        let top = self.activations.last().ok_or(not_suspended.clone())?;
        if !matches!(
            top.waiting,
            Some(StopReason::HostCall(_) | StopReason::Builtin(_) | StopReason::ExternalCall(_))
        ) {
            return Err(not_suspended);
        }
        let (op, next) =
            decode_one(top.program.code(), top.stop_offset).map_err(|_| not_suspended)?;
        Ok((top, op, next))
    }

    /// Loads the state of the activation on top (or clears it).
    fn load_top(&mut self) {
        match self.activations.last() {
            Some(top) => {
                self.state.code = top.program.code().as_ptr();
                self.state.functions = top.program.functions().as_ptr();
                self.state.functions_len = top.program.functions().len();
                self.state.env = top.env.as_ptr();
                self.state.frame_slots = top.window.slots();
                self.state.frame_floor = top.frame_floor;
            }
            None => {
                self.state.code = core::ptr::null();
                self.state.functions = core::ptr::null();
                self.state.functions_len = 0;
                self.state.env = core::ptr::null();
                self.state.frame_floor = 0;
            }
        }
    }

    /// Runs the activation on top from `pc` in window `regs` until it stops.
    fn run(&mut self, pc: *const u8, regs: *mut u64) -> Exit {
        let env: &Environment = self
            .activations
            .last()
            .expect("a running activation")
            .env
            .get();
        let (memory_base, memory_len) = (env.memory_base, env.memory_len);
        dispatch::run(&mut self.state, pc, regs, memory_base, memory_len);
        self.after_stop()
    }

    /// Turns a stop into an exit, ending or suspending the activation.
    fn after_stop(&mut self) -> Exit {
        let stop = self.state.stop;
        let exit = match stop {
            StopReason::Returned => {
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
        };
        let window = self
            .stack
            .window(self.state.stop_regs, self.state.frame_slots)
            .expect("the stopped frame lies inside the stack");
        let top = self.activations.last_mut().expect("a running activation");
        top.stop_offset = top.program.offset_of(self.state.stop_pc);
        top.window = window;
        top.waiting = Some(stop);
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
        let program = &activation.program;
        let code = program.code().as_ptr().addr();
        let position = |at: usize| {
            let code_offset = at.wrapping_sub(code);
            program
                .function_at(code_offset)
                .map(|func| FramePosition { func, code_offset })
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
