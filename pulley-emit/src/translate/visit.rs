//! The visitor that wasmparser's operator reader drives: [`OperatorVisitor`]
//! implements `VisitOperator` and `VisitSimdOperator`, expanded from
//! wasmparser's `for_each_visit_operator!` and
//! `for_each_visit_simd_operator!` tables, so it has a method for every
//! operator wasmparser decodes.
//!
//! For each operator it runs, in order: the encoding check 2.0 requires of
//! `memory.size` and `memory.grow` and the function validator's method of the
//! same name (both only when validating), then the translator's method of the
//! same name, defined in the concern modules. The translator is a field, not
//! `Self`, so a translator method that does not exist is a compile error here
//! rather than a call back into the visitor.
//!
//! In unreachable code the translator skips operators, except those that
//! open or close blocks (`block`, `loop`, `if`, `else`, `end`): their
//! methods keep the control stack balanced there. Each operator translated in
//! reachable code counts one unit of fuel.
//!
//! Operators of the proposals Pulley does not support (GC, exceptions,
//! threads, function references, stack switching, ...) and `select` with
//! several results are refused with [`CompileError::UnsupportedOperator`],
//! reachable or not, after validation: with the default features the
//! validator rejects them first.

use cranelift_codegen::ir::SourceLoc;
use wasmparser::{
    BinaryReaderError, FuncValidator, ValidatorResources, VisitOperator, VisitSimdOperator,
};

use super::FuncTranslator;
use crate::CompileError;

/// Validates (optionally) and translates the operators of one function body.
pub(super) struct OperatorVisitor<'v, 'a, 'f, 'c> {
    pub(super) translator: &'v mut FuncTranslator<'a, 'f>,
    /// The function's validator; `None` for a body validated before.
    pub(super) validator: Option<&'v mut FuncValidator<ValidatorResources>>,
    /// The function body's code and its offset in the module, when
    /// `memory.size` and `memory.grow` must encode their memory index as one
    /// zero byte (validating without multi-memory).
    pub(super) memory_index_code: Option<(&'c [u8], u64)>,
    /// The offset of the operator being visited.
    pub(super) offset: u64,
}

/// How the visitor treats an operator in unreachable code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Skipped.
    Skipped,
    /// Translated: it opens or closes a block.
    Structure,
}

impl OperatorVisitor<'_, '_, '_, '_> {
    /// Runs `validate` on the validator, if validating.
    fn validate(
        &mut self,
        validate: impl FnOnce(
            &mut FuncValidator<ValidatorResources>,
            u64,
        ) -> Result<(), BinaryReaderError>,
    ) -> Result<(), CompileError> {
        if let Some(validator) = self.validator.as_deref_mut() {
            validate(validator, self.offset)?;
        }
        Ok(())
    }

    /// Checks that the `memory.size` or `memory.grow` being visited has a
    /// memory index of one zero byte, if 2.0's encoding applies.
    fn check_memory_index_byte(&self) -> Result<(), CompileError> {
        match self.memory_index_code {
            Some((code, base)) => crate::encoding::check_memory_index_byte(
                &code[(self.offset - base) as usize..],
                self.offset as usize,
            ),
            None => Ok(()),
        }
    }

    /// Sets the source location of the operator's instructions; returns
    /// whether to translate it, counting it for fuel if it is reachable.
    fn enter(&mut self, reach: Reach) -> bool {
        let translator = &mut *self.translator;
        translator.offset = self.offset as u32;
        translator
            .builder
            .set_srcloc(SourceLoc::new(translator.offset));
        if translator.reachable {
            translator.pending_fuel += 1;
            true
        } else {
            reach == Reach::Structure
        }
    }

    fn refuse(&self, operator: &'static str, proposal: &'static str) -> CompileError {
        CompileError::UnsupportedOperator {
            operator,
            proposal,
            offset: self.offset,
        }
    }
}

/// Defines the visitor's methods from wasmparser's table of operators (the
/// form `for_each_visit_operator!` passes): `$validator` names the
/// validator's method that returns its visitor (`visitor` or
/// `simd_visitor`).
macro_rules! visit_operators {
    ($validator:ident $( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $( visit_operators!(@one $validator @$proposal $op $({ $($arg: $argty),* })? => $visit); )*
    };

    // Operators that open or close blocks.
    (@one $validator:ident @mvp Block $($rest:tt)*) => { visit_operators!(@translate $validator Structure [] Block $($rest)*); };
    (@one $validator:ident @mvp Loop $($rest:tt)*) => { visit_operators!(@translate $validator Structure [] Loop $($rest)*); };
    (@one $validator:ident @mvp If $($rest:tt)*) => { visit_operators!(@translate $validator Structure [] If $($rest)*); };
    (@one $validator:ident @mvp Else $($rest:tt)*) => { visit_operators!(@translate $validator Structure [] Else $($rest)*); };
    (@one $validator:ident @mvp End $($rest:tt)*) => { visit_operators!(@translate $validator Structure [] End $($rest)*); };
    // `memory.size` and `memory.grow`: their encoding is checked first.
    (@one $validator:ident @mvp MemorySize $($rest:tt)*) => {
        visit_operators!(@translate $validator Skipped [check_memory_index_byte] MemorySize $($rest)*);
    };
    (@one $validator:ident @mvp MemoryGrow $($rest:tt)*) => {
        visit_operators!(@translate $validator Skipped [check_memory_index_byte] MemoryGrow $($rest)*);
    };
    // `select` with several results: decoded, but valid in no proposal.
    (@one $validator:ident @reference_types TypedSelectMulti $($rest:tt)*) => {
        visit_operators!(@refuse $validator reference_types TypedSelectMulti $($rest)*);
    };
    // The proposals we support.
    (@one $validator:ident @mvp $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    (@one $validator:ident @sign_extension $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    (@one $validator:ident @saturating_float_to_int $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    (@one $validator:ident @bulk_memory $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    (@one $validator:ident @reference_types $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    (@one $validator:ident @tail_call $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    (@one $validator:ident @simd $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    (@one $validator:ident @relaxed_simd $($rest:tt)*) => { visit_operators!(@translate $validator Skipped [] $($rest)*); };
    // Every other proposal.
    (@one $validator:ident @$proposal:ident $($rest:tt)*) => { visit_operators!(@refuse $validator $proposal $($rest)*); };

    (@translate $validator:ident $reach:ident [$($check:ident)?] $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            $( self.$check()?; )?
            self.validate(|validator, offset| {
                validator.$validator(offset).$visit($($($arg.clone()),*)?)
            })?;
            if self.enter(Reach::$reach) {
                self.translator.$visit($($($arg),*)?)
            } else {
                Ok(())
            }
        }
    };
    (@refuse $validator:ident $proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            self.validate(|validator, offset| validator.$validator(offset).$visit($($($arg),*)?))?;
            Err(self.refuse(stringify!($op), stringify!($proposal)))
        }
    };
}

/// `visit_operators!` for `for_each_visit_operator!`.
macro_rules! visit_non_simd_operators {
    ($($table:tt)*) => {
        visit_operators!(visitor $($table)*);
    };
}

/// `visit_operators!` for `for_each_visit_simd_operator!`.
macro_rules! visit_simd_operators {
    ($($table:tt)*) => {
        visit_operators!(simd_visitor $($table)*);
    };
}

impl<'a> VisitOperator<'a> for OperatorVisitor<'_, '_, '_, '_> {
    type Output = Result<(), CompileError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(visit_non_simd_operators);
}

impl<'a> VisitSimdOperator<'a> for OperatorVisitor<'_, '_, '_, '_> {
    wasmparser::for_each_visit_simd_operator!(visit_simd_operators);
}
