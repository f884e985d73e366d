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

use rust_decimal::Decimal;

use crate::check::model::{self, Example, ExpectationKind, FieldType};
use crate::editions::Timeline;
use crate::eval::compile::Program;
use crate::eval::engine::{Scored, Scorer};
use crate::report::values::score;
use crate::rollup::record::{Collect, Scoring};
use crate::rollup::{Plan, Roller};
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
}

/// The editions a standard's roll-up examples may be scored by: every
/// edition of its directory, earliest first, and when each is in force.
pub struct Editions<'a> {
    programs: Vec<&'a Program>,
    timeline: Timeline,
}

impl<'a> Editions<'a> {
    /// These editions, earliest first.
    pub fn new(programs: Vec<&'a Program>) -> Editions<'a> {
        let standards: Vec<&model::Standard> = programs.iter().map(|p| &*p.standard).collect();
        let timeline = Timeline::new(&standards);
        Editions { programs, timeline }
    }
}

/// Runs every example of a compiled standard, in order. A roll-up
/// example's inspections are each scored by the edition of `editions` in
/// force on its date (as `yardstick rollup` scores a directory), else by
/// `program`.
pub fn run(program: &Program, editions: &Editions<'_>) -> Vec<Ran> {
    let mut scorer = Scorer::new(program);
    program
        .standard
        .examples
        .iter()
        .map(|example| {
            let failures = match example.rollup {
                Some(rollup) => rolled_up(program, editions, example, rollup),
                None => {
                    let cells = cells(program, &example.given);
                    let scored = scored(program, &mut scorer, &cells);
                    check(program, example, &scored)
                }
            };
            Ran {
                name: example.name.clone(),
                failures,
            }
        })
        .collect()
}

/// A record of `program` with the values given in `standard`'s fields,
/// matched by name (an edition may number its fields otherwise); every
/// other field blank.
fn cells_by_name(
    program: &Program,
    standard: &model::Standard,
    given: &[(model::FieldId, model::Value)],
) -> Vec<Cell> {
    let theirs = &program.standard;
    let mut cells = vec![Cell::Blank; theirs.fields.len()];
    for (field, value) in given {
        let name = &standard.fields[field.0].name;
        if let Some(at) = theirs.fields.iter().position(|f| f.name == *name) {
            cells[at] = Cell::Value(cell_value(&theirs.fields[at].ty, value));
        }
    }
    cells
}

/// A record with the given values; every other field blank.
fn cells(program: &Program, given: &[(model::FieldId, model::Value)]) -> Vec<Cell> {
    let standard = &program.standard;
    let mut cells = vec![Cell::Blank; standard.fields.len()];
    for (field, value) in given {
        let ty = &standard.fields[field.0].ty;
        cells[field.0] = Cell::Value(cell_value(ty, value));
    }
    cells
}

/// The example's record, scored and graded.
fn scored(program: &Program, scorer: &mut Scorer<'_>, cells: &[Cell]) -> Scored {
    let mut scored = Scored::default();
    scorer.score(cells, &[], &mut scored);
    if !program.rank_groups.is_empty() {
        scored.totals.ranks = program
            .rank_groups
            .iter()
            .map(|&group| (group, Decimal::ONE))
            .collect();
        scored.grade = scorer.grade(cells, &scored);
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
            ExpectationKind::Grade(name) => match grade_mismatch(name, grade) {
                Some(mismatch) => mismatch,
                None => continue,
            },
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

/// A roll-up example: each `given` one inspection of one unit (keyed by
/// the example's name when the key is not given), scored, rolled up, and
/// the unit's final score and grade held to the expectations.
fn rolled_up(
    program: &Program,
    editions: &Editions<'_>,
    example: &Example,
    rollup: usize,
) -> Vec<Failed> {
    let standard = &program.standard;
    let Some(rollup) = standard.rollups.get(rollup) else {
        return Vec::new();
    };
    let plan = Plan::new(rollup, standard);
    // The same edition, compiled apart when a file was tested alone.
    let own = editions.programs.iter().position(|p| {
        p.standard.version == standard.version && p.standard.effective == standard.effective
    });
    let programs: Vec<&Program> = match own {
        Some(_) => editions.programs.clone(),
        None => vec![program],
    };
    let own = own.unwrap_or(0);
    let standards: Vec<&model::Standard> = programs.iter().map(|p| &*p.standard).collect();
    let collect = Collect::new(&plan, standard, &standards);
    let mut scorers: Vec<Option<Scorer<'_>>> = programs.iter().map(|_| None).collect();
    // Rules are matched by id across editions, as the catalog's columns are.
    let mut columns: Vec<&str> = Vec::new();
    let mut roller = Roller::new(&plan);
    let mut left_out = Vec::new();
    for (number, given) in example.inspections.iter().enumerate() {
        let date = given.iter().find_map(|(field, value)| match value {
            model::Value::Date(date) if Some(*field) == standard.dated_by => Some(*date),
            _ => None,
        });
        let edition = date
            .and_then(|d| editions.timeline.at(d))
            .filter(|&e| e < programs.len() && programs.len() > 1)
            .unwrap_or(own);
        let scoring = programs[edition];
        let theirs = &scoring.standard;
        let mut cells = cells_by_name(scoring, standard, given);
        // An inspection that does not name its unit is the example's.
        if !matches!(cells[theirs.key.0], Cell::Value(_)) {
            cells[theirs.key.0] = Cell::Value(Value::Text(example.name.clone()));
        }
        let scorer = scorers[edition].get_or_insert_with(|| Scorer::new(scoring));
        let scored = scored(scoring, scorer, &cells);
        let key = crate::results::text::cell_text(scoring, theirs.key.0, &cells[theirs.key.0]);
        let record = Scoring {
            edition,
            program: scoring,
            cells: &cells,
            scored: &scored,
            key: &key,
            group: None,
        };
        let failed: Vec<usize> = scored
            .failed
            .iter()
            .map(|&rule| {
                let id = theirs.rules[rule.0].id.as_str();
                match columns.iter().position(|c| *c == id) {
                    Some(column) => column,
                    None => {
                        columns.push(id);
                        columns.len() - 1
                    }
                }
            })
            .collect();
        let inspection = collect.inspection(&record, failed.into_iter());
        if let Err(reason) = roller.add(&inspection, number as u64) {
            left_out.push(format!(
                "inspection {} is left out: {}",
                number + 1,
                reason.words(&plan)
            ));
        }
    }
    let assessment = roller.finish();
    let unit = assessment.units.first();
    let final_score = unit.and_then(|u| u.score);
    let grade = unit
        .and_then(|u| u.grade)
        .and_then(|g| rollup.grades.get(g))
        .map(|band| band.name.as_str());
    let mut summary = match final_score {
        Some(value) => format!("the unit's year scored {}", score(value)),
        None => "the unit's year has no score".to_owned(),
    };
    if let Some(grade) = grade {
        summary.push_str(&format!(", grade {grade}"));
    }
    for note in &left_out {
        summary.push_str("; ");
        summary.push_str(note);
    }
    let mut failures = Vec::new();
    for expectation in &example.expectations {
        let (expected, actual) = match &expectation.kind {
            ExpectationKind::Score(expected) => {
                if final_score.is_some_and(|s| round(s, 2) == *expected) {
                    continue;
                }
                (
                    format!("`score {}`", expected.normalize()),
                    match final_score {
                        Some(s) => format!("the final score is {}", score(s)),
                        None => "the unit's year has no score".to_owned(),
                    },
                )
            }
            ExpectationKind::Grade(name) => match grade_mismatch(name, grade) {
                Some(mismatch) => mismatch,
                None => continue,
            },
            // The checker allows only the score and the grade here.
            _ => continue,
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

/// What was expected and what happened, when the grade is not `name`.
fn grade_mismatch(name: &str, grade: Option<&str>) -> Option<(String, String)> {
    if grade == Some(name) {
        return None;
    }
    Some((
        format!("`grade \"{name}\"`"),
        match grade {
            Some(g) => format!("the grade is {g}"),
            None => "no grade band holds".to_owned(),
        },
    ))
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
