//! `--format html`: one self-contained page (no network, no scripts, no
//! external fonts or styles) for people to read and print on A4, in the
//! output's language and no other: the standard and its editions, grade
//! distribution, a bar chart of each rule's failure rate (inline SVG, with
//! the units that missed a value for it), average score per section, the
//! ranking (within groups with `--group-by`), the best and worst units, a
//! scorecard per unit with every lost point (failed or missing a value),
//! the observed values by label, `remedy`, `ref` and `owner`, and the data
//! errors counted. A grade a `veto` rule set names the rule. Records are
//! placed by their file's name, never by a path of this machine.
//!
//! Large batches stay readable: the ranking shows the top and bottom
//! [`RANK_SHOWN`] units of each group, the scorecards the
//! [`CARDS_SHOWN`] lowest-scoring units; the page says what it left out
//! and points to the Excel workbook, which has every unit. The page has no
//! date or time, so the same data gives the same bytes.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;

use super::errors::ReportError;

use rust_decimal::Decimal;
use serde::Serialize;

use super::detail::{self, Unit};
use super::problems::{Problem, describe};
use super::values::{Tone, grade_text, outcome_name, score};
use crate::eval::catalog::{Catalog, GradeColumn, RuleColumn};
use crate::eval::engine::ranks;
use crate::language::{Language, WORDS, Word};
use crate::results::Summary;

/// Units shown at the top and at the bottom of each ranking.
pub const RANK_SHOWN: usize = 50;
/// Scorecards shown (the lowest scores first).
pub const CARDS_SHOWN: usize = 200;

/// The most waived failures listed (all are counted).
pub const WAIVED_SHOWN: usize = 1000;

/// The most data errors listed (all are counted).
pub const ERRORS_SHOWN: usize = 200;

const TEMPLATE: &str = include_str!("report.html.jinja");

#[derive(Serialize)]
struct Page {
    /// The language's code, for `<html lang>`.
    lang: &'static str,
    /// Every word, by its name in [`Word`].
    t: BTreeMap<String, &'static str>,
    /// Sentences with their values filled in.
    says: Sentences,
    title: String,
    standard: String,
    editions: Vec<EditionRow>,
    units: u64,
    average: String,
    data_errors: usize,
    missing_units: usize,
    errors: Vec<Problem>,
    grades: Vec<GradeRow>,
    chart: Chart,
    sections: Vec<SectionRow>,
    grouped_by: Option<String>,
    rankings: Vec<Ranking>,
    best: Vec<RankRow>,
    worst: Vec<RankRow>,
    cards: Vec<Card>,
    cards_left_out: usize,
    waived: Vec<WaivedRow>,
    waived_count: u64,
}

/// The page's sentences that hold values.
#[derive(Serialize, Default)]
struct Sentences {
    editions: String,
    grouped_by: String,
    cards_left_out: String,
    waived_left_out: String,
    errors_left_out: String,
}

/// A failure a waiver excused.
#[derive(Serialize)]
struct WaivedRow {
    key: String,
    id: String,
    title: String,
    waiver: String,
}

#[derive(Serialize)]
struct EditionRow {
    version: String,
}

#[derive(Serialize)]
struct GradeRow {
    name: String,
    count: u64,
    share: String,
    tone: &'static str,
}

#[derive(Serialize)]
struct Chart {
    height: usize,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Bar {
    id: String,
    title: String,
    failures: u64,
    rate: String,
    missing: String,
    y: usize,
    width: String,
}

#[derive(Serialize)]
struct SectionRow {
    id: String,
    title: String,
    average: String,
    width: String,
}

#[derive(Serialize)]
struct Ranking {
    group: Option<String>,
    units: usize,
    top: Vec<RankRow>,
    left_out: String,
    bottom: Vec<RankRow>,
}

#[derive(Clone, Serialize)]
struct RankRow {
    rank: String,
    key: String,
    group: Option<String>,
    edition: String,
    score: String,
    grade: String,
    tone: &'static str,
}

#[derive(Serialize)]
struct Card {
    key: String,
    at: String,
    edition: String,
    score: String,
    grade: String,
    tone: &'static str,
    lost: Vec<LostRow>,
}

#[derive(Serialize)]
struct LostRow {
    id: String,
    title: String,
    outcome: String,
    outcome_word: String,
    lost: String,
    possible: String,
    observed: String,
    remedy: String,
    reference: String,
    owner: String,
}

/// A unit as the ranking needs it.
struct Ranked {
    index: usize,
    key: String,
    group: Option<String>,
    edition: usize,
    score: Decimal,
    grade: Option<GradeColumn>,
    veto: Vec<RuleColumn>,
}

/// The page. `details` is read twice: once for the ranking and the section
/// averages, once more for the scorecards shown.
pub fn render<R: BufRead>(
    catalog: &Catalog,
    summary: &Summary,
    (grouped_by, language): (Option<&str>, Language),
    details: impl Fn() -> std::io::Result<R>,
) -> Result<String, ReportError> {
    let mut ranked = Vec::new();
    let mut section_sums: BTreeMap<String, (Decimal, u64)> = BTreeMap::new();
    let mut waived = Vec::new();
    let mut missing = vec![0u64; catalog.rules.len()];
    let mut missing_units = 0;
    for (index, unit) in detail::read(details()?).enumerate() {
        for &rule in &unit.missing {
            if let Some(count) = missing.get_mut(rule.0) {
                *count += 1;
            }
        }
        missing_units += usize::from(!unit.missing.is_empty());
        let excused = unit
            .lost
            .iter()
            .filter_map(|l| Some((l, l.waiver.as_ref()?)));
        for (lost, waiver) in excused.take(WAIVED_SHOWN.saturating_sub(waived.len())) {
            let rule = catalog.rule(lost.rule);
            waived.push(WaivedRow {
                key: unit.key.clone(),
                id: rule.id.clone(),
                title: rule.title.clone(),
                waiver: waiver.clone(),
            });
        }
        for (id, earned, possible) in &unit.sections {
            let (Ok(earned), Ok(possible)) =
                (earned.parse::<Decimal>(), possible.parse::<Decimal>())
            else {
                continue;
            };
            if possible > Decimal::ZERO {
                let entry = section_sums.entry(id.clone()).or_default();
                entry.0 += Decimal::ONE_HUNDRED * earned / possible;
                entry.1 += 1;
            }
        }
        ranked.push(Ranked {
            index,
            score: unit.score(),
            key: unit.key,
            group: unit.group,
            edition: unit.edition,
            grade: unit.grade,
            veto: unit.veto,
        });
    }
    let row = |unit: &Ranked, rank: Decimal| RankRow {
        rank: rank.normalize().to_string(),
        key: unit.key.clone(),
        group: unit.group.clone(),
        edition: catalog.programs[unit.edition].standard.version.clone(),
        score: score(unit.score),
        grade: grade_with_veto(catalog, language, unit.grade, &unit.veto),
        tone: tone(catalog, unit.grade),
    };
    let rankings = rankings(&ranked, grouped_by.is_some(), &row, language);
    let mut by_score: Vec<&Ranked> = ranked.iter().collect();
    by_score.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    let overall = ranks(
        &by_score.iter().map(|u| u.score).collect::<Vec<_>>(),
        &vec![(); by_score.len()],
    );
    let best = by_score
        .iter()
        .zip(&overall)
        .take(5)
        .map(|(u, r)| row(u, *r))
        .collect();
    let worst = by_score
        .iter()
        .zip(&overall)
        .rev()
        .take(5)
        .map(|(u, r)| row(u, *r))
        .collect();
    let shown: HashSet<usize> = by_score
        .iter()
        .rev()
        .take(CARDS_SHOWN)
        .map(|u| u.index)
        .collect();
    let mut cards: Vec<(Decimal, usize, Card)> = Vec::new();
    for (index, unit) in detail::read(details()?).enumerate() {
        if shown.contains(&index) && !unit.lost.is_empty() {
            cards.push((unit.score(), index, card(catalog, unit, language)));
        }
    }
    cards.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let cards_left_out = ranked.len().saturating_sub(CARDS_SHOWN);
    let waived_count: u64 = summary.waived.iter().sum();
    let errors: Vec<Problem> = summary
        .errors
        .iter()
        .take(ERRORS_SHOWN)
        .map(|error| describe(language, error))
        .collect();
    let says = Sentences {
        editions: editions_line(catalog, language),
        grouped_by: grouped_by
            .map(|column| language.fill(Word::GroupedBy, &[&column]))
            .unwrap_or_default(),
        cards_left_out: language.fill(Word::CardsLeftOut, &[&cards.len(), &cards_left_out]),
        waived_left_out: language.fill(Word::FirstOfAll, &[&waived.len(), &waived_count]),
        errors_left_out: language.fill(Word::FirstOfAll, &[&errors.len(), &summary.errors.len()]),
    };
    let page = Page {
        lang: language.code(),
        t: WORDS
            .iter()
            .map(|&w| (format!("{w:?}"), language.word(w)))
            .collect(),
        says,
        title: catalog.latest().standard.title.clone(),
        standard: catalog.latest().standard.name.clone(),
        editions: catalog
            .programs
            .iter()
            .map(|p| EditionRow {
                version: p.standard.version.clone(),
            })
            .collect(),
        units: summary.records,
        average: score(summary.average()),
        data_errors: summary.errors.len(),
        missing_units,
        errors,
        grades: grades(catalog, summary),
        chart: chart(catalog, summary, &missing, language),
        sections: sections(catalog, &section_sums),
        grouped_by: grouped_by.map(str::to_owned),
        rankings,
        best,
        worst,
        cards_left_out,
        cards: cards.into_iter().map(|(_, _, card)| card).collect(),
        waived,
        waived_count,
    };
    let mut environment = environment()?;
    environment.add_template("report.html", TEMPLATE)?;
    environment
        .get_template("report.html")
        .and_then(|t| t.render(minijinja::value::Serde(&page)))
        .map_err(ReportError::from)
}

/// The templates' environment every page shares: block tags take their
/// line with them, and the house style (`page.css`, then the page's own
/// rules, then `print.css`) is there to include.
pub(crate) fn environment() -> Result<minijinja::Environment<'static>, minijinja::Error> {
    let mut environment = minijinja::Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()?;
    environment.set_syntax(syntax);
    environment.add_template("page.css", include_str!("page.css.jinja"))?;
    environment.add_template("print.css", include_str!("print.css.jinja"))?;
    Ok(environment)
}

/// The standard's name and each edition with the days it is in force:
/// `標準 office_environment · 版本 2015（2015-01-01 起）`.
fn editions_line(catalog: &Catalog, language: Language) -> String {
    let editions: Vec<String> = catalog
        .programs
        .iter()
        .map(|p| {
            let s = &p.standard;
            let named = language.fill(Word::EditionNamed, &[&s.version]);
            let days = match (s.effective, s.until) {
                (Some(from), Some(to)) => language.fill(Word::EditionDates, &[&from, &to]),
                (Some(from), None) => language.fill(Word::EditionFrom, &[&from]),
                _ => return named,
            };
            format!("{named}{}", language.parenthesized(&days))
        })
        .collect();
    format!(
        "{} {} · {}",
        language.word(Word::Standard),
        catalog.latest().standard.name,
        editions.join(language.list_separator())
    )
}

/// A grade's name with the `veto` rules (as rule columns) that set it.
fn grade_with_veto(
    catalog: &Catalog,
    language: Language,
    grade: Option<GradeColumn>,
    veto: &[RuleColumn],
) -> String {
    let name = grade
        .and_then(|g| catalog.grades.get(g.0))
        .map_or("", String::as_str);
    let veto: Vec<&str> = veto
        .iter()
        .filter_map(|rule| catalog.rules.get(rule.0))
        .map(|rule| rule.id.as_str())
        .collect();
    grade_text(language, name, &veto)
}

/// The colour class of a grade: the first band good, the last bad.
fn tone(catalog: &Catalog, grade: Option<GradeColumn>) -> &'static str {
    Tone::of_band(grade.map(|g| g.0), catalog.grades.len()).class()
}

fn percent(count: u64, total: u64) -> Decimal {
    if total == 0 {
        Decimal::ZERO
    } else {
        Decimal::from(count) * Decimal::ONE_HUNDRED / Decimal::from(total)
    }
}

fn grades(catalog: &Catalog, summary: &Summary) -> Vec<GradeRow> {
    catalog
        .grades
        .iter()
        .zip(&summary.grades)
        .enumerate()
        .map(|(i, (name, count))| GradeRow {
            name: name.clone(),
            count: *count,
            share: score(percent(*count, summary.records)),
            tone: tone(catalog, Some(GradeColumn(i))),
        })
        .collect()
}

/// Horizontal bars, one per rule, most-failed first; bars are 24 px apart.
/// `missing` counts, per rule, the units that lost its points for a
/// missing value.
fn chart(catalog: &Catalog, summary: &Summary, missing: &[u64], language: Language) -> Chart {
    let mut rules: Vec<(RuleColumn, u64)> = catalog
        .rule_columns()
        .zip(summary.failures.iter().copied())
        .collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let bars: Vec<Bar> = rules
        .into_iter()
        .enumerate()
        .map(|(i, (rule, failures))| {
            let rate = percent(failures, summary.records);
            Bar {
                id: catalog.rule(rule).id.clone(),
                title: catalog.rule(rule).title.clone(),
                failures,
                rate: score(rate),
                missing: match missing.get(rule.0) {
                    Some(&count) if count > 0 => language.fill(Word::MissingNote, &[&count]),
                    _ => String::new(),
                },
                y: i * 24,
                width: (rate * Decimal::from(4))
                    .round_dp(1)
                    .normalize()
                    .to_string(),
            }
        })
        .collect();
    Chart {
        height: bars.len() * 24,
        bars,
    }
}

fn sections(catalog: &Catalog, sums: &BTreeMap<String, (Decimal, u64)>) -> Vec<SectionRow> {
    let mut rows = Vec::new();
    for program in catalog.programs.iter().rev() {
        for section in program
            .standard
            .sections
            .iter()
            .filter(|s| s.parent.is_none())
        {
            if rows.iter().any(|r: &SectionRow| r.id == section.id) {
                continue;
            }
            let Some((sum, count)) = sums.get(&section.id) else {
                continue;
            };
            let average = *sum / Decimal::from(*count);
            rows.push(SectionRow {
                id: section.id.clone(),
                title: section.title.clone().unwrap_or_default(),
                average: score(average),
                width: (average * Decimal::from(3))
                    .round_dp(1)
                    .normalize()
                    .to_string(),
            });
        }
    }
    rows
}

/// The ranking of each group (one group, the whole batch, without
/// `--group-by`): ties share the better rank; within a tie, input order.
fn rankings(
    ranked: &[Ranked],
    grouped: bool,
    row: &dyn Fn(&Ranked, Decimal) -> RankRow,
    language: Language,
) -> Vec<Ranking> {
    let mut groups: BTreeMap<Option<String>, Vec<&Ranked>> = BTreeMap::new();
    for unit in ranked {
        let group = if grouped { unit.group.clone() } else { None };
        groups.entry(group).or_default().push(unit);
    }
    groups
        .into_iter()
        .map(|(group, mut units)| {
            units.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
            let scores: Vec<Decimal> = units.iter().map(|u| u.score).collect();
            let rows: Vec<RankRow> = units
                .iter()
                .zip(ranks(&scores, &vec![(); scores.len()]))
                .map(|(u, r)| row(u, r))
                .collect();
            let count = rows.len();
            let (top, left_out, bottom) = if count > 2 * RANK_SHOWN {
                (
                    rows[..RANK_SHOWN].to_vec(),
                    count - 2 * RANK_SHOWN,
                    rows[count - RANK_SHOWN..].to_vec(),
                )
            } else {
                (rows, 0, Vec::new())
            };
            Ranking {
                group,
                units: count,
                top,
                left_out: if left_out > 0 {
                    language.fill(Word::RankLeftOut, &[&left_out])
                } else {
                    String::new()
                },
                bottom,
            }
        })
        .collect()
}

fn card(catalog: &Catalog, unit: Unit, language: Language) -> Card {
    let program = &catalog.programs[unit.edition];
    let lost = unit
        .lost
        .iter()
        .map(|lost| {
            let id = &catalog.rule(lost.rule).id;
            let rule = catalog
                .rule_in(unit.edition, lost.rule)
                .and_then(|rule| program.standard.rules.get(rule.0));
            LostRow {
                id: id.clone(),
                title: rule.map_or_else(String::new, |r| r.title.clone()),
                outcome: lost.outcome.clone(),
                outcome_word: language
                    .parenthesized(outcome_name(language, &lost.outcome))
                    .trim_start()
                    .to_owned(),
                lost: lost.lost.clone(),
                possible: lost.possible.clone(),
                observed: lost.observed.clone(),
                remedy: lost
                    .waiver
                    .clone()
                    .or_else(|| rule.and_then(|r| r.remedy.clone()))
                    .unwrap_or_default(),
                reference: rule.and_then(|r| r.reference.clone()).unwrap_or_default(),
                owner: rule.and_then(|r| r.owner.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Card {
        edition: program.standard.version.clone(),
        score: score(unit.score()),
        grade: grade_with_veto(catalog, language, unit.grade, &unit.veto),
        tone: tone(catalog, unit.grade),
        key: unit.key,
        at: unit.at,
        lost,
    }
}
