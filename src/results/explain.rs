//! Why a unit kept for `--explain` failed its rules: for each rule it failed
//! or could not be scored on (`missing`), labels on the standard's text
//! that say what the data said. When `require` is compound (`a and b`),
//! each part that did not hold is labelled on its own, with the values it
//! read; a script function's result is shown as a value; a deduction shows
//! its arithmetic and its cap; variable points show what they came to; a
//! rule `missing` a value points at the values that were blank or
//! unreadable. The values are computed here by the naive reference
//! evaluator; `report::explain` only presents them.

use rust_decimal::Decimal;

use super::Kept;
use super::text::cell_text;
use crate::check::model::{Deduct, Expr, ExprKind, Rule, RuleId};
use crate::eval::compile::Program;
use crate::eval::reference::{Record, Reference, Val};
use crate::syntax::ast::Outcome;
use crate::syntax::span::Span;
use crate::value::Cell;

/// A text on a span of the standard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// What it says.
    pub text: String,
    /// Where in the standard.
    pub span: Span,
}

impl Label {
    fn new(text: Option<String>, span: Span) -> Label {
        Label {
            text: text.unwrap_or_default(),
            span,
        }
    }
}

/// Why a unit failed a rule (or is missing a value for it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// The rule, in the unit's edition.
    pub rule: RuleId,
    /// Its outcome: `fail` or `missing`.
    pub outcome: Outcome,
    /// The labels on the standard's text.
    pub labels: Vec<Label>,
}

/// One reason per rule the unit failed or is missing a value for, in
/// source order; none when it failed no rule.
pub fn reasons(program: &Program, kept: &Kept) -> Vec<Reason> {
    let standard = &program.standard;
    let reference = Reference::with_scripts(standard, program.scripts.as_deref());
    let record = reference.record_with_outcomes(&kept.cells, &kept.scored.outcomes);
    let reading = Reading {
        program,
        reference: &reference,
        record: &record,
        cells: &kept.cells,
    };
    let mut reasons = Vec::new();
    for (index, rule) in standard.rules.iter().enumerate() {
        let outcome = kept.scored.outcomes[index];
        let labels = match outcome {
            Outcome::Fail => reading.failed(rule, kept.scored.earned[index]),
            Outcome::Missing => reading.missing(rule),
            _ => continue,
        };
        reasons.push(Reason {
            rule: RuleId(index),
            outcome,
            labels,
        });
    }
    reasons
}

/// What explaining one unit reads: its record, and the naive evaluator
/// that computes the values shown.
struct Reading<'a> {
    program: &'a Program,
    reference: &'a Reference<'a>,
    record: &'a Record<'a>,
    cells: &'a [Cell],
}

impl Reading<'_> {
    /// The labels of a failed rule: the parts of `require` that did not
    /// hold, else what the variable points came to; the deduction's
    /// arithmetic.
    fn failed(&self, rule: &Rule, earned: Decimal) -> Vec<Label> {
        let mut labels = Vec::new();
        let held = rule
            .require
            .as_ref()
            .is_none_or(|r| self.reference.eval(r, self.record) == Ok(Val::Bool(true)));
        if let (Some(require), false) = (&rule.require, held) {
            for part in self.reference.failed_parts(require, self.record) {
                labels.extend(self.part_labels(part));
            }
        }
        if let (Some(credit), true) = (&rule.credit, held) {
            let value = self.value(credit);
            labels.extend(self.part_labels(credit));
            labels.push(Label::new(
                Some(format!(
                    "comes to {value}: {} of at most {} points",
                    earned.normalize(),
                    rule.points.normalize()
                )),
                credit.span,
            ));
        }
        if let Some(deduct) = &rule.deduct {
            let arithmetic = match self.reference.eval(&deduct.per, self.record) {
                Ok(Val::Number(times)) => deduction_text(deduct, times),
                _ => format!("{} off each", deduct.amount.normalize()),
            };
            for mut label in self.part_labels(&deduct.per) {
                label.text = format!("{} ({arithmetic})", label.text);
                labels.push(label);
            }
        }
        labels
    }

    /// The labels of a rule `missing` a value: each value it reads that is
    /// blank, unreadable or could not be computed.
    fn missing(&self, rule: &Rule) -> Vec<Label> {
        let standard = &self.program.standard;
        let mut labels = Once::default();
        for expression in rule.expressions() {
            expression.visit(&mut |e| {
                let text = match &e.kind {
                    ExprKind::Field(f) => {
                        let name = &standard.fields[f.0].name;
                        match self.cells.get(f.0).unwrap_or(&Cell::Missing) {
                            Cell::Missing => Some((
                                name.clone(),
                                format!("{name}: the cell could not be read (a data error)"),
                            )),
                            Cell::Blank => Some((name.clone(), format!("{name} is blank"))),
                            Cell::Value(_) => None,
                        }
                    }
                    ExprKind::Let(l) => {
                        let name = &standard.lets[l.0].name;
                        self.reference
                            .eval(e, self.record)
                            .is_err()
                            .then(|| (name.clone(), format!("{name} has no value")))
                    }
                    ExprKind::Script(name, _) => {
                        self.reference.eval(e, self.record).is_err().then(|| {
                            (
                                format!("{name}()"),
                                format!("{name}(…) gave no value (see the script error)"),
                            )
                        })
                    }
                    _ => None,
                };
                labels.add(text, e.span);
            });
        }
        // Every value was there when none is labelled: an operation on them gave none.
        let span = rule.require.as_ref().map_or(rule.id_span, |r| r.span);
        labels.or(
            "no value: a division by zero, or a number past 28 digits",
            span,
        )
    }

    /// An expression's value as text, `(missing)` when it has none.
    fn value(&self, e: &Expr) -> String {
        match self.reference.eval(e, self.record) {
            Ok(Val::Bool(b)) => b.to_string(),
            Ok(Val::Number(n)) => n.normalize().to_string(),
            Ok(Val::Text(t)) => t,
            Ok(Val::Date(d)) => d.to_string(),
            Err(_) => "(missing)".to_owned(),
        }
    }

    /// Labels for one part of a condition: each field, `let` and script
    /// call it reads, with its value; the whole part when it reads none.
    fn part_labels(&self, part: &Expr) -> Vec<Label> {
        let standard = &self.program.standard;
        let mut labels = Once::default();
        // A script call's label shows its arguments' values: what it reads
        // is not labelled again inside it (overlapping labels read badly).
        let mut calls: Vec<Span> = Vec::new();
        part.visit(&mut |e| {
            if calls
                .iter()
                .any(|call| call.start <= e.span.start && e.span.end <= call.end)
            {
                return;
            }
            let text = match &e.kind {
                ExprKind::Field(f) => {
                    let name = &standard.fields[f.0].name;
                    let cell = self.cells.get(f.0).unwrap_or(&Cell::Missing);
                    Some((
                        name.clone(),
                        format!("{name} = {}", cell_text(self.program, f.0, cell)),
                    ))
                }
                ExprKind::Let(l) => {
                    let name = &standard.lets[l.0].name;
                    Some((name.clone(), format!("{name} = {}", self.value(e))))
                }
                ExprKind::Script(name, args) => {
                    calls.push(e.span);
                    let args: Vec<String> = args.iter().map(|a| self.value(a)).collect();
                    Some((
                        format!("{name}@{}", e.span.start),
                        format!("{name}({}) = {}", args.join(", "), self.value(e)),
                    ))
                }
                _ => None,
            };
            labels.add(text, e.span);
        });
        labels.or("does not hold", part.span)
    }
}

/// Labels, one for each name (a field, `let` or script call read twice is
/// labelled where it is first read).
#[derive(Default)]
struct Once {
    labels: Vec<Label>,
    seen: Vec<String>,
}

impl Once {
    /// Labels `span` with `text`, unless `name` already has its label.
    fn add(&mut self, entry: Option<(String, String)>, span: Span) {
        if let Some((name, text)) = entry
            && !self.seen.contains(&name)
        {
            self.seen.push(name);
            self.labels.push(Label::new(Some(text), span));
        }
    }

    /// The labels, or `fallback` at `span` when there is none.
    fn or(mut self, fallback: &str, span: Span) -> Vec<Label> {
        if self.labels.is_empty() {
            self.labels
                .push(Label::new(Some(fallback.to_owned()), span));
        }
        self.labels
    }
}

/// A deduction's arithmetic: `1 off each: 5 in all, at most 3`.
fn deduction_text(deduct: &Deduct, times: Decimal) -> String {
    let amount = deduct.amount.normalize();
    let product = deduct.amount.checked_mul(times).map_or_else(
        || "more than can be written".to_owned(),
        |p| p.normalize().to_string(),
    );
    match deduct.up_to {
        Some(most) => format!(
            "{amount} off each: {product} in all, at most {}",
            most.normalize()
        ),
        None => format!("{amount} off each: {product} in all"),
    }
}
