package hardening_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
)

// fuzzStatuses are the statuses a fuzzed answer comes with.
var fuzzStatuses = []int{200, 201, 400, 404, 409, 422, 429, 500}

// mockHTTP answers every request with status and body.
func mockHTTP(status int, body []byte, contentType string) *http.Client {
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", contentType)
		return resp, nil
	})
	return &http.Client{Transport: mock}
}

// seedFiles adds every file of dir with one of the extensions as a seed,
// once with each of the given statuses.
func seedFiles(f *testing.F, dir string, exts []string, statuses ...int) {
	f.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		ok := false
		for _, ext := range exts {
			ok = ok || strings.HasSuffix(e.Name(), ext)
		}
		if !ok {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		for _, st := range statuses {
			f.Add(statusIndex(st), b)
		}
		n++
	}
	if n == 0 {
		f.Fatalf("no seeds in %s", dir)
	}
}

func statusIndex(status int) uint8 {
	for i, s := range fuzzStatuses {
		if s == status {
			return uint8(i)
		}
	}
	panic("unknown status")
}

func fuzzStatus(i uint8) int { return fuzzStatuses[int(i)%len(fuzzStatuses)] }

// checkOutcome asserts what every call must give for an answer with status:
// an error for a non-2xx status (an *Error carrying that status), and for a
// 2xx either a value or an *Error matching ErrInvalidResponse — which, for a
// POST that creates something, also matches ErrOutcomeUnknown.
func checkOutcome(t *testing.T, status int, post bool, got bool, err error) {
	t.Helper()
	if status >= 300 {
		if err == nil {
			t.Fatalf("status %d answered without error", status)
		}
		var pe *orderkit.Error
		if !errors.As(err, &pe) {
			t.Fatalf("status %d: error %T is not an *Error: %v", status, err, err)
		}
		if pe.StatusCode != status {
			t.Fatalf("status %d: error carries status %d: %v", status, pe.StatusCode, err)
		}
		if post && status != http.StatusTooManyRequests && status < 500 && errors.Is(err, orderkit.ErrOutcomeUnknown) {
			t.Fatalf("status %d refuses a POST outright, yet the error says the outcome is unknown: %v", status, err)
		}
		if post && status >= 500 && !errors.Is(err, orderkit.ErrOutcomeUnknown) {
			t.Fatalf("a POST answered %d may have been carried out, yet the error does not say so: %v", status, err)
		}
		return
	}
	if err != nil {
		var pe *orderkit.Error
		if !errors.As(err, &pe) {
			t.Fatalf("2xx: error %T is not an *Error: %v", err, err)
		}
		if !errors.Is(err, orderkit.ErrInvalidResponse) {
			t.Fatalf("2xx: error does not match ErrInvalidResponse: %v", err)
		}
		if post && !errors.Is(err, orderkit.ErrOutcomeUnknown) {
			t.Fatalf("2xx to a POST could not be read, yet the error does not say the outcome is unknown: %v", err)
		}
		return
	}
	if !got {
		t.Fatalf("status %d: no value and no error", status)
	}
}

// amounts indexes every amount a JSON body holds, by lower-case member name
// (encoding/json matches names case-insensitively), so that a decoded
// amount can be traced back to the text it came from.
type amounts struct {
	vals map[string][]money.Amount
	// sent marks members present with a value other than null; null
	// marks members sent as null.
	sent, null map[string]bool
}

func indexAmounts(t *testing.T, body []byte) *amounts {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("a body that is not JSON decoded without error: %v", err)
	}
	ix := &amounts{vals: map[string][]money.Amount{}, sent: map[string]bool{}, null: map[string]bool{}}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(strings.ToLower(k), c)
			}
		case []any:
			// Members of objects in a list keep their names; a bare
			// scalar in a list (["can't be blank"]) is no member value.
			for _, c := range x {
				switch c.(type) {
				case map[string]any, []any:
					walk(key, c)
				}
			}
		case nil:
			ix.null[key] = true
		case json.Number:
			ix.sent[key] = true
			if a, err := money.Parse(x.String()); err == nil {
				ix.vals[key] = append(ix.vals[key], a)
			}
		case string:
			ix.sent[key] = true
			if a, err := money.Parse(strings.TrimSpace(x)); err == nil {
				ix.vals[key] = append(ix.vals[key], a)
			}
		default:
			ix.sent[key] = true
		}
	}
	walk("", v)
	return ix
}

// check asserts that a decoded amount is one the body holds under key.
// A zero is accepted without such a value only when strict is false. The
// index is by member name at any depth, so it cannot tell a member the
// decoder reads from one of the same name inside an object it skips
// ({"id": 1, "x": {"total": "abc"}}): holding a zero to account would make
// the fuzzer report decoders that are right. That an unreadable amount is
// an error, never a zero, is proven member by member in
// TestUnreadableAmountIsAnError instead.
func (ix *amounts) check(t *testing.T, key string, a money.Amount, strict bool) {
	t.Helper()
	key = strings.ToLower(key)
	for _, v := range ix.vals[key] {
		if v.Cmp(a) == 0 {
			return
		}
	}
	if a.Cmp(money.Zero) == 0 && !strict {
		return
	}
	t.Fatalf("decoded %s = %s, which the body does not hold (values %v, sent %v)", key, a, ix.vals[key], ix.sent[key])
}

// checkNotNull is check for an amount that may be absent but never null.
// That null is refused is proven in the client's own tests; here, as in
// check, a name can stand inside an object the decoder skips.
func (ix *amounts) checkNotNull(t *testing.T, key string, a money.Amount) {
	t.Helper()
	ix.check(t, key, a, false)
}

// checkPtr checks an optional amount: nil, or one the body holds.
func (ix *amounts) checkPtr(t *testing.T, key string, a *money.Amount) {
	t.Helper()
	if a != nil {
		ix.check(t, key, *a, true)
	}
}
