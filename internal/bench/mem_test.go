package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/orderkit/orderkit"
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
	for _, api := range []struct {
		name        string
		handwritten func() error
		sdk         func(b *testing.B) func() error
	}{
		{"attivita", func() error {
			_, err := handwrittenAttivitaGet(ctx, hc, s, attivitaOrderNumber)
			return err
		}, func(b *testing.B) func() error {
			c, err := attivita.NewClient(attivitaToken, orderkit.WithBaseURL(s.attivitaURL()+"/api"), orderkit.WithHTTPClient(hc))
			if err != nil {
				b.Fatal(err)
			}
			return func() error {
				_, err := c.Orders.Get(ctx, attivitaOrderNumber)
				return err
			}
		}},
		{"vc", func() error {
			_, err := handwrittenVCGet(ctx, hc, s, vcOrderID)
			return err
		}, func(b *testing.B) func() error {
			c, err := versacommerce.NewClient(vcShop, vcKey, vcPassword, orderkit.WithBaseURL(s.vcURL()), orderkit.WithHTTPClient(hc))
			if err != nil {
				b.Fatal(err)
			}
			return func() error {
				_, err := c.Orders.Get(ctx, vcOrderID, nil)
				return err
			}
		}},
	} {
		for _, side := range []struct {
			impl string
			op   func(b *testing.B) func() error
		}{
			{"handwritten", func(*testing.B) func() error { return api.handwritten }},
			{"sdk", api.sdk},
		} {
			b.Run("api="+api.name+"/impl="+side.impl, func(b *testing.B) {
				op := side.op(b)
				b.ReportAllocs()
				for b.Loop() {
					if err := op(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
