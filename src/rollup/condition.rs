//! The conditions of a roll-up, evaluated: a grade band over a unit's final
//! score, rank and `top`, and a target over one inspection's rule outcomes
//! and score. What a condition cannot know (a rule its inspection's edition
//! does not have) makes the comparison false, never a guess.

use rust_decimal::Decimal;

use crate::check::model::{Builtin, Expr, ExprKind, Quota, RuleId, RuleQuery, Value};
use crate::syntax::ast::BinaryOp;
use crate::value::round;

/// What a condition can ask about.
pub trait Facts {
    /// `score`.
    fn score(&self) -> Option<Decimal>;
    /// `rank`.
    fn rank(&self) -> Option<Decimal> {
        None
    }
    /// `top 10%` / `top 3`.
    fn top(&self, _quota: Quota) -> Option<bool> {
        None
    }
    /// `passed(ID)`, `failed(ID)`, `applicable(ID)`.
    fn rule(&self, _query: RuleQuery, _rule: RuleId) -> Option<bool> {
        None
    }
    /// `no critical failed`.
    fn no_critical_failed(&self) -> Option<bool> {
        None
    }
    /// `any veto failed`.
    fn any_veto_failed(&self) -> Option<bool> {
        None
    }
}

/// Whether `condition` holds; unknown is false.
pub fn holds(condition: &Expr, facts: &impl Facts) -> bool {
    truth(condition, facts) == Some(true)
}

/// The truth of a condition, `None` when a value it needs is unknown
/// (Kleene: `false and unknown` is false, `true or unknown` is true).
fn truth(e: &Expr, facts: &impl Facts) -> Option<bool> {
    match &e.kind {
        ExprKind::Const(Value::Bool(b)) => Some(*b),
        ExprKind::Not(x) => truth(x, facts).map(|b| !b),
        ExprKind::Binary(BinaryOp::And, a, b) => match (truth(a, facts), truth(b, facts)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        ExprKind::Binary(BinaryOp::Or, a, b) => match (truth(a, facts), truth(b, facts)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        ExprKind::Binary(op, a, b) if op.is_comparison() => {
            let (a, b) = (number(a, facts)?, number(b, facts)?);
            Some(match op {
                BinaryOp::Eq => a == b,
                BinaryOp::Ne => a != b,
                BinaryOp::Lt => a < b,
                BinaryOp::Le => a <= b,
                BinaryOp::Gt => a > b,
                _ => a >= b,
            })
        }
        ExprKind::Between(x, low, high) => {
            let x = number(x, facts)?;
            Some(number(low, facts)? <= x && x <= number(high, facts)?)
        }
        ExprKind::In {
            negated,
            value,
            list,
        } => {
            let value = number(value, facts)?;
            let mut found = false;
            for item in list {
                found |= number(item, facts)? == value;
            }
            Some(found != *negated)
        }
        ExprKind::No(x) => match x.ty {
            crate::check::model::Type::Bool => truth(x, facts).map(|b| !b),
            _ => number(x, facts).map(|n| n.is_zero()),
        },
        ExprKind::Top(quota) => facts.top(*quota),
        ExprKind::RuleState(query, rule) => facts.rule(*query, *rule),
        ExprKind::NoCriticalFailed => facts.no_critical_failed(),
        ExprKind::AnyVetoFailed => facts.any_veto_failed(),
        _ => None,
    }
}

/// The value of a numeric expression, `None` when unknown.
fn number(e: &Expr, facts: &impl Facts) -> Option<Decimal> {
    match &e.kind {
        ExprKind::Const(Value::Number(n)) => Some(*n),
        ExprKind::Score => facts.score(),
        ExprKind::Rank(None) => facts.rank(),
        ExprKind::Neg(x) => number(x, facts).map(|n| -n),
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (number(a, facts)?, number(b, facts)?);
            match op {
                BinaryOp::Add => a.checked_add(b),
                BinaryOp::Sub => a.checked_sub(b),
                BinaryOp::Mul => a.checked_mul(b),
                BinaryOp::Div => a.checked_div(b),
                _ => None,
            }
        }
        ExprKind::Call(Builtin::Abs, args) => number(args.first()?, facts).map(|n| n.abs()),
        ExprKind::Call(Builtin::Round, args) => {
            let digits = number(args.get(1)?, facts)?;
            let digits = u32::try_from(digits.trunc().mantissa()).ok()?.min(28);
            number(args.first()?, facts).map(|n| round(n, digits))
        }
        ExprKind::Call(Builtin::Min, args) => {
            let mut values = args.iter().map(|a| number(a, facts));
            values.try_fold(None, |low: Option<Decimal>, n| {
                let n = n?;
                Some(Some(low.map_or(n, |low| low.min(n))))
            })?
        }
        ExprKind::Call(Builtin::Max, args) => {
            let mut values = args.iter().map(|a| number(a, facts));
            values.try_fold(None, |high: Option<Decimal>, n| {
                let n = n?;
                Some(Some(high.map_or(n, |high| high.max(n))))
            })?
        }
        _ => None,
    }
}

/// The first band whose condition holds (an `otherwise` band always does).
pub fn first_band(bands: &[crate::check::model::Band], facts: &impl Facts) -> Option<usize> {
    bands.iter().position(|band| {
        band.condition
            .as_ref()
            .is_none_or(|condition| holds(condition, facts))
    })
}

/// The most units `quota` lets in among `ranked` units: ceil(share × ranked),
/// or the count.
pub fn quota_limit(quota: Quota, ranked: u64) -> u64 {
    match quota {
        Quota::Count(count) => count,
        Quota::Share(share) => {
            let limit = (share * Decimal::from(ranked)).ceil();
            u64::try_from(limit).unwrap_or(ranked)
        }
    }
}

/// The strictest `top` in a band's condition, if it has one.
pub fn band_quota(band: &crate::check::model::Band, ranked: u64) -> Option<u64> {
    let mut limit: Option<u64> = None;
    if let Some(condition) = &band.condition {
        condition.visit(&mut |e| {
            if let ExprKind::Top(quota) = e.kind {
                let this = quota_limit(quota, ranked);
                limit = Some(limit.map_or(this, |l| l.min(this)));
            }
        });
    }
    limit
}
