//! `rollup --format html`: the year's assessment as one self-contained
//! page (no network, no scripts, no external fonts or styles), in the
//! output's language and no other, for people to read and print:
//!
//! - a summary: units, grade counts with the use of each quota, target
//!   attainment, repeats and inspections used and left out, then how the
//!   roll-up scores (each level's weights, each `repeat` line);
//! - the units ranked: final score, grade, rank, the score before repeats
//!   and the points repeats took, inspections per method and the targets
//!   (every period's score is in the heat map, every repeat in the list);
//! - a heat map (inline SVG) of units × the periods of every level, finest
//!   first, each level's periods together under its name: a month's score
//!   sits beside its quarter's and the year's, and one colour scale (fixed
//!   bands of ten points, so that two pages compare) reads across them;
//!   each cell shows its score, a grey one has none;
//! - a trend per unit: a small line chart (inline SVG) of its scores in the
//!   periods of the finest level, against the average of all units, every
//!   chart on one scale. Small multiples read for the 30 to 300 units of a
//!   year, where one chart of 300 lines would not;
//! - the repeat list (問責名單) under each owner, and the targets.
//!
//! Units are in the order of their rank (equal scores in the order of the
//! data). Thousands of units stay readable: the table and the heat map show
//! the best and the worst [`UNITS_SHOWN`] / 2, the trends the best and the
//! worst 150, and the page says how many it left out. The page has no date
//! or time: the same data gives the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::{HeatMap, Trends, ends, heat_map, trends};
use super::{Column, View};
use crate::language::{WORDS, Word};
use crate::report::errors::ReportError;
use crate::report::html::environment;
use crate::report::values::Tone;
use crate::rollup::UnitYear;

/// Units listed in the table and drawn in the heat map, at most.
pub const UNITS_SHOWN: usize = 1000;

const TEMPLATE: &str = include_str!("report.html.jinja");

#[derive(Serialize)]
struct Page {
    lang: &'static str,
    /// Every word, by its name in [`Word`].
    t: BTreeMap<String, &'static str>,
    title: String,
    about: String,
    units_sentence: String,
    inspections_sentence: String,
    method: Vec<String>,
    facts: Vec<Fact>,
    grades: Vec<GradeRow>,
    targets: Vec<TargetRow>,
    headings: Vec<Cell>,
    table: Vec<Vec<Cell>>,
    table_gap: Option<(usize, String)>,
    heat: HeatMap,
    trends: Trends,
    has_repeats: bool,
    owners: Vec<Owner>,
}

/// A number in the summary, with what it counts and its tone.
#[derive(Serialize)]
struct Fact {
    label: String,
    value: String,
    note: String,
    tone: &'static str,
}

#[derive(Serialize)]
struct GradeRow {
    name: String,
    count: u64,
    share: String,
    quota: Option<u64>,
    tone: &'static str,
}

#[derive(Serialize)]
struct TargetRow {
    name: String,
    by: String,
    met: u64,
    units: u64,
    rate: String,
}

/// A cell of the units' table and its class (`num`, a tone, or none).
#[derive(Serialize)]
struct Cell {
    text: String,
    class: &'static str,
}

#[derive(Serialize)]
struct Owner {
    name: String,
    rows: Vec<RepeatRow>,
}

#[derive(Serialize)]
struct RepeatRow {
    key: String,
    rule: String,
    title: String,
    periods: String,
    count: u64,
    points: String,
}

/// The page.
pub fn render(view: &View<'_>) -> Result<String, ReportError> {
    let language = view.language;
    let [units_sentence, inspections_sentence] = view.counts_sentences();
    let mut about = view.standard_title().to_owned();
    if let Some(period) = view.period_text() {
        about.push_str(" · ");
        about.push_str(&language.labelled(language.word(Word::AssessedPeriod), &period));
    }
    let levels = view.plan.rollup.levels.len();
    let by_rank = by_rank(&view.assessment.units);
    let (shown, left_out) = ends(&by_rank, UNITS_SHOWN);
    let gap = (left_out > 0).then(|| language.fill(Word::RankLeftOut, &[&left_out]));
    let (columns, table) = units_table(view, &shown);
    let page = Page {
        lang: language.code(),
        t: WORDS
            .iter()
            .map(|&w| (format!("{w:?}"), language.word(w)))
            .collect(),
        title: view.plan.rollup.title.clone(),
        about,
        units_sentence,
        inspections_sentence,
        method: (0..levels)
            .map(|level| view.level_formula(level))
            .chain(view.repeat_rules())
            .collect(),
        facts: facts(view),
        grades: grades(view),
        targets: view
            .target_counts()
            .map(|(target, met, units)| TargetRow {
                name: target.name.clone(),
                by: target.by.to_string(),
                met,
                units,
                rate: View::percent(met, units),
            })
            .collect(),
        headings: columns
            .iter()
            .map(|&c| Cell {
                text: view.heading(c),
                class: if c.is_number() { "num" } else { "" },
            })
            .collect(),
        table_gap: gap.clone().map(|text| (shown.len() / 2, text)),
        table,
        heat: heat_map(view, &shown, gap),
        trends: trends(view, &by_rank),
        has_repeats: !view.plan.rollup.repeats.is_empty(),
        owners: owners(view),
    };
    let mut environment = environment()?;
    environment.add_template("rollup.html", TEMPLATE)?;
    environment
        .get_template("rollup.html")
        .and_then(|t| t.render(minijinja::value::Serde(&page)))
        .map_err(ReportError::from)
}

/// The units' indices by rank, those without a final score last; equal
/// ranks in the order of the data.
fn by_rank(units: &[UnitYear]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&u| (units[u].rank.is_none(), units[u].rank, u));
    order
}

fn facts(view: &View<'_>) -> Vec<Fact> {
    let language = view.language;
    let word = |w: Word| language.word(w).to_owned();
    let fact = |label: String, value: String, note: String, tone: &'static str| Fact {
        label,
        value,
        note,
        tone,
    };
    let assessment = view.assessment;
    let mut facts = vec![
        fact(
            word(Word::Units),
            assessment.units.len().to_string(),
            String::new(),
            "",
        ),
        fact(
            word(Word::WithFinalScore),
            assessment.ranked.to_string(),
            String::new(),
            "",
        ),
    ];
    let bands = view.plan.rollup.grades.len();
    for (band, (name, count, quota)) in view.grade_counts().enumerate() {
        let note = quota.map_or_else(String::new, |q| language.fill(Word::QuotaOf, &[&q]));
        let tone = Tone::of_band(Some(band), bands).class();
        facts.push(fact(name.to_owned(), count.to_string(), note, tone));
    }
    for (target, met, units) in view.target_counts() {
        let label = format!("{} {}", target.name, word(Word::AttainmentRate));
        let note = format!("{met} / {units}");
        facts.push(fact(label, View::percent(met, units), note, ""));
    }
    if !view.plan.rollup.repeats.is_empty() {
        let runs = view.totals.repeats.len().to_string();
        facts.push(fact(word(Word::Repeats), runs, String::new(), "bad"));
    }
    facts.push(fact(
        word(Word::InspectionsUsedFact),
        assessment.used.to_string(),
        String::new(),
        "",
    ));
    let left_out_tone = if view.left_out > 0 { "bad" } else { "" };
    facts.push(fact(
        word(Word::LeftOutFact),
        view.left_out.to_string(),
        String::new(),
        left_out_tone,
    ));
    facts
}

fn grades(view: &View<'_>) -> Vec<GradeRow> {
    let bands = view.plan.rollup.grades.len();
    view.grade_counts()
        .enumerate()
        .map(|(band, (name, count, quota))| GradeRow {
            name: name.to_owned(),
            count,
            share: View::percent(count, view.assessment.ranked),
            quota,
            tone: Tone::of_band(Some(band), bands).class(),
        })
        .collect()
}

/// The table's columns (every one but the periods', which the heat map
/// shows, and the repeats in words, which the repeat list shows: the table
/// keeps their points) and a row per unit shown.
fn units_table(view: &View<'_>, shown: &[usize]) -> (Vec<Column>, Vec<Vec<Cell>>) {
    let columns: Vec<Column> = view
        .columns()
        .into_iter()
        .filter(|column| !matches!(column, Column::Period(..) | Column::Repeats))
        .collect();
    let separator = view.language.list_separator();
    let rows = shown
        .iter()
        .map(|&u| {
            let unit = &view.assessment.units[u];
            columns
                .iter()
                .map(|&c| Cell {
                    text: view.value(unit, c).text(separator),
                    class: match c {
                        Column::Grade => view.tone(unit).class(),
                        c if c.is_number() => "num",
                        _ => "",
                    },
                })
                .collect()
        })
        .collect();
    (columns, rows)
}

/// The repeat list under each owner.
fn owners(view: &View<'_>) -> Vec<Owner> {
    view.repeats_by_owner()
        .into_iter()
        .map(|(name, pairs)| Owner {
            name: name.to_owned(),
            rows: pairs
                .into_iter()
                .map(|(unit, run)| {
                    let unit = &view.assessment.units[unit];
                    let run = &unit.repeats[run];
                    let rule = &view.catalog.rules[run.rule];
                    RepeatRow {
                        key: unit.key.clone(),
                        rule: rule.id.clone(),
                        title: rule.title.clone(),
                        periods: view.run_periods(run),
                        count: run.count,
                        points: run.points.normalize().to_string(),
                    }
                })
                .collect(),
        })
        .collect()
}
