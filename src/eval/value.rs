//! Values of a record at run time.

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

#[cfg(test)]
mod tests {
    use super::*;

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
