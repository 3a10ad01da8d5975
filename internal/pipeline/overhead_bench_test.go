package pipeline

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkOverhead compares one GET through the pipeline with the same GET
// written by hand on net/http, on one loopback server: the pipeline's own
// cost per call, decoding aside.
func BenchmarkOverhead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	b.Run("impl=handwritten", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+"/orders/1", nil)
			req.Header.Set("Authorization", "Bearer token")
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var out struct{ ID int }
			if err := json.Unmarshal(body, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=pipeline", func(b *testing.B) {
		cfg := NewConfig("bench", srv.URL)
		cfg.Auth = Bearer("token")
		c, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var out struct{ ID int }
			if _, err := c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1"}, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
