//! A runner for WebAssembly spec test scripts (`.wast`).
//!
//! Each directive passes or fails. For `assert_invalid` and
//! `assert_malformed` only the rejection is checked, not the message; for
//! `assert_trap` the kind of trap is checked against the expected message.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use std::collections::HashMap;

use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

use crate::{
    Config, Engine, Error, ExternRef, Func, FuncType, Global, GlobalType, Instance, Limits, Linker,
    Memory, MemoryType, Module, Store, Table, TableType, TrapKind, UsageError, Val, ValType,
};

/// The outcome of one script.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WastReport {
    /// Directives that passed.
    pub passed: usize,
    /// Descriptions of the directives that failed.
    pub failures: Vec<String>,
}

impl WastReport {
    /// Directives that failed.
    pub fn failed(&self) -> usize {
        self.failures.len()
    }
}

/// Runs the script `text` (named `name` in messages).
pub fn run_script(name: &str, text: &str, config: &Config) -> WastReport {
    let mut report = WastReport::default();
    // Scripts test names with bidirectional-override characters on purpose.
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buffer = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buffer) => buffer,
        Err(error) => {
            report.failures.push(format!("{name}: {error}"));
            return report;
        }
    };
    let wast = match parser::parse::<Wast>(&buffer) {
        Ok(wast) => wast,
        Err(mut error) => {
            error.set_text(text);
            report.failures.push(format!("{name}: {error}"));
            return report;
        }
    };
    let mut context = Context::new(config);
    for directive in wast.directives {
        let (line, column) = directive.span().linecol_in(text);
        match context.run(directive) {
            Ok(()) => report.passed += 1,
            Err(message) => {
                report
                    .failures
                    .push(format!("{name}:{}:{}: {message}", line + 1, column + 1))
            }
        }
    }
    report
}

/// The state of one script: the store, the registered modules, and the
/// current instance.
struct Context {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    current: Option<Instance>,
    named: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
}

type Outcome = Result<(), String>;

impl Context {
    fn new(config: &Config) -> Context {
        let engine = Engine::new(config);
        let mut store = Store::new(&engine, ());
        if config.get_consume_fuel() {
            // Scripts are not about fuel: all of it, so that only code that
            // cannot be loaded or charges wrongly shows.
            store.set_fuel(u64::MAX).expect("the engine consumes fuel");
        }
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        define_spectest(&mut store, &mut linker).expect("the spectest module defines");
        Context {
            engine,
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
        }
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Outcome {
        match directive {
            WastDirective::Module(module) => {
                let (name, binary) = encode(module)?;
                self.instantiate(name, &binary).map(drop)
            }
            WastDirective::ModuleDefinition(module) => {
                let (name, binary) = encode(module)?;
                let module = Module::new(&self.engine, &binary).map_err(|e| e.to_string())?;
                if let Some(name) = name {
                    self.definitions.insert(name, module);
                }
                Ok(())
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let module = module
                    .and_then(|m| self.definitions.get(m.name()).cloned())
                    .ok_or_else(|| String::from("unknown module definition"))?;
                let instance_handle = self
                    .linker
                    .instantiate(&mut self.store, &module)
                    .map_err(|e| e.to_string())?;
                self.current = Some(instance_handle);
                if let Some(name) = instance {
                    self.named.insert(name.name().to_string(), instance_handle);
                }
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self
                    .instance(module.map(|m| m.name()))
                    .map_err(|e| e.to_string())?;
                self.linker
                    .instance(&self.store, name, instance)
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            WastDirective::Invoke(invoke) => {
                self.invoke(invoke).map(drop).map_err(|e| e.to_string())
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let values = self
                    .execute(exec)
                    .map_err(|e| format!("expected a return, got: {e}"))?;
                self.check_results(&values, &results)
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(values) => Err(format!("expected a trap ({message}), got {values:?}")),
                Err(Error::Trap(trap)) if trap_matches(trap.kind(), message) => Ok(()),
                Err(error) => Err(format!("expected a trap ({message}), got: {error}")),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(call) {
                Ok(values) => Err(format!("expected exhaustion ({message}), got {values:?}")),
                Err(Error::Trap(trap)) if *trap.kind() == TrapKind::StackOverflow => Ok(()),
                Err(error) => Err(format!("expected exhaustion ({message}), got: {error}")),
            },
            WastDirective::AssertInvalid {
                module, message, ..
            }
            | WastDirective::AssertMalformed {
                module, message, ..
            } => {
                let Ok((_, binary)) = encode(module) else {
                    return Ok(());
                };
                match Module::new(&self.engine, &binary) {
                    Err(_) => Ok(()),
                    // `CompilationMode::Lazy` checks a body when it compiles
                    // it: compiling every function must refuse the module.
                    Ok(module) if module.is_lazy() && module.serialize().is_err() => Ok(()),
                    Ok(_) => Err(format!("expected the module to be rejected ({message})")),
                }
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let mut module = module;
                let binary = module.encode().map_err(|e| e.to_string())?;
                match self.instantiate_unnamed(&binary) {
                    Ok(_) => Err(format!("expected the module to fail linking ({message})")),
                    Err(Error::Link(_)) => Ok(()),
                    Err(error) => Err(format!("expected a link error ({message}), got: {error}")),
                }
            }
            other => Err(format!(
                "unsupported directive {:?}",
                core::mem::discriminant(&other)
            )),
        }
    }

    fn instance(&self, name: Option<&str>) -> Result<Instance, UsageError> {
        match name {
            Some(name) => self
                .named
                .get(name)
                .copied()
                .ok_or_else(|| UsageError::UnknownScriptModule(name.into())),
            None => self.current.ok_or(UsageError::NoScriptModule),
        }
    }

    fn instantiate_unnamed(&mut self, binary: &[u8]) -> Result<Instance, Error> {
        let module = Module::new(&self.engine, binary)?;
        self.linker.instantiate(&mut self.store, &module)
    }

    fn instantiate(&mut self, name: Option<String>, binary: &[u8]) -> Result<Instance, String> {
        let instance = self
            .instantiate_unnamed(binary)
            .map_err(|e| e.to_string())?;
        self.current = Some(instance);
        if let Some(name) = name {
            self.named.insert(name, instance);
        }
        Ok(instance)
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Val>, Error> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(invoke),
            WastExecute::Wat(module) => {
                let mut module = QuoteWat::Wat(module);
                let binary = module.encode().map_err(|e| Error::Wat(e.to_string()))?;
                self.instantiate_unnamed(&binary).map(|_| Vec::new())
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module.map(|m| m.name()))?;
                let global = instance.get_global(&self.store, global).ok_or_else(|| {
                    UsageError::NoExport {
                        kind: "global",
                        name: global.into(),
                    }
                })?;
                Ok(alloc::vec![global.get(&self.store)])
            }
        }
    }

    fn invoke(&mut self, invoke: WastInvoke<'_>) -> Result<Vec<Val>, Error> {
        let instance = self.instance(invoke.module.map(|m| m.name()))?;
        let func =
            instance
                .get_func(&self.store, invoke.name)
                .ok_or_else(|| UsageError::NoExport {
                    kind: "function",
                    name: invoke.name.into(),
                })?;
        let mut args = Vec::with_capacity(invoke.args.len());
        for arg in &invoke.args {
            args.push(self.argument(arg)?);
        }
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results.iter().map(|&t| Val::default_for(t)).collect();
        func.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    fn argument(&mut self, arg: &WastArg<'_>) -> Result<Val, Error> {
        let unsupported = || Error::from(UsageError::UnsupportedScriptArgument);
        let WastArg::Core(arg) = arg else {
            return Err(unsupported());
        };
        Ok(match arg {
            WastArgCore::I32(v) => Val::I32(*v),
            WastArgCore::I64(v) => Val::I64(*v),
            WastArgCore::F32(v) => Val::F32(v.bits),
            WastArgCore::F64(v) => Val::F64(v.bits),
            WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
            WastArgCore::RefNull(wast::core::HeapType::Abstract {
                ty: wast::core::AbstractHeapType::Func,
                ..
            }) => Val::FuncRef(None),
            WastArgCore::RefNull(_) => Val::ExternRef(None),
            WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(&mut self.store, *n))),
            _ => return Err(unsupported()),
        })
    }

    fn check_results(&self, values: &[Val], expected: &[WastRet<'_>]) -> Outcome {
        if values.len() != expected.len() {
            return Err(format!(
                "expected {} results, got {values:?}",
                expected.len()
            ));
        }
        for (value, expected) in values.iter().zip(expected) {
            let WastRet::Core(expected) = expected else {
                return Err(String::from("unsupported expected result"));
            };
            if !self.matches(value, expected) {
                return Err(format!("expected {expected:?}, got {value:?}"));
            }
        }
        Ok(())
    }

    fn matches(&self, value: &Val, expected: &WastRetCore<'_>) -> bool {
        match (value, expected) {
            (Val::I32(v), WastRetCore::I32(e)) => v == e,
            (Val::I64(v), WastRetCore::I64(e)) => v == e,
            (Val::F32(v), WastRetCore::F32(e)) => f32_matches(*v, e),
            (Val::F64(v), WastRetCore::F64(e)) => f64_matches(*v, e),
            (Val::V128(v), WastRetCore::V128(e)) => v128_matches(*v, e),
            (Val::FuncRef(None) | Val::ExternRef(None), WastRetCore::RefNull(_)) => true,
            (Val::FuncRef(Some(_)), WastRetCore::RefFunc(_)) => true,
            (Val::ExternRef(Some(reference)), WastRetCore::RefExtern(expected)) => match expected {
                None => true,
                Some(n) => {
                    reference
                        .data(&self.store)
                        .and_then(|d| d.downcast_ref::<u32>())
                        == Some(n)
                }
            },
            (_, WastRetCore::Either(options)) => {
                options.iter().any(|option| self.matches(value, option))
            }
            _ => false,
        }
    }
}

fn f32_matches(bits: u32, expected: &NanPattern<wast::token::F32>) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(e) => bits == e.bits,
    }
}

fn f64_matches(bits: u64, expected: &NanPattern<wast::token::F64>) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(e) => bits == e.bits,
    }
}

/// Whether a `v128` matches a pattern lane by lane.
fn v128_matches(value: u128, expected: &V128Pattern) -> bool {
    let lane = |bits: u32, i: usize| (value >> (bits as usize * i)) & ((1u128 << bits) - 1);
    match expected {
        V128Pattern::I8x16(lanes) => (0..16).all(|i| lane(8, i) == u128::from(lanes[i] as u8)),
        V128Pattern::I16x8(lanes) => (0..8).all(|i| lane(16, i) == u128::from(lanes[i] as u16)),
        V128Pattern::I32x4(lanes) => (0..4).all(|i| lane(32, i) == u128::from(lanes[i] as u32)),
        V128Pattern::I64x2(lanes) => (0..2).all(|i| lane(64, i) == u128::from(lanes[i] as u64)),
        V128Pattern::F32x4(lanes) => (0..4).all(|i| f32_matches(lane(32, i) as u32, &lanes[i])),
        V128Pattern::F64x2(lanes) => (0..2).all(|i| f64_matches(lane(64, i) as u64, &lanes[i])),
    }
}

/// A module's name and binary.
fn encode(module: QuoteWat<'_>) -> Result<(Option<String>, Vec<u8>), String> {
    let mut module = module;
    let name = match &module {
        QuoteWat::Wat(wast::Wat::Module(m)) => m.id.map(|id| id.name().to_string()),
        QuoteWat::QuoteModule(_, _) | QuoteWat::QuoteComponent(_, _) | QuoteWat::Wat(_) => None,
    };
    let binary = module.encode().map_err(|e| e.to_string())?;
    Ok((name, binary))
}

/// Whether a trap of `kind` is what a script's message expects.
fn trap_matches(kind: &TrapKind, expected: &str) -> bool {
    let ours = kind.message();
    if expected.starts_with(ours) || ours.starts_with(expected) {
        return true;
    }
    matches!(
        (kind, expected),
        (
            TrapKind::TableOutOfBounds,
            "undefined element" | "out of bounds table access"
        ) | (
            TrapKind::IndirectCallToNull,
            "uninitialized element" | "uninitialized element 2"
        ) | (
            TrapKind::MemoryOutOfBounds,
            "out of bounds memory access" | "memory access out of bounds"
        )
    ) || (matches!(kind, TrapKind::TableOutOfBounds) && expected.starts_with("undefined element"))
        || (matches!(kind, TrapKind::IndirectCallToNull)
            && expected.starts_with("uninitialized element"))
}

/// Defines the `spectest` module the scripts import from.
fn define_spectest(store: &mut Store<()>, linker: &mut Linker<()>) -> Result<(), Error> {
    let print = |params: &[ValType]| FuncType {
        params: params.to_vec(),
        results: Vec::new(),
    };
    for (name, params) in [
        ("print", &[][..]),
        ("print_i32", &[ValType::I32][..]),
        ("print_i64", &[ValType::I64][..]),
        ("print_f32", &[ValType::F32][..]),
        ("print_f64", &[ValType::F64][..]),
        ("print_i32_f32", &[ValType::I32, ValType::F32][..]),
        ("print_f64_f64", &[ValType::F64, ValType::F64][..]),
    ] {
        let func = Func::new(&mut *store, print(params), |_, _, _| Ok(()));
        linker.define("spectest", name, func)?;
    }
    let globals = [
        ("global_i32", ValType::I32, Val::I32(666)),
        ("global_i64", ValType::I64, Val::I64(666)),
        ("global_f32", ValType::F32, Val::F32(666.6f32.to_bits())),
        ("global_f64", ValType::F64, Val::F64(666.6f64.to_bits())),
    ];
    for (name, ty, value) in globals {
        let global = Global::new(&mut *store, GlobalType { ty, mutable: false }, value)?;
        linker.define("spectest", name, global)?;
    }
    let table = Table::new(
        &mut *store,
        TableType {
            element: ValType::FuncRef,
            limits: Limits {
                min: 10,
                max: Some(20),
            },
        },
        Val::FuncRef(None),
    )?;
    linker.define("spectest", "table", table)?;
    let memory = Memory::new(
        &mut *store,
        MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
        },
    )?;
    linker.define("spectest", "memory", memory)?;
    Ok(())
}
