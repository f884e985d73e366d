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
//!   `sources` maps every file read to its own range of offsets.
//! - [`data`]: CSV, JSON, JSON Lines and xlsx records, columns matched to
//!   fields, cells typed by SPEC §2, data errors with their place.
//! - [`eval`]: the checked standard compiled to a typed program, the scorer
//!   (SPEC §3), and a naive reference evaluator the tests hold it to.
//! - [`batch`]: one `eval` run: reading, scoring and writing in parallel,
//!   in bounded memory, in input order.
//! - `compare`: two inspection rounds' results compared unit by unit
//!   (fixed, still failing, newly failing, waived, unverified).
//! - [`results`]: the result model: each scored record as formats see it,
//!   what a batch comes to, and their canonical text (scores, cells).
//! - [`diagnostics`]: the diagnostics of a file as data (rendered by [`report`]).
//! - [`report`]: every output format, diagnostics included.
//! - [`value`]: cells and values of a record at run time, shared by
//!   [`data`], [`script`], [`eval`] and [`report`].
//! - [`waivers`]: approved exceptions that turn a failure into `waived`.
//! - `sample`: the reproducible random draw of units and inspectors.
//! - [`hanzi`]: Simplified and Traditional characters read as one text.
//! - `headings`: how a column heading is compared with a field's name or label.
//! - [`language`]: the language of outputs, and every word reports write.
//! - `suggest`: "did you mean", the closest known name to a mistyped one.
//! - [`cli`]: the command line (clap), one file per subcommand, exit codes.
//!
//! The public API is what a program that scores with yardstick needs:
//! [`compile`] (or [`editions::load`] for files and directories of
//! editions), [`eval::catalog::Catalog`] and [`eval::compile::compile`],
//! [`data::open`], [`batch::run`] (and [`results`], what it comes to),
//! [`report`]'s formats, and [`cli::main`].
//! The steps' own modules stay public for the tests, benchmarks and fuzz
//! targets that drive them; the commands' helpers (`compare`, `diff`,
//! `examples`, `sample`, `sources`, `headings`, `suggest`) are internal.
//!
//! See `ARCHITECTURE.md` for the invariants.

#![forbid(unsafe_code)]

pub mod batch;
pub mod check;
pub mod cli;
pub(crate) mod compare;
pub mod data;
pub mod diagnostics;
pub(crate) mod diff;
pub mod editions;
pub mod eval;
pub(crate) mod examples;
pub mod hanzi;
pub(crate) mod headings;
pub mod ide;
pub mod language;
pub mod report;
pub mod results;
pub mod rollup;
pub(crate) mod sample;
pub mod script;
pub(crate) mod sources;
pub(crate) mod suggest;
pub mod syntax;
pub mod value;
pub mod waivers;

use std::sync::Arc;

use diagnostics::{Boxed, FileDiagnostics};

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
