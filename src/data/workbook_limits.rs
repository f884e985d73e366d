//! The limits an `.xlsx` or `.ods` workbook's parts are held to before
//! calamine reads them: a zip archive can hold gigabytes that decompress
//! from a few kilobytes (a zip bomb), and calamine reads some parts whole
//! (the shared strings, the styles, an `.ods` sheet). Each part is
//! decompressed once, as a stream, and counted; a part past its limit is a
//! data error naming the limit, so that memory stays bounded on any
//! workbook (about 200 MB at the limits below).

use std::fs::File;
use std::io::{BufReader, Read};
use std::sync::Arc;

use super::errors::DataError;
use super::unreadable;

/// The largest part calamine reads whole, decompressed (shared strings,
/// styles, an `.ods` file's content).
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most shared strings (distinct texts) a workbook may hold.
pub const MAX_SHARED_STRINGS: u64 = 2_000_000;
/// The largest worksheet, decompressed (calamine streams it; 5,000,000
/// rows of a few dozen cells fit).
pub const MAX_SHEET_BYTES: u64 = 8 * 1024 * 1024 * 1024;
/// The longest run of text between two tags of a worksheet (one cell's
/// value): the XML reader holds one such run in memory.
pub const MAX_RUN_BYTES: usize = 1024 * 1024;

/// What the parts of a workbook within the limits hold.
#[derive(Clone, Copy, Debug, Default)]
pub struct Checked {
    /// Whether any worksheet has a formula (whose value may never have been
    /// computed, when a program other than a spreadsheet wrote the file).
    pub formulas: bool,
}

/// Holds every part of the workbook at `file` to the limits, or says which
/// part is past which.
pub fn check(file: &Arc<str>) -> Result<Checked, DataError> {
    let mut checked = Checked::default();
    let opened = File::open(&**file).map_err(|e| unreadable(file, e))?;
    let mut archive =
        zip::ZipArchive::new(BufReader::new(opened)).map_err(|e| unreadable(file, e))?;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| unreadable(file, e))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.is_dir() {
            continue;
        }
        let sheet = name.starts_with("xl/worksheets/");
        let strings = name == "xl/sharedStrings.xml";
        let limit = if sheet {
            MAX_SHEET_BYTES
        } else {
            MAX_PART_BYTES
        };
        let counted = count(entry, limit, sheet, strings).map_err(|e| unreadable(file, e))?;
        checked.formulas |= counted.formulas;
        let past = |what: String| {
            Err(DataError::TooLarge {
                file: Arc::clone(file),
                what: format!("the workbook's part `{name}` {what}"),
                help: "nothing of the workbook was read, so that a damaged or hostile file cannot exhaust memory; save the data again from a spreadsheet program, or split it".to_owned(),
            })
        };
        if counted.bytes > limit {
            return past(format!(
                "holds more than {} MB decompressed",
                limit / (1024 * 1024)
            ));
        }
        if counted.longest_run > MAX_RUN_BYTES {
            return past(format!(
                "has a value longer than {} MB",
                MAX_RUN_BYTES / (1024 * 1024)
            ));
        }
        if counted.strings > MAX_SHARED_STRINGS {
            return past(format!(
                "holds more than {MAX_SHARED_STRINGS} distinct texts"
            ));
        }
    }
    Ok(checked)
}

/// What a part holds, counted as it decompresses.
#[derive(Default)]
struct Counted {
    bytes: u64,
    /// The longest run of bytes from one `<` to the next (with `runs`).
    longest_run: usize,
    /// Shared strings: `<si>` elements (with `strings`).
    strings: u64,
    /// Whether a worksheet has a `<f>` element (with `runs`).
    formulas: bool,
}

/// Decompresses `part` and counts it, stopping past `limit` bytes.
fn count(mut part: impl Read, limit: u64, runs: bool, strings: bool) -> std::io::Result<Counted> {
    const CHUNK: usize = 64 * 1024;
    let mut counted = Counted::default();
    // The last 3 bytes of the chunk before, then the chunk: a 4-byte tag cut
    // in two is found once, and none is found twice.
    let mut buffer = vec![0u8; CHUNK + 3];
    let mut kept = 0usize;
    // The length of the run still open at the end of the chunk before.
    let mut open_run = 0usize;
    let plain = memchr::memmem::Finder::new(b"<si>");
    let with_attributes = memchr::memmem::Finder::new(b"<si ");
    let formula = memchr::memmem::Finder::new(b"<f");
    loop {
        let read = part.read(&mut buffer[kept..kept + CHUNK])?;
        if read == 0 {
            break;
        }
        counted.bytes += read as u64;
        if counted.bytes > limit {
            break;
        }
        let chunk = &buffer[kept..kept + read];
        if runs {
            let mut start = 0;
            for tag in memchr::memchr_iter(b'<', chunk) {
                counted.longest_run = counted.longest_run.max(open_run + tag - start);
                (open_run, start) = (0, tag);
            }
            open_run += chunk.len() - start;
            counted.longest_run = counted.longest_run.max(open_run);
            // `<f>` or `<f ...>` (not `<fill`, which is no sheet tag anyway):
            // a chunk that cuts one in two lets the next have others.
            counted.formulas |= formula
                .find_iter(chunk)
                .any(|at| matches!(chunk.get(at + 2), Some(b'>' | b' ' | b'/') | None));
        }
        if strings {
            let seen = &buffer[..kept + read];
            counted.strings +=
                (plain.find_iter(seen).count() + with_attributes.find_iter(seen).count()) as u64;
            let last = kept + read;
            kept = last.min(3);
            buffer.copy_within(last - kept..last, 0);
        }
    }
    Ok(counted)
}
