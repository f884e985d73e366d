//! `--explain UNIT`: for each rule a unit failed, a diagnostic that points at
//! the rule's `require` in the standard and labels what the data said. When
//! `require` is compound (`a and b`), each part that did not hold is labelled
//! on its own, with the values it read.

use miette::{Diagnostic, LabeledSpan};

use super::values::{cell_text, score};
use crate::check::model::{Expr, ExprKind};
use crate::data::Location;
use crate::eval::compile::Program;
use crate::eval::engine::Scored;
use crate::eval::reference::{Reference, Val};
use crate::eval::value::Cell;
use crate::syntax::ast::Outcome;

/// A record kept to be explained.
#[derive(Clone, Debug)]
pub struct Kept {
    /// The edition that scored it (an index into the catalog's programs).
    pub edition: usize,
    /// Where it came from.
    pub at: Location,
    /// The unit's key.
    pub key: String,
    /// Its cells.
    pub cells: Vec<Cell>,
    /// What it came to.
    pub scored: Scored,
}

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

/// One explanation per rule the unit failed, in source order. With
/// `name_edition`, each says which edition scored the unit.
pub fn explain(program: &Program, kept: &Kept, name_edition: bool) -> Vec<Explanation> {
    let standard = &program.standard;
    let reference = Reference::with_scripts(standard, program.scripts.as_deref());
    let record = reference.record_with_outcomes(&kept.cells, &kept.scored.outcomes);
    let mut explanations = Vec::new();
    for (index, rule) in standard.rules.iter().enumerate() {
        if kept.scored.outcomes[index] != Outcome::Fail {
            continue;
        }
        let mut labels = Vec::new();
        for part in reference.failed_parts(&rule.require, &record) {
            labels.extend(part_labels(program, &reference, &record, part, &kept.cells));
        }
        if let Some(deduct) = &rule.deduct {
            for mut label in part_labels(program, &reference, &record, &deduct.per, &kept.cells) {
                let text = format!(
                    "{} ({} off each)",
                    label.label().unwrap_or_default(),
                    deduct.amount.normalize()
                );
                label.set_label(Some(text));
                labels.push(label);
            }
        }
        let earned = kept.scored.earned[index];
        let message = format!(
            "{} failed {} 「{}」 ({} of {} points)",
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

/// Labels for one part of a condition: each field or `let` it reads, with its
/// value; the whole part when it reads none.
fn part_labels(
    program: &Program,
    reference: &Reference<'_>,
    record: &crate::eval::reference::Record<'_>,
    part: &Expr,
    cells: &[Cell],
) -> Vec<LabeledSpan> {
    let standard = &program.standard;
    let mut labels: Vec<LabeledSpan> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    part.visit(&mut |e| {
        let text = match e.kind {
            ExprKind::Field(f) => {
                let name = &standard.fields[f.0].name;
                let cell = cells.get(f.0).unwrap_or(&Cell::Missing);
                Some((
                    name.clone(),
                    format!("{name} = {}", cell_text(program, f.0, cell)),
                ))
            }
            ExprKind::Let(l) => {
                let name = &standard.lets[l.0].name;
                let value = match reference.eval(e, record) {
                    Ok(Val::Bool(b)) => b.to_string(),
                    Ok(Val::Number(n)) => n.normalize().to_string(),
                    Ok(Val::Text(t)) => t,
                    Ok(Val::Date(d)) => d.to_string(),
                    Err(_) => "(missing)".to_owned(),
                };
                Some((name.clone(), format!("{name} = {value}")))
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
