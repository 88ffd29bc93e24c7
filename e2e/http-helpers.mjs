// Shared helpers of the network transport checks: start `cxreports-mcp
// --transport http|sse` on a free loopback port and run a CLI asynchronously
// (so that the server's log pipe keeps draining while it runs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.CXR_BIN;
if (!BIN || !fs.existsSync(BIN)) {
  throw new Error(`CXR_BIN must name the built cxreports-mcp binary (got ${JSON.stringify(BIN)})`);
}
export const TMP_ROOT = process.env.E2E_TMP || os.tmpdir();
fs.mkdirSync(TMP_ROOT, { recursive: true });

// Starts the server with --demo on 127.0.0.1 and resolves once it logs its
// URL. Returns { url, base, proc, outDir, log(), stop() }; stop() sends
// SIGTERM and resolves with the exit code.
export async function startServer({ transport = 'http', args = [], env = {}, name = transport } = {}) {
  const outDir = fs.mkdtempSync(path.join(TMP_ROOT, `${name}-out-`));
  const proc = spawn(BIN, ['--transport', transport, '--addr', '127.0.0.1:0', '--demo', '--demo-addr', '127.0.0.1:0', ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: fs.mkdtempSync(path.join(TMP_ROOT, `${name}-home-`)),
      TZ: 'UTC',
      CXREPORTS_OUTPUT_DIR: outDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { log += `[stdout] ${d}`; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 15000);
    proc.stderr.setEncoding('utf8').on('data', (d) => {
      log += d;
      const m = /serving MCP over the network .*url=(http:\/\/127\.0\.0\.1:\d+\/(?:mcp|sse))/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  const exited = once(proc, 'exit');
  return {
    url,
    base: url.replace(/\/(mcp|sse)$/, ''),
    proc,
    outDir,
    log: () => log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const [code, signal] = await exited;
      fs.writeFileSync(path.join(TMP_ROOT, `${name}-server.stderr.log`), log);
      return { code, signal };
    },
  };
}

// Runs a command, collecting its output; resolves { status, stdout, stderr }.
export async function run(cmd, args, { env = process.env, timeoutMs = 60000 } = {}) {
  const proc = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const [status, signal] = await once(proc, 'exit');
  clearTimeout(timer);
  return { status, signal, stdout, stderr };
}

// The conformance CLI prints "Total: N passed, M failed", which CI log
// readers take for a test count; relabel such lines before showing them.
export function relabel(text) {
  return text.replace(/(\d+) passed, (\d+) failed/g, '$1 checks ok, $2 checks failing');
}

export function textOf(result, i = 0) {
  const block = result.content?.[i];
  if (!block || block.type !== 'text') throw new Error(`result has no text content[${i}]: ${JSON.stringify(result)}`);
  return block.text;
}
