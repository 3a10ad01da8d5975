package adility

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// TestBaseURL is the beta/test base URL the Adility reference page uses in
// every sample. It is plain http, so a client pointed at it must also be
// given WithInsecureHTTP: the API key would otherwise travel unencrypted
// without the caller having said so.
const TestBaseURL = "http://testapi.adility.com/distribution/beta"

// APIKeyHeader is the request header that carries the API key.
const APIKeyHeader = "X-ADILITY-API-KEY"

// Format is a wire format: JSON (the default) or XML.
type Format = orderkit.Format

// The wire formats the Distribution API speaks.
const (
	JSON Format = orderkit.JSON
	XML  Format = orderkit.XML
)

// WithBaseURL sets the API root every path ("orders", "orders/:id") is
// resolved against: the Distribution API's ".../distribution/beta", e.g.
// TestBaseURL ("http://testapi.adility.com/distribution/beta") or the
// production root Adility gives you. It is required: the production URL is
// not published, so there is no default.
func WithBaseURL(u string) Option { return pipeline.WithBaseURL(u) }

// WithFormat selects the wire format of requests and answers: JSON (the
// default) or XML. Bodies are encoded in it and Content-Type and Accept name
// it.
func WithFormat(f Format) Option {
	return func(s *orderkit.Settings) error {
		if f != JSON && f != XML {
			return fmt.Errorf("WithFormat: unknown wire format %d", int(f))
		}
		s.Format = f
		return nil
	}
}

// WithInsecureHTTP permits sending the API key over plain http to a host that
// is not loopback. TestBaseURL needs it.
func WithInsecureHTTP() Option { return pipeline.WithInsecureHTTP() }

// WithHTTPClient uses hc for connections, proxies and TLS. Its transport is
// wrapped, never replaced, and redirects to another host are refused.
func WithHTTPClient(hc *http.Client) Option { return pipeline.WithHTTPClient(hc) }

// WithRetry sets how many times a failed call is retried (0 turns retries
// off) and the bounds of the wait between attempts. Place is only retried
// when the server surely did not act on it, unless PlaceRequest.Idempotent
// is set.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return pipeline.WithRetry(maxRetries, waitMin, waitMax)
}

// WithRateLimit sets a client-side rate limit in requests per second with a
// burst; every attempt waits for it. rps ≤ 0 turns it off.
func WithRateLimit(rps float64, burst int) Option { return pipeline.WithRateLimit(rps, burst) }

// WithLimiter shares one rate limiter between several clients.
func WithLimiter(l *rate.Limiter) Option { return pipeline.WithLimiter(l) }

// WithLogger logs each attempt at debug level (method, host, path, status,
// duration), never a header, a body or the API key.
func WithLogger(l *slog.Logger) Option { return pipeline.WithLogger(l) }

// WithUserAgent replaces the User-Agent header.
func WithUserAgent(ua string) Option { return pipeline.WithUserAgent(ua) }

// WithTimeout bounds each attempt whole (default 60 s): connecting, the
// answer's headers and reading its body, also with a client given by
// WithHTTPClient. An attempt that runs out is retried where that is safe
// (a Place only when Idempotent). The context's deadline, or CallTimeout,
// bounds the whole call, retries included.
func WithTimeout(d time.Duration) Option { return pipeline.WithTimeout(d) }

// WithMaxResponseBytes caps the size of an answer (default 32 MiB).
func WithMaxResponseBytes(n int64) Option { return pipeline.WithMaxResponseBytes(n) }

// Client talks to the Adility Distribution API. It is safe for concurrent
// use.
type Client struct {
	pc     *pipeline.Client
	format Format

	// Orders places, reads and cancels orders.
	Orders *OrdersService
	// Vouchers cancels single vouchers.
	Vouchers *VouchersService
}

const apiName = "adility"

// NewClient returns a client that sends apiKey in the X-ADILITY-API-KEY
// header. WithBaseURL is required; for the documented test host use
// WithBaseURL(TestBaseURL) together with WithInsecureHTTP().
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, pipeline.Invalid(apiName, "empty API key")
	}
	cfg := pipeline.NewConfig(apiName, "")
	cfg.Auth = pipeline.APIKey(APIKeyHeader, apiKey)
	cfg.DecodeError = decodeError
	if err := cfg.Apply(opts...); err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		return nil, pipeline.Invalid(apiName, "no base URL: Adility does not publish a production URL; use WithBaseURL (TestBaseURL with WithInsecureHTTP for the test host)")
	}
	if cfg.Format != JSON && cfg.Format != XML {
		return nil, pipeline.Invalid(apiName, "unknown wire format %d", int(cfg.Format))
	}
	pc, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{pc: pc, format: cfg.Format}
	c.Orders = &OrdersService{c: c}
	c.Vouchers = &VouchersService{c: c}
	return c, nil
}

// Format returns the client's wire format.
func (c *Client) Format() Format { return c.format }

// BaseURL returns the base URL requests are resolved against.
func (c *Client) BaseURL() string { return c.pc.BaseURL() }
