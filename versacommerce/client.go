package versacommerce

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
	"golang.org/x/time/rate"
)

// api names this client in errors and logs.
const api = "versacommerce"

// WithBaseURL replaces the API root, https://<shop>.versacommerce.de/api
// (the shop's subdomain given to NewClient), for a test server (such as
// versacommercetest behind httptest: versacommercetest.BaseURL(srv.URL)) or
// a shop on its own domain ("https://shop.example.com/api"). The URL is
// the API root, the part before "/orders.json". Credentials are refused
// over plain http unless the host is loopback; an empty URL is refused.
func WithBaseURL(u string) Option { return pipeline.WithBaseURL(u) }

// WithHTTPClient uses hc for connections, proxies and TLS. Its transport is
// wrapped, never replaced, and redirects to other hosts are refused.
func WithHTTPClient(hc *http.Client) Option { return pipeline.WithHTTPClient(hc) }

// WithRetry sets how many times a failed call is retried (0 turns retries
// off) and the bounds of the wait between attempts; a negative count or
// wait, or waitMax below waitMin, is refused. Create is never retried once
// the shop may have received it. CallRetry and NoRetry change it for one
// call.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return pipeline.WithRetry(maxRetries, waitMin, waitMax)
}

// WithRateLimit limits the client to rps requests per second with a burst;
// every attempt, retries included, waits for it. rps 0 turns it off; a
// negative rate, or a burst below 1 with a positive rate, is refused.
func WithRateLimit(rps float64, burst int) Option { return pipeline.WithRateLimit(rps, burst) }

// WithLimiter shares one rate limiter between several clients of one shop.
func WithLimiter(l *rate.Limiter) Option { return pipeline.WithLimiter(l) }

// WithLogger logs each attempt at debug level (method, host, path, status,
// duration), never a query, header, body or credential.
func WithLogger(l *slog.Logger) Option { return pipeline.WithLogger(l) }

// WithUserAgent replaces the User-Agent header.
func WithUserAgent(ua string) Option { return pipeline.WithUserAgent(ua) }

// WithTimeout bounds each attempt whole (default 60 s): connecting, the
// answer's headers and reading its body, also with a client given by
// WithHTTPClient. The context's deadline (or CallTimeout) bounds the whole
// call, retries included. Zero or a negative duration is refused.
func WithTimeout(d time.Duration) Option { return pipeline.WithTimeout(d) }

// WithMaxResponseBytes caps the size of an answer (default 32 MiB); a
// larger one is an error matching ErrResponseTooLarge. Zero or a negative
// size is refused.
func WithMaxResponseBytes(n int64) Option { return pipeline.WithMaxResponseBytes(n) }

// Client talks to the order API of one VersaCommerce shop. It is safe for
// concurrent use.
type Client struct {
	pc *pipeline.Client

	// Orders lists, counts, reads and creates orders.
	Orders *OrdersService
}

// NewClient returns a client for the shop at https://SHOP.versacommerce.de/api,
// authenticating with HTTP basic auth as apiKey:apiPassword (the app's API
// key and password from the shop's admin). shop is the bare subdomain
// ("myshop"); it may be empty only when WithBaseURL is given.
func NewClient(shop, apiKey, apiPassword string, opts ...Option) (*Client, error) {
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
	c := &Client{pc: pc}
	c.Orders = &OrdersService{c: c}
	return c, nil
}

// BaseURL returns the API root requests are resolved against:
// "https://myshop.versacommerce.de/api/" for NewClient("myshop", …).
func (c *Client) BaseURL() string { return c.pc.BaseURL() }

// validShop accepts a DNS label: 1–63 letters, digits and hyphens, not
// starting or ending with a hyphen. Anything else ("shop.evil.com/",
// "a@b") could point the credentials at another host.
func validShop(shop string) error {
	if shop == "" {
		return pipeline.Invalid(api, "shop subdomain is required (or give WithBaseURL)")
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
