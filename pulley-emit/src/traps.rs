//! Trap codes: the Cranelift codes the translator emits for wasm traps, and
//! their ISA equivalents.

use cranelift_codegen::ir::TrapCode;

/// `unreachable` executed.
pub(crate) const UNREACHABLE: TrapCode = TrapCode::unwrap_user(1);
/// A table access out of bounds.
pub(crate) const TABLE_OUT_OF_BOUNDS: TrapCode = TrapCode::unwrap_user(2);
/// An indirect call through a null reference.
pub(crate) const INDIRECT_CALL_TO_NULL: TrapCode = TrapCode::unwrap_user(3);
/// An indirect call with the wrong signature.
pub(crate) const BAD_SIGNATURE: TrapCode = TrapCode::unwrap_user(4);

/// Native code only: `consume_fuel` found too little fuel (not a wasm trap,
/// so it has no ISA code).
#[cfg(feature = "native")]
pub(crate) const OUT_OF_FUEL: TrapCode = TrapCode::unwrap_user(5);

/// The ISA trap code for a Cranelift trap code.
pub(crate) fn to_isa(code: TrapCode) -> Option<pulley_isa::TrapCode> {
    use pulley_isa::TrapCode as Isa;
    Some(match code {
        TrapCode::STACK_OVERFLOW => Isa::StackOverflow,
        TrapCode::INTEGER_OVERFLOW => Isa::IntegerOverflow,
        TrapCode::HEAP_OUT_OF_BOUNDS => Isa::MemoryOutOfBounds,
        TrapCode::INTEGER_DIVISION_BY_ZERO => Isa::IntegerDivisionByZero,
        TrapCode::BAD_CONVERSION_TO_INTEGER => Isa::BadConversionToInteger,
        UNREACHABLE => Isa::Unreachable,
        TABLE_OUT_OF_BOUNDS => Isa::TableOutOfBounds,
        INDIRECT_CALL_TO_NULL => Isa::IndirectCallToNull,
        BAD_SIGNATURE => Isa::BadSignature,
        _ => return None,
    })
}
