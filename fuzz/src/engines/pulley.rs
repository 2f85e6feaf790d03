//! The engines under test: Pulley's interpreter, and the same IR as host
//! machine code (the runtime's `native` mode).

use pulley::{
    CompilationMode, Extern, FirstTier, Instance, Linker, Module, Store, TrapKind, Val, ValType,
};

use crate::oracle::{Engine, Export, Outcome, Session, TrapClass, Value, ValueType};

/// Pulley: the interpreter, on code Cranelift optimized (or not), or native
/// code.
pub struct Pulley {
    /// Whether Cranelift's optimizer runs.
    pub optimize: bool,
    /// Whether the code is host machine code instead of bytecode.
    pub native: bool,
    /// When functions are compiled (native code: always eagerly).
    pub compilation: CompilationMode,
    /// The baseline tier first, tiering up after this many counts
    /// (`Config::tier_up_threshold`), instead of the optimizing tier.
    pub baseline: Option<u32>,
}

struct PulleySession {
    store: Store<()>,
    instance: Instance,
    /// For its compilation stats.
    module: Module,
}

impl Engine for Pulley {
    fn name(&self) -> &'static str {
        if self.baseline.is_some() {
            return "pulley (baseline, tiering up)";
        }
        match (self.native, self.optimize, self.compilation) {
            (true, ..) => "pulley (native)",
            (false, true, CompilationMode::Eager) => "pulley (eager)",
            (false, true, CompilationMode::LazyTranslation) => "pulley",
            (false, true, CompilationMode::Lazy) => "pulley (lazy)",
            (false, false, CompilationMode::Eager) => "pulley (unoptimized, eager)",
            (false, false, CompilationMode::LazyTranslation) => "pulley (unoptimized)",
            (false, false, CompilationMode::Lazy) => "pulley (unoptimized, lazy)",
        }
    }

    fn instantiate(&self, wasm: &[u8]) -> Result<Result<Box<dyn Session + '_>, Outcome>, String> {
        let mut config = pulley::Config::new();
        config
            .optimize(self.optimize)
            .native(self.native)
            .compilation_mode(self.compilation);
        match self.baseline {
            // On this thread: a case must replay the same way.
            Some(threshold) => config
                .first_tier(FirstTier::Baseline)
                .tier_up_threshold(Some(threshold))
                .tier_up_in_background(false),
            None => config.first_tier(FirstTier::Optimizing),
        };
        let engine = pulley::Engine::new(&config);
        let module = Module::from_binary(&engine, wasm).map_err(|e| format!("compile: {e}"))?;
        let mut store = Store::new(&engine, ());
        Ok(
            match Linker::new(&engine).instantiate(&mut store, &module) {
                Ok(instance) => Ok(Box::new(PulleySession {
                    store,
                    instance,
                    module,
                })),
                Err(error) => Err(outcome(&error)?),
            },
        )
    }
}

impl Session for PulleySession {
    fn exports(&mut self) -> Vec<(String, Export)> {
        let store = &self.store;
        self.instance
            .exports(store)
            .map(|(name, export)| {
                let export = match export {
                    Extern::Func(func) => {
                        Export::Func(func.ty(store).params.iter().map(value_type).collect())
                    }
                    Extern::Memory(_) => Export::Memory,
                    Extern::Global(_) => Export::Global,
                    Extern::Table(_) => Export::Other,
                };
                (name.to_string(), export)
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
        let mut results: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
        let called = func.call(&mut self.store, &args, &mut results);
        // A tier-up or on-stack entry that failed for a bug runs on in
        // baseline code, unseen by the comparison: say so.
        let stats = self.module.compilation_stats();
        if let Some(stats) = stats.filter(|stats| stats.tier_up_bugs > 0) {
            return Err(format!(
                "{} tier-ups failed with a compiler bug",
                stats.tier_up_bugs
            ));
        }
        match called {
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
        ValType::ExternRef => ValueType::ExternRef,
        ValType::V128 => ValueType::V128,
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
        Value::V128(v) => Val::V128(v),
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
        Val::V128(v) => Value::V128(*v),
    }
}

fn outcome(error: &pulley::Error) -> Result<Outcome, String> {
    let Some(trap) = error.as_trap() else {
        return Err(format!("pulley error: {error}"));
    };
    Ok(match trap.kind() {
        TrapKind::StackOverflow => Outcome::Exhausted,
        TrapKind::Unreachable => Outcome::Trapped(TrapClass::Unreachable),
        TrapKind::IntegerDivisionByZero => Outcome::Trapped(TrapClass::DivisionByZero),
        TrapKind::IntegerOverflow => Outcome::Trapped(TrapClass::IntegerOverflow),
        TrapKind::BadConversionToInteger => Outcome::Trapped(TrapClass::BadConversion),
        TrapKind::MemoryOutOfBounds => Outcome::Trapped(TrapClass::MemoryOutOfBounds),
        TrapKind::TableOutOfBounds => Outcome::Trapped(TrapClass::TableOutOfBounds),
        TrapKind::IndirectCallToNull => Outcome::Trapped(TrapClass::IndirectCallToNull),
        TrapKind::BadSignature => Outcome::Trapped(TrapClass::BadSignature),
        _ => Outcome::Trapped(TrapClass::Other),
    })
}
