package versacommerce_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minimalOrder is the vendor page's create example.
func minimalOrder() *versacommerce.OrderRequest {
	addr := func(street string) *versacommerce.AddressRequest {
		return &versacommerce.AddressRequest{Firstname: "my firstname", Lastname: "my lastname", Street: street,
			Streetnumber: "1", Zipcode: "12345", City: "Hannover"}
	}
	return &versacommerce.OrderRequest{
		PaymentType:     versacommerce.PaymentTypeMisc,
		PaymentCost:     versacommerce.Amount(amt("0.0")),
		ItemTotal:       versacommerce.Amount(amt("0.0")),
		Total:           versacommerce.Amount(amt("0.0")),
		Subtotal:        versacommerce.Amount(amt("0.0")),
		WeightTotal:     versacommerce.Amount(amt("1.0")),
		ShippingCost:    versacommerce.Amount(amt("1.0")),
		Items:           []versacommerce.ItemRequest{{ProductID: 1, Quantity: 1}},
		BillingAddress:  addr("my street"),
		ShippingAddress: addr("mystreet"),
	}
}

func TestCreateMinimal(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("POST", base+"/orders.json", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		body, _ := io.ReadAll(r.Body)
		// The page's example, with zipcode and streetnumber as text so
		// that leading zeros survive; nothing optional is sent.
		assert.JSONEq(t, `{"order": {
			"payment_type": "misc", "payment_cost": 0.0, "item_total": 0.0, "total": 0.0, "subtotal": 0.0,
			"weight_total": 1.0, "shipping_cost": 1.0,
			"items": [{"product_id": 1, "quantity": 1}],
			"billing_address": {"firstname": "my firstname", "lastname": "my lastname", "street": "my street", "streetnumber": "1", "zipcode": "12345", "city": "Hannover"},
			"shipping_address": {"firstname": "my firstname", "lastname": "my lastname", "street": "mystreet", "streetnumber": "1", "zipcode": "12345", "city": "Hannover"}}}`, string(body))
		return respond(t, 201, fixture(t, "create_response.json"))(r)
	})
	o, err := c.Orders.Create(context.Background(), minimalOrder())
	require.NoError(t, err)
	assert.Equal(t, 1, mock.GetTotalCallCount())
	assert.Equal(t, versacommerce.PaymentTypeMisc, o.PaymentType)
	assertAmount(t, "0", o.Total, "total")
	assertAmount(t, "1", o.WeightTotal, "weight_total")
	assertAmount(t, "1", o.ShippingCost, "shipping_cost")
	require.Len(t, o.Items, 1)
	it := o.Items[0]
	assert.Equal(t, versacommerce.ID(1), it.ProductID)
	assert.Equal(t, "1", it.Code)
	assert.Equal(t, 1, it.Quantity)
	assert.Equal(t, "my order", it.Title)
	assertAmount(t, "1", it.Price, "price")
	assert.Equal(t, versacommerce.ItemStatusShipped, it.Status)
	assertAmount(t, "1", it.Weight, "weight")
	assertAmount(t, "1", it.TaxRate, "tax_rate")
	assert.Equal(t, "1", it.OriginID)
}

func TestCreateSendsEveryOptionalAttribute(t *testing.T) {
	c, mock := newMock(t)
	req := minimalOrder()
	req.Items[0] = versacommerce.ItemRequest{
		ProductID: 12345, Quantity: 3, Code: "4006381333931", Subtitle: "blau", Title: "Stift",
		Weight: versacommerce.Amount(amt("0.05")), Price: versacommerce.Amount(amt("10.99")), Status: versacommerce.ItemStatusPacking,
		Length: versacommerce.Amount(amt("15")), Width: versacommerce.Amount(amt("1")), Height: versacommerce.Amount(amt("1.5")),
		ExtraPrice: versacommerce.Amount(amt("0.50")), Category: "Büro", TaxRate: versacommerce.Amount(amt("19.0")),
		TaxCategory: versacommerce.TaxCategoryReduced, DiscountType: versacommerce.DiscountMoney, Discount: versacommerce.Amount(amt("1.00")),
		Vendor: "Stabilo", Options: map[string]any{"color": "blue"}, OriginID: "A-1", ASIN: "B000000000",
	}
	req.BillingAddress.Title, req.BillingAddress.Extension, req.BillingAddress.State = "Frau", "c/o Muster", "NI"
	req.BillingAddress.Country, req.BillingAddress.Company, req.BillingAddress.Phone = "DE", "ACME", "+49 511 0"
	req.BillingAddress.Option01, req.BillingAddress.Option02, req.BillingAddress.Option03 = "o1", "o2", "o3"
	req.ShippingAddress.Zipcode = "01067"
	req.CouponCode, req.CouponValue = "SPRING", versacommerce.Amount(amt("5"))
	req.StandardTaxTotal, req.StandardTaxAmount = versacommerce.Amount(amt("15.99")), versacommerce.Amount(amt("12.99"))
	req.ReducedTaxTotal, req.ReducedTaxAmount = versacommerce.Amount(amt("1.5")), versacommerce.Amount(amt("1.2"))
	req.Note, req.Source, req.Referrer = "Bitte klingeln", "affiliate-7", "https://example.com"
	req.OriginName, req.OriginID = "amazon", "1234-123435-124243"
	req.OriginCustomFields = map[string]string{"my_custom_attrib_1": "Lorem ipsum"}
	req.CustomerID = 123
	req.CreatedAt = time.Date(2016, 9, 9, 12, 32, 0, 0, time.FixedZone("CEST", 7200))
	req.Payments = []versacommerce.PaymentRequest{{Category: "misc", Amount: versacommerce.Amount(amt("123.45")), Currency: "EUR", Comment: "Sofort", TransID: "T-1"}}
	req.Histories = []string{"Notiz 1", "Notiz 2"}
	req.Customer = &versacommerce.CustomerRequest{Email: "kunde@example.com", Birthday: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		Active: versacommerce.Bool(true), AcceptsNewsletter: versacommerce.Bool(false), WantsAccount: versacommerce.Bool(true),
		Note: "VIP", Option01: "a", Option02: "b", Option03: "c", Option04: "d"}
	req.NewStatus, req.NewPaymentStatus, req.ItemsStatus = versacommerce.OrderStatusInProgress, versacommerce.PaymentStatusPaid, versacommerce.ItemStatusPacking

	mock.RegisterResponder("POST", base+"/orders.json", func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"order": {
			"payment_type": "misc", "payment_cost": 0.0, "item_total": 0.0, "total": 0.0, "subtotal": 0.0,
			"weight_total": 1.0, "shipping_cost": 1.0,
			"items": [{"product_id": 12345, "quantity": 3, "code": "4006381333931", "subtitle": "blau", "title": "Stift",
				"weight": 0.05, "price": 10.99, "status": "packing", "length": 15, "width": 1, "height": 1.5, "extra_price": 0.5,
				"category": "Büro", "tax_rate": 19, "tax_category": "reduced", "discount_type": "money", "discount": 1,
				"vendor": "Stabilo", "options": {"color": "blue"}, "origin_id": "A-1", "asin": "B000000000"}],
			"billing_address": {"firstname": "my firstname", "lastname": "my lastname", "street": "my street", "streetnumber": "1", "zipcode": "12345", "city": "Hannover",
				"title": "Frau", "extension": "c/o Muster", "state": "NI", "country": "DE", "company": "ACME", "phone": "+49 511 0",
				"option_01": "o1", "option_02": "o2", "option_03": "o3"},
			"shipping_address": {"firstname": "my firstname", "lastname": "my lastname", "street": "mystreet", "streetnumber": "1", "zipcode": "01067", "city": "Hannover"},
			"coupon_code": "SPRING", "coupon_value": 5, "standard_tax_total": 15.99, "standard_tax_amount": 12.99,
			"reduced_tax_total": 1.5, "reduced_tax_amount": 1.2, "note": "Bitte klingeln", "source": "affiliate-7",
			"referrer": "https://example.com", "origin_name": "amazon", "origin_id": "1234-123435-124243",
			"origin_custom_fields": {"my_custom_attrib_1": "Lorem ipsum"}, "customer_id": 123,
			"created_at": "2016-09-09T12:32:00+02:00",
			"payments": [{"category": "misc", "amount": 123.45, "currency": "EUR", "comment": "Sofort", "trans_id": "T-1"}],
			"histories": ["Notiz 1", "Notiz 2"],
			"customer": {"email": "kunde@example.com", "birthday": "1970-01-01", "active": true, "accepts_newsletter": false,
				"wants_account": true, "note": "VIP", "option_01": "a", "option_02": "b", "option_03": "c", "option_04": "d"},
			"new_status": "in_progress", "new_payment_status": "paid", "items_status": "packing"}}`, string(body))
		return httpmock.NewStringResponse(201, `{"order": {"id": 555, "code": "200-000-001", "status": "in_progress", "total": "0.0"}}`), nil
	})
	o, err := c.Orders.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, versacommerce.ID(555), o.ID)
	assert.Equal(t, "200-000-001", o.Code)
	assert.Equal(t, versacommerce.OrderStatusInProgress, o.Status)
}

func TestCreateRefusesMissingRequiredAttributes(t *testing.T) {
	cases := map[string]struct {
		change func(*versacommerce.OrderRequest)
		want   string
	}{
		"payment_type":        {func(r *versacommerce.OrderRequest) { r.PaymentType = "" }, "payment_type"},
		"payment_cost":        {func(r *versacommerce.OrderRequest) { r.PaymentCost = nil }, "payment_cost"},
		"item_total":          {func(r *versacommerce.OrderRequest) { r.ItemTotal = nil }, "item_total"},
		"total":               {func(r *versacommerce.OrderRequest) { r.Total = nil }, "total"},
		"subtotal":            {func(r *versacommerce.OrderRequest) { r.Subtotal = nil }, "subtotal"},
		"weight_total":        {func(r *versacommerce.OrderRequest) { r.WeightTotal = nil }, "weight_total"},
		"shipping_cost":       {func(r *versacommerce.OrderRequest) { r.ShippingCost = nil }, "shipping_cost"},
		"no items":            {func(r *versacommerce.OrderRequest) { r.Items = nil }, "items (at least one)"},
		"product_id":          {func(r *versacommerce.OrderRequest) { r.Items[0].ProductID = 0 }, "items[0].product_id"},
		"quantity":            {func(r *versacommerce.OrderRequest) { r.Items[0].Quantity = 0 }, "items[0].quantity"},
		"no billing address":  {func(r *versacommerce.OrderRequest) { r.BillingAddress = nil }, "billing_address"},
		"no shipping address": {func(r *versacommerce.OrderRequest) { r.ShippingAddress = nil }, "shipping_address"},
		"billing firstname":   {func(r *versacommerce.OrderRequest) { r.BillingAddress.Firstname = " " }, "billing_address.firstname"},
		"billing lastname":    {func(r *versacommerce.OrderRequest) { r.BillingAddress.Lastname = "" }, "billing_address.lastname"},
		"billing street":      {func(r *versacommerce.OrderRequest) { r.BillingAddress.Street = "" }, "billing_address.street"},
		"shipping number":     {func(r *versacommerce.OrderRequest) { r.ShippingAddress.Streetnumber = "" }, "shipping_address.streetnumber"},
		"shipping zipcode":    {func(r *versacommerce.OrderRequest) { r.ShippingAddress.Zipcode = "" }, "shipping_address.zipcode"},
		"shipping city":       {func(r *versacommerce.OrderRequest) { r.ShippingAddress.City = "" }, "shipping_address.city"},
		"payment amount": {func(r *versacommerce.OrderRequest) {
			r.Payments = []versacommerce.PaymentRequest{{Category: "misc"}}
		}, "payments[0].amount"},
		"new_status":         {func(r *versacommerce.OrderRequest) { r.NewStatus = "done" }, "new_status"},
		"new_payment_status": {func(r *versacommerce.OrderRequest) { r.NewPaymentStatus = "free" }, "new_payment_status"},
		"items_status":       {func(r *versacommerce.OrderRequest) { r.ItemsStatus = "gone" }, "items_status"},
		"item status":        {func(r *versacommerce.OrderRequest) { r.Items[0].Status = "gone" }, "items[0].status"},
		"tax category":       {func(r *versacommerce.OrderRequest) { r.Items[0].TaxCategory = "zero" }, "tax_category"},
		"discount type":      {func(r *versacommerce.OrderRequest) { r.Items[0].DiscountType = "bogo" }, "discount_type"},
		// A sign error in the caller's arithmetic must not become an
		// order with a negative total in the shop's books.
		"negative total":         {func(r *versacommerce.OrderRequest) { r.Total = versacommerce.Amount(amt("-15.94")) }, "total -15.94 is negative"},
		"negative shipping cost": {func(r *versacommerce.OrderRequest) { r.ShippingCost = versacommerce.Amount(amt("-4.95")) }, "shipping_cost"},
		"negative item price":    {func(r *versacommerce.OrderRequest) { r.Items[0].Price = versacommerce.Amount(amt("-1")) }, "items[0].price"},
		"negative coupon":        {func(r *versacommerce.OrderRequest) { r.CouponValue = versacommerce.Amount(amt("-5")) }, "coupon_value"},
		"negative payment": {func(r *versacommerce.OrderRequest) {
			r.Payments = []versacommerce.PaymentRequest{{Category: "misc", Amount: versacommerce.Amount(amt("-1"))}}
		}, "payments[0].amount"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mock := newMock(t)
			req := minimalOrder()
			tc.change(req)
			_, err := c.Orders.Create(context.Background(), req)
			require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, 0, mock.GetTotalCallCount())
		})
	}
	c, _ := newMock(t)
	_, err := c.Orders.Create(context.Background(), nil)
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestCreateValidationError(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("POST", base+"/orders.json", respond(t, 422, fixture(t, "errors_422.json")))
	_, err := c.Orders.Create(context.Background(), minimalOrder())
	var ve *orderkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"can't be blank", "is not a number"}, ve.Fields["total"])
	assert.Equal(t, []string{"can't be blank"}, ve.Fields["billing_address.city"])
	assert.ErrorIs(t, err, orderkit.ErrValidation)
	assert.False(t, errors.Is(err, orderkit.ErrOutcomeUnknown))
	assert.Contains(t, err.Error(), "total is not a number")
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

func TestCreateIsNeverRetriedBlindly(t *testing.T) {
	cases := map[string]httpmock.Responder{
		"connection reset":   httpmock.NewErrorResponder(syscall.ECONNRESET),
		"500":                httpmock.NewStringResponder(500, `<html>oops</html>`),
		"502":                httpmock.NewStringResponder(502, ``),
		"503 no retry-after": httpmock.NewStringResponder(503, ``),
		"201 unreadable":     httpmock.NewStringResponder(201, `<html>created?</html>`),
		"201 bad total":      httpmock.NewStringResponder(201, `{"order": {"id": 1, "total": "n/a"}}`),
	}
	for name, responder := range cases {
		t.Run(name, func(t *testing.T) {
			c, mock := newMock(t)
			mock.RegisterResponder("POST", base+"/orders.json", responder)
			_, err := c.Orders.Create(context.Background(), minimalOrder())
			assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
			assert.Equal(t, 1, mock.GetTotalCallCount(), "sent once")
		})
	}
}

func TestCreateRetriesWhenTurnedAwayUnread(t *testing.T) {
	c, mock := newMock(t)
	busy := httpmock.NewStringResponse(429, ``)
	busy.Header.Set("Retry-After", "0")
	mock.RegisterResponder("POST", base+"/orders.json", httpmock.ResponderFromMultipleResponses([]*http.Response{
		busy, httpmock.NewBytesResponse(201, fixture(t, "create_response.json")),
	}))
	_, err := c.Orders.Create(context.Background(), minimalOrder())
	require.NoError(t, err)
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

func TestCreateRefusesAnAnswerWithoutAnOrder(t *testing.T) {
	for _, body := range []string{`{}`, `{"order": {}}`, `{"": {"shipping_Cost": 1}}`, `[]`, `{"ok": true}`} {
		c, mock := newMock(t)
		mock.RegisterResponder("POST", base+"/orders.json", httpmock.NewStringResponder(201, body))
		o, err := c.Orders.Create(context.Background(), minimalOrder())
		assert.Nil(t, o, body)
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse, body)
		require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, body)
		assert.Equal(t, 1, mock.GetTotalCallCount(), body)
	}
}
