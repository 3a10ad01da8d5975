// Package config holds the settings behind orderkit.Option and
// orderkit.CallOption. The root package keeps both option types opaque; the
// client packages build their own options and read the settings through
// internal/pipeline, which wraps and unwraps them with the hooks below.
package config

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Limiter is what the pipeline waits on before every attempt; it has the
// method set of orderkit.Limiter.
type Limiter interface {
	Wait(ctx context.Context) error
}

// Settings is what NewClient's options write.
type Settings struct {
	BaseURL                    string
	HTTPClient                 *http.Client
	Timeout                    time.Duration
	Limiter                    Limiter
	MaxRetries                 int
	RetryWaitMin, RetryWaitMax time.Duration
	Logger                     *slog.Logger
	UserAgent                  string
	Header                     http.Header
	MaxResponseBytes           int64
	AllowInsecureHTTP          bool
	// Own holds the options of one client package (attivita.WithSandbox,
	// inventorum.WithAPIVersion, ...), in the order given.
	Own []Value
}

// Value is one setting of a client package's own option or call option.
type Value struct {
	// API is the package that owns the option ("attivita").
	API string
	// Name is the option's name as the caller writes it ("WithSandbox").
	Name string
	V    any
}

// SetOwn records a client package's own setting; a later one of the same
// name wins.
func (s *Settings) SetOwn(api, name string, v any) {
	s.Own = append(s.Own, Value{API: api, Name: name, V: v})
}

// OwnValue returns the last value set under name.
func (s *Settings) OwnValue(name string) (any, bool) {
	return lastValue(s.Own, name)
}

// Retry is a per-call retry setting.
type Retry struct {
	MaxRetries       int
	WaitMin, WaitMax time.Duration
}

// CallSettings is what a method's call options write.
type CallSettings struct {
	Header  http.Header
	Retry   *Retry
	Timeout time.Duration
	// Response, when set, is the caller's *orderkit.Response that receives
	// the call's metadata.
	Response any
	// Reference and Resolve are set by orderkit.Reference and
	// orderkit.ResolveOutcome; Given lists the names of such options that
	// apply to some methods only, for the method to check.
	Reference string
	Resolve   bool
	Given     []string
	// Own holds the call options of one client package (attivita.Sandbox).
	Own []Value
}

// SetOwn records a client package's own call option.
func (cs *CallSettings) SetOwn(api, name string, v any) {
	cs.Own = append(cs.Own, Value{API: api, Name: name, V: v})
	cs.Given = append(cs.Given, api+"."+name)
}

// OwnValue returns the last value set under name.
func (cs *CallSettings) OwnValue(name string) (any, bool) {
	return lastValue(cs.Own, name)
}

func lastValue(vs []Value, name string) (any, bool) {
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].Name == name {
			return vs[i].V, true
		}
	}
	return nil, false
}

// The hooks package orderkit sets in its init: they turn a function into
// the root's opaque Option and CallOption values and back. Only
// internal/pipeline calls them.
var (
	MakeOption     func(name string, f func(*Settings) error) any
	OptionFunc     func(o any) (name string, f func(*Settings) error)
	MakeCallOption func(name string, f func(*CallSettings) error) any
	CallOptionFunc func(o any) (name string, f func(*CallSettings) error)
)
