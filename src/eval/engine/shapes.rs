//! Rules of the commonest shapes (`compile::Shape`) scored straight from
//! their field's cell, without an environment: the kernels the scorer
//! calls for every rule of those shapes, so each is inlined into it.

use rust_decimal::Decimal;

use super::points::deduction_left;
use crate::eval::compile::Rule;
use crate::eval::ir::Bool;
use crate::syntax::ast::Outcome;
use crate::value::{Cell, Value, compare};

/// The outcome and points of a [`Shape::Flag`] rule, whose field holds `cell`.
///
/// [`Shape::Flag`]: crate::eval::compile::Shape::Flag
#[inline(always)]
pub(super) fn flag(rule: &Rule, cell: Option<&Cell>) -> (Outcome, Decimal) {
    match cell {
        Some(Cell::Value(Value::Bool(true))) => (Outcome::Pass, rule.points),
        Some(Cell::Value(Value::Bool(false))) => (Outcome::Fail, Decimal::ZERO),
        _ => (Outcome::Missing, Decimal::ZERO),
    }
}

/// The outcome and points of a [`Shape::NoneOf`] rule, whose field holds `cell`.
///
/// [`Shape::NoneOf`]: crate::eval::compile::Shape::NoneOf
#[inline(always)]
pub(super) fn none_of(rule: &Rule, cell: Option<&Cell>) -> (Outcome, Decimal) {
    match cell {
        Some(Cell::Value(Value::Number(n))) if n.is_zero() => (Outcome::Pass, rule.points),
        Some(Cell::Value(Value::Number(n))) => match &rule.deduct {
            Some(deduct) => (Outcome::Fail, deduction_left(rule.points, deduct, *n)),
            None => (Outcome::Fail, Decimal::ZERO),
        },
        _ => (Outcome::Missing, Decimal::ZERO),
    }
}

/// The outcome and points of a [`Shape::Compare`] rule, whose field holds `cell`.
///
/// [`Shape::Compare`]: crate::eval::compile::Shape::Compare
#[inline(always)]
pub(super) fn compared(rule: &Rule, cell: Option<&Cell>) -> (Outcome, Decimal) {
    match (cell, &rule.require) {
        (Some(Cell::Value(Value::Number(n))), Bool::NumberWith(cmp, _, constant)) => {
            if cmp.holds(compare(n, constant)) {
                (Outcome::Pass, rule.points)
            } else {
                (Outcome::Fail, Decimal::ZERO)
            }
        }
        _ => (Outcome::Missing, Decimal::ZERO),
    }
}
