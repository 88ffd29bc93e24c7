// Package sandbox is a local stand-in for the CxReports REST API.
//
// A [Server] is an [http.Handler] that serves the endpoints of the CxReports
// API (workspaces, report types, reports, pages, documents, asynchronous
// exports, temporary data, nonce tokens, themes, templates and jobs) under
// /api/v1, plus the browser preview page at /ws/{ws}/reports/{report}/preview.
// It holds a small, deterministic seed data set (see README.md and the
// exported identifiers such as [DemoWorkspaceCode] and [InvoiceReportID]),
// renders real PDF, OOXML and HTML documents, and copies the quirks the
// official clients rely on (two encodings of params, form-decoded queries,
// lenient booleans, an empty type= filter, content as object or string, ...).
//
// Tests use it through net/http/httptest; cxreports-mcp uses it for --demo;
// [ListenAndServe] runs it as a standalone server. Faults (latency, error
// statuses, HTML login pages, wrong content types, truncated bodies) can be
// injected per route with [Server.SetFault]. The sandbox knows nothing of MCP
// or of the cxapi client.
package sandbox
