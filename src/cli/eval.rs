//! `yardstick eval STANDARD DATA...`: score and grade every record.

use std::collections::HashSet;
use std::io::Write;

use crate::batch::{self, Explain};
use crate::diagnostics::Boxed;
use crate::eval::catalog::Catalog;
use crate::report;
use crate::sources::Sources;

use super::output::ReportFormat;
use super::reading::ReadArgs;
use super::safe_output::{OutputError, OutputFile};
use super::{Exit, language, output, progress, reading, safe_output, scoring};
use crate::language::Language;
use crate::report::errors::ReportError;

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
    format: Option<ReportFormat>,
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
    /// How data files are read.
    #[command(flatten)]
    read: ReadArgs,
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

/// Runs `eval`.
pub fn run(args: &Args) -> Exit {
    // `-o` naming an input is refused before the data is read: first as the
    // paths are given, then with every file of the standard (`extends`).
    if output_names_an_input(args, &[&args.standard]) {
        return Exit::Invalid;
    }
    let Some(loaded) = scoring::load(&args.standard) else {
        return Exit::Invalid;
    };
    let standard_files: Vec<&str> = loaded
        .sources
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    if output_names_an_input(args, &standard_files) {
        return Exit::Invalid;
    }
    let choice = scoring::Choice {
        edition: args.edition.as_deref(),
        as_of: args.as_of.as_deref(),
    };
    let catalog = match scoring::catalog(&args.standard, &choice, &loaded) {
        Ok(catalog) => catalog,
        Err(error) => {
            output::stderr(&error.text());
            return Exit::Invalid;
        }
    };
    // A grade may be named in either script: `达标` is `達標`.
    if let Some(grade) = &args.fail_on
        && !catalog.grades.iter().any(|g| crate::hanzi::same(g, grade))
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
    let options = match args.read.options() {
        Ok(options) => options,
        Err(error) => {
            output::stderr(&format!("error: {error}\n"));
            return Exit::Invalid;
        }
    };
    let format = ReportFormat::chosen(args.format, args.output.as_deref());
    let language = language::choose(args.lang, catalog.latest().standard.language);
    let formatter: Box<dyn crate::results::Format> = match format {
        ReportFormat::Table => Box::new(report::table::TableFormat {
            waivers: waivers.clone(),
            language,
        }),
        ReportFormat::Json => Box::new(report::json::Json { lines: false }),
        ReportFormat::Jsonl => Box::new(report::json::Json { lines: true }),
        ReportFormat::Csv => {
            let mut csv = report::csv::Csv::new(&catalog, language, args.detail, waivers.is_some());
            csv.bom = !args.no_bom;
            Box::new(csv)
        }
        ReportFormat::Markdown => Box::new(report::markdown::Markdown {
            waivers: waivers.clone(),
            language,
        }),
        ReportFormat::Html | ReportFormat::Xlsx => Box::new(report::detail::Details { language }),
    };
    if format == ReportFormat::Xlsx && args.output.is_none() {
        output::stderr(&format!("error: {}\n", safe_output::WORKBOOK_NEEDS_FILE));
        return Exit::Invalid;
    }
    // The HTML and Excel reports are made after the batch, from each unit's
    // detail, kept meanwhile in a temporary file.
    let details = if matches!(format, ReportFormat::Html | ReportFormat::Xlsx) {
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
    let (sources, open_errors) = reading::open_all(&args.data, &options, &catalog.standards());
    let batch_options = batch::Options {
        jobs: args.jobs,
        only_failed: args.only_failed,
        explain: match &args.explain {
            None => Explain::Nothing,
            Some(units) if units.is_empty() => Explain::Failed,
            Some(units) => Explain::Units(units.iter().cloned().collect::<HashSet<_>>()),
        },
        progress: progress::on_terminal(),
        fail_on: args.fail_on.clone(),
        group: args.group_by.clone(),
        waiver_date: Some(scoring::waiver_date(args.as_of.as_deref())),
        waivers,
        absent_fields: false,
    };
    // The output file is made before the batch, so that a file that cannot
    // be written is said at once; it replaces the target only at the end.
    let output = match args.output.as_deref().map(OutputFile::create).transpose() {
        Ok(output) => output,
        Err(message) => {
            output::stderr(&format!("error: {message}\n"));
            return Exit::Invalid;
        }
    };
    let mut sink: Box<dyn Write + '_> = match (&details, &output) {
        (Some(temporary), _) => match temporary.reopen() {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(error) => {
                output::stderr(&format!("error: cannot write a temporary file: {error}\n"));
                return Exit::Invalid;
            }
        },
        (None, None) => Box::new(std::io::stdout().lock()),
        (None, Some(file)) => Box::new(std::io::BufWriter::new(file.file())),
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
    // A run that scored no record leaves an earlier output as it was (SPEC
    // §7): last round's results are worth more than an empty report.
    let scored = finished.summary.records;
    let keep = output.filter(|_| scored > 0);
    if let Some(temporary) = &details
        && (scored > 0 || args.output.is_none())
        && let Err(message) = write_report(
            format,
            (args, language),
            &catalog,
            &finished.summary,
            temporary.path(),
            keep.as_ref(),
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
    scoring::report_data_warnings(&finished.summary.warnings, &loaded.sources);
    scoring::report_data_errors(&finished.summary.errors, &loaded.sources, scored);
    if let Some(waivers) = &batch_options.waivers {
        scoring::report_waived(&finished.summary, waivers, "");
        scoring::report_unmatched(waivers);
    }
    scoring::report_script_log(&catalog);
    if let Some(name) = &args.output {
        let written = match keep {
            Some(file) => file.commit().map(|()| true),
            None => Ok(false),
        };
        match written {
            Ok(true) => output::stderr(&format!("{} → {name}\n", units(scored))),
            Ok(false) => output::stderr(&format!(
                "note: no record was scored, so `{name}` was not written (a file already there is left as it was)\n"
            )),
            Err(message) => {
                output::stderr(&format!("error: {message}\n"));
                return Exit::Invalid;
            }
        }
    }
    if !finished.summary.errors.is_empty() {
        Exit::DataErrors
    } else if finished.fail_on_met {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// Whether `-o` names one of the inputs: a data file, the waivers, or one
/// of `standard_files`; if so, says so.
fn output_names_an_input(args: &Args, standard_files: &[&str]) -> bool {
    let mut inputs: Vec<&str> = args.data.iter().map(String::as_str).collect();
    inputs.extend(args.waivers.as_deref());
    inputs.extend(standard_files);
    safe_output::names_an_input(args.output.as_deref(), &inputs)
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
        let reasons = crate::results::explain::reasons(program, kept);
        let explanations = report::explain::explain(program, kept, reasons, catalog.is_mixed());
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
    if finished.not_explained > 0 {
        text.push_str(&format!(
            "note: the first {} units are explained; {} more are not (name units with `--explain UNIT...`; the results list every unit's failed rules)\n",
            batch::MAX_EXPLAINED,
            finished.not_explained
        ));
    }
    for unit in asked {
        if finished.not_explained == 0 && !finished.kept.iter().any(|k| &k.key == unit) {
            text.push_str(&format!("warning: no unit `{unit}` in the data\n"));
        }
    }
    output::stderr(&text);
}

/// Why the HTML page or the Excel workbook cannot be written.
#[derive(Debug, thiserror::Error)]
enum WriteReportError {
    /// A workbook asked for without a file to hold it.
    #[error("{}", safe_output::WORKBOOK_NEEDS_FILE)]
    WorkbookWithoutFile,
    /// The workbook cannot be made or written.
    #[error("cannot write `{name}`: {error}")]
    Workbook {
        /// The file as the user named it.
        name: String,
        /// Why.
        error: ReportError,
    },
    /// The page cannot be made.
    #[error("{0}")]
    Page(#[from] ReportError),
    /// The page cannot be written.
    #[error("{0}")]
    Output(#[from] OutputError),
}

/// The HTML page or the Excel workbook, made from the units' detail file,
/// into `output` (stdout when there is none: a page only).
fn write_report(
    format: ReportFormat,
    (args, language): (&Args, Language),
    catalog: &Catalog,
    summary: &crate::results::Summary,
    details: &std::path::Path,
    output: Option<&OutputFile>,
) -> Result<(), WriteReportError> {
    let open = || std::fs::File::open(details).map(std::io::BufReader::new);
    let group = args.group_by.as_deref();
    if format == ReportFormat::Xlsx {
        let Some(file) = output else {
            return Err(WriteReportError::WorkbookWithoutFile);
        };
        return report::xlsx::write(catalog, summary, (group, language), open, file.file())
            .map_err(|error| WriteReportError::Workbook {
                name: file.name().to_owned(),
                error,
            });
    }
    let page = report::html::render(catalog, summary, (group, language), open)?;
    match output {
        Some(file) => {
            let mut writer = file.file();
            writer
                .write_all(page.as_bytes())
                .map_err(|e| file.failed(e).into())
        }
        None => output::write_stdout(page.as_bytes()).map_err(|e| OutputError::Stdout(e).into()),
    }
}

/// "1 unit", "30 units".
fn units(count: u64) -> String {
    if count == 1 {
        "1 unit".to_owned()
    } else {
        format!("{count} units")
    }
}
