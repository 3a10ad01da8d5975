package adility_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/orderstate"
)

const (
	testKey  = "secret-key-0123456789"
	testBase = "https://api.example.com/distribution/beta"
)

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

func newMocked(t *testing.T, f adility.Format, opts ...orderkit.Option) (*adility.Client, *httpmock.MockTransport) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	all := append([]orderkit.Option{
		orderkit.WithBaseURL(testBase),
		adility.WithFormat(f),
		orderkit.WithHTTPClient(&http.Client{Transport: mock}),
		orderkit.WithRetry(2, 0, time.Millisecond),
	}, opts...)
	c, err := adility.NewClient(testKey, all...)
	require.NoError(t, err)
	return c, mock
}

var formats = []struct {
	name string
	f    adility.Format
	mime string
	ext  string
}{
	{"json", adility.JSON, "application/json", "json"},
	{"xml", adility.XML, "application/xml", "xml"},
}

// checkHeaders asserts what every request carries.
func checkHeaders(t *testing.T, r *http.Request, mime string, withBody bool) {
	t.Helper()
	assert.Equal(t, testKey, r.Header.Get("X-ADILITY-API-KEY"))
	assert.Equal(t, mime, r.Header.Get("Accept"))
	if withBody {
		assert.Equal(t, mime, r.Header.Get("Content-Type"))
	} else {
		assert.Empty(t, r.Header.Get("Content-Type"))
	}
}

var xmlDecl = regexp.MustCompile(`^<\?xml[^>]*\?>`)
var betweenTags = regexp.MustCompile(`>\s+<`)

// normXML drops the declaration and the whitespace between tags, so the
// page's indented sample and the client's compact body compare equal.
func normXML(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(xmlDecl.ReplaceAllString(s, ""))
	return betweenTags.ReplaceAllString(s, "><")
}

func respond(status int, mime, body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(status, body)
		r.Header.Set("Content-Type", mime)
		return r, nil
	}
}

func readBody(t *testing.T, r *http.Request) string {
	t.Helper()
	if r.Body == nil {
		return ""
	}
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}

func TestNewClient(t *testing.T) {
	_, err := adility.NewClient("", orderkit.WithBaseURL(testBase))
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)

	_, err = adility.NewClient(testKey)
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, "no base URL")

	_, err = adility.NewClient(testKey, orderkit.WithBaseURL(adility.TestBaseURL))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "plain http needs the opt-in")
	assert.NotContains(t, err.Error(), testKey)

	c, err := adility.NewClient(testKey, orderkit.WithBaseURL(adility.TestBaseURL), orderkit.WithInsecureHTTP())
	require.NoError(t, err)
	assert.Equal(t, "http://testapi.adility.com/distribution/beta/", c.BaseURL())
	assert.Equal(t, adility.JSON, c.Format())

	_, err = adility.NewClient(testKey, orderkit.WithBaseURL(testBase), adility.WithFormat(adility.Format(7)))
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

// The request of the page's "Place Order" curl sample, in each format.
func samplePlace(f adility.Format) *adility.PlaceRequest {
	if f == adility.XML {
		return &adility.PlaceRequest{OrderNumber: "myuniqueordernumber000", CustomerName: "John Smith",
			Items: []adility.PlaceItem{{OfferID: "[valid offer id]", Quantity: 2}}}
	}
	return &adility.PlaceRequest{OrderNumber: "<order number>", CustomerName: "John Smith",
		Items: []adility.PlaceItem{{OfferID: "<id string>", Quantity: 2}}}
}

func TestPlaceSendsTheDocumentedRequest(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			answer := fixture(t, "placed_order."+tf.ext)
			mock.RegisterResponder(http.MethodPost, testBase+"/orders", func(r *http.Request) (*http.Response, error) {
				checkHeaders(t, r, tf.mime, true)
				body := readBody(t, r)
				want := fixture(t, "place_request."+tf.ext)
				if tf.f == adility.XML {
					assert.Equal(t, normXML(want), normXML(body))
					assert.True(t, strings.HasPrefix(body, "<?xml"), "XML declaration")
				} else {
					assert.JSONEq(t, want, body)
				}
				return respond(201, tf.mime, answer)(r)
			})
			o, err := c.Orders.Place(context.Background(), samplePlace(tf.f))
			require.NoError(t, err)
			assert.Equal(t, 1, mock.GetTotalCallCount())
			checkPlacedOrder(t, tf.f, o)
		})
	}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func checkPlacedOrder(t *testing.T, f adility.Format, o *adility.Order) {
	t.Helper()
	require.NotNil(t, o)
	assert.Equal(t, adility.ID("4f1d2c3b9a0e7d0012000003"), o.ID)
	assert.Equal(t, "myuniqueordernumber000", o.OrderNumber)
	assert.Equal(t, adility.OrderActive, o.Status)
	assert.Equal(t, orderstate.StatusOpen, o.Status.Status())
	assert.Equal(t, adility.ID("4e8b1a2f9a0e7d0011000009"), o.AccountID)
	assert.Equal(t, "John Smith", o.CustomerName)
	assert.Equal(t, utc("2012-01-24T15:15:30Z"), o.PurchasedAt)
	assert.Equal(t, time.UTC, o.PurchasedAt.Location())
	assert.Equal(t, adility.ID("plugin-42"), o.ApplicationID)
	require.Len(t, o.Items, 1)
	it := o.Items[0]
	assert.Equal(t, adility.ID("4e8b1a2f9a0e7d0011000001"), it.OfferID)
	assert.Equal(t, adility.ID(""), it.ReservationID)
	assert.Equal(t, 2, it.Quantity)
	require.Len(t, it.Vouchers, 2)
	assert.Len(t, o.Vouchers(), 2)

	v := it.Vouchers[0]
	assert.Equal(t, adility.ID("4f1d2c3b9a0e7d0012000004"), v.ID)
	assert.Equal(t, adility.ID("4e8b1a2f9a0e7d0011000001"), v.OfferID)
	assert.Equal(t, adility.ID(""), v.BundleItemID)
	assert.Equal(t, "AD-7K3M-Q9PX", v.RedemptionCode)
	assert.Equal(t, "John Smith", v.CustomerName)
	assert.Equal(t, adility.VoucherAcquired, v.Status)
	assert.True(t, v.Status.Usable())
	assert.Equal(t, utc("2012-01-24T15:15:30Z"), v.AcquiredAt)
	assert.True(t, v.RedeemedAt.IsZero())
	assert.True(t, v.CancelledAt.IsZero())
	assert.Equal(t, utc("2012-01-24T00:00:00Z"), v.ActivationDate)
	assert.Equal(t, utc("2012-12-31T00:00:00Z"), v.ExpirationDate)
	assert.Equal(t, adility.ID("4e8b1a2f9a0e7d0011000009"), v.AccountID)
	assert.Equal(t, "0123456789012", v.Barcode)
	assert.Empty(t, v.Unknown)

	w := it.Vouchers[1]
	assert.Equal(t, adility.ID("4711"), w.ID)
	assert.Equal(t, "48213377", w.RedemptionCode)

	if f == adility.JSON {
		assert.Equal(t, adility.ID(""), it.PromotionID)
		assert.Equal(t, "https://testapi.adility.com/vouchers/4f1d2c3b9a0e7d0012000004/print", v.PrintURL)
		assert.Equal(t, adility.VoucherAcquired, w.Status, "status read in any case")
		assert.Equal(t, utc("2012-01-24T15:15:30Z"), w.AcquiredAt)
		assert.True(t, w.ExpirationDate.IsZero(), "unreadable date left zero")
		assert.Equal(t, "end of season", w.Unknown["expiration_date"], "and kept as sent")
		assert.JSONEq(t, `{"currency_code": "USD", "amount": 3700}`, w.Unknown["value"])
		assert.Equal(t, "123456789012", w.Barcode)
		assert.Nil(t, o.ShippingAddress)
		assert.Empty(t, o.Shipments)
		assert.JSONEq(t, `{"currency_code": "USD", "amount": 7400}`, o.Unknown["total"])
		assert.Len(t, o.Unknown, 1)
		return
	}
	assert.Equal(t, adility.ID("promo-7"), it.PromotionID)
	assert.Equal(t, "https://testapi.adility.com/vouchers/4f1d2c3b9a0e7d0012000004/print?format=pdf&size=a4", v.PrintURL)
	assert.Equal(t, adility.VoucherRedeemed, w.Status)
	assert.False(t, w.Status.Usable())
	assert.Equal(t, utc("2012-02-01T09:00:00Z"), w.RedeemedAt)
	assert.Equal(t, map[string]string{"batch": "B-9"}, w.Unknown)
	require.NotNil(t, o.ShippingAddress)
	assert.Equal(t, adility.Location{AddressLine1: "1 Market St", City: "San Francisco", StateCode: "CA", PostalCode: "94105"}, *o.ShippingAddress)
	require.Len(t, o.Shipments, 1)
	assert.Equal(t, map[string]string{"carrier": "UPS", "tracking_number": "1Z999"}, o.Shipments[0].Fields)
	assert.Contains(t, o.Shipments[0].Raw, "<carrier>UPS</carrier>")
	assert.Equal(t, map[string]string{"total": "7400"}, o.Unknown)
}

func TestPlaceWithAddressAndOptionalItemFields(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			var got string
			mock.RegisterResponder(http.MethodPost, testBase+"/orders", func(r *http.Request) (*http.Response, error) {
				got = readBody(t, r)
				return respond(201, tf.mime, fixture(t, "placed_order."+tf.ext))(r)
			})
			_, err := c.Orders.Place(context.Background(), &adility.PlaceRequest{
				OrderNumber: "n-1", CustomerName: "Jane <&> Doe",
				Items:           []adility.PlaceItem{{OfferID: "o1", Quantity: 1, PromotionID: "p9"}, {OfferID: "o2", Quantity: 3}},
				ShippingAddress: &adility.Location{AddressLine1: "1 Main St", City: "Springfield", StateCode: "IL", PostalCode: "62701"},
			})
			require.NoError(t, err)
			if tf.f == adility.XML {
				assert.Equal(t, `<order><order_number>n-1</order_number><customer_name>Jane &lt;&amp;&gt; Doe</customer_name>`+
					`<items><item><offer_id>o1</offer_id><quantity>1</quantity><promotion_id>p9</promotion_id></item>`+
					`<item><offer_id>o2</offer_id><quantity>3</quantity></item></items>`+
					`<shipping_address><address_line_1>1 Main St</address_line_1><city>Springfield</city><state_code>IL</state_code><postal_code>62701</postal_code></shipping_address></order>`,
					normXML(got))
				return
			}
			assert.JSONEq(t, `{"order":{"order_number":"n-1","customer_name":"Jane <&> Doe",
				"items":[{"offer_id":"o1","quantity":1,"promotion_id":"p9"},{"offer_id":"o2","quantity":3}],
				"shipping_address":{"address_line_1":"1 Main St","city":"Springfield","state_code":"IL","postal_code":"62701"}}}`, got)
		})
	}
}

func TestPlaceValidatesBeforeSending(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	ok := adility.PlaceItem{OfferID: "o1", Quantity: 1}
	for name, req := range map[string]*adility.PlaceRequest{
		"nil":            nil,
		"no number":      {CustomerName: "J", Items: []adility.PlaceItem{ok}},
		"blank number":   {OrderNumber: "  ", CustomerName: "J", Items: []adility.PlaceItem{ok}},
		"no customer":    {OrderNumber: "n", Items: []adility.PlaceItem{ok}},
		"no items":       {OrderNumber: "n", CustomerName: "J"},
		"zero quantity":  {OrderNumber: "n", CustomerName: "J", Items: []adility.PlaceItem{ok, {OfferID: "o2"}}},
		"negative qty":   {OrderNumber: "n", CustomerName: "J", Items: []adility.PlaceItem{{OfferID: "o2", Quantity: -1}}},
		"empty offer id": {OrderNumber: "n", CustomerName: "J", Items: []adility.PlaceItem{{Quantity: 1}}},
	} {
		_, err := c.Orders.Place(context.Background(), req)
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, name)
	}
	_, err := c.Orders.Get(context.Background(), "")
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Orders.Cancel(context.Background(), " ")
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Vouchers.Cancel(context.Background(), "o", "")
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Zero(t, mock.GetTotalCallCount(), "nothing sent")
}

func TestGetDecodesThePageSample(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			mock.RegisterResponder(http.MethodGet, testBase+"/orders/A%2F1", func(r *http.Request) (*http.Response, error) {
				checkHeaders(t, r, tf.mime, false)
				assert.Equal(t, "/distribution/beta/orders/A%2F1", r.URL.EscapedPath())
				return respond(200, tf.mime, fixture(t, "order."+tf.ext))(r)
			})
			o, err := c.Orders.Get(context.Background(), "A/1")
			require.NoError(t, err)
			assert.Equal(t, adility.ID(""), o.ID)
			assert.Equal(t, "", o.OrderNumber)
			assert.Equal(t, adility.OrderStatus(""), o.Status)
			assert.Equal(t, orderstate.StatusUnknown, o.Status.Status())
			assert.Equal(t, adility.ID(""), o.AccountID)
			assert.Equal(t, "", o.CustomerName)
			assert.True(t, o.PurchasedAt.IsZero())
			assert.Nil(t, o.ShippingAddress, "all address fields empty")
			assert.Empty(t, o.Shipments, "the placeholder text is no shipment")
			assert.Equal(t, adility.ID(""), o.ApplicationID)
			assert.Empty(t, o.Unknown)
			if tf.f == adility.XML {
				// <item>OrderItem</item>: one item, no attributes.
				require.Len(t, o.Items, 1)
				assert.Equal(t, adility.OrderItem{}, o.Items[0])
			} else {
				assert.Empty(t, o.Items)
			}
		})
	}
}

func TestGetReadsTheQuirkyAddressKey(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	body := strings.Replace(fixture(t, "order.json"), `address_line_1": ""`, `address_line_1": "1 Market St"`, 1)
	body = strings.Replace(body, `"city": ""`, `"city": "San Francisco"`, 1)
	body = strings.Replace(body, `"postal_code": ""`, `"postal_code": 94105`, 1)
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", respond(200, "application/json", body))
	o, err := c.Orders.Get(context.Background(), "1")
	require.NoError(t, err)
	require.NotNil(t, o.ShippingAddress)
	assert.Equal(t, adility.Location{AddressLine1: "1 Market St", City: "San Francisco", PostalCode: "94105"}, *o.ShippingAddress)
}

func TestGetUnwrappedAndWrappedAnswers(t *testing.T) {
	for name, tc := range map[string]struct {
		f    adility.Format
		body string
	}{
		"json unwrapped":           {adility.JSON, `{"id":"7","order_number":"n7","status":"cancelled","items":{"offer_id":"o","quantity":1,"vouchers":null}}`},
		"json wrapped":             {adility.JSON, `{"order":{"id":"7","order_number":"n7","status":"cancelled","items":[{"item":{"offer_id":"o","quantity":1}}]}}`},
		"json numeric ids":         {adility.JSON, `{"order":{"id":7,"order_number":"n7","status":"Canceled","items":[{"offer_id":"o","quantity":1.0}]}}`},
		"xml order root":           {adility.XML, `<order><id>7</id><order_number>n7</order_number><status>cancelled</status><items><item><offer_id>o</offer_id><quantity>1</quantity></item></items></order>`},
		"xml other root":           {adility.XML, `<?xml version="1.0"?><response><order><id>7</id><order_number>n7</order_number><status>cancelled</status><items><item><offer_id>o</offer_id><quantity>1</quantity></item></items></order></response>`},
		"xml item fields directly": {adility.XML, `<order><id>7</id><order_number>n7</order_number><status>cancelled</status><items><offer_id>o</offer_id><quantity>1</quantity></items></order>`},
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMocked(t, tc.f)
			mock.RegisterResponder(http.MethodGet, testBase+"/orders/7", respond(200, "", tc.body))
			o, err := c.Orders.Get(context.Background(), "7")
			require.NoError(t, err)
			assert.Equal(t, adility.ID("7"), o.ID)
			assert.Equal(t, "n7", o.OrderNumber)
			assert.Equal(t, adility.OrderCancelled, o.Status)
			assert.Equal(t, orderstate.StatusCanceled, o.Status.Status())
			require.Len(t, o.Items, 1)
			assert.Equal(t, adility.ID("o"), o.Items[0].OfferID)
			assert.Equal(t, 1, o.Items[0].Quantity)
		})
	}
}

func TestCancelSendsTheDocumentedRequest(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			answer := `{"order":{"id":"o 1","order_number":"n","status":"cancelled"}}`
			if tf.f == adility.XML {
				answer = `<order><id>o 1</id><order_number>n</order_number><status>cancelled</status></order>`
			}
			mock.RegisterResponder(http.MethodPut, testBase+"/orders/o%201", func(r *http.Request) (*http.Response, error) {
				checkHeaders(t, r, tf.mime, true)
				body := readBody(t, r)
				want := fixture(t, "cancel_request."+tf.ext)
				if tf.f == adility.XML {
					assert.Equal(t, normXML(want), normXML(body))
				} else {
					assert.JSONEq(t, want, body)
				}
				return respond(200, tf.mime, answer)(r)
			})
			o, err := c.Orders.Cancel(context.Background(), "o 1")
			require.NoError(t, err)
			require.NotNil(t, o)
			assert.Equal(t, adility.ID("o 1"), o.ID)
			assert.Equal(t, adility.OrderCancelled, o.Status)
		})
	}
}

func TestCancelWithoutBody(t *testing.T) {
	for _, status := range []int{200, 204} {
		c, mock := newMocked(t, adility.JSON)
		mock.RegisterResponder(http.MethodPut, testBase+"/orders/9", httpmock.NewStringResponder(status, ""))
		o, err := c.Orders.Cancel(context.Background(), "9")
		require.NoError(t, err)
		assert.Nil(t, o)
	}
}

func TestCancelUnreadableAnswer(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodPut, testBase+"/orders/9", httpmock.NewStringResponder(200, "<html>oops</html>"))
	_, err := c.Orders.Cancel(context.Background(), "9")
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 200, e.StatusCode)
	assert.Equal(t, testBase+"/orders/9", e.URL)
}

func TestCancelAlreadyCancelled(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			body := `{"errors":["Order has already been cancelled"]}`
			if tf.f == adility.XML {
				body = `<?xml version="1.0"?><errors><error>Order has already been cancelled</error></errors>`
			}
			mock.RegisterResponder(http.MethodPut, testBase+"/orders/5", respond(422, tf.mime, body))
			_, err := c.Orders.Cancel(context.Background(), "5")
			require.ErrorIs(t, err, adility.ErrAlreadyCancelled)
			assert.NotErrorIs(t, err, adility.ErrDuplicateOrderNumber)
			var ae *orderkit.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 422, ae.StatusCode)
			assert.Equal(t, []string{"Order has already been cancelled"}, ae.Messages)
			assert.Equal(t, 1, mock.GetTotalCallCount(), "a 422 is not retried")
		})
	}
}

// A PUT whose answer was lost is retried; if the retry is refused because
// the first attempt already cancelled the order, Cancel reads it back.
func TestCancelRetriedAfterLostAnswer(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	calls := 0
	mock.RegisterResponder(http.MethodPut, testBase+"/orders/5", func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return respond(422, "application/json", `{"error":"Order is already cancelled"}`)(r)
	})
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/5", respond(200, "application/json", `{"order":{"id":"5","status":"cancelled"}}`))
	o, err := c.Orders.Cancel(context.Background(), "5")
	require.NoError(t, err)
	assert.Equal(t, adility.OrderCancelled, o.Status)
	assert.Equal(t, 2, calls)
}

func TestVoucherCancel(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			answer := `{"voucher":{"id":"v/1","offer_id":"of 1","redemption_code":"R1","status":"cancelled","cancelled_at":"2012-02-01T10:00:00Z"}}`
			wantBody := `{"voucher":{"status":"cancelled"}}`
			if tf.f == adility.XML {
				answer = `<voucher><id>v/1</id><offer_id>of 1</offer_id><redemption_code>R1</redemption_code><status>cancelled</status><cancelled_at>2012-02-01T10:00:00Z</cancelled_at></voucher>`
				wantBody = `<voucher><status>cancelled</status></voucher>`
			}
			mock.RegisterResponder(http.MethodPut, testBase+"/offers/of%201/vouchers/v%2F1", func(r *http.Request) (*http.Response, error) {
				checkHeaders(t, r, tf.mime, true)
				assert.Equal(t, "/distribution/beta/offers/of%201/vouchers/v%2F1", r.URL.EscapedPath())
				body := readBody(t, r)
				if tf.f == adility.XML {
					assert.Equal(t, wantBody, normXML(body))
				} else {
					assert.JSONEq(t, wantBody, body)
				}
				return respond(200, tf.mime, answer)(r)
			})
			v, err := c.Vouchers.Cancel(context.Background(), "of 1", "v/1")
			require.NoError(t, err)
			require.NotNil(t, v)
			assert.Equal(t, adility.ID("v/1"), v.ID)
			assert.Equal(t, adility.ID("of 1"), v.OfferID)
			assert.Equal(t, "R1", v.RedemptionCode)
			assert.Equal(t, adility.VoucherCancelled, v.Status)
			assert.Equal(t, utc("2012-02-01T10:00:00Z"), v.CancelledAt)
		})
	}
}

func TestVoucherCancelErrors(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodPut, testBase+"/offers/o/vouchers/v", respond(422, "application/json", `{"message":"Voucher already canceled"}`))
	mock.RegisterResponder(http.MethodPut, testBase+"/offers/o/vouchers/gone", respond(404, "application/json", `{"error":"not found"}`))
	mock.RegisterResponder(http.MethodPut, testBase+"/offers/o/vouchers/empty", httpmock.NewStringResponder(204, ""))
	_, err := c.Vouchers.Cancel(context.Background(), "o", "v")
	assert.ErrorIs(t, err, adility.ErrAlreadyCancelled)
	_, err = c.Vouchers.Cancel(context.Background(), "o", "gone")
	assert.ErrorIs(t, err, orderkit.ErrNotFound)
	v, err := c.Vouchers.Cancel(context.Background(), "o", "empty")
	assert.NoError(t, err)
	assert.Nil(t, v)
}

func TestGetUnknownID(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			body := `{"error":"Order not found"}`
			if tf.f == adility.XML {
				body = `<error><message>Order not found</message><code>not_found</code></error>`
			}
			mock.RegisterResponder(http.MethodGet, testBase+"/orders/nope", respond(404, tf.mime, body))
			_, err := c.Orders.Get(context.Background(), "nope")
			require.ErrorIs(t, err, orderkit.ErrNotFound)
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 404, e.StatusCode)
			assert.Equal(t, "Order not found", e.Message)
			assert.Equal(t, 1, mock.GetTotalCallCount(), "a 404 is not retried")
		})
	}
	// Some APIs say "not found" with another status.
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/x", respond(422, "application/json", `{"errors":["Couldn't find Order with id=x"]}`))
	_, err := c.Orders.Get(context.Background(), "x")
	assert.ErrorIs(t, err, orderkit.ErrNotFound)
}

func TestPlaceDuplicateOrderNumber(t *testing.T) {
	for name, tc := range map[string]struct {
		f      adility.Format
		status int
		body   string
	}{
		"json errors by field": {adility.JSON, 422, `{"errors":{"order_number":["has already been taken"]}}`},
		"json errors list":     {adility.JSON, 422, `{"errors":["Order number has already been taken"]}`},
		"json error object":    {adility.JSON, 400, `{"error":{"code":"duplicate_order_number","message":"order_number must be unique"}}`},
		"json message":         {adility.JSON, 422, `{"message":"Order with this order_number already exists"}`},
		"json plain 409":       {adility.JSON, 409, ``},
		"xml errors":           {adility.XML, 422, `<?xml version="1.0" encoding="UTF-8"?><errors><error>Order number has already been taken</error></errors>`},
		"xml by field":         {adility.XML, 422, `<errors><order_number>has already been taken</order_number></errors>`},
		"text":                 {adility.XML, 422, "Order number already exists\n"},
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMocked(t, tc.f)
			mock.RegisterResponder(http.MethodPost, testBase+"/orders", httpmock.NewStringResponder(tc.status, tc.body))
			_, err := c.Orders.Place(context.Background(), samplePlace(tc.f))
			require.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
			assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "first attempt: a plain refusal")
			assert.NotErrorIs(t, err, adility.ErrAlreadyCancelled)
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, 1, mock.GetTotalCallCount())
		})
	}
}

func TestPlaceOtherRefusalIsNotDuplicate(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(422, "application/json", `{"errors":{"offer_id":["is invalid"]}}`))
	_, err := c.Orders.Place(context.Background(), samplePlace(adility.JSON))
	require.Error(t, err)
	assert.NotErrorIs(t, err, adility.ErrDuplicateOrderNumber)
	var ae *orderkit.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, map[string][]string{"offer_id": {"is invalid"}}, ae.Fields)
	assert.Contains(t, err.Error(), "offer_id is invalid")
}

func TestPlaceConnectionResetIsSentOnce(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", httpmock.NewErrorResponder(errors.New("connection reset by peer")))
	_, err := c.Orders.Place(context.Background(), samplePlace(adility.JSON))
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "a POST is never resent blindly")
}

func TestPlace500IsOutcomeUnknown(t *testing.T) {
	c, mock := newMocked(t, adility.XML)
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", httpmock.NewStringResponder(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"))
	_, err := c.Orders.Place(context.Background(), samplePlace(adility.XML))
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, orderkit.ErrServer)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestPlaceIdempotentRetriesAndReportsTheDuplicate(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	calls := 0
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return respond(422, "application/json", `{"errors":{"order_number":["has already been taken"]}}`)(r)
	})
	req := samplePlace(adility.JSON)
	req.Idempotent = true
	_, err := c.Orders.Place(context.Background(), req)
	require.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the vouchers are out of reach")
	assert.ErrorIs(t, err, adility.ErrPlacedUnreadable, "the first attempt placed it")
	assert.ErrorIs(t, err, orderkit.ErrUnresolvable)
	var placed *adility.PlacedError
	require.ErrorAs(t, err, &placed)
	assert.Equal(t, req.OrderNumber, placed.OrderNumber)
	assert.Equal(t, req.Items, placed.Request.Items)
	assert.False(t, placed.SentAt.IsZero())
	assert.Empty(t, placed.OrderID)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 2, e.Attempts)
	assert.Equal(t, 422, e.StatusCode)
	assert.Contains(t, err.Error(), "order placed, but the API offers no way to read it by its order number")
	assert.Contains(t, err.Error(), req.OrderNumber)
	assert.Equal(t, 2, calls)
}

// The reading where the duplicate refusal names the existing order: Place
// reads it and returns it with its vouchers.
func TestPlaceIdempotentDuplicateNamingTheOrderIsRead(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	calls := 0
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return respond(422, "application/json", `{"errors":{"order_number":["has already been taken"]},"order_id":"4f1d2c3b9a0e7d0011000001"}`)(r)
	})
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/4f1d2c3b9a0e7d0011000001", respond(200, "application/json", fixture(t, "placed_order.json")))
	req := samplePlace(adility.JSON)
	req.OrderNumber = "myuniqueordernumber000"
	req.Idempotent = true
	o, err := c.Orders.Place(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, req.OrderNumber, o.OrderNumber)
	assert.Len(t, o.Vouchers(), 2)
	assert.Equal(t, 2, calls)
}

func TestPlaceIdempotentRetrySucceeds(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	calls := 0
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return httpmock.NewStringResponse(503, ""), nil
		}
		return respond(201, "application/json", fixture(t, "placed_order.json"))(r)
	})
	req := samplePlace(adility.JSON)
	req.Idempotent = true
	o, err := c.Orders.Place(context.Background(), req)
	require.NoError(t, err)
	assert.Len(t, o.Vouchers(), 2)
	assert.Equal(t, 2, calls)
}

func TestPlaceUnreadableAnswer(t *testing.T) {
	for name, body := range map[string]string{
		"truncated": `{"order":{"id":"1","items":[{"offer_id":"o","vouch`,
		"html":      `<html><body>Welcome</body></html>`,
		"null":      `null`,
		"array":     `[]`,
		"bad qty":   `{"order":{"id":"1","items":[{"offer_id":"o","quantity":"two"}]}}`,
		"empty":     ``,
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMocked(t, adility.JSON)
			mock.RegisterResponder(http.MethodPost, testBase+"/orders", httpmock.NewStringResponder(201, body))
			o, err := c.Orders.Place(context.Background(), samplePlace(adility.JSON))
			assert.Nil(t, o)
			require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the order may exist: look it up")
		})
	}
}

func TestUnauthorizedNeverShowsTheKey(t *testing.T) {
	for _, tf := range formats {
		c, mock := newMocked(t, tf.f)
		mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", respond(401, tf.mime, `{"error":"Invalid API key `+testKey+`"}`))
		_, err := c.Orders.Get(context.Background(), "1")
		require.ErrorIs(t, err, orderkit.ErrUnauthorized)
		assert.NotContains(t, err.Error(), testKey)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.NotContains(t, e.Body, testKey)
		assert.NotContains(t, e.Message, testKey)
	}
}

func TestGetRetriesServerErrors(t *testing.T) {
	c, mock := newMocked(t, adility.XML)
	calls := 0
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return httpmock.NewStringResponse(500, "<html>boom</html>"), nil
		}
		return respond(200, "application/xml", fixture(t, "placed_order.xml"))(r)
	})
	o, err := c.Orders.Get(context.Background(), "1")
	require.NoError(t, err)
	checkPlacedOrder(t, adility.XML, o)
	assert.Equal(t, 2, calls)
}

func TestHostileErrorBodiesDoNotPanic(t *testing.T) {
	bodies := []string{
		`{"errors":` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `}`,
		`{"errors":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":"deep"}}}}}}}}}}}`,
		`<errors>` + strings.Repeat(`<error>`, 3000),
		`<?xml version="1.0" encoding="ISO-8859-1"?><error>caf` + "\xe9" + `</error>`,
		"\x00\x01\x02",
		`{"error": 42, "code": 7}`,
		`"just a string"`,
		`<!DOCTYPE html><html><head><title>503</title></head><body><p>down &nbsp; for maintenance</body></html>`,
	}
	for _, b := range bodies {
		c, mock := newMocked(t, adility.JSON, orderkit.WithRetry(0, 0, 0))
		mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", httpmock.NewStringResponder(418, b))
		_, err := c.Orders.Get(context.Background(), "1")
		var ae *orderkit.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 418, ae.StatusCode)
	}
}

func TestJSONBodyIsNotHTMLEscaped(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	var raw map[string]map[string]any
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", func(r *http.Request) (*http.Response, error) {
		b := readBody(t, r)
		assert.Contains(t, b, `"A&B <Shop>"`)
		require.NoError(t, json.Unmarshal([]byte(b), &raw))
		return respond(201, "application/json", fixture(t, "placed_order.json"))(r)
	})
	_, err := c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: "1", CustomerName: "A&B <Shop>", Items: []adility.PlaceItem{{OfferID: "o", Quantity: 1}}})
	require.NoError(t, err)
	assert.Equal(t, "A&B <Shop>", raw["order"]["customer_name"])
}

func TestPlaceUnknownOfferIsNotErrNotFound(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(422, "application/json", `{"error":"Offer not found"}`))
	_, err := c.Orders.Place(context.Background(), samplePlace(adility.JSON))
	require.Error(t, err)
	assert.NotErrorIs(t, err, orderkit.ErrNotFound)
	assert.NotErrorIs(t, err, adility.ErrDuplicateOrderNumber)
	assert.Contains(t, err.Error(), "Offer not found")
}

// Shapes of the unpublished or loosely documented attributes never fail an
// order: its vouchers matter more.
func TestOddShapesAreKept(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", respond(200, "application/json",
		`{"id":"1","shipping_address":"1 Main St, Springfield","shipments":"Shipment","items":[{"offer_id":"o","quantity":1,"vouchers":[{"id":"v","redemption_code":"R"}]}]}`))
	o, err := c.Orders.Get(context.Background(), "1")
	require.NoError(t, err)
	assert.Nil(t, o.ShippingAddress)
	assert.Equal(t, `"1 Main St, Springfield"`, o.Unknown["shipping_address"])
	require.Len(t, o.Shipments, 1)
	assert.Equal(t, `"Shipment"`, o.Shipments[0].Raw)
	require.Len(t, o.Vouchers(), 1)
	assert.Equal(t, "R", o.Vouchers()[0].RedemptionCode)
}

func TestJSONShipmentsKeepTheirFields(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", respond(200, "application/json",
		`{"order":{"id":"1","shipments":[{"carrier":"UPS","tracking_number":"1Z","weight":2.5,"parcels":[1,2]}]}}`))
	o, err := c.Orders.Get(context.Background(), "1")
	require.NoError(t, err)
	require.Len(t, o.Shipments, 1)
	assert.Equal(t, map[string]string{"carrier": "UPS", "tracking_number": "1Z", "weight": "2.5", "parcels": "[1,2]"}, o.Shipments[0].Fields)
	assert.JSONEq(t, `{"carrier":"UPS","tracking_number":"1Z","weight":2.5,"parcels":[1,2]}`, o.Shipments[0].Raw)
}

func TestOptionsReachTheWire(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mock := newMocked(t, adility.JSON,
		orderkit.WithUserAgent("shop-plugin/2.0"),
		orderkit.WithLogger(logger),
		orderkit.WithRateLimit(1000, 10),
		orderkit.WithTimeout(time.Second),
		orderkit.WithMaxResponseBytes(64))
	mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "shop-plugin/2.0", r.Header.Get("User-Agent"))
		return respond(200, "application/json", `{"order":{"id":"1","customer_name":"`+strings.Repeat("x", 100)+`"}}`)(r)
	})
	_, err := c.Orders.Get(context.Background(), "1")
	require.ErrorIs(t, err, orderkit.ErrResponseTooLarge)
	assert.Contains(t, logs.String(), "path=/distribution/beta/orders/1")
	assert.NotContains(t, logs.String(), testKey)
}
