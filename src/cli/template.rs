//! `yardstick template STANDARD [--format csv|xlsx] [-o FILE]`: a blank
//! inspection form with the standard's fields as labelled columns.

use std::io::IsTerminal;
use std::sync::Arc;

use crate::eval::compile;
use crate::report;

use super::safe_output::{self, OutputError};
use super::{Exit, language, output};
use crate::language::Language;

/// Arguments of `template`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The standard: a `.std` file, or a directory of editions (its latest
    /// edition, or the one `--edition` names).
    #[arg(value_name = "STANDARD")]
    standard: String,
    /// `csv` or `xlsx` (with drop-downs and checks); by default taken from
    /// the `-o` file's extension, else `csv`.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the form to FILE (an `xlsx` form needs one).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// With a directory of editions: the edition (its `version`).
    #[arg(long, value_name = "VERSION")]
    edition: Option<String>,
    /// The language of the form's sheets, prompts and notes (`zh-Hant`,
    /// `zh-Hans` or `en`); by default the standard's `language`.
    #[arg(long, value_name = "LANG", value_parser = language::parse)]
    lang: Option<Language>,
}

/// Formats of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Csv,
    Xlsx,
}

/// Writes the form.
pub fn run(args: &Args) -> Exit {
    if safe_output::names_an_input(args.output.as_deref(), &[&args.standard]) {
        return Exit::Invalid;
    }
    let loaded = super::load_standard(&args.standard);
    if loaded.has_errors() {
        for message in &loaded.unreadable {
            output::stderr(&format!("error: {message}\n"));
        }
        for file in &loaded.diagnostics {
            output::diagnostics(file);
        }
        return Exit::Invalid;
    }
    let files: Vec<&str> = loaded
        .sources
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    if safe_output::names_an_input(args.output.as_deref(), &files) {
        return Exit::Invalid;
    }
    let standards = loaded.standards().unwrap_or_default();
    let standard = match &args.edition {
        None => standards.last().copied(),
        Some(version) => standards.iter().copied().find(|s| &s.version == version),
    };
    let Some(standard) = standard else {
        let versions: Vec<&str> = standards.iter().map(|s| s.version.as_str()).collect();
        output::stderr(&format!(
            "error: `--edition {}`: the editions are {}\n",
            args.edition.as_deref().unwrap_or_default(),
            versions.join(", ")
        ));
        return Exit::Invalid;
    };
    let by_extension = args
        .output
        .as_deref()
        .filter(|path| super::paths::extension(path).as_deref() == Some("xlsx"))
        .map(|_| Format::Xlsx);
    let format = args.format.or(by_extension).unwrap_or(Format::Csv);
    let bytes = match format {
        Format::Csv => report::template::csv(standard).into_bytes(),
        Format::Xlsx => {
            if args.output.is_none() && std::io::stdout().is_terminal() {
                output::stderr(
                    "error: an `xlsx` form is a workbook: name it with `-o FILE.xlsx`\n",
                );
                return Exit::Invalid;
            }
            let program = match compile::compile(Arc::new(standard.clone())) {
                Ok(program) => program,
                Err(error) => {
                    output::stderr(&format!("error: {error}\n"));
                    return Exit::Invalid;
                }
            };
            let language = language::choose(args.lang, standard.language);
            match report::template::xlsx(&program, language) {
                Ok(bytes) => bytes,
                Err(error) => {
                    output::stderr(&format!("error: cannot make the workbook: {error}\n"));
                    return Exit::Invalid;
                }
            }
        }
    };
    let written = match &args.output {
        Some(path) => safe_output::write(path, &bytes).map(|()| {
            let fields = standard.fields.len();
            let plural = if fields == 1 { "" } else { "s" };
            output::stderr(&format!("form of {fields} field{plural} → {path}\n"));
        }),
        None => output::write_stdout(&bytes).map_err(OutputError::Stdout),
    };
    match written {
        Ok(()) => Exit::Success,
        Err(message) => {
            output::stderr(&format!("error: {message}\n"));
            Exit::Invalid
        }
    }
}
