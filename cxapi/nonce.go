package cxapi

import (
	"context"
	"fmt"
)

// CreateNonce creates a single-use nonce token that the preview page turns
// into a session cookie (POST /api/v1/nonce-tokens, no body). The nonce is
// a credential: do not log it. Never retried.
func (c *Client) CreateNonce(ctx context.Context) (string, error) {
	var out struct {
		Nonce string `json:"nonce"`
	}
	r := &request{method: "POST", path: apiPrefix + "/nonce-tokens"}
	if err := c.doJSON(ctx, r, &out); err != nil {
		return "", fmt.Errorf("create nonce: %w", err)
	}
	if out.Nonce == "" {
		return "", fmt.Errorf("create nonce: %s: %w: the response has no \"nonce\"", c.prefix(r), ErrUnexpectedResponse)
	}
	return out.Nonce, nil
}
