//! Scoring one record by SPEC §3: `let`s, then every rule's outcome and
//! points, then the totals and the score, then the grade.
//!
//! A [`Scorer`] holds the scratch space of one worker thread and is reused for
//! every record that thread scores, so scoring allocates nothing per record.

use std::cell::RefCell;
use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::compile::{Deduction, Program, Rule, Shape};
use super::cover::{Cover, WaivedScore};
use super::ir::{Bool, Env, Totals};
use crate::script::CallFailure;
use crate::syntax::ast::Outcome;
use crate::value::{Absent, Cell, Value, compare, round};

/// What a record came to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scored {
    /// Each rule's outcome, in source order.
    pub outcomes: Vec<Outcome>,
    /// Each rule's points earned.
    pub earned: Vec<Decimal>,
    /// The rules that failed (a waived failure is not one), in source order.
    pub failed: Vec<usize>,
    /// The rules whose outcome is `missing`, in source order (kept as
    /// `failed` is, so that reports list them without scanning every outcome).
    pub missing: Vec<usize>,
    /// Score, points and flags the grade bands read.
    pub totals: Totals,
    /// The grade band given, by index; `None` when the standard has no grades.
    pub grade: Option<usize>,
    /// Script calls that failed while scoring, with what they were scoring.
    pub script_failures: Vec<(Site, CallFailure)>,
    /// What a number went past the decimals' 28 digits in (its value is
    /// then missing).
    pub overflows: Vec<Site>,
    /// The failures a waiver excused: (rule, waiver), in rule order. Their
    /// `outcomes` are what they score as (`pass` or `n/a`).
    pub waived: Vec<(usize, usize)>,
}

/// What a script call was evaluated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// A `let`, by index.
    Let(usize),
    /// A rule, by index.
    Rule(usize),
    /// The grade bands.
    Grades,
}

impl Scored {
    /// The waiver that excused a rule's failure, if one did.
    pub fn waiver_of(&self, rule: usize) -> Option<usize> {
        self.waived
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, waiver)| *waiver)
    }

    /// A rule's outcome as reports write it: `waived` when a waiver excused
    /// its failure.
    pub fn outcome_word(&self, rule: usize) -> &'static str {
        if self.waiver_of(rule).is_some() {
            "waived"
        } else {
            self.outcomes
                .get(rule)
                .map_or("", |outcome| outcome.as_str())
        }
    }

    /// The points a rule could have earned: its points when it applies, none
    /// when it does not or is a bonus.
    pub fn possible(&self, program: &Program, rule: usize) -> Decimal {
        let applies = self
            .outcomes
            .get(rule)
            .is_some_and(|o| *o != Outcome::NotApplicable);
        match program.rules.get(rule) {
            Some(r) if applies && !r.bonus => r.points,
            _ => Decimal::ZERO,
        }
    }
}

/// Scores records with one program; one per worker thread.
pub struct Scorer<'p> {
    program: &'p Program,
    lets: Vec<Cell>,
    section_earned: Vec<Decimal>,
    section_possible: Vec<Decimal>,
    /// Scores and their rounded forms, by points earned and possible.
    scores: Memo<ScoreAndRounded>,
    /// Grades, by points and what else the bands read (`Program::grade_inputs`).
    grades: Memo<Option<usize>>,
    /// Script calls that failed since the last [`Scorer::take_failures`].
    failures: RefCell<Vec<CallFailure>>,
    /// Whether arithmetic went past the decimals' range since it was last
    /// cleared (rare: then what did is found by [`Scorer::find_overflows`]).
    overflowed: std::cell::Cell<bool>,
}

impl<'p> Scorer<'p> {
    /// A scorer for `program`.
    pub fn new(program: &'p Program) -> Self {
        let sections = program.top_section.len();
        Scorer {
            program,
            lets: Vec::with_capacity(program.lets.len()),
            section_earned: vec![Decimal::ZERO; sections],
            section_possible: vec![Decimal::ZERO; sections],
            scores: Memo::default(),
            grades: Memo::default(),
            failures: RefCell::new(Vec::new()),
            overflowed: std::cell::Cell::new(false),
        }
    }

    /// Scores a record into `out`; `covers` are the waivers that excuse a
    /// failure of some of its rules. The grade is left out when the bands
    /// read ranks, which need the whole batch: then rank and call
    /// [`Scorer::grade`].
    pub fn score(&mut self, cells: &[Cell], covers: &[Cover], out: &mut Scored) {
        let program = self.program;
        let rules = program.rules.len();
        // Every rule's outcome and points are written below (the order holds
        // every rule), so those of the record before need no clearing.
        if out.outcomes.len() != rules {
            out.outcomes.clear();
            out.outcomes.resize(rules, Outcome::NotApplicable);
            out.earned.clear();
            out.earned.resize(rules, Decimal::ZERO);
        }
        out.failed.clear();
        out.missing.clear();
        out.script_failures.clear();
        out.overflows.clear();
        out.waived.clear();
        self.overflowed.set(false);
        self.lets.clear();
        for (index, definition) in program.lets.iter().enumerate() {
            let value = definition.cell(&self.env(cells, &[], None));
            self.lets.push(value);
            self.take_failures(Site::Let(index), out);
        }
        // Rules that read no other rule's outcome share one environment.
        let shared = (!program.reads_outcomes).then(|| self.env(cells, &[], None));
        let scripted = program.scripts.is_some();
        let mut points = Points::new(program);
        match &shared {
            // The commonest case, walked in step with the slots (as long as
            // the rules, so indexing them needs no checks).
            Some(env) if program.in_source_order => {
                let outcomes = &mut out.outcomes[..rules];
                let earned = &mut out.earned[..rules];
                for (index, rule) in program.rules.iter().enumerate() {
                    let judged = self.judge((index, rule), cells, env, covers, &mut out.waived);
                    (outcomes[index], earned[index]) = judged;
                    points.count(index, rule, judged, &mut out.failed, program.points_scale);
                    if scripted {
                        self.take_failures_into(Site::Rule(index), &mut out.script_failures);
                    }
                }
            }
            _ => {
                for &index in &program.order {
                    let rule = (index, &program.rules[index]);
                    let judged = match &shared {
                        Some(env) => self.judge(rule, cells, env, covers, &mut out.waived),
                        None => {
                            let env = self.env(cells, &out.outcomes, None);
                            self.judge(rule, cells, &env, covers, &mut out.waived)
                        }
                    };
                    (out.outcomes[index], out.earned[index]) = judged;
                    points.count(index, rule.1, judged, &mut out.failed, program.points_scale);
                    if scripted {
                        self.take_failures_into(Site::Rule(index), &mut out.script_failures);
                    }
                }
            }
        }
        out.failed.sort_unstable();
        if points.missing {
            // Rare: listed from the outcomes, in source order, only then.
            let missing = (0..rules).filter(|&rule| out.outcomes[rule] == Outcome::Missing);
            out.missing.extend(missing);
        }
        out.waived.sort_unstable();
        self.totals(out, &mut points);
        out.grade = None;
        if program.rank_groups.is_empty() {
            out.grade = self.remembered_grade(cells, out, &points);
            self.take_failures(Site::Grades, out);
        }
        if self.overflowed.get() {
            self.find_overflows(cells, out);
        }
    }

    /// What in a record went past the decimals' range: each `let`, rule and
    /// the grade bands evaluated again, one by one (the record is scored
    /// already; this only says where its missing values came from).
    #[cold]
    fn find_overflows(&mut self, cells: &[Cell], out: &mut Scored) {
        let program = self.program;
        let mut sites = Vec::new();
        let mut overflows = |scorer: &Self, site: Site| {
            if scorer.overflowed.replace(false) {
                sites.push(site);
            }
        };
        self.overflowed.set(false);
        for (index, definition) in program.lets.iter().enumerate() {
            definition.cell(&self.env(cells, &[], None));
            overflows(self, Site::Let(index));
        }
        for (index, rule) in program.rules.iter().enumerate() {
            let env = self.env(cells, &out.outcomes, None);
            self.judge((index, rule), cells, &env, &[], &mut Vec::new());
            overflows(self, Site::Rule(index));
        }
        if program.rank_groups.is_empty() {
            self.grade(cells, out);
            overflows(self, Site::Grades);
        }
        // Script calls made again fail again: they were reported the first time.
        self.failures.borrow_mut().clear();
        out.overflows = sites;
    }

    /// [`Scorer::grade`], remembered when the bands read nothing but what
    /// the key holds (`Program::grade_inputs`).
    fn remembered_grade(
        &mut self,
        cells: &[Cell],
        scored: &Scored,
        points: &Points,
    ) -> Option<usize> {
        let program = self.program;
        let Some(rules) = program
            .grade_inputs
            .as_ref()
            .filter(|_| points.exact && !program.weighted)
        else {
            return self.grade(cells, scored);
        };
        let Some(earned) = points.memo_earned else {
            return self.grade(cells, scored);
        };
        let mut flags =
            u64::from(points.critical_failed) << 62 | u64::from(points.veto_failed) << 63;
        for (i, &rule) in rules.iter().enumerate() {
            // What `passed`, `failed` and `applicable` tell apart: a bonus
            // not earned reads as a missing value does (none of the three).
            let outcome = match scored.outcomes[rule] {
                Outcome::Pass => 0,
                Outcome::Fail => 1,
                Outcome::NotApplicable => 2,
                Outcome::Missing | Outcome::NotEarned => 3,
            };
            flags |= outcome << (2 * i);
        }
        let key = (earned, points.possible, flags);
        self.grades.find(key).unwrap_or_else(|| {
            let grade = self.grade(cells, scored);
            self.grades.keep(key, grade);
            grade
        })
    }

    /// Moves the script calls that failed since the last time into `out`,
    /// marked with what they were evaluated for.
    pub fn take_failures(&self, site: Site, out: &mut Scored) {
        self.take_failures_into(site, &mut out.script_failures);
    }

    fn take_failures_into(&self, site: Site, into: &mut Vec<(Site, CallFailure)>) {
        if self.program.scripts.is_none() {
            return;
        }
        let mut failures = self.failures.borrow_mut();
        into.extend(failures.drain(..).map(|failure| (site, failure)));
    }

    /// One rule's outcome and points, a waiver that covers its failure
    /// applied (and noted in `waived`).
    #[inline(always)]
    fn judge(
        &self,
        (index, rule): (usize, &Rule),
        cells: &[Cell],
        env: &Env<'_>,
        covers: &[Cover],
        waived: &mut Vec<(usize, usize)>,
    ) -> (Outcome, Decimal) {
        let (outcome, earned) = match rule.shape {
            Shape::Flag(field) => flag(rule, cells.get(field)),
            Shape::NoneOf(field) => none_of(rule, cells.get(field)),
            Shape::Compare(field) => compared(rule, cells.get(field)),
            Shape::General => self.rule(env, index),
        };
        if outcome != Outcome::Fail {
            return (outcome, earned);
        }
        if rule.bonus {
            // A bonus rule is never a failure: it earned nothing, or some
            // of its points (which is a pass).
            return match earned.is_zero() {
                true => (Outcome::NotEarned, earned),
                false => (Outcome::Pass, earned),
            };
        }
        let Some(cover) = covers.iter().find(|c| c.rule == index) else {
            return (outcome, earned);
        };
        waived.push((index, cover.waiver));
        // A bonus rule is never passed by a waiver: it would give points
        // nobody earned.
        match cover.scores_as {
            WaivedScore::Pass if !rule.bonus => (Outcome::Pass, rule.points),
            _ => (Outcome::NotApplicable, Decimal::ZERO),
        }
    }

    fn env<'a>(
        &'a self,
        cells: &'a [Cell],
        outcomes: &'a [Outcome],
        totals: Option<&'a Totals>,
    ) -> Env<'a> {
        Env {
            cells,
            lets: &self.lets,
            outcomes,
            choices: &self.program.choices,
            totals,
            scripts: self.program.scripts.as_deref(),
            failures: &self.failures,
            overflowed: &self.overflowed,
        }
    }

    /// One rule's outcome and points.
    fn rule(&self, env: &Env<'_>, index: usize) -> (Outcome, Decimal) {
        let rule = &self.program.rules[index];
        match rule.when.as_ref().map_or(Ok(true), |when| when.eval(env)) {
            Ok(false) => return (Outcome::NotApplicable, Decimal::ZERO),
            Err(_) => return (Outcome::Missing, Decimal::ZERO),
            Ok(true) => {}
        }
        if let (true, Bool::Zero(true, counted)) = (rule.counts_once, &rule.require) {
            return match counted.eval(env) {
                Ok(n) if n.is_zero() => (Outcome::Pass, rule.points),
                Ok(n) => match &rule.deduct {
                    Some(deduct) => (Outcome::Fail, deduction_left(rule.points, deduct, n)),
                    None => (Outcome::Fail, Decimal::ZERO),
                },
                Err(_) => (Outcome::Missing, Decimal::ZERO),
            };
        }
        let passed = rule.require.eval(env);
        if let Some(credit) = &rule.credit {
            return match passed {
                Ok(true) => match credit.eval(env) {
                    Ok(n) => credited(rule.points, n),
                    // A blank optional value counts as none, as `no X` reads it.
                    Err(Absent::Blank) => credited(rule.points, Decimal::ZERO),
                    Err(Absent::Missing) => (Outcome::Missing, Decimal::ZERO),
                },
                Ok(false) => (Outcome::Fail, Decimal::ZERO),
                Err(_) => (Outcome::Missing, Decimal::ZERO),
            };
        }
        let Some(deduct) = &rule.deduct else {
            return match passed {
                Ok(true) => (Outcome::Pass, rule.points),
                Ok(false) => (Outcome::Fail, Decimal::ZERO),
                Err(_) => (Outcome::Missing, Decimal::ZERO),
            };
        };
        // A blank optional amount counts as none, as `no X` reads it.
        let times = match deduct.per.eval(env) {
            Ok(times) => times,
            Err(Absent::Blank) => Decimal::ZERO,
            Err(Absent::Missing) => return (Outcome::Missing, Decimal::ZERO),
        };
        match passed {
            Err(_) => (Outcome::Missing, Decimal::ZERO),
            Ok(true) if times.is_zero() => (Outcome::Pass, rule.points),
            Ok(_) => (Outcome::Fail, deduction_left(rule.points, deduct, times)),
        }
    }

    /// Points, section scores, score and flags, into `scored.totals`; the
    /// bonus points at the points scale into `points.bonus`.
    fn totals(&mut self, scored: &mut Scored, points: &mut Points) {
        let program = self.program;
        let scale = program.points_scale;
        // The rules whose points count in earned and possible.
        let counted = |index: &usize| {
            scored.outcomes[*index] != Outcome::NotApplicable && !program.rules[*index].bonus
        };
        let earned = points
            .exact
            .then(|| Decimal::try_from_i128_with_scale(points.earned, scale).ok())
            .flatten();
        let possible = program
            .points_fit
            .then(|| Decimal::try_from_i128_with_scale(points.possible, scale).ok())
            .flatten();
        let totals = &mut scored.totals;
        totals.critical_failed = points.critical_failed;
        totals.veto_failed = points.veto_failed;
        totals.ranks.clear();
        totals.earned = earned.unwrap_or_else(|| {
            (0..program.rules.len())
                .filter(counted)
                .map(|i| scored.earned[i])
                .sum()
        });
        totals.possible = possible.unwrap_or_else(|| {
            (0..program.rules.len())
                .filter(counted)
                .map(|i| program.rules[i].points)
                .sum()
        });
        totals.bonus = Decimal::ZERO;
        points.memo_earned = Some(points.earned);
        if !program.bonus_rules.is_empty() {
            let bonus = program.bonus_rules.iter().map(|&r| scored.earned[r]).sum();
            totals.bonus = bonus;
            points.memo_earned = fixed(bonus, scale).and_then(|b| packed(points.earned, b));
        }
        totals.section_scores.clear();
        if program.needs_sections {
            self.section_points(scored);
            let scores = self
                .section_earned
                .iter()
                .zip(&self.section_possible)
                .map(|(e, p)| percent(*e, *p));
            scored.totals.section_scores.extend(scores);
        }
        let totals = &mut scored.totals;
        // Bonus points are score points on top of the base, up to the cap.
        let (bonus, cap) = (totals.bonus, program.cap);
        let with_rounded = |base: Decimal| {
            let score = (base + bonus).min(cap);
            (score, round(score, 2))
        };
        (totals.score, totals.rounded) =
            match (program.weighted, earned, possible, points.memo_earned) {
                (true, ..) => with_rounded(self.weighted_score()),
                (false, Some(_), Some(_), Some(earned)) => {
                    let key = (earned, points.possible, 0);
                    self.scores.find(key).unwrap_or_else(|| {
                        let value = with_rounded(percent(totals.earned, totals.possible));
                        self.scores.keep(key, value);
                        value
                    })
                }
                _ => with_rounded(percent(totals.earned, totals.possible)),
            };
    }

    /// Each section's points earned and possible, its subsections' included.
    fn section_points(&mut self, scored: &Scored) {
        self.section_earned.fill(Decimal::ZERO);
        self.section_possible.fill(Decimal::ZERO);
        let program = self.program;
        for (index, rule) in program.rules.iter().enumerate() {
            let (outcome, Some(section)) = (scored.outcomes[index], rule.section) else {
                continue;
            };
            // Bonus points never enter a section's ratio.
            if outcome == Outcome::NotApplicable || rule.bonus {
                continue;
            }
            let earned = scored.earned[index];
            let possible = rule.points;
            self.section_earned[section] += earned;
            self.section_possible[section] += possible;
            let top = program.top_section[section];
            if top != section {
                self.section_earned[top] += earned;
                self.section_possible[top] += possible;
            }
        }
    }

    /// `100 · Σ w·(earned/possible) / Σ w` over the top-level sections that
    /// have possible points.
    fn weighted_score(&self) -> Decimal {
        let mut weighted = Decimal::ZERO;
        let mut weights = Decimal::ZERO;
        for (index, section) in self.program.standard.sections.iter().enumerate() {
            let (Some(weight), None) = (section.weight, section.parent) else {
                continue;
            };
            let possible = self.section_possible[index];
            if possible > Decimal::ZERO {
                weighted += weight * self.section_earned[index] / possible;
                weights += weight;
            }
        }
        if weights.is_zero() {
            Decimal::ZERO
        } else {
            (Decimal::ONE_HUNDRED * weighted / weights).min(Decimal::ONE_HUNDRED)
        }
    }

    /// The first band whose condition holds (a missing value does not
    /// hold); the last band when a `veto` rule failed. Ranks must be in
    /// `scored.totals` when the bands read them.
    pub fn grade(&self, cells: &[Cell], scored: &Scored) -> Option<usize> {
        let bands = &self.program.bands;
        if scored.totals.veto_failed {
            return bands.len().checked_sub(1);
        }
        let env = self.env(cells, &scored.outcomes, Some(&scored.totals));
        bands.iter().position(|band| {
            band.as_ref()
                .is_none_or(|condition| condition.eval(&env) == Ok(true))
        })
    }
}

/// The outcome and points of a [`Shape::Flag`] rule, whose field holds `cell`.
#[inline(always)]
fn flag(rule: &Rule, cell: Option<&Cell>) -> (Outcome, Decimal) {
    match cell {
        Some(Cell::Value(Value::Bool(true))) => (Outcome::Pass, rule.points),
        Some(Cell::Value(Value::Bool(false))) => (Outcome::Fail, Decimal::ZERO),
        _ => (Outcome::Missing, Decimal::ZERO),
    }
}

/// The outcome and points of a [`Shape::NoneOf`] rule, whose field holds `cell`.
#[inline(always)]
fn none_of(rule: &Rule, cell: Option<&Cell>) -> (Outcome, Decimal) {
    match cell {
        Some(Cell::Value(Value::Number(n))) if n.is_zero() => (Outcome::Pass, rule.points),
        Some(Cell::Value(Value::Number(n))) => match &rule.deduct {
            Some(deduct) => (Outcome::Fail, deduction_left(rule.points, deduct, *n)),
            None => (Outcome::Fail, Decimal::ZERO),
        },
        _ => (Outcome::Missing, Decimal::ZERO),
    }
}

/// The outcome and points of a [`Shape::Compare`] rule, whose field holds `cell`.
#[inline(always)]
fn compared(rule: &Rule, cell: Option<&Cell>) -> (Outcome, Decimal) {
    match (cell, &rule.require) {
        (Some(Cell::Value(Value::Number(n))), Bool::NumberWith(cmp, _, constant)) => {
            if cmp.holds(compare(n, constant)) {
                (Outcome::Pass, rule.points)
            } else {
                (Outcome::Fail, Decimal::ZERO)
            }
        }
        _ => (Outcome::Missing, Decimal::ZERO),
    }
}

/// Points and flags summed as rules are scored.
///
/// The fixed-point path: points are summed as integers at the standard's
/// points scale (`Program::points_scale`), which is exact and much cheaper
/// than decimal additions. It accepts a standard whose rules' points are
/// all integers at that scale with a sum that fits (`Program::points_fit`),
/// and a record whose points earned are too (a deduction or variable
/// points can leave finer fractions); for anything else `exact` is false
/// and the decimals are summed instead. Bonus rules add nothing here
/// (`Rule::base_fixed` is 0): their points are summed apart.
struct Points {
    earned: i128,
    possible: i128,
    /// Whether `earned` is the exact sum (else decimals are summed).
    exact: bool,
    /// What the memos key points earned by, once the bonus points are
    /// known ([`packed`]); `None` when nothing can be remembered.
    memo_earned: Option<i128>,
    critical_failed: bool,
    veto_failed: bool,
    /// Whether a rule's outcome was `missing`.
    missing: bool,
}

impl Points {
    /// Nothing earned yet, and `possible` the points possible when every
    /// rule applies: a rule found not to apply takes its points off.
    fn new(program: &Program) -> Self {
        Points {
            earned: 0,
            possible: program.possible_fixed,
            exact: program.points_fit,
            memo_earned: None,
            critical_failed: false,
            veto_failed: false,
            missing: false,
        }
    }

    /// Counts a judged rule: its points, and whether it failed (into `failed`).
    #[inline(always)]
    fn count(
        &mut self,
        index: usize,
        rule: &Rule,
        (outcome, earned): (Outcome, Decimal),
        failed: &mut Vec<usize>,
        scale: u32,
    ) {
        if outcome == Outcome::Fail {
            failed.push(index);
        }
        self.add(rule, outcome, earned, scale);
    }

    /// Counts one rule's outcome and points earned.
    fn add(&mut self, rule: &Rule, outcome: Outcome, earned: Decimal, scale: u32) {
        match outcome {
            Outcome::NotApplicable => {
                self.possible -= rule.base_fixed;
                return;
            }
            // A bonus rule's `base_fixed` is 0: its points are summed apart.
            Outcome::Pass => {
                self.earned += rule.base_fixed;
                return;
            }
            Outcome::NotEarned => return,
            Outcome::Fail => {
                self.critical_failed |= rule.critical;
                self.veto_failed |= rule.veto;
            }
            Outcome::Missing => self.missing = true,
        }
        if !earned.is_zero() {
            match fixed(earned, scale) {
                Some(earned) => self.earned += earned,
                None => self.exact = false,
            }
        }
    }
}

/// Values already worked out, by points earned (with the bonus), possible
/// (as integers at the standard's points scale, which fix the decimals
/// exactly) and flags: a score (a decimal division) or a grade (the bands' conditions)
/// that depends on nothing else, when most units share a few keys. A small
/// table, each key in one slot by its hash, the last value kept: with 1,024
/// slots about 3 in 100 of the benchmark's records miss the grade memo,
/// with 256 about 45 (their keys collide).
struct Memo<V> {
    slots: Vec<Option<(MemoKey, V)>>,
}

/// Points earned (with the bonus points, [`packed`]), points possible, flags.
type MemoKey = (i128, i128, u64);

/// Points earned and bonus points (integers at the points scale) as one
/// key, exactly: the bonus in the upper 64 bits, the points earned in the
/// lower; `None` when either does not fit. Used only by standards with
/// bonus rules (without them, points earned alone are the key).
fn packed(earned: i128, bonus: i128) -> Option<i128> {
    let fits = |n: i128, bits: u32| (0..1i128 << bits).contains(&n);
    (fits(earned, 64) && fits(bonus, 63)).then_some(bonus << 64 | earned)
}

/// A score and its rounded form ([`Totals::rounded`]).
type ScoreAndRounded = (Decimal, Decimal);

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            slots: vec![None; 1024],
        }
    }
}

impl<V: Copy> Memo<V> {
    /// The slot of `key`: the top 10 bits of a multiplicative hash.
    fn slot(key: MemoKey) -> usize {
        let (earned, possible, flags) = key;
        let hash = ((earned as u64 ^ (earned >> 64) as u64)
            ^ (possible as u64).rotate_left(29)
            ^ flags.rotate_left(47))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (hash >> 54) as usize
    }

    /// The value kept for `key`, if it is.
    fn find(&self, key: MemoKey) -> Option<V> {
        match &self.slots[Self::slot(key)] {
            Some((kept, value)) if *kept == key => Some(*value),
            _ => None,
        }
    }

    /// Keeps `value` for `key`, in place of what its slot held.
    fn keep(&mut self, key: MemoKey, value: V) {
        self.slots[Self::slot(key)] = Some((key, value));
    }
}

/// `value` as an integer count of `10^-scale`, if it has no finer digits
/// and fits (any decimal's scale is at most 28, and `10^28` times its
/// mantissa may not fit an `i128`).
pub fn fixed(value: Decimal, scale: u32) -> Option<i128> {
    /// `10^n` for every scale a decimal can have.
    const POWERS: [i128; 29] = {
        let mut powers = [1i128; 29];
        let mut n = 1;
        while n < 29 {
            powers[n] = powers[n - 1] * 10;
            n += 1;
        }
        powers
    };
    let own = value.scale();
    let power = POWERS.get(scale.checked_sub(own)? as usize)?;
    value.mantissa().checked_mul(*power)
}

/// `100 · earned / possible`, at most 100; 0 when nothing was possible.
fn percent(earned: Decimal, possible: Decimal) -> Decimal {
    if possible <= Decimal::ZERO {
        Decimal::ZERO
    } else if earned >= possible {
        // Every point: no division needed.
        Decimal::ONE_HUNDRED
    } else {
        Decimal::ONE_HUNDRED * earned / possible
    }
}

/// Points left after a deduction of `times` units (at most its `up_to`
/// in all), between 0 and `points`; nothing when there is nothing to
/// deduct (the rule failed on its `require`). A capped deduction is done
/// in decimals, an uncapped one by [`deducted`].
#[inline(always)]
fn deduction_left(points: Decimal, deduction: &Deduction, times: Decimal) -> Decimal {
    match deduction.up_to {
        None => deducted(points, deduction.amount, times),
        most => decimal_deducted(points, deduction.amount, times, most),
    }
}

/// Points left after `amount` per unit of `times`, between 0 and `points`.
fn deducted(points: Decimal, amount: Decimal, times: Decimal) -> Decimal {
    small_deducted(points, amount, times)
        .unwrap_or_else(|| decimal_deducted(points, amount, times, None))
}

/// Variable points (`points EXPR up to N`) whose expression came to
/// `value`: clamped to 0..`most`; a pass only when they are all `most`.
fn credited(most: Decimal, value: Decimal) -> (Outcome, Decimal) {
    let earned = if value < Decimal::ZERO {
        Decimal::ZERO
    } else if value > most {
        most
    } else {
        value
    };
    match earned == most {
        true => (Outcome::Pass, earned),
        false => (Outcome::Fail, earned),
    }
}

/// [`deducted`] in integers, when every mantissa is below 2^31 and the
/// result's scale at most 18: the same value at the same scale as the
/// decimal arithmetic gives (a product's scale is the sum of its factors',
/// a difference's the larger of its terms', and a zero product has none);
/// `None` otherwise.
#[inline]
fn small_deducted(points: Decimal, amount: Decimal, times: Decimal) -> Option<Decimal> {
    const LIMIT: i128 = 1 << 31;
    let small = |d: &Decimal| (-LIMIT..LIMIT).contains(&d.mantissa());
    if !(small(&points) && small(&amount) && small(&times)) {
        return None;
    }
    if times.mantissa() <= 0 {
        return Some(Decimal::ZERO);
    }
    // A product with a zero factor is a plain zero.
    let product_scale = if amount.is_zero() {
        0
    } else {
        amount.scale() + times.scale()
    };
    let scale = points.scale().max(product_scale);
    let power = |exponent: u32| 10i128.checked_pow(exponent);
    if scale > 18 {
        return None;
    }
    let whole = points.mantissa() * power(scale - points.scale())?;
    let left = whole - amount.mantissa() * times.mantissa() * power(scale - product_scale)?;
    // Floored at zero, then at most the points, as the decimal way does.
    let floored = left.max(0);
    Some(if floored > whole {
        points
    } else if floored == 0 {
        Decimal::ZERO
    } else {
        Decimal::try_from_i128_with_scale(floored, scale).ok()?
    })
}

/// [`deduction_left`] in decimal arithmetic, for any values.
fn decimal_deducted(
    points: Decimal,
    amount: Decimal,
    times: Decimal,
    up_to: Option<Decimal>,
) -> Decimal {
    let above = |a: &Decimal, b: &Decimal| compare(a, b) == Ordering::Greater;
    if !above(&times, &Decimal::ZERO) {
        return Decimal::ZERO;
    }
    // A product past the decimals' range is more than any cap.
    let taken = match (amount.checked_mul(times), up_to) {
        (Some(product), Some(most)) if above(&product, &most) => Some(most),
        (Some(product), _) => Some(product),
        (None, most) => most,
    };
    let left = taken
        .and_then(|d| points.checked_sub(d))
        .unwrap_or(Decimal::ZERO);
    // `left.max(0).min(points)`, with the cheaper exact comparison (and the
    // same choice between equal values: zero, then the points left).
    let floored = if above(&left, &Decimal::ZERO) {
        left
    } else {
        Decimal::ZERO
    };
    if above(&floored, &points) {
        points
    } else {
        floored
    }
}

/// Ranks by score, best first: 1 + the number of strictly better scores, so
/// ties share the better rank. `groups` gives each unit's group; ranks are
/// within a group.
pub fn ranks<G: Ord>(scores: &[Decimal], groups: &[G]) -> Vec<Decimal> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| groups[a].cmp(&groups[b]).then(scores[b].cmp(&scores[a])));
    let mut ranks = vec![Decimal::ZERO; scores.len()];
    let mut start = 0;
    while start < order.len() {
        let group = &groups[order[start]];
        let mut end = start;
        while end < order.len() && groups[order[end]] == *group {
            end += 1;
        }
        let mut rank = 1;
        for position in start..end {
            let unit = order[position];
            if position > start && scores[unit] < scores[order[position - 1]] {
                rank = position - start + 1;
            }
            ranks[unit] = Decimal::from(rank);
        }
        start = end;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::ir::Num;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn ties_share_the_better_rank() {
        let scores = [d(90), d(95), d(90), d(80)];
        assert_eq!(ranks(&scores, &[(); 4]), vec![d(2), d(1), d(2), d(4)]);
    }

    #[test]
    fn ranks_within_groups() {
        let scores = [d(90), d(95), d(70), d(80)];
        let groups = ["東", "西", "東", "西"];
        assert_eq!(ranks(&scores, &groups), vec![d(1), d(1), d(2), d(2)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// The integer way gives the decimal way's value at its scale.
        #[test]
        fn small_deductions_are_the_decimal_ones(
            points in -3_000_000_000i64..3_000_000_000, points_scale in 0u32..12,
            amount in -3_000_000_000i64..3_000_000_000, amount_scale in 0u32..12,
            times in -3_000_000_000i64..3_000_000_000, times_scale in 0u32..12,
            small in proptest::bool::ANY,
        ) {
            // Small values half the time (zero among them): most deductions
            // are of a few points.
            let shrink = |n: i64| if small { n % 10 } else { n };
            let decimal = |n: i64, scale| Decimal::new(shrink(n), scale);
            let (points, amount, times) = (
                decimal(points, points_scale),
                decimal(amount, amount_scale),
                decimal(times, times_scale),
            );
            if let Some(fast) = small_deducted(points, amount, times) {
                let slow = decimal_deducted(points, amount, times, None);
                proptest::prop_assert_eq!(
                    (fast, fast.scale()),
                    (slow, slow.scale()),
                    "{} - {} x {}", points, amount, times
                );
            }
        }

        /// The fixed-point path at its edges: a value it accepts (scale up
        /// to 28, mantissas up to 2^96) is the value exactly, and sums of
        /// such values are the decimal sums; a value it refuses has finer
        /// digits than the scale, or does not fit.
        #[test]
        fn fixed_points_are_the_decimals(
            values in proptest::collection::vec(
                (proptest::num::i128::ANY, 0u32..29, proptest::bool::ANY),
                1..6,
            ),
            scale in 0u32..29,
        ) {
            let mut sum = Some(0i128);
            let mut decimal_sum = Some(Decimal::ZERO);
            for (mantissa, own, small) in values {
                // Near the limits half the time, small the rest.
                let mantissa = if small { mantissa % 1000 } else { mantissa % (1i128 << 96) };
                let value = Decimal::try_from_i128_with_scale(mantissa.abs(), own)
                    .unwrap_or(Decimal::MAX);
                match fixed(value, scale) {
                    Some(n) => {
                        if let Ok(back) = Decimal::try_from_i128_with_scale(n, scale) {
                            proptest::prop_assert_eq!(back, value);
                        }
                        sum = sum.and_then(|s| s.checked_add(n));
                    }
                    None => {
                        let finer = value.scale() > scale;
                        let overflows = scale
                            .checked_sub(value.scale())
                            .and_then(|e| 10i128.checked_pow(e))
                            .and_then(|p| value.mantissa().checked_mul(p))
                            .is_none();
                        proptest::prop_assert!(finer || overflows, "{} at scale {}", value, scale);
                        sum = None;
                    }
                }
                decimal_sum = decimal_sum.and_then(|s| s.checked_add(value));
            }
            if let (Some(sum), Some(decimal_sum)) = (sum, decimal_sum)
                && let Ok(sum) = Decimal::try_from_i128_with_scale(sum, scale)
            {
                proptest::prop_assert_eq!(sum, decimal_sum);
            }
        }

        /// Capped deductions are `points − min(cap, amount × times)`, kept
        /// between 0 and the points, whatever the sizes.
        #[test]
        fn capped_deductions_keep_to_the_cap(
            points in 0i64..1_000_000, points_scale in 0u32..13,
            amount in 0i64..1_000_000, amount_scale in 0u32..13,
            times in -10i64..3_000_000_000, times_scale in 0u32..13,
            most in 0i64..1_000_000, most_scale in 0u32..13,
        ) {
            let points = Decimal::new(points, points_scale);
            let deduction = Deduction {
                amount: Decimal::new(amount, amount_scale),
                per: Num::Const(Decimal::ZERO),
                up_to: Some(Decimal::new(most, most_scale)),
            };
            let times = Decimal::new(times, times_scale);
            let got = deduction_left(points, &deduction, times);
            let expected = if times <= Decimal::ZERO {
                Decimal::ZERO
            } else {
                let taken = (deduction.amount * times).min(Decimal::new(most, most_scale));
                (points - taken).max(Decimal::ZERO).min(points)
            };
            proptest::prop_assert_eq!(got, expected);
        }

        /// Variable points are clamped to 0..most, a pass only at most.
        #[test]
        fn variable_points_are_clamped(
            most in 0i64..1_000_000, most_scale in 0u32..13,
            value in -2_000_000i64..2_000_000, value_scale in 0u32..13,
        ) {
            let (most, value) = (Decimal::new(most, most_scale), Decimal::new(value, value_scale));
            let (outcome, earned) = credited(most, value);
            proptest::prop_assert!(earned >= Decimal::ZERO && earned <= most);
            proptest::prop_assert_eq!(earned, value.max(Decimal::ZERO).min(most));
            proptest::prop_assert_eq!(outcome == Outcome::Pass, earned == most);
        }
    }

    fn per(amount: Decimal, up_to: Option<Decimal>) -> Deduction {
        Deduction {
            amount,
            per: Num::Const(Decimal::ZERO),
            up_to,
        }
    }

    #[test]
    fn deductions_stay_between_zero_and_the_points() {
        let half = "0.5".parse().expect("a decimal");
        assert_eq!(deduction_left(d(4), &per(d(1), None), d(2)), d(2));
        assert_eq!(deduction_left(d(4), &per(d(1), None), d(9)), d(0));
        assert_eq!(deduction_left(d(4), &per(d(1), None), d(0)), d(0));
        assert_eq!(
            deduction_left(d(3), &per(half, None), d(1)),
            "2.5".parse().expect("a decimal")
        );
    }

    #[test]
    fn a_capped_deduction_takes_at_most_its_cap() {
        // 每處扣1分，最多扣3分: 5 places on 4 points leave 1.
        assert_eq!(deduction_left(d(4), &per(d(1), Some(d(3))), d(5)), d(1));
        assert_eq!(deduction_left(d(4), &per(d(1), Some(d(3))), d(2)), d(2));
        // A product past the decimals' range is capped, not lost.
        let huge = Decimal::MAX;
        assert_eq!(deduction_left(d(4), &per(huge, Some(d(3))), huge), d(1));
        assert_eq!(deduction_left(d(4), &per(huge, None), huge), d(0));
    }
}
