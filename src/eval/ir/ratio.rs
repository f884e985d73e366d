//! A ratio of two numbers compared with a constant (`green_area /
//! total_area * 100 >= 30`: a rate against its target, common in
//! standards), decided without dividing when that gives the same answer.
//!
//! As written, `x / y * k >= c` divides in decimal (rounded to 28 digits),
//! multiplies (rounded again when the product needs more) and compares;
//! `x * k / y` multiplies first (exactly, under the limits below) and
//! divides, so only the division rounds. Without the roundings either is the
//! sign of `x·k − c·y` (reversed when `y` is negative), three integer
//! products. The roundings cannot reach past `c` when every number involved
//! is small and has few decimals:
//!
//! - the quotient `q` of `x / y` is off by at most `10^-28 + |x/y|·10^-27`
//!   (one unit of its last digit: it keeps 28 decimals, or as many as fit
//!   96 bits, which is at least 28 digits), and `q·k` by at most
//!   `10^-28 + |q·k|·10^-27` more; so the value compared is within
//!   `2(|k|+1)·10^-28 + 3|r|·10^-27` of the exact `r = x·k/y`;
//! - when `x·k ≠ c·y`, their difference is at least `10^-e` (`e`: the
//!   decimals of `x·k` or of `c·y`, whichever has more), so `r` is at least
//!   `10^-e / |y|` from `c`;
//! - with `|x|`, `|y|`, `|k·y|`, `|x·k|` and `|c·y|` below `10^18` and
//!   `e ≤ 7`, the first bound times `|y|` is below `10^-8` and the second
//!   is at least `10^-7`: the rounded value is on the same side of `c` as
//!   `r`. Nothing overflows either: `y`'s decimals are among the 7, so
//!   `|y| ≥ 10^-7`, and `|x/y|` and `|x·k/y|` are below `10^25`, far inside
//!   a decimal's 96 bits.
//!
//! Otherwise, and when `x·k = c·y` exactly (then rounding decides), the
//! comparison is made as written. `tests` hold this to the written
//! arithmetic, near the constant above all.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::{Bool, Compare, Env, Num, Slot};
use crate::syntax::ast::ArithOp;
use crate::value::{Known, Value};

/// `x / y * k` (or `x * k / y`, or `x / y`) of two slots compared with a
/// constant, and the comparison as written for what the shortcut leaves.
#[derive(Clone, Debug)]
pub struct Ratio {
    cmp: Compare,
    numerator: Slot,
    denominator: Slot,
    factor: Small,
    constant: Small,
    written: Bool,
}

/// A decimal whose mantissa is below the limit, taken apart once.
#[derive(Clone, Copy, Debug)]
struct Small {
    mantissa: i64,
    scale: u32,
}

impl Small {
    /// Every number involved is below this.
    const LIMIT: u64 = 1_000_000_000_000_000_000;

    /// `value` taken apart, when its mantissa is below the limit.
    fn of(value: Decimal) -> Option<Small> {
        let mantissa = i64::try_from(value.mantissa()).ok()?;
        (mantissa.unsigned_abs() < Small::LIMIT).then_some(Small {
            mantissa,
            scale: value.scale(),
        })
    }
}

impl Ratio {
    /// `written` with the shortcut, when it is a comparison of such a ratio
    /// with a constant; else `written` itself.
    pub fn shortcut(written: Bool) -> Bool {
        let Bool::NumberWith(cmp, number, constant) = &written else {
            return written;
        };
        let parts = ratio_parts(number).and_then(|(numerator, denominator, factor)| {
            Some((
                numerator,
                denominator,
                Small::of(factor)?,
                Small::of(*constant)?,
            ))
        });
        match parts {
            // A factor or constant past the limit would never take the shortcut.
            Some((numerator, denominator, factor, constant)) => Bool::Ratio(Box::new(Ratio {
                cmp: *cmp,
                numerator,
                denominator,
                factor,
                constant,
                written,
            })),
            None => written,
        }
    }

    /// Evaluates the comparison.
    pub fn eval(&self, env: &Env<'_>) -> Known<bool> {
        if let (Ok(Value::Number(x)), Ok(Value::Number(y))) =
            (env.value(self.numerator), env.value(self.denominator))
            && let Some(ordering) = small_ordering(*x, *y, self.factor, self.constant)
        {
            return Ok(self.cmp.holds(ordering));
        }
        self.written.eval(env)
    }
}

/// The numerator, denominator and factor of `x / y`, `x / y * k`,
/// `k * (x / y)`, `x * k / y` or `k * x / y`.
fn ratio_parts(number: &Num) -> Option<(Slot, Slot, Decimal)> {
    let slot_and_constant = |a: &Num, b: &Num| match (a, b) {
        (Num::Slot(x), Num::Const(k)) | (Num::Const(k), Num::Slot(x)) => Some((*x, *k)),
        _ => None,
    };
    match number {
        Num::Arith(ArithOp::Div, top, bottom) => {
            let Num::Slot(y) = **bottom else { return None };
            match &**top {
                Num::Slot(x) => Some((*x, y, Decimal::ONE)),
                Num::Arith(ArithOp::Mul, a, b) => slot_and_constant(a, b).map(|(x, k)| (x, y, k)),
                _ => None,
            }
        }
        Num::Arith(ArithOp::Mul, a, b) => {
            let (quotient, k) = match (&**a, &**b) {
                (quotient, Num::Const(k)) | (Num::Const(k), quotient) => (quotient, *k),
                _ => return None,
            };
            match quotient {
                Num::Arith(ArithOp::Div, x, y) => match (&**x, &**y) {
                    (Num::Slot(x), Num::Slot(y)) => Some((*x, *y, k)),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// How `x / y · k` compares with `c` when the rounding of decimal
/// arithmetic cannot change it (see the module's proof); `None` when it
/// might, or when `y` is zero.
pub fn ordering(x: Decimal, y: Decimal, k: Decimal, c: Decimal) -> Option<Ordering> {
    small_ordering(x, y, Small::of(k)?, Small::of(c)?)
}

/// [`ordering`] with the constants taken apart once, when compiling.
#[inline]
fn small_ordering(x: Decimal, y: Decimal, k: Small, c: Small) -> Option<Ordering> {
    /// `10^0` to `10^7`: the decimals allowed.
    const POWERS: [i64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    // Every mantissa is below the limit too (a nonzero `y` is at least one
    // unit of its last decimal). The limit is below 2^63, so a product
    // that overflows 64 bits is past it anyway: 64-bit arithmetic,
    // checked, decides exactly what wider arithmetic would.
    let small = |n: Option<i64>| n.filter(|n| n.unsigned_abs() < Small::LIMIT);
    let (x, y) = (Small::of(x)?, Small::of(y)?);
    if y.mantissa == 0 {
        return None;
    }
    small(k.mantissa.checked_mul(y.mantissa))?;
    let xk = small(x.mantissa.checked_mul(k.mantissa))?;
    let cy = small(c.mantissa.checked_mul(y.mantissa))?;
    let (xk_scale, cy_scale) = (x.scale + k.scale, c.scale + y.scale);
    let decimals = xk_scale.max(cy_scale);
    let scaled = |n: i64, scale: u32| {
        let power = POWERS.get(decimals.checked_sub(scale)? as usize)?;
        small(n.checked_mul(*power))
    };
    if decimals >= POWERS.len() as u32 {
        return None;
    }
    let (xk, cy) = (scaled(xk, xk_scale)?, scaled(cy, cy_scale)?);
    if xk == cy {
        return None;
    }
    let ordering = xk.cmp(&cy);
    Some(if y.mantissa < 0 {
        ordering.reverse()
    } else {
        ordering
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::compare;
    use proptest::prelude::*;

    /// How every written form compares with `c`, by decimal arithmetic and
    /// the comparison the engine uses; `None` where the arithmetic fails
    /// (division by zero, overflow).
    fn written(x: Decimal, y: Decimal, k: Decimal, c: Decimal) -> [Option<Ordering>; 4] {
        let quotient = x.checked_div(y);
        [
            quotient.and_then(|q| q.checked_mul(k)),
            quotient.and_then(|q| k.checked_mul(q)),
            x.checked_mul(k).and_then(|p| p.checked_div(y)),
            k.checked_mul(x).and_then(|p| p.checked_div(y)),
        ]
        .map(|v| v.map(|v| compare(&v, &c)))
    }

    /// Every written form agrees with the shortcut, when it decides.
    fn agrees(x: Decimal, y: Decimal, k: Decimal, c: Decimal) -> Result<(), TestCaseError> {
        if let Some(ordering) = ordering(x, y, k, c) {
            for as_written in written(x, y, k, c) {
                prop_assert_eq!(as_written, Some(ordering), "{} / {} * {} vs {}", x, y, k, c);
            }
        }
        Ok(())
    }

    fn decimal(mantissa: i64, scale: u32) -> Decimal {
        Decimal::new(mantissa, scale)
    }

    /// Mantissas of every size up to the limit and past it, small ones most
    /// often, either sign.
    fn mantissa() -> impl Strategy<Value = i64> {
        prop_oneof![
            -1000i64..1000,
            -100_000_000i64..100_000_000,
            999_999_999_000_000_000i64..1_000_000_001_000_000_000,
            -1_000_000_001_000_000_000i64..-999_999_999_000_000_000,
            any::<i64>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn the_shortcut_agrees_with_the_arithmetic(
            x in mantissa(), xs in 0u32..6,
            y in mantissa(), ys in 0u32..6,
            k in mantissa(), ks in 0u32..4,
            c in mantissa(), cs in 0u32..6,
        ) {
            agrees(decimal(x, xs), decimal(y, ys), decimal(k, ks), decimal(c, cs))?;
        }

        /// Right at the constant and a hair either side, where rounding
        /// would decide if anything did.
        #[test]
        fn near_the_constant_the_shortcut_agrees_or_steps_aside(
            y in mantissa(), ys in 0u32..5,
            k in prop_oneof![Just(0i64), Just(1), Just(100), Just(-3), mantissa()], ks in 0u32..5,
            c in mantissa(), cs in 0u32..4,
            nudge in -3i64..=3, nudge_scale in 0u32..8,
        ) {
            let (y, k, c) = (decimal(y, ys), decimal(k, ks), decimal(c, cs));
            // x = c·y/k, cut to a few decimals, then nudged.
            let Some(exact) = c.checked_mul(y).and_then(|p| p.checked_div(k)) else {
                return Ok(());
            };
            let x = exact.round_dp(nudge_scale) + decimal(nudge, nudge_scale);
            agrees(x, y, k, c)?;
            agrees(-x, -y, k, c)?;
            agrees(x, -y, -k, c)?;
        }
    }

    #[test]
    fn it_decides_the_common_case_and_steps_aside_when_rounding_decides() {
        let d = |s: &str| s.parse::<Decimal>().expect("a decimal");
        let hundred = d("100");
        // 1234.5 / 4321.0 · 100 = 28.57…: below 30.
        assert_eq!(
            ordering(d("1234.5"), d("4321.0"), hundred, d("30")),
            Some(Ordering::Less)
        );
        assert_eq!(
            ordering(d("1296.4"), d("4321.0"), hundred, d("30")),
            Some(Ordering::Greater)
        );
        // Exactly 30: left to the arithmetic.
        assert_eq!(ordering(d("1296.3"), d("4321"), hundred, d("30")), None);
        // 1 / 3 · 3 is 0.999…9 in decimal, not 1: left to the arithmetic.
        assert_eq!(ordering(d("1"), d("3"), d("3"), d("1")), None);
        // Division by zero, too many decimals, too large: left to it too.
        assert_eq!(ordering(d("1"), d("0"), hundred, d("30")), None);
        assert_eq!(ordering(d("0.00000001"), d("3"), hundred, d("30")), None);
        let large = Decimal::from(1_000_000_000_000_000_000i64);
        assert_eq!(ordering(large, d("3"), hundred, d("30")), None);
        // A negative denominator turns the comparison round.
        assert_eq!(
            ordering(d("1"), d("-4"), hundred, d("30")),
            Some(Ordering::Less)
        );
    }

    #[test]
    fn the_shortcut_takes_the_five_forms_of_a_ratio_and_nothing_else() {
        let x = || Box::new(Num::Slot(Slot::Field(1)));
        let y = || Box::new(Num::Slot(Slot::Field(2)));
        let k = || Box::new(Num::Const(Decimal::ONE_HUNDRED));
        let op = |op, a, b| Box::new(Num::Arith(op, a, b));
        let (div, mul) = (ArithOp::Div, ArithOp::Mul);
        let by_one = Some((Slot::Field(1), Slot::Field(2), Decimal::ONE));
        let by_hundred = Some((Slot::Field(1), Slot::Field(2), Decimal::ONE_HUNDRED));
        let taken = [
            (op(div, x(), y()), by_one),
            (op(mul, op(div, x(), y()), k()), by_hundred),
            (op(mul, k(), op(div, x(), y())), by_hundred),
            (op(div, op(mul, x(), k()), y()), by_hundred),
            (op(div, op(mul, k(), x()), y()), by_hundred),
        ];
        for (number, parts) in taken {
            assert_eq!(ratio_parts(&number), parts, "{number:?}");
        }
        let left = [
            op(div, x(), op(mul, y(), k())),
            op(div, op(div, x(), y()), k()),
            op(mul, op(div, x(), k()), y()),
            op(mul, op(div, x(), y()), y()),
            op(div, op(mul, x(), y()), y()),
            op(ArithOp::Add, op(div, x(), y()), k()),
            op(div, k(), y()),
        ];
        for number in left {
            assert_eq!(ratio_parts(&number), None, "{number:?}");
        }
    }
}
