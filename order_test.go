package orderkit_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

func g(s, field string) orderkit.Figure { return orderkit.GivenFigure(money.MustParse(s), field) }
func d(s, rule string) orderkit.Figure  { return orderkit.DerivedFigure(money.MustParse(s), rule) }

func checkStrings(o *orderkit.Order) []string {
	var out []string
	for _, c := range o.Checks {
		out = append(out, c.String())
	}
	return out
}

func TestSourceAndFigure(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "absent", orderkit.Absent.String())
	assert.Equal(t, "given", orderkit.Given.String())
	assert.Equal(t, "derived", orderkit.Derived.String())
	assert.Equal(t, "Source(9)", orderkit.Source(9).String())

	var none orderkit.Figure
	assert.False(t, none.Known())
	assert.False(t, none.IsDerived())
	assert.Equal(t, "", none.String(), "an absent figure prints empty, never 0")

	f := g("5.8739495798", "price")
	assert.True(t, f.Known())
	assert.False(t, f.IsDerived())
	assert.Equal(t, "5.8739495798", f.String())
	assert.Equal(t, "price", f.From)

	f = d("0", "rule")
	assert.True(t, f.Known())
	assert.True(t, f.IsDerived())
	assert.Equal(t, "0", f.String(), "a derived zero is a figure")
	assert.Equal(t, "attivita", orderkit.APIAttivita.String())
}

func TestCheck(t *testing.T) {
	t.Parallel()
	skipped := orderkit.Check{Name: "paid = gross", Missing: "gross"}
	assert.True(t, skipped.Skipped())
	assert.False(t, skipped.OK())
	assert.Equal(t, "paid = gross: skipped, no gross", skipped.String())

	var o orderkit.Order
	o.AddCheck("a = b", g("1.005", "a"), g("1.01", "b"), "a", "b") // 1.005 rounds half away to 1.01
	o.AddCheck("a = c", g("1.004", "a"), g("1.01", "c"), "a", "c") // 1.00 vs 1.01
	o.AddCheck("a = x", g("1", "a"), orderkit.Figure{}, "a", "x")  // x absent
	o.AddCheck("y = a", orderkit.Figure{}, g("1", "a"), "y", "a")  // y absent
	assert.Equal(t, []string{
		"a = b: 1.01 = 1.01",
		"a = c: 1.00 vs 1.01, difference -0.01",
		"a = x: skipped, no x",
		"y = a: skipped, no y",
	}, checkStrings(&o))
	require.Len(t, o.Differences(), 1)
	assert.Equal(t, "-0.01", o.Differences()[0].Difference.StringFixed(2))
	assert.True(t, o.Checks[0].OK())
	assert.False(t, o.Checks[1].OK())
}

// shop is a consistent order, worked out by hand: 2 × 10.00 gross at 19 %
// plus 4.90 shipping and 0.50 payment less 2.00 discount = 23.40 gross;
// tax 23.40 × 19 / 119 = 3.7361 → 3.74; net 19.66.
func shop() orderkit.Order {
	return orderkit.Order{
		API: orderkit.APIVersaCommerce, ID: "7", Status: orderstate.StatusCompleted,
		Lines: []orderkit.Line{{
			Quantity: 2, UnitGross: g("10.00", "price"), Gross: d("20.00", "price × quantity"),
			Net: d("16.81", "rule"), Tax: d("3.19", "rule"),
		}},
		Totals: orderkit.Totals{
			Lines: g("20.00", "item_total"), Shipping: g("4.90", "shipping_cost"), Payment: g("0.50", "payment_cost"),
			Discount: g("2.00", "discount_total"), Net: d("19.66", "total − tax"), TaxTotal: d("3.74", "sum"),
			Gross: g("23.40", "total"), Paid: g("23.40", "paid"),
			Tax: []orderkit.TaxSubtotal{{Rate: g("19", "rate"), Basis: d("19.66", "rule"), Tax: g("3.74", "tax"), Gross: g("23.40", "gross")}},
		},
	}
}

func TestReconcile(t *testing.T) {
	t.Parallel()
	t.Run("adds up", func(t *testing.T) {
		t.Parallel()
		o := shop()
		require.NoError(t, o.Reconcile())
		assert.Equal(t, []string{
			"line 1: unit gross × quantity = gross: 20.00 = 20.00",
			"line 1: net + tax = gross: 20.00 = 20.00",
			"sum of line gross = lines total: 20.00 = 20.00",
			"lines + shipping + payment − discount = gross: 23.40 = 23.40", // 20 + 4.90 + 0.50 − 2.00
			"net + tax = gross: 23.40 = 23.40",
			"tax per rate sums to tax total: 3.74 = 3.74",
			"taxed net per rate sums to net: 19.66 = 19.66",
			"paid = gross: 23.40 = 23.40",
		}, checkStrings(&o))
		assert.Empty(t, o.Differences())
		// Reconcile replaces its checks rather than adding to them.
		require.NoError(t, o.Reconcile())
		assert.Len(t, o.Checks, 8)
	})
	t.Run("every difference is reported", func(t *testing.T) {
		t.Parallel()
		o := shop()
		o.Totals.Gross = g("23.50", "total")   // 0.10 more than its parts
		o.Totals.Tax[0].Tax = g("3.75", "tax") // one cent more than the total tax
		o.Lines[0].Tax = d("3.18", "rule")     // net + tax is 19.99
		o.Totals.Paid = g("0", "paid")         // completed but nothing paid
		err := o.Reconcile()
		require.Error(t, err)
		assert.True(t, errors.Is(err, orderkit.ErrNotReconciled))
		var re *orderkit.ReconciliationError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, orderkit.APIVersaCommerce, re.API)
		assert.Equal(t, "7", re.ID)
		var diffs []string
		for _, c := range re.Differences {
			diffs = append(diffs, c.String())
		}
		assert.Equal(t, []string{
			"line 1: net + tax = gross: 19.99 vs 20.00, difference -0.01",
			"lines + shipping + payment − discount = gross: 23.40 vs 23.50, difference -0.10",
			"net + tax = gross: 23.40 vs 23.50, difference -0.10",
			"tax per rate sums to tax total: 3.75 vs 3.74, difference 0.01",
			"paid = gross: 0.00 vs 23.50, difference -23.50",
		}, diffs)
		assert.Equal(t, "orderkit: versacommerce order 7 does not add up: "+
			"line 1: net + tax = gross: 19.99 vs 20.00, difference -0.01; "+
			"lines + shipping + payment − discount = gross: 23.40 vs 23.50, difference -0.10; "+
			"net + tax = gross: 23.40 vs 23.50, difference -0.10; "+
			"tax per rate sums to tax total: 3.75 vs 3.74, difference 0.01; "+
			"paid = gross: 0.00 vs 23.50, difference -23.50", err.Error())
	})
	t.Run("a line's extra charge is part of its gross", func(t *testing.T) {
		t.Parallel()
		o := orderkit.Order{Lines: []orderkit.Line{{
			Quantity: 2, UnitGross: g("5.00", "price"), Extra: g("0.50", "extra_price"), Gross: d("10.50", "rule"),
		}}}
		require.NoError(t, o.Reconcile())
		assert.Contains(t, checkStrings(&o), "line 1: unit gross × quantity + extra = gross: 10.50 = 10.50")
		o.Lines[0].Gross = d("10.60", "rule")
		require.Error(t, o.Reconcile())
		assert.Contains(t, checkStrings(&o), "line 1: unit gross × quantity + extra = gross: 10.50 vs 10.60, difference -0.10")
	})
	t.Run("a given net is checked against unit net × quantity, a derived one is not", func(t *testing.T) {
		t.Parallel()
		o := orderkit.Order{Lines: []orderkit.Line{
			{Quantity: 3, UnitNet: g("0.99", "price"), Net: g("2.98", "subtotal")},
			{Quantity: 3, UnitNet: g("0.99", "price"), Net: d("2.97", "price × quantity")},
		}}
		err := o.Reconcile()
		require.Error(t, err)
		assert.Equal(t, []string{
			"line 1: unit net × quantity = net: 2.97 vs 2.98, difference -0.01",
			"lines + shipping + payment − discount = gross: skipped, no lines total",
		}, checkStrings(&o))
	})
	t.Run("nothing to check", func(t *testing.T) {
		t.Parallel()
		o := orderkit.Order{Lines: []orderkit.Line{{Quantity: 1}}}
		require.NoError(t, o.Reconcile())
		assert.Equal(t, []string{"lines + shipping + payment − discount = gross: skipped, no lines total"}, checkStrings(&o))
	})
	t.Run("absent terms count as zero, lines summed when no lines total", func(t *testing.T) {
		t.Parallel()
		o := orderkit.Order{
			Lines:  []orderkit.Line{{Quantity: 1, Gross: g("5.00", "a")}, {Quantity: 1, Gross: g("2.50", "b")}},
			Totals: orderkit.Totals{Gross: g("7.50", "total")},
		}
		require.NoError(t, o.Reconcile())
		assert.Equal(t, []string{"lines + shipping + payment − discount = gross: 7.50 = 7.50"}, checkStrings(&o))
	})
	t.Run("a zero paid on an open order is not checked", func(t *testing.T) {
		t.Parallel()
		o := orderkit.Order{Status: orderstate.StatusPending, Totals: orderkit.Totals{Paid: g("0", "paid"), Gross: g("5", "gross")}}
		require.NoError(t, o.Reconcile())
		assert.Equal(t, []string{"lines + shipping + payment − discount = gross: skipped, no lines total"}, checkStrings(&o))
	})
	t.Run("net without tax total", func(t *testing.T) {
		t.Parallel()
		o := orderkit.Order{Totals: orderkit.Totals{Net: g("5", "net"), Gross: g("5", "gross")}}
		require.NoError(t, o.Reconcile())
		assert.Contains(t, checkStrings(&o), "net + tax = gross: skipped, no tax total")
	})
}

func TestDerived(t *testing.T) {
	t.Parallel()
	o := shop()
	assert.Equal(t, []string{
		"lines[0].net", "lines[0].tax", "lines[0].gross",
		"totals.net", "totals.tax[0].basis", "totals.tax_total",
	}, o.Derived())
}

func TestFigures(t *testing.T) {
	t.Parallel()
	o := shop()
	o.Lines[0].Extra = g("0.50", "extra_price")
	var got []string
	for _, f := range o.Figures() {
		got = append(got, f.Path+"="+f.Figure.Source.String()+":"+f.Figure.String())
	}
	assert.Equal(t, []string{
		"lines[0].unit_net=absent:", "lines[0].unit_gross=given:10", "lines[0].tax_rate=absent:",
		"lines[0].discount=absent:", "lines[0].extra=given:0.5", "lines[0].net=derived:16.81",
		"lines[0].tax=derived:3.19", "lines[0].gross=derived:20",
		"totals.lines=given:20", "totals.lines_net=absent:", "totals.shipping=given:4.9", "totals.payment=given:0.5",
		"totals.discount=given:2", "totals.discount_included=absent:", "totals.net=derived:19.66",
		"totals.tax[0].rate=given:19", "totals.tax[0].basis=derived:19.66", "totals.tax[0].tax=given:3.74",
		"totals.tax[0].gross=given:23.4", "totals.tax_total=derived:3.74", "totals.gross=given:23.4", "totals.paid=given:23.4",
	}, got)
	// A figure's From comes along with it.
	assert.Equal(t, "extra_price", o.Figures()[4].Figure.From)
	assert.Len(t, (&orderkit.Order{}).Figures(), 10, "an empty order still lists its totals")
}

func TestSumLines(t *testing.T) {
	t.Parallel()
	gross := func(l orderkit.Line) orderkit.Figure { return l.Gross }
	assert.Equal(t, orderkit.Figure{}, orderkit.SumLines(nil, "r", gross), "no lines: absent")
	lines := []orderkit.Line{{Gross: g("1.10", "a")}, {Gross: d("2.205", "b")}}
	assert.Equal(t, d("3.305", "sum rule"), orderkit.SumLines(lines, "sum rule", gross))
	lines = append(lines, orderkit.Line{})
	assert.Equal(t, orderkit.Figure{}, orderkit.SumLines(lines, "r", gross), "a line without the figure: absent")
}

func TestAddressIsZero(t *testing.T) {
	t.Parallel()
	assert.True(t, orderkit.Address{}.IsZero())
	assert.False(t, orderkit.Address{City: "Berlin"}.IsZero())
}

// Every figure says where it comes from; Reconcile shows whether they add
// up.
func ExampleOrder_Reconcile() {
	o := orderkit.Order{
		API: orderkit.APIInventorum, ID: "8791312", Status: orderstate.StatusCompleted,
		Totals: orderkit.Totals{
			Lines: orderkit.DerivedFigure(money.MustParse("69.90"), "sum of gross_price"),
			Gross: orderkit.DerivedFigure(money.MustParse("69.90"), "sum of gross_price + shipment.cost"),
			Paid:  orderkit.GivenFigure(money.MustParse("138.60"), "amount_paid"),
		},
	}
	err := o.Reconcile()
	fmt.Println(errors.Is(err, orderkit.ErrNotReconciled))
	for _, c := range o.Checks {
		fmt.Println(c)
	}
	fmt.Println(o.Totals.Paid.Source, o.Totals.Paid.From)
	// Output:
	// true
	// lines + shipping + payment − discount = gross: 69.90 = 69.90
	// paid = gross: 138.60 vs 69.90, difference 68.70
	// given amount_paid
}
