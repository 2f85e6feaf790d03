//! The contract between native code and the runtime that runs it: the
//! native context's layout, the host entry points' signatures, and how a
//! trap is recorded. Both sides read these constants; nothing else fixes the
//! layout.
//!
//! Every vmctx holds a pointer to the store's native context
//! ([`VmctxField::NativeContext`](crate::vmctx::VmctxField::NativeContext)).
//! Native code never unwinds and the runtime needs no signal handler: a trap
//! writes its [trap word](TrapWord) into the context and returns, every
//! caller checks the word after each call and returns too, and the entry
//! trampoline's caller reads the word.

/// Offset of the trap word (`u32`): zero while no trap is pending.
pub const CONTEXT_TRAP: i32 = 0;
/// Offset of the stack limit (pointer-sized): a function entered with the
/// stack pointer below it traps with `StackOverflow`.
pub const CONTEXT_STACK_LIMIT: i32 = 8;
/// Offset of the host dispatcher (a function pointer, host C ABI):
/// `fn(vmctx, namespace: u32, index: u32, values: *mut u64)`.
///
/// Performs a call to what native code cannot reach itself: an imported
/// function, a builtin, or an intrinsic (namespaces as in the bytecode's
/// calls). `values` holds the arguments on entry, one 64-bit word each (the
/// vmctx excluded), and the results on return.
pub const CONTEXT_DISPATCH: i32 = 16;
/// Offset of the function-reference resolver (a function pointer, host C
/// ABI): `fn(vmctx, funcref: u64, type_index: u32, callee_vmctx: *mut u64) ->
/// code`.
///
/// Checks that `funcref` is non-null and of the type with index
/// `type_index` in the caller's module (recording a trap otherwise). For a
/// wasm function, returns its code address and writes its instance's vmctx
/// through `callee_vmctx`; for a host function, returns null, and the call
/// goes through the dispatcher instead.
pub const CONTEXT_RESOLVE: i32 = 24;
/// Offset of the store's function-reference targets (a pointer): what each
/// handle `h != 0` resolves to is entry `h - 1`, of [`FUNCREF_TARGET_SIZE`]
/// bytes. Changes only while the host runs.
pub const CONTEXT_FUNCREF_TARGETS: i32 = 32;
/// Offset of the number of function-reference targets (pointer-sized).
pub const CONTEXT_FUNCREF_COUNT: i32 = 40;
/// Offset of the memory copier (a function pointer, host C ABI):
/// `fn(dst: *mut u8, src: *const u8, len: usize)`, overlapping ranges
/// allowed; native code checks both ranges first (`memory.copy`).
pub const CONTEXT_COPY: i32 = 48;
/// Offset of the memory filler (a function pointer, host C ABI):
/// `fn(dst: *mut u8, value: u32, len: usize)` writing the value's low byte;
/// native code checks the range first (`memory.fill`).
pub const CONTEXT_FILL: i32 = 56;
/// Offset of the fuel left (`u64`), which native code charges itself. The
/// runtime copies the store's fuel in when native code is entered and after
/// each host call, and back before each host call and on return.
pub const CONTEXT_FUEL: i32 = 64;

/// Size of a function-reference target: its signature id (`u64`), its
/// instance's id (`u64`: the store's instance index plus one, zero for a host
/// function), and its defined-function index there (`u32`).
pub const FUNCREF_TARGET_SIZE: i32 = 24;
/// Offset of a target's signature id.
pub const FUNCREF_TARGET_TYPE_ID: i32 = 0;
/// Offset of a target's instance id.
pub const FUNCREF_TARGET_INSTANCE: i32 = 8;
/// Offset of a target's function index.
pub const FUNCREF_TARGET_FUNC: i32 = 16;

/// Size of a table view (`VmctxField::TableViews`): the elements' address,
/// then their number (both pointer-sized), updated by the host when the
/// table moves or grows.
pub const TABLE_VIEW_SIZE: i32 = 16;
/// Offset of a table view's elements address.
pub const TABLE_VIEW_ELEMENTS: i32 = 0;
/// Offset of a table view's length.
pub const TABLE_VIEW_LEN: i32 = 8;

/// The value of the trap word.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TrapWord {
    /// No trap is pending.
    None,
    /// A wasm trap.
    Wasm(pulley_isa::TrapCode),
    /// `consume_fuel` found too little fuel (which it left as it was).
    OutOfFuel,
    /// The host recorded an error of its own (a host function's error, a
    /// panic, running out of fuel); the runtime keeps it aside.
    Host,
}

/// The trap word's value for a host-side error.
const HOST: u32 = u32::MAX;
/// The trap word's value for running out of fuel.
const OUT_OF_FUEL: u32 = u32::MAX - 1;

impl TrapWord {
    /// The word's encoding.
    pub fn encode(self) -> u32 {
        match self {
            TrapWord::None => 0,
            TrapWord::Wasm(code) => 1 + code as u32,
            TrapWord::Host => HOST,
            TrapWord::OutOfFuel => OUT_OF_FUEL,
        }
    }

    /// Decodes a word; an unknown value counts as a host-side error.
    pub fn decode(word: u32) -> TrapWord {
        match word {
            0 => TrapWord::None,
            HOST => TrapWord::Host,
            OUT_OF_FUEL => TrapWord::OutOfFuel,
            _ => pulley_isa::TrapCode::ALL
                .get(word as usize - 1)
                .map_or(TrapWord::Host, |&code| TrapWord::Wasm(code)),
        }
    }
}

/// A call's name in native code, decoded. The dispatcher performs imports,
/// builtins and `call_ref` to host functions; the table, signature,
/// bulk-memory and fuel intrinsics are compiled inline (`legalize`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HostCall {
    /// Imported function `index` (a function index below the imports').
    Import(u32),
    /// The builtin with this id (`pulley_module::Builtin`).
    Builtin(u32),
    /// `(index: i32) -> ref`: element `index` of a table.
    TableGet(u32),
    /// `(index: i32, value: ref)`: sets element `index` of a table.
    TableSet(u32),
    /// `() -> i32`: the size of a table.
    TableSize(u32),
    /// `(dst: i32, src: i32, len: i32)`: `memory.copy` on memory 0.
    MemoryCopy,
    /// `(dst: i32, value: i32, len: i32)`: `memory.fill` on memory 0.
    MemoryFill,
    /// `()`: charges this much fuel.
    ConsumeFuel(u32),
    /// `(funcref, params...) -> results`: a call through a reference to a
    /// host function, of the given type index.
    CallRef(u32),
}

impl HostCall {
    /// The call of a name's namespace and index, if it is one.
    pub fn decode(namespace: u32, index: u32) -> Option<HostCall> {
        use crate::intrinsics::{BUILTIN, IMPORTED_FUNCTION, Intrinsic};
        Some(match namespace {
            IMPORTED_FUNCTION => HostCall::Import(index),
            BUILTIN => HostCall::Builtin(index),
            _ => match Intrinsic::from_namespace(namespace)? {
                Intrinsic::TableGet => HostCall::TableGet(index),
                Intrinsic::TableSet => HostCall::TableSet(index),
                Intrinsic::TableSize => HostCall::TableSize(index),
                Intrinsic::MemoryCopy => HostCall::MemoryCopy,
                Intrinsic::MemoryFill => HostCall::MemoryFill,
                Intrinsic::ConsumeFuel => HostCall::ConsumeFuel(index),
                Intrinsic::CallRef => HostCall::CallRef(index),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_words_round_trip() {
        let words = [TrapWord::None, TrapWord::Host, TrapWord::OutOfFuel]
            .into_iter()
            .chain(pulley_isa::TrapCode::ALL.map(TrapWord::Wasm));
        for word in words {
            assert_eq!(TrapWord::decode(word.encode()), word);
        }
        assert_eq!(TrapWord::decode(1000), TrapWord::Host);
    }
}
