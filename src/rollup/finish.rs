//! From what the roller kept to the assessment: each level's scores from
//! the finest up, the final score after repeats, ranks, grades, targets.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::accumulate::{Roller, TargetState};
use super::condition::{self, Facts};
use super::mean::{Mean, weighted};
use super::periods::{PeriodId, calendar_name};
use super::{Assessment, Plan, RepeatRun, TargetReached, UnitYear};
use crate::check::model::{Periods, Quota, TermOf};

impl Roller<'_> {
    /// The assessment of every unit taken.
    pub fn finish(self) -> Assessment {
        let plan = self.plan;
        finish_all(plan, vec![self])
    }

    /// The year of each unit this roller holds, with its first place in the
    /// input; `orders` gives each field level's values (by this roller's
    /// numbers) their place in the level's order.
    fn unit_years(mut self, orders: &[Vec<PeriodId>]) -> Vec<(u64, UnitYear)> {
        let plan = self.plan;
        // A field's values by their place in its order, so that periods sort.
        let field_of: Vec<Option<usize>> = (0..plan.rollup.levels.len())
            .map(|l| plan.field_levels.iter().position(|&f| f == l))
            .collect();
        let levels = plan.rollup.levels.len();
        for combination in self.combination_periods.chunks_mut(levels.max(1)) {
            for (level, period) in combination.iter_mut().enumerate() {
                if let Some(field) = field_of[level] {
                    *period = orders[field][*period as usize];
                }
            }
        }
        let mut cells: Vec<usize> = (0..self.cell_of.len()).collect();
        cells.sort_by_key(|&c| self.cell_of[c].0);
        let methods = plan.methods.len();
        let words = self.words;
        let targets = plan.rollup.targets.len();
        let mut units = Vec::with_capacity(self.keys.len());
        let mut next_cell = 0;
        for (unit, (key, group, first)) in self.keys.drain(..).enumerate() {
            let first_cell = next_cell;
            while next_cell < cells.len() && self.cell_of[cells[next_cell]].0 == unit as u32 {
                next_cell += 1;
            }
            let mine: Vec<Cell<'_>> = cells[first_cell..next_cell]
                .iter()
                .map(|&c| {
                    let combination = self.cell_of[c].1 as usize;
                    Cell {
                        periods: &self.combination_periods[combination * levels..][..levels],
                        means: &self.means[c * methods..(c + 1) * methods],
                        failed: &self.failed[c * words..(c + 1) * words],
                    }
                })
                .collect();
            let held = &self.targets[unit * targets..(unit + 1) * targets];
            let mut year = unit_year(plan, &mine, held);
            year.key = key;
            year.group = group;
            year.inspections = self.inspections[unit * methods..(unit + 1) * methods].to_vec();
            units.push((first, year));
        }
        units
    }
}

/// The assessment of the units of several rollers, each holding units the
/// others do not: their years in input order, ranked and graded together.
pub(super) fn finish_all(plan: &Plan, rollers: Vec<Roller<'_>>) -> Assessment {
    // Each field level's values over every roller, in the level's order.
    let fields = plan.field_levels.len();
    let mut names: Vec<Vec<String>> = vec![Vec::new(); fields];
    for (field, names) in names.iter_mut().enumerate() {
        let mut seen = std::collections::HashSet::new();
        for roller in &rollers {
            for name in &roller.value_names[field] {
                if seen.insert(name.as_str()) {
                    names.push(name.clone());
                }
            }
        }
    }
    let orders: Vec<Vec<PeriodId>> = names
        .iter()
        .zip(&plan.field_choices)
        .map(|(names, choices)| value_order(names, choices.as_deref()))
        .collect();
    let mut in_order: Vec<Vec<String>> = vec![Vec::new(); fields];
    for ((sorted, names), order) in in_order.iter_mut().zip(&names).zip(&orders) {
        let mut by_place: Vec<(PeriodId, &String)> = order.iter().copied().zip(names).collect();
        by_place.sort_unstable();
        sorted.extend(by_place.into_iter().map(|(_, name)| name.clone()));
    }
    let used = rollers.iter().map(|r| r.used).sum();
    // The rollers' units are computed on every core.
    let mut years: Vec<(u64, UnitYear)> = rollers
        .into_par_iter()
        .flat_map_iter(|roller| {
            let local: Vec<Vec<PeriodId>> = roller
                .value_names
                .iter()
                .zip(&in_order)
                .map(|(mine, sorted)| {
                    mine.iter()
                        .map(|name| sorted.iter().position(|n| n == name).unwrap_or(0) as PeriodId)
                        .collect()
                })
                .collect();
            roller.unit_years(&local)
        })
        .collect();
    years.sort_by_key(|(first, _)| *first);
    let mut units: Vec<UnitYear> = years.into_iter().map(|(_, year)| year).collect();
    let ranked = rank_and_grade(plan, &mut units);
    let periods = period_names(plan, &units, &in_order);
    Assessment {
        periods,
        units,
        ranked,
        used,
    }
}

/// One combination of periods of a unit: its period of each level (in
/// order), its mean per method and the rules failed in it (as bits).
struct Cell<'a> {
    periods: &'a [PeriodId],
    means: &'a [Mean],
    failed: &'a [u64],
}

impl Cell<'_> {
    /// The rules failed in the cell, as catalog columns, in order.
    fn failed_rules(&self) -> impl Iterator<Item = usize> + '_ {
        self.failed.iter().enumerate().flat_map(|(word, &bits)| {
            (0..u64::BITS as usize)
                .filter(move |bit| bits & (1 << bit) != 0)
                .map(move |bit| word * u64::BITS as usize + bit)
        })
    }
}

/// For each value of a field (by the number it was given when first
/// seen), its place in the level's order: a `one of` field's order of
/// choices; else numbers by value when every value is one, else text order.
fn value_order(names: &[String], choices: Option<&[String]>) -> Vec<PeriodId> {
    let mut by_order: Vec<usize> = (0..names.len()).collect();
    let numbers: Option<Vec<Decimal>> = names.iter().map(|n| n.trim().parse().ok()).collect();
    match (choices, numbers) {
        (Some(choices), _) => by_order.sort_by_key(|&i| {
            let at = choices.iter().position(|c| *c == names[i]);
            (at.unwrap_or(usize::MAX), names[i].clone())
        }),
        (None, Some(numbers)) => by_order.sort_by(|&a, &b| numbers[a].cmp(&numbers[b])),
        (None, None) => by_order.sort_by(|&a, &b| names[a].cmp(&names[b])),
    }
    let mut order = vec![0; names.len()];
    for (place, &value) in by_order.iter().enumerate() {
        order[value] = place as PeriodId;
    }
    order
}

/// One unit's levels, repeats, final score and targets, from its cells.
fn unit_year(plan: &Plan, cells: &[Cell<'_>], held: &[TargetState]) -> UnitYear {
    let rollup = &plan.rollup;
    let mut scores: Vec<Vec<(PeriodId, Option<Decimal>)>> = Vec::new();
    for (l, level) in rollup.levels.iter().enumerate() {
        let mut periods: Vec<PeriodId> = cells.iter().map(|c| c.periods[l]).collect();
        periods.sort_unstable();
        periods.dedup();
        let mut of_level = Vec::with_capacity(periods.len());
        for period in periods {
            let inside = || cells.iter().filter(move |c| c.periods[l] == period);
            let mut present = Vec::with_capacity(level.terms.len());
            for term in &level.terms {
                let mut mean = Mean::default();
                match &term.of {
                    TermOf::Method(method) => {
                        let m = plan.methods.iter().position(|x| x == method).unwrap_or(0);
                        inside().for_each(|c| mean.merge(&c.means[m]));
                    }
                    TermOf::Level(finer) => {
                        let mut finer_periods: Vec<PeriodId> =
                            inside().map(|c| c.periods[*finer]).collect();
                        finer_periods.sort_unstable();
                        finer_periods.dedup();
                        let finer_scores = &scores[*finer];
                        for p in finer_periods {
                            if let Ok(at) = finer_scores.binary_search_by_key(&p, |(q, _)| *q)
                                && let Some(score) = finer_scores[at].1
                            {
                                mean.add(score);
                            }
                        }
                    }
                }
                if let Some(value) = mean.value() {
                    present.push((term.weight, value));
                }
            }
            of_level.push((period, weighted(present)));
        }
        scores.push(of_level);
    }
    let mut last = Mean::default();
    if let Some(top) = scores.last() {
        top.iter().filter_map(|(_, s)| *s).for_each(|s| last.add(s));
    }
    let base = last.value();
    let mut repeats = Vec::new();
    for (line, repeat) in rollup.repeats.iter().enumerate() {
        let mut failed: Vec<(usize, PeriodId)> = cells
            .iter()
            .flat_map(|cell| {
                let period = cell.periods[repeat.level];
                cell.failed_rules().map(move |rule| (rule, period))
            })
            .collect();
        failed.sort_unstable();
        failed.dedup();
        for of_rule in failed.chunk_by(|a, b| a.0 == b.0) {
            let rule = of_rule[0].0;
            let periods: Vec<PeriodId> = of_rule.iter().map(|&(_, p)| p).collect();
            for periods in consecutive_runs(&periods) {
                let k = periods.len() as u64;
                if k >= u64::from(repeat.times) {
                    let count = k - u64::from(repeat.times) + 1;
                    repeats.push(RepeatRun {
                        line,
                        rule,
                        periods,
                        count,
                        points: repeat.deduct * Decimal::from(count),
                    });
                }
            }
        }
    }
    let lost: Decimal = repeats.iter().map(|r| r.points).sum();
    let score = base.map(|b| (b - lost).max(Decimal::ZERO).min(plan.cap));
    UnitYear {
        key: String::new(),
        group: None,
        base,
        score,
        rank: None,
        grade: None,
        levels: scores
            .into_iter()
            .map(|of_level| {
                of_level
                    .into_iter()
                    .filter_map(|(p, s)| Some((p, s?)))
                    .collect()
            })
            .collect(),
        inspections: Vec::new(),
        repeats,
        targets: held
            .iter()
            .map(|t| TargetReached {
                first_held: t.first_held,
                at_deadline: t.latest.map(|(_, _, held)| held),
            })
            .collect(),
    }
}

/// Runs of consecutive periods in a sorted list without repeats.
fn consecutive_runs(periods: &[PeriodId]) -> Vec<Vec<PeriodId>> {
    let mut runs: Vec<Vec<PeriodId>> = Vec::new();
    for &period in periods {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|&last| last + 1 == period) => run.push(period),
            _ => runs.push(vec![period]),
        }
    }
    runs
}

/// A unit's final score and rank, as its grade bands read them.
pub(super) struct Standing {
    /// The final score.
    pub(super) score: Decimal,
    /// Its rank.
    pub(super) rank: u64,
    /// How many units are ranked.
    pub(super) ranked: u64,
}

impl Facts for Standing {
    fn score(&self) -> Option<Decimal> {
        Some(self.score)
    }

    fn rank(&self) -> Option<Decimal> {
        Some(Decimal::from(self.rank))
    }

    fn top(&self, quota: Quota) -> Option<bool> {
        Some(self.rank <= condition::quota_limit(quota, self.ranked))
    }
}

/// Ranks the units with a final score (ties share the better rank) and
/// grades them; returns how many were ranked.
fn rank_and_grade(plan: &Plan, units: &mut [UnitYear]) -> u64 {
    let mut scores: Vec<Decimal> = units.iter().filter_map(|u| u.score).collect();
    scores.sort_unstable_by(|a, b| b.cmp(a));
    let ranked = scores.len() as u64;
    for unit in units.iter_mut() {
        let Some(score) = unit.score else { continue };
        let better = scores.partition_point(|s| *s > score) as u64;
        let standing = Standing {
            score,
            rank: better + 1,
            ranked,
        };
        unit.rank = Some(standing.rank);
        unit.grade = condition::first_band(&plan.rollup.grades, &standing);
    }
    ranked
}

/// For each level, the periods any unit has, in order, named.
fn period_names(
    plan: &Plan,
    units: &[UnitYear],
    in_order: &[Vec<String>],
) -> Vec<Vec<(PeriodId, String)>> {
    plan.rollup
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            Assessment::periods_shown(plan, units, l)
                .into_iter()
                .map(|p| {
                    let name = match level.periods {
                        Periods::Calendar(calendar) => calendar_name(calendar, p, plan.language),
                        Periods::Field(_) => {
                            let field = plan.field_levels.iter().position(|&x| x == l);
                            field
                                .and_then(|f| in_order[f].get(p as usize).cloned())
                                .unwrap_or_default()
                        }
                    };
                    (p, name)
                })
                .collect()
        })
        .collect()
}
