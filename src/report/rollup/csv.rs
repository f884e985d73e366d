//! `rollup --format csv`: one row per unit, for a spreadsheet: key, final
//! score, grade, rank, the score before repeats and the points repeats
//! took, a column per period of every level, inspections per method, the
//! repeats in words, and each target's first date and state at the deadline.

use super::View;
use crate::report::values::csv_field;

/// The whole CSV text (with a byte order mark when `bom`).
pub fn render(view: &View<'_>, bom: bool) -> String {
    let columns = view.columns();
    let header: Vec<String> = columns.iter().map(|&c| view.heading(c)).collect();
    let mut out = String::from(if bom { "\u{FEFF}" } else { "" });
    line(&header, &mut out);
    for unit in &view.assessment.units {
        let row: Vec<String> = columns
            .iter()
            .map(|&c| view.value(unit, c).text("; "))
            .collect();
        line(&row, &mut out);
    }
    out
}

fn line(cells: &[String], out: &mut String) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(cell, out);
    }
    out.push('\n');
}
