// Where the language server is and how it is started: `yardstick lsp`, from
// the settings `yardstick.server.path` and `yardstick.server.extraArgs`.
//
// Nothing here imports `vscode`, so the unit tests run under plain Node.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

// The command and arguments that start the server. `settings` holds the
// values of `yardstick.server.path` and `yardstick.server.extraArgs`;
// `workspaceFolder` is the folder a relative path is resolved against.
function serverCommand(settings, { workspaceFolder, homedir = os.homedir() } = {}) {
  const configured = typeof settings.path === 'string' ? settings.path.trim() : '';
  let command = configured === '' ? 'yardstick' : configured;
  if (command === '~' || command.startsWith('~/') || command.startsWith('~\\')) {
    command = path.join(homedir, command.slice(1));
  } else if (isPath(command) && !path.isAbsolute(command) && workspaceFolder) {
    command = path.resolve(workspaceFolder, command);
  }
  const extraArgs = Array.isArray(settings.extraArgs)
    ? settings.extraArgs.filter((arg) => typeof arg === 'string')
    : [];
  return { command, args: ['lsp', ...extraArgs] };
}

// Whether `command` names a file by its path rather than a program on PATH.
function isPath(command, platform = process.platform) {
  return command.includes('/') || (platform === 'win32' && command.includes('\\'));
}

// The file that `command` starts: itself when it is a path, else the first
// match on PATH (with PATHEXT on Windows), as the operating system would
// find it. Undefined when there is none, so the extension can say so
// instead of letting the start fail with a bare `spawn ENOENT`.
function findExecutable(command, { env = process.env, platform = process.platform } = {}) {
  const extensions =
    platform === 'win32'
      ? ['', ...(env.PATHEXT || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)]
      : [''];
  const candidates = (base) => extensions.map((extension) => base + extension);
  if (isPath(command, platform)) {
    return candidates(command).find((file) => isExecutableFile(file, platform));
  }
  const searchPath = env.PATH ?? env.Path ?? '';
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const directory of searchPath.split(delimiter)) {
    if (directory === '') {
      continue;
    }
    const found = candidates(path.join(directory, command)).find((file) =>
      isExecutableFile(file, platform),
    );
    if (found) {
      return found;
    }
  }
  return undefined;
}

function isExecutableFile(file, platform) {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

module.exports = { serverCommand, findExecutable };
