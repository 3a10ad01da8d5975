package orderkit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/orderkit/orderkit/internal/config"
	"golang.org/x/time/rate"
)

// Version is the orderkit release, sent in the User-Agent.
const Version = "0.3.0"

// Option configures a client: every NewClient takes ...Option. The shared
// options are the With functions of this package; a client package adds
// options of its own (attivita.WithSandbox, inventorum.WithAPIVersion,
// adility.WithFormat), which only its own NewClient accepts. An option that
// cannot use its value, or one of another client package, makes NewClient
// fail with an error that matches ErrInvalidArgument and names the option.
type Option struct {
	name  string
	apply func(*config.Settings) error
}

// Limiter is a client-side rate limit, waited on before every attempt,
// retries included. *rate.Limiter of golang.org/x/time/rate satisfies it.
// Wait blocks until a request may be sent, or returns an error when ctx
// ends first (or the wait would outlast ctx's deadline); it must be safe
// for concurrent use. A limiter shared by several processes (one account,
// many workers) implements it on a shared store.
type Limiter interface {
	Wait(ctx context.Context) error
}

func newOption(name string, f func(*config.Settings) error) Option {
	return Option{name: name, apply: f}
}

// WithBaseURL points the client at another API root: a test server, a
// sandbox host, a proxy. Credentials are refused over plain http unless the
// host is loopback or WithInsecureHTTP is given too. An empty URL is
// refused.
func WithBaseURL(u string) Option {
	return newOption("WithBaseURL", func(s *config.Settings) error {
		if u == "" {
			return fmt.Errorf("WithBaseURL: empty URL")
		}
		s.BaseURL = u
		return nil
	})
}

// WithHTTPClient sends requests through hc (its connections, proxies, TLS
// settings and transport middleware such as tracing). The client wraps its
// transport and refuses redirects to other hosts. A nil hc is refused.
func WithHTTPClient(hc *http.Client) Option {
	return newOption("WithHTTPClient", func(s *config.Settings) error {
		if hc == nil {
			return fmt.Errorf("WithHTTPClient: nil *http.Client")
		}
		s.HTTPClient = hc
		return nil
	})
}

// WithRetry sets how many times a failed call is retried (0 turns retries
// off; default 3) and the bounds of the wait between attempts (default
// 0.5 s to 30 s). waitMax also caps a
// server's Retry-After. Negative values, and waitMax below waitMin, are
// refused. A write that may have reached the server is never retried
// blindly, whatever this says.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return newOption("WithRetry", func(s *config.Settings) error {
		if err := checkRetry("WithRetry", maxRetries, waitMin, waitMax); err != nil {
			return err
		}
		s.MaxRetries, s.RetryWaitMin, s.RetryWaitMax = maxRetries, waitMin, waitMax
		return nil
	})
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
	return newOption("WithRateLimit", func(s *config.Settings) error {
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
	})
}

// WithLimiter waits on l before every attempt: a *rate.Limiter shared by
// several clients of one account, or a Limiter shared by several processes.
// A nil limiter (or a typed nil *rate.Limiter) is refused; use
// WithRateLimit(0, 0) to turn the limit off.
func WithLimiter(l Limiter) Option {
	return newOption("WithLimiter", func(s *config.Settings) error {
		if l == nil {
			return fmt.Errorf("WithLimiter: nil Limiter")
		}
		if rl, ok := l.(*rate.Limiter); ok && rl == nil {
			return fmt.Errorf("WithLimiter: nil *rate.Limiter")
		}
		s.Limiter = l
		return nil
	})
}

// WithLogger logs each attempt at debug level: API, method, host, path,
// status, attempt and duration. Never a query string, header, body or
// credential. A nil logger is refused; logging is off unless this is given.
func WithLogger(l *slog.Logger) Option {
	return newOption("WithLogger", func(s *config.Settings) error {
		if l == nil {
			return fmt.Errorf("WithLogger: nil *slog.Logger")
		}
		s.Logger = l
		return nil
	})
}

// WithUserAgent replaces the User-Agent. An empty one is refused.
func WithUserAgent(ua string) Option {
	return newOption("WithUserAgent", func(s *config.Settings) error {
		if ua == "" {
			return fmt.Errorf("WithUserAgent: empty User-Agent")
		}
		s.UserAgent = ua
		return nil
	})
}

// WithHeader adds a header to every request. An empty or invalid name is
// refused.
func WithHeader(key, value string) Option {
	return newOption("WithHeader", func(s *config.Settings) error {
		if err := checkHeader("WithHeader", key, value); err != nil {
			return err
		}
		if credentialHeader(key) {
			return fmt.Errorf("WithHeader: %s carries a credential; give credentials to NewClient", http.CanonicalHeaderKey(key))
		}
		if s.Header == nil {
			s.Header = http.Header{}
		}
		s.Header.Set(key, value)
		return nil
	})
}

// WithTimeout bounds each attempt whole (default 60 s): connecting, the
// answer's headers and reading its body, also with a client given by
// WithHTTPClient. An attempt that runs out is retried where that is safe.
// The context's deadline bounds the whole call, retries included. Zero or a
// negative duration is refused.
func WithTimeout(d time.Duration) Option {
	return newOption("WithTimeout", func(s *config.Settings) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: %v is not a positive duration", d)
		}
		s.Timeout = d
		return nil
	})
}

// WithMaxResponseBytes caps the size of an answer (default 32 MiB); a
// larger one is an error matching ErrResponseTooLarge. Zero or a negative
// size is refused.
func WithMaxResponseBytes(n int64) Option {
	return newOption("WithMaxResponseBytes", func(s *config.Settings) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes: %d is not a positive size", n)
		}
		s.MaxResponseBytes = n
		return nil
	})
}

// WithInsecureHTTP permits sending credentials over plain http to a host
// that is not loopback, such as a vendor's documented http test host.
func WithInsecureHTTP() Option {
	return newOption("WithInsecureHTTP", func(s *config.Settings) error {
		s.AllowInsecureHTTP = true
		return nil
	})
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

// credentialHeader reports the headers that carry a credential in every
// API. The client's own credential header (Adility's X-ADILITY-API-KEY) is
// refused by its NewClient.
func credentialHeader(key string) bool {
	switch http.CanonicalHeaderKey(key) {
	case "Authorization", "Proxy-Authorization", "Cookie":
		return true
	}
	return false
}

func init() {
	config.MakeOption = func(name string, f func(*config.Settings) error) any { return newOption(name, f) }
	config.OptionFunc = func(o any) (string, func(*config.Settings) error) {
		opt := o.(Option)
		return opt.name, opt.apply
	}
	config.MakeCallOption = func(name string, f func(*config.CallSettings) error) any { return newCallOption(name, f) }
	config.CallOptionFunc = func(o any) (string, func(*config.CallSettings) error) {
		opt := o.(CallOption)
		return opt.name, opt.apply
	}
}
