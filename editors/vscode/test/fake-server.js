// A stand-in for `yardstick lsp`: answers `initialize` and `shutdown` over
// stdio and writes its arguments and every method it was sent, one JSON
// line each, to the file named by YARDSTICK_FAKE_SERVER_LOG. With
// YARDSTICK_FAKE_SERVER_CRASH=1 it exits with an error once initialized.
'use strict';

const fs = require('node:fs');

const log = (entry) => fs.appendFileSync(process.env.YARDSTICK_FAKE_SERVER_LOG, JSON.stringify(entry) + '\n');
log({ argv: process.argv.slice(2) });

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
    buffer = buffer.subarray(headerEnd + 4 + length);
    log({ method: message.method, params: message.method === 'textDocument/didOpen' ? message.params : undefined });
    if (message.method === 'initialize') {
      send({ id: message.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: 'fake yardstick' } } });
    } else if (message.method === 'initialized' && process.env.YARDSTICK_FAKE_SERVER_CRASH === '1') {
      process.exit(1);
    } else if (message.method === 'shutdown') {
      send({ id: message.id, result: null });
    } else if (message.method === 'exit') {
      process.exit(0);
    }
  }
});
