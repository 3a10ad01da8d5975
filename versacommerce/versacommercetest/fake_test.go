package versacommercetest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, srv *httptest.Server, path string, auth bool) (int, map[string]any, []any) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if auth {
		req.SetBasicAuth(versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var raw json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
	var obj map[string]any
	var list []any
	if json.Unmarshal(raw, &obj) != nil {
		require.NoError(t, json.Unmarshal(raw, &list))
	}
	return resp.StatusCode, obj, list
}

func TestServer(t *testing.T) {
	fake := versacommercetest.NewServer()
	fake.SetClock(func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) })
	o := fake.AddOrder(versacommercetest.Order{})
	assert.Equal(t, int64(100), o.ID)
	assert.Equal(t, "open", o.Status)
	assert.Equal(t, "not_paid", o.PaymentStatus)
	assert.Equal(t, "undelivered", o.ItemsStatus)
	assert.Equal(t, "misc", o.PaymentType)
	assert.Equal(t, int64(500), fake.AddOrder(versacommercetest.Order{ID: 500}).ID)
	assert.Equal(t, int64(501), fake.AddOrder(versacommercetest.Order{}).ID)
	assert.Len(t, fake.Orders(), 3)

	srv := httptest.NewServer(fake)
	defer srv.Close()

	status, obj, _ := get(t, srv, "/api/orders.json", false)
	assert.Equal(t, 401, status)
	assert.Contains(t, obj, "errors")

	status, _, list := get(t, srv, "/api/orders.json?limit=2", true)
	assert.Equal(t, 200, status)
	require.Len(t, list, 2)
	first := list[0].(map[string]any)["order"].(map[string]any)
	assert.Equal(t, "2024-01-02T03:04:05Z", first["created_at"])
	assert.Equal(t, "€", first["currency"])
	assert.Equal(t, "0", first["total"], "amounts as strings, like the API")

	for _, q := range []string{"limit=251", "limit=0", "offset=-1", "total_min=abc", "id_min=x", "created_at_min=soon"} {
		status, obj, _ = get(t, srv, "/api/orders.json?"+q, true)
		assert.Equal(t, 422, status, q)
		assert.Contains(t, obj, "errors", q)
	}
	status, obj, _ = get(t, srv, "/api/orders/count.json?id_min=200", true)
	assert.Equal(t, 200, status)
	assert.Equal(t, float64(2), obj["count"])

	status, _, _ = get(t, srv, "/api/orders/abc.json", true)
	assert.Equal(t, 404, status)
	status, _, _ = get(t, srv, "/api/customers.json", true)
	assert.Equal(t, 404, status)

	assert.Equal(t, 1, fake.Count("GET", "/api/orders/count.json"))
	assert.Len(t, fake.Requests(), 11)
}

func TestBaseURL(t *testing.T) {
	assert.Equal(t, "http://127.0.0.1:8080/api", versacommercetest.BaseURL("http://127.0.0.1:8080"))
	assert.Equal(t, "http://127.0.0.1:8080/api", versacommercetest.BaseURL("http://127.0.0.1:8080/"))
}
