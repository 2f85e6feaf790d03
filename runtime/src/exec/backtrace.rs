//! Wasm backtraces: interpreter positions turned into frames with function
//! names and wasm offsets.

use alloc::vec::Vec;

use pulley_interp::{CodeVersion, FramePosition};

use crate::error::{FrameCode, FrameInfo, Trap};
use crate::store::Store;

/// Backtrace frames of `instance` for interpreter positions.
pub(super) fn frames<T>(
    store: &Store<T>,
    instance: u32,
    positions: &[FramePosition],
) -> Vec<FrameInfo> {
    let module = &store.inner.instances[instance].module;
    let info = &module.inner.compiled.info;
    positions
        .iter()
        .map(|position| {
            let func_index = info.imported_functions + position.func.0;
            let wasm_offset =
                module.wasm_offset(position.func.0, position.code_offset, position.code);
            let code = match position.code {
                CodeVersion::First => FrameCode::First,
                CodeVersion::Upgraded => FrameCode::TieredUp,
                CodeVersion::OnStack { header } => FrameCode::OnStackEntry { header },
            };
            FrameInfo {
                code,
                module_name: info.name.clone(),
                func_index,
                func_name: info.function_name(func_index).map(Into::into),
                wasm_offset,
            }
        })
        .collect()
}

impl Trap {
    /// This trap with more (outer) frames appended.
    pub(crate) fn extended(mut self, outer: Vec<FrameInfo>) -> Trap {
        self.push_frames(outer);
        self
    }
}
