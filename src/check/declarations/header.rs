//! The header, `standard NAME { ... }`: its entries checked and read; and
//! `extends`, `amend` and `remove`, which a file checked on its own cannot
//! resolve.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::check::Checker;
use crate::check::errors::CheckError;
use crate::check::messages::backticked;
use crate::language::{LANGUAGES, Language};
use crate::suggest::closest;
use crate::syntax::ast;
use crate::syntax::span::Span;

/// The header entries a standard may have.
const HEADER_ENTRIES: [&str; 11] = [
    "title",
    "version",
    "effective",
    "until",
    "source",
    "key",
    "dated_by",
    "extends",
    "total",
    "cap",
    "language",
];

/// The header, read.
#[derive(Default)]
pub(super) struct HeaderInfo {
    pub(super) name: String,
    pub(super) span: Span,
    pub(super) name_span: Span,
    pub(super) entries: HashMap<&'static str, (ast::HeaderValue, Span)>,
}

impl HeaderInfo {
    pub(super) fn text(&self, entry: &str) -> Option<String> {
        match self.entries.get(entry) {
            Some((
                ast::HeaderValue::Text(t) | ast::HeaderValue::Bare(t) | ast::HeaderValue::Name(t),
                _,
            )) => Some(t.clone()),
            Some((ast::HeaderValue::Date(d), _)) => Some(d.to_string()),
            None => None,
        }
    }

    pub(super) fn date(&self, entry: &str) -> Option<jiff::civil::Date> {
        match self.entries.get(entry) {
            Some((ast::HeaderValue::Date(d), _)) => Some(*d),
            _ => None,
        }
    }

    pub(super) fn total(&self) -> Option<(Decimal, Span)> {
        self.number("total")
    }

    /// A header entry that holds a number, such as `total` or `cap`.
    pub(super) fn number(&self, entry: &str) -> Option<(Decimal, Span)> {
        match self.entries.get(entry) {
            Some((ast::HeaderValue::Bare(text), span)) => Some((text.parse().ok()?, *span)),
            _ => None,
        }
    }

    /// The `language` entry, when it names a language.
    pub(super) fn language(&self) -> Option<Language> {
        match self.entries.get("language") {
            Some((ast::HeaderValue::Text(code), _)) => Language::from_code(code),
            _ => None,
        }
    }

    pub(super) fn name_entry(&self, entry: &str) -> Option<(&str, Span)> {
        match self.entries.get(entry) {
            Some((ast::HeaderValue::Name(n), span)) => Some((n.as_str(), *span)),
            _ => None,
        }
    }
}

impl Checker {
    /// Reads the header: one `standard NAME { ... }`, its entries checked.
    pub(super) fn header(&mut self, file: &ast::File) -> HeaderInfo {
        let mut info = HeaderInfo::default();
        let mut first: Option<Span> = None;
        for item in &file.items {
            let ast::Item::Header(header) = item else {
                continue;
            };
            if let Some(first) = first {
                self.report(CheckError::DuplicateHeader {
                    span: header.name.span.into(),
                    first: first.into(),
                });
                continue;
            }
            first = Some(header.name.span);
            info.name = header.name.node.clone();
            info.span = header.span;
            info.name_span = header.name.span;
            for entry in &header.entries {
                self.header_entry(&mut info, entry);
            }
        }
        match first {
            None => self.report(CheckError::MissingHeader {
                span: Span::new(0, 0).into(),
            }),
            Some(name) if !info.entries.contains_key("key") => {
                self.report(CheckError::MissingKey { span: name.into() })
            }
            Some(_) => {}
        }
        info
    }

    fn header_entry(&mut self, info: &mut HeaderInfo, entry: &ast::HeaderEntry) {
        let Some(&name) = HEADER_ENTRIES.iter().find(|&&n| n == entry.name.node) else {
            let help = match closest(&entry.name.node, HEADER_ENTRIES) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!("the header takes {}", backticked(&HEADER_ENTRIES)),
            };
            self.report(CheckError::UnknownHeaderEntry {
                name: entry.name.node.clone(),
                span: entry.name.span.into(),
                help,
            });
            return;
        };
        if let Some((_, first)) = info.entries.get(name) {
            self.report(CheckError::DuplicateEntry {
                name: name.to_owned(),
                place: " in the header".to_owned(),
                span: entry.span.into(),
                first: (*first).into(),
            });
            return;
        }
        let value = &entry.value.node;
        let fits = match name {
            "effective" | "until" => matches!(value, ast::HeaderValue::Date(_)),
            "key" | "dated_by" => matches!(value, ast::HeaderValue::Name(_)),
            "extends" => matches!(value, ast::HeaderValue::Text(_)),
            "total" | "cap" => {
                matches!(value, ast::HeaderValue::Bare(text) if text.parse::<Decimal>().is_ok())
            }
            "version" => !matches!(value, ast::HeaderValue::Date(_)),
            _ => matches!(value, ast::HeaderValue::Text(_)),
        };
        if !fits {
            let expected = match name {
                "effective" | "until" => "a date such as `2015-01-01`",
                "key" | "dated_by" => "a field name",
                "total" | "cap" => "a number",
                "version" => "a year or a quoted version",
                _ => "a quoted string",
            };
            self.report(CheckError::InvalidHeaderValue {
                entry: name.to_owned(),
                expected: expected.to_owned(),
                span: entry.value.span.into(),
            });
        }
        if let ("language", ast::HeaderValue::Text(code)) = (name, value)
            && Language::from_code(code).is_none()
        {
            let regional = match code.to_ascii_lowercase().as_str() {
                "zh-tw" | "zh-hk" | "zh-mo" => Some(Language::Traditional.code()),
                "zh-cn" | "zh-sg" => Some(Language::Simplified.code()),
                _ => None,
            };
            let help = match regional.or_else(|| closest(code, LANGUAGES.map(Language::code))) {
                Some(code) => format!("did you mean `\"{code}\"`?"),
                None => "write \"zh-Hant\" (Traditional Chinese), \"zh-Hans\" (Simplified Chinese) or \"en\" (English)".to_owned(),
            };
            self.report(CheckError::UnknownLanguage {
                code: code.clone(),
                span: entry.value.span.into(),
                help,
            });
        }
        info.entries.insert(name, (value.clone(), entry.value.span));
    }

    /// `extends`, `amend` and `remove`: kept in the AST, not yet resolved.
    pub(super) fn editions(&mut self, file: &ast::File, header: &HeaderInfo) {
        if let Some((_, span)) = header.entries.get("extends") {
            self.report(CheckError::extends_unresolved(*span));
            return;
        }
        for item in &file.items {
            let (what, span) = match item {
                ast::Item::AmendRule(amend) => ("amend rule", amend.id.span),
                ast::Item::Remove(remove) => ("remove", remove.id.span),
                _ => continue,
            };
            self.report(CheckError::NothingToAmend {
                what,
                span: span.into(),
            });
        }
    }
}
