package inventorum_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

func newFake(t *testing.T, opts ...orderkit.Option) (*inventorumtest.Server, *inventorum.Client) {
	t.Helper()
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	all := append([]orderkit.Option{orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRetry(0, 0, time.Millisecond), orderkit.WithRateLimit(0, 0)}, opts...)
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, all...)
	require.NoError(t, err)
	return fake, c
}

func ids(orders []inventorum.Order) []inventorum.ID {
	out := make([]inventorum.ID, len(orders))
	for i, o := range orders {
		out[i] = o.ID
	}
	return out
}

func TestFakeListEndpoint(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	gen := fake.GenerateOrders(140, t0, time.Minute)
	code := "4006381333931"
	title := "Ms."
	special := fake.AddOrder(inventorum.Order{
		State: orderstate.Completed, Channel: inventorum.ChannelShop, TimeAdded: t0.Add(30 * time.Second), CompletedAt: t0.Add(40 * time.Second),
		Basket: inventorum.Basket{InvoiceNumber: "INV-77", Items: []inventorum.Item{{Name: "Adidas Samba", ProductCode: &code, Price: money.MustParse("84.03"), Quantity: 1}}},
		Customer: &inventorum.Customer{FirstName: "Erika", LastName: "Mustermann", Title: &title,
			BillingAddress: &inventorum.Address{Company: "Beispiel GmbH"}},
	})

	var want []inventorum.ID
	for _, o := range append(gen, special) {
		if o.Channel != inventorum.ChannelIPad && !o.State.Has(orderstate.Draft) && !o.TimeAdded.After(t0.Add(99*time.Minute)) {
			want = append(want, o.ID)
		}
	}
	var got []inventorum.Order
	for o, err := range c.Orders.All(ctx, &inventorum.ListOptions{Start: t0, End: t0.Add(99 * time.Minute), Limit: 7}) {
		require.NoError(t, err)
		got = append(got, o)
	}
	assert.ElementsMatch(t, want, ids(got), "iPad and DRAFT left out, date range kept")
	assert.Equal(t, (len(want)+6)/7, fake.Count("GET", "/api/orders/"), "pages walked until the total")
	for i := 1; i < len(got); i++ {
		assert.False(t, got[i].CompletedAt.Before(got[i-1].CompletedAt), "ordered by completed_at")
	}

	p, err := c.Orders.List(ctx, &inventorum.ListOptions{Start: t0, End: t0.Add(time.Hour), Channel: inventorum.ChannelIPad})
	require.NoError(t, err)
	require.NotEmpty(t, p.Data)
	for _, o := range p.Data {
		assert.Equal(t, inventorum.ChannelIPad, o.Channel)
	}

	for _, q := range []string{"samba", "4006381333931", "inv-77", "mustermann", "beispiel", "ADIDAS erika"} {
		p, err := c.Orders.List(ctx, &inventorum.ListOptions{Start: t0, End: t0.Add(time.Hour), Search: q})
		require.NoError(t, err)
		assert.Equal(t, []inventorum.ID{special.ID}, ids(p.Data), q)
	}
	p, err = c.Orders.List(ctx, &inventorum.ListOptions{Start: t0, End: t0.Add(time.Hour), Search: "samba nobody"})
	require.NoError(t, err)
	assert.Empty(t, p.Data)

	// Early stop: one request, two orders.
	before := fake.Count("GET", "/api/orders/")
	n := 0
	for _, err := range c.Orders.All(ctx, &inventorum.ListOptions{Start: t0, End: t0.Add(time.Hour), Limit: 5}) {
		require.NoError(t, err)
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 1, fake.Count("GET", "/api/orders/")-before)
}

func TestFakeDeltaVersionsAndBasket(t *testing.T) {
	fake, c12 := newFake(t)
	ctx := context.Background()
	res, err := c12.Basket.Create(ctx, &inventorum.BasketRequest{
		Items:    []inventorum.BasketItem{{Product: 7890302, Quantity: 2, Price: money.MustParse("15.99"), Name: "Socks"}},
		Customer: 494, NoteExternal: "thanks",
	})
	require.NoError(t, err)
	assert.Equal(t, orderstate.Pending, res.State)
	assert.Equal(t, orderstate.StatusPending, res.Status())
	assert.EqualValues(t, 494, res.Customer)
	stored, ok := fake.Order(res.ID)
	require.True(t, ok)
	assert.Equal(t, "38.06", stored.GrossTotal().String(), "19 % on 15.99 is 19.03 gross, twice")
	assert.Equal(t, 1, fake.Count("POST", "/api/basket/"))

	p, err := c12.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	assert.NotContains(t, ids(p.Data), res.ID, "version 12 leaves PENDING out")

	_, c10 := newFakeShared(t, fake, inventorum.WithAPIVersion(10))
	p, err = c10.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	assert.Contains(t, ids(p.Data), res.ID, "below 12 PENDING is included")

	_, err = c12.Basket.Create(ctx, &inventorum.BasketRequest{Items: []inventorum.BasketItem{{Product: 1, Quantity: 1}}})
	require.NoError(t, err, "a zero price is allowed")
}

func newFakeShared(t *testing.T, fake *inventorumtest.Server, opts ...orderkit.Option) (*httptest.Server, *inventorum.Client) {
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	all := append([]orderkit.Option{orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRetry(0, 0, time.Millisecond)}, opts...)
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, all...)
	require.NoError(t, err)
	return srv, c
}

func TestFakeBasketValidation(t *testing.T) {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/basket/", nil)
	req.Header.Set("Authorization", "Bearer "+inventorumtest.DefaultAccessToken)
	req.Header.Set("Content-Type", "application/json")
	req.Body = http.NoBody
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.Get(srv.URL + "/api/orders/delta")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 301, resp.StatusCode, "a path without its slash answers 301")
	assert.Equal(t, "/api/orders/delta/", resp.Header.Get("Location"))

	resp, err = http.Get(srv.URL + "/api/orders/delta/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
}

func TestFakeDeltaOrderBy(t *testing.T) {
	fake, c := newFake(t)
	fake.GenerateOrders(30, t0, time.Second)
	p, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{OrderBy: []inventorum.OrderBy{{Field: inventorum.SortByID, Desc: true}}})
	require.NoError(t, err)
	got := ids(p.Data)
	assert.True(t, slices.IsSortedFunc(got, func(a, b inventorum.ID) int { return int(b - a) }))
}

func TestFakeSendsVendorStyle(t *testing.T) {
	fake := inventorumtest.NewServer()
	fake.GenerateOrders(1, t0, time.Second)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/orders/delta/", nil)
	req.Header.Set("Authorization", "Bearer "+inventorumtest.DefaultAccessToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var raw struct {
		Data []map[string]any `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
	require.Len(t, raw.Data, 1)
	assert.Equal(t, "1.99", raw.Data[0]["amount_paid"])
	assert.Equal(t, "2024-03-01T10:00:00+00:00", raw.Data[0]["time_added"])
	item := raw.Data[0]["basket"].(map[string]any)["items"].([]any)[0].(map[string]any)
	assert.Equal(t, "1", item["original_quantity"])
	assert.Equal(t, "19", item["tax_rate"])
	assert.Equal(t, "1.6722689076", item["price"])
}

// TestFakeTransportAndRequests: the fake serves a client in memory through
// its Transport and logs every request, without its Authorization.
func TestFakeTransportAndRequests(t *testing.T) {
	fake := inventorumtest.NewServer()
	fake.GenerateOrders(3, t0, time.Minute)
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken,
		orderkit.WithBaseURL(inventorumtest.BaseURL("http://inventorum.test")), orderkit.WithInsecureHTTP(),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}), inventorum.WithAPIVersion(11))
	require.NoError(t, err)
	p, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{Channel: inventorum.ChannelShop, Limit: 5})
	require.NoError(t, err)
	assert.Len(t, p.Data, 1)

	fake.FailNext(http.StatusServiceUnavailable, `{"detail": "down"}`)
	_, err = c.Basket.Create(context.Background(), &inventorum.BasketRequest{Items: []inventorum.BasketItem{{Product: 1, Quantity: 1}}}, orderkit.NoRetry())
	require.Error(t, err)

	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/api/orders/delta/", reqs[0].Path)
	assert.Equal(t, "shop", reqs[0].Query.Get("channel"))
	assert.Equal(t, "5", reqs[0].Query.Get("limit"))
	assert.Equal(t, "11", reqs[0].Header.Get("X-Api-Version"))
	assert.Empty(t, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "POST", reqs[1].Method)
	assert.Equal(t, 1, fake.Count("POST", "/api/basket/"), "a faulted request counts")
	assert.Equal(t, 3, fake.Len(), "the failed basket was not created")
}
