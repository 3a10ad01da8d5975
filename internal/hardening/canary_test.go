package hardening_test

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
)

// The canary search must be able to fail: these plant each canary where
// TestNoSecretLeaks looks and check that it is found, and that a clean
// error is not reported.

// quietError prints no secret through Error, only through %#v.
type quietError struct{ token string }

func (e *quietError) Error() string { return "request refused" }

func TestCanarySearchFindsPlantedLeaks(t *testing.T) {
	t.Parallel()
	for _, c := range canaries() {
		// (Canaries of one client share their head, so a cut-off one
		// names them all.)
		assert.Contains(t, leaked("Authorization: Bearer "+c+"\n"), c, "whole canary")
		// An excerpt cut off inside the secret.
		assert.Contains(t, leaked(`body "…`+c[:canaryHead]+`…"`), c, "canary cut to %d characters", canaryHead)
	}
	assert.Empty(t, leaked("Authorization: Bearer [redacted]"))

	c := canaryInvRefresh
	clean := &orderkit.Error{API: "inventorum", Method: http.MethodPost, URL: "https://api.example/token",
		StatusCode: 401, Message: "invalid_grant", Body: `{"error":"invalid_grant"}`,
		Response: &orderkit.Response{StatusCode: 401, Header: http.Header{"X-Request-Id": {"rid-1"}}}}
	assert.Empty(t, errorLeaks(nil))
	assert.Empty(t, errorLeaks(fmt.Errorf("sync: %w", clean)), "a clean error")

	withField := func(set func(e *orderkit.Error)) error {
		e := *clean
		e.Response = &orderkit.Response{StatusCode: 401, Header: clean.Response.Header.Clone()}
		set(&e)
		return fmt.Errorf("sync: %w", &e)
	}
	for name, err := range map[string]error{
		"message":         fmt.Errorf("refresh failed: %s", c),
		"wrapped cause":   fmt.Errorf("sync: %w", &orderkit.Error{API: "inventorum", Err: errors.New("token " + c)}),
		"joined branch":   fmt.Errorf("sync: %w", errors.Join(errors.New("clean"), errors.New("rt="+c))),
		"%#v only":        fmt.Errorf("sync: %w", &quietError{token: c}),
		"Error.Body":      withField(func(e *orderkit.Error) { e.Body = `{"refresh_token":"` + c + `"}` }),
		"Error.Code":      withField(func(e *orderkit.Error) { e.Code = c }),
		"Error.RequestID": withField(func(e *orderkit.Error) { e.RequestID = "rid " + c }),
		"Response header": withField(func(e *orderkit.Error) { e.Response.Header.Set("X-Echo", c) }),
		"Response rid":    withField(func(e *orderkit.Error) { e.Response.RequestID = c }),
	} {
		leaks := errorLeaks(err)
		if assert.NotEmpty(t, leaks, "a canary in the %s is not found", name) {
			assert.Contains(t, strings.Join(leaks, "\n"), c, name)
		}
	}
}

// TestRecorderSeesCredentials checks that the other host of the redirect
// scenarios notes a credential that reaches it, in a header or the body.
func TestRecorderSeesCredentials(t *testing.T) {
	t.Parallel()
	for name, set := range map[string]func(r *http.Request){
		"Authorization":       func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") },
		adility.APIKeyHeader:  func(r *http.Request) { r.Header.Set(adility.APIKeyHeader, "x") },
		"canary in the query": func(r *http.Request) { r.URL.RawQuery = "token=" + canaryAttivita },
	} {
		rec := newRecorder(t)
		req, err := http.NewRequest(http.MethodGet, rec.URL+"/orders", nil)
		require.NoError(t, err)
		set(req)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		rec.mu.Lock()
		assert.NotEmpty(t, rec.seen, name)
		rec.mu.Unlock()
	}
}

// TestCanariesCoverEveryClient checks that TestNoSecretLeaks builds each of
// the four clients, and that every secret it gives them is a canary.
func TestCanariesCoverEveryClient(t *testing.T) {
	t.Parallel()
	apis := map[string]bool{}
	for _, b := range secretBuilders {
		apis[strings.SplitN(b.name, "-", 2)[0]] = true
		var secrets []string
		cv := reflect.ValueOf(b.creds)
		for i := range cv.NumField() {
			if f := cv.Field(i); f.Kind() == reflect.String && f.String() != "" {
				secrets = append(secrets, f.String())
			}
		}
		if o := b.creds.inventorumOAuth; o != nil {
			secrets = append(secrets, o.ClientSecret, o.Token.RefreshToken)
			if o.Token.AccessToken != "" {
				secrets = append(secrets, o.Token.AccessToken)
			}
		}
		require.NotEmpty(t, secrets, b.name)
		for _, s := range secrets {
			assert.True(t, slices.Contains(canaries(), s), "%s: secret %q is no canary", b.name, s)
		}
	}
	assert.Equal(t, map[string]bool{"attivita": true, "inventorum": true, "versacommerce": true, "adility": true}, apis)
}

// TestRigsCoverNewCalls checks that the rigs, and so TestFaults and
// TestNoSecretLeaks, reach the calls 0.3 added: every client's Do (a read
// and a POST), VersaCommerce's Orders.Payments and Adility's
// Vouchers.GetByRedemptionCode.
func TestRigsCoverNewCalls(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"attivita":      {"Do"},
		"inventorum":    {"Do"},
		"versacommerce": {"Do", "Orders.Payments"},
		"adility-json":  {"Do", "Vouchers.GetByRedemptionCode"},
		"adility-xml":   {"Do", "Vouchers.GetByRedemptionCode"},
	}
	for _, b := range builders {
		r := b.new(t, rigOptions{})
		var got []string
		for _, rd := range r.reads {
			require.NotNil(t, rd.call, "%s %s", b.name, rd.name)
			got = append(got, rd.name)
		}
		assert.ElementsMatch(t, want[b.name], got, b.name)
		assert.NotNil(t, r.doPost, "%s: no POST through Do", b.name)
		delete(want, b.name)
	}
	assert.Empty(t, want, "rigs not built")
}
