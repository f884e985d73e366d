//! Values of a record at run time: cells, values, Kleene `and`/`or`,
//! rounding, exact comparison, and the exact running sum of scores. A leaf
//! that imports nothing of ours: data types cells into these, scripts take
//! and give them, the evaluator computes with them and reports write them.

use std::cmp::Ordering;

use jiff::civil::Date;
use rust_decimal::Decimal;

/// A cell of a record, typed by its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// A value that fits the field.
    Value(Value),
    /// Blank in an optional field: allowed, and `no X` holds for it.
    Blank,
    /// No usable value: blank in a required field, or a data error. Rules
    /// that need it are `missing`.
    Missing,
}

/// A value of a field or an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// true or false.
    Bool(bool),
    /// An exact decimal (counts, numbers, percents as fractions).
    Number(Decimal),
    /// Text.
    Text(String),
    /// One of a `one of` field's values, by position in its list.
    Choice(u16),
    /// A calendar date.
    Date(Date),
}

/// Why an expression has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Absent {
    /// It is a blank optional field (or a name for one).
    Blank,
    /// A value it needs is missing.
    Missing,
}

/// The value of an expression, or why there is none.
pub type Known<T> = Result<T, Absent>;

/// Three-valued logic: Kleene `and`. `false` wins over a missing value.
pub fn and(left: Known<bool>, right: impl FnOnce() -> Known<bool>) -> Known<bool> {
    match left {
        Ok(false) => Ok(false),
        Ok(true) => right().map_err(|_| Absent::Missing),
        Err(_) => match right() {
            Ok(false) => Ok(false),
            _ => Err(Absent::Missing),
        },
    }
}

/// Three-valued logic: Kleene `or`. `true` wins over a missing value.
pub fn or(left: Known<bool>, right: impl FnOnce() -> Known<bool>) -> Known<bool> {
    match left {
        Ok(true) => Ok(true),
        Ok(false) => right().map_err(|_| Absent::Missing),
        Err(_) => match right() {
            Ok(true) => Ok(true),
            _ => Err(Absent::Missing),
        },
    }
}

/// Rounds half away from zero to `digits` decimals (output and `round()`).
pub fn round(value: Decimal, digits: u32) -> Decimal {
    value.round_dp_with_strategy(digits, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Compares two decimals exactly, as `Decimal::cmp` does, but brings the
/// one with fewer decimals to the other's scale with one integer
/// multiplication when that fits (it nearly always does), which is several
/// times cheaper than the general rescaling.
#[inline]
pub fn compare(a: &Decimal, b: &Decimal) -> Ordering {
    let (scale_a, scale_b) = (a.scale(), b.scale());
    let (mantissa_a, mantissa_b) = (a.mantissa(), b.mantissa());
    let aligned = match scale_a.cmp(&scale_b) {
        Ordering::Equal => Some((mantissa_a, mantissa_b)),
        Ordering::Less => scaled_up(mantissa_a, scale_b - scale_a).map(|m| (m, mantissa_b)),
        Ordering::Greater => scaled_up(mantissa_b, scale_a - scale_b).map(|m| (mantissa_a, m)),
    };
    match aligned {
        Some((x, y)) => x.cmp(&y),
        None => a.cmp(b),
    }
}

/// `mantissa · 10^exponent`, if it fits; a single widening multiplication
/// when both factors fit 64 bits.
#[inline]
fn scaled_up(mantissa: i128, exponent: u32) -> Option<i128> {
    let power = *POWERS_OF_TEN.get(exponent as usize)?;
    match (i64::try_from(mantissa), i64::try_from(power)) {
        (Ok(m), Ok(p)) => Some(i128::from(m) * i128::from(p)),
        _ => mantissa.checked_mul(power),
    }
}

/// `10^0` to `10^28`: every scale a decimal can have.
const POWERS_OF_TEN: [i128; 29] = {
    let mut powers = [1i128; 29];
    let mut i = 1;
    while i < powers.len() {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

/// A running sum of many decimals, kept exactly: one integer sum per scale,
/// so adding a value is one integer addition (it runs once per record).
#[derive(Clone, Debug, Default)]
pub struct Sum {
    /// The sum of the mantissas of the values of each scale.
    by_scale: [i128; 29],
    /// What overflowed a scale's integer, as a decimal.
    spilled: Decimal,
}

impl Sum {
    /// Adds `value`.
    pub fn add(&mut self, value: Decimal) {
        self.add_mantissa(value.mantissa(), value.scale());
    }

    /// Adds another sum.
    pub fn merge(&mut self, other: &Sum) {
        for (scale, &mantissa) in (0u32..).zip(&other.by_scale) {
            self.add_mantissa(mantissa, scale);
        }
        self.spilled = self.spilled.saturating_add(other.spilled);
    }

    /// The sum, as a decimal (rounded to a decimal's 28 digits if it needs
    /// more; the largest decimal if it is larger still).
    pub fn total(&self) -> Decimal {
        (0u32..)
            .zip(&self.by_scale)
            .fold(self.spilled, |total, (scale, &mantissa)| {
                total.saturating_add(wide_decimal(mantissa, scale))
            })
    }

    fn add_mantissa(&mut self, mantissa: i128, scale: u32) {
        let sum = &mut self.by_scale[scale as usize];
        match sum.checked_add(mantissa) {
            Some(new) => *sum = new,
            None => {
                self.spilled = self.spilled.saturating_add(wide_decimal(*sum, scale));
                *sum = mantissa;
            }
        }
    }
}

impl PartialEq for Sum {
    fn eq(&self, other: &Sum) -> bool {
        self.total() == other.total()
    }
}

impl Eq for Sum {}

/// `mantissa · 10^-scale` for a mantissa wider than a decimal's 96 bits:
/// its last digits are dropped (rounded) until it fits.
fn wide_decimal(mantissa: i128, scale: u32) -> Decimal {
    if let Ok(exact) = Decimal::try_from_i128_with_scale(mantissa, scale) {
        return exact;
    }
    // Ten digits fewer always fit: |mantissa| < 2^127 < 10^10 · 2^96.
    let (high, low) = (mantissa / 10_000_000_000, mantissa % 10_000_000_000);
    let low = Decimal::try_from_i128_with_scale(low, scale).unwrap_or_default();
    let high = match scale.checked_sub(10) {
        Some(scale) => Decimal::try_from_i128_with_scale(high, scale).ok(),
        None => Decimal::try_from_i128_with_scale(high, 0)
            .ok()
            .and_then(|h| h.checked_mul(Decimal::from(POWERS_OF_TEN[10 - scale as usize]))),
    };
    match high {
        Some(high) => high.saturating_add(low),
        None if mantissa < 0 => Decimal::MIN,
        None => Decimal::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn compare_agrees_with_decimal_ordering(
            a in any::<i64>(), sa in 0u32..=28, b in any::<i64>(), sb in 0u32..=28,
            wide in any::<bool>(),
        ) {
            let widen = |m: i64| if wide { i128::from(m) * 1_000_000_000_000 } else { i128::from(m) };
            // A decimal's mantissa has 96 bits: the widest products do not fit.
            let a = Decimal::try_from_i128_with_scale(widen(a), sa);
            let b = Decimal::try_from_i128_with_scale(widen(b), sb);
            let (Ok(a), Ok(b)) = (a, b) else { return Ok(()) };
            prop_assert_eq!(compare(&a, &b), a.cmp(&b));
            prop_assert_eq!(compare(&a, &a), Ordering::Equal);
        }
    }

    proptest! {
        #[test]
        fn a_sum_is_the_decimal_sum(values in prop::collection::vec((any::<i32>(), 0u32..=16), 0..50)) {
            // Small enough that the decimal sum is exact.
            let values: Vec<Decimal> =
                values.into_iter().map(|(m, s)| Decimal::new(m.into(), s)).collect();
            let (mut sum, mut even, mut odd) = (Sum::default(), Sum::default(), Sum::default());
            for (i, value) in values.iter().enumerate() {
                sum.add(*value);
                if i % 2 == 0 { even.add(*value) } else { odd.add(*value) }
            }
            even.merge(&odd);
            prop_assert_eq!(sum.total(), values.iter().sum::<Decimal>());
            prop_assert_eq!(&sum, &even);
        }
    }

    #[test]
    fn a_sum_wider_than_a_decimal_is_rounded_not_lost() {
        let seventy = Decimal::from_i128_with_scale(7 * 10i128.pow(27), 26);
        let mut sum = Sum::default();
        sum.by_scale[26] = i128::MAX - 1;
        sum.add(seventy);
        let spilled = wide_decimal(i128::MAX - 1, 26);
        assert!(spilled > Decimal::from(1_700_000_000_000u64));
        assert_eq!(sum.total(), spilled + Decimal::from(70));
        // 10^27 + 0.07 as far as 96 bits go: 10^27 + 0.1.
        assert_eq!(
            wide_decimal(10i128.pow(29) + 7, 2),
            Decimal::from_i128_with_scale(10i128.pow(28) + 1, 1)
        );
        assert_eq!(wide_decimal(i128::MAX, 0), Decimal::MAX);
        assert_eq!(wide_decimal(i128::MIN + 1, 0), Decimal::MIN);
    }

    #[test]
    fn compare_handles_the_extremes() {
        for (a, b) in [
            (Decimal::MAX, Decimal::MIN),
            (Decimal::MAX, Decimal::new(1, 28)),
            (Decimal::new(-1, 28), Decimal::ZERO),
            (Decimal::new(30, 2), Decimal::new(3, 1)),
            (Decimal::new(484, 3), Decimal::new(30, 2)),
        ] {
            assert_eq!(compare(&a, &b), a.cmp(&b));
            assert_eq!(compare(&b, &a), b.cmp(&a));
        }
    }

    const T: Known<bool> = Ok(true);
    const F: Known<bool> = Ok(false);
    const M: Known<bool> = Err(Absent::Missing);

    #[test]
    fn kleene_logic_lets_the_deciding_side_win() {
        assert_eq!(and(F, || M), F);
        assert_eq!(and(M, || F), F);
        assert_eq!(and(T, || M), M);
        assert_eq!(and(T, || T), T);
        assert_eq!(or(T, || M), T);
        assert_eq!(or(M, || T), T);
        assert_eq!(or(F, || M), M);
        assert_eq!(or(F, || F), F);
        assert_eq!(and(Err(Absent::Blank), || T), M);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().expect("a decimal");
        assert_eq!(round(d("93.475"), 2), d("93.48"));
        assert_eq!(round(d("-93.475"), 2), d("-93.48"));
        assert_eq!(round(d("93.4749"), 2), d("93.47"));
        assert_eq!(round(d("0.125"), 2), d("0.13"));
    }
}
