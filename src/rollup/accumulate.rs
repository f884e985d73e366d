//! The roller: inspections taken one at a time, in input order, into what
//! each unit's year needs and no more — a mean per method in each
//! combination of periods, the rules failed in each period a `repeat`
//! counts, and each target's latest and first dates.
//!
//! Everything is kept in a few flat tables shared by all units (no
//! allocation per unit beyond its key), so that a year of a million units
//! costs what their keys and periods do. A cell is a unit in one
//! combination of periods; the combinations are few (twelve months of a
//! year, each in its quarter) and numbered once, so that a cell is found
//! by two numbers, in a table small enough to stay in cache. The rules an
//! inspection failed are bits of its cell, so that a failure costs an
//! `or`, never a lookup.

use ahash::AHashMap as HashMap;
use compact_str::CompactString;
use smallvec::SmallVec;
use std::collections::hash_map::Entry;

use jiff::civil::Date;

use super::mean::Mean;
use super::periods::{PeriodId, calendar_period};
use super::{Inspection, Method, Plan, Reason};
use crate::check::model::Periods;

/// Bits of the rules (catalog columns) failed in a cell.
type Word = u64;

/// Takes inspections and keeps what a roll-up needs of them.
#[derive(Debug)]
pub struct Roller<'p> {
    pub(super) plan: &'p Plan,
    /// Each unit's number, by key.
    units: HashMap<CompactString, u32>,
    /// Each unit's key, group (from its first inspection) and first place
    /// in the input, by number.
    pub(super) keys: Vec<(String, Option<String>, u64)>,
    /// Each combination of periods seen, as its period of each level (held
    /// inline for up to 5 levels), and its number.
    combinations: HashMap<SmallVec<[PeriodId; 5]>, u32>,
    /// Each combination's period of each level, one after another.
    pub(super) combination_periods: Vec<PeriodId>,
    /// Each cell's number, by its unit (high half) and combination (low).
    cells: HashMap<u64, u32>,
    /// Each cell's unit and combination.
    pub(super) cell_of: Vec<(u32, u32)>,
    /// Each cell's mean per method, one after another.
    pub(super) means: Vec<Mean>,
    /// Each cell's failed rules, as bits: `words` words a cell.
    pub(super) failed: Vec<Word>,
    /// Words of failed rules a cell.
    pub(super) words: usize,
    /// Each unit's inspections per method, one after another.
    pub(super) inspections: Vec<u64>,
    /// Each unit's state of each target, one after another.
    pub(super) targets: Vec<TargetState>,
    /// For each level told by a field, its values so far, by text.
    values: Vec<HashMap<String, PeriodId>>,
    /// For each level told by a field, its values in the order first seen.
    pub(super) value_names: Vec<Vec<String>>,
    /// Inspections used.
    pub(super) used: u64,
    /// The period of each level of the inspection being added.
    scratch: SmallVec<[PeriodId; 5]>,
}

/// One target for one unit, so far.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct TargetState {
    /// The latest inspection on or before the deadline (of several on
    /// that date, the last in input order): its date, its place in the
    /// input, and whether it held.
    pub(super) latest: Option<(Date, u64, bool)>,
    /// The earliest date it held.
    pub(super) first_held: Option<Date>,
}

impl<'p> Roller<'p> {
    /// A roller for `plan`, with nothing taken yet.
    pub fn new(plan: &'p Plan) -> Roller<'p> {
        Roller {
            plan,
            units: HashMap::default(),
            keys: Vec::new(),
            combinations: HashMap::default(),
            combination_periods: Vec::new(),
            cells: HashMap::default(),
            cell_of: Vec::new(),
            means: Vec::new(),
            failed: Vec::new(),
            words: 1,
            inspections: Vec::new(),
            targets: Vec::new(),
            values: vec![HashMap::default(); plan.field_levels.len()],
            value_names: vec![Vec::new(); plan.field_levels.len()],
            used: 0,
            scratch: SmallVec::new(),
        }
    }

    /// Takes one inspection, or says why it is left out. `sequence` is its
    /// place in the input: inspections may come in any order (from several
    /// threads), and the result is the same as in input order.
    pub fn add(&mut self, inspection: &Inspection, sequence: u64) -> Result<(), Reason> {
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
        self.used += 1;
        let unit = self.unit(inspection, sequence);
        let combination = self.combination(inspection);
        let methods = plan.methods.len();
        let cell = match self
            .cells
            .entry((u64::from(unit) << 32) | u64::from(combination))
        {
            Entry::Occupied(cell) => *cell.get(),
            Entry::Vacant(vacant) => {
                let cell = self.cell_of.len() as u32;
                vacant.insert(cell);
                self.cell_of.push((unit, combination));
                self.means
                    .extend(std::iter::repeat_n(Mean::default(), methods));
                self.failed.extend(std::iter::repeat_n(0, self.words));
                cell
            }
        };
        self.means[cell as usize * methods + method].add(inspection.score);
        self.inspections[unit as usize * methods + method] += 1;
        if !rollup.repeats.is_empty() {
            for &rule in &inspection.failed {
                let rule = rule as usize;
                let (word, bit) = (rule / Word::BITS as usize, rule % Word::BITS as usize);
                if word >= self.words {
                    self.widen(word + 1);
                }
                self.failed[cell as usize * self.words + word] |= 1 << bit;
            }
        }
        if let Some(date) = inspection.date {
            let count = rollup.targets.len();
            let states = &mut self.targets[unit as usize * count..][..count];
            for ((target, state), &held) in
                rollup.targets.iter().zip(states).zip(&inspection.targets)
            {
                if held && state.first_held.is_none_or(|first| date < first) {
                    state.first_held = Some(date);
                }
                let later = state
                    .latest
                    .is_none_or(|(latest, at, _)| (date, sequence) > (latest, at));
                if date <= target.by && later {
                    state.latest = Some((date, sequence, held));
                }
            }
        }
        Ok(())
    }

    /// Makes room for `words` words of failed rules a cell (a rule column
    /// past those seen so far: rare, as catalogs are small).
    fn widen(&mut self, words: usize) {
        let mut wider = Vec::with_capacity(self.failed.len() / self.words * words);
        for cell in self.failed.chunks(self.words) {
            wider.extend_from_slice(cell);
            wider.extend(std::iter::repeat_n(0, words - self.words));
        }
        self.failed = wider;
        self.words = words;
    }

    /// The unit's number, given the next one the first time it is seen;
    /// its first place in the input kept.
    fn unit(&mut self, inspection: &Inspection, sequence: u64) -> u32 {
        if let Some(&unit) = self.units.get(&inspection.key) {
            let first = &mut self.keys[unit as usize];
            if sequence < first.2 {
                first.1.clone_from(&inspection.group);
                first.2 = sequence;
            }
            return unit;
        }
        let unit = self.keys.len() as u32;
        self.units.insert(inspection.key.clone(), unit);
        self.keys.push((
            inspection.key.to_string(),
            inspection.group.clone(),
            sequence,
        ));
        let methods = self.plan.methods.len();
        self.inspections.extend(std::iter::repeat_n(0, methods));
        let targets = self.plan.rollup.targets.len();
        self.targets
            .extend(std::iter::repeat_n(TargetState::default(), targets));
        unit
    }

    /// The number of the inspection's combination of periods, given the
    /// next one the first time it is seen; so is a field's value.
    fn combination(&mut self, inspection: &Inspection) -> u32 {
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
        if let Some(&combination) = self.combinations.get(&self.scratch) {
            return combination;
        }
        let combination = self.combinations.len() as u32;
        self.combinations.insert(self.scratch.clone(), combination);
        self.combination_periods.extend_from_slice(&self.scratch);
        combination
    }
}
