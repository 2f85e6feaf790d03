//! WebAssembly 2.0 encoding rules that wasmparser does not enforce.
//!
//! wasmparser follows the newest binary format even when the proposals that
//! changed it are disabled: it reads memory indices of `memory.size` and
//! `memory.grow` as LEB128 (multi-memory) where 2.0 has one `0x00` byte, and
//! memory and table limits as 64-bit LEB128 (memory64) where 2.0 has 32-bit
//! ones. Without those proposals, these checks reject what 2.0 calls
//! malformed.

use crate::CompileError;

fn malformed(message: &str, offset: usize) -> CompileError {
    CompileError::Invalid {
        message: message.into(),
        offset: offset as u64,
    }
}

/// A byte cursor over a section's contents.
struct Bytes<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Offset of `bytes[0]` in the module.
    base: usize,
}

impl Bytes<'_> {
    fn offset(&self) -> usize {
        self.base + self.at
    }

    fn byte(&mut self) -> Result<u8, CompileError> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| malformed("unexpected end", self.offset()))?;
        self.at += 1;
        Ok(byte)
    }

    /// A LEB128 `u32` of at most five bytes.
    fn u32(&mut self) -> Result<u32, CompileError> {
        let mut value = 0u64;
        for i in 0..5 {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return u32::try_from(value)
                    .map_err(|_| malformed("integer too large", self.offset()));
            }
        }
        Err(malformed("integer representation too long", self.offset()))
    }

    fn skip(&mut self, len: usize) -> Result<(), CompileError> {
        if self.bytes.len() - self.at < len {
            return Err(malformed("unexpected end", self.offset()));
        }
        self.at += len;
        Ok(())
    }

    fn name(&mut self) -> Result<(), CompileError> {
        let len = self.u32()? as usize;
        self.skip(len)
    }

    /// Limits: flags, then a 32-bit minimum and maybe maximum.
    fn limits(&mut self) -> Result<(), CompileError> {
        let flags = self.byte()?;
        self.u32()?;
        if flags & 1 != 0 {
            self.u32()?;
        }
        Ok(())
    }
}

/// Checks the limits in a memory section's contents.
pub(crate) fn check_memory_section(bytes: &[u8], base: usize) -> Result<(), CompileError> {
    let mut cursor = Bytes { bytes, at: 0, base };
    for _ in 0..cursor.u32()? {
        cursor.limits()?;
    }
    Ok(())
}

/// Checks the limits in a table section's contents.
pub(crate) fn check_table_section(bytes: &[u8], base: usize) -> Result<(), CompileError> {
    let mut cursor = Bytes { bytes, at: 0, base };
    for _ in 0..cursor.u32()? {
        cursor.byte()?; // reference type
        cursor.limits()?;
    }
    Ok(())
}

/// Checks the limits of memory and table imports in an import section's
/// contents.
pub(crate) fn check_import_section(bytes: &[u8], base: usize) -> Result<(), CompileError> {
    let mut cursor = Bytes { bytes, at: 0, base };
    for _ in 0..cursor.u32()? {
        cursor.name()?;
        cursor.name()?;
        match cursor.byte()? {
            0x00 => {
                cursor.u32()?;
            }
            0x01 => {
                cursor.byte()?;
                cursor.limits()?;
            }
            0x02 => cursor.limits()?,
            0x03 => cursor.skip(2)?,
            // Anything else was rejected by the validator already.
            _ => return Ok(()),
        }
    }
    Ok(())
}

/// Checks that `memory.size` and `memory.grow` (decoded from `code`, which
/// starts with the operator) have the single zero byte 2.0 requires as their
/// memory index.
pub(crate) fn check_memory_index_byte(code: &[u8], offset: usize) -> Result<(), CompileError> {
    match code {
        [_, 0x00, ..] => Ok(()),
        _ => Err(malformed("zero byte expected", offset)),
    }
}
