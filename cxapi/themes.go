package cxapi

import (
	"context"
	"fmt"
)

// Theme is a report theme of a workspace (E12).
type Theme struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Template is a report template of a workspace (E13).
type Template struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// ListThemes lists the themes of workspace ws (GET /api/v1/ws/{ws}/themes).
func (c *Client) ListThemes(ctx context.Context, ws string) ([]Theme, error) {
	var out []Theme
	if err := c.listJSON(ctx, ws, "/themes", &out); err != nil {
		return nil, fmt.Errorf("list themes: %w", err)
	}
	return nonNil(out), nil
}

// ListTemplates lists the templates of workspace ws
// (GET /api/v1/ws/{ws}/templates).
func (c *Client) ListTemplates(ctx context.Context, ws string) ([]Template, error) {
	var out []Template
	if err := c.listJSON(ctx, ws, "/templates", &out); err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	return nonNil(out), nil
}

// listJSON GETs {ws prefix}{suffix} into out.
func (c *Client) listJSON(ctx context.Context, ws, suffix string, out any) error {
	p, err := wsPath(ws)
	if err != nil {
		return err
	}
	return c.doJSON(ctx, &request{method: "GET", path: p + suffix, retry: true}, out)
}
