//! The roller: inspections taken one at a time, in input order, into what
//! each unit's year needs and no more — a mean per method in each
//! combination of periods, the rules failed in each period a `repeat`
//! counts, and each target's latest and first dates.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::mean::Mean;
use super::periods::{PeriodId, calendar_period};
use super::{Inspection, Method, Plan, Reason};
use crate::check::model::Periods;

/// Takes inspections and keeps what a roll-up needs of them.
#[derive(Debug)]
pub struct Roller<'p> {
    pub(super) plan: &'p Plan,
    /// Each unit's state, by key.
    units: HashMap<String, usize>,
    pub(super) states: Vec<UnitState>,
    /// For each level told by a field, its values so far, by text.
    values: Vec<HashMap<String, PeriodId>>,
    /// For each level told by a field, its values in the order first seen.
    pub(super) value_names: Vec<Vec<String>>,
    /// Inspections used.
    pub(super) used: u64,
    /// The period of each level of the inspection being added.
    scratch: Vec<PeriodId>,
}

/// What is kept of one unit's inspections.
#[derive(Debug)]
pub(super) struct UnitState {
    pub(super) key: String,
    pub(super) group: Option<String>,
    /// For each combination of periods (one per level), a mean per method.
    pub(super) cells: HashMap<Box<[PeriodId]>, Vec<Mean>>,
    /// Inspections per method.
    pub(super) inspections: Vec<u64>,
    /// For each `repeat` line, the (rule, period) pairs with a failure.
    pub(super) failures: Vec<HashSet<(usize, PeriodId)>>,
    /// For each target, its latest inspection by the deadline and the
    /// first date it held.
    pub(super) targets: Vec<TargetState>,
}

/// One target for one unit, so far.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct TargetState {
    /// The latest inspection on or before the deadline (of several on
    /// that date, the last in input order): its date and whether it held.
    pub(super) latest: Option<(Date, bool)>,
    /// The earliest date it held.
    pub(super) first_held: Option<Date>,
}

impl<'p> Roller<'p> {
    /// A roller for `plan`, with nothing taken yet.
    pub fn new(plan: &'p Plan) -> Roller<'p> {
        Roller {
            plan,
            units: HashMap::new(),
            states: Vec::new(),
            values: vec![HashMap::new(); plan.field_levels.len()],
            value_names: vec![Vec::new(); plan.field_levels.len()],
            used: 0,
            scratch: Vec::with_capacity(plan.rollup.levels.len()),
        }
    }

    /// Takes one inspection, or says why it is left out.
    pub fn add(&mut self, inspection: &Inspection) -> Result<(), Reason> {
        let plan = self.plan;
        let rollup = &plan.rollup;
        if inspection.key.trim().is_empty() {
            return Err(Reason::NoKey);
        }
        if plan.needs_date && inspection.date.is_none() {
            return Err(Reason::NoDate);
        }
        if let (Some(period), Some(date)) = (rollup.period, inspection.date)
            && !period.contains(date)
        {
            return Err(Reason::OutsidePeriod(date));
        }
        let method = match &inspection.method {
            Method::Weighed(method) => *method,
            Method::Other(text) => return Err(Reason::MethodNotWeighed(text.clone())),
            Method::Blank => return Err(Reason::NoMethod),
        };
        if let Some(blank) = inspection.by_field.iter().position(Option::is_none) {
            return Err(Reason::NoPeriod(plan.field_levels[blank]));
        }
        self.periods_of(inspection);
        self.used += 1;
        let state = match self.units.get(&inspection.key) {
            Some(&at) => &mut self.states[at],
            None => {
                self.units.insert(inspection.key.clone(), self.states.len());
                self.states
                    .push(UnitState::new(inspection.key.clone(), inspection.group.clone(), plan));
                let last = self.states.len() - 1;
                &mut self.states[last]
            }
        };
        match state.cells.get_mut(&self.scratch[..]) {
            Some(cell) => cell[method].add(inspection.score),
            None => {
                let mut cell = vec![Mean::default(); plan.methods.len()];
                cell[method].add(inspection.score);
                state
                    .cells
                    .insert(self.scratch.clone().into_boxed_slice(), cell);
            }
        }
        state.inspections[method] += 1;
        for (line, repeat) in rollup.repeats.iter().enumerate() {
            let period = self.scratch[repeat.level];
            state.failures[line].extend(inspection.failed.iter().map(|&rule| (rule, period)));
        }
        if let Some(date) = inspection.date {
            for ((target, state), &held) in rollup
                .targets
                .iter()
                .zip(&mut state.targets)
                .zip(&inspection.targets)
            {
                if held && state.first_held.is_none_or(|first| date < first) {
                    state.first_held = Some(date);
                }
                let later = state.latest.is_none_or(|(latest, _)| date >= latest);
                if date <= target.by && later {
                    state.latest = Some((date, held));
                }
            }
        }
        Ok(())
    }

    /// The period of each level, into `scratch`; a field's value is given
    /// the next number the first time it is seen.
    fn periods_of(&mut self, inspection: &Inspection) {
        self.scratch.clear();
        let mut field = 0;
        for level in &self.plan.rollup.levels {
            let period = match level.periods {
                Periods::Calendar(calendar) => inspection
                    .date
                    .map_or(0, |date| calendar_period(calendar, date)),
                Periods::Field(_) => {
                    let value = inspection.by_field[field].as_deref().unwrap_or_default();
                    let known = &mut self.values[field];
                    let id = match known.get(value) {
                        Some(&id) => id,
                        None => {
                            let id = known.len() as PeriodId;
                            known.insert(value.to_owned(), id);
                            self.value_names[field].push(value.to_owned());
                            id
                        }
                    };
                    field += 1;
                    id
                }
            };
            self.scratch.push(period);
        }
    }
}

impl UnitState {
    fn new(key: String, group: Option<String>, plan: &Plan) -> UnitState {
        UnitState {
            key,
            group,
            cells: HashMap::new(),
            inspections: vec![0; plan.methods.len()],
            failures: vec![HashSet::new(); plan.rollup.repeats.len()],
            targets: vec![TargetState::default(); plan.rollup.targets.len()],
        }
    }
}
