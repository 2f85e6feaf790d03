//! A native module's machine code, and the executable memory it lives in:
//! machine code copied into a fresh anonymous mapping, then made
//! read-and-execute (never writable and executable at once), and unmapped
//! on drop. The only place the runtime asks for executable memory.

use alloc::vec::Vec;
use core::ffi::c_void;

use pulley_emit::native::NativeModule;
use pulley_emit::vmctx::VmctxLayout;
use rustix::mm::{MapFlags, MprotectFlags, ProtFlags, mmap_anonymous, mprotect, munmap};

use crate::{NativeError, Result};

/// A module's machine code.
pub(crate) struct NativeCode {
    pub(super) code: ExecutableCode,
    functions: Vec<u32>,
    /// The address of each defined function (`VmctxField::FunctionCode`).
    pub(super) addresses: Vec<usize>,
    /// The offset of each function type's entry trampoline.
    pub(super) trampolines: Vec<u32>,
    pub(super) layout: VmctxLayout,
}

impl NativeCode {
    /// Maps `module`'s code executable.
    pub(crate) fn new(module: &NativeModule) -> Result<NativeCode> {
        let code = ExecutableCode::new(&module.code)?;
        let addresses = module
            .functions
            .iter()
            .map(|&offset| code.at(offset).expose_provenance())
            .collect();
        Ok(NativeCode {
            code,
            addresses,
            functions: module.functions.clone(),
            trampolines: module.trampolines.clone(),
            layout: module.layout,
        })
    }

    /// The code of defined function `defined`.
    pub(super) fn function(&self, defined: u32) -> Option<*const u8> {
        let offset = *self.functions.get(defined as usize)?;
        Some(self.code.at(offset))
    }
}

/// Read-only, executable machine code.
pub(crate) struct ExecutableCode {
    start: *mut c_void,
    mapped: usize,
}

// SAFETY: the mapping is immutable after construction and owned by this
// value; sharing its address between threads is sharing read-only memory.
unsafe impl Send for ExecutableCode {}
// SAFETY: as above; nothing mutates the mapping through `&self`.
unsafe impl Sync for ExecutableCode {}

impl ExecutableCode {
    /// Maps `code` executable: on x86_64 and s390x, whose instruction fetch
    /// sees ordinary stores, and on AArch64, after cache maintenance.
    /// riscv64 (which needs a system call for it) is refused for now.
    pub(crate) fn new(code: &[u8]) -> Result<ExecutableCode> {
        if !cfg!(any(
            target_arch = "x86_64",
            target_arch = "s390x",
            target_arch = "aarch64"
        )) {
            return Err(NativeError::UnsupportedHost.into());
        }
        let page = rustix::param::page_size();
        let mapped = code.len().max(1).next_multiple_of(page);
        let mapping_error =
            |operation: &'static str, error: rustix::io::Errno| NativeError::Memory {
                operation,
                message: alloc::string::ToString::to_string(&error),
            };
        // SAFETY: a fresh private anonymous mapping at an address the kernel
        // chooses aliases nothing.
        let start = unsafe {
            mmap_anonymous(
                core::ptr::null_mut(),
                mapped,
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::PRIVATE,
            )
        }
        .map_err(|error| mapping_error("mapping memory for native code", error))?;
        let executable = ExecutableCode { start, mapped };
        // SAFETY: the mapping is `mapped >= code.len()` bytes, writable, and
        // not yet shared.
        unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), start.cast::<u8>(), code.len()) };
        // SAFETY: the range is exactly the mapping made above.
        unsafe { mprotect(start, mapped, MprotectFlags::READ | MprotectFlags::EXEC) }
            .map_err(|error| mapping_error("making native code executable", error))?;
        #[cfg(target_arch = "aarch64")]
        // SAFETY: the range is the code just written, mapped and readable.
        unsafe {
            synchronize_instruction_cache(start.cast::<u8>(), code.len())
        };
        Ok(executable)
    }

    /// The address of byte `offset` of the code.
    pub(crate) fn at(&self, offset: u32) -> *const u8 {
        self.start
            .cast::<u8>()
            .wrapping_add(offset as usize)
            .cast_const()
    }
}

/// Makes instructions written as data at `start..start + len` visible to
/// instruction fetch (AArch64: clean the data cache and invalidate the
/// instruction cache to the point of unification, line by line, as
/// `__clear_cache` does), then synchronizes this core's fetch.
///
/// # Safety
/// The range must be mapped and readable.
#[cfg(target_arch = "aarch64")]
unsafe fn synchronize_instruction_cache(start: *const u8, len: usize) {
    use core::arch::asm;
    let cache_type: u64;
    // SAFETY: reading CTR_EL0 is allowed at EL0 on Linux.
    unsafe { asm!("mrs {}, ctr_el0", out(reg) cache_type, options(nomem, nostack)) };
    let data_line = 4usize << ((cache_type >> 16) & 0xf);
    let instruction_line = 4usize << (cache_type & 0xf);
    let (first, end) = (start.addr(), start.addr() + len);
    let mut line = first & !(data_line - 1);
    while line < end {
        // SAFETY: a cache maintenance operation on a mapped address.
        unsafe { asm!("dc cvau, {}", in(reg) line, options(nostack)) };
        line += data_line;
    }
    // SAFETY: barriers only.
    unsafe { asm!("dsb ish", options(nostack)) };
    let mut line = first & !(instruction_line - 1);
    while line < end {
        // SAFETY: as above.
        unsafe { asm!("ic ivau, {}", in(reg) line, options(nostack)) };
        line += instruction_line;
    }
    // SAFETY: barriers only.
    unsafe { asm!("dsb ish", "isb", options(nostack)) };
}

impl Drop for ExecutableCode {
    fn drop(&mut self) {
        // SAFETY: the mapping was made in `new` with this length and is
        // unmapped once; every module using the code holds this value.
        let _ = unsafe { munmap(self.start, self.mapped) };
    }
}

#[cfg(all(
    test,
    any(target_arch = "x86_64", target_arch = "s390x", target_arch = "aarch64")
))]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn mapped_code_holds_the_bytes_on_whole_pages() {
        let bytes: Vec<u8> = (0..5000u32).map(|i| i as u8).collect();
        let code = ExecutableCode::new(&bytes).unwrap();
        // SAFETY: the mapping is readable and at least `bytes.len()` long.
        let copy = unsafe { core::slice::from_raw_parts(code.at(0), bytes.len()) };
        assert_eq!(copy, &bytes[..]);
        assert_eq!(code.mapped % rustix::param::page_size(), 0);
    }
}
