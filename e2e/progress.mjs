// Measures, with the official TypeScript SDK client, how many calls of a
// slow background export see at least one notifications/progress before
// their result. The SDK drops progress that arrives after the result, so
// "before the result" is what a user can ever see.
//
// Usage (from e2e/, with Node 22 from node_modules/.bin first on PATH and
// CXR_BIN naming a built cxreports-mcp):
//
//   node progress.mjs stdio [--calls 20] [--concurrency 1]
//       Starts `cxreports-mcp sandbox --async-delay 2s` and the server over
//       stdio against it, then measures.
//   node progress.mjs http http://127.0.0.1:PORT/mcp [--calls 20] [--concurrency 1]
//   node progress.mjs sse  http://127.0.0.1:PORT/sse [...]
//       Measures a server that is already running. Start it against a
//       sandbox whose exports take 2 s, on the same machine (the check reads
//       the saved files), e.g.:
//         $CXR_BIN sandbox --addr 127.0.0.1:18089 --async-delay 2s &
//         CXREPORTS_URL=http://127.0.0.1:18089 CXREPORTS_TOKEN=sandbox-token \
//           CXREPORTS_WORKSPACE=demo $CXR_BIN --transport http … &
//
// Each call is export_pdf {"report_id":1627,"async":true}; it must return a
// saved PDF. The last line printed is a JSON summary.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

export const EXPORT_ARGS = { report_id: 1627, async: true };

// startSandbox runs `cxreports-mcp sandbox` on a free loopback port with the
// given export delay and resolves with its URL.
export async function startSandbox(bin, { asyncDelay = '2s', env = {} } = {}) {
  const proc = spawn(bin, ['sandbox', '--addr', '127.0.0.1:0', '--async-delay', asyncDelay], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${log}`)), 10000);
    const onData = (d) => {
      log += d;
      for (const hit of log.matchAll(/url=(http:\/\/127\.0\.0\.1:(\d+))/g)) {
        if (hit[2] !== '0') { clearTimeout(timer); resolve(hit[1]); return; }
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox exited ${code}:\n${log}`)); });
  });
  return { proc, url };
}

// connect returns a connected client for the transport, and what to close.
async function connect({ transport, url, bin, tmp }) {
  const client = new Client({ name: 'cxreports-mcp-progress', version: '1.0.0' });
  const late = { count: 0 };
  // Progress for a call whose result has arrived has no handler left; the
  // SDK reports it here.
  client.onerror = (err) => {
    if (/unknown token/i.test(String(err?.message))) late.count++;
  };
  const closers = [];
  let t;
  if (transport === 'stdio') {
    const sandbox = await startSandbox(bin);
    closers.push(() => sandbox.proc.kill('SIGTERM'));
    const outDir = fs.mkdtempSync(path.join(tmp, 'progress-out-'));
    t = new StdioClientTransport({
      command: bin,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: fs.mkdtempSync(path.join(tmp, 'progress-home-')),
        CXREPORTS_URL: sandbox.url,
        CXREPORTS_TOKEN: 'sandbox-token',
        CXREPORTS_WORKSPACE: 'demo',
        CXREPORTS_OUTPUT_DIR: outDir,
      },
      stderr: 'ignore',
    });
  } else if (transport === 'http') {
    t = new StreamableHTTPClientTransport(new URL(url));
  } else if (transport === 'sse') {
    t = new SSEClientTransport(new URL(url));
  } else {
    throw new Error(`unknown transport ${JSON.stringify(transport)}: use stdio, http or sse`);
  }
  await client.connect(t);
  closers.unshift(() => client.close());
  return { client, late, close: async () => { for (const c of closers) await c(); } };
}

// oneCall runs one export and reports what it saw.
async function oneCall(client) {
  const progress = [];
  const started = Date.now();
  const res = await client.callTool({ name: 'export_pdf', arguments: EXPORT_ARGS }, undefined, {
    onprogress: (p) => progress.push(p.progress),
    timeout: 60000,
  });
  const seenBeforeResult = progress.length; // the handler is gone once the result is in
  const text = res.content?.[0]?.text ?? '';
  const file = /^Path: (.*)$/m.exec(text)?.[1];
  let document = false;
  if (res.isError !== true && text.startsWith('Saved ') && file && fs.existsSync(file)) {
    const head = Buffer.alloc(5);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, 5, 0);
    fs.closeSync(fd);
    document = head.toString('latin1') === '%PDF-';
  }
  const increasing = progress.every((p, i) => i === 0 || p > progress[i - 1]);
  return { seenBeforeResult, increasing, document, ms: Date.now() - started, text: document ? undefined : text };
}

// measure makes `calls` export calls, `concurrency` at a time, and
// summarises them.
export async function measure({ transport, url, calls = 20, concurrency = 1, bin = process.env.CXR_BIN, tmp = os.tmpdir() }) {
  if (transport === 'stdio' && (!bin || !fs.existsSync(bin))) {
    throw new Error(`CXR_BIN must name the built cxreports-mcp binary (got ${JSON.stringify(bin)})`);
  }
  const conn = await connect({ transport, url, bin, tmp });
  const started = Date.now();
  const results = [];
  try {
    let next = 0;
    const worker = async () => {
      while (next < calls) {
        next++;
        results.push(await oneCall(conn.client));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  } finally {
    await conn.close();
  }
  const counts = results.map((r) => r.seenBeforeResult);
  return {
    transport,
    calls: results.length,
    sawProgressFirst: results.filter((r) => r.seenBeforeResult > 0).length,
    documents: results.filter((r) => r.document).length,
    progressIncreasing: results.every((r) => r.increasing),
    progressBeforeResult: { min: Math.min(...counts), max: Math.max(...counts) },
    lateNotifications: conn.late.count,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    failures: results.filter((r) => !r.document).map((r) => r.text),
  };
}

function parseArgs(argv) {
  const opts = { transport: argv[0], calls: 20, concurrency: 1 };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--calls') opts.calls = Number(argv[++i]);
    else if (a === '--concurrency') opts.concurrency = Number(argv[++i]);
    else if (!opts.url && !a.startsWith('--')) opts.url = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!['stdio', 'http', 'sse'].includes(opts.transport) || (opts.transport !== 'stdio' && !opts.url)) {
    throw new Error('usage: node progress.mjs stdio | http URL | sse URL [--calls N] [--concurrency N]');
  }
  return opts;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const tmp = fs.mkdtempSync(path.join(process.env.E2E_TMP || os.tmpdir(), 'progress-'));
    const s = await measure({ ...opts, tmp });
    console.log(`${s.transport}: ${s.sawProgressFirst}/${s.calls} calls saw at least one progress notification before the result; ` +
      `${s.documents}/${s.calls} returned the document; progress before the result per call ${s.progressBeforeResult.min}–${s.progressBeforeResult.max}, ` +
      `late notifications ${s.lateNotifications}, ${s.seconds} s`);
    console.log(JSON.stringify(s));
    process.exit(s.documents === s.calls ? 0 : 1);
  } catch (err) {
    console.error(String(err?.stack ?? err));
    process.exit(2);
  }
}
