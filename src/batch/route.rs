//! Routing records to editions: a source's columns matched to each
//! edition's fields once (a [`Schemas`]), then each record given to the
//! edition that scores it: the one chosen for the run, or the one in force
//! on the record's inspection date.

use std::sync::Arc;

use super::{Consumer, Context, Run};
use crate::data::schema::{Extra, Schema};
use crate::data::{DataError, Place, RawRecord, Source};
use crate::eval::catalog::{Catalog, Route};
use crate::value::{Cell, Value};

/// How one source's records are typed: a schema per edition (an edition
/// whose fields the source lacks has the error instead), and where the
/// inspection date is read when records are routed by date.
pub(super) struct Schemas {
    pub(super) per_edition: Vec<Result<Schema, DataError>>,
    /// The column that groups units, when one is asked for.
    pub(super) group: Option<Extra>,
    /// The edition whose schema reads the date, and the field's index there.
    pub(super) date: Option<(usize, usize)>,
}

impl<C: Consumer, T: FnMut(C::Item)> Run<'_, C, T> {
    /// The schemas of a source's columns, or `None` (with the error
    /// reported) when no record of it can be scored.
    #[expect(
        clippy::result_large_err,
        reason = "data errors are rare and carry their whole context"
    )]
    pub(super) fn schemas(&mut self, source: &dyn Source, place: &Place) -> Option<Schemas> {
        let (columns, delimiter) = (source.columns(), source.delimiter());
        let catalog = self.ctx.catalog;
        let mut absent = Vec::new();
        let per_edition: Vec<Result<Schema, DataError>> = catalog
            .programs
            .iter()
            .map(|p| {
                let schema = if source.keyed() {
                    Schema::for_keyed_records(&p.standard, columns, &place.file)?
                } else if self.ctx.options.absent_fields {
                    let (schema, fields) =
                        Schema::new_with_absent_fields(&p.standard, columns, &place.file)?;
                    for field in fields {
                        if !absent.contains(&field) {
                            absent.push(field);
                        }
                    }
                    schema
                } else {
                    Schema::new(&p.standard, columns, &place.file)?
                };
                Ok(match delimiter {
                    Some(delimiter) => schema.for_delimiter(delimiter),
                    None => schema,
                })
            })
            .collect();
        if !absent.is_empty() {
            let file = Arc::clone(&place.file);
            self.sink.finished.absent_fields.push((file, absent));
        }
        let usable = match &catalog.route {
            Route::One(edition) => per_edition[*edition].as_ref().err(),
            Route::ByDate { .. } => per_edition
                .iter()
                .all(Result::is_err)
                .then(|| per_edition.iter().find_map(|s| s.as_ref().err()))
                .flatten(),
        };
        if let Some(error) = usable {
            self.sink.finished.summary.errors.push(error.clone());
            return None;
        }
        let group = match &self.ctx.options.group {
            None => None,
            Some(name) => match Extra::find(columns, name) {
                Some(column) => Some(column),
                None => {
                    self.sink
                        .finished
                        .summary
                        .errors
                        .push(DataError::MissingColumn {
                            file: std::sync::Arc::clone(&place.file),
                            field: name.clone(),
                            label: " (asked for by `--group-by`)".to_owned(),
                            help: format!("the file's columns are: {}", columns.join(", ")),
                        });
                    return None;
                }
            },
        };
        let date = match &catalog.route {
            Route::One(_) => None,
            Route::ByDate { field, .. } => {
                per_edition.iter().enumerate().find_map(|(e, schema)| {
                    let index = catalog.programs[e]
                        .standard
                        .fields
                        .iter()
                        .position(|f| &f.name == field)?;
                    schema.is_ok().then_some((e, index))
                })
            }
        };
        Some(Schemas {
            per_edition,
            group,
            date,
        })
    }
}

impl<C> Context<'_, C> {
    /// The edition that scores a record, or why none can.
    #[expect(
        clippy::result_large_err,
        reason = "data errors are rare and carry their whole context"
    )]
    pub(super) fn route(
        &self,
        raw: &RawRecord,
        schemas: &Schemas,
        place: &Place,
    ) -> Result<usize, DataError> {
        let catalog = self.catalog;
        let (field, edition) = match (&catalog.route, schemas.date) {
            (Route::One(edition), _) => return Ok(*edition),
            (Route::ByDate { field, .. }, Some((reader, index))) => {
                let at = place.at(raw.row);
                let no_edition = |reason: String, help: Option<String>| DataError::NoEdition {
                    at: place.at(raw.row),
                    reason,
                    help,
                };
                let schema = schemas.per_edition[reader].as_ref().map_err(Clone::clone)?;
                let date = match schema.read_one(index, raw, at) {
                    Ok(Cell::Value(Value::Date(date))) => date,
                    Ok(_) => {
                        return Err(no_edition(
                            format!("its inspection date (`{field}`) is blank"),
                            Some(format!(
                                "fill in `{field}`, or choose the edition with `--as-of` or `--edition`"
                            )),
                        ));
                    }
                    Err(error) => {
                        let reason = match error {
                            DataError::BadValue { column, value, .. } => {
                                format!(
                                    "its inspection date `{value}` (column `{column}`) is not a date"
                                )
                            }
                            DataError::Blank { column, .. } => {
                                format!("its inspection date (column `{column}`) is blank")
                            }
                            other => other.to_string(),
                        };
                        return Err(no_edition(
                            reason,
                            Some(format!(
                                "`{field}` chooses the edition that scores the record; write it as 2016-06-30, 2016/6/30 or 2016年6月30日"
                            )),
                        ));
                    }
                };
                let Some(edition) = catalog.edition_on(date) else {
                    let name = &catalog.latest().standard.name;
                    return Err(no_edition(
                        format!("no edition of `{name}` is in force on {date}"),
                        Some(edition_list(catalog)),
                    ));
                };
                (field, (edition, date))
            }
            (Route::ByDate { field, .. }, None) => {
                return Err(DataError::NoEdition {
                    at: place.at(raw.row),
                    reason: format!("no column gives `{field}`, the inspection date"),
                    help: None,
                });
            }
        };
        let (edition, date) = edition;
        match &schemas.per_edition[edition] {
            Ok(_) => Ok(edition),
            Err(error) => Err(DataError::NoEdition {
                at: place.at(raw.row),
                reason: format!(
                    "edition `{}` is in force on {date} (its `{field}`), but {error}",
                    catalog.programs[edition].standard.version
                ),
                help: Some(
                    "add the columns of that edition, or score the file with `--edition`"
                        .to_owned(),
                ),
            }),
        }
    }
}

/// The editions and when each is in force, for a record that none scores.
fn edition_list(catalog: &Catalog) -> String {
    let editions: Vec<String> = catalog
        .programs
        .iter()
        .map(|p| match p.standard.effective {
            Some(date) => format!("{} from {date}", p.standard.version),
            None => p.standard.version.clone(),
        })
        .collect();
    format!("the editions are {}", editions.join(", "))
}
