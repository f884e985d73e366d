//! What the scorer knows of a waiver: that it covers one rule of the record
//! being scored, and how that rule then scores. Reading waiver files and
//! finding which waivers cover a record is `crate::waivers`, a step above.

use crate::check::model::RuleId;

/// A waiver, by its place in the run's list of waivers (`Waivers::list`, in
/// file order). Defined here, below `crate::waivers`, because the scorer
/// notes which waiver excused a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WaiverIndex(pub usize);

/// How a waived rule scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaivedScore {
    /// As if it did not apply: its points count in neither earned nor possible.
    NotApplicable,
    /// As if it passed: its points are earned.
    Pass,
}

impl WaivedScore {
    /// How it is written: `n/a` or `pass`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaivedScore::NotApplicable => "n/a",
            WaivedScore::Pass => "pass",
        }
    }
}

/// A waiver that covers one rule of one record, as the scorer takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cover {
    /// The rule, in the record's edition.
    pub rule: RuleId,
    /// The waiver.
    pub waiver: WaiverIndex,
    /// How the rule then scores.
    pub scores_as: WaivedScore,
}
