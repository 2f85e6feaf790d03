//! Cranelift's view of a Pulley flavour: pointer type, byte order and the
//! target description its mid-end optimizes for.

use cranelift_codegen::ir::Type;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use pulley_module::Flavour;
use target_lexicon::{Architecture, BinaryFormat, Environment, OperatingSystem, Triple, Vendor};

use crate::CompileError;

/// What the compiler needs to know of a flavour.
pub(crate) trait FlavourExt {
    /// The Cranelift pointer type.
    fn pointer_type(self) -> Type;
    /// Cranelift's target description, whose pointer width and byte order
    /// the mid-end optimizer uses.
    fn cranelift_isa(self, optimize: bool) -> Result<OwnedTargetIsa, CompileError>;
}

impl FlavourExt for Flavour {
    fn pointer_type(self) -> Type {
        if self.pointer_bytes() == 4 { I32 } else { I64 }
    }

    fn cranelift_isa(self, optimize: bool) -> Result<OwnedTargetIsa, CompileError> {
        let architecture = match self {
            Flavour::Pulley32 => Architecture::Pulley32,
            Flavour::Pulley64 => Architecture::Pulley64,
            Flavour::Pulley32Be => Architecture::Pulley32be,
            Flavour::Pulley64Be => Architecture::Pulley64be,
        };
        let triple = Triple {
            architecture,
            vendor: Vendor::Unknown,
            operating_system: OperatingSystem::Unknown,
            environment: Environment::Unknown,
            binary_format: BinaryFormat::Unknown,
        };
        let mut flags = settings::builder();
        let setting = |flags: &mut settings::Builder, name: &str, value: &str| {
            flags.set(name, value).map_err(|error| {
                CompileError::Internal(format!("cranelift setting {name}={value}: {error}"))
            })
        };
        setting(
            &mut flags,
            "opt_level",
            if optimize { "speed" } else { "none" },
        )?;
        setting(
            &mut flags,
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        )?;
        let builder = isa::lookup(triple).map_err(|error| {
            CompileError::Internal(format!("no Cranelift target for {}: {error}", self.name()))
        })?;
        builder
            .finish(settings::Flags::new(flags))
            .map_err(|error| {
                CompileError::Internal(format!("Cranelift target for {}: {error}", self.name()))
            })
    }
}
