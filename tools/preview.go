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
		// A link to a missing report would fail in the user's browser, where
		// the model cannot see it: check the report exists first.
		if _, err := env.api.ListReportPages(ctx, call.ws, call.ref); err != nil {
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
