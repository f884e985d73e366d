//! `yardstick test PATH...`: runs every `example` of the standards given
//! (files, or directories searched as `check` searches them; each edition
//! runs the examples it has, inherited ones included), like a test runner.

use std::sync::Arc;

use crate::diagnostics::Boxed;
use crate::eval::compile;
use crate::examples;
use crate::report::diagnostics;

use super::{Exit, output, paths};

/// Arguments of `test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Standard files (`.std`), or directories of editions.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
}

/// Runs the examples; exit 1 if one fails, 2 if a standard is invalid.
pub fn run(args: &Args) -> Exit {
    let (mut passed, mut failed) = (0, 0);
    let mut invalid = false;
    let mut text = String::new();
    let mut failures: Vec<Boxed> = Vec::new();
    for path in &args.paths {
        for target in paths::standards_under(path) {
            let loaded = super::load_standard(&target);
            if loaded.has_errors() {
                invalid = true;
                for message in &loaded.unreadable {
                    output::stderr(&format!("error: {message}\n"));
                }
                for file in &loaded.diagnostics {
                    output::diagnostics(file);
                }
                continue;
            }
            let mut compiled = Vec::new();
            for edition in &loaded.editions {
                let Some(standard) = &edition.standard else {
                    continue;
                };
                match compile::compile(Arc::new(standard.clone())) {
                    Ok(program) => compiled.push((edition, program)),
                    Err(error) => {
                        invalid = true;
                        for file in loaded.sources.split(vec![Box::new(error)], &edition.path) {
                            output::diagnostics(&file);
                        }
                    }
                }
            }
            // A file tested alone: its roll-up examples are scored by the
            // editions of its folder, as a folder's are.
            let folder = folder_editions(&target);
            let context: Vec<&compile::Program> = if folder.len() > compiled.len() {
                folder.iter().collect()
            } else {
                compiled.iter().map(|(_, p)| p).collect()
            };
            let editions = examples::Editions::new(context);
            for (edition, program) in &compiled {
                let standard = &program.standard;
                text.push_str(&edition.path);
                if !standard.version.is_empty() {
                    text.push_str(&format!(" (edition {})", standard.version));
                }
                text.push('\n');
                for ran in examples::run(program, &editions) {
                    if ran.failures.is_empty() {
                        passed += 1;
                        text.push_str(&format!("  ok    {}\n", ran.name));
                    } else {
                        failed += 1;
                        text.push_str(&format!("  FAIL  {}\n", ran.name));
                        failures.extend(ran.failures.into_iter().map(|f| Box::new(f) as Boxed));
                    }
                }
                if !failures.is_empty() {
                    if let Err(exit) = output::stdout(&std::mem::take(&mut text)) {
                        return exit;
                    }
                    for file in loaded
                        .sources
                        .split(std::mem::take(&mut failures), &edition.path)
                    {
                        output::stderr(&diagnostics::render(&file, output::stderr_style()));
                    }
                }
            }
        }
    }
    text.push_str(&format!("{passed} passed, {failed} failed\n"));
    if let Err(exit) = output::stdout(&text) {
        return exit;
    }
    if invalid {
        Exit::Invalid
    } else if failed > 0 {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// The compiled editions of the folder a standard file is in, when it is a
/// file of a folder of editions that all check; none otherwise.
fn folder_editions(target: &str) -> Vec<compile::Program> {
    let path = std::path::Path::new(target);
    let Some(folder) = path.parent().filter(|_| path.is_file()) else {
        return Vec::new();
    };
    let loaded = super::load_standard(&folder.to_string_lossy());
    if loaded.has_errors() {
        return Vec::new();
    }
    loaded
        .editions
        .iter()
        .filter_map(|e| e.standard.as_ref())
        .filter_map(|s| compile::compile(Arc::new(s.clone())).ok())
        .collect()
}
