package cxapi

import (
	"context"
	"fmt"
)

// Workspace is a CxReports workspace (E1).
type Workspace struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	Code        string  `json:"code"`
}

// ListWorkspaces lists the workspaces the token can see
// (GET /api/v1/workspaces).
func (c *Client) ListWorkspaces(ctx context.Context) ([]Workspace, error) {
	var out []Workspace
	r := &request{method: "GET", path: apiPrefix + "/workspaces", retry: true}
	if err := c.doJSON(ctx, r, &out); err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	return nonNil(out), nil
}

// nonNil turns a nil slice (a JSON null) into an empty one, so that callers
// which marshal the result get [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
