//! What a type mismatch and a bad `grades` block carry: what was expected
//! and what was found, typed, each worded by its `Display` (the message),
//! `label` and `help`, so that no caller formats a message.

use std::fmt;

use crate::check::model::{FieldType, Type};
use crate::syntax::ast::BinaryOp;

/// What a value of the wrong type was needed for, and what it is: each
/// way of [`CheckError::TypeMismatch`](super::CheckError::TypeMismatch). Its
/// `Display` is the message.
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
        /// The operator, which decides the type it takes.
        operator: Operator,
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

/// An operator that takes operands of one type: `not`, `-` (negation),
/// `and`, `or`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `not`
    Not,
    /// `-`, negation
    Neg,
    /// `and`
    And,
    /// `or`
    Or,
}

impl Operator {
    /// The type of the operator's operands (and of its result).
    pub fn operand_type(self) -> Type {
        match self {
            Operator::Not | Operator::And | Operator::Or => Type::Bool,
            Operator::Neg => Type::Number,
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operator::Not => "`not`",
            Operator::Neg => "`-`",
            Operator::And => "`and`",
            Operator::Or => "`or`",
        })
    }
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
            Mismatch::Operand { operator, found } => {
                let needs = match operator.operand_type() {
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
/// [`CheckError::InvalidGrades`](super::CheckError::InvalidGrades). Its
/// `Display` is the message.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The message, label and help of a mismatch, as they were worded by
    /// the callers before the mismatch was typed (many have no fixture).
    fn worded(mismatch: Mismatch) -> (String, String, Option<String>) {
        (mismatch.to_string(), mismatch.label(), mismatch.help())
    }

    fn is(message: &str, label: &str, help: Option<&str>) -> (String, String, Option<String>) {
        (
            message.to_owned(),
            label.to_owned(),
            help.map(str::to_owned),
        )
    }

    #[test]
    fn every_mismatch_is_worded_as_before() {
        let cases = [
            (
                Mismatch::ListItem {
                    value: Type::Number,
                    found: Type::Text,
                },
                is(
                    "the list holds a `text`, but the value looked for is a `number`",
                    "this is a `text`",
                    None,
                ),
            ),
            (
                Mismatch::Between { found: Type::Text },
                is(
                    "`between` needs numbers or dates, but this is a `text`",
                    "this is a `text`",
                    None,
                ),
            ),
            (
                Mismatch::No { found: Type::Date },
                is(
                    "`no` needs a count or a true/false value, but this is a `date`",
                    "this is a `date`",
                    Some("`no X` holds when X is 0, false, or blank"),
                ),
            ),
            (
                Mismatch::Argument {
                    function: "round".to_owned(),
                    wanted: Type::Number,
                    found: Type::Text,
                },
                is(
                    "`round` needs a `number` here, but this is a `text`",
                    "this is a `text`",
                    None,
                ),
            ),
            (
                Mismatch::Arithmetic { found: Type::Bool },
                is(
                    "arithmetic needs numbers, but this is a `bool`",
                    "this is a `bool`",
                    Some("to count true/false answers, make each one a rule"),
                ),
            ),
            (
                Mismatch::Arithmetic { found: Type::Date },
                is(
                    "arithmetic needs numbers, but this is a `date`",
                    "this is a `date`",
                    Some(
                        "compare dates with `<`, `>=` or `between`; `year(d)` and `month(d)` give numbers",
                    ),
                ),
            ),
            (
                Mismatch::Arithmetic { found: Type::Text },
                is(
                    "arithmetic needs numbers, but this is a `text`",
                    "this is a `text`",
                    Some("texts cannot be added or multiplied"),
                ),
            ),
            (
                Mismatch::Ordering {
                    operator: BinaryOp::Le,
                    found: Type::Text,
                },
                is(
                    "`<=` needs numbers or dates, but this is a `text`",
                    "this is a `text`",
                    Some("texts can only be compared with `==`, `!=` or `in`"),
                ),
            ),
            (
                Mismatch::Ordering {
                    operator: BinaryOp::Gt,
                    found: Type::Bool,
                },
                is(
                    "`>` needs numbers or dates, but this is a `bool`",
                    "this is a `bool`",
                    None,
                ),
            ),
            (
                Mismatch::Operand {
                    operator: Operator::Not,
                    found: Type::Number,
                },
                is(
                    "`not` needs true/false values, but this is a `number`",
                    "this is a `number`",
                    None,
                ),
            ),
            (
                Mismatch::Operand {
                    operator: Operator::Neg,
                    found: Type::Text,
                },
                is(
                    "`-` needs numbers, but this is a `text`",
                    "this is a `text`",
                    None,
                ),
            ),
            (
                Mismatch::Operand {
                    operator: Operator::Or,
                    found: Type::Date,
                },
                is(
                    "`or` needs true/false values, but this is a `date`",
                    "this is a `date`",
                    None,
                ),
            ),
            (
                Mismatch::Compared {
                    left: Type::Number,
                    right: Type::Text,
                },
                is(
                    "cannot compare a `number` with a `text`",
                    "`number` and `text`",
                    Some("a number in quotes is text; remove the quotes, or quote both sides"),
                ),
            ),
            (
                Mismatch::Compared {
                    left: Type::Date,
                    right: Type::Bool,
                },
                is(
                    "cannot compare a `date` with a `bool`",
                    "`date` and `bool`",
                    Some("use a true/false value on its own, e.g. `require sealed_bins`"),
                ),
            ),
            (
                Mismatch::Compared {
                    left: Type::Date,
                    right: Type::Number,
                },
                is(
                    "cannot compare a `date` with a `number`",
                    "`date` and `number`",
                    None,
                ),
            ),
            (
                Mismatch::DatedBy {
                    field: "inspected".to_owned(),
                    found: FieldType::Text,
                },
                is(
                    "`dated_by` needs a `date` field, but `inspected` is a `text`",
                    "not a date",
                    Some("declare `inspected` as `date`, or date inspections by another field"),
                ),
            ),
        ];
        for (mismatch, expected) in cases {
            assert_eq!(worded(mismatch), expected);
        }
    }

    #[test]
    fn every_grades_problem_is_worded_as_before() {
        let cases = [
            (
                GradesProblem::GivenTwice,
                "`grades` is given twice",
                "second `grades`",
                "keep one `grades` block",
            ),
            (
                GradesProblem::OtherwiseNotLast,
                "`otherwise` must be the last band",
                "bands after this one can never be given",
                "move this band to the end",
            ),
            (
                GradesProblem::NoOtherwise,
                "the last grade band must be `otherwise`",
                "a unit that meets no band would get no grade",
                "end `grades` with a band such as `\"不達標\" otherwise`",
            ),
            (
                GradesProblem::BandTwice {
                    name: "甲".to_owned(),
                },
                "grade `甲` is given twice",
                "given again here",
                "merge the two conditions with `or`",
            ),
        ];
        for (problem, message, label, help) in cases {
            assert_eq!(
                (
                    problem.to_string().as_str(),
                    problem.label(),
                    problem.help()
                ),
                (message, label, help)
            );
        }
    }
}
