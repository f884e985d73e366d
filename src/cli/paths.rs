//! Finding the standards a path names, for commands that take many; a
//! file name's extension, for commands whose output format follows `-o`;
//! whether an input file can be read at all.

use std::path::Path;

/// The standards a path names: a file; a directory holding `.std` files;
/// else every such directory below it.
pub fn standards_under(path: &str) -> Vec<String> {
    let root = Path::new(path);
    if !root.is_dir() || holds_standards(root) {
        return vec![path.to_owned()];
    }
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let mut children: Vec<_> = std::fs::read_dir(&directory)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        children.sort();
        for child in children.into_iter().rev().filter(|c| c.is_dir()) {
            if holds_standards(&child) {
                found.push(child.to_string_lossy().replace('\\', "/"));
            }
            pending.push(child);
        }
    }
    found.sort();
    if found.is_empty() {
        // Let the loader say that there is no standard here.
        found.push(path.to_owned());
    }
    found
}

fn holds_standards(directory: &Path) -> bool {
    std::fs::read_dir(directory).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "std"))
    })
}

/// The extensions of the data files a directory is searched for.
const DATA_EXTENSIONS: [&str; 10] = [
    "csv", "tsv", "txt", "json", "jsonl", "ndjson", "xlsx", "xlsm", "xls", "ods",
];

/// The data files the paths name: a file as it is; a directory, every data
/// file under it in name order (hidden files and Excel's `~$` lock files
/// aside), so that a folder of monthly files is read month by month.
pub fn data_files(paths: &[String]) -> Vec<String> {
    let mut files = Vec::new();
    for path in paths {
        let root = Path::new(path);
        if !root.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(directory) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&directory) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let child = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || name.starts_with("~$") {
                    continue;
                }
                if child.is_dir() {
                    pending.push(child);
                } else if extension(&name).is_some_and(|x| DATA_EXTENSIONS.contains(&x.as_str())) {
                    found.push(child.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        found.sort();
        if found.is_empty() {
            // Let the reader say that the directory cannot be read as data.
            files.push(path.clone());
        }
        files.extend(found);
    }
    files
}

/// A file name's extension, in lower case (`report.HTML` → `html`).
pub fn extension(path: &str) -> Option<String> {
    Some(
        Path::new(path)
            .extension()?
            .to_string_lossy()
            .to_lowercase(),
    )
}

/// Why a file cannot be read, when it cannot be opened (missing, not
/// allowed, a directory); `None` when it can.
pub fn unreadable(path: &Path) -> Option<String> {
    let shown = path.display();
    match std::fs::File::open(path) {
        Err(error) => Some(format!("cannot read `{shown}`: {error}")),
        Ok(_) if path.is_dir() => Some(format!("cannot read `{shown}`: it is a directory")),
        Ok(_) => None,
    }
}
