//! What every subcommand that scores data shares with `eval`: reading the
//! standard, choosing the editions that score (`--edition`, `--as-of`,
//! routing by date), and reporting the data errors and script output of a
//! batch on stderr.

use std::sync::Arc;

use jiff::civil::Date;

use crate::check::Standard;
use crate::data;
use crate::diagnostics::Boxed;
use crate::editions::{Loaded, Timeline};
use crate::eval::catalog::{Catalog, Route};
use crate::eval::compile;
use crate::report;
use crate::sources::Sources;
use crate::waivers::Waivers;

use super::output;

/// The most data errors printed in full; the rest are counted (every one is
/// in `eval`'s JSON output).
const ERRORS_SHOWN: usize = 200;

/// Which edition of a directory scores every record, as asked on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Choice<'a> {
    /// `--edition V`: this version.
    pub edition: Option<&'a str>,
    /// `--as-of DATE`: the edition in force on that date.
    pub as_of: Option<&'a str>,
}

/// Why the editions that score cannot be chosen.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// `--edition` naming no edition.
    #[error("`--edition {version}`: the editions are {versions}")]
    NoSuchEdition {
        /// The version asked for.
        version: String,
        /// The editions there are.
        versions: String,
    },
    /// An `--as-of` that is not a date.
    #[error("`--as-of {0}`: write the date as YYYY-MM-DD")]
    NotADate(String),
    /// An `--as-of` date on which no edition is in force.
    #[error("`--as-of {text}`: no edition is in force on {date} (the editions are {versions})")]
    NoneInForce {
        /// The date as written.
        text: String,
        /// The date.
        date: Date,
        /// The editions there are.
        versions: String,
    },
    /// An edition that cannot be evaluated: its diagnostic, rendered.
    #[error("{0}")]
    NotEvaluable(String),
}

impl CatalogError {
    /// What to print on stderr: the rendered diagnostic of an edition that
    /// cannot be evaluated, else one `error:` line.
    pub fn text(&self) -> String {
        match self {
            CatalogError::NotEvaluable(rendered) => rendered.clone(),
            other => format!("error: {other}\n"),
        }
    }
}

/// Reads a standard (a file or a directory of editions); when it cannot be
/// used, prints why and gives `None`.
pub fn load(path: &str) -> Option<Loaded> {
    let loaded = super::load_standard(path);
    if !loaded.has_errors() {
        return Some(loaded);
    }
    for message in &loaded.unreadable {
        output::stderr(&format!("error: {message}\n"));
    }
    for file in &loaded.diagnostics {
        output::diagnostics(file);
    }
    None
}

/// The editions that score the data, and how each record finds its own: a
/// file is one edition; a directory's edition is named by `--edition`,
/// chosen by `--as-of`, taken from each record's date when the standard is
/// `dated_by`, or else the latest.
pub fn catalog(path: &str, choice: &Choice<'_>, loaded: &Loaded) -> Result<Catalog, CatalogError> {
    let standards = loaded.standards().unwrap_or_default();
    let versions = || {
        standards
            .iter()
            .map(|s| s.version.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let timeline = Timeline::new(&standards);
    let chosen = if let Some(version) = choice.edition {
        let index = standards.iter().position(|s| s.version == version);
        Some(index.ok_or_else(|| CatalogError::NoSuchEdition {
            version: version.to_owned(),
            versions: versions(),
        })?)
    } else if let Some(text) = choice.as_of {
        let date: Date = text
            .parse()
            .map_err(|_| CatalogError::NotADate(text.to_owned()))?;
        let single_in_force = standards.len() == 1 && in_force(standards[0], date);
        let index = if single_in_force {
            Some(0)
        } else {
            timeline.at(date)
        };
        Some(index.ok_or_else(|| CatalogError::NoneInForce {
            text: text.to_owned(),
            date,
            versions: versions(),
        })?)
    } else if standards.len() == 1 {
        Some(0)
    } else if standards.iter().all(|s| s.dated_by.is_none()) {
        timeline.latest()
    } else {
        None
    };
    let compile_one = |standard: &Standard| {
        compile::compile(Arc::new(standard.clone())).map_err(|error| {
            let items: Vec<Boxed> = vec![Box::new(error)];
            let rendered = loaded
                .sources
                .split(items, path)
                .iter()
                .map(|file| report::diagnostics::render(file, output::stderr_style()))
                .collect::<String>();
            CatalogError::NotEvaluable(rendered)
        })
    };
    match chosen {
        Some(index) => Ok(Catalog::single(compile_one(standards[index])?)),
        None => {
            let programs = standards
                .iter()
                .map(|s| compile_one(s))
                .collect::<Result<Vec<_>, _>>()?;
            let field = standards
                .iter()
                .find_map(|s| s.dated_by.map(|f| s.fields[f.0].name.clone()))
                .unwrap_or_default();
            Ok(Catalog::new(programs, Route::ByDate { field, timeline }))
        }
    }
}

/// The waivers of `path`, if one is given, for the editions of `catalog`
/// (a waiver may name a rule of any edition `loaded` has); `Err` when the
/// file is wrong (every mistake is printed). When some record can have no
/// inspection date and no `--as-of` is given, a note says that expiry is
/// judged against today's date.
pub fn waivers(
    path: Option<&str>,
    catalog: &Catalog,
    loaded: &Loaded,
    as_of: Option<&str>,
) -> Result<Option<Arc<Waivers>>, ()> {
    let Some(path) = path else {
        return Ok(None);
    };
    let standards = loaded.standards().unwrap_or_default();
    let known: Vec<&str> = standards
        .iter()
        .flat_map(|s| s.rules.iter().map(|r| r.id.as_str()))
        .collect();
    match Waivers::read(path, catalog, &known) {
        Ok(waivers) => {
            let undated = catalog
                .programs
                .iter()
                .any(|p| p.standard.dated_by.is_none());
            if undated && as_of.is_none() && !waivers.is_empty() {
                output::stderr(&format!(
                    "note: the standard has no `dated_by`, so waivers' expiry is judged against today's date ({}); give `--as-of DATE` for results that do not change with the day\n",
                    waiver_date(None)
                ));
            }
            Ok(Some(Arc::new(waivers)))
        }
        Err(errors) => {
            let mut text: String = errors.iter().map(|e| format!("error: {e}\n")).collect();
            text.push_str(&format!(
                "the waivers in `{path}` were not applied, and nothing was scored: fix the file and run again\n"
            ));
            output::stderr(&text);
            Err(())
        }
    }
}

/// How many failures waivers excused, and every failure whose waiver had
/// expired by the inspection (it counts as a failure), to stderr; `round`
/// names the round of `compare`.
pub fn report_waived(summary: &crate::results::Summary, waivers: &Waivers, round: &str) {
    let waived: u64 = summary.waived.iter().sum();
    let plural = if waived == 1 { "" } else { "s" };
    let mut text = format!(
        "{round}{waived} failure{plural} waived by `{}` (reported as `waived`, with their justification)\n",
        waivers.file
    );
    for lapsed in &summary.lapsed {
        let Some(waiver) = waivers.get(lapsed.waiver) else {
            continue;
        };
        text.push_str(&format!(
            "warning: {round}unit `{}` failed rule {}: its waiver ({}) expired on {}, before the inspection on {}, so the failure counts\n",
            lapsed.key, waiver.rule, waiver.at, waiver.expires, lapsed.date
        ));
    }
    output::stderr(&text);
}

/// Every waiver whose unit no scored record had (a mistyped unit is
/// otherwise never noticed), to stderr.
pub fn report_unmatched(waivers: &Waivers) {
    let text: String = waivers
        .unmatched()
        .map(|waiver| {
            format!(
                "warning: the waiver for unit `{}` rule {} ({}) matched no record: no unit of the data has that key\n",
                waiver.unit, waiver.rule, waiver.at
            )
        })
        .collect();
    output::stderr(&text);
}

/// The inspection date for waivers when a record gives none: `--as-of`,
/// else today.
pub fn waiver_date(as_of: Option<&str>) -> Date {
    as_of
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}

/// Whether a single edition is in force on `date` (an undated one always is).
fn in_force(standard: &Standard, date: Date) -> bool {
    standard.effective.is_none_or(|from| from <= date)
        && standard.until.is_none_or(|until| date <= until)
}

/// Prints data errors to stderr, the first [`ERRORS_SHOWN`] in full, and a
/// closing line that says what they cost; `scored` is the number of records
/// scored despite them. Data errors that point into the standard (a script
/// that failed) are shown with the script's line.
pub fn report_data_errors(errors: &[data::DataError], sources: &Sources, scored: u64) {
    if errors.is_empty() {
        return;
    }
    let shown: Vec<Boxed> = errors
        .iter()
        .take(ERRORS_SHOWN)
        .map(|e| Box::new(e.clone()) as Boxed)
        .collect();
    let mut text: String = sources
        .split(shown, "")
        .iter()
        .map(|file| report::diagnostics::render(file, output::stderr_style()))
        .collect();
    if errors.len() > ERRORS_SHOWN {
        text.push_str(&format!(
            "... and {} more data errors (`--format json` lists them all)\n",
            errors.len() - ERRORS_SHOWN
        ));
    }
    let plural = if errors.len() == 1 { "" } else { "s" };
    text.push_str(&format!(
        "{} data error{plural}: {}\n",
        errors.len(),
        consequences(errors, scored).join("; ")
    ));
    output::stderr(&text);
}

/// Data that was read but looks unintended, to stderr as warnings.
pub fn report_data_warnings(warnings: &[data::DataError], sources: &Sources) {
    let shown: Vec<Boxed> = warnings
        .iter()
        .take(ERRORS_SHOWN)
        .map(|w| Box::new(w.clone()) as Boxed)
        .collect();
    let mut text: String = sources
        .split(shown, "")
        .iter()
        .map(|file| report::diagnostics::render(file, output::stderr_style()))
        .collect();
    if warnings.len() > ERRORS_SHOWN {
        text.push_str(&format!(
            "... and {} more warnings about the data\n",
            warnings.len() - ERRORS_SHOWN
        ));
    }
    output::stderr(&text);
}

/// What data errors cost, in words: values `missing`, files that stopped,
/// records not scored — and never "every other rule was scored" when no
/// record was.
fn consequences(errors: &[data::DataError], scored: u64) -> Vec<String> {
    let unscored = errors
        .iter()
        .filter(|e| matches!(e, data::DataError::NoEdition { .. }))
        .count();
    let mut stopped: Vec<String> = Vec::new();
    for error in errors.iter().filter(|e| e.stops_file()) {
        let name = stopped_file(error);
        if !stopped.contains(&name) {
            stopped.push(name);
        }
    }
    let values = errors
        .iter()
        .filter(|e| !e.stops_file() && !matches!(e, data::DataError::NoEdition { .. }))
        .count();
    let mut parts = Vec::new();
    if scored == 0 {
        parts.push("no record was scored".to_owned());
    } else if !stopped.is_empty() {
        parts.push(format!(
            "nothing more of {} was read; every record read was scored",
            stopped.join(", ")
        ));
    }
    if values > 0 {
        parts.push(if scored > 0 {
            "the rules that needed those values are `missing`; every other rule was scored"
                .to_owned()
        } else {
            "the rules that needed those values are `missing`".to_owned()
        });
    }
    match unscored {
        0 => {}
        1 => parts.push("1 record no edition could score is not in the results".to_owned()),
        n => parts.push(format!(
            "{n} records no edition could score are not in the results"
        )),
    }
    parts
}

/// The file an error that stopped a whole file names, in backticks.
fn stopped_file(error: &data::DataError) -> String {
    error
        .stopped_file()
        .map_or_else(|| "a file".to_owned(), |file| format!("`{file}`"))
}

/// What scripts printed (`print`, `debug`), to stderr: the first lines and
/// how many in all. Scripts never write to stdout.
pub fn report_script_log(catalog: &Catalog) {
    for program in &catalog.programs {
        let Some(scripts) = &program.scripts else {
            continue;
        };
        let log = scripts
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if log.count == 0 {
            continue;
        }
        let mut text = format!("scripts printed {} line(s):\n", log.count);
        for line in &log.lines {
            text.push_str(&format!("  {line}\n"));
        }
        if log.count > log.lines.len() {
            text.push_str(&format!("  ... and {} more\n", log.count - log.lines.len()));
        }
        output::stderr(&text);
    }
}
