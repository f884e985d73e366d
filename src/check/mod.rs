//! Step two of the pipeline: AST to checked model.
//!
//! The checker resolves every name to an index (fields to column slots, rules
//! and sections to ids), types every expression, orders derived values and
//! rules so that each is evaluated after what it reads, and lints. It reports
//! every problem of a file in one run: an expression with an error is dropped
//! (no cascade of follow-on errors), and checking goes on. It does no IO.
//!
//! - `declarations`: header, fields, scripts, lets, sections, rules, grades
//!   and examples, one module each, put together into the model.
//! - `expressions`: names and types of expressions.
//! - `names`: declared names looked up (rules, sections, fields by name or
//!   label), with help for unknown ones; below both of the above.
//! - `messages`: wording shared by diagnostics (lists in words, cycles).
//! - `order`: dependency order of lets and rules, and cycles.
//! - `grades`: which grade bands can ever be reached.
//! - `lints`: warnings about a standard that is valid but probably wrong.

mod declarations;
pub mod errors;
mod expressions;
mod grades;
mod lints;
mod messages;
pub mod model;
mod names;

pub use expressions::RULE_QUERIES;
pub use names::RESERVED_NAMES;
mod order;

use std::collections::HashMap;

use crate::syntax::ast;
use crate::syntax::span::Span;

pub use errors::CheckError;
pub use model::Standard;

/// The result of checking a file.
#[derive(Debug)]
pub struct Checked {
    /// The model; `None` when there were errors.
    pub standard: Option<Standard>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<CheckError>,
}

impl Checked {
    /// Whether any diagnostic is an error (not a warning).
    pub fn has_errors(&self) -> bool {
        self.standard.is_none()
    }
}

/// Checks a parsed standard.
pub fn check(file: &ast::File) -> Checked {
    let mut checker = Checker::default();
    let standard = checker.standard(file);
    let has_errors = checker.has_errors();
    Checked {
        standard: if has_errors { None } else { standard },
        diagnostics: checker.diagnostics,
    }
}

/// Where a name was declared, for "defined twice" and "did you mean".
#[derive(Clone, Copy, Debug)]
struct Declared<T> {
    id: T,
    span: Span,
}

/// The state of one checking run.
#[derive(Default)]
struct Checker {
    diagnostics: Vec<CheckError>,
    fields: Vec<model::Field>,
    field_names: HashMap<String, Declared<model::FieldId>>,
    /// Fields whose type was unknown: expressions using them are not checked further.
    poisoned_fields: std::collections::HashSet<String>,
    /// Field names by label, for "use the field name, not the label".
    field_labels: HashMap<String, model::FieldId>,
    field_used: Vec<bool>,
    let_names: HashMap<String, Declared<model::LetId>>,
    /// The type of each let once checked; `None` while unknown or in error.
    let_types: Vec<Option<model::Type>>,
    let_used: Vec<bool>,
    rule_names: HashMap<String, Declared<model::RuleId>>,
    section_names: HashMap<String, Declared<model::SectionId>>,
    /// Script functions and their number of parameters.
    script_functions: HashMap<String, usize>,
    /// Whether a script block did not parse (its functions are unknown).
    scripts_unparsed: bool,
    /// Rules whose outcome the expression being checked reads.
    rule_reads: Vec<model::RuleId>,
    /// Lets that the expression being checked reads.
    let_reads: Vec<model::LetId>,
    /// Every roll-up declared, checked or not (an example that names one
    /// with errors is not a second mistake).
    rollup_names: Vec<String>,
}

impl Checker {
    fn report(&mut self, diagnostic: CheckError) {
        self.diagnostics.push(diagnostic);
    }

    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| {
            !matches!(
                miette::Diagnostic::severity(d),
                Some(miette::Severity::Warning)
            )
        })
    }
}
