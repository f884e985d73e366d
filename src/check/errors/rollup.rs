//! What can be wrong with a `rollup` block that a kind of its own does not
//! say: each problem worded, with its label and help, here and nowhere else.

use std::fmt;

/// A problem with a roll-up's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollupProblem {
    /// A roll-up without any `level`.
    NoLevel {
        /// The roll-up's name.
        rollup: String,
    },
    /// `period` or `method` given twice.
    LineTwice {
        /// The line's keyword.
        keyword: &'static str,
    },
    /// Two roll-ups, levels or targets of one name.
    NameTwice {
        /// `roll-up`, `level` or `target`.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A level named neither for a calendar period nor with `by FIELD`.
    NotAPeriod {
        /// The level's name.
        name: String,
    },
    /// `period` whose end is before its start.
    PeriodBackwards,
    /// A `"METHOD"` term in a roll-up without `method FIELD`.
    NoMethodField,
    /// `method` naming a field that is not text or `one of`.
    MethodFieldType {
        /// The field.
        field: String,
        /// Its type, as written.
        ty: String,
    },
    /// `repeat` with a count that is not a whole number of 1 or more.
    RepeatCount,
    /// `top` with a share outside 0..=100% or a count that is not whole.
    TopQuota,
    /// `top` anywhere but a roll-up's grades.
    TopOutsideRollup,
    /// A roll-up's grades reading something other than `score`, `rank`, `top`.
    GradeReads {
        /// What it reads.
        name: String,
    },
    /// A target reading something other than rule outcomes and the score.
    TargetReads {
        /// What it reads.
        name: String,
    },
    /// An `expect` a roll-up example cannot hold.
    ExampleExpect,
}

impl RollupProblem {
    /// What the label says.
    pub fn label(&self) -> &'static str {
        match self {
            RollupProblem::NoLevel { .. } => "no level to score",
            RollupProblem::LineTwice { .. } | RollupProblem::NameTwice { .. } => "given again here",
            RollupProblem::NotAPeriod { .. } => "not a calendar period",
            RollupProblem::PeriodBackwards => "ends before it starts",
            RollupProblem::NoMethodField => "which field says the method?",
            RollupProblem::MethodFieldType { .. } => "not a text field",
            RollupProblem::RepeatCount => "not a whole number of periods",
            RollupProblem::TopQuota => "no unit or every unit",
            RollupProblem::TopOutsideRollup => "only in a roll-up's grades",
            RollupProblem::GradeReads { .. } | RollupProblem::TargetReads { .. } => {
                "not available here"
            }
            RollupProblem::ExampleExpect => "not a roll-up result",
        }
    }

    /// What to do.
    pub fn help(&self) -> String {
        match self {
            RollupProblem::NoLevel { .. } => {
                "add a level, such as `level month = 60% \"暗訪\" + 40% \"月檢\"`".to_owned()
            }
            RollupProblem::LineTwice { .. } | RollupProblem::NameTwice { .. } => {
                "keep one of them".to_owned()
            }
            RollupProblem::NotAPeriod { name } => format!(
                "a level is `week`, `month`, `quarter` or `year`, or takes its periods from a field: `level {name} by FIELD = ...`"
            ),
            RollupProblem::PeriodBackwards => "write the first day, then the last".to_owned(),
            RollupProblem::NoMethodField => {
                "name the field that says how a record was inspected: `method inspection_method`"
                    .to_owned()
            }
            RollupProblem::MethodFieldType { .. } => {
                "declare the method field as `one of (\"暗訪\", \"月檢\", ...)` or `text`".to_owned()
            }
            RollupProblem::RepeatCount => {
                "write how many consecutive periods make a repeat, such as `repeat 2 consecutive month deduct 2`".to_owned()
            }
            RollupProblem::TopQuota => {
                "write a share such as `top 10%` or a number of units such as `top 3`".to_owned()
            }
            RollupProblem::TopOutsideRollup => {
                "`top` ranks units over a year: use `rank <= N` in a standard's own grades"
                    .to_owned()
            }
            RollupProblem::GradeReads { .. } => {
                "a roll-up grades a unit's year by its final score: use `score`, `rank` and `top`"
                    .to_owned()
            }
            RollupProblem::TargetReads { .. } => {
                "a target holds when rule outcomes (`passed(ID)`, `failed(ID)`, `no critical failed`) or the inspection's `score` say so"
                    .to_owned()
            }
            RollupProblem::ExampleExpect => {
                "a roll-up example expects `score N` and `grade \"NAME\"` of the unit's year"
                    .to_owned()
            }
        }
    }
}

impl fmt::Display for RollupProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RollupProblem::NoLevel { rollup } => write!(f, "roll-up `{rollup}` has no `level`"),
            RollupProblem::LineTwice { keyword } => {
                write!(f, "`{keyword}` is given twice in a roll-up")
            }
            RollupProblem::NameTwice { what, name } => write!(f, "{what} `{name}` is given twice"),
            RollupProblem::NotAPeriod { name } => {
                write!(f, "level `{name}` has no periods")
            }
            RollupProblem::PeriodBackwards => {
                f.write_str("the roll-up's period ends before it starts")
            }
            RollupProblem::NoMethodField => {
                f.write_str("a level weighs a method, but the roll-up has no `method`")
            }
            RollupProblem::MethodFieldType { field, ty } => {
                write!(f, "`method` needs a text field, but `{field}` is `{ty}`")
            }
            RollupProblem::RepeatCount => {
                f.write_str("`repeat` needs a whole number of periods, 1 or more")
            }
            RollupProblem::TopQuota => {
                f.write_str("`top` needs a share above 0% and at most 100%, or a whole number")
            }
            RollupProblem::TopOutsideRollup => f.write_str("`top` is only for a roll-up's grades"),
            RollupProblem::GradeReads { name } => {
                write!(f, "a roll-up's grades cannot read `{name}`")
            }
            RollupProblem::TargetReads { name } => write!(f, "a target cannot read `{name}`"),
            RollupProblem::ExampleExpect => {
                f.write_str("a roll-up example can expect only its score and grade")
            }
        }
    }
}
