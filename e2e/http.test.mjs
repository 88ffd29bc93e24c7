// End-to-end checks of the network transports with the official TypeScript
// SDK client: Streamable HTTP and legacy SSE against `cxreports-mcp
// --transport http|sse --demo`, the bearer token passed through the SDK's
// requestInit headers, per-user CxReports tokens, the Origin check, and a
// clean exit on SIGTERM. Run with `node --test` (see run.sh).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

import { startServer, textOf } from './http-helpers.mjs';

const TOOL_NAMES = ['create_preview_link', 'describe_report', 'export_pdf', 'list_report_types', 'list_reports', 'list_workspaces', 'push_temporary_data'];

function newTransport(kind, url, headers) {
  const opts = headers ? { requestInit: { headers } } : undefined;
  return kind === 'sse' ? new SSEClientTransport(new URL(url), opts) : new StreamableHTTPClientTransport(new URL(url), opts);
}

async function connect(kind, url, headers) {
  const client = new Client({ name: 'cxreports-mcp-e2e-http', version: '1.0.0' });
  const transport = newTransport(kind, url, headers);
  await client.connect(transport);
  return { client, transport };
}

for (const kind of ['http', 'sse']) {
  describe(`TS SDK client over ${kind === 'http' ? 'Streamable HTTP' : 'legacy SSE'} (--demo)`, () => {
    let server;
    let client;
    let transport;

    before(async () => {
      server = await startServer({ transport: kind });
      ({ client, transport } = await connect(kind, server.url));
    });

    after(async () => {
      await client?.close();
      const { code } = (await server?.stop()) ?? {};
      assert.equal(code, 0, 'the server exits 0 on SIGTERM');
    });

    it('initialize, ping, tools/list', async () => {
      assert.equal(client.getServerVersion()?.name, 'cxreports-mcp');
      if (kind === 'http') assert.equal(transport.protocolVersion, '2025-11-25');
      assert.deepEqual(await client.ping(), {});
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), TOOL_NAMES);
      for (const t of tools) assert.equal(t.inputSchema.type, 'object', t.name);
    });

    it('list_workspaces and list_reports', async () => {
      let r = await client.callTool({ name: 'list_workspaces', arguments: {} });
      assert.ok(textOf(r).startsWith('3 workspaces (id, code, name):\n- 1 demo "Demo" (default)'), textOf(r));
      r = await client.callTool({ name: 'list_reports', arguments: { limit: 2 } });
      assert.equal(textOf(r), 'Reports 1–2 in workspace demo (id, name, type code and name):\n'
        + '- 1627 "Invoice", invoice "Invoice" (default)\n'
        + '- 1628 "Bank Account Statement", bank-statement "Bank statement" (default)\n'
        + 'More reports follow: call again with offset 2.');
      assert.equal(r.structuredContent.next_offset, 2);
    });

    it('push_temporary_data, then export_pdf with it', async () => {
      const pushed = await client.callTool({ name: 'push_temporary_data', arguments: { content: { account: { number: '987654321' } } } });
      const id = /temp_data_id (\d+)/.exec(textOf(pushed))?.[1];
      assert.ok(id, textOf(pushed));
      const r = await client.callTool({ name: 'export_pdf', arguments: { report_type: 'bank-statement', temp_data_id: Number(id) } });
      assert.notEqual(r.isError, true, JSON.stringify(r.content));
      const file = /^Path: (.+)$/m.exec(textOf(r))?.[1];
      assert.equal(path.dirname(file), server.outDir);
      assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
      assert.equal(r.content[1].type, 'resource_link');
    });

    it('create_preview_link', async () => {
      const r = await client.callTool({ name: 'create_preview_link', arguments: { report_id: 1628 } });
      assert.match(textOf(r), /http:\/\/127\.0\.0\.1:\d+\/ws\/demo\/reports\/1628\/preview\?\S*nonce=/);
    });

    it('a 3 MB message', async () => {
      const blob = '0123456789'.repeat(300000);
      const r = await client.callTool({ name: 'push_temporary_data', arguments: { content: { blob } } });
      assert.notEqual(r.isError, true, textOf(r));
      assert.match(textOf(r), /^Stored the data in workspace demo as temp_data_id \d+/);
    });

    it('tool errors are results; an unknown tool is -32602', async () => {
      const r = await client.callTool({ name: 'export_pdf', arguments: {} });
      assert.equal(r.isError, true);
      await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), (err) => err instanceof McpError && err.code === -32602);
    });

    if (kind === 'http') {
      it('DELETE ends the session; its id then answers 404', async () => {
        const id = transport.sessionId;
        assert.match(id, /^mcp-session-[A-Z2-7]{26}$/);
        await transport.terminateSession();
        const res = await fetch(server.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': id },
          body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }),
        });
        assert.equal(res.status, 404, await res.text());
      });
    }
  });
}

describe('security over the network', () => {
  const SECRET = 'e2e-bearer-secret-4d1c';
  let servers = [];

  after(async () => {
    for (const s of servers) await s.stop();
  });

  for (const kind of ['http', 'sse']) {
    it(`${kind}: a bearer token is required when set; the SDK sends it via requestInit`, async () => {
      const server = await startServer({ transport: kind, env: { CXREPORTS_MCP_AUTH_TOKEN: SECRET }, name: `${kind}-auth` });
      servers.push(server);
      await assert.rejects(connect(kind, server.url), /401|Unauthorized/i);
      await assert.rejects(connect(kind, server.url, { Authorization: 'Bearer wrong' }), /401|Unauthorized/i);
      const { client } = await connect(kind, server.url, { Authorization: `Bearer ${SECRET}` });
      const r = await client.callTool({ name: 'list_reports', arguments: { limit: 1 } });
      assert.notEqual(r.isError, true, textOf(r));
      await client.close();
      assert.ok(!server.log().includes(SECRET), 'the bearer token is in the log');
    });
  }

  it('http: without the token, 401 with WWW-Authenticate; /healthz stays open', async () => {
    const server = servers.find((s) => s.url.endsWith('/mcp'));
    const res = await fetch(server.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="cxreports-mcp"');
    const health = await fetch(`${server.base}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
  });

  it('a browser request from a foreign Origin gets 403', async () => {
    const server = await startServer({ name: 'origin' });
    servers.push(server);
    const init = (origin) => fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Origin: origin },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
    });
    const evil = await init('https://evil.example');
    assert.equal(evil.status, 403);
    assert.match((await evil.json()).error.message, /^Forbidden: Origin "https:\/\/evil\.example" is not allowed/);
    const own = await init(server.base);
    assert.equal(own.status, 200, await own.text());
    assert.equal(own.headers.get('access-control-allow-origin'), server.base);
  });

  it('each user acts with their own CxReports token (X-CxReports-Token)', async () => {
    const server = await startServer({ args: ['--require-user-token'], name: 'user-token' });
    servers.push(server);
    await assert.rejects(connect('http', server.url), /401|Unauthorized/i);
    const { client: limited } = await connect('http', server.url, { 'X-CxReports-Token': 'sandbox-limited-token' });
    const r = await limited.callTool({ name: 'list_workspaces', arguments: {} });
    assert.notEqual(r.isError, true, textOf(r));
    assert.match(textOf(r), /\(id, code, name\):\n- 26 finance "Finance"$/);
    const denied = await limited.callTool({ name: 'list_reports', arguments: { workspace: 'demo' } });
    assert.equal(denied.isError, true, textOf(denied));
    await limited.close();
  });

  it('binding 0.0.0.0 without a token is refused with a clear message', async () => {
    await assert.rejects(
      startServer({ args: ['--addr', '0.0.0.0:0'], name: 'open-bind' }),
      /refusing to listen on 0\.0\.0\.0:0 without an access token.*--auth-token/s,
    );
  });
});
