package adilitytest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/adility/adilitytest"
)

func do(t *testing.T, srv *httptest.Server, method, path, key, ctype, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("X-ADILITY-API-KEY", key)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Accept", ctype)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// The page's own curl samples, sent as they are, work on the fake.
func TestFakeTakesThePageSamples(t *testing.T) {
	fake := adilitytest.NewServer("k")
	fake.AddOffer("<id string>", "[valid offer id]")
	srv := httptest.NewServer(fake)
	defer srv.Close()

	status, ctype, body := do(t, srv, "POST", "/distribution/beta/orders", "k", "application/json",
		`{"order":{"order_number": "<order number>", "customer_name": "John Smith", "items": [{"offer_id": "<id string>", "quantity": 2}] } }`)
	require.Equal(t, http.StatusCreated, status, body)
	assert.Contains(t, ctype, "application/json")
	var placed struct {
		Order struct {
			ID     string `json:"id"`
			Status string `json:"status"`
			Items  []struct {
				Vouchers []struct {
					RedemptionCode string `json:"redemption_code"`
					Status         string `json:"status"`
				} `json:"vouchers"`
			} `json:"items"`
		} `json:"order"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &placed))
	assert.Equal(t, "active", placed.Order.Status)
	require.Len(t, placed.Order.Items, 1)
	assert.Len(t, placed.Order.Items[0].Vouchers, 2)

	status, ctype, body = do(t, srv, "POST", "/orders", "k", "application/xml", `<?xml version="1.0" encoding="UTF-8" ?>
<order>
<order_number>myuniqueordernumber000</order_number>
<customer_name>John Smith</customer_name>
<items>
<item>
<offer_id>[valid offer id]</offer_id>
<quantity>2</quantity>
</item>
</items>
</order>`)
	require.Equal(t, http.StatusCreated, status, body)
	assert.Contains(t, ctype, "application/xml")
	assert.True(t, strings.HasPrefix(body, "<?xml"))
	assert.Equal(t, 2, strings.Count(body, "<voucher>"))
	assert.Contains(t, body, "<status>active</status>")

	status, _, body = do(t, srv, "PUT", "/orders/"+placed.Order.ID, "k", "application/json", `{"order": {"status": "cancelled"}}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, 3, strings.Count(body, `"status":"cancelled"`), "the order and both vouchers")

	o, ok := fake.OrderByNumber("myuniqueordernumber000")
	require.True(t, ok)
	status, _, body = do(t, srv, "PUT", "/orders/"+o.ID, "k", "application/xml", `<?xml version="1.0" encoding="UTF-8" ?>
<order>
<status>cancelled</status>
</order>`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, 3, strings.Count(body, "<status>cancelled</status>"))

	assert.Len(t, fake.Requests(), 4)
	assert.Equal(t, 2, fake.Count("POST", "/orders"), "counted with and without the /distribution/beta prefix")
}

func TestFakeChecksTheKey(t *testing.T) {
	fake := adilitytest.NewServer("k")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, key := range []string{"", "wrong"} {
		status, _, body := do(t, srv, "GET", "/orders/1", key, "application/json", "")
		assert.Equal(t, http.StatusUnauthorized, status)
		assert.JSONEq(t, `{"error":"Invalid API key"}`, body)
	}
	status, _, body := do(t, srv, "GET", "/orders/1", "k", "application/xml", "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, body, "<error>Order not found</error>")
	status, _, _ = do(t, srv, "DELETE", "/orders/1", "k", "application/json", "")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	status, _, _ = do(t, srv, "POST", "/orders", "k", "application/json", "{not json")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Empty(t, fake.Orders())
}

// A huge quantity is refused rather than issuing vouchers one by one under
// the fake's lock until memory runs out.
func TestFakeRefusesHugeQuantity(t *testing.T) {
	fake := adilitytest.NewServer("k")
	srv := httptest.NewServer(fake)
	defer srv.Close()
	done := make(chan struct{})
	var status int
	var body string
	go func() {
		defer close(done)
		status, _, body = do(t, srv, "POST", "/orders", "k", "application/json",
			`{"order":{"order_number":"big-1","customer_name":"J","items":[{"offer_id":"`+adilitytest.DemoOfferID+`","quantity":1000000000000}]}}`)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the fake hangs on a huge quantity")
	}
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.Contains(t, body, "quantity")
	assert.Empty(t, fake.Orders())
}

// Purchase and voucher dates come from the fake's clock, in UTC.
func TestSetClock(t *testing.T) {
	fake := adilitytest.NewServer("k")
	fake.SetClock(func() time.Time { return time.Date(2024, 3, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600)) })
	srv := httptest.NewServer(fake)
	defer srv.Close()
	status, _, body := do(t, srv, "POST", "/orders", "k", "application/json",
		`{"order":{"order_number":"n-1","customer_name":"J","items":[{"offer_id":"`+adilitytest.DemoOfferID+`","quantity":1}]}}`)
	require.Equal(t, http.StatusCreated, status, body)
	o, ok := fake.OrderByNumber("n-1")
	require.True(t, ok)
	assert.Equal(t, "2024-03-01T12:00:00Z", o.PurchasedAt)
	require.Len(t, o.Items, 1)
	require.Len(t, o.Items[0].Vouchers, 1)
	v := o.Items[0].Vouchers[0]
	assert.Equal(t, "2024-03-01T12:00:00Z", v.AcquiredAt)
	assert.Equal(t, "2024-03-01", v.ActivationDate)
	assert.Equal(t, "2025-03-01", v.ExpirationDate)
}

func TestBaseURL(t *testing.T) {
	assert.Equal(t, "http://127.0.0.1:8080", adilitytest.BaseURL("http://127.0.0.1:8080"))
	assert.Equal(t, "http://127.0.0.1:8080", adilitytest.BaseURL("http://127.0.0.1:8080/"))
}
