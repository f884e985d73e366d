// The client end to end under plain Node: the extension, as written and as
// bundled for the .vsix, with a stub of the `vscode` module starts a
// stand-in server the way VS Code would start `yardstick lsp`, and says so
// when the binary is missing.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { loadExtension } = require('./vscode-stub');

const unix = process.platform !== 'win32';
// A client that hangs fails its test rather than the run.
const timeout = 30_000;
const fakeServer = path.join(__dirname, 'fake-server.js');

// A folder with an executable `yardstick` that runs `script` (a shell body)
// and a log file for the fake server.
function fakeBinary(script) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'yardstick-client-'));
  const binary = path.join(folder, 'yardstick');
  fs.writeFileSync(binary, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(binary, 0o755);
  return { folder, binary, logFile: path.join(folder, 'server.log') };
}

function readLog(logFile) {
  return fs.existsSync(logFile)
    ? fs.readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    : [];
}

// Resolves once `condition()` holds, or after ten seconds.
async function waitFor(condition) {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const main of ['extension.js', 'dist/extension.js']) {
  const bundled = main.startsWith('dist/');
  const built = fs.existsSync(path.join(__dirname, '..', main));
  const skip = !built ? 'not bundled: run `npm run bundle` first' : !unix && 'the stand-in server is a shell script';

  test(`${main}: starts \`yardstick lsp\` over stdio and stops it on deactivate`, { skip, timeout }, async () => {
    const { folder, binary, logFile } = fakeBinary(`exec "${process.execPath}" "${fakeServer}" "$@"`);
    process.env.YARDSTICK_FAKE_SERVER_LOG = logFile;
    const { extension, recorded, restore } = loadExtension(main, {
      settings: { 'yardstick.server.path': binary, 'yardstick.server.extraArgs': ['--verbose'] },
      workspaceFolder: folder,
      documents: [
        { uri: `file://${folder}/2015.std`, languageId: 'yardstick', text: 'fields {\n  綠化率 percent "辦公區綠化率"\n}\n' },
        { uri: 'untitled://Untitled-1', languageId: 'yardstick', text: 'rule A1 "新規則": true\n' },
        { uri: `file://${folder}/notes.txt`, languageId: 'plaintext', text: 'not a standard' },
      ],
    });
    try {
      await extension.activate({ subscriptions: [] });
      assert.deepEqual(recorded.errorMessages, []);
      assert.ok(recorded.commands.has('yardstick.restartServer'));

      await extension.deactivate();
      // The client does not wait for the server to read `exit`.
      await waitFor(() => readLog(logFile).some((entry) => entry.method === 'exit'));
      const entries = readLog(logFile);
      // No `--stdio`: the server is started exactly as configured.
      assert.deepEqual(entries[0], { argv: ['lsp', '--verbose'] });
      assert.deepEqual(
        entries.slice(1).map((entry) => entry.method),
        ['initialize', 'initialized', 'textDocument/didOpen', 'textDocument/didOpen', 'shutdown', 'exit'],
      );
      // Both yardstick documents, saved and untitled, with their Chinese text; not the plain text.
      const opened = entries.filter((entry) => entry.method === 'textDocument/didOpen');
      assert.deepEqual(
        opened.map(({ params }) => [params.textDocument.uri, params.textDocument.languageId]),
        [
          [`file://${folder}/2015.std`, 'yardstick'],
          ['untitled://Untitled-1', 'yardstick'],
        ],
      );
      assert.match(opened[0].params.textDocument.text, /綠化率 percent "辦公區綠化率"/);
    } finally {
      restore();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test(`${main}: a missing binary is an error message that names the setting`, { skip: !built && skip, timeout }, async () => {
    const { extension, recorded, restore } = loadExtension(main, {
      settings: { 'yardstick.server.path': '/no/such/folder/yardstick' },
    });
    try {
      await extension.activate({ subscriptions: [] });
      assert.equal(recorded.errorMessages.length, 1);
      assert.match(recorded.errorMessages[0], /`\/no\/such\/folder\/yardstick lsp`/);
      assert.match(recorded.errorMessages[0], /yardstick\.server\.path/);
      await extension.deactivate();
    } finally {
      restore();
    }
  });

  test(`${main}: a binary without \`lsp\` (it exits at once) is one error message, not five restarts`, { skip, timeout }, async () => {
    const { folder, binary } = fakeBinary(`echo "error: unrecognized subcommand 'lsp'" >&2; exit 2`);
    const { extension, recorded, restore } = loadExtension(main, {
      settings: { 'yardstick.server.path': binary },
    });
    try {
      await extension.activate({ subscriptions: [] });
      // Ours, after vscode-languageclient's "couldn't create connection",
      // which it always shows.
      assert.ok(recorded.errorMessages.length <= 2, recorded.errorMessages.join('\n'));
      assert.match(recorded.errorMessages.at(-1), /could not start the language server .*yardstick\.server\.path/);
      await extension.deactivate();
    } finally {
      restore();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test(`${main}: a server that crashes is restarted, four times in three minutes at most`, { skip, timeout }, async () => {
    const { folder, binary, logFile } = fakeBinary(`exec "${process.execPath}" "${fakeServer}" "$@"`);
    process.env.YARDSTICK_FAKE_SERVER_LOG = logFile;
    process.env.YARDSTICK_FAKE_SERVER_CRASH = '1';
    const { extension, recorded, restore } = loadExtension(main, {
      settings: { 'yardstick.server.path': binary },
    });
    try {
      await extension.activate({ subscriptions: [] });
      await waitFor(() => recorded.errorMessages.length > 0);
      assert.equal(recorded.errorMessages.length, 1, recorded.errorMessages.join('\n'));
      assert.match(recorded.errorMessages[0], /stopped 5 times in 3 minutes/);
      assert.equal(readLog(logFile).filter((entry) => entry.argv).length, 5);
      await extension.deactivate();
    } finally {
      delete process.env.YARDSTICK_FAKE_SERVER_CRASH;
      restore();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test(`${main}: two restarts at once leave one server running`, { skip, timeout }, async () => {
    const { folder, binary, logFile } = fakeBinary(`exec "${process.execPath}" "${fakeServer}" "$@"`);
    process.env.YARDSTICK_FAKE_SERVER_LOG = logFile;
    const { extension, recorded, restore } = loadExtension(main, {
      settings: { 'yardstick.server.path': binary },
    });
    try {
      await extension.activate({ subscriptions: [] });
      const restart = recorded.commands.get('yardstick.restartServer');
      await Promise.all([restart(), restart()]);
      await extension.deactivate();
      await waitFor(() => readLog(logFile).filter((entry) => entry.method === 'exit').length === 3);
      const entries = readLog(logFile);
      // Three servers started (activation and two restarts), each one stopped
      // before the next started.
      assert.equal(entries.filter((entry) => entry.argv).length, 3);
      assert.deepEqual(
        entries.filter((entry) => entry.argv || entry.method === 'exit').map((entry) => (entry.argv ? 'start' : 'exit')),
        ['start', 'exit', 'start', 'exit', 'start', 'exit'],
      );
      assert.deepEqual(recorded.errorMessages, []);
    } finally {
      restore();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  if (bundled && built) {
    test('the bundle needs nothing from node_modules but `vscode`', () => {
      const bundle = fs.readFileSync(path.join(__dirname, '..', main), 'utf8');
      const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]));
      const external = [...required].filter((name) => !name.startsWith('node:') && !builtins.has(name));
      assert.deepEqual(external, ['vscode']);
    });
  }
}

const builtins = new Set(require('node:module').builtinModules);
