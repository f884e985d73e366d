//! `compare`: rectification between two inspection rounds (整改, 復查).
//! Step one reads each round's results (`results`); step two, here, is pure:
//! units are matched by key and every rule that failed before, or fails
//! now, is classified — fixed, still failing, newly failing, waived or
//! unverified — per unit, per rule and per owner. No IO.

pub mod results;

use std::collections::HashMap;

use rust_decimal::Decimal;

use results::{Recorded, Results, RuleInfo, UnitResult};

/// What became of a rule of a unit between the rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// It failed before and passes (or does not apply) now.
    Fixed,
    /// It failed before and fails now (整改不徹底).
    StillFailing,
    /// It did not fail before (or was not inspected) and fails now.
    NewlyFailing,
    /// It is waived now: excused, not fixed (whatever it was before, so that
    /// a waived failure is never left out).
    Waived,
    /// It failed before and nothing shows it fixed: missing now, the rule is
    /// not in the new edition, or the unit was not re-inspected.
    Unverified,
}

/// What became of a rule of a unit, from its outcome in each round (`None`:
/// the round has no such rule, or no such unit). A waived rule failed
/// underneath, so a waiver before counts as a failure before; a rule
/// waived now is listed as waived whatever it was before. Rules that failed
/// in neither round give `None`, and so does a bonus rule `not earned` now
/// (a bonus is never a failure, so never still failing: results of earlier
/// versions may say it failed).
pub fn classify(before: Option<Recorded>, after: Option<Recorded>) -> Option<Change> {
    if after == Some(Recorded::NotEarned) {
        return None;
    }
    let failed_before = matches!(before, Some(Recorded::Fail | Recorded::Waived));
    if after == Some(Recorded::Waived) {
        return Some(Change::Waived);
    }
    if !failed_before {
        return (after == Some(Recorded::Fail)).then_some(Change::NewlyFailing);
    }
    Some(match after {
        Some(Recorded::Pass | Recorded::NotApplicable) => Change::Fixed,
        Some(Recorded::Fail) => Change::StillFailing,
        Some(Recorded::Waived) => Change::Waived,
        Some(Recorded::Missing) | None => Change::Unverified,
        Some(Recorded::NotEarned) => return None,
    })
}

/// How many rules came to each [`Change`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Fixed.
    pub fixed: usize,
    /// Still failing.
    pub still_failing: usize,
    /// Newly failing.
    pub newly_failing: usize,
    /// Waived.
    pub waived: usize,
    /// Unverified.
    pub unverified: usize,
}

impl Counts {
    fn add(&mut self, change: Change) {
        *match change {
            Change::Fixed => &mut self.fixed,
            Change::StillFailing => &mut self.still_failing,
            Change::NewlyFailing => &mut self.newly_failing,
            Change::Waived => &mut self.waived,
            Change::Unverified => &mut self.unverified,
        } += 1;
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}

/// A unit's score and grade in one round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    /// The score, as written in the results.
    pub score: Decimal,
    /// The grade, if any.
    pub grade: Option<String>,
}

/// Whether a unit was inspected in both rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// In both rounds.
    Compared,
    /// Only before: not re-inspected.
    NotReinspected,
    /// Only after: a new unit.
    New,
}

/// One unit across the rounds, with its rule ids by change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitChange {
    /// The unit's key.
    pub key: String,
    /// In both rounds, or one.
    pub status: Status,
    /// Its score and grade before, if inspected then.
    pub before: Option<Round>,
    /// Its score and grade after, if inspected then.
    pub after: Option<Round>,
    /// Rules fixed.
    pub fixed: Vec<String>,
    /// Rules still failing.
    pub still_failing: Vec<String>,
    /// Rules newly failing.
    pub newly_failing: Vec<String>,
    /// Rules waived.
    pub waived: Vec<String>,
    /// Rules unverified.
    pub unverified: Vec<String>,
}

impl UnitChange {
    /// The score after minus the score before, when inspected in both rounds.
    pub fn score_change(&self) -> Option<Decimal> {
        let (after, before) = (self.after.as_ref()?.score, self.before.as_ref()?.score);
        after.checked_sub(before)
    }

    /// The rule ids of one change.
    pub fn rules(&self, change: Change) -> &[String] {
        match change {
            Change::Fixed => &self.fixed,
            Change::StillFailing => &self.still_failing,
            Change::NewlyFailing => &self.newly_failing,
            Change::Waived => &self.waived,
            Change::Unverified => &self.unverified,
        }
    }

    fn push(&mut self, change: Change, id: &str) {
        match change {
            Change::Fixed => &mut self.fixed,
            Change::StillFailing => &mut self.still_failing,
            Change::NewlyFailing => &mut self.newly_failing,
            Change::Waived => &mut self.waived,
            Change::Unverified => &mut self.unverified,
        }
        .push(id.to_owned());
    }
}

/// The changes of one rule across all units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleTally {
    /// The rule's id.
    pub id: String,
    /// Its title (the id when no catalog names it).
    pub title: String,
    /// Who answers for it, when known.
    pub owner: Option<String>,
    /// Its changes.
    pub counts: Counts,
}

/// The changes of the rules of one owner (`None`: rules without a known owner).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerTally {
    /// The owner.
    pub owner: Option<String>,
    /// The changes of the owner's rules.
    pub counts: Counts,
}

/// A key that appears more than once in one round; the later result counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repeated {
    /// `true` for the round before, `false` for the round after.
    pub before: bool,
    /// The keys that repeat, in the order first written.
    pub keys: Vec<String>,
}

/// Two rounds compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Units inspected in both rounds: the round before's order.
    pub units: Vec<UnitChange>,
    /// Units only before (not re-inspected); their failures are unverified.
    pub missing: Vec<UnitChange>,
    /// Units only after (new), in the round after's order.
    pub only_after: Vec<UnitChange>,
    /// Rules with any change, in catalog order.
    pub rules: Vec<RuleTally>,
    /// Owners with any change, in the order their first rule comes.
    pub owners: Vec<OwnerTally>,
    /// Every change, over all units.
    pub totals: Counts,
    /// Keys written more than once in a round.
    pub repeated: Vec<Repeated>,
}

impl Comparison {
    /// Whether a rectification is not shown done: a rule still fails or is unverified.
    pub fn has_unfixed(&self) -> bool {
        self.totals.still_failing + self.totals.unverified > 0
    }
}

/// Every change, in the order reports list them.
pub const CHANGES: [Change; 5] = [
    Change::Fixed,
    Change::StillFailing,
    Change::NewlyFailing,
    Change::Waived,
    Change::Unverified,
];

/// Each key's last result, in the order keys are first written, and the keys written twice.
fn latest_by_key(results: &Results) -> (Vec<&UnitResult>, Vec<String>) {
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut units: Vec<&UnitResult> = Vec::new();
    let mut repeated = Vec::new();
    for unit in &results.units {
        match position.get(unit.key.as_str()) {
            Some(&at) => {
                if !repeated.contains(&unit.key) {
                    repeated.push(unit.key.clone());
                }
                units[at] = unit;
            }
            None => {
                position.insert(&unit.key, units.len());
                units.push(unit);
            }
        }
    }
    (units, repeated)
}

fn round(unit: &UnitResult) -> Round {
    Round {
        score: unit.score,
        grade: unit.grade.clone(),
    }
}

/// One unit's changes; either side may be absent.
fn unit_change(before: Option<&UnitResult>, after: Option<&UnitResult>) -> UnitChange {
    let key = before.or(after).map(|u| u.key.clone()).unwrap_or_default();
    let status = match (before, after) {
        (Some(_), Some(_)) => Status::Compared,
        (Some(_), None) => Status::NotReinspected,
        _ => Status::New,
    };
    let mut change = UnitChange {
        key,
        status,
        before: before.map(round),
        after: after.map(round),
        fixed: Vec::new(),
        still_failing: Vec::new(),
        newly_failing: Vec::new(),
        waived: Vec::new(),
        unverified: Vec::new(),
    };
    // The rules of the round after, in its order, then those only before had.
    let mut ids: Vec<&str> = after
        .iter()
        .flat_map(|u| u.rules.iter().map(|r| r.id.as_str()))
        .collect();
    for rule in before.iter().flat_map(|u| &u.rules) {
        if !ids.contains(&rule.id.as_str()) {
            ids.push(&rule.id);
        }
    }
    for id in ids {
        let outcome = |unit: Option<&UnitResult>| unit.and_then(|u| u.outcome(id));
        if let Some(kind) = classify(outcome(before), outcome(after)) {
            change.push(kind, id);
        }
    }
    change
}

/// Compares the results of two rounds. `catalog` names the rules (titles,
/// owners) when the caller knows them better than the results do (the
/// standard, in data mode); otherwise the results' own catalogs are used,
/// the round after's first.
pub fn compare(before: &Results, after: &Results, catalog: Option<&[RuleInfo]>) -> Comparison {
    let (before_units, before_repeated) = latest_by_key(before);
    let (after_units, after_repeated) = latest_by_key(after);
    let after_by_key: HashMap<&str, &UnitResult> =
        after_units.iter().map(|u| (u.key.as_str(), *u)).collect();
    let before_by_key: HashMap<&str, &UnitResult> =
        before_units.iter().map(|u| (u.key.as_str(), *u)).collect();

    let mut units = Vec::new();
    let mut missing = Vec::new();
    for unit in &before_units {
        match after_by_key.get(unit.key.as_str()) {
            Some(later) => units.push(unit_change(Some(unit), Some(later))),
            None => missing.push(unit_change(Some(unit), None)),
        }
    }
    let only_after: Vec<UnitChange> = after_units
        .iter()
        .filter(|u| !before_by_key.contains_key(u.key.as_str()))
        .map(|u| unit_change(None, Some(u)))
        .collect();

    let infos = rule_infos(before, after, catalog, &before_units, &after_units);
    let mut rules: Vec<RuleTally> = infos
        .into_iter()
        .map(|info| RuleTally {
            id: info.id,
            title: info.title,
            owner: info.owner,
            counts: Counts::default(),
        })
        .collect();
    let mut totals = Counts::default();
    for unit in units.iter().chain(&missing).chain(&only_after) {
        for change in CHANGES {
            for id in unit.rules(change) {
                totals.add(change);
                if let Some(rule) = rules.iter_mut().find(|r| &r.id == id) {
                    rule.counts.add(change);
                }
            }
        }
    }
    rules.retain(|r| !r.counts.is_empty());
    let mut owners: Vec<OwnerTally> = Vec::new();
    for rule in &rules {
        let index = match owners.iter().position(|o| o.owner == rule.owner) {
            Some(index) => index,
            None => {
                owners.push(OwnerTally {
                    owner: rule.owner.clone(),
                    counts: Counts::default(),
                });
                owners.len() - 1
            }
        };
        for change in CHANGES {
            for _ in 0..count(&rule.counts, change) {
                owners[index].counts.add(change);
            }
        }
    }
    let repeated = [(true, before_repeated), (false, after_repeated)]
        .into_iter()
        .filter(|(_, keys)| !keys.is_empty())
        .map(|(before, keys)| Repeated { before, keys })
        .collect();
    Comparison {
        units,
        missing,
        only_after,
        rules,
        owners,
        totals,
        repeated,
    }
}

/// How many rules came to one change.
pub fn count(counts: &Counts, change: Change) -> usize {
    match change {
        Change::Fixed => counts.fixed,
        Change::StillFailing => counts.still_failing,
        Change::NewlyFailing => counts.newly_failing,
        Change::Waived => counts.waived,
        Change::Unverified => counts.unverified,
    }
}

/// Every rule either round mentions, named: the given catalog, else the
/// round after's, then the round before's; then rules no catalog names, in
/// the order results mention them (titled by their id, owner unknown).
fn rule_infos(
    before: &Results,
    after: &Results,
    catalog: Option<&[RuleInfo]>,
    before_units: &[&UnitResult],
    after_units: &[&UnitResult],
) -> Vec<RuleInfo> {
    let mut infos: Vec<RuleInfo> = Vec::new();
    let catalogs = [catalog, after.catalog.as_deref(), before.catalog.as_deref()];
    for info in catalogs.into_iter().flatten().flatten() {
        if !infos.iter().any(|i| i.id == info.id) {
            infos.push(info.clone());
        }
    }
    for unit in after_units.iter().chain(before_units) {
        for rule in &unit.rules {
            if !infos.iter().any(|i| i.id == rule.id) {
                infos.push(RuleInfo {
                    id: rule.id.clone(),
                    title: rule.id.clone(),
                    owner: None,
                });
            }
        }
    }
    infos
}

#[cfg(test)]
mod tests {
    use super::results::RuleResult;
    use super::*;

    use Recorded::{Fail, Missing, NotApplicable, NotEarned, Pass, Waived};

    #[test]
    fn every_pair_of_outcomes_is_classified() {
        let cases = [
            (Some(Fail), Some(Pass), Some(Change::Fixed)),
            (Some(Fail), Some(NotApplicable), Some(Change::Fixed)),
            (Some(Fail), Some(Fail), Some(Change::StillFailing)),
            (Some(Fail), Some(Waived), Some(Change::Waived)),
            (Some(Fail), Some(Missing), Some(Change::Unverified)),
            (Some(Fail), None, Some(Change::Unverified)),
            (Some(Pass), Some(Fail), Some(Change::NewlyFailing)),
            (Some(NotApplicable), Some(Fail), Some(Change::NewlyFailing)),
            (Some(Missing), Some(Fail), Some(Change::NewlyFailing)),
            (None, Some(Fail), Some(Change::NewlyFailing)),
            (Some(Waived), Some(Fail), Some(Change::StillFailing)),
            (Some(Fail), Some(NotEarned), None),
            (Some(NotEarned), Some(NotEarned), None),
            (Some(NotEarned), Some(Pass), None),
            (Some(Waived), Some(Pass), Some(Change::Fixed)),
            (Some(Waived), Some(Waived), Some(Change::Waived)),
            (Some(Pass), Some(Pass), None),
            (Some(Pass), Some(Missing), None),
            (Some(Missing), Some(Waived), Some(Change::Waived)),
            (Some(Pass), Some(Waived), Some(Change::Waived)),
            (None, Some(Waived), Some(Change::Waived)),
            (None, None, None),
        ];
        for (before, after, expected) in cases {
            assert_eq!(classify(before, after), expected, "{before:?} → {after:?}");
        }
    }

    fn unit(key: &str, score: i64, rules: &[(&str, Recorded)]) -> UnitResult {
        UnitResult {
            key: key.to_owned(),
            score: Decimal::new(score, 0),
            grade: None,
            rules: rules
                .iter()
                .map(|(id, outcome)| RuleResult {
                    id: (*id).to_owned(),
                    outcome: *outcome,
                })
                .collect(),
        }
    }

    fn results(units: Vec<UnitResult>) -> Results {
        Results {
            units,
            catalog: Some(vec![
                RuleInfo {
                    id: "A1".to_owned(),
                    title: "有垃圾箱".to_owned(),
                    owner: Some("機關事務科".to_owned()),
                },
                RuleInfo {
                    id: "B1".to_owned(),
                    title: "文化牆".to_owned(),
                    owner: None,
                },
            ]),
            title: None,
        }
    }

    #[test]
    fn units_are_matched_by_key_and_the_later_row_counts() {
        let before = results(vec![
            unit("甲", 50, &[("A1", Fail), ("B1", Fail)]),
            unit("乙", 80, &[("A1", Fail), ("B1", Pass)]),
            unit("甲", 60, &[("A1", Fail), ("B1", Pass)]),
        ]);
        let after = results(vec![
            unit("丙", 90, &[("A1", Fail), ("B1", Pass)]),
            unit("甲", 100, &[("A1", Pass), ("B1", Fail)]),
        ]);
        let comparison = compare(&before, &after, None);
        assert_eq!(comparison.units.len(), 1);
        let first = &comparison.units[0];
        assert_eq!(first.fixed, ["A1"]);
        assert_eq!(first.newly_failing, ["B1"], "the later row of 甲 passed B1");
        assert_eq!(first.score_change(), Some(Decimal::new(40, 0)));
        assert_eq!(comparison.missing[0].key, "乙");
        assert_eq!(comparison.missing[0].unverified, ["A1"]);
        assert_eq!(comparison.only_after[0].newly_failing, ["A1"]);
        assert_eq!(
            comparison.repeated,
            [Repeated {
                before: true,
                keys: vec!["甲".to_owned()]
            }]
        );
        assert_eq!(
            comparison.totals,
            Counts {
                fixed: 1,
                newly_failing: 2,
                unverified: 1,
                ..Counts::default()
            }
        );
        assert!(comparison.has_unfixed());
        let a1 = &comparison.rules[0];
        assert_eq!((a1.id.as_str(), a1.counts.unverified), ("A1", 1));
        assert_eq!(comparison.owners[0].owner.as_deref(), Some("機關事務科"));
        assert_eq!(comparison.owners[1].owner, None);
        assert_eq!(comparison.owners[1].counts.newly_failing, 1);
    }

    #[test]
    fn a_rule_the_new_edition_lacks_is_unverified() {
        let before = results(vec![unit("甲", 50, &[("A1", Fail), ("B1", Fail)])]);
        let after = results(vec![unit("甲", 100, &[("A1", Pass)])]);
        let comparison = compare(&before, &after, None);
        assert_eq!(comparison.units[0].unverified, ["B1"]);
        assert!(comparison.has_unfixed());
    }

    #[test]
    fn rules_no_catalog_names_are_titled_by_their_id() {
        let mut before = results(vec![unit("甲", 50, &[("Z9", Fail)])]);
        before.catalog = None;
        let after = Results {
            catalog: None,
            ..results(vec![unit("甲", 100, &[("Z9", Waived)])])
        };
        let comparison = compare(&before, &after, None);
        assert_eq!(comparison.rules[0].title, "Z9");
        assert_eq!(comparison.rules[0].counts.waived, 1);
        assert!(!comparison.has_unfixed(), "a waiver is not unfixed");
    }
}
