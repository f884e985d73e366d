//! Exact means: a sum of decimals kept as one integer at the finest scale
//! seen, and a weighted mean of the terms present. The fast path and the
//! reference share these two pieces of arithmetic, so that they can be
//! compared digit for digit; everything else they do apart.

use rust_decimal::Decimal;

/// The largest scale a decimal has.
const MAX_SCALE: u32 = 28;
/// The largest mantissa a decimal has: 96 bits.
const MAX_MANTISSA: i128 = (1i128 << 96) - 1;

/// A running mean of decimals: their exact sum (as an integer mantissa at
/// the finest scale added so far) and their count. The order of adding does
/// not change the result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mean {
    mantissa: i128,
    scale: u32,
    count: u64,
}

impl Mean {
    /// Adds one value.
    pub fn add(&mut self, value: Decimal) {
        self.merge(&Mean {
            mantissa: value.mantissa(),
            scale: value.scale(),
            count: 1,
        });
    }

    /// Adds every value another mean holds.
    #[inline]
    pub fn merge(&mut self, other: &Mean) {
        if other.count == 0 {
            return;
        }
        let mantissa = if other.scale == self.scale {
            other.mantissa
        } else if other.scale > self.scale {
            self.mantissa = rescaled(self.mantissa, other.scale - self.scale);
            self.scale = other.scale;
            other.mantissa
        } else {
            rescaled(other.mantissa, self.scale - other.scale)
        };
        self.mantissa = self.mantissa.saturating_add(mantissa);
        self.count += other.count;
    }

    /// How many values were added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean, or `None` when nothing was added. The exact sum is rounded
    /// once to a decimal's 28 digits if it needs more, then divided.
    pub fn value(&self) -> Option<Decimal> {
        if self.count == 0 {
            return None;
        }
        let sum = wide(self.mantissa, self.scale);
        sum.checked_div(Decimal::from(self.count))
    }
}

/// `10^0` to `10^38`: every power of ten an `i128` holds.
const POWERS_OF_TEN: [i128; 39] = {
    let mut powers = [1i128; 39];
    let mut i = 1;
    while i < powers.len() {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

/// `mantissa · 10^by`, saturating: the sum of more than about 10^9 scores
/// of 28 digits is past what one integer holds exactly.
#[inline]
fn rescaled(mantissa: i128, by: u32) -> i128 {
    POWERS_OF_TEN
        .get(by as usize)
        .and_then(|&power| mantissa.checked_mul(power))
        .unwrap_or(if mantissa < 0 { i128::MIN } else { i128::MAX })
}

/// `mantissa / 10^scale` as a decimal, rounded half away from zero to the
/// digits a decimal holds.
fn wide(mut mantissa: i128, mut scale: u32) -> Decimal {
    while (mantissa.abs() > MAX_MANTISSA || scale > MAX_SCALE) && scale > 0 {
        let remainder = mantissa % 10;
        mantissa /= 10;
        if remainder >= 5 {
            mantissa += 1;
        } else if remainder <= -5 {
            mantissa -= 1;
        }
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).unwrap_or(if mantissa < 0 {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// The weighted mean of the terms present: `Σ w·s / Σ w`, in the order
/// given; `None` when no term is present.
pub fn weighted(terms: impl IntoIterator<Item = (Decimal, Decimal)>) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    let mut weights = Decimal::ZERO;
    for (weight, score) in terms {
        total = total.saturating_add(weight.saturating_mul(score));
        weights += weight;
    }
    if weights.is_zero() {
        return None;
    }
    total.checked_div(weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    #[test]
    fn the_mean_is_exact_whatever_the_order() {
        let values = [
            d("96.240601503759398496240601504"),
            d("0.1"),
            d("88.5"),
            d("100"),
        ];
        let mut forward = Mean::default();
        values.iter().for_each(|&v| forward.add(v));
        let mut backward = Mean::default();
        values.iter().rev().for_each(|&v| backward.add(v));
        assert_eq!(forward, backward);
        assert_eq!(forward.count(), 4);
        let mean = forward.value().expect("a mean");
        assert_eq!(mean.round_dp(10), d("71.2101503759"));
    }

    #[test]
    fn a_tenth_and_two_tenths_are_three_tenths() {
        let mut mean = Mean::default();
        mean.add(d("0.1"));
        mean.add(d("0.2"));
        assert_eq!(mean.value(), Some(d("0.15")));
        assert_eq!(Mean::default().value(), None);
    }

    #[test]
    fn absent_terms_leave_the_rest_their_share() {
        assert_eq!(
            weighted([(d("0.6"), d("80")), (d("0.4"), d("90"))]),
            Some(d("84"))
        );
        assert_eq!(weighted([(d("0.4"), d("90"))]), Some(d("90")));
        assert_eq!(weighted([]), None);
    }
}
