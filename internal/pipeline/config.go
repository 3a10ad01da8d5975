// Package pipeline is the one HTTP request pipeline every orderkit client
// calls: base URL, auth, headers, JSON and XML bodies, a response-size cap,
// a client-side rate limit, method-aware retries through go-retryablehttp,
// typed errors and the scrubbing of secrets. The client packages hold only
// what is specific to their API.
package pipeline

import (
	"context"
	"net/http"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
)

// Version is the orderkit release, sent in the User-Agent.
const Version = orderkit.Version

// Format is a wire format.
type Format int

// The wire formats. Every API speaks JSON; Adility also speaks XML.
const (
	JSON Format = iota
	XML
)

func contentType(f Format) string {
	if f == XML {
		return "application/xml"
	}
	return "application/json"
}

// Defaults, each overridable by an Option.
const (
	DefaultMaxRetries       = 3
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxResponseBytes = 32 << 20
	DefaultTimeout          = 60 * time.Second
	// maxErrorBody bounds what is read of an error answer.
	maxErrorBody = 64 << 10
)

// ErrorDecoder reads an API's error body. It returns the vendor's message
// and code, and optionally a typed error (such as an out-of-stock error with
// its items) that the *Error will wrap. It must not panic on any input.
type ErrorDecoder func(status int, header http.Header, body []byte) (message, code string, detail error)

// Config is everything a Client is built from: the Settings that options
// change, and what the client package fixes for its API.
type Config struct {
	config.Settings
	// API names the client in errors and the User-Agent ("attivita").
	API string
	// Auth sets the credentials on every request.
	Auth Auth
	// CredentialHeader is the header Auth writes, besides Authorization
	// (Adility's X-ADILITY-API-KEY): WithHeader and CallHeader refuse it.
	CredentialHeader string
	// DecodeError reads the API's error bodies; nil reads the common
	// shapes ({"error": ...}, {"message": ...}).
	DecodeError ErrorDecoder
	// Format is the wire format of bodies and answers.
	Format Format

	sleep func(ctx context.Context, d time.Duration)
}

// NewConfig returns the defaults of an API's client.
func NewConfig(api, baseURL string) Config {
	return Config{Settings: config.Settings{
		BaseURL:          baseURL,
		Timeout:          DefaultTimeout,
		MaxRetries:       DefaultMaxRetries,
		RetryWaitMin:     DefaultRetryWaitMin,
		RetryWaitMax:     DefaultRetryWaitMax,
		MaxResponseBytes: DefaultMaxResponseBytes,
	}, API: api}
}

// Apply applies opts in order. A zero option, one that refuses its value,
// or another client package's own option is an error matching
// ErrInvalidArgument that names the option and its position.
func (c *Config) Apply(opts ...orderkit.Option) error {
	for i, o := range opts {
		_, f := config.OptionFunc(o)
		if f == nil {
			return Invalid(c.API, "invalid argument: option %d is the zero orderkit.Option", i+1)
		}
		own := len(c.Own)
		if err := f(&c.Settings); err != nil {
			return Invalid(c.API, "invalid argument: option %d: %v", i+1, err)
		}
		for _, v := range c.Own[own:] {
			if v.API != c.API {
				return Invalid(c.API, "invalid argument: option %d: %s.%s is an option of package %s, not of %s", i+1, v.API, v.Name, v.API, c.API)
			}
		}
	}
	return nil
}

// NewOption builds a client package's own option; f records its value
// with s.SetOwn(api, name, v) and returns an error for a value it refuses.
func NewOption(name string, f func(s *config.Settings) error) orderkit.Option {
	return config.MakeOption(name, f).(orderkit.Option)
}

// NewCallOption builds a client package's own call option; f records its
// value with cs.SetOwn(api, name, v).
func NewCallOption(name string, f func(cs *config.CallSettings) error) orderkit.CallOption {
	return config.MakeCallOption(name, f).(orderkit.CallOption)
}

// Calls applies a method's call options. method names the method in
// errors ("Orders.Get"); accept lists the options of limited scope it
// takes ("Reference", "ResolveOutcome", "attivita.Sandbox"). A zero or
// refused option, one of limited scope the method does not take, or a
// header carrying the client's credential is an error matching
// ErrInvalidArgument that names it.
func (c *Client) Calls(method string, opts []orderkit.CallOption, accept ...string) (config.CallSettings, error) {
	var cs config.CallSettings
	for i, o := range opts {
		_, f := config.CallOptionFunc(o)
		if f == nil {
			return cs, Invalid(c.cfg.API, "invalid argument: %s: call option %d is the zero orderkit.CallOption", method, i+1)
		}
		given := len(cs.Given)
		if err := f(&cs); err != nil {
			return cs, Invalid(c.cfg.API, "invalid argument: %s: call option %d: %v", method, i+1, err)
		}
		for _, g := range cs.Given[given:] {
			if !accepts(accept, g) {
				return cs, Invalid(c.cfg.API, "invalid argument: %s: call option %d: %s does not apply to %s", method, i+1, g, method)
			}
		}
	}
	for _, v := range cs.Own {
		if v.API != c.cfg.API {
			return cs, Invalid(c.cfg.API, "invalid argument: %s: call option %s.%s is an option of package %s, not of %s", method, v.API, v.Name, v.API, c.cfg.API)
		}
	}
	if h := c.cfg.CredentialHeader; h != "" {
		if _, ok := cs.Header[http.CanonicalHeaderKey(h)]; ok {
			return cs, Invalid(c.cfg.API, "invalid argument: %s: CallHeader: %s carries a credential; give credentials to NewClient", method, http.CanonicalHeaderKey(h))
		}
	}
	return cs, nil
}

func accepts(accept []string, name string) bool {
	for _, a := range accept {
		if a == name {
			return true
		}
	}
	return false
}

// checkHeaders refuses a client-wide header that carries the client's
// credential.
func checkHeaders(cfg *Config) error {
	if h := cfg.CredentialHeader; h != "" {
		if _, ok := cfg.Header[http.CanonicalHeaderKey(h)]; ok {
			return Invalid(cfg.API, "invalid argument: WithHeader: %s carries a credential; give credentials to NewClient", http.CanonicalHeaderKey(h))
		}
	}
	return nil
}
