//! Scoring one record by SPEC §3: `let`s, then every rule's outcome and
//! points, then the totals and the score, then the grade.
//!
//! A [`Scorer`] holds the scratch space of one worker thread and is reused for
//! every record that thread scores, so scoring allocates nothing per record.
//! Its parts: `shapes` scores rules of the commonest shapes straight from
//! the cells, `points` is the points arithmetic (the fixed-point sums,
//! deductions, variable points) with its fast paths, `memo` remembers
//! scores and grades by points, and `ranks` ranks a batch for `rank` bands.

mod memo;
mod points;
mod ranks;
mod shapes;

use std::cell::RefCell;

use rust_decimal::Decimal;

use self::memo::{Memo, ScoreAndRounded, packed};
use self::points::{Points, credited, deduction_left, percent};
use self::shapes::{compared, flag, none_of};
use super::compile::{Program, Rule, Shape};
use super::cover::{Cover, WaivedScore, WaiverIndex};
use super::fixed_point::fixed;
use super::ir::{Bool, Env, Totals};
use crate::check::model::{LetId, RuleId};
use crate::script::CallFailure;
use crate::syntax::ast::Outcome;
use crate::value::{Absent, Cell, round};

pub use self::ranks::ranks;

/// What a record came to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scored {
    /// Each rule's outcome, in source order.
    pub outcomes: Vec<Outcome>,
    /// Each rule's points earned.
    pub earned: Vec<Decimal>,
    /// The rules that failed (a waived failure is not one), in source order.
    pub failed: Vec<RuleId>,
    /// The rules whose outcome is `missing`, in source order (kept as
    /// `failed` is, so that reports list them without scanning every outcome).
    pub missing: Vec<RuleId>,
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
    pub waived: Vec<(RuleId, WaiverIndex)>,
}

/// What a script call was evaluated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// A `let`.
    Let(LetId),
    /// A rule.
    Rule(RuleId),
    /// The grade bands.
    Grades,
}

impl Scored {
    /// The waiver that excused a rule's failure, if one did.
    pub fn waiver_of(&self, rule: RuleId) -> Option<WaiverIndex> {
        self.waived
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, waiver)| *waiver)
    }

    /// A rule's outcome as reports write it: `waived` when a waiver excused
    /// its failure.
    pub fn outcome_word(&self, rule: RuleId) -> &'static str {
        if self.waiver_of(rule).is_some() {
            "waived"
        } else {
            self.outcomes
                .get(rule.0)
                .map_or("", |outcome| outcome.as_str())
        }
    }

    /// The points a rule could have earned: its points when it applies, none
    /// when it does not or is a bonus.
    pub fn possible(&self, program: &Program, rule: RuleId) -> Decimal {
        let applies = self
            .outcomes
            .get(rule.0)
            .is_some_and(|o| *o != Outcome::NotApplicable);
        match program.rules.get(rule.0) {
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
            self.take_failures(Site::Let(LetId(index)), out);
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
                    let id = RuleId(index);
                    let judged = self.judge((id, rule), cells, env, covers, &mut out.waived);
                    (outcomes[index], earned[index]) = judged;
                    points.count(id, rule, judged, &mut out.failed, program.points_scale);
                    if scripted {
                        self.take_failures_into(Site::Rule(id), &mut out.script_failures);
                    }
                }
            }
            _ => {
                for &id in &program.order {
                    let rule = (id, &program.rules[id.0]);
                    let judged = match &shared {
                        Some(env) => self.judge(rule, cells, env, covers, &mut out.waived),
                        None => {
                            let env = self.env(cells, &out.outcomes, None);
                            self.judge(rule, cells, &env, covers, &mut out.waived)
                        }
                    };
                    (out.outcomes[id.0], out.earned[id.0]) = judged;
                    points.count(id, rule.1, judged, &mut out.failed, program.points_scale);
                    if scripted {
                        self.take_failures_into(Site::Rule(id), &mut out.script_failures);
                    }
                }
            }
        }
        out.failed.sort_unstable();
        if points.missing {
            // Rare: listed from the outcomes, in source order, only then.
            let missing = (0..rules).filter(|&rule| out.outcomes[rule] == Outcome::Missing);
            out.missing.extend(missing.map(RuleId));
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
            overflows(self, Site::Let(LetId(index)));
        }
        for (index, rule) in program.rules.iter().enumerate() {
            let env = self.env(cells, &out.outcomes, None);
            self.judge((RuleId(index), rule), cells, &env, &[], &mut Vec::new());
            overflows(self, Site::Rule(RuleId(index)));
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
            let outcome = match scored.outcomes[rule.0] {
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
        (id, rule): (RuleId, &Rule),
        cells: &[Cell],
        env: &Env<'_>,
        covers: &[Cover],
        waived: &mut Vec<(RuleId, WaiverIndex)>,
    ) -> (Outcome, Decimal) {
        let (outcome, earned) = match rule.shape {
            Shape::Flag(field) => flag(rule, cells.get(field)),
            Shape::NoneOf(field) => none_of(rule, cells.get(field)),
            Shape::Compare(field) => compared(rule, cells.get(field)),
            Shape::General => self.rule(env, id),
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
        let Some(cover) = covers.iter().find(|c| c.rule == id) else {
            return (outcome, earned);
        };
        waived.push((id, cover.waiver));
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
    fn rule(&self, env: &Env<'_>, id: RuleId) -> (Outcome, Decimal) {
        let rule = &self.program.rules[id.0];
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
            let bonus = program
                .bonus_rules
                .iter()
                .map(|&r| scored.earned[r.0])
                .sum();
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
