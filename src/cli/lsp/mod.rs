//! `yardstick lsp`: the language server, over stdio (SPEC §9). It speaks
//! the protocol (`lsp-server`, `lsp-types`) and nothing else: every answer
//! comes from `crate::ide`.
//!
//! Messages are taken in batches: everything waiting is read before any is
//! answered, every edit of the batch is applied, a request that a later
//! edit of its file made stale is answered `ContentModified` (the editor
//! asks again), and diagnostics are computed once per batch. Typing fast
//! therefore never queues up work.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CompletionItem, Diagnostic, DocumentChanges, DocumentSymbol, Hover, HoverContents, Location,
    MarkupContent, MarkupKind, NumberOrString, OneOf, Position, PublishDiagnosticsParams, Range,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::ide::{self, Lines, Workspace};

use super::Exit;

mod convert;

use convert::*;

/// Arguments of `lsp`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

/// Serves one editor over stdin and stdout until it says `exit`.
pub fn run(_args: &Args) -> Exit {
    let (connection, threads) = Connection::stdio();
    let served = serve(&connection);
    drop(connection);
    let joined = threads.join();
    match (served, joined) {
        (Ok(Ending::ShutDown), Ok(())) => Exit::Success,
        // The protocol: `exit` without `shutdown` (or the editor gone) is 1.
        (Ok(Ending::Abrupt), Ok(())) => Exit::Findings,
        (Err(error), _) => {
            super::output::stderr(&format!("error: language server: {error}\n"));
            Exit::Invalid
        }
        (_, Err(error)) => {
            super::output::stderr(&format!("error: language server: {error}\n"));
            Exit::Invalid
        }
    }
}

/// What the server can do.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec!["(".into(), "\"".into()]),
            ..Default::default()
        }),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(
            lsp_types::SemanticTokensOptions {
                legend: lsp_types::SemanticTokensLegend {
                    token_types: TOKEN_TYPES.to_vec(),
                    token_modifiers: vec![lsp_types::SemanticTokenModifier::DECLARATION],
                },
                full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..Default::default()
            }
            .into(),
        ),
        ..Default::default()
    }
}

/// The server's life: the handshake, then batches of messages until `exit`.
/// How the editor ended the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// `shutdown`, then `exit`.
    ShutDown,
    /// `exit` without `shutdown`, or the input closed.
    Abrupt,
}

fn serve(connection: &Connection) -> Result<Ending, Failure> {
    let capabilities = serde_json::to_value(capabilities())?;
    let params: lsp_types::InitializeParams =
        serde_json::from_value(connection.initialize(capabilities)?)?;
    #[allow(deprecated, reason = "editors still send only `rootUri`")]
    let root_uri = params.root_uri;
    let root = params
        .workspace_folders
        .and_then(|folders| folders.into_iter().next().map(|f| f.uri))
        .or(root_uri)
        .and_then(|uri| path_of(&uri));
    let mut server = Server {
        workspace: Workspace::new(super::reach()),
        connection,
        root,
        uris: Uris::default(),
        shut_down: false,
        shown_elsewhere: Vec::new(),
    };
    while let Ok(first) = connection.receiver.recv() {
        let mut batch = vec![first];
        batch.extend(connection.receiver.try_iter());
        if let Some(ending) = server.batch(batch)? {
            return Ok(ending);
        }
    }
    Ok(Ending::Abrupt)
}

struct Server<'c> {
    workspace: Workspace,
    connection: &'c Connection,
    /// The editor's workspace folder, searched for workspace symbols.
    root: Option<PathBuf>,
    /// The editor's names of its documents.
    uris: Uris,
    /// Files not open whose diagnostics were published (from the checks of
    /// the open editions that extend them), to clear when they go.
    shown_elsewhere: Vec<PathBuf>,
    /// Whether the editor asked to shut down: every request after it is
    /// refused, and `exit` ends the session cleanly.
    shut_down: bool,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl Server<'_> {
    /// Handles a batch of messages; how the session ended, when the editor
    /// said `exit`.
    fn batch(&mut self, batch: Vec<Message>) -> Result<Option<Ending>, Failure> {
        // The last message of the batch that changes each file.
        let changed_at: Vec<(usize, Uri)> = batch
            .iter()
            .enumerate()
            .filter_map(|(at, m)| match m {
                Message::Notification(n) if n.method == note::DidChangeTextDocument::METHOD => {
                    let params: lsp_types::DidChangeTextDocumentParams =
                        serde_json::from_value(n.params.clone()).ok()?;
                    Some((at, params.text_document.uri))
                }
                _ => None,
            })
            .collect();
        let cancelled: Vec<RequestId> = batch
            .iter()
            .filter_map(|m| match m {
                Message::Notification(n) if n.method == note::Cancel::METHOD => {
                    let params: lsp_types::CancelParams =
                        serde_json::from_value(n.params.clone()).ok()?;
                    Some(match params.id {
                        NumberOrString::Number(n) => RequestId::from(n),
                        NumberOrString::String(s) => RequestId::from(s),
                    })
                }
                _ => None,
            })
            .collect();
        let mut touched: Vec<PathBuf> = Vec::new();
        for (at, message) in batch.into_iter().enumerate() {
            match message {
                Message::Request(request) if self.shut_down => {
                    let refused = error(request.id, ErrorCode::InvalidRequest, "shut down");
                    self.connection.sender.send(Message::Response(refused))?;
                }
                Message::Request(request) if request.method == req::Shutdown::METHOD => {
                    self.shut_down = true;
                    let done = Response::new_ok(request.id, serde_json::Value::Null);
                    self.connection.sender.send(Message::Response(done))?;
                }
                Message::Request(request) => {
                    let stale = document_of(&request).is_some_and(|uri| {
                        changed_at.iter().any(|(later, u)| *later > at && *u == uri)
                    });
                    let response = if cancelled.contains(&request.id) {
                        error(request.id, ErrorCode::RequestCanceled, "cancelled")
                    } else if stale {
                        error(
                            request.id,
                            ErrorCode::ContentModified,
                            "the document changed",
                        )
                    } else {
                        self.request(request)
                    };
                    self.connection.sender.send(Message::Response(response))?;
                }
                Message::Notification(notification) => {
                    if notification.method == note::Exit::METHOD {
                        return Ok(Some(if self.shut_down {
                            Ending::ShutDown
                        } else {
                            Ending::Abrupt
                        }));
                    }
                    if self.shut_down {
                        continue;
                    }
                    if let Some(path) = self.notification(notification) {
                        touched.push(path);
                    }
                }
                Message::Response(_) => {}
            }
        }
        touched.sort();
        touched.dedup();
        self.publish(&touched)?;
        Ok(None)
    }

    /// Applies an edit notification; the file it changed, if any.
    fn notification(&mut self, notification: Notification) -> Option<PathBuf> {
        let method = notification.method.as_str();
        match method {
            m if m == note::DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let path = self.uris.remember(&params.text_document.uri)?;
                self.workspace
                    .set_text(&path, params.text_document.text.into());
                Some(path)
            }
            m if m == note::DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let path = path_of(&params.text_document.uri)?;
                let mut text = self.workspace.text(&path)?.to_string();
                for change in params.content_changes {
                    apply(&mut text, change);
                }
                self.workspace.set_text(&path, text.into());
                Some(path)
            }
            m if m == note::DidSaveTextDocument::METHOD => {
                let params: lsp_types::DidSaveTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                path_of(&params.text_document.uri)
            }
            m if m == note::DidChangeWatchedFiles::METHOD => {
                // A file changed on disk: read again; the open files of its
                // folder are checked again.
                let params: lsp_types::DidChangeWatchedFilesParams =
                    serde_json::from_value(notification.params).ok()?;
                let mut changed = None;
                for event in params.changes {
                    let path = path_of(&event.uri)?;
                    self.workspace.disk_changed(&path);
                    changed = Some(path);
                }
                changed
            }
            m if m == note::DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let path = path_of(&params.text_document.uri)?;
                self.workspace.close(&path);
                // Its diagnostics are cleared; the files that extend it re-read it from disk.
                let _ = self.send_diagnostics(&path, Vec::new());
                Some(path)
            }
            _ => None,
        }
    }

    /// Publishes the diagnostics of every open file a change may touch.
    fn publish(&mut self, touched: &[PathBuf]) -> Result<(), Failure> {
        let mut files: Vec<PathBuf> = touched
            .iter()
            .flat_map(|path| self.workspace.affected_by(path))
            .collect();
        files.sort();
        files.dedup();
        // An open file shows what its own check finds; a file of its chain
        // that is not open, what the checks of the open editions find in it.
        let mut elsewhere: Vec<(PathBuf, Vec<ide::Diagnostic>)> = Vec::new();
        for file in &files {
            for (path, found) in self.workspace.diagnostics(file) {
                if path == *file {
                    let found = found
                        .into_iter()
                        .map(|d| diagnostic(d, &self.uris))
                        .collect();
                    self.send_diagnostics(&path, found)?;
                } else if self.workspace.text(&path).is_none() {
                    let at = match elsewhere.iter().position(|(p, _)| *p == path) {
                        Some(at) => at,
                        None => {
                            elsewhere.push((path, Vec::new()));
                            elsewhere.len() - 1
                        }
                    };
                    let list = &mut elsewhere[at].1;
                    for d in found {
                        if !list.contains(&d) {
                            list.push(d);
                        }
                    }
                }
            }
        }
        // What was shown on a closed file of these folders and is no more.
        let folders: Vec<Option<&Path>> = files.iter().map(|f| f.parent()).collect();
        let cleared: Vec<PathBuf> = self
            .shown_elsewhere
            .iter()
            .filter(|p| folders.contains(&p.parent()) && !elsewhere.iter().any(|(e, _)| e == *p))
            .cloned()
            .collect();
        for path in cleared {
            self.send_diagnostics(&path, Vec::new())?;
            self.shown_elsewhere.retain(|p| *p != path);
        }
        for (path, found) in elsewhere {
            let found = found
                .into_iter()
                .map(|d| diagnostic(d, &self.uris))
                .collect();
            self.send_diagnostics(&path, found)?;
            if !self.shown_elsewhere.contains(&path) {
                self.shown_elsewhere.push(path);
            }
        }
        Ok(())
    }

    fn send_diagnostics(&self, path: &Path, diagnostics: Vec<Diagnostic>) -> Result<(), Failure> {
        let params = PublishDiagnosticsParams {
            uri: self.uris.of(path),
            diagnostics,
            version: None,
        };
        let notification = Notification::new(
            note::PublishDiagnostics::METHOD.to_owned(),
            serde_json::to_value(params)?,
        );
        self.connection
            .sender
            .send(Message::Notification(notification))?;
        Ok(())
    }

    /// Answers one request.
    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match self.answer(request) {
            Ok(value) => Response::new_ok(id, value),
            Err(refused) => error(id, refused.code, &refused.message),
        }
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, Refusal> {
        let method = request.method.as_str();
        let params = request.params;
        let json = |value: serde_json::Result<serde_json::Value>| {
            value.map_err(|e| Refusal::from(e.to_string()))
        };
        match method {
            m if m == req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params)?;
                let (path, at) = place(&p.text_document_position_params)?;
                let hover = self.workspace.hover(&path, at).map(|text| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: text,
                    }),
                    range: None,
                });
                json(serde_json::to_value(hover))
            }
            m if m == req::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(params)?;
                let (path, at) = place(&p.text_document_position_params)?;
                let found: Vec<Location> = self
                    .workspace
                    .definition(&path, at)
                    .into_iter()
                    .map(|found| self.uris.location(found))
                    .collect();
                json(serde_json::to_value(found))
            }
            m if m == req::References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(params)?;
                let (path, at) = place(&p.text_document_position)?;
                let with_definition = p.context.include_declaration;
                let found: Vec<Location> = self
                    .workspace
                    .references(&path, at, with_definition)
                    .into_iter()
                    .map(|found| self.uris.location(found))
                    .collect();
                json(serde_json::to_value(found))
            }
            m if m == req::Rename::METHOD => {
                let p: lsp_types::RenameParams = parse(params)?;
                let (path, at) = place(&p.text_document_position)?;
                let edits = self
                    .workspace
                    .rename(&path, at, &p.new_name)
                    .map_err(|refused| refused.to_string())?;
                let changes = edits
                    .into_iter()
                    .map(|(path, edits)| document_edit(self.uris.of(&path), edits))
                    .collect();
                json(serde_json::to_value(WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(changes)),
                    ..Default::default()
                }))
            }
            m if m == req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(params)?;
                let (path, at) = place(&p.text_document_position)?;
                let items: Vec<CompletionItem> = self
                    .workspace
                    .completion(&path, at)
                    .into_iter()
                    .map(completion)
                    .collect();
                json(serde_json::to_value(items))
            }
            m if m == req::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a file")?;
                let symbols: Vec<DocumentSymbol> = self
                    .workspace
                    .outline(&path)
                    .into_iter()
                    .map(symbol)
                    .collect();
                json(serde_json::to_value(symbols))
            }
            m if m == req::Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = parse(params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a file")?;
                let old = self.workspace.text(&path).ok_or("the file is not open")?;
                let edits: Vec<TextEdit> = match self.workspace.format(&path) {
                    Some(formatted) => {
                        let lines = Lines::new(&old);
                        let end = lines.position(&old, old.len());
                        vec![TextEdit {
                            range: Range::new(Position::new(0, 0), position(end)),
                            new_text: formatted,
                        }]
                    }
                    None => Vec::new(),
                };
                json(serde_json::to_value(edits))
            }
            m if m == req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = parse(params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a file")?;
                let (start, end) = (ide_position(p.range.start), ide_position(p.range.end));
                let uri = p.text_document.uri;
                let actions: Vec<lsp_types::CodeActionOrCommand> = self
                    .workspace
                    .fixes(&path, start, end)
                    .into_iter()
                    .map(|fix| code_action(fix, &uri, &self.uris))
                    .collect();
                json(serde_json::to_value(actions))
            }
            m if m == req::InlayHintRequest::METHOD => {
                let p: lsp_types::InlayHintParams = parse(params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a file")?;
                let hints: Vec<lsp_types::InlayHint> = self
                    .workspace
                    .hints(&path)
                    .into_iter()
                    .filter(|h| {
                        ide_position(p.range.start) <= h.at && h.at <= ide_position(p.range.end)
                    })
                    .map(inlay_hint)
                    .collect();
                json(serde_json::to_value(hints))
            }
            m if m == req::FoldingRangeRequest::METHOD => {
                let p: lsp_types::FoldingRangeParams = parse(params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a file")?;
                let folds: Vec<lsp_types::FoldingRange> = self
                    .workspace
                    .folds(&path)
                    .into_iter()
                    .map(|(start, end)| lsp_types::FoldingRange {
                        start_line: start,
                        end_line: end,
                        ..Default::default()
                    })
                    .collect();
                json(serde_json::to_value(folds))
            }
            m if m == req::SemanticTokensFullRequest::METHOD => {
                let p: lsp_types::SemanticTokensParams = parse(params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a file")?;
                json(serde_json::to_value(semantic_tokens(
                    self.workspace.tokens(&path),
                )))
            }
            m if m == req::WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = parse(params)?;
                // No workspace folder: nothing to search.
                let symbols: Vec<lsp_types::SymbolInformation> = match self.root.clone() {
                    Some(root) => self
                        .workspace
                        .symbols_under(&root, &p.query)
                        .into_iter()
                        .map(|found| symbol_information(found, &self.uris))
                        .collect(),
                    None => Vec::new(),
                };
                json(serde_json::to_value(symbols))
            }
            other => Err(Refusal {
                code: ErrorCode::MethodNotFound,
                message: format!("`{other}` is not supported"),
            }),
        }
    }
}

/// Why a request was not answered, as the protocol says it.
struct Refusal {
    code: ErrorCode,
    message: String,
}

impl From<String> for Refusal {
    fn from(message: String) -> Refusal {
        Refusal {
            code: ErrorCode::RequestFailed,
            message,
        }
    }
}

impl From<&str> for Refusal {
    fn from(message: &str) -> Refusal {
        Refusal::from(message.to_owned())
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, Refusal> {
    serde_json::from_value(params).map_err(|e| Refusal {
        code: ErrorCode::InvalidParams,
        message: format!("bad parameters: {e}"),
    })
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_owned())
}

/// The document a request is about, when it names one.
fn document_of(request: &Request) -> Option<Uri> {
    let uri = request.params.get("textDocument")?.get("uri")?.as_str()?;
    Uri::from_str(uri).ok()
}
