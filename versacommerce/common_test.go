package versacommerce_test

import (
	"encoding/json"
	"fmt"
	"github.com/orderkit/orderkit/internal/ordertest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/orderkit/orderkit/versacommerce"
)

// The figure tables and their checks are the ones every Common test
// shares.
type fig = ordertest.Fig

var (
	absent        = ordertest.Absent
	given         = ordertest.Given
	derived       = ordertest.Derived
	assertFig     = ordertest.AssertFig
	assertFigures = ordertest.AssertFigures
)

func pageOrders(t *testing.T, name string) []versacommerce.Order {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	if strings.HasPrefix(strings.TrimSpace(string(b)), "[") {
		var list []versacommerce.Order
		require.NoError(t, json.Unmarshal(b, &list))
		return list
	}
	var o versacommerce.Order
	require.NoError(t, json.Unmarshal(b, &o))
	return []versacommerce.Order{o}
}

func bodyOrder(t *testing.T, body string) versacommerce.Order {
	t.Helper()
	var o versacommerce.Order
	require.NoError(t, json.Unmarshal([]byte(body), &o))
	return o
}

type wantLine struct {
	id, productID, sku, name, qty                  string
	unitNet, unitGross, rate, discount, net, gross fig
}

type wantOrder struct {
	id, number, currency                                                    string
	currencySrc                                                             orderkit.Source
	created                                                                 time.Time
	status                                                                  orderstate.Status
	customer                                                                orderkit.Customer
	lines                                                                   []wantLine
	linesGross, linesNet, shipping, payment, discount, net, taxTotal, gross fig
	vat                                                                     [][4]fig // rate, basis, tax, gross
	checks                                                                  []string
	notes                                                                   int
	errDiff                                                                 bool
}

// mixedRates is a shop order with gross prices at two rates, worked out
// by hand: 2 × 10.00 at 19 % and 2 × 3.50 reduced (7 %, from the order's
// reduced_tax_rate); item_total 27.00 + shipping 4.90 − discount 2.00 =
// 29.90. Standard: 22.90 gross, tax 22.90 × 19 / 119 = 3.6563 → 3.66.
// Reduced: 7.00 gross, tax 7.00 × 7 / 107 = 0.4579 → 0.46.
const mixedRates = `{"order": {"id": 7, "code": "100-200-300", "created_at": "2024-03-01T10:15:00+01:00",
 "currency": "%CUR%", "status": "closed", "customer_email": "anna@example.com", "customer_id": 42,
 "prices_include_tax": true, "item_total": "27.00", "shipping_cost": "4.90", "payment_cost": "0.0",
 "discount_total": "2.00", "subtotal": "29.90", "total": "%TOTAL%",
 "standard_tax_rate": 19, "standard_tax_amount": "3.66", "standard_tax_total": "22.90",
 "reduced_tax_rate": 7, "reduced_tax_amount": "0.46", "reduced_tax_total": "7.00",
 "billing_address": {"firstname": "Anna", "lastname": "Schmidt", "street": "Hauptstraße", "streetnumber": 1,
  "zipcode": "01067", "city": "Dresden", "country": "DE"},
 "items": [
  {"id": 1, "product_id": 10, "code": "EAN-1", "title": "Tee", "quantity": 2, "price": "10.00", "tax_rate": 19},
  {"id": 2, "product_id": 11, "title": "Brot", "quantity": 2, "price": "3.50", "tax_category": "reduced"}]}}`

// figures lists the expected figures by orderkit.Order.Figures path; a
// path not listed is expected absent.
func (w wantOrder) figures() map[string]fig {
	m := map[string]fig{
		"totals.lines": w.linesGross, "totals.lines_net": w.linesNet, "totals.shipping": w.shipping,
		"totals.payment": w.payment, "totals.discount": w.discount, "totals.net": w.net,
		"totals.tax_total": w.taxTotal, "totals.gross": w.gross,
	}
	for i, l := range w.lines {
		p := fmt.Sprintf("lines[%d].", i)
		m[p+"unit_net"], m[p+"unit_gross"], m[p+"tax_rate"] = l.unitNet, l.unitGross, l.rate
		m[p+"discount"], m[p+"net"], m[p+"gross"] = l.discount, l.net, l.gross
	}
	for i, v := range w.vat {
		p := fmt.Sprintf("totals.tax[%d].", i)
		m[p+"rate"], m[p+"basis"], m[p+"tax"], m[p+"gross"] = v[0], v[1], v[2], v[3]
	}
	return m
}

func mixed(currency, total string) string {
	return strings.NewReplacer("%CUR%", currency, "%TOTAL%", total).Replace(mixedRates)
}

func TestCommon(t *testing.T) {
	t.Parallel()
	list := pageOrders(t, "orders.json")
	require.Len(t, list, 2)
	single := pageOrders(t, "order.json")
	partial := pageOrders(t, "orders_include_items.json")
	require.Len(t, partial, 2)
	created := time.Date(2024, 3, 1, 9, 15, 0, 0, time.UTC)

	eduard := func(email, id string) orderkit.Customer {
		a := &orderkit.Address{Name: "Eduard Siebert", Company: "VersaCommerce", Line1: "Zwischen Den Hölzern 1a",
			Postal: "59514", City: "Welver", State: "unbekannt", Country: "DE"}
		return orderkit.Customer{ID: id, Name: "Eduard Siebert", Email: email, Billing: a, Shipping: a}
	}
	// The page's order 100: 8.49 + 4.95 + 2.50 = 15.94 = total; 19 % of
	// the gross 15.94 is 15.94 × 19 / 119 = 2.5450 → 2.55 = standard_tax_amount;
	// net 15.94 − 2.55 = 13.39.
	order100 := wantOrder{
		id: "100", number: "196-083-565", currency: "EUR", currencySrc: orderkit.Derived,
		created: time.Date(2013, 3, 19, 11, 39, 51, 0, time.UTC), status: orderstate.StatusCanceled,
		customer:   eduard("support@versacommerce.de", "1000"),
		linesGross: given("8.49", "item_total"), linesNet: absent,
		shipping: given("4.95", "shipping_cost"), payment: given("2.5", "payment_cost"), discount: given("0", "discount_total"),
		net: derived("13.39", "total − tax"), taxTotal: derived("2.55", "standard_tax_amount + reduced_tax_amount"),
		gross: given("15.94", "total"),
		vat:   [][4]fig{{given("19", "standard_tax_rate"), derived("13.39", "standard_tax_total − standard_tax_amount"), given("2.55", "standard_tax_amount"), given("15.94", "standard_tax_total")}},
		checks: []string{
			"lines + shipping + payment − discount = gross: 15.94 = 15.94",
			"net + tax = gross: 15.94 = 15.94",
			"tax per rate sums to tax total: 2.55 = 2.55",
			"taxed net per rate sums to net: 13.39 = 13.39",
			"tax at 19 % of its gross: 2.55 = 2.55",
		},
	}
	tests := []struct {
		name  string
		order versacommerce.Order
		want  wantOrder
	}{
		{name: "orders.json order 100", order: list[0], want: order100},
		{name: "order.json", order: single[0], want: order100},
		{
			// Order 101: 90.00 + 4.95 + 2.50 = 97.45; 97.45 × 19 / 119 =
			// 15.5592 → 15.56; net 97.45 − 15.56 = 81.89.
			name:  "orders.json order 101",
			order: list[1],
			want: wantOrder{
				id: "101", number: "196-083-545", currency: "EUR", currencySrc: orderkit.Derived,
				created: time.Date(2013, 3, 19, 11, 41, 47, 0, time.UTC), status: orderstate.StatusCanceled,
				customer:   eduard("siebert@versacommerce.de", "11461"),
				linesGross: given("90", "item_total"), linesNet: absent,
				shipping: given("4.95", "shipping_cost"), payment: given("2.5", "payment_cost"), discount: given("0", "discount_total"),
				net: derived("81.89", "total − tax"), taxTotal: derived("15.56", "standard_tax_amount"),
				gross: given("97.45", "total"),
				vat:   [][4]fig{{given("19", "standard_tax_rate"), derived("81.89", "standard_tax_total − standard_tax_amount"), given("15.56", "standard_tax_amount"), given("97.45", "standard_tax_total")}},
				checks: []string{
					"lines + shipping + payment − discount = gross: 97.45 = 97.45",
					"net + tax = gross: 97.45 = 97.45",
					"tax per rate sums to tax total: 15.56 = 15.56",
					"taxed net per rate sums to net: 81.89 = 81.89",
					"tax at 19 % of its gross: 15.56 = 15.56",
				},
			},
		},
		{
			// The items example sends ids and quantities only: lines carry
			// no figures and the totals are left empty.
			name:  "orders_include_items.json order 101",
			order: partial[1],
			want: wantOrder{
				id: "101", number: "199-267-382", status: orderstate.StatusUnknown,
				lines: []wantLine{
					{id: "1002", productID: "10002", qty: "2", unitNet: absent, unitGross: absent, rate: absent, discount: absent, net: absent, gross: absent},
					{id: "1003", productID: "10003", qty: "7", unitNet: absent, unitGross: absent, rate: absent, discount: absent, net: absent, gross: absent},
					{id: "1004", productID: "10004", qty: "1", unitNet: absent, unitGross: absent, rate: absent, discount: absent, net: absent, gross: absent},
				},
				linesGross: absent, linesNet: absent, shipping: absent, payment: absent, discount: absent,
				net: absent, taxTotal: absent, gross: absent,
				checks: []string{"lines + shipping + payment − discount = gross: skipped, no lines total"},
				notes:  1,
			},
		},
		{
			// The create answer: a net item of 1 × 1 at 1 %, but
			// item_total 0.0; item_total 0.0 + shipping_cost 1.0 but total
			// 0.0. Both differences are reported.
			name:  "create_response.json",
			order: pageOrders(t, "create_response.json")[0],
			want: wantOrder{
				id: "0", status: orderstate.StatusUnknown,
				lines: []wantLine{{
					productID: "1", sku: "1", name: "my order", qty: "1",
					unitNet: given("1", "items[0].price"), unitGross: absent, rate: given("1", "items[0].tax_rate"), discount: absent,
					net: derived("1", "items[0].price × items[0].quantity + items[0].extra_price"), gross: absent,
				}},
				linesGross: absent, linesNet: given("0", "item_total"),
				shipping: given("1", "shipping_cost"), payment: given("0", "payment_cost"), discount: given("0", "discount_total"),
				net: absent, taxTotal: absent, gross: given("0", "total"),
				checks: []string{
					"sum of line net = lines net total: 1.00 vs 0.00, difference 1.00",
					"net lines + shipping + payment − discount + tax = gross: 1.00 vs 0.00, difference 1.00",
				},
				notes: 1, errDiff: true,
			},
		},
		{
			name:  "two rates, gross prices, an ISO currency",
			order: bodyOrder(t, mixed("eur", "29.90")),
			want: wantOrder{
				id: "7", number: "100-200-300", currency: "EUR", currencySrc: orderkit.Given,
				created: created, status: orderstate.StatusCompleted,
				customer: orderkit.Customer{ID: "42", Name: "Anna Schmidt", Email: "anna@example.com",
					Billing: &orderkit.Address{Name: "Anna Schmidt", Line1: "Hauptstraße 1", Postal: "01067", City: "Dresden", Country: "DE"}},
				lines: []wantLine{
					{id: "1", productID: "10", sku: "EAN-1", name: "Tee", qty: "2",
						unitNet: absent, unitGross: given("10", "items[0].price"), rate: given("19", "items[0].tax_rate"), discount: absent,
						net: absent, gross: derived("20", "items[0].price × items[0].quantity")},
					{id: "2", productID: "11", name: "Brot", qty: "2",
						unitNet: absent, unitGross: given("3.5", "items[1].price"), rate: derived("7", "items[1].tax_category reduced"), discount: absent,
						net: absent, gross: derived("7", "items[1].price × items[1].quantity")},
				},
				linesGross: given("27", "item_total"), linesNet: absent,
				shipping: given("4.9", "shipping_cost"), payment: given("0", "payment_cost"), discount: given("2", "discount_total"),
				// 3.66 + 0.46 = 4.12; 29.90 − 4.12 = 25.78 = 19.24 + 6.54.
				net: derived("25.78", "total − tax"), taxTotal: derived("4.12", "standard_tax_amount + reduced_tax_amount"),
				gross: given("29.9", "total"),
				vat: [][4]fig{
					{given("19", "standard_tax_rate"), derived("19.24", "standard_tax_total − standard_tax_amount"), given("3.66", "standard_tax_amount"), given("22.9", "standard_tax_total")},
					{given("7", "reduced_tax_rate"), derived("6.54", "reduced_tax_total − reduced_tax_amount"), given("0.46", "reduced_tax_amount"), given("7", "reduced_tax_total")},
				},
				checks: []string{
					"line 1: unit gross × quantity = gross: 20.00 = 20.00",
					"line 2: unit gross × quantity = gross: 7.00 = 7.00",
					"sum of line gross = lines total: 27.00 = 27.00",
					"lines + shipping + payment − discount = gross: 29.90 = 29.90",
					"net + tax = gross: 29.90 = 29.90",
					"tax per rate sums to tax total: 4.12 = 4.12",
					"taxed net per rate sums to net: 25.78 = 25.78",
					"tax at 19 % of its gross: 3.66 = 3.66",
					"tax at 7 % of its gross: 0.46 = 0.46",
				},
			},
		},
		{
			// The same order with a total 0.10 higher than its parts, and a
			// currency symbol that names no one currency.
			name:  "total that does not add up, ambiguous currency",
			order: bodyOrder(t, mixed("$", "30.00")),
			want: wantOrder{
				id: "7", number: "100-200-300", created: created, status: orderstate.StatusCompleted,
				customer: orderkit.Customer{ID: "42", Name: "Anna Schmidt", Email: "anna@example.com",
					Billing: &orderkit.Address{Name: "Anna Schmidt", Line1: "Hauptstraße 1", Postal: "01067", City: "Dresden", Country: "DE"}},
				lines: []wantLine{
					{id: "1", productID: "10", sku: "EAN-1", name: "Tee", qty: "2",
						unitNet: absent, unitGross: given("10", "items[0].price"), rate: given("19", "items[0].tax_rate"), discount: absent,
						net: absent, gross: derived("20", "items[0].price")},
					{id: "2", productID: "11", name: "Brot", qty: "2",
						unitNet: absent, unitGross: given("3.5", "items[1].price"), rate: derived("7", "items[1].tax_category"), discount: absent,
						net: absent, gross: derived("7", "items[1].price")},
				},
				linesGross: given("27", "item_total"), linesNet: absent,
				shipping: given("4.9", "shipping_cost"), payment: given("0", "payment_cost"), discount: given("2", "discount_total"),
				net: derived("25.88", "total − tax"), taxTotal: derived("4.12", "standard_tax_amount"),
				gross: given("30", "total"),
				vat: [][4]fig{
					{given("19", "standard_tax_rate"), derived("19.24", "standard"), given("3.66", "standard"), given("22.9", "standard")},
					{given("7", "reduced_tax_rate"), derived("6.54", "reduced"), given("0.46", "reduced"), given("7", "reduced")},
				},
				checks: []string{
					"line 1: unit gross × quantity = gross: 20.00 = 20.00",
					"line 2: unit gross × quantity = gross: 7.00 = 7.00",
					"sum of line gross = lines total: 27.00 = 27.00",
					"lines + shipping + payment − discount = gross: 29.90 vs 30.00, difference -0.10",
					"net + tax = gross: 30.00 = 30.00",
					"tax per rate sums to tax total: 4.12 = 4.12",
					"taxed net per rate sums to net: 25.78 vs 25.88, difference -0.10",
					"tax at 19 % of its gross: 3.66 = 3.66",
					"tax at 7 % of its gross: 0.46 = 0.46",
				},
				notes: 1, errDiff: true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := tt.order
			c, err := o.Common()
			w := tt.want
			ordertest.AssertReconciled(t, &c, err, w.errDiff)
			assert.Equal(t, orderkit.APIVersaCommerce, c.API)
			assert.Equal(t, w.id, c.ID)
			assert.Equal(t, w.number, c.Number)
			assert.Equal(t, w.created, c.Created)
			assert.True(t, c.Completed.IsZero())
			assert.Equal(t, w.status, c.Status)
			assert.Equal(t, string(o.Status), c.VendorStatus)
			assert.Equal(t, w.currency, c.Currency)
			assert.Equal(t, w.currencySrc, c.CurrencySource)
			assert.Equal(t, w.customer, c.Customer)
			assert.Same(t, &o, c.Vendor.(*versacommerce.Order))

			require.Len(t, c.Lines, len(w.lines))
			for i, wl := range w.lines {
				l := c.Lines[i]
				assert.Equal(t, wl.id, l.ID)
				assert.Equal(t, wl.productID, l.ProductID)
				assert.Equal(t, wl.sku, l.SKU)
				assert.Equal(t, wl.name, l.Name)
				assert.Equal(t, wl.qty, strconv.Itoa(l.Quantity))
			}
			require.Len(t, c.Totals.Tax, len(w.vat))
			assertFigures(t, &c, w.figures())
			ordertest.AssertChecks(t, &c, w.checks, w.notes)
		})
	}
}

// TestCommonZeroTotalsSent: an answer that sends every total as 0 (the
// create answer with shipping_cost 0.0) is checked, not read as an order
// without totals: its item of 1.00 differs from item_total and total. An
// item price of 0 sent is a free item, checked too.
func TestCommonZeroTotalsSent(t *testing.T) {
	t.Parallel()
	o := bodyOrder(t, `{"payment_type": "misc", "payment_cost": 0.0, "item_total": 0.0, "total": 0.0, "subtotal": 0.0,
		"weight_total": 1.0, "shipping_cost": 0.0, "items": [{"product_id": 1, "quantity": 1, "price": 1}]}`)
	c, err := o.Common()
	require.ErrorIs(t, err, orderkit.ErrNotReconciled)
	ordertest.AssertChecks(t, &c, []string{
		"sum of line net = lines net total: 1.00 vs 0.00, difference 1.00",
		"net lines + shipping + payment − discount + tax = gross: 0.00 = 0.00",
	}, 1)

	o = bodyOrder(t, `{"prices_include_tax": true, "item_total": "5.00", "total": "5.00",
		"items": [{"product_id": 1, "quantity": 1, "price": "5.00"}, {"product_id": 2, "quantity": 1, "price": "0.0"}]}`)
	c, err = o.Common()
	require.NoError(t, err)
	ordertest.AssertChecks(t, &c, []string{
		"line 1: unit gross × quantity = gross: 5.00 = 5.00",
		"line 2: unit gross × quantity = gross: 0.00 = 0.00",
		"sum of line gross = lines total: 5.00 = 5.00",
		"lines + shipping + payment − discount = gross: 5.00 = 5.00",
	}, 0)

	// Net prices with the tax on top.
	o = bodyOrder(t, `{"prices_include_tax": false, "item_total": "10.00", "shipping_cost": "0.0", "payment_cost": "0.0",
		"standard_tax_amount": "1.90", "total": "11.90"}`)
	c, err = o.Common()
	require.NoError(t, err)
	ordertest.AssertChecks(t, &c, []string{"net lines + shipping + payment − discount + tax = gross: 11.90 = 11.90"}, 1)
}

// TestCommonItemDiscount: a money discount is given, a percent discount is
// that share of the line (2 × 10.00 at 10 % is 2.00).
func TestCommonItemDiscount(t *testing.T) {
	t.Parallel()
	o := bodyOrder(t, `{"id": 8, "prices_include_tax": true, "item_total": "18.00", "total": "18.00", "items": [
	 {"product_id": 1, "quantity": 2, "price": "10.00", "tax_rate": 19, "discount": 10, "discount_type": "percent"},
	 {"product_id": 2, "quantity": 1, "price": "5.00", "tax_rate": 19, "discount": 1.5, "discount_type": "money"},
	 {"product_id": 3, "quantity": 1, "price": "5.00", "tax_rate": 19, "extra_price": "0.50"}]}`)
	c, _ := o.Common()
	require.Len(t, c.Lines, 3)
	assertFig(t, "percent", c.Lines[0].Discount, derived("2", "items[0].discount % of the line"))
	assertFig(t, "money", c.Lines[1].Discount, given("1.5", "items[1].discount"))
	assertFig(t, "none", c.Lines[2].Discount, absent)
	// 1 × 5.00 + 0.50 extra.
	assertFig(t, "extra price", c.Lines[2].Gross, derived("5.5", "items[2].price × items[2].quantity + items[2].extra_price"))
}

// TestCommonExtraPrice: extra_price is part of the line's gross, so an
// order whose figures add up with it reconciles (1 × 5.00 + 0.50 = 5.50).
func TestCommonExtraPrice(t *testing.T) {
	t.Parallel()
	o := bodyOrder(t, `{"id": 10, "prices_include_tax": true, "item_total": "5.50", "total": "5.50", "items": [
	 {"product_id": 3, "quantity": 1, "price": "5.00", "tax_rate": 19, "extra_price": "0.50"}]}`)
	c, err := o.Common()
	require.NoError(t, err)
	require.Len(t, c.Lines, 1)
	assertFig(t, "extra", c.Lines[0].Extra, given("0.5", "items[0].extra_price"))
	assert.Equal(t, "line 1: unit gross × quantity + extra = gross: 5.50 = 5.50", c.Checks[0].String())
}

// TestCommonTaxTotalAsTax: the page's POST form words standard_tax_total
// as the standard-rate tax on goods and shipping and standard_tax_amount as
// the tax on goods only, while its examples send the taxed gross in
// standard_tax_total. Common reads the examples' way; an order sent the
// form's way must show as differences, not reconcile: 100.00 gross, tax on
// goods 95.00 × 19 / 119 = 15.17, on all 100.00 × 19 / 119 = 15.97.
func TestCommonTaxTotalAsTax(t *testing.T) {
	t.Parallel()
	o := bodyOrder(t, `{"id": 11, "prices_include_tax": true, "item_total": "95.00", "shipping_cost": "5.00", "total": "100.00",
	 "standard_tax_rate": 19, "standard_tax_amount": "15.17", "standard_tax_total": "15.97"}`)
	c, err := o.Common()
	require.ErrorIs(t, err, orderkit.ErrNotReconciled)
	var diffs []string
	for _, d := range c.Differences() {
		diffs = append(diffs, d.String())
	}
	assert.Equal(t, []string{
		"taxed net per rate sums to net: 0.80 vs 84.83, difference -84.03",
		"tax at 19 % of its gross: 15.17 vs 2.55, difference 12.62",
	}, diffs)
}

// TestCommonImpossibleRate: a rate of -100 % would divide by zero; the
// check is skipped and named, nothing panics.
func TestCommonImpossibleRate(t *testing.T) {
	t.Parallel()
	o := bodyOrder(t, `{"id": 9, "prices_include_tax": true, "item_total": "10.00", "total": "10.00",
	 "standard_tax_rate": -100, "standard_tax_amount": "1.00", "standard_tax_total": "10.00"}`)
	c, err := o.Common()
	require.NoError(t, err)
	last := c.Checks[len(c.Checks)-1]
	assert.Equal(t, "tax at -100 % of its gross: skipped, no rate above -100 %", last.String())
}

// FuzzCommon: whatever order decodes, converting it never panics and its
// checks are consistent with its error.
func FuzzCommon(f *testing.F) {
	for _, name := range []string{"order.json", "create_response.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"items": [{"price": "1e40", "quantity": 3, "tax_rate": "-100"}], "total": "-0.005"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var o versacommerce.Order
		if json.Unmarshal(b, &o) != nil {
			return
		}
		c, err := o.Common()
		if (err != nil) != (len(c.Differences()) > 0) {
			t.Fatalf("error %v with differences %v", err, c.Differences())
		}
	})
}
