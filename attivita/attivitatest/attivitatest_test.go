package attivitatest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/attivita/attivitatest"
)

func do(t *testing.T, h http.Handler, method, path, body string, header map[string]string) (*http.Response, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+attivitatest.DefaultToken)
	for k, v := range header {
		if v == "" {
			r.Header.Del(k)
			continue
		}
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res, m
}

func TestSeeding(t *testing.T) {
	s := attivitatest.NewServer()
	require.NoError(t, s.AddPool(attivitatest.Pool{ID: "p1", Keys: []string{"A", "B"}}))
	require.Error(t, s.AddPool(attivitatest.Pool{ID: "p1"}), "duplicate pool")
	require.Error(t, s.AddPool(attivitatest.Pool{ID: "p2", Keys: []string{"B"}}), "duplicate key across pools")
	require.Error(t, s.AddPool(attivitatest.Pool{ID: "p3", Keys: []string{"C", "C"}}), "duplicate key in a pool")
	require.Error(t, s.AddProduct(attivitatest.Product{ID: "x", Pools: []string{"nope"}}))
	require.Error(t, s.AddProduct(attivitatest.Product{ID: "x"}))
	require.NoError(t, s.AddProduct(attivitatest.Product{ID: "x", Pools: []string{"p1"}}))
	require.Error(t, s.AddProduct(attivitatest.Product{ID: "x", Pools: []string{"p1"}}))
	require.NoError(t, s.AddKeys("p1", "D"))
	require.Error(t, s.AddKeys("p1", "A"))
	assert.Equal(t, 3, s.Stock("x"))
	assert.Equal(t, -1, s.Stock("y"))
	assert.Equal(t, -1, s.KeysLeft("y"))
	keys := attivitatest.GenerateKeys("TEST", 3)
	assert.Equal(t, []string{"TEST-0000-0000-0001", "TEST-0000-0000-0002", "TEST-0000-0000-0003"}, keys)
}

func TestAuthAndRouting(t *testing.T) {
	s := attivitatest.NewServer()
	s.SeedDemo()
	res, body := do(t, s, "GET", "/api/products", "", map[string]string{"Authorization": ""})
	assert.Equal(t, 401, res.StatusCode)
	assert.Equal(t, "Authentication required", body["error"])
	res, body = do(t, s, "GET", "/api/products", "", map[string]string{"Authorization": "Bearer nope"})
	assert.Equal(t, 401, res.StatusCode)
	assert.Equal(t, "Invalid authentication token", body["error"])
	res, _ = do(t, s, "DELETE", "/api/orders", "", nil)
	assert.Equal(t, 405, res.StatusCode)
	res, _ = do(t, s, "GET", "/elsewhere", "", nil)
	assert.Equal(t, 404, res.StatusCode)
	res, body = do(t, s, "GET", "/api/products?region=MARS", "", nil)
	assert.Equal(t, 400, res.StatusCode)
	assert.Equal(t, "VALIDATION_ERROR", body["code"])
	res, body = do(t, s, "GET", "/api/orders/abc", "", nil)
	assert.Equal(t, 400, res.StatusCode)
	assert.Equal(t, "VALIDATION_ERROR", body["code"])
	assert.Len(t, s.Requests(), 6)
}

func TestCreateValidation(t *testing.T) {
	s := attivitatest.NewServer()
	s.SeedDemo()
	for body, want := range map[string]string{
		`not json`:        "body",
		`{"products":[]}`: "products",
		`{"products":[{"productId":"` + attivitatest.DemoOfficeID + `","amount":0}]}`:   "products[0].amount",
		`{"products":[{"productId":"","amount":1}]}`:                                    "products[0].productId",
		`{"products":[{"productId":"` + attivitatest.DemoOfficeID + `","amount":1.5}]}`: "products[0].amount",
	} {
		res, m := do(t, s, "POST", "/api/orders", body, nil)
		assert.Equal(t, 400, res.StatusCode, body)
		assert.Equal(t, "VALIDATION_ERROR", m["code"], body)
		details, _ := m["details"].(map[string]any)
		assert.Contains(t, details, want, body)
	}
	assert.Equal(t, 150, s.KeysLeft("pool-office-2021"))
	res, m := do(t, s, "POST", "/api/orders", `{"products":[{"productId":"`+attivitatest.DemoOfficeID+`","amount":1}]}`, map[string]string{"X-Sandbox-Mode": "true"})
	assert.Equal(t, 201, res.StatusCode)
	assert.Equal(t, "true", res.Header.Get("X-Sandbox-Mode"))
	assert.Equal(t, attivitatest.SandboxNotice, res.Header.Get("X-Sandbox-Notice"))
	assert.Equal(t, "sandbox-completed", m["status"])
	assert.Equal(t, attivitatest.SandboxNotice, m["sandboxNotice"])
	assert.Equal(t, 150, s.KeysLeft("pool-office-2021"))
}

// Order and webhook dates come from the fake's clock, in UTC to the second.
func TestSetClock(t *testing.T) {
	s := attivitatest.NewServer()
	s.SeedDemo()
	berlin := time.FixedZone("CET", 3600)
	s.SetClock(func() time.Time { return time.Date(2024, 3, 1, 13, 0, 0, 999, berlin) })
	res, m := do(t, s, "POST", "/api/orders", `{"products":[{"productId":"`+attivitatest.DemoOfficeID+`","amount":1}]}`, nil)
	require.Equal(t, 201, res.StatusCode)
	assert.Equal(t, "2024-03-01T12:00:00Z", m["orderDate"])
	res, m = do(t, s, "GET", "/api/orders/1001", "", nil)
	require.Equal(t, 200, res.StatusCode)
	assert.Equal(t, "2024-03-01T12:00:00Z", m["orderDate"])
	res, m = do(t, s, "POST", "/api/webhooks", `{"url":"https://example.com/hook","events":{"productOutOfStock":true}}`, nil)
	require.Equal(t, 201, res.StatusCode)
	assert.Equal(t, "2024-03-01T12:00:00Z", m["createdAt"])
}

func TestBaseURL(t *testing.T) {
	assert.Equal(t, "http://127.0.0.1:8080/api", attivitatest.BaseURL("http://127.0.0.1:8080"), "the API root")
	assert.Equal(t, "http://127.0.0.1:8080/api", attivitatest.BaseURL("http://127.0.0.1:8080/"))
}

func TestAddKeysConcurrentlyKeepsKeysDistinct(t *testing.T) {
	s := attivitatest.NewServer()
	require.NoError(t, s.AddPool(attivitatest.Pool{ID: "p", Name: "Pool"}))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.AddKeys("p", "SAME-KEY")
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		}
	}
	assert.Equal(t, 1, ok, "one restock of a key succeeds, the others are refused")
	assert.Equal(t, 1, s.KeysLeft("p"))
}
