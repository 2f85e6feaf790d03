//! A peer: wasmi 2.0, a register-machine interpreter.

use wasmi::{Extern, Instance, Linker, Module, Store, TrapCode, Val, ValType};

use crate::oracle::{Engine, Export, Outcome, Session, TrapClass, Value, ValueType};

/// wasmi 2.0.
pub struct Wasmi;

struct WasmiSession {
    store: Store<()>,
    instance: Instance,
}

impl Engine for Wasmi {
    fn name(&self) -> &'static str {
        "wasmi"
    }

    fn instantiate(&self, wasm: &[u8]) -> Result<Result<Box<dyn Session + '_>, Outcome>, String> {
        let mut config = wasmi::Config::default();
        // Eager translation: lazily, wasmi translates inside its executor,
        // whose handlers cannot unwind, so a panic of its translator (a
        // wasmi 2.0.0 bug, see README) aborted the whole fuzzing process
        // (seed 404, iteration 5403). Eagerly, it panics in `Module::new`,
        // where the panel catches it.
        config
            .compilation_mode(wasmi::CompilationMode::Eager)
            .wasm_tail_call(true)
            .wasm_simd(true)
            .wasm_relaxed_simd(false)
            .wasm_extended_const(false)
            .wasm_multi_memory(false)
            .wasm_memory64(false);
        let engine = wasmi::Engine::new(&config);
        let module = Module::new(&engine, wasm).map_err(|e| format!("wasmi compile: {e}"))?;
        let mut store = Store::new(&engine, ());
        Ok(
            match Linker::<()>::new(&engine).instantiate_and_start(&mut store, &module) {
                Ok(instance) => Ok(Box::new(WasmiSession { store, instance })),
                Err(error) => Err(outcome(&error)?),
            },
        )
    }
}

impl Session for WasmiSession {
    fn exports(&mut self) -> Vec<(String, Export)> {
        let store = &self.store;
        self.instance
            .exports(store)
            .map(|export| {
                let name = export.name().to_string();
                let export = match export.into_extern() {
                    Extern::Func(func) => {
                        Export::Func(func.ty(store).params().iter().map(value_type).collect())
                    }
                    Extern::Memory(_) => Export::Memory,
                    Extern::Global(_) => Export::Global,
                    Extern::Table(_) => Export::Other,
                };
                (name, export)
            })
            .collect()
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Result<Outcome, String> {
        let func = self
            .instance
            .get_func(&self.store, name)
            .ok_or("no such function")?;
        let ty = func.ty(&self.store);
        let args: Vec<Val> = args.iter().map(to_val).collect();
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|t| Val::default_for_ty(*t))
            .collect();
        match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Ok(Outcome::Returned(results.iter().map(from_val).collect())),
            Err(error) => outcome(&error),
        }
    }

    fn memory(&mut self, name: &str) -> Vec<u8> {
        let memory = self.instance.get_memory(&self.store, name);
        memory
            .map(|memory| memory.data(&self.store).to_vec())
            .unwrap_or_default()
    }

    fn global(&mut self, name: &str) -> Value {
        let global = self.instance.get_global(&self.store, name);
        global.map_or(Value::I32(0), |global| from_val(&global.get(&self.store)))
    }
}

fn value_type(ty: &ValType) -> ValueType {
    match ty {
        ValType::I32 => ValueType::I32,
        ValType::I64 => ValueType::I64,
        ValType::F32 => ValueType::F32,
        ValType::F64 => ValueType::F64,
        ValType::FuncRef => ValueType::FuncRef,
        ValType::V128 => ValueType::V128,
        ValType::ExternRef => ValueType::ExternRef,
    }
}

fn to_val(value: &Value) -> Val {
    match *value {
        Value::I32(v) => Val::I32(v),
        Value::I64(v) => Val::I64(v),
        Value::F32(v) => Val::F32(wasmi::F32::from_bits(v)),
        Value::F64(v) => Val::F64(wasmi::F64::from_bits(v)),
        Value::FuncRef(_) => Val::default_for_ty(ValType::FuncRef),
        Value::ExternRef(_) => Val::default_for_ty(ValType::ExternRef),
        Value::V128(v) => Val::V128(v.into()),
    }
}

fn from_val(value: &Val) -> Value {
    match value {
        Val::I32(v) => Value::I32(*v),
        Val::I64(v) => Value::I64(*v),
        Val::F32(v) => Value::F32(v.to_bits()),
        Val::F64(v) => Value::F64(v.to_bits()),
        Val::FuncRef(f) => Value::FuncRef(f.is_null()),
        Val::ExternRef(e) => Value::ExternRef(e.is_null()),
        Val::V128(v) => Value::V128(v.as_u128()),
    }
}

fn outcome(error: &wasmi::Error) -> Result<Outcome, String> {
    let Some(code) = error.as_trap_code() else {
        return Err(format!("wasmi error: {error}"));
    };
    Ok(match code {
        TrapCode::StackOverflow => Outcome::Exhausted,
        TrapCode::UnreachableCodeReached => Outcome::Trapped(TrapClass::Unreachable),
        TrapCode::IntegerDivisionByZero => Outcome::Trapped(TrapClass::DivisionByZero),
        TrapCode::IntegerOverflow => Outcome::Trapped(TrapClass::IntegerOverflow),
        TrapCode::BadConversionToInteger => Outcome::Trapped(TrapClass::BadConversion),
        TrapCode::MemoryOutOfBounds => Outcome::Trapped(TrapClass::MemoryOutOfBounds),
        TrapCode::TableOutOfBounds => Outcome::Trapped(TrapClass::TableOutOfBounds),
        TrapCode::IndirectCallToNull => Outcome::Trapped(TrapClass::IndirectCallToNull),
        TrapCode::BadSignature => Outcome::Trapped(TrapClass::BadSignature),
        _ => Outcome::Trapped(TrapClass::Other),
    })
}
