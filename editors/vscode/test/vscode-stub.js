// Just enough of the `vscode` module for extension.js and
// vscode-languageclient to start a client, talk to a server and stop it
// under plain Node. Whatever is not written out below is a no-op that
// returns a disposable; what the tests read is recorded in `recorded`.
'use strict';

const Module = require('node:module');
const path = require('node:path');

function createStub({ settings = {}, workspaceFolder, documents = [] } = {}) {
  const recorded = { errorMessages: [], log: [], commands: new Map() };

  class Disposable {
    constructor(callOnDispose = () => {}) {
      this.callOnDispose = callOnDispose;
    }
    static from(...disposables) {
      return new Disposable(() => disposables.forEach((d) => d?.dispose?.()));
    }
    dispose() {
      this.callOnDispose();
    }
  }

  class EventEmitter {
    listeners = new Set();
    event = (listener) => {
      this.listeners.add(listener);
      return new Disposable(() => this.listeners.delete(listener));
    };
    fire(value) {
      this.listeners.forEach((listener) => listener(value));
    }
    dispose() {
      this.listeners.clear();
    }
  }

  class Uri {
    constructor(scheme, fsPath) {
      this.scheme = scheme;
      this.fsPath = fsPath;
      this.path = fsPath;
    }
    static file(fsPath) {
      return new Uri('file', fsPath);
    }
    static parse(value) {
      const match = /^([a-z]+):\/\/(.*)$/.exec(value);
      return match ? new Uri(match[1], match[2]) : new Uri('file', value);
    }
    toString() {
      return `${this.scheme}://${this.fsPath}`;
    }
  }

  class CancellationTokenSource {
    token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
    cancel() {
      this.token.isCancellationRequested = true;
    }
    dispose() {}
  }

  const event = () => new Disposable();
  // Anything not written out: callable, and its result is a disposable.
  const anything = () =>
    new Proxy(function stub() {}, {
      get: (target, property) =>
        property === 'dispose' ? () => {} : property === 'then' ? undefined : anything(),
      apply: () => anything(),
    });
  const withFallback = (object) =>
    new Proxy(object, {
      get: (target, property) => (property in target ? target[property] : anything()),
    });

  const logChannel = (name) =>
    withFallback({
      name,
      logLevel: 2,
      onDidChangeLogLevel: event,
      ...Object.fromEntries(
        ['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine'].map((level) => [
          level,
          (message) => recorded.log.push(`${level}: ${message}`),
        ]),
      ),
      show() {},
      hide() {},
      clear() {},
      replace() {},
      dispose() {},
    });

  // An open document: `{ uri: 'untitled://Untitled-1', languageId, text }`.
  const textDocument = ({ uri, languageId, text }) =>
    withFallback({
      uri: Uri.parse(uri),
      fileName: Uri.parse(uri).fsPath,
      languageId,
      version: 1,
      isClosed: false,
      isUntitled: uri.startsWith('untitled:'),
      getText: () => text,
    });

  const workspaceFolders = workspaceFolder
    ? [{ uri: Uri.file(workspaceFolder), name: path.basename(workspaceFolder), index: 0 }]
    : undefined;

  const vscode = withFallback({
    version: '1.95.0',
    Disposable,
    EventEmitter,
    Uri,
    CancellationTokenSource,
    CancellationError: class CancellationError extends Error {},
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    env: withFallback({ appName: 'stub', language: 'en', machineId: 'stub', sessionId: 'stub' }),
    workspace: withFallback({
      workspaceFolders,
      textDocuments: documents.map((document) => textDocument(document)),
      notebookDocuments: [],
      getConfiguration: (section) =>
        withFallback({
          get: (key, defaultValue) => {
            const full = section ? `${section}.${key}` : key;
            return full in settings ? settings[full] : defaultValue;
          },
          has: () => false,
          inspect: () => undefined,
        }),
      getWorkspaceFolder: () => workspaceFolders?.[0],
      onDidChangeConfiguration: event,
      onDidOpenTextDocument: event,
      onDidChangeTextDocument: event,
      onDidCloseTextDocument: event,
      onDidSaveTextDocument: event,
      onWillSaveTextDocument: event,
      onDidChangeWorkspaceFolders: event,
      createFileSystemWatcher: () => anything(),
    }),
    window: withFallback({
      activeTextEditor: undefined,
      visibleTextEditors: [],
      tabGroups: withFallback({ all: [], onDidChangeTabs: event, onDidChangeTabGroups: event }),
      createOutputChannel: logChannel,
      showErrorMessage: (message) => {
        recorded.errorMessages.push(message);
        return Promise.resolve(undefined);
      },
      showWarningMessage: () => Promise.resolve(undefined),
      showInformationMessage: () => Promise.resolve(undefined),
      onDidChangeActiveTextEditor: event,
      onDidChangeVisibleTextEditors: event,
    }),
    languages: withFallback({
      // The score of VS Code's own matcher, reduced to language and scheme.
      match: (selector, document) =>
        [selector].flat().some(
          (filter) =>
            (filter.language === undefined || filter.language === document.languageId) &&
            (filter.scheme === undefined || filter.scheme === document.uri.scheme),
        )
          ? 10
          : 0,
      createDiagnosticCollection: () => anything(),
    }),
    commands: withFallback({
      registerCommand: (command, callback) => {
        recorded.commands.set(command, callback);
        return new Disposable();
      },
      executeCommand: () => Promise.resolve(undefined),
    }),
  });
  return { vscode, recorded };
}

// Loads the extension afresh (`main`: extension.js, or the bundle that the
// .vsix holds) with `vscode` resolved to a new stub.
function loadExtension(main, options) {
  const { vscode, recorded } = createStub(options);
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    return request === 'vscode' ? vscode : originalLoad.call(this, request, parent, isMain);
  };
  // vscode-languageclient keeps the `vscode` it first loaded: load it anew too.
  const extensionPath = require.resolve(path.join(__dirname, '..', main));
  for (const cached of Object.keys(require.cache)) {
    if (cached === extensionPath || cached.includes(`${path.sep}vscode-languageclient${path.sep}`)) {
      delete require.cache[cached];
    }
  }
  try {
    const extension = require(extensionPath);
    return { extension, recorded, restore: () => (Module._load = originalLoad) };
  } catch (error) {
    Module._load = originalLoad;
    throw error;
  }
}

module.exports = { loadExtension };
