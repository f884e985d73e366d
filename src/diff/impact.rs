//! `yardstick diff --impact DATA`: the data scored under both editions, and
//! which units change grade and which rules make them change — the what-if
//! of a revision while it is drafted.
//!
//! Each edition scores the whole batch (streamed, on all cores) into a
//! compact line per record, taken from the scored records by a
//! [`batch::Consumer`]; the two runs give the records in the same order,
//! so they are compared pairwise. Both runs' lines are held in memory.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::batch::{self, Options};
use crate::data::{self, OpenOptions};
use crate::eval::catalog::Catalog;
use crate::eval::compile::Program;
use crate::results::text;
use crate::results::{Format, RecordView, Summary};
use crate::syntax::ast::Outcome;

/// One unit whose grade the new edition changes.
#[derive(Clone, Debug, Serialize)]
pub struct Regraded {
    /// The unit's key.
    pub key: String,
    /// Its score and grade under the old edition.
    pub old: (String, String),
    /// Its score and grade under the new edition.
    pub new: (String, String),
    /// Rules whose outcome differs, as `D1 pass → fail`.
    pub because: Vec<String>,
}

/// What re-scoring a batch under both editions shows.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Impact {
    /// Units scored under both editions.
    pub units: usize,
    /// `(old grade, new grade, units)` for every pair that changed.
    pub moves: Vec<(String, String, usize)>,
    /// `(rule, how its outcome changed, units whose grade changed)`, most first.
    pub causes: Vec<(String, String, usize)>,
    /// Every unit whose grade changed, in input order.
    pub regraded: Vec<Regraded>,
    /// Data errors under the old and the new edition.
    pub data_errors: (usize, usize),
}

/// One record's result under one edition: what `--impact` compares.
struct Line {
    key: String,
    /// The score as written (two decimals).
    score: String,
    grade: String,
    /// Every rule's outcome, in the edition's order.
    outcomes: Vec<Outcome>,
}

/// Each scored record's [`Line`], made on the worker that scored it.
struct Lines;

impl batch::Consumer for Lines {
    type Item = Line;

    fn item(&self, record: &RecordView<'_>) -> Line {
        Line {
            key: record.key.to_owned(),
            score: text::score(record.scored.totals.rounded),
            grade: record.grade().to_owned(),
            outcomes: record.scored.outcomes.clone(),
        }
    }
}

/// No text: `--impact` takes each record's [`Line`] instead.
struct NoText;

impl Format for NoText {
    fn begin(&self, _catalog: &Catalog) -> String {
        String::new()
    }

    fn record(&self, _record: &RecordView<'_>, _out: &mut String) {}

    fn end(&self, _catalog: &Catalog, _summary: &Summary) -> String {
        String::new()
    }
}

/// Why the impact could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum ImpactError {
    /// A data file could not be read or used (no such file, its columns).
    #[error("{0}")]
    Data(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// A field an edition requires that a data file has no column for: its
/// rules were `missing` for every unit of that file under that edition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AbsentField {
    /// The edition's version.
    pub edition: String,
    /// The data file.
    pub file: String,
    /// The field's name.
    pub field: String,
    /// The field's label, if it has one.
    pub label: Option<String>,
}

/// Scores `data` under both editions and compares the results. A field
/// that an edition requires and the data lacks (a field new in this
/// edition, scored on last year's data) is `missing` throughout, and
/// named in the list that comes back with the impact.
pub fn impact(
    old: Program,
    new: Program,
    data: &[String],
    open: &OpenOptions,
    jobs: usize,
) -> Result<(Impact, Vec<AbsentField>), ImpactError> {
    let old_ids: Vec<String> = old.standard.rules.iter().map(|r| r.id.clone()).collect();
    let new_ids: Vec<String> = new.standard.rules.iter().map(|r| r.id.clone()).collect();
    let mut absent = Vec::new();
    let (before, old_errors) = score(Catalog::single(old), data, open, jobs, &mut absent)?;
    let (after, new_errors) = score(Catalog::single(new), data, open, jobs, &mut absent)?;
    if before.len() != after.len() {
        return Err(ImpactError::Other(format!(
            "the editions scored {} and {} records of the data; run `yardstick eval` with each to see why",
            before.len(),
            after.len()
        )));
    }
    let mut moves: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut causes: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut regraded = Vec::new();
    for (a, b) in before.iter().zip(&after) {
        if a.grade == b.grade {
            continue;
        }
        *moves.entry((a.grade.clone(), b.grade.clone())).or_default() += 1;
        let mut because = Vec::new();
        let mut ids: Vec<&String> = new_ids.iter().collect();
        ids.extend(old_ids.iter().filter(|id| !new_ids.contains(id)));
        for id in ids {
            let outcome = |ids: &[String], line: &Line| {
                ids.iter()
                    .position(|x| x == id)
                    .and_then(|i| line.outcomes.get(i))
                    .map_or("—", |&o| word(o))
            };
            let (was, is) = (outcome(&old_ids, a), outcome(&new_ids, b));
            if was != is {
                let how = format!("{was} → {is}");
                because.push(format!("{id} {how}"));
                *causes.entry((id.clone(), how)).or_default() += 1;
            }
        }
        regraded.push(Regraded {
            key: a.key.clone(),
            old: (a.score.clone(), a.grade.clone()),
            new: (b.score.clone(), b.grade.clone()),
            because,
        });
    }
    let mut causes: Vec<(String, String, usize)> =
        causes.into_iter().map(|((r, h), n)| (r, h, n)).collect();
    causes.sort_by(|x, y| y.2.cmp(&x.2).then_with(|| x.0.cmp(&y.0)));
    let impact = Impact {
        units: before.len(),
        moves: moves.into_iter().map(|((a, b), n)| (a, b, n)).collect(),
        causes,
        regraded,
        data_errors: (old_errors, new_errors),
    };
    Ok((impact, absent))
}

/// An outcome as `--impact` names it in a change (`pass → fail`).
fn word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::NotApplicable => "n/a",
        Outcome::NotEarned => "not earned",
        Outcome::Missing => "missing",
    }
}

/// Every record of `data` under one edition, and the count of data errors;
/// the fields it requires that a file lacks are added to `absent`.
fn score(
    catalog: Catalog,
    data: &[String],
    open: &OpenOptions,
    jobs: usize,
    absent: &mut Vec<AbsentField>,
) -> Result<(Vec<Line>, usize), ImpactError> {
    let sources = data
        .iter()
        .map(|path| {
            data::open_scored(path, open, &[&catalog.latest().standard])
                .map(|(source, _)| source)
                .map_err(|e| ImpactError::Data(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = Options {
        jobs,
        absent_fields: true,
        ..Options::default()
    };
    let mut lines = Vec::new();
    let finished = batch::run_with(
        &catalog,
        sources,
        (&NoText, &mut std::io::sink()),
        (&Lines, |line| lines.push(line)),
        &options,
    )
    .map_err(|e| ImpactError::Other(e.to_string()))?;
    let standard = &catalog.latest().standard;
    if let Some(stop) = finished.summary.errors.iter().find(|e| e.stops_file()) {
        return Err(ImpactError::Data(format!(
            "under edition {}: {stop}",
            standard.version
        )));
    }
    for (file, fields) in &finished.absent_fields {
        for name in fields {
            let label = standard
                .fields
                .iter()
                .find(|f| &f.name == name)
                .and_then(|f| f.label.clone());
            absent.push(AbsentField {
                edition: standard.version.clone(),
                file: file.to_string(),
                field: name.clone(),
                label,
            });
        }
    }
    Ok((lines, finished.summary.errors.len()))
}
