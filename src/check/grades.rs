//! Which grade bands can ever be given.
//!
//! Each band's condition is read as a set of scores: the scores at which it
//! *can* hold (ignoring conditions other than on `score`, which might hold)
//! and the scores at which it *surely* holds. A band whose can-set lies inside
//! the union of the earlier bands' sure-sets is unreachable: every unit that
//! could get it is taken first (`score >= 80` after `score >= 70`).

use rust_decimal::Decimal;

use super::Checker;
use super::errors::CheckError;
use super::model::{self, ExprKind, Value};
use crate::syntax::ast::BinaryOp;

/// One end of an interval: a value and whether it is included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct End {
    value: Decimal,
    closed: bool,
}

/// A set of scores within 0..=100, as sorted disjoint intervals.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Scores(Vec<(End, End)>);

impl Scores {
    fn all() -> Scores {
        Scores(vec![(
            End {
                value: Decimal::ZERO,
                closed: true,
            },
            End {
                value: Decimal::ONE_HUNDRED,
                closed: true,
            },
        )])
    }

    fn none() -> Scores {
        Scores(Vec::new())
    }

    /// The scores at which `score op value` holds.
    fn compare(op: BinaryOp, value: Decimal) -> Scores {
        let at = |closed| End { value, closed };
        let low = End {
            value: Decimal::MIN,
            closed: true,
        };
        let high = End {
            value: Decimal::MAX,
            closed: true,
        };
        let raw = match op {
            BinaryOp::Ge => vec![(at(true), high)],
            BinaryOp::Gt => vec![(at(false), high)],
            BinaryOp::Le => vec![(low, at(true))],
            BinaryOp::Lt => vec![(low, at(false))],
            BinaryOp::Eq => vec![(at(true), at(true))],
            BinaryOp::Ne => vec![(low, at(false)), (at(false), high)],
            _ => return Scores::all(),
        };
        Scores(raw).intersect(&Scores::all())
    }

    fn intersect(&self, other: &Scores) -> Scores {
        let mut out = Vec::new();
        for &(a_low, a_high) in &self.0 {
            for &(b_low, b_high) in &other.0 {
                let low = max_low(a_low, b_low);
                let high = min_high(a_high, b_high);
                if nonempty(low, high) {
                    out.push((low, high));
                }
            }
        }
        Scores(out).normalized()
    }

    fn union(&self, other: &Scores) -> Scores {
        let mut all = self.0.clone();
        all.extend(other.0.iter().copied());
        Scores(all).normalized()
    }

    /// The scores in 0..=100 not in `self`.
    fn complement(&self) -> Scores {
        let mut out = Vec::new();
        let mut from = End {
            value: Decimal::ZERO,
            closed: true,
        };
        for &(low, high) in &self.0 {
            let until = End {
                value: low.value,
                closed: !low.closed,
            };
            if nonempty(from, until) {
                out.push((from, until));
            }
            from = End {
                value: high.value,
                closed: !high.closed,
            };
        }
        let end = End {
            value: Decimal::ONE_HUNDRED,
            closed: true,
        };
        if nonempty(from, end) {
            out.push((from, end));
        }
        Scores(out)
    }

    fn is_subset_of(&self, other: &Scores) -> bool {
        self.intersect(&other.complement()).0.is_empty()
    }

    /// Sorts and merges touching intervals.
    fn normalized(mut self) -> Scores {
        self.0
            .sort_by(|a, b| a.0.value.cmp(&b.0.value).then(b.0.closed.cmp(&a.0.closed)));
        let mut out: Vec<(End, End)> = Vec::new();
        for (low, high) in self.0 {
            if let Some(last) = out.last_mut() {
                let touches = low.value < last.1.value
                    || (low.value == last.1.value && (low.closed || last.1.closed));
                if touches {
                    last.1 = max_high(last.1, high);
                    continue;
                }
            }
            out.push((low, high));
        }
        Scores(out)
    }
}

fn nonempty(low: End, high: End) -> bool {
    low.value < high.value || (low.value == high.value && low.closed && high.closed)
}

fn max_low(a: End, b: End) -> End {
    match a.value.cmp(&b.value) {
        std::cmp::Ordering::Greater => a,
        std::cmp::Ordering::Less => b,
        std::cmp::Ordering::Equal => End {
            value: a.value,
            closed: a.closed && b.closed,
        },
    }
}

fn min_high(a: End, b: End) -> End {
    match a.value.cmp(&b.value) {
        std::cmp::Ordering::Less => a,
        std::cmp::Ordering::Greater => b,
        std::cmp::Ordering::Equal => End {
            value: a.value,
            closed: a.closed && b.closed,
        },
    }
}

fn max_high(a: End, b: End) -> End {
    match a.value.cmp(&b.value) {
        std::cmp::Ordering::Greater => a,
        std::cmp::Ordering::Less => b,
        std::cmp::Ordering::Equal => End {
            value: a.value,
            closed: a.closed || b.closed,
        },
    }
}

/// The scores at which a condition can hold and at which it surely holds.
fn reading(condition: Option<&model::Expr>) -> (Scores, Scores) {
    let Some(e) = condition else {
        return (Scores::all(), Scores::all());
    };
    match &e.kind {
        ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), a, b) => {
            let (a_can, a_sure) = reading(Some(a));
            let (b_can, b_sure) = reading(Some(b));
            if *op == BinaryOp::And {
                (a_can.intersect(&b_can), a_sure.intersect(&b_sure))
            } else {
                (a_can.union(&b_can), a_sure.union(&b_sure))
            }
        }
        ExprKind::Not(inner) => {
            let (can, sure) = reading(Some(inner));
            (sure.complement(), can.complement())
        }
        ExprKind::Binary(op, a, b) if op.is_comparison() => match (&a.kind, &b.kind) {
            (ExprKind::Score, ExprKind::Const(Value::Number(n))) => {
                let set = Scores::compare(*op, *n);
                (set.clone(), set)
            }
            (ExprKind::Const(Value::Number(n)), ExprKind::Score) => {
                let set = Scores::compare(flip(*op), *n);
                (set.clone(), set)
            }
            _ => (Scores::all(), Scores::none()),
        },
        ExprKind::Between(value, low, high) => match (&value.kind, &low.kind, &high.kind) {
            (
                ExprKind::Score,
                ExprKind::Const(Value::Number(l)),
                ExprKind::Const(Value::Number(h)),
            ) => {
                let set =
                    Scores::compare(BinaryOp::Ge, *l).intersect(&Scores::compare(BinaryOp::Le, *h));
                (set.clone(), set)
            }
            _ => (Scores::all(), Scores::none()),
        },
        _ => (Scores::all(), Scores::none()),
    }
}

/// `a < score` is `score > a`.
fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

impl Checker {
    /// Warns about every band that no unit can reach.
    pub(super) fn lint_bands(&mut self, bands: &[model::Band]) {
        let mut taken = Scores::none();
        let mut sure_sets: Vec<Scores> = Vec::new();
        for band in bands {
            let (can, sure) = reading(band.condition.as_ref());
            if can.is_subset_of(&taken) {
                let cover = bands
                    .iter()
                    .zip(&sure_sets)
                    .find(|(_, sure)| can.is_subset_of(sure))
                    .map(|(b, _)| b.span.into());
                self.report(CheckError::UnreachableGrade {
                    name: band.name.clone(),
                    span: band.span.into(),
                    cover,
                });
            }
            taken = taken.union(&sure);
            sure_sets.push(sure);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn a_looser_band_first_hides_a_stricter_one() {
        let seventy = Scores::compare(BinaryOp::Ge, d(70));
        let eighty = Scores::compare(BinaryOp::Ge, d(80));
        assert!(eighty.is_subset_of(&seventy));
        assert!(!seventy.is_subset_of(&eighty));
    }

    #[test]
    fn open_and_closed_ends_matter() {
        let below = Scores::compare(BinaryOp::Lt, d(60));
        let at_least = Scores::compare(BinaryOp::Ge, d(60));
        assert!(below.union(&at_least).is_subset_of(&Scores::all()));
        assert!(Scores::all().is_subset_of(&below.union(&at_least)));
        let above = Scores::compare(BinaryOp::Gt, d(60));
        assert!(!Scores::all().is_subset_of(&below.union(&above)));
    }

    #[test]
    fn complement_of_complement_is_the_set() {
        let set =
            Scores::compare(BinaryOp::Ge, d(30)).intersect(&Scores::compare(BinaryOp::Lt, d(70)));
        assert_eq!(set.complement().complement(), set);
    }
}
