package hardening_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/internal/fakehttp"
	"github.com/orderkit/orderkit/inventorum"
)

// Canary credentials: if any of these (or the basic-auth encodings built
// from them) shows up anywhere a user could see it, a secret leaked.
const (
	canaryAttivita      = "CANARY-attivita-token-3f9a1c"
	canaryInvAccess     = "CANARY-inventorum-access-8d2e"
	canaryInvOAuthAcc   = "CANARY-inventorum-oauth-access-1a2b"
	canaryInvRefresh    = "CANARY-inventorum-refresh-5c0d"
	canaryInvSecret     = "CANARY-inventorum-client-secret-77b1"
	canaryInvClientID   = "canary-inventorum-client"
	canaryVersaKey      = "CANARY-versacommerce-key-e4f5"
	canaryVersaPassword = "CANARY-versacommerce-password-9a8b"
	canaryAdility       = "CANARY-adility-key-6c7d"
)

func canaries() []string {
	b64 := func(u, p string) string { return base64.StdEncoding.EncodeToString([]byte(u + ":" + p)) }
	return []string{
		canaryAttivita, canaryInvAccess, canaryInvOAuthAcc, canaryInvRefresh, canaryInvSecret,
		canaryVersaKey, canaryVersaPassword, canaryAdility,
		b64(canaryVersaKey, canaryVersaPassword), b64(canaryInvClientID, canaryInvSecret),
	}
}

// canaryHead is how much of a canary's start counts as a leak by itself:
// an excerpt cut off inside a secret still gives most of it away.
const canaryHead = 16

// leaked returns the canaries s holds, whole or cut off after at least
// canaryHead characters.
func leaked(s string) []string {
	var out []string
	for _, c := range canaries() {
		if strings.Contains(s, c[:min(len(c), canaryHead)]) {
			out = append(out, c)
		}
	}
	return out
}

// syncBuffer is a log sink shared by concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// echo answers every request with status and a body that repeats the
// request's headers, URL and body, in the shapes the clients read messages
// from: the worst an API or a proxy could do with a credential.
func echo(status int) func(http.Handler) http.Handler {
	return func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var b strings.Builder
			_ = r.Header.Write(&b)
			fmt.Fprintf(&b, "url=%s body=%s", r.URL.String(), body)
			text := b.String()
			// The request's credentials come back in a request-id header
			// and another header too.
			var creds []string
			for _, k := range []string{"Authorization", "X-Adility-Api-Key"} {
				creds = append(creds, r.Header.Values(k)...)
			}
			w.Header().Set("X-Request-Id", "rid "+strings.Join(creds, " "))
			w.Header().Set("X-Echo", strings.Join(creds, " "))
			if strings.Contains(r.Header.Get("Accept"), "xml") {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(status)
				var esc bytes.Buffer
				_ = xml.EscapeText(&esc, []byte(text))
				fmt.Fprintf(w, "<errors><error>%s</error><message>%s</message></errors>", esc.String(), esc.String())
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			msg, _ := json.Marshal(text)
			if status < 300 {
				// Unreadable as an answer: the client shows an excerpt.
				fmt.Fprintf(w, `{"echo": %s, "price": "x"`, msg)
				return
			}
			fmt.Fprintf(w, `{"error": %s, "message": %s, "code": %s, "errors": {"base": [%s]}, "error_description": %s}`, msg, msg, msg, msg, msg)
		})
	}
}

// recorder is another host a redirect points at; it notes every credential
// that reaches it.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
	hits int
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var b strings.Builder
		_ = r.Header.Write(&b)
		all := b.String() + r.URL.String() + string(body)
		rec.mu.Lock()
		rec.hits++
		rec.seen = append(rec.seen, leaked(all)...)
		if r.Header.Get("Authorization") != "" || r.Header.Get(adility.APIKeyHeader) != "" {
			rec.seen = append(rec.seen, "credential header "+r.Header.Get("Authorization")+r.Header.Get(adility.APIKeyHeader))
		}
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{}`)
	}))
	t.Cleanup(rec.Close)
	return rec
}

// redirectTo answers every request with a redirect to the same path on
// another host.
func redirectTo(rec *recorder, code int) func(http.Handler) http.Handler {
	return func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, rec.URL+r.URL.Path, code)
		})
	}
}

// secretBuilders are the clients with canary credentials: Inventorum both
// with a fixed token and with OAuth2 refresh (whose first call refreshes,
// so the refresh POST meets the fault).
var secretBuilders = []struct {
	name  string
	creds creds
	new   func(t *testing.T, o rigOptions) *rig
}{
	{"attivita", creds{attivitaToken: canaryAttivita}, newAttivitaRig},
	{"inventorum", creds{inventorumToken: canaryInvAccess}, newInventorumRig},
	{"inventorum-oauth2", creds{inventorumOAuth: &inventorum.OAuth2Config{
		ClientID: canaryInvClientID, ClientSecret: canaryInvSecret,
		Token: inventorum.Token{RefreshToken: canaryInvRefresh},
	}}, newInventorumRig},
	{"inventorum-oauth2-access", creds{inventorumOAuth: &inventorum.OAuth2Config{
		ClientID: canaryInvClientID, ClientSecret: canaryInvSecret,
		Token: inventorum.Token{AccessToken: canaryInvOAuthAcc, RefreshToken: canaryInvRefresh, Expiry: time.Now().Add(time.Hour)},
	}}, newInventorumRig},
	{"versacommerce", creds{versaKey: canaryVersaKey, versaPassword: canaryVersaPassword}, newVersaRig},
	{"adility-json", creds{adilityKey: canaryAdility}, func(t *testing.T, o rigOptions) *rig { return newAdilityRig(t, o, adility.JSON) }},
	{"adility-xml", creds{adilityKey: canaryAdility}, func(t *testing.T, o rigOptions) *rig { return newAdilityRig(t, o, adility.XML) }},
}

// TestNoSecretLeaks runs every failure of TestFaults, every fault of the
// fakes' shared vocabulary, answers that echo the request, and redirects
// to another host, against every call of every rig (its reads, Do, its
// creates) with canary credentials, and looks for the canaries in every
// error text, in the formatted errors of the whole chain, in the debug log
// and in any panic; the other host must receive none of them.
func TestNoSecretLeaks(t *testing.T) {
	type scenario struct {
		name  string
		plan  func(fs *fakehttp.Loopback)
		wrap  func(http.Handler) http.Handler
		rec   *recorder
		stall bool
		// eachCall plans a fault in the fake before every call.
		eachCall func(f faultVocabulary)
	}
	var scenarios []scenario
	for _, fc := range faultCases {
		scenarios = append(scenarios, scenario{name: fc.name, plan: func(fs *fakehttp.Loopback) { plan(fs, fc) }})
	}
	scenarios = append(scenarios, scenario{name: "stall", stall: true,
		plan: func(fs *fakehttp.Loopback) { fs.Always(fakehttp.Fault{Kind: fakehttp.Stall}) }})
	// The fakes' own faults, every kind of the shared vocabulary: those
	// after acting send a POST's caller down the paths that find out
	// whether it was carried out.
	for name, f := range map[string]func(f faultVocabulary){
		"fake: fail 400":                  func(f faultVocabulary) { f.FailNext(400, `{"message":"no"}`) },
		"fake: fail 503 with Retry-After": func(f faultVocabulary) { f.FailNextRetryAfter(503, time.Millisecond, "") },
		"fake: drop before acting":        faultVocabulary.DropNextBeforeActing,
		"fake: drop after acting":         faultVocabulary.DropNextAfterActing,
		"fake: 502 after acting":          func(f faultVocabulary) { f.FailNextAfterActing(502, "<html>bad gateway</html>") },
		"fake: truncate after acting":     faultVocabulary.TruncateNextAfterActing,
		"fake: delay":                     func(f faultVocabulary) { f.DelayNext(time.Millisecond) },
	} {
		scenarios = append(scenarios, scenario{name: name, eachCall: f})
	}
	for _, st := range []int{200, 400, 401, 404, 422, 500} {
		scenarios = append(scenarios, scenario{name: fmt.Sprintf("echo %d", st), wrap: echo(st)})
	}
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		rec := newRecorder(t)
		scenarios = append(scenarios, scenario{name: fmt.Sprintf("redirect %d to another host", code), wrap: redirectTo(rec, code), rec: rec})
	}

	for _, b := range secretBuilders {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					logs := &syncBuffer{}
					logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
					r := b.new(t, rigOptions{creds: b.creds, logger: logger, wrap: sc.wrap})
					if sc.plan != nil {
						sc.plan(r.fs)
					}
					for i, call := range r.calls() {
						if sc.eachCall != nil {
							sc.eachCall(r.fake)
						}
						timeout := 10 * time.Second
						if sc.stall {
							timeout = 200 * time.Millisecond
						}
						ctx, cancel := context.WithTimeout(context.Background(), timeout)
						panicked, err := callRecovering(ctx, call)
						cancel()
						if panicked != "" {
							t.Errorf("call %d panicked: %s", i, panicked)
							assert.Empty(t, leaked(panicked), "panic message")
						}
						checkErrorText(t, err)
						if sc.rec != nil {
							assert.ErrorIs(t, err, orderkit.ErrRedirectRefused, "call %d", i)
						}
					}
					assert.NotEmpty(t, logs.String(), "the debug log is empty: the test would not see a leak")
					assert.Empty(t, leaked(logs.String()), "slog records:\n%s", logs.String())
					if sc.rec != nil {
						sc.rec.mu.Lock()
						assert.Empty(t, sc.rec.seen, "credentials reached the other host")
						sc.rec.mu.Unlock()
					}
				})
			}
		})
	}
}

func callRecovering(ctx context.Context, call func(context.Context) error) (panicked string, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked = fmt.Sprint(p)
		}
	}()
	return "", call(ctx)
}

// checkErrorText reports every leak errorLeaks finds in err.
func checkErrorText(t *testing.T, err error) {
	t.Helper()
	for _, l := range errorLeaks(err) {
		t.Error(l)
	}
}

// errorLeaks formats err and every error in its chain every way a caller
// might print it, reads the fields of every *Error in it, and describes
// each canary found.
func errorLeaks(err error) []string {
	var out []string
	var walk func(e error)
	walk = func(e error) {
		if e == nil {
			return
		}
		for _, text := range []string{e.Error(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%s", e), fmt.Sprintf("%q", e), fmt.Sprintf("%#v", e)} {
			if l := leaked(text); len(l) > 0 {
				out = append(out, fmt.Sprintf("%T leaks %v: %s", e, l, text))
			}
		}
		var pe *orderkit.Error
		if errors.As(e, &pe) {
			fields := []string{pe.URL, pe.Message, pe.Code, pe.Body, pe.RequestID}
			if pe.Response != nil {
				fields = append(fields, pe.Response.RequestID)
				for _, vs := range pe.Response.Header {
					fields = append(fields, vs...)
				}
			}
			for _, f := range fields {
				if l := leaked(f); len(l) > 0 {
					out = append(out, fmt.Sprintf("*Error field leaks %v: %s", l, f))
				}
			}
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				walk(c)
			}
		}
	}
	walk(err)
	return out
}
