//! What the HTML and Excel reports need of each unit: its score and grade,
//! its points by section, and every point it lost with the observed values
//! (by label, in the output's language). Where the record is names its
//! file, never the file's folder: reports are handed out.
//! The batch writes one JSON line per unit (the [`Details`] format) to a
//! temporary file, so memory stays bounded whatever the batch size; the
//! reports read the file back with [`read`].

use std::io::BufRead;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::values::{location, observed_values, outcome_name};
use crate::check::model::RuleId;
use crate::eval::catalog::{Catalog, GradeColumn, RuleColumn};
use crate::language::{Language, Word};
use crate::results::{Format, RecordView, Summary};
use crate::syntax::ast::Outcome;
use crate::waivers::Waiver;

/// One unit, as the reports see it. Decimals are kept as exact text.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Unit {
    /// The unit's key.
    pub key: String,
    /// The edition that scored it (an index into the catalog's programs).
    pub edition: usize,
    /// Its group (`--group-by`), when one was asked for.
    pub group: Option<String>,
    /// Where its record is: the file's name and the row, in the output's language.
    pub at: String,
    /// The exact score.
    pub score: String,
    /// Its grade, as a column of the catalog's grades.
    pub grade: Option<GradeColumn>,
    /// Points earned and possible in each top-level section, by section id.
    pub sections: Vec<(String, String, String)>,
    /// Every rule it failed (bonus rules too), as columns of the catalog's rules.
    pub failed: Vec<RuleColumn>,
    /// Every rule that lost its points for a missing value, as columns of
    /// the catalog's rules.
    pub missing: Vec<RuleColumn>,
    /// The failed `veto` rules, which set its grade, as columns of the
    /// catalog's rules.
    pub veto: Vec<RuleColumn>,
    /// Every rule that cost it points (failed, or missing a value), and
    /// every failure a waiver excused.
    pub lost: Vec<Lost>,
    /// Its data errors.
    pub errors: usize,
}

impl Unit {
    /// The exact score.
    pub fn score(&self) -> Decimal {
        self.score.parse().unwrap_or_default()
    }
}

/// A rule that cost a unit points.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Lost {
    /// The rule, as a column of the catalog's rules.
    pub rule: RuleColumn,
    /// `fail`, `missing` or `waived`.
    pub outcome: String,
    /// Points lost.
    pub lost: String,
    /// Points the rule was worth.
    pub possible: String,
    /// The values the rule read, by label: `綠化率：22.5%；...`.
    pub observed: String,
    /// For a waived failure: the justification, who approved it, until when.
    pub waiver: Option<String>,
}

/// The format that writes [`Unit`]s, one JSON line each.
pub struct Details {
    /// The language of the observed values, places and waivers.
    pub language: Language,
}

impl Format for Details {
    fn begin(&self, _catalog: &Catalog) -> String {
        String::new()
    }

    fn record(&self, record: &RecordView<'_>, out: &mut String) {
        let unit = unit(record, self.language);
        if let Ok(line) = serde_json::to_string(&unit) {
            out.push_str(&line);
            out.push('\n');
        }
    }

    fn end(&self, _catalog: &Catalog, _summary: &Summary) -> String {
        String::new()
    }
}

/// The detail of one scored record.
fn unit(record: &RecordView<'_>, language: Language) -> Unit {
    let program = record.program;
    let standard = &program.standard;
    let scored = record.scored;
    let mut earned = vec![Decimal::ZERO; standard.sections.len()];
    let mut possible = vec![Decimal::ZERO; standard.sections.len()];
    let mut lost = Vec::new();
    let observed = |index: usize| {
        observed_values(language, program, &program.rules[index].reads, record.cells)
    };
    let waived: Vec<(RuleId, &Waiver)> = record.waived().collect();
    for (index, rule) in standard.rules.iter().enumerate() {
        let id = RuleId(index);
        let outcome = scored.outcomes[index];
        if let Some((_, waiver)) = waived.iter().find(|(r, _)| *r == id) {
            lost.push(Lost {
                rule: record.column(id),
                outcome: "waived".to_owned(),
                lost: "0".to_owned(),
                possible: program.rules[index].points.normalize().to_string(),
                observed: observed(index),
                waiver: Some(language.fill(
                    Word::WaiverDetail,
                    &[
                        &waiver.justification,
                        &waiver.approved_by,
                        &waiver.expires,
                        &outcome_name(language, waiver.scores_as.as_str()),
                    ],
                )),
            });
        }
        if outcome == Outcome::NotApplicable {
            continue;
        }
        let worth = scored.possible(program, id);
        if let Some(section) = rule.section {
            let top = program.top_section[section.0];
            earned[top] += scored.earned[index];
            possible[top] += worth;
        }
        // A bonus rule costs nothing; a rule costs what it could have earned more.
        if matches!(outcome, Outcome::Fail | Outcome::Missing) && worth > scored.earned[index] {
            lost.push(Lost {
                rule: record.column(id),
                outcome: outcome.as_str().to_owned(),
                lost: (worth - scored.earned[index])
                    .max(Decimal::ZERO)
                    .normalize()
                    .to_string(),
                possible: worth.normalize().to_string(),
                observed: observed(index),
                waiver: None,
            });
        }
    }
    let column = |rule: RuleId| record.column(rule);
    let sections = standard
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.parent.is_none())
        .map(|(i, s)| {
            (
                s.id.clone(),
                earned[i].normalize().to_string(),
                possible[i].normalize().to_string(),
            )
        })
        .collect();
    Unit {
        key: record.key.to_owned(),
        edition: record.edition,
        group: record.group.map(str::to_owned),
        at: location(language, &record.place.at(record.row)),
        score: scored.totals.score.to_string(),
        grade: scored
            .grade
            .map(|g| record.catalog.grade_column(record.edition, g)),
        sections,
        failed: record.failed().map(column).collect(),
        missing: record.missing().map(column).collect(),
        veto: record.veto().map(column).collect(),
        lost,
        errors: record.errors.len(),
    }
}

/// Reads the units back, in input order; a line that does not read (which
/// only a damaged file can hold) is skipped.
pub fn read(reader: impl BufRead) -> impl Iterator<Item = Unit> {
    reader
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str(&line).ok())
}
