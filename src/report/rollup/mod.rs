//! The outputs of `yardstick rollup` (SPEC §8): a unit's year — its final
//! score, grade and rank, a score per level and period, inspections per
//! method, repeats and targets — then grade counts and quotas, the repeat
//! list by owner, and target attainment. One module a format; what they
//! share (headings, a period's column, a repeat in words) is here.

pub mod csv;
pub mod json;
pub mod table;

use rust_decimal::Decimal;

use crate::check::model::{Calendar, Periods};
use crate::eval::catalog::Catalog;
use crate::language::{Language, Word};
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

    /// A grade's name, or empty.
    pub fn grade_name(&self, unit: &UnitYear) -> &str {
        unit.grade
            .and_then(|g| self.plan.rollup.grades.get(g))
            .map_or("", |band| band.name.as_str())
    }

    /// The names of a repeat run's periods, first to last: `2015年3月–2015年4月`.
    pub fn run_periods(&self, run: &RepeatRun) -> String {
        let level = self.plan.rollup.repeats[run.line].level;
        let name = |p: &i64| {
            self.assessment.periods[level]
                .iter()
                .find(|(q, _)| q == p)
                .map_or_else(|| p.to_string(), |(_, n)| n.clone())
        };
        match (run.periods.first(), run.periods.last()) {
            (Some(first), Some(last)) if first != last => {
                format!("{}–{}", name(first), name(last))
            }
            (Some(first), _) => name(first),
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
}
