//! Values of a record at run time.

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
pub type Outcome<T> = Result<T, Absent>;

/// Three-valued logic: Kleene `and`. `false` wins over a missing value.
pub fn and(left: Outcome<bool>, right: impl FnOnce() -> Outcome<bool>) -> Outcome<bool> {
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
pub fn or(left: Outcome<bool>, right: impl FnOnce() -> Outcome<bool>) -> Outcome<bool> {
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

    const T: Outcome<bool> = Ok(true);
    const F: Outcome<bool> = Ok(false);
    const M: Outcome<bool> = Err(Absent::Missing);

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
