//! Every output format. Nothing here decides a score or a diagnostic; it only
//! presents them.
//!
//! Each format implements [`results::Format`]: it writes a batch's results
//! (the model of `crate::results`) as text; its `record` is called on
//! worker threads, in parallel, and the pieces are written in input order,
//! so output is the same whatever the number of threads.
//!
//! [`results::Format`]: crate::results::Format

pub mod compare;
pub mod csv;
pub mod detail;
pub mod diagnostics;
pub mod diff;
pub mod errors;
pub mod explain;
pub mod html;
pub mod json;
mod long_lines;
pub mod markdown;
pub mod problems;
pub mod rollup;
pub mod table;
pub mod template;
pub mod values;
pub mod xlsx;

/// An empty terminal table in the house style (thin lines, wrapped to
/// `width` columns) with its header.
pub fn terminal_table(header: Vec<String>, width: u16) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header);
    table
}
