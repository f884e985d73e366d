//! What becomes of a scored record: it is counted in the summary and given
//! to the consumer, always; written when `--only-failed` lets it through;
//! kept for `--explain` when asked for; and checked against `--fail-on`.

use super::record::Record;
use super::sink::ChunkOut;
use super::{Consumer, Context, Explain, Options};
use crate::eval::catalog::Catalog;
use crate::results::{Kept, RecordView};

/// For each edition of `catalog`, the position of the `--fail-on` grade in
/// its bands, when it has that grade.
pub(super) fn fail_from(catalog: &Catalog, options: &Options) -> Vec<Option<usize>> {
    catalog
        .programs
        .iter()
        .map(|p| {
            let grade = options.fail_on.as_ref()?;
            p.standard
                .grades
                .iter()
                .position(|b| crate::hanzi::same(&b.name, grade))
        })
        .collect()
}

impl<C: Consumer> Context<'_, C> {
    /// Counts, formats and keeps (for explaining) one scored record.
    pub(super) fn emit(&self, record: &Record<'_>, out: &mut ChunkOut<C::Item>) {
        let view = RecordView {
            catalog: self.catalog,
            waivers: self.options.waivers.as_deref(),
            edition: record.edition,
            group: record.group,
            program: &self.catalog.programs[record.edition],
            place: record.place,
            row: record.row,
            key: record.key,
            cells: record.cells,
            scored: record.scored,
            errors: record.errors,
        };
        out.summary.count(&view, self.format.needs_units());
        out.items.push(self.consumer.item(&view));
        out.fail_on_met |= record
            .scored
            .grade
            .zip(self.fail_from[record.edition])
            .is_some_and(|(grade, from)| grade >= from);
        let failed = view.failed().next().is_some();
        // A waived failure is shown wherever failures are: nothing is hidden.
        if !self.options.only_failed || failed || !record.scored.waived.is_empty() {
            self.format.record(&view, &mut out.text);
            out.ends.push(out.text.len());
        }
        let keep = match &self.options.explain {
            Explain::Nothing => false,
            // A rule missing a value cost points too: it is explained.
            Explain::Failed => failed || !record.scored.missing.is_empty(),
            Explain::Units(keys) => keys.contains(record.key),
        };
        if keep {
            out.kept.push(Kept {
                edition: record.edition,
                at: record.place.at(record.row),
                key: record.key.to_owned(),
                cells: record.cells.to_vec(),
                scored: record.scored.clone(),
            });
        }
    }
}
