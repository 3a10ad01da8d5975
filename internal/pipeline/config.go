// Package pipeline is the one HTTP request pipeline every orderkit client
// calls: base URL, auth, headers, JSON and XML bodies, a response-size cap,
// a client-side rate limit, method-aware retries through go-retryablehttp,
// typed errors and the scrubbing of secrets. The client packages hold only
// what is specific to their API.
package pipeline

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Version is the orderkit release, sent in the User-Agent.
const Version = "0.1.0"

// Format is a wire format.
type Format int

// The wire formats.
const (
	JSON Format = iota
	XML
)

func (f Format) contentType() string {
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

// Config is everything a Client is built from. The client packages fill the
// API's defaults and apply the caller's Options on top.
type Config struct {
	// API names the client in errors and logs: "attivita".
	API string
	// BaseURL is where paths are resolved, e.g. "https://api.attivita.de/api".
	BaseURL string
	// Auth is nil for no credentials.
	Auth Auth
	// UserAgent is sent on every request; empty means "orderkit/<Version>".
	UserAgent string
	// Header is sent on every request (X-Api-Version, X-Sandbox-Mode, ...).
	Header http.Header
	// HTTPClient is copied; its Transport is wrapped, never replaced.
	HTTPClient *http.Client
	// Timeout bounds each attempt's wait for the answer's headers when the
	// pipeline makes its own transport. Zero means DefaultTimeout.
	Timeout time.Duration
	// Limiter is waited on before every attempt, retries included.
	Limiter *rate.Limiter
	// MaxRetries is the number of retries after the first attempt.
	MaxRetries   int
	RetryWaitMin time.Duration
	// RetryWaitMax caps every wait, Retry-After included.
	RetryWaitMax time.Duration
	// Logger receives one debug record per attempt (method, host, path,
	// status, duration) and nothing secret. Nil logs nothing.
	Logger *slog.Logger
	// MaxResponseBytes caps the size of an answer.
	MaxResponseBytes int64
	// AllowInsecureHTTP permits credentials over plain http to a host that
	// is not loopback.
	AllowInsecureHTTP bool
	// Format is the wire format of bodies and answers.
	Format Format
	// DecodeError reads the API's error bodies; nil uses a generic reader.
	DecodeError ErrorDecoder

	// sleep replaces the wait between attempts (tests).
	sleep      func(ctx context.Context, d time.Duration)
	retriesSet bool
}

// Option changes a Config. Each client package re-exports the ones that
// apply to it.
type Option func(*Config)

// WithBaseURL points the client at another base URL (a test server, a
// sandbox host). Credentials are refused over plain http unless the host is
// loopback or WithInsecureHTTP is given too.
func WithBaseURL(u string) Option { return func(c *Config) { c.BaseURL = u } }

// WithHTTPClient uses hc for connections, proxies and TLS. The pipeline
// wraps its transport and refuses redirects to other hosts.
func WithHTTPClient(hc *http.Client) Option { return func(c *Config) { c.HTTPClient = hc } }

// WithRetry sets how many times a failed call is retried (0 turns retries
// off) and the bounds of the wait between attempts. waitMax also caps a
// server's Retry-After.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return func(c *Config) {
		c.MaxRetries, c.RetryWaitMin, c.RetryWaitMax, c.retriesSet = maxRetries, waitMin, waitMax, true
	}
}

// WithRateLimit sets the client-side rate limit in requests per second with
// a burst; every attempt waits for it. rps ≤ 0 turns it off.
func WithRateLimit(rps float64, burst int) Option {
	return func(c *Config) {
		if rps <= 0 {
			c.Limiter = nil
			return
		}
		if burst < 1 {
			burst = 1
		}
		c.Limiter = rate.NewLimiter(rate.Limit(rps), burst)
	}
}

// WithLimiter shares one limiter between clients (one account, several
// clients).
func WithLimiter(l *rate.Limiter) Option { return func(c *Config) { c.Limiter = l } }

// WithLogger logs each attempt at debug level: method, host, path, status,
// attempt and duration. Never a query string, header, body or credential.
func WithLogger(l *slog.Logger) Option { return func(c *Config) { c.Logger = l } }

// WithUserAgent replaces the User-Agent.
func WithUserAgent(ua string) Option { return func(c *Config) { c.UserAgent = ua } }

// WithHeader adds a header to every request.
func WithHeader(key, value string) Option {
	return func(c *Config) {
		if c.Header == nil {
			c.Header = http.Header{}
		}
		c.Header.Set(key, value)
	}
}

// WithTimeout bounds each attempt's wait for the answer (its headers;
// default 60 s), after which a safe call is retried. It applies when the
// pipeline makes its own transport, not to one given by WithHTTPClient. The
// context's deadline bounds the whole call, retries included.
func WithTimeout(d time.Duration) Option { return func(c *Config) { c.Timeout = d } }

// WithMaxResponseBytes caps the size of an answer (default 32 MiB).
func WithMaxResponseBytes(n int64) Option { return func(c *Config) { c.MaxResponseBytes = n } }

// WithInsecureHTTP permits sending credentials over plain http to a host
// that is not loopback, such as a vendor's documented http test host.
func WithInsecureHTTP() Option { return func(c *Config) { c.AllowInsecureHTTP = true } }

// Apply applies opts to c in order.
func (c *Config) Apply(opts ...Option) {
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
}
