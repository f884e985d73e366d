//! Renaming a field, let, rule or section everywhere in the standard's
//! folder, refused when the new name is no name, is reserved or is taken.

use std::path::PathBuf;

use crate::syntax::{self, ast};

use super::index::Kind;
use super::{Edit, FileView, Scope};

/// Why a rename was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameRefused {
    /// Nothing that can be renamed is at the position.
    #[error(
        "nothing to rename here: put the cursor on a field, let, rule or section (a script function is renamed in its script)"
    )]
    NothingHere,
    /// A file of the standard has a syntax error: where its names are is
    /// not known for sure.
    #[error("`{0}` has a syntax error: fix it first, then rename")]
    Unparsed(String),
    /// The new name is not a name the language allows.
    #[error("`{0}` is not a name: a name is letters, digits and `_`, not a keyword")]
    NotAName(String),
    /// The new name is reserved.
    #[error("`{0}` is reserved: scores and ranks use it")]
    Reserved(String),
    /// Something of that name exists already.
    #[error("`{name}` is already a {kind} of this standard")]
    Taken {
        /// The name asked for.
        name: String,
        /// What has it.
        kind: &'static str,
    },
}

/// The edits that rename what is at `offset` of `file` to `new_name`.
pub(super) fn edits(
    scope: &Scope,
    file: &FileView,
    offset: usize,
    new_name: &str,
) -> Result<Vec<(PathBuf, Vec<Edit>)>, RenameRefused> {
    if let Some(broken) = scope.files.iter().find(|f| !f.parses()) {
        let name = broken.path.file_name().unwrap_or_default();
        return Err(RenameRefused::Unparsed(name.to_string_lossy().into_owned()));
    }
    let target = file
        .occurrence_at(offset)
        .and_then(|o| scope.resolve(o))
        .filter(|(kind, _)| !matches!(kind, Kind::Rollup | Kind::Function))
        .ok_or(RenameRefused::NothingHere)?;
    if !is_name(new_name) {
        return Err(RenameRefused::NotAName(new_name.to_owned()));
    }
    if crate::check::RESERVED_NAMES.contains(&new_name) {
        return Err(RenameRefused::Reserved(new_name.to_owned()));
    }
    let rivals: &[Kind] = match target.0 {
        Kind::Field | Kind::Let | Kind::Value => &[Kind::Field, Kind::Let],
        other => other.resolve(),
    };
    if let Some(&kind) = rivals
        .iter()
        .find(|&&k| scope.definitions.contains_key(&(k, new_name.to_owned())))
    {
        return Err(RenameRefused::Taken {
            name: new_name.to_owned(),
            kind: kind.word(),
        });
    }
    let mut edits: Vec<(PathBuf, Vec<Edit>)> = Vec::new();
    for (f, occurrence) in scope.mentions(&target) {
        let location = scope.files[f].location(occurrence.span);
        let edit = Edit {
            start: location.start,
            end: location.end,
            text: new_name.to_owned(),
        };
        match edits.iter_mut().find(|(p, _)| *p == location.path) {
            Some((_, list)) => list.push(edit),
            None => edits.push((location.path, vec![edit])),
        }
    }
    Ok(edits)
}

/// Words that must not name anything: the `reserved` list of
/// `grammar/standard.pest` (which the grammar declares but does not yet
/// enforce: `let between = 1` parses), refused by rename all the same.
const RESERVED_WORDS: [&str; 9] = [
    "and",
    "or",
    "not",
    "in",
    "between",
    "no",
    "true",
    "false",
    "otherwise",
];

/// Whether `name` is a name the language allows: not a reserved word, and
/// read as one name by the parser.
fn is_name(name: &str) -> bool {
    if RESERVED_WORDS.contains(&name) {
        return false;
    }
    let parsed = syntax::parse(&format!("let {name} = 1\n"));
    parsed.errors.is_empty()
        && matches!(parsed.file.items.as_slice(), [ast::Item::Let(decl)] if decl.name.node == name)
}
