//! The engine and its configuration.

use alloc::sync::Arc;

use pulley_module::Flavour;

/// How an [`Engine`] compiles and runs code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    target: Flavour,
    optimize: bool,
    fuel: bool,
    max_wasm_stack: usize,
    max_frames: usize,
    max_memory_pages: u64,
    max_table_elements: u64,
    max_instances: usize,
    max_host_nesting: u32,
    native: bool,
    compilation: CompilationMode,
    first_tier: FirstTier,
    tier_up_threshold: Option<u32>,
    tier_up_in_background: bool,
}

/// The default [`Config::tier_up_threshold`]: calls plus loop iterations of
/// a function's baseline code, in one store, before it is compiled again
/// with the optimizing tier (a call of a large function counts one more
/// per KiB of its wasm body).
pub const DEFAULT_TIER_UP_THRESHOLD: u32 = 10_000;

/// When a module's functions are compiled to bytecode
/// ([`Config::compilation_mode`]). The names are wasmi's.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum CompilationMode {
    /// Every function when the module is made: the module is ready to run
    /// in full, and nothing compiles later.
    Eager,
    /// The module, with every function body, is validated when it is made;
    /// each function is compiled at its first call. The default: start-up
    /// costs only validation, and code that never runs is never compiled.
    #[default]
    LazyTranslation,
    /// As `LazyTranslation`, but a function body is validated only at its
    /// first call, so an invalid body is an error there (the call fails with
    /// [`Error::Compile`](crate::Error::Compile)), not when the module is
    /// made, and a body that never runs is never checked.
    Lazy,
}

/// The compiler that a lazily compiled function goes through at its first
/// call ([`Config::first_tier`]).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum FirstTier {
    /// Cranelift's optimizer and our lowering with register allocation:
    /// the fastest code, and the most compile time per function.
    Optimizing,
    /// One pass from wasm operators to bytecode, without Cranelift: compiles
    /// many times faster, and runs slower. Functions it cannot translate
    /// (the relaxed dot products, more than 256 slots, a second memory) go
    /// through the optimizing compiler. A function whose baseline code runs
    /// hot is compiled again with the optimizing tier
    /// ([`Config::tier_up_threshold`]); its calls from then on run the
    /// optimized code, and a call already running a hot loop moves into
    /// optimized code at that loop's header (on-stack replacement). The
    /// default: start-up costs what validation costs, and hot code runs
    /// optimized.
    #[default]
    Baseline,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            target: Flavour::host(),
            optimize: true,
            fuel: false,
            max_wasm_stack: 1 << 20,
            max_frames: 50_000,
            max_memory_pages: 65_536,
            max_table_elements: 10_000_000,
            max_instances: 10_000,
            max_host_nesting: 1000,
            native: false,
            compilation: CompilationMode::default(),
            first_tier: FirstTier::default(),
            tier_up_threshold: Some(DEFAULT_TIER_UP_THRESHOLD),
            tier_up_in_background: true,
        }
    }
}

impl Config {
    /// The default configuration: the host's flavour, optimized, no fuel,
    /// 1 MiB of wasm stack.
    pub fn new() -> Self {
        Self::default()
    }

    /// The flavour to compile for (default: the host's). Code compiled for
    /// another flavour can be serialized but not run here.
    pub fn target(&mut self, target: Flavour) -> &mut Self {
        self.target = target;
        self
    }

    /// Whether to run Cranelift's optimizer (default: yes).
    pub fn optimize(&mut self, optimize: bool) -> &mut Self {
        self.optimize = optimize;
        self
    }

    /// Whether code charges fuel, so that stores can bound execution with
    /// [`Store::set_fuel`](crate::Store::set_fuel) (default: no).
    pub fn consume_fuel(&mut self, fuel: bool) -> &mut Self {
        self.fuel = fuel;
        self
    }

    /// The size of the wasm stack in bytes (default 1 MiB; frame slots are 8
    /// bytes); exhausting it is a stack-overflow trap. Native code
    /// (`Config::native`, feature `native`) uses the thread's own stack, this many bytes of
    /// it at most, and never the last 256 KiB.
    pub fn max_wasm_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_wasm_stack = bytes;
        self
    }

    /// The deepest wasm call nesting.
    pub fn max_frames(&mut self, frames: usize) -> &mut Self {
        self.max_frames = frames;
        self
    }

    /// The most 64 KiB pages a memory may have (at most 65 536).
    pub fn max_memory_pages(&mut self, pages: u64) -> &mut Self {
        self.max_memory_pages = pages.min(65_536);
        self
    }

    /// The most elements a table may have.
    pub fn max_table_elements(&mut self, elements: u64) -> &mut Self {
        self.max_table_elements = elements;
        self
    }

    /// The most instances a store may hold.
    pub fn max_instances(&mut self, instances: usize) -> &mut Self {
        self.max_instances = instances;
        self
    }

    /// The deepest nesting of calls from wasm into the host and back into
    /// wasm (default 1000); deeper is a stack-overflow trap. Each level uses
    /// a few kilobytes of the native stack of the thread calling into wasm;
    /// where the thread's stack is known (Linux, with `std`), nesting also
    /// traps when less than 256 KiB of it would be left, so a small stack
    /// gives a trap, never a crash.
    pub fn max_host_nesting(&mut self, depth: u32) -> &mut Self {
        self.max_host_nesting = depth;
        self
    }

    /// Compiles modules to host machine code instead of bytecode (feature
    /// `native`; x86_64 and s390x hosts). Native modules behave as
    /// interpreted ones (traps, host calls, fuel, limits) but cannot be
    /// serialized; `max_wasm_stack` bounds their native stack use.
    #[cfg(feature = "native")]
    pub fn native(&mut self, native: bool) -> &mut Self {
        self.native = native;
        self
    }

    /// When functions are compiled (default:
    /// [`CompilationMode::LazyTranslation`]). Applies to bytecode for this
    /// host; modules compiled for another flavour, and native code
    /// ([`Config::native`]), are compiled eagerly, and serializing a lazy
    /// module compiles what it has not yet.
    pub fn compilation_mode(&mut self, mode: CompilationMode) -> &mut Self {
        self.compilation = mode;
        self
    }

    /// When functions are compiled.
    pub fn get_compilation_mode(&self) -> CompilationMode {
        self.compilation
    }

    /// The compiler that lazily compiled functions go through (default:
    /// [`FirstTier::Baseline`]). Applies only in the lazy compilation
    /// modes: eager compilation and artifacts always optimize.
    pub fn first_tier(&mut self, tier: FirstTier) -> &mut Self {
        self.first_tier = tier;
        self
    }

    /// The compiler that lazily compiled functions go through.
    pub fn get_first_tier(&self) -> FirstTier {
        self.first_tier
    }

    /// With the baseline tier first: how many calls plus loop iterations of
    /// a function's baseline code (a call counting one more per KiB of the
    /// function's wasm body), counted in each store, make it hot, so
    /// that it is compiled again with the optimizing tier, once per
    /// [`Module`](crate::Module), for the calls that follow; a frame whose
    /// count ran out at a loop header also gets an entry into optimized
    /// code at that header, once per module and header, and moves into it
    /// (default: [`DEFAULT_TIER_UP_THRESHOLD`]); `None`: never, and
    /// baseline code does not count.
    pub fn tier_up_threshold(&mut self, threshold: Option<u32>) -> &mut Self {
        self.tier_up_threshold = threshold;
        self
    }

    /// See [`Config::tier_up_threshold`].
    pub fn get_tier_up_threshold(&self) -> Option<u32> {
        self.tier_up_threshold
    }

    /// Whether a hot function is compiled again in the background while
    /// its baseline code runs on (the default), or on the thread that found
    /// it hot, which waits. In the background, one thread per engine
    /// compiles hot functions one at a time, in the order they got hot.
    /// Turn it off where creating threads is forbidden or costly; if the
    /// thread cannot be created, the compilation happens on the calling
    /// thread anyway.
    pub fn tier_up_in_background(&mut self, background: bool) -> &mut Self {
        self.tier_up_in_background = background;
        self
    }

    /// See [`Config::tier_up_in_background`].
    pub fn get_tier_up_in_background(&self) -> bool {
        self.tier_up_in_background
    }

    /// Whether modules are compiled to host machine code.
    pub fn get_native(&self) -> bool {
        self.native
    }

    /// The target flavour.
    pub fn get_target(&self) -> Flavour {
        self.target
    }

    /// Whether fuel is on.
    pub fn get_consume_fuel(&self) -> bool {
        self.fuel
    }

    #[cfg(feature = "compiler")]
    pub(crate) fn get_optimize(&self) -> bool {
        self.optimize
    }

    pub(crate) fn interpreter_config(&self) -> pulley_interp::Config {
        pulley_interp::Config {
            stack_slots: self.max_wasm_stack / 8,
            max_frames: self.max_frames,
        }
    }

    #[cfg(feature = "native")]
    pub(crate) fn max_wasm_stack_bytes(&self) -> usize {
        self.max_wasm_stack
    }

    pub(crate) fn memory_pages_limit(&self) -> u64 {
        self.max_memory_pages
    }

    pub(crate) fn table_elements_limit(&self) -> u64 {
        self.max_table_elements
    }

    pub(crate) fn instances_limit(&self) -> usize {
        self.max_instances
    }

    pub(crate) fn host_nesting_limit(&self) -> u32 {
        self.max_host_nesting
    }
}

/// Compiles modules and creates stores. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    config: Arc<Config>,
    /// Where hot functions are compiled again in the background.
    #[cfg(feature = "compiler")]
    tier_up: Arc<crate::tier_up::TierUpWorker>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(&Config::default())
    }
}

impl Engine {
    /// An engine with `config`.
    pub fn new(config: &Config) -> Engine {
        Engine {
            config: Arc::new(config.clone()),
            #[cfg(feature = "compiler")]
            tier_up: Arc::default(),
        }
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The engine's background tier-up worker.
    #[cfg(feature = "compiler")]
    pub(crate) fn tier_up_worker(&self) -> &crate::tier_up::TierUpWorker {
        &self.tier_up
    }
}
