//! `--explain UNIT`: for each rule a unit failed or could not be scored on
//! (`missing`), a diagnostic that points at the rule in the standard and
//! labels what the data said. The labels (the parts of a compound `require`
//! that did not hold, the values read, a deduction's arithmetic) are
//! computed by `results::explain`; this presents them as miette reports.

use miette::{Diagnostic, LabeledSpan};

use super::values::score;
use crate::eval::compile::Program;
use crate::results::Kept;
use crate::results::explain::Reason;
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

/// One explanation per reason of `reasons` (computed by
/// `results::explain::reasons`), in source order. With `name_edition`,
/// each says which edition scored the unit.
pub fn explain(
    program: &Program,
    kept: &Kept,
    reasons: Vec<Reason>,
    name_edition: bool,
) -> Vec<Explanation> {
    let standard = &program.standard;
    let mut explanations = Vec::new();
    for reason in reasons {
        let Some(rule) = standard.rules.get(reason.rule.0) else {
            continue;
        };
        let verb = match reason.outcome {
            Outcome::Missing => "is missing a value for",
            _ => "failed",
        };
        let earned = kept.scored.earned[reason.rule.0];
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
        let labels = reason
            .labels
            .into_iter()
            .map(|label| LabeledSpan::new_with_span(Some(label.text), label.span))
            .collect();
        explanations.push(Explanation {
            message,
            labels,
            help: Some(help.join("\n")),
        });
    }
    explanations
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
        .filter_map(|&(rule, _)| Some(program.standard.rules.get(rule.0)?.id.as_str()))
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
