//! Waivers (豁免): approved exceptions that excuse one unit's failure of one
//! rule until a date. A waiver file (CSV, JSON, JSON Lines or Excel) has the
//! columns `unit`, `rule`, `justification`, `approved_by`, `expires` and,
//! optionally, `scores_as` (`n/a`, the default, or `pass`); Chinese headers
//! are read too (see [`COLUMNS`]).
//!
//! A waiver applies to a record of its unit whose inspection date is on or
//! before `expires`; it turns a `fail` of its rule into `waived`, which scores
//! as `scores_as` says. It never excuses a `missing` value, and it never
//! hides anything: every report lists waived rules with their justification.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::civil::Date;

use crate::check::model::RuleId;
use crate::data::table::{TableError, TextTable};
use crate::data::values::read_date;
use crate::eval::catalog::Catalog;
use crate::eval::cover::{Cover, WaivedScore};
use crate::suggest::closest;

pub use crate::eval::cover::WaiverIndex;

/// One approved waiver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    /// The unit's key.
    pub unit: String,
    /// The rule's id.
    pub rule: String,
    /// Why the failure is excused.
    pub justification: String,
    /// Who approved it.
    pub approved_by: String,
    /// The last inspection date it covers.
    pub expires: Date,
    /// How the waived rule scores.
    pub scores_as: WaivedScore,
    /// Where it is: the waiver file and its line (or row).
    pub at: String,
}

/// The waivers of a run, found by unit.
#[derive(Debug, Default)]
pub struct Waivers {
    /// The file they came from.
    pub file: String,
    /// Every waiver, in file order (by [`WaiverIndex`]).
    pub list: Vec<Waiver>,
    /// For each unit, its waivers.
    by_unit: HashMap<String, Vec<WaiverIndex>>,
    /// For each edition, each waiver's rule there (if the edition has the rule).
    rule_index: Vec<Vec<Option<RuleId>>>,
    /// For each waiver, whether a record of its unit was scored.
    seen: Vec<AtomicBool>,
}

/// The accepted headers of each column, English first.
pub const COLUMNS: [(&str, &[&str]); 6] = [
    ("unit", &["unit", "單位", "受檢單位", "单位", "受检单位"]),
    ("rule", &["rule", "規則", "规则", "條款", "条款"]),
    (
        "justification",
        &["justification", "理由", "豁免理由", "說明", "说明"],
    ),
    (
        "approved_by",
        &["approved_by", "approved by", "批准人", "審批人", "审批人"],
    ),
    ("expires", &["expires", "有效期至", "到期日", "截止日期"]),
    ("scores_as", &["scores_as", "scores as", "計分", "计分"]),
];

/// One mistake in a waiver file.
#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    /// The file could not be read as a table, or lacks a column.
    #[error("{0}")]
    Table(#[from] TableError),
    /// A row with a wrong cell.
    #[error("{at}, column `{column}`: {problem}")]
    Row {
        /// The file and row.
        at: String,
        /// The column as the file heads it.
        column: String,
        /// What is wrong with the cell.
        problem: RowProblem,
    },
}

/// What is wrong with one cell of a waiver.
#[derive(Debug, thiserror::Error)]
pub enum RowProblem {
    /// A blank cell that every waiver must fill.
    #[error("blank; every waiver must give its `{0}`")]
    Blank(&'static str),
    /// A rule no edition of the standard has.
    #[error("`{rule}` is not a rule of `{standard}`{}", did_you_mean(.suggestion.as_deref()))]
    UnknownRule {
        /// The rule as written.
        rule: String,
        /// The standard's name.
        standard: String,
        /// The closest rule id, if one is close.
        suggestion: Option<String>,
    },
    /// An expiry that is not a date.
    #[error(
        "`{0}` is not a date; write it as 2016-06-30, 2016/6/30 or 2016年6月30日 (every waiver ends)"
    )]
    NotADate(String),
    /// A `scores_as` that is neither `n/a` nor `pass`.
    #[error("`{0}` is not `n/a` or `pass` (how the waived rule scores)")]
    NotAScore(String),
}

/// "; did you mean `A1`?", or nothing.
fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|id| format!("; did you mean `{id}`?"))
        .unwrap_or_default()
}

impl Waivers {
    /// Reads a waiver file for the editions of `catalog`; `known` are the
    /// rule ids of every edition of the standard (a waiver may name a rule
    /// of an edition this run does not score by: it then covers nothing).
    /// The unit column may also be headed by the standard's key field
    /// (name or label).
    /// Every row that is wrong is reported, each naming its row, column and
    /// value; a file with any wrong row is refused as a whole, since
    /// applying part of an approval list would mislead.
    pub fn read(
        path: &str,
        catalog: &Catalog,
        known: &[&str],
    ) -> Result<Waivers, Vec<WaiverError>> {
        let table = TextTable::read(path).map_err(|e| vec![e.into()])?;
        if table.columns.is_empty() && table.rows.is_empty() {
            // An empty file (or `[]`) lists no waivers.
            return Ok(Waivers::new(
                table.place.file.to_string(),
                Vec::new(),
                catalog,
            ));
        }
        let standard = &catalog.latest().standard;
        let key = &standard.fields[standard.key.0];
        let mut errors = Vec::new();
        let mut found = [None; 6];
        for (slot, (name, headers)) in found.iter_mut().zip(COLUMNS) {
            let mut headers = headers.to_vec();
            if name == "unit" {
                headers.push(&key.name);
                headers.extend(key.label.as_deref());
            }
            *slot = table.column(&headers);
            if slot.is_none() && name != "scores_as" {
                errors.push(table.no_column(name).into());
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut rule_ids: Vec<&str> = catalog.rules.iter().map(|r| r.id.as_str()).collect();
        for id in known {
            if !rule_ids.contains(id) {
                rule_ids.push(id);
            }
        }
        let mut list = Vec::new();
        for row in &table.rows {
            let cell = |column: usize| {
                found[column]
                    .map(|c| row.cells[c].as_str())
                    .unwrap_or_default()
            };
            let at = |column: usize| {
                (
                    table.place.at(row.row).to_string(),
                    found[column]
                        .map_or(COLUMNS[column].0, |c| table.columns[c].as_str())
                        .to_owned(),
                )
            };
            if row.cells.iter().all(String::is_empty) {
                continue;
            }
            let mut wrong = |column: usize, problem: RowProblem| {
                let (at, column) = at(column);
                errors.push(WaiverError::Row {
                    at,
                    column,
                    problem,
                });
            };
            for column in [0, 2, 3] {
                if cell(column).is_empty() {
                    wrong(column, RowProblem::Blank(COLUMNS[column].0));
                }
            }
            let rule = cell(1);
            if rule.is_empty() {
                wrong(1, RowProblem::Blank(COLUMNS[1].0));
            } else if !rule_ids.contains(&rule) {
                wrong(
                    1,
                    RowProblem::UnknownRule {
                        rule: rule.to_owned(),
                        standard: standard.name.clone(),
                        suggestion: closest(rule, rule_ids.iter().copied()).map(str::to_owned),
                    },
                );
            }
            let expires = read_date(cell(4));
            if expires.is_none() {
                wrong(4, RowProblem::NotADate(cell(4).to_owned()));
            }
            let scores_as = match cell(5).to_lowercase().as_str() {
                "" | "n/a" | "na" | "不適用" | "不适用" => Some(WaivedScore::NotApplicable),
                "pass" | "合格" | "通過" | "通过" => Some(WaivedScore::Pass),
                other => {
                    wrong(5, RowProblem::NotAScore(other.to_owned()));
                    None
                }
            };
            if let (Some(expires), Some(scores_as)) = (expires, scores_as) {
                list.push(Waiver {
                    unit: cell(0).to_owned(),
                    rule: rule.to_owned(),
                    justification: cell(2).to_owned(),
                    approved_by: cell(3).to_owned(),
                    expires,
                    scores_as,
                    at: table.place.at(row.row).to_string(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Waivers::new(table.place.file.to_string(), list, catalog))
    }

    /// Waivers from a list, for the editions of `catalog`.
    pub fn new(file: String, list: Vec<Waiver>, catalog: &Catalog) -> Waivers {
        let mut by_unit: HashMap<String, Vec<WaiverIndex>> = HashMap::new();
        for (index, waiver) in list.iter().enumerate() {
            let waivers = by_unit.entry(waiver.unit.clone()).or_default();
            waivers.push(WaiverIndex(index));
        }
        let rule_index = catalog
            .programs
            .iter()
            .map(|program| {
                let rules = &program.standard.rules;
                list.iter()
                    .map(|w| rules.iter().position(|r| r.id == w.rule).map(RuleId))
                    .collect()
            })
            .collect();
        let seen = list.iter().map(|_| AtomicBool::new(false)).collect();
        Waivers {
            file,
            list,
            by_unit,
            rule_index,
            seen,
        }
    }

    /// Into `covers`, the waivers that cover a record of `unit` scored by
    /// `edition` and inspected on `date`: those not expired by then, one per
    /// rule (the one that lasts longest). Into `expired`, the waivers of the
    /// unit that had expired by then.
    pub fn covering(
        &self,
        unit: &str,
        edition: usize,
        date: Date,
        covers: &mut Vec<Cover>,
        expired: &mut Vec<WaiverIndex>,
    ) {
        covers.clear();
        expired.clear();
        let Some(indices) = self.by_unit.get(unit) else {
            return;
        };
        for &waiver in indices {
            if let Some(seen) = self.seen.get(waiver.0) {
                seen.store(true, Ordering::Relaxed);
            }
            let Some(rule) = self.rule_index[edition][waiver.0] else {
                continue;
            };
            let entry = &self.list[waiver.0];
            if entry.expires < date {
                expired.push(waiver);
                continue;
            }
            match covers.iter_mut().find(|c| c.rule == rule) {
                Some(cover) if self.list[cover.waiver.0].expires < entry.expires => {
                    cover.waiver = waiver;
                    cover.scores_as = entry.scores_as;
                }
                Some(_) => {}
                None => covers.push(Cover {
                    rule,
                    waiver,
                    scores_as: entry.scores_as,
                }),
            }
        }
    }

    /// A waiver of the list.
    pub fn get(&self, waiver: WaiverIndex) -> Option<&Waiver> {
        self.list.get(waiver.0)
    }

    /// The rule of a waiver in `edition`, if the edition has it.
    pub fn rule_in(&self, edition: usize, waiver: WaiverIndex) -> Option<RuleId> {
        self.rule_index
            .get(edition)?
            .get(waiver.0)
            .copied()
            .flatten()
    }

    /// The waivers whose unit no scored record had (a mistyped unit, or a
    /// unit not inspected), in file order.
    pub fn unmatched(&self) -> impl Iterator<Item = &Waiver> {
        self.list
            .iter()
            .zip(&self.seen)
            .filter(|(_, seen)| !seen.load(Ordering::Relaxed))
            .map(|(waiver, _)| waiver)
    }

    /// Whether no waiver was given.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::eval::compile::compile;

    const STANDARD: &str = "standard s {\n  title \"t\"\n  version 1\n  key unit\n}\n\nfields {\n  unit text\n  ok bool\n}\n\nsection S \"s\" {\n  rule R1 \"r\" {\n    require ok\n    points 1\n  }\n  rule R2 \"r\" {\n    require ok\n    points 1\n  }\n}\n";

    fn catalog() -> Catalog {
        let compiled = crate::compile("s.std", Arc::from(STANDARD));
        let standard = compiled.standard.expect("the standard checks");
        Catalog::single(compile(Arc::new(standard)).expect("the standard compiles"))
    }

    fn waiver(unit: &str, rule: &str, expires: &str, scores_as: WaivedScore) -> Waiver {
        Waiver {
            unit: unit.to_owned(),
            rule: rule.to_owned(),
            justification: "j".to_owned(),
            approved_by: "a".to_owned(),
            expires: expires.parse().expect("a date"),
            scores_as,
            at: String::new(),
        }
    }

    fn covering(waivers: &Waivers, unit: &str, date: &str) -> (Vec<Cover>, Vec<WaiverIndex>) {
        let (mut covers, mut expired) = (Vec::new(), Vec::new());
        let date = date.parse().expect("a date");
        waivers.covering(unit, 0, date, &mut covers, &mut expired);
        (covers, expired)
    }

    #[test]
    fn a_waiver_covers_inspections_up_to_its_last_day() {
        let list = vec![waiver("甲", "R2", "2020-01-01", WaivedScore::Pass)];
        let waivers = Waivers::new("w.csv".to_owned(), list, &catalog());
        let cover = Cover {
            rule: RuleId(1),
            waiver: WaiverIndex(0),
            scores_as: WaivedScore::Pass,
        };
        assert_eq!(
            covering(&waivers, "甲", "2020-01-01"),
            (vec![cover], vec![])
        );
        assert_eq!(
            covering(&waivers, "甲", "2020-01-02"),
            (vec![], vec![WaiverIndex(0)])
        );
        assert_eq!(covering(&waivers, "乙", "2019-01-01"), (vec![], vec![]));
    }

    #[test]
    fn of_two_waivers_for_one_rule_the_longer_lasting_applies() {
        let list = vec![
            waiver("甲", "R1", "2020-06-30", WaivedScore::NotApplicable),
            waiver("甲", "R1", "2020-12-31", WaivedScore::Pass),
            waiver("甲", "R1", "2020-03-31", WaivedScore::NotApplicable),
        ];
        let waivers = Waivers::new("w.csv".to_owned(), list, &catalog());
        let (covers, expired) = covering(&waivers, "甲", "2020-05-01");
        assert_eq!(
            covers,
            [Cover {
                rule: RuleId(0),
                waiver: WaiverIndex(1),
                scores_as: WaivedScore::Pass
            }]
        );
        assert_eq!(expired, [WaiverIndex(2)]);
    }
}
