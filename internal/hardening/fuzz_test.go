package hardening_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzTimeout bounds every fuzzed call: a call still running then hangs.
const fuzzTimeout = 5 * time.Second

func fuzzCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), fuzzTimeout)
	t.Cleanup(cancel)
	return ctx
}

func noHang(t *testing.T, ctx context.Context) {
	t.Helper()
	if ctx.Err() != nil {
		t.Fatalf("the call ran into the %s deadline: a hang", fuzzTimeout)
	}
}

// Hand-written seeds every JSON target starts from besides the fixtures:
// unreadable amounts, odd shapes, and bodies a proxy sends.
var jsonSeeds = []string{
	`{"price": "abc"}`,
	`[{"_id": "x", "price": "abc"}]`,
	`[{"_id": "x", "price": null}]`,
	`[{"_id": "x"}]`,
	`{"orderNumber": 1, "grandTotal": "1,5", "subTotal": 1, "items": []}`,
	`{"orderNumber": 1, "grandTotal": null, "subTotal": 1, "items": []}`,
	`{"orderNumber": 1, "grandTotal": 1e400, "subTotal": 1, "items": []}`,
	`{"total": 1, "data": [{"id": 1, "amount_paid": "abc"}]}`,
	`{"total": 1, "data": [{"id": 1, "amount_paid": "12.5", "basket": {"items": [{"price": "x"}]}}]}`,
	`{"order": {"id": 1, "total": "abc"}}`,
	`[{"order": {"id": 1, "total": {"x": 1}}}]`,
	`{"count": "12"}`,
	`{"count": -1}`,
	`[{"item": {"id": 1, "price": "NaN"}}]`,
	`null`, `[]`, `{}`, `""`, `0`, `[null]`, `{"data": null}`,
	`<html><body>502 Bad Gateway</body></html>`,
	``,
}

// FuzzAttivitaProducts feeds answers to GET /api/products and
// GET /api/products/:id.
func FuzzAttivitaProducts(f *testing.F) {
	seedFiles(f, "../../attivita/testdata", []string{".json"}, 200, 400)
	for _, s := range jsonSeeds {
		f.Add(statusIndex(200), []byte(s))
	}
	f.Fuzz(func(t *testing.T, si uint8, body []byte) {
		status := fuzzStatus(si)
		c, err := attivita.NewClient("fuzz-token",
			orderkit.WithHTTPClient(mockHTTP(status, body, "application/json")),
			orderkit.WithRetry(1, 0, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		ctx := fuzzCtx(t)
		list, err := c.Products.List(ctx, nil)
		noHang(t, ctx)
		checkOutcome(t, status, false, true, err)
		if err == nil {
			ix := indexAmounts(t, body)
			for _, p := range list {
				checkAttivitaProduct(t, ix, &p)
			}
		}
		p, err := c.Products.Get(ctx, "507f1f77bcf86cd799439011")
		noHang(t, ctx)
		checkOutcome(t, status, false, p != nil, err)
		if err == nil {
			checkAttivitaProduct(t, indexAmounts(t, body), p)
		}
	})
}

func checkAttivitaProduct(t *testing.T, ix *amounts, p *attivita.Product) {
	t.Helper()
	ix.check(t, "price", p.Price, true)
	ix.checkPtr(t, "oldPrice", p.OldPrice)
}

// FuzzAttivitaOrders feeds answers to GET /api/orders,
// GET /api/orders/:orderNumber and POST /api/orders, typed and through Do.
func FuzzAttivitaOrders(f *testing.F) {
	seedFiles(f, "../../attivita/testdata", []string{".json"}, 200, 201, 400, 409, 422)
	for _, s := range jsonSeeds {
		f.Add(statusIndex(200), []byte(s))
	}
	f.Fuzz(func(t *testing.T, si uint8, body []byte) {
		status := fuzzStatus(si)
		c, err := attivita.NewClient("fuzz-token",
			orderkit.WithHTTPClient(mockHTTP(status, body, "application/json")),
			orderkit.WithRetry(1, 0, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		ctx := fuzzCtx(t)
		list, err := c.Orders.List(ctx)
		noHang(t, ctx)
		checkOutcome(t, status, false, true, err)
		if err == nil {
			ix := indexAmounts(t, body)
			for i := range list {
				checkAttivitaOrder(t, ix, &list[i])
			}
		}
		o, err := c.Orders.Get(ctx, 1001)
		noHang(t, ctx)
		checkOutcome(t, status, false, o != nil, err)
		if err == nil {
			checkAttivitaOrder(t, indexAmounts(t, body), o)
		}
		o, err = c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "507f1f77bcf86cd799439011", Amount: 1}}})
		noHang(t, ctx)
		checkOutcome(t, status, true, o != nil, err)
		if err == nil {
			checkAttivitaOrder(t, indexAmounts(t, body), o)
		}
		fuzzDo(t, ctx, status, c.Do, "orders/1001", "orders", map[string]any{"products": []map[string]any{{"productId": "507f1f77bcf86cd799439011", "amount": 1}}})
	})
}

func checkAttivitaOrder(t *testing.T, ix *amounts, o *attivita.Order) {
	t.Helper()
	// The totals may be absent (the API's bundle example leaves them out),
	// never null or unreadable: the client documents that.
	ix.checkNotNull(t, "grandTotal", o.GrandTotal)
	ix.checkNotNull(t, "subTotal", o.SubTotal)
	ix.checkPtr(t, "discountPercentage", o.DiscountPercentage)
	ix.checkPtr(t, "discountAmount", o.DiscountAmount)
	ix.checkPtr(t, "discountTotal", o.DiscountTotal)
	for _, it := range o.Items {
		ix.check(t, "price", it.Price, true)
		ix.checkPtr(t, "subtotal", it.Subtotal)
	}
}

// FuzzInventorum feeds answers to GET /orders/delta/, GET /orders/ and
// POST /basket/, and through Do to the delta feed and the basket.
func FuzzInventorum(f *testing.F) {
	seedFiles(f, "../../inventorum/testdata", []string{".json"}, 200, 201, 400)
	for _, s := range jsonSeeds {
		f.Add(statusIndex(200), []byte(s))
	}
	f.Fuzz(func(t *testing.T, si uint8, body []byte) {
		status := fuzzStatus(si)
		c, err := inventorum.NewClient("fuzz-token",
			orderkit.WithHTTPClient(mockHTTP(status, body, "application/json")),
			orderkit.WithRetry(1, 0, time.Millisecond),
			orderkit.WithRateLimit(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		ctx := fuzzCtx(t)
		page, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
		noHang(t, ctx)
		checkOutcome(t, status, false, page != nil, err)
		if err == nil {
			checkInventorumPage(t, indexAmounts(t, body), page)
		}
		end := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
		page, err = c.Orders.List(ctx, &inventorum.ListOptions{Start: end.AddDate(0, -1, 0), End: end})
		noHang(t, ctx)
		checkOutcome(t, status, false, page != nil, err)
		if err == nil {
			checkInventorumPage(t, indexAmounts(t, body), page)
		}
		res, err := c.Basket.Create(ctx, &inventorum.BasketRequest{Items: []inventorum.BasketItem{{Product: 1, Quantity: 1, Price: money.MustParse("1.5")}}})
		noHang(t, ctx)
		checkOutcome(t, status, true, res != nil, err)
		fuzzDo(t, ctx, status, c.Do, "orders/delta/", "basket/", map[string]any{"items": []map[string]any{{"product": 1, "quantity": 1, "price": "1.5"}}})
	})
}

func checkInventorumPage(t *testing.T, ix *amounts, p *inventorum.Page) {
	t.Helper()
	for _, o := range p.Data {
		ix.check(t, "amount_paid", o.AmountPaid, false)
		for _, it := range o.Basket.Items {
			ix.check(t, "price", it.Price, false)
			ix.check(t, "tax_rate", it.TaxRate, false)
			ix.check(t, "gross_price", it.GrossPrice, false)
			ix.check(t, "unit_gross_price", it.UnitGrossPrice, false)
			if it.Discount != nil {
				ix.check(t, "amount", it.Discount.Amount, false)
			}
		}
		if d := o.Basket.Discount; d != nil {
			ix.check(t, "amount", d.Amount, false)
		}
		for _, p := range o.Payments {
			ix.check(t, "payment_amount", p.PaymentAmount, false)
		}
		if o.Shipment != nil {
			ix.check(t, "cost", o.Shipment.Cost, false)
		}
	}
}

// FuzzVersaCommerce feeds answers to GET /api/orders.json,
// GET /api/orders/:id.json, GET /api/orders/count.json,
// GET /api/orders/:id/items.json, GET /api/orders/:id/payments.json and
// POST /api/orders.json, and through Do to an order and the create.
func FuzzVersaCommerce(f *testing.F) {
	seedFiles(f, "../../versacommerce/testdata", []string{".json"}, 200, 201, 422)
	for _, s := range jsonSeeds {
		f.Add(statusIndex(200), []byte(s))
	}
	f.Fuzz(func(t *testing.T, si uint8, body []byte) {
		status := fuzzStatus(si)
		c, err := versacommerce.NewClient("fuzzshop", "fuzz-key", "fuzz-password",
			orderkit.WithHTTPClient(mockHTTP(status, body, "application/json")),
			orderkit.WithRetry(1, 0, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		ctx := fuzzCtx(t)
		list, err := c.Orders.List(ctx, &versacommerce.ListOptions{})
		noHang(t, ctx)
		checkOutcome(t, status, false, true, err)
		if err == nil {
			ix := indexAmounts(t, body)
			for i := range list {
				checkVersaOrder(t, ix, &list[i])
			}
		}
		o, err := c.Orders.Get(ctx, 1, &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}})
		noHang(t, ctx)
		checkOutcome(t, status, false, o != nil, err)
		if err == nil {
			checkVersaOrder(t, indexAmounts(t, body), o)
		}
		_, err = c.Orders.Count(ctx, nil)
		noHang(t, ctx)
		checkOutcome(t, status, false, true, err)
		items, err := c.Orders.Items(ctx, 1)
		noHang(t, ctx)
		checkOutcome(t, status, false, true, err)
		if err == nil {
			ix := indexAmounts(t, body)
			for i := range items {
				checkVersaItem(t, ix, &items[i])
			}
		}
		o, err = c.Orders.Create(ctx, versaOrderRequest())
		noHang(t, ctx)
		checkOutcome(t, status, true, o != nil, err)
		if err == nil {
			checkVersaOrder(t, indexAmounts(t, body), o)
		}
		payments, err := c.Orders.Payments(ctx, 1)
		noHang(t, ctx)
		checkOutcome(t, status, false, true, err)
		if err == nil {
			ix := indexAmounts(t, body)
			for _, p := range payments {
				ix.check(t, "amount", p.Amount, false)
			}
		}
		fuzzDo(t, ctx, status, c.Do, "orders/1.json", "orders.json", versaDoBody)
	})
}

func checkVersaOrder(t *testing.T, ix *amounts, o *versacommerce.Order) {
	t.Helper()
	for _, a := range []struct {
		key string
		v   money.Amount
	}{
		{"item_total", o.ItemTotal}, {"payment_cost", o.PaymentCost}, {"shipping_cost", o.ShippingCost},
		{"discount_total", o.DiscountTotal}, {"coupon_value", o.CouponValue}, {"subtotal", o.Subtotal},
		{"total", o.Total}, {"payment_tax_rate", o.PaymentTaxRate}, {"standard_tax_rate", o.StandardTaxRate},
		{"standard_tax_amount", o.StandardTaxAmount}, {"standard_tax_total", o.StandardTaxTotal},
		{"reduced_tax_rate", o.ReducedTaxRate}, {"reduced_tax_amount", o.ReducedTaxAmount},
		{"reduced_tax_total", o.ReducedTaxTotal}, {"weight_total", o.WeightTotal},
	} {
		ix.check(t, a.key, a.v, false)
	}
	for i := range o.Items {
		checkVersaItem(t, ix, &o.Items[i])
	}
}

func checkVersaItem(t *testing.T, ix *amounts, it *versacommerce.Item) {
	t.Helper()
	ix.check(t, "price", it.Price, false)
	ix.check(t, "extra_price", it.ExtraPrice, false)
	ix.check(t, "tax_rate", it.TaxRate, false)
	ix.check(t, "discount", it.Discount, false)
}

func versaOrderRequest() *versacommerce.OrderRequest {
	addr := &versacommerce.AddressRequest{Firstname: "Erika", Lastname: "Muster", Street: "Weg",
		Streetnumber: "1", Zipcode: "12345", City: "Hannover"}
	zero := versacommerce.Amount(money.Zero)
	return &versacommerce.OrderRequest{
		PaymentType: versacommerce.PaymentTypeMisc,
		PaymentCost: zero, ItemTotal: zero, Total: zero, Subtotal: zero, WeightTotal: zero, ShippingCost: zero,
		Items:          []versacommerce.ItemRequest{{ProductID: 1, Quantity: 1}},
		BillingAddress: addr, ShippingAddress: addr,
	}
}

// FuzzAdilityJSON and FuzzAdilityXML feed answers to POST /orders,
// GET /orders/:id, PUT /orders/:id and
// GET /advertisers/:id/vouchers/:redemption_code in each wire format, and
// through Do to an order and the Place.
func FuzzAdilityJSON(f *testing.F) {
	seedFiles(f, "../../adility/testdata", []string{".json"}, 200, 201, 404, 422)
	for _, s := range jsonSeeds {
		f.Add(statusIndex(200), []byte(s))
	}
	f.Fuzz(func(t *testing.T, si uint8, body []byte) {
		fuzzAdility(t, adility.JSON, fuzzStatus(si), body)
	})
}

// FuzzAdilityXML is FuzzAdilityJSON in XML.
func FuzzAdilityXML(f *testing.F) {
	seedFiles(f, "../../adility/testdata", []string{".xml"}, 200, 201, 404, 422)
	for _, s := range []string{
		`<order><id>1</id><items><item><vouchers><voucher/></vouchers></item></items></order>`,
		`<errors><error>has already been taken</error></errors>`,
		`<order><purchased_at>yesterday</purchased_at><items>x</items></order>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><order/>`,
		`<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><order><id>&a;&a;</id></order>`,
		`<a><a><a><a><a><a><a><a>`,
		`<html><body>502 Bad Gateway</body></html>`,
		``,
	} {
		f.Add(statusIndex(200), []byte(s))
	}
	f.Fuzz(func(t *testing.T, si uint8, body []byte) {
		fuzzAdility(t, adility.XML, fuzzStatus(si), body)
	})
}

func fuzzAdility(t *testing.T, format adility.Format, status int, body []byte) {
	ct := "application/json"
	if format == adility.XML {
		ct = "application/xml"
	}
	c, err := adility.NewClient("fuzz-api-key",
		orderkit.WithBaseURL("https://adility.example/distribution/beta"),
		adility.WithFormat(format),
		orderkit.WithHTTPClient(mockHTTP(status, body, ct)),
		orderkit.WithRetry(1, 0, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := fuzzCtx(t)
	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{OrderNumber: "fuzz-1", CustomerName: "Fuzz",
		Items: []adility.PlaceItem{{OfferID: "4e8b1a2f9a0e7d0011000001", Quantity: 1}}})
	noHang(t, ctx)
	checkOutcome(t, status, true, o != nil, err)
	o, err = c.Orders.Get(ctx, "4e8b1a2f9a0e7d0011000002")
	noHang(t, ctx)
	checkOutcome(t, status, false, o != nil, err)
	_, err = c.Orders.Cancel(ctx, "4e8b1a2f9a0e7d0011000002")
	noHang(t, ctx)
	// Cancel answers nil for an answer without a body, so a value is not
	// required there.
	checkOutcome(t, status, false, true, err)
	v, err := c.Vouchers.GetByRedemptionCode(ctx, "4e8b1a2f9a0e7d0011000042", "ABCD-1234")
	noHang(t, ctx)
	checkOutcome(t, status, false, v != nil, err)
	for _, call := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "orders/4e8b1a2f9a0e7d0011000002", nil},
		{http.MethodPost, "orders", newAdilityDoBody("fuzz")},
	} {
		var out adilityDoOut
		_, err = c.Do(ctx, call.method, call.path, call.body, &out)
		noHang(t, ctx)
		checkOutcome(t, status, call.method == http.MethodPost, true, err)
	}
}

// doFunc is a client's Do.
type doFunc func(ctx context.Context, method, path string, body, out any, opts ...orderkit.CallOption) (*orderkit.Response, error)

// fuzzDo sends a GET to getPath and a POST of body to postPath through a
// JSON client's Do, each answer read into a json.RawMessage.
func fuzzDo(t *testing.T, ctx context.Context, status int, do doFunc, getPath, postPath string, body any) {
	t.Helper()
	var out json.RawMessage
	_, err := do(ctx, http.MethodGet, getPath, nil, &out)
	noHang(t, ctx)
	checkOutcome(t, status, false, true, err)
	_, err = do(ctx, http.MethodPost, postPath, body, &out)
	noHang(t, ctx)
	checkOutcome(t, status, true, true, err)
}

// TestUnreadableAmountIsAnError takes each client's fixture, makes one
// amount unreadable, and requires an error where a silent zero would lose
// money.
func TestUnreadableAmountIsAnError(t *testing.T) {
	attivitaC := func(hc *http.Client) *attivita.Client {
		c, err := attivita.NewClient("t", orderkit.WithHTTPClient(hc), orderkit.WithRetry(0, 0, 0))
		require.NoError(t, err)
		return c
	}
	inventorumC := func(hc *http.Client) *inventorum.Client {
		c, err := inventorum.NewClient("t", orderkit.WithHTTPClient(hc), orderkit.WithRetry(0, 0, 0))
		require.NoError(t, err)
		return c
	}
	versaC := func(hc *http.Client) *versacommerce.Client {
		c, err := versacommerce.NewClient("shop", "k", "p", orderkit.WithHTTPClient(hc), orderkit.WithRetry(0, 0, 0))
		require.NoError(t, err)
		return c
	}
	cases := []struct {
		name, file, key string
		call            func(ctx context.Context, hc *http.Client) error
	}{
		{"attivita product price", "../../attivita/testdata/products.json", "price", func(ctx context.Context, hc *http.Client) error {
			_, err := attivitaC(hc).Products.List(ctx, nil)
			return err
		}},
		{"attivita product oldPrice", "../../attivita/testdata/products.json", "oldPrice", func(ctx context.Context, hc *http.Client) error {
			_, err := attivitaC(hc).Products.List(ctx, nil)
			return err
		}},
		{"attivita order item price", "../../attivita/testdata/orders.json", "price", func(ctx context.Context, hc *http.Client) error {
			_, err := attivitaC(hc).Orders.List(ctx)
			return err
		}},
		{"attivita order grandTotal", "../../attivita/testdata/create_order_response.json", "grandTotal", func(ctx context.Context, hc *http.Client) error {
			_, err := attivitaC(hc).Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "x", Amount: 1}}})
			return err
		}},
		{"inventorum amount_paid", "../../inventorum/testdata/delta.json", "amount_paid", func(ctx context.Context, hc *http.Client) error {
			_, err := inventorumC(hc).Orders.Delta(ctx, &inventorum.DeltaOptions{})
			return err
		}},
		{"inventorum item price", "../../inventorum/testdata/list.json", "price", func(ctx context.Context, hc *http.Client) error {
			end := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
			_, err := inventorumC(hc).Orders.List(ctx, &inventorum.ListOptions{Start: end.AddDate(0, -1, 0), End: end})
			return err
		}},
		{"inventorum payment_amount", "../../inventorum/testdata/delta.json", "payment_amount", func(ctx context.Context, hc *http.Client) error {
			_, err := inventorumC(hc).Orders.Delta(ctx, &inventorum.DeltaOptions{})
			return err
		}},
		{"versacommerce total", "../../versacommerce/testdata/orders.json", "total", func(ctx context.Context, hc *http.Client) error {
			_, err := versaC(hc).Orders.List(ctx, &versacommerce.ListOptions{})
			return err
		}},
		{"versacommerce item price", "../../versacommerce/testdata/create_response.json", "price", func(ctx context.Context, hc *http.Client) error {
			_, err := versaC(hc).Orders.Create(ctx, versaOrderRequest())
			return err
		}},
		{"versacommerce created total", "../../versacommerce/testdata/create_response.json", "total", func(ctx context.Context, hc *http.Client) error {
			_, err := versaC(hc).Orders.Create(ctx, versaOrderRequest())
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := os.ReadFile(tc.file)
			require.NoError(t, err)
			for _, bad := range []string{`"abc"`, `"1,50"`, `true`, `{}`} {
				body, ok := replaceFirst(t, raw, tc.key, json.RawMessage(bad))
				require.True(t, ok, "fixture has no %q", tc.key)
				ctx, cancel := context.WithTimeout(context.Background(), fuzzTimeout)
				err := tc.call(ctx, mockHTTP(200, body, "application/json"))
				cancel()
				require.Error(t, err, "%s = %s decoded without error", tc.key, bad)
				assert.ErrorIs(t, err, orderkit.ErrInvalidResponse, "%s = %s", tc.key, bad)
			}
		})
	}
}

// replaceFirst sets the first member named key (depth first, an object's
// members in sorted order, so the choice is the same on every run) to v and
// returns the body re-encoded.
func replaceFirst(t *testing.T, body []byte, key string, v json.RawMessage) ([]byte, bool) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	require.NoError(t, dec.Decode(&doc))
	done := false
	var walk func(x any)
	walk = func(x any) {
		if done {
			return
		}
		switch x := x.(type) {
		case map[string]any:
			if _, ok := x[key]; ok {
				x[key] = v
				done = true
				return
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k])
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out, done
}
