package versacommercetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type answer struct {
	status int
	header http.Header
	body   string
	err    error
}

func send(t *testing.T, srv *httptest.Server, method, path, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth(versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b), err: err}
}

func ids(t *testing.T, body string, wrapped bool) []int64 {
	t.Helper()
	var out []int64
	if wrapped {
		var l []struct {
			Order struct{ ID int64 } `json:"order"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &l))
		for _, o := range l {
			out = append(out, o.Order.ID)
		}
		return out
	}
	var l []struct{ ID int64 }
	require.NoError(t, json.Unmarshal([]byte(body), &l))
	for _, o := range l {
		out = append(out, o.ID)
	}
	return out
}

const createBody = `{"order": {"payment_type": "misc", "payment_cost": 0, "item_total": 0, "total": 0, "subtotal": 0,
	"weight_total": 0, "shipping_cost": 0, "origin_id": "R-1", "items": [{"product_id": 1, "quantity": 1}],
	"billing_address": {"firstname": "a", "lastname": "b", "street": "c", "streetnumber": 1, "zipcode": 12345, "city": "d"},
	"shipping_address": {"firstname": "a", "lastname": "b", "street": "c", "streetnumber": 1, "zipcode": 12345, "city": "d"}}}`

func TestRootReadings(t *testing.T) {
	fake := versacommercetest.NewServer()
	fake.AddOrder(versacommercetest.Order{Items: []versacommercetest.Item{{ProductID: 1, Quantity: 1}}})
	srv := httptest.NewServer(fake)
	defer srv.Close()

	a := send(t, srv, "GET", "/api/orders.json", "")
	assert.Equal(t, []int64{100}, ids(t, a.body, true), "as documented: [{\"order\": …}]")
	assert.True(t, strings.HasPrefix(send(t, srv, "GET", "/api/orders/100.json", "").body, `{"order":`))
	assert.True(t, strings.HasPrefix(send(t, srv, "GET", "/api/orders/100/items.json", "").body, `[{"item":`))
	c := send(t, srv, "POST", "/api/orders.json", createBody)
	assert.Equal(t, 201, c.status)
	assert.NotContains(t, c.body[:12], `"order"`, "the created order bare, as the page shows")
	assert.Contains(t, c.body, `"origin_id":"R-1"`)

	fake.SetRootElement(versacommercetest.RootNever)
	assert.Equal(t, []int64{100, 101}, ids(t, send(t, srv, "GET", "/api/orders.json", "").body, false))
	assert.True(t, strings.HasPrefix(send(t, srv, "GET", "/api/orders/100.json", "").body, `{"billing_address":`))
	assert.False(t, strings.HasPrefix(send(t, srv, "GET", "/api/orders/100/items.json", "").body, `[{"item":`))

	fake.SetRootElement(versacommercetest.RootAlways)
	assert.True(t, strings.HasPrefix(send(t, srv, "POST", "/api/orders.json", createBody).body, `{"order":`))
	assert.Equal(t, []int64{100, 101, 102}, ids(t, send(t, srv, "GET", "/api/orders.json", "").body, true))
}

func TestPageCapAndIgnoredParameters(t *testing.T) {
	fake := versacommercetest.NewServer()
	for i := 0; i < 6; i++ {
		fake.AddOrder(versacommercetest.Order{})
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	list := func(q string) []int64 { return ids(t, send(t, srv, "GET", "/api/orders.json?"+q, "").body, true) }

	assert.Equal(t, []int64{100, 101, 102, 103}, list("limit=4"))
	fake.SetPageCap(3)
	assert.Equal(t, []int64{100, 101, 102}, list("limit=4"), "at most the cap, whatever the limit")
	assert.Equal(t, []int64{100, 101}, list("limit=2"))
	assert.Equal(t, []int64{103, 104, 105}, list("limit=250&id_min=103"))
	fake.SetIgnoreIDMin(true)
	assert.Equal(t, []int64{100, 101, 102}, list("id_min=103"), "the same first page again")
	fake.SetIgnoreIDMin(false)
	fake.SetPageCap(0)
	fake.SetIgnoreLimit(true)
	assert.Len(t, list("limit=1"), 6)
	fake.SetIgnoreLimit(false)

	assert.True(t, fake.RemoveOrder(101))
	assert.False(t, fake.RemoveOrder(101))
	assert.Equal(t, []int64{100, 102}, list("limit=2"))
}

func TestFaults(t *testing.T) {
	fake := versacommercetest.NewServer()
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	fake.SetClock(func() time.Time { return at })
	srv := httptest.NewServer(fake)
	defer srv.Close()
	orders := func() int { return len(fake.Orders()) }

	a := send(t, srv, "GET", "/api/orders.json", "")
	assert.Equal(t, "Mon, 06 May 2024 07:08:09 GMT", a.header.Get("Date"), "Date from the fake's clock")
	assert.Equal(t, "req-1", a.header.Get("X-Request-Id"))

	fake.FailNextRetryAfter(429, 1500*time.Millisecond, `{"error": "slow down"}`)
	a = send(t, srv, "POST", "/api/orders.json", createBody)
	assert.Equal(t, 429, a.status)
	assert.Equal(t, "2", a.header.Get("Retry-After"))
	assert.Equal(t, "Mon, 06 May 2024 07:08:09 GMT", a.header.Get("Date"), "faults carry the Date too")
	assert.Equal(t, 0, orders())

	fake.DropNextBeforeActing()
	assert.Error(t, send(t, srv, "POST", "/api/orders.json", createBody).err)
	assert.Equal(t, 0, orders())

	fake.DropNextAfterActing()
	assert.Error(t, send(t, srv, "POST", "/api/orders.json", createBody).err)
	assert.Equal(t, 1, orders())

	fake.FailNextAfterActing(502, "bad gateway")
	a = send(t, srv, "POST", "/api/orders.json", createBody)
	assert.Equal(t, 502, a.status)
	assert.Equal(t, "bad gateway", a.body)
	assert.Equal(t, 2, orders())

	fake.TruncateNextAfterActing()
	a = send(t, srv, "POST", "/api/orders.json", createBody)
	assert.Error(t, a.err, "cut off")
	assert.Equal(t, 3, orders())

	fake.DelayNext(time.Millisecond)
	a = send(t, srv, "POST", "/api/orders.json", createBody)
	assert.Equal(t, 201, a.status)
	assert.Equal(t, 4, orders())

	fake.FailNext(500, "")
	assert.Equal(t, 500, send(t, srv, "GET", "/api/orders/100.json", "").status)
	assert.Equal(t, 200, send(t, srv, "GET", "/api/orders/100.json", "").status)

	assert.Equal(t, 6, fake.Count("POST", "/api/orders.json"), "faulted requests counted too")
	for _, r := range fake.Requests() {
		assert.Empty(t, r.Header.Get("Authorization"))
	}
}

func TestSetCreatedAtBounds(t *testing.T) {
	fake := versacommercetest.NewServer()
	t0 := time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		fake.AddOrder(versacommercetest.Order{CreatedAt: t0.Add(time.Duration(i) * time.Hour)})
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	list := func(q string) []int64 { return ids(t, send(t, srv, "GET", "/api/orders.json?"+q, "").body, true) }
	count := func(q string) string { return send(t, srv, "GET", "/api/orders/count.json?"+q, "").body }

	assert.Equal(t, []int64{101, 102}, list("created_at_min=2024-05-06T11:00:00Z"), "by the name: min is the earliest")
	assert.Equal(t, []int64{100, 101}, list("created_at_max=2024-05-06T11:00:00Z"))
	fake.SetCreatedAtBounds(versacommercetest.CreatedAtAsTableWords)
	assert.Equal(t, []int64{100, 101}, list("created_at_min=2024-05-06T11:00:00Z"), "by the table's words: min is \"before\"")
	assert.Equal(t, []int64{101, 102}, list("created_at_max=2024-05-06T11:00:00Z"))
	assert.Equal(t, `{"count":1}`, strings.TrimSpace(count("created_at_min=2024-05-06T10:30:00Z")), "count reads them alike")
	assert.Equal(t, []int64{101}, list("created_at_min=2024-05-06T11:30:00Z&created_at_max=2024-05-06T10:30:00Z"))
	fake.SetCreatedAtBounds(versacommercetest.CreatedAtByName)
	assert.Equal(t, []int64{101, 102}, list("created_at_min=2024-05-06T11:00:00Z"))
}

func TestSetCreatedAtOnCreate(t *testing.T) {
	fake := versacommercetest.NewServer()
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	fake.SetClock(func() time.Time { return at })
	srv := httptest.NewServer(fake)
	defer srv.Close()
	dated := strings.Replace(createBody, `"origin_id": "R-1"`, `"origin_id": "R-1", "created_at": "2016-09-09 12:32"`, 1)
	require.Equal(t, 201, send(t, srv, "POST", "/api/orders.json", dated).status)
	fake.SetCreatedAtOnCreate(versacommercetest.CreatedAtOfCreation)
	require.Equal(t, 201, send(t, srv, "POST", "/api/orders.json", dated).status)
	fake.SetCreatedAtOnCreate(versacommercetest.CreatedAtAsSent)
	require.Equal(t, 201, send(t, srv, "POST", "/api/orders.json", dated).status)
	orders := fake.Orders()
	require.Len(t, orders, 3)
	assert.Equal(t, time.Date(2016, 9, 9, 12, 32, 0, 0, time.UTC), orders[0].CreatedAt.UTC(), "the order date sent")
	assert.Equal(t, at, orders[1].CreatedAt.UTC(), "the time of creation")
	assert.Equal(t, orders[0].CreatedAt, orders[2].CreatedAt)
}

func TestSetOriginID(t *testing.T) {
	for _, tc := range []struct {
		r        versacommercetest.OriginID
		key      bool
		ours     any
		others   any
		readings string
	}{
		{versacommercetest.OriginIDEchoed, true, "R-1", nil, "echoed"},
		{versacommercetest.OriginIDNull, true, nil, nil, "null"},
		{versacommercetest.OriginIDAbsent, false, nil, nil, "absent"},
	} {
		t.Run(tc.readings, func(t *testing.T) {
			fake := versacommercetest.NewServer()
			fake.SetOriginID(tc.r)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			fake.AddOrder(versacommercetest.Order{})
			require.Equal(t, 201, send(t, srv, "POST", "/api/orders.json", createBody).status)
			var l []struct {
				Order map[string]any `json:"order"`
			}
			require.NoError(t, json.Unmarshal([]byte(send(t, srv, "GET", "/api/orders.json", "").body), &l))
			require.Len(t, l, 2)
			for i, want := range []any{tc.others, tc.ours} {
				v, ok := l[i].Order["origin_id"]
				assert.Equal(t, tc.key, ok)
				assert.Equal(t, want, v)
			}
			assert.Equal(t, "R-1", string(fake.Orders()[1].Extra["origin_id"][1:4]), "the order keeps what was sent")
		})
	}
}

func TestCreatedAtExclusiveAndIgnored(t *testing.T) {
	fake := versacommercetest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	at := time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		fake.AddOrder(versacommercetest.Order{CreatedAt: at.Add(time.Duration(i) * time.Minute)})
	}
	q := "/api/orders.json?created_at_min=2024-05-06T10:01:00Z&created_at_max=2024-05-06T10:02:00Z"
	fake.SetCreatedAtBounds(versacommercetest.CreatedAtByName)
	assert.Equal(t, []int64{101, 102}, ids(t, send(t, srv, "GET", q, "").body, true))
	fake.SetCreatedAtBounds(versacommercetest.CreatedAtByNameExclusive)
	assert.Empty(t, ids(t, send(t, srv, "GET", q, "").body, true))
	assert.Equal(t, []int64{102}, ids(t, send(t, srv, "GET", "/api/orders.json?created_at_min=2024-05-06T10:01:00Z", "").body, true))
	fake.SetCreatedAtBounds(versacommercetest.CreatedAtIgnored)
	assert.Equal(t, []int64{100, 101, 102}, ids(t, send(t, srv, "GET", q, "").body, true))
	assert.JSONEq(t, `{"count": 3}`, send(t, srv, "GET", "/api/orders/count.json?created_at_min=2030-01-01T00:00:00Z", "").body)
}

func TestSetWriteDelay(t *testing.T) {
	fake := versacommercetest.NewServer()
	now := time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC)
	fake.SetClock(func() time.Time { return now })
	fake.SetWriteDelay(90 * time.Second)
	fake.SetCreatedAtOnCreate(versacommercetest.CreatedAtOfCreation)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	a := send(t, srv, "POST", "/api/orders.json", createBody)
	require.Equal(t, 201, a.status)
	var created map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &created))
	assert.NotContains(t, created, "id", "the order is not written yet: the answer has no id, as the page shows")
	assert.Equal(t, 1, fake.Pending())
	assert.Empty(t, fake.Orders())
	assert.JSONEq(t, `[]`, send(t, srv, "GET", "/api/orders.json", "").body)
	now = now.Add(90 * time.Second)
	assert.Equal(t, 0, fake.Pending())
	o := fake.Orders()
	require.Len(t, o, 1)
	assert.Equal(t, now, o[0].CreatedAt, "stamped when written")
}

func TestSetDateHeader(t *testing.T) {
	fake := versacommercetest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	assert.NotEmpty(t, send(t, srv, "GET", "/api/orders.json", "").header.Get("Date"))
	fake.SetDateHeader(false)
	a := send(t, srv, "GET", "/api/orders.json", "")
	assert.Equal(t, 200, a.status)
	assert.Empty(t, a.header.Get("Date"), "net/http adds none either")
	fake.FailNext(502, "bad gateway")
	assert.Empty(t, send(t, srv, "GET", "/api/orders.json", "").header.Get("Date"))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/orders.json", nil)
	req.SetBasicAuth(versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword)
	fake.ServeHTTP(rec, req)
	assert.Empty(t, rec.Result().Header.Get("Date"))
}
