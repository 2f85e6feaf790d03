//! Forged-artifact fuzzing (issue #23): valid artifacts, mutated and
//! resealed (their checksum recomputed), must either be rejected or behave
//! as an artifact the compiler could have produced.
//!
//! A case is a module from the oracle's generator ([`TestCase::generate`]:
//! no imports; tables, `call_indirect`, `ref.func`, reference globals where
//! wasm-smith makes them), compiled with fuel or without, serialized, and
//! changed by one to four [`Mutation`]s. [`load`] deserializes the forgery
//! on an engine whose fuel setting matches the forged header. [`run`] runs
//! an accepted one in a store that already holds a victim — another
//! instance whose private function calls the host's canary, and extern
//! references to secret host values — and calls everything the forgery
//! exports, every function reference it hands out, once each. A module
//! without imports can reach neither, so any of these is a failure:
//!
//! * the canary was called;
//! * a non-null extern reference came out (the store's only host values are
//!   the secrets; a module without imports has no way to get one);
//! * a function reference to the canary came out;
//! * the victim's memory changed;
//! * a call ended in an error other than a trap or a resource limit (the
//!   runtime calls such errors its own bugs);
//! * a call took longer than [`SLOW`] although the artifact claims fuel and
//!   gets [`FUEL`] units per call;
//! * a panic anywhere (callers catch it: the `forge` runner, the cargo-fuzz
//!   target and the unit test all treat it as a failure).

use std::any::Any;
use std::fmt;
use std::time::{Duration, Instant};

use pulley::{
    Caller, CompilationMode, Config, Engine, Error, Extern, ExternRef, Func, Linker, Memory,
    Module, Store, Val,
};
use pulley_isa::{AnyOpcode, Decoded, Op, OperandVisitor, OwnedOp, Slot, SlotList, decode_all};
use pulley_module::{CodeFeatures, CompiledModule, FEATURES_OFFSET, HEADER_LEN};

use crate::oracle::TestCase;
use crate::rng::SplitMix;

/// Fuel each call gets (reset before every call), when the artifact claims
/// to charge fuel.
pub const FUEL: u64 = 100_000;

/// A call of an artifact that claims fuel taking longer than this is a
/// failure (see the README: the verifier bounds the ops between two charges,
/// so [`FUEL`] bounds a call's time).
pub const SLOW: Duration = Duration::from_secs(5);

/// Calls made per run at most (exports, then function references found).
const MAX_CALLS: usize = 200;

/// Table elements inspected per table at most.
const MAX_ELEMENTS: u64 = 10_000;

/// Secrets the store holds before the forgery is instantiated: extern
/// handles 1..=SECRETS all name one.
const SECRETS: u32 = 8;

/// Where the choices of a forgery come from: a seeded generator in the
/// stable runner, libFuzzer's bytes in the cargo-fuzz target.
pub trait Choices {
    /// The next 64 bits of choice.
    fn next_u64(&mut self) -> u64;

    /// A number below `n` (0 if `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

impl Choices for SplitMix {
    fn next_u64(&mut self) -> u64 {
        SplitMix::next_u64(self)
    }
}

/// Choices read from bytes, eight at a time; zeros once they run out.
pub struct ByteChoices<'a>(pub &'a [u8]);

impl Choices for ByteChoices<'_> {
    fn next_u64(&mut self) -> u64 {
        let take = self.0.len().min(8);
        let mut word = [0; 8];
        word[..take].copy_from_slice(&self.0[..take]);
        self.0 = &self.0[take..];
        u64::from_le_bytes(word)
    }
}

/// A generated module, compiled and serialized.
pub struct Case {
    /// The wasm module.
    pub wasm: Vec<u8>,
    /// Whether it was compiled to charge fuel.
    pub fuel: bool,
    /// Whether Cranelift's optimizer ran.
    pub optimize: bool,
    /// The artifact.
    pub artifact: Vec<u8>,
    /// The artifact's code, to tell forgeries that changed it.
    pub code: Vec<u8>,
}

impl Case {
    /// Generates a module from wasm-smith input `data` and compiles it;
    /// `None` if wasm-smith makes nothing of the data or the module does not
    /// compile (the `compile` target fuzzes that).
    pub fn new(data: &[u8], fuel: bool, optimize: bool) -> Option<Case> {
        let wasm = TestCase::generate(data).ok()?.wasm;
        let mut config = limited_config(fuel);
        config.optimize(optimize);
        let module = Module::new(&Engine::new(&config), &wasm).ok()?;
        let artifact = module.serialize().ok()?;
        Some(Case {
            wasm,
            fuel,
            optimize,
            artifact,
            code: module.compiled().code.clone(),
        })
    }

    /// Iteration `iteration` of seed `seed` of the stable runner: the case,
    /// if one was generated, and the choices for its forgery. Only about
    /// one module in nine handles references (see [`handles_references`]),
    /// so half the iterations draw up to eight modules to find one that does.
    pub fn for_iteration(seed: u64, iteration: u64) -> (Option<Case>, SplitMix) {
        let mut random = SplitMix::derive(seed, iteration);
        let draws = if random.below(2) == 0 { 8 } else { 1 };
        let mut case = None;
        for _ in 0..draws {
            let length = 4000 + random.below(60_000);
            let data = random.bytes(length);
            // Fuel in three cases of four: only those runs are bounded.
            let fuel = random.below(4) != 0;
            let optimize = random.below(2) == 0;
            case = Case::new(&data, fuel, optimize);
            if case
                .as_ref()
                .is_some_and(|case| handles_references(&case.code))
            {
                break;
            }
        }
        (case, random)
    }
}

/// An engine configuration with small limits: a forged header may declare
/// any memory or table size, and the generated modules need little.
fn limited_config(fuel: bool) -> Config {
    let mut config = Config::new();
    // Forgeries start from a whole module's bytecode.
    config
        .compilation_mode(CompilationMode::Eager)
        .consume_fuel(fuel)
        .max_memory_pages(256)
        .max_table_elements(100_000)
        .max_instances(100);
    config
}

/// One change to an artifact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// Code byte `at` XOR `mask`.
    FlipBits {
        /// Offset in the code.
        at: usize,
        /// Bits flipped.
        mask: u8,
    },
    /// The op at `at` replaced by `slot = value` (an `xconst`), padded with
    /// ops that keep `slot`'s value (`mov`, `mov_wide`, `xabs64`) to the
    /// op's length: the op's result forged as a constant.
    Constant {
        /// Offset of the op in the code.
        at: usize,
        /// The op's mnemonic.
        op: &'static str,
        /// The slot it wrote.
        slot: u16,
        /// The constant.
        value: i32,
    },
    /// An operand byte (never the opcode) of the op at `op` set: another
    /// slot, index or immediate.
    Operand {
        /// Offset of the op in the code.
        op: usize,
        /// Offset of the byte.
        at: usize,
        /// Its new value.
        value: u8,
    },
    /// The bytes of the op at `from` copied over the op at `to`, of the same
    /// length.
    Splice {
        /// The copied op.
        from: usize,
        /// The overwritten op.
        to: usize,
    },
    /// Artifact byte `at` (in the payload, outside the code) XOR `mask`.
    Metadata {
        /// Offset in the artifact.
        at: usize,
        /// Bits flipped.
        mask: u8,
    },
    /// The header's fuel claim toggled.
    FuelClaim,
}

impl Mutation {
    /// The names of the kinds, in the order of [`Mutation::kind`].
    pub const KINDS: [&'static str; 6] = [
        "bit flips",
        "constant",
        "operand byte",
        "splice",
        "metadata",
        "fuel claim",
    ];

    /// The kind's index in [`Mutation::KINDS`].
    pub fn kind(&self) -> usize {
        match self {
            Mutation::FlipBits { .. } => 0,
            Mutation::Constant { .. } => 1,
            Mutation::Operand { .. } => 2,
            Mutation::Splice { .. } => 3,
            Mutation::Metadata { .. } => 4,
            Mutation::FuelClaim => 5,
        }
    }
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mutation::FlipBits { at, mask } => write!(f, "code byte {at} ^= {mask:#04x}"),
            Mutation::Constant {
                at,
                op,
                slot,
                value,
            } => write!(f, "`{op}` at {at} replaced by `xconst s{slot}, {value}`"),
            Mutation::Operand { op, at, value } => {
                write!(f, "operand byte {at} of the op at {op} set to {value:#04x}")
            }
            Mutation::Splice { from, to } => write!(f, "op at {from} copied over the op at {to}"),
            Mutation::Metadata { at, mask } => {
                write!(f, "artifact byte {at} (metadata) ^= {mask:#04x}")
            }
            Mutation::FuelClaim => write!(f, "header's fuel claim toggled"),
        }
    }
}

/// A forged artifact and how it was made.
pub struct Forgery {
    /// The artifact, resealed.
    pub artifact: Vec<u8>,
    /// The mutations, in order.
    pub mutations: Vec<Mutation>,
}

/// An op of the code, as the mutations see it.
struct OpInfo {
    at: usize,
    len: usize,
    /// Offset of its first operand byte (after the opcode).
    operands_at: usize,
    mnemonic: &'static str,
    /// One-byte-encodable slots it writes.
    dsts: Vec<Slot>,
    /// Whether it may write a reference: `ref_func`, `table_get`,
    /// `global_get`, a call's results, a constant (null is zero).
    produces_references: bool,
}

/// The ops of `code` up to the first that does not decode (earlier
/// mutations may have broken the rest).
fn ops(code: &[u8]) -> Vec<OpInfo> {
    let mut ops = Vec::new();
    for decoded in decode_all(code) {
        let Ok((at, op)) = decoded else { break };
        let Ok(len) = op.encoded_len() else { break };
        let opcode_len = match op.opcode() {
            AnyOpcode::Primary(_) => 1,
            AnyOpcode::Extended(_) => 3,
        };
        let mut dsts = Dsts(Vec::new());
        op.visit_operands(&mut dsts);
        let produces_references = matches!(
            op,
            Op::RefFunc { .. }
                | Op::TableGet { .. }
                | Op::GlobalGet { .. }
                | Op::Xconst8 { .. }
                | Op::Xconst32 { .. }
                | Op::Xconst64 { .. }
        ) || (op.flags().is_call() && !dsts.0.is_empty());
        ops.push(OpInfo {
            at,
            len,
            operands_at: at + opcode_len,
            mnemonic: op.mnemonic(),
            dsts: dsts.0,
            produces_references,
        });
    }
    ops
}

/// Collects the slots an op writes that an `xconst` can name.
struct Dsts(Vec<Slot>);

impl<'a> OperandVisitor<Decoded<'a>> for Dsts {
    fn dst(&mut self, dst: &Slot) {
        self.0.push(*dst);
    }

    fn dst_wide(&mut self, dst: &Slot) {
        if dst.0 <= 255 {
            self.0.push(*dst);
        }
    }

    fn dst_list(&mut self, list: &SlotList<'a>) {
        self.0.extend(list.iter().filter(|slot| slot.0 <= 255));
    }
}

fn encoded(op: &OwnedOp) -> Vec<u8> {
    let mut bytes = Vec::new();
    op.encode(&mut bytes).expect("slots below 256 encode");
    bytes
}

/// `slot = value` in exactly `len` bytes: an `xconst`, then ops that keep
/// the slot's value (`mov` 3 bytes, `xabs64` 5, `mov_wide` 7), if some
/// combination fits. `value` is small and non-negative.
fn constant(slot: Slot, value: i32, len: usize) -> Option<Vec<u8>> {
    let heads = [
        OwnedOp::Xconst32 {
            dst: slot,
            imm: value,
        },
        OwnedOp::Xconst8 {
            dst: slot,
            imm: value as i8,
        },
        OwnedOp::Xconst64 {
            dst: slot,
            imm: i64::from(value),
        },
    ];
    let fillers = [
        encoded(&OwnedOp::Mov {
            dst: slot,
            src: slot,
        }),
        encoded(&OwnedOp::Xabs64 {
            dst: slot,
            src: slot,
        }),
        encoded(&OwnedOp::MovWide {
            dst: slot,
            src: slot,
        }),
    ];
    for head in heads {
        let mut bytes = encoded(&head);
        let Some(rest) = len.checked_sub(bytes.len()) else {
            continue;
        };
        // Fewest fillers: at most one `mov_wide` and two `xabs64`, then movs.
        for wide in 0..=1 {
            for abs in 0..=2 {
                let fixed = wide * fillers[2].len() + abs * fillers[1].len();
                let Some(movs) = rest.checked_sub(fixed) else {
                    continue;
                };
                if movs % fillers[0].len() != 0 {
                    continue;
                }
                for _ in 0..wide {
                    bytes.extend_from_slice(&fillers[2]);
                }
                for _ in 0..abs {
                    bytes.extend_from_slice(&fillers[1]);
                }
                for _ in 0..movs / fillers[0].len() {
                    bytes.extend_from_slice(&fillers[0]);
                }
                return Some(bytes);
            }
        }
    }
    None
}

/// One code mutation of kind `kind` (0..4) on `code`, if the code offers
/// one (an op to replace, a splice partner).
fn mutate_code(code: &mut [u8], kind: usize, choices: &mut impl Choices) -> Option<Mutation> {
    if code.is_empty() {
        return None;
    }
    if kind == 0 {
        let at = choices.below(code.len());
        // One bit mostly, sometimes a random pattern.
        let mask = if choices.below(4) == 0 {
            (choices.next_u64() as u8).max(1)
        } else {
            1 << choices.below(8)
        };
        code[at] ^= mask;
        return Some(Mutation::FlipBits { at, mask });
    }
    let ops = ops(code);
    match kind {
        1 => {
            // Half the time an op that may produce a reference (the
            // review's attack: its result forged as an integer).
            let producers = choices.below(2) == 0;
            let mut candidates: Vec<&OpInfo> = ops
                .iter()
                .filter(|op| !op.dsts.is_empty() && (!producers || op.produces_references))
                .collect();
            if candidates.is_empty() {
                candidates = ops.iter().filter(|op| !op.dsts.is_empty()).collect();
            }
            // A few tries: not every op's length can be padded.
            for _ in 0..8 {
                let op = *candidates.get(choices.below(candidates.len()))?;
                let slot = op.dsts[choices.below(op.dsts.len())];
                // Null a quarter of the time, else a small handle: the
                // lowest name the host's and the victim's functions and
                // the secrets, which the store made first.
                let value = match choices.below(4) {
                    0 => 0,
                    1 | 2 => 1 + choices.below(4) as i32,
                    _ => 1 + choices.below(16) as i32,
                };
                if let Some(bytes) = constant(slot, value, op.len) {
                    code[op.at..op.at + op.len].copy_from_slice(&bytes);
                    return Some(Mutation::Constant {
                        at: op.at,
                        op: op.mnemonic,
                        slot: slot.0,
                        value,
                    });
                }
            }
            None
        }
        2 => {
            let candidates: Vec<&OpInfo> = ops
                .iter()
                .filter(|op| op.len > op.operands_at - op.at)
                .collect();
            let op = *candidates.get(choices.below(candidates.len()))?;
            let at = op.operands_at + choices.below(op.at + op.len - op.operands_at);
            // Half the time a neighbour (the next slot or index), half the
            // time anything.
            let value = if choices.below(2) == 0 {
                let delta = 1 + choices.below(3) as u8;
                if choices.below(2) == 0 {
                    code[at].wrapping_add(delta)
                } else {
                    code[at].wrapping_sub(delta)
                }
            } else {
                choices.next_u64() as u8
            };
            code[at] = value;
            Some(Mutation::Operand {
                op: op.at,
                at,
                value,
            })
        }
        _ => {
            let to = ops.get(choices.below(ops.len()))?;
            let partners: Vec<&OpInfo> = ops
                .iter()
                .filter(|op| {
                    op.len == to.len && code[op.at..op.at + op.len] != code[to.at..to.at + to.len]
                })
                .collect();
            let from = *partners.get(choices.below(partners.len()))?;
            code.copy_within(from.at..from.at + from.len, to.at);
            Some(Mutation::Splice {
                from: from.at,
                to: to.at,
            })
        }
    }
}

/// The byte length of `value` as LEB128 (the artifact's integers).
fn leb_len(mut value: u64) -> usize {
    let mut len = 1;
    while value >= 0x80 {
        value >>= 7;
        len += 1;
    }
    len
}

/// The range of `module`'s code bytes in its artifact: after the header,
/// the module info and the code's length.
fn code_range(module: &CompiledModule, header: &pulley_module::ArtifactHeader) -> (usize, usize) {
    // The payload of a module with no code, functions or address map is the
    // info and three zero lengths.
    let empty = CompiledModule {
        info: module.info.clone(),
        ..CompiledModule::default()
    };
    let info_len = pulley_module::encode(&empty, header).len() - HEADER_LEN - 3;
    let start = HEADER_LEN + info_len + leb_len(module.code.len() as u64);
    (start, start + module.code.len())
}

/// Forges `artifact` (a valid one): one to four mutations chosen by
/// `choices`, then the checksum recomputed.
pub fn forge(artifact: &[u8], choices: &mut impl Choices) -> Forgery {
    let (header, mut module) = pulley_module::decode(artifact).expect("the original decodes");
    let count = 1 + choices.below(4);
    let mut mutations = Vec::new();
    let mut metadata = 0;
    let mut fuel_claim = false;
    // Weights: the op-aware mutations most; each draw that finds nothing
    // to change (no splice partner, say) draws again.
    const WEIGHTS: [usize; 6] = [2, 3, 3, 2, 2, 1];
    let total: usize = WEIGHTS.iter().sum();
    for _ in 0..count * 4 {
        if mutations.len() + metadata + usize::from(fuel_claim) == count {
            break;
        }
        let mut pick = choices.below(total);
        let kind = WEIGHTS
            .iter()
            .position(|&w| {
                let hit = pick < w;
                pick = pick.saturating_sub(w);
                hit
            })
            .unwrap_or(0);
        match kind {
            4 => metadata += 1,
            5 => fuel_claim = true,
            _ => mutations.extend(mutate_code(&mut module.code, kind, choices)),
        }
    }
    // Code edits are in place: the code keeps its length and position.
    let mut bytes = pulley_module::encode(&module, &header);
    let (code_start, code_end) = code_range(&module, &header);
    assert!(
        bytes[code_start..code_end] == module.code[..],
        "the code is not where `code_range` expects it: did the artifact format change?"
    );
    for _ in 0..metadata {
        // Half the time the function table and address map (after the
        // code), half the time the module info (before it).
        let after = code_end < bytes.len() && choices.below(2) == 0;
        let at = if after {
            code_end + choices.below(bytes.len() - code_end)
        } else {
            HEADER_LEN + choices.below(code_start - HEADER_LEN)
        };
        let mask = (choices.next_u64() as u8).max(1);
        bytes[at] ^= mask;
        mutations.push(Mutation::Metadata { at, mask });
    }
    if fuel_claim {
        bytes[FEATURES_OFFSET] ^= CodeFeatures { fuel: true }.bits() as u8;
        mutations.push(Mutation::FuelClaim);
    }
    pulley_module::reseal(&mut bytes);
    Forgery {
        artifact: bytes,
        mutations,
    }
}

/// What loading a forgery gave.
pub enum Loaded {
    /// `Module::deserialize` refused it.
    Rejected(String),
    /// It loaded.
    Accepted {
        /// The module, on an engine whose fuel matches the header.
        module: Module,
        /// Whether its code differs from the original's.
        code_changed: bool,
    },
}

/// Loads `artifact` on an engine with the fuel setting its header claims
/// (the fuel engine if the header does not decode: it is refused anyway),
/// verifying it whole, or each function at its first call, as
/// [`verified_at_first_call`] picks.
pub fn load(artifact: &[u8], original_code: &[u8]) -> Loaded {
    let fuel = claims_fuel(artifact);
    let mut config = limited_config(fuel);
    if verified_at_first_call(artifact) {
        config.compilation_mode(CompilationMode::LazyTranslation);
    }
    match Module::deserialize(&Engine::new(&config), artifact) {
        Err(error) => Loaded::Rejected(error.to_string()),
        Ok(module) => {
            let code_changed = module.compiled().code != original_code;
            Loaded::Accepted {
                module,
                code_changed,
            }
        }
    }
}

/// Whether `artifact` is loaded the lazy modes' way, its functions verified
/// at their first call (`Module::deserialize`), rather than all up front:
/// half the forgeries, by the parity of their bytes, so that a forgery and
/// its replay load the same way.
pub fn verified_at_first_call(artifact: &[u8]) -> bool {
    artifact.iter().fold(0u8, |parity, byte| parity ^ byte) & 1 == 1
}

/// Whether `code` handles references: `ref_func`, `table_get`,
/// `table_set`, `call_ref` or `return_call_ref` (the ops a forged
/// reference would go through), for the runner's statistics.
pub fn handles_references(code: &[u8]) -> bool {
    decode_all(code).any(|decoded| {
        matches!(
            decoded,
            Ok((
                _,
                Op::RefFunc { .. }
                    | Op::TableGet { .. }
                    | Op::TableSet { .. }
                    | Op::CallRef { .. }
                    | Op::ReturnCallRef { .. }
            ))
        )
    })
}

/// Whether the artifact's header claims fuel (or does not decode).
pub fn claims_fuel(artifact: &[u8]) -> bool {
    pulley_module::decode_header(artifact)
        .ok()
        .is_none_or(|header| header.features.fuel)
}

/// A host value the forgery must never see.
#[derive(Debug)]
pub struct Secret(pub u32);

/// The victim: its private function calls the host's canary, and a
/// private table and global hold references to it. It exports only a
/// memory, whose contents must not change.
const VICTIM: &str = r#"
(module
  (import "host" "canary" (func $canary))
  (table $private 3 funcref)
  (elem (table $private) (i32.const 0) func $private $private_i32 $canary)
  (global $held (mut funcref) (ref.func $private))
  (memory (export "memory") 1)
  (data (i32.const 0) "the victim's private memory")
  (func $private (call $canary))
  (func $private_i32 (param i32) (result i32) (call $canary) (local.get 0)))
"#;

/// What running an accepted forgery showed.
#[derive(Debug, Default)]
pub struct Run {
    /// Why instantiation failed, if it did (counted as a rejection).
    pub instantiation: Option<String>,
    /// Calls made.
    pub calls: usize,
    /// The longest call.
    pub longest: Duration,
    /// Everything that a compiled module could not have done.
    pub failures: Vec<String>,
    /// Each call and its outcome (for `--only` and `--replay`).
    pub log: Vec<String>,
}

/// The store and what a run knows.
struct Runner<'a> {
    /// Told each call before it is made.
    announce: &'a mut dyn FnMut(&str),
    store: Store<u32>,
    fuel: bool,
    canary: Func,
    /// Functions called or queued, in order.
    funcs: Vec<Func>,
    run: Run,
}

impl Runner<'_> {
    fn refuel(&mut self) {
        if self.fuel {
            self.store.set_fuel(FUEL).expect("the engine has fuel");
        }
    }

    /// Checks a value that came out of the forgery.
    fn observe(&mut self, value: &Val, whence: &str) {
        match value {
            Val::ExternRef(Some(reference)) => {
                let data = reference.data(&self.store);
                let what = match data.and_then(|d| d.downcast_ref::<Secret>()) {
                    Some(secret) => format!("secret {}", secret.0),
                    None if data.is_some() => "another host value".into(),
                    None => "no value".into(),
                };
                self.run.failures.push(format!(
                    "{whence} is a non-null extern reference ({what}): a module without imports has none"
                ));
            }
            Val::FuncRef(Some(func)) if *func == self.canary => {
                self.run.failures.push(format!(
                    "{whence} is a reference to the host's canary function"
                ));
            }
            Val::FuncRef(Some(func)) if !self.funcs.contains(func) => self.funcs.push(*func),
            _ => {}
        }
    }

    /// Calls `func` with zeros and nulls.
    fn call(&mut self, func: Func, what: &str) {
        let ty = func.ty(&self.store);
        let params: Vec<Val> = ty.params.iter().map(|&t| Val::default_for(t)).collect();
        let mut results: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
        (self.announce)(what);
        self.refuel();
        let started = Instant::now();
        let outcome = func.call(&mut self.store, &params, &mut results);
        let time = started.elapsed();
        self.run.calls += 1;
        self.run.longest = self.run.longest.max(time);
        if self.fuel && time > SLOW {
            self.run.failures.push(format!(
                "{what} took {:.1} s with {FUEL} fuel",
                time.as_secs_f64()
            ));
        }
        match outcome {
            Ok(()) => {
                self.run.log.push(format!("{what} -> {results:?}"));
                for (i, value) in results.iter().enumerate() {
                    self.observe(value, &format!("result {i} of {what}"));
                }
            }
            // A function verified at its first call that fails is refused
            // there, and never runs.
            Err(error @ (Error::Trap(_) | Error::ResourceLimit(_) | Error::Verify(_))) => {
                let error = error.to_string();
                let first = error.lines().next().unwrap_or_default();
                self.run.log.push(format!("{what} -> {first}"));
            }
            Err(error) => self.run.failures.push(format!(
                "{what} ended in an error that is neither a trap, a limit nor a refusal by the verifier: {error}"
            )),
        }
    }

    /// Inspects the instance's exported globals and tables.
    fn inspect(&mut self, exports: &[(String, Extern)]) {
        for (name, export) in exports {
            match export {
                Extern::Global(global) => {
                    let value = global.get(&self.store);
                    self.observe(&value, &format!("global {name:?}"));
                }
                Extern::Table(table) => {
                    let size = table.size(&self.store).min(MAX_ELEMENTS);
                    for i in 0..size {
                        if let Some(value) = table.get(&self.store, i) {
                            self.observe(&value, &format!("element {i} of table {name:?}"));
                        }
                    }
                }
                Extern::Func(_) | Extern::Memory(_) => {}
            }
        }
    }
}

/// Runs an accepted forgery beside the victim (see the module docs) and
/// reports what a compiled module could not have done; `announce` hears of
/// each call before it is made (a run that never ends can say where it
/// is). Panics propagate.
pub fn run(module: &Module, announce: &mut dyn FnMut(&str)) -> Run {
    run_granting(module, false, announce)
}

/// [`run`]; with `grant`, the module may import the canary (`host.canary`)
/// and a secret (`host.secret`, an immutable externref global): the unit
/// tests' proof that the checks notice what no forgery may do.
fn run_granting(module: &Module, grant: bool, announce: &mut dyn FnMut(&str)) -> Run {
    let engine = module.engine().clone();
    let fuel = engine.config().get_consume_fuel();
    let mut store = Store::new(&engine, 0u32);
    let canary = Func::wrap(&mut store, |mut caller: Caller<'_, u32>| {
        *caller.data_mut() += 1;
    });
    let mut linker = Linker::new(&engine);
    linker
        .define("host", "canary", canary)
        .expect("one definition");
    let victim = wat::parse_str(VICTIM).expect("the victim parses");
    let victim = Module::new(&engine, victim).expect("the victim compiles");
    let mut runner = Runner {
        announce,
        store,
        fuel,
        canary,
        funcs: Vec::new(),
        run: Run::default(),
    };
    runner.refuel();
    let victim = linker
        .instantiate(&mut runner.store, &victim)
        .expect("the victim instantiates");
    let memory: Memory = victim
        .get_memory(&runner.store, "memory")
        .expect("the victim exports its memory");
    let memory_before = memory.data(&runner.store).to_vec();
    let secrets: Vec<ExternRef> = (0..SECRETS)
        .map(|i| ExternRef::new(&mut runner.store, Secret(i)))
        .collect();
    // The forgery gets no imports: nothing of the victim's or the host's.
    let mut imports = Linker::new(&engine);
    if grant {
        let ty = pulley::GlobalType {
            ty: pulley::ValType::ExternRef,
            mutable: false,
        };
        let secret = Val::ExternRef(Some(secrets[0]));
        let secret = pulley::Global::new(&mut runner.store, ty, secret).expect("a global");
        imports
            .define("host", "canary", canary)
            .expect("one definition");
        imports
            .define("host", "secret", secret)
            .expect("one definition");
    }
    runner.refuel();
    match imports.instantiate(&mut runner.store, module) {
        Err(error) => runner.run.instantiation = Some(error.to_string()),
        Ok(instance) => {
            let exports: Vec<(String, Extern)> = instance
                .exports(&runner.store)
                .map(|(name, export)| (name.to_string(), export))
                .collect();
            for (name, export) in &exports {
                if let Extern::Func(func) = export
                    && runner.run.calls < MAX_CALLS
                {
                    runner.call(*func, &format!("export {name:?}"));
                }
            }
            // Then every function reference found, once, until no new one
            // turns up (calls may store more).
            let mut called = 0;
            loop {
                runner.inspect(&exports);
                if called == runner.funcs.len() || runner.run.calls >= MAX_CALLS {
                    break;
                }
                while called < runner.funcs.len() && runner.run.calls < MAX_CALLS {
                    let func = runner.funcs[called];
                    called += 1;
                    runner.call(func, &format!("function reference #{called}"));
                }
            }
        }
    }
    let canary_calls = *runner.store.data();
    if canary_calls > 0 {
        runner.run.failures.push(format!(
            "the victim's canary was called {canary_calls} times"
        ));
    }
    if memory.data(&runner.store) != memory_before {
        runner
            .run
            .failures
            .push("the victim's memory changed".into());
    }
    runner.run
}

/// A panic's message.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_fit_the_lengths_that_can_be_padded() {
        for len in [3, 6, 8, 9, 10, 11, 12, 13, 20] {
            let bytes = constant(Slot(7), 5, len).unwrap_or_else(|| panic!("length {len}"));
            assert_eq!(bytes.len(), len);
            let decoded: Vec<_> = decode_all(&bytes).map(|op| op.unwrap().1).collect();
            assert!(matches!(
                decoded[0],
                Op::Xconst32 { .. } | Op::Xconst8 { .. } | Op::Xconst64 { .. }
            ));
        }
        for len in [1, 2, 4, 5, 7] {
            assert_eq!(constant(Slot(7), 5, len), None, "length {len}");
        }
    }

    /// What the checks are for, done by a module that is given the canary
    /// and a secret: each is noticed.
    #[test]
    fn the_checks_notice_what_a_forgery_must_not_do() {
        const GRANTED: &str = r#"
          (module
            (import "host" "canary" (func $canary))
            (import "host" "secret" (global $secret externref))
            (table (export "table") 1 funcref)
            (elem (i32.const 0) $canary)
            (func (export "call") (call $canary))
            (func (export "leak") (result externref) (global.get $secret))
            (func (export "canary") (result funcref) (ref.func $canary)))
        "#;
        for fuel in [true, false] {
            let engine = Engine::new(&limited_config(fuel));
            let module = Module::new(&engine, wat::parse_str(GRANTED).unwrap()).unwrap();
            let run = run_granting(&module, true, &mut |_| {});
            assert_eq!(run.instantiation, None);
            let failures = run.failures.join("\n");
            for expected in [
                "result 0 of export \"leak\" is a non-null extern reference (secret 0)",
                "result 0 of export \"canary\" is a reference to the host's canary",
                "element 0 of table \"table\" is a reference to the host's canary",
                "the victim's canary was called 1 times",
            ] {
                assert!(
                    failures.contains(expected),
                    "{expected:?} not in\n{failures}"
                );
            }
        }
    }

    #[test]
    fn the_code_range_is_found() {
        let (case, _) = (0..10)
            .map(|i| Case::for_iteration(0, i))
            .find(|(case, _)| case.is_some())
            .expect("a case among ten");
        let case = case.unwrap();
        let (header, module) = pulley_module::decode(&case.artifact).unwrap();
        let (start, end) = code_range(&module, &header);
        assert_eq!(&case.artifact[start..end], &case.code[..]);
    }

    /// A few iterations: forgeries load or not, accepted ones run cleanly,
    /// and some of those have changed code.
    #[test]
    fn forgeries_run_without_failures() {
        let (mut accepted, mut changed) = (0, 0);
        for iteration in 0..24 {
            let (Some(case), mut choices) = Case::for_iteration(7, iteration) else {
                continue;
            };
            let forgery = forge(&case.artifact, &mut choices);
            let Loaded::Accepted {
                module,
                code_changed,
            } = load(&forgery.artifact, &case.code)
            else {
                continue;
            };
            accepted += 1;
            changed += usize::from(code_changed);
            // Without fuel nothing bounds a run: the runner runs those in a
            // child process with a deadline.
            if claims_fuel(&forgery.artifact) {
                let run = run(&module, &mut |_| {});
                assert!(run.failures.is_empty(), "iteration {iteration}: {run:?}");
            }
        }
        assert!(changed > 0, "{accepted} accepted, none with changed code");
    }
}
