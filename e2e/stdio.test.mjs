// End-to-end checks of cxreports-mcp over stdio with the official TypeScript
// SDK client, plus a raw JSON-RPC run that checks stdout framing and that the
// CxReports token never leaks. Run with `node --test` (see run.sh); needs
// CXR_BIN = path of a built cxreports-mcp binary.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { pathToFileURL } from 'node:url';

const BIN = process.env.CXR_BIN;
if (!BIN || !fs.existsSync(BIN)) {
  throw new Error(`CXR_BIN must name the built cxreports-mcp binary (got ${JSON.stringify(BIN)})`);
}
const TMP_ROOT = process.env.E2E_TMP || os.tmpdir();
fs.mkdirSync(TMP_ROOT, { recursive: true });

const TOOL_NAMES = [
  'create_preview_link',
  'describe_report',
  'export_pdf',
  'list_report_types',
  'list_reports',
  'list_workspaces',
  'push_temporary_data',
];
const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'];

const HAVE_PDFTOTEXT = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;

function pdfText(file) {
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext ${file} failed: ${r.stderr}`);
  return r.stdout;
}

// Environment for a server child: explicit, never inherited wholesale.
function childEnv(extra) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: fs.mkdtempSync(path.join(TMP_ROOT, 'home-')),
    TZ: 'UTC',
    ...extra,
  };
}

async function loadAjv() {
  try {
    const { Ajv } = await import('ajv');
    const ajv = new Ajv({ strict: true, allErrors: true });
    try {
      const addFormats = (await import('ajv-formats')).default;
      addFormats(ajv);
    } catch {
      ajv.opts.validateFormats = false;
    }
    return ajv;
  } catch {
    return null; // the SDK did not bring Ajv along: skip compiling
  }
}

function textOf(result, i = 0) {
  const block = result.content?.[i];
  assert.ok(block, `result has no content[${i}]: ${JSON.stringify(result)}`);
  assert.equal(block.type, 'text');
  return block.text;
}

describe('TS SDK client over stdio (--demo)', () => {
  let client;
  let transport;
  let outDir;
  let stderr = '';
  const results = {};
  const transportErrors = []; // e.g. a stdout line that is not JSON-RPC; the SDK skips it and reports it here

  before(async () => {
    outDir = fs.mkdtempSync(path.join(TMP_ROOT, 'out-'));
    transport = new StdioClientTransport({
      command: BIN,
      args: ['--demo', '--demo-addr', '127.0.0.1:0'],
      env: childEnv({ CXREPORTS_OUTPUT_DIR: outDir }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => { stderr += d; });
    client = new Client({ name: 'cxreports-mcp-e2e', version: '1.0.0' });
    client.onerror = (err) => { transportErrors.push(err); };
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    fs.writeFileSync(path.join(TMP_ROOT, 'sdk-demo-server.stderr.log'), stderr);
  });

  it('initialize: serverInfo and instructions', () => {
    const info = client.getServerVersion();
    assert.equal(info?.name, 'cxreports-mcp');
    assert.equal(typeof info?.version, 'string');
    const instructions = client.getInstructions();
    assert.equal(typeof instructions, 'string');
    assert.match(instructions, /export_pdf/);
    assert.ok(client.getServerCapabilities()?.tools, 'tools capability declared');
  });

  it('ping', async () => {
    assert.deepEqual(await client.ping(), {});
  });

  it('prompts/list and prompts/get (what the conformance scenario prompts-list checks, and more)', async () => {
    assert.ok(client.getServerCapabilities()?.prompts, 'prompts capability declared');
    const { prompts } = await client.listPrompts();
    assert.ok(Array.isArray(prompts));
    for (const p of prompts) {
      assert.ok(p.name, 'prompt name');
      assert.ok(p.description, `prompt ${p.name}: description`);
    }
    assert.deepEqual(prompts.map((p) => p.name), ['export_report', 'integrate_cxreports', 'share_report_preview']);
    const r = await client.getPrompt({ name: 'export_report', arguments: { report: 'invoice' } });
    assert.equal(r.messages.length, 1);
    assert.equal(r.messages[0].role, 'user');
    assert.match(r.messages[0].content.text, /Report: invoice/);
    assert.match(r.messages[0].content.text, /Workspace: the default workspace \(demo\)/);
  });

  it('completion/complete (what the conformance scenario completion-complete checks, and more)', async () => {
    assert.ok(client.getServerCapabilities()?.completions, 'completions capability declared');
    // The conformance scenario asks about a prompt this server does not have.
    const unknown = await client.complete({ ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'test' } });
    assert.deepEqual(unknown.completion.values, []);
    const ws = await client.complete({ ref: { type: 'ref/prompt', name: 'export_report' }, argument: { name: 'workspace', value: 'fi' } });
    assert.deepEqual(ws.completion.values, ['finance']);
    const types = await client.complete({
      ref: { type: 'ref/prompt', name: 'export_report' },
      argument: { name: 'report', value: 'inv' },
      context: { arguments: { workspace: 'master' } },
    });
    assert.deepEqual(types.completion.values, ['invoice']);
  });

  it('tools/list: every tool, with portable, compilable schemas and annotations', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOL_NAMES);
    const ajv = await loadAjv();
    for (const t of tools) {
      const where = `tool ${t.name}`;
      assert.ok(t.description && t.description.length > 10, `${where}: description`);
      for (const [kind, schema] of [['inputSchema', t.inputSchema], ['outputSchema', t.outputSchema]]) {
        if (schema === undefined && kind === 'outputSchema') continue;
        assert.equal(schema.type, 'object', `${where}: ${kind}.type`);
        assert.ok(schema.properties && typeof schema.properties === 'object' && !Array.isArray(schema.properties),
          `${where}: ${kind}.properties is an object`);
        if ('required' in schema) {
          assert.ok(Array.isArray(schema.required), `${where}: ${kind}.required is an array`);
          for (const r of schema.required) assert.equal(typeof r, 'string', `${where}: ${kind}.required member`);
        }
        if (ajv) {
          assert.doesNotThrow(() => ajv.compile(schema), `${where}: ${kind} compiles with Ajv`);
        }
      }
      assert.ok(t.annotations, `${where}: annotations`);
      for (const h of HINTS) assert.equal(typeof t.annotations[h], 'boolean', `${where}: annotations.${h}`);
    }
    if (!ajv) console.log('# Ajv not available: schema compile skipped');
    results.tools = tools;
  });

  it('list_workspaces', async () => {
    const r = await client.callTool({ name: 'list_workspaces', arguments: {} });
    assert.notEqual(r.isError, true);
    assert.ok(textOf(r).includes('1 demo "Demo" (default)'), textOf(r));
    assert.equal(r.structuredContent?.workspaces?.length, 3);
  });

  it('list_report_types', async () => {
    const r = await client.callTool({ name: 'list_report_types', arguments: {} });
    assert.notEqual(r.isError, true);
    assert.ok(textOf(r).includes('invoice "Invoice", default report 1627'), textOf(r));
    const inv = r.structuredContent?.report_types?.find((t) => t.code === 'invoice');
    assert.equal(inv?.default_report_id, 1627);
  });

  it('list_reports with limit 2', async () => {
    const r = await client.callTool({ name: 'list_reports', arguments: { limit: 2 } });
    assert.notEqual(r.isError, true);
    const text = textOf(r);
    assert.ok(text.includes('1627 "Invoice"'), text);
    assert.ok(text.includes('1628 "Bank Account Statement"'), text);
    assert.match(text, /offset 2/);
    assert.equal(r.structuredContent?.reports?.length, 2);
    assert.equal(r.structuredContent?.next_offset, 2);
  });

  it('describe_report: the report hints of --demo, by report name', async () => {
    const r = await client.callTool({ name: 'describe_report', arguments: { report_name: 'Bank Account Statement' } });
    assert.notEqual(r.isError, true, textOf(r));
    assert.ok(textOf(r).includes('- dateFrom (string): First day of the statement'), textOf(r));
    assert.equal(r.structuredContent?.id, 1628);
    assert.equal(r.structuredContent?.hints?.params?.[1]?.name, 'dateTo');
  });

  it('structuredContent matches the declared outputSchema', async () => {
    const ajv = await loadAjv();
    if (!ajv) return;
    const tools = results.tools ?? (await client.listTools()).tools;
    const args = { describe_report: { report_name: 'march invoice' } };
    for (const t of tools.filter((x) => x.outputSchema)) {
      const r = await client.callTool({ name: t.name, arguments: args[t.name] ?? {} });
      assert.notEqual(r.isError, true, `${t.name}: ${JSON.stringify(r.content)}`);
      const validate = ajv.compile(t.outputSchema);
      assert.ok(validate(r.structuredContent), `${t.name}: ${ajv.errorsText(validate.errors)}`);
      // the same data as a text block is there for clients that ignore structuredContent
      assert.ok(r.content.some((c) => c.type === 'text'), `${t.name}: text block`);
    }
  });

  it('export_pdf invoice with params writes the PDF and a resource_link', async () => {
    const r = await client.callTool({
      name: 'export_pdf',
      arguments: { report_type: 'invoice', params: { month: '2026-03' } },
    });
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    const file = path.join(outDir, 'Invoice.pdf');
    assert.ok(textOf(r).includes(file), textOf(r));
    assert.ok(fs.existsSync(file), `${file} exists`);
    assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
    if (HAVE_PDFTOTEXT) assert.match(pdfText(file), /2026-03/);
    assert.equal(r.content[1]?.type, 'resource_link');
    assert.equal(r.content[1].uri, 'cxreports://exports/Invoice.pdf');
    assert.equal(r.content[1].mimeType, 'application/pdf');
    assert.ok(!r.content.some((c) => c.type === 'image'), 'never an image block for a PDF');
  });

  it('export_pdf include_text:true adds the text of each page last', async () => {
    const r = await client.callTool({
      name: 'export_pdf',
      arguments: { report_type: 'invoice', params: { month: '2026-03' }, include_text: true },
    });
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    assert.equal(r.content[1]?.type, 'resource_link');
    const text = textOf(r, r.content.length - 1);
    assert.match(text, /^Text of Invoice(-\d+)?\.pdf \(3 pages\):\n--- Page 1 ---\nInvoice\n/);
    assert.ok(text.includes('month = "2026-03"'), text);
    assert.ok(text.includes('--- Page 3 ---'), text);
  });

  it('export_pdf embed:true adds a base64 PDF resource after text and link', async () => {
    const r = await client.callTool({ name: 'export_pdf', arguments: { report_type: 'invoice', embed: true } });
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    assert.deepEqual(r.content.map((c) => c.type), ['text', 'resource_link', 'resource']);
    const res = r.content[2].resource;
    assert.equal(res.mimeType, 'application/pdf');
    assert.match(res.uri, /^cxreports:\/\/exports\/Invoice.*\.pdf$/);
    assert.equal(Buffer.from(res.blob, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
  });

  it('push_temporary_data, then export_pdf bank-statement with temp_data_id', async () => {
    const account = '987654321';
    const pushed = await client.callTool({
      name: 'push_temporary_data',
      arguments: { content: { account: { number: account } } },
    });
    assert.notEqual(pushed.isError, true, JSON.stringify(pushed.content));
    const m = /temp_data_id (\d+)/.exec(textOf(pushed));
    assert.ok(m, textOf(pushed));
    const id = Number(m[1]);
    assert.ok(id > 0);

    const r = await client.callTool({
      name: 'export_pdf',
      arguments: { report_type: 'bank-statement', temp_data_id: id },
    });
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    const pathLine = /^Path: (.+)$/m.exec(textOf(r));
    assert.ok(pathLine, textOf(r));
    const file = pathLine[1];
    assert.equal(path.dirname(file), outDir);
    assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
    if (HAVE_PDFTOTEXT) assert.ok(pdfText(file).includes(account), 'pushed account number in the PDF');
  });

  it('create_preview_link opens once', async () => {
    const r = await client.callTool({ name: 'create_preview_link', arguments: { report_id: 1628 } });
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    const m = /http:\/\/127\.0\.0\.1:\d+\/\S*preview\S*nonce=\S+/.exec(textOf(r));
    assert.ok(m, textOf(r));
    const url = m[0];
    assert.match(url, /\/ws\/demo\/reports\/1628\/preview\?/);
    const first = await fetch(url, { redirect: 'manual' });
    const html = await first.text();
    assert.equal(first.status, 200);
    assert.ok(html.includes('Bank Account Statement'), html.slice(0, 300));
    const second = await fetch(url, { redirect: 'manual' });
    await second.arrayBuffer();
    assert.equal(second.status, 401);
  });

  it('export_pdf {} is a tool error, not a protocol error', async () => {
    const r = await client.callTool({ name: 'export_pdf', arguments: {} });
    assert.equal(r.isError, true);
    assert.ok(textOf(r).startsWith('A report is required'), textOf(r));
  });

  it('unknown tool is JSON-RPC error -32602', async () => {
    await assert.rejects(
      client.callTool({ name: 'no_such_tool', arguments: {} }),
      (err) => {
        assert.ok(err instanceof McpError, `McpError, got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.code, -32602);
        return true;
      },
    );
  });

  it('still answers ping after the error paths', async () => {
    assert.deepEqual(await client.ping(), {});
  });

  it('the client saw no transport errors (every stdout line parsed)', () => {
    assert.deepEqual(transportErrors.map((e) => String(e?.message ?? e)), []);
  });
});

describe('TS SDK client with roots: exports land in the project folder and are resources', () => {
  let client;
  let outDir;
  let project;
  let rootsAsked = 0;
  let stderr = '';

  before(async () => {
    outDir = fs.mkdtempSync(path.join(TMP_ROOT, 'out-'));
    project = fs.mkdtempSync(path.join(TMP_ROOT, 'project-'));
    const transport = new StdioClientTransport({
      command: BIN,
      args: ['--demo', '--demo-addr', '127.0.0.1:0'],
      env: childEnv({ CXREPORTS_OUTPUT_DIR: outDir }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => { stderr += d; });
    client = new Client({ name: 'cxreports-mcp-e2e-roots', version: '1.0.0' }, { capabilities: { roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      rootsAsked++;
      return { roots: [{ uri: pathToFileURL(project).href, name: 'project' }] };
    });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    fs.writeFileSync(path.join(TMP_ROOT, 'sdk-roots-server.stderr.log'), stderr);
  });

  it('export_pdf saves under the first root and says so', async () => {
    const r = await client.callTool({ name: 'export_pdf', arguments: { report_id: 1627 } });
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    const file = path.join(project, 'Invoice.pdf');
    assert.ok(fs.existsSync(file), `${file} exists`);
    assert.match(textOf(r), /\nSaved in the client's project folder \(its first MCP root\)\.$/);
    assert.equal(rootsAsked, 1);
    assert.ok(!fs.existsSync(path.join(outDir, 'Invoice.pdf')), 'nothing in the output folder');
  });

  it('resources/list and resources/templates/list', async () => {
    const { resources } = await client.listResources();
    assert.deepEqual(resources.map((r) => r.uri), [
      'cxreports://workspaces/demo/report-types',
      'cxreports://workspaces/demo/reports',
      'cxreports://workspaces',
      'cxreports://exports/Invoice.pdf',
    ]);
    for (const r of resources) assert.ok(r.name && r.mimeType, JSON.stringify(r));
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), [
      'cxreports://exports/{file}',
      'cxreports://workspaces/{workspace}/report-types',
      'cxreports://workspaces/{workspace}/reports',
    ]);
  });

  it('resources/read of the export gives the file, base64-encoded once', async () => {
    const { contents } = await client.readResource({ uri: 'cxreports://exports/Invoice.pdf' });
    assert.equal(contents.length, 1);
    assert.equal(contents[0].mimeType, 'application/pdf');
    assert.ok(Buffer.from(contents[0].blob, 'base64').equals(fs.readFileSync(path.join(project, 'Invoice.pdf'))));
  });

  it('resources/read of a workspace\'s report types is JSON', async () => {
    const { contents } = await client.readResource({ uri: 'cxreports://workspaces/demo/report-types' });
    assert.equal(contents[0].mimeType, 'application/json');
    const body = JSON.parse(contents[0].text);
    assert.equal(body.workspace, 'demo');
    assert.equal(body.report_types[0].code, 'invoice');
  });

  it('an unknown export is a JSON-RPC error that names it', async () => {
    await assert.rejects(client.readResource({ uri: 'cxreports://exports/Nothing.pdf' }), (err) => {
      assert.ok(err instanceof McpError, String(err));
      assert.match(err.message, /no export named "Nothing\.pdf" is available to you/);
      return true;
    });
  });
});

// ---------------------------------------------------------------------------
// Raw JSON-RPC over the binary's stdio, against a sandbox we start with a
// known token, to check framing and that the token never appears in output.

const CANARY = 'canary-SECRET-123';

async function startSandbox(token) {
  const proc = spawn(BIN, ['sandbox', '--addr', '127.0.0.1:0', '--token', token], {
    env: childEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${log}`)), 10000);
    const onData = (d) => {
      log += d;
      // a line like: ... CxReports sandbox listening url=http://127.0.0.1:38229 api=/api/v1
      const m = /url=(http:\/\/127\.0\.0\.1:(\d+))/g;
      for (const hit of log.matchAll(m)) {
        if (hit[2] !== '0') { clearTimeout(timer); resolve(hit[1]); return; }
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox exited ${code}:\n${log}`)); });
  });
  return { proc, url, log: () => log };
}

// Sends all messages, closes stdin, and collects everything the server writes.
async function rawSession(env, messages, timeoutMs = 20000) {
  const proc = spawn(BIN, ['--log-level', 'debug'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  for (const m of messages) proc.stdin.write(`${JSON.stringify(m)}\n`);
  proc.stdin.end();
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await once(proc, 'exit');
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}

function checkFraming(out, requestIds) {
  assert.ok(out.stdout.endsWith('\n'), 'stdout ends with a newline');
  const lines = out.stdout.split('\n').slice(0, -1);
  const seen = new Map();
  for (const [i, line] of lines.entries()) {
    let msg;
    assert.doesNotThrow(() => { msg = JSON.parse(line); }, `stdout line ${i + 1} is JSON: ${line.slice(0, 200)}`);
    assert.equal(msg.jsonrpc, '2.0', `line ${i + 1}: jsonrpc 2.0`);
    if ('id' in msg && !('method' in msg)) {
      assert.ok(('result' in msg) !== ('error' in msg), `line ${i + 1}: exactly one of result/error`);
      seen.set(msg.id, (seen.get(msg.id) ?? 0) + 1);
    }
  }
  for (const id of requestIds) assert.equal(seen.get(id), 1, `request id ${JSON.stringify(id)} answered exactly once`);
  assert.equal(seen.size, requestIds.length, `no answers to unknown ids: ${[...seen.keys()]}`);
  return lines.map((l) => JSON.parse(l));
}

function buildMessages(callArgs) {
  const msgs = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: {
      protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-e2e', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
  ];
  let id = 10;
  for (const [name, args] of callArgs) {
    msgs.push({ jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name, arguments: args } });
  }
  msgs.push({ jsonrpc: '2.0', id: 'ping-1', method: 'ping' });
  return msgs;
}

describe('raw stdio: framing and secret hygiene (sandbox with a canary token)', () => {
  let sandbox;
  let outDir;

  before(async () => {
    sandbox = await startSandbox(CANARY);
    outDir = fs.mkdtempSync(path.join(TMP_ROOT, 'raw-out-'));
  });

  after(() => {
    sandbox?.proc.kill('SIGTERM');
  });

  const calls = [
    ['list_workspaces', {}],
    ['list_report_types', {}],
    ['list_reports', { limit: 3 }],
    ['export_pdf', { report_type: 'invoice', params: { month: '2026-03' } }],
    ['push_temporary_data', { content: { account: { number: '987654321' } } }],
    ['create_preview_link', { report_id: 1628 }],
    // failing ones
    ['export_pdf', {}],
    ['export_pdf', { report_type: 'failing' }],
    ['export_pdf', { report_id: 999999 }],
    ['list_reports', { workspace: 'nope' }],
    ['push_temporary_data', { content: 'not an object' }],
    ['create_preview_link', { report_id: 1628, report_type: 'invoice' }],
    ['no_such_tool', {}],
  ];

  it('every stdout line is JSON-RPC 2.0, each id answered once, token never printed', async () => {
    const env = childEnv({
      CXREPORTS_URL: sandbox.url,
      CXREPORTS_TOKEN: CANARY,
      CXREPORTS_WORKSPACE: 'demo',
      CXREPORTS_OUTPUT_DIR: outDir,
    });
    const msgs = buildMessages(calls);
    const out = await rawSession(env, msgs);
    const ctx = `exit=${out.code} signal=${out.signal}\nstderr:\n${out.stderr}`;
    assert.equal(out.signal, null, ctx);
    assert.equal(out.code, 0, ctx);
    const ids = msgs.filter((m) => 'id' in m).map((m) => m.id);
    const parsed = checkFraming(out, ids);
    const byId = new Map(parsed.filter((m) => 'id' in m).map((m) => [m.id, m]));

    // successful calls succeeded (so the token really was used), failing ones failed properly
    for (const [i, [name, args]] of calls.entries()) {
      const res = byId.get(10 + i);
      const label = `${name} ${JSON.stringify(args)}`;
      if (name === 'no_such_tool') {
        assert.equal(res.error?.code, -32602, label);
      } else if (i < 6) {
        assert.ok(res.result && res.result.isError !== true, `${label}: ${JSON.stringify(res)}`);
      } else {
        assert.equal(res.result?.isError, true, `${label}: ${JSON.stringify(res)}`);
      }
    }
    assert.equal(byId.get(2).result.tools.length, TOOL_NAMES.length);
    assert.ok(fs.existsSync(path.join(outDir, 'Invoice.pdf')));

    assert.ok(!out.stdout.includes(CANARY), 'token in stdout');
    assert.ok(!out.stderr.includes(CANARY), 'token in stderr');
    assert.ok(!out.stderr.includes('SECRET'), 'part of the token in stderr');
    assert.ok(out.stderr.length > 0, 'debug logging wrote something to stderr');
  });

  it('a rejected token is reported without its value', async () => {
    const wrong = 'canary-WRONG-456';
    const env = childEnv({
      CXREPORTS_URL: sandbox.url,
      CXREPORTS_TOKEN: wrong,
      CXREPORTS_WORKSPACE: 'demo',
      CXREPORTS_OUTPUT_DIR: outDir,
    });
    const msgs = buildMessages([['list_workspaces', {}], ['export_pdf', { report_type: 'invoice' }]]);
    const out = await rawSession(env, msgs);
    assert.equal(out.code, 0, out.stderr);
    const parsed = checkFraming(out, msgs.filter((m) => 'id' in m).map((m) => m.id));
    const res = parsed.find((m) => m.id === 10);
    assert.equal(res.result?.isError, true, JSON.stringify(res));
    for (const s of [wrong, CANARY]) {
      assert.ok(!out.stdout.includes(s), `${s} in stdout`);
      assert.ok(!out.stderr.includes(s), `${s} in stderr`);
    }
  });

  it('no configuration at all: initialize and tools/list still succeed', async () => {
    const msgs = buildMessages([['list_workspaces', {}]]);
    const out = await rawSession(childEnv({ CXREPORTS_OUTPUT_DIR: outDir }), msgs);
    assert.equal(out.code, 0, out.stderr);
    const parsed = checkFraming(out, msgs.filter((m) => 'id' in m).map((m) => m.id));
    assert.equal(parsed.find((m) => m.id === 2).result.tools.length, TOOL_NAMES.length);
    const res = parsed.find((m) => m.id === 10);
    assert.equal(res.result?.isError, true, JSON.stringify(res));
    assert.match(res.result.content[0].text, /CXREPORTS_URL/);
  });
});
