//! Differential fuzzing of Pulley.
//!
//! [`oracle`] generates a module with wasm-smith (no imports, canonical NaNs,
//! bounded memories and tables, loops that terminate), runs every export on
//! arbitrary arguments in an engine, and records results, trap kinds, and the
//! final memories and globals. [`panel`] runs a case on Pulley (optimized and
//! not), on Wasmtime with Cranelift (the reference) and on wasmi, and
//! compares. The cargo-fuzz targets in `fuzz_targets/` and the stable `diff`
//! runner (for CI) both use it.
//!
//! [`forge`] fuzzes the bytecode verifier: it mutates valid artifacts,
//! recomputes their checksum, and checks that every artifact Pulley accepts
//! behaves as one the compiler could have produced (no forged references,
//! fuel charged as claimed); the `forge` runner and the `forged` cargo-fuzz
//! target use it. [`rng`] is the stable runners' deterministic generator.

pub mod engines;
pub mod forge;
pub mod oracle;
pub mod panel;

/// Deterministic random numbers for the stable runners (`diff`, `forge`).
pub mod rng {
    /// A small, fast, deterministic generator (SplitMix64).
    #[derive(Clone, Debug)]
    pub struct SplitMix(pub u64);

    impl SplitMix {
        /// The generator for stream `stream` of seed `seed`: iteration
        /// `stream` of a run, reproducible without replaying the others.
        pub fn derive(seed: u64, stream: u64) -> SplitMix {
            let mut mixer = SplitMix(seed);
            let base = mixer.next_u64();
            SplitMix(base ^ SplitMix(stream).next_u64())
        }

        /// The next 64 random bits.
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// `len` random bytes.
        pub fn bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len.div_ceil(8))
                .flat_map(|_| self.next_u64().to_le_bytes())
                .take(len)
                .collect()
        }
    }
}
