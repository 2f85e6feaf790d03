//! The differential oracle: test cases, what is observed of a run, and how
//! two observations compare. The engines are in [`crate::engines`].

use arbitrary::{Arbitrary, Unstructured};

/// A value, engine-independent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `i32`
    I32(i32),
    /// `i64`
    I64(i64),
    /// `f32` bits
    F32(u32),
    /// `f64` bits
    F64(u64),
    /// A function reference: whether it is null.
    FuncRef(bool),
    /// An external reference: whether it is null.
    ExternRef(bool),
    /// `v128`: lane 0 in the low bits.
    V128(u128),
}

/// Trap kinds both engines report.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TrapClass {
    /// `unreachable`
    Unreachable,
    /// Integer division by zero.
    DivisionByZero,
    /// Integer overflow.
    IntegerOverflow,
    /// NaN to integer.
    BadConversion,
    /// Memory out of bounds.
    MemoryOutOfBounds,
    /// Table out of bounds.
    TableOutOfBounds,
    /// Null indirect call.
    IndirectCallToNull,
    /// Signature mismatch.
    BadSignature,
    /// Anything else.
    Other,
}

/// What one call did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Returned these values.
    Returned(Vec<Value>),
    /// Trapped.
    Trapped(TrapClass),
    /// Ran out of stack: engines differ in stack sizes, so this compares
    /// with anything.
    Exhausted,
}

/// Everything observable of a run: each call's outcome, then the final
/// exported memories and globals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observation {
    /// Instantiation's outcome (start function, segments).
    pub instantiation: Option<Outcome>,
    /// (export, arguments, outcome) of every call made.
    pub calls: Vec<(String, Vec<Value>, Outcome)>,
    /// Exported memories' contents.
    pub memories: Vec<(String, Vec<u8>)>,
    /// Exported globals' values.
    pub globals: Vec<(String, Value)>,
}

/// A generated test case: a module and the calls to make.
#[derive(Debug)]
pub struct TestCase {
    /// The module's bytes.
    pub wasm: Vec<u8>,
    /// Arguments for the calls, drawn per call from this seed data.
    pub arguments: Vec<u8>,
}

/// The wasm-smith configuration: the features Pulley supports.
fn config(u: &mut Unstructured<'_>) -> arbitrary::Result<wasm_smith::Config> {
    let mut config = wasm_smith::Config::arbitrary(u)?;
    // SIMD as the input decides (about half the cases). Relaxed SIMD stays
    // off: its results may differ between conforming engines, so no
    // comparison could call a difference a bug.
    config.relaxed_simd_enabled = false;
    config.threads_enabled = false;
    config.shared_everything_threads_enabled = false;
    config.gc_enabled = false;
    config.exceptions_enabled = false;
    config.memory64_enabled = false;
    config.custom_page_sizes_enabled = false;
    config.wide_arithmetic_enabled = false;
    config.extended_const_enabled = false;
    config.custom_descriptors_enabled = false;
    config.multi_value_enabled = true;
    config.bulk_memory_enabled = true;
    config.reference_types_enabled = true;
    config.tail_call_enabled = true;
    config.max_memories = 1;
    config.max_memory32_bytes = 1 << 20;
    // A declared maximum bounds `memory.grow` too: no run compares
    // gigabytes of memory.
    config.memory_max_size_required = true;
    // Likewise tables: engines differ in how far past their own limits a
    // table may grow, which is not a behaviour to compare.
    config.table_max_size_required = true;
    config.max_tables = config.max_tables.min(4);
    config.max_table_elements = 1000;
    config.max_imports = 0;
    config.min_imports = 0;
    config.canonicalize_nans = true;
    config.export_everything = true;
    config.allow_start_export = true;
    config.min_uleb_size = 1;
    // Every module has code to run: at least one function, and bodies of a
    // few instructions up to a few hundred.
    // (wasm-smith defines no function without a function type).
    config.min_types = 1;
    config.max_types = config.max_types.max(1);
    config.min_funcs = 1;
    config.max_funcs = config.max_funcs.clamp(4, 30);
    config.max_instructions = config.max_instructions.clamp(20, 500);
    Ok(config)
}

/// Fuel each generated loop gets before it traps (wasm-smith's
/// `ensure_termination` counter: deterministic in every engine).
const LOOP_FUEL: u32 = 1000;

impl TestCase {
    /// A test case from fuzz input.
    pub fn generate(data: &[u8]) -> arbitrary::Result<TestCase> {
        let mut u = Unstructured::new(data);
        let config = config(&mut u)?;
        let mut module = wasm_smith::Module::new(config, &mut u)?;
        module
            .ensure_termination(LOOP_FUEL)
            .map_err(|_| arbitrary::Error::IncorrectFormat)?;
        let arguments = u.bytes(u.len().min(256))?.to_vec();
        Ok(TestCase {
            wasm: module.to_bytes(),
            arguments,
        })
    }
}

/// A wasm engine the oracle can run a test case on.
pub trait Engine {
    /// The engine's name, for reports.
    fn name(&self) -> &'static str;
    /// Compiles and instantiates `wasm`: a session, or the trap that ended
    /// instantiation (`Ok(Err(..))`), or an error (the module is rejected).
    fn instantiate(&self, wasm: &[u8]) -> Result<Result<Box<dyn Session + '_>, Outcome>, String>;

    /// Instantiates the module and calls every exported function, in the
    /// order of their names, with arguments drawn from `arguments`; then
    /// reads every exported memory and global.
    fn observe(&self, wasm: &[u8], arguments: &[u8]) -> Result<Observation, String> {
        let mut session = match self.instantiate(wasm)? {
            Ok(session) => session,
            Err(outcome) => {
                return Ok(Observation {
                    instantiation: Some(outcome),
                    ..Observation::default()
                });
            }
        };
        let mut exports = session.exports();
        exports.sort_by(|a, b| a.0.cmp(&b.0));
        let mut observation = Observation::default();
        let mut u = Unstructured::new(arguments);
        for (name, export) in &exports {
            if let Export::Func(params) = export {
                let args = draw_arguments(params, &mut u);
                let outcome = session.call(name, &args)?;
                observation.calls.push((name.clone(), args, outcome));
            }
        }
        for (name, export) in &exports {
            match export {
                Export::Memory => observation
                    .memories
                    .push((name.clone(), session.memory(name))),
                Export::Global => observation
                    .globals
                    .push((name.clone(), session.global(name))),
                Export::Func(_) | Export::Other => {}
            }
        }
        Ok(observation)
    }
}

/// An instance in one engine, seen through what the oracle compares.
pub trait Session {
    /// Every export, by name.
    fn exports(&mut self) -> Vec<(String, Export)>;
    /// Calls function export `name`: its results, or the trap it ended in,
    /// or an error that is neither.
    fn call(&mut self, name: &str, args: &[Value]) -> Result<Outcome, String>;
    /// The contents of memory export `name`.
    fn memory(&mut self, name: &str) -> Vec<u8>;
    /// The value of global export `name`.
    fn global(&mut self, name: &str) -> Value;
}

/// What an export is, as far as the oracle cares.
pub enum Export {
    /// A function, with its parameter types.
    Func(Vec<ValueType>),
    /// A memory.
    Memory,
    /// A global.
    Global,
    /// A table.
    Other,
}

/// A parameter type, engine-independent.
#[derive(Copy, Clone, Debug)]
pub enum ValueType {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `funcref`
    FuncRef,
    /// `externref` (and any other reference)
    ExternRef,
    /// `v128`
    V128,
}

/// Arguments of the given types, drawn from `u` (scalar NaNs canonical,
/// references null; vectors are any bits: wasm-smith's NaN canonicalization
/// covers the lanes that float ops produce).
fn draw_arguments(types: &[ValueType], u: &mut Unstructured<'_>) -> Vec<Value> {
    types
        .iter()
        .map(|ty| match ty {
            ValueType::I32 => Value::I32(u.arbitrary().unwrap_or(0)),
            ValueType::I64 => Value::I64(u.arbitrary().unwrap_or(0)),
            ValueType::F32 => Value::F32(canonical_f32(u.arbitrary().unwrap_or(0))),
            ValueType::F64 => Value::F64(canonical_f64(u.arbitrary().unwrap_or(0))),
            ValueType::FuncRef => Value::FuncRef(true),
            ValueType::ExternRef => Value::ExternRef(true),
            ValueType::V128 => Value::V128(u.arbitrary().unwrap_or(0)),
        })
        .collect()
}

fn canonical_f32(bits: u32) -> u32 {
    if f32::from_bits(bits).is_nan() {
        0x7fc0_0000
    } else {
        bits
    }
}

fn canonical_f64(bits: u64) -> u64 {
    if f64::from_bits(bits).is_nan() {
        0x7ff8_0000_0000_0000
    } else {
        bits
    }
}

/// The first difference between two observations, if any. Exhaustion
/// matches anything, and ends the comparison of later calls (the engines'
/// states may differ after it).
pub fn difference(a: &Observation, b: &Observation) -> Option<String> {
    if a.instantiation != b.instantiation
        && !matches!(
            (&a.instantiation, &b.instantiation),
            (Some(Outcome::Exhausted), _) | (_, Some(Outcome::Exhausted))
        )
    {
        return Some(format!(
            "instantiation: {:?} vs {:?}",
            a.instantiation, b.instantiation
        ));
    }
    for (x, y) in a.calls.iter().zip(&b.calls) {
        if x.0 != y.0 || x.1 != y.1 {
            return Some(format!("different calls: {x:?} vs {y:?}"));
        }
        if x.2 == Outcome::Exhausted || y.2 == Outcome::Exhausted {
            return None;
        }
        if x.2 != y.2 {
            return Some(format!("{}({:?}): {:?} vs {:?}", x.0, x.1, x.2, y.2));
        }
    }
    if a.calls.len() != b.calls.len() {
        return Some(format!("{} calls vs {}", a.calls.len(), b.calls.len()));
    }
    if a.memories != b.memories {
        let first = a.memories.iter().zip(&b.memories).find(|(x, y)| x != y);
        let detail = first.map(|(x, y)| {
            let position = x.1.iter().zip(&y.1).position(|(p, q)| p != q);
            format!(
                "memory {:?}: lengths {} and {}, first difference at {position:?}",
                x.0,
                x.1.len(),
                y.1.len()
            )
        });
        return Some(detail.unwrap_or_else(|| "different memories".into()));
    }
    if a.globals != b.globals {
        return Some(format!("globals: {:?} vs {:?}", a.globals, b.globals));
    }
    None
}
