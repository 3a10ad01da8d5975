package attivita_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
)

// The client against a bare net/http + encoding/json baseline, both on the
// same loopback fake.

func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(fake)
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkProductsList(b *testing.B) {
	srv := benchServer(b)
	c, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Products.List(ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProductsListBaseline(b *testing.B) {
	srv := benchServer(b)
	hc := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/products", nil)
		req.Header.Set("Authorization", "Bearer "+attivitatest.DefaultToken)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out []map[string]any
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || len(out) != 4 {
			b.Fatal(err)
		}
	}
}

// Decoding the vendor's fixtures, as the client decodes an answer.
func benchDecode[T any](b *testing.B, file string) {
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeOrderList(b *testing.B) { benchDecode[[]attivita.Order](b, "orders.json") }
func BenchmarkDecodeCreatedOrder(b *testing.B) {
	benchDecode[attivita.Order](b, "create_order_response.json")
}
func BenchmarkDecodeBundleOrder(b *testing.B) { benchDecode[attivita.Order](b, "bundle_order.json") }
func BenchmarkDecodeProducts(b *testing.B)    { benchDecode[[]attivita.Product](b, "products.json") }
