//! Reading standards from disk, editions included (SPEC §4).
//!
//! A standard is a file or a directory of a standard's editions. A file that
//! says `extends "2015.std"` is merged onto the edition it extends
//! (`merge`), following the chain to its first edition, and the merged tree
//! is checked as one standard. A directory's editions are then checked
//! together and placed in time (`timeline`). Every file is read and parsed
//! once and placed in one `Sources` map, so that diagnostics can point
//! into any edition of the chain.
//!
//! `extends` reads only `.std` files, inside the folder of the standard
//! named (the file's folder, or the directory of editions), links and `..`
//! followed first, unless [`Reach::anywhere`]; and, as every standard, only
//! regular files of at most 64 MB ([`read`]).

pub mod errors;
mod merge;
pub mod read;
pub mod timeline;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{self, Standard};
use crate::diagnostics::{Boxed, FileDiagnostics};
use crate::sources::{Adjusted, Sources};
use crate::syntax::{self, ast, span::Span};

pub use errors::EditionError;
pub use timeline::Timeline;

/// One edition of a standard.
#[derive(Debug)]
pub struct Edition {
    /// The edition's own file.
    pub path: String,
    /// The checked standard; `None` when it, or an edition it extends, has errors.
    pub standard: Option<Standard>,
}

/// What reading a standard (file or directory) came to.
#[derive(Default)]
pub struct Loaded {
    /// Every file read.
    pub sources: Sources,
    /// The editions, earliest first (a file: its one edition).
    pub editions: Vec<Edition>,
    /// Every diagnostic, per file.
    pub diagnostics: Vec<FileDiagnostics>,
    /// Files that could not be read at all, as messages.
    pub unreadable: Vec<String>,
}

impl Loaded {
    /// Whether anything is wrong (warnings aside).
    pub fn has_errors(&self) -> bool {
        !self.unreadable.is_empty()
            || self.diagnostics.iter().any(|f| f.errors() > 0)
            || self.editions.iter().any(|e| e.standard.is_none())
    }

    /// The checked editions, when every edition checked.
    pub fn standards(&self) -> Option<Vec<&Standard>> {
        self.editions.iter().map(|e| e.standard.as_ref()).collect()
    }
}

/// Where `extends` may lead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// Any `.std` file, also outside the standard's folder (`--allow-outside`).
    pub anywhere: bool,
}

/// Reads a standard: a file, or a directory of its editions (the `.std`
/// files directly in it); `extends` stays in its folder.
pub fn load(path: &str) -> Loaded {
    load_with(path, Reach::default())
}

/// Reads a standard as [`load`] does, `extends` reaching as far as `reach` says.
pub fn load_with(path: &str, reach: Reach) -> Loaded {
    load_open(path, reach, &Open::default())
}

/// A file open in an editor.
#[derive(Clone, Debug)]
pub struct OpenFile {
    /// Its text, read in place of what is on disk (which may be older, or
    /// not there yet).
    pub text: Arc<str>,
    /// What parsing the text gave, when the editor has parsed it already
    /// (spans from 0): its tree, or its syntax errors. Used when the file
    /// is the first one read, so that a keystroke costs one parse, not two.
    pub parsed: Option<Result<Arc<ast::File>, Arc<Vec<syntax::SyntaxError>>>>,
}

/// The files open in an editor, by absolute path.
pub type Open = HashMap<PathBuf, OpenFile>;

/// Reads a standard as [`load_with`] does, a file open in an editor read
/// from `open` rather than from disk.
pub fn load_open(path: &str, reach: Reach, open: &Open) -> Loaded {
    let is_dir = Path::new(path).is_dir();
    let folder = if is_dir {
        Path::new(path)
    } else {
        Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    let mut loader = Loader {
        root: (!reach.anywhere)
            .then(|| std::fs::canonicalize(folder).ok())
            .flatten()
            .map(|canonical| (canonical, display(folder))),
        open: open.clone(),
        ..Loader::default()
    };
    if is_dir {
        loader.directory(path);
    } else {
        let edition = loader.edition(path);
        loader.editions.push(edition);
    }
    loader.finish(path)
}

/// A parsed file.
#[derive(Debug)]
struct Parsed {
    /// The tree, its spans global offsets (shared with an editor's view
    /// of an open file, and with the merge of an edition alone).
    file: Arc<ast::File>,
    /// The file's global range.
    range: std::ops::Range<usize>,
    /// Its `extends` path and the span of that entry's value.
    extends: Option<(String, Span)>,
}

#[derive(Default)]
struct Loader {
    /// The folder `extends` must stay in (canonical, and as the user named
    /// it); `None`: anywhere.
    root: Option<(PathBuf, String)>,
    sources: Sources,
    /// Files by canonical path; `None` when unreadable or not parsed.
    files: HashMap<PathBuf, Option<Parsed>>,
    /// Files open in an editor, read in place of the disk.
    open: Open,
    editions: Vec<Edition>,
    /// The last edition merged: its file, its merged tree, and whether a
    /// merge of its chain failed. An edition that extends it takes it and
    /// starts from there, so a directory whose editions extend one another
    /// in order merges each once, not its whole chain again; one tree is
    /// kept, not every edition's (an edition extending an earlier one
    /// merges its chain again).
    last_merged: Option<(PathBuf, Arc<ast::File>, bool)>,
    /// Diagnostics whose spans are global offsets.
    global: Vec<Boxed>,
    /// Diagnostics already per file (syntax errors, undecodable text).
    local: Vec<FileDiagnostics>,
    unreadable: Vec<String>,
}

impl Loader {
    fn finish(mut self, path: &str) -> Loaded {
        let mut diagnostics = std::mem::take(&mut self.local);
        diagnostics.extend(self.sources.split(std::mem::take(&mut self.global), path));
        Loaded {
            sources: self.sources,
            editions: self.editions,
            diagnostics,
            unreadable: self.unreadable,
        }
    }

    /// Every edition of a directory, checked together, earliest first.
    fn directory(&mut self, dir: &str) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "std"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        if files.is_empty() {
            self.global.push(Box::new(EditionError::NoEditions {
                path: dir.to_owned(),
            }));
            return;
        }
        let mut editions: Vec<Edition> = files
            .iter()
            .map(|file| self.edition(&display(file)))
            .collect();
        if let Some(standards) = editions
            .iter()
            .map(|e| e.standard.as_ref())
            .collect::<Option<Vec<&Standard>>>()
        {
            let paths: Vec<String> = editions.iter().map(|e| e.path.clone()).collect();
            let errors = timeline::validate(&standards, &paths);
            self.global
                .extend(errors.into_iter().map(|e| Box::new(e) as Boxed));
        }
        editions.sort_by_key(|e| e.standard.as_ref().and_then(|s| s.effective));
        self.editions = editions;
    }

    /// One edition: its file merged onto the editions it extends, checked.
    fn edition(&mut self, path: &str) -> Edition {
        let failed = Edition {
            path: path.to_owned(),
            standard: None,
        };
        if path == "-" {
            return self.stdin();
        }
        // The chain of files from this edition down to the first (or to the
        // last edition merged), by canonical path.
        let mut chain: Vec<PathBuf> = Vec::new();
        let mut in_chain: HashSet<PathBuf> = HashSet::new();
        let mut current = PathBuf::from(path);
        let mut extended_at: Option<Span> = None;
        let mut merged: Option<Arc<ast::File>> = None;
        let mut merge_failed = false;
        let mut extends_last_merged = false;
        loop {
            if let Some(span) = extended_at
                && current.extension().is_none_or(|x| x != "std")
            {
                self.global.push(Box::new(EditionError::ExtendsNotStandard {
                    path: display(&current),
                    span: span.into(),
                }));
                return failed;
            }
            let key = match std::fs::canonicalize(&current) {
                Ok(key) => key,
                Err(_) if self.open.contains_key(&current) => current.clone(),
                Err(error) => {
                    self.cannot_read(&current, &error.to_string(), extended_at);
                    return failed;
                }
            };
            if let (Some(span), Some((root, shown))) = (extended_at, &self.root)
                && !key.starts_with(root)
            {
                self.global.push(Box::new(EditionError::ExtendsOutside {
                    path: display(&current),
                    root: shown.clone(),
                    span: span.into(),
                }));
                return failed;
            }
            if in_chain.contains(&key) {
                let mut names: Vec<String> = chain.iter().map(|p| file_name(p)).collect();
                names.push(file_name(&key));
                self.global.push(Box::new(EditionError::ExtendsCycle {
                    chain: names.join(" → "),
                    span: extended_at.unwrap_or_default().into(),
                }));
                return failed;
            }
            if extended_at.is_some()
                && self
                    .last_merged
                    .as_ref()
                    .is_some_and(|(last, ..)| *last == key)
                && let Some((_, tree, failed)) = self.last_merged.take()
            {
                merged = Some(tree);
                merge_failed = failed;
                extends_last_merged = true;
                break;
            }
            let Some(parsed) = self.read(&key, &display(&current), extended_at) else {
                return failed;
            };
            in_chain.insert(key.clone());
            chain.push(key);
            match &parsed.extends {
                None => break,
                Some((relative, span)) => {
                    current = current.parent().unwrap_or(Path::new("")).join(relative);
                    extended_at = Some(*span);
                }
            }
        }
        for key in chain.iter().rev() {
            let Some(Some(parsed)) = self.files.get(key) else {
                return failed;
            };
            let file = Arc::clone(&parsed.file);
            merged = Some(match merged {
                None => file,
                Some(base) => {
                    let (file, errors) =
                        merge::merge(Arc::unwrap_or_clone(base), Arc::unwrap_or_clone(file));
                    let file = Arc::new(file);
                    merge_failed |= !errors.is_empty();
                    self.global
                        .extend(errors.into_iter().map(|e| Box::new(e) as Boxed));
                    file
                }
            });
        }
        let Some(merged) = merged else {
            return failed;
        };
        let own = chain
            .first()
            .and_then(|key| self.files.get(key))
            .and_then(Option::as_ref)
            .map(|parsed| parsed.range.clone());
        let inherited_from = self.global.len();
        let standard = self.checked(&merged);
        if let Some(own) = own.filter(|_| chain.len() > 1 || extends_last_merged) {
            self.note_inherited(inherited_from, &own, path);
        }
        if let Some(key) = chain.first() {
            self.last_merged = Some((key.clone(), merged, merge_failed));
        }
        Edition {
            path: path.to_owned(),
            standard: if merge_failed { None } else { standard },
        }
    }

    /// A standard read from stdin: checked as it is (it has no directory
    /// to resolve `extends` in, which the checker reports).
    fn stdin(&mut self) -> Edition {
        let parsed = match read::stdin() {
            Ok(bytes) => self.parse_bytes("-", bytes),
            Err(error) => {
                self.unreadable.push(format!("cannot read `-`: {error}"));
                None
            }
        };
        let standard = parsed.and_then(|parsed| match parsed.extends {
            Some((_, span)) => {
                self.global
                    .push(Box::new(check::CheckError::extends_unresolved(span)));
                None
            }
            None => self.checked(&parsed.file),
        });
        Edition {
            path: "-".to_owned(),
            standard,
        }
    }

    /// Checks a (merged) tree, keeping its diagnostics.
    fn checked(&mut self, file: &ast::File) -> Option<Standard> {
        let checked = check::check(file);
        self.global.extend(
            checked
                .diagnostics
                .into_iter()
                .map(|d| Box::new(d) as Boxed),
        );
        checked.standard
    }

    /// Adds to each diagnostic (from `from` on) that points outside the
    /// edition's own file a note that the edition inherited that part.
    fn note_inherited(&mut self, from: usize, own: &std::ops::Range<usize>, path: &str) {
        let found: Vec<Boxed> = self.global.drain(from..).collect();
        for diagnostic in found {
            let offset = diagnostic
                .labels()
                .and_then(|mut l| l.next())
                .map(|l| l.offset());
            let inherited = offset.is_some_and(|o| !own.contains(&o));
            self.global.push(if inherited {
                Box::new(Adjusted::noted(
                    diagnostic,
                    format!("inherited by `{path}`, which does not check with it: change it there with `amend` or `remove`"),
                ))
            } else {
                diagnostic
            });
        }
    }

    /// Reads and parses a file once; `None` when it cannot be used (the
    /// reason is reported the first time).
    fn read(&mut self, key: &Path, shown: &str, extended_at: Option<Span>) -> Option<&Parsed> {
        if !self.files.contains_key(key) {
            let parsed = self.parse(key, shown, extended_at);
            self.files.insert(key.to_path_buf(), parsed);
        }
        self.files.get(key).and_then(Option::as_ref)
    }

    fn parse(&mut self, key: &Path, shown: &str, extended_at: Option<Span>) -> Option<Parsed> {
        if let Some(open) = self.open.get(key).cloned() {
            let text = open.text;
            match open.parsed {
                Some(Ok(tree)) if self.sources.files().is_empty() => {
                    let base = self.sources.add(shown, Arc::clone(&text));
                    let extends = merge::extends_of(&tree);
                    return Some(Parsed {
                        file: tree,
                        range: base..base + text.len(),
                        extends,
                    });
                }
                Some(Err(errors)) if self.sources.files().is_empty() => {
                    self.sources.add(shown, Arc::clone(&text));
                    let errors = errors
                        .iter()
                        .map(|e| Box::new(e.clone()) as Boxed)
                        .collect();
                    self.local.push(FileDiagnostics::new(shown, text, errors));
                    return None;
                }
                _ => return self.parse_bytes(shown, text.as_bytes().to_vec()),
            }
        }
        match read::file(key) {
            Ok(bytes) => self.parse_bytes(shown, bytes),
            Err(error) => {
                self.cannot_read(Path::new(shown), &error.to_string(), extended_at);
                None
            }
        }
    }

    /// A file's bytes decoded, placed in the source map and parsed; `None`
    /// (with the diagnostics kept) when they are not UTF-8 or do not parse.
    fn parse_bytes(&mut self, shown: &str, bytes: Vec<u8>) -> Option<Parsed> {
        let text: Arc<str> = match syntax::decode(bytes) {
            Ok(text) => text.into(),
            Err(undecodable) => {
                let syntax::Undecodable { lossy, error } = *undecodable;
                self.local.push(FileDiagnostics::new(
                    shown,
                    lossy.into(),
                    vec![Box::new(error)],
                ));
                return None;
            }
        };
        let base = self.sources.add(shown, Arc::clone(&text));
        let parsed = syntax::parse_at(&text, base);
        if !parsed.errors.is_empty() {
            let errors = parsed
                .errors
                .into_iter()
                .map(|e| Box::new(e) as Boxed)
                .collect();
            self.local.push(FileDiagnostics::new(shown, text, errors));
            return None;
        }
        let extends = merge::extends_of(&parsed.file);
        Some(Parsed {
            file: Arc::new(parsed.file),
            range: base..base + text.len(),
            extends,
        })
    }

    /// A file that cannot be read: a diagnostic at the `extends` that names
    /// it, or a message when the user named it.
    fn cannot_read(&mut self, path: &Path, reason: &str, extended_at: Option<Span>) {
        match extended_at {
            Some(span) => self.global.push(Box::new(EditionError::BaseUnreadable {
                path: display(path),
                reason: reason.to_owned(),
                span: span.into(),
            })),
            None => self
                .unreadable
                .push(format!("cannot read `{}`: {reason}", display(path))),
        }
    }
}

/// A path as shown to the user, with `/` separators.
fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The last component of a path, for short messages.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| display(path), |n| n.to_string_lossy().into_owned())
}
