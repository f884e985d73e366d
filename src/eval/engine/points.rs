//! The points arithmetic of scoring, with its fast paths: the fixed-point
//! sums of points ([`Points`], in `eval::fixed_point`'s integers), the score
//! as a percentage, deductions (the integer way, `small_deducted`, and the
//! decimal way) and variable points. Each fast path states the inputs it accepts and has a
//! property test against the slow way at its edges.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::check::model::RuleId;
use crate::eval::compile::{Deduction, Program, Rule};
use crate::eval::fixed_point::fixed;
use crate::syntax::ast::Outcome;
use crate::value::compare;

/// Points and flags summed as rules are scored.
///
/// The fixed-point path: points are summed as integers at the standard's
/// points scale (`Program::points_scale`), which is exact and much cheaper
/// than decimal additions. It accepts a standard whose rules' points are
/// all integers at that scale with a sum that fits (`Program::points_fit`),
/// and a record whose points earned are too (a deduction or variable
/// points can leave finer fractions); for anything else `exact` is false
/// and the decimals are summed instead. Bonus rules add nothing here
/// (`Rule::base_fixed` is 0): their points are summed apart.
pub(super) struct Points {
    pub(super) earned: i128,
    pub(super) possible: i128,
    /// Whether `earned` is the exact sum (else decimals are summed).
    pub(super) exact: bool,
    /// What the memos key points earned by, once the bonus points are
    /// known ([`packed`]); `None` when nothing can be remembered.
    ///
    /// [`packed`]: super::memo::packed
    pub(super) memo_earned: Option<i128>,
    pub(super) critical_failed: bool,
    pub(super) veto_failed: bool,
    /// Whether a rule's outcome was `missing`.
    pub(super) missing: bool,
}

impl Points {
    /// Nothing earned yet, and `possible` the points possible when every
    /// rule applies: a rule found not to apply takes its points off.
    #[inline]
    pub(super) fn new(program: &Program) -> Self {
        Points {
            earned: 0,
            possible: program.possible_fixed,
            exact: program.points_fit,
            memo_earned: None,
            critical_failed: false,
            veto_failed: false,
            missing: false,
        }
    }

    /// Counts a judged rule: its points, and whether it failed (into `failed`).
    #[inline(always)]
    pub(super) fn count(
        &mut self,
        id: RuleId,
        rule: &Rule,
        (outcome, earned): (Outcome, Decimal),
        failed: &mut Vec<RuleId>,
        scale: u32,
    ) {
        if outcome == Outcome::Fail {
            failed.push(id);
        }
        self.add(rule, outcome, earned, scale);
    }

    /// Counts one rule's outcome and points earned.
    #[inline]
    fn add(&mut self, rule: &Rule, outcome: Outcome, earned: Decimal, scale: u32) {
        match outcome {
            Outcome::NotApplicable => {
                self.possible -= rule.base_fixed;
                return;
            }
            // A bonus rule's `base_fixed` is 0: its points are summed apart.
            Outcome::Pass => {
                self.earned += rule.base_fixed;
                return;
            }
            Outcome::NotEarned => return,
            Outcome::Fail => {
                self.critical_failed |= rule.critical;
                self.veto_failed |= rule.veto;
            }
            Outcome::Missing => self.missing = true,
        }
        if !earned.is_zero() {
            match fixed(earned, scale) {
                Some(earned) => self.earned += earned,
                None => self.exact = false,
            }
        }
    }
}

/// `100 · earned / possible`, at most 100; 0 when nothing was possible.
pub(super) fn percent(earned: Decimal, possible: Decimal) -> Decimal {
    if possible <= Decimal::ZERO {
        Decimal::ZERO
    } else if earned >= possible {
        // Every point: no division needed.
        Decimal::ONE_HUNDRED
    } else {
        Decimal::ONE_HUNDRED * earned / possible
    }
}

/// Points left after a deduction of `times` units (at most its `up_to`
/// in all), between 0 and `points`; nothing when there is nothing to
/// deduct (the rule failed on its `require`). A capped deduction is done
/// in decimals, an uncapped one by [`deducted`].
#[inline(always)]
pub(super) fn deduction_left(points: Decimal, deduction: &Deduction, times: Decimal) -> Decimal {
    match deduction.up_to {
        None => deducted(points, deduction.amount, times),
        most => decimal_deducted(points, deduction.amount, times, most),
    }
}

/// Points left after `amount` per unit of `times`, between 0 and `points`.
fn deducted(points: Decimal, amount: Decimal, times: Decimal) -> Decimal {
    small_deducted(points, amount, times)
        .unwrap_or_else(|| decimal_deducted(points, amount, times, None))
}

/// Variable points (`points EXPR up to N`) whose expression came to
/// `value`: clamped to 0..`most`; a pass only when they are all `most`.
#[inline]
pub(super) fn credited(most: Decimal, value: Decimal) -> (Outcome, Decimal) {
    let earned = if value < Decimal::ZERO {
        Decimal::ZERO
    } else if value > most {
        most
    } else {
        value
    };
    match earned == most {
        true => (Outcome::Pass, earned),
        false => (Outcome::Fail, earned),
    }
}

/// [`deducted`] in integers, when every mantissa is below 2^31 and the
/// result's scale at most 18: the same value at the same scale as the
/// decimal arithmetic gives (a product's scale is the sum of its factors',
/// a difference's the larger of its terms', and a zero product has none);
/// `None` otherwise.
#[inline]
fn small_deducted(points: Decimal, amount: Decimal, times: Decimal) -> Option<Decimal> {
    const LIMIT: i128 = 1 << 31;
    let small = |d: &Decimal| (-LIMIT..LIMIT).contains(&d.mantissa());
    if !(small(&points) && small(&amount) && small(&times)) {
        return None;
    }
    if times.mantissa() <= 0 {
        return Some(Decimal::ZERO);
    }
    // A product with a zero factor is a plain zero.
    let product_scale = if amount.is_zero() {
        0
    } else {
        amount.scale() + times.scale()
    };
    let scale = points.scale().max(product_scale);
    let power = |exponent: u32| 10i128.checked_pow(exponent);
    if scale > 18 {
        return None;
    }
    let whole = points.mantissa() * power(scale - points.scale())?;
    let left = whole - amount.mantissa() * times.mantissa() * power(scale - product_scale)?;
    // Floored at zero, then at most the points, as the decimal way does.
    let floored = left.max(0);
    Some(if floored > whole {
        points
    } else if floored == 0 {
        Decimal::ZERO
    } else {
        Decimal::try_from_i128_with_scale(floored, scale).ok()?
    })
}

/// [`deduction_left`] in decimal arithmetic, for any values.
fn decimal_deducted(
    points: Decimal,
    amount: Decimal,
    times: Decimal,
    up_to: Option<Decimal>,
) -> Decimal {
    let above = |a: &Decimal, b: &Decimal| compare(a, b) == Ordering::Greater;
    if !above(&times, &Decimal::ZERO) {
        return Decimal::ZERO;
    }
    // A product past the decimals' range is more than any cap.
    let taken = match (amount.checked_mul(times), up_to) {
        (Some(product), Some(most)) if above(&product, &most) => Some(most),
        (Some(product), _) => Some(product),
        (None, most) => most,
    };
    let left = taken
        .and_then(|d| points.checked_sub(d))
        .unwrap_or(Decimal::ZERO);
    // `left.max(0).min(points)`, with the cheaper exact comparison (and the
    // same choice between equal values: zero, then the points left).
    let floored = if above(&left, &Decimal::ZERO) {
        left
    } else {
        Decimal::ZERO
    };
    if above(&floored, &points) {
        points
    } else {
        floored
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::ir::Num;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// The integer way gives the decimal way's value at its scale.
        #[test]
        fn small_deductions_are_the_decimal_ones(
            points in -3_000_000_000i64..3_000_000_000, points_scale in 0u32..12,
            amount in -3_000_000_000i64..3_000_000_000, amount_scale in 0u32..12,
            times in -3_000_000_000i64..3_000_000_000, times_scale in 0u32..12,
            small in proptest::bool::ANY,
        ) {
            // Small values half the time (zero among them): most deductions
            // are of a few points.
            let shrink = |n: i64| if small { n % 10 } else { n };
            let decimal = |n: i64, scale| Decimal::new(shrink(n), scale);
            let (points, amount, times) = (
                decimal(points, points_scale),
                decimal(amount, amount_scale),
                decimal(times, times_scale),
            );
            if let Some(fast) = small_deducted(points, amount, times) {
                let slow = decimal_deducted(points, amount, times, None);
                proptest::prop_assert_eq!(
                    (fast, fast.scale()),
                    (slow, slow.scale()),
                    "{} - {} x {}", points, amount, times
                );
            }
        }

        /// Capped deductions are `points − min(cap, amount × times)`, kept
        /// between 0 and the points, whatever the sizes.
        #[test]
        fn capped_deductions_keep_to_the_cap(
            points in 0i64..1_000_000, points_scale in 0u32..13,
            amount in 0i64..1_000_000, amount_scale in 0u32..13,
            times in -10i64..3_000_000_000, times_scale in 0u32..13,
            most in 0i64..1_000_000, most_scale in 0u32..13,
        ) {
            let points = Decimal::new(points, points_scale);
            let deduction = Deduction {
                amount: Decimal::new(amount, amount_scale),
                per: Num::Const(Decimal::ZERO),
                up_to: Some(Decimal::new(most, most_scale)),
            };
            let times = Decimal::new(times, times_scale);
            let got = deduction_left(points, &deduction, times);
            let expected = if times <= Decimal::ZERO {
                Decimal::ZERO
            } else {
                let taken = (deduction.amount * times).min(Decimal::new(most, most_scale));
                (points - taken).max(Decimal::ZERO).min(points)
            };
            proptest::prop_assert_eq!(got, expected);
        }

        /// Variable points are clamped to 0..most, a pass only at most.
        #[test]
        fn variable_points_are_clamped(
            most in 0i64..1_000_000, most_scale in 0u32..13,
            value in -2_000_000i64..2_000_000, value_scale in 0u32..13,
        ) {
            let (most, value) = (Decimal::new(most, most_scale), Decimal::new(value, value_scale));
            let (outcome, earned) = credited(most, value);
            proptest::prop_assert!(earned >= Decimal::ZERO && earned <= most);
            proptest::prop_assert_eq!(earned, value.max(Decimal::ZERO).min(most));
            proptest::prop_assert_eq!(outcome == Outcome::Pass, earned == most);
        }
    }

    fn per(amount: Decimal, up_to: Option<Decimal>) -> Deduction {
        Deduction {
            amount,
            per: Num::Const(Decimal::ZERO),
            up_to,
        }
    }

    #[test]
    fn deductions_stay_between_zero_and_the_points() {
        let half = "0.5".parse().expect("a decimal");
        assert_eq!(deduction_left(d(4), &per(d(1), None), d(2)), d(2));
        assert_eq!(deduction_left(d(4), &per(d(1), None), d(9)), d(0));
        assert_eq!(deduction_left(d(4), &per(d(1), None), d(0)), d(0));
        assert_eq!(
            deduction_left(d(3), &per(half, None), d(1)),
            "2.5".parse().expect("a decimal")
        );
    }

    #[test]
    fn a_capped_deduction_takes_at_most_its_cap() {
        // 每處扣1分，最多扣3分: 5 places on 4 points leave 1.
        assert_eq!(deduction_left(d(4), &per(d(1), Some(d(3))), d(5)), d(1));
        assert_eq!(deduction_left(d(4), &per(d(1), Some(d(3))), d(2)), d(2));
        // A product past the decimals' range is capped, not lost.
        let huge = Decimal::MAX;
        assert_eq!(deduction_left(d(4), &per(huge, Some(d(3))), huge), d(1));
        assert_eq!(deduction_left(d(4), &per(huge, None), huge), d(0));
    }
}
