//! `--explain UNIT`: for each rule a unit failed or could not be scored on
//! (`missing`), a diagnostic that points at the rule in the standard and
//! labels what the data said. When `require` is compound (`a and b`), each
//! part that did not hold is labelled on its own, with the values it read;
//! a script function's result is shown as a value; a deduction shows its
//! arithmetic and its cap; variable points show what they came to; a rule
//! `missing` a value points at the values that were blank or unreadable.

use miette::{Diagnostic, LabeledSpan};

use rust_decimal::Decimal;

use super::values::{cell_text, score};
use crate::check::model::{Deduct, Expr, ExprKind, Rule};
use crate::eval::compile::Program;
use crate::eval::reference::{Record, Reference, Val};
use crate::eval::value::Cell;
use crate::results::Kept;
use crate::syntax::ast::Outcome;

/// Why a unit failed a rule, pointing into the standard.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Explanation {
    message: String,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl Diagnostic for Explanation {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Error)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// One explanation per rule the unit failed or is missing a value for, in
/// source order. With `name_edition`, each says which edition scored the
/// unit.
pub fn explain(program: &Program, kept: &Kept, name_edition: bool) -> Vec<Explanation> {
    let standard = &program.standard;
    let reference = Reference::with_scripts(standard, program.scripts.as_deref());
    let record = reference.record_with_outcomes(&kept.cells, &kept.scored.outcomes);
    let reading = Reading {
        program,
        reference: &reference,
        record: &record,
        cells: &kept.cells,
    };
    let mut explanations = Vec::new();
    for (index, rule) in standard.rules.iter().enumerate() {
        let outcome = kept.scored.outcomes[index];
        let (labels, verb) = match outcome {
            Outcome::Fail => (reading.failed(rule, kept.scored.earned[index]), "failed"),
            Outcome::Missing => (reading.missing(rule), "is missing a value for"),
            _ => continue,
        };
        let earned = kept.scored.earned[index];
        let message = format!(
            "{} {verb} {} 「{}」 ({} of {} points)",
            kept.key,
            rule.id,
            rule.title,
            earned.normalize(),
            rule.points.normalize()
        );
        let mut help = Vec::new();
        if let Some(remedy) = &rule.remedy {
            help.push(remedy.clone());
        }
        let mut facts = Vec::new();
        if let Some(reference) = &rule.reference {
            facts.push(format!("ref {reference}"));
        }
        if let Some(owner) = &rule.owner {
            facts.push(format!("owner {owner}"));
        }
        facts.push(format!("data {}", kept.at));
        if name_edition {
            facts.push(format!("edition {}", standard.version));
        }
        help.push(facts.join(" · "));
        explanations.push(Explanation {
            message,
            labels,
            help: Some(help.join("\n")),
        });
    }
    explanations
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
    fn failed(&self, rule: &Rule, earned: Decimal) -> Vec<LabeledSpan> {
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
            labels.push(LabeledSpan::new_with_span(
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
                let text = format!("{} ({arithmetic})", label.label().unwrap_or_default());
                label.set_label(Some(text));
                labels.push(label);
            }
        }
        labels
    }

    /// The labels of a rule `missing` a value: each value it reads that is
    /// blank, unreadable or could not be computed.
    fn missing(&self, rule: &Rule) -> Vec<LabeledSpan> {
        let standard = &self.program.standard;
        let mut labels = Vec::new();
        let mut seen: Vec<String> = Vec::new();
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
                if let Some((name, text)) = text
                    && !seen.contains(&name)
                {
                    seen.push(name);
                    labels.push(LabeledSpan::new_with_span(Some(text), e.span));
                }
            });
        }
        if labels.is_empty() {
            // Every value was there: an operation on them gave none.
            let span = rule.require.as_ref().map_or(rule.id_span, |r| r.span);
            labels.push(LabeledSpan::new_with_span(
                Some("no value: a division by zero, or a number past 28 digits".to_owned()),
                span,
            ));
        }
        labels
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
    fn part_labels(&self, part: &Expr) -> Vec<LabeledSpan> {
        let standard = &self.program.standard;
        let mut labels: Vec<LabeledSpan> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        // A script call's label shows its arguments' values: what it reads
        // is not labelled again inside it (overlapping labels read badly).
        let mut calls: Vec<crate::syntax::span::Span> = Vec::new();
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
            if let Some((name, text)) = text
                && !seen.contains(&name)
            {
                seen.push(name);
                labels.push(LabeledSpan::new_with_span(Some(text), e.span));
            }
        });
        if labels.is_empty() {
            labels.push(LabeledSpan::new_with_span(
                Some("does not hold".to_owned()),
                part.span,
            ));
        }
        labels
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

/// A one-line account of a unit with no failed rule, for `--explain`.
pub fn passed_line(program: &Program, kept: &Kept) -> String {
    let grade = kept
        .scored
        .grade
        .and_then(|g| program.standard.grades.get(g))
        .map_or(String::new(), |band| format!(", grade {}", band.name));
    let waived: Vec<&str> = kept
        .scored
        .waived
        .iter()
        .filter_map(|&(rule, _)| Some(program.standard.rules.get(rule)?.id.as_str()))
        .collect();
    let waived = if waived.is_empty() {
        String::new()
    } else {
        format!("; waived: {}", waived.join(" "))
    };
    format!(
        "{} failed no rule (score {}{grade}{waived})\n",
        kept.key,
        score(kept.scored.totals.score)
    )
}
