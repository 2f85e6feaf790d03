//! The artifact format: a compiled module as bytes.
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | magic `\0pulley\x1a` |
//! | 8 | 4 | format version (`u32` LE) |
//! | 12 | 8 | ISA hash of the opcode table (`u64` LE) |
//! | 20 | 1 | flavour (pointer width and byte order) |
//! | 21 | 4 | features the code was compiled with (`u32` LE) |
//! | 25 | 8 | payload length (`u64` LE) |
//! | 33 | 8 | FNV-1a 64 checksum of bytes 0..33 and the payload |
//! | 41 | ... | payload: module info, code, functions, address map |
//!
//! The payload uses LEB128 integers and length-prefixed sequences. Decoding
//! checks every length against the bytes left, so a corrupt artifact is an
//! error and never a huge allocation or a panic, and
//! [`CompiledModule::check_consistency`] then checks every cross-reference.

use alloc::string::String;
use alloc::vec::Vec;

use crate::{
    AddressMapEntry, CheapCompilation, CompiledFunction, CompiledModule, ConstExpr, ConstOp,
    DataMode, DataSegment, ElementItems, ElementMode, ElementSegment, Export, ExportKind, Flavour,
    FuncType, FunctionNames, GlobalType, Import, ImportKind, Limits, MemoryType, ModuleInfo,
    TableType, ValType,
};

/// The first bytes of every artifact.
pub const MAGIC: [u8; 8] = *b"\0pulley\x1a";

/// The artifact format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 3;

/// The header's length: the payload starts here.
pub const HEADER_LEN: usize = 41;

/// Where the header's feature bits ([`CodeFeatures::bits`]) are.
pub const FEATURES_OFFSET: usize = 21;

/// Features the code of an artifact was compiled with.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct CodeFeatures {
    /// The code charges fuel.
    pub fuel: bool,
}

impl CodeFeatures {
    /// The bits the header stores: bit 0 is `fuel`.
    pub fn bits(self) -> u32 {
        u32::from(self.fuel)
    }

    fn from_bits(bits: u32) -> Option<CodeFeatures> {
        (bits & !1 == 0).then_some(CodeFeatures {
            fuel: bits & 1 != 0,
        })
    }
}

/// What an artifact's header says.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ArtifactHeader {
    /// The ISA hash of the table the code was encoded with.
    pub isa_hash: u64,
    /// The flavour it was compiled for.
    pub flavour: Flavour,
    /// The features it was compiled with.
    pub features: CodeFeatures,
}

/// Why bytes are not a valid artifact.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArtifactError {
    /// The bytes do not start with the artifact magic.
    #[error("not a Pulley artifact (wrong magic bytes)")]
    BadMagic,
    /// A format version this build cannot read.
    #[error("artifact format version {found}, but this build reads version {expected}")]
    Version {
        /// The artifact's version.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// The artifact ends early.
    #[error("artifact is truncated: {needed} bytes needed, {available} present")]
    Truncated {
        /// Bytes needed.
        needed: u64,
        /// Bytes present.
        available: u64,
    },
    /// The checksum does not match: the artifact was corrupted.
    #[error("artifact checksum mismatch: the artifact is corrupt")]
    Checksum,
    /// Bytes after the payload.
    #[error("{0} unexpected bytes after the artifact")]
    TrailingBytes(u64),
    /// An unknown flavour code.
    #[error("unknown flavour code {0}")]
    UnknownFlavour(u8),
    /// Unknown feature bits.
    #[error("unknown code feature bits {0:#x}")]
    UnknownFeatures(u32),
    /// The payload does not decode.
    #[error("malformed artifact payload at byte {at}: {what}")]
    Malformed {
        /// Offset in the payload.
        at: usize,
        /// What was expected.
        what: &'static str,
    },
    /// The decoded module refers to things that do not exist.
    #[error("inconsistent artifact: {0}")]
    Inconsistent(String),
}

/// 64-bit FNV-1a.
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The checksum of an artifact whose header (before the checksum field) is
/// `head` and whose payload is `payload`.
fn checksum(head: &[u8], payload: &[u8]) -> u64 {
    fnv1a(fnv1a(FNV_OFFSET, head), payload)
}

/// Recomputes the checksum of an artifact whose bytes were edited; does
/// nothing to bytes shorter than a header. The checksum only catches
/// accidents: anyone can recompute it, so loading never trusts it. Tests and
/// fuzzers use this to forge artifacts.
pub fn reseal(artifact: &mut [u8]) {
    if artifact.len() >= HEADER_LEN {
        let sum = checksum(&artifact[..33], &artifact[HEADER_LEN..]);
        artifact[33..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
    }
}

/// Serializes a compiled module.
pub fn encode(module: &CompiledModule, header: &ArtifactHeader) -> Vec<u8> {
    let mut payload = Writer::default();
    payload.module_info(&module.info);
    payload.bytes(&module.code);
    payload.sequence(&module.functions, |w, f| {
        w.u32(f.code_start);
        w.u32(f.code_end);
        w.u32(f.frame_slots);
        w.u32(f.params);
        w.u32(f.results);
        w.u8(match f.compiled_cheaply {
            CheapCompilation::No => 0,
            CheapCompilation::SinglePassAllocation => 1,
        });
    });
    payload.sequence(&module.address_map, |w, entry| {
        w.u32(entry.code_offset);
        w.u32(entry.wasm_offset);
    });
    let payload = payload.out;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&header.isa_hash.to_le_bytes());
    out.push(header.flavour.code());
    out.extend_from_slice(&header.features.bits().to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    let sum = checksum(&out, &payload);
    out.extend_from_slice(&sum.to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Reads an artifact's header, checking magic, version, length and checksum.
pub fn decode_header(bytes: &[u8]) -> Result<ArtifactHeader, ArtifactError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(ArtifactError::BadMagic);
    }
    if bytes.len() < HEADER_LEN {
        return Err(ArtifactError::Truncated {
            needed: HEADER_LEN as u64,
            available: bytes.len() as u64,
        });
    }
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let version = u32_at(8);
    if version != FORMAT_VERSION {
        return Err(ArtifactError::Version {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let payload_len = u64_at(25);
    let available = (bytes.len() - HEADER_LEN) as u64;
    if payload_len > available {
        return Err(ArtifactError::Truncated {
            needed: HEADER_LEN as u64 + payload_len,
            available: bytes.len() as u64,
        });
    }
    if payload_len < available {
        return Err(ArtifactError::TrailingBytes(available - payload_len));
    }
    if checksum(&bytes[..33], &bytes[HEADER_LEN..]) != u64_at(33) {
        return Err(ArtifactError::Checksum);
    }
    let flavour = Flavour::from_code(bytes[20]).ok_or(ArtifactError::UnknownFlavour(bytes[20]))?;
    let features = CodeFeatures::from_bits(u32_at(FEATURES_OFFSET))
        .ok_or(ArtifactError::UnknownFeatures(u32_at(FEATURES_OFFSET)))?;
    Ok(ArtifactHeader {
        isa_hash: u64_at(12),
        flavour,
        features,
    })
}

/// Decodes an artifact: its header (as [`decode_header`]) and its payload,
/// whose consistency it checks.
pub fn decode(bytes: &[u8]) -> Result<(ArtifactHeader, CompiledModule), ArtifactError> {
    let header = decode_header(bytes)?;
    Ok((header, decode_payload(bytes)?))
}

/// Decodes the payload of an artifact whose header [`decode_header`] has
/// accepted (so the checksum is not computed again), and checks its
/// consistency. Any bytes are safe to pass: a payload that does not decode
/// is an error.
pub fn decode_payload(bytes: &[u8]) -> Result<CompiledModule, ArtifactError> {
    let (mut module, code) = decode_payload_in_place(bytes)?;
    module.code = bytes[code].to_vec();
    Ok(module)
}

/// Decodes the payload (after [`decode_header`]) without copying its
/// bytecode: the module's `code` is empty, and the bytecode is
/// `bytes[range]`, the returned range, for a runtime that runs it where it
/// lies.
pub fn decode_payload_in_place(
    bytes: &[u8],
) -> Result<(CompiledModule, core::ops::Range<usize>), ArtifactError> {
    let payload = bytes.get(HEADER_LEN..).ok_or(ArtifactError::Truncated {
        needed: HEADER_LEN as u64,
        available: bytes.len() as u64,
    })?;
    let mut reader = Reader {
        bytes: payload,
        at: 0,
    };
    let info = reader.module_info()?;
    let code = reader.bytes()?;
    let code_start = HEADER_LEN + (code.as_ptr().addr() - payload.as_ptr().addr());
    let code_range = code_start..code_start + code.len();
    let functions = reader.sequence(|r| {
        Ok(CompiledFunction {
            code_start: r.u32()?,
            code_end: r.u32()?,
            frame_slots: r.u32()?,
            params: r.u32()?,
            results: r.u32()?,
            compiled_cheaply: match r.u8()? {
                0 => CheapCompilation::No,
                1 => CheapCompilation::SinglePassAllocation,
                _ => return Err(r.malformed("how a function was compiled")),
            },
        })
    })?;
    let address_map = reader.sequence(|r| {
        Ok(AddressMapEntry {
            code_offset: r.u32()?,
            wasm_offset: r.u32()?,
        })
    })?;
    if reader.at != reader.bytes.len() {
        return Err(ArtifactError::Malformed {
            at: reader.at,
            what: "end of payload",
        });
    }
    let module = CompiledModule {
        info: info.into(),
        code: Vec::new(),
        functions,
        address_map,
    };
    module
        .check_consistency()
        .map_err(ArtifactError::Inconsistent)?;
    Ok((module, code_range))
}

#[derive(Default)]
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn u8(&mut self, value: u8) {
        self.out.push(value);
    }

    fn u64(&mut self, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.out.push(byte);
                return;
            }
            self.out.push(byte | 0x80);
        }
    }

    fn u32(&mut self, value: u32) {
        self.u64(u64::from(value));
    }

    fn bool(&mut self, value: bool) {
        self.u8(u8::from(value));
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        self.out.extend_from_slice(bytes);
    }

    fn str(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn sequence<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.u64(items.len() as u64);
        for item in items {
            each(self, item);
        }
    }

    fn option<T>(&mut self, item: &Option<T>, each: impl FnOnce(&mut Self, &T)) {
        match item {
            None => self.u8(0),
            Some(item) => {
                self.u8(1);
                each(self, item);
            }
        }
    }

    fn value_type(&mut self, ty: ValType) {
        self.u8(match ty {
            ValType::I32 => 0,
            ValType::I64 => 1,
            ValType::F32 => 2,
            ValType::F64 => 3,
            ValType::V128 => 4,
            ValType::FuncRef => 5,
            ValType::ExternRef => 6,
        });
    }

    fn limits(&mut self, limits: &Limits) {
        self.u64(limits.min);
        self.option(&limits.max, |w, &max| w.u64(max));
    }

    fn table_type(&mut self, table: &TableType) {
        self.value_type(table.element);
        self.limits(&table.limits);
    }

    fn global_type(&mut self, global: &GlobalType) {
        self.value_type(global.ty);
        self.bool(global.mutable);
    }

    fn const_expr(&mut self, expression: &ConstExpr) {
        self.sequence(&expression.ops, |w, op| match *op {
            ConstOp::I32Const(v) => {
                w.u8(0);
                w.u32(v as u32);
            }
            ConstOp::I64Const(v) => {
                w.u8(1);
                w.u64(v as u64);
            }
            ConstOp::F32Const(v) => {
                w.u8(2);
                w.u32(v);
            }
            ConstOp::F64Const(v) => {
                w.u8(3);
                w.u64(v);
            }
            ConstOp::V128Const(v) => {
                w.u8(4);
                w.u64(v as u64);
                w.u64((v >> 64) as u64);
            }
            ConstOp::RefNull => w.u8(5),
            ConstOp::RefFunc(f) => {
                w.u8(6);
                w.u32(f);
            }
            ConstOp::GlobalGet(g) => {
                w.u8(7);
                w.u32(g);
            }
            ConstOp::I32Add => w.u8(8),
            ConstOp::I32Sub => w.u8(9),
            ConstOp::I32Mul => w.u8(10),
            ConstOp::I64Add => w.u8(11),
            ConstOp::I64Sub => w.u8(12),
            ConstOp::I64Mul => w.u8(13),
        });
    }

    fn module_info(&mut self, info: &ModuleInfo) {
        self.sequence(&info.types, |w, ty| {
            w.sequence(&ty.params, |w, &t| w.value_type(t));
            w.sequence(&ty.results, |w, &t| w.value_type(t));
        });
        self.sequence(&info.imports, |w, import| {
            w.str(&import.module);
            w.str(&import.name);
            match &import.kind {
                ImportKind::Func(ty) => {
                    w.u8(0);
                    w.u32(*ty);
                }
                ImportKind::Table(table) => {
                    w.u8(1);
                    w.table_type(table);
                }
                ImportKind::Memory(memory) => {
                    w.u8(2);
                    w.limits(&memory.limits);
                }
                ImportKind::Global(global) => {
                    w.u8(3);
                    w.global_type(global);
                }
            }
        });
        self.sequence(&info.functions, |w, &ty| w.u32(ty));
        self.sequence(&info.tables, |w, table| w.table_type(table));
        self.sequence(&info.memories, |w, memory| w.limits(&memory.limits));
        self.sequence(&info.globals, |w, global| w.global_type(global));
        self.sequence(&info.global_inits, |w, init| w.const_expr(init));
        self.sequence(&info.exports, |w, export| {
            w.str(&export.name);
            let (tag, index) = match export.kind {
                ExportKind::Func(i) => (0, i),
                ExportKind::Table(i) => (1, i),
                ExportKind::Memory(i) => (2, i),
                ExportKind::Global(i) => (3, i),
            };
            w.u8(tag);
            w.u32(index);
        });
        self.option(&info.start, |w, &start| w.u32(start));
        self.sequence(&info.elements, |w, segment| {
            match &segment.mode {
                ElementMode::Passive => w.u8(0),
                ElementMode::Declared => w.u8(1),
                ElementMode::Active { table, offset } => {
                    w.u8(2);
                    w.u32(*table);
                    w.const_expr(offset);
                }
            }
            match &segment.items {
                ElementItems::Functions(functions) => {
                    w.u8(0);
                    w.sequence(functions, |w, &f| w.u32(f));
                }
                ElementItems::Expressions(ty, expressions) => {
                    w.u8(1);
                    w.value_type(*ty);
                    w.sequence(expressions, |w, e| w.const_expr(e));
                }
            }
        });
        self.sequence(&info.data, |w, segment| {
            match &segment.mode {
                DataMode::Passive => w.u8(0),
                DataMode::Active { memory, offset } => {
                    w.u8(1);
                    w.u32(*memory);
                    w.const_expr(offset);
                }
            }
            w.bytes(&segment.bytes);
        });
        self.option(&info.name, |w, name| w.str(name));
        self.bytes(info.function_names.encoded());
        self.u32(info.imported_functions);
        self.u32(info.imported_tables);
        self.u32(info.imported_memories);
        self.u32(info.imported_globals);
    }
}

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// How many bytes were read.
    pub(crate) fn position(&self) -> usize {
        self.at
    }

    fn malformed(&self, what: &'static str) -> ArtifactError {
        ArtifactError::Malformed { at: self.at, what }
    }

    fn u8(&mut self) -> Result<u8, ArtifactError> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.malformed("a byte"))?;
        self.at += 1;
        Ok(byte)
    }

    fn u64(&mut self) -> Result<u64, ArtifactError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if shift == 63 && byte > 1 {
                    return Err(self.malformed("a 64-bit integer"));
                }
                return Ok(value);
            }
        }
        Err(self.malformed("a 64-bit integer"))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, ArtifactError> {
        let value = self.u64()?;
        u32::try_from(value).map_err(|_| self.malformed("a 32-bit integer"))
    }

    fn bool(&mut self) -> Result<bool, ArtifactError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.malformed("a boolean")),
        }
    }

    /// A length that cannot exceed the bytes left (each item takes at least
    /// one byte), so allocations stay bounded by the input.
    pub(crate) fn length(&mut self) -> Result<usize, ArtifactError> {
        let len = self.u64()?;
        let left = (self.bytes.len() - self.at) as u64;
        if len > left {
            return Err(self.malformed("a length within the artifact"));
        }
        Ok(len as usize)
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], ArtifactError> {
        let len = self.length()?;
        let bytes = &self.bytes[self.at..self.at + len];
        self.at += len;
        Ok(bytes)
    }

    fn string(&mut self) -> Result<String, ArtifactError> {
        let bytes = self.bytes()?;
        core::str::from_utf8(bytes)
            .map(Into::into)
            .map_err(|_| self.malformed("UTF-8 text"))
    }

    fn sequence<T>(
        &mut self,
        mut each: impl FnMut(&mut Self) -> Result<T, ArtifactError>,
    ) -> Result<Vec<T>, ArtifactError> {
        let len = self.length()?;
        let mut items = Vec::with_capacity(len);
        for _ in 0..len {
            items.push(each(self)?);
        }
        Ok(items)
    }

    fn option<T>(
        &mut self,
        each: impl FnOnce(&mut Self) -> Result<T, ArtifactError>,
    ) -> Result<Option<T>, ArtifactError> {
        match self.u8()? {
            0 => Ok(None),
            1 => each(self).map(Some),
            _ => Err(self.malformed("an option tag")),
        }
    }

    fn value_type(&mut self) -> Result<ValType, ArtifactError> {
        Ok(match self.u8()? {
            0 => ValType::I32,
            1 => ValType::I64,
            2 => ValType::F32,
            3 => ValType::F64,
            4 => ValType::V128,
            5 => ValType::FuncRef,
            6 => ValType::ExternRef,
            _ => return Err(self.malformed("a value type")),
        })
    }

    fn limits(&mut self) -> Result<Limits, ArtifactError> {
        Ok(Limits {
            min: self.u64()?,
            max: self.option(|r| r.u64())?,
        })
    }

    fn table_type(&mut self) -> Result<TableType, ArtifactError> {
        Ok(TableType {
            element: self.value_type()?,
            limits: self.limits()?,
        })
    }

    fn global_type(&mut self) -> Result<GlobalType, ArtifactError> {
        Ok(GlobalType {
            ty: self.value_type()?,
            mutable: self.bool()?,
        })
    }

    fn const_expr(&mut self) -> Result<ConstExpr, ArtifactError> {
        let ops = self.sequence(|r| {
            Ok(match r.u8()? {
                0 => ConstOp::I32Const(r.u32()? as i32),
                1 => ConstOp::I64Const(r.u64()? as i64),
                2 => ConstOp::F32Const(r.u32()?),
                3 => ConstOp::F64Const(r.u64()?),
                4 => ConstOp::V128Const(u128::from(r.u64()?) | (u128::from(r.u64()?) << 64)),
                5 => ConstOp::RefNull,
                6 => ConstOp::RefFunc(r.u32()?),
                7 => ConstOp::GlobalGet(r.u32()?),
                8 => ConstOp::I32Add,
                9 => ConstOp::I32Sub,
                10 => ConstOp::I32Mul,
                11 => ConstOp::I64Add,
                12 => ConstOp::I64Sub,
                13 => ConstOp::I64Mul,
                _ => return Err(r.malformed("a constant instruction")),
            })
        })?;
        Ok(ConstExpr { ops })
    }

    fn module_info(&mut self) -> Result<ModuleInfo, ArtifactError> {
        let types = self.sequence(|r| {
            Ok(FuncType {
                params: r.sequence(|r| r.value_type())?,
                results: r.sequence(|r| r.value_type())?,
            })
        })?;
        let imports = self.sequence(|r| {
            let module = r.string()?;
            let name = r.string()?;
            let kind = match r.u8()? {
                0 => ImportKind::Func(r.u32()?),
                1 => ImportKind::Table(r.table_type()?),
                2 => ImportKind::Memory(MemoryType {
                    limits: r.limits()?,
                }),
                3 => ImportKind::Global(r.global_type()?),
                _ => return Err(r.malformed("an import kind")),
            };
            Ok(Import { module, name, kind })
        })?;
        let functions = self.sequence(|r| r.u32())?;
        let tables = self.sequence(|r| r.table_type())?;
        let memories = self.sequence(|r| {
            Ok(MemoryType {
                limits: r.limits()?,
            })
        })?;
        let globals = self.sequence(|r| r.global_type())?;
        let global_inits = self.sequence(|r| r.const_expr())?;
        let exports = self.sequence(|r| {
            let name = r.string()?;
            let kind = match (r.u8()?, r.u32()?) {
                (0, i) => ExportKind::Func(i),
                (1, i) => ExportKind::Table(i),
                (2, i) => ExportKind::Memory(i),
                (3, i) => ExportKind::Global(i),
                _ => return Err(r.malformed("an export kind")),
            };
            Ok(Export { name, kind })
        })?;
        let start = self.option(|r| r.u32())?;
        let elements = self.sequence(|r| {
            let mode = match r.u8()? {
                0 => ElementMode::Passive,
                1 => ElementMode::Declared,
                2 => ElementMode::Active {
                    table: r.u32()?,
                    offset: r.const_expr()?,
                },
                _ => return Err(r.malformed("an element segment mode")),
            };
            let items = match r.u8()? {
                0 => ElementItems::Functions(r.sequence(|r| r.u32())?),
                1 => ElementItems::Expressions(r.value_type()?, r.sequence(|r| r.const_expr())?),
                _ => return Err(r.malformed("an element segment kind")),
            };
            Ok(ElementSegment { mode, items })
        })?;
        let data = self.sequence(|r| {
            let mode = match r.u8()? {
                0 => DataMode::Passive,
                1 => DataMode::Active {
                    memory: r.u32()?,
                    offset: r.const_expr()?,
                },
                _ => return Err(r.malformed("a data segment mode")),
            };
            Ok(DataSegment {
                mode,
                bytes: r.bytes()?.to_vec(),
            })
        })?;
        let name = self.option(|r| r.string())?;
        let function_names = FunctionNames::decode(self.bytes()?.to_vec());
        Ok(ModuleInfo {
            types,
            imports,
            functions,
            tables,
            memories,
            globals,
            global_inits,
            exports,
            start,
            elements,
            data,
            name,
            function_names,
            imported_functions: self.u32()?,
            imported_tables: self.u32()?,
            imported_memories: self.u32()?,
            imported_globals: self.u32()?,
        })
    }
}
