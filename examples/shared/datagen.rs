//! What the example data sets (`gen`, `gen_year`) share: their random
//! numbers, SplitMix64 (small, fast, and the same sequence on every
//! platform, so a seed names one data set everywhere), the days of 2015's
//! months, and decimals written from tenths.

/// The days of each month of 2015.
pub const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// A number of tenths as a decimal: `36.5`.
pub fn tenths(value: u64) -> String {
    format!("{}.{}", value / 10, value % 10)
}

/// A SplitMix64 generator and the draws the data sets make of it.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (by remainder: the bias is below 2^-40 for the
    /// small `n` of the data sets).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `percent`%.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// 0 with probability `zero`%, else uniform in `1..=max`.
    pub fn count(&mut self, zero: u64, max: u64) -> u64 {
        if self.chance(zero) {
            0
        } else {
            1 + self.below(max)
        }
    }

    /// Tenths uniform in `low..=high` (both in tenths).
    pub fn tenths(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }
}
