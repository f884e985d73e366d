//! How data files are read: the options `eval`, `compare --standard` and
//! `diff --impact` share (delimiter, sheet, encoding, header row), and the
//! files opened with the notes of the rows skipped above their headers.

use crate::check::model::Standard;
use crate::data::{self, DataError, OpenOptions, Source};

use super::output;

/// Options for reading data files.
#[derive(Debug, Default, clap::Args)]
pub struct ReadArgs {
    /// The CSV delimiter (sniffed from the first line that has one by
    /// default), e.g. `;` or `tab`.
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// The sheet of a workbook (the first by default).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// The text encoding of CSV and JSON files (told from the bytes by
    /// default: UTF-8, UTF-16 with a byte order mark, GB18030/GBK), e.g.
    /// `gbk`, `utf-8`, `big5`.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// The row that holds the headings, as the file or sheet numbers it (by
    /// default the first of the first 20 rows that names the key field and
    /// half of the fields).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    header_row: Option<u64>,
}

/// An option of [`ReadArgs`] that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ReadOptionError {
    /// A `--delimiter` that is not one ASCII character, or one that cannot be.
    #[error("`--delimiter` takes one ASCII character (not a quote or a line end), or `tab`")]
    Delimiter,
    /// An `--encoding` that names no encoding.
    #[error(
        "`--encoding {0}`: no such encoding; for example `utf-8`, `gbk`, `gb18030`, `utf-16le`, `big5`"
    )]
    Encoding(String),
}

impl ReadArgs {
    /// The options, or what is wrong with them.
    pub fn options(&self) -> Result<OpenOptions, ReadOptionError> {
        let delimiter = match self.delimiter.as_deref() {
            None => None,
            Some(text) => Some(parse_delimiter(text).ok_or(ReadOptionError::Delimiter)?),
        };
        let encoding = match self.encoding.as_deref() {
            None => None,
            Some(name) => Some(
                data::encoding::named(name)
                    .ok_or_else(|| ReadOptionError::Encoding(name.to_owned()))?,
            ),
        };
        Ok(OpenOptions {
            delimiter,
            sheet: self.sheet.clone(),
            encoding,
            header_row: self.header_row,
        })
    }
}

/// `,`, `;`, `|`, `\t` or the word `tab`: one ASCII character that is not a
/// quote or a line end.
fn parse_delimiter(text: &str) -> Option<u8> {
    match text {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => text.bytes().next(),
        _ => None,
    }
    .filter(|d| !matches!(d, b'"' | b'\n' | b'\r'))
}

/// Opens every data file for scoring by `standards`, printing a note for
/// each whose headings are below other rows; the files that cannot be
/// opened are errors.
pub fn open_all(
    paths: &[String],
    options: &OpenOptions,
    standards: &[&Standard],
) -> (Vec<Box<dyn Source>>, Vec<DataError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match data::open_scored(path, options, standards) {
            Ok((source, skipped)) => {
                if let Some(skipped) = skipped {
                    output::stderr(&format!("note: {skipped}\n"));
                }
                sources.push(source);
            }
            Err(error) => errors.push(error),
        }
    }
    (sources, errors)
}
