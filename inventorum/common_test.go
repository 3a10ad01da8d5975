package inventorum_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/ordertest"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The figure tables and their checks are the ones every Common test
// shares.
type fig = ordertest.Fig

var (
	absent        = ordertest.Absent
	given         = ordertest.Given
	derived       = ordertest.Derived
	assertFigures = ordertest.AssertFigures
)

func pageOrder(t *testing.T, name string) inventorum.Order {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var p struct {
		Data []inventorum.Order `json:"data"`
	}
	require.NoError(t, json.Unmarshal(b, &p))
	require.Len(t, p.Data, 1)
	return p.Data[0]
}

func bodyOrder(t *testing.T, body string) inventorum.Order {
	t.Helper()
	var o inventorum.Order
	require.NoError(t, json.Unmarshal([]byte(body), &o))
	return o
}

type wantLine struct {
	id, productID, sku, name, qty                       string
	unitNet, unitGross, rate, discount, net, tax, gross fig
}

type wantOrder struct {
	id, number                                                           string
	created, completed                                                   time.Time
	status                                                               orderstate.Status
	customer                                                             orderkit.Customer
	lines                                                                []wantLine
	linesGross, linesNet, shipping, discount, net, taxTotal, gross, paid fig
	vat                                                                  [][4]fig // rate, basis, tax, gross
	checks                                                               []string
	notes                                                                int
	errDiff                                                              bool
}

// figures lists the expected figures by orderkit.Order.Figures path; a
// path not listed is expected absent.
func (w wantOrder) figures() map[string]fig {
	m := map[string]fig{
		"totals.lines": w.linesGross, "totals.lines_net": w.linesNet, "totals.shipping": w.shipping,
		"totals.discount": w.discount, "totals.net": w.net, "totals.tax_total": w.taxTotal,
		"totals.gross": w.gross, "totals.paid": w.paid,
	}
	for i, l := range w.lines {
		p := fmt.Sprintf("lines[%d].", i)
		m[p+"unit_net"], m[p+"unit_gross"], m[p+"tax_rate"], m[p+"discount"] = l.unitNet, l.unitGross, l.rate, l.discount
		m[p+"net"], m[p+"tax"], m[p+"gross"] = l.net, l.tax, l.gross
	}
	for i, v := range w.vat {
		p := fmt.Sprintf("totals.tax[%d].", i)
		m[p+"rate"], m[p+"basis"], m[p+"tax"], m[p+"gross"] = v[0], v[1], v[2], v[3]
	}
	return m
}

// clubMateOrder is an order around the list page's item.
const clubMateOrder = `{"id": 1, "state": 360, "amount_paid": "5", "basket": {"items": [{"id": 2, "name": "x", "price": "4.2016806723",
 "product": 3, "quantity": 1, "tax_rate": "19.000", "gross_price": "5.00", "unit_gross_price": "5.00",
 "discount": {"amount": 0.5, "reason": 0, "type": "percent"}}], "discount": {"amount": 1, "reason": 0, "type": "cash"}},
 "shipment": {"cost": "4.90"}}`

// clubMate is the list page's item: 1 × 4.2016806723 net at 19 %, 5.00 gross.
const clubMate = `{"id": 9906372, "name": "00001 Club Mate", "discount": %s, "original_quantity": "1.00",
 "price": "4.2016806723", "product": 5977221, "quantity": 1, "tax_rate": "19.000", "gross_price": "5.00",
 "unit_gross_price": "5.00", "product_code": null}`

func clubMateWith(discount string) string { return strings.Replace(clubMate, "%s", discount, 1) }

func TestCommon(t *testing.T) {
	t.Parallel()
	wobbler := wantLine{
		id: "17311484", productID: "2195273", sku: "72060235", name: "YAD Smart Wobbler 60mm", qty: "10",
		unitNet: given("5.8739495798", "basket.items[0].price"), unitGross: given("6.99", "basket.items[0].unit_gross_price"),
		rate: given("19", "basket.items[0].tax_rate"), discount: absent,
		// 5.8739495798 × 10 = 58.739495798; 69.90 − 58.739495798 = 11.160504202.
		net:   derived("58.739495798", "basket.items[0].price × basket.items[0].quantity"),
		tax:   derived("11.160504202", "basket.items[0].gross_price − net"),
		gross: given("69.9", "basket.items[0].gross_price"),
	}
	mate := wantLine{
		id: "9906372", productID: "5977221", name: "00001 Club Mate", qty: "1",
		unitNet: given("4.2016806723", "basket.items[0].price"), unitGross: given("5", "basket.items[0].unit_gross_price"),
		rate: given("19", "basket.items[0].tax_rate"), discount: absent,
		// 5.00 − 4.2016806723 = 0.7983193277.
		net:   derived("4.2016806723", "basket.items[0].price × basket.items[0].quantity"),
		tax:   derived("0.7983193277", "basket.items[0].gross_price − net"),
		gross: given("5", "basket.items[0].gross_price"),
	}
	mateDiscounted := func(d fig) wantLine { m := mate; m.discount = d; return m }
	paul := &orderkit.Address{Name: "Paul Schmidt", Line1: "Danziger Str 100b", Postal: "10405", City: "Berlin", Country: "DE"}

	tests := []struct {
		name  string
		order inventorum.Order
		want  wantOrder
	}{
		{
			// The delta page's order: completed (360), 69.90 of goods, but
			// amount_paid 138.60. The difference is reported, not hidden.
			name:  "delta.json",
			order: pageOrder(t, "delta.json"),
			want: wantOrder{
				id: "8791312", number: "630",
				created:    time.Date(2017, 12, 12, 14, 49, 22, 0, time.UTC),
				completed:  time.Date(2017, 12, 12, 14, 49, 22, 0, time.UTC),
				status:     orderstate.StatusCompleted,
				lines:      []wantLine{wobbler},
				linesGross: derived("69.9", "sum of basket.items[].gross_price"), linesNet: derived("58.739495798", "sum of the items' net"),
				shipping: absent, discount: absent,
				// Net per rate rounded: 58.74; tax 69.90 − 58.74 = 11.16.
				net: derived("58.74", "sum of the net per rate"), taxTotal: derived("11.16", "sum of the tax per rate"),
				gross: derived("69.9", "sum of gross_price"), paid: given("138.6", "amount_paid"),
				vat: [][4]fig{{given("19", "basket.items[].tax_rate"), derived("58.74", "sum of price × quantity"), derived("11.16", "sum of gross_price at this rate − net"), derived("69.9", "sum of gross_price at this rate")}},
				checks: []string{
					"line 1: unit gross × quantity = gross: 69.90 = 69.90", // 6.99 × 10
					"line 1: net + tax = gross: 69.90 = 69.90",
					"lines + shipping + payment − discount = gross: 69.90 = 69.90",
					"net + tax = gross: 69.90 = 69.90",
					"tax per rate sums to tax total: 11.16 = 11.16",
					"taxed net per rate sums to net: 58.74 = 58.74",
					"paid = gross: 138.60 vs 69.90, difference 68.70",
					"line 1: unit net × (1 + tax rate) = unit gross: 6.99 = 6.99",
					"line 1: original_quantity = quantity: 10.00 = 10.00",
					"payments sum to paid: 138.60 = 138.60",
				},
				errDiff: true,
			},
		},
		{
			// The list page's order: pending, a customer, a pick-up
			// shipment costing "0E-10", paid 5.00.
			name:  "list.json",
			order: pageOrder(t, "list.json"),
			want: wantOrder{
				id: "5011967", number: "",
				created:    time.Date(2017, 1, 25, 12, 15, 8, 0, time.UTC),
				completed:  time.Date(2017, 1, 25, 12, 19, 37, 0, time.UTC),
				status:     orderstate.StatusPending,
				customer:   orderkit.Customer{ID: "408367", Name: "Paul Schmidt", Email: "paulschmidt@inventorum.com", Billing: paul, Shipping: paul},
				lines:      []wantLine{mate},
				linesGross: derived("5", "sum of basket.items[].gross_price"), linesNet: derived("4.2016806723", "sum of the items' net"),
				shipping: given("0", "shipment.cost"), discount: absent,
				// 4.2016806723 → 4.20; 5.00 − 4.20 = 0.80.
				net: derived("4.2", "sum of the net per rate"), taxTotal: derived("0.8", "sum of the tax per rate"),
				gross: derived("5", "sum of gross_price"), paid: given("5", "amount_paid"),
				vat: [][4]fig{{given("19", "basket.items[].tax_rate"), derived("4.2", "sum of price × quantity"), derived("0.8", "sum of gross_price"), derived("5", "sum of gross_price")}},
				checks: []string{
					"line 1: unit gross × quantity = gross: 5.00 = 5.00",
					"line 1: net + tax = gross: 5.00 = 5.00",
					"lines + shipping + payment − discount = gross: 5.00 = 5.00",
					"net + tax = gross: 5.00 = 5.00",
					"tax per rate sums to tax total: 0.80 = 0.80",
					"taxed net per rate sums to net: 4.20 = 4.20",
					"paid = gross: 5.00 = 5.00",
					"line 1: unit net × (1 + tax rate) = unit gross: 5.00 = 5.00",
					"line 1: original_quantity = quantity: 1.00 = 1.00",
					"payments sum to paid: 5.00 = 5.00",
					"state PENDING (waiting for money): paid = 0: 5.00 vs 0.00, difference 5.00",
				},
				// PENDING ("waiting for money"), yet paid in full: the
				// page's own example says two things.
				errDiff: true,
			},
		},
		{
			// Two rates: 2 × 8.4033613445 net at 19 % = 20.00 gross, and
			// 3 × 1.8691588785 net at 7 % = 6.00 gross.
			name: "two tax rates",
			order: bodyOrder(t, `{"id": 1, "state": 360, "amount_paid": "26.00", "basket": {"invoice_number": "R-1", "items": [
			 {"id": 11, "name": "Buch", "price": "8.4033613445", "product": 101, "quantity": 2, "tax_rate": "19.000", "gross_price": "20.00", "unit_gross_price": "10.00", "product_code": "B-1"},
			 {"id": 12, "name": "Brot", "price": "1.8691588785", "product": 102, "quantity": 3, "tax_rate": "7.000", "gross_price": "6.00", "unit_gross_price": "2.00", "product_code": null}]},
			 "time_added": "2024-03-01T10:00:00+01:00", "completed_at": "2024-03-01T10:05:00+01:00"}`),
			want: wantOrder{
				id: "1", number: "R-1",
				created:   time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC),
				completed: time.Date(2024, 3, 1, 9, 5, 0, 0, time.UTC),
				status:    orderstate.StatusCompleted,
				lines: []wantLine{
					{
						id: "11", productID: "101", sku: "B-1", name: "Buch", qty: "2",
						unitNet: given("8.4033613445", "basket.items[0].price"), unitGross: given("10", "basket.items[0].unit_gross_price"),
						rate: given("19", "basket.items[0].tax_rate"), discount: absent,
						net: derived("16.806722689", "basket.items[0].price"), tax: derived("3.193277311", "basket.items[0].gross_price"),
						gross: given("20", "basket.items[0].gross_price"),
					},
					{
						id: "12", productID: "102", name: "Brot", qty: "3",
						unitNet: given("1.8691588785", "basket.items[1].price"), unitGross: given("2", "basket.items[1].unit_gross_price"),
						rate: given("7", "basket.items[1].tax_rate"), discount: absent,
						net: derived("5.6074766355", "basket.items[1].price"), tax: derived("0.3925233645", "basket.items[1].gross_price"),
						gross: given("6", "basket.items[1].gross_price"),
					},
				},
				linesGross: derived("26", "sum of"), linesNet: derived("22.4141993245", "sum of"),
				shipping: absent, discount: absent,
				// 16.81 + 5.61 = 22.42; tax 3.19 + 0.39 = 3.58.
				net: derived("22.42", "sum of the net per rate"), taxTotal: derived("3.58", "sum of the tax per rate"),
				gross: derived("26", "sum of gross_price"), paid: given("26", "amount_paid"),
				vat: [][4]fig{
					{given("19", "basket.items[].tax_rate"), derived("16.81", "sum"), derived("3.19", "sum"), derived("20", "sum")},
					{given("7", "basket.items[].tax_rate"), derived("5.61", "sum"), derived("0.39", "sum"), derived("6", "sum")},
				},
				checks: []string{
					"line 1: unit gross × quantity = gross: 20.00 = 20.00",
					"line 1: net + tax = gross: 20.00 = 20.00",
					"line 2: unit gross × quantity = gross: 6.00 = 6.00",
					"line 2: net + tax = gross: 6.00 = 6.00",
					"lines + shipping + payment − discount = gross: 26.00 = 26.00",
					"net + tax = gross: 26.00 = 26.00",
					"tax per rate sums to tax total: 3.58 = 3.58",
					"taxed net per rate sums to net: 22.42 = 22.42",
					"paid = gross: 26.00 = 26.00",
					"line 1: unit net × (1 + tax rate) = unit gross: 10.00 = 10.00",
					"line 2: unit net × (1 + tax rate) = unit gross: 2.00 = 2.00",
				},
			},
		},
		{
			// A cash basket discount of 1.00 and a shipment of 4.90:
			// 5.00 + 4.90 − 1.00 = 8.90. The page gives no rate for either,
			// so the VAT per rate stays empty.
			name: "cash basket discount and shipment cost",
			order: bodyOrder(t, `{"id": 2, "state": 360, "amount_paid": "8.90", "basket": {"items": [`+clubMateWith("null")+`],
			 "discount": {"amount": 1.0, "reason": 0, "type": "cash"}},
			 "shipment": {"id": 3, "name": "DHL", "cost": "4.90"}, "time_added": "2024-03-01T09:00:00Z", "completed_at": null}`),
			want: wantOrder{
				id: "2", created: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), status: orderstate.StatusCompleted,
				lines:      []wantLine{mate},
				linesGross: derived("5", "sum of"), linesNet: derived("4.2016806723", "sum of"),
				shipping: given("4.9", "shipment.cost"), discount: derived("1", "item and basket discounts"),
				net: absent, taxTotal: absent,
				gross: derived("8.9", "sum of gross_price + shipment.cost − discounts"), paid: given("8.9", "amount_paid"),
				checks: []string{
					"line 1: unit gross × quantity = gross: 5.00 = 5.00",
					"line 1: net + tax = gross: 5.00 = 5.00",
					"lines + shipping + payment − discount = gross: 8.90 = 8.90",
					"paid = gross: 8.90 = 8.90",
					"line 1: unit net × (1 + tax rate) = unit gross: 5.00 = 5.00",
					"line 1: original_quantity = quantity: 1.00 = 1.00",
				},
				notes: 1,
			},
		},
		{
			// A percent item discount of 0.5 (= 50 %) of 5.00 gross is 2.50.
			name: "percent item discount",
			order: bodyOrder(t, `{"id": 4, "state": 2, "amount_paid": "0", "basket": {"items": [`+
				clubMateWith(`{"amount": 0.5, "reason": 1, "type": "percent"}`)+`]}, "time_added": "2024-03-01T09:00:00Z"}`),
			want: wantOrder{
				id: "4", created: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), status: orderstate.StatusPending,
				lines:      []wantLine{mateDiscounted(derived("2.5", "basket.items[0].discount.amount × gross"))},
				linesGross: derived("5", "sum of"), linesNet: derived("4.2016806723", "sum of"),
				shipping: absent, discount: derived("2.5", "item and basket discounts"),
				net: absent, taxTotal: absent,
				gross: derived("2.5", "sum of gross_price + shipment.cost − discounts"), paid: given("0", "amount_paid"),
				checks: []string{
					"line 1: unit gross × quantity = gross: 5.00 = 5.00",
					"line 1: net + tax = gross: 5.00 = 5.00",
					"lines + shipping + payment − discount = gross: 2.50 = 2.50",
					"line 1: unit net × (1 + tax rate) = unit gross: 5.00 = 5.00",
					"line 1: original_quantity = quantity: 1.00 = 1.00",
					"state PENDING (waiting for money): paid = 0: 0.00 = 0.00",
				},
				notes: 1,
			},
		},
		{
			// A discount without a type cannot be read: gross stays empty
			// and the checks that need it are skipped.
			name: "discount without a type",
			order: bodyOrder(t, `{"id": 5, "state": 360, "amount_paid": "4.00", "basket": {"items": [`+
				clubMateWith(`{"amount": 1, "reason": 0}`)+`]}, "time_added": "2024-03-01T09:00:00Z"}`),
			want: wantOrder{
				id: "5", created: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), status: orderstate.StatusCompleted,
				lines:      []wantLine{mateDiscounted(absent)},
				linesGross: derived("5", "sum of"), linesNet: derived("4.2016806723", "sum of"),
				shipping: absent, discount: absent, net: absent, taxTotal: absent, gross: absent,
				paid: given("4", "amount_paid"),
				checks: []string{
					"line 1: unit gross × quantity = gross: 5.00 = 5.00",
					"line 1: net + tax = gross: 5.00 = 5.00",
					"lines + shipping + payment − discount = gross: skipped, no gross",
					"paid = gross: skipped, no gross",
					"line 1: unit net × (1 + tax rate) = unit gross: 5.00 = 5.00",
					"line 1: original_quantity = quantity: 1.00 = 1.00",
				},
				notes: 2,
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
			if w.errDiff {
				assert.Contains(t, err.Error(), "inventorum order "+w.id)
			}
			assert.Equal(t, orderkit.APIInventorum, c.API)
			assert.Equal(t, w.id, c.ID)
			assert.Equal(t, w.number, c.Number)
			assert.Equal(t, w.created, c.Created)
			assert.Equal(t, w.completed, c.Completed)
			assert.Equal(t, w.status, c.Status)
			assert.Equal(t, o.State.String(), c.VendorStatus)
			assert.Empty(t, c.Currency, "Inventorum names no currency")
			assert.Equal(t, w.customer, c.Customer)
			assert.Same(t, &o, c.Vendor.(*inventorum.Order))

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

// TestCommonDiscountInGross: the page does not say whether gross_price
// already has the item discount in it. Read as before it, a gross_price
// that is unit_gross_price × quantity less the discount is reported on its
// line, not only as paid ≠ gross: 2 × 5.00 = 10.00, but gross_price 9.00.
func TestCommonDiscountInGross(t *testing.T) {
	t.Parallel()
	o := bodyOrder(t, `{"id": 6, "state": 360, "amount_paid": "9.00", "basket": {"items": [{"id": 2, "name": "x",
	 "price": "4.2016806723", "product": 3, "quantity": 2, "tax_rate": "19.000", "gross_price": "9.00", "unit_gross_price": "5.00",
	 "discount": {"amount": 1, "reason": 0, "type": "cash"}}]}}`)
	c, err := o.Common()
	require.ErrorIs(t, err, orderkit.ErrNotReconciled)
	var diffs []string
	for _, d := range c.Differences() {
		diffs = append(diffs, d.String())
	}
	assert.Equal(t, []string{
		"line 1: unit gross × quantity = gross: 10.00 vs 9.00, difference 1.00",
		"paid = gross: 9.00 vs 8.00, difference 1.00",
	}, diffs)
}

// FuzzCommon: whatever order decodes, converting it never panics and its
// checks are consistent with its error.
func FuzzCommon(f *testing.F) {
	f.Add([]byte(clubMateOrder))
	f.Add([]byte(`{"items": [{"price": "1e40", "quantity": 3, "tax_rate": "-100"}], "total": "-0.005"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var o inventorum.Order
		if json.Unmarshal(b, &o) != nil {
			return
		}
		c, err := o.Common()
		if (err != nil) != (len(c.Differences()) > 0) {
			t.Fatalf("error %v with differences %v", err, c.Differences())
		}
	})
}

// Every difference is reported, not the first: a unit gross that is not
// the unit net with its tax, an original quantity other than the
// quantity, payments that do not add up to amount_paid, and a paid total
// other than the gross, all in one error.
func TestCommonReportsEveryDifference(t *testing.T) {
	t.Parallel()
	o := bodyOrder(t, `{"id": 7, "state": 360, "amount_paid": "30.00", "basket": {"items": [
	 {"id": 1, "price": "8.4033613445", "product": 101, "quantity": 2, "original_quantity": "3.00", "tax_rate": "19.000", "gross_price": "21.00", "unit_gross_price": "10.50"}]},
	 "payments": [{"id": 1, "payment_method": "0", "payment_amount": "20.00"}],
	 "time_added": "2024-03-01T10:00:00+01:00", "completed_at": "2024-03-01T10:05:00+01:00"}`)
	_, err := o.Common()
	require.ErrorIs(t, err, orderkit.ErrNotReconciled)
	var re *orderkit.ReconciliationError
	require.ErrorAs(t, err, &re)
	var names []string
	for _, d := range re.Differences {
		names = append(names, d.String())
	}
	assert.Equal(t, []string{
		"paid = gross: 30.00 vs 21.00, difference 9.00",
		"line 1: unit net × (1 + tax rate) = unit gross: 10.00 vs 10.50, difference -0.50",
		"line 1: original_quantity = quantity: 3.00 vs 2.00, difference 1.00",
		"payments sum to paid: 20.00 vs 30.00, difference -10.00",
	}, names)
}
