package adilitytest_test

import (
	"encoding/json"
	"fmt"
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
	fake := adilitytest.NewServer()
	fake.AddOffer("<id string>", "[valid offer id]")
	srv := httptest.NewServer(fake)
	defer srv.Close()

	status, ctype, body := do(t, srv, "POST", "/distribution/beta/orders", adilitytest.DefaultAPIKey, "application/json",
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

	status, ctype, body = do(t, srv, "POST", "/orders", adilitytest.DefaultAPIKey, "application/xml", `<?xml version="1.0" encoding="UTF-8" ?>
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

	status, _, body = do(t, srv, "PUT", "/orders/"+placed.Order.ID, adilitytest.DefaultAPIKey, "application/json", `{"order": {"status": "cancelled"}}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, 3, strings.Count(body, `"status":"cancelled"`), "the order and both vouchers")

	o, ok := fake.OrderByNumber("myuniqueordernumber000")
	require.True(t, ok)
	status, _, body = do(t, srv, "PUT", "/orders/"+o.ID, adilitytest.DefaultAPIKey, "application/xml", `<?xml version="1.0" encoding="UTF-8" ?>
<order>
<status>cancelled</status>
</order>`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, 3, strings.Count(body, "<status>cancelled</status>"))

	assert.Len(t, fake.Requests(), 4)
	assert.Equal(t, 2, fake.Count("POST", "/orders"), "counted with and without the /distribution/beta prefix")
}

func TestFakeChecksTheKey(t *testing.T) {
	fake := adilitytest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for _, key := range []string{"", "wrong"} {
		status, _, body := do(t, srv, "GET", "/orders/1", key, "application/json", "")
		assert.Equal(t, http.StatusUnauthorized, status)
		assert.JSONEq(t, `{"error":"Invalid API key"}`, body)
	}
	status, _, body := do(t, srv, "GET", "/orders/1", adilitytest.DefaultAPIKey, "application/xml", "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, body, "<error>Order not found</error>")
	status, _, _ = do(t, srv, "DELETE", "/orders/1", adilitytest.DefaultAPIKey, "application/json", "")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	status, _, _ = do(t, srv, "POST", "/orders", adilitytest.DefaultAPIKey, "application/json", "{not json")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Empty(t, fake.Orders())
}

// A huge quantity is refused rather than issuing vouchers one by one under
// the fake's lock until memory runs out.
func TestFakeRefusesHugeQuantity(t *testing.T) {
	fake := adilitytest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	done := make(chan struct{})
	var status int
	var body string
	go func() {
		defer close(done)
		status, _, body = do(t, srv, "POST", "/orders", adilitytest.DefaultAPIKey, "application/json",
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
	fake := adilitytest.NewServer()
	fake.SetClock(func() time.Time { return time.Date(2024, 3, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600)) })
	srv := httptest.NewServer(fake)
	defer srv.Close()
	status, _, body := do(t, srv, "POST", "/orders", adilitytest.DefaultAPIKey, "application/json",
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

const placeBody = `{"order":{"order_number":"n-%d","customer_name":"J","items":[{"offer_id":"` + adilitytest.DemoOfferID + `","quantity":1}]}}`

func placeN(n int) string { return strings.Replace(placeBody, "%d", string(rune('0'+n)), 1) }

// rawPlace sends a Place and reports whether an answer arrived.
func rawPlace(t *testing.T, srv *httptest.Server, n int) (int, string, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/orders", strings.NewReader(placeN(n)))
	require.NoError(t, err)
	req.Header.Set("X-ADILITY-API-KEY", adilitytest.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// Each fault of the shared vocabulary does what its name says, and every
// request is counted, faulted or not.
func TestFakeFaultVocabulary(t *testing.T) {
	fake := adilitytest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()

	fake.DropNextBeforeActing()
	_, _, err := rawPlace(t, srv, 1)
	require.Error(t, err)
	assert.Empty(t, fake.Orders(), "dropped before acting")

	fake.DropNextAfterActing()
	_, _, err = rawPlace(t, srv, 2)
	require.Error(t, err)
	_, ok := fake.OrderByNumber("n-2")
	assert.True(t, ok, "acted, then dropped")

	fake.FailNextAfterActing(http.StatusBadGateway, "<html>bad gateway</html>")
	status, body, err := rawPlace(t, srv, 4)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, status)
	assert.Equal(t, "<html>bad gateway</html>", body)
	_, ok = fake.OrderByNumber("n-4")
	assert.True(t, ok, "acted, then failed")

	fake.TruncateNextAfterActing()
	_, body, err = rawPlace(t, srv, 5)
	require.Error(t, err, "cut off")
	assert.True(t, strings.HasPrefix(body, `{"order":{"id":"`), body)
	_, ok = fake.OrderByNumber("n-5")
	assert.True(t, ok)

	fake.FailNextRetryAfter(http.StatusServiceUnavailable, 1500*time.Millisecond, `{"error":"maintenance"}`)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/orders/x", nil)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"))

	fake.FailNext(http.StatusTooManyRequests, "slow down")
	status, body, err = rawPlace(t, srv, 6)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "slow down", body)
	_, ok = fake.OrderByNumber("n-6")
	assert.False(t, ok, "FailNext does not act")

	fake.DelayNext(20 * time.Millisecond)
	status, _, err = rawPlace(t, srv, 7)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, status)

	assert.Equal(t, 6, fake.Count(http.MethodPost, "/orders"), "every request counted")
	assert.Len(t, fake.Orders(), 4)
}

// The duplicate refusal names the existing order only when switched on.
func TestFakeDuplicateRefusalNamesOrder(t *testing.T) {
	fake := adilitytest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	status, _, err := rawPlace(t, srv, 1)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, status)
	o, _ := fake.OrderByNumber("n-1")

	status, body, err := rawPlace(t, srv, 1)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.JSONEq(t, `{"errors":{"order_number":["has already been taken"]}}`, body)

	fake.SetDuplicateRefusal(adilitytest.DuplicateRefusalTopLevel)
	_, body, err = rawPlace(t, srv, 1)
	require.NoError(t, err)
	assert.JSONEq(t, `{"errors":{"order_number":["has already been taken"]},"order_id":"`+o.ID+`"}`, body)

	code, _, xmlBody := do(t, srv, http.MethodPost, "/orders", adilitytest.DefaultAPIKey, "application/xml",
		`<order><order_number>n-1</order_number><customer_name>J</customer_name><items><item><offer_id>`+adilitytest.DemoOfferID+`</offer_id><quantity>1</quantity></item></items></order>`)
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Contains(t, xmlBody, `<errors><error>order_number has already been taken</error><order_id>`+o.ID+`</order_id></errors>`)

	fake.SetDuplicateRefusal(adilitytest.DuplicateRefusalNested)
	status, body, err = rawPlace(t, srv, 1)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnprocessableEntity, status)
	assert.JSONEq(t, `{"error":{"message":"Order number has already been taken","code":"duplicate_order_number","order_id":"`+o.ID+`"}}`, body)
	code, _, xmlBody = do(t, srv, http.MethodPost, "/orders", adilitytest.DefaultAPIKey, "application/xml",
		`<order><order_number>n-1</order_number><customer_name>J</customer_name><items><item><offer_id>`+adilitytest.DemoOfferID+`</offer_id><quantity>1</quantity></item></items></order>`)
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Contains(t, xmlBody, `<error><message>Order number has already been taken</message><code>duplicate_order_number</code><order_id>`+o.ID+`</order_id></error>`)
	assert.Len(t, fake.Orders(), 1)
}

// More than MaxQuantity units of one item is refused with 422, and nothing
// is placed; MaxQuantity itself is sold.
func TestFakeMaxQuantity(t *testing.T) {
	fake := adilitytest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	body := func(number string, q int) string {
		return fmt.Sprintf(`{"order":{"order_number":%q,"customer_name":"J","items":[{"offer_id":%q,"quantity":%d}]}}`,
			number, adilitytest.DemoOfferID, q)
	}
	code, _, answer := do(t, srv, http.MethodPost, "/orders", adilitytest.DefaultAPIKey, "application/json", body("q-1", adilitytest.MaxQuantity+1))
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Contains(t, answer, "quantity")
	assert.Empty(t, fake.Orders())

	code, _, _ = do(t, srv, http.MethodPost, "/orders", adilitytest.DefaultAPIKey, "application/json", body("q-2", adilitytest.MaxQuantity))
	assert.Equal(t, http.StatusCreated, code)
	o, ok := fake.OrderByNumber("q-2")
	require.True(t, ok)
	assert.Len(t, o.Items[0].Vouchers, adilitytest.MaxQuantity)
}
