//! When each edition of a standard is in force (SPEC §4).
//!
//! An edition is in force from its `effective` date to its `until` date, or,
//! without `until`, to the day before the next edition takes effect (the
//! last edition stays in force). Editions of a directory are checked
//! together: one standard, each dated, one version each, none in force on
//! the same day as another; days covered by none are a warning.

use jiff::civil::Date;

use super::errors::EditionError;
use crate::check::Standard;

/// The editions of a standard placed in time.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// `(first day, last day, edition)`, by first day; `None` is open-ended.
    ranges: Vec<(Date, Option<Date>, usize)>,
}

impl Timeline {
    /// The timeline of `editions` (indices into that slice); undated
    /// editions are left out.
    pub fn new(editions: &[&Standard]) -> Timeline {
        let mut dated: Vec<(Date, Option<Date>, usize)> = editions
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((s.effective?, s.until, i)))
            .collect();
        dated.sort_by_key(|&(from, _, i)| (from, i));
        let starts: Vec<Date> = dated.iter().map(|&(from, _, _)| from).collect();
        for (index, range) in dated.iter_mut().enumerate() {
            if range.1.is_none() {
                range.1 = starts.get(index + 1).and_then(|next| next.yesterday().ok());
            }
        }
        Timeline { ranges: dated }
    }

    /// The edition in force on `date`.
    pub fn at(&self, date: Date) -> Option<usize> {
        self.ranges
            .iter()
            .rev()
            .find(|&&(from, to, _)| from <= date && to.is_none_or(|to| date <= to))
            .map(|&(_, _, edition)| edition)
    }

    /// The first day any edition is in force.
    pub fn first_day(&self) -> Option<Date> {
        self.ranges.first().map(|&(from, _, _)| from)
    }

    /// The edition that took effect last.
    pub fn latest(&self) -> Option<usize> {
        self.ranges.last().map(|&(_, _, edition)| edition)
    }
}

/// What is wrong with a directory's editions taken together (each edition
/// was checked on its own already). `paths` names each edition's file.
pub fn validate(editions: &[&Standard], paths: &[String]) -> Vec<EditionError> {
    let mut errors = Vec::new();
    let Some(first) = editions.first() else {
        return errors;
    };
    for standard in editions {
        if standard.name != first.name {
            errors.push(EditionError::Mixed {
                name: standard.name.clone(),
                first: first.name.clone(),
                first_path: paths.first().cloned().unwrap_or_default(),
                span: standard.header_spans.name.into(),
            });
        }
    }
    let dated_by = |s: &Standard| {
        s.dated_by
            .map_or_else(|| "nothing".to_owned(), |f| s.fields[f.0].name.clone())
    };
    for standard in editions.iter().skip(1) {
        if dated_by(standard) != dated_by(first) {
            errors.push(EditionError::DatedBy {
                version: standard.version.clone(),
                field: dated_by(standard),
                others: dated_by(first),
                span: standard.header_spans.name.into(),
            });
        }
    }
    for (index, standard) in editions.iter().enumerate() {
        if standard.effective.is_none() {
            errors.push(EditionError::Undated {
                version: standard.version.clone(),
                span: standard.header_spans.name.into(),
            });
        }
        if editions[..index]
            .iter()
            .any(|earlier| earlier.version == standard.version)
        {
            errors.push(EditionError::DuplicateVersion {
                version: standard.version.clone(),
                span: standard
                    .header_spans
                    .version
                    .unwrap_or(standard.header_spans.name)
                    .into(),
            });
        }
    }
    let mut dated: Vec<&Standard> = editions
        .iter()
        .copied()
        .filter(|s| s.effective.is_some())
        .collect();
    dated.sort_by_key(|s| s.effective);
    for pair in dated.windows(2) {
        let (earlier, later) = (pair[0], pair[1]);
        let (Some(start), Some(next)) = (earlier.effective, later.effective) else {
            continue;
        };
        let span = later
            .header_spans
            .effective
            .unwrap_or(later.header_spans.name)
            .into();
        let end = earlier
            .until
            .unwrap_or_else(|| next.yesterday().unwrap_or(next));
        if next <= end || next == start {
            errors.push(EditionError::Overlap {
                earlier: earlier.version.clone(),
                later: later.version.clone(),
                from: next.to_string(),
                to: end.max(next).to_string(),
                span,
            });
        } else if let (Ok(gap_start), Ok(gap_end)) = (end.tomorrow(), next.yesterday())
            && gap_start <= gap_end
        {
            errors.push(EditionError::Gap {
                earlier: earlier.version.clone(),
                later: later.version.clone(),
                from: gap_start.to_string(),
                to: gap_end.to_string(),
                span,
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard(version: &str, effective: &str, until: Option<&str>) -> Standard {
        let text = format!(
            "standard s {{ version {version} effective {effective} {} key id }}\nfields {{ id text }}\nrule R \"r\": id == \"x\"\n",
            until.map(|u| format!("until {u}")).unwrap_or_default()
        );
        let checked = crate::check::check(&crate::syntax::parse(&text).file);
        checked
            .standard
            .unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_edition_without_until_lasts_until_the_next() {
        let editions = [
            standard("2016", "2016-01-01", None),
            standard("2015", "2015-01-01", None),
        ];
        let refs: Vec<&Standard> = editions.iter().collect();
        let timeline = Timeline::new(&refs);
        assert_eq!(timeline.at(date("2014-12-31")), None);
        assert_eq!(timeline.at(date("2015-12-31")), Some(1));
        assert_eq!(timeline.at(date("2016-01-01")), Some(0));
        assert_eq!(timeline.at(date("2030-01-01")), Some(0));
        assert_eq!(timeline.latest(), Some(0));
        assert!(validate(&refs, &["a".into(), "b".into()]).is_empty());
    }

    #[test]
    fn overlaps_gaps_and_repeated_versions_are_found() {
        let editions = [
            standard("2015", "2015-01-01", Some("2016-03-31")),
            standard("2016", "2016-01-01", Some("2016-06-30")),
            standard("2016", "2017-01-01", None),
        ];
        let refs: Vec<&Standard> = editions.iter().collect();
        let paths = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let codes: Vec<String> = validate(&refs, &paths)
            .iter()
            .filter_map(|e| crate::diagnostics::code(e))
            .collect();
        assert_eq!(
            codes,
            [
                "yardstick::duplicate_version",
                "yardstick::editions_overlap",
                "yardstick::editions_gap"
            ]
        );
        let timeline = Timeline::new(&refs);
        assert_eq!(timeline.at(date("2016-08-01")), None, "in the gap");
    }
}
