//! Op and op-pair counts (feature `profile`), for choosing
//! super-instructions: which ops run most, and which run right after which.

use alloc::vec;
use alloc::vec::Vec;

use pulley_isa::{ExtOpcode, Opcode};

/// Number of profile slots: 256 primary opcodes, then the extended ones.
const SLOTS: usize = 256 + ExtOpcode::ALL.len();

/// Counters of executed ops and adjacent pairs.
#[derive(Clone, Debug)]
pub struct Profile {
    ops: Vec<u64>,
    pairs: Vec<u64>,
    previous: usize,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            ops: vec![0; SLOTS],
            pairs: vec![0; SLOTS * SLOTS],
            previous: 0,
        }
    }
}

impl Profile {
    #[inline(always)]
    pub(crate) fn record(&mut self, op: usize) {
        self.ops[op] += 1;
        self.pairs[self.previous * SLOTS + op] += 1;
        self.previous = op;
    }

    /// The mnemonic of a profile slot.
    fn mnemonic(slot: usize) -> &'static str {
        if slot < 256 {
            Opcode::from_u8(slot as u8).map_or("?", Opcode::mnemonic)
        } else {
            ExtOpcode::from_u16((slot - 256) as u16).map_or("?", ExtOpcode::mnemonic)
        }
    }

    /// Executed ops with their counts, most frequent first.
    pub fn ops(&self) -> Vec<(&'static str, u64)> {
        let mut ops: Vec<_> = (0..SLOTS)
            .filter(|&slot| self.ops[slot] > 0)
            .map(|slot| (Self::mnemonic(slot), self.ops[slot]))
            .collect();
        ops.sort_by(|a, b| b.1.cmp(&a.1));
        ops
    }

    /// Adjacent op pairs (first, then second) with their counts, most
    /// frequent first.
    pub fn pairs(&self) -> Vec<(&'static str, &'static str, u64)> {
        let mut pairs: Vec<_> = (0..SLOTS * SLOTS)
            .filter(|&i| self.pairs[i] > 0)
            .map(|i| {
                (
                    Self::mnemonic(i / SLOTS),
                    Self::mnemonic(i % SLOTS),
                    self.pairs[i],
                )
            })
            .collect();
        pairs.sort_by(|a, b| b.2.cmp(&a.2));
        pairs
    }

    /// Clears all counters.
    pub fn reset(&mut self) {
        *self = Profile::default();
    }
}
