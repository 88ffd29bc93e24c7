#!/usr/bin/env bash
# A preview link made by create_preview_link opens in headless Chromium and
# shows the report. Needs Debian's chromium (apt-get install chromium); run
# from the repository root: bash e2e/preview-chromium.sh [screenshot.png]
set -euo pipefail
cd "$(dirname "$0")/.."
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then echo "preview-chromium: chromium is not installed (apt-get install chromium)"; exit 2; fi

tmp=$(mktemp -d)
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/cxreports-mcp" .
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tmp/cxreports-mcp" sandbox --addr "127.0.0.1:$port" --token preview-check-token --log-level warn &
sandbox_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

out=$(CXREPORTS_URL="http://127.0.0.1:$port" CXREPORTS_TOKEN=preview-check-token CXREPORTS_WORKSPACE=demo \
  "$tmp/cxreports-mcp" call create_preview_link '{"report_id":1628,"params":{"dateFrom":"2026-03-01","dateTo":"2026-03-31"},"data":{"account":"987654321"}}')
url=$(printf '%s\n' "$out" | grep -o 'http://[^ ]*' | head -n1)
echo "preview link: ${url%%nonce=*}nonce=…"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$tmp/profile")
dom=$("$chrome" "${flags[@]}" --dump-dom "$url" 2>/dev/null)
for phrase in "Bank Account Statement" "2026-03-01" "987654321"; do
  if ! grep -q "$phrase" <<<"$dom"; then echo "preview-chromium: FAIL: the page does not show \"$phrase\""; exit 1; fi
done
echo "preview-chromium: the page shows the report, its params and its data"

# The nonce is single-use: a second, separate browser is refused.
dom2=$("$chrome" "${flags[@]/--user-data-dir=*/--user-data-dir=$tmp/profile2}" --dump-dom "$url" 2>/dev/null)
if grep -q "987654321" <<<"$dom2"; then echo "preview-chromium: FAIL: a second browser opened a used link"; exit 1; fi
echo "preview-chromium: a second browser is refused (the link opens once)"

if [ $# -ge 1 ]; then
  # A fresh link, since the first one is used up.
  url=$(CXREPORTS_URL="http://127.0.0.1:$port" CXREPORTS_TOKEN=preview-check-token CXREPORTS_WORKSPACE=demo \
    "$tmp/cxreports-mcp" call create_preview_link '{"report_id":1628,"data":{"account":"987654321"}}' | grep -o 'http://[^ ]*' | head -n1)
  "$chrome" "${flags[@]/--user-data-dir=*/--user-data-dir=$tmp/profile3}" --window-size=1000,1200 --screenshot="$1" "$url" 2>/dev/null
  echo "screenshot: $1"
fi
echo "preview-chromium: OK"
