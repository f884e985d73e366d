//! What can stop a page or a workbook from being made: the scored units
//! cannot be read back, the workbook cannot be formed or written, or the
//! page's template fails. Each keeps its cause, for the command to name.

/// A report that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The units' detail file (written while scoring) could not be read back.
    #[error("{0}")]
    Details(#[from] std::io::Error),
    /// The workbook could not be formed or written.
    #[error("{0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// More units than an Excel sheet has rows.
    #[error("more than {limit} units: an Excel sheet holds no more; use --format csv")]
    TooManyUnits {
        /// The most units a sheet holds.
        limit: u32,
    },
    /// The page's template could not be rendered.
    #[error("{0}")]
    Page(#[from] minijinja::Error),
}
