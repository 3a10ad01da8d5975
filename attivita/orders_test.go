package attivita_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

func amount(t *testing.T, want string, got money.Amount) {
	t.Helper()
	assert.True(t, got.Equal(money.MustParse(want)), "want %s, got %s", want, got)
}

func TestOrdersListFixture(t *testing.T) {
	c, mock := newMocked(t)
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, fixture(t, "orders.json"), &got))
	orders, err := c.Orders.List(ctx)
	require.NoError(t, err)
	requireAuthHeaders(t, got)
	require.Len(t, orders, 1)

	o := orders[0]
	assert.Equal(t, attivita.OrderNumber(1001), o.OrderNumber)
	assert.Equal(t, time.Date(2023, 5, 1, 10, 0, 0, 0, time.UTC), o.OrderDate)
	assert.Equal(t, attivita.OrderCompleted, o.Status)
	assert.Equal(t, orderstate.StatusCompleted, o.Status.Status())
	require.Len(t, o.Items, 1)
	it := o.Items[0]
	assert.Equal(t, "Microsoft Office 2021 Home & Business", it.ProductName)
	assert.Equal(t, attivita.ID("507f1f77bcf86cd799439011"), it.ProductID, "from items[].product._id")
	assert.Equal(t, 2, it.Quantity)
	amount(t, "89.99", it.Price)
	require.NotNil(t, it.Subtotal)
	amount(t, "179.98", *it.Subtotal)
	assert.False(t, it.IsReplacement)
	assert.Equal(t, []string{"ABCD-EFGH-IJKL-MNOP", "QRST-UVWX-YZAB-CDEF"}, it.Keys())
	assert.Nil(t, it.BundleLicenses)
	assert.False(t, it.IsBundle())
	assert.Equal(t, []attivita.KeyGroup{{ProductName: "Microsoft Office 2021 Home & Business", Keys: []string{"ABCD-EFGH-IJKL-MNOP", "QRST-UVWX-YZAB-CDEF"}}}, it.KeysByPool())
	amount(t, "179.98", o.SubTotal)
	assert.Nil(t, o.DiscountPercentage, "null")
	require.NotNil(t, o.DiscountAmount)
	amount(t, "20", *o.DiscountAmount)
	require.NotNil(t, o.DiscountType)
	assert.Equal(t, 0, *o.DiscountType)
	require.NotNil(t, o.DiscountTotal)
	amount(t, "20.00", *o.DiscountTotal)
	amount(t, "179.98", o.GrandTotal)
	assert.Equal(t, "N/A", o.PaymentMethod)
	assert.Equal(t, 2, o.OrderFrom)
	assert.Empty(t, o.Customer)
	assert.False(t, o.Sandbox)
	assert.Empty(t, o.SandboxNotice)
	assert.Equal(t, []string{"ABCD-EFGH-IJKL-MNOP", "QRST-UVWX-YZAB-CDEF"}, o.Keys())
}

func TestOrdersGet(t *testing.T) {
	c, mock := newMocked(t)
	list := fixture(t, "orders.json")
	one := strings.TrimSuffix(strings.TrimSpace(list), "]")[1:]
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/orders/1001", jsonResponder(200, one, &got))
	o, err := c.Orders.Get(ctx, 1001)
	require.NoError(t, err)
	requireAuthHeaders(t, got)
	assert.Equal(t, attivita.OrderNumber(1001), o.OrderNumber)
	amount(t, "179.98", o.GrandTotal)

	mock.RegisterResponder("GET", base+"/api/orders/999", jsonResponder(404, `{"error":"Order not found"}`, nil))
	_, err = c.Orders.Get(ctx, 999)
	require.ErrorIs(t, err, orderkit.ErrNotFound)

	_, err = c.Orders.Get(ctx, 0)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

func TestOrdersCreateFixture(t *testing.T) {
	c, mock := newMocked(t)
	var got *http.Request
	var sent []byte
	mock.RegisterResponder("POST", base+"/api/orders", func(r *http.Request) (*http.Response, error) {
		got = r
		sent, _ = io.ReadAll(r.Body)
		return jsonResponder(201, fixture(t, "create_order_response.json"), nil)(r)
	})
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{
		{ProductID: "507f1f77bcf86cd799439011", Amount: 2},
		{ProductID: "507f191e810c19729de860ea", Amount: 1},
	}})
	require.NoError(t, err)
	requireAuthHeaders(t, got)
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.JSONEq(t, fixture(t, "create_order_request.json"), string(sent))

	assert.Equal(t, "7", o.Customer)
	assert.Equal(t, attivita.OrderNumber(1002), o.OrderNumber)
	assert.Equal(t, time.Date(2023, 5, 2, 11, 0, 0, 0, time.UTC), o.OrderDate)
	assert.Equal(t, attivita.OrderCompleted, o.Status)
	require.Len(t, o.Items, 1)
	it := o.Items[0]
	assert.Equal(t, "Microsoft Office 2021 Home & Business", it.ProductName, "items[].product as a plain name")
	assert.Equal(t, attivita.ID("507f1f77bcf86cd799439011"), it.ProductID)
	assert.Equal(t, 2, it.Quantity)
	amount(t, "89.99", it.Price)
	assert.Nil(t, it.Subtotal)
	assert.Equal(t, []string{"ABCD-EFGH-IJKL-MNOP", "QRST-UVWX-YZAB-CDEF"}, it.Keys())
	assert.Nil(t, it.BundleLicenses)
	amount(t, "179.98", o.SubTotal)
	require.NotNil(t, o.DiscountTotal)
	amount(t, "20", *o.DiscountTotal)
	assert.Nil(t, o.DiscountAmount, "absent")
	assert.Nil(t, o.DiscountPercentage)
	assert.Nil(t, o.DiscountType)
	amount(t, "179.98", o.GrandTotal)
	assert.Equal(t, "N/A", o.PaymentMethod)
	assert.Equal(t, 2, o.OrderFrom)
	assert.False(t, o.Sandbox)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestOrdersBundleFixture(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(201, fixture(t, "bundle_order.json"), nil))
	o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "60d5ec49f1b2c72d9c8b4567", Amount: 1}}})
	require.NoError(t, err)
	require.Len(t, o.Items, 1)
	it := o.Items[0]
	assert.Equal(t, "Office + Antivirus Bundle", it.ProductName)
	assert.Equal(t, attivita.ID("60d5ec49f1b2c72d9c8b4567"), it.ProductID)
	assert.Equal(t, 1, it.Quantity)
	amount(t, "129.99", it.Price)
	assert.True(t, it.IsBundle())
	assert.Equal(t, []string{"ABCD-EFGH-IJKL-MNOP", "QRST-UVWX-YZAB-CDEF"}, it.Keys(), "the flat list holds every key")
	require.Len(t, it.BundleLicenses, 2)
	assert.Equal(t, attivita.BundleLicense{
		LicensePoolID: "507f1f77bcf86cd799439011", PoolName: "Office 2021 Pool", ProductName: "Microsoft Office 2021",
		Licenses: []attivita.License{{LicenseKey: "ABCD-EFGH-IJKL-MNOP"}},
	}, it.BundleLicenses[0])
	assert.Equal(t, attivita.BundleLicense{
		LicensePoolID: "507f191e810c19729de860ea", PoolName: "Antivirus Pool", ProductName: "Norton Antivirus",
		Licenses: []attivita.License{{LicenseKey: "QRST-UVWX-YZAB-CDEF"}},
	}, it.BundleLicenses[1])
	assert.Equal(t, []attivita.KeyGroup{
		{PoolID: "507f1f77bcf86cd799439011", PoolName: "Office 2021 Pool", ProductName: "Microsoft Office 2021", Keys: []string{"ABCD-EFGH-IJKL-MNOP"}},
		{PoolID: "507f191e810c19729de860ea", PoolName: "Antivirus Pool", ProductName: "Norton Antivirus", Keys: []string{"QRST-UVWX-YZAB-CDEF"}},
	}, it.KeysByPool())
	// The page's bundle example is partial: no totals.
	assert.True(t, o.GrandTotal.IsZero())
	assert.Equal(t, attivita.OrderNumber(0), o.OrderNumber)
}

func TestOrdersCreateValidatesBeforeSending(t *testing.T) {
	c, mock := newMocked(t)
	for name, products := range map[string][]attivita.OrderProduct{
		"none":        nil,
		"empty id":    {{ProductID: " ", Amount: 1}},
		"zero amount": {{ProductID: "a", Amount: 0}},
		"negative":    {{ProductID: "a", Amount: 1}, {ProductID: "b", Amount: -2}},
	} {
		_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: products})
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, name)
	}
	_, err := c.Orders.Create(ctx, nil)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "nil *OrderRequest")
	_, err = c.Webhooks.Create(ctx, nil)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = c.Webhooks.Update(ctx, "w1", nil)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 0, mock.GetTotalCallCount())
}

func TestOrdersCreateNeverRetried(t *testing.T) {
	t.Run("connection reset", func(t *testing.T) {
		c, mock := newMocked(t)
		mock.RegisterResponder("POST", base+"/api/orders", httpmock.NewErrorResponder(syscall.ECONNRESET))
		o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
		assert.Nil(t, o)
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		assert.Equal(t, 1, mock.GetTotalCallCount(), "a POST that may have bought must not be sent again")
	})
	t.Run("500", func(t *testing.T) {
		c, mock := newMocked(t)
		mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(500, `{"error":"Internal server error"}`, nil))
		_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		require.ErrorIs(t, err, orderkit.ErrServer)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
	t.Run("unreadable 201", func(t *testing.T) {
		c, mock := newMocked(t)
		mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(201, `<html>ok</html>`, nil))
		_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the server answered 2xx: the order may exist")
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
	t.Run("truncated 201", func(t *testing.T) {
		c, mock := newMocked(t)
		body := fixture(t, "create_order_response.json")
		mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(201, body[:len(body)/2], nil))
		_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	})
	t.Run("429 with Retry-After is retried", func(t *testing.T) {
		c, mock := newMocked(t)
		limited := httpmock.NewStringResponse(429, `{"error":"Too many requests"}`)
		limited.Header.Set("Retry-After", "0")
		mock.RegisterResponder("POST", base+"/api/orders", httpmock.ResponderFromMultipleResponses([]*http.Response{
			limited, httpmock.NewStringResponse(201, fixture(t, "create_order_response.json")),
		}))
		o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
		require.NoError(t, err)
		assert.Equal(t, attivita.OrderNumber(1002), o.OrderNumber)
		assert.Equal(t, 2, mock.GetTotalCallCount(), "a 429 with Retry-After was turned away unread")
	})
}

func TestOrdersCreateErrors(t *testing.T) {
	post := func(t *testing.T, status int, body string) error {
		t.Helper()
		c, mock := newMocked(t)
		mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(status, body, nil))
		o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "507f1f77bcf86cd799439011", Amount: 10}}})
		require.Error(t, err)
		assert.Nil(t, o)
		assert.Equal(t, 1, mock.GetTotalCallCount())
		assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "a 4xx says nothing was bought")
		return err
	}
	wantItems := []attivita.UnavailableItem{{ProductID: "507f1f77bcf86cd799439011", ProductName: "Microsoft Office 2021", RequestedQuantity: 10, AvailableQuantity: 5}}

	t.Run("insufficient stock, page fixture without code", func(t *testing.T) {
		err := post(t, 400, fixture(t, "insufficient_stock.json"))
		var short *attivita.InsufficientStockError
		require.ErrorAs(t, err, &short)
		assert.Equal(t, wantItems, short.Items)
		assert.Equal(t, "Some products are not available", short.Message)
		assert.ErrorIs(t, err, attivita.ErrInsufficientStock)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "INSUFFICIENT_STOCK", e.Code)
		assert.Contains(t, err.Error(), "Microsoft Office 2021 requested 10, available 5")
	})
	t.Run("insufficient stock with code, several items", func(t *testing.T) {
		err := post(t, 400, `{"error":"Some products are not available","code":"INSUFFICIENT_STOCK","unavailableItems":[
			{"productId":"507f1f77bcf86cd799439011","productName":"Microsoft Office 2021","requestedQuantity":10,"availableQuantity":5},
			{"productId":"b","productName":"Norton","requestedQuantity":"3","availableQuantity":0}]}`)
		var short *attivita.InsufficientStockError
		require.ErrorAs(t, err, &short)
		require.Len(t, short.Items, 2, "every unavailable item, including one with a quantity as a string")
		assert.Equal(t, wantItems[0], short.Items[0])
		assert.Equal(t, attivita.UnavailableItem{ProductID: "b", ProductName: "Norton", RequestedQuantity: 3}, short.Items[1])
	})
	t.Run("credit limit, page fixture without code", func(t *testing.T) {
		err := post(t, 400, fixture(t, "credit_limit.json"))
		require.ErrorIs(t, err, attivita.ErrCreditLimitExceeded)
		assert.NotErrorIs(t, err, attivita.ErrInsufficientStock)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "You have reached your credit limit. For assistance, please reach out to our support team.", e.Message)
	})
	t.Run("credit limit with code", func(t *testing.T) {
		err := post(t, 402, `{"error":"Limit","code":"CREDIT_LIMIT_EXCEEDED"}`)
		require.ErrorIs(t, err, attivita.ErrCreditLimitExceeded)
		var ae *orderkit.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, attivita.CodeCreditLimitExceeded, attivita.Code(ae.Code))
		assert.Equal(t, 402, ae.StatusCode)
		assert.Equal(t, "Limit", ae.Message)
		assert.Equal(t, []string{"Limit"}, ae.Messages)
		assert.Same(t, attivita.ErrCreditLimitExceeded, ae.Kind)
		assert.NotErrorIs(t, err, orderkit.ErrForbidden)
	})
	t.Run("product not available", func(t *testing.T) {
		err := post(t, 400, `{"error":"Product not found or not available: 507f1f77bcf86cd799439011","code":"PRODUCT_NOT_AVAILABLE"}`)
		require.ErrorIs(t, err, attivita.ErrProductNotAvailable)
		var pe *attivita.ProductNotAvailableError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, attivita.ID("507f1f77bcf86cd799439011"), pe.ProductID)
	})
	t.Run("product not available as 404", func(t *testing.T) {
		err := post(t, 404, `{"error":"Product not found or not available: x1","code":"PRODUCT_NOT_AVAILABLE"}`)
		require.ErrorIs(t, err, attivita.ErrProductNotAvailable)
		require.ErrorIs(t, err, orderkit.ErrNotFound)
	})
	t.Run("validation", func(t *testing.T) {
		err := post(t, 400, `{"error":"Validation failed","code":"VALIDATION_ERROR","details":{"products[0].amount":"Amount must be a positive number","products[0].productId":["required","must be an id"],"n":5}}`)
		require.ErrorIs(t, err, orderkit.ErrValidation)
		var ve *orderkit.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, map[string][]string{
			"products[0].amount":    {"Amount must be a positive number"},
			"products[0].productId": {"required", "must be an id"},
			"n":                     {"5"},
		}, ve.Fields)
		assert.Equal(t, "Validation failed", ve.Message)
		assert.Equal(t, "VALIDATION_ERROR", ve.Code)
		assert.Equal(t, "required; must be an id", ve.Field("products[0].productId"))
		require.ErrorIs(t, err, orderkit.ErrValidation, "one validation sentinel for every client")
	})
	t.Run("suspended", func(t *testing.T) {
		err := post(t, 403, `{"error":"Account suspended","code":"ACCOUNT_SUSPENDED"}`)
		require.ErrorIs(t, err, attivita.ErrAccountSuspended)
		require.ErrorIs(t, err, orderkit.ErrForbidden)
	})
	t.Run("unknown code", func(t *testing.T) {
		err := post(t, 400, `{"error":"Something new","code":"SOMETHING_NEW","details":null}`)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "SOMETHING_NEW", e.Code)
		assert.Equal(t, "Something new", e.Message)
		for _, s := range []error{orderkit.ErrValidation, attivita.ErrCreditLimitExceeded, attivita.ErrInsufficientStock, attivita.ErrProductNotAvailable, attivita.ErrAccountSuspended} {
			assert.NotErrorIs(t, err, s)
		}
	})
	t.Run("html", func(t *testing.T) {
		err := post(t, 400, `<html><body>Bad Request</body></html>`)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 400, e.StatusCode)
		assert.Contains(t, e.Body, "Bad Request")
	})
}

func TestSandbox(t *testing.T) {
	sandboxAnswer := func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(201, fixture(t, "sandbox_order.json"))
		resp.Header.Set("X-Sandbox-Mode", "true")
		resp.Header.Set("X-Sandbox-Notice", "Sandbox mode active")
		return resp, nil
	}
	t.Run("client option on every request", func(t *testing.T) {
		c, mock := newMocked(t, attivita.WithSandbox())
		var seen []string
		record := func(status int, body string) httpmock.Responder {
			return func(r *http.Request) (*http.Response, error) {
				seen = append(seen, r.Method+" "+r.Header.Get("X-Sandbox-Mode"))
				return httpmock.NewStringResponse(status, body), nil
			}
		}
		mock.RegisterResponder("GET", base+"/api/products", record(200, `[]`))
		mock.RegisterResponder("GET", base+"/api/orders", record(200, `[]`))
		mock.RegisterResponder("POST", base+"/api/orders", func(r *http.Request) (*http.Response, error) {
			seen = append(seen, r.Method+" "+r.Header.Get("X-Sandbox-Mode"))
			return sandboxAnswer(r)
		})
		_, err := c.Products.List(ctx, nil)
		require.NoError(t, err)
		_, err = c.Orders.List(ctx)
		require.NoError(t, err)
		o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "507f1f77bcf86cd799439011", Amount: 1}}})
		require.NoError(t, err)
		assert.Equal(t, []string{"GET true", "GET true", "POST true"}, seen)

		assert.Equal(t, attivita.OrderSandboxCompleted, o.Status)
		assert.Equal(t, orderstate.StatusCompleted, o.Status.Status())
		assert.True(t, o.Sandbox)
		assert.Equal(t, "This is a sandbox order. No real licenses were allocated and no credit was used.", o.SandboxNotice, "the body's notice wins")
		assert.Equal(t, []string{"SAND-BOX1-TEST-KEY1"}, o.Keys())
		assert.Equal(t, attivita.OrderNumber(1003), o.OrderNumber)
	})
	t.Run("per call", func(t *testing.T) {
		c, mock := newMocked(t)
		var header []string
		mock.RegisterResponder("POST", base+"/api/orders", func(r *http.Request) (*http.Response, error) {
			header = r.Header.Values("X-Sandbox-Mode")
			return sandboxAnswer(r)
		})
		_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}}, attivita.Sandbox(true))
		require.NoError(t, err)
		assert.Equal(t, []string{"true"}, header)

		_, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
		require.NoError(t, err)
		assert.Empty(t, header)
	})
	t.Run("per call off on a sandbox client", func(t *testing.T) {
		c, mock := newMocked(t, attivita.WithSandbox())
		var header []string
		mock.RegisterResponder("GET", base+"/api/orders", func(r *http.Request) (*http.Response, error) {
			header = r.Header.Values("X-Sandbox-Mode")
			return httpmock.NewStringResponse(200, `[]`), nil
		})
		_, err := c.Orders.List(ctx, attivita.Sandbox(false))
		require.NoError(t, err)
		assert.Empty(t, header)
		assert.True(t, c.Sandbox(), "the client's mode is unchanged")
	})
	t.Run("header only", func(t *testing.T) {
		c, mock := newMocked(t)
		mock.RegisterResponder("POST", base+"/api/orders", func(r *http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(201, fixture(t, "create_order_response.json"))
			resp.Header.Set("X-Sandbox-Mode", "true")
			resp.Header.Set("X-Sandbox-Notice", "Sandbox mode active")
			return resp, nil
		})
		o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
		require.NoError(t, err)
		assert.True(t, o.Sandbox)
		assert.Equal(t, "Sandbox mode active", o.SandboxNotice)
	})
}

func TestOrderDecoding(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		ok   bool
	}{
		"strings and other layout":  {`{"orderNumber":"1005","orderDate":"2023-05-01 10:00:00","status":"pending","items":[{"product":{"displayName":"X","_id":7},"quantity":"1","price":"1.50"}],"subTotal":"1.50","grandTotal":"1.79","customer":"7","orderFrom":"2","discountType":null}`, true},
		"null price":                {`{"orderNumber":1,"items":[{"product":"X","quantity":1,"price":null}]}`, false},
		"missing price":             {`{"orderNumber":1,"items":[{"product":"X","quantity":1}]}`, false},
		"bad grand total":           {`{"orderNumber":1,"grandTotal":"a lot"}`, false},
		"null grand total":          {`{"orderNumber":1,"grandTotal":null}`, false},
		"product is a number":       {`{"orderNumber":1,"items":[{"product":5,"price":1}]}`, false},
		"bad date":                  {`{"orderNumber":1,"orderDate":"yesterday"}`, false},
		"fractional quantity":       {`{"orderNumber":1,"items":[{"product":"X","quantity":1.5,"price":1}]}`, false},
		"unknown status and fields": {`{"orderNumber":1,"status":"refunded-ish","foo":[1,{}]}`, true},
	} {
		t.Run(name, func(t *testing.T) {
			var o attivita.Order
			err := json.Unmarshal([]byte(tc.body), &o)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
	var o attivita.Order
	require.NoError(t, json.Unmarshal([]byte(`{"orderNumber":"1005","orderDate":"2023-05-01 10:00:00","status":"pending","items":[{"product":{"displayName":"X","_id":7},"quantity":"1","price":"1.50"}],"subTotal":"1.50","grandTotal":"1.79","customer":"7","orderFrom":"2"}`), &o))
	assert.Equal(t, attivita.OrderNumber(1005), o.OrderNumber)
	assert.Equal(t, orderstate.StatusPending, o.Status.Status())
	assert.Equal(t, attivita.ID("7"), o.Items[0].ProductID)
	amount(t, "1.79", o.GrandTotal)
	assert.Equal(t, orderstate.StatusFailed, attivita.OrderFailed.Status())
	assert.Equal(t, orderstate.StatusUnknown, attivita.OrderStatus("refunded-ish").Status())
	assert.Equal(t, "failed", attivita.OrderFailed.String())
}

func TestOrdersAll(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, `[{"orderNumber":1},{"orderNumber":2},{"orderNumber":3}]`, nil))
	var nums []attivita.OrderNumber
	for o, err := range c.Orders.All(ctx) {
		require.NoError(t, err)
		nums = append(nums, o.OrderNumber)
		if len(nums) == 2 {
			break
		}
	}
	assert.Equal(t, []attivita.OrderNumber{1, 2}, nums)
}

func TestCancelledContext(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, `[]`, nil))
	cctx, cancel := contextWithCancel()
	cancel()
	_, err := c.Orders.List(cctx)
	require.Error(t, err)
	assert.True(t, errors.Is(err, errCanceled()))
}
