//! `yardstick eval STANDARD DATA...`: score and grade every record.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};

use crate::batch::{self, Explain};
use crate::data::{self, OpenOptions};
use crate::eval::catalog::Catalog;
use crate::report;
use crate::report::diagnostics::Boxed;
use crate::sources::Sources;

use super::{Exit, language, output, scoring};
use crate::language::Language;

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The standard: a `.std` file, or a directory of its editions.
    #[arg(value_name = "STANDARD")]
    standard: String,
    /// With a directory of editions: score every record by the edition in
    /// force on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", conflicts_with = "edition")]
    as_of: Option<String>,
    /// Score every record by this edition (its `version`), e.g. to re-score
    /// last year's data under this year's standard.
    #[arg(long, value_name = "VERSION")]
    edition: Option<String>,
    /// Data files: `.csv` (any delimiter), `.json` (an array of objects),
    /// `.jsonl`, `.xlsx`; `-` reads CSV from stdin.
    #[arg(required = true, value_name = "DATA")]
    data: Vec<String>,
    /// Output format; by default `table` on a terminal, else taken from the
    /// `-o` file's extension, else `csv`.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write results to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// With `csv`: add a column per rule with its outcome.
    #[arg(long)]
    detail: bool,
    /// Write only units that failed a rule (the summary still counts all).
    #[arg(long)]
    only_failed: bool,
    /// Exit 1 when any unit gets this grade or a worse (later) one.
    #[arg(long, value_name = "GRADE")]
    fail_on: Option<String>,
    /// Explain why the named units failed (comma-separated keys), or every
    /// failing unit when none is named; printed to stderr.
    #[arg(long, value_name = "UNIT", num_args = 0.., value_delimiter = ',')]
    explain: Option<Vec<String>>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// The CSV delimiter (sniffed from the header line by default), e.g. `;` or `tab`.
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// The sheet of an Excel workbook (the first by default).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// With `html` and `xlsx`: a column of the data that groups units (a
    /// district...); the HTML ranking is then within each group.
    #[arg(long, value_name = "COLUMN")]
    group_by: Option<String>,
    /// The language of the report (`zh-Hant`, `zh-Hans` or `en`); by
    /// default the standard's `language`.
    #[arg(long, value_name = "LANG", value_parser = language::parse)]
    lang: Option<Language>,
    /// With `csv`: leave out the byte-order mark that makes Excel read the
    /// file as UTF-8.
    #[arg(long)]
    no_bom: bool,
    /// Approved waivers (豁免): a file of unit, rule, justification,
    /// approved_by, expires (and optionally scores_as: n/a or pass). A
    /// waived failure is reported as `waived`, never hidden.
    #[arg(long, value_name = "FILE")]
    waivers: Option<String>,
}

/// Output formats of `eval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Markdown,
    Html,
    Xlsx,
}

impl Format {
    fn of_path(path: &str) -> Option<Format> {
        let extension = super::paths::extension(path)?;
        Some(match extension.as_str() {
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "xlsx" => Format::Xlsx,
            "txt" => Format::Table,
            _ => return None,
        })
    }
}

/// Runs `eval`.
pub fn run(args: &Args) -> Exit {
    let Some(loaded) = scoring::load(&args.standard) else {
        return Exit::Invalid;
    };
    let choice = scoring::Choice {
        edition: args.edition.as_deref(),
        as_of: args.as_of.as_deref(),
    };
    let catalog = match scoring::catalog(&args.standard, &choice, &loaded) {
        Ok(catalog) => catalog,
        Err(report) => {
            output::stderr(&report);
            return Exit::Invalid;
        }
    };
    if let Some(grade) = &args.fail_on
        && !catalog.grades.contains(grade)
    {
        output::stderr(&format!(
            "error: `--fail-on {grade}`: the standard's grades are {}\n",
            catalog.grades.join(", ")
        ));
        return Exit::Invalid;
    }
    let as_of = args.as_of.as_deref();
    let Ok(waivers) = scoring::waivers(args.waivers.as_deref(), &catalog, &loaded, as_of) else {
        return Exit::Invalid;
    };
    let delimiter = match args.delimiter.as_deref().map(parse_delimiter) {
        None => None,
        Some(Some(d)) => Some(d),
        Some(None) => {
            output::stderr(
                "error: `--delimiter` takes one ASCII character (not a quote or a line end), or `tab`\n",
            );
            return Exit::Invalid;
        }
    };
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::of_path))
        .unwrap_or(
            if args.output.is_none() && std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Csv
            },
        );
    let language = language::choose(args.lang, catalog.latest().standard.language);
    let formatter: Box<dyn report::Format> = match format {
        Format::Table => Box::new(report::table::TableFormat {
            waivers: waivers.clone(),
            language,
        }),
        Format::Json => Box::new(report::json::Json { lines: false }),
        Format::Jsonl => Box::new(report::json::Json { lines: true }),
        Format::Csv => {
            let mut csv = report::csv::Csv::new(&catalog, language, args.detail, waivers.is_some());
            csv.bom = !args.no_bom;
            Box::new(csv)
        }
        Format::Markdown => Box::new(report::markdown::Markdown {
            waivers: waivers.clone(),
            language,
        }),
        Format::Html | Format::Xlsx => Box::new(report::detail::Details { language }),
    };
    if format == Format::Xlsx && args.output.is_none() {
        output::stderr("error: `--format xlsx` writes a workbook: name it with `-o FILE.xlsx`\n");
        return Exit::Invalid;
    }
    // The HTML and Excel reports are made after the batch, from each unit's
    // detail, kept meanwhile in a temporary file.
    let details = if matches!(format, Format::Html | Format::Xlsx) {
        match tempfile::NamedTempFile::new() {
            Ok(file) => Some(file),
            Err(error) => {
                output::stderr(&format!("error: cannot make a temporary file: {error}\n"));
                return Exit::Invalid;
            }
        }
    } else {
        None
    };
    let options = OpenOptions {
        delimiter,
        sheet: args.sheet.clone(),
    };
    let mut open_errors = Vec::new();
    let mut sources = Vec::new();
    for path in &args.data {
        match data::open(path, &options) {
            Ok(source) => sources.push(source),
            Err(error) => open_errors.push(error),
        }
    }
    let batch_options = batch::Options {
        jobs: args.jobs,
        only_failed: args.only_failed,
        explain: match &args.explain {
            None => Explain::Nothing,
            Some(units) if units.is_empty() => Explain::Failed,
            Some(units) => Explain::Units(units.iter().cloned().collect::<HashSet<_>>()),
        },
        progress: std::io::stderr().is_terminal(),
        fail_on: args.fail_on.clone(),
        group: args.group_by.clone(),
        waiver_date: Some(scoring::waiver_date(args.as_of.as_deref())),
        waivers,
    };
    let mut sink: Box<dyn Write> = match (&details, &args.output) {
        (Some(temporary), _) => match temporary.reopen() {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(error) => {
                output::stderr(&format!("error: cannot write a temporary file: {error}\n"));
                return Exit::Invalid;
            }
        },
        (None, None) => Box::new(std::io::stdout().lock()),
        (None, Some(path)) => match std::fs::File::create(path) {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(error) => {
                output::stderr(&format!("error: cannot write `{path}`: {error}\n"));
                return Exit::Invalid;
            }
        },
    };
    let result = batch::run(
        &catalog,
        sources,
        formatter.as_ref(),
        &mut *sink,
        &batch_options,
    );
    drop(sink);
    let mut finished = match result {
        Ok(finished) => finished,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Exit::Success,
        Err(error) => {
            output::stderr(&format!("error: cannot write the results: {error}\n"));
            return Exit::Invalid;
        }
    };
    finished.summary.errors.splice(0..0, open_errors);
    if let Some(temporary) = &details
        && let Err(message) = write_report(
            format,
            (args, language),
            &catalog,
            &finished.summary,
            temporary.path(),
        )
    {
        output::stderr(&format!("error: {message}\n"));
        return Exit::Invalid;
    }
    explain(
        &args.standard,
        &loaded.sources,
        &catalog,
        &finished,
        args.explain.as_deref(),
    );
    scoring::report_data_errors(&finished.summary.errors, &loaded.sources);
    if let Some(waivers) = &batch_options.waivers {
        scoring::report_waived(&finished.summary, waivers, "");
        scoring::report_unmatched(waivers);
    }
    scoring::report_script_log(&catalog);
    if !finished.summary.errors.is_empty() {
        Exit::DataErrors
    } else if finished.fail_on_met {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// `,`, `;`, `|`, `\t` or the word `tab`: one ASCII character that is not a
/// quote or a line end.
fn parse_delimiter(text: &str) -> Option<u8> {
    match text {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => text.bytes().next(),
        _ => None,
    }
    .filter(|d| !matches!(d, b'"' | b'\n' | b'\r'))
}

/// Prints the explanations of the kept units to stderr.
fn explain(
    path: &str,
    sources: &Sources,
    catalog: &Catalog,
    finished: &batch::Finished,
    asked: Option<&[String]>,
) {
    let Some(asked) = asked else {
        return;
    };
    let mut text = String::new();
    for kept in &finished.kept {
        let program = &catalog.programs[kept.edition];
        let explanations = report::explain::explain(program, kept, catalog.is_mixed());
        if explanations.is_empty() {
            text.push_str(&report::explain::passed_line(program, kept));
            continue;
        }
        let items: Vec<Boxed> = explanations
            .into_iter()
            .map(|e| Box::new(e) as Boxed)
            .collect();
        for file in sources.split(items, path) {
            text.push_str(&report::diagnostics::render(&file, output::stderr_style()));
        }
    }
    for unit in asked {
        if !finished.kept.iter().any(|k| &k.key == unit) {
            text.push_str(&format!("warning: no unit `{unit}` in the data\n"));
        }
    }
    output::stderr(&text);
}

/// The HTML page or the Excel workbook, made from the units' detail file.
fn write_report(
    format: Format,
    (args, language): (&Args, Language),
    catalog: &Catalog,
    summary: &report::Summary,
    details: &std::path::Path,
) -> Result<(), String> {
    let open = || std::fs::File::open(details).map(std::io::BufReader::new);
    let group = args.group_by.as_deref();
    match (format, &args.output) {
        (Format::Xlsx, Some(path)) => report::xlsx::write(
            catalog,
            summary,
            (group, language),
            open,
            std::path::Path::new(path),
        )
        .map_err(|e| format!("cannot write `{path}`: {e}")),
        (_, output) => {
            let page = report::html::render(catalog, summary, (group, language), open)?;
            match output {
                Some(path) => {
                    std::fs::write(path, page).map_err(|e| format!("cannot write `{path}`: {e}"))
                }
                None => {
                    output::stdout(&page);
                    Ok(())
                }
            }
        }
    }
}
