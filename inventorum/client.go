package inventorum

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
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
// Above it the API answers 429. Every client paces its requests a little
// below it — 19.5 per second, one at a time, no burst — unless
// orderkit.WithRateLimit or orderkit.WithLimiter replaces it: a burst of
// 20 meets a server that counts 20 in any second, or a bucket of 20 that
// starts a dial later, with 429s (BenchmarkInventorumSyncRateLimited).
const DefaultRateLimit = 20

// defaultPace is the client's own pace: 97.5 % of the published limit,
// which keeps a whole initial sync clear of 429s under either reading of
// "20 requests per second" while losing 2.5 % of the rate.
const defaultPace = 0.975 * DefaultRateLimit

// WithAPIVersion makes the client send another X-Api-Version (3 to 12;
// default 12).
//
// What changes below 12: the delta feed (Orders.Delta, Orders.Sync) also
// returns orders in the PENDING state, i.e. baskets created by
// Basket.Create that are not paid yet. At 12 only orders past PENDING are
// delivered. A version outside 3–12 makes NewClient fail.
func WithAPIVersion(v int) orderkit.Option {
	return pipeline.NewOption("WithAPIVersion", func(s *config.Settings) error {
		if v < MinAPIVersion || v > DefaultAPIVersion {
			return fmt.Errorf("WithAPIVersion: %d is not between %d and %d", v, MinAPIVersion, DefaultAPIVersion)
		}
		s.SetOwn(apiName, "WithAPIVersion", v)
		return nil
	})
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
// for a client that refreshes its own tokens. It takes the shared options
// of package orderkit and this package's WithAPIVersion.
func NewClient(accessToken string, opts ...orderkit.Option) (*Client, error) {
	if accessToken == "" {
		return nil, pipeline.Invalid(apiName, "access token is empty")
	}
	return newClient(pipeline.Bearer(accessToken), nil, opts)
}

// NewOAuth2Client returns a client that refreshes its access token before
// it expires and once after a 401, and hands every new refresh token to
// cfg.OnRefresh so that it can be stored.
func NewOAuth2Client(cfg OAuth2Config, opts ...orderkit.Option) (*Client, error) {
	a, err := newOAuthAuth(cfg)
	if err != nil {
		return nil, err
	}
	return newClient(a, a, opts)
}

func newClient(auth pipeline.Auth, oa *oauthAuth, opts []orderkit.Option) (*Client, error) {
	cfg := pipeline.NewConfig(apiName, DefaultBaseURL)
	cfg.Auth = auth
	cfg.DecodeError = decodeError
	// The default limit first, so that the caller's options override it.
	if err := cfg.Apply(orderkit.WithRateLimit(defaultPace, 1)); err != nil {
		return nil, err
	}
	if err := cfg.Apply(opts...); err != nil {
		return nil, err
	}
	if _, ok := cfg.Header[versionHeader]; ok {
		return nil, pipeline.Invalid(apiName, "invalid argument: WithHeader: %s is set by WithAPIVersion", versionHeader)
	}
	version := DefaultAPIVersion
	if v, ok := cfg.OwnValue("WithAPIVersion"); ok {
		version = v.(int)
	}
	// The client's header is written from the version it keeps.
	cfg.Header = cfg.Header.Clone()
	if cfg.Header == nil {
		cfg.Header = http.Header{}
	}
	cfg.Header.Set(versionHeader, strconv.Itoa(version))
	pc, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{pc: pc, oauth: oa, version: version}
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

// Do sends a request to an endpoint the SDK does not wrap, such as
// "products/?page=2", through the same pipeline as every method: the same
// auth (and token refresh), rate limit, retries, the rule that a POST is
// not repeated once it may have reached the server, and redaction. path is
// relative to the API root; body is sent as JSON; the answer is decoded
// into out (nil discards it, a *[]byte receives it as it came).
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...orderkit.CallOption) (*orderkit.Response, error) {
	cs, err := c.pc.Calls("Do", opts)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, func() (*orderkit.Response, error) { return c.pc.Raw(ctx, method, path, body, out, cs) })
}

// do sends r through send.
func (c *Client) do(ctx context.Context, r *pipeline.Request, out any) (*orderkit.Response, error) {
	return c.send(ctx, func() (*orderkit.Response, error) { return c.pc.Do(ctx, r, out) })
}

// send makes one call. With OAuth2, a 401 refreshes the token once and
// repeats the call once. That is safe for every request, POST /basket/
// included: a 401 means the server refused the request before acting on
// it.
func (c *Client) send(ctx context.Context, call func() (*orderkit.Response, error)) (*orderkit.Response, error) {
	if c.oauth == nil {
		return call()
	}
	gen := c.oauth.generation()
	res, err := call()
	if err == nil || !errors.Is(err, orderkit.ErrUnauthorized) {
		return res, err
	}
	var pe *orderkit.Error
	if !errors.As(err, &pe) || pe.StatusCode != http.StatusUnauthorized {
		return res, err
	}
	if rerr := c.oauth.refreshAfter(ctx, gen, true); rerr != nil {
		return res, errors.Join(err, rerr)
	}
	return call()
}
