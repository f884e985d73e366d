//! Quick fixes for diagnostics: a did-you-mean taken, full-width
//! punctuation an input method typed written in ASCII, a missing
//! `otherwise` band added. Each is an edit of the text the diagnostic
//! points into; nothing is guessed beyond what the diagnostic says.

use crate::language::{Language, Word};
use crate::syntax::ast::Item;
use crate::syntax::lookalikes::ascii_for;

use super::{Diagnostic, Edit, FileView, Lines, Position};

/// A fix an editor offers for a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What it does, as the menu shows it.
    pub title: String,
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
    /// The edits to the diagnostic's file.
    pub edits: Vec<Edit>,
}

/// The fixes for the diagnostics of `file` that touch `start..end`.
pub(super) fn for_range(
    file: &FileView,
    diagnostics: &[Diagnostic],
    start: Position,
    end: Position,
    language: Language,
) -> Vec<Fix> {
    let lines = Lines::new(&file.text);
    diagnostics
        .iter()
        .filter(|d| d.start <= end && start <= d.end)
        .filter_map(|d| {
            let (title, edits) = did_you_mean(d, language)
                .or_else(|| full_width(file, &lines, d, language))
                .or_else(|| otherwise(file, d, language))?;
            Some(Fix {
                title,
                diagnostic: d.clone(),
                edits,
            })
        })
        .collect()
}

/// `did you mean `X`?`: the name replaced by X.
fn did_you_mean(diagnostic: &Diagnostic, language: Language) -> Option<(String, Vec<Edit>)> {
    let help = diagnostic.help.as_deref()?;
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    let name = &rest[..rest.find('`')?];
    Some((
        language.fill(Word::IdeFixChange, &[&name]),
        vec![Edit {
            start: diagnostic.start,
            end: diagnostic.end,
            text: name.to_owned(),
        }],
    ))
}

/// Full-width punctuation at the diagnostic's place, in ASCII.
fn full_width(
    file: &FileView,
    lines: &Lines,
    diagnostic: &Diagnostic,
    language: Language,
) -> Option<(String, Vec<Edit>)> {
    let from = lines.offset(&file.text, diagnostic.start);
    let c = file.text[from..].chars().next()?;
    let ascii = ascii_for(c)?;
    let end = lines.position(&file.text, from + c.len_utf8());
    Some((
        language.fill(Word::IdeFixAscii, &[&c, &ascii]),
        vec![Edit {
            start: diagnostic.start,
            end,
            text: ascii.to_owned(),
        }],
    ))
}

/// The last grade band is not `otherwise`: one added at the block's end.
fn otherwise(
    file: &FileView,
    diagnostic: &Diagnostic,
    language: Language,
) -> Option<(String, Vec<Edit>)> {
    if !file.parses() || !diagnostic.message.contains("must be `otherwise`") {
        return None;
    }
    let at = file.offset(diagnostic.start);
    let grades = file.tree.items.iter().find_map(|item| match item {
        Item::Grades(grades) if grades.span.start <= at && at <= grades.span.end => Some(grades),
        _ => None,
    })?;
    let close = file.parsed_text[..grades.span.end].rfind('}')?;
    let name = match language {
        Language::Traditional => "不達標",
        Language::Simplified => "不达标",
        Language::English => "fail",
    };
    let place = file.position(close);
    Some((
        language.fill(Word::IdeFixAdd, &[&format!("\"{name}\" otherwise")]),
        vec![Edit {
            start: place,
            end: place,
            text: format!("  \"{name}\" otherwise\n"),
        }],
    ))
}
