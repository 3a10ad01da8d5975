package adility

import (
	"context"
	"fmt"
	"strings"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// TestBaseURL is the beta/test API root the Adility reference page uses in
// every sample. It is plain http, so a client pointed at it must also be
// given orderkit.WithInsecureHTTP: the API key would otherwise travel
// unencrypted without the caller having said so.
const TestBaseURL = "http://testapi.adility.com/distribution/beta"

// APIKeyHeader is the request header that carries the API key. WithHeader
// and CallHeader refuse it: the key is given to NewClient.
const APIKeyHeader = "X-ADILITY-API-KEY"

// Format is a wire format of the Distribution API: JSON (the default) or
// XML.
type Format int

// The wire formats the Distribution API speaks.
const (
	JSON Format = iota
	XML
)

// ID is an id of the Distribution API: of an order, an offer, a voucher, an
// account, a reservation, a promotion or an advertiser. Adility's ids are
// strings ("4f1d2c3b9a0e7d0012000003"); one sent as a number is kept as its
// text.
type ID string

// String returns the id's text.
func (id ID) String() string { return string(id) }

const apiName = "adility"

// WithFormat selects the wire format of requests and answers: JSON (the
// default) or XML. Bodies are encoded in it and Content-Type and Accept
// name it. Another value is refused.
func WithFormat(f Format) orderkit.Option {
	return pipeline.NewOption("WithFormat", func(s *config.Settings) error {
		if f != JSON && f != XML {
			return fmt.Errorf("WithFormat: unknown wire format %d", int(f))
		}
		s.SetOwn(apiName, "WithFormat", f)
		return nil
	})
}

// Client talks to the Adility Distribution API. It is safe for concurrent
// use.
type Client struct {
	pc     *pipeline.Client
	format Format

	// Orders places, reads and cancels orders.
	Orders *OrdersService
	// Vouchers reads and cancels single vouchers.
	Vouchers *VouchersService
}

// NewClient returns a client that sends apiKey in the X-ADILITY-API-KEY
// header. orderkit.WithBaseURL is required, with the API root (".../distribution/beta"):
// Adility does not publish a production URL. For the documented test host
// give orderkit.WithBaseURL(TestBaseURL) together with
// orderkit.WithInsecureHTTP().
func NewClient(apiKey string, opts ...orderkit.Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, pipeline.Invalid(apiName, "empty API key")
	}
	cfg := pipeline.NewConfig(apiName, "")
	cfg.Auth = pipeline.APIKey(APIKeyHeader, apiKey)
	cfg.CredentialHeader = APIKeyHeader
	cfg.DecodeError = decodeError
	if err := cfg.Apply(opts...); err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		return nil, pipeline.Invalid(apiName, "no base URL: Adility does not publish a production URL; use orderkit.WithBaseURL (TestBaseURL with orderkit.WithInsecureHTTP for the test host)")
	}
	c := &Client{format: JSON}
	if v, ok := cfg.OwnValue("WithFormat"); ok {
		c.format = v.(Format)
	}
	if c.format == XML {
		cfg.Format = pipeline.XML
	}
	pc, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	c.pc = pc
	c.Orders = &OrdersService{c: c}
	c.Vouchers = &VouchersService{c: c}
	return c, nil
}

// Format returns the client's wire format.
func (c *Client) Format() Format { return c.format }

// BaseURL returns the API root requests are resolved against.
func (c *Client) BaseURL() string { return c.pc.BaseURL() }

// Do sends a request to an endpoint the client does not wrap, through the
// same pipeline as every method: the same API key, rate limit, retries (a
// POST only where it surely was not acted on), response-size cap and
// redaction. path is relative to the API root and may carry a query; body,
// when not nil, is encoded in the client's format (in XML its XMLName names
// the root element); the answer is decoded into out (nil discards it, a
// *[]byte receives it as sent).
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...orderkit.CallOption) (*orderkit.Response, error) {
	cs, err := c.pc.Calls("Do", opts)
	if err != nil {
		return nil, err
	}
	return c.pc.Raw(ctx, method, path, body, out, cs)
}
