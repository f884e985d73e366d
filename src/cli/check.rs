//! `yardstick check STANDARD...`: parse, resolve, type-check and lint.

use crate::report::diagnostics::{self, FileDiagnostics};

use super::{Exit, output};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Standard files (`.std`) to check.
    #[arg(required = true, value_name = "STANDARD")]
    files: Vec<String>,
    /// `text` for people, `json` for editors and tools (printed to stdout).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Checks every file; exit 2 if any has an error, else 0 (warnings allowed).
pub fn run(args: &Args) -> Exit {
    let mut exit = Exit::Success;
    let mut json = Vec::new();
    for path in &args.files {
        let file = match output::read_source(path) {
            Ok(source) => crate::compile(path, source).diagnostics,
            Err(Some(file)) => file,
            Err(None) => {
                exit = Exit::Invalid;
                continue;
            }
        };
        if file.errors() > 0 {
            exit = Exit::Invalid;
        }
        match args.format {
            Format::Json => json.extend(diagnostics::to_json(&file)),
            Format::Text => {
                output::diagnostics(&file);
                output::stderr(&summary(&file));
            }
        }
    }
    if let Format::Json = args.format {
        output::stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        ));
    }
    exit
}

/// `path: ok` or `path: 2 errors, 1 warning`.
fn summary(file: &FileDiagnostics) -> String {
    let (errors, warnings) = (file.errors(), file.warnings());
    if errors == 0 && warnings == 0 {
        return format!("{}: ok\n", file.path);
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(count(errors, "error"));
    }
    if warnings > 0 {
        parts.push(count(warnings, "warning"));
    }
    format!("{}: {}\n", file.path, parts.join(", "))
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
