//! What a roll-up comes to over all units: grade counts and the use of
//! each `top` quota, target attainment, and the repeat list (問責名單)
//! ordered by who answers for each rule.

use super::condition::band_quota;
use super::{Assessment, Plan};
use crate::eval::catalog::Catalog;

/// The totals of an assessment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Units given each grade band, in band order.
    pub grades: Vec<u64>,
    /// For each band with a `top`, the most units it lets in (`None` for
    /// bands without one).
    pub quotas: Vec<Option<u64>>,
    /// For each target: units that reached it at the deadline, and units
    /// that had an inspection by then.
    pub targets: Vec<(u64, u64)>,
    /// Every repeat run, as (unit, run) indices, ordered by the rule's
    /// owner (rules without one last), then unit, then rule.
    pub repeats: Vec<(usize, usize)>,
}

impl Assessment {
    /// The totals over every unit; rule owners come from `catalog`.
    pub fn totals(&self, plan: &Plan, catalog: &Catalog) -> Totals {
        let bands = &plan.rollup.grades;
        let mut grades = vec![0; bands.len()];
        for unit in &self.units {
            if let Some(grade) = unit.grade {
                grades[grade] += 1;
            }
        }
        let quotas = bands.iter().map(|b| band_quota(b, self.ranked)).collect();
        let targets = (0..plan.rollup.targets.len())
            .map(|t| {
                let judged = self.units.iter().filter_map(|u| u.targets[t].at_deadline);
                let (mut reached, mut units) = (0, 0);
                for held in judged {
                    units += 1;
                    reached += u64::from(held);
                }
                (reached, units)
            })
            .collect();
        let mut repeats: Vec<(usize, usize)> = self
            .units
            .iter()
            .enumerate()
            .flat_map(|(u, unit)| (0..unit.repeats.len()).map(move |r| (u, r)))
            .collect();
        let owner = |&(u, r): &(usize, usize)| {
            let rule = self.units[u].repeats[r].rule;
            catalog.rules.get(rule).and_then(|c| c.owner.clone())
        };
        repeats.sort_by_key(|pair| (owner(pair).is_none(), owner(pair), pair.0, pair.1));
        Totals {
            grades,
            quotas,
            targets,
            repeats,
        }
    }
}
