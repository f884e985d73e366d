//! SPEC §8 written plainly, for the differential test: every inspection
//! kept in a list and every score recomputed from it by the definition,
//! with nothing precomputed and no state carried between units. It shares
//! only the exact arithmetic of means (`mean`), the evaluation of grade
//! conditions (`condition`) and the names of periods with the fast path.
//! Quadratic and slow on purpose: correct by reading.

use std::collections::BTreeSet;

use jiff::civil::{Date, Weekday};
use rust_decimal::Decimal;

use super::condition;
use super::finish::Standing;
use super::mean::{Mean, weighted};
use super::periods::{PeriodId, calendar_name};
use super::{Assessment, Inspection, Method, Plan, RepeatRun, TargetReached, UnitYear};
use crate::check::model::{Calendar, Periods, TermOf};

/// The assessment of `inspections` (in input order) by `plan`.
pub fn assess(plan: &Plan, inspections: &[Inspection]) -> Assessment {
    let used: Vec<&Inspection> = inspections.iter().filter(|i| admitted(plan, i)).collect();
    let mut keys: Vec<&str> = Vec::new();
    for inspection in &used {
        if !keys.contains(&inspection.key.as_str()) {
            keys.push(inspection.key.as_str());
        }
    }
    // Each level's values, in its order (empty for calendar levels).
    let values: Vec<Vec<String>> = (0..plan.rollup.levels.len())
        .map(|level| field_values(plan, &used, level))
        .collect();
    let mut units: Vec<UnitYear> = keys
        .iter()
        .map(|key| {
            let mine: Vec<&Inspection> = used.iter().copied().filter(|i| i.key == *key).collect();
            unit_year(plan, &values, &mine)
        })
        .collect();
    let ranked = units.iter().filter(|u| u.score.is_some()).count() as u64;
    let finals: Vec<Option<Decimal>> = units.iter().map(|u| u.score).collect();
    for unit in &mut units {
        let Some(score) = unit.score else { continue };
        let rank = 1 + finals
            .iter()
            .flatten()
            .filter(|other| **other > score)
            .count() as u64;
        unit.rank = Some(rank);
        let standing = Standing {
            score,
            rank,
            ranked,
        };
        unit.grade = condition::first_band(&plan.rollup.grades, &standing);
    }
    let periods = plan
        .rollup
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            Assessment::periods_shown(plan, &units, l)
                .into_iter()
                .map(|p| {
                    let name = match level.periods {
                        Periods::Calendar(calendar) => calendar_name(calendar, p, plan.language),
                        Periods::Field(_) => values[l].get(p as usize).cloned().unwrap_or_default(),
                    };
                    (p, name)
                })
                .collect()
        })
        .collect();
    Assessment {
        periods,
        units,
        ranked,
        used: used.len() as u64,
    }
}

/// Whether an inspection is used: a key, a date when one is needed, inside
/// the period, a weighed method, a value for every level told by a field.
fn admitted(plan: &Plan, inspection: &Inspection) -> bool {
    let dated_ok = !plan.needs_date || inspection.date.is_some();
    let in_period = match (plan.rollup.period, inspection.date) {
        (Some(period), Some(date)) => {
            period.from.is_none_or(|from| from <= date) && period.to.is_none_or(|to| date <= to)
        }
        _ => true,
    };
    !inspection.key.trim().is_empty()
        && dated_ok
        && in_period
        && matches!(inspection.method, Method::Weighed(_))
        && inspection.by_field.iter().all(Option::is_some)
}

/// The values a level told by a field takes among the inspections used,
/// in the level's order: its choices' order, else by number, else as text;
/// none for a calendar level.
fn field_values(plan: &Plan, used: &[&Inspection], level: usize) -> Vec<String> {
    let Some(field) = plan.field_levels.iter().position(|&l| l == level) else {
        return Vec::new();
    };
    let mut values: Vec<String> = Vec::new();
    for inspection in used {
        if let Some(Some(value)) = inspection.by_field.get(field)
            && !values.contains(value)
        {
            values.push(value.clone());
        }
    }
    match &plan.field_choices[field] {
        Some(choices) => values.sort_by_key(|v| {
            (
                choices.iter().position(|c| c == v).unwrap_or(usize::MAX),
                v.clone(),
            )
        }),
        None => {
            let all_numbers = values.iter().all(|v| v.trim().parse::<Decimal>().is_ok());
            if all_numbers {
                values.sort_by_key(|v| v.trim().parse::<Decimal>().unwrap_or_default());
            } else {
                values.sort();
            }
        }
    }
    values
}

/// The period of `level` an inspection falls in; `values` are each
/// level's values in order.
fn period(plan: &Plan, values: &[Vec<String>], inspection: &Inspection, level: usize) -> PeriodId {
    match plan.rollup.levels[level].periods {
        Periods::Calendar(calendar) => {
            let date = inspection.date.unwrap_or(Date::constant(1970, 1, 1));
            calendar_count(calendar, date)
        }
        Periods::Field(_) => {
            let field = plan
                .field_levels
                .iter()
                .position(|&l| l == level)
                .unwrap_or(0);
            let value = inspection.by_field[field].clone().unwrap_or_default();
            values[level].iter().position(|v| *v == value).unwrap_or(0) as PeriodId
        }
    }
}

/// Calendar periods counted by walking the calendar: months and quarters
/// from the year, weeks as whole weeks between Mondays.
fn calendar_count(calendar: Calendar, date: Date) -> PeriodId {
    let year = i64::from(date.year());
    match calendar {
        Calendar::Year => year,
        Calendar::Quarter => year * 4 + (i64::from(date.month()) + 2) / 3 - 1,
        Calendar::Month => year * 12 + i64::from(date.month()) - 1,
        Calendar::Week => {
            let back = i64::from(date.weekday().to_monday_zero_offset());
            let monday = date
                .checked_sub(jiff::Span::new().days(back))
                .unwrap_or(date);
            let epoch = Date::constant(1970, 1, 5);
            debug_assert_eq!(epoch.weekday(), Weekday::Monday);
            let days = i64::from((monday - epoch).get_days());
            days.div_euclid(7)
        }
    }
}

/// One unit's year by the definition.
fn unit_year(plan: &Plan, values: &[Vec<String>], mine: &[&Inspection]) -> UnitYear {
    let rollup = &plan.rollup;
    let levels_count = rollup.levels.len();
    // score(level, period), computed by recursion on the definition.
    fn score(
        plan: &Plan,
        values: &[Vec<String>],
        mine: &[&Inspection],
        level: usize,
        at: PeriodId,
    ) -> Option<Decimal> {
        let inside: Vec<&Inspection> = mine
            .iter()
            .copied()
            .filter(|i| period(plan, values, i, level) == at)
            .collect();
        let mut present = Vec::new();
        for term in &plan.rollup.levels[level].terms {
            let mut mean = Mean::default();
            match &term.of {
                TermOf::Method(name) => {
                    for inspection in &inside {
                        if let Method::Weighed(m) = inspection.method
                            && plan.methods[m] == *name
                        {
                            mean.add(inspection.score);
                        }
                    }
                }
                TermOf::Level(finer) => {
                    let finer_periods: BTreeSet<PeriodId> = inside
                        .iter()
                        .map(|i| period(plan, values, i, *finer))
                        .collect();
                    for p in finer_periods {
                        if let Some(s) = score(plan, values, mine, *finer, p) {
                            mean.add(s);
                        }
                    }
                }
            }
            if let Some(value) = mean.value() {
                present.push((term.weight, value));
            }
        }
        weighted(present)
    }
    let levels: Vec<Vec<(PeriodId, Decimal)>> = (0..levels_count)
        .map(|level| {
            let periods: BTreeSet<PeriodId> = mine
                .iter()
                .map(|i| period(plan, values, i, level))
                .collect();
            periods
                .into_iter()
                .filter_map(|p| Some((p, score(plan, values, mine, level, p)?)))
                .collect()
        })
        .collect();
    let mut last = Mean::default();
    if let Some(top) = levels.last() {
        for (_, s) in top {
            last.add(*s);
        }
    }
    let base = last.value();
    let mut repeats = Vec::new();
    for (line, repeat) in rollup.repeats.iter().enumerate() {
        let rules: BTreeSet<usize> = mine
            .iter()
            .flat_map(|i| i.failed.iter().map(|&r| r as usize))
            .collect();
        for rule in rules {
            let failing: BTreeSet<PeriodId> = mine
                .iter()
                .filter(|i| i.failed.contains(&(rule as u32)))
                .map(|i| period(plan, values, i, repeat.level))
                .collect();
            let failing: Vec<PeriodId> = failing.into_iter().collect();
            let mut start = 0;
            while start < failing.len() {
                let mut end = start;
                while end + 1 < failing.len() && failing[end + 1] == failing[end] + 1 {
                    end += 1;
                }
                let k = (end - start + 1) as u64;
                if k >= u64::from(repeat.times) {
                    let count = k + 1 - u64::from(repeat.times);
                    repeats.push(RepeatRun {
                        line,
                        rule,
                        periods: failing[start..=end].to_vec(),
                        count,
                        points: repeat.deduct * Decimal::from(count),
                    });
                }
                start = end + 1;
            }
        }
    }
    let lost: Decimal = repeats.iter().map(|r| r.points).sum();
    let score = base.map(|b| {
        let floored = if b - lost < Decimal::ZERO {
            Decimal::ZERO
        } else {
            b - lost
        };
        if floored > plan.cap {
            plan.cap
        } else {
            floored
        }
    });
    let targets = rollup
        .targets
        .iter()
        .enumerate()
        .map(|(t, target)| {
            let first_held = mine
                .iter()
                .filter(|i| i.targets[t])
                .filter_map(|i| i.date)
                .min();
            // The latest by the deadline; of several that day, the last given.
            let mut latest: Option<(Date, bool)> = None;
            for inspection in mine {
                if let Some(date) = inspection.date
                    && date <= target.by
                    && latest.is_none_or(|(d, _)| date >= d)
                {
                    latest = Some((date, inspection.targets[t]));
                }
            }
            TargetReached {
                first_held,
                at_deadline: latest.map(|(_, held)| held),
            }
        })
        .collect();
    let inspections = (0..plan.methods.len())
        .map(|m| {
            mine.iter()
                .filter(|i| i.method == Method::Weighed(m))
                .count() as u64
        })
        .collect();
    UnitYear {
        key: mine.first().map(|i| i.key.to_string()).unwrap_or_default(),
        group: mine.first().and_then(|i| i.group.clone()),
        base,
        score,
        rank: None,
        grade: None,
        levels,
        inspections,
        repeats,
        targets,
    }
}
