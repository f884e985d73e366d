// How the extension finds and starts `yardstick lsp` (server.js).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { serverCommand, findExecutable } = require('../server');

test('the defaults start `yardstick lsp`', () => {
  assert.deepEqual(serverCommand({}), { command: 'yardstick', args: ['lsp'] });
  assert.deepEqual(serverCommand({ path: '  ', extraArgs: [] }), {
    command: 'yardstick',
    args: ['lsp'],
  });
});

test('extra arguments follow `lsp`, and only strings are passed', () => {
  assert.deepEqual(serverCommand({ path: 'yardstick', extraArgs: ['--log', 'debug', 3] }), {
    command: 'yardstick',
    args: ['lsp', '--log', 'debug'],
  });
  assert.deepEqual(serverCommand({ extraArgs: 'not a list' }).args, ['lsp']);
});

test('`~` is the home folder and a relative path is the workspace folder’s', () => {
  const home = path.join(path.sep, 'home', '測試');
  assert.equal(
    serverCommand({ path: '~/.cargo/bin/yardstick' }, { homedir: home }).command,
    path.join(home, '.cargo', 'bin', 'yardstick'),
  );
  const folder = path.join(path.sep, 'work', '標準');
  assert.equal(
    serverCommand({ path: 'target/debug/yardstick' }, { workspaceFolder: folder }).command,
    path.join(folder, 'target', 'debug', 'yardstick'),
  );
  // A bare name is left for PATH, and an absolute path as it is.
  assert.equal(serverCommand({ path: 'yardstick' }, { workspaceFolder: folder }).command, 'yardstick');
  assert.equal(serverCommand({ path: '/opt/yardstick' }, { workspaceFolder: folder }).command, '/opt/yardstick');
});

test('an executable is found on PATH, a missing one is not', { skip: process.platform === 'win32' }, () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'yardstick-path-'));
  try {
    const binary = path.join(directory, 'yardstick');
    fs.writeFileSync(binary, '#!/bin/sh\n');
    fs.chmodSync(binary, 0o755);
    const plain = path.join(directory, 'not-executable');
    fs.writeFileSync(plain, '');
    fs.chmodSync(plain, 0o644);
    const env = { PATH: ['', path.join(directory, 'absent'), directory].join(':') };

    assert.equal(findExecutable('yardstick', { env }), binary);
    assert.equal(findExecutable(binary, { env: {} }), binary);
    assert.equal(findExecutable('no-such-yardstick', { env }), undefined);
    assert.equal(findExecutable('not-executable', { env }), undefined);
    assert.equal(findExecutable(directory, { env }), undefined);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

test('on Windows PATHEXT completes the name', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'yardstick-win-'));
  try {
    const binary = path.join(directory, 'yardstick.EXE');
    fs.writeFileSync(binary, '');
    const env = { Path: directory, PATHEXT: '.COM;.EXE' };
    assert.equal(findExecutable('yardstick', { env, platform: 'win32' }), binary);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
