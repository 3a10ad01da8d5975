package versacommerce_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func amt(s string) money.Amount { return money.MustParse(s) }

func assertAmount(t *testing.T, want string, got money.Amount, field string) {
	t.Helper()
	assert.True(t, amt(want).Equal(got), "%s: want %s, got %s", field, want, got)
}

func TestListDecodesVendorPayload(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponderWithQuery("GET", base+"/orders.json", "", respond(t, 200, fixture(t, "orders.json")))

	orders, err := c.Orders.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, orders, 2)
	assert.Equal(t, 1, mock.GetTotalCallCount())

	o := orders[0]
	assert.Equal(t, versacommerce.ID(100), o.ID)
	assert.Equal(t, "196-083-565", o.Code)
	assert.Equal(t, "953", o.ShopID.String())
	assert.Equal(t, versacommerce.ID(1000), o.CustomerID)
	assert.Equal(t, "support@versacommerce.de", o.CustomerEmail)
	// "2013-03-19T12 =>39 =>51+01 =>00" is 11:39:51 UTC.
	assert.Equal(t, time.Date(2013, 3, 19, 11, 39, 51, 0, time.UTC), o.CreatedAt)
	assert.Equal(t, time.UTC, o.CreatedAt.Location())
	assert.Equal(t, "de", o.CheckoutLocale)
	assert.Equal(t, versacommerce.OrderStatusCanceled, o.Status)
	assert.Equal(t, orderstate.StatusCanceled, o.Status.Status())
	assert.Equal(t, versacommerce.PaymentStatusNotPaid, o.PaymentStatus)
	assert.Equal(t, orderstate.StatusPending, o.PaymentStatus.Status())
	assert.Equal(t, versacommerce.ItemStatusUndelivered, o.ItemsStatus)
	assert.Equal(t, orderstate.StatusOpen, o.ItemsStatus.Status())
	assert.Equal(t, versacommerce.PaymentTypeCOD, o.PaymentType)
	assert.Equal(t, "EUR", o.Currency)
	assert.Equal(t, "€", o.CurrencySymbol)
	assertAmount(t, "8.49", o.ItemTotal, "item_total")
	assertAmount(t, "2.5", o.PaymentCost, "payment_cost")
	assertAmount(t, "4.95", o.ShippingCost, "shipping_cost")
	assertAmount(t, "0", o.DiscountTotal, "discount_total")
	assertAmount(t, "0", o.CouponValue, "coupon_value")
	assert.Equal(t, "", o.CouponCode)
	assertAmount(t, "15.94", o.Subtotal, "subtotal")
	assertAmount(t, "15.94", o.Total, "total")
	assert.Equal(t, "15.94", o.Total.StringFixed(2))
	assert.True(t, o.PricesIncludeTax)
	assertAmount(t, "19", o.PaymentTaxRate, "payment_tax_rate")
	assertAmount(t, "19", o.StandardTaxRate, "standard_tax_rate")
	assertAmount(t, "2.55", o.StandardTaxAmount, "standard_tax_amount")
	assertAmount(t, "15.94", o.StandardTaxTotal, "standard_tax_total")
	assertAmount(t, "7", o.ReducedTaxRate, "reduced_tax_rate")
	assertAmount(t, "0", o.ReducedTaxAmount, "reduced_tax_amount")
	assertAmount(t, "0", o.ReducedTaxTotal, "reduced_tax_total")
	assertAmount(t, "0", o.WeightTotal, "weight_total")
	assert.Equal(t, 1, o.ItemsCount)
	assert.Equal(t, 0, o.PaymentsCount)
	assert.Equal(t, 0, o.ShipmentsCount)
	assert.Equal(t, "Lorem ipsum dolor sit amet...", o.Note)
	assert.Equal(t, "", o.Source)
	assert.Equal(t, "/", o.Referrer)
	assert.Equal(t, "", o.ExternalInvoicingID)
	assert.Equal(t, "", o.BankAccountName+o.BankAccountNumber+o.BankAccountBankCode+o.BankAccountBankName)
	assert.Nil(t, o.Items)

	sa := o.ShippingAddress
	require.NotNil(t, sa)
	assert.Equal(t, versacommerce.Address{
		ID: 10000, OrderID: 100, CustomerID: 1000, Category: "shipping", Title: "Herr",
		Firstname: "Eduard", Lastname: "Siebert", Company: "VersaCommerce",
		Street: "Zwischen Den Hölzern", Streetnumber: "1a", Extension: "", Zipcode: "59514",
		City: "Welver", State: "unbekannt", Country: "DE", Email: "support@versacommerce.de",
		Phone: "+49 511 1659 800", Locked: true,
	}, *sa)
	ba := o.BillingAddress
	require.NotNil(t, ba)
	assert.Equal(t, versacommerce.ID(10001), ba.ID)
	assert.Equal(t, "billing", ba.Category)
	assert.Equal(t, "59514", ba.Zipcode)

	cu := o.Customer
	require.NotNil(t, cu)
	assert.Equal(t, versacommerce.Customer{
		ID: 1000, ShopID: 953, Email: "support@versacommerce.de", Active: true, Registered: true,
		CreatedOn: time.Date(2012, 11, 9, 0, 0, 0, 0, time.UTC),
		UpdatedOn: time.Date(2012, 11, 9, 0, 0, 0, 0, time.UTC),
	}, *cu)
	assert.True(t, cu.Birthday.IsZero())

	// The second order: its customer's shop_id is a string, its
	// billing address had broken quoting in the page.
	o = orders[1]
	assert.Equal(t, versacommerce.ID(101), o.ID)
	assert.Equal(t, "196-083-545", o.Code)
	assert.Equal(t, time.Date(2013, 3, 19, 11, 41, 47, 0, time.UTC), o.CreatedAt)
	assert.Equal(t, versacommerce.ID(11461), o.CustomerID)
	assert.Equal(t, "siebert@versacommerce.de", o.CustomerEmail)
	assertAmount(t, "90.0", o.ItemTotal, "item_total")
	assertAmount(t, "15.56", o.StandardTaxAmount, "standard_tax_amount")
	assertAmount(t, "97.45", o.Total, "total")
	assert.Equal(t, "59514", o.BillingAddress.Zipcode)
	assert.Equal(t, versacommerce.ID(10003), o.BillingAddress.ID)
	assert.Equal(t, "953", o.Customer.ShopID.String())
	assert.Equal(t, time.Date(2012, 11, 9, 0, 0, 0, 0, time.UTC), o.Customer.UpdatedOn)
}

func TestListIncludeItems(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponderWithQuery("GET", base+"/orders.json", "include=items", respond(t, 200, fixture(t, "orders_include_items.json")))
	orders, err := c.Orders.List(context.Background(), &versacommerce.ListOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}})
	require.NoError(t, err)
	require.Len(t, orders, 2)
	assert.Equal(t, "199-187-329", orders[0].Code)
	assert.Equal(t, 2, orders[0].ItemsCount)
	require.Len(t, orders[0].Items, 2)
	assert.Equal(t, versacommerce.Item{ID: 1000, OrderID: 100, ProductID: 10000, Quantity: 5}, orders[0].Items[0])
	assert.Equal(t, versacommerce.Item{ID: 1001, OrderID: 100, ProductID: 10001, Quantity: 1}, orders[0].Items[1])
	// The page says items_count 2 next to three items; both are kept as sent.
	assert.Equal(t, 2, orders[1].ItemsCount)
	require.Len(t, orders[1].Items, 3)
	assert.Equal(t, versacommerce.ID(10003), orders[1].Items[1].ProductID)
	assert.Equal(t, 7, orders[1].Items[1].Quantity)
	assert.Equal(t, versacommerce.ID(101), orders[1].Items[2].OrderID)
}

func TestListSendsEveryFilter(t *testing.T) {
	c, mock := newMock(t)
	berlin := time.FixedZone("CET", 3600)
	want := map[string]string{
		"limit": "250", "offset": "500", "include": "items,shipments,payments,histories",
		"code": "196-083-565", "coupon_value": "5", "status": "in_progress",
		"items_status": "partial_delivery", "payment_status": "partial_payment", "payment_type": "misc",
		"shipping_type": "dhl", "external_invoicing_id": "INV-7", "note": "gift & wrap",
		"subtotal": "15.94", "total": "97.45", "id_min": "100", "id_max": "200",
		"total_min": "0.01", "total_max": "1000", "coupon_value_min": "0", "coupon_value_max": "20.5",
		"created_at_min": "2024-01-31T23:00:00Z", "created_at_max": "2024-02-29T23:59:59Z",
	}
	mock.RegisterResponderWithQuery("GET", base+"/orders.json", want, respond(t, 200, []byte(`[]`)))
	opts := &versacommerce.ListOptions{
		Limit: 250, Offset: 500,
		Include: []versacommerce.Include{versacommerce.IncludeItems, versacommerce.IncludeShipments, versacommerce.IncludePayments, versacommerce.IncludeHistories, versacommerce.IncludeItems},
		Filter: versacommerce.Filter{
			Code: "196-083-565", CouponValue: versacommerce.Amount(amt("5.00")), Status: versacommerce.OrderStatusInProgress,
			ItemsStatus: versacommerce.ItemStatusPartialDelivery, PaymentStatus: versacommerce.PaymentStatusPartialPayment,
			PaymentType: versacommerce.PaymentTypeMisc, ShippingType: "dhl", ExternalInvoicingID: "INV-7", Note: "gift & wrap",
			Subtotal: versacommerce.Amount(amt("15.94")), Total: versacommerce.Amount(amt("97.45")),
			IDMin: 100, IDMax: 200, TotalMin: versacommerce.Amount(amt("0.01")), TotalMax: versacommerce.Amount(amt("1000")),
			CouponValueMin: versacommerce.Amount(amt("0")), CouponValueMax: versacommerce.Amount(amt("20.5")),
			CreatedAtMin: time.Date(2024, 2, 1, 0, 0, 0, 0, berlin),
			CreatedAtMax: time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC),
		},
	}
	orders, err := c.Orders.List(context.Background(), opts)
	require.NoError(t, err)
	assert.Empty(t, orders)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestListRefusesBadOptionsBeforeSending(t *testing.T) {
	ten, five := versacommerce.Amount(amt("10")), versacommerce.Amount(amt("5"))
	now := time.Now()
	cases := map[string]*versacommerce.ListOptions{
		"limit above 250":    {Limit: 251},
		"negative limit":     {Limit: -1},
		"negative offset":    {Offset: -5},
		"unknown status":     {Filter: versacommerce.Filter{Status: "shipped"}},
		"unknown items":      {Filter: versacommerce.Filter{ItemsStatus: "lost"}},
		"unknown payment":    {Filter: versacommerce.Filter{PaymentStatus: "free"}},
		"id range":           {Filter: versacommerce.Filter{IDMin: 10, IDMax: 5}},
		"negative id":        {Filter: versacommerce.Filter{IDMin: -1}},
		"total range":        {Filter: versacommerce.Filter{TotalMin: ten, TotalMax: five}},
		"coupon range":       {Filter: versacommerce.Filter{CouponValueMin: ten, CouponValueMax: five}},
		"created range":      {Filter: versacommerce.Filter{CreatedAtMin: now, CreatedAtMax: now.Add(-time.Hour)}},
		"include injection":  {Include: []versacommerce.Include{"items&limit=1"}},
		"empty include name": {Include: []versacommerce.Include{""}},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			c, mock := newMock(t)
			_, err := c.Orders.List(context.Background(), opts)
			assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			_, err = c.Orders.Count(context.Background(), &opts.Filter)
			if opts.Limit == 0 && opts.Offset == 0 && opts.Include == nil {
				assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			}
			for range c.Orders.All(context.Background(), opts) {
			}
			assert.Equal(t, 0, mock.GetTotalCallCount()-countCalls(mock, "GET "+base+"/orders/count.json"))
		})
	}
}

func countCalls(mock *httpmock.MockTransport, key string) int { return mock.GetCallCountInfo()[key] }

func TestGet(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponderWithQuery("GET", base+"/orders/100.json", "", respond(t, 200, fixture(t, "order.json")))
	o, err := c.Orders.Get(context.Background(), 100, nil)
	require.NoError(t, err)
	assert.Equal(t, versacommerce.ID(100), o.ID)
	assert.Equal(t, "196-083-565", o.Code)
	assert.Equal(t, "953", o.ShopID.String())
	assert.Equal(t, "953", o.Customer.ShopID.String())
	assert.Equal(t, "EUR", o.Currency)
	assertAmount(t, "15.94", o.Total, "total")
	assert.Equal(t, "59514", o.ShippingAddress.Zipcode)
	assert.Equal(t, time.Date(2012, 11, 9, 0, 0, 0, 0, time.UTC), o.Customer.UpdatedOn)

	mock.RegisterResponderWithQuery("GET", base+"/orders/101.json", "include=items,payments", respond(t, 200,
		[]byte(`{"order": {"id": 101, "status": "cancelled", "items": [{"item": {"id": 5, "product_id": "77", "quantity": "2", "price": "9.99", "status": "cancelled"}}],
		"payments": [{"payment": {"id": 9, "category": "misc", "amount": "19.98", "currency": "€", "trans_id": 12345}}]}}`)))
	o, err = c.Orders.Get(context.Background(), 101, &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludeItems, versacommerce.IncludePayments}})
	require.NoError(t, err)
	assert.Equal(t, versacommerce.OrderStatusCanceled, o.Status)
	require.Len(t, o.Items, 1)
	assert.Equal(t, versacommerce.ID(77), o.Items[0].ProductID)
	assert.Equal(t, 2, o.Items[0].Quantity)
	assert.Equal(t, versacommerce.ItemStatusCanceled, o.Items[0].Status)
	assertAmount(t, "9.99", o.Items[0].Price, "price")
	require.Len(t, o.Payments, 1)
	assert.Equal(t, "EUR", o.Payments[0].Currency)
	assert.Equal(t, "12345", o.Payments[0].TransID)
	assertAmount(t, "19.98", o.Payments[0].Amount, "amount")

	_, err = c.Orders.Get(context.Background(), 0, nil)
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestGetNotFound(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders/404.json", httpmock.NewStringResponder(404, `{"errors": {"base": ["not found"]}}`))
	_, err := c.Orders.Get(context.Background(), 404, nil)
	assert.ErrorIs(t, err, orderkit.ErrNotFound)
	assert.Equal(t, 1, mock.GetTotalCallCount(), "a 404 is not retried")
}

func TestMalformedAnswersAreTypedErrors(t *testing.T) {
	for name, body := range map[string]string{
		"html":           `<html><head><title>502</title></head></html>`,
		"truncated":      `{"order": {"id": 1, "total": "1`,
		"empty":          ``,
		"bad price":      `{"order": {"id": 1, "total": "12,50"}}`,
		"price object":   `{"order": {"id": 1, "total": {"amount": 1}}}`,
		"bad time":       `{"order": {"id": 1, "created_at": "yesterday"}}`,
		"id not integer": `{"order": {"id": "abc"}}`,
		"array":          `[1, 2]`,
		"huge exponent":  `{"order": {"id": 1, "total": "1e999999999"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMock(t)
			mock.RegisterResponder("GET", base+"/orders/1.json", httpmock.NewStringResponder(200, body))
			o, err := c.Orders.Get(context.Background(), 1, nil)
			assert.Nil(t, o)
			assert.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 200, e.StatusCode)
		})
	}
}

func TestGetRetriesServerErrors(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders/100.json", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(503, `<html>maintenance</html>`),
		httpmock.NewBytesResponse(200, fixture(t, "order.json")),
	}))
	o, err := c.Orders.Get(context.Background(), 100, nil)
	require.NoError(t, err)
	assert.Equal(t, versacommerce.ID(100), o.ID)
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

func TestGetCanceledContext(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders/1.json", httpmock.NewStringResponder(200, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Orders.Get(ctx, 1, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestCount(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponderWithQuery("GET", base+"/orders/count.json", "", respond(t, 200, fixture(t, "count.json")))
	n, err := c.Orders.Count(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 117, n)

	mock.RegisterResponderWithQuery("GET", base+"/orders/count.json", "status=open&payment_status=paid&created_at_min=2024-01-01T00:00:00Z",
		respond(t, 200, []byte(`{"count": "3"}`)))
	n, err = c.Orders.Count(context.Background(), &versacommerce.Filter{
		Status: versacommerce.OrderStatusOpen, PaymentStatus: versacommerce.PaymentStatusPaid,
		CreatedAtMin: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	for _, body := range []string{`{}`, `{"count": -1}`, `{"count": "many"}`, `{"count": 1.5}`} {
		mock.RegisterResponderWithQuery("GET", base+"/orders/count.json", "note=x", httpmock.NewStringResponder(200, body))
		_, err = c.Orders.Count(context.Background(), &versacommerce.Filter{Note: "x"})
		assert.ErrorIs(t, err, orderkit.ErrInvalidResponse, body)
	}
}

func TestItems(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponderWithQuery("GET", base+"/orders/100/items.json", "", respond(t, 200, []byte(`[
{"item": {"id": 1000, "order_id": 100, "product_id": 10000, "code": 4006381333931, "title": "Stift", "subtitle": "blau",
 "quantity": 5, "price": "1.99", "extra_price": "0.0", "tax_rate": "19.0", "tax_category": "standard",
 "discount_type": "percent", "discount": "10", "status": "shipped", "weight": "0.05", "length": 15, "width": 1, "height": "1.5",
 "category": "Büro", "vendor": "Stabilo", "asin": "B000000000", "origin_id": 99, "options": {"color": "blue"}}},
{"item": {"id": 1001, "order_id": 100, "product_id": 10001, "quantity": 1, "price": 8.49}}
]`)))
	items, err := c.Orders.Items(context.Background(), 100)
	require.NoError(t, err)
	require.Len(t, items, 2)
	it := items[0]
	assert.Equal(t, versacommerce.ID(1000), it.ID)
	assert.Equal(t, versacommerce.ID(100), it.OrderID)
	assert.Equal(t, versacommerce.ID(10000), it.ProductID)
	assert.Equal(t, "4006381333931", it.Code)
	assert.Equal(t, "Stift", it.Title)
	assert.Equal(t, "blau", it.Subtitle)
	assert.Equal(t, 5, it.Quantity)
	assertAmount(t, "1.99", it.Price, "price")
	assertAmount(t, "19", it.TaxRate, "tax_rate")
	assert.Equal(t, versacommerce.TaxCategoryStandard, it.TaxCategory)
	assert.Equal(t, versacommerce.DiscountPercent, it.DiscountType)
	assertAmount(t, "10", it.Discount, "discount")
	assert.Equal(t, versacommerce.ItemStatusShipped, it.Status)
	assert.Equal(t, orderstate.StatusCompleted, it.Status.Status())
	assertAmount(t, "0.05", it.Weight, "weight")
	assertAmount(t, "1.5", it.Height, "height")
	assert.Equal(t, "Büro", it.Category)
	assert.Equal(t, "Stabilo", it.Vendor)
	assert.Equal(t, "B000000000", it.ASIN)
	assert.Equal(t, "99", it.OriginID)
	assert.JSONEq(t, `{"color": "blue"}`, string(it.Options))
	assertAmount(t, "8.49", items[1].Price, "price")

	mock.RegisterResponder("GET", base+"/orders/5/items.json", httpmock.NewStringResponder(404, ``))
	_, err = c.Orders.Items(context.Background(), 5)
	assert.ErrorIs(t, err, orderkit.ErrNotFound)
}

func TestStatusMapping(t *testing.T) {
	for s, want := range map[versacommerce.OrderStatus]orderstate.Status{
		versacommerce.OrderStatusOpen: orderstate.StatusOpen, versacommerce.OrderStatusInProgress: orderstate.StatusOpen,
		versacommerce.OrderStatusClosed: orderstate.StatusCompleted, versacommerce.OrderStatusCanceled: orderstate.StatusCanceled,
		versacommerce.OrderStatusReturned: orderstate.StatusRefunded, "weird": orderstate.StatusUnknown,
	} {
		assert.Equal(t, want, s.Status(), s.String())
	}
	for s, want := range map[versacommerce.PaymentStatus]orderstate.Status{
		versacommerce.PaymentStatusNotPaid: orderstate.StatusPending, versacommerce.PaymentStatusReserved: orderstate.StatusPending,
		versacommerce.PaymentStatusPartialPayment: orderstate.StatusPending, versacommerce.PaymentStatusPaid: orderstate.StatusCompleted,
		versacommerce.PaymentStatusCaptured: orderstate.StatusCompleted, versacommerce.PaymentStatusOverpaid: orderstate.StatusCompleted,
		versacommerce.PaymentStatusDeclined: orderstate.StatusFailed, versacommerce.PaymentStatusCaptureError: orderstate.StatusFailed,
		"": orderstate.StatusUnknown,
	} {
		assert.Equal(t, want, s.Status(), s.String())
	}
	for s, want := range map[versacommerce.ItemStatus]orderstate.Status{
		versacommerce.ItemStatusUndelivered: orderstate.StatusOpen, versacommerce.ItemStatusBackorder: orderstate.StatusOpen,
		versacommerce.ItemStatusPacking: orderstate.StatusOpen, versacommerce.ItemStatusPartialPacking: orderstate.StatusOpen,
		versacommerce.ItemStatusPartialDelivery: orderstate.StatusOpen, versacommerce.ItemStatusShipped: orderstate.StatusCompleted,
		versacommerce.ItemStatusDelivered: orderstate.StatusCompleted, versacommerce.ItemStatusCanceled: orderstate.StatusCanceled,
		versacommerce.ItemStatusReturned: orderstate.StatusRefunded,
	} {
		assert.Equal(t, want, s.Status(), s.String())
	}
}

func TestOrderTolerance(t *testing.T) {
	var o versacommerce.Order
	require.NoError(t, o.UnmarshalJSON([]byte(`{"id": "42", "shop_id": "953", "currency": "EUR", "status": "Cancelled",
		"created_at": "2016-09-09 12:32", "code": 12345, "total": 10,
		"shipping_address": {"zipcode": 1067, "streetnumber": 12}, "customer": {"shop_id": 953, "birthday": "1970-01-01"}}`)))
	assert.Equal(t, versacommerce.ID(42), o.ID)
	assert.Equal(t, "953", o.ShopID.String())
	assert.Equal(t, "EUR", o.Currency)
	assert.Equal(t, versacommerce.OrderStatusCanceled, o.Status)
	assert.Equal(t, time.Date(2016, 9, 9, 12, 32, 0, 0, time.UTC), o.CreatedAt)
	assert.Equal(t, "12345", o.Code)
	assert.Equal(t, "1067", o.ShippingAddress.Zipcode)
	assert.Equal(t, "12", o.ShippingAddress.Streetnumber)
	assert.Equal(t, "953", o.Customer.ShopID.String())
	assert.Equal(t, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), o.Customer.Birthday)

	// Date only, RFC 3339 and the page's hash-rocket form.
	for in, want := range map[string]time.Time{
		`"2016-09-09"`:                      time.Date(2016, 9, 9, 0, 0, 0, 0, time.UTC),
		`"2016-09-09T12:32:00+02:00"`:       time.Date(2016, 9, 9, 10, 32, 0, 0, time.UTC),
		`"2013-03-19T12 =>39 =>51+01 =>00"`: time.Date(2013, 3, 19, 11, 39, 51, 0, time.UTC),
		`null`:                              {},
		`""`:                                {},
	} {
		var o versacommerce.Order
		require.NoError(t, o.UnmarshalJSON([]byte(`{"created_at": `+in+`}`)), in)
		assert.Equal(t, want, o.CreatedAt, in)
	}
	// Other symbols and codes.
	for in, want := range map[string]string{`"$"`: "USD", `"£"`: "GBP", `"chf"`: "CHF", `"Fr."`: "CHF", `"₿"`: "₿", `null`: ""} {
		var o versacommerce.Order
		require.NoError(t, o.UnmarshalJSON([]byte(`{"currency": `+in+`}`)), in)
		assert.Equal(t, want, o.Currency, in)
	}
}

func TestGetRefusesAnAnswerWithoutTheOrderAskedFor(t *testing.T) {
	for _, body := range []string{`{}`, `{"order": {}}`, `{"": {"shipping_Cost": 1}}`, `{"order": {"id": 7, "total": "9.99"}}`} {
		c, mock := newMock(t)
		mock.RegisterResponder("GET", base+"/orders/1.json", httpmock.NewStringResponder(200, body))
		o, err := c.Orders.Get(context.Background(), 1, nil)
		assert.Nil(t, o, body)
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse, body)
		assert.Contains(t, err.Error(), "not order 1", body)
	}
}
