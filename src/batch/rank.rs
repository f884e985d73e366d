//! Ranking: when grade bands read `rank`, every unit's score must be known
//! before any is graded, so records are held (a [`Held`] each) until the
//! sources are read; then ranked within their groups, graded in parallel,
//! counted and written in input order.

use std::io::{self, Write};

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::record::{Record, evaluation_errors};
use super::sink::ChunkOut;
use super::{Consumer, Run};
use crate::data::{DataError, Place};
use crate::eval::engine::{Scored, Scorer, Site, ranks};
use crate::results::Summary;
use crate::results::text::cell_text;
use crate::value::Cell;

/// Held records graded by one worker at a time.
const CHUNK: usize = 512;

/// A record held until ranks are known.
pub(super) struct Held {
    pub(super) edition: usize,
    pub(super) group: Option<String>,
    pub(super) place: Place,
    pub(super) row: u64,
    pub(super) key: String,
    pub(super) cells: Vec<Cell>,
    pub(super) scored: Scored,
    pub(super) errors: Vec<DataError>,
}

impl<C: Consumer, T: FnMut(C::Item)> Run<'_, C, T> {
    /// Ranks the held records, grades them, and writes them. Ranks are taken
    /// over every record whose edition ranks by the same group (the whole
    /// batch, or a field of that name).
    pub(super) fn rank_and_write(
        &mut self,
        pool: &rayon::ThreadPool,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let catalog = self.ctx.catalog;
        let mut held = std::mem::take(&mut self.sink.held);
        let group_name = |edition: usize, group: Option<usize>| {
            group.map(|f| catalog.programs[edition].standard.fields[f].name.clone())
        };
        let mut names: Vec<Option<String>> = Vec::new();
        for (edition, program) in catalog.programs.iter().enumerate() {
            for &group in &program.rank_groups {
                let name = group_name(edition, group);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        for name in &names {
            // The members of this ranking, with the group's field in their edition.
            let members: Vec<(usize, Option<usize>)> = held
                .iter()
                .enumerate()
                .filter_map(|(i, h)| {
                    let program = &catalog.programs[h.edition];
                    let group = program
                        .rank_groups
                        .iter()
                        .find(|&&g| group_name(h.edition, g) == *name)?;
                    Some((i, *group))
                })
                .collect();
            let scores: Vec<Decimal> = members
                .iter()
                .map(|&(i, _)| held[i].scored.totals.score)
                .collect();
            let groups: Vec<String> = members
                .iter()
                .map(|&(i, group)| match group {
                    Some(field) => {
                        let program = &catalog.programs[held[i].edition];
                        cell_text(program, field, &held[i].cells[field])
                    }
                    None => String::new(),
                })
                .collect();
            for (&(i, group), rank) in members.iter().zip(ranks(&scores, &groups)) {
                held[i].scored.totals.ranks.push((group, rank));
            }
        }
        let chunks: Vec<ChunkOut<C::Item>> = pool.install(|| {
            held.par_chunks(CHUNK)
                .map_init(
                    || catalog.programs.iter().map(Scorer::new).collect::<Vec<_>>(),
                    |scorers, chunk| {
                        let mut out = ChunkOut::new(Summary::new(catalog), (0, 0));
                        for held in chunk {
                            let mut scored = held.scored.clone();
                            let scorer = &scorers[held.edition];
                            scored.grade = scorer.grade(&held.cells, &scored);
                            scored.script_failures.clear();
                            scorer.take_failures(Site::Grades, &mut scored);
                            let mut errors = held.errors.clone();
                            let program = &catalog.programs[held.edition];
                            evaluation_errors(
                                program,
                                &scored,
                                (&held.place, held.row),
                                &held.key,
                                &mut errors,
                            );
                            let record = Record {
                                edition: held.edition,
                                group: held.group.as_deref(),
                                place: &held.place,
                                row: held.row,
                                key: &held.key,
                                cells: &held.cells,
                                scored: &scored,
                                errors: &errors,
                            };
                            self.ctx.emit(&record, &mut out);
                            out.summary.errors.extend(errors);
                        }
                        out
                    },
                )
                .collect()
        });
        self.sink
            .write(self.ctx.format.separator().as_bytes(), chunks, out)
    }
}
