//! `yardstick sample`: a reproducible random draw of units to inspect (雙隨機
//! 一公開), optionally stratified, and of inspectors for each unit. The same
//! seed and input give the same draw on every platform and every version;
//! the algorithm is pinned here and by a test vector.
//!
//! **The algorithm** (`yardstick-sample-1`):
//!
//! 1. Candidates are the units (by key) less the excluded ones, sorted by
//!    stratum then key (both in code-point order), so the input's row order
//!    does not matter. Without `--by` there is one stratum.
//! 2. Each stratum's share of `n` is `n × size / total`, rounded down; the
//!    seats left go to the strata with the largest remainders (ties: the
//!    earlier stratum).
//! 3. Random numbers come from SplitMix64 seeded with the seed; a number
//!    below `m` is `x mod m` for the first output `x` below the largest
//!    multiple of `m` (rejection: no bias).
//! 4. Each stratum in order draws its share by a partial Fisher–Yates
//!    shuffle: for `i` in `0..share`, swap position `i` with `i + r`, `r` a
//!    number below `size − i`; the drawn units are the first `share`, in
//!    draw order.
//! 5. Then, for each drawn unit in that order, `k` inspectors are drawn the
//!    same way from those (sorted by name) whose `--avoid` value differs from
//!    the unit's.

/// The name of the algorithm, written in draw records.
pub const ALGORITHM: &str =
    "yardstick-sample-1 (SplitMix64; strata by largest remainder; partial Fisher-Yates)";

/// SplitMix64 (Steele, Lea and Flood; Vigna's constants).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (which must be above 0), without bias.
    pub fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % bound;
            }
        }
    }
}

/// A unit that may be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Its key.
    pub key: String,
    /// Its stratum (`--by`), or empty.
    pub stratum: String,
    /// Its value of the `--avoid` column, or empty.
    pub avoid: String,
}

/// An inspector who may be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspector {
    /// The inspector's name.
    pub name: String,
    /// Their value of the `--avoid` column.
    pub avoid: String,
}

/// One drawn unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawn {
    /// The unit.
    pub unit: Candidate,
    /// Its inspectors, in draw order.
    pub inspectors: Vec<String>,
}

/// Why a draw cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    /// More units asked for than there are.
    #[error("{n} units asked for, but there are only {available} to draw from")]
    TooFew {
        /// Asked for.
        n: usize,
        /// Candidates.
        available: usize,
    },
    /// Not enough inspectors for a unit.
    #[error(
        "unit `{unit}` needs {k} inspectors whose `{avoid}` is not `{value}`, but there are only {eligible}"
    )]
    TooFewInspectors {
        /// The unit.
        unit: String,
        /// Inspectors per unit.
        k: usize,
        /// The column.
        avoid: String,
        /// The unit's value.
        value: String,
        /// Those eligible.
        eligible: usize,
    },
}

/// Each stratum's share of `n`, by largest remainder.
fn shares(sizes: &[usize], n: usize) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if total == 0 {
        return vec![0; sizes.len()];
    }
    let mut shares: Vec<usize> = sizes.iter().map(|s| n * s / total).collect();
    let mut remainders: Vec<(usize, usize)> = sizes
        .iter()
        .enumerate()
        .map(|(i, s)| (n * s % total, i))
        .collect();
    // Largest remainder first; ties go to the earlier stratum.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = n - shares.iter().sum::<usize>();
    for &(_, stratum) in remainders.iter().take(left) {
        shares[stratum] += 1;
    }
    shares
}

/// Draws `k` of `items` in place (partial Fisher–Yates); the first `k` are drawn.
fn shuffle_prefix<T>(items: &mut [T], k: usize, random: &mut SplitMix64) {
    for i in 0..k.min(items.len()) {
        let remaining = (items.len() - i) as u64;
        let j = i + usize::try_from(random.below(remaining)).unwrap_or(0);
        items.swap(i, j);
    }
}

/// Draws `n` units (and `k` inspectors for each, avoiding `avoid` matches).
pub fn draw(
    mut candidates: Vec<Candidate>,
    n: usize,
    seed: u64,
    inspectors: Option<(&[Inspector], usize, &str)>,
) -> Result<Vec<Drawn>, DrawError> {
    if n > candidates.len() {
        return Err(DrawError::TooFew {
            n,
            available: candidates.len(),
        });
    }
    candidates.sort_by(|a, b| a.stratum.cmp(&b.stratum).then(a.key.cmp(&b.key)));
    let mut strata: Vec<Vec<Candidate>> = Vec::new();
    for candidate in candidates {
        match strata.last_mut() {
            Some(last) if last[0].stratum == candidate.stratum => last.push(candidate),
            _ => strata.push(vec![candidate]),
        }
    }
    let sizes: Vec<usize> = strata.iter().map(Vec::len).collect();
    let mut random = SplitMix64::new(seed);
    let mut drawn = Vec::new();
    for (mut stratum, share) in strata.into_iter().zip(shares(&sizes, n)) {
        shuffle_prefix(&mut stratum, share, &mut random);
        drawn.extend(stratum.into_iter().take(share).map(|unit| Drawn {
            unit,
            inspectors: Vec::new(),
        }));
    }
    if let Some((all, k, avoid)) = inspectors {
        let mut sorted: Vec<&Inspector> = all.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for unit in &mut drawn {
            let mut eligible: Vec<&Inspector> = sorted
                .iter()
                .copied()
                .filter(|i| i.avoid != unit.unit.avoid)
                .collect();
            if eligible.len() < k {
                return Err(DrawError::TooFewInspectors {
                    unit: unit.unit.key.clone(),
                    k,
                    avoid: avoid.to_owned(),
                    value: unit.unit.avoid.clone(),
                    eligible: eligible.len(),
                });
            }
            shuffle_prefix(&mut eligible, k, &mut random);
            unit.inspectors = eligible[..k].iter().map(|i| i.name.clone()).collect();
        }
    }
    Ok(drawn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_gives_the_published_outputs() {
        // The outputs of SplitMix64 for seed 1234567 (Vigna's reference code).
        let mut random = SplitMix64::new(1_234_567);
        let outputs: Vec<u64> = (0..5).map(|_| random.next_u64()).collect();
        assert_eq!(
            outputs,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn strata_share_by_largest_remainder() {
        assert_eq!(shares(&[5, 3, 2], 5), [3, 1, 1]);
        assert_eq!(shares(&[1, 1, 1], 2), [1, 1, 0]);
        assert_eq!(shares(&[10, 0], 4), [4, 0]);
    }

    fn units(n: usize) -> Vec<Candidate> {
        (0..n)
            .map(|i| Candidate {
                key: format!("U{i:02}"),
                stratum: format!("區{}", i % 3),
                avoid: format!("區{}", i % 3),
            })
            .collect()
    }

    #[test]
    fn the_draw_is_pinned_by_a_test_vector() {
        let drawn = draw(units(12), 4, 2016, None).unwrap_or_default();
        let keys: Vec<&str> = drawn.iter().map(|d| d.unit.key.as_str()).collect();
        // Shares 2, 1, 1 (4 × 4 / 12 = 1 each; the seat left goes to the first stratum).
        assert_eq!(keys, ["U03", "U00", "U07", "U11"]);
        // Reordering the input changes nothing.
        let mut reversed = units(12);
        reversed.reverse();
        assert_eq!(draw(reversed, 4, 2016, None).unwrap_or_default(), drawn);
    }

    #[test]
    fn inspectors_never_share_the_avoided_value() {
        let inspectors: Vec<Inspector> = (0..6)
            .map(|i| Inspector {
                name: format!("檢查員{i}"),
                avoid: format!("區{}", i % 3),
            })
            .collect();
        let drawn = draw(units(12), 6, 7, Some((&inspectors, 2, "district")))
            .unwrap_or_else(|e| panic!("{e}"));
        for unit in &drawn {
            assert_eq!(unit.inspectors.len(), 2);
            assert_ne!(unit.inspectors[0], unit.inspectors[1]);
            for name in &unit.inspectors {
                let inspector = inspectors.iter().find(|i| &i.name == name);
                assert_ne!(inspector.map(|i| &i.avoid), Some(&unit.unit.avoid));
            }
        }
        let too_many = draw(units(12), 6, 7, Some((&inspectors, 5, "district")));
        assert!(matches!(
            too_many,
            Err(DrawError::TooFewInspectors { eligible: 4, .. })
        ));
    }
}
