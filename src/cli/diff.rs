//! `yardstick diff OLD NEW` (two files) or `yardstick diff DIR --from V --to V`:
//! the semantic difference of two editions, and with `--impact DATA` what
//! it does to a batch of inspections.

use std::io::IsTerminal;
use std::sync::Arc;

use crate::check::Standard;
use crate::diff::impact::{AbsentField, ImpactError};
use crate::diff::{self, Side};
use crate::editions::Loaded;
use crate::eval::compile;
use crate::report;

use super::reading::{ReadArgs, ReadOptionError};
use super::{Exit, language, output};
use crate::language::Language;

/// Why a diff cannot be made.
#[derive(Debug, thiserror::Error)]
enum DiffError {
    /// A standard that cannot be used: why, as printed (unreadable files
    /// and rendered diagnostics).
    #[error("{0}")]
    Unusable(String),
    /// `--from` or `--to` with two files.
    #[error("`--from` and `--to` choose editions of a directory; with two files, leave them out")]
    EditionsOfFiles,
    /// A directory given where two files were.
    #[error(
        "`{0}` is a directory of editions: give two files, or the directory alone with `--from` and `--to`"
    )]
    Directory(String),
    /// `--from` or `--to` naming no edition.
    #[error("`{flag} {version}`: the editions are {versions}")]
    NoSuchEdition {
        /// `--from` or `--to`.
        flag: &'static str,
        /// The version asked for.
        version: String,
        /// The editions there are.
        versions: String,
    },
    /// No edition before the one `--to` chose.
    #[error(
        "`{path}` has one edition before `--to`'s, none: name one with `--from` (the editions are {versions})"
    )]
    NoneBefore {
        /// The directory.
        path: String,
        /// The editions there are.
        versions: String,
    },
    /// An edition that `--impact` cannot evaluate.
    #[error("{0}")]
    NotEvaluable(#[from] compile::NotEvaluable),
    /// A reading option that cannot be used.
    #[error("{0}")]
    ReadOption(#[from] ReadOptionError),
}

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old edition (`.std`), or a directory of editions.
    #[arg(value_name = "OLD")]
    old: String,
    /// The new edition (`.std`); leave it out with a directory.
    #[arg(value_name = "NEW")]
    new: Option<String>,
    /// With a directory: the old edition's version (default: the one before `--to`).
    #[arg(long, value_name = "VERSION")]
    from: Option<String>,
    /// With a directory: the new edition's version (default: the latest).
    #[arg(long, value_name = "VERSION")]
    to: Option<String>,
    /// `table` for the terminal, `markdown` for a document, `json` for tools.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also score these data files under both editions and show which units
    /// change grade, and which rules make them change.
    #[arg(long, value_name = "DATA", num_args = 1..)]
    impact: Vec<String>,
    /// Worker threads for `--impact` (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// How the data files of `--impact` are read.
    #[command(flatten)]
    read: ReadArgs,
    /// The language of `table` and `markdown` (`zh-Hant`, `zh-Hans` or
    /// `en`); by default the new edition's `language`.
    #[arg(long, value_name = "LANG", value_parser = language::parse)]
    lang: Option<Language>,
}

/// Output formats of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Markdown,
    Json,
}

/// The regraded units listed in text formats (JSON lists all).
const REGRADED_SHOWN: usize = 30;

/// Runs `diff`.
pub fn run(args: &Args) -> Exit {
    match compare(args) {
        Ok(done) => {
            let written = output::stdout(&done.text);
            output::stderr(&done.notes);
            written.map_or_else(|exit| exit, |()| done.exit)
        }
        Err(DiffError::Unusable(text)) => {
            output::stderr(&text);
            Exit::Invalid
        }
        Err(error) => {
            output::stderr(&format!("error: {error}\n"));
            Exit::Invalid
        }
    }
}

/// A diff made: its text, what goes to stderr, and the exit status (the
/// diff is printed even when its `--impact` could not be measured).
struct Done {
    text: String,
    notes: String,
    exit: Exit,
}

/// The diff, or what went wrong.
fn compare(args: &Args) -> Result<Done, DiffError> {
    let old_loaded = load(&args.old)?;
    let new_loaded = match &args.new {
        Some(path) => Some(load(path)?),
        None => None,
    };
    let (old_side, new_side) = match &new_loaded {
        Some(new_loaded) => {
            if args.from.is_some() || args.to.is_some() {
                return Err(DiffError::EditionsOfFiles);
            }
            (
                only(&old_loaded, &args.old)?,
                only(new_loaded, args.new.as_deref().unwrap_or_default())?,
            )
        }
        None => pick(&old_loaded, args)?,
    };
    let diff = diff::diff(&old_side, &new_side);
    let mut notes = String::new();
    let mut exit = Exit::Success;
    let mut absent = Vec::new();
    let impact = if args.impact.is_empty() {
        None
    } else {
        let program = |standard: &Standard| compile::compile(Arc::new(standard.clone()));
        let open = args.read.options()?;
        match diff::impact::impact(
            program(old_side.standard)?,
            program(new_side.standard)?,
            &args.impact,
            &open,
            args.jobs,
        ) {
            Ok((found, fields)) => {
                for field in &fields {
                    notes.push_str(&absent_note(field));
                }
                absent = fields;
                Some(found)
            }
            Err(error) => {
                notes.push_str(&format!("error: `--impact`: {error}\n"));
                exit = match error {
                    ImpactError::Data(_) => Exit::DataErrors,
                    ImpactError::Other(_) => Exit::Invalid,
                };
                None
            }
        }
    };
    let text = match args.format {
        Format::Json => {
            let document = serde_json::json!({
                "diff": diff,
                "impact": impact,
                "absent_fields": absent,
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            )
        }
        Format::Markdown | Format::Table => {
            let language = language::choose(args.lang, new_side.standard.language);
            let mut text = if args.format == Format::Markdown {
                report::diff::markdown(&diff, language)
            } else {
                report::diff::table(&diff, width(), language)
            };
            if let Some(impact) = &impact {
                let shown = REGRADED_SHOWN;
                text.push_str(&report::diff::impact_text(impact, &diff, shown, language));
            }
            text
        }
    };
    Ok(Done { text, notes, exit })
}

/// The note for a field an edition requires and the data lacks.
fn absent_note(field: &AbsentField) -> String {
    let label = field
        .label
        .as_deref()
        .map(|l| format!(" (labelled `{l}`)"))
        .unwrap_or_default();
    format!(
        "note: `{}` has no column for field `{}`{label}, which edition {} requires: the impact counts it blank, so the rules that read it are `missing` under that edition\n",
        field.file, field.field, field.edition
    )
}

/// The terminal's width, or 100 columns when not on a terminal.
fn width() -> u16 {
    if std::io::stdout().is_terminal() {
        comfy_table::Table::new().width().unwrap_or(100)
    } else {
        100
    }
}

/// Reads a standard, or the diagnostics that say why it cannot be used.
fn load(path: &str) -> Result<Loaded, DiffError> {
    let loaded = super::load_standard(path);
    if !loaded.has_errors() {
        return Ok(loaded);
    }
    let mut text = String::new();
    for message in &loaded.unreadable {
        text.push_str(&format!("error: {message}\n"));
    }
    for file in &loaded.diagnostics {
        text.push_str(&report::diagnostics::render(file, output::stderr_style()));
    }
    Err(DiffError::Unusable(text))
}

/// The one edition of a file.
fn only<'a>(loaded: &'a Loaded, path: &'a str) -> Result<Side<'a>, DiffError> {
    match loaded.standards().as_deref() {
        Some([standard]) => Ok(Side {
            standard,
            path,
            sources: &loaded.sources,
        }),
        _ => Err(DiffError::Directory(path.to_owned())),
    }
}

/// Two editions of a directory: `--from` and `--to`, by default the last two.
fn pick<'a>(loaded: &'a Loaded, args: &Args) -> Result<(Side<'a>, Side<'a>), DiffError> {
    let standards = loaded.standards().unwrap_or_default();
    let versions = standards
        .iter()
        .map(|s| s.version.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let find = |version: &str, flag: &'static str| {
        let found = standards.iter().position(|s| s.version == version);
        found.ok_or_else(|| DiffError::NoSuchEdition {
            flag,
            version: version.to_owned(),
            versions: versions.clone(),
        })
    };
    let to = match &args.to {
        Some(version) => find(version, "--to")?,
        None => standards.len().saturating_sub(1),
    };
    let from = match &args.from {
        Some(version) => find(version, "--from")?,
        None => to.checked_sub(1).ok_or_else(|| DiffError::NoneBefore {
            path: args.old.clone(),
            versions: versions.clone(),
        })?,
    };
    let side = |index: usize| Side {
        standard: standards[index],
        path: &loaded.editions[index].path,
        sources: &loaded.sources,
    };
    Ok((side(from), side(to)))
}
