//! The outputs of `yardstick rollup` (SPEC §8): a unit's year — its final
//! score, grade and rank, a score per level and period, inspections per
//! method, repeats and targets — then grade counts and quotas, the repeat
//! list by owner, and target attainment. One module a format; what they
//! share is here: the columns of the units' table ([`Column`], each cell a
//! [`Value`] a format writes its own way), headings, a period's name, a
//! repeat in words, the scoring method in words, the totals row by row.

mod charts;
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;
pub mod xlsx;

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::check::model::{Calendar, Periods, Target, TermOf};
use crate::eval::catalog::Catalog;
use crate::language::{Language, Word};
use crate::report::values::Tone;
use crate::results::text::score;
use crate::rollup::{Assessment, Plan, RepeatRun, Totals, UnitYear};

/// Everything a roll-up's report shows.
#[derive(Debug)]
pub struct View<'a> {
    /// The roll-up and what it weighs.
    pub plan: &'a Plan,
    /// What it came to.
    pub assessment: &'a Assessment,
    /// Its totals.
    pub totals: &'a Totals,
    /// The rules' ids, titles and owners.
    pub catalog: &'a Catalog,
    /// The language of the report.
    pub language: Language,
    /// Inspections left out (each a data error).
    pub left_out: u64,
    /// The column that groups units (`--group-by`), when one is asked for.
    pub group: Option<&'a str>,
    /// How the unit's column is headed: the key field's label, else its name.
    pub key_heading: &'a str,
}

impl View<'_> {
    /// A level's name in the report's language: 月度, 季度...; a level
    /// told by a field keeps its own name.
    pub fn level_name(&self, level: usize) -> String {
        let level = &self.plan.rollup.levels[level];
        let word = match level.periods {
            Periods::Calendar(Calendar::Week) => Word::LevelWeek,
            Periods::Calendar(Calendar::Month) => Word::LevelMonth,
            Periods::Calendar(Calendar::Quarter) => Word::LevelQuarter,
            Periods::Calendar(Calendar::Year) => Word::LevelYear,
            Periods::Field(_) => return level.name.clone(),
        };
        self.language.word(word).to_owned()
    }

    /// The heading of a period's column: its name, and for a level told
    /// by a field, the level's name before it (`round 第一輪`).
    pub fn period_heading(&self, level: usize, name: &str) -> String {
        match self.plan.rollup.levels[level].periods {
            Periods::Calendar(_) => name.to_owned(),
            Periods::Field(_) => format!("{} {name}", self.level_name(level)),
        }
    }

    /// A unit's score in one period of a level, if it has one.
    pub fn period_score(unit: &UnitYear, level: usize, period: i64) -> Option<Decimal> {
        unit.levels[level]
            .iter()
            .find(|(p, _)| *p == period)
            .map(|(_, s)| *s)
    }

    /// A score as reports write it (2 decimals), or empty.
    pub fn score_text(value: Option<Decimal>) -> String {
        value.map(score).unwrap_or_default()
    }

    /// The tone of a unit's grade: the first band good, the last bad.
    pub fn tone(&self, unit: &UnitYear) -> Tone {
        Tone::of_band(unit.grade, self.plan.rollup.grades.len())
    }

    /// A grade's name, or empty.
    pub fn grade_name(&self, unit: &UnitYear) -> &str {
        unit.grade
            .and_then(|g| self.plan.rollup.grades.get(g))
            .map_or("", |band| band.name.as_str())
    }

    /// The names of a repeat run's periods, first to last: `2015年3月–2015年4月`.
    pub fn run_periods(&self, run: &RepeatRun) -> String {
        let level = self.plan.rollup.repeats[run.line].level;
        let name = |p: &i64| self.period_name(level, *p);
        match (run.periods.first(), run.periods.last()) {
            (Some(first), Some(last)) if first != last => {
                format!("{}–{}", name(first), name(last))
            }
            (Some(first), _) => name(first).to_owned(),
            _ => String::new(),
        }
    }

    /// A repeat run in words: `A2 2015年3月–2015年4月（扣 2 分）`.
    pub fn run_text(&self, run: &RepeatRun) -> String {
        let id = self.rule_id(run.rule);
        self.language.fill(
            Word::RepeatRunText,
            &[&id, &self.run_periods(run), &run.points.normalize()],
        )
    }

    /// A rule's id by its catalog column.
    pub fn rule_id(&self, rule: usize) -> &str {
        self.catalog.rules.get(rule).map_or("", |r| r.id.as_str())
    }

    /// A target's state for a unit in words: the date it first held, and
    /// whether it held at the deadline.
    pub fn target_words(&self, unit: &UnitYear, target: usize) -> (String, String) {
        let reached = unit.targets[target];
        let first = reached
            .first_held
            .map_or_else(String::new, |d| d.to_string());
        let word = match reached.at_deadline {
            Some(true) => Word::Met,
            Some(false) => Word::NotMet,
            None => Word::NoInspection,
        };
        (first, self.language.word(word).to_owned())
    }

    /// A share as a percent with one decimal: `66.7%`.
    pub fn percent(part: u64, whole: u64) -> String {
        if whole == 0 {
            return "—".to_owned();
        }
        let share = Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole);
        format!("{}%", crate::value::round(share, 1).normalize())
    }

    /// The total points a unit lost to repeats.
    pub fn repeat_points(unit: &UnitYear) -> Decimal {
        unit.repeats.iter().map(|r| r.points).sum()
    }

    /// The name of a level's period (its number when the assessment has
    /// no such period, which a run's periods always have).
    pub fn period_name(&self, level: usize, period: i64) -> &str {
        self.assessment.periods[level]
            .iter()
            .find(|(p, _)| *p == period)
            .map_or("", |(_, name)| name.as_str())
    }

    /// The standard's title (of the latest edition).
    pub fn standard_title(&self) -> &str {
        &self.catalog.latest().standard.title
    }

    /// The days the roll-up uses, in words (`2015-01-01 至 2015-12-31`);
    /// `None` when it has no bounds.
    pub fn period_text(&self) -> Option<String> {
        let period = self.plan.rollup.period?;
        let language = self.language;
        Some(match (period.from, period.to) {
            (Some(from), Some(to)) => language.fill(Word::EditionDates, &[&from, &to]),
            (Some(from), None) => language.fill(Word::EditionFrom, &[&from]),
            (None, Some(to)) => language.fill(Word::UntilDay, &[&to]),
            (None, None) => return None,
        })
    }

    /// How a level is scored, in words: `月度 = 60% 暗訪 + 40% 明察`.
    pub fn level_formula(&self, level: usize) -> String {
        let terms: Vec<String> = self.plan.rollup.levels[level]
            .terms
            .iter()
            .map(|term| {
                let of = match &term.of {
                    TermOf::Method(method) => method.clone(),
                    TermOf::Level(finer) => self.level_name(*finer),
                };
                if term.weight == Decimal::ONE {
                    of
                } else {
                    format!("{}% {of}", (term.weight * Decimal::ONE_HUNDRED).normalize())
                }
            })
            .collect();
        format!("{} = {}", self.level_name(level), terms.join(" + "))
    }

    /// Each `repeat` line in words: `月度：同一規則連續 2 期不合格，每次重複扣 2 分`.
    pub fn repeat_rules(&self) -> Vec<String> {
        self.plan
            .rollup
            .repeats
            .iter()
            .map(|repeat| {
                self.language.fill(
                    Word::RepeatRule,
                    &[
                        &self.level_name(repeat.level),
                        &repeat.times,
                        &repeat.deduct.normalize(),
                    ],
                )
            })
            .collect()
    }

    /// The summary's sentences: units and how many have a final score,
    /// then inspections used and left out.
    pub fn counts_sentences(&self) -> [String; 2] {
        let assessment = self.assessment;
        [
            self.language.fill(
                Word::RollupUnits,
                &[&assessment.units.len(), &assessment.ranked],
            ),
            self.language
                .fill(Word::InspectionsUsed, &[&assessment.used, &self.left_out]),
        ]
    }

    /// Each grade band: its name, the units given it, and its quota when
    /// it has a `top`.
    pub fn grade_counts(&self) -> impl Iterator<Item = (&str, u64, Option<u64>)> {
        let totals = self.totals;
        self.plan
            .rollup
            .grades
            .iter()
            .zip(&totals.grades)
            .zip(&totals.quotas)
            .map(|((band, count), quota)| (band.name.as_str(), *count, *quota))
    }

    /// Each target: the units that met it at the deadline, and the units
    /// judged (inspected by then).
    pub fn target_counts(&self) -> impl Iterator<Item = (&Target, u64, u64)> {
        self.plan
            .rollup
            .targets
            .iter()
            .zip(&self.totals.targets)
            .map(|(target, (met, units))| (target, *met, *units))
    }

    /// The repeat list (問責名單) by owner: each owner's name (or the word
    /// for none) and its (unit, run) pairs, in the totals' order.
    pub fn repeats_by_owner(&self) -> Vec<(&str, Vec<(usize, usize)>)> {
        let mut owners: Vec<(&str, Vec<(usize, usize)>)> = Vec::new();
        for &(unit, run) in &self.totals.repeats {
            let rule = self.assessment.units[unit].repeats[run].rule;
            let owner = self
                .catalog
                .rules
                .get(rule)
                .and_then(|r| r.owner.as_deref())
                .unwrap_or(self.language.word(Word::NoOwner));
            match owners.last_mut() {
                Some((last, pairs)) if *last == owner => pairs.push((unit, run)),
                _ => owners.push((owner, vec![(unit, run)])),
            }
        }
        owners
    }

    /// Every column of the units' table, in order: key, group, final
    /// score, grade, rank, score before repeats, repeat points, each
    /// period of each level (finest first), inspections per method, the
    /// repeats, and each target's first date and state at the deadline.
    /// Each format keeps the ones it shows.
    pub fn columns(&self) -> Vec<Column> {
        let mut columns = vec![Column::Key];
        if self.group.is_some() {
            columns.push(Column::Group);
        }
        columns.extend([
            Column::FinalScore,
            Column::Grade,
            Column::Rank,
            Column::ScoreBeforeRepeats,
            Column::RepeatPoints,
        ]);
        for (level, periods) in self.assessment.periods.iter().enumerate() {
            columns.extend((0..periods.len()).map(|at| Column::Period(level, at)));
        }
        columns.extend((0..self.plan.methods.len()).map(Column::Inspections));
        columns.push(Column::Repeats);
        for target in 0..self.plan.rollup.targets.len() {
            columns.extend([
                Column::TargetFirstMet(target),
                Column::TargetAtDeadline(target),
            ]);
        }
        columns
    }

    /// A column's heading in the report's language.
    pub fn heading(&self, column: Column) -> String {
        let language = self.language;
        let word = |w: Word| language.word(w).to_owned();
        let target = |t: usize| &self.plan.rollup.targets[t].name;
        match column {
            Column::Key => self.key_heading.to_owned(),
            Column::Group => self.group.unwrap_or_default().to_owned(),
            Column::FinalScore => word(Word::FinalScore),
            Column::Grade => word(Word::Grade),
            Column::Rank => word(Word::Rank),
            Column::ScoreBeforeRepeats => word(Word::ScoreBeforeRepeats),
            Column::RepeatPoints => word(Word::RepeatPoints),
            Column::Period(level, at) => {
                self.period_heading(level, &self.assessment.periods[level][at].1)
            }
            Column::Inspections(method) => {
                language.fill(Word::InspectionsBy, &[&self.plan.methods[method]])
            }
            Column::Repeats => word(Word::Repeats),
            Column::TargetFirstMet(t) => language.fill(Word::TargetFirstMet, &[target(t)]),
            Column::TargetAtDeadline(t) => language.fill(Word::TargetAtDeadline, &[target(t)]),
        }
    }

    /// A unit's cell in a column.
    pub fn value(&self, unit: &UnitYear, column: Column) -> Value {
        match column {
            Column::Key => Value::Text(unit.key.clone()),
            Column::Group => Value::Text(unit.group.clone().unwrap_or_default()),
            Column::FinalScore => Value::Score(unit.score),
            Column::Grade => Value::Text(self.grade_name(unit).to_owned()),
            Column::Rank => Value::Count(unit.rank),
            Column::ScoreBeforeRepeats => Value::Score(unit.base),
            Column::RepeatPoints => Value::Points(View::repeat_points(unit)),
            Column::Period(level, at) => {
                let period = self.assessment.periods[level][at].0;
                Value::Score(View::period_score(unit, level, period))
            }
            Column::Inspections(method) => Value::Count(unit.inspections.get(method).copied()),
            Column::Repeats => Value::List(unit.repeats.iter().map(|r| self.run_text(r)).collect()),
            Column::TargetFirstMet(t) => Value::Date(unit.targets[t].first_held),
            Column::TargetAtDeadline(t) => Value::Text(self.target_words(unit, t).1),
        }
    }
}

/// A column of the units' table (see [`View::columns`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The unit's key.
    Key,
    /// Its group (`--group-by`).
    Group,
    /// The final score.
    FinalScore,
    /// The grade.
    Grade,
    /// The rank.
    Rank,
    /// The last level's score before repeats.
    ScoreBeforeRepeats,
    /// The points repeats took off.
    RepeatPoints,
    /// A level's score in one of its periods: the level, and the period's
    /// place in the assessment's periods of that level.
    Period(usize, usize),
    /// How many inspections used a method (by index into the plan's methods).
    Inspections(usize),
    /// The repeat runs in words.
    Repeats,
    /// The date a target first held.
    TargetFirstMet(usize),
    /// Whether a target held at its deadline, in words.
    TargetAtDeadline(usize),
}

impl Column {
    /// Whether the column holds numbers (right-aligned in tables).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Column::FinalScore
                | Column::Rank
                | Column::ScoreBeforeRepeats
                | Column::RepeatPoints
                | Column::Period(..)
                | Column::Inspections(_)
        )
    }
}

/// A cell of the units' table, typed, for each format to write its way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A score, shown with 2 decimals; `None` is no score.
    Score(Option<Decimal>),
    /// Points, shown as they are (`8`, `0.5`).
    Points(Decimal),
    /// A whole number; `None` is none.
    Count(Option<u64>),
    /// A date; `None` is none.
    Date(Option<Date>),
    /// Items of a list.
    List(Vec<String>),
}

impl Value {
    /// The cell as text, list items joined by `separator`.
    pub fn text(&self, separator: &str) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Score(value) => View::score_text(*value),
            Value::Points(points) => points.normalize().to_string(),
            Value::Count(count) => count.map(|c| c.to_string()).unwrap_or_default(),
            Value::Date(date) => date.map(|d| d.to_string()).unwrap_or_default(),
            Value::List(items) => items.join(separator),
        }
    }
}
