//! `yardstick sample UNITS --n N --seed S [--by COLUMN] [--exclude FILE]
//! [--inspectors FILE --per-unit K --avoid COLUMN]`: a reproducible draw of
//! units to inspect, written with a draw record that anyone can re-verify
//! with `yardstick sample --verify RECORD` (see `crate::sample`).
//!
//! Over 600 lines on purpose: making a draw and verifying one go through the
//! same `draw`, the same draw record and the same files located and digested;
//! kept in one file so that the two cannot drift apart. Their errors are
//! `sample/errors.rs`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod errors;

use crate::data::RowUnit;
use crate::data::table::{TextRow, TextTable};
use crate::sample::{self, Candidate, Drawn, Inspector};

use self::errors::{RowMistake, SampleError};
use super::safe_output::{self, OutputError, OutputFile};
use super::{Exit, output};

/// Arguments of `sample`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The units to draw from (CSV, JSON, JSON Lines or `.xlsx`), one per row.
    #[arg(value_name = "UNITS", required_unless_present = "verify")]
    units: Option<String>,
    /// How many units to draw.
    #[arg(long, value_name = "N", required_unless_present = "verify")]
    n: Option<usize>,
    /// The seed (a whole number, published with the draw).
    #[arg(long, value_name = "S", required_unless_present = "verify")]
    seed: Option<u64>,
    /// The column that names a unit (default: the first column).
    #[arg(long, value_name = "COLUMN")]
    key: Option<String>,
    /// Draw within the groups of this column, each in proportion to its size.
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,
    /// Leave out the units listed in this file (its column named like
    /// `--key`, else its first column, with a warning), e.g. those
    /// inspected last round.
    #[arg(long, value_name = "FILE")]
    exclude: Option<String>,
    /// Also draw inspectors for each unit from this file (its first column
    /// names an inspector).
    #[arg(long, value_name = "FILE", requires_all = ["per_unit", "avoid"])]
    inspectors: Option<String>,
    /// Inspectors per unit.
    #[arg(long, value_name = "K", requires = "inspectors")]
    per_unit: Option<usize>,
    /// Never give a unit an inspector with the same value in this column
    /// (a column of both files, e.g. the district).
    #[arg(long, value_name = "COLUMN", requires = "inspectors")]
    avoid: Option<String>,
    /// Write the draw (CSV) to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// Write the draw record (JSON) to FILE; by default next to `-o`, as
    /// `FILE.record.json`.
    #[arg(long, value_name = "FILE")]
    record: Option<String>,
    /// Re-make the draw of a record and check that it is the same.
    #[arg(long, value_name = "RECORD", conflicts_with_all = ["units", "n", "seed", "output"])]
    verify: Option<String>,
}

/// A file a draw was made from, with the digest of its bytes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
struct FileRef {
    file: String,
    sha256: String,
}

/// One drawn unit in the record.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Row {
    unit: String,
    stratum: String,
    inspectors: Vec<String>,
}

/// Everything needed to make the draw again, and the draw.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Record {
    tool: String,
    algorithm: String,
    seed: u64,
    n: usize,
    units: FileRef,
    key: String,
    by: Option<String>,
    exclude: Option<FileRef>,
    inspectors: Option<FileRef>,
    per_unit: Option<usize>,
    avoid: Option<String>,
    draw: Vec<Row>,
}

/// Runs `sample`.
pub fn run(args: &Args) -> Exit {
    let result = match &args.verify {
        Some(record) => verify(record),
        None => make(args),
    };
    match result {
        Ok(exit) => exit,
        Err(error) => {
            // Each line is one mistake: every one found is reported.
            for line in error.to_string().lines() {
                output::stderr(&format!("error: {line}\n"));
            }
            Exit::Invalid
        }
    }
}

/// The parameters of a draw, as given or as recorded.
struct Request {
    units: String,
    n: usize,
    seed: u64,
    key: Option<String>,
    by: Option<String>,
    exclude: Option<String>,
    inspectors: Option<(String, usize, String)>,
}

fn make(args: &Args) -> Result<Exit, SampleError> {
    if args.n == Some(0) {
        return Err(SampleError::NoneAsked);
    }
    let request = Request {
        units: args.units.clone().unwrap_or_default(),
        n: args.n.unwrap_or_default(),
        seed: args.seed.unwrap_or_default(),
        key: args.key.clone(),
        by: args.by.clone(),
        exclude: args.exclude.clone(),
        inspectors: match (&args.inspectors, args.per_unit, &args.avoid) {
            (Some(file), Some(k), Some(avoid)) => Some((file.clone(), k, avoid.clone())),
            _ => None,
        },
    };
    let record_path = match (&args.record, &args.output) {
        (Some(record), _) => record.clone(),
        (None, Some(output)) => format!("{output}.record.json"),
        (None, None) => return Err(SampleError::NoRecordNamed),
    };
    let inputs: Vec<&str> = [
        Some(request.units.as_str()),
        request.exclude.as_deref(),
        request
            .inspectors
            .as_ref()
            .map(|(file, _, _)| file.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if safe_output::names_an_input(args.output.as_deref(), &inputs) {
        return Ok(Exit::Invalid);
    }
    safe_output::refuse_input(&record_path, "--record", &inputs)?;
    if let Some(output) = &args.output
        && safe_output::same_target(output, &record_path)
    {
        return Err(SampleError::OneFileForBoth(output.clone()));
    }
    if let Some(exit) = unreadable(inputs.iter().map(Path::new)) {
        return Ok(exit);
    }
    let mut record = draw(&request, Path::new(""))?;
    let record_file = Path::new(&record_path);
    for file in [
        Some(&mut record.units),
        record.exclude.as_mut(),
        record.inspectors.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        file.file = relative_to_record(&file.file, record_file)?;
        if file.file.starts_with("../") || Path::new(&file.file).is_absolute() {
            output::stderr(&format!(
                "note: the draw record names `{}`, outside the record's folder: `--verify` will need `--allow-outside`; keep the record beside its files to publish them together\n",
                file.file
            ));
        }
    }
    let csv = draw_csv(&record);
    let json = serde_json::to_string_pretty(&record)?;
    // Both files are written in full before either replaces anything.
    let written = |name: &str, text: &str| {
        let file = OutputFile::create(name)?;
        let mut writer = file.file();
        writer
            .write_all(text.as_bytes())
            .map_err(|e| file.failed(e))?;
        Ok::<_, OutputError>(file)
    };
    let draw_file = args
        .output
        .as_deref()
        .map(|path| written(path, &csv))
        .transpose()?;
    let record_file = written(&record_path, &format!("{json}\n"))?;
    let drawn = record.draw.len();
    let seed = record.seed;
    match draw_file {
        Some(file) => {
            let name = file.name().to_owned();
            file.commit()?;
            record_file.commit()?;
            let units = if drawn == 1 { "unit" } else { "units" };
            output::stderr(&format!(
                "{drawn} {units} drawn with seed {seed} → {name}; the draw record is `{record_path}`\n"
            ));
        }
        None => {
            record_file.commit()?;
            if let Err(exit) = output::stdout(&csv) {
                return Ok(exit);
            }
            output::stderr(&format!(
                "drew {drawn} of the units with seed {seed}; the draw record is `{record_path}`\n"
            ));
        }
    }
    Ok(Exit::Success)
}

/// Re-makes a recorded draw and compares. The files are found relative to
/// the record's folder, and each must have the digest recorded before the
/// draw is made again: a changed file is a finding, named as such.
fn verify(path: &str) -> Result<Exit, SampleError> {
    let text = std::fs::read_to_string(path).map_err(|error| SampleError::Unreadable {
        path: path.to_owned(),
        error,
    })?;
    let recorded: Record =
        serde_json::from_str(&text).map_err(|error| SampleError::NotARecord {
            path: path.to_owned(),
            error,
        })?;
    let name_of = |algorithm: &str| algorithm.split_whitespace().next().unwrap_or("").to_owned();
    if name_of(&recorded.algorithm) != name_of(sample::ALGORITHM) {
        return Err(SampleError::OtherAlgorithm {
            path: path.to_owned(),
            recorded: recorded.algorithm,
            ours: name_of(sample::ALGORITHM),
            tool: recorded.tool,
        });
    }
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    let files = [
        Some(&recorded.units),
        recorded.exclude.as_ref(),
        recorded.inspectors.as_ref(),
    ];
    let located: Vec<PathBuf> = files
        .iter()
        .flatten()
        .map(|file| locate(&file.file, base))
        .collect();
    for (file, located) in files.iter().flatten().zip(&located) {
        may_read(&file.file, located, base)?;
    }
    if let Some(exit) = unreadable(located.iter().map(PathBuf::as_path)) {
        return Ok(exit);
    }
    let mut changed = false;
    for before in files.into_iter().flatten() {
        let now = digest_of(&locate(&before.file, base), &before.file)?;
        if now.sha256 != before.sha256 {
            output::stderr(&format!(
                "not verified: `{}` has changed since the draw (SHA-256 {} recorded, {} now)\n",
                before.file, before.sha256, now.sha256
            ));
            changed = true;
        }
    }
    if changed {
        return Ok(Exit::Findings);
    }
    let request = Request {
        units: recorded.units.file.clone(),
        n: recorded.n,
        seed: recorded.seed,
        key: Some(recorded.key.clone()),
        by: recorded.by.clone(),
        exclude: recorded.exclude.as_ref().map(|f| f.file.clone()),
        inspectors: match (&recorded.inspectors, recorded.per_unit, &recorded.avoid) {
            (Some(file), Some(k), Some(avoid)) => Some((file.file.clone(), k, avoid.clone())),
            _ => None,
        },
    };
    let again = draw(&request, base)?;
    if again.draw != recorded.draw {
        let at = again
            .draw
            .iter()
            .zip(&recorded.draw)
            .position(|(a, b)| a != b)
            .unwrap_or(again.draw.len().min(recorded.draw.len()));
        output::stderr(&format!(
            "not verified: the draw made again differs from the record at position {}\n",
            at + 1
        ));
        return Ok(Exit::Findings);
    }
    let verified = format!(
        "verified: {} units drawn with seed {} by {} are drawn again from the same files\n",
        recorded.draw.len(),
        recorded.seed,
        recorded.tool
    );
    Ok(output::stdout(&verified).map_or_else(|exit| exit, |()| Exit::Success))
}

/// Exit 3 when an input cannot be read at all (SPEC §7), each such file
/// named on stderr.
fn unreadable<'p>(paths: impl Iterator<Item = &'p Path>) -> Option<Exit> {
    let mut exit = None;
    for message in paths.filter_map(super::paths::unreadable) {
        output::stderr(&format!("error: {message}\n"));
        exit = Some(Exit::DataErrors);
    }
    exit
}

/// A file named in a request: as given (`base` empty) when drawing, relative
/// to the record's folder (`base`) when verifying — never the working folder
/// then, or a file that happens to be there would be read instead.
fn locate(file: &str, base: &Path) -> PathBuf {
    base.join(file)
}

/// Whether a file a draw record names may be read: a regular file (not a
/// FIFO that would hang the run, nor a device), in the record's folder or
/// below it unless `--allow-outside` (a record is made by someone else: it
/// must not make yardstick digest or quote any file it likes). A file that
/// does not exist is left to be reported as unreadable (exit 3).
fn may_read(named: &str, located: &Path, base: &Path) -> Result<(), SampleError> {
    let Ok(metadata) = std::fs::metadata(located) else {
        return Ok(());
    };
    if let Some(kind) = crate::editions::read::kind_of(&metadata) {
        return Err(SampleError::NotAFile {
            named: named.to_owned(),
            kind,
        });
    }
    if super::reach().anywhere {
        return Ok(());
    }
    let folder = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let inside = match (
        std::fs::canonicalize(folder),
        std::fs::canonicalize(located),
    ) {
        (Ok(folder), Ok(file)) => file.starts_with(folder),
        _ => false,
    };
    if inside {
        Ok(())
    } else {
        Err(SampleError::Outside(named.to_owned()))
    }
}

/// `file` as a path relative to the folder of `record` (with `/`, so a record
/// written on Windows verifies elsewhere), so that the record and its files
/// can be published together and verified from anywhere. A file on another
/// drive keeps its absolute path.
fn relative_to_record(file: &str, record: &Path) -> Result<String, SampleError> {
    let cannot = |what: &str, error: std::io::Error| SampleError::NotFound {
        path: what.to_owned(),
        error,
    };
    let file_path = std::fs::canonicalize(file).map_err(|e| cannot(file, e))?;
    let folder = match record.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let folder = std::fs::canonicalize(folder).map_err(|e| cannot(&folder.to_string_lossy(), e))?;
    let from: Vec<Component> = folder.components().collect();
    let to: Vec<Component> = file_path.components().collect();
    if from.first() != to.first() {
        return Ok(file_path.to_string_lossy().into_owned());
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), from.len() - common)
        .chain(
            to[common..]
                .iter()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    Ok(parts.join("/"))
}

/// Makes the draw a request asks for.
fn draw(request: &Request, base: &Path) -> Result<Record, SampleError> {
    let units_path = locate(&request.units, base);
    let mut wanted: Vec<Option<&str>> = vec![request.key.as_deref(), request.by.as_deref()];
    wanted.push(
        request
            .inspectors
            .as_ref()
            .map(|(_, _, avoid)| avoid.as_str()),
    );
    let (header, rows) = read_columns(&units_path, &wanted, "unit")?;
    let key = request.key.clone().unwrap_or(header);
    let excluded: BTreeSet<String> = match &request.exclude {
        None => BTreeSet::new(),
        Some(file) => excluded_keys(&locate(file, base), &key, &units_path, &rows)?,
    };
    let candidates: Vec<Candidate> = rows
        .into_iter()
        .filter(|r| !excluded.contains(&r[0]))
        .map(|r| Candidate {
            key: r[0].clone(),
            stratum: r[1].clone(),
            avoid: r[2].clone(),
        })
        .collect();
    let inspectors = match &request.inspectors {
        None => None,
        Some((file, k, avoid)) => {
            let path = locate(file, base);
            let (_, rows) = read_columns(&path, &[None, Some(avoid.as_str())], "inspector")?;
            let all: Vec<Inspector> = rows
                .into_iter()
                .map(|r| Inspector {
                    name: r[0].clone(),
                    avoid: r[1].clone(),
                })
                .collect();
            Some((all, *k, avoid.clone(), digest_of(&path, file)?))
        }
    };
    let drawn = sample::draw(
        candidates,
        request.n,
        request.seed,
        inspectors
            .as_ref()
            .map(|(all, k, avoid, _)| (all.as_slice(), *k, avoid.as_str())),
    )?;
    Ok(Record {
        tool: format!("yardstick {}", env!("CARGO_PKG_VERSION")),
        algorithm: sample::ALGORITHM.to_owned(),
        seed: request.seed,
        n: request.n,
        units: digest_of(&units_path, &request.units)?,
        key,
        by: request.by.clone(),
        exclude: match &request.exclude {
            Some(file) => Some(digest_of(&locate(file, base), file)?),
            None => None,
        },
        per_unit: inspectors.as_ref().map(|(_, k, _, _)| *k),
        avoid: inspectors.as_ref().map(|(_, _, avoid, _)| avoid.clone()),
        inspectors: inspectors.map(|(_, _, _, file)| file),
        draw: drawn.into_iter().map(row).collect(),
    })
}

/// The keys an exclusion list names: its column headed like the units' key,
/// else its first column — with a warning, since a list without that heading
/// (a bare list of names) loses its first name to the heading. Keys the units
/// do not have are named in a warning: a misspelt name excludes nothing.
fn excluded_keys(
    path: &Path,
    key: &str,
    units_file: &Path,
    units: &[Vec<String>],
) -> Result<BTreeSet<String>, SampleError> {
    let table = TextTable::read(&path.to_string_lossy())?;
    let file = &table.place.file;
    let column = match table.column(&[key]) {
        Some(column) => column,
        None => {
            let first = table
                .columns
                .first()
                .ok_or_else(|| SampleError::NoColumns(file.to_string()))?;
            output::stderr(&format!(
                "warning: `{file}` has no column `{key}`; its first column is used, and its first line `{first}` is read as a heading — add a heading line `{key}`\n"
            ));
            0
        }
    };
    let known: BTreeSet<&str> = units.iter().map(|row| row[0].as_str()).collect();
    // Unknown names are listed in the file's order, as the user wrote them.
    let mut excluded = BTreeSet::new();
    let mut unknown = Vec::new();
    for row in &table.rows {
        let name = row.cells[column].as_str();
        if !name.is_empty() && excluded.insert(name.to_owned()) && !known.contains(name) {
            unknown.push(name);
        }
    }
    if !unknown.is_empty() {
        let mut shown: Vec<String> = unknown.iter().take(5).map(|n| format!("`{n}`")).collect();
        if unknown.len() > 5 {
            shown.push("…".to_owned());
        }
        output::stderr(&format!(
            "warning: `{file}` leaves out {} {} that `{}` does not list: {}\n",
            unknown.len(),
            if unknown.len() == 1 { "unit" } else { "units" },
            units_file.to_string_lossy(),
            shown.join(", ")
        ));
    }
    Ok(excluded)
}

fn row(drawn: Drawn) -> Row {
    Row {
        unit: drawn.unit.key,
        stratum: drawn.unit.stratum,
        inspectors: drawn.inspectors,
    }
}

/// The SHA-256 of a file's bytes, with the file named as the user named it.
fn digest_of(path: &Path, named: &str) -> Result<FileRef, SampleError> {
    let bytes = std::fs::read(path).map_err(|error| SampleError::Unreadable {
        path: path.display().to_string(),
        error,
    })?;
    let digest = Sha256::digest(&bytes);
    Ok(FileRef {
        file: named.to_owned(),
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
    })
}

/// The text of some columns of every row of a data file (`None`: the first
/// column; a column that is not asked for is empty), and the first column's
/// header. The file lists `what` (units, inspectors), each named in the
/// first wanted column: see [`named_rows`].
fn read_columns(
    path: &Path,
    wanted: &[Option<&str>],
    what: &'static str,
) -> Result<(String, Vec<Vec<String>>), SampleError> {
    let table = TextTable::read(&path.to_string_lossy())?;
    let first = table
        .columns
        .first()
        .cloned()
        .ok_or_else(|| SampleError::NoColumns(table.place.file.to_string()))?;
    let mut found = Vec::new();
    for (index, name) in wanted.iter().enumerate() {
        found.push(match name {
            Some(name) => Some(table.column(&[name]).ok_or_else(|| table.no_column(name))?),
            None if index == 0 => Some(0),
            None => None,
        });
    }
    let rows = named_rows(&table, found[0].unwrap_or(0), what)?
        .into_iter()
        .map(|row| {
            found
                .iter()
                .map(|c| c.map(|c| row.cells[c].clone()).unwrap_or_default())
                .collect()
        })
        .collect();
    Ok((first, rows))
}

/// The rows of a list of units or inspectors, each named in `column`. A
/// name listed twice is an error (it would be drawn twice), and so is a row
/// with no name but other cells (what it lists could be neither drawn nor
/// left out). A row with every cell blank (a spreadsheet's empty line) is
/// skipped, with a warning naming it. Every mistake is named with its line.
fn named_rows<'a>(
    table: &'a TextTable,
    column: usize,
    what: &'static str,
) -> Result<Vec<&'a TextRow>, SampleError> {
    let heading = &table.columns[column];
    let mut kept: Vec<&TextRow> = Vec::new();
    let mut first_line: std::collections::BTreeMap<&str, u64> = Default::default();
    let mut blank_lines = Vec::new();
    let mut mistakes = Vec::new();
    for row in &table.rows {
        let name = row.cells[column].as_str();
        if row.cells.iter().all(String::is_empty) {
            blank_lines.push(row.row.to_string());
        } else if name.is_empty() {
            mistakes.push(RowMistake::Nameless {
                at: table.place.at(row.row).to_string(),
                what,
                heading: heading.clone(),
            });
        } else if let Some(&first) = first_line.get(name) {
            mistakes.push(RowMistake::Twice {
                what,
                name: name.to_owned(),
                first: table.place.at(first).to_string(),
                second: table.place.at(row.row).to_string(),
            });
        } else {
            first_line.insert(name, row.row);
            kept.push(row);
        }
    }
    if !blank_lines.is_empty() {
        let unit = match table.place.unit {
            RowUnit::Line => "line",
            RowUnit::Record => "record",
            RowUnit::Row => "row",
        };
        output::stderr(&format!(
            "warning: `{}`: blank {unit}{} {} skipped\n",
            table.place.file,
            if blank_lines.len() > 1 { "s" } else { "" },
            blank_lines.join(", ")
        ));
    }
    if mistakes.is_empty() {
        Ok(kept)
    } else {
        Err(SampleError::Rows(mistakes))
    }
}

/// The draw as CSV: order, unit, stratum, inspectors.
fn draw_csv(record: &Record) -> String {
    let mut out = String::new();
    let k = record.per_unit.unwrap_or(0);
    let mut header = vec!["order".to_owned(), record.key.clone()];
    if let Some(by) = &record.by {
        header.push(by.clone());
    }
    header.extend((1..=k).map(|i| format!("inspector_{i}")));
    push_row(&mut out, &header);
    for (i, row) in record.draw.iter().enumerate() {
        let mut cells = vec![(i + 1).to_string(), row.unit.clone()];
        if record.by.is_some() {
            cells.push(row.stratum.clone());
        }
        cells.extend(row.inspectors.iter().cloned());
        push_row(&mut out, &cells);
    }
    out
}

fn push_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::report::values::csv_plain(cell, out);
    }
    out.push('\n');
}
