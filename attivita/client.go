package attivita

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// DefaultBaseURL is the Attivita API root. Paths such as "products" and
// "orders" are resolved against it (https://api.attivita.de/api/orders).
// orderkit.WithBaseURL replaces it with another API root, taken as it is.
const DefaultBaseURL = "https://api.attivita.de/api"

// api names this client in errors and logs, and owns its options.
const api = "attivita"

// The sandbox headers: the request header that switches sandbox mode on,
// written by the client from WithSandbox and Sandbox, and the notice the
// API answers with.
const (
	headerSandboxMode   = "X-Sandbox-Mode"
	headerSandboxNotice = "X-Sandbox-Notice"
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

	pc *pipeline.Client
	// sandbox is the client's mode (WithSandbox); Sandbox changes it for
	// one call.
	sandbox bool
	// skew is the server's clock minus the client's, as the Date header of
	// the last answer showed it (nanoseconds); skewKnown once one did.
	skew      atomic.Int64
	skewKnown atomic.Bool
	// claimed holds the orders and webhooks this client knows a create
	// made, so that a lookup after another lost create does not take them.
	claimed claims
	// now is the client's clock (time.Now; tests replace it): the times
	// of a lost create and of its lookup.
	now func() time.Time
}

type service struct{ c *Client }

// NewClient returns a client that authenticates with the API access token
// issued by Attivita support ("Authorization: Bearer <token>"). It takes
// the shared options of package orderkit and this package's WithSandbox.
//
//	c, err := attivita.NewClient(os.Getenv("ATTIVITA_TOKEN"), attivita.WithSandbox())
func NewClient(token string, opts ...orderkit.Option) (*Client, error) {
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
	if _, ok := cfg.Header[headerSandboxMode]; ok {
		return nil, pipeline.Invalid(api, "invalid argument: WithHeader: %s is set by attivita.WithSandbox", headerSandboxMode)
	}
	pc, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{pc: pc, now: time.Now}
	if v, ok := cfg.OwnValue("WithSandbox"); ok {
		c.sandbox = v.(bool)
	}
	c.Products = &ProductsService{c}
	c.Orders = &OrdersService{c}
	c.Webhooks = &WebhooksService{c}
	return c, nil
}

// WithSandbox sends every request in sandbox mode ("X-Sandbox-Mode: true"):
// orders are answered with status "sandbox-completed" and dummy keys, and
// no stock, credit or licence key is spent. Sandbox switches the mode for
// one call.
func WithSandbox() orderkit.Option {
	return pipeline.NewOption("WithSandbox", func(s *config.Settings) error {
		s.SetOwn(api, "WithSandbox", true)
		return nil
	})
}

// Sandbox switches sandbox mode on (true) or off (false) for one call,
// whatever the client's mode (WithSandbox). Every method takes it:
//
//	order, err := c.Orders.Create(ctx, req, attivita.Sandbox(true))
func Sandbox(on bool) orderkit.CallOption {
	return pipeline.NewCallOption("Sandbox", func(cs *config.CallSettings) error {
		cs.SetOwn(api, "Sandbox", on)
		return nil
	})
}

// sandboxOption is the accept-list name of Sandbox.
const sandboxOption = api + ".Sandbox"

// BaseURL returns the API root requests are resolved against.
func (c *Client) BaseURL() string { return c.pc.BaseURL() }

// Sandbox reports whether the client sends its requests in sandbox mode
// (WithSandbox); the Sandbox call option changes that for one call.
func (c *Client) Sandbox() bool { return c.sandbox }

// Do sends a request to an endpoint the SDK does not wrap, with the same
// auth, rate limit, retries, POST rule, size cap and redaction as every
// method. path is relative to the API root and may carry a query
// ("orders?limit=5"); body, when not nil, is sent as JSON; the answer is
// decoded into out (nil discards it, a *[]byte receives it as it came).
// It takes the Sandbox call option and the shared ones.
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...orderkit.CallOption) (*orderkit.Response, error) {
	cs, sandbox, err := c.calls(ctx, "Do", opts)
	if err != nil {
		return nil, err
	}
	res, err := c.pc.Raw(ctx, method, path, body, out, withMode(cs, sandbox))
	c.noteDate(res, err)
	return res, err
}

// calls checks ctx and applies a method's call options; every method takes
// Sandbox besides the shared options, and accept lists what else it takes.
// It returns the call's settings and its mode. Nothing is sent.
func (c *Client) calls(ctx context.Context, method string, opts []orderkit.CallOption, accept ...string) (config.CallSettings, bool, error) {
	if ctx == nil {
		return config.CallSettings{}, false, pipeline.Invalid(api, "nil context")
	}
	cs, err := c.pc.Calls(method, opts, append(accept, sandboxOption)...)
	if err != nil {
		return cs, false, err
	}
	if _, ok := cs.Header[headerSandboxMode]; ok {
		return cs, false, pipeline.Invalid(api, "invalid argument: %s: CallHeader: %s is set by attivita.Sandbox", method, headerSandboxMode)
	}
	return cs, c.mode(cs), nil
}

// mode is a call's sandbox mode: its Sandbox option, else the client's.
func (c *Client) mode(cs config.CallSettings) bool {
	if v, ok := cs.OwnValue("Sandbox"); ok {
		return v.(bool)
	}
	return c.sandbox
}

// withMode returns cs with the sandbox header of the mode: X-Sandbox-Mode:
// true in sandbox mode, no such header otherwise.
func withMode(cs config.CallSettings, sandbox bool) config.CallSettings {
	if sandbox {
		h := make(http.Header, len(cs.Header)+1)
		for k, v := range cs.Header {
			h[k] = v
		}
		h[headerSandboxMode] = []string{"true"}
		cs.Header = h
	}
	return cs
}

// do sends r with the call's options in the given mode.
func (c *Client) do(ctx context.Context, cs config.CallSettings, sandbox bool, r *pipeline.Request, out any) (*pipeline.Response, error) {
	r.Call = withMode(cs, sandbox)
	res, err := c.pc.Do(ctx, r, out)
	c.noteDate(res, err)
	return res, err
}

// noteDate keeps the server's clock skew from an answer's Date header, for
// the lookup after a lost create.
func (c *Client) noteDate(res *pipeline.Response, err error) {
	if res == nil {
		var e *orderkit.Error
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
	c.skew.Store(int64(pd.t.Sub(c.clockNow())))
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

// clockNow reads the client's clock.
func (c *Client) clockNow() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}
