package pipeline

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
)

// Raw sends a request the client package does not wrap, through the same
// pipeline: path is relative to the API root and may carry a query
// ("orders/7/payments.json?limit=5"); body, when not nil, is encoded in the
// client's format; the answer is decoded into out (nil discards it, a
// *[]byte receives it as it came). A POST is retried only where the
// pipeline's rule allows, like every create. Every client's Do calls it.
func (c *Client) Raw(ctx context.Context, method, path string, body, out any, cs config.CallSettings) (*orderkit.Response, error) {
	if !validMethod(method) {
		return nil, Invalid(c.cfg.API, "Do: invalid method %q", method)
	}
	p, rawQuery, _ := strings.Cut(path, "?")
	if strings.Contains(p, "://") || strings.HasPrefix(p, "//") {
		return nil, Invalid(c.cfg.API, "Do: path %q must be relative to the API root", path)
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, Invalid(c.cfg.API, "Do: query of %q: %v", path, err)
	}
	r := &Request{Method: method, Path: p, Body: body, Call: cs}
	if len(q) > 0 {
		r.Query = q
	}
	return c.Do(ctx, r, out)
}

func validMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}
