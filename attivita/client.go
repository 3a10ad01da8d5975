package attivita

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is the Attivita API root. Paths such as "products" and
// "orders" are resolved against it (https://api.attivita.de/api/orders).
const DefaultBaseURL = "https://api.attivita.de/api"

// api names this client in errors and logs.
const api = "attivita"

// Sandbox headers: the request header that switches sandbox mode on, and
// the notice the API answers with.
const (
	HeaderSandboxMode   = "X-Sandbox-Mode"
	HeaderSandboxNotice = "X-Sandbox-Notice"
)

// Client talks to the Attivita Products, Orders and Webhooks APIs. It is
// safe for concurrent use.
type Client struct {
	// Products lists the catalogue with customer prices and stock.
	Products *ProductsService
	// Orders lists, reads and creates orders (which hand out licence keys).
	Orders *OrdersService
	// Webhooks manages webhook subscriptions (beta).
	Webhooks *WebhooksService

	pc      *pipeline.Client
	sandbox bool
	// skew is the server's clock minus the client's, as the Date header of
	// the last answer showed it (nanoseconds); skewKnown once one did.
	skew      atomic.Int64
	skewKnown atomic.Bool
	// claimed holds the orders and webhooks this client knows a create
	// made, so that a lookup after another lost create does not take them.
	claimed claims
}

type service struct{ c *Client }

// NewClient returns a client that authenticates with the API access token
// issued by Attivita support ("Authorization: Bearer <token>").
//
//	c, err := attivita.NewClient(os.Getenv("ATTIVITA_TOKEN"), attivita.WithSandbox())
func NewClient(token string, opts ...Option) (*Client, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, pipeline.Invalid(api, "empty API token")
	}
	cfg := pipeline.NewConfig(api, DefaultBaseURL)
	cfg.Auth = pipeline.Bearer(token)
	cfg.DecodeError = decodeError
	if err := cfg.Apply(opts...); err != nil {
		return nil, err
	}
	pc, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{pc: pc}
	c.sandbox = strings.EqualFold(cfg.Header.Get(HeaderSandboxMode), "true")
	c.Products = &ProductsService{c}
	c.Orders = &OrdersService{c}
	c.Webhooks = &WebhooksService{c}
	return c, nil
}

// BaseURL returns the base URL requests are resolved against.
func (c *Client) BaseURL() string { return c.pc.BaseURL() }

// Sandbox reports whether the client sends X-Sandbox-Mode: true on every
// request by default (WithSandbox). ContextWithSandbox overrides it per call.
func (c *Client) Sandbox() bool { return c.sandbox }

// WithSandbox sends "X-Sandbox-Mode: true" on every request: orders are
// answered with status "sandbox-completed" and dummy keys, and no stock,
// credit or licence key is spent. To switch sandbox mode for a single call
// instead, use ContextWithSandbox.
func WithSandbox() Option { return pipeline.WithHeader(HeaderSandboxMode, "true") }

type sandboxKey struct{}

// ContextWithSandbox returns a context that switches sandbox mode on (true)
// or off (false) for the calls made with it, whatever the client's default:
//
//	order, err := c.Orders.Create(attivita.ContextWithSandbox(ctx, true), products)
func ContextWithSandbox(ctx context.Context, on bool) context.Context {
	return context.WithValue(ctx, sandboxKey{}, on)
}

// SandboxFromContext reports the sandbox mode set by ContextWithSandbox, and
// whether one was set.
func SandboxFromContext(ctx context.Context) (on, ok bool) {
	on, ok = ctx.Value(sandboxKey{}).(bool)
	return on, ok
}

// Sandbox switches sandbox mode on (true) or off (false) for one call,
// whatever the client's default (WithSandbox) and the context's
// (ContextWithSandbox):
//
//	order, err := c.Orders.Create(ctx, products, attivita.Sandbox(true))
func Sandbox(on bool) CallOption {
	return func(cs *orderkit.CallSettings) error {
		if cs.Header == nil {
			cs.Header = http.Header{}
		}
		if on {
			cs.Header[HeaderSandboxMode] = []string{"true"}
		} else {
			// No values: the pipeline removes the client's default header.
			cs.Header[HeaderSandboxMode] = nil
		}
		return nil
	}
}

// call is one request with its call options applied.
type call struct {
	cs      orderkit.CallSettings
	sandbox bool // whether the request goes out in sandbox mode
}

// prepare checks ctx and applies opts; nothing is sent.
func (c *Client) prepare(ctx context.Context, opts []CallOption) (call, error) {
	if ctx == nil {
		return call{}, pipeline.Invalid(api, "nil context")
	}
	var cs orderkit.CallSettings
	if len(opts) > 0 { // the settings escape once an option sees them
		var err error
		if cs, err = pipeline.Calls(api, opts); err != nil {
			return call{}, err
		}
	}
	cl := call{cs: cs, sandbox: c.sandbox}
	if on, ok := SandboxFromContext(ctx); ok {
		cl.sandbox = on
	}
	if v, ok := cs.Header[HeaderSandboxMode]; ok {
		cl.sandbox = len(v) > 0 && strings.EqualFold(v[len(v)-1], "true")
	}
	return cl, nil
}

// do sends r with the call's options and its sandbox header.
func (c *Client) do(ctx context.Context, cl call, r *pipeline.Request, out any) (*pipeline.Response, error) {
	if on, ok := SandboxFromContext(ctx); ok {
		r.Header = http.Header{}
		if on {
			r.Header.Set(HeaderSandboxMode, "true")
		} else {
			// The pipeline adds client headers first and per-call ones
			// after; an empty value list removes the client's default.
			r.Header[HeaderSandboxMode] = nil
		}
	}
	r.Call = cl.cs
	res, err := c.pc.Do(ctx, r, out)
	c.noteDate(res, err)
	return res, err
}

// noteDate keeps the server's clock skew from an answer's Date header, for
// the lookup after a lost create.
func (c *Client) noteDate(res *pipeline.Response, err error) {
	if res == nil {
		var e *Error
		if !errors.As(err, &e) || e.Response == nil {
			return
		}
		res = e.Response
	}
	raw := res.Header.Get("Date")
	pd := lastDate.Load()
	if pd == nil || pd.raw != raw {
		// Date changes once a second: most answers repeat the last one,
		// whose parse is kept.
		d, perr := http.ParseTime(raw)
		pd = &parsedDate{raw: raw, t: d, ok: perr == nil}
		lastDate.Store(pd)
	}
	if !pd.ok {
		return
	}
	c.skew.Store(int64(time.Until(pd.t)))
	c.skewKnown.Store(true)
}

// parsedDate is a Date header's text and what http.ParseTime made of it.
// It is never changed once stored.
type parsedDate struct {
	raw string
	t   time.Time
	ok  bool
}

// lastDate is the last Date header noteDate parsed, for any client: the
// parse depends on the text only.
var lastDate atomic.Pointer[parsedDate]

// seenSkew returns the last skew seen, if any.
func (c *Client) seenSkew() (time.Duration, bool) {
	if !c.skewKnown.Load() {
		return 0, false
	}
	return time.Duration(c.skew.Load()), true
}

// WithBaseURL points the client at another API root, such as a test server
// (attivitatest.BaseURL gives the fake's). The default is DefaultBaseURL,
// "https://api.attivita.de/api". A bare host without a path
// ("https://api.attivita.de", the form earlier releases took) gets "/api"
// appended, so it keeps working. Credentials are refused over plain http
// unless the host is loopback. An empty or unparsable URL is refused.
func WithBaseURL(u string) Option {
	return func(s *orderkit.Settings) error {
		if strings.TrimSpace(u) == "" {
			return fmt.Errorf("WithBaseURL: empty URL")
		}
		// A URL that does not parse is the pipeline's to refuse, in the
		// words (and with the redaction) every client uses.
		if p, err := url.Parse(u); err == nil && p.Host != "" && (p.Path == "" || p.Path == "/") && p.RawQuery == "" && p.Fragment == "" && p.Opaque == "" {
			p.Path = "/api"
			p.RawPath = ""
			u = p.String()
		}
		return pipeline.WithBaseURL(u)(s)
	}
}

// WithHTTPClient uses hc for connections, proxies and TLS; its transport is
// wrapped, never replaced.
func WithHTTPClient(hc *http.Client) Option { return pipeline.WithHTTPClient(hc) }

// WithRetry sets how many times a failed call is retried (0 turns retries
// off) and the bounds of the wait between attempts. Order creation is never
// retried once it may have reached the server.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return pipeline.WithRetry(maxRetries, waitMin, waitMax)
}

// WithRateLimit sets a client-side rate limit in requests per second with a
// burst. Attivita publishes no figure but answers 429 when it is exceeded.
func WithRateLimit(rps float64, burst int) Option { return pipeline.WithRateLimit(rps, burst) }

// WithLimiter shares one rate limiter between several clients.
func WithLimiter(l *rate.Limiter) Option { return pipeline.WithLimiter(l) }

// WithLogger logs each attempt at debug level (method, host, path, status,
// duration), never a header, body, token or webhook secret.
func WithLogger(l *slog.Logger) Option { return pipeline.WithLogger(l) }

// WithUserAgent replaces the User-Agent header.
func WithUserAgent(ua string) Option { return pipeline.WithUserAgent(ua) }

// WithTimeout bounds each attempt whole (default 60 s): connecting, the
// answer's headers and reading its body, also with a client given by
// WithHTTPClient. An attempt that runs out is retried where that is safe
// (never an order's POST once it may have been sent). The context's
// deadline, or CallTimeout, bounds the whole call. Zero or a negative
// duration is refused.
func WithTimeout(d time.Duration) Option { return pipeline.WithTimeout(d) }

// WithMaxResponseBytes caps the size of an answer (default 32 MiB); a
// larger one is ErrResponseTooLarge. Zero or a negative size is refused.
func WithMaxResponseBytes(n int64) Option { return pipeline.WithMaxResponseBytes(n) }
