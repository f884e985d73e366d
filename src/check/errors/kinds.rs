//! What a type mismatch and a bad `grades` block carry: what was expected
//! and what was found, typed, each worded by its `Display` (the message),
//! `label` and `help`, so that no caller formats a message.

use std::fmt;

use crate::check::model::{FieldType, Type};
use crate::syntax::ast::BinaryOp;

/// What a value of the wrong type was needed for, and what it is: each
/// way of [`CheckError::TypeMismatch`]. Its `Display` is the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// An item of an `in` list whose type is not that of the value looked for.
    ListItem {
        /// The type of the value looked for.
        value: Type,
        /// The type of the item.
        found: Type,
    },
    /// A value or bound of `between` that is neither a number nor a date.
    Between {
        /// Its type.
        found: Type,
    },
    /// The operand of `no` that is neither a count nor true/false.
    No {
        /// Its type.
        found: Type,
    },
    /// An argument of a built-in function of the wrong type.
    Argument {
        /// The function.
        function: String,
        /// The type the function takes there.
        wanted: Type,
        /// The argument's type.
        found: Type,
    },
    /// An operand of `+`, `-`, `*` or `/` that is not a number.
    Arithmetic {
        /// Its type.
        found: Type,
    },
    /// An operand of `<`, `<=`, `>` or `>=` that is neither a number nor a date.
    Ordering {
        /// The operator.
        operator: BinaryOp,
        /// The operand's type.
        found: Type,
    },
    /// The operand of `not`, `-`, `and` or `or` of the wrong type.
    Operand {
        /// The operator as written, in backticks.
        operator: &'static str,
        /// The type it takes: `bool` or `number`.
        wanted: Type,
        /// The operand's type.
        found: Type,
    },
    /// Two values that cannot be compared with each other.
    Compared {
        /// The left value's type.
        left: Type,
        /// The right value's type.
        right: Type,
    },
    /// `dated_by` naming a field that is not a `date`.
    DatedBy {
        /// The field.
        field: String,
        /// Its type.
        found: FieldType,
    },
}

/// "a `number`", "a `any`"
fn article(ty: Type) -> String {
    format!("a `{ty}`")
}

impl Mismatch {
    /// What the label on the operand says.
    pub fn label(&self) -> String {
        match self {
            Mismatch::Compared { left, right } => format!("`{left}` and `{right}`"),
            Mismatch::DatedBy { .. } => "not a date".to_owned(),
            Mismatch::ListItem { found, .. }
            | Mismatch::Between { found }
            | Mismatch::No { found }
            | Mismatch::Argument { found, .. }
            | Mismatch::Arithmetic { found }
            | Mismatch::Ordering { found, .. }
            | Mismatch::Operand { found, .. } => format!("this is {}", article(*found)),
        }
    }

    /// Advice for this mismatch, when there is any.
    pub fn help(&self) -> Option<String> {
        let help = match self {
            Mismatch::No { .. } => "`no X` holds when X is 0, false, or blank",
            Mismatch::Arithmetic { found: Type::Bool } => {
                "to count true/false answers, make each one a rule"
            }
            Mismatch::Arithmetic { found: Type::Date } => {
                "compare dates with `<`, `>=` or `between`; `year(d)` and `month(d)` give numbers"
            }
            Mismatch::Arithmetic { found: Type::Text } => "texts cannot be added or multiplied",
            Mismatch::Ordering {
                found: Type::Text, ..
            } => "texts can only be compared with `==`, `!=` or `in`",
            Mismatch::Compared {
                left: Type::Text,
                right: Type::Number,
            }
            | Mismatch::Compared {
                left: Type::Number,
                right: Type::Text,
            } => "a number in quotes is text; remove the quotes, or quote both sides",
            Mismatch::Compared {
                left: Type::Bool, ..
            }
            | Mismatch::Compared {
                right: Type::Bool, ..
            } => "use a true/false value on its own, e.g. `require sealed_bins`",
            Mismatch::DatedBy { field, .. } => {
                return Some(format!(
                    "declare `{field}` as `date`, or date inspections by another field"
                ));
            }
            _ => return None,
        };
        Some(help.to_owned())
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::ListItem { value, found } => write!(
                f,
                "the list holds {}, but the value looked for is {}",
                article(*found),
                article(*value)
            ),
            Mismatch::Between { found } => write!(
                f,
                "`between` needs numbers or dates, but this is {}",
                article(*found)
            ),
            Mismatch::No { found } => write!(
                f,
                "`no` needs a count or a true/false value, but this is {}",
                article(*found)
            ),
            Mismatch::Argument {
                function,
                wanted,
                found,
            } => write!(
                f,
                "`{function}` needs {} here, but this is {}",
                article(*wanted),
                article(*found)
            ),
            Mismatch::Arithmetic { found } => write!(
                f,
                "arithmetic needs numbers, but this is {}",
                article(*found)
            ),
            Mismatch::Ordering { operator, found } => write!(
                f,
                "`{}` needs numbers or dates, but this is {}",
                operator.symbol(),
                article(*found)
            ),
            Mismatch::Operand {
                operator,
                wanted,
                found,
            } => {
                let needs = match wanted {
                    Type::Bool => "true/false values",
                    _ => "numbers",
                };
                write!(
                    f,
                    "{operator} needs {needs}, but this is {}",
                    article(*found)
                )
            }
            Mismatch::Compared { left, right } => {
                write!(
                    f,
                    "cannot compare {} with {}",
                    article(*left),
                    article(*right)
                )
            }
            Mismatch::DatedBy { field, found } => write!(
                f,
                "`dated_by` needs a `date` field, but `{field}` is a `{}`",
                found.describe()
            ),
        }
    }
}

/// What is wrong with a `grades` block: each way of
/// [`CheckError::InvalidGrades`]. Its `Display` is the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradesProblem {
    /// A second `grades` block.
    GivenTwice,
    /// An `otherwise` band before the last.
    OtherwiseNotLast,
    /// A last band that has a condition.
    NoOtherwise,
    /// A band name used twice.
    BandTwice {
        /// The band's name.
        name: String,
    },
}

impl GradesProblem {
    /// What the label says.
    pub fn label(&self) -> &'static str {
        match self {
            GradesProblem::GivenTwice => "second `grades`",
            GradesProblem::OtherwiseNotLast => "bands after this one can never be given",
            GradesProblem::NoOtherwise => "a unit that meets no band would get no grade",
            GradesProblem::BandTwice { .. } => "given again here",
        }
    }

    /// What to do.
    pub fn help(&self) -> &'static str {
        match self {
            GradesProblem::GivenTwice => "keep one `grades` block",
            GradesProblem::OtherwiseNotLast => "move this band to the end",
            GradesProblem::NoOtherwise => "end `grades` with a band such as `\"不達標\" otherwise`",
            GradesProblem::BandTwice { .. } => "merge the two conditions with `or`",
        }
    }
}

impl fmt::Display for GradesProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GradesProblem::GivenTwice => f.write_str("`grades` is given twice"),
            GradesProblem::OtherwiseNotLast => f.write_str("`otherwise` must be the last band"),
            GradesProblem::NoOtherwise => f.write_str("the last grade band must be `otherwise`"),
            GradesProblem::BandTwice { name } => write!(f, "grade `{name}` is given twice"),
        }
    }
}
