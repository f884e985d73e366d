//! A standard's own tests (SPEC §6): each `example` gives a partial record
//! (every field it does not give is blank) and states what the standard
//! should make of it. Examples are scored by the compiled program, exactly
//! as `eval` scores records, and every expectation that does not hold is a
//! diagnostic at its `expect` line.
//!
//! `expect score N` and `expect section_score(ID) N` compare the score as
//! `eval` writes it: rounded half away from zero to two decimals; `expect
//! points ID N` compares the points the rule earned exactly. Grade bands
//! that read `rank` see an example as a batch of one (rank 1).
//!
//! An example of a roll-up (`example "..." rollup NAME`, SPEC §8) is checked
//! by `check` but not run here yet: it is listed as not run, never scored
//! as the blank record its `given` blocks are not.

use rust_decimal::Decimal;

use crate::check::model::{self, Example, ExpectationKind, FieldType};
use crate::eval::compile::Program;
use crate::eval::engine::{Scored, Scorer};
use crate::report::values::score;
use crate::syntax::ast::Outcome;
use crate::value::{Cell, Value, round};

/// An expectation that did not hold.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("example `{example}`: expected {expected}, but {actual}")]
#[diagnostic(code(yardstick::example_failed))]
pub struct Failed {
    /// The example's name.
    pub example: String,
    /// What was expected, e.g. `fail D1`.
    pub expected: String,
    /// What happened, e.g. `D1 passed`.
    pub actual: String,
    /// The `expect` line.
    #[label("{actual}")]
    pub span: miette::SourceSpan,
    /// What the unit came to, for context.
    #[help]
    pub help: String,
}

/// The result of one example.
#[derive(Debug)]
pub struct Ran {
    /// The example's name.
    pub name: String,
    /// The expectations that did not hold; none when it passed.
    pub failures: Vec<Failed>,
    /// Why the example was not run, when it was not.
    pub not_run: Option<&'static str>,
}

/// Why a roll-up's example is not run.
const ROLLUP_NOT_RUN: &str = "roll-up examples are not run yet";

/// Runs every example of a compiled standard, in order.
pub fn run(program: &Program) -> Vec<Ran> {
    let mut scorer = Scorer::new(program);
    program
        .standard
        .examples
        .iter()
        .map(|example| {
            if example.rollup.is_some() {
                return Ran {
                    name: example.name.clone(),
                    failures: Vec::new(),
                    not_run: Some(ROLLUP_NOT_RUN),
                };
            }
            let scored = scored(program, &mut scorer, example);
            Ran {
                name: example.name.clone(),
                failures: check(program, example, &scored),
                not_run: None,
            }
        })
        .collect()
}

/// The example's record, scored and graded.
fn scored(program: &Program, scorer: &mut Scorer<'_>, example: &Example) -> Scored {
    let standard = &program.standard;
    let mut cells = vec![Cell::Blank; standard.fields.len()];
    for (field, value) in &example.given {
        let ty = &standard.fields[field.0].ty;
        cells[field.0] = Cell::Value(cell_value(ty, value));
    }
    let mut scored = Scored::default();
    scorer.score(&cells, &[], &mut scored);
    if !program.rank_groups.is_empty() {
        scored.totals.ranks = program
            .rank_groups
            .iter()
            .map(|&group| (group, Decimal::ONE))
            .collect();
        scored.grade = scorer.grade(&cells, &scored);
    }
    scored
}

/// A given literal as the value a data cell of the field would hold.
fn cell_value(ty: &FieldType, value: &model::Value) -> Value {
    match (ty, value) {
        (FieldType::OneOf(choices), model::Value::Text(text)) => {
            let index = choices.iter().position(|c| c == text).unwrap_or_default();
            Value::Choice(u16::try_from(index).unwrap_or(u16::MAX))
        }
        (_, model::Value::Bool(b)) => Value::Bool(*b),
        (_, model::Value::Number(n)) => Value::Number(*n),
        (_, model::Value::Text(t)) => Value::Text(t.clone()),
        (_, model::Value::Date(d)) => Value::Date(*d),
    }
}

/// The expectations of an example that the scored record does not meet.
fn check(program: &Program, example: &Example, scored: &Scored) -> Vec<Failed> {
    let standard = &program.standard;
    let grade = scored
        .grade
        .and_then(|g| standard.grades.get(g))
        .map(|band| band.name.as_str());
    let summary = format!(
        "the example scored {}{}",
        score(scored.totals.score),
        grade.map(|g| format!(", grade {g}")).unwrap_or_default()
    );
    let mut failures = Vec::new();
    for expectation in &example.expectations {
        let (expected, actual) = match &expectation.kind {
            ExpectationKind::Outcome(outcome, rule) => {
                let got = scored.outcomes[rule.0];
                if got == *outcome {
                    continue;
                }
                let id = &standard.rules[rule.0].id;
                (
                    format!("`{} {id}`", outcome.as_str()),
                    format!("{id} {}", happened(got)),
                )
            }
            ExpectationKind::Score(expected) => {
                let actual = round(scored.totals.score, 2);
                if actual == *expected {
                    continue;
                }
                (
                    format!("`score {}`", expected.normalize()),
                    format!("the score is {}", score(scored.totals.score)),
                )
            }
            ExpectationKind::SectionScore(section, expected) => {
                let got = scored.totals.section_scores.get(section.0).copied();
                let id = &standard.sections[section.0].id;
                if got.is_some_and(|got| round(got, 2) == *expected) {
                    continue;
                }
                (
                    format!("`section_score({id}) {}`", expected.normalize()),
                    match got {
                        Some(got) => format!("section {id} scored {}", score(got)),
                        None => format!("section {id} has no score"),
                    },
                )
            }
            ExpectationKind::Points(rule, expected) => {
                let got = scored.earned[rule.0];
                if got == *expected {
                    continue;
                }
                let id = &standard.rules[rule.0].id;
                (
                    format!("`points {id} {}`", expected.normalize()),
                    format!("{id} earned {} points", got.normalize()),
                )
            }
            ExpectationKind::Grade(name) => {
                if grade == Some(name.as_str()) {
                    continue;
                }
                (
                    format!("`grade \"{name}\"`"),
                    match grade {
                        Some(g) => format!("the grade is {g}"),
                        None => "no grade band holds".to_owned(),
                    },
                )
            }
        };
        failures.push(Failed {
            example: example.name.clone(),
            expected,
            actual,
            span: expectation.span.into(),
            help: summary.clone(),
        });
    }
    failures
}

/// What an outcome says about a rule, as a verb.
fn happened(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "passed",
        Outcome::Fail => "failed",
        Outcome::NotApplicable => "does not apply (n/a)",
        Outcome::Missing => "is missing a value",
        Outcome::NotEarned => "earned nothing (not earned)",
    }
}
