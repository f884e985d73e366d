//! From what the roller kept to the assessment: each level's scores from
//! the finest up, the final score after repeats, ranks, grades, targets.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::accumulate::{Roller, UnitState};
use super::condition::{self, Facts};
use super::mean::{Mean, weighted};
use super::periods::{PeriodId, calendar_name};
use super::{Assessment, Plan, RepeatRun, TargetReached, UnitYear};
use crate::check::model::{Periods, Quota, TermOf};

impl Roller<'_> {
    /// The assessment of every unit taken.
    pub fn finish(self) -> Assessment {
        let plan = self.plan;
        let orders: Vec<Vec<PeriodId>> = self
            .value_names
            .iter()
            .zip(&plan.field_choices)
            .map(|(names, choices)| value_order(names, choices.as_deref()))
            .collect();
        let mut units: Vec<UnitYear> = self
            .states
            .into_iter()
            .map(|state| unit_year(plan, state, &orders))
            .collect();
        let ranked = rank_and_grade(plan, &mut units);
        let periods = period_names(plan, &units, &self.value_names, &orders);
        Assessment {
            periods,
            units,
            ranked,
            used: self.used,
        }
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

/// One unit's levels, repeats, final score and targets.
fn unit_year(plan: &Plan, state: UnitState, orders: &[Vec<PeriodId>]) -> UnitYear {
    let rollup = &plan.rollup;
    // A field's values by their place in its order, so that periods sort.
    let ordered = |level: usize, period: PeriodId| -> PeriodId {
        match plan.field_levels.iter().position(|&l| l == level) {
            Some(field) => orders[field][period as usize],
            None => period,
        }
    };
    let cells: Vec<(Vec<PeriodId>, Vec<Mean>)> = state
        .cells
        .into_iter()
        .map(|(periods, means)| {
            let periods = periods
                .iter()
                .enumerate()
                .map(|(level, &p)| ordered(level, p))
                .collect();
            (periods, means)
        })
        .collect();
    let mut scores: Vec<BTreeMap<PeriodId, Option<Decimal>>> = Vec::new();
    for (l, level) in rollup.levels.iter().enumerate() {
        let periods: BTreeSet<PeriodId> = cells.iter().map(|(p, _)| p[l]).collect();
        let mut of_level = BTreeMap::new();
        for period in periods {
            let inside: Vec<&(Vec<PeriodId>, Vec<Mean>)> =
                cells.iter().filter(|(p, _)| p[l] == period).collect();
            let mut present = Vec::new();
            for term in &level.terms {
                let mut mean = Mean::default();
                match &term.of {
                    TermOf::Method(method) => {
                        let m = plan.methods.iter().position(|x| x == method).unwrap_or(0);
                        inside.iter().for_each(|(_, means)| mean.merge(&means[m]));
                    }
                    TermOf::Level(finer) => {
                        let finer_periods: BTreeSet<PeriodId> =
                            inside.iter().map(|(p, _)| p[*finer]).collect();
                        for p in finer_periods {
                            if let Some(Some(score)) = scores[*finer].get(&p) {
                                mean.add(*score);
                            }
                        }
                    }
                }
                if let Some(value) = mean.value() {
                    present.push((term.weight, value));
                }
            }
            of_level.insert(period, weighted(present));
        }
        scores.push(of_level);
    }
    let mut last = Mean::default();
    if let Some(top) = scores.last() {
        top.values().flatten().for_each(|s| last.add(*s));
    }
    let base = last.value();
    let mut repeats = Vec::new();
    for (line, repeat) in rollup.repeats.iter().enumerate() {
        let mut by_rule: BTreeMap<usize, BTreeSet<PeriodId>> = BTreeMap::new();
        for &(rule, period) in &state.failures[line] {
            by_rule
                .entry(rule)
                .or_default()
                .insert(ordered(repeat.level, period));
        }
        for (rule, periods) in by_rule {
            for run in consecutive_runs(&periods) {
                let k = run.len() as u64;
                if k >= u64::from(repeat.times) {
                    let count = k - u64::from(repeat.times) + 1;
                    repeats.push(RepeatRun {
                        line,
                        rule,
                        periods: run,
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
        key: state.key,
        group: state.group,
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
        inspections: state.inspections,
        repeats,
        targets: state
            .targets
            .iter()
            .map(|t| TargetReached {
                first_held: t.first_held,
                at_deadline: t.latest.map(|(_, held)| held),
            })
            .collect(),
    }
}

/// Runs of consecutive periods in a sorted set.
pub(super) fn consecutive_runs(periods: &BTreeSet<PeriodId>) -> Vec<Vec<PeriodId>> {
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
    value_names: &[Vec<String>],
    orders: &[Vec<PeriodId>],
) -> Vec<Vec<(PeriodId, String)>> {
    plan.rollup
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            let periods: BTreeSet<PeriodId> = units
                .iter()
                .flat_map(|u| u.levels[l].iter().map(|(p, _)| *p))
                .collect();
            periods
                .into_iter()
                .map(|p| {
                    let name = match level.periods {
                        Periods::Calendar(calendar) => calendar_name(calendar, p, plan.language),
                        Periods::Field(_) => {
                            let field = plan.field_levels.iter().position(|&x| x == l);
                            field
                                .and_then(|f| {
                                    let value = orders[f].iter().position(|&o| o == p)?;
                                    value_names[f].get(value).cloned()
                                })
                                .unwrap_or_default()
                        }
                    };
                    (p, name)
                })
                .collect()
        })
        .collect()
}
