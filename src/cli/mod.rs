//! The command line: clap definitions, one file per subcommand, exit codes.
//! The only module that knows clap or decides how the process exits.

mod check;
mod compare;
mod diff;
mod eval;
mod fmt;
mod language;
mod lsp;
mod output;
mod paths;
mod progress;
mod reading;
mod rollup;
mod safe_output;
mod sample;
mod scoring;
mod template;
mod test;

use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Parser, Subcommand};

use crate::editions::{self, Loaded, Reach};

/// How the process ends (SPEC §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Done.
    Success = 0,
    /// A `--check` or `--fail-on` condition was met.
    Findings = 1,
    /// The standard or the command line is invalid.
    Invalid = 2,
    /// Data errors; the rest was still evaluated.
    DataErrors = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// yardstick: check governance standards and score inspections with them.
#[derive(Debug, Parser)]
#[command(name = "yardstick", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Let `extends` and `sample --verify` read files outside the folder of
    /// the standard or of the draw record.
    #[arg(long, global = true)]
    allow_outside: bool,
}

/// How far files named inside other files (`extends`, a draw record's
/// files) may lead, as `--allow-outside` says; set once, as the command
/// line is read.
static REACH: OnceLock<Reach> = OnceLock::new();

/// How far files named inside other files may lead (see [`REACH`]).
fn reach() -> Reach {
    REACH.get().copied().unwrap_or_default()
}

/// Reads a standard (a file or a directory of editions), `extends` reaching
/// as far as `--allow-outside` lets it.
fn load_standard(path: &str) -> Loaded {
    editions::load_with(path, reach())
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse, resolve, type-check and lint standards.
    Check(check::Args),
    /// Score and grade every record of the data with a standard.
    Eval(eval::Args),
    /// The semantic difference of two editions; `--impact DATA` re-scores data under both.
    Diff(diff::Args),
    /// Rectification between two inspection rounds (整改, 復查): what was fixed, what still fails.
    Compare(compare::Args),
    /// Rewrite standards in the canonical layout.
    Fmt(fmt::Args),
    /// Run the examples of standards (files or directories) as tests.
    Test(test::Args),
    /// A blank inspection form (CSV or Excel) with the standard's fields.
    Template(template::Args),
    /// A reproducible random draw of units (and inspectors) to inspect.
    Sample(sample::Args),
    /// A year of inspections rolled up per unit: monthly, quarterly, annual (SPEC §8).
    Rollup(rollup::Args),
    /// The language server for editors, over stdin and stdout (SPEC §9).
    Lsp(lsp::Args),
}

/// Runs the command line and returns the exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                Exit::Invalid
            } else {
                Exit::Success
            }
            .into();
        }
    };
    let _ = REACH.set(Reach {
        anywhere: cli.allow_outside,
    });
    let exit = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Sample(args) => sample::run(&args),
        Command::Rollup(args) => rollup::run(&args),
        Command::Lsp(args) => lsp::run(&args),
    };
    exit.into()
}
