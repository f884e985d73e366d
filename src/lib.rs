//! yardstick: a rule engine for governance standards.
//!
//! A standard (an inspection checklist with scoring) is written as text in a
//! small language; yardstick checks it like a compiler and scores inspection
//! records with it. The pipeline, one module per step:
//!
//! ```text
//! text ──syntax──▶ AST ──check──▶ checked model ──eval::compile──▶ program
//! data files ──data──▶ typed cells ──eval──▶ scored records ──report──▶ output
//!                       (batch: streaming, parallel, in input order)
//! ```
//!
//! - [`syntax`]: the grammar (pest), the spanned AST, syntax errors in words,
//!   and the canonical printer behind `yardstick fmt`. The only module that knows pest.
//! - [`check`]: names resolved to slots, types, dependency order, lints. Its
//!   [`check::Standard`] is the only input later steps accept.
//! - [`editions`]: standards read from disk: `extends` chains merged into one
//!   tree before checking, directories of editions placed in time;
//!   [`sources`] maps every file read to its own range of offsets.
//! - [`data`]: CSV, JSON, JSON Lines and xlsx records, columns matched to
//!   fields, cells typed by SPEC §2, data errors with their place.
//! - [`eval`]: the checked standard compiled to a typed program, the scorer
//!   (SPEC §3), and a naive reference evaluator the tests hold it to.
//! - [`batch`]: one `eval` run: reading, scoring and writing in parallel,
//!   in bounded memory, in input order.
//! - [`compare`]: two inspection rounds' results compared unit by unit
//!   (fixed, still failing, newly failing, waived, unverified).
//! - [`results`]: the result model: each scored record as formats see it,
//!   what a batch comes to, and their canonical text (scores, cells).
//! - [`report`]: every output format, diagnostics included.
//! - [`waivers`]: approved exceptions that turn a failure into `waived`.
//! - [`sample`]: the reproducible random draw of units and inspectors.
//! - [`hanzi`]: Simplified and Traditional characters read as one text.
//! - [`headings`]: how a column heading is compared with a field's name or label.
//! - [`language`]: the language of outputs, and every word reports write.
//! - [`cli`]: the command line (clap), one file per subcommand, exit codes.
//!
//! See `ARCHITECTURE.md` for the invariants.

#![forbid(unsafe_code)]

pub mod batch;
pub mod check;
pub mod cli;
pub mod compare;
pub mod data;
pub mod diff;
pub mod editions;
pub mod eval;
pub mod examples;
pub mod hanzi;
pub mod headings;
pub mod language;
pub mod report;
pub mod results;
pub mod sample;
pub mod script;
pub mod sources;
pub mod syntax;
pub mod waivers;

use std::sync::Arc;

use report::diagnostics::{Boxed, FileDiagnostics};

/// A standard's text taken through parsing and checking.
pub struct Compiled {
    /// The parse (AST and comments).
    pub parsed: syntax::Parsed,
    /// The checked standard, when there were no errors.
    pub standard: Option<check::Standard>,
    /// Syntax errors, or else the checker's errors and warnings.
    pub diagnostics: FileDiagnostics,
}

/// Parses and checks a standard's text. `path` only names the file in diagnostics.
pub fn compile(path: &str, source: Arc<str>) -> Compiled {
    let mut parsed = syntax::parse(&source);
    let (standard, items): (_, Vec<Boxed>) = if parsed.errors.is_empty() {
        let checked = check::check(&parsed.file);
        let items = checked
            .diagnostics
            .into_iter()
            .map(|d| Box::new(d) as Boxed)
            .collect();
        (checked.standard, items)
    } else {
        let errors = std::mem::take(&mut parsed.errors);
        (
            None,
            errors.into_iter().map(|d| Box::new(d) as Boxed).collect(),
        )
    };
    Compiled {
        parsed,
        standard,
        diagnostics: FileDiagnostics::new(path, source, items),
    }
}
