//! Reading a standard's bytes from disk or stdin, bounded: only a regular
//! file (a link to one is followed) is opened, so a FIFO cannot hang the
//! run and a device cannot feed it forever, and nothing larger than
//! [`MAX_STANDARD_BYTES`] is read, so a huge file is refused before it fills
//! memory. Both the editions loader and `fmt` read standards through here.

use std::io::Read;
use std::path::Path;

/// The largest standard read: 64 MiB. The largest real standards are a few
/// hundred kilobytes; the 20,000-rule benchmark is 10 MB.
pub const MAX_STANDARD_BYTES: u64 = 64 * 1024 * 1024;

/// Why a standard's bytes were not read.
#[derive(Debug)]
pub enum Refused {
    /// Not a regular file: a directory, FIFO, socket or device.
    NotAFile(&'static str),
    /// Larger than [`MAX_STANDARD_BYTES`].
    TooLarge,
    /// The system's error.
    Io(std::io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotAFile(kind) => write!(f, "it is {kind}, not a file"),
            Refused::TooLarge => write!(
                f,
                "it is larger than {} MB, the most a standard may be",
                MAX_STANDARD_BYTES / (1024 * 1024)
            ),
            Refused::Io(error) => write!(f, "{error}"),
        }
    }
}

/// What kind of thing a path that is not a regular file is, in words.
pub fn kind_of(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// The bytes of a standard file: a regular file of at most
/// [`MAX_STANDARD_BYTES`].
pub fn file(path: &Path) -> Result<Vec<u8>, Refused> {
    // Looked at before it is opened: opening a FIFO waits for a writer.
    let metadata = std::fs::metadata(path).map_err(Refused::Io)?;
    if let Some(kind) = kind_of(&metadata) {
        return Err(Refused::NotAFile(kind));
    }
    if metadata.len() > MAX_STANDARD_BYTES {
        return Err(Refused::TooLarge);
    }
    let file = std::fs::File::open(path).map_err(Refused::Io)?;
    bounded(file, metadata.len())
}

/// A standard's bytes from stdin, at most [`MAX_STANDARD_BYTES`].
pub fn stdin() -> Result<Vec<u8>, Refused> {
    bounded(std::io::stdin().lock(), 0)
}

/// At most [`MAX_STANDARD_BYTES`] read (a file may grow while it is read).
fn bounded(reader: impl Read, expected: u64) -> Result<Vec<u8>, Refused> {
    let capacity = usize::try_from(expected).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(MAX_STANDARD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_STANDARD_BYTES {
        return Err(Refused::TooLarge);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_past_the_limit_is_refused() {
        let endless = std::io::repeat(b'#');
        assert!(matches!(bounded(endless, 0), Err(Refused::TooLarge)));
        let small: &[u8] = b"standard s {}";
        assert_eq!(bounded(small, 13).ok(), Some(small.to_vec()));
    }
}
