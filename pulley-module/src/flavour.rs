//! The four Pulley targets: pointer width and byte order of the host that
//! runs the code.

use core::fmt;
use core::str::FromStr;

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

    /// A one-byte code for artifact headers.
    pub fn code(self) -> u8 {
        match self {
            Flavour::Pulley32 => 0,
            Flavour::Pulley64 => 1,
            Flavour::Pulley32Be => 2,
            Flavour::Pulley64Be => 3,
        }
    }

    /// The flavour of a header code.
    pub fn from_code(code: u8) -> Option<Flavour> {
        Flavour::ALL.get(usize::from(code)).copied()
    }
}

impl fmt::Display for Flavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is none of `pulley32`, `pulley64`, `pulley32be`, `pulley64be`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown target {0:?}: expected pulley32, pulley64, pulley32be or pulley64be")]
pub struct UnknownFlavour(pub alloc::string::String);

impl FromStr for Flavour {
    type Err = UnknownFlavour;

    fn from_str(name: &str) -> Result<Flavour, UnknownFlavour> {
        Flavour::ALL
            .into_iter()
            .find(|flavour| flavour.name() == name)
            .ok_or_else(|| UnknownFlavour(name.into()))
    }
}
