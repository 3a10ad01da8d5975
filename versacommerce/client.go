package versacommerce

import (
	"context"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// api names this client in errors and logs.
const api = "versacommerce"

// Client talks to the order API of one VersaCommerce shop. It is safe for
// concurrent use.
type Client struct {
	pc *pipeline.Client
	// now is the client's clock (time.Now): a lost create's SentAt and
	// EndedAt, and Resolve's reading of the time since. Tests drive it.
	now func() time.Time

	// Orders lists, counts, reads and creates orders.
	Orders *OrdersService
}

// NewClient returns a client for the shop at https://SHOP.versacommerce.de/api,
// authenticating with HTTP basic auth as apiKey:apiPassword (the app's API
// key and password from the shop's admin). shop is the bare subdomain
// ("myshop"); it may be empty only when orderkit.WithBaseURL is given. That
// option takes the API root, the part before "/orders.json": a shop on its
// own domain ("https://shop.example.com/api") or a versacommercetest fake
// (versacommercetest.BaseURL(srv.URL)).
func NewClient(shop, apiKey, apiPassword string, opts ...orderkit.Option) (*Client, error) {
	if apiKey == "" || apiPassword == "" {
		return nil, pipeline.Invalid(api, "API key and API password are required")
	}
	cfg := pipeline.NewConfig(api, "")
	cfg.Auth = pipeline.Basic(apiKey, apiPassword)
	cfg.DecodeError = decodeError
	if err := cfg.Apply(opts...); err != nil {
		return nil, err
	}
	if shop != "" || cfg.BaseURL == "" {
		if err := validShop(shop); err != nil {
			return nil, err
		}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://" + shop + ".versacommerce.de/api"
	}
	pc, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{pc: pc, now: time.Now}
	c.Orders = &OrdersService{c: c}
	return c, nil
}

// Do sends a request to an endpoint the SDK does not wrap, such as
// GET /api/orders/:id/shipments.json, with the same auth, rate limit,
// retries, POST rule and redaction as every method. path is relative to
// the API root and may carry a query ("orders/100/shipments.json"); body,
// when not nil, is sent as JSON; the answer is decoded into out (nil
// discards it, a *[]byte receives it as it came).
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...orderkit.CallOption) (*orderkit.Response, error) {
	cs, err := c.pc.Calls("Do", opts)
	if err != nil {
		return nil, err
	}
	return c.pc.Raw(ctx, method, path, body, out, cs)
}

// BaseURL returns the API root requests are resolved against:
// "https://myshop.versacommerce.de/api/" for NewClient("myshop", …).
func (c *Client) BaseURL() string { return c.pc.BaseURL() }

// validShop accepts a DNS label: 1–63 letters, digits and hyphens, not
// starting or ending with a hyphen. Anything else ("shop.evil.com/",
// "a@b") could point the credentials at another host.
func validShop(shop string) error {
	if shop == "" {
		return pipeline.Invalid(api, "shop subdomain is required (or give orderkit.WithBaseURL)")
	}
	ok := len(shop) <= 63 && shop[0] != '-' && shop[len(shop)-1] != '-'
	for i := 0; ok && i < len(shop); i++ {
		c := shop[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return pipeline.Invalid(api, "shop %q is not a subdomain (letters, digits and hyphens, such as \"myshop\")", truncate(shop, 70))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
