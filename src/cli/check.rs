//! `yardstick check STANDARD...`: parse, resolve, type-check and lint.
//!
//! A STANDARD is a file or a directory. A directory is searched for
//! directories of `.std` files; each is one standard's editions, checked
//! together (`yardstick check standards/` checks every bundled standard).

use crate::diagnostics::FileDiagnostics;
use crate::editions::Loaded;
use crate::report::diagnostics;

use super::{Exit, output, paths};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Standard files (`.std`), or directories of editions.
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

/// Checks every standard; exit 2 if any has an error, else 0 (warnings allowed).
pub fn run(args: &Args) -> Exit {
    let mut exit = Exit::Success;
    let mut json = Vec::new();
    for path in &args.files {
        for target in paths::standards_under(path) {
            let loaded = super::load_standard(&target);
            if loaded.has_errors() {
                exit = Exit::Invalid;
            }
            for message in &loaded.unreadable {
                output::stderr(&format!("error: {message}\n"));
            }
            match args.format {
                Format::Json => {
                    for file in &loaded.diagnostics {
                        json.extend(diagnostics::to_json(file));
                    }
                }
                Format::Text => {
                    for file in &loaded.diagnostics {
                        output::diagnostics(file);
                    }
                    output::stderr(&summary(&loaded));
                }
            }
        }
    }
    if let Format::Json = args.format {
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        if let Err(failed) = output::stdout(&text) {
            return exit.max(failed);
        }
    }
    exit
}

/// `path: ok` or `path: 2 errors, 1 warning`, for every file read.
fn summary(loaded: &Loaded) -> String {
    let mut paths: Vec<&str> = loaded
        .sources
        .files()
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    for file in &loaded.diagnostics {
        if !paths.contains(&file.path.as_str()) {
            paths.push(&file.path);
        }
    }
    let mut out = String::new();
    for path in paths {
        let files: Vec<&FileDiagnostics> = loaded
            .diagnostics
            .iter()
            .filter(|f| f.path == path)
            .collect();
        let errors: usize = files.iter().map(|f| f.errors()).sum();
        let warnings: usize = files.iter().map(|f| f.warnings()).sum();
        out.push_str(&line(path, errors, warnings));
    }
    out
}

fn line(path: &str, errors: usize, warnings: usize) -> String {
    if errors == 0 && warnings == 0 {
        return format!("{path}: ok\n");
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(count(errors, "error"));
    }
    if warnings > 0 {
        parts.push(count(warnings, "warning"));
    }
    format!("{path}: {}\n", parts.join(", "))
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
