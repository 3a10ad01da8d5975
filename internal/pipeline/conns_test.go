package pipeline

import (
	"net/http"
	"testing"
)

// go-retryablehttp calls CloseIdleConnections on the http.Client it is
// given whenever a call ends in failure (a transport error with retries
// used up, a cancelled wait, a body that broke off). http.Client forwards
// that to its transport only if the transport has the method. Ours does
// not, so one call's failure leaves the idle connections of every other
// call sharing the transport alone. internal/bench's
// TestFailuresKeepOthersConnections measures it end to end; this test
// points at the cause if it changes. A transport that must close idle
// connections (a Client.Close, say) needs another way than this method.
func TestTransportDoesNotForwardCloseIdleConnections(t *testing.T) {
	var rt http.RoundTripper = &transport{}
	if _, ok := rt.(interface{ CloseIdleConnections() }); ok {
		t.Fatal("transport has CloseIdleConnections: every failed call would close the idle connections of all others")
	}
	c, err := New(NewConfig("test", "https://api.example.com/"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.http.Transport.(*transport); !ok {
		t.Fatalf("the retry loop's http.Client has transport %T, not the wrapper", c.http.Transport)
	}
}
