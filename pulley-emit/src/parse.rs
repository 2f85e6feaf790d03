//! Parsing and validating a module: its structure becomes a
//! [`ModuleInfo`], its function bodies are kept (with their validators) for
//! translation.

use pulley_module::{
    ConstExpr, ConstOp, DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export,
    ExportKind, FuncType, FunctionNames, GlobalType, Import, ImportKind, Limits, MemoryType,
    ModuleInfo, TableType, ValType,
};
use wasmparser::{
    BinaryReader, CustomSectionReader, FuncToValidate, FunctionBody, Parser, Payload, TypeRef,
    ValidPayload, Validator, ValidatorResources, WasmFeatures,
};

use crate::{CompileError, encoding};

/// A function body waiting to be translated.
pub(crate) struct BodyToCompile<'data> {
    pub(crate) body: FunctionBody<'data>,
    /// What validates it during translation; `None` once it was validated.
    pub(crate) validator: Option<FuncToValidate<ValidatorResources>>,
}

/// A parsed module: its structure and its function bodies.
pub(crate) struct ParsedModule<'data> {
    pub(crate) info: ModuleInfo,
    pub(crate) bodies: Vec<BodyToCompile<'data>>,
}

/// Parses and validates `wasm` (function bodies are validated later, during
/// translation).
pub(crate) fn parse(wasm: &[u8], features: WasmFeatures) -> Result<ParsedModule<'_>, CompileError> {
    let mut validator = Validator::new_with_features(features);
    let mut info = ModuleInfo::default();
    let mut bodies = Vec::new();
    let strict_limits = !features.contains(WasmFeatures::MEMORY64);
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        if strict_limits {
            let section = |range: std::ops::Range<u64>| {
                (
                    &wasm[range.start as usize..range.end as usize],
                    range.start as usize,
                )
            };
            match &payload {
                Payload::MemorySection(reader) => {
                    let (bytes, base) = section(reader.range());
                    encoding::check_memory_section(bytes, base)?;
                }
                Payload::TableSection(reader) => {
                    let (bytes, base) = section(reader.range());
                    encoding::check_table_section(bytes, base)?;
                }
                Payload::ImportSection(reader) => {
                    let (bytes, base) = section(reader.range());
                    encoding::check_import_section(bytes, base)?;
                }
                _ => {}
            }
        }
        match validator.payload(&payload)? {
            ValidPayload::Ok | ValidPayload::End(_) => {}
            ValidPayload::Func(validator, body) => bodies.push(BodyToCompile {
                body,
                validator: Some(validator),
            }),
            ValidPayload::Parser(_) => {
                return Err(CompileError::Unsupported(
                    "nested modules and components".into(),
                ));
            }
        }
        record(&mut info, payload)?;
    }
    Ok(ParsedModule { info, bodies })
}

/// Records what a (validated) payload says about the module.
fn record(info: &mut ModuleInfo, payload: Payload<'_>) -> Result<(), CompileError> {
    match payload {
        Payload::TypeSection(reader) => {
            for group in reader {
                for sub_type in group?.into_types() {
                    let func = sub_type.unwrap_func();
                    let convert = |types: &[wasmparser::ValType]| {
                        types
                            .iter()
                            .map(|&ty| value_type(ty))
                            .collect::<Result<Vec<_>, _>>()
                    };
                    info.types.push(FuncType {
                        params: convert(func.params())?,
                        results: convert(func.results())?,
                    });
                }
            }
        }
        Payload::ImportSection(reader) => {
            for import in reader.into_imports() {
                let import = import?;
                let kind = match import.ty {
                    TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                        info.functions.push(ty);
                        info.imported_functions += 1;
                        ImportKind::Func(ty)
                    }
                    TypeRef::Table(table) => {
                        let table = table_type(table)?;
                        info.tables.push(table);
                        info.imported_tables += 1;
                        ImportKind::Table(table)
                    }
                    TypeRef::Memory(memory) => {
                        let memory = memory_type(memory)?;
                        info.memories.push(memory);
                        info.imported_memories += 1;
                        ImportKind::Memory(memory)
                    }
                    TypeRef::Global(global) => {
                        let global = global_type(global)?;
                        info.globals.push(global);
                        info.imported_globals += 1;
                        ImportKind::Global(global)
                    }
                    TypeRef::Tag(_) => {
                        return Err(CompileError::Unsupported("exception tags".into()));
                    }
                };
                info.imports.push(Import {
                    module: import.module.to_string(),
                    name: import.name.to_string(),
                    kind,
                });
            }
        }
        Payload::FunctionSection(reader) => {
            for ty in reader {
                info.functions.push(ty?);
            }
        }
        Payload::TableSection(reader) => {
            for table in reader {
                let table = table?;
                if !matches!(table.init, wasmparser::TableInit::RefNull) {
                    return Err(CompileError::Unsupported(
                        "table initializer expressions".into(),
                    ));
                }
                info.tables.push(table_type(table.ty)?);
            }
        }
        Payload::MemorySection(reader) => {
            for memory in reader {
                info.memories.push(memory_type(memory?)?);
            }
        }
        Payload::GlobalSection(reader) => {
            for global in reader {
                let global = global?;
                info.globals.push(global_type(global.ty)?);
                info.global_inits.push(const_expr(&global.init_expr)?);
            }
        }
        Payload::ExportSection(reader) => {
            for export in reader {
                let export = export?;
                let kind = match export.kind {
                    wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                        ExportKind::Func(export.index)
                    }
                    wasmparser::ExternalKind::Table => ExportKind::Table(export.index),
                    wasmparser::ExternalKind::Memory => ExportKind::Memory(export.index),
                    wasmparser::ExternalKind::Global => ExportKind::Global(export.index),
                    wasmparser::ExternalKind::Tag => {
                        return Err(CompileError::Unsupported("exception tags".into()));
                    }
                };
                info.exports.push(Export {
                    name: export.name.to_string(),
                    kind,
                });
            }
        }
        Payload::StartSection { func, .. } => info.start = Some(func),
        Payload::ElementSection(reader) => {
            for element in reader {
                let element = element?;
                let mode = match element.kind {
                    wasmparser::ElementKind::Passive => ElementMode::Passive,
                    wasmparser::ElementKind::Declared => ElementMode::Declared,
                    wasmparser::ElementKind::Active {
                        table_index,
                        offset_expr,
                    } => ElementMode::Active {
                        table: table_index.unwrap_or(0),
                        offset: const_expr(&offset_expr)?,
                    },
                };
                let items = match element.items {
                    wasmparser::ElementItems::Functions(reader) => {
                        ElementItems::Functions(reader.into_iter().collect::<Result<_, _>>()?)
                    }
                    wasmparser::ElementItems::Expressions(ty, reader) => {
                        let ty = reference_type(ty)?;
                        let mut expressions = Vec::new();
                        for expression in reader {
                            expressions.push(const_expr(&expression?)?);
                        }
                        ElementItems::Expressions(ty, expressions)
                    }
                };
                info.elements.push(ElementSegment { mode, items });
            }
        }
        Payload::DataSection(reader) => {
            for data in reader {
                let data = data?;
                let mode = match data.kind {
                    wasmparser::DataKind::Passive => DataMode::Passive,
                    wasmparser::DataKind::Active {
                        memory_index,
                        offset_expr,
                    } => DataMode::Active {
                        memory: memory_index,
                        offset: const_expr(&offset_expr)?,
                    },
                };
                info.data.push(DataSegment {
                    mode,
                    bytes: data.data.to_vec(),
                });
            }
        }
        // A malformed name section is ignored, as the spec allows.
        Payload::CustomSection(section) if section.name() == "name" => {
            let _ = record_names(info, &section);
        }
        Payload::TagSection(_) => return Err(CompileError::Unsupported("exception tags".into())),
        _ => {}
    }
    Ok(())
}

/// Records the module's name and its function names (kept encoded: see
/// [`FunctionNames`]) from the contents of a `name` custom section: its
/// subsections, each an id, a size and that many bytes.
fn record_names(
    info: &mut ModuleInfo,
    section: &CustomSectionReader<'_>,
) -> wasmparser::Result<()> {
    let mut reader = BinaryReader::new(section.data(), section.data_offset());
    while !reader.eof() {
        let id = reader.read_u8()?;
        let size = reader.read_var_u32()? as usize;
        let offset = reader.original_position();
        let contents = reader.read_bytes(size)?;
        match id {
            0 => {
                let name = BinaryReader::new(contents, offset).read_string()?;
                info.name = Some(name.to_string());
            }
            1 => info.function_names = FunctionNames::decode(contents.to_vec()),
            _ => {}
        }
    }
    Ok(())
}

/// The opcodes of `i32.const` and `end`.
const I32_CONST: u8 = 0x41;
const END: u8 = 0x0b;

/// Converts a wasm value type.
pub(crate) fn value_type(ty: wasmparser::ValType) -> Result<ValType, CompileError> {
    Ok(match ty {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(ty) => reference_type(ty)?,
    })
}

fn reference_type(ty: wasmparser::RefType) -> Result<ValType, CompileError> {
    if ty.is_func_ref() {
        Ok(ValType::FuncRef)
    } else if ty.is_extern_ref() {
        Ok(ValType::ExternRef)
    } else {
        Err(CompileError::Unsupported(format!("reference type {ty}")))
    }
}

fn table_type(table: wasmparser::TableType) -> Result<TableType, CompileError> {
    if table.table64 {
        return Err(CompileError::Unsupported("64-bit tables".into()));
    }
    Ok(TableType {
        element: reference_type(table.element_type)?,
        limits: Limits {
            min: table.initial,
            max: table.maximum,
        },
    })
}

fn memory_type(memory: wasmparser::MemoryType) -> Result<MemoryType, CompileError> {
    if memory.memory64 {
        return Err(CompileError::Unsupported("64-bit memories".into()));
    }
    if memory.shared {
        return Err(CompileError::Unsupported("shared memories".into()));
    }
    if memory.page_size_log2.is_some_and(|log2| log2 != 16) {
        return Err(CompileError::Unsupported("custom page sizes".into()));
    }
    Ok(MemoryType {
        limits: Limits {
            min: memory.initial,
            max: memory.maximum,
        },
    })
}

fn global_type(global: wasmparser::GlobalType) -> Result<GlobalType, CompileError> {
    if global.shared {
        return Err(CompileError::Unsupported("shared globals".into()));
    }
    Ok(GlobalType {
        ty: value_type(global.content_type)?,
        mutable: global.mutable,
    })
}

/// Converts a validated constant expression.
fn const_expr(expression: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, CompileError> {
    use wasmparser::Operator;
    // Most are `i32.const N end` (data segment offsets: C programs have
    // hundreds): read without the operator reader, which costs hundreds of
    // instructions to set up.
    let mut reader = expression.get_binary_reader();
    if reader.read_u8().ok() == Some(I32_CONST)
        && let Ok(value) = reader.read_var_i32()
        && reader.read_u8().ok() == Some(END)
        && reader.eof()
    {
        return Ok(ConstExpr {
            ops: vec![ConstOp::I32Const(value)],
        });
    }
    let mut ops = Vec::new();
    let mut reader = expression.get_operators_reader();
    while !reader.eof() {
        let offset = reader.original_position();
        let op = match reader.read()? {
            Operator::I32Const { value } => ConstOp::I32Const(value),
            Operator::I64Const { value } => ConstOp::I64Const(value),
            Operator::F32Const { value } => ConstOp::F32Const(value.bits()),
            Operator::F64Const { value } => ConstOp::F64Const(value.bits()),
            Operator::V128Const { value } => {
                ConstOp::V128Const(u128::from_le_bytes(*value.bytes()))
            }
            Operator::RefNull { .. } => ConstOp::RefNull,
            Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            Operator::End => continue,
            other => {
                return Err(CompileError::Unsupported(format!(
                    "{other:?} in a constant expression (at {offset:#x})"
                )));
            }
        };
        ops.push(op);
    }
    Ok(ConstExpr { ops })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(wat: &str) -> ModuleInfo {
        let wasm = wat::parse_str(wat).expect("valid text");
        parse(&wasm, WasmFeatures::default())
            .expect("valid module")
            .info
    }

    #[test]
    fn constant_expressions_read_alike_on_both_paths() {
        let info = info(
            r#"(module
                (global $g i32 (i32.const 7))
                (memory 1)
                (data (i32.const -5) "a")               ;; the direct path
                (data (i32.const 2147483647) "b")
                (data (global.get $g) "c")              ;; the operator reader
                (data (i32.add (i32.const 1) (i32.const 2)) "d"))"#,
        );
        let offsets: Vec<_> = info
            .data
            .iter()
            .map(|segment| match &segment.mode {
                DataMode::Active { offset, .. } => offset.ops.clone(),
                DataMode::Passive => panic!("passive"),
            })
            .collect();
        assert_eq!(
            offsets,
            [
                vec![ConstOp::I32Const(-5)],
                vec![ConstOp::I32Const(i32::MAX)],
                vec![ConstOp::GlobalGet(0)],
                vec![ConstOp::I32Const(1), ConstOp::I32Const(2), ConstOp::I32Add],
            ]
        );
        assert_eq!(info.global_inits[0].ops, [ConstOp::I32Const(7)]);
    }

    #[test]
    fn names_come_from_the_name_section() {
        let info = info(r#"(module $m (func $first) (func) (func $third))"#);
        assert_eq!(info.name.as_deref(), Some("m"));
        assert_eq!(info.function_name(0), Some("first"));
        assert_eq!(info.function_name(1), None);
        assert_eq!(info.function_name(2), Some("third"));
    }
}
