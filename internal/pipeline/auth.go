package pipeline

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
)

// Auth puts credentials on a request. Apply runs once per call, before the
// first attempt; retries of that call reuse what it set. Secrets lists every
// value that must never appear in an error or a log line; the pipeline
// scrubs them when it builds an error, so Secrets must return at once and
// never wait on a lock that a refresh in progress may hold.
type Auth interface {
	Apply(ctx context.Context, req *http.Request) error
	Secrets() []string
}

// Bearer sends "Authorization: Bearer <token>".
func Bearer(token string) Auth { return &bearer{token: token, header: []string{"Bearer " + token}} }

type bearer struct {
	token  string
	header []string // built once: the header value never changes
}

func (t *bearer) Apply(_ context.Context, r *http.Request) error {
	r.Header["Authorization"] = t.header
	return nil
}
func (t *bearer) Secrets() []string { return []string{t.token} }

// Basic sends HTTP basic auth.
func Basic(user, password string) Auth {
	enc := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	return &basic{user: user, password: password, encoded: enc, header: []string{"Basic " + enc}}
}

type basic struct {
	user, password, encoded string
	header                  []string
}

func (b *basic) Apply(_ context.Context, r *http.Request) error {
	r.Header["Authorization"] = b.header
	return nil
}
func (b *basic) Secrets() []string { return []string{b.password, b.user, b.encoded} }

// APIKey sends the key in a header of the API's choosing, such as
// X-ADILITY-API-KEY.
func APIKey(header, key string) Auth { return &apiKey{header, key} }

type apiKey struct{ header, key string }

func (k *apiKey) Apply(_ context.Context, r *http.Request) error {
	r.Header.Set(k.header, k.key)
	return nil
}
func (k *apiKey) Secrets() []string { return []string{k.key} }

// The credentials print as "[REDACTED]" under every fmt verb, so that a
// Config or an Auth that reaches a log by accident carries no secret.
func (t *bearer) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "Bearer [REDACTED]") }
func (b *basic) Format(f fmt.State, _ rune)  { _, _ = io.WriteString(f, "Basic [REDACTED]") }
func (k *apiKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.header+": [REDACTED]") }
