package versacommerce_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAuthErrorsNeverMatchValidation: a 401 or 403 matches
// ErrUnauthorized or ErrForbidden whatever the shop's body says, in every
// shape its error bodies take, and never ErrValidation, although the same
// bodies with a 422 are validation errors.
func TestAuthErrorsNeverMatchValidation(t *testing.T) {
	bodies := map[string]string{
		"fields":        `{"errors": {"base": ["invalid API key or password"]}}`,
		"field message": `{"errors": {"api_key": "is invalid"}}`,
		"list":          `{"errors": ["Access denied"]}`,
		"string":        `{"errors": "Access denied"}`,
		"error key":     `{"error": "Access denied"}`,
		"html":          `<html><body>401 Authorization Required</body></html>`,
		"empty":         ``,
	}
	for _, status := range []int{401, 403} {
		want := map[int]error{401: orderkit.ErrUnauthorized, 403: orderkit.ErrForbidden}[status]
		other := map[int]error{401: orderkit.ErrForbidden, 403: orderkit.ErrUnauthorized}[status]
		for name, body := range bodies {
			t.Run(http.StatusText(status)+"/"+name, func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterResponder("GET", base+"/orders/1.json", httpmock.NewStringResponder(status, body))
				mock.RegisterResponder("POST", base+"/orders.json", httpmock.NewStringResponder(status, body))
				_, getErr := c.Orders.Get(context.Background(), 1, nil)
				_, createErr := c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("r-1"))
				for _, err := range []error{getErr, createErr} {
					require.Error(t, err)
					assert.ErrorIs(t, err, want)
					assert.NotErrorIs(t, err, other)
					assert.NotErrorIs(t, err, orderkit.ErrValidation)
					assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the shop answered: nothing was created")
					var ve *orderkit.ValidationError
					assert.False(t, errors.As(err, &ve))
					var e *orderkit.Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, status, e.StatusCode)
					assert.NotContains(t, err.Error(), password)
				}
			})
		}
	}
	// The same body with a 422 is the shop refusing fields.
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders/1.json", httpmock.NewStringResponder(422, bodies["fields"]))
	_, err := c.Orders.Get(context.Background(), 1, nil)
	assert.ErrorIs(t, err, orderkit.ErrValidation)
}

// TestAuthErrorsOnTheFake: the fake's own 401 body.
func TestAuthErrorsOnTheFake(t *testing.T) {
	_, fake, srv := newFake(t)
	fake.SetCredentials("other", "other")
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	require.NoError(t, err)
	_, err = c.Orders.List(context.Background(), nil)
	assert.ErrorIs(t, err, orderkit.ErrUnauthorized)
	assert.NotErrorIs(t, err, orderkit.ErrValidation)
}

// TestUnreachable: a request that never reached the shop (connection
// refused) matches ErrUnreachable, for a read and for a create, whose
// outcome is then known: nothing was created.
func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, err := versacommerce.NewClient("", key, password,
		orderkit.WithBaseURL("http://"+addr+"/api"), orderkit.WithRetry(1, 0, time.Millisecond))
	require.NoError(t, err)

	_, err = c.Orders.Get(context.Background(), 1, nil)
	assert.ErrorIs(t, err, orderkit.ErrUnreachable)
	_, err = c.Orders.Create(context.Background(), minimalOrder(), orderkit.Reference("r-1"))
	assert.ErrorIs(t, err, orderkit.ErrUnreachable)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	assert.False(t, errors.As(err, &lost))
	_, err = c.Do(context.Background(), "GET", "orders/1/shipments.json", nil, nil)
	assert.ErrorIs(t, err, orderkit.ErrUnreachable)
}

// TestLimitedScopeCallOptions: only Create takes Reference and
// ResolveOutcome; every other method refuses them before sending.
func TestLimitedScopeCallOptions(t *testing.T) {
	c, fake, _ := newFake(t)
	methods := callMethods(t, c, fake)
	methods["Resolve"] = func(ctx context.Context, o ...orderkit.CallOption) error {
		lost := &orderkit.LostCreateError{API: "versacommerce", Request: minimalOrder(), Reference: "r-1",
			SentAt: time.Now(), EndedAt: time.Now(), Err: orderkit.ErrOutcomeUnknown}
		_, err := c.Orders.Resolve(ctx, lost, o...)
		return err
	}
	for name, call := range methods {
		for _, opt := range []orderkit.CallOption{orderkit.Reference("r-9"), orderkit.ResolveOutcome()} {
			before := len(fake.Requests())
			err := call(context.Background(), opt)
			if name == "Create" {
				assert.NoError(t, err, name)
				continue
			}
			assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, name)
			assert.Len(t, fake.Requests(), before, "%s: nothing sent", name)
		}
	}
}

// TestResolveRefusesWhatIsNotItsLostCreate: Resolve reads only a lost
// create of this client, and sends nothing otherwise.
func TestResolveRefusesWhatIsNotItsLostCreate(t *testing.T) {
	c, fake, _ := newFake(t)
	for _, err := range []error{
		errors.New("other"),
		orderkit.ErrOutcomeUnknown,
		&orderkit.LostCreateError{API: "attivita", Request: &struct{}{}, Err: orderkit.ErrOutcomeUnknown},
		&orderkit.LostCreateError{API: "versacommerce", Err: orderkit.ErrOutcomeUnknown},
		&orderkit.LostCreateError{API: "versacommerce", Request: (*versacommerce.OrderRequest)(nil)},
	} {
		_, rerr := c.Orders.Resolve(context.Background(), err)
		assert.ErrorIs(t, rerr, orderkit.ErrInvalidArgument, "%v", err)
	}
	assert.Empty(t, fake.Requests())
}

// TestLostCreateError: a lost create is the one *orderkit.LostCreateError,
// holding the request Create took, the reference it sent as origin_id and
// the times, and it still reaches the *orderkit.Error that says why.
func TestLostCreateError(t *testing.T) {
	c, fake, _ := newFake(t)
	req := minimalOrder()
	fake.FailNextAfterActing(502, "Bad Gateway")
	before := time.Now().UTC()
	_, err := c.Orders.Create(context.Background(), req, orderkit.Reference("mp-1"))
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, "versacommerce", lost.API)
	assert.Same(t, req, lost.Request)
	assert.Empty(t, req.OriginID, "the caller's request is left as it was")
	assert.Equal(t, "mp-1", lost.Reference)
	assert.False(t, lost.SentAt.Before(before.Truncate(time.Second)))
	assert.False(t, lost.EndedAt.Before(lost.SentAt))
	assert.Equal(t, time.UTC, lost.SentAt.Location())
	assert.False(t, lost.ServerDate.IsZero(), "the 502 carried a Date")
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 502, e.StatusCode)

	// Without a Reference the request's own origin_id is the reference.
	req = minimalOrder()
	req.OriginID = "own-1"
	fake.DropNextAfterActing()
	_, err = c.Orders.Create(context.Background(), req)
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, "own-1", lost.Reference)
	assert.True(t, lost.ServerDate.IsZero(), "no answer, no Date")
	r, rerr := c.Orders.Resolve(context.Background(), err)
	require.NoError(t, rerr)
	assert.Equal(t, orderkit.Created, r.State)
	assert.Equal(t, "own-1", r.Order.OriginID)
}

// TestDo reaches endpoints the SDK does not wrap, through the same
// pipeline: auth, call options, errors, and the POST rule.
func TestDo(t *testing.T) {
	c, fake, _ := newFake(t)
	o := fake.AddOrder(versacommercetest.Order{Shipments: []json.RawMessage{
		json.RawMessage(`{"shipment": {"id": 7, "tracking_number": "00340434"}}`),
	}})

	var shipments []struct {
		Shipment struct {
			ID             versacommerce.ID `json:"id"`
			TrackingNumber string           `json:"tracking_number"`
		} `json:"shipment"`
	}
	var res orderkit.Response
	got, err := c.Do(context.Background(), "GET", "orders/"+versacommerce.ID(o.ID).String()+"/shipments.json", nil, &shipments,
		orderkit.CallHeader("X-Trace", "do"), orderkit.CaptureResponse(&res))
	require.NoError(t, err)
	require.Len(t, shipments, 1)
	assert.Equal(t, versacommerce.ID(7), shipments[0].Shipment.ID)
	assert.Equal(t, "00340434", shipments[0].Shipment.TrackingNumber)
	assert.Equal(t, 200, got.StatusCode)
	assert.Equal(t, got.RequestID, res.RequestID)
	last := fake.Requests()[len(fake.Requests())-1]
	assert.Equal(t, "/api/orders/100/shipments.json", last.Path)
	assert.Equal(t, "do", last.Header.Get("X-Trace"))

	// A query, and the raw answer.
	var raw []byte
	_, err = c.Do(context.Background(), "GET", "orders/count.json?status=open", nil, &raw)
	require.NoError(t, err)
	assert.JSONEq(t, `{"count": 1}`, string(raw))
	assert.Equal(t, "open", fake.Requests()[len(fake.Requests())-1].Query.Get("status"))

	// Errors are the pipeline's.
	_, err = c.Do(context.Background(), "GET", "orders/999/shipments.json", nil, nil)
	assert.ErrorIs(t, err, orderkit.ErrNotFound)

	// A POST whose answer is lost is not sent again.
	fake.DropNextAfterActing()
	posts := fake.Count("POST", "/api/orders.json")
	_, err = c.Do(context.Background(), "POST", "orders.json", map[string]any{"order": map[string]any{}}, nil)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, posts+1, fake.Count("POST", "/api/orders.json"))

	// Refused before sending: an absolute URL, a bad method.
	before := len(fake.Requests())
	for _, tc := range []struct{ method, path string }{{"GET", "https://evil.example/api/orders.json"}, {"GET", "//evil.example/x"}, {"FETCH", "orders.json"}} {
		_, err = c.Do(context.Background(), tc.method, tc.path, nil, nil)
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, tc.path)
	}
	assert.Len(t, fake.Requests(), before)
}

// TestPayments reads an order's payments, from the fake (with and without
// root elements) and from the vendor's create attributes.
func TestPayments(t *testing.T) {
	for _, root := range []versacommercetest.RootElement{versacommercetest.RootAsDocumented, versacommercetest.RootNever, versacommercetest.RootAlways} {
		c, fake, _ := newFake(t)
		fake.SetRootElement(root)
		o := fake.AddOrder(versacommercetest.Order{Payments: []versacommercetest.Payment{
			{Amount: amt("15.94"), Comment: "Sofortüberweisung.de", TransID: "tx-1"},
			{Category: "paypal", Amount: amt("0.01"), Currency: "EUR"},
		}})
		payments, err := c.Orders.Payments(context.Background(), versacommerce.ID(o.ID))
		require.NoError(t, err, root)
		require.Len(t, payments, 2)
		assert.Equal(t, versacommerce.ID(5000), payments[0].ID)
		assert.Equal(t, "misc", payments[0].Category)
		assertAmount(t, "15.94", payments[0].Amount, "amount")
		assert.Equal(t, "EUR", payments[0].Currency)
		assert.Equal(t, "Sofortüberweisung.de", payments[0].Comment)
		assert.Equal(t, "tx-1", payments[0].TransID)
		assert.Equal(t, "paypal", payments[1].Category)

		// include=payments nests them in the order.
		got, err := c.Orders.Get(context.Background(), versacommerce.ID(o.ID), &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludePayments}})
		require.NoError(t, err)
		assert.Equal(t, payments, got.Payments)
		assert.Equal(t, 2, got.PaymentsCount)

		_, err = c.Orders.Payments(context.Background(), 999)
		assert.ErrorIs(t, err, orderkit.ErrNotFound)
		_, err = c.Orders.Payments(context.Background(), 0)
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	}

	// The payments sent to Create are booked on the order.
	c, _, _ := newFake(t)
	req := minimalOrder()
	req.Payments = []versacommerce.PaymentRequest{{Category: "misc", Amount: versacommerce.Amount(amt("12.50")), Currency: "EUR", TransID: "t-9"}}
	o, err := c.Orders.Create(context.Background(), req)
	require.NoError(t, err)
	payments, err := c.Orders.Payments(context.Background(), o.ID)
	require.NoError(t, err)
	require.Len(t, payments, 1)
	assertAmount(t, "12.50", payments[0].Amount, "amount")
	assert.Equal(t, "t-9", payments[0].TransID)

	// The vendor's shape, with the currency symbol.
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders/100/payments.json", respond(t, 200, []byte(`[
{"payment": {"id": "5", "category": "misc", "amount": "123.45", "currency": "€", "comment": null, "trans_id": 4711}}]`)))
	payments, err = c.Orders.Payments(context.Background(), 100)
	require.NoError(t, err)
	assert.Equal(t, []versacommerce.Payment{{ID: 5, Category: "misc", Amount: amt("123.45"), Currency: "EUR", TransID: "4711"}}, payments)
}

// TestFakeTransport: the fake serves a client in memory, without a socket.
func TestFakeTransport(t *testing.T) {
	fake := versacommercetest.NewServer()
	fake.AddOrder(versacommercetest.Order{})
	c, err := versacommerce.NewClient("myshop", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL("http://shop.invalid/api"), orderkit.WithInsecureHTTP(),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
	require.NoError(t, err)
	n, err := c.Orders.Count(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	fake.FailNextOn("GET", "/api/orders/count.json", 503, `{"errors": "down"}`)
	_, err = c.Orders.Count(context.Background(), nil, orderkit.NoRetry())
	assert.ErrorIs(t, err, orderkit.ErrServer)
}
