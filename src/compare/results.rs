//! Step one of `compare`: the results of `yardstick eval` read back — a JSON
//! document (`--format json`, with its `rules` catalog) or JSON Lines
//! (`--format jsonl`, one result per line). Only what the comparison needs
//! is kept; unknown keys are ignored. Scores are read from the number's text
//! as exact decimals, never through binary floating point.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

/// A rule's outcome as `eval`'s results record it: a rule outcome, or
/// `waived`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// `pass`.
    Pass,
    /// `fail`.
    Fail,
    /// `n/a`: the rule did not apply.
    NotApplicable,
    /// `missing`: a value it needed was missing.
    Missing,
    /// `waived`: a failure excused by an approved waiver.
    Waived,
    /// `not earned`: a bonus rule that earned nothing (no failure).
    NotEarned,
}

impl Recorded {
    fn parse(text: &str) -> Option<Recorded> {
        Some(match text {
            "pass" => Recorded::Pass,
            "fail" => Recorded::Fail,
            "n/a" => Recorded::NotApplicable,
            "missing" => Recorded::Missing,
            "waived" => Recorded::Waived,
            "not earned" | "not_earned" => Recorded::NotEarned,
            _ => return None,
        })
    }
}

/// One rule of one unit's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleResult {
    /// The rule's id.
    pub id: String,
    /// Its outcome.
    pub outcome: Recorded,
}

/// One unit's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitResult {
    /// The unit's key.
    pub key: String,
    /// The score, exact as written (two decimals).
    pub score: Decimal,
    /// The grade, if the standard has grades.
    pub grade: Option<String>,
    /// Every rule of the unit's edition, in its order.
    pub rules: Vec<RuleResult>,
}

impl UnitResult {
    /// The outcome of a rule, if the unit's edition has it.
    pub fn outcome(&self, id: &str) -> Option<Recorded> {
        self.rules.iter().find(|r| r.id == id).map(|r| r.outcome)
    }
}

/// A rule as the results' catalog names it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RuleInfo {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who answers for it.
    #[serde(default)]
    pub owner: Option<String>,
}

/// A results file, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    /// Every result, in the order written (a key may appear twice).
    pub units: Vec<UnitResult>,
    /// The rules with titles and owners; `None` for JSON Lines, which has no catalog.
    pub catalog: Option<Vec<RuleInfo>>,
    /// The standard's title; `None` for JSON Lines.
    pub title: Option<String>,
}

/// Why a results file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResultsError {
    /// The file cannot be read.
    #[error("cannot read `{path}`: {message}")]
    Unreadable {
        /// The file.
        path: String,
        /// What the system said.
        message: String,
    },
    /// The file is not results of `yardstick eval`.
    #[error("`{path}`{}: {problem}", line.map(|n| format!(" line {n}")).unwrap_or_default())]
    Malformed {
        /// The file.
        path: String,
        /// The line, for JSON Lines.
        line: Option<u64>,
        /// What is wrong.
        problem: Malformed,
    },
}

/// What is wrong with a file that is not results of `yardstick eval`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Malformed {
    /// A JSON array where the document was expected.
    #[error(
        "a JSON array, not the document `yardstick eval --format json` writes {NOT_RESULTS_HINT}"
    )]
    Array,
    /// A document that does not read as `eval`'s JSON.
    #[error("not the results of `yardstick eval --format json`: {0} {NOT_RESULTS_HINT}")]
    NotDocument(String),
    /// A line that does not read as one of `eval`'s JSON Lines.
    #[error("not a result of `yardstick eval --format jsonl`: {0} {NOT_RESULTS_HINT}")]
    NotLine(String),
    /// Results written with `--only-failed`: a unit not in them may have
    /// passed everything, so they cannot be compared.
    #[error(
        "it lists {listed} of the {records} units scored (it was written with `--only-failed`), so a unit that is not in it may have passed everything; compare results written without `--only-failed`"
    )]
    OnlyFailed {
        /// The results the document lists.
        listed: usize,
        /// The units its summary says were scored.
        records: u64,
    },
    /// A result of the document (counted from 1) that is wrong.
    #[error("result {number}: {problem}")]
    InDocument {
        /// Which result.
        number: usize,
        /// What is wrong with it.
        problem: BadResult,
    },
    /// A line's result that is wrong.
    #[error("{0}")]
    Result(BadResult),
}

/// What is wrong with one unit's result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadResult {
    /// A score that is not a decimal.
    #[error("the score `{score}` of `{key}` is not a decimal")]
    NotADecimal {
        /// The unit.
        key: String,
        /// The score as written.
        score: String,
    },
    /// A score below 0 (a `cap` may put one above 100, nothing below 0).
    #[error("the score `{score}` of `{key}` is below 0")]
    BelowZero {
        /// The unit.
        key: String,
        /// The score as written.
        score: String,
    },
    /// An outcome `eval` never writes.
    #[error(
        "unknown outcome `{outcome}` of rule `{rule}` of `{key}` (outcomes are pass, fail, n/a, missing, waived, not earned)"
    )]
    UnknownOutcome {
        /// The unit.
        key: String,
        /// The rule.
        rule: String,
        /// The outcome as written.
        outcome: String,
    },
}

/// Reads a results file: JSON Lines when its name ends in `.jsonl` or
/// `.ndjson`, else a JSON document.
pub fn read(path: &str) -> Result<Results, ResultsError> {
    let text = std::fs::read_to_string(path).map_err(|error| ResultsError::Unreadable {
        path: path.to_owned(),
        message: error.to_string(),
    })?;
    let lower = path.to_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        parse_lines(&text, path)
    } else {
        parse_document(&text, path)
    }
}

#[derive(Deserialize)]
struct RawDocument {
    results: Vec<RawResult>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    rules: Option<Vec<RuleInfo>>,
    #[serde(default)]
    summary: Option<RawSummary>,
}

#[derive(Deserialize)]
struct RawSummary {
    #[serde(default)]
    records: Option<u64>,
}

/// What to say when a file is not results: perhaps it is inspection data.
const NOT_RESULTS_HINT: &str =
    "(if these are inspection data rather than results, add `--standard STANDARD`)";

#[derive(Deserialize)]
struct RawResult {
    key: String,
    score: serde_json::Number,
    #[serde(default)]
    grade: Option<String>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
struct RawRule {
    id: String,
    outcome: String,
}

/// Reads the document `yardstick eval --format json` writes; `path` names it in errors.
pub fn parse_document(text: &str, path: &str) -> Result<Results, ResultsError> {
    let malformed = |problem: Malformed| ResultsError::Malformed {
        path: path.to_owned(),
        line: None,
        problem,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        return Err(malformed(Malformed::Array));
    }
    let raw: RawDocument = serde_json::from_str(text)
        .map_err(|error| malformed(Malformed::NotDocument(error.to_string())))?;
    let records = raw.summary.and_then(|s| s.records);
    if let Some(records) = records.filter(|&n| n > raw.results.len() as u64) {
        return Err(malformed(Malformed::OnlyFailed {
            listed: raw.results.len(),
            records,
        }));
    }
    let units = raw
        .results
        .into_iter()
        .enumerate()
        .map(|(i, result)| {
            unit(result).map_err(|problem| {
                malformed(Malformed::InDocument {
                    number: i + 1,
                    problem,
                })
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Results {
        units,
        catalog: raw.rules,
        title: raw.title,
    })
}

/// Reads the lines `yardstick eval --format jsonl` writes; blank lines are
/// skipped; `path` names the file in errors.
pub fn parse_lines(text: &str, path: &str) -> Result<Results, ResultsError> {
    let mut units = Vec::new();
    for (number, line) in (1u64..).zip(text.lines()) {
        if line.trim().is_empty() {
            continue;
        }
        let malformed = |problem: Malformed| ResultsError::Malformed {
            path: path.to_owned(),
            line: Some(number),
            problem,
        };
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        let raw: RawResult = serde_json::from_str(line)
            .map_err(|error| malformed(Malformed::NotLine(error.to_string())))?;
        units.push(unit(raw).map_err(|problem| malformed(Malformed::Result(problem)))?);
    }
    Ok(Results {
        units,
        catalog: None,
        title: None,
    })
}

fn unit(raw: RawResult) -> Result<UnitResult, BadResult> {
    let score = Decimal::from_str(&raw.score.to_string()).map_err(|_| BadResult::NotADecimal {
        key: raw.key.clone(),
        score: raw.score.to_string(),
    })?;
    // A standard's `cap` may put a score above 100 (bonus points), never below 0.
    if score < Decimal::ZERO {
        return Err(BadResult::BelowZero {
            key: raw.key,
            score: raw.score.to_string(),
        });
    }
    let rules = raw
        .rules
        .into_iter()
        .map(|rule| match Recorded::parse(&rule.outcome) {
            Some(outcome) => Ok(RuleResult {
                id: rule.id,
                outcome,
            }),
            None => Err(BadResult::UnknownOutcome {
                key: raw.key.clone(),
                rule: rule.id,
                outcome: rule.outcome,
            }),
        })
        .collect::<Result<_, _>>()?;
    Ok(UnitResult {
        key: raw.key,
        score,
        grade: raw.grade.filter(|g| !g.is_empty()),
        rules,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

    use super::*;

    #[test]
    fn a_document_keeps_exact_scores_and_its_catalog() {
        let text = r#"{"editions": ["2015"], "rules": [{"id": "A1", "title": "有垃圾箱", "owner": "機關事務科"}],
            "results": [{"key": "辦公室", "score": 93.48, "grade": "達標", "unknown": 1,
                         "rules": [{"id": "A1", "outcome": "waived", "points": 0, "possible": 4,
                                    "waiver": {"justification": "施工", "scores_as": "n/a"}}]}]}"#;
        let results = parse_document(text, "r.json").unwrap();
        assert_eq!(results.units[0].score, Decimal::new(9348, 2));
        assert_eq!(results.units[0].outcome("A1"), Some(Recorded::Waived));
        assert_eq!(
            results.catalog.unwrap()[0].owner.as_deref(),
            Some("機關事務科")
        );
    }

    #[test]
    fn a_bad_line_is_named() {
        let text = "{\"key\": \"a\", \"score\": 1.00, \"rules\": []}\n\nnot json\n";
        let error = parse_lines(text, "r.jsonl").unwrap_err();
        assert!(
            error.to_string().starts_with("`r.jsonl` line 3: "),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_outcome_is_an_error() {
        let text = r#"{"key": "a", "score": 1, "rules": [{"id": "A1", "outcome": "maybe"}]}"#;
        let error = parse_lines(text, "r.jsonl").unwrap_err();
        assert!(
            error.to_string().contains("unknown outcome `maybe`"),
            "{error}"
        );
    }
}
