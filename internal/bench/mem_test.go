package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/versacommerce"
)

// memTransport answers in process through the server's handler: no socket,
// no goroutine switch, so what remains is the client side's own work.
type memTransport struct{ s *server }

func (t memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.s.serve(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func BenchmarkMemGet(b *testing.B) {
	s := newServer(b, benchFeed)
	ctx := context.Background()
	hc := &http.Client{Transport: memTransport{s}}
	b.Run("api=attivita/impl=handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := handwrittenAttivitaGet(ctx, hc, s, attivitaOrderNumber); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("api=attivita/impl=sdk", func(b *testing.B) {
		c, err := attivita.NewClient(attivitaToken, attivita.WithBaseURL(s.attivitaURL()+"/api"), attivita.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Orders.Get(ctx, attivitaOrderNumber); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("api=vc/impl=handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := handwrittenVCGet(ctx, hc, s, vcOrderID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("api=vc/impl=sdk", func(b *testing.B) {
		c, err := versacommerce.NewClient(vcShop, vcKey, vcPassword, versacommerce.WithBaseURL(s.vcURL()), versacommerce.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Orders.Get(ctx, vcOrderID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
