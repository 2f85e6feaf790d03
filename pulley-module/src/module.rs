//! Module-level types.

use alloc::string::String;
use alloc::vec::Vec;

use crate::{Escaped, FunctionNames};

/// A WebAssembly value type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValType {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `v128`
    V128,
    /// `funcref` (nullable)
    FuncRef,
    /// `externref` (nullable)
    ExternRef,
}

impl ValType {
    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }

    /// The 64-bit interpreter slots a value of this type occupies (in
    /// frames, call operands and results): two for a `v128` (bytes 0..8,
    /// then 8..16), one otherwise.
    pub fn slots(self) -> u32 {
        if self == ValType::V128 { 2 } else { 1 }
    }

    /// The slots a list of values occupies (see [`slots`](Self::slots)).
    pub fn total_slots(types: &[ValType]) -> u32 {
        types.iter().map(|ty| ty.slots()).sum()
    }
}

impl core::fmt::Display for ValType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// A function type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FuncType {
    /// Parameter types.
    pub params: Vec<ValType>,
    /// Result types.
    pub results: Vec<ValType>,
}

/// Size limits of a table (in elements) or memory (in pages).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Initial size.
    pub min: u64,
    /// Maximum size, if any.
    pub max: Option<u64>,
}

/// A table type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TableType {
    /// Element type: `FuncRef` or `ExternRef`.
    pub element: ValType,
    /// Size limits in elements.
    pub limits: Limits,
}

/// A memory type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MemoryType {
    /// Size limits in 64 KiB pages.
    pub limits: Limits,
}

/// A global type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct GlobalType {
    /// The value type.
    pub ty: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

/// One instruction of a constant expression.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ConstOp {
    /// `i32.const`
    I32Const(i32),
    /// `i64.const`
    I64Const(i64),
    /// `f32.const` (bits)
    F32Const(u32),
    /// `f64.const` (bits)
    F64Const(u64),
    /// `v128.const`
    V128Const(u128),
    /// `ref.null`
    RefNull,
    /// `ref.func`
    RefFunc(u32),
    /// `global.get`
    GlobalGet(u32),
    /// `i32.add`
    I32Add,
    /// `i32.sub`
    I32Sub,
    /// `i32.mul`
    I32Mul,
    /// `i64.add`
    I64Add,
    /// `i64.sub`
    I64Sub,
    /// `i64.mul`
    I64Mul,
}

/// A constant expression: a sequence of [`ConstOp`]s evaluated on a stack.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConstExpr {
    /// The instructions, without the final `end`.
    pub ops: Vec<ConstOp>,
}

/// What an import provides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// A function of the given type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

/// An import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported.
    pub kind: ImportKind,
}

/// What an export names.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// A function index.
    Func(u32),
    /// A table index.
    Table(u32),
    /// A memory index.
    Memory(u32),
    /// A global index.
    Global(u32),
}

/// An export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// What it exports.
    pub kind: ExportKind,
}

/// How an element segment is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElementMode {
    /// Only for `table.init`.
    Passive,
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
    /// Copied into a table at instantiation.
    Active {
        /// The table.
        table: u32,
        /// The offset expression (i32).
        offset: ConstExpr,
    },
}

/// The items of an element segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElementItems {
    /// Function indices (funcref elements).
    Functions(Vec<u32>),
    /// Constant expressions of the given reference type.
    Expressions(ValType, Vec<ConstExpr>),
}

impl ElementItems {
    /// The items' type.
    pub fn ty(&self) -> ValType {
        match self {
            ElementItems::Functions(_) => ValType::FuncRef,
            ElementItems::Expressions(ty, _) => *ty,
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            ElementItems::Functions(functions) => functions.len(),
            ElementItems::Expressions(_, expressions) => expressions.len(),
        }
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An element segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementSegment {
    /// How it is used.
    pub mode: ElementMode,
    /// Its items.
    pub items: ElementItems,
}

/// How a data segment is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataMode {
    /// Only for `memory.init`.
    Passive,
    /// Copied into a memory at instantiation.
    Active {
        /// The memory.
        memory: u32,
        /// The offset expression (i32).
        offset: ConstExpr,
    },
}

/// A data segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSegment {
    /// How it is used.
    pub mode: DataMode,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A module's structure: everything but function bodies.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleInfo {
    /// Function types, by type index.
    pub types: Vec<FuncType>,
    /// Imports in order.
    pub imports: Vec<Import>,
    /// The type index of every function, imported ones first.
    pub functions: Vec<u32>,
    /// Every table, imported ones first.
    pub tables: Vec<TableType>,
    /// Every memory, imported ones first.
    pub memories: Vec<MemoryType>,
    /// Every global, imported ones first.
    pub globals: Vec<GlobalType>,
    /// Initializers of the defined (not imported) globals.
    pub global_inits: Vec<ConstExpr>,
    /// Exports in order.
    pub exports: Vec<Export>,
    /// The start function.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: Vec<ElementSegment>,
    /// Data segments.
    pub data: Vec<DataSegment>,
    /// The module's name from the name section.
    pub name: Option<String>,
    /// Function names from the name section.
    pub function_names: FunctionNames,
    /// Number of imported functions (they come first in `functions`).
    pub imported_functions: u32,
    /// Number of imported tables.
    pub imported_tables: u32,
    /// Number of imported memories.
    pub imported_memories: u32,
    /// Number of imported globals.
    pub imported_globals: u32,
}

impl ModuleInfo {
    /// The type of function `func`.
    pub fn function_type(&self, func: u32) -> Option<&FuncType> {
        let ty = *self.functions.get(func as usize)?;
        self.types.get(ty as usize)
    }

    /// Number of functions defined (not imported) by the module.
    pub fn defined_functions(&self) -> u32 {
        self.functions.len() as u32 - self.imported_functions
    }

    /// The name of function `func`, if the name section gives one.
    pub fn function_name(&self, func: u32) -> Option<&str> {
        self.function_names.get(func)
    }
}

/// A position in a function's code: which wasm offset the op at a code offset
/// came from. Sorted by code offset.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AddressMapEntry {
    /// Offset in the program's code.
    pub code_offset: u32,
    /// Offset in the wasm binary.
    pub wasm_offset: u32,
}

/// One compiled function: where its bytecode is and what its frame needs.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CompiledFunction {
    /// Offset of its first op in [`CompiledModule::code`].
    pub code_start: u32,
    /// Offset one past its last op.
    pub code_end: u32,
    /// Register slots its frame needs.
    pub frame_slots: u32,
    /// Slots its parameters occupy ([`ValType::total_slots`]).
    pub params: u32,
    /// Slots its results occupy.
    pub results: u32,
    /// How it was compiled, where not the usual way.
    pub compiled_cheaply: CheapCompilation,
}

/// A function compiled a cheaper way than the optimizing pipeline, because
/// its shape would have made that pipeline's cost grow faster than its
/// size (see `pulley-emit`'s compile-time budgets).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum CheapCompilation {
    /// Compiled the usual way.
    #[default]
    No,
    /// So many values were live at once that registers were allocated by
    /// regalloc2's single-pass allocator instead of its backtracking one.
    SinglePassAllocation,
}

/// A module compiled to Pulley bytecode.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CompiledModule {
    /// The module's structure (shared with the lazy compiler that holds
    /// it too).
    pub info: alloc::sync::Arc<ModuleInfo>,
    /// The bytecode of all defined functions.
    pub code: Vec<u8>,
    /// The defined functions, in order (function `i` of the bytecode is wasm
    /// function `info.imported_functions + i`).
    pub functions: Vec<CompiledFunction>,
    /// Code offsets of ops that can trap or call, with the wasm offsets they
    /// came from, sorted by code offset.
    pub address_map: Vec<AddressMapEntry>,
}

impl CompiledModule {
    /// The wasm offset of the op at `code_offset`, or of the closest op before
    /// it that has one.
    pub fn wasm_offset(&self, code_offset: usize) -> Option<u32> {
        let position = self
            .address_map
            .partition_point(|entry| entry.code_offset as usize <= code_offset);
        Some(self.address_map.get(position.checked_sub(1)?)?.wasm_offset)
    }
}

impl CompiledModule {
    /// Checks that every index the module holds refers to something that
    /// exists and every constant expression is well typed, so that a runtime
    /// can instantiate it without further checks. (A module from the compiler
    /// always passes; an artifact from elsewhere might not.)
    pub fn check_consistency(&self) -> Result<(), String> {
        use alloc::format;
        let info = &self.info;
        let count = |len: usize| u32::try_from(len).map_err(|_| String::from("too many entries"));
        let types = count(info.types.len())?;
        let functions = count(info.functions.len())?;
        let tables = count(info.tables.len())?;
        let memories = count(info.memories.len())?;
        let globals = count(info.globals.len())?;
        for (i, &ty) in info.functions.iter().enumerate() {
            if ty >= types {
                return Err(format!(
                    "function {i} has type {ty}, but there are {types} types"
                ));
            }
        }
        if memories > 1 {
            return Err(format!("{memories} memories; at most one is supported"));
        }
        let mut imported = [0u32; 4];
        for import in &info.imports {
            let (kind, matches) = match &import.kind {
                ImportKind::Func(ty) => (0, info.functions.get(imported[0] as usize) == Some(ty)),
                ImportKind::Table(table) => {
                    (1, info.tables.get(imported[1] as usize) == Some(table))
                }
                ImportKind::Memory(memory) => {
                    (2, info.memories.get(imported[2] as usize) == Some(memory))
                }
                ImportKind::Global(global) => {
                    (3, info.globals.get(imported[3] as usize) == Some(global))
                }
            };
            if !matches {
                return Err(format!(
                    "import {}.{} does not match the module's entities",
                    Escaped(&import.module),
                    Escaped(&import.name)
                ));
            }
            imported[kind] += 1;
        }
        let declared = [
            info.imported_functions,
            info.imported_tables,
            info.imported_memories,
            info.imported_globals,
        ];
        if imported != declared {
            return Err(format!(
                "imports {imported:?} do not match the imported counts {declared:?}"
            ));
        }
        for limits in info
            .tables
            .iter()
            .map(|t| t.limits)
            .chain(info.memories.iter().map(|m| m.limits))
        {
            if limits.max.is_some_and(|max| max < limits.min) {
                return Err(format!(
                    "limits {limits:?} have a maximum below the minimum"
                ));
            }
        }
        for table in &info.tables {
            if !table.element.is_ref() {
                return Err(format!("table of {}", table.element));
            }
        }
        let defined_globals = (globals - info.imported_globals) as usize;
        if info.global_inits.len() != defined_globals {
            return Err(format!(
                "{} global initializers for {defined_globals} globals",
                info.global_inits.len()
            ));
        }
        for (i, init) in info.global_inits.iter().enumerate() {
            let index = info.imported_globals + i as u32;
            let visible = index;
            self.check_const(init, info.globals[index as usize].ty, visible)?;
        }
        for export in &info.exports {
            let (index, limit) = match export.kind {
                ExportKind::Func(i) => (i, functions),
                ExportKind::Table(i) => (i, tables),
                ExportKind::Memory(i) => (i, memories),
                ExportKind::Global(i) => (i, globals),
            };
            if index >= limit {
                return Err(format!(
                    "export {} names index {index} of {limit}",
                    Escaped(&export.name)
                ));
            }
        }
        if let Some(start) = info.start {
            let ty = info
                .function_type(start)
                .ok_or_else(|| format!("start function {start} does not exist"))?;
            if !ty.params.is_empty() || !ty.results.is_empty() {
                return Err(String::from("the start function takes or returns values"));
            }
        }
        for segment in &info.elements {
            if let ElementMode::Active { table, offset } = &segment.mode {
                if *table >= tables {
                    return Err(format!("element segment for table {table} of {tables}"));
                }
                let element = info.tables[*table as usize].element;
                if segment.items.ty() != element {
                    return Err(format!(
                        "element segment of {} for a table of {element}",
                        segment.items.ty()
                    ));
                }
                self.check_const(offset, ValType::I32, globals)?;
            }
            match &segment.items {
                ElementItems::Functions(items) => {
                    if let Some(f) = items.iter().find(|&&f| f >= functions) {
                        return Err(format!("element segment names function {f} of {functions}"));
                    }
                }
                ElementItems::Expressions(ty, items) => {
                    if !ty.is_ref() {
                        return Err(format!("element segment of {ty}"));
                    }
                    for item in items {
                        self.check_const(item, *ty, globals)?;
                    }
                }
            }
        }
        for segment in &info.data {
            if let DataMode::Active { memory, offset } = &segment.mode {
                if *memory >= memories {
                    return Err(format!("data segment for memory {memory} of {memories}"));
                }
                self.check_const(offset, ValType::I32, globals)?;
            }
        }
        let defined = functions
            .checked_sub(info.imported_functions)
            .ok_or_else(|| String::from("more imported functions than functions"))?;
        if self.functions.len() != defined as usize {
            return Err(format!(
                "{} compiled functions for {defined} defined functions",
                self.functions.len()
            ));
        }
        for (i, function) in self.functions.iter().enumerate() {
            let ty = &info.types[info.functions[info.imported_functions as usize + i] as usize];
            if function.params != ValType::total_slots(&ty.params)
                || function.results != ValType::total_slots(&ty.results)
            {
                return Err(format!("compiled function {i} does not match its type"));
            }
        }
        Ok(())
    }

    /// Checks that `expression` leaves exactly one value of type `expected`
    /// (any reference for `ref.null`), reading only globals below `visible`.
    fn check_const(
        &self,
        expression: &ConstExpr,
        expected: ValType,
        visible: u32,
    ) -> Result<(), String> {
        use alloc::format;
        let info = &self.info;
        // `None` stands for a `ref.null` of either reference type.
        let mut stack: Vec<Option<ValType>> = Vec::new();
        let bad = || format!("constant expression {:?} is ill-typed", expression.ops);
        for op in &expression.ops {
            let (pops, push): (&[ValType], Option<ValType>) = match *op {
                ConstOp::I32Const(_) => (&[], Some(ValType::I32)),
                ConstOp::I64Const(_) => (&[], Some(ValType::I64)),
                ConstOp::F32Const(_) => (&[], Some(ValType::F32)),
                ConstOp::F64Const(_) => (&[], Some(ValType::F64)),
                ConstOp::V128Const(_) => (&[], Some(ValType::V128)),
                ConstOp::RefNull => (&[], None),
                ConstOp::RefFunc(f) => {
                    if f as usize >= info.functions.len() {
                        return Err(bad());
                    }
                    (&[], Some(ValType::FuncRef))
                }
                ConstOp::GlobalGet(g) => {
                    if g >= visible {
                        return Err(bad());
                    }
                    (&[], Some(info.globals[g as usize].ty))
                }
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    (&[ValType::I32, ValType::I32], Some(ValType::I32))
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    (&[ValType::I64, ValType::I64], Some(ValType::I64))
                }
            };
            for &expected in pops {
                if stack.pop() != Some(Some(expected)) {
                    return Err(bad());
                }
            }
            stack.push(push);
        }
        match stack.as_slice() {
            [Some(ty)] if *ty == expected => Ok(()),
            [None] if expected.is_ref() => Ok(()),
            _ => Err(bad()),
        }
    }
}
