//! The four Pulley targets: pointer width and byte order of the host that
//! runs the code.

use core::fmt;
use core::str::FromStr;

use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{Endianness, Type};
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use target_lexicon::{Architecture, BinaryFormat, Environment, OperatingSystem, Triple, Vendor};

use crate::CompileError;

/// A Pulley target flavour.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// 32-bit pointers, little-endian.
    Pulley32,
    /// 64-bit pointers, little-endian.
    Pulley64,
    /// 32-bit pointers, big-endian.
    Pulley32Be,
    /// 64-bit pointers, big-endian.
    Pulley64Be,
}

impl Flavour {
    /// Every flavour.
    pub const ALL: [Flavour; 4] = [
        Flavour::Pulley32,
        Flavour::Pulley64,
        Flavour::Pulley32Be,
        Flavour::Pulley64Be,
    ];

    /// The flavour matching the host this code is compiled for.
    pub const fn host() -> Flavour {
        match (
            cfg!(target_pointer_width = "64"),
            cfg!(target_endian = "big"),
        ) {
            (false, false) => Flavour::Pulley32,
            (true, false) => Flavour::Pulley64,
            (false, true) => Flavour::Pulley32Be,
            (true, true) => Flavour::Pulley64Be,
        }
    }

    /// The target name, as `--target` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Pulley32 => "pulley32",
            Flavour::Pulley64 => "pulley64",
            Flavour::Pulley32Be => "pulley32be",
            Flavour::Pulley64Be => "pulley64be",
        }
    }

    /// Pointer width in bytes.
    pub fn pointer_bytes(self) -> u8 {
        match self {
            Flavour::Pulley32 | Flavour::Pulley32Be => 4,
            Flavour::Pulley64 | Flavour::Pulley64Be => 8,
        }
    }

    /// Whether the host is big-endian.
    pub fn big_endian(self) -> bool {
        matches!(self, Flavour::Pulley32Be | Flavour::Pulley64Be)
    }

    /// The Cranelift pointer type.
    pub fn pointer_type(self) -> Type {
        if self.pointer_bytes() == 4 { I32 } else { I64 }
    }

    /// Byte order of host memory (not of wasm memory, which is always little).
    pub fn endianness(self) -> Endianness {
        if self.big_endian() {
            Endianness::Big
        } else {
            Endianness::Little
        }
    }

    fn architecture(self) -> Architecture {
        match self {
            Flavour::Pulley32 => Architecture::Pulley32,
            Flavour::Pulley64 => Architecture::Pulley64,
            Flavour::Pulley32Be => Architecture::Pulley32be,
            Flavour::Pulley64Be => Architecture::Pulley64be,
        }
    }

    /// Cranelift's target description of this flavour, whose pointer width and
    /// byte order the mid-end optimizer uses.
    pub(crate) fn cranelift_isa(self, optimize: bool) -> Result<OwnedTargetIsa, CompileError> {
        let triple = Triple {
            architecture: self.architecture(),
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

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Flavour {
    type Err = CompileError;

    fn from_str(name: &str) -> Result<Flavour, CompileError> {
        Flavour::ALL
            .into_iter()
            .find(|flavour| flavour.name() == name)
            .ok_or_else(|| CompileError::UnknownTarget(name.to_string()))
    }
}
