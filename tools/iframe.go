package tools

import (
	"html"
	"strings"
)

// iframeText is create_preview_link's HTML snippet (iframe: true): the
// preview in an iframe the way the CxReports demo app embeds it, with the
// print button hidden (the host page prints by posting "print" to the
// frame), and a note on doing it properly in an app.
func iframeText(link string) string {
	return "HTML to embed it (it uses the same single-use link, so open either the link or the page with this snippet, not both):\n" +
		iframeSnippet(link) + "\n" +
		"For an app, do not paste a link into HTML: create the nonce on your server for each page view with your personal access token " +
		"(POST /api/v1/nonce-tokens), never put the token in browser code, and print from the host page with " +
		"iframe.contentWindow.postMessage(\"print\", \"*\"). This server's prompt integrate_cxreports (in the client's prompt menu) is a full guide with code."
}

// iframeSnippet embeds a preview link in a sandboxed iframe: scripts and
// same-origin for the viewer and its session cookie, modals for printing,
// downloads for the viewer's export; no top navigation, no popups; no
// referrer, so the host page's URL does not reach CxReports.
func iframeSnippet(link string) string {
	sep := "?"
	if strings.Contains(link, "?") {
		sep = "&"
	}
	src := link + sep + "hidePrintButton=true"
	return `<iframe src="` + html.EscapeString(src) + `" title="CxReports report" width="100%" height="800" style="border:0"` +
		` sandbox="allow-scripts allow-same-origin allow-modals allow-downloads" referrerpolicy="no-referrer" loading="lazy"></iframe>`
}
