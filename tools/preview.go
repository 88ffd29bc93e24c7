package tools

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

func createPreviewLink() Tool {
	return define(Tool{
		Name:  "create_preview_link",
		Title: "Create a preview link",
		Description: "A browser link showing a report rendered with params and data, for a person to open. " +
			"Each link opens once, in one browser; call again for a new link.",
		Toolset: ToolsetCore,
		Hints:   ReadOnlyOutput,
	}, func(ctx context.Context, env *Env, in schemas.CreatePreviewLinkInput) (*mcp.CallToolResult, error) {
		call, err := env.reportCall(ctx, in.ReportArgs)
		if err != nil {
			return errorFromErr(err, call.about()), nil
		}
		if err := env.linkFits(call); err != nil {
			return errorFromErr(err, call.target), nil
		}
		// A link to a missing report would fail in the user's browser, where
		// the model cannot see it: check the report exists first.
		if _, err := env.api.ListReportPages(ctx, call.ws, call.ref); err != nil {
			return errorFromErr(err, call.target), nil
		}
		if err := env.shortenLink(ctx, call); err != nil {
			return errorFromErr(err, call.target), nil
		}
		link, err := env.api.NewPreviewURL(ctx, call.ws, call.ref, call.query)
		if err != nil {
			return errorFromErr(err, call.target), nil
		}
		text := fmt.Sprintf("Preview of %s in workspace %s:\n%s\n"+
			"Tell the user: the link works once. It opens in one browser and stays usable there; anyone else, or a second browser, needs a new link (call create_preview_link again).",
			call.target.Report, call.ws, link)
		if w := env.paramWarning(ctx, call); w != "" {
			text += "\n" + w
		}
		if in.Iframe {
			text += "\n\n" + iframeText(link)
		}
		return textResult(text, nil), nil
	})
}

// linkFits reports, before anything is sent, a link that would be too
// long even after shortenLink.
func (e *Env) linkFits(call *reportCall) error {
	return e.shorten(context.Background(), call, false)
}

// shortenLink keeps a preview link under maxQueryBytes: inline data that
// would make it longer is pushed as temporary data first and passed by
// its id, as the official PHP client does. That stores private, expiring
// data on CxReports, so it happens only where push_temporary_data is
// offered too (not in read-only mode); elsewhere the call is refused.
func (e *Env) shortenLink(ctx context.Context, call *reportCall) error {
	return e.shorten(ctx, call, true)
}

// shorten is linkFits (push false: check only) and shortenLink.
func (e *Env) shorten(ctx context.Context, call *reportCall, push bool) error {
	n := len(call.query.Encode())
	if n <= maxQueryBytes {
		return nil
	}
	tooLarge := fmt.Sprintf("params and data are too large for a link: %s encoded, at most %s", humanBytes(int64(n)), humanBytes(maxQueryBytes))
	q := *call.query
	q.Data = nil
	pushOffered := e.offers("push_temporary_data")
	if call.query.Data == nil || call.query.TempDataID != 0 || !pushOffered || len(q.Encode()) > maxQueryBytes {
		if pushOffered {
			return &inputError{tooLarge + "; keep params small and pass large data as temp_data_id from push_temporary_data"}
		}
		return &inputError{tooLarge + "; keep params and data small, or save the report with export_pdf instead"}
	}
	if !push {
		return nil
	}
	td, err := e.api.PushTemporaryData(ctx, call.ws, call.query.Data, nil)
	if err != nil {
		return err
	}
	q.TempDataID = td.TempDataID
	*call.query = q
	return nil
}
