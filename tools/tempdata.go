package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

func pushTemporaryData() Tool {
	return define(Tool{
		Name:  "push_temporary_data",
		Title: "Push temporary data",
		Description: "Store a JSON object on CxReports as private, expiring data, for data too large to pass inline. " +
			"Returns temp_data_id for export_pdf or create_preview_link.",
		Toolset: ToolsetCore,
		Hints:   Write,
	}, func(ctx context.Context, env *Env, in schemas.PushTemporaryDataInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(ctx, in.Workspace)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		var expiry *time.Time
		if in.ExpiresAt != "" {
			t, err := time.Parse(time.RFC3339, in.ExpiresAt)
			if err != nil {
				return errorResult(fmt.Sprintf("expires_at %q is not an RFC 3339 date-time; use a form such as 2026-12-31T23:00:00Z.", in.ExpiresAt)), nil
			}
			if !t.After(time.Now()) {
				return errorResult(fmt.Sprintf("expires_at %s is in the past; give a future time or leave it out.", in.ExpiresAt)), nil
			}
			expiry = &t
		}
		content, err := json.Marshal(in.Content)
		if err != nil {
			return errorResult("content cannot be encoded as JSON: " + err.Error() + "."), nil
		}
		td, err := env.api.PushTemporaryData(ctx, ws, content, expiry)
		if err != nil {
			return errorFromErr(err, &target{Workspace: ws}), nil
		}
		text := fmt.Sprintf("Stored the data in workspace %s as temp_data_id %d, expiring %s. Pass temp_data_id %d to export_pdf or create_preview_link.",
			ws, td.TempDataID, td.ExpiryDate.UTC().Format(time.RFC3339), td.TempDataID)
		return textResult(text, nil), nil
	})
}
