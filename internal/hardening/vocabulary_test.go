package hardening_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/internal/fakehttp"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

// faultVocabulary is the one set of faults, clock, request count and
// in-memory transport every fake offers under the same names and
// signatures, from the fakehttp.Server it embeds.
type faultVocabulary interface {
	FailNext(status int, body string)
	FailNextOn(method, path string, status int, body string)
	FailNextRetryAfter(status int, after time.Duration, body string)
	DropNextBeforeActing()
	DropNextAfterActing()
	FailNextAfterActing(status int, body string)
	TruncateNextAfterActing()
	DelayNext(d time.Duration)
	Count(method, path string) int
	SetClock(now func() time.Time)
	Now() time.Time
	Transport() http.RoundTripper
}

// fakeBase is faultVocabulary with the request log, whose records are each
// fake's own Request type.
type fakeBase[R any] interface {
	faultVocabulary
	Requests() []R
}

// The shared type has the whole vocabulary, and each fake has it with its
// own request record: checked when the package compiles.
var (
	_ fakeBase[attivitatest.Request]      = (*fakehttp.Server[attivitatest.Request])(nil)
	_ fakeBase[attivitatest.Request]      = (*attivitatest.Server)(nil)
	_ fakeBase[inventorumtest.Request]    = (*inventorumtest.Server)(nil)
	_ fakeBase[versacommercetest.Request] = (*versacommercetest.Server)(nil)
	_ fakeBase[adilitytest.Request]       = (*adilitytest.Server)(nil)
)

// checkFake checks that fake embeds fakehttp.Server[R] (the vocabulary is
// the shared one, not a copy), and that its Transport, Count and Requests
// see the same request.
func checkFake[R any](t *testing.T, fake fakeBase[R]) {
	t.Helper()
	want := reflect.TypeFor[fakehttp.Server[R]]()
	embeds := false
	st := reflect.TypeOf(fake).Elem()
	for i := range st.NumField() {
		if f := st.Field(i); f.Anonymous && f.Type == want {
			embeds = true
		}
	}
	if !embeds {
		t.Errorf("%s does not embed %s", st, want)
	}
	const path = "/hardening-probe"
	if fake.Count(http.MethodGet, path) != 0 || len(fake.Requests()) != 0 {
		t.Errorf("%s: a new fake counts requests it never had", st)
	}
	hc := &http.Client{Transport: fake.Transport()}
	resp, err := hc.Get("http://fake.invalid" + path)
	if err != nil {
		t.Fatalf("%s: Transport: %v", st, err)
	}
	resp.Body.Close()
	if n := fake.Count(http.MethodGet, path); n != 1 {
		t.Errorf("%s: Count after one request through Transport = %d", st, n)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%s: Requests after one request through Transport holds %d", st, n)
	}
}

func TestFakesShareOneFaultVocabulary(t *testing.T) {
	t.Parallel()
	checkFake[attivitatest.Request](t, attivitatest.NewServer())
	checkFake[inventorumtest.Request](t, inventorumtest.NewServer())
	checkFake[versacommercetest.Request](t, versacommercetest.NewServer())
	checkFake[adilitytest.Request](t, adilitytest.NewServer())
}
