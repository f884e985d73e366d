//! Output files that never lose anything (SPEC §7): an output named with
//! `-o` is written to a temporary file beside it and renamed into place only
//! when the run completes, so that a run that stops — an error, Ctrl-C, a
//! kill — leaves the file that was there as it was; and an output that
//! names one of the run's inputs is refused before anything is read.
//!
//! Every command that writes a file goes through [`OutputFile`]; `fmt`,
//! which rewrites standards in place, too.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output file cannot be written, or may not be.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A directory stands where the file would be.
    #[error("cannot write `{name}`: it is a directory")]
    Directory {
        /// The file as the user named it.
        name: String,
    },
    /// The file, or the temporary file beside it, cannot be made.
    #[error("cannot write `{name}`: {error}")]
    Create {
        /// The file as the user named it.
        name: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// The bytes cannot be written.
    #[error("cannot write `{name}`: {error}")]
    Write {
        /// The file as the user named it.
        name: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// The finished file cannot be put in place of the target.
    #[error("cannot write `{name}`: {error}")]
    Commit {
        /// The file as the user named it.
        name: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// Standard output cannot be written.
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
    /// The output is one of the run's inputs.
    #[error(
        "`{option} {output}` names the input `{input}`: writing it would destroy what is read; choose another output file"
    )]
    IsAnInput {
        /// How the output was named: `-o`, `--record`.
        option: String,
        /// The output, as named.
        output: String,
        /// The input it is, as named.
        input: String,
    },
}

/// A file being written: bytes go to a temporary file in the target's
/// directory (so that the rename is atomic), which [`OutputFile::commit`]
/// renames over the target. Dropped without a commit, the temporary file
/// is deleted and the target is untouched. A target that exists and is not
/// a regular file (`/dev/stdout`, a named pipe) cannot be replaced: it is
/// written directly.
pub struct OutputFile {
    /// The file as the user named it, for messages.
    name: String,
    into: Destination,
}

enum Destination {
    /// A temporary file beside the target, and the target it will replace.
    Temporary {
        file: tempfile::NamedTempFile,
        target: PathBuf,
    },
    /// A device or a pipe, written as it is.
    Direct { file: File },
}

impl OutputFile {
    /// Starts writing the file `name`, or says why it cannot be.
    pub fn create(name: &str) -> Result<OutputFile, OutputError> {
        let cannot = |error: std::io::Error| OutputError::Create {
            name: name.to_owned(),
            error,
        };
        let named = Path::new(name);
        let existing = std::fs::metadata(named).ok();
        if let Some(metadata) = &existing
            && !metadata.is_file()
        {
            if metadata.is_dir() {
                return Err(OutputError::Directory {
                    name: name.to_owned(),
                });
            }
            let file = File::create(named).map_err(cannot)?;
            return Ok(OutputFile {
                name: name.to_owned(),
                into: Destination::Direct { file },
            });
        }
        // A symbolic link is followed, so that the file it points to is
        // replaced and the link stays.
        let target = match &existing {
            Some(_) => std::fs::canonicalize(named).map_err(cannot)?,
            None => named.to_path_buf(),
        };
        let directory = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A hidden name that no one would take for the finished file, should a
        // killed run leave it behind.
        let prefix = format!(".{file_name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".part");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // As `File::create` would make it: the umask decides.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder.tempfile_in(&directory).map_err(cannot)?;
        if let Some(metadata) = &existing {
            // The replaced file's permissions carry over to the new one.
            std::fs::set_permissions(file.path(), metadata.permissions()).map_err(cannot)?;
        }
        Ok(OutputFile {
            name: name.to_owned(),
            into: Destination::Temporary { file, target },
        })
    }

    /// The open file to write to.
    pub fn file(&self) -> &File {
        match &self.into {
            Destination::Temporary { file, .. } => file.as_file(),
            Destination::Direct { file } => file,
        }
    }

    /// The file as the user named it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Puts the finished file in place of the target: the rename replaces
    /// it in one step, so a reader sees the old file or the new one, whole.
    ///
    /// The bytes are not forced to the disk first (`fsync`): on a
    /// million-row output that costs about 50 ms, 5% of the run, and it
    /// guards only against a power cut, not against a killed run; ext4 (by
    /// default) writes a file's data before a rename over another takes
    /// effect.
    pub fn commit(self) -> Result<(), OutputError> {
        let name = self.name;
        let cannot = |error: std::io::Error| OutputError::Commit { name, error };
        match self.into {
            Destination::Direct { mut file } => file.flush().map_err(cannot),
            Destination::Temporary { file, target } => file
                .persist(&target)
                .map(|_| ())
                .map_err(|e| cannot(e.error)),
        }
    }

    /// That writing the file failed with `error`.
    pub fn failed(&self, error: std::io::Error) -> OutputError {
        OutputError::Write {
            name: self.name.clone(),
            error,
        }
    }
}

/// Writes a whole file at once through an [`OutputFile`].
pub fn write(name: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let output = OutputFile::create(name)?;
    let mut file = output.file();
    file.write_all(bytes).map_err(|e| output.failed(e))?;
    output.commit()
}

/// Refuses an output that is one of the inputs: the same file, however it
/// is spelt (`./a.csv`, an absolute path, a link to it). `what` says how
/// the output was named (`-o`, `--record`). An output that does not exist
/// yet is no input; `-` (stdin) is never a file.
pub fn refuse_input(output: &str, what: &str, inputs: &[&str]) -> Result<(), OutputError> {
    let Ok(out) = std::fs::metadata(output) else {
        return Ok(());
    };
    for &input in inputs {
        if input == "-" {
            continue;
        }
        if let Ok(read) = std::fs::metadata(input)
            && same_file(&out, &read, output, input)
        {
            return Err(OutputError::IsAnInput {
                option: what.to_owned(),
                output: output.to_owned(),
                input: input.to_owned(),
            });
        }
    }
    Ok(())
}

/// Why `--format xlsx` without `-o` is refused: a workbook is a file, never
/// text on stdout.
pub const WORKBOOK_NEEDS_FILE: &str =
    "`--format xlsx` writes a workbook: name it with `-o FILE.xlsx`";

/// Whether `output` (`-o`) names one of `inputs`; if so, says why it is
/// refused on stderr.
pub fn names_an_input(output: Option<&str>, inputs: &[&str]) -> bool {
    let Some(output) = output else {
        return false;
    };
    match refuse_input(output, "-o", inputs) {
        Ok(()) => false,
        Err(message) => {
            super::output::stderr(&format!("error: {message}\n"));
            true
        }
    }
}

/// Whether two outputs name the same file, whether or not it exists yet.
pub fn same_target(a: &str, b: &str) -> bool {
    if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        return same_file(&x, &y, a, b);
    }
    let resolved = |path: &str| {
        let path = Path::new(path);
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
    };
    match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// Whether two paths' metadata are of one file.
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata, _: &str, _: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Whether two paths are one file.
#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata, a: &str, b: &str) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, reason = "a test fails by panicking")]

    use super::*;

    #[test]
    fn an_uncommitted_file_leaves_the_target_as_it_was() {
        let directory = tempfile::tempdir().expect("a directory");
        let target = directory.path().join("out.csv");
        std::fs::write(&target, "old").expect("written");
        let name = target.to_string_lossy().into_owned();
        let output = OutputFile::create(&name).expect("created");
        output.file().write_all(b"new, half").expect("written");
        drop(output);
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "old");
        let left: Vec<_> = std::fs::read_dir(directory.path())
            .expect("listed")
            .collect();
        assert_eq!(left.len(), 1, "the temporary file is removed");
    }

    #[test]
    fn a_committed_file_replaces_the_target_and_keeps_its_permissions() {
        let directory = tempfile::tempdir().expect("a directory");
        let target = directory.path().join("out.csv");
        std::fs::write(&target, "old").expect("written");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).expect("set");
        }
        write(&target.to_string_lossy(), b"new").expect("written");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target)
                .expect("there")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o640);
        }
    }

    #[test]
    fn a_link_is_followed_and_kept() {
        #[cfg(unix)]
        {
            let directory = tempfile::tempdir().expect("a directory");
            let real = directory.path().join("real.csv");
            let link = directory.path().join("link.csv");
            std::fs::write(&real, "old").expect("written");
            std::os::unix::fs::symlink(&real, &link).expect("linked");
            write(&link.to_string_lossy(), b"new").expect("written");
            assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
            assert!(
                std::fs::symlink_metadata(&link)
                    .expect("there")
                    .file_type()
                    .is_symlink()
            );
        }
    }

    #[test]
    fn an_input_is_refused_however_it_is_spelt() {
        let directory = tempfile::tempdir().expect("a directory");
        let input = directory.path().join("data.csv");
        std::fs::write(&input, "a\n1\n").expect("written");
        let plain = input.to_string_lossy().into_owned();
        let other = directory
            .path()
            .join(".")
            .join("data.csv")
            .to_string_lossy()
            .into_owned();
        assert!(refuse_input(&other, "-o", &[&plain]).is_err());
        let elsewhere = directory.path().join("out.csv");
        assert!(refuse_input(&elsewhere.to_string_lossy(), "-o", &[&plain]).is_ok());
        std::fs::write(&elsewhere, "x").expect("written");
        assert!(refuse_input(&elsewhere.to_string_lossy(), "-o", &[&plain, "-"]).is_ok());
    }
}
