// The official MCP conformance suite (@modelcontextprotocol/conformance
// 0.1.16) against `cxreports-mcp --transport http --demo` on 127.0.0.1
// without an auth token (the suite sends no headers). Each meaningful
// scenario runs in its own process under `timeout`; then the whole active
// suite runs with conformance-expected-failures.yml, which lists exactly
// the scenarios a tools-only server fails. Raw output goes to
// .tmp/run/conformance-*.log with the suite's "N passed, M failed" lines
// relabelled, so that CI counts only the node test runner's summary.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { TMP_ROOT, relabel, run, startServer } from './http-helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONFORMANCE = path.join(HERE, 'node_modules', '.bin', 'conformance');
const EXPECTED_FAILURES = path.join(HERE, 'conformance-expected-failures.yml');

// Scenarios that apply to a real tools-only server; no capability-gated
// ones apply, since it declares only tools.
// The first five apply to any server; the rest are gated on capabilities this
// server declares (prompts, completions, resources).
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'server-sse-multiple-streams', 'dns-rebinding-protection',
  'prompts-list', 'completion-complete', 'resources-list'];

async function conformance(args, label, timeoutSec) {
  const outDir = fs.mkdtempSync(path.join(TMP_ROOT, `conformance-${label}-`));
  const r = await run('timeout', [String(timeoutSec), CONFORMANCE, 'server', ...args, '-o', outDir], { timeoutMs: (timeoutSec + 10) * 1000 });
  const output = relabel(`${r.stdout}\n${r.stderr}`);
  fs.writeFileSync(path.join(TMP_ROOT, `conformance-${label}.log`), output);
  const checks = [];
  for (const dir of fs.readdirSync(outDir)) {
    const file = path.join(outDir, dir, 'checks.json');
    if (fs.existsSync(file)) checks.push(...JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return { status: r.status, output, checks };
}

describe('MCP conformance suite over Streamable HTTP', () => {
  let server;

  before(async () => {
    server = await startServer({ name: 'conformance' });
  });

  after(async () => {
    assert.equal((await server?.stop())?.code, 0);
  });

  for (const scenario of SCENARIOS) {
    it(scenario, async () => {
      const r = await conformance(['--url', server.url, '--scenario', scenario], scenario, 60);
      const failed = r.checks.filter((c) => c.status === 'FAILURE').map((c) => `${c.id}: ${c.errorMessage}`);
      assert.deepEqual(failed, [], r.output);
      assert.ok(r.checks.some((c) => c.status === 'SUCCESS'), `no successful check\n${r.output}`);
      assert.equal(r.status, 0, r.output);
    });
  }

  it('the whole active suite fails exactly the expected scenarios', async () => {
    const r = await conformance(['--url', server.url, '--suite', 'active', '--expected-failures', EXPECTED_FAILURES], 'active-suite', 240);
    assert.equal(r.status, 0, r.output);
    for (const scenario of SCENARIOS) {
      assert.match(r.output, new RegExp(`✓ ${scenario}: \\d+ checks ok, 0 checks failing`), `${scenario} passed in the suite`);
    }
  });
});
