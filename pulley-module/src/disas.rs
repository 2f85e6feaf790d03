//! The text of a compiled module: each function's ops with offsets, and the
//! wasm offsets the address map records.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use crate::{CheapCompilation, CompiledModule, Escaped};

impl CompiledModule {
    /// Disassembles every function, or only function `only` (a wasm function
    /// index).
    pub fn disassemble(&self, only: Option<u32>) -> String {
        let info = &self.info;
        let mut text = String::new();
        for (defined, function) in self.functions.iter().enumerate() {
            let index = info.imported_functions + defined as u32;
            if only.is_some_and(|only| only != index) {
                continue;
            }
            let name = info
                .function_name(index)
                .map(|n| format!(" {}", Escaped(n)))
                .unwrap_or_default();
            let cheaply = match function.compiled_cheaply {
                CheapCompilation::No => "",
                CheapCompilation::SinglePassAllocation => ", single-pass register allocation",
            };
            let _ = writeln!(
                text,
                "function {index}{name} (frame: {} slots{cheaply}):",
                function.frame_slots
            );
            let (start, end) = (function.code_start as usize, function.code_end as usize);
            let Some(code) = self.code.get(start..end) else {
                let _ = writeln!(text, "  <code out of range>");
                continue;
            };
            let mut marks = self
                .address_map
                .iter()
                .filter(|entry| (start..end).contains(&(entry.code_offset as usize)))
                .peekable();
            for decoded in pulley_isa::decode_all(code) {
                let (at, op) = match decoded {
                    Ok(decoded) => decoded,
                    Err(error) => {
                        let _ = writeln!(text, "  <{error}>");
                        break;
                    }
                };
                let mut wasm = String::new();
                while let Some(mark) = marks.next_if(|m| m.code_offset as usize <= start + at) {
                    if mark.code_offset as usize == start + at {
                        wasm = format!("  ; wasm {:#x}", mark.wasm_offset);
                    }
                }
                let _ = writeln!(
                    text,
                    "  {at:#06x}: {}{wasm}",
                    pulley_isa::format_op(&op, at)
                );
            }
        }
        text
    }
}
