//! [`OpFlags`]: the properties of an op that the opcode table lists beside
//! its operands (see the [table's documentation](crate::table#flags)).

/// The flags of one op, from its entry in the opcode table.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct OpFlags(u8);

impl OpFlags {
    /// No flag set.
    pub const NONE: OpFlags = OpFlags(0);
    /// Execution never falls through to the next op.
    pub const TERMINATOR: OpFlags = OpFlags(1 << 0);
    /// The op leaves the function: a return or a tail call.
    pub const RETURNS: OpFlags = OpFlags(1 << 1);
    /// The op enters another function, of the program or the embedder.
    pub const CALLS: OpFlags = OpFlags(1 << 2);
    /// The op may stop execution with a trap (or for lack of fuel).
    pub const TRAPS: OpFlags = OpFlags(1 << 3);
    /// A v128 op, whose handler needs the interpreter's `simd` feature.
    pub const SIMD: OpFlags = OpFlags(1 << 4);
    /// The op has a branch target or a jump table. Not written in the
    /// table: derived from the operand kinds.
    pub const BRANCHES: OpFlags = OpFlags(1 << 5);
    /// Placed by the interpreter only; refused in a program's code.
    pub const RUNTIME_ONLY: OpFlags = OpFlags(1 << 6);
    /// Allowed only in code installed into a lazy program; refused in a
    /// program's own code.
    pub const LAZY_ONLY: OpFlags = OpFlags(1 << 7);

    /// Both sets of flags.
    pub const fn union(self, other: OpFlags) -> OpFlags {
        OpFlags(self.0 | other.0)
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: OpFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether execution never falls through to the next op.
    pub const fn is_terminator(self) -> bool {
        self.contains(OpFlags::TERMINATOR)
    }

    /// Whether the op leaves the function (a return or a tail call).
    pub const fn returns(self) -> bool {
        self.contains(OpFlags::RETURNS)
    }

    /// Whether the op enters another function.
    pub const fn is_call(self) -> bool {
        self.contains(OpFlags::CALLS)
    }

    /// Whether the op may trap.
    pub const fn can_trap(self) -> bool {
        self.contains(OpFlags::TRAPS)
    }

    /// Whether the op has branch targets.
    pub const fn branches(self) -> bool {
        self.contains(OpFlags::BRANCHES)
    }

    /// Whether this is a v128 (SIMD) op.
    pub const fn is_simd(self) -> bool {
        self.contains(OpFlags::SIMD)
    }

    /// Whether only the interpreter may place the op (never the compiler).
    pub const fn is_runtime_only(self) -> bool {
        self.contains(OpFlags::RUNTIME_ONLY)
    }

    /// Whether the op is allowed only in code installed into a lazy
    /// program.
    pub const fn is_lazy_only(self) -> bool {
        self.contains(OpFlags::LAZY_ONLY)
    }

    /// Whether execution can stop at this op with the op still current (a
    /// trap, or a call whose frame a backtrace shows), so that the compiler
    /// records the op's wasm offset.
    pub const fn records_position(self) -> bool {
        self.can_trap() || self.is_call()
    }
}

/// The [`OpFlags`] constant for a flag's name in the table; an unknown name
/// does not compile.
#[doc(hidden)]
#[macro_export]
macro_rules! __op_flag {
    (terminator) => {
        $crate::OpFlags::TERMINATOR
    };
    (returns) => {
        $crate::OpFlags::RETURNS
    };
    (calls) => {
        $crate::OpFlags::CALLS
    };
    (traps) => {
        $crate::OpFlags::TRAPS
    };
    (simd) => {
        $crate::OpFlags::SIMD
    };
    (runtime_only) => {
        $crate::OpFlags::RUNTIME_ONLY
    };
    (lazy_only) => {
        $crate::OpFlags::LAZY_ONLY
    };
}

/// [`OpFlags::BRANCHES`] for an operand kind that is a branch target or a
/// jump table, no flag for any other.
#[doc(hidden)]
#[macro_export]
macro_rules! __operand_flags {
    (Target) => {
        $crate::OpFlags::BRANCHES
    };
    (JumpTable) => {
        $crate::OpFlags::BRANCHES
    };
    ($other:ident) => {
        $crate::OpFlags::NONE
    };
}

#[cfg(test)]
mod tests {
    use crate::{AnyOpcode, ExtOpcode, OpFlags, Opcode};

    fn every_opcode() -> impl Iterator<Item = AnyOpcode> {
        let primary = Opcode::ALL.iter().map(|&op| AnyOpcode::Primary(op));
        let extended = ExtOpcode::ALL.iter().map(|&op| AnyOpcode::Extended(op));
        primary.chain(extended)
    }

    #[test]
    fn simd_ops_are_the_v_ops() {
        for op in every_opcode() {
            assert_eq!(
                op.flags().is_simd(),
                op.mnemonic().starts_with('v'),
                "{}: the `simd` flag and the `v` prefix disagree",
                op.mnemonic()
            );
        }
    }

    #[test]
    fn flags_are_consistent() {
        for op in every_opcode() {
            let flags = op.flags();
            let name = op.mnemonic();
            if flags.returns() {
                assert!(flags.is_terminator(), "{name} returns but falls through");
            }
            if flags.is_terminator()
                && !flags.returns()
                && !flags.branches()
                && !flags.is_runtime_only()
            {
                assert_eq!(name, "trap", "{name} ends a block without going anywhere");
            }
            if flags.branches() && !flags.is_terminator() {
                assert!(name.starts_with("br_if"), "{name}: a conditional branch?");
            }
        }
    }

    #[test]
    fn flags_from_the_table() {
        let flags = |op: Opcode| op.flags();
        assert_eq!(
            flags(Opcode::Ret),
            OpFlags::TERMINATOR.union(OpFlags::RETURNS)
        );
        assert_eq!(
            flags(Opcode::Jump),
            OpFlags::TERMINATOR.union(OpFlags::BRANCHES)
        );
        assert_eq!(flags(Opcode::Xadd32), OpFlags::NONE);
        assert!(flags(Opcode::Load8U).records_position());
        assert!(flags(Opcode::CallImport).records_position());
        assert!(!flags(Opcode::CallImport).can_trap());
        assert!(ExtOpcode::Vload128.flags().can_trap());
        assert!(ExtOpcode::Vstore128.flags().records_position());
        assert!(!ExtOpcode::Vand.flags().records_position());
    }
}
