//! `check`'s diagnostics placed for an editor: lines and UTF-16
//! characters, the help line, the other labels as related places.

use std::path::{Path, PathBuf};

use crate::diagnostics::{code, is_warning};
use crate::editions::Loaded;
use crate::sources::Adjusted;

use super::{Lines, Location, Position, absolute};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The standard cannot be used.
    Error,
    /// Worth a look; the standard still works.
    Warning,
}

/// A diagnostic of `check`, placed for an editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where it points (its first label).
    pub start: Position,
    /// The end of that label.
    pub end: Position,
    /// Error or warning.
    pub severity: Severity,
    /// The stable code, such as `yardstick::unknown_field`.
    pub code: Option<String>,
    /// The message, as `check` prints it.
    pub message: String,
    /// The help line (a did-you-mean, a fix), when there is one.
    pub help: Option<String>,
    /// The other places the diagnostic points to, with their labels.
    pub related: Vec<(Location, String)>,
}

/// The places a diagnostic points to in other files (the base edition's
/// rule that an edition defines again, say), with their labels.
fn elsewhere(
    diagnostic: &(dyn miette::Diagnostic + Send + Sync + 'static),
) -> Vec<(Location, String)> {
    let error: &(dyn std::error::Error + 'static) = diagnostic;
    let Some(adjusted) = error.downcast_ref::<Adjusted>() else {
        return Vec::new();
    };
    adjusted
        .elsewhere()
        .iter()
        .map(|place| {
            let lines = Lines::new(&place.text);
            let location = Location {
                path: absolute(Path::new(&place.path)),
                start: lines.position(&place.text, place.offset),
                end: lines.position(&place.text, place.offset + place.len),
            };
            (location, place.label.clone().unwrap_or_default())
        })
        .collect()
}

/// Diagnostics per file.
pub type PerFile = Vec<(PathBuf, Vec<Diagnostic>)>;

/// The diagnostics of what was loaded for `path`, per file; `path` first,
/// even without any, so that its old diagnostics clear.
pub(super) fn per_file(path: &Path, loaded: Loaded) -> PerFile {
    let mut per_file: Vec<(PathBuf, Vec<Diagnostic>)> = vec![(path.to_path_buf(), Vec::new())];
    for file in &loaded.diagnostics {
        let file_path = absolute(Path::new(&file.path));
        let lines = Lines::new(&file.source);
        let place = |offset: usize, len: usize| {
            (
                lines.position(&file.source, offset),
                lines.position(&file.source, offset + len),
            )
        };
        let found: Vec<Diagnostic> = file
            .items
            .iter()
            .map(|d| {
                let labels: Vec<_> = d.labels().map(Iterator::collect).unwrap_or_default();
                let (start, end) = labels
                    .first()
                    .map_or((Position::default(), Position::default()), |l| {
                        place(l.offset(), l.len())
                    });
                let related = labels
                    .iter()
                    .skip(1)
                    .map(|l| {
                        let (start, end) = place(l.offset(), l.len());
                        let location = Location {
                            path: file_path.clone(),
                            start,
                            end,
                        };
                        (location, l.label().unwrap_or_default().to_owned())
                    })
                    .chain(elsewhere(d.as_ref()))
                    .collect();
                Diagnostic {
                    start,
                    end,
                    severity: if is_warning(d.as_ref()) {
                        Severity::Warning
                    } else {
                        Severity::Error
                    },
                    code: code(d.as_ref()),
                    message: d.to_string(),
                    help: d.help().map(|h| h.to_string()),
                    related,
                }
            })
            .collect();
        match per_file.iter_mut().find(|(p, _)| *p == file_path) {
            Some((_, items)) => items.extend(found),
            None => per_file.push((file_path, found)),
        }
    }
    for message in loaded.unreadable {
        per_file[0].1.push(Diagnostic {
            start: Position::default(),
            end: Position::default(),
            severity: Severity::Error,
            code: None,
            message,
            help: None,
            related: Vec::new(),
        });
    }
    per_file
}
