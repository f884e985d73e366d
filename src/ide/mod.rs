//! What an editor asks of a standard while it is being written: its
//! diagnostics, what a name is, where it is defined and used, what may be
//! typed next, its outline and its canonical form. Answered from the same
//! parser, loader and checker as `yardstick check`, over the texts open in
//! the editor (read in place of the disk) and the other editions of the
//! standard's folder. No editor protocol here: `cli/lsp/` speaks LSP
//! over this, and a web workbench can too.
//!
//! - `lines`: byte offsets and UTF-16 positions.
//! - `view`: one file — its text, and the tree of it (or of its last text
//!   that parsed), reparsed only where a keystroke touched it.
//! - `index`: every name a file defines or uses.
//! - `diagnose`: `check`'s diagnostics placed for an editor.
//! - `hover`, `complete`, `outline`, `rename`, `fixes` (quick fixes),
//!   `hints` (inlay hints, semantic tokens): the other answers.
//!
//! A file with a syntax error keeps the tree of its last text that parsed,
//! so that hover, completion and the outline keep working mid-edit.

mod complete;
mod diagnose;
mod fixes;
mod hints;
mod hover;
pub mod index;
pub mod lines;
mod outline;
mod rename;
mod view;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::editions::{self, Reach};
use crate::syntax::{self, ast, span::Span};

pub use complete::{Completion, CompletionKind};
pub use diagnose::{Diagnostic, PerFile, Severity};
pub use fixes::Fix;
pub use hints::{Hint, Token};
pub use index::{Kind, Occurrence};
pub use lines::{Lines, Position};
pub use outline::{Symbol, What};
pub use rename::RenameRefused;
pub use view::FileView;

/// A range of a file, as positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// Where the range starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
}

/// A replacement of a range of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The range replaced.
    pub start: Position,
    /// Its end.
    pub end: Position,
    /// The new text.
    pub text: String,
}

/// The files open in an editor, and what is known of them.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Open files' texts, by absolute path.
    open: HashMap<PathBuf, Arc<str>>,
    /// The last view of each file read, reused while its text is the same.
    views: HashMap<PathBuf, Arc<FileView>>,
    /// Each file's last view whose text parsed.
    good: HashMap<PathBuf, Arc<FileView>>,
    /// Where `extends` may lead.
    reach: Reach,
    /// Counts the changes of open texts: what was found since the last one
    /// is still true.
    generation: u64,
    /// Each file's diagnostics, with the generation they were found in.
    checked: HashMap<PathBuf, (u64, PerFile)>,
    /// The type of each `let` of a file's standard, when it last checked.
    let_types: HashMap<PathBuf, HashMap<String, crate::check::model::Type>>,
}

/// The files of a standard's folder and where each name is defined.
struct Scope {
    files: Vec<Arc<FileView>>,
    definitions: HashMap<(Kind, String), Vec<(usize, Span)>>,
}

impl Scope {
    /// The definition a name refers to: its kind and name.
    fn resolve(&self, occurrence: &Occurrence) -> Option<(Kind, String)> {
        occurrence
            .kind
            .resolve()
            .iter()
            .map(|&kind| (kind, occurrence.name.clone()))
            .find(|key| self.definitions.contains_key(key))
    }

    /// Every mention of a definition in the folder, as (file, occurrence).
    fn mentions(&self, target: &(Kind, String)) -> Vec<(usize, &Occurrence)> {
        let mut found = Vec::new();
        for (f, file) in self.files.iter().enumerate() {
            for occurrence in &file.occurrences {
                if occurrence.name == target.1
                    && file.current(occurrence.span)
                    && self.resolve(occurrence).as_ref() == Some(target)
                {
                    found.push((f, occurrence));
                }
            }
        }
        found
    }

    fn file(&self, path: &Path) -> Option<&Arc<FileView>> {
        self.files.iter().find(|f| f.path == path)
    }
}

impl Workspace {
    /// An empty workspace, `extends` reaching as far as `reach` says.
    pub fn new(reach: Reach) -> Workspace {
        Workspace {
            reach,
            ..Workspace::default()
        }
    }

    /// A file opened, or its text changed: parsed at once, so that its
    /// last text that parses is known when a later one does not.
    pub fn set_text(&mut self, path: &Path, text: Arc<str>) {
        let path = absolute(path);
        self.open.insert(path.clone(), text);
        self.generation += 1;
        self.view(&path);
    }

    /// The text of an open file.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        self.open.get(&absolute(path)).cloned()
    }

    /// A file closed: read from disk again.
    pub fn close(&mut self, path: &Path) {
        let path = absolute(path);
        self.open.remove(&path);
        self.views.remove(&path);
        self.good.remove(&path);
        self.let_types.remove(&path);
        self.generation += 1;
    }

    /// A file changed on disk (or was made or deleted): read again when it
    /// is not open.
    pub fn disk_changed(&mut self, path: &Path) {
        let path = absolute(path);
        if !self.open.contains_key(&path) {
            self.views.remove(&path);
            self.good.remove(&path);
        }
        self.generation += 1;
    }

    /// The open files that are `path` or in its folder: those a change of
    /// `path` may change the diagnostics of (an edition and those that
    /// extend it live in one folder).
    pub fn affected_by(&self, path: &Path) -> Vec<PathBuf> {
        let path = absolute(path);
        let mut affected: Vec<PathBuf> = self
            .open
            .keys()
            .filter(|p| p.parent() == path.parent())
            .cloned()
            .collect();
        affected.sort();
        affected
    }

    /// The view of one file: its open text, else what is on disk.
    pub fn view(&mut self, path: &Path) -> Option<Arc<FileView>> {
        let path = absolute(path);
        let text: Arc<str> = match self.open.get(&path) {
            Some(text) => Arc::clone(text),
            None => {
                let bytes = editions::read::file(&path).ok()?;
                syntax::decode(bytes).ok()?.into()
            }
        };
        if let Some(view) = self.views.get(&path)
            && *view.text == *text
        {
            return Some(Arc::clone(view));
        }
        // The last good view is taken, so that its tree can be edited in place.
        self.views.remove(&path);
        let view = Arc::new(FileView::new(&path, text, self.good.remove(&path)));
        let good = if view.parses() {
            Some(Arc::clone(&view))
        } else if view.whole {
            // The last good tree, kept with its own text.
            let text = Arc::clone(&view.parsed_text);
            let tree = Arc::clone(&view.tree);
            Some(Arc::new(FileView::of(&path, Arc::clone(&text), tree, text)))
        } else {
            None
        };
        if let Some(good) = good {
            self.good.insert(path.clone(), good);
        }
        self.views.insert(path, Arc::clone(&view));
        Some(view)
    }

    /// Every standard file of `path`'s folder (open or on disk), `path` included.
    fn scope(&mut self, path: &Path) -> Scope {
        let path = absolute(path);
        let mut paths: Vec<PathBuf> = path
            .parent()
            .and_then(|folder| std::fs::read_dir(folder).ok())
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "std"))
                    .map(|p| absolute(&p))
                    .collect()
            })
            .unwrap_or_default();
        paths.extend(self.affected_by(&path));
        paths.push(path);
        paths.sort();
        paths.dedup();
        let files: Vec<Arc<FileView>> = paths.iter().filter_map(|p| self.view(p)).collect();
        let mut definitions: HashMap<(Kind, String), Vec<(usize, Span)>> = HashMap::new();
        for (f, file) in files.iter().enumerate() {
            for o in file
                .occurrences
                .iter()
                .filter(|o| o.definition && file.current(o.span))
            {
                definitions
                    .entry((o.kind, o.name.clone()))
                    .or_default()
                    .push((f, o.span));
            }
        }
        Scope { files, definitions }
    }

    /// The diagnostics `check` gives `path` (its edition chain read with the
    /// open texts), and those of the other files of the chain, per file.
    /// `path` is always in the list, so that its old diagnostics clear.
    pub fn diagnostics(&mut self, path: &Path) -> PerFile {
        let path = absolute(path);
        if let Some((generation, found)) = self.checked.get(&path)
            && *generation == self.generation
        {
            return found.clone();
        }
        let found = self.check(&path);
        self.checked.insert(path, (self.generation, found.clone()));
        found
    }

    /// The diagnostics of `path`, found afresh.
    fn check(&mut self, path: &Path) -> PerFile {
        let path = absolute(path);
        let open: editions::Open = self
            .open
            .iter()
            .map(|(path, text)| {
                let parsed = self
                    .views
                    .get(path)
                    .filter(|view| *view.text == **text)
                    .and_then(|view| match &view.errors {
                        Some(errors) => Some(Err(Arc::clone(errors))),
                        None => view.parses().then(|| Ok(Arc::clone(&view.tree))),
                    });
                let text = Arc::clone(text);
                (canonical(path), editions::OpenFile { text, parsed })
            })
            .collect();
        let loaded = editions::load_open(&path.to_string_lossy(), self.reach, &open);
        if let Some(standard) = loaded.editions.first().and_then(|e| e.standard.as_ref()) {
            let types = standard
                .lets
                .iter()
                .map(|l| (l.name.clone(), l.value.ty))
                .collect();
            self.let_types.insert(path.clone(), types);
        }
        diagnose::per_file(&path, loaded)
    }

    /// Where the name at `position` is defined; for the path of an
    /// `extends`, the start of that file.
    pub fn definition(&mut self, path: &Path, position: Position) -> Vec<Location> {
        let scope = self.scope(path);
        let Some(file) = scope.file(&absolute(path)) else {
            return Vec::new();
        };
        let offset = file.offset(position);
        if let Some(target) = extends_at(file, offset) {
            return vec![Location {
                path: target,
                start: Position::default(),
                end: Position::default(),
            }];
        }
        let Some(target) = file.occurrence_at(offset).and_then(|o| scope.resolve(o)) else {
            return Vec::new();
        };
        scope.definitions[&target]
            .iter()
            .map(|&(f, span)| scope.files[f].location(span))
            .collect()
    }

    /// Every mention of the name at `position` in the standard's folder,
    /// its definitions only when `with_definition`.
    pub fn references(
        &mut self,
        path: &Path,
        position: Position,
        with_definition: bool,
    ) -> Vec<Location> {
        let scope = self.scope(path);
        let Some(file) = scope.file(&absolute(path)) else {
            return Vec::new();
        };
        let offset = file.offset(position);
        let Some(target) = file.occurrence_at(offset).and_then(|o| scope.resolve(o)) else {
            return Vec::new();
        };
        scope
            .mentions(&target)
            .into_iter()
            .filter(|(_, o)| with_definition || !o.definition)
            .map(|(f, o)| scope.files[f].location(o.span))
            .collect()
    }

    /// The edits that rename the field, let, rule or section at `position`
    /// everywhere in the standard's folder (every edition, every example).
    pub fn rename(
        &mut self,
        path: &Path,
        position: Position,
        new_name: &str,
    ) -> Result<Vec<(PathBuf, Vec<Edit>)>, RenameRefused> {
        let scope = self.scope(path);
        let file = scope
            .file(&absolute(path))
            .ok_or(RenameRefused::NothingHere)?;
        rename::edits(&scope, file, file.offset(position), new_name)
    }

    /// What the name or word at `position` is, as Markdown.
    pub fn hover(&mut self, path: &Path, position: Position) -> Option<String> {
        let scope = self.scope(path);
        let file = scope.file(&absolute(path))?;
        let offset = file.offset(position);
        let language = hover::language_of(&scope.files);
        if let Some(target) = file.occurrence_at(offset).and_then(|o| scope.resolve(o)) {
            let types = self.let_types.get(&absolute(path));
            return hover::of_name(&scope, &target, language, types);
        }
        hover::of_grade(&scope, file, offset, language)
            .or_else(|| hover::of_word(&file.parsed_text, offset, language))
    }

    /// What may be typed at `position`.
    pub fn completion(&mut self, path: &Path, position: Position) -> Vec<Completion> {
        let scope = self.scope(path);
        let Some(file) = scope.file(&absolute(path)) else {
            return Vec::new();
        };
        // The text now, not the tree's: what was just typed matters.
        let offset = file.lines.offset(&file.text, position);
        complete::at(&scope, file, offset)
    }

    /// The file's outline: sections with their rules, fields, lets, grades,
    /// roll-ups and examples.
    pub fn outline(&mut self, path: &Path) -> Vec<Symbol> {
        let scope = self.scope(path);
        let language = hover::language_of(&scope.files);
        match scope.file(&absolute(path)) {
            Some(file) => outline::of(file, language),
            None => Vec::new(),
        }
    }

    /// Quick fixes for the diagnostics of `path` that touch `start..end`.
    pub fn fixes(&mut self, path: &Path, start: Position, end: Position) -> Vec<Fix> {
        let path = absolute(path);
        let diagnostics = self
            .diagnostics(&path)
            .into_iter()
            .find(|(p, _)| *p == path)
            .map(|(_, found)| found)
            .unwrap_or_default();
        let scope = self.scope(&path);
        let language = hover::language_of(&scope.files);
        match scope.file(&path) {
            Some(file) => fixes::for_range(file, &diagnostics, start, end, language),
            None => Vec::new(),
        }
    }

    /// The points of each section and rule, to draw after their names.
    pub fn hints(&mut self, path: &Path) -> Vec<Hint> {
        let scope = self.scope(path);
        let language = hover::language_of(&scope.files);
        match scope.file(&absolute(path)) {
            Some(file) => hints::hints(file, language),
            None => Vec::new(),
        }
    }

    /// Every name of the file that names something, by what it names.
    pub fn tokens(&mut self, path: &Path) -> Vec<Token> {
        let scope = self.scope(path);
        match scope.file(&absolute(path)) {
            Some(file) => hints::tokens(&scope, file),
            None => Vec::new(),
        }
    }

    /// The lines that fold: every declaration over more than one line, and
    /// its nested sections and rules.
    pub fn folds(&mut self, path: &Path) -> Vec<(u32, u32)> {
        fn walk(symbols: &[Symbol], folds: &mut Vec<(u32, u32)>) {
            for symbol in symbols {
                if symbol.range.end.line > symbol.range.start.line {
                    folds.push((symbol.range.start.line, symbol.range.end.line));
                }
                walk(&symbol.children, folds);
            }
        }
        let mut folds = Vec::new();
        walk(&self.outline(path), &mut folds);
        folds
    }

    /// The sections, rules, fields and lets of every standard under `root`
    /// whose name holds `query` (any case), for a search across standards.
    pub fn symbols_under(&mut self, root: &Path, query: &str) -> Vec<Symbol> {
        let query = query.to_lowercase();
        let mut found = Vec::new();
        for path in standard_files(root) {
            let mut stack = self.outline(&path);
            while let Some(mut symbol) = stack.pop() {
                stack.append(&mut symbol.children);
                let wanted = matches!(
                    symbol.kind,
                    What::Section | What::Rule | What::Field | What::Let | What::Rollup
                );
                if wanted && symbol.name.to_lowercase().contains(&query) {
                    found.push(symbol);
                }
            }
        }
        found.sort_by(|a, b| (&a.range.path, a.range.start).cmp(&(&b.range.path, b.range.start)));
        found
    }

    /// The file in canonical form (`yardstick fmt`), or `None` when it does
    /// not parse (it is left as it is) or is formatted already.
    pub fn format(&mut self, path: &Path) -> Option<String> {
        let view = self.view(path)?;
        let formatted = syntax::format(&view.text).ok()?;
        // A file with `\r\n` line ends keeps them.
        let formatted = if view.text.contains("\r\n") {
            formatted.replace('\n', "\r\n")
        } else {
            formatted
        };
        (formatted != *view.text).then_some(formatted)
    }
}

/// The file an `extends "PATH"` at `offset` names.
fn extends_at(file: &FileView, offset: usize) -> Option<PathBuf> {
    file.tree.items.iter().find_map(|item| match item {
        ast::Item::Header(header) => header.entries.iter().find_map(|entry| {
            let span = entry.value.span;
            match &entry.value.node {
                ast::HeaderValue::Text(target)
                    if entry.name.node == "extends"
                        && span.start <= offset
                        && offset <= span.end =>
                {
                    let folder = file.path.parent()?;
                    Some(absolute(&folder.join(target)))
                }
                _ => None,
            }
        }),
        _ => None,
    })
}

/// Standard files under `root`, at most 6 folders deep, hidden folders and
/// `target` skipped; at most 10,000.
fn standard_files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![(root.to_path_buf(), 0)];
    while let Some((folder, depth)) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && depth < 6 && !name.starts_with('.') && name != "target" {
                folders.push((path, depth + 1));
            } else if kind.is_file() && name.ends_with(".std") && found.len() < 10_000 {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A path made absolute, `.` and `..` taken away by their names: the
/// name the editor knows a file by (links are not followed, so that a file
/// opened through a link keeps that name, and one not yet saved has one).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut normal = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// A file's one name on disk (links followed), as the loader keys files;
/// the path itself for a file not on disk.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
