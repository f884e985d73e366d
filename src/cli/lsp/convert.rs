//! Between the protocol's types and the analysis's: positions, ranges,
//! locations, edits, diagnostics, completions, symbols, semantic token
//! types, `file:` URIs, and an editor's change applied to a text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    CompletionItem, CompletionItemKind, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DocumentSymbol, Location, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range, SymbolKind,
    TextDocumentContentChangeEvent, TextDocumentEdit, TextEdit, Uri,
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::ide::{self, CompletionKind, Lines};

/// Semantic token types, by what a name names ([`token_type`]).
pub(super) const TOKEN_TYPES: [lsp_types::SemanticTokenType; 6] = [
    lsp_types::SemanticTokenType::PROPERTY,
    lsp_types::SemanticTokenType::VARIABLE,
    lsp_types::SemanticTokenType::METHOD,
    lsp_types::SemanticTokenType::NAMESPACE,
    lsp_types::SemanticTokenType::CLASS,
    lsp_types::SemanticTokenType::FUNCTION,
];

/// The index into [`TOKEN_TYPES`] of what a name names.
pub(super) fn token_type(kind: ide::Kind) -> u32 {
    match kind {
        ide::Kind::Field | ide::Kind::Value => 0,
        ide::Kind::Let => 1,
        ide::Kind::Rule => 2,
        ide::Kind::Section => 3,
        ide::Kind::Rollup => 4,
        ide::Kind::Function => 5,
    }
}

/// Applies one change an editor sent (a range replaced, or the whole text).
pub(super) fn apply(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let lines = Lines::new(text);
            let start = lines.offset(text, ide_position(range.start));
            let end = lines.offset(text, ide_position(range.end)).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

pub(super) fn place(
    at: &lsp_types::TextDocumentPositionParams,
) -> Result<(PathBuf, ide::Position), String> {
    let path = path_of(&at.text_document.uri).ok_or("not a file")?;
    Ok((path, ide_position(at.position)))
}

pub(super) fn ide_position(position: Position) -> ide::Position {
    ide::Position {
        line: position.line,
        character: position.character,
    }
}

pub(super) fn position(position: ide::Position) -> Position {
    Position::new(position.line, position.character)
}

pub(super) fn range(start: ide::Position, end: ide::Position) -> Range {
    Range::new(position(start), position(end))
}

pub(super) fn text_edit(edit: ide::Edit) -> TextEdit {
    TextEdit::new(range(edit.start, edit.end), edit.text)
}

/// Edits of one file, as a workspace edit holds them.
pub(super) fn document_edit(uri: Uri, edits: Vec<ide::Edit>) -> TextDocumentEdit {
    TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
        edits: edits
            .into_iter()
            .map(|edit| OneOf::Left(text_edit(edit)))
            .collect(),
    }
}

pub(super) fn diagnostic(found: ide::Diagnostic, uris: &Uris) -> Diagnostic {
    let message = match &found.help {
        Some(help) => format!("{}\nhelp: {help}", found.message),
        None => found.message,
    };
    let related: Vec<DiagnosticRelatedInformation> = found
        .related
        .into_iter()
        .map(|(at, label)| DiagnosticRelatedInformation {
            location: uris.location(at),
            message: label,
        })
        .collect();
    Diagnostic {
        range: range(found.start, found.end),
        severity: Some(match found.severity {
            ide::Severity::Error => DiagnosticSeverity::ERROR,
            ide::Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: found.code.map(NumberOrString::String),
        source: Some("yardstick".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

pub(super) fn completion(found: ide::Completion) -> CompletionItem {
    let text_edit = found.replace.map(|(start, end)| {
        let new_text = found.insert.clone().unwrap_or_else(|| found.label.clone());
        lsp_types::CompletionTextEdit::Edit(TextEdit::new(range(start, end), new_text))
    });
    CompletionItem {
        label: found.label,
        kind: Some(match found.kind {
            CompletionKind::Field => CompletionItemKind::FIELD,
            CompletionKind::Let => CompletionItemKind::VARIABLE,
            CompletionKind::Rule | CompletionKind::Section => CompletionItemKind::REFERENCE,
            CompletionKind::Choice | CompletionKind::Grade => CompletionItemKind::ENUM_MEMBER,
            CompletionKind::Keyword => CompletionItemKind::KEYWORD,
            CompletionKind::Function => CompletionItemKind::FUNCTION,
        }),
        detail: found.detail,
        insert_text: found.insert,
        filter_text: found.filter,
        text_edit,
        ..Default::default()
    }
}

pub(super) fn symbol_kind(kind: ide::What) -> SymbolKind {
    match kind {
        ide::What::Field => SymbolKind::FIELD,
        ide::What::Let => SymbolKind::VARIABLE,
        ide::What::Section => SymbolKind::NAMESPACE,
        ide::What::Rule | ide::What::Amend => SymbolKind::METHOD,
        ide::What::Grades | ide::What::Grade => SymbolKind::ENUM_MEMBER,
        ide::What::Standard => SymbolKind::MODULE,
        ide::What::Rollup => SymbolKind::CLASS,
        ide::What::Fields | ide::What::Script | ide::What::Example | ide::What::Remove => {
            SymbolKind::OBJECT
        }
    }
}

#[allow(deprecated, reason = "`deprecated` is a field the protocol still has")]
pub(super) fn symbol(found: ide::Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: found.name,
        detail: found.detail,
        kind: symbol_kind(found.kind),
        tags: None,
        deprecated: None,
        range: range(found.range.start, found.range.end),
        selection_range: range(found.name_range.start, found.name_range.end),
        children: (!found.children.is_empty())
            .then(|| found.children.into_iter().map(symbol).collect()),
    }
}

/// A quick fix as a code action on the document `uri`.
pub(super) fn code_action(fix: ide::Fix, uri: &Uri, uris: &Uris) -> lsp_types::CodeActionOrCommand {
    lsp_types::CodeActionOrCommand::CodeAction(lsp_types::CodeAction {
        title: fix.title,
        kind: Some(lsp_types::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(fix.diagnostic, uris)]),
        edit: Some(lsp_types::WorkspaceEdit {
            document_changes: Some(lsp_types::DocumentChanges::Edits(vec![document_edit(
                uri.clone(),
                fix.edits,
            )])),
            ..Default::default()
        }),
        is_preferred: Some(true),
        ..Default::default()
    })
}

/// A note of points as the protocol's inlay hint.
pub(super) fn inlay_hint(hint: ide::Hint) -> lsp_types::InlayHint {
    lsp_types::InlayHint {
        position: position(hint.at),
        label: lsp_types::InlayHintLabel::String(hint.text),
        kind: None,
        text_edits: None,
        tooltip: None,
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

/// Names as the protocol's semantic tokens: each placed relative to the
/// one before it.
pub(super) fn semantic_tokens(mut tokens: Vec<ide::Token>) -> lsp_types::SemanticTokens {
    tokens.sort_by_key(|t| t.start);
    let mut data = Vec::with_capacity(tokens.len());
    let mut last = ide::Position::default();
    for token in tokens {
        let line = token.start.line - last.line;
        let start = if line == 0 {
            token.start.character - last.character
        } else {
            token.start.character
        };
        data.push(lsp_types::SemanticToken {
            delta_line: line,
            delta_start: start,
            length: token.length,
            token_type: token_type(token.kind),
            token_modifiers_bitset: u32::from(token.definition),
        });
        last = token.start;
    }
    lsp_types::SemanticTokens {
        result_id: None,
        data,
    }
}

/// A symbol of a workspace search as the protocol's.
#[allow(deprecated, reason = "`deprecated` is a field the protocol still has")]
pub(super) fn symbol_information(found: ide::Symbol, uris: &Uris) -> lsp_types::SymbolInformation {
    lsp_types::SymbolInformation {
        kind: symbol_kind(found.kind),
        name: found.name,
        tags: None,
        deprecated: None,
        location: uris.location(found.name_range),
        container_name: None,
    }
}

/// Bytes a path keeps as they are in a `file:` URI.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The URIs the editor named its documents by, so that every answer about
/// a file names it as the editor does (through a link, say).
#[derive(Debug, Default)]
pub(super) struct Uris(HashMap<PathBuf, Uri>);

impl Uris {
    /// The file `uri` names, its URI kept for the answers about it.
    pub(super) fn remember(&mut self, uri: &Uri) -> Option<PathBuf> {
        let path = path_of(uri)?;
        self.0.insert(path.clone(), uri.clone());
        Some(path)
    }

    /// The URI of a file: the editor's, else one made from the path.
    pub(super) fn of(&self, path: &Path) -> Uri {
        self.0.get(path).cloned().unwrap_or_else(|| uri_of(path))
    }

    /// A location of the analysis as the protocol's.
    pub(super) fn location(&self, found: ide::Location) -> Location {
        Location::new(self.of(&found.path), range(found.start, found.end))
    }
}

/// The file a URI names: a `file:` URI's path (percent-escapes decoded:
/// Chinese names come escaped; `/C:/…` a Windows drive); any other URI
/// (an unsaved `untitled:` buffer) a path of its own that no file has.
pub(super) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    if let Some(rest) = text.strip_prefix("file://") {
        let path = rest.split(['?', '#']).next()?;
        let decoded = percent_decode_str(path).decode_utf8().ok()?;
        let bytes = decoded.as_bytes();
        let drive = bytes.len() >= 3
            && bytes[0] == b'/'
            && bytes[1].is_ascii_alphabetic()
            && bytes[2] == b':';
        let path = if drive {
            &decoded[1..]
        } else {
            decoded.as_ref()
        };
        return Some(ide::absolute(Path::new(path)));
    }
    let (scheme, rest) = text.split_once(':')?;
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    Some(PathBuf::from(format!(
        "/{scheme}:/{}",
        decoded.trim_start_matches('/')
    )))
}

/// The `file:` URI of a path (a Windows path's `\` written `/`).
fn uri_of(path: &Path) -> Uri {
    let mut text = path.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        text.insert(0, '/');
    }
    let encoded = utf8_percent_encode(&text, PATH).to_string();
    Uri::from_str(&format!("file://{encoded}")).unwrap_or_else(|_| {
        Uri::from_str("file:///").unwrap_or_else(|_| unreachable!("a constant URI"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_paths_round_trip_through_uris() {
        let path = Path::new("/tmp/標準 2015/辦公環境.std");
        let uri = uri_of(path);
        assert!(
            uri.as_str().starts_with("file:///tmp/%E6%A8%99"),
            "{}",
            uri.as_str()
        );
        assert_eq!(path_of(&uri).as_deref(), Some(path));
    }

    #[test]
    fn windows_drives_and_untitled_buffers_are_paths() {
        let drive = Uri::from_str("file:///c%3A/Users/%E6%A8%99.std").unwrap();
        assert_eq!(
            path_of(&drive),
            Some(ide::absolute(Path::new("c:/Users/標.std")))
        );
        let untitled = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(
            path_of(&untitled),
            Some(PathBuf::from("/untitled:/Untitled-1"))
        );
        let mut uris = Uris::default();
        let path = uris.remember(&untitled).unwrap();
        assert_eq!(uris.of(&path).as_str(), "untitled:Untitled-1");
    }

    #[test]
    fn incremental_changes_count_utf16_units() {
        let mut text = "rule A \"😀綠\" {}\n".to_owned();
        // Replace 綠 (after the 2-unit emoji at character 8).
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(0, 10), Position::new(0, 11))),
            range_length: None,
            text: "藍".to_owned(),
        };
        apply(&mut text, change);
        assert_eq!(text, "rule A \"😀藍\" {}\n");
    }
}
