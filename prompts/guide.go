package prompts

import (
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// languages are the languages the guide has samples for.
var languages = []string{"python", "typescript"}

func integrationGuide() prompt {
	return prompt{
		def: mcp.NewPrompt("integrate_cxreports",
			mcp.WithPromptTitle("Integrate CxReports into my app"),
			mcp.WithPromptDescription("A guide for developers: embed report previews and serve PDFs from your own backend, with the token kept on the server."),
			mcp.WithArgument(argLanguage, mcp.ArgumentTitle("Language"), mcp.ArgumentDescription("Backend language of the samples: typescript or python; empty for both.")),
			mcp.WithArgument(argReport, mcp.ArgumentTitle("Report"), mcp.ArgumentDescription("Report id or type code to use in the samples.")),
		),
		text: guideText,
	}
}

func guideText(a args) string {
	report := a.get(argReport)
	if report == "" {
		report = "invoice"
	}
	var b strings.Builder
	b.WriteString("Help me integrate CxReports into my application: show reports to my users in a page and let them download PDFs. " +
		"Read my code first, then change it following these rules and samples.\n\n")
	b.WriteString(guideRules)
	if a.serves("create_preview_link") {
		b.WriteString("\nTo see a preview before writing code, call create_preview_link with iframe: true: it returns a link and a ready <iframe> snippet (its link opens once).\n")
	}
	var samples string
	switch lang := strings.ToLower(a.get(argLanguage)); {
	case strings.HasPrefix(lang, "py"):
		samples = pythonSample
	case strings.HasPrefix(lang, "ts"), strings.HasPrefix(lang, "type"), strings.HasPrefix(lang, "js"), strings.HasPrefix(lang, "node"):
		samples = typescriptSample
	default:
		samples = typescriptSample + pythonSample
	}
	b.WriteString(strings.ReplaceAll(samples, sampleReport, report))
	b.WriteString(browserSample)
	return b.String()
}

// sampleReport stands for the report in the samples.
const sampleReport = "{report}"

const guideRules = `Rules:
1. The personal access token (CxReports: user menu → Personal Access Tokens) stays on the server: read it from the environment (CXREPORTS_TOKEN), send it as "Authorization: Bearer <token>" from backend code only. Never put it in browser code, HTML, a URL, a log line or the repository.
2. Previews: for every page view, the backend creates a fresh nonce with POST {base}/api/v1/nonce-tokens (no body; answers {"nonce":"…"}) and builds the preview URL
   {base}/ws/{workspace}/reports/{report id or type code}/preview?params=<JSON>&tempDataId=<id>&timezone=<IANA zone>&nonce=<nonce>
   (no /api/v1 in this path; URL-encode every value). A nonce works once: on first load it becomes a session cookie for that browser. Never cache or share preview URLs; make a new one per view.
3. Embed the URL in an <iframe>. Add &hidePrintButton=true to hide the viewer's print button and print from your page with iframe.contentWindow.postMessage("print", "*").
4. PDF downloads go through your backend: it calls GET {base}/api/v1/ws/{workspace}/reports/{report}/pdf?params=<JSON>&tempDataId=<id>&timezone=<zone> with the Bearer token (or POST the same path with a JSON body {"params":{…},"data":{…},"timezone":"…"}) and streams the bytes to the browser as application/pdf. Do not hand the browser a CxReports PDF URL.
5. Data: small JSON may go inline (data=<JSON> in the query, or "data" in the POST body). For anything larger, push it first with POST {base}/api/v1/ws/{workspace}/temporary-data and body {"content":{…},"expiryDate":"<ISO 8601, optional>"}, which answers {"tempDataId":…,"expiryDate":"…"}, then pass tempDataId. Temporary data expires; push again when a 404 says it is gone.
6. {workspace} is a workspace id or code; {report} is a report id, or a report type code for that type's default report. Errors come as RFC 7807 JSON (title, status, detail): 401 means a bad token, 404 a wrong workspace, report or expired data.
7. To develop without a CxReports account, run the sandbox that comes with cxreports-mcp: cxreports-mcp sandbox --addr 127.0.0.1:8089 --token dev-token (then base = http://127.0.0.1:8089, token dev-token, workspace demo).
`

const typescriptSample = "\nBackend, TypeScript (Node 18+, Express):\n```ts\n" + `import express from "express";
import { Readable } from "node:stream";

const BASE = process.env.CXREPORTS_URL!;        // e.g. https://your-tenant.cx-reports.app
const TOKEN = process.env.CXREPORTS_TOKEN!;     // server-side only
const WS = process.env.CXREPORTS_WORKSPACE!;    // workspace id or code

async function cx(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(` + "`${BASE}/api/v1${path}`" + `, {
    ...init,
    headers: { Authorization: ` + "`Bearer ${TOKEN}`" + `, "Content-Type": "application/json", ...init.headers },
  });
  if (!res.ok) throw new Error(` + "`CxReports ${res.status}: ${await res.text()}`" + `);
  return res;
}

// Large data: push once, pass the id.
async function pushData(content: unknown): Promise<number> {
  const res = await cx(` + "`/ws/${encodeURIComponent(WS)}/temporary-data`" + `, { method: "POST", body: JSON.stringify({ content }) });
  return (await res.json()).tempDataId;
}

function reportQuery(params: object, tempDataId?: number): URLSearchParams {
  const q = new URLSearchParams({ params: JSON.stringify(params), timezone: "Europe/Belgrade" });
  if (tempDataId) q.set("tempDataId", String(tempDataId));
  return q;
}

// One preview URL per page view: a fresh single-use nonce each time.
async function previewUrl(report: string, params: object, tempDataId?: number): Promise<string> {
  const { nonce } = await (await cx("/nonce-tokens", { method: "POST" })).json();
  const q = reportQuery(params, tempDataId);
  q.set("nonce", nonce);
  q.set("hidePrintButton", "true");
  return ` + "`${BASE}/ws/${encodeURIComponent(WS)}/reports/${encodeURIComponent(report)}/preview?${q}`" + `;
}

const app = express();
app.get("/reports/preview-url", async (req, res) => {
  // Check here that the signed-in user may see this report and these values.
  res.json({ url: await previewUrl("{report}", { month: String(req.query.month) }) });
});
app.get("/reports/pdf", async (req, res) => {
  const q = reportQuery({ month: String(req.query.month) });
  const pdf = await cx(` + "`/ws/${encodeURIComponent(WS)}/reports/${encodeURIComponent(\"{report}\")}/pdf?${q}`" + `);
  res.setHeader("Content-Type", "application/pdf");
  res.setHeader("Content-Disposition", 'attachment; filename="report.pdf"');
  Readable.fromWeb(pdf.body as any).pipe(res);
});
app.listen(3000);
` + "```\n"

const pythonSample = "\nBackend, Python (Flask and requests):\n```python\n" + `import json, os
from urllib.parse import quote, urlencode

import requests
from flask import Flask, Response, jsonify, request

BASE = os.environ["CXREPORTS_URL"]          # e.g. https://your-tenant.cx-reports.app
TOKEN = os.environ["CXREPORTS_TOKEN"]       # server-side only
WS = os.environ["CXREPORTS_WORKSPACE"]      # workspace id or code

cx = requests.Session()
cx.headers["Authorization"] = f"Bearer {TOKEN}"

def call(method, path, **kw):
    r = cx.request(method, f"{BASE}/api/v1{path}", timeout=60, **kw)
    r.raise_for_status()
    return r

def push_data(content) -> int:
    """Large data: push once, pass the id."""
    return call("POST", f"/ws/{quote(WS)}/temporary-data", json={"content": content}).json()["tempDataId"]

def report_query(params, temp_data_id=None):
    q = {"params": json.dumps(params), "timezone": "Europe/Belgrade"}
    if temp_data_id:
        q["tempDataId"] = temp_data_id
    return q

def preview_url(report, params, temp_data_id=None) -> str:
    """One preview URL per page view: a fresh single-use nonce each time."""
    nonce = call("POST", "/nonce-tokens").json()["nonce"]
    q = report_query(params, temp_data_id) | {"nonce": nonce, "hidePrintButton": "true"}
    return f"{BASE}/ws/{quote(WS)}/reports/{quote(str(report))}/preview?{urlencode(q)}"

app = Flask(__name__)

@app.get("/reports/preview-url")
def report_preview_url():
    # Check here that the signed-in user may see this report and these values.
    return jsonify(url=preview_url("{report}", {"month": request.args["month"]}))

@app.get("/reports/pdf")
def report_pdf():
    r = call("GET", f"/ws/{quote(WS)}/reports/{quote('{report}')}/pdf", params=report_query({"month": request.args["month"]}))
    return Response(r.content, mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="report.pdf"'})
` + "```\n"

const browserSample = "\nBrowser (no token here, only your backend's routes):\n```html\n" +
	`<iframe id="report" title="Report" width="100%" height="800" style="border:0"
        sandbox="allow-scripts allow-same-origin allow-modals allow-downloads" referrerpolicy="no-referrer"></iframe>
<button id="print">Print</button> <a href="/reports/pdf?month=2026-03">Download PDF</a>
<script type="module">
  const frame = document.getElementById("report");
  const { url } = await (await fetch("/reports/preview-url?month=2026-03")).json();
  frame.src = url; // a new URL for every view: the nonce in it works once
  document.getElementById("print").onclick = () => frame.contentWindow.postMessage("print", "*");
</script>
` + "```\n"

// languageValues completes the language argument.
func languageValues(prefix string) []string {
	var out []string
	for _, l := range languages {
		if strings.HasPrefix(l, strings.ToLower(prefix)) {
			out = append(out, l)
		}
	}
	return out
}
