package inventorum

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

const base = "https://app.inventorum.com/api"

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

func newMock(t *testing.T, opts ...orderkit.Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	all := append([]orderkit.Option{orderkit.WithHTTPClient(&http.Client{Transport: mock}), orderkit.WithRetry(2, 0, time.Millisecond)}, opts...)
	c, err := NewClient("secret-token-123", all...)
	require.NoError(t, err)
	return c, mock
}

// checkHeaders asserts what every request carries.
func checkHeaders(t *testing.T, r *http.Request, version string) {
	t.Helper()
	assert.Equal(t, "Bearer secret-token-123", r.Header.Get("Authorization"))
	assert.Equal(t, version, r.Header.Get("X-Api-Version"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
}

func jsonResponder(t *testing.T, status int, body string, check func(*http.Request)) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		if check != nil {
			check(r)
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func TestDeltaFixture(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponderWithQuery("GET", base+"/orders/delta/",
		"start_date=2018-01-25T15%3A00%3A56.643Z&limit=50&page=2&channel=backoffice&order_by=id%2C-channel",
		jsonResponder(t, 200, fixture(t, "delta.json"), func(r *http.Request) { checkHeaders(t, r, "12") }))

	start := time.Date(2018, 1, 25, 16, 0, 56, 643999999, time.FixedZone("CET", 3600))
	p, err := c.Orders.Delta(context.Background(), &DeltaOptions{
		StartDate: start, Limit: 50, Page: 2, Channel: ChannelBackoffice,
		OrderBy: []OrderBy{{Field: SortByID}, {Field: SortByChannel, Desc: true}},
	})
	require.NoError(t, err)
	assert.Equal(t, 1, mock.GetTotalCallCount())
	require.EqualValues(t, 1, p.Total)
	require.Len(t, p.Data, 1)
	o := p.Data[0]
	assert.EqualValues(t, 8791312, o.ID)
	assert.Nil(t, o.Basket.NoteInternal)
	assert.Nil(t, o.Basket.NoteExternal)
	assert.Nil(t, o.Basket.Discount)
	require.Len(t, o.Basket.Items, 1)
	it := o.Basket.Items[0]
	assert.EqualValues(t, 17311484, it.ID)
	assert.Equal(t, "YAD Smart Wobbler 60mm", it.Name)
	assert.Nil(t, it.Discount)
	assert.Equal(t, "10", it.OriginalQuantity.String())
	assert.Equal(t, "5.8739495798", it.Price.String())
	assert.EqualValues(t, 2195273, it.Product)
	assert.EqualValues(t, 10, it.Quantity)
	assert.True(t, it.TaxRate.Equal(money.MustParse("19")))
	assert.Equal(t, "69.90", it.GrossPrice.StringFixed(2))
	assert.True(t, it.GrossPrice.Equal(money.MustParse("69.9")))
	assert.True(t, it.UnitGrossPrice.Equal(money.MustParse("6.99")))
	require.NotNil(t, it.ProductCode)
	assert.Equal(t, "72060235", *it.ProductCode)
	require.NotNil(t, o.Basket.Receipt)
	assert.Equal(t, "http://app.inventorum.com/uploads/invoices/11/Inventorum-Workshop_-630.pdf", o.Basket.Receipt.PDF)
	assert.Equal(t, "http://app.inventorum.com/uploads/invoices/1/Inventorum-Workshop_-630.png", o.Basket.Receipt.Image)
	assert.Equal(t, 576, o.Basket.Receipt.ImageWidth)
	assert.Equal(t, 2237, o.Basket.Receipt.ImageHeight)
	assert.Equal(t, "630", o.Basket.InvoiceNumber)
	assert.Equal(t, orderstate.Completed, o.State)
	assert.Equal(t, orderstate.StatusCompleted, o.Status())
	assert.Nil(t, o.Customer)
	assert.Equal(t, "138.6", o.AmountPaid.String())
	require.Len(t, o.Payments, 1)
	pay := o.Payments[0]
	assert.EqualValues(t, 8210484, pay.ID)
	assert.Equal(t, "0", pay.PaymentMethod)
	assert.True(t, pay.PaymentAmount.Equal(money.MustParse("138.6")))
	assert.Equal(t, time.Date(2017, 12, 12, 14, 49, 26, 0, time.UTC), pay.Date)
	assert.Nil(t, pay.TransactionID)
	assert.Nil(t, pay.TransactionDuration)
	assert.Nil(t, pay.PaypalInvoiceID)
	assert.Nil(t, pay.PaypalTabID)
	assert.Nil(t, pay.ExternalPaymentMethod)
	assert.Nil(t, o.Shipment)
	assert.Equal(t, ChannelIPad, o.Channel)
	assert.Equal(t, time.Date(2017, 12, 12, 14, 49, 22, 0, time.UTC), o.TimeAdded)
	assert.Equal(t, time.UTC, o.TimeAdded.Location())
	assert.Equal(t, time.Date(2017, 12, 12, 14, 49, 22, 0, time.UTC), o.CompletedAt)
	assert.Equal(t, DeltaCreated, o.DeltaState)
	assert.EqualValues(t, 1959, o.UserID)
	assert.Equal(t, []string{"0", "6", "1", "3", "2"}, o.AvailableRefundTypes)
	assert.Equal(t, "69.90 EUR", o.GrossTotal().Format("EUR"))
}

func TestListFixture(t *testing.T) {
	c, mock := newMock(t, WithAPIVersion(10))
	mock.RegisterResponderWithQuery("GET", base+"/orders/",
		"start=2018.08.16+16%3A21%3A00&end=2018.08.16+18%3A21%3A00&page=1&search=adidas+club",
		jsonResponder(t, 200, fixture(t, "list.json"), func(r *http.Request) { checkHeaders(t, r, "10") }))

	p, err := c.Orders.List(context.Background(), &ListOptions{
		Start:  time.Date(2018, 8, 16, 18, 21, 0, 0, time.FixedZone("CEST", 7200)),
		End:    time.Date(2018, 8, 16, 18, 21, 0, 0, time.UTC),
		Search: " adidas club ",
	})
	require.NoError(t, err)
	assert.EqualValues(t, 23, p.Total)
	require.Len(t, p.Data, 1)
	o := p.Data[0]
	assert.EqualValues(t, 5011967, o.ID)
	it := o.Basket.Items[0]
	assert.EqualValues(t, 9906372, it.ID)
	assert.Equal(t, "00001 Club Mate", it.Name)
	assert.Equal(t, "4.2016806723", it.Price.String())
	assert.EqualValues(t, 5977221, it.Product)
	assert.EqualValues(t, 1, it.Quantity)
	assert.Nil(t, it.ProductCode)
	assert.True(t, it.GrossPrice.Equal(money.MustParse("5")))
	assert.Nil(t, o.Basket.Receipt)
	assert.Equal(t, "", o.Basket.InvoiceNumber)
	assert.Equal(t, orderstate.Pending, o.State)
	assert.Equal(t, orderstate.StatusPending, o.Status())
	cu := o.Customer
	require.NotNil(t, cu)
	assert.EqualValues(t, 408367, cu.ID)
	assert.Equal(t, 4, cu.Channel)
	assert.Equal(t, "paulschmidt@inventorum.com", cu.Email)
	require.NotNil(t, cu.Title)
	assert.Equal(t, "Mr.", *cu.Title)
	assert.Equal(t, "Paul", cu.FirstName)
	assert.Nil(t, cu.MiddleName)
	assert.Equal(t, "Schmidt", cu.LastName)
	require.NotNil(t, cu.BillingAddress)
	ba := cu.BillingAddress
	assert.Equal(t, Address{ID: 471652, Country: "DE", Address1: "Danziger Str 100b", Zipcode: "10405", City: "Berlin", FirstName: "Paul", LastName: "Schmidt"}, *ba)
	require.Len(t, cu.ShippingAddresses, 1)
	assert.Equal(t, Address{ID: 471653, Country: "DE", Address1: "Danziger Str 100b", Zipcode: "10405", City: "Berlin", FirstName: "Paul", LastName: "Schmidt"}, cu.ShippingAddresses[0])
	assert.Equal(t, "5", o.AmountPaid.String())
	require.Len(t, o.Payments, 1)
	assert.Equal(t, "6", o.Payments[0].PaymentMethod)
	assert.Equal(t, time.Date(2017, 1, 25, 12, 19, 21, 0, time.UTC), o.Payments[0].Date)
	sh := o.Shipment
	require.NotNil(t, sh)
	assert.EqualValues(t, 9169, sh.ID)
	assert.Equal(t, "Abholung", sh.Name)
	assert.Nil(t, sh.TrackingNumber)
	assert.True(t, sh.Cost.IsZero(), "0E-10 is zero")
	assert.Nil(t, sh.ExternalKey)
	require.NotNil(t, sh.Service)
	assert.Equal(t, ShipmentService{ID: 22099, Name: "Abholung"}, *sh.Service)
	assert.Equal(t, ChannelShop, o.Channel)
	assert.Equal(t, time.Date(2017, 1, 25, 12, 15, 8, 0, time.UTC), o.TimeAdded)
	assert.Equal(t, time.Date(2017, 1, 25, 12, 19, 37, 0, time.UTC), o.CompletedAt)
	assert.Equal(t, DeltaState(""), o.DeltaState)
	assert.Nil(t, o.AvailableRefundTypes)
}

func docBasket() *BasketRequest {
	return &BasketRequest{
		Items: []BasketItem{{
			Price: money.MustParse("99"), Product: 7890302, Quantity: 1,
			Discount: &Discount{Type: DiscountPercent, Amount: money.MustParse("0.5"), Reason: 0},
		}},
		Customer:     494,
		NoteInternal: "internal note",
		NoteExternal: "external note",
		Discount:     &Discount{Type: DiscountCash, Amount: money.MustParse("0.5"), Reason: 0},
	}
}

func TestBasketCreateFixture(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("POST", base+"/basket/", jsonResponder(t, 200, fixture(t, "basket_response.json"), func(r *http.Request) {
		checkHeaders(t, r, "12")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Empty(t, r.URL.RawQuery)
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		assert.JSONEq(t, fixture(t, "basket_request.json"), string(b))
	}))
	res, err := c.Basket.Create(context.Background(), docBasket())
	require.NoError(t, err)
	assert.Equal(t, 1, mock.GetTotalCallCount())
	assert.EqualValues(t, 19663267, res.ID)
	assert.EqualValues(t, 523, res.User)
	assert.EqualValues(t, 494, res.Customer)
	assert.EqualValues(t, 19664038, res.Basket)
	assert.Equal(t, orderstate.Draft, res.State, `"01" is the digit string 1`)
	assert.Equal(t, orderstate.StatusOpen, res.Status())
	assert.Equal(t, time.Date(2020, 2, 18, 14, 48, 38, 38000000, time.UTC), res.CompletedAt)
	assert.Equal(t, 1, res.Channel)
	assert.Equal(t, "null", string(res.Shipment))
	assert.Nil(t, res.Description)
}

func TestBasketValidationError(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("POST", base+"/basket/", jsonResponder(t, 400, fixture(t, "basket_400.json"), nil))
	_, err := c.Basket.Create(context.Background(), docBasket())
	require.Error(t, err)
	assert.Equal(t, 1, mock.GetTotalCallCount())
	var ve *orderkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, map[string][]string{"items": {"This field is required."}}, ve.Fields)
	assert.Equal(t, "Serialization error", ve.Message)
	assert.Equal(t, "common.serializer_error", ve.Code)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.StatusCode)
	assert.Equal(t, "Serialization error", e.Message)
	assert.Equal(t, "common.serializer_error", e.Code)
	assert.Contains(t, err.Error(), "items: This field is required.")
	assert.False(t, errors.Is(err, orderkit.ErrOutcomeUnknown))
}

func TestNestedFieldErrors(t *testing.T) {
	_, _, detail := decodeError(400, nil, []byte(`{"error":{"fields":{"items":[{},{"price":["A valid number is required."],"discount":{"type":["bad"]}}],"customer":"Unknown customer."},"description":"Serialization error","key":"k"}}`))
	var ve *orderkit.ValidationError
	require.ErrorAs(t, detail, &ve)
	assert.Equal(t, map[string][]string{
		"items[1].price":         {"A valid number is required."},
		"items[1].discount.type": {"bad"},
		"customer":               {"Unknown customer."},
	}, ve.Fields)
}

func TestBasketNotRetried(t *testing.T) {
	t.Run("connection reset", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("POST", base+"/basket/", httpmock.NewErrorResponder(syscall.ECONNRESET))
		_, err := c.Basket.Create(context.Background(), docBasket())
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		assert.Equal(t, 1, mock.GetTotalCallCount(), "a basket POST is sent once")
		assert.NotContains(t, err.Error(), "secret-token-123")
	})
	t.Run("500", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("POST", base+"/basket/", jsonResponder(t, 500, `{"detail": "A server error occurred."}`, nil))
		_, err := c.Basket.Create(context.Background(), docBasket())
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		require.ErrorIs(t, err, orderkit.ErrServer)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
	t.Run("2xx with unreadable body", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("POST", base+"/basket/", jsonResponder(t, 200, `{"id": 1, "state": `, nil))
		_, err := c.Basket.Create(context.Background(), docBasket())
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
}

func TestBasketValidatedBeforeSending(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	neg := money.MustParse("-1")
	cases := map[string]func(*BasketRequest){
		"no items":          func(r *BasketRequest) { r.Items = nil },
		"quantity 0":        func(r *BasketRequest) { r.Items[0].Quantity = 0 },
		"no product":        func(r *BasketRequest) { r.Items[0].Product = 0 },
		"negative price":    func(r *BasketRequest) { r.Items[0].Price = neg },
		"percent above 1":   func(r *BasketRequest) { r.Items[0].Discount.Amount = money.MustParse("1.5") },
		"unknown type":      func(r *BasketRequest) { r.Discount.Type = "gift" },
		"negative discount": func(r *BasketRequest) { r.Discount.Amount = neg },
		"negative reason":   func(r *BasketRequest) { r.Discount.Reason = -1 },
		"negative customer": func(r *BasketRequest) { r.Customer = -4 },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			req := docBasket()
			mod(req)
			_, err := c.Basket.Create(context.Background(), req)
			require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
		})
	}
	assert.Equal(t, 0, mock.GetTotalCallCount())
}

func TestOptionsValidatedBeforeSending(t *testing.T) {
	c, mock := newMock(t)
	ctx := context.Background()
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	deltas := []DeltaOptions{{Limit: 101}, {Limit: -1}, {Page: -1}, {Channel: "amazon"}, {OrderBy: []OrderBy{{Field: "price"}}}}
	for _, o := range deltas {
		_, err := c.Orders.Delta(ctx, &o)
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "%+v", o)
	}
	lists := []ListOptions{
		{}, {Start: day}, {End: day}, {Start: day, End: day.Add(-time.Second)},
		{Start: day, End: day, Limit: 41}, {Start: day, End: day, Limit: -2},
		{Start: day, End: day, Page: -1}, {Start: day, End: day, Channel: ChannelBackoffice},
		{Start: day, End: day, Channel: "x"},
	}
	for _, o := range lists {
		_, err := c.Orders.List(ctx, &o)
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "%+v", o)
	}
	for _, err := range c.Orders.DeltaAll(ctx, &DeltaOptions{Limit: 500}) {
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	}
	assert.Equal(t, 0, mock.GetTotalCallCount())
}

func TestErrorShapes(t *testing.T) {
	ctx := context.Background()
	t.Run("detail 404", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 404, `{"detail": "Not found."}`, nil))
		_, err := c.Orders.Delta(ctx, &DeltaOptions{})
		require.ErrorIs(t, err, orderkit.ErrNotFound)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "Not found.", e.Message)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
	t.Run("detail validation 400", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 400, `{"detail": "Validation error", "start_date": ["bad"]}`, nil))
		_, err := c.Orders.Delta(ctx, &DeltaOptions{})
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "Validation error", e.Message)
		var ve *orderkit.ValidationError
		assert.False(t, errors.As(err, &ve))
	})
	t.Run("401 bad token scrubbed", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 401, `{"detail": "Invalid token secret-token-123."}`, nil))
		_, err := c.Orders.Delta(ctx, &DeltaOptions{})
		require.ErrorIs(t, err, orderkit.ErrUnauthorized)
		assert.NotContains(t, err.Error(), "secret-token-123")
		assert.Equal(t, 1, mock.GetTotalCallCount(), "a fixed token is not retried")
	})
	t.Run("HTML 502 from a proxy", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/", httpmock.NewStringResponder(502, "<html><body>Bad gateway</body></html>"))
		_, err := c.Orders.List(ctx, &ListOptions{Start: time.Unix(0, 0), End: time.Unix(10, 0)})
		require.ErrorIs(t, err, orderkit.ErrServer)
		assert.Equal(t, 3, mock.GetTotalCallCount(), "a GET is retried twice")
	})
	t.Run("HTML 200", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/delta/", httpmock.NewStringResponder(200, "<html>maintenance</html>"))
		_, err := c.Orders.Delta(ctx, &DeltaOptions{})
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
	})
	t.Run("unparsable price is an error", func(t *testing.T) {
		c, mock := newMock(t)
		body := strings.Replace(fixture(t, "delta.json"), `"5.8739495798"`, `"5,87"`, 1)
		mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 200, body, nil))
		_, err := c.Orders.Delta(ctx, &DeltaOptions{})
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
		require.ErrorIs(t, err, money.ErrInvalid)
	})
	t.Run("429 then success", func(t *testing.T) {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/delta/", httpmock.ResponderFromMultipleResponses([]*http.Response{
			func() *http.Response {
				r := httpmock.NewStringResponse(429, `{"detail": "Request was throttled."}`)
				r.Header.Set("Retry-After", "0")
				return r
			}(),
			httpmock.NewStringResponse(200, `{"total": 0, "data": null}`),
		}))
		p, err := c.Orders.Delta(ctx, &DeltaOptions{})
		require.NoError(t, err)
		assert.Empty(t, p.Data)
		assert.Equal(t, 2, mock.GetTotalCallCount())
	})
	t.Run("decoder survives garbage", func(t *testing.T) {
		for _, b := range []string{"", "null", "[]", `{"error": 5}`, `{"error": {"fields": 7}}`, `{"detail": {"a": 1}}`, `{"error": "invalid_grant"}`, "\x00\xff"} {
			assert.NotPanics(t, func() { decodeError(400, nil, []byte(b)) }, b)
		}
		msg, _, _ := decodeError(400, nil, []byte(`{"error": "invalid_grant"}`))
		assert.Equal(t, "invalid_grant", msg)
	})
	t.Run("cancelled context", func(t *testing.T) {
		c, _ := newMock(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := c.Orders.Delta(cctx, &DeltaOptions{})
		require.ErrorIs(t, err, context.Canceled)
	})
}

func TestNewClient(t *testing.T) {
	_, err := NewClient("")
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	for _, v := range []int{2, 13, 0} {
		_, err := NewClient("t", WithAPIVersion(v))
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "version %d", v)
	}
	c, err := NewClient("t", WithAPIVersion(3))
	require.NoError(t, err)
	assert.Equal(t, 3, c.APIVersion())

	c, err = NewClient("t")
	require.NoError(t, err)
	assert.Equal(t, 12, c.APIVersion())
	assert.Equal(t, base+"/", c.pc.BaseURL())
	def := c.pc.Config().Limiter.(*rate.Limiter)
	assert.Equal(t, rate.Limit(19.5), def.Limit(), "a pace just under the published 20 requests per second")
	assert.Equal(t, 1, def.Burst(), "no burst: a burst of 20 meets a 1-s window with 429s")
	_, ok := c.Token()
	assert.False(t, ok)

	c, err = NewClient("t", orderkit.WithRateLimit(5, 1))
	require.NoError(t, err)
	assert.Equal(t, rate.Limit(5), c.pc.Config().Limiter.(*rate.Limiter).Limit(), "the caller's limit wins")
	c, err = NewClient("t", orderkit.WithRateLimit(0, 0))
	require.NoError(t, err)
	assert.Nil(t, c.pc.Config().Limiter)

	_, err = NewClient("t", orderkit.WithBaseURL("http://example.com/api"))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "no token over plain http")

	// Every option checks its value; the error names the option.
	for name, o := range map[string]orderkit.Option{
		"WithAPIVersion":       WithAPIVersion(13),
		"WithBaseURL":          orderkit.WithBaseURL(""),
		"WithHTTPClient":       orderkit.WithHTTPClient(nil),
		"WithRetry":            orderkit.WithRetry(-1, 0, 0),
		"WithRateLimit":        orderkit.WithRateLimit(-1, 1),
		"WithLimiter":          orderkit.WithLimiter(nil),
		"WithLogger":           orderkit.WithLogger(nil),
		"WithUserAgent":        orderkit.WithUserAgent(""),
		"WithTimeout":          orderkit.WithTimeout(0),
		"WithMaxResponseBytes": orderkit.WithMaxResponseBytes(-5),
	} {
		_, err := NewClient("t", o)
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, name)
		assert.Contains(t, err.Error(), name)
		assert.True(t, strings.HasPrefix(err.Error(), "inventorum: "), err.Error())
	}
}

func TestCheckpointJSON(t *testing.T) {
	cp := DeltaCheckpoint{Channels: map[Channel]*DeltaCursor{ChannelShop: {Time: time.Date(2024, 1, 2, 3, 4, 5, 6000000, time.UTC), ID: 7, Seen: []ID{5, 7}}}}
	b, err := json.Marshal(cp)
	require.NoError(t, err)
	assert.JSONEq(t, `{"channels":{"shop":{"time":"2024-01-02T03:04:05.006Z","id":7,"seen":[5,7]}}}`, string(b))
	var back DeltaCheckpoint
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, cp, back)
}

func TestOrderDecodingTolerance(t *testing.T) {
	var o Order
	require.NoError(t, json.Unmarshal([]byte(`{
		"id": "42", "state": "360", "channel": "shop", "customer": null, "payments": null,
		"basket": {"items": [{"id": 1, "price": 5.5, "gross_price": "0E-10", "unit_gross_price": null, "tax_rate": "7", "quantity": 1, "product": "9", "original_quantity": 1}]},
		"time_added": "2018.08.16 16:21:00", "completed_at": "", "amount_paid": "1680.6638655462",
		"unknown_field": {"x": 1}
	}`), &o))
	assert.EqualValues(t, 42, o.ID)
	assert.Equal(t, orderstate.Completed, o.State)
	assert.Equal(t, time.Date(2018, 8, 16, 16, 21, 0, 0, time.UTC), o.TimeAdded)
	assert.True(t, o.CompletedAt.IsZero())
	assert.Equal(t, o.TimeAdded, o.DeltaTime(), "time_added when there is no completed_at")
	assert.Equal(t, "1680.6638655462", o.AmountPaid.String())
	assert.EqualValues(t, 9, o.Basket.Items[0].Product)
	assert.Equal(t, "5.5", o.Basket.Items[0].Price.String())

	for _, bad := range []string{
		`{"id": 1, "amount_paid": "12,50"}`,
		`{"id": 1, "basket": {"items": [{"price": "NaN"}]}}`,
		`{"id": 1, "time_added": "yesterday"}`,
		`{"id": "x1"}`,
		`{"id": 1, "state": "open"}`,
	} {
		var o Order
		assert.Error(t, json.Unmarshal([]byte(bad), &o), bad)
	}
}

func TestWithMaxResponseBytes(t *testing.T) {
	page := fixture(t, "delta.json")
	c, mock := newMock(t, orderkit.WithMaxResponseBytes(int64(len(page)-1)))
	mock.RegisterResponder("GET", "=~^"+base+"/orders/delta/", jsonResponder(t, 200, page, nil))
	_, err := c.Orders.Delta(context.Background(), &DeltaOptions{})
	require.ErrorIs(t, err, orderkit.ErrResponseTooLarge)
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)

	c, mock = newMock(t, orderkit.WithMaxResponseBytes(int64(len(page))))
	mock.RegisterResponder("GET", "=~^"+base+"/orders/delta/", jsonResponder(t, 200, page, nil))
	p, err := c.Orders.Delta(context.Background(), &DeltaOptions{})
	require.NoError(t, err, "an answer of exactly the cap is read")
	assert.Len(t, p.Data, 1)
}
