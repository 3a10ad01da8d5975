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
)

// Version is the orderkit release, sent in the User-Agent.
const Version = orderkit.Version

// Format is a wire format.
type Format = orderkit.Format

// The wire formats.
const (
	JSON = orderkit.JSON
	XML  = orderkit.XML
)

func contentType(f Format) string {
	if f == XML {
		return "application/xml"
	}
	return "application/json"
}

// Defaults, each overridable by an Option.
const (
	DefaultMaxRetries       = orderkit.DefaultMaxRetries
	DefaultRetryWaitMin     = orderkit.DefaultRetryWaitMin
	DefaultRetryWaitMax     = orderkit.DefaultRetryWaitMax
	DefaultMaxResponseBytes = orderkit.DefaultMaxResponseBytes
	DefaultTimeout          = orderkit.DefaultTimeout
	// maxErrorBody bounds what is read of an error answer.
	maxErrorBody = 64 << 10
)

// ErrorDecoder reads an API's error body. It returns the vendor's message
// and code, and optionally a typed error (such as an out-of-stock error with
// its items) that the *Error will wrap. It must not panic on any input.
type ErrorDecoder func(status int, header http.Header, body []byte) (message, code string, detail error)

// Config is everything a Client is built from: the public Settings that
// Options change, and what the client package fixes for its API.
type Config struct {
	orderkit.Settings
	// API names the client in errors and logs: "attivita".
	API string
	// Auth is nil for no credentials.
	Auth Auth
	// DecodeError reads the API's error bodies; nil uses a generic reader.
	DecodeError ErrorDecoder

	// sleep replaces the wait between attempts (tests).
	sleep func(ctx context.Context, d time.Duration)
}

// NewConfig returns a Config for api with the shared defaults and baseURL.
func NewConfig(api, baseURL string) Config {
	s := orderkit.DefaultSettings()
	s.BaseURL = baseURL
	return Config{Settings: s, API: api}
}

// Option changes the Settings a client is built from.
type Option = orderkit.Option

// The shared options, as the client packages re-export them.
var (
	WithBaseURL          = orderkit.WithBaseURL
	WithHTTPClient       = orderkit.WithHTTPClient
	WithRetry            = orderkit.WithRetry
	WithRateLimit        = orderkit.WithRateLimit
	WithLimiter          = orderkit.WithLimiter
	WithLogger           = orderkit.WithLogger
	WithUserAgent        = orderkit.WithUserAgent
	WithHeader           = orderkit.WithHeader
	WithTimeout          = orderkit.WithTimeout
	WithMaxResponseBytes = orderkit.WithMaxResponseBytes
	WithInsecureHTTP     = orderkit.WithInsecureHTTP
)

// Apply applies opts to c's Settings in order; the error names the first
// option that is nil or refuses its value, prefixed with the API's name.
func (c *Config) Apply(opts ...Option) error {
	if err := c.Settings.Apply(opts...); err != nil {
		return &argError{msg: c.API + ": " + err.Error()}
	}
	return nil
}

// Calls applies a method's call options; the error names the first one
// that is nil or refuses its value, prefixed with api.
func Calls(api string, opts []orderkit.CallOption) (orderkit.CallSettings, error) {
	cs, err := orderkit.ApplyCallOptions(opts)
	if err != nil {
		return cs, &argError{msg: api + ": " + err.Error()}
	}
	return cs, nil
}
