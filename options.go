package orderkit

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Version is the orderkit release, sent in the User-Agent.
const Version = "0.2.0"

// Defaults of every client, each changed by an Option.
const (
	DefaultMaxRetries       = 3
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxResponseBytes = 32 << 20
	DefaultTimeout          = 60 * time.Second
)

// Format is a wire format of bodies and answers.
type Format int

// The wire formats. Every API speaks JSON; Adility also speaks XML.
const (
	JSON Format = iota
	XML
)

// String returns "json" or "xml".
func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case XML:
		return "xml"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Settings is what an Option changes: the configuration a client is built
// from. NewClient starts from the API's defaults, applies the caller's
// options in order and checks the result; a caller never needs to build a
// Settings itself except in an Option of its own.
type Settings struct {
	// BaseURL is the API root, such as "https://api.attivita.de/api".
	// Each client documents its own default.
	BaseURL string
	// HTTPClient carries the requests; its Transport is wrapped (rate
	// limit, logging), never replaced. Nil makes a new one.
	HTTPClient *http.Client
	// Timeout bounds each attempt whole: connecting, the answer's headers
	// and reading its body. The context's deadline bounds the whole call,
	// retries included.
	Timeout time.Duration
	// Limiter is waited on before every attempt, retries included. Nil
	// means no client-side limit.
	Limiter *rate.Limiter
	// MaxRetries is the number of retries after the first attempt; 0 turns
	// retries off.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the wait between attempts;
	// RetryWaitMax also caps a server's Retry-After.
	RetryWaitMin, RetryWaitMax time.Duration
	// Logger receives one debug record per attempt (API, method, host,
	// path, status, attempt, duration), never a query, header, body or
	// credential. Nil logs nothing.
	Logger *slog.Logger
	// UserAgent is sent on every request; empty means
	// "orderkit/<Version> (<api>)".
	UserAgent string
	// Header is sent on every request.
	Header http.Header
	// MaxResponseBytes caps the size of an answer.
	MaxResponseBytes int64
	// AllowInsecureHTTP permits credentials over plain http to a host that
	// is not loopback.
	AllowInsecureHTTP bool
	// Format is the wire format, for APIs that speak more than one
	// (Adility).
	Format Format
}

// DefaultSettings returns the settings every client starts from, before its
// own defaults (base URL, headers) and the caller's options.
func DefaultSettings() Settings {
	return Settings{
		Timeout:          DefaultTimeout,
		MaxRetries:       DefaultMaxRetries,
		RetryWaitMin:     DefaultRetryWaitMin,
		RetryWaitMax:     DefaultRetryWaitMax,
		MaxResponseBytes: DefaultMaxResponseBytes,
	}
}

// Option changes the Settings a client is built from. Every client's
// NewClient takes them, and each client package re-exports the ones that
// apply to it (attivita.WithRetry is orderkit.WithRetry). An Option returns
// an error for a value it cannot use; NewClient then fails and names it.
type Option func(*Settings) error

// Apply applies opts to s in order. A nil option, or one that refuses its
// value, is an error wrapping ErrInvalidArgument that names the option by
// its position.
func (s *Settings) Apply(opts ...Option) error {
	for i, o := range opts {
		if o == nil {
			return fmt.Errorf("%w: option %d is nil", ErrInvalidArgument, i+1)
		}
		if err := o(s); err != nil {
			return fmt.Errorf("%w: option %d: %v", ErrInvalidArgument, i+1, err)
		}
	}
	return nil
}

// WithBaseURL points the client at another API root: a test server, a
// sandbox host, a proxy. Credentials are refused over plain http unless the
// host is loopback or WithInsecureHTTP is given too. An empty URL is
// refused.
func WithBaseURL(u string) Option {
	return func(s *Settings) error {
		if u == "" {
			return fmt.Errorf("WithBaseURL: empty URL")
		}
		s.BaseURL = u
		return nil
	}
}

// WithHTTPClient sends requests through hc (its connections, proxies, TLS
// settings and transport middleware such as tracing). The client wraps its
// transport and refuses redirects to other hosts. A nil hc is refused.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *Settings) error {
		if hc == nil {
			return fmt.Errorf("WithHTTPClient: nil *http.Client")
		}
		s.HTTPClient = hc
		return nil
	}
}

// WithRetry sets how many times a failed call is retried (0 turns retries
// off) and the bounds of the wait between attempts. waitMax also caps a
// server's Retry-After. Negative values, and waitMax below waitMin, are
// refused. A write that may have reached the server is never retried
// blindly, whatever this says.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return func(s *Settings) error {
		if err := checkRetry("WithRetry", maxRetries, waitMin, waitMax); err != nil {
			return err
		}
		s.MaxRetries, s.RetryWaitMin, s.RetryWaitMax = maxRetries, waitMin, waitMax
		return nil
	}
}

func checkRetry(name string, maxRetries int, waitMin, waitMax time.Duration) error {
	switch {
	case maxRetries < 0:
		return fmt.Errorf("%s: negative retry count %d", name, maxRetries)
	case waitMin < 0 || waitMax < 0:
		return fmt.Errorf("%s: negative wait (%v, %v)", name, waitMin, waitMax)
	case waitMax < waitMin:
		return fmt.Errorf("%s: waitMax %v is below waitMin %v", name, waitMax, waitMin)
	}
	return nil
}

// WithRateLimit sets the client-side rate limit in requests per second with
// a burst; every attempt, retries included, waits for it. rps 0 turns it
// off. A negative rate or a burst below 1 with a positive rate is refused.
func WithRateLimit(rps float64, burst int) Option {
	return func(s *Settings) error {
		switch {
		case rps < 0 || rps != rps:
			return fmt.Errorf("WithRateLimit: invalid rate %v", rps)
		case rps == 0:
			s.Limiter = nil
			return nil
		case burst < 1:
			return fmt.Errorf("WithRateLimit: burst %d is below 1", burst)
		}
		s.Limiter = rate.NewLimiter(rate.Limit(rps), burst)
		return nil
	}
}

// WithLimiter shares one limiter between clients (one account, several
// clients). A nil limiter is refused; use WithRateLimit(0, 0) to turn the
// limit off.
func WithLimiter(l *rate.Limiter) Option {
	return func(s *Settings) error {
		if l == nil {
			return fmt.Errorf("WithLimiter: nil *rate.Limiter")
		}
		s.Limiter = l
		return nil
	}
}

// WithLogger logs each attempt at debug level: API, method, host, path,
// status, attempt and duration. Never a query string, header, body or
// credential. A nil logger is refused; logging is off unless this is given.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) error {
		if l == nil {
			return fmt.Errorf("WithLogger: nil *slog.Logger")
		}
		s.Logger = l
		return nil
	}
}

// WithUserAgent replaces the User-Agent. An empty one is refused.
func WithUserAgent(ua string) Option {
	return func(s *Settings) error {
		if ua == "" {
			return fmt.Errorf("WithUserAgent: empty User-Agent")
		}
		s.UserAgent = ua
		return nil
	}
}

// WithHeader adds a header to every request. An empty or invalid name is
// refused.
func WithHeader(key, value string) Option {
	return func(s *Settings) error {
		if err := checkHeader("WithHeader", key, value); err != nil {
			return err
		}
		if s.Header == nil {
			s.Header = http.Header{}
		}
		s.Header.Set(key, value)
		return nil
	}
}

// WithTimeout bounds each attempt whole (default 60 s): connecting, the
// answer's headers and reading its body, also with a client given by
// WithHTTPClient. An attempt that runs out is retried where that is safe.
// The context's deadline bounds the whole call, retries included. Zero or a
// negative duration is refused.
func WithTimeout(d time.Duration) Option {
	return func(s *Settings) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: %v is not a positive duration", d)
		}
		s.Timeout = d
		return nil
	}
}

// WithMaxResponseBytes caps the size of an answer (default 32 MiB); a
// larger one is an error matching ErrResponseTooLarge. Zero or a negative
// size is refused.
func WithMaxResponseBytes(n int64) Option {
	return func(s *Settings) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes: %d is not a positive size", n)
		}
		s.MaxResponseBytes = n
		return nil
	}
}

// WithInsecureHTTP permits sending credentials over plain http to a host
// that is not loopback, such as a vendor's documented http test host.
func WithInsecureHTTP() Option {
	return func(s *Settings) error {
		s.AllowInsecureHTTP = true
		return nil
	}
}

func checkHeader(name, key, value string) error {
	if key == "" {
		return fmt.Errorf("%s: empty header name", name)
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return fmt.Errorf("%s: invalid header name %q", name, key)
		}
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c == '\r' || c == '\n' || c == 0 {
			return fmt.Errorf("%s: header %s: value holds a line break", name, key)
		}
	}
	return nil
}
