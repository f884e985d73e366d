//! A deliberately naive evaluator: it walks the checked model's expressions
//! with dynamic values and scores a record straight from SPEC §3, sharing no
//! code with the compiled evaluator. Tests compare the two; `--explain` uses
//! it to find which parts of a failed condition failed.
//!
//! Over 600 lines on purpose: the reference is meant to be read against SPEC §3
//! in one sitting, and it shares no code with the compiled evaluator, so its
//! expressions, rules, totals and grades stay together in one file.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::cover::{Cover, WaivedScore};
use super::engine::Scored;
use super::ir::Totals;
use crate::check::model::{self, Builtin, Expr, ExprKind, FieldType, RuleId, RuleQuery, Standard};
use crate::script::Scripts;
use crate::syntax::ast::{ArithOp, BinaryOp, Outcome};
use crate::value::{Absent, Cell, Value};

/// A value as the reference evaluator sees it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Val {
    /// true or false.
    Bool(bool),
    /// A number.
    Number(Decimal),
    /// A text (choices become their text).
    Text(String),
    /// A date.
    Date(Date),
}

type Eval = Result<Val, Absent>;

/// The naive evaluator over one standard.
pub struct Reference<'s> {
    standard: &'s Standard,
    scripts: Option<&'s Scripts>,
}

/// One record's state during naive evaluation.
pub struct Record<'a> {
    cells: &'a [Cell],
    lets: Vec<Result<Val, Absent>>,
    outcomes: Vec<Outcome>,
    totals: Option<Totals>,
}

impl<'s> Reference<'s> {
    /// A reference evaluator for `standard`.
    pub fn new(standard: &'s Standard) -> Self {
        Reference {
            standard,
            scripts: None,
        }
    }

    /// A reference evaluator that calls the standard's script functions
    /// (without one, their results are missing).
    pub fn with_scripts(standard: &'s Standard, scripts: Option<&'s Scripts>) -> Self {
        Reference { standard, scripts }
    }

    /// Calls a script function; any failure is missing.
    fn script(&self, function: &str, args: &[Expr], record: &Record<'_>) -> Eval {
        let scripts = self.scripts.ok_or(Absent::Missing)?;
        let mut values = Vec::new();
        for arg in args {
            let value = match self.eval(arg, record).map_err(|_| Absent::Missing)? {
                Val::Bool(b) => Value::Bool(b),
                Val::Number(n) => Value::Number(n),
                Val::Text(t) => Value::Text(t),
                Val::Date(d) => Value::Date(d),
            };
            values.push(crate::script::to_script(&value, &[]));
        }
        let result = scripts
            .call(function, values)
            .map_err(|_| Absent::Missing)?;
        match crate::script::value(result).map_err(|_| Absent::Missing)? {
            Value::Bool(b) => Ok(Val::Bool(b)),
            Value::Number(n) => Ok(Val::Number(n)),
            Value::Text(t) => Ok(Val::Text(t)),
            _ => Err(Absent::Missing),
        }
    }

    /// Computes a record's `let`s; the result evaluates expressions.
    pub fn record<'a>(&self, cells: &'a [Cell]) -> Record<'a> {
        let mut record = Record {
            cells,
            lets: Vec::new(),
            outcomes: vec![Outcome::NotApplicable; self.standard.rules.len()],
            totals: None,
        };
        for definition in &self.standard.lets {
            let value = self.eval(&definition.value, &record);
            record.lets.push(value);
        }
        record
    }

    /// Like [`Reference::record`], with the rules' outcomes already known
    /// (for reading `passed(...)` while explaining a scored record).
    pub fn record_with_outcomes<'a>(&self, cells: &'a [Cell], outcomes: &[Outcome]) -> Record<'a> {
        let mut record = self.record(cells);
        record.outcomes = outcomes.to_vec();
        record
    }

    /// Scores a record from scratch: outcomes, points, totals, grade.
    /// `ranks` supplies the unit's ranks when the grades read them.
    pub fn score(&self, cells: &[Cell], ranks: Vec<(Option<usize>, Decimal)>) -> Scored {
        self.score_waived(cells, ranks, &[])
    }

    /// [`Reference::score`] with waivers: a failure a cover excuses scores
    /// as its waiver says (a pass, or not applicable) and is listed in
    /// `waived`.
    pub fn score_waived(
        &self,
        cells: &[Cell],
        ranks: Vec<(Option<usize>, Decimal)>,
        covers: &[Cover],
    ) -> Scored {
        let mut record = self.record(cells);
        let mut waived = Vec::new();
        let mut earned = vec![Decimal::ZERO; self.standard.rules.len()];
        for rule_id in &self.standard.evaluation_order {
            let rule = &self.standard.rules[rule_id.0];
            let applicable = match &rule.when {
                None => Ok(Val::Bool(true)),
                Some(when) => self.eval(when, &record),
            };
            let (outcome, points) = match applicable {
                Ok(Val::Bool(false)) => (Outcome::NotApplicable, Decimal::ZERO),
                Ok(Val::Bool(true)) => self.judge(rule, &record),
                _ => (Outcome::Missing, Decimal::ZERO),
            };
            // A bonus rule is never a failure: it earned nothing, or some
            // of its points (which is a pass).
            let (outcome, points) = match outcome {
                Outcome::Fail if rule.bonus && points == Decimal::ZERO => {
                    (Outcome::NotEarned, points)
                }
                Outcome::Fail if rule.bonus => (Outcome::Pass, points),
                Outcome::Fail => match covers.iter().find(|c| c.rule == *rule_id) {
                    Some(cover) => {
                        waived.push((*rule_id, cover.waiver));
                        match cover.scores_as {
                            WaivedScore::Pass => (Outcome::Pass, rule.points),
                            WaivedScore::NotApplicable => (Outcome::NotApplicable, Decimal::ZERO),
                        }
                    }
                    None => (outcome, points),
                },
                outcome => (outcome, points),
            };
            record.outcomes[rule_id.0] = outcome;
            earned[rule_id.0] = points;
        }
        let totals = self.totals(&record.outcomes, &earned, ranks);
        record.totals = Some(totals.clone());
        let grade = self.grade(&record);
        let with = |outcome: Outcome| {
            (0..record.outcomes.len())
                .filter(|&rule| record.outcomes[rule] == outcome)
                .map(RuleId)
                .collect()
        };
        let (failed, missing) = (with(Outcome::Fail), with(Outcome::Missing));
        Scored {
            outcomes: record.outcomes,
            earned,
            failed,
            missing,
            totals,
            grade,
            script_failures: Vec::new(),
            overflows: Vec::new(),
            waived: {
                waived.sort_unstable();
                waived
            },
        }
    }

    /// The outcome and points of a rule that applies (SPEC §3), before a
    /// bonus rule's failure is made `not earned`.
    fn judge(&self, rule: &model::Rule, record: &Record<'_>) -> (Outcome, Decimal) {
        let missing = (Outcome::Missing, Decimal::ZERO);
        let passed = match &rule.require {
            None => Ok(Val::Bool(true)),
            Some(require) => self.eval(require, record),
        };
        if let Some(credit) = &rule.credit {
            return match passed {
                Ok(Val::Bool(false)) => (Outcome::Fail, Decimal::ZERO),
                Ok(Val::Bool(true)) => {
                    let earned = match self.eval(credit, record) {
                        Ok(Val::Number(n)) => n,
                        Err(Absent::Blank) => Decimal::ZERO,
                        _ => return missing,
                    };
                    let earned = if earned < Decimal::ZERO {
                        Decimal::ZERO
                    } else if earned > rule.points {
                        rule.points
                    } else {
                        earned
                    };
                    if earned == rule.points {
                        (Outcome::Pass, earned)
                    } else {
                        (Outcome::Fail, earned)
                    }
                }
                _ => missing,
            };
        }
        let Some(deduct) = &rule.deduct else {
            return match passed {
                Ok(Val::Bool(true)) => (Outcome::Pass, rule.points),
                Ok(Val::Bool(false)) => (Outcome::Fail, Decimal::ZERO),
                _ => missing,
            };
        };
        let times = match self.eval(&deduct.per, record) {
            Ok(Val::Number(n)) => n,
            Err(Absent::Blank) => Decimal::ZERO,
            _ => return missing,
        };
        let Ok(Val::Bool(passed)) = passed else {
            return missing;
        };
        if passed && times == Decimal::ZERO {
            return (Outcome::Pass, rule.points);
        }
        if times <= Decimal::ZERO {
            return (Outcome::Fail, Decimal::ZERO);
        }
        // A product past the decimals' range is more than any points.
        let taken = match (deduct.amount.checked_mul(times), deduct.up_to) {
            (Some(product), Some(most)) if product > most => Some(most),
            (Some(product), _) => Some(product),
            (None, most) => most,
        };
        let left = taken
            .and_then(|taken| rule.points.checked_sub(taken))
            .unwrap_or(Decimal::ZERO);
        let left = if left < Decimal::ZERO {
            Decimal::ZERO
        } else if left > rule.points {
            rule.points
        } else {
            left
        };
        (Outcome::Fail, left)
    }

    fn totals(
        &self,
        outcomes: &[Outcome],
        earned: &[Decimal],
        ranks: Vec<(Option<usize>, Decimal)>,
    ) -> Totals {
        let hundred = Decimal::ONE_HUNDRED;
        let sections = &self.standard.sections;
        let mut section_earned = vec![Decimal::ZERO; sections.len()];
        let mut section_possible = vec![Decimal::ZERO; sections.len()];
        let mut totals = Totals {
            ranks,
            ..Totals::default()
        };
        for (index, rule) in self.standard.rules.iter().enumerate() {
            if rule.bonus {
                // Bonus points go to the score, never to earned or possible.
                totals.bonus += earned[index];
            } else {
                let possible = if outcomes[index] != Outcome::NotApplicable {
                    rule.points
                } else {
                    Decimal::ZERO
                };
                totals.earned += earned[index];
                totals.possible += possible;
                let mut section = rule.section;
                while let Some(s) = section {
                    section_earned[s.0] += earned[index];
                    section_possible[s.0] += possible;
                    section = sections[s.0].parent;
                }
            }
            if outcomes[index] == Outcome::Fail && rule.critical {
                totals.critical_failed = true;
            }
            if outcomes[index] == Outcome::Fail && rule.veto {
                totals.veto_failed = true;
            }
        }
        let ratio = |e: Decimal, p: Decimal| {
            if p > Decimal::ZERO {
                (hundred * e / p).min(hundred)
            } else {
                Decimal::ZERO
            }
        };
        totals.section_scores = (0..sections.len())
            .map(|s| ratio(section_earned[s], section_possible[s]))
            .collect();
        let base = if self.standard.is_weighted() {
            let mut sum = Decimal::ZERO;
            let mut weights = Decimal::ZERO;
            for (s, section) in sections.iter().enumerate() {
                if section.parent.is_none() && section_possible[s] > Decimal::ZERO {
                    let weight = section.weight.unwrap_or(Decimal::ZERO);
                    sum += weight * section_earned[s] / section_possible[s];
                    weights += weight;
                }
            }
            if weights > Decimal::ZERO {
                (hundred * sum / weights).min(hundred)
            } else {
                Decimal::ZERO
            }
        } else {
            ratio(totals.earned, totals.possible)
        };
        // Bonus points are score points on top of the base, up to the cap.
        totals.score = (base + totals.bonus).min(self.standard.cap);
        totals.rounded = crate::value::round(totals.score, 2);
        totals
    }

    fn grade(&self, record: &Record<'_>) -> Option<usize> {
        let bands = &self.standard.grades;
        if bands.is_empty() {
            return None;
        }
        if record.totals.as_ref().is_some_and(|t| t.veto_failed) {
            return Some(bands.len() - 1);
        }
        for (index, band) in bands.iter().enumerate() {
            match &band.condition {
                None => return Some(index),
                Some(condition) => {
                    if self.eval(condition, record) == Ok(Val::Bool(true)) {
                        return Some(index);
                    }
                }
            }
        }
        None
    }

    /// Evaluates an expression for a record.
    pub fn eval(&self, e: &Expr, record: &Record<'_>) -> Eval {
        let missing = Err(Absent::Missing);
        match &e.kind {
            ExprKind::Const(value) => Ok(match value {
                model::Value::Bool(b) => Val::Bool(*b),
                model::Value::Number(n) => Val::Number(*n),
                model::Value::Text(t) => Val::Text(t.clone()),
                model::Value::Date(d) => Val::Date(*d),
            }),
            ExprKind::Field(field) => match record.cells.get(field.0) {
                Some(Cell::Value(value)) => Ok(self.val(value, field.0)),
                Some(Cell::Blank) => Err(Absent::Blank),
                _ => missing,
            },
            ExprKind::Let(id) => record.lets.get(id.0).cloned().unwrap_or(missing),
            ExprKind::Not(x) => match self.eval(x, record) {
                Ok(Val::Bool(b)) => Ok(Val::Bool(!b)),
                _ => missing,
            },
            ExprKind::Neg(x) => match self.eval(x, record) {
                Ok(Val::Number(n)) => Ok(Val::Number(-n)),
                _ => missing,
            },
            ExprKind::Binary(BinaryOp::And, a, b) => {
                let (a, b) = (self.eval(a, record), self.eval(b, record));
                if a == Ok(Val::Bool(false)) || b == Ok(Val::Bool(false)) {
                    Ok(Val::Bool(false))
                } else if a == Ok(Val::Bool(true)) && b == Ok(Val::Bool(true)) {
                    Ok(Val::Bool(true))
                } else {
                    missing
                }
            }
            ExprKind::Binary(BinaryOp::Or, a, b) => {
                let (a, b) = (self.eval(a, record), self.eval(b, record));
                if a == Ok(Val::Bool(true)) || b == Ok(Val::Bool(true)) {
                    Ok(Val::Bool(true))
                } else if a == Ok(Val::Bool(false)) && b == Ok(Val::Bool(false)) {
                    Ok(Val::Bool(false))
                } else {
                    missing
                }
            }
            ExprKind::Binary(op, a, b) => {
                let (Ok(a), Ok(b)) = (self.eval(a, record), self.eval(b, record)) else {
                    return missing;
                };
                let Some(arith) = op.arith() else {
                    return Ok(Val::Bool(match op {
                        BinaryOp::Eq => a == b,
                        BinaryOp::Ne => a != b,
                        BinaryOp::Lt => a < b,
                        BinaryOp::Le => a <= b,
                        BinaryOp::Gt => a > b,
                        BinaryOp::Ge => a >= b,
                        BinaryOp::And
                        | BinaryOp::Or
                        | BinaryOp::Add
                        | BinaryOp::Sub
                        | BinaryOp::Mul
                        | BinaryOp::Div => {
                            unreachable!("`and` and `or` are matched above, arithmetic has `arith`")
                        }
                    }));
                };
                let (Val::Number(a), Val::Number(b)) = (a, b) else {
                    return missing;
                };
                let result = match arith {
                    ArithOp::Add => a.checked_add(b),
                    ArithOp::Sub => a.checked_sub(b),
                    ArithOp::Mul => a.checked_mul(b),
                    ArithOp::Div => a.checked_div(b),
                };
                result.map(Val::Number).ok_or(Absent::Missing)
            }
            ExprKind::In {
                negated,
                value,
                list,
            } => {
                let Ok(value) = self.eval(value, record) else {
                    return missing;
                };
                let items: Vec<Eval> = list.iter().map(|item| self.eval(item, record)).collect();
                if items.contains(&Ok(value)) {
                    Ok(Val::Bool(!negated))
                } else if items.iter().any(Result::is_err) {
                    missing
                } else {
                    Ok(Val::Bool(*negated))
                }
            }
            ExprKind::Between(x, low, high) => {
                match (
                    self.eval(x, record),
                    self.eval(low, record),
                    self.eval(high, record),
                ) {
                    (Ok(x), Ok(low), Ok(high)) => Ok(Val::Bool(low <= x && x <= high)),
                    _ => missing,
                }
            }
            ExprKind::No(x) => match self.eval(x, record) {
                Ok(Val::Number(n)) => Ok(Val::Bool(n == Decimal::ZERO)),
                Ok(Val::Bool(b)) => Ok(Val::Bool(!b)),
                Err(Absent::Blank) => Ok(Val::Bool(true)),
                _ => missing,
            },
            ExprKind::Call(builtin, args) => self.call(*builtin, args, record),
            ExprKind::Script(function, args) => self.script(function, args, record),
            ExprKind::RuleState(query, rule) => {
                let outcome = record.outcomes[rule.0];
                Ok(Val::Bool(match query {
                    RuleQuery::Passed => outcome == Outcome::Pass,
                    RuleQuery::Failed => outcome == Outcome::Fail,
                    RuleQuery::Applicable => outcome != Outcome::NotApplicable,
                }))
            }
            ExprKind::Score => self.total(record, |t| t.score),
            ExprKind::Earned => self.total(record, |t| t.earned),
            ExprKind::Possible => self.total(record, |t| t.possible),
            ExprKind::SectionScore(s) => self.total(record, |t| t.section_scores[s.0]),
            ExprKind::Rank(group) => {
                let group = group.map(|g| g.0);
                match record
                    .totals
                    .as_ref()
                    .and_then(|t| t.ranks.iter().find(|(g, _)| *g == group))
                {
                    Some((_, rank)) => Ok(Val::Number(*rank)),
                    None => missing,
                }
            }
            ExprKind::NoCriticalFailed => match &record.totals {
                Some(t) => Ok(Val::Bool(!t.critical_failed)),
                None => missing,
            },
            ExprKind::AnyVetoFailed => match &record.totals {
                Some(t) => Ok(Val::Bool(t.veto_failed)),
                None => missing,
            },
            // Only a roll-up's grades read `top`; a record has no quota.
            ExprKind::Top(_) => missing,
        }
    }

    fn total(&self, record: &Record<'_>, pick: impl Fn(&Totals) -> Decimal) -> Eval {
        record
            .totals
            .as_ref()
            .map(|t| Val::Number(pick(t)))
            .ok_or(Absent::Missing)
    }

    fn call(&self, builtin: Builtin, args: &[Expr], record: &Record<'_>) -> Eval {
        let mut values = Vec::new();
        for arg in args {
            match self.eval(arg, record) {
                Ok(value) => values.push(value),
                Err(_) => return Err(Absent::Missing),
            }
        }
        let number = |v: &Val| match v {
            Val::Number(n) => Some(*n),
            _ => None,
        };
        let text = |v: &Val| match v {
            Val::Text(t) => Some(t.clone()),
            _ => None,
        };
        let date = |v: &Val| match v {
            Val::Date(d) => Some(*d),
            _ => None,
        };
        let result = match builtin {
            Builtin::Min => values
                .iter()
                .map(number)
                .collect::<Option<Vec<_>>>()
                .and_then(|n| n.into_iter().min())
                .map(Val::Number),
            Builtin::Max => values
                .iter()
                .map(number)
                .collect::<Option<Vec<_>>>()
                .and_then(|n| n.into_iter().max())
                .map(Val::Number),
            Builtin::Abs => number(&values[0]).map(|n| Val::Number(n.abs())),
            Builtin::Round => {
                let digits = number(&values[1])
                    .and_then(|d| rust_decimal::prelude::ToPrimitive::to_u32(&d.trunc()));
                match (number(&values[0]), digits) {
                    (Some(n), Some(digits)) => {
                        Some(Val::Number(crate::value::round(n, digits.min(28))))
                    }
                    _ => None,
                }
            }
            Builtin::Len => text(&values[0]).map(|t| Val::Number(Decimal::from(t.chars().count()))),
            Builtin::Lower => text(&values[0]).map(|t| Val::Text(t.to_lowercase())),
            Builtin::Upper => text(&values[0]).map(|t| Val::Text(t.to_uppercase())),
            Builtin::Contains => match (text(&values[0]), text(&values[1])) {
                (Some(a), Some(b)) => Some(Val::Bool(a.contains(&b))),
                _ => None,
            },
            Builtin::StartsWith => match (text(&values[0]), text(&values[1])) {
                (Some(a), Some(b)) => Some(Val::Bool(a.starts_with(&b))),
                _ => None,
            },
            Builtin::Year => date(&values[0]).map(|d| Val::Number(Decimal::from(d.year()))),
            Builtin::Month => date(&values[0]).map(|d| Val::Number(Decimal::from(d.month()))),
        };
        result.ok_or(Absent::Missing)
    }

    /// A cell's value as a reference value; choices become their text.
    fn val(&self, value: &Value, field: usize) -> Val {
        match value {
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Number(*n),
            Value::Text(t) => Val::Text(t.clone()),
            Value::Date(d) => Val::Date(*d),
            Value::Choice(index) => {
                let choices = match &self.standard.fields[field].ty {
                    FieldType::OneOf(choices) => Some(choices),
                    _ => None,
                };
                Val::Text(
                    choices
                        .and_then(|c| c.get(usize::from(*index)))
                        .cloned()
                        .unwrap_or_default(),
                )
            }
        }
    }

    /// The parts of a condition that did not hold for a record: for `a and b`
    /// the operands that did not hold, for `a or b` both; any other
    /// condition is a part of its own.
    pub fn failed_parts<'e>(&self, condition: &'e Expr, record: &Record<'_>) -> Vec<&'e Expr> {
        match &condition.kind {
            ExprKind::Binary(BinaryOp::And, a, b) => {
                let mut parts = Vec::new();
                for side in [a, b] {
                    if self.eval(side, record) != Ok(Val::Bool(true)) {
                        parts.extend(self.failed_parts(side, record));
                    }
                }
                parts
            }
            ExprKind::Binary(BinaryOp::Or, a, b) => {
                let mut parts = self.failed_parts(a, record);
                parts.extend(self.failed_parts(b, record));
                parts
            }
            _ => vec![condition],
        }
    }
}
