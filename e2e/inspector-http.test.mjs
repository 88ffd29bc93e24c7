// The MCP Inspector CLI over the network transports: Streamable HTTP and
// legacy SSE, with and without the bearer token. Run with `node --test`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { TMP_ROOT, run, startServer } from './http-helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN_DIR = path.join(HERE, 'node_modules', '.bin');
const INSPECTOR = path.join(BIN_DIR, 'mcp-inspector');
const env = {
  ...process.env,
  PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH}`,
  HOME: fs.mkdtempSync(path.join(TMP_ROOT, 'inspector-http-home-')),
  MCP_INSPECTOR_SECRET_STORE: 'memory',
  NO_COLOR: '1',
};

async function inspector(args) {
  const all = ['--cli', '--stored-auth-only', '-q', ...args, '--format', 'json'];
  const r = await run(INSPECTOR, all, { env, timeoutMs: 30000 });
  const ctx = `mcp-inspector ${all.join(' ')}\nexit=${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  let json;
  if (r.stdout.trim()) {
    try { json = JSON.parse(r.stdout.trim()); } catch (e) { assert.fail(`stdout is not one JSON object (${e.message})\n${ctx}`); }
  }
  return { status: r.status, json, ctx };
}

const SECRET = 'inspector-bearer-9a7e';

for (const kind of ['http', 'sse']) {
  describe(`MCP Inspector CLI over ${kind === 'http' ? 'Streamable HTTP' : 'legacy SSE'}`, () => {
    let server;
    let authServer;

    before(async () => {
      server = await startServer({ transport: kind, name: `inspector-${kind}` });
      authServer = await startServer({ transport: kind, env: { CXREPORTS_MCP_AUTH_TOKEN: SECRET }, name: `inspector-${kind}-auth` });
    });

    after(async () => {
      assert.equal((await server?.stop())?.code, 0);
      assert.equal((await authServer?.stop())?.code, 0);
    });

    it('tools/list --strict: seven tools, exit 0', async () => {
      const r = await inspector([server.url, '--transport', kind, '--method', 'tools/list', '--strict']);
      assert.equal(r.status, 0, r.ctx);
      assert.equal(r.json?.result?.tools?.length, 7, r.ctx);
    });

    it('tools/call list_reports {"limit":3}: exit 0 with exact ids', async () => {
      const r = await inspector([server.url, '--transport', kind, '--method', 'tools/call', '--tool-name', 'list_reports', '--tool-args-json', '{"limit":3}']);
      assert.equal(r.status, 0, r.ctx);
      assert.deepEqual(r.json.result.structuredContent.reports.map((x) => x.id), [1627, 1628, 1629]);
    });

    it('tools/call export_pdf {}: isError → exit 5', async () => {
      const r = await inspector([server.url, '--transport', kind, '--method', 'tools/call', '--tool-name', 'export_pdf', '--tool-args-json', '{}']);
      assert.equal(r.status, 5, r.ctx);
    });

    it('bearer token: refused without (exit 3), works with --header', async () => {
      const without = await inspector([authServer.url, '--transport', kind, '--method', 'tools/list']);
      assert.equal(without.status, 3, without.ctx);
      const withToken = await inspector([authServer.url, '--transport', kind, '--header', `Authorization: Bearer ${SECRET}`, '--method', 'tools/list']);
      assert.equal(withToken.status, 0, withToken.ctx);
      assert.equal(withToken.json?.result?.tools?.length, 7, withToken.ctx);
    });
  });
}
