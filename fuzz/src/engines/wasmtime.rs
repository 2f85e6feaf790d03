//! The reference: Wasmtime 48 compiling with Cranelift to native code.

use wasmtime::{Extern, Instance, Module, Store, Trap, Val, ValType};

use crate::oracle::{Engine, Export, Outcome, Session, TrapClass, Value, ValueType};

/// Wasmtime with Cranelift: the reference every other engine is compared
/// against (native code, the most widely deployed and fuzzed of the peers).
pub struct Wasmtime {
    engine: wasmtime::Engine,
}

struct WasmtimeSession {
    store: Store<()>,
    instance: Instance,
}

impl Wasmtime {
    /// An engine with the features the generator uses.
    pub fn new() -> Wasmtime {
        let mut config = wasmtime::Config::new();
        config
            .wasm_tail_call(true)
            .wasm_reference_types(true)
            .wasm_multi_value(true)
            .wasm_bulk_memory(true)
            .wasm_simd(true)
            .wasm_relaxed_simd(false)
            .wasm_multi_memory(false)
            .wasm_memory64(false)
            .cranelift_nan_canonicalization(false)
            // Generated memories are at most 1 MiB: explicit bounds checks
            // instead of a 4 GiB reservation per store, whose mapping and
            // unmapping would dominate the run.
            .memory_reservation(0)
            .memory_guard_size(0)
            .memory_reservation_for_growth(1 << 20);
        let engine = wasmtime::Engine::new(&config).expect("a valid Wasmtime configuration");
        Wasmtime { engine }
    }
}

impl Default for Wasmtime {
    fn default() -> Self {
        Wasmtime::new()
    }
}

impl Engine for Wasmtime {
    fn name(&self) -> &'static str {
        "wasmtime"
    }

    fn instantiate(&self, wasm: &[u8]) -> Result<Result<Box<dyn Session + '_>, Outcome>, String> {
        let module =
            Module::new(&self.engine, wasm).map_err(|e| format!("wasmtime compile: {e}"))?;
        let mut store = Store::new(&self.engine, ());
        Ok(match Instance::new(&mut store, &module, &[]) {
            Ok(instance) => Ok(Box::new(WasmtimeSession { store, instance })),
            Err(error) => Err(outcome(&error)?),
        })
    }
}

impl Session for WasmtimeSession {
    fn exports(&mut self) -> Vec<(String, Export)> {
        let exports: Vec<(String, Extern)> = self
            .instance
            .exports(&mut self.store)
            .map(|export| (export.name().to_string(), export.into_extern()))
            .collect();
        exports
            .into_iter()
            .map(|(name, export)| {
                let export = match export {
                    Extern::Func(func) => Export::Func(
                        func.ty(&self.store)
                            .params()
                            .map(|t| value_type(&t))
                            .collect(),
                    ),
                    Extern::Memory(_) => Export::Memory,
                    Extern::Global(_) => Export::Global,
                    _ => Export::Other,
                };
                (name, export)
            })
            .collect()
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Result<Outcome, String> {
        let func = self
            .instance
            .get_func(&mut self.store, name)
            .ok_or("no such function")?;
        let ty = func.ty(&self.store);
        let args: Vec<Val> = args.iter().map(to_val).collect();
        let mut results: Vec<Val> = ty
            .results()
            .map(|t| Val::default_for_ty(&t).unwrap_or(Val::I32(0)))
            .collect();
        match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Ok(Outcome::Returned(results.iter().map(from_val).collect())),
            Err(error) => outcome(&error),
        }
    }

    fn memory(&mut self, name: &str) -> Vec<u8> {
        let memory = self.instance.get_memory(&mut self.store, name);
        memory
            .map(|memory| memory.data(&self.store).to_vec())
            .unwrap_or_default()
    }

    fn global(&mut self, name: &str) -> Value {
        match self.instance.get_global(&mut self.store, name) {
            Some(global) => from_val(&global.get(&mut self.store)),
            None => Value::I32(0),
        }
    }
}

fn value_type(ty: &ValType) -> ValueType {
    match ty {
        ValType::I32 => ValueType::I32,
        ValType::I64 => ValueType::I64,
        ValType::F32 => ValueType::F32,
        ValType::F64 => ValueType::F64,
        ValType::Ref(r) if r.heap_type().is_func() => ValueType::FuncRef,
        ValType::V128 => ValueType::V128,
        _ => ValueType::ExternRef,
    }
}

fn to_val(value: &Value) -> Val {
    match *value {
        Value::I32(v) => Val::I32(v),
        Value::I64(v) => Val::I64(v),
        Value::F32(v) => Val::F32(v),
        Value::F64(v) => Val::F64(v),
        Value::FuncRef(_) => Val::FuncRef(None),
        Value::ExternRef(_) => Val::ExternRef(None),
        Value::V128(v) => Val::V128(v.into()),
    }
}

fn from_val(value: &Val) -> Value {
    match value {
        Val::I32(v) => Value::I32(*v),
        Val::I64(v) => Value::I64(*v),
        Val::F32(v) => Value::F32(*v),
        Val::F64(v) => Value::F64(*v),
        Val::FuncRef(f) => Value::FuncRef(f.is_none()),
        Val::ExternRef(e) => Value::ExternRef(e.is_none()),
        Val::V128(v) => Value::V128(v.as_u128()),
        _ => Value::ExternRef(true),
    }
}

fn outcome(error: &wasmtime::Error) -> Result<Outcome, String> {
    let Some(trap) = error.downcast_ref::<Trap>() else {
        return Err(format!("wasmtime error: {error:#}"));
    };
    Ok(match trap {
        Trap::StackOverflow => Outcome::Exhausted,
        Trap::UnreachableCodeReached => Outcome::Trapped(TrapClass::Unreachable),
        Trap::IntegerDivisionByZero => Outcome::Trapped(TrapClass::DivisionByZero),
        Trap::IntegerOverflow => Outcome::Trapped(TrapClass::IntegerOverflow),
        Trap::BadConversionToInteger => Outcome::Trapped(TrapClass::BadConversion),
        Trap::MemoryOutOfBounds => Outcome::Trapped(TrapClass::MemoryOutOfBounds),
        Trap::TableOutOfBounds => Outcome::Trapped(TrapClass::TableOutOfBounds),
        Trap::IndirectCallToNull => Outcome::Trapped(TrapClass::IndirectCallToNull),
        Trap::BadSignature => Outcome::Trapped(TrapClass::BadSignature),
        _ => Outcome::Trapped(TrapClass::Other),
    })
}
