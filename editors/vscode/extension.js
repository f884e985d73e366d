// The VS Code client of yardstick's language server. It starts `yardstick
// lsp` (the binary from `yardstick.server.path`) and speaks LSP with it over
// stdin and stdout for every `yardstick` document, saved or untitled.
// Highlighting does not need the server: it is the TextMate grammar in
// syntaxes/.
'use strict';

const vscode = require('vscode');
const { CloseAction, ErrorAction, LanguageClient } = require('vscode-languageclient/node');
const { serverCommand, findExecutable } = require('./server');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.LogOutputChannel | undefined} */
let outputChannel;

async function activate(context) {
  // One channel for every client this session starts, so a restart does not
  // leave a second "yardstick" channel behind.
  outputChannel = vscode.window.createOutputChannel('yardstick', { log: true });
  context.subscriptions.push(outputChannel);
  context.subscriptions.push(
    vscode.commands.registerCommand('yardstick.restartServer', () => inTurn(restartClient)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('yardstick.server')) {
        void inTurn(restartClient);
      }
    }),
  );
  await inTurn(startClient);
}

async function deactivate() {
  await inTurn(stopClient);
}

// Starts, stops and restarts run one after another, so that two quick
// changes of the settings cannot leave two servers running.
let turns = Promise.resolve();
function inTurn(step) {
  turns = turns.then(step, step);
  return turns;
}

async function startClient() {
  const settings = vscode.workspace.getConfiguration('yardstick.server');
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const { command, args } = serverCommand(
    { path: settings.get('path'), extraArgs: settings.get('extraArgs') },
    { workspaceFolder: folder?.uri.fsPath },
  );
  const executable = findExecutable(command);
  if (executable === undefined) {
    showStartError(command, args, `\`${command}\` was not found`);
    return;
  }
  // No `transport` on purpose: with `TransportKind.stdio` the client would
  // append `--stdio` to the arguments, and `yardstick lsp` speaks over stdio
  // without being told.
  const serverOptions = { command: executable, args };
  let running = false;
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yardstick' },
      { scheme: 'untitled', language: 'yardstick' },
    ],
    outputChannel,
    // Editions changed on disk (a checkout, `yardstick fmt`) are checked again.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.std') },
    // A server that fails while starting (a yardstick without `lsp`, say)
    // gets one message from us below, not one from each of five restarts.
    errorHandler: {
      error: (_error, _message, count) => ({
        action: running && count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
        handled: !running,
      }),
      closed: () => (running ? restartUnlessCrashLooping() : { action: CloseAction.DoNotRestart, handled: true }),
    },
    initializationFailedHandler: () => false,
  };
  const starting = new LanguageClient('yardstick', 'yardstick', serverOptions, clientOptions);
  client = starting;
  try {
    await starting.start();
    running = true;
  } catch (error) {
    if (client === starting) {
      client = undefined;
    }
    showStartError(command, args, error instanceof Error ? error.message : String(error));
  }
}

// After a crash the server is restarted, at most four times in three
// minutes, as vscode-languageclient's default handler does.
const restarts = [];
function restartUnlessCrashLooping() {
  const now = Date.now();
  restarts.push(now);
  while (restarts.length > 0 && now - restarts[0] > 3 * 60 * 1000) {
    restarts.shift();
  }
  if (restarts.length <= 4) {
    return { action: CloseAction.Restart };
  }
  return {
    action: CloseAction.DoNotRestart,
    message:
      'yardstick: the language server stopped 5 times in 3 minutes and will not be restarted; ' +
      'see the "yardstick" output, then run "yardstick: Restart Language Server".',
  };
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running === undefined) {
    return;
  }
  try {
    if (running.needsStop()) {
      await running.dispose();
    }
  } catch (error) {
    outputChannel?.warn(`stopping the server: ${error instanceof Error ? error.message : error}`);
  }
}

async function restartClient() {
  await stopClient();
  restarts.length = 0;
  await startClient();
}

function showStartError(command, args, reason) {
  const openSettings = 'Open Settings';
  const message =
    `yardstick: could not start the language server \`${[command, ...args].join(' ')}\` (${reason}). ` +
    'Install yardstick (`cargo install --path .` in its repository) or set `yardstick.server.path` ' +
    'to the yardstick binary. Highlighting works without the server.';
  outputChannel?.error(message);
  void vscode.window.showErrorMessage(message, openSettings).then((choice) => {
    if (choice === openSettings) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'yardstick.server.path');
    }
  });
}

module.exports = { activate, deactivate };
