package attivita_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/internal/ordertest"
	"github.com/orderkit/orderkit/orderstate"
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

type wantLine struct {
	productID, name, qty                         string
	unitNet, unitGross, rate, net, tax, grossFig fig
}

type wantOrder struct {
	id, number                                       string
	created                                          time.Time
	status                                           orderstate.Status
	customer                                         string
	lines                                            []wantLine
	linesNet, net, taxTotal, gross, discountIncluded fig
	vatFigs                                          [][4]fig // rate, basis, tax, gross
	checks                                           []string // Check.String of every check, in order
	notes                                            int
	errDiff                                          bool
}

// figures lists the expected figures by orderkit.Order.Figures path; a
// path not listed is expected absent.
func (w wantOrder) figures() map[string]fig {
	m := map[string]fig{
		"totals.lines_net": w.linesNet, "totals.discount_included": w.discountIncluded, "totals.net": w.net,
		"totals.tax_total": w.taxTotal, "totals.gross": w.gross,
	}
	for i, l := range w.lines {
		p := fmt.Sprintf("lines[%d].", i)
		m[p+"unit_net"], m[p+"unit_gross"], m[p+"tax_rate"] = l.unitNet, l.unitGross, l.rate
		m[p+"net"], m[p+"tax"], m[p+"gross"] = l.net, l.tax, l.grossFig
	}
	for i, v := range w.vatFigs {
		p := fmt.Sprintf("totals.tax[%d].", i)
		m[p+"rate"], m[p+"basis"], m[p+"tax"], m[p+"gross"] = v[0], v[1], v[2], v[3]
	}
	return m
}

func readOrder(t *testing.T, name string) attivita.Order {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	if strings.HasPrefix(strings.TrimSpace(string(b)), "[") {
		var list []attivita.Order
		require.NoError(t, json.Unmarshal(b, &list))
		require.Len(t, list, 1)
		return list[0]
	}
	var o attivita.Order
	require.NoError(t, json.Unmarshal(b, &o))
	return o
}

func parse(t *testing.T, body string) attivita.Order {
	t.Helper()
	var o attivita.Order
	require.NoError(t, json.Unmarshal([]byte(body), &o))
	return o
}

// germanOrder is an order as the page's rule makes it for a German
// customer: "19 % VAT is automatically added to the order total". Two lines:
// 3 × 0.99 = 2.97 and 1 × 10.01; subTotal 12.98; 19 % of it is 2.4662,
// rounded 2.47; grandTotal 15.45.
const germanOrder = `{"orderNumber": 2001, "orderDate": "2024-03-01T08:00:00Z", "status": "completed",
 "items": [
  {"product": {"displayName": "Antivirus 1 Jahr", "_id": "a1"}, "quantity": 3, "price": 0.99, "subtotal": 2.97, "licenses": []},
  {"product": {"displayName": "Office", "_id": "a2"}, "quantity": 1, "price": 10.01, "subtotal": 10.01, "licenses": []}],
 "subTotal": 12.98, "discountTotal": 0, "grandTotal": 15.45}`

// exampleOrder is what Common makes of the page's example orders (1001
// listed, 1002 answered to a create): 2 × 89.99, subTotal 179.98,
// discountTotal 20.00, grandTotal 179.98. lineNet is how the line's net
// came; lineChecks the line's own checks.
func exampleOrder(id string, created time.Time, customer string, lineNet fig, lineChecks ...string) wantOrder {
	return wantOrder{
		id: id, number: id, created: created, status: orderstate.StatusCompleted, customer: customer,
		lines: []wantLine{{
			productID: "507f1f77bcf86cd799439011", name: "Microsoft Office 2021 Home & Business", qty: "2",
			unitNet: given("89.99", "items[0].price"), unitGross: absent, rate: absent, net: lineNet, tax: absent, grossFig: absent,
		}},
		linesNet: derived("179.98", "sum of the items' net"), net: derived("159.98", "subTotal − discountTotal"),
		taxTotal: derived("20", "grandTotal − net"), gross: given("179.98", "grandTotal"),
		discountIncluded: given("20", "discountTotal"),
		vatFigs:          [][4]fig{{absent, derived("159.98", "subTotal − discountTotal"), derived("20", "grandTotal − net"), given("179.98", "grandTotal")}},
		checks: append(lineChecks,
			"lines + shipping + payment − discount = gross: skipped, no lines total",
			"net + tax = gross: 179.98 = 179.98",
			"tax per rate sums to tax total: 20.00 = 20.00",
			"taxed net per rate sums to net: 159.98 = 159.98",
			"subTotal − discountTotal = sum of the items' net: 159.98 vs 179.98, difference -20.00",
			"VAT added = 19 % of the net (German customers): 20.00 vs 30.40, difference -10.40",
		),
		notes: 2, errDiff: true,
	}
}

func TestCommon(t *testing.T) {
	t.Parallel()
	office := "Microsoft Office 2021 Home & Business"
	// The page's examples: 2 × 89.99 = 179.98 = subTotal = grandTotal, so
	// no VAT was added (rate 0, derived); discountTotal 20.00 is already in
	// the price ("price ... after discounts") and is not deducted again.
	// givenNet: the item sends its subtotal, checked against price × quantity.
	noVATChecks := func(n string, givenNet bool) []string {
		out := []string{"line 1: unit gross × quantity = gross: " + n + " = " + n}
		if givenNet {
			out = append(out, "line 1: unit net × quantity = net: "+n+" = "+n)
		}
		return append(out,
			"line 1: net + tax = gross: "+n+" = "+n,
			"lines + shipping + payment − discount = gross: "+n+" = "+n,
			"net + tax = gross: "+n+" = "+n,
			"tax per rate sums to tax total: 0.00 = 0.00",
			"taxed net per rate sums to net: "+n+" = "+n,
			"subTotal − discountTotal = sum of the items' net: "+n+" = "+n,
		)
	}
	noVATLine := func(qty, net string, netFig fig) wantLine {
		return wantLine{
			productID: "507f1f77bcf86cd799439011", name: office, qty: qty,
			unitNet: given("89.99", "items[0].price"), unitGross: derived("89.99", "price + VAT"),
			rate: derived("0", "grandTotal = net"), net: netFig,
			tax: derived("0", "net × VAT rate"), grossFig: derived(net, "net + tax"),
		}
	}
	noVAT := func(sub string) [][4]fig {
		return [][4]fig{{derived("0", "grandTotal = net"), given(sub, "subTotal"), derived("0", "grandTotal − net"), given(sub, "grandTotal")}}
	}
	tests := []struct {
		name  string
		order attivita.Order
		want  wantOrder
	}{
		// The page's examples, read as the page defines each field:
		// subTotal 179.98 is the total before discounts, discountTotal
		// 20.00 the discount, so the order's net is 159.98; but the lines
		// (price after discounts) come to 2 × 89.99 = 179.98, and
		// grandTotal 179.98 adds 20.00, neither 0 nor 19 % (30.40). Both
		// differences are reported.
		{
			name:  "orders.json (list)",
			order: readOrder(t, "orders.json"),
			want: exampleOrder("1001", time.Date(2023, 5, 1, 10, 0, 0, 0, time.UTC), "", given("179.98", "items[0].subtotal"),
				"line 1: unit net × quantity = net: 179.98 = 179.98"),
		},
		{
			name:  "create_order_response.json",
			order: readOrder(t, "create_order_response.json"),
			// No item subtotal in the create answer: 89.99 × 2 = 179.98.
			want: exampleOrder("1002", time.Date(2023, 5, 2, 11, 0, 0, 0, time.UTC), "7", derived("179.98", "items[0].price × items[0].quantity")),
		},
		{
			name:  "sandbox_order.json",
			order: readOrder(t, "sandbox_order.json"),
			want: wantOrder{
				id: "1003", number: "1003", created: time.Date(2023, 5, 3, 9, 30, 0, 0, time.UTC), status: orderstate.StatusCompleted,
				customer: "7",
				lines:    []wantLine{noVATLine("1", "89.99", derived("89.99", "items[0].price × items[0].quantity"))},
				linesNet: derived("89.99", "sum of the items' net"), net: given("89.99", "subTotal"),
				taxTotal: derived("0", "grandTotal − net"), gross: given("89.99", "grandTotal"),
				discountIncluded: given("0", "discountTotal"),
				vatFigs:          noVAT("89.99"),
				checks:           noVATChecks("89.99", false),
			},
		},
		{
			name:  "bundle_order.json (items only, no totals)",
			order: readOrder(t, "bundle_order.json"),
			want: wantOrder{
				id: "0", number: "0", status: orderstate.StatusUnknown,
				lines: []wantLine{{
					productID: "60d5ec49f1b2c72d9c8b4567", name: "Office + Antivirus Bundle", qty: "1",
					unitNet: given("129.99", "items[0].price"), unitGross: absent, rate: absent,
					net: derived("129.99", "items[0].price × items[0].quantity"), tax: absent, grossFig: absent,
				}},
				linesNet: derived("129.99", "sum of the items' net"), net: absent, taxTotal: absent, gross: absent,
				discountIncluded: absent,
				checks:           []string{"lines + shipping + payment − discount = gross: skipped, no lines total"},
				notes:            1,
			},
		},
		{
			name:  "German customer: 19 % added to the total",
			order: parse(t, germanOrder),
			want: wantOrder{
				id: "2001", number: "2001", created: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), status: orderstate.StatusCompleted,
				lines: []wantLine{
					{
						productID: "a1", name: "Antivirus 1 Jahr", qty: "3",
						// 0.99 × 1.19 = 1.1781; 2.97 × 0.19 = 0.5643; 2.97 + 0.5643 = 3.5343.
						unitNet: given("0.99", "items[0].price"), unitGross: derived("1.1781", "price + VAT"),
						rate: derived("19", "grandTotal − net = 19 %"), net: given("2.97", "items[0].subtotal"),
						tax: derived("0.5643", "net × VAT rate"), grossFig: derived("3.5343", "net + tax"),
					},
					{
						productID: "a2", name: "Office", qty: "1",
						// 10.01 × 1.19 = 11.9119; 10.01 × 0.19 = 1.9019.
						unitNet: given("10.01", "items[1].price"), unitGross: derived("11.9119", "price + VAT"),
						rate: derived("19", "grandTotal − net = 19 %"), net: given("10.01", "items[1].subtotal"),
						tax: derived("1.9019", "net × VAT rate"), grossFig: derived("11.9119", "net + tax"),
					},
				},
				linesNet: derived("12.98", "sum of the items' net"), net: given("12.98", "subTotal"),
				taxTotal: derived("2.47", "grandTotal − net"), gross: given("15.45", "grandTotal"),
				discountIncluded: given("0", "discountTotal"),
				vatFigs:          [][4]fig{{derived("19", "grandTotal − net = 19 %"), given("12.98", "subTotal"), derived("2.47", "grandTotal − net"), given("15.45", "grandTotal")}},
				checks: []string{
					"line 1: unit gross × quantity = gross: 3.53 = 3.53", // 1.1781 × 3 = 3.5343
					"line 1: unit net × quantity = net: 2.97 = 2.97",
					"line 1: net + tax = gross: 3.53 = 3.53",
					"line 2: unit gross × quantity = gross: 11.91 = 11.91",
					"line 2: unit net × quantity = net: 10.01 = 10.01",
					"line 2: net + tax = gross: 11.91 = 11.91",
					// 3.5343 + 11.9119 = 15.4462, to the cent 15.45.
					"lines + shipping + payment − discount = gross: 15.45 = 15.45",
					"net + tax = gross: 15.45 = 15.45",
					"tax per rate sums to tax total: 2.47 = 2.47",
					"taxed net per rate sums to net: 12.98 = 12.98",
					"subTotal − discountTotal = sum of the items' net: 12.98 = 12.98",
					"VAT added = 19 % of the net (German customers): 2.47 = 2.47",
				},
			},
		},
		{
			// subTotal, the total before discounts, less discountTotal is
			// the lines' 179.98; grandTotal then adds 20.00, neither 0 nor
			// 19 % (34.20): reported.
			name: "subTotal before a discount, VAT that is not 19 %",
			order: parse(t, `{"orderNumber": 2002, "orderDate": "2024-03-01T09:00:00Z", "status": "completed",
			 "items": [{"product": {"displayName": "Office", "_id": "x"}, "quantity": 2, "price": 89.99, "subtotal": 179.98}],
			 "subTotal": 199.98, "discountTotal": 20.00, "grandTotal": 199.98}`),
			want: wantOrder{
				id: "2002", number: "2002", created: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), status: orderstate.StatusCompleted,
				lines: []wantLine{{
					productID: "x", name: "Office", qty: "2",
					unitNet: given("89.99", "items[0].price"), unitGross: absent, rate: absent,
					net: given("179.98", "items[0].subtotal"), tax: absent, grossFig: absent,
				}},
				linesNet: derived("179.98", "sum of the items' net"), net: derived("179.98", "subTotal − discountTotal"),
				taxTotal: derived("20", "grandTotal − net"), gross: given("199.98", "grandTotal"),
				discountIncluded: given("20", "discountTotal"),
				vatFigs:          [][4]fig{{absent, derived("179.98", "subTotal − discountTotal"), derived("20", "grandTotal − net"), given("199.98", "grandTotal")}},
				checks: []string{
					"line 1: unit net × quantity = net: 179.98 = 179.98",
					"lines + shipping + payment − discount = gross: skipped, no lines total",
					"net + tax = gross: 199.98 = 199.98",
					"tax per rate sums to tax total: 20.00 = 20.00",
					"taxed net per rate sums to net: 179.98 = 179.98",
					"subTotal − discountTotal = sum of the items' net: 179.98 = 179.98",
					"VAT added = 19 % of the net (German customers): 20.00 vs 34.20, difference -14.20",
				},
				notes: 2, errDiff: true,
			},
		},
		{
			// 20.02 added is neither 0 nor 19 % of 179.98 (34.20): the rate
			// stays empty and the difference is reported.
			name: "VAT that is not 19 %",
			order: parse(t, `{"orderNumber": 2003, "orderDate": "2024-03-01T10:00:00Z", "status": "pending",
			 "items": [{"product": {"displayName": "Office", "_id": "x"}, "quantity": 2, "price": 89.99}],
			 "subTotal": 179.98, "grandTotal": 200.00}`),
			want: wantOrder{
				id: "2003", number: "2003", created: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), status: orderstate.StatusPending,
				lines: []wantLine{{
					productID: "x", name: "Office", qty: "2",
					unitNet: given("89.99", "items[0].price"), unitGross: absent, rate: absent,
					net: derived("179.98", "items[0].price × items[0].quantity"), tax: absent, grossFig: absent,
				}},
				linesNet: derived("179.98", "sum of the items' net"), net: given("179.98", "subTotal"),
				taxTotal: derived("20.02", "grandTotal − net"), gross: given("200", "grandTotal"),
				discountIncluded: absent,
				vatFigs:          [][4]fig{{absent, given("179.98", "subTotal"), derived("20.02", "grandTotal − net"), given("200", "grandTotal")}},
				checks: []string{
					"lines + shipping + payment − discount = gross: skipped, no lines total",
					"net + tax = gross: 200.00 = 200.00",
					"tax per rate sums to tax total: 20.02 = 20.02",
					"taxed net per rate sums to net: 179.98 = 179.98",
					"subTotal − discountTotal = sum of the items' net: 179.98 = 179.98",
					"VAT added = 19 % of the net (German customers): 20.02 vs 34.20, difference -14.18",
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
			assert.Equal(t, orderkit.APIAttivita, c.API)
			assert.Equal(t, w.id, c.ID)
			assert.Equal(t, w.number, c.Number)
			assert.Equal(t, w.created, c.Created)
			assert.True(t, c.Completed.IsZero(), "Attivita sends no completion time")
			assert.Equal(t, w.status, c.Status)
			assert.Equal(t, string(o.Status), c.VendorStatus)
			assert.Empty(t, c.Currency, "Attivita names no currency")
			assert.Equal(t, orderkit.Absent, c.CurrencySource)
			assert.Equal(t, orderkit.Customer{ID: w.customer}, c.Customer)
			assert.Same(t, &o, c.Vendor.(*attivita.Order))

			require.Len(t, c.Lines, len(w.lines))
			for i, wl := range w.lines {
				l := c.Lines[i]
				assert.Equal(t, wl.productID, l.ProductID)
				assert.Equal(t, wl.name, l.Name)
				assert.Equal(t, wl.qty, strconv.Itoa(l.Quantity))
				assert.Empty(t, l.SKU)
			}
			require.Len(t, c.Totals.Tax, len(w.vatFigs))
			assertFigures(t, &c, w.figures())
			ordertest.AssertChecks(t, &c, w.checks, w.notes)
		})
	}
}

func TestCommonDerivedPaths(t *testing.T) {
	t.Parallel()
	o := parse(t, germanOrder)
	c, err := o.Common()
	require.NoError(t, err)
	assert.Equal(t, []string{
		"lines[0].unit_gross", "lines[0].tax_rate", "lines[0].tax", "lines[0].gross",
		"lines[1].unit_gross", "lines[1].tax_rate", "lines[1].tax", "lines[1].gross",
		"totals.lines_net", "totals.tax[0].rate", "totals.tax[0].tax", "totals.tax_total",
	}, c.Derived())
}

// TestCommonSubtotalNotPriceTimesQuantity: an item subtotal that is not
// price × quantity is a difference, also on an order without totals where
// no VAT rate gives line gross figures to compare (2 × 10.00 ≠ 25.00).
func TestCommonSubtotalNotPriceTimesQuantity(t *testing.T) {
	t.Parallel()
	o := parse(t, `{"orderNumber": 3001, "status": "completed", "items": [
	 {"product": {"displayName": "Office", "_id": "a2"}, "quantity": 2, "price": 10.00, "subtotal": 25.00, "licenses": []}]}`)
	c, err := o.Common()
	require.ErrorIs(t, err, orderkit.ErrNotReconciled)
	require.Len(t, c.Differences(), 1)
	assert.Equal(t, "line 1: unit net × quantity = net: 20.00 vs 25.00, difference -5.00", c.Differences()[0].String())
}

// FuzzCommon: whatever order decodes, converting it never panics and its
// checks are consistent with its error.
func FuzzCommon(f *testing.F) {
	for _, name := range []string{"create_order_response.json", "sandbox_order.json", "bundle_order.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// Attivita's own fields at their edges (the seed used to carry another
	// API's tax_rate and total, which an Attivita order ignores).
	f.Add([]byte(`{"items": [{"price": "1e40", "quantity": 3, "subtotal": "-0.005"}], "subTotal": "-0.005", "grandTotal": "1e40", "discountTotal": "-1"}`))
	f.Add([]byte(`{"items": [{"price": 0.99, "quantity": 3}, {"price": "0E-10", "quantity": "2"}], "subTotal": 2.97, "grandTotal": 3.5343}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var o attivita.Order
		if json.Unmarshal(b, &o) != nil {
			return
		}
		c, err := o.Common()
		if (err != nil) != (len(c.Differences()) > 0) {
			t.Fatalf("error %v with differences %v", err, c.Differences())
		}
	})
}

// Common turns an Attivita order into the common order: the VAT the API
// added for a German customer is derived by the page's 19 % rule and marked.
func ExampleOrder_Common() {
	var o attivita.Order
	if err := json.Unmarshal([]byte(germanOrder), &o); err != nil {
		panic(err)
	}
	c, err := o.Common()
	if err != nil {
		panic(err)
	}
	vat := c.Totals.Tax[0]
	fmt.Println(vat.Rate.Amount, vat.Rate.Source, "—", vat.Rate.From)
	fmt.Println(vat.Basis.Amount, vat.Basis.Source, vat.Basis.From)
	fmt.Println(vat.Tax.Amount, vat.Tax.Source, vat.Tax.From)
	fmt.Println(c.Totals.Gross.Amount.FormatDE("€"), c.Err() == nil)
	// Output:
	// 19 derived — grandTotal − net = 19 % of net (Attivita: German customers)
	// 12.98 given subTotal
	// 2.47 derived grandTotal − net (VAT added to the order total)
	// 15,45 € true
}
