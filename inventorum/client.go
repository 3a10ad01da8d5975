package inventorum

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is the production API root. Paths such as orders/delta/
// are resolved below it.
const DefaultBaseURL = "https://app.inventorum.com/api"

// API versions accepted by WithAPIVersion.
const (
	// DefaultAPIVersion is the current version, sent unless WithAPIVersion
	// says otherwise.
	DefaultAPIVersion = 12
	// MinAPIVersion is the oldest version the API still serves.
	MinAPIVersion = 3
)

// DefaultRateLimit is Inventorum's published limit in requests per second.
// Above it the API answers 429.
const DefaultRateLimit = 20

// WithBaseURL points the client at another API root, such as a test
// server: the URL below which the API's paths lie, by default
// "https://app.inventorum.com/api" (DefaultBaseURL). For the fake, use
// inventorumtest.BaseURL(srv.URL). Credentials are refused over plain http
// except to loopback; an empty URL makes NewClient fail.
func WithBaseURL(u string) Option { return pipeline.WithBaseURL(u) }

// WithHTTPClient sends requests through hc (proxies, TLS, transports).
// WithTimeout still bounds each attempt. A nil hc makes NewClient fail.
func WithHTTPClient(hc *http.Client) Option { return pipeline.WithHTTPClient(hc) }

// WithRetry sets how often a failed GET is retried (0 turns retries off)
// and the bounds of the wait between attempts; waitMax also caps a
// Retry-After. A basket POST is never retried once it may have reached the
// server. Negative values, or waitMax below waitMin, make NewClient fail.
// CallRetry and NoRetry change it for one call.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return pipeline.WithRetry(maxRetries, waitMin, waitMax)
}

// WithRateLimit replaces the default client-side limit of 20 requests per
// second; rps 0 turns it off. A negative rate, or a burst below 1 with a
// positive rate, makes NewClient fail.
func WithRateLimit(rps float64, burst int) Option { return pipeline.WithRateLimit(rps, burst) }

// WithLimiter shares one limiter between several clients of one account:
// the 20 requests per second are the account's. A nil limiter makes
// NewClient fail.
func WithLimiter(l *rate.Limiter) Option { return pipeline.WithLimiter(l) }

// WithLogger logs each attempt at debug level, never a token or a query.
// A nil logger makes NewClient fail.
func WithLogger(l *slog.Logger) Option { return pipeline.WithLogger(l) }

// WithUserAgent replaces the User-Agent header; an empty one makes
// NewClient fail.
func WithUserAgent(ua string) Option { return pipeline.WithUserAgent(ua) }

// WithTimeout bounds each attempt whole (default 60 s): connecting, the
// answer's headers and reading its body, also with a client given by
// WithHTTPClient. An attempt that runs out is retried where that is safe;
// a basket POST that runs out after sending has an unknown outcome. The
// context's deadline, or CallTimeout, bounds a whole call. Zero or a
// negative duration makes NewClient fail.
func WithTimeout(d time.Duration) Option { return pipeline.WithTimeout(d) }

// WithMaxResponseBytes caps the size of an answer (default 32 MiB). A
// larger one is ErrResponseTooLarge: raise the cap for delta pages of many
// large orders. Zero or a negative size makes NewClient fail.
func WithMaxResponseBytes(n int64) Option { return pipeline.WithMaxResponseBytes(n) }

// WithAPIVersion sends another X-Api-Version (3 to 12; default 12).
//
// What changes below 12: the delta feed (Orders.Delta, Orders.Sync) also
// returns orders in the PENDING state, i.e. baskets created by
// Basket.Create that are not paid yet. At 12 only orders past PENDING are
// delivered. A version outside 3–12 makes NewClient fail.
func WithAPIVersion(v int) Option {
	return func(s *orderkit.Settings) error {
		if v < MinAPIVersion || v > DefaultAPIVersion {
			return fmt.Errorf("WithAPIVersion: %d is not between %d and %d", v, MinAPIVersion, DefaultAPIVersion)
		}
		if s.Header == nil {
			s.Header = http.Header{}
		}
		s.Header.Set(versionHeader, strconv.Itoa(v))
		return nil
	}
}

const versionHeader = "X-Api-Version"

const apiName = "inventorum"

// Client talks to the Inventorum orders and basket endpoints. It is safe
// for concurrent use.
type Client struct {
	pc      *pipeline.Client
	oauth   *oauthAuth
	version int

	// Orders reads orders: the delta feed, the list and the sync helper.
	Orders *OrdersService
	// Basket creates baskets (checkout).
	Basket *BasketService
}

// NewClient returns a client that sends a fixed OAuth2 access token as
// "Authorization: Bearer". The token is not refreshed; see NewOAuth2Client
// for a client that refreshes its own tokens.
func NewClient(accessToken string, opts ...Option) (*Client, error) {
	if accessToken == "" {
		return nil, pipeline.Invalid(apiName, "access token is empty")
	}
	return newClient(pipeline.Bearer(accessToken), nil, opts)
}

// NewOAuth2Client returns a client that refreshes its access token before
// it expires and once after a 401, and hands every new refresh token to
// cfg.OnRefresh so that it can be stored.
func NewOAuth2Client(cfg OAuth2Config, opts ...Option) (*Client, error) {
	a, err := newOAuthAuth(cfg)
	if err != nil {
		return nil, err
	}
	return newClient(a, a, opts)
}

func newClient(auth pipeline.Auth, oa *oauthAuth, opts []Option) (*Client, error) {
	cfg := pipeline.NewConfig(apiName, DefaultBaseURL)
	cfg.Auth = auth
	cfg.Header = http.Header{versionHeader: {strconv.Itoa(DefaultAPIVersion)}}
	cfg.DecodeError = decodeError
	// The default limit first, so that the caller's options override it.
	if err := cfg.Apply(pipeline.WithRateLimit(DefaultRateLimit, DefaultRateLimit)); err != nil {
		return nil, err
	}
	if err := cfg.Apply(opts...); err != nil {
		return nil, err
	}
	v, err := strconv.Atoi(cfg.Header.Get(versionHeader))
	if err != nil || v < MinAPIVersion || v > DefaultAPIVersion {
		return nil, pipeline.Invalid(apiName, "X-Api-Version %q is not between %d and %d", cfg.Header.Get(versionHeader), MinAPIVersion, DefaultAPIVersion)
	}
	pc, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{pc: pc, oauth: oa, version: v}
	if oa != nil {
		oa.pc = pc
	}
	c.Orders = &OrdersService{c: c}
	c.Basket = &BasketService{c: c}
	return c, nil
}

// APIVersion returns the X-Api-Version the client sends.
func (c *Client) APIVersion() int { return c.version }

// Token returns the current OAuth2 token of a client made by
// NewOAuth2Client, and false for a client with a fixed token.
func (c *Client) Token() (Token, bool) {
	if c.oauth == nil {
		return Token{}, false
	}
	return c.oauth.current(), true
}

// do sends r. With OAuth2, a 401 refreshes the token once and repeats the
// call once. That is safe for every request, POST /basket/ included: a 401
// means the server refused the request before acting on it.
func (c *Client) do(ctx context.Context, r *pipeline.Request, out any) (*pipeline.Response, error) {
	if c.oauth == nil {
		return c.pc.Do(ctx, r, out)
	}
	gen := c.oauth.generation()
	res, err := c.pc.Do(ctx, r, out)
	if err == nil || !errors.Is(err, ErrUnauthorized) {
		return res, err
	}
	var pe *Error
	if !errors.As(err, &pe) || pe.StatusCode != http.StatusUnauthorized {
		return res, err
	}
	if rerr := c.oauth.refreshAfter(ctx, gen, true); rerr != nil {
		return res, errors.Join(err, rerr)
	}
	return c.pc.Do(ctx, r, out)
}
