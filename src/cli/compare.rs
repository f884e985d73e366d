//! `yardstick compare BEFORE AFTER`: rectification between two inspection
//! rounds. BEFORE and AFTER are results of `yardstick eval` (`--format json`
//! or `jsonl`), or, with `--standard`, inspection data scored here first
//! (to JSON Lines in a temporary file, then read back like results, so both
//! modes share one path).

use std::io::{IsTerminal, Write};

use crate::batch;
use crate::compare::{self, results};
use crate::data::{DataError, OpenOptions};
use crate::eval::catalog::Catalog;
use crate::report;
use crate::report::compare::Rounds;

use super::reading::ReadArgs;
use super::{Exit, language, output, progress, reading, safe_output, scoring};
use crate::language::Language;

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The round before: results of `yardstick eval --format json` (or
    /// `.jsonl`), or with `--standard` an inspection data file.
    #[arg(value_name = "BEFORE")]
    before: String,
    /// The round after (復查), the same kind of file as BEFORE.
    #[arg(value_name = "AFTER")]
    after: String,
    /// Score BEFORE and AFTER (inspection data: `.csv`, `.json`, `.jsonl`,
    /// `.xlsx`) with this standard (a `.std` file or a directory of editions) first.
    #[arg(long, value_name = "STANDARD")]
    standard: Option<String>,
    /// With `--standard` a directory: score by the edition in force on this date.
    #[arg(
        long,
        value_name = "DATE",
        conflicts_with = "edition",
        requires = "standard"
    )]
    as_of: Option<String>,
    /// With `--standard` a directory: score by this edition (its `version`).
    #[arg(long, value_name = "VERSION", requires = "standard")]
    edition: Option<String>,
    /// Output format; by default taken from the `-o` file's extension, else `table`.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the comparison to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// Exit 1 when any rule is still failing or unverified: a rectification
    /// that the round after does not show is not done.
    #[arg(long)]
    fail_on_unfixed: bool,
    /// With `--standard`: approved waivers (豁免) applied to both rounds, as
    /// `eval --waivers` applies them.
    #[arg(long, value_name = "FILE", requires = "standard")]
    waivers: Option<String>,
    /// With `--standard`: how the data files are read.
    #[command(flatten)]
    read: ReadArgs,
    /// The language of the report (`zh-Hant`, `zh-Hans` or `en`); by default
    /// the standard's `language`, or, from results, the language of the
    /// standard's title.
    #[arg(long, value_name = "LANG", value_parser = language::parse)]
    lang: Option<Language>,
    /// With `csv`: leave out the byte-order mark that makes Excel read the
    /// file as UTF-8.
    #[arg(long)]
    no_bom: bool,
}

/// Output formats of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Markdown,
    Json,
    Csv,
}

impl Format {
    fn of_path(path: &str) -> Option<Format> {
        let extension = super::paths::extension(path)?;
        Some(match extension.as_str() {
            "json" => Format::Json,
            "csv" => Format::Csv,
            "md" | "markdown" => Format::Markdown,
            "txt" => Format::Table,
            _ => return None,
        })
    }
}

/// Runs `compare`.
pub fn run(args: &Args) -> Exit {
    if let (None, Some(path)) = (args.format, &args.output)
        && super::paths::extension(path).is_some()
        && Format::of_path(path).is_none()
    {
        output::stderr(&format!(
            "error: `-o {path}`: compare writes a table (`.txt`), Markdown (`.md`), JSON or CSV; name the file so, or give `--format`\n"
        ));
        return Exit::Invalid;
    }
    let given: Vec<&str> = args.standard.iter().map(String::as_str).collect();
    if output_names_an_input(args, &given) {
        return Exit::Invalid;
    }
    let read = match &args.standard {
        Some(standard) => score_both(args, standard),
        None => read_both(args),
    };
    let (before, after, catalog, data_errors, standard_language) = match read {
        Ok(read) => read,
        Err(exit) => return exit,
    };
    let language = args
        .lang
        .or(standard_language)
        .unwrap_or_else(|| results_language(&after, &before));
    let comparison = compare::compare(&before, &after, catalog.as_deref());
    for repeated in &comparison.repeated {
        let path = if repeated.before {
            &args.before
        } else {
            &args.after
        };
        let n = repeated.keys.len();
        output::stderr(&format!(
            "warning: `{path}`: {n} unit{} written more than once, the later result counts: {}\n",
            if n == 1 { " is" } else { "s are" },
            repeated.keys.join(", ")
        ));
    }
    let rounds = Rounds {
        before: &args.before,
        after: &args.after,
        language,
    };
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::of_path))
        .unwrap_or(Format::Table);
    let text = match format {
        Format::Table => report::compare::table(&comparison, rounds, width(args)),
        Format::Markdown => report::compare::markdown(&comparison, rounds),
        Format::Json => report::compare::json(&comparison, rounds),
        Format::Csv => report::compare::csv(&comparison, language, !args.no_bom),
    };
    match &args.output {
        None => {
            if let Err(exit) = output::stdout(&text) {
                return exit;
            }
        }
        Some(path) => {
            if let Err(message) = safe_output::write(path, text.as_bytes()) {
                output::stderr(&format!("error: {message}\n"));
                return Exit::Invalid;
            }
            let units =
                comparison.units.len() + comparison.missing.len() + comparison.only_after.len();
            let plural = if units == 1 { "" } else { "s" };
            output::stderr(&format!("{units} unit{plural} compared → {path}\n"));
        }
    }
    if data_errors {
        Exit::DataErrors
    } else if args.fail_on_unfixed && comparison.has_unfixed() {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// Whether `-o` names one of the inputs: a round, the waivers, or one of
/// `standard_files`; if so, says so.
fn output_names_an_input(args: &Args, standard_files: &[&str]) -> bool {
    let mut inputs = vec![args.before.as_str(), args.after.as_str()];
    inputs.extend(args.waivers.as_deref());
    inputs.extend(standard_files);
    safe_output::names_an_input(args.output.as_deref(), &inputs)
}

/// Both rounds read, the rules' names when known better than the results
/// know them, whether there were data errors, and the standard's language
/// when the rounds were scored here.
type Read = (
    results::Results,
    results::Results,
    Option<Vec<results::RuleInfo>>,
    bool,
    Option<Language>,
);

/// The language of results read back: the one of the standard's title (as
/// a standard without `language` has it), or, for JSON Lines, which carry no
/// title, the one of the grades' names.
fn results_language(after: &results::Results, before: &results::Results) -> Language {
    if let Some(title) = after.title.as_deref().or(before.title.as_deref()) {
        return Language::of_title(title);
    }
    let grades: String = after
        .units
        .iter()
        .chain(&before.units)
        .filter_map(|unit| unit.grade.as_deref())
        .take(100)
        .collect();
    Language::of_title(&grades)
}

/// Results mode: both files are results of `eval`. A file that cannot be
/// read is exit 3, as a data file is; one that is not results is exit 2.
fn read_both(args: &Args) -> Result<Read, Exit> {
    let read = |path: &str| match results::read(path) {
        Ok(results) => Ok(results),
        Err(error) => {
            output::stderr(&format!("error: {error}\n"));
            Err(match error {
                results::ResultsError::Unreadable { .. } => Exit::DataErrors,
                _ => Exit::Invalid,
            })
        }
    };
    let before = read(&args.before);
    let after = read(&args.after);
    match (before, after) {
        (Ok(before), Ok(after)) => Ok((before, after, None, false, None)),
        (Err(a), Err(b)) => Err(a.max(b)),
        (Err(exit), _) | (_, Err(exit)) => Err(exit),
    }
}

/// Data mode: both files are inspection data, scored with the standard. A
/// round that scored no record (its file missing, unreadable, without the
/// columns) stops the comparison: exit 3, nothing written.
fn score_both(args: &Args, standard: &str) -> Result<Read, Exit> {
    let loaded = scoring::load(standard).ok_or(Exit::Invalid)?;
    let standard_files: Vec<&str> = loaded
        .sources
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    if output_names_an_input(args, &standard_files) {
        return Err(Exit::Invalid);
    }
    let choice = scoring::Choice {
        edition: args.edition.as_deref(),
        as_of: args.as_of.as_deref(),
    };
    let catalog = scoring::catalog(standard, &choice, &loaded).map_err(|error| {
        output::stderr(&error.text());
        Exit::Invalid
    })?;
    let open = args.read.options().map_err(|error| {
        output::stderr(&format!("error: {error}\n"));
        Exit::Invalid
    })?;
    let as_of = args.as_of.as_deref();
    let options = batch::Options {
        progress: progress::on_terminal(),
        waivers: scoring::waivers(args.waivers.as_deref(), &catalog, &loaded, as_of)
            .map_err(|()| Exit::Invalid)?,
        waiver_date: Some(scoring::waiver_date(args.as_of.as_deref())),
        ..batch::Options::default()
    };
    let mut errors = Vec::new();
    let mut scored = 0;
    let before = score(
        &catalog,
        &options,
        &open,
        &args.before,
        &mut errors,
        &mut scored,
    );
    let after = score(
        &catalog,
        &options,
        &open,
        &args.after,
        &mut errors,
        &mut scored,
    );
    if let Some(waivers) = &options.waivers {
        scoring::report_unmatched(waivers);
    }
    scoring::report_data_errors(&errors, &loaded.sources, scored);
    scoring::report_script_log(&catalog);
    let (before, after) = match (before, after) {
        (Ok(before), Ok(after)) => (before, after),
        (before, after) => {
            let mut empty = Vec::new();
            for (round, path) in [(&before, &args.before), (&after, &args.after)] {
                if round.as_ref().err() == Some(&Exit::DataErrors) {
                    empty.push(format!("`{path}`"));
                }
            }
            if !empty.is_empty() {
                output::stderr(&format!(
                    "error: nothing was compared: no record of {} was scored{}\n",
                    empty.join(" or "),
                    args.output
                        .as_deref()
                        .map(|o| format!(" (`{o}` was not written)"))
                        .unwrap_or_default()
                ));
            }
            let exits = [before.err(), after.err()];
            return Err(exits.into_iter().flatten().max().unwrap_or(Exit::Invalid));
        }
    };
    let names = catalog
        .rules
        .iter()
        .map(|rule| results::RuleInfo {
            id: rule.id.clone(),
            title: rule.title.clone(),
            owner: rule.owner.clone(),
        })
        .collect();
    let language = catalog.latest().standard.language;
    Ok((
        before,
        after,
        Some(names),
        !errors.is_empty(),
        Some(language),
    ))
}

/// One data file scored to JSON Lines in a temporary file and read back;
/// its data errors are added to `errors` and its records to `scored`. A
/// file that scored no record is exit 3.
fn score(
    catalog: &Catalog,
    options: &batch::Options,
    open: &OpenOptions,
    path: &str,
    errors: &mut Vec<DataError>,
    scored: &mut u64,
) -> Result<results::Results, Exit> {
    let fail = |message: String| {
        output::stderr(&format!("error: {message}\n"));
        Exit::Invalid
    };
    let (mut sources, open_errors) = reading::open_all(
        std::slice::from_ref(&path.to_owned()),
        open,
        &catalog.standards(),
    );
    if let Some(error) = open_errors.into_iter().next() {
        errors.push(error);
        return Err(Exit::DataErrors);
    }
    let Some(source) = sources.pop() else {
        return Err(Exit::DataErrors);
    };
    let temporary = tempfile::NamedTempFile::new()
        .map_err(|e| fail(format!("cannot make a temporary file: {e}")))?;
    let finished = {
        let mut sink = std::io::BufWriter::new(temporary.as_file());
        let lines = report::json::Json { lines: true };
        let finished = batch::run(catalog, vec![source], &lines, &mut sink, options);
        finished.and_then(|f| sink.flush().map(|()| f))
    };
    let finished = finished.map_err(|e| fail(format!("cannot score `{path}`: {e}")))?;
    if let Some(waivers) = &options.waivers {
        scoring::report_waived(&finished.summary, waivers, &format!("{path}: "));
    }
    *scored += finished.summary.records;
    let nothing = finished.summary.records == 0;
    errors.extend(finished.summary.errors);
    if nothing {
        return Err(Exit::DataErrors);
    }
    let text = std::fs::read_to_string(temporary.path())
        .map_err(|e| fail(format!("cannot read a temporary file: {e}")))?;
    results::parse_lines(&text, path).map_err(|e| fail(e.to_string()))
}

/// The terminal's width when writing to it, else 100 columns.
fn width(args: &Args) -> u16 {
    if args.output.is_none() && std::io::stdout().is_terminal() {
        comfy_table::Table::new().width().unwrap_or(100)
    } else {
        100
    }
}
