package adility_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
)

// call is one method of the client, called with call options.
type call struct {
	name, method, path string
	do                 func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error
	okBody             string
}

var calls = []call{
	{"Orders.Place", http.MethodPost, "/orders", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Orders.Place(ctx, &adility.PlaceRequest{OrderNumber: "n-1", CustomerName: "J",
			Items: []adility.PlaceItem{{OfferID: "o", Quantity: 1}}}, opts...)
		return err
	}, `{"order":{"id":"1","order_number":"n-1"}}`},
	{"Orders.Get", http.MethodGet, "/orders/1", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Orders.Get(ctx, "1", opts...)
		return err
	}, `{"order":{"id":"1","order_number":"n-1"}}`},
	{"Orders.Cancel", http.MethodPut, "/orders/1", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Orders.Cancel(ctx, "1", opts...)
		return err
	}, `{"order":{"id":"1","status":"cancelled"}}`},
	{"Vouchers.Cancel", http.MethodPut, "/offers/o/vouchers/v", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Vouchers.Cancel(ctx, "o", "v", opts...)
		return err
	}, `{"voucher":{"id":"v","status":"cancelled"}}`},
	{"Vouchers.GetByRedemptionCode", http.MethodGet, "/advertisers/a/vouchers/R-1", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		_, err := c.Vouchers.GetByRedemptionCode(ctx, "a", "R-1", opts...)
		return err
	}, `{"voucher":{"id":"v","redemption_code":"R-1"}}`},
	// PlaceAgain of a lost Place sends the Place again.
	{"Orders.PlaceAgain", http.MethodPost, "/orders", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		lost := adility.NewLostPlace(&adility.PlaceRequest{OrderNumber: "n-1", CustomerName: "J",
			Items: []adility.PlaceItem{{OfferID: "o", Quantity: 1}}})
		_, err := c.Orders.PlaceAgain(ctx, lost, opts...)
		return err
	}, `{"order":{"id":"1","order_number":"n-1"}}`},
	// Resolve reads the order a cut answer named.
	{"Orders.Resolve", http.MethodGet, "/orders/1", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		res, err := c.Orders.Resolve(ctx, adility.NewLostAnswer(&adility.PlaceRequest{OrderNumber: "n-1", CustomerName: "J",
			Items: []adility.PlaceItem{{OfferID: "o", Quantity: 1}}}, 201, "1"), opts...)
		if err == nil && res.State != orderkit.Created {
			return res.Err()
		}
		return err
	}, `{"order":{"id":"1","order_number":"n-1"}}`},
	{"Do", http.MethodGet, "/offers/o", func(c *adility.Client, ctx context.Context, opts ...orderkit.CallOption) error {
		var out map[string]any
		_, err := c.Do(ctx, http.MethodGet, "offers/o", nil, &out, opts...)
		return err
	}, `{"offer":{"id":"o"}}`},
}

func TestCallOptionsOnEveryMethod(t *testing.T) {
	for _, m := range calls {
		t.Run(m.name+"/header and capture on success", func(t *testing.T) {
			c, mock := newMocked(t, adility.JSON)
			mock.RegisterResponder(m.method, testBase+m.path, func(r *http.Request) (*http.Response, error) {
				assert.Equal(t, "trace-1", r.Header.Get("X-Trace"))
				assert.Empty(t, r.Header.Get("User-Agent"), "a header with no values is removed")
				resp := httpmock.NewStringResponse(200, m.okBody)
				resp.Header.Set("Content-Type", "application/json")
				resp.Header.Set("X-Request-Id", "req-ok")
				return resp, nil
			})
			var meta orderkit.Response
			err := m.do(c, context.Background(), orderkit.CallHeader("X-Trace", "trace-1"), orderkit.CallHeader("User-Agent"),
				orderkit.CaptureResponse(&meta))
			require.NoError(t, err)
			assert.Equal(t, 1, mock.GetTotalCallCount())
			assert.Equal(t, 200, meta.StatusCode)
			assert.Equal(t, "req-ok", meta.RequestID)
			assert.Equal(t, "application/json", meta.Header.Get("Content-Type"))
			assert.Equal(t, 1, meta.Attempts)
		})
		t.Run(m.name+"/NoRetry and capture on error", func(t *testing.T) {
			c, mock := newMocked(t, adility.JSON)
			mock.RegisterResponder(m.method, testBase+m.path, func(r *http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(429, `{"error":"slow down"}`)
				resp.Header.Set("X-Request-Id", "req-429")
				resp.Header.Set("Retry-After", "0")
				return resp, nil
			})
			var meta orderkit.Response
			err := m.do(c, context.Background(), orderkit.NoRetry(), orderkit.CaptureResponse(&meta))
			require.ErrorIs(t, err, orderkit.ErrRateLimited)
			assert.Equal(t, 1, mock.GetTotalCallCount(), "sent once")
			assert.Equal(t, 429, meta.StatusCode)
			assert.Equal(t, "req-429", meta.RequestID)
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "req-429", e.RequestID)
		})
		t.Run(m.name+"/nil option", func(t *testing.T) {
			c, mock := newMocked(t, adility.JSON)
			err := m.do(c, context.Background(), orderkit.NoRetry(), orderkit.CallOption{})
			require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			assert.Contains(t, err.Error(), "call option 2 is the zero orderkit.CallOption")
			assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing sent")
		})
	}
}

// CallTimeout bounds a call: the fake holds the answer longer.
func TestCallTimeoutBoundsTheCall(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	o, err := c.Orders.Place(context.Background(), lostRequest("t-1"))
	require.NoError(t, err)
	fake.DelayNext(time.Minute)
	_, err = c.Orders.Get(context.Background(), o.ID, orderkit.CallTimeout(50*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, fake.Count(http.MethodGet, "/orders/"+string(o.ID)))
}

// The fake's FailNextRetryAfter asks for a wait, which the client honours
// before sending again (a 503 with Retry-After is retried even for a POST).
func TestFakeFailNextRetryAfter(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	fake.FailNextRetryAfter(http.StatusServiceUnavailable, time.Millisecond, `{"error":"maintenance"}`)
	var meta orderkit.Response
	o, err := c.Orders.Place(context.Background(), lostRequest("ra-1"), orderkit.CaptureResponse(&meta))
	require.NoError(t, err)
	checkFakeOrder(t, fake, "ra-1", o)
	assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
	assert.Equal(t, 2, meta.Attempts)

	fake.FailNextRetryAfter(http.StatusTooManyRequests, 3*time.Second, `{"error":"slow down"}`)
	_, err = c.Orders.Get(context.Background(), o.ID, orderkit.NoRetry())
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 3*time.Second, e.RetryAfter)
	assert.Equal(t, adilitytest.DefaultAPIKey, fake.Requests()[len(fake.Requests())-1].APIKey)
}

// An answer in ISO-8859-1 is read, through the one-pass XML walk.
func TestGetReadsLatin1XML(t *testing.T) {
	c, mock := newMocked(t, adility.XML)
	body := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><order><id>7</id><order_number>n-7</order_number>" +
		"<customer_name>J\xfcrgen M\xfcller</customer_name><items><item><offer_id>o</offer_id><quantity>1</quantity>" +
		"<vouchers><voucher><id>v</id><customer_name>J\xfcrgen</customer_name></voucher></vouchers></item></items>" +
		"<note>caf\xe9</note></order>"
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/7", respond(200, "application/xml; charset=ISO-8859-1", body))
	o, err := c.Orders.Get(context.Background(), "7")
	require.NoError(t, err)
	assert.Equal(t, "Jürgen Müller", o.CustomerName)
	assert.Equal(t, "Jürgen", o.Vouchers()[0].CustomerName)
	assert.Equal(t, map[string]string{"note": "café"}, o.Unknown)

	mock.RegisterResponder(http.MethodGet, testBase+"/orders/8", respond(200, "application/xml", `<?xml version="1.0" encoding="EBCDIC"?><order><id>8</id></order>`))
	_, err = c.Orders.Get(context.Background(), "8")
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
	assert.Contains(t, err.Error(), `unsupported XML encoding "EBCDIC"`)
}

// A refusal naming fields is both an *APIError and a *ValidationError.
func TestRefusalIsAPIErrorAndValidationError(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, _ := newFake(t, tf.f)
			_, err := c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: "v-1", CustomerName: "J",
				Items: []adility.PlaceItem{{OfferID: "unknown-offer", Quantity: 1}}})
			var ae *orderkit.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusUnprocessableEntity, ae.StatusCode)
			assert.Nil(t, ae.Kind)
			assert.Equal(t, []string{"offer_id is invalid"}, ae.Messages)
			assert.Equal(t, "offer_id is invalid", ae.Message)
			var ve *orderkit.ValidationError
			if tf.f == adility.XML {
				// The fake's XML refusal is a plain message list: no
				// field is named, so no *ValidationError.
				assert.NotErrorIs(t, err, orderkit.ErrValidation)
			} else {
				require.ErrorIs(t, err, orderkit.ErrValidation)
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, map[string][]string{"offer_id": {"is invalid"}}, ve.Fields)
				assert.Equal(t, ve.Fields, ae.Fields)
			}
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "offer_id is invalid", e.Message)
		})
	}
}

// Only Place takes ResolveOutcome, and no method takes Reference: the
// order number is in the request. Either is refused, naming it, before
// anything is sent.
func TestCallOptionsOfLimitedScope(t *testing.T) {
	for _, m := range calls {
		for _, opt := range []struct {
			name string
			o    orderkit.CallOption
		}{{"Reference", orderkit.Reference("r-1")}, {"ResolveOutcome", orderkit.ResolveOutcome()}} {
			t.Run(m.name+"/"+opt.name, func(t *testing.T) {
				c, mock := newMocked(t, adility.JSON)
				mock.RegisterResponder(m.method, testBase+m.path, respond(200, "application/json", m.okBody))
				err := m.do(c, context.Background(), opt.o)
				if m.name == "Orders.Place" && opt.name == "ResolveOutcome" {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
				assert.Contains(t, err.Error(), opt.name+" does not apply to "+m.name)
				assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing sent")
			})
		}
	}
}

// The API key travels in X-ADILITY-API-KEY: neither a client-wide header
// nor a call's header may set it.
func TestCredentialHeaderIsRefused(t *testing.T) {
	for _, name := range []string{"X-ADILITY-API-KEY", "x-adility-api-key"} {
		_, err := adility.NewClient(testKey, orderkit.WithBaseURL(testBase), orderkit.WithHeader(name, "other"))
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, name)
		assert.Contains(t, err.Error(), "X-Adility-Api-Key carries a credential")
		assert.NotContains(t, err.Error(), "other")

		c, mock := newMocked(t, adility.JSON)
		_, err = c.Orders.Get(context.Background(), "1", orderkit.CallHeader(name, "other"))
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, name)
		assert.Contains(t, err.Error(), "carries a credential")
		_, err = c.Orders.Get(context.Background(), "1", orderkit.CallHeader(name))
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "removing it is refused too")
		assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing sent")
	}
}
