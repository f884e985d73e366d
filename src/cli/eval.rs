//! `yardstick eval STANDARD DATA...`: score and grade every record.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::sync::Arc;

use crate::batch::{self, Explain};
use crate::data::{self, OpenOptions};
use crate::eval::compile;
use crate::report;
use crate::report::diagnostics::{Boxed, FileDiagnostics};

use super::{Exit, output};

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The standard (`.std`).
    #[arg(value_name = "STANDARD")]
    standard: String,
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
        let extension = std::path::Path::new(path)
            .extension()?
            .to_string_lossy()
            .to_lowercase();
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

/// The most data errors printed in full; the rest are counted (every one is
/// in the JSON output).
const ERRORS_SHOWN: usize = 200;

/// Runs `eval`.
pub fn run(args: &Args) -> Exit {
    let Some(standard_source) = read_standard(&args.standard) else {
        return Exit::Invalid;
    };
    let compiled = crate::compile(&args.standard, Arc::clone(&standard_source));
    let Some(standard) = compiled.standard else {
        output::diagnostics(&compiled.diagnostics);
        return Exit::Invalid;
    };
    let program = match compile::compile(Arc::new(standard)) {
        Ok(program) => program,
        Err(error) => {
            let file = FileDiagnostics::new(&args.standard, standard_source, vec![Box::new(error)]);
            output::diagnostics(&file);
            return Exit::Invalid;
        }
    };
    let fail_on = match &args.fail_on {
        None => None,
        Some(grade) => match program
            .standard
            .grades
            .iter()
            .position(|b| &b.name == grade)
        {
            Some(index) => Some(index),
            None => {
                let names: Vec<&str> = program
                    .standard
                    .grades
                    .iter()
                    .map(|b| b.name.as_str())
                    .collect();
                output::stderr(&format!(
                    "error: `--fail-on {grade}`: the standard's grades are {}\n",
                    names.join(", ")
                ));
                return Exit::Invalid;
            }
        },
    };
    let delimiter = match args.delimiter.as_deref().map(parse_delimiter) {
        None => None,
        Some(Some(d)) => Some(d),
        Some(None) => {
            output::stderr("error: `--delimiter` takes one ASCII character, or `tab`\n");
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
    let formatter: Box<dyn report::Format> = match format {
        Format::Table => Box::new(report::table::TableFormat),
        Format::Json => Box::new(report::json::Json { lines: false }),
        Format::Jsonl => Box::new(report::json::Json { lines: true }),
        Format::Csv => Box::new(report::csv::Csv {
            detail: args.detail,
        }),
        Format::Markdown => Box::new(report::markdown::Markdown),
        Format::Html | Format::Xlsx => {
            output::stderr("error: the html and xlsx reports are not built yet (see the README)\n");
            return Exit::Invalid;
        }
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
    };
    let mut sink: Box<dyn Write> = match &args.output {
        None => Box::new(std::io::stdout().lock()),
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(error) => {
                output::stderr(&format!("error: cannot write `{path}`: {error}\n"));
                return Exit::Invalid;
            }
        },
    };
    let result = batch::run(
        &program,
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
    explain(
        &args.standard,
        &standard_source,
        &program,
        &finished,
        args.explain.as_deref(),
    );
    report_data_errors(&finished.summary.errors);
    if !finished.summary.errors.is_empty() {
        Exit::DataErrors
    } else if fail_on.is_some_and(|grade| finished.worst_grade.is_some_and(|worst| worst >= grade))
    {
        Exit::Findings
    } else {
        Exit::Success
    }
}

fn read_standard(path: &str) -> Option<Arc<str>> {
    match output::read_source(path) {
        Ok(source) => Some(source),
        Err(file) => {
            if let Some(file) = file {
                output::diagnostics(&file);
            }
            None
        }
    }
}

/// `,`, `;`, `|`, `\t` or the word `tab`.
fn parse_delimiter(text: &str) -> Option<u8> {
    match text {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => text.bytes().next(),
        _ => None,
    }
}

/// Prints the explanations of the kept units to stderr.
fn explain(
    path: &str,
    source: &Arc<str>,
    program: &compile::Program,
    finished: &batch::Finished,
    asked: Option<&[String]>,
) {
    let Some(asked) = asked else {
        return;
    };
    let mut text = String::new();
    for kept in &finished.kept {
        let explanations = report::explain::explain(program, kept);
        if explanations.is_empty() {
            text.push_str(&report::explain::passed_line(program, kept));
            continue;
        }
        let items: Vec<Boxed> = explanations
            .into_iter()
            .map(|e| Box::new(e) as Boxed)
            .collect();
        let file = FileDiagnostics::new(path, Arc::clone(source), items);
        text.push_str(&report::diagnostics::render(&file, output::stderr_style()));
    }
    for unit in asked {
        if !finished.kept.iter().any(|k| &k.key == unit) {
            text.push_str(&format!("warning: no unit `{unit}` in the data\n"));
        }
    }
    output::stderr(&text);
}

/// Prints data errors to stderr, the first [`ERRORS_SHOWN`] in full.
fn report_data_errors(errors: &[data::DataError]) {
    if errors.is_empty() {
        return;
    }
    let shown: Vec<Boxed> = errors
        .iter()
        .take(ERRORS_SHOWN)
        .map(|e| Box::new(e.clone()) as Boxed)
        .collect();
    let file = FileDiagnostics::new("", Arc::from(""), shown);
    let mut text = report::diagnostics::render(&file, output::stderr_style());
    if errors.len() > ERRORS_SHOWN {
        text.push_str(&format!(
            "... and {} more data errors (`--format json` lists them all)\n",
            errors.len() - ERRORS_SHOWN
        ));
    }
    let plural = if errors.len() == 1 { "" } else { "s" };
    text.push_str(&format!(
        "{} data error{plural}: the rules that needed those values are `missing`; every other rule was scored\n",
        errors.len()
    ));
    output::stderr(&text);
}
