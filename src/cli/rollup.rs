//! `yardstick rollup STANDARD DATA...`: a year of inspections (a file, many
//! files, a directory of them), each scored as `eval` scores it, rolled up
//! per unit by a roll-up of the standard (SPEC §8).

use std::io::Write;

use crate::batch;
use crate::check::Standard;
use crate::data::DataError;
use crate::eval::catalog::Catalog;
use crate::language::Language;
use crate::report::rollup::{self as report, View};
use crate::results::{RecordView, Summary};
use crate::rollup::Plan;
use crate::rollup::Shared;
use crate::rollup::record::{Collect, LeftOut, RollInto};
use crate::suggest::closest;

use super::output::ReportFormat;
use super::reading::ReadArgs;
use super::safe_output::{self, OutputFile};
use super::{Exit, language, output, paths, progress, reading, scoring};

/// The most inspections left out that are reported one by one; the rest
/// are counted.
const LEFT_OUT_KEPT: usize = 1_000;

/// Arguments of `rollup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The standard: a `.std` file, or a directory of its editions.
    #[arg(value_name = "STANDARD")]
    standard: String,
    /// The year's inspections: files (`.csv`, `.json`, `.jsonl`, `.xlsx`,
    /// `.xls`, `.ods`), or directories of them (a file per month).
    #[arg(required = true, value_name = "DATA")]
    data: Vec<String>,
    /// The roll-up, by name (the standard's first when not given).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Score every inspection by this edition (its `version`).
    #[arg(long, value_name = "VERSION")]
    edition: Option<String>,
    /// Score every inspection by the edition in force on this date.
    #[arg(long, value_name = "DATE", conflicts_with = "edition")]
    as_of: Option<String>,
    /// Output format; by default `table` on a terminal, else taken from the
    /// `-o` file's extension, else `csv`.
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// Write the assessment to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// A column of the data that groups units (a district...).
    #[arg(long, value_name = "COLUMN")]
    group_by: Option<String>,
    /// Approved waivers (豁免), as for `eval`.
    #[arg(long, value_name = "FILE")]
    waivers: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// How data files are read.
    #[command(flatten)]
    read: ReadArgs,
    /// The language of the report (`zh-Hant`, `zh-Hans` or `en`).
    #[arg(long, value_name = "LANG", value_parser = language::parse)]
    lang: Option<Language>,
    /// With `csv`: leave out the byte-order mark.
    #[arg(long)]
    no_bom: bool,
}

/// Runs `rollup`.
pub fn run(args: &Args) -> Exit {
    let data = paths::data_files(&args.data);
    let mut inputs: Vec<&str> = data.iter().map(String::as_str).collect();
    inputs.push(&args.standard);
    inputs.extend(args.waivers.as_deref());
    if safe_output::names_an_input(args.output.as_deref(), &inputs) {
        return Exit::Invalid;
    }
    let Some(loaded) = scoring::load(&args.standard) else {
        return Exit::Invalid;
    };
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
    let (standard, rollup) = match chosen_rollup(&catalog, args.name.as_deref()) {
        Ok(found) => found,
        Err(message) => {
            output::stderr(&message);
            return Exit::Invalid;
        }
    };
    let language = language::choose(args.lang, standard.language);
    // Periods are named in the report's language (`--lang` too).
    let plan = Plan {
        language,
        ..Plan::new(rollup, standard)
    };
    let Ok(waivers) = scoring::waivers(
        args.waivers.as_deref(),
        &catalog,
        &loaded,
        args.as_of.as_deref(),
    ) else {
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
    if format == ReportFormat::Xlsx && args.output.is_none() {
        output::stderr(&format!("error: {}\n", safe_output::WORKBOOK_NEEDS_FILE));
        return Exit::Invalid;
    }
    let output_file = match args.output.as_deref().map(OutputFile::create).transpose() {
        Ok(file) => file,
        Err(message) => {
            output::stderr(&format!("error: {message}\n"));
            return Exit::Invalid;
        }
    };
    let (sources, open_errors) = reading::open_all(&data, &options, &catalog.standards());
    let batch_options = batch::Options {
        jobs: args.jobs,
        progress: progress::on_terminal(),
        group: args.group_by.clone(),
        waiver_date: Some(scoring::waiver_date(args.as_of.as_deref())),
        waivers,
        ..batch::Options::default()
    };
    let collect = Collect::new(&plan, standard, &catalog.standards());
    let shared = Shared::new(&plan);
    let roll = RollInto::new(&collect, &shared, &data);
    let mut left_out: Vec<DataError> = Vec::new();
    let mut left_out_count: u64 = 0;
    let take = |out: Option<LeftOut>| {
        let Some(out) = out else {
            return;
        };
        left_out_count += 1;
        if left_out.len() < LEFT_OUT_KEPT {
            left_out.push(out.error(&plan, standard));
        }
    };
    let result = batch::run_with(
        &catalog,
        sources,
        (&Silent, &mut std::io::sink()),
        (&roll, take),
        &batch_options,
    );
    let finished = match result {
        Ok(finished) => finished,
        Err(error) => {
            output::stderr(&format!("error: cannot read the data: {error}\n"));
            return Exit::Invalid;
        }
    };
    let assessment = shared.finish();
    let totals = assessment.totals(&plan, &catalog);
    let view = View {
        plan: &plan,
        assessment: &assessment,
        totals: &totals,
        catalog: &catalog,
        language,
        left_out: left_out_count,
        group: args.group_by.as_deref(),
        key_heading: standard.fields[standard.key.0].heading(),
    };
    let mut errors = open_errors;
    errors.extend(finished.summary.errors);
    let scored = finished.summary.records;
    scoring::report_data_warnings(&finished.summary.warnings, &loaded.sources);
    scoring::report_data_errors(&errors, &loaded.sources, scored);
    report_left_out(&left_out, left_out_count, &loaded.sources);
    output::stderr(&format!(
        "{} inspections used, {left_out_count} left out\n",
        assessment.used
    ));
    scoring::report_script_log(&catalog);
    match (&args.output, output_file) {
        (Some(name), Some(file)) if assessment.used > 0 => {
            let done = write_report(format, &view, !args.no_bom, Some(&file))
                .and_then(|()| file.commit().map_err(|e| e.to_string()));
            match done {
                Ok(()) => {
                    output::stderr(&format!("{} units → {name}\n", assessment.units.len()));
                }
                Err(message) => {
                    output::stderr(&format!("error: {message}\n"));
                    return Exit::Invalid;
                }
            }
        }
        (Some(name), _) => {
            output::stderr(&format!(
                "note: no inspection was rolled up, so `{name}` was not written (a file already there is left as it was)\n"
            ));
        }
        (None, _) => {
            if let Err(message) = write_report(format, &view, !args.no_bom, None) {
                output::stderr(&format!("error: {message}\n"));
                return Exit::Invalid;
            }
        }
    }
    if !errors.is_empty() || left_out_count > 0 {
        Exit::DataErrors
    } else {
        Exit::Success
    }
}

/// The report in `format`, written into `output`, or to stdout when there
/// is none (a closed pipe, `| head`, is not an error of the roll-up).
fn write_report(
    format: ReportFormat,
    view: &View<'_>,
    bom: bool,
    output: Option<&OutputFile>,
) -> Result<(), String> {
    let text = match format {
        ReportFormat::Table => report::table::render(view),
        ReportFormat::Json => report::json::render(view),
        ReportFormat::Jsonl => report::json::render_lines(view),
        ReportFormat::Csv => report::csv::render(view, bom),
        ReportFormat::Markdown => report::markdown::render(view),
        ReportFormat::Html => report::html::render(view).map_err(|e| e.to_string())?,
        ReportFormat::Xlsx => {
            let Some(file) = output else {
                return Err(safe_output::WORKBOOK_NEEDS_FILE.to_owned());
            };
            return report::xlsx::write(view, file.file())
                .map_err(|e| format!("cannot write `{}`: {e}", file.name()));
        }
    };
    match output {
        Some(file) => {
            let mut writer = file.file();
            writer
                .write_all(text.as_bytes())
                .map_err(|e| format!("cannot write `{}`: {e}", file.name()))
        }
        None => {
            let _ = output::write_stdout(text.as_bytes());
            Ok(())
        }
    }
}

/// The roll-up to run and the edition that declares it: the one named (or
/// the first) in the latest edition that has one.
fn chosen_rollup<'c>(
    catalog: &'c Catalog,
    name: Option<&str>,
) -> Result<(&'c Standard, &'c crate::check::model::Rollup), String> {
    let mut names: Vec<&str> = Vec::new();
    for program in catalog.programs.iter().rev() {
        let standard = &program.standard;
        for rollup in &standard.rollups {
            if name.is_none_or(|n| n == rollup.name) {
                return Ok((standard, rollup));
            }
            if !names.contains(&rollup.name.as_str()) {
                names.push(&rollup.name);
            }
        }
    }
    Err(match name {
        None => "error: the standard declares no `rollup`; add one (see `yardstick rollup --help` and SPEC §8)\n".to_owned(),
        Some(name) => {
            let help = match closest(name, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None if names.is_empty() => "the standard declares no `rollup`".to_owned(),
                None => format!("the roll-ups are {}", names.join(", ")),
            };
            format!("error: `--name {name}`: no such roll-up; {help}\n")
        }
    })
}

/// Prints the inspections left out, the first [`LEFT_OUT_KEPT`] in full.
fn report_left_out(kept: &[DataError], count: u64, sources: &crate::sources::Sources) {
    let items: Vec<crate::diagnostics::Boxed> = kept
        .iter()
        .map(|e| Box::new(e.clone()) as crate::diagnostics::Boxed)
        .collect();
    let mut text: String = sources
        .split(items, "")
        .iter()
        .map(|file| crate::report::diagnostics::render(file, output::stderr_style()))
        .collect();
    if count > kept.len() as u64 {
        text.push_str(&format!(
            "... and {} more inspections left out\n",
            count - kept.len() as u64
        ));
    }
    output::stderr(&text);
}

/// No text per record: a roll-up writes its report at the end.
struct Silent;

impl crate::results::Format for Silent {
    fn begin(&self, _catalog: &Catalog) -> String {
        String::new()
    }

    fn record(&self, _record: &RecordView<'_>, _out: &mut String) {}

    fn end(&self, _catalog: &Catalog, _summary: &Summary) -> String {
        String::new()
    }
}
