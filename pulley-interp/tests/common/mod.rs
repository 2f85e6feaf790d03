//! A small assembler for hand-written test programs: ops with symbolic branch
//! labels, several functions, and a runner.

#![allow(dead_code)]

use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::Arc;

use pulley_interp::{
    Claims, Environment, EnvironmentRef, EnvironmentShape, Exit, FunctionInfo, GlobalShape,
    Interpreter, Program, Signature, SlotKind,
};
use pulley_isa::{FuncIndex, OwnedOp, PcRel};

/// One item of a function body.
enum Item {
    Op(OwnedOp),
    /// An op with one branch target, built once the target is known.
    Branch(String, Box<dyn Fn(PcRel) -> OwnedOp>),
    /// An op with several targets (a jump table).
    Table(Vec<String>, Box<dyn Fn(Vec<PcRel>) -> OwnedOp>),
    Label(String),
}

/// A function under construction.
pub struct FunctionBuilder {
    frame_slots: u32,
    params: u32,
    results: u32,
    /// Its type in the shape, if not the numbers one (see [`program`]).
    ty: Option<u32>,
    items: Vec<Item>,
}

impl FunctionBuilder {
    pub fn new(frame_slots: u32, params: u32, results: u32) -> Self {
        FunctionBuilder {
            frame_slots,
            params,
            results,
            ty: None,
            items: Vec::new(),
        }
    }

    /// Gives the function type `ty` of the shape.
    pub fn typed(&mut self, ty: u32) -> &mut Self {
        self.ty = Some(ty);
        self
    }

    pub fn op(&mut self, op: OwnedOp) -> &mut Self {
        self.items.push(Item::Op(op));
        self
    }

    pub fn label(&mut self, name: &str) -> &mut Self {
        self.items.push(Item::Label(name.to_string()));
        self
    }

    /// An op whose `PcRel` operand is the offset of `label`.
    pub fn branch(&mut self, label: &str, op: impl Fn(PcRel) -> OwnedOp + 'static) -> &mut Self {
        self.items
            .push(Item::Branch(label.to_string(), Box::new(op)));
        self
    }

    pub fn table(
        &mut self,
        labels: &[&str],
        op: impl Fn(Vec<PcRel>) -> OwnedOp + 'static,
    ) -> &mut Self {
        self.items.push(Item::Table(
            labels.iter().map(|l| l.to_string()).collect(),
            Box::new(op),
        ));
        self
    }
}

/// Assembles functions into code and a function table.
pub fn assemble(functions: &[&FunctionBuilder]) -> (Vec<u8>, Vec<FunctionInfo>) {
    let mut code = Vec::new();
    let mut infos = Vec::new();
    for function in functions {
        let start = code.len();
        // Pass 1: offsets. Sizes do not depend on branch offsets.
        let mut labels = HashMap::new();
        let mut offset = start;
        for item in &function.items {
            match item {
                Item::Op(op) => offset += op.encoded_len().unwrap(),
                Item::Branch(_, build) => offset += build(PcRel(0)).encoded_len().unwrap(),
                Item::Table(names, build) => {
                    offset += build(vec![PcRel(0); names.len()]).encoded_len().unwrap()
                }
                Item::Label(name) => {
                    labels.insert(name.clone(), offset);
                }
            }
        }
        // Pass 2: encode with resolved offsets.
        let relative = |at: usize, name: &str| {
            let target = labels
                .get(name)
                .unwrap_or_else(|| panic!("no label {name}"));
            PcRel((*target as i64 - at as i64) as i32)
        };
        for item in &function.items {
            let at = code.len();
            match item {
                Item::Op(op) => op.encode(&mut code).unwrap(),
                Item::Branch(name, build) => build(relative(at, name)).encode(&mut code).unwrap(),
                Item::Table(names, build) => build(names.iter().map(|n| relative(at, n)).collect())
                    .encode(&mut code)
                    .unwrap(),
                Item::Label(_) => {}
            }
        }
        infos.push(FunctionInfo {
            ty: function.ty.unwrap_or(u32::MAX),
            code_start: start as u32,
            code_end: code.len() as u32,
            frame_slots: function.frame_slots,
            params: function.params,
            results: function.results,
        });
    }
    (code, infos)
}

/// Assembles and verifies a program. Each function not given a type with
/// [`FunctionBuilder::typed`] gets the first type of `shape` of its
/// parameter and result counts, all numbers; one is added where there is
/// none.
pub fn program(functions: &[&FunctionBuilder], shape: EnvironmentShape) -> Arc<Program> {
    Arc::new(try_program(functions, shape, Claims::default()).expect("test program verifies"))
}

/// Assembles a program (as [`program`]) and verifies it with `claims`.
pub fn try_program(
    functions: &[&FunctionBuilder],
    mut shape: EnvironmentShape,
    claims: Claims,
) -> Result<Program, pulley_interp::VerifyError> {
    let (code, infos) = assemble_typed(functions, &mut shape);
    Program::new(code, infos, shape, claims)
}

/// A lazy program with every function's code installed, as a runtime's
/// compiler installs it: the ops that only such code may hold
/// (`hot_count`) are allowed.
pub fn installed_program(
    functions: &[&FunctionBuilder],
    mut shape: EnvironmentShape,
) -> Arc<Program> {
    let (code, infos) = assemble_typed(functions, &mut shape);
    let types: Vec<u32> = infos.iter().map(|info| info.ty).collect();
    let program = Program::lazy(&types, shape, Claims::default()).expect("a valid table");
    for (func, info) in (0u32..).zip(&infos) {
        let function = code[info.code_start as usize..info.code_end as usize].to_vec();
        program
            .install(FuncIndex(func), function, info.frame_slots)
            .expect("test function verifies");
    }
    Arc::new(program)
}

/// Assembles `functions`, giving those without a type one of `shape`'s
/// (added if missing).
fn assemble_typed(
    functions: &[&FunctionBuilder],
    shape: &mut EnvironmentShape,
) -> (Vec<u8>, Vec<FunctionInfo>) {
    let (code, mut infos) = assemble(functions);
    for info in infos.iter_mut().filter(|info| info.ty == u32::MAX) {
        let wanted = Signature::numbers(info.params as usize, info.results as usize);
        info.ty = match shape.types.iter().position(|ty| *ty == wanted) {
            Some(ty) => ty as u32,
            None => {
                shape.types.push(wanted);
                shape.types.len() as u32 - 1
            }
        };
    }
    (code, infos)
}

/// `count` mutable number globals.
pub fn number_globals(count: usize) -> Vec<GlobalShape> {
    vec![
        GlobalShape {
            scalar: Some(SlotKind::Number),
            mutable: true,
        };
        count
    ]
}

/// Types of `(params, results)` number slots, in order.
pub fn number_types(counts: &[(usize, usize)]) -> Vec<Signature> {
    counts
        .iter()
        .map(|&(params, results)| Signature::numbers(params, results))
        .collect()
}

/// Owns the storage an environment points into.
pub struct TestEnv {
    pub memory: Vec<u8>,
    /// Global cells: 16 bytes each, as `Environment::set_globals` requires.
    pub globals: Vec<[u64; 2]>,
    global_pointers: Vec<*mut u64>,
    pub env: Box<Environment>,
}

impl TestEnv {
    pub fn new(memory_len: usize, globals: usize) -> Self {
        let mut test = TestEnv {
            memory: vec![0; memory_len],
            globals: vec![[0; 2]; globals],
            global_pointers: Vec::new(),
            env: Box::new(Environment::new()),
        };
        test.refresh();
        test
    }

    /// Points the environment at the current storage.
    pub fn refresh(&mut self) {
        self.global_pointers = self.globals.iter_mut().map(|g| g.as_mut_ptr()).collect();
        // SAFETY: the storage lives in `self` and outlives every call made
        // through `run`, which borrows `self` mutably.
        unsafe {
            self.env
                .set_memory(self.memory.as_mut_ptr(), self.memory.len());
            self.env
                .set_globals(self.global_pointers.as_ptr(), self.global_pointers.len());
        }
    }

    pub fn env_ptr(&mut self) -> NonNull<Environment> {
        NonNull::from(&mut *self.env)
    }
}

/// Calls `func` and returns the exit and results.
pub fn run(
    interpreter: &mut Interpreter,
    program: &Arc<Program>,
    test_env: &mut TestEnv,
    func: u32,
    args: &[u64],
) -> (Exit, Vec<u64>) {
    test_env.refresh();
    // SAFETY: `test_env` outlives the call and is not touched during it.
    let env = unsafe { EnvironmentRef::new(test_env.env_ptr()) };
    let exit = interpreter
        .call(program, env, FuncIndex(func), args)
        .expect("valid call");
    (exit, interpreter.results().to_vec())
}
