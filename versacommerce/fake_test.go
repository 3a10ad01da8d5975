package versacommerce_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newFake(t *testing.T) (*versacommerce.Client, *versacommercetest.Server, *httptest.Server) {
	t.Helper()
	fake := versacommercetest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)), orderkit.WithRetry(1, 0, time.Millisecond))
	require.NoError(t, err)
	return c, fake, srv
}

var day = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func seed(fake *versacommercetest.Server) {
	fake.AddOrder(versacommercetest.Order{CreatedAt: day, Total: amt("10.00"), Subtotal: amt("8.40"), Status: "open", PaymentStatus: "paid", PaymentType: "cod", ShippingType: "dhl", Note: "gift",
		Items: []versacommercetest.Item{{ProductID: 1, Quantity: 2, Price: amt("5.00"), Title: "Stift"}}})
	fake.AddOrder(versacommercetest.Order{CreatedAt: day.AddDate(0, 0, 1), Total: amt("20.00"), Status: "in_progress", CouponValue: amt("5"), CouponCode: "X", ExternalInvoicingID: "INV-2"})
	fake.AddOrder(versacommercetest.Order{CreatedAt: day.AddDate(0, 0, 2), Total: amt("30.00"), Status: "closed", PaymentStatus: "paid", ItemsStatus: "delivered"})
	fake.AddOrder(versacommercetest.Order{CreatedAt: day.AddDate(0, 0, 3), Total: amt("40.00"), Status: "canceled"})
}

func codes(orders []versacommerce.Order) []int64 {
	var out []int64
	for _, o := range orders {
		out = append(out, int64(o.ID))
	}
	return out
}

func TestFakeFilters(t *testing.T) {
	c, fake, _ := newFake(t)
	seed(fake)
	ctx := context.Background()
	cases := map[string]struct {
		f    versacommerce.Filter
		want []int64
	}{
		"all":            {versacommerce.Filter{}, []int64{100, 101, 102, 103}},
		"status":         {versacommerce.Filter{Status: versacommerce.OrderStatusClosed}, []int64{102}},
		"open or in pro": {versacommerce.Filter{Status: versacommerce.OrderStatusOpenOrInProgress}, []int64{100, 101}},
		"payment status": {versacommerce.Filter{PaymentStatus: versacommerce.PaymentStatusPaid}, []int64{100, 102}},
		"items status":   {versacommerce.Filter{ItemsStatus: versacommerce.ItemStatusDelivered}, []int64{102}},
		"payment type":   {versacommerce.Filter{PaymentType: versacommerce.PaymentTypeCOD}, []int64{100}},
		"shipping type":  {versacommerce.Filter{ShippingType: "dhl"}, []int64{100}},
		"note":           {versacommerce.Filter{Note: "gift"}, []int64{100}},
		"code":           {versacommerce.Filter{Code: "196-000-101"}, []int64{101}},
		"invoicing id":   {versacommerce.Filter{ExternalInvoicingID: "INV-2"}, []int64{101}},
		"coupon value":   {versacommerce.Filter{CouponValue: versacommerce.Amount(amt("5.00"))}, []int64{101}},
		"subtotal":       {versacommerce.Filter{Subtotal: versacommerce.Amount(amt("8.4"))}, []int64{100}},
		"total":          {versacommerce.Filter{Total: versacommerce.Amount(amt("30"))}, []int64{102}},
		"total range":    {versacommerce.Filter{TotalMin: versacommerce.Amount(amt("20")), TotalMax: versacommerce.Amount(amt("30.00"))}, []int64{101, 102}},
		"coupon range":   {versacommerce.Filter{CouponValueMin: versacommerce.Amount(amt("0.01")), CouponValueMax: versacommerce.Amount(amt("9"))}, []int64{101}},
		"id range":       {versacommerce.Filter{IDMin: 101, IDMax: 102}, []int64{101, 102}},
		"created range":  {versacommerce.Filter{CreatedAtMin: day.Add(time.Hour), CreatedAtMax: day.AddDate(0, 0, 2)}, []int64{101, 102}},
		"none":           {versacommerce.Filter{Status: versacommerce.OrderStatusReturned}, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := c.Orders.List(ctx, &versacommerce.ListOptions{Filter: tc.f})
			require.NoError(t, err)
			assert.Equal(t, tc.want, codes(got))
			n, err := c.Orders.Count(ctx, &tc.f)
			require.NoError(t, err)
			assert.Equal(t, len(tc.want), n)
		})
	}

	page, err := c.Orders.List(ctx, &versacommerce.ListOptions{Limit: 2, Offset: 1})
	require.NoError(t, err)
	assert.Equal(t, []int64{101, 102}, codes(page))
}

func TestFakeGetItemsAndDecoding(t *testing.T) {
	c, fake, _ := newFake(t)
	seed(fake)
	ctx := context.Background()

	o, err := c.Orders.Get(ctx, 100, nil)
	require.NoError(t, err)
	assert.Equal(t, "196-000-100", o.Code)
	assert.Equal(t, "EUR", o.Currency)
	assert.Equal(t, "953", o.ShopID.String())
	assert.Equal(t, day, o.CreatedAt)
	assert.Equal(t, "10.00", o.Total.StringFixed(2))
	assert.Nil(t, o.Items, "items only when included")

	o, err = c.Orders.Get(ctx, 100, &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}})
	require.NoError(t, err)
	require.Len(t, o.Items, 1)
	assert.Equal(t, "Stift", o.Items[0].Title)

	list, err := c.Orders.List(ctx, &versacommerce.ListOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}, Limit: 1})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Len(t, list[0].Items, 1)
	assert.Equal(t, 2, list[0].Items[0].Quantity)

	items, err := c.Orders.Items(ctx, 100)
	require.NoError(t, err)
	require.Len(t, items, 1)
	assert.Equal(t, versacommerce.ID(1), items[0].ProductID)
	assert.True(t, amt("5").Equal(items[0].Price))

	_, err = c.Orders.Get(ctx, 999, nil)
	assert.ErrorIs(t, err, orderkit.ErrNotFound)
	_, err = c.Orders.Items(ctx, 999)
	assert.ErrorIs(t, err, orderkit.ErrNotFound)
}

func TestFakeChecksCredentials(t *testing.T) {
	_, fake, srv := newFake(t)
	bad, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, "wrong", orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	require.NoError(t, err)
	_, err = bad.Orders.Count(context.Background(), nil)
	assert.ErrorIs(t, err, orderkit.ErrUnauthorized)
	assert.NotContains(t, err.Error(), versacommercetest.DefaultAPIKey)
	assert.Equal(t, 1, fake.Count("GET", "/api/orders/count.json"))
}

func TestFakeCreate(t *testing.T) {
	c, fake, _ := newFake(t)
	fake.SetClock(func() time.Time { return day })
	req := minimalOrder()
	req.Total = versacommerce.Amount(amt("19.99"))
	req.Items[0].Price = versacommerce.Amount(amt("19.99"))
	req.OriginName, req.NewPaymentStatus = "amazon", versacommerce.PaymentStatusPaid
	o, err := c.Orders.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, versacommerce.ID(100), o.ID)
	assert.Equal(t, "19.99", o.Total.String())
	assert.Equal(t, versacommerce.PaymentStatusPaid, o.PaymentStatus)
	assert.Equal(t, versacommerce.OrderStatusOpen, o.Status)
	assert.Equal(t, "amazon", o.OriginName)
	assert.Equal(t, day, o.CreatedAt)
	require.Len(t, o.Items, 1)

	stored, ok := fake.Order(100)
	require.True(t, ok)
	assert.Equal(t, "12345", stored.BillingAddress.Zipcode)
	assert.True(t, amt("19.99").Equal(stored.Items[0].Price))

	got, err := c.Orders.Get(context.Background(), o.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, o.Code, got.Code)
}

func TestFakeAcceptsTheVendorsCreateExample(t *testing.T) {
	_, fake, srv := newFake(t)
	body := fixture(t, "create_request.json")
	req, _ := http.NewRequest("POST", srv.URL+"/api/orders.json", bytes.NewReader(body))
	req.SetBasicAuth(versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	var out versacommerce.Order
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	assert.Equal(t, versacommerce.ID(100), out.ID)
	assert.Equal(t, "12345", out.ShippingAddress.Zipcode)
	assert.Len(t, fake.Orders(), 1)
}

func TestFakeRefusesMissingAttributes(t *testing.T) {
	_, fake, srv := newFake(t)
	// Sent raw: the client would refuse this before sending.
	req, _ := http.NewRequest("POST", srv.URL+"/api/orders.json", bytes.NewReader([]byte(`{"order": {"payment_type": "misc", "total": 1,
		"items": [{"product_id": 1}], "billing_address": {"firstname": "A"}}}`)))
	req.SetBasicAuth(versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 422, resp.StatusCode)
	var out struct{ Errors map[string][]string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	for _, f := range []string{"payment_cost", "item_total", "subtotal", "weight_total", "shipping_cost", "items[0].quantity",
		"billing_address.lastname", "billing_address.street", "billing_address.streetnumber", "billing_address.zipcode",
		"billing_address.city", "shipping_address"} {
		assert.Equal(t, []string{"can't be blank"}, out.Errors[f], f)
	}
	assert.NotContains(t, out.Errors, "total")
	assert.Empty(t, fake.Orders())
}

func TestFakeValidationErrorThroughClient(t *testing.T) {
	c, fake, _ := newFake(t)
	fake.FailNext(422, `{"errors": {"total": ["does not match the items"]}}`)
	_, err := c.Orders.Create(context.Background(), minimalOrder())
	var ve *orderkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"does not match the items"}, ve.Fields["total"])
	assert.Empty(t, fake.Orders())
}

func TestFakeCreateNotRetriedOnServerError(t *testing.T) {
	c, fake, _ := newFake(t)
	fake.FailNext(500, `oops`)
	_, err := c.Orders.Create(context.Background(), minimalOrder())
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, fake.Count("POST", "/api/orders.json"))
}

// All must neither skip nor repeat an order when orders are created while
// it walks: it pages by id, and new orders get higher ids.
func TestAllWhileOrdersAreCreated(t *testing.T) {
	c, fake, _ := newFake(t)
	for i := 0; i < 7; i++ {
		fake.AddOrder(versacommercetest.Order{Total: money.FromInt(int64(i)), Status: "open"})
	}
	seen := map[int64]int{}
	var order []int64
	added := 0
	for o, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Limit: 3, Filter: versacommerce.Filter{Status: versacommerce.OrderStatusOpen}}) {
		require.NoError(t, err)
		seen[int64(o.ID)]++
		order = append(order, int64(o.ID))
		if added < 4 {
			// A new open order and a closed one arrive while we walk.
			fake.AddOrder(versacommercetest.Order{Status: "open"})
			fake.AddOrder(versacommercetest.Order{Status: "closed"})
			added++
		}
	}
	var want []int64
	for _, o := range fake.Orders() {
		if o.Status == "open" {
			want = append(want, int64(o.ID))
		}
	}
	assert.Equal(t, want, order, "every open order once, ascending")
	for id, n := range seen {
		assert.Equal(t, 1, n, "order %d", id)
	}
	assert.Len(t, want, 11)
	for _, r := range fake.Requests() {
		assert.False(t, r.Query.Has("offset"), "walks by id, not offset")
		assert.Equal(t, "3", r.Query.Get("limit"))
		assert.Equal(t, "open", r.Query.Get("status"))
	}
}

func TestAllStopsWhenTheLoopDoes(t *testing.T) {
	c, fake, _ := newFake(t)
	for i := 0; i < 10; i++ {
		fake.AddOrder(versacommercetest.Order{})
	}
	n := 0
	for _, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Limit: 2, Filter: versacommerce.Filter{IDMin: 103}}) {
		require.NoError(t, err)
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n)
	reqs := fake.Requests()
	require.Len(t, reqs, 2, "no page fetched beyond what the loop used")
	assert.Equal(t, "103", reqs[0].Query.Get("id_min"))
	assert.Equal(t, "105", reqs[1].Query.Get("id_min"))

	// Walking to the end: the default page size is the maximum, and only
	// an empty page ends the walk (a short one may be the shop's page cap).
	var all []int64
	for o, err := range c.Orders.All(context.Background(), nil) {
		require.NoError(t, err)
		all = append(all, int64(o.ID))
	}
	assert.Len(t, all, 10)
	assert.Equal(t, "250", fake.Requests()[2].Query.Get("limit"))
	require.Len(t, fake.Requests(), 4)
	assert.Equal(t, "110", fake.Requests()[3].Query.Get("id_min"), "the page after the last order seen")
}

func TestAllReportsErrors(t *testing.T) {
	c, fake, _ := newFake(t)
	for i := 0; i < 4; i++ {
		fake.AddOrder(versacommercetest.Order{})
	}
	var got []int64
	var errs []error
	// The second page fails (with retries off after one retry).
	fake.FailNext(200, `[{"order": {"id": 100}}, {"order": {"id": 101}}]`)
	fake.FailNext(500, `oops`)
	fake.FailNext(500, `oops`)
	for o, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, int64(o.ID))
	}
	assert.Equal(t, []int64{100, 101}, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], orderkit.ErrServer)

	for _, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Offset: 5}) {
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	}
}

func TestAllRefusesOrdersOutOfIDOrder(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders.json", httpmock.NewStringResponder(200,
		`[{"order": {"id": 103}}, {"order": {"id": 101}}, {"order": {"id": 102}}]`))
	var got []int64
	var errs []error
	for o, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Limit: 3}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, int64(o.ID))
	}
	assert.Empty(t, got, "no order of a page out of id order is yielded")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], orderkit.ErrInvalidResponse)
	assert.Contains(t, errs[0].Error(), "ascending id")
}
