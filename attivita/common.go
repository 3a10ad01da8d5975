package attivita

import (
	"fmt"
	"strconv"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
)

// germanVAT is the rate the orders page adds for German customers.
var germanVAT = money.FromInt(19)

// Common converts the order into the common orderkit.Order.
//
// Given: the item price (net, after the customer's discount: "the price
// field shows the final discounted price"), the item subtotal where lists
// send it, subTotal and grandTotal, discountTotal. Derived, by the page's
// rules: line net as price × quantity where no subtotal is sent; the VAT as
// grandTotal − subTotal, with the rate found by the page's rule "for German
// customers, 19 % VAT is automatically added to the order total" (19 % when
// the difference is 19 % of subTotal, 0 % when there is none) and the line
// gross figures from that rate. discountTotal is already in the prices and
// is kept as Totals.DiscountIncluded, never deducted again. Attivita names
// no currency, shipping or payment cost: they stay absent.
//
// An order without subTotal and grandTotal (the page's bundle example)
// leaves the totals and the rate absent. The order is always returned; the
// error is a *orderkit.ReconciliationError when its figures do not add up.
func (o *Order) Common() (orderkit.Order, error) {
	c := orderkit.Order{
		API:          orderkit.APIAttivita,
		ID:           strconv.FormatInt(int64(o.OrderNumber), 10),
		Number:       strconv.FormatInt(int64(o.OrderNumber), 10),
		Created:      o.OrderDate.UTC(),
		Status:       o.Status.Status(),
		VendorStatus: string(o.Status),
		Customer:     orderkit.Customer{ID: o.Customer},
		Vendor:       o,
	}

	var netSum money.Amount
	for i, it := range o.Items {
		p := fmt.Sprintf("items[%d].", i)
		l := orderkit.Line{
			ProductID: string(it.ProductID),
			Name:      it.ProductName,
			Quantity:  it.Quantity,
			UnitNet:   orderkit.GivenFigure(it.Price, p+"price"),
		}
		if it.Subtotal != nil {
			l.Net = orderkit.GivenFigure(*it.Subtotal, p+"subtotal")
		} else {
			l.Net = orderkit.DerivedFigure(it.Price.Times(int64(it.Quantity)), p+"price × "+p+"quantity")
		}
		netSum = netSum.Add(l.Net.Amount)
		c.Lines = append(c.Lines, l)
	}

	// The bundle example sends no totals at all; a real order with lines
	// worth something and both totals zero has not sent them either.
	totalsSent := !o.SubTotal.IsZero() || !o.GrandTotal.IsZero() || netSum.IsZero()
	if o.DiscountTotal != nil {
		c.Totals.DiscountIncluded = orderkit.GivenFigure(*o.DiscountTotal, "discountTotal")
		if !o.DiscountTotal.IsZero() {
			c.Notes = append(c.Notes, "discountTotal "+o.DiscountTotal.StringFixed(2)+
				" is already in the item prices (the page: price is the final price after discounts); it is not deducted again")
		}
	}
	c.Totals.LinesNet = orderkit.SumLines(c.Lines, "sum of the items' net", func(l orderkit.Line) orderkit.Figure { return l.Net })
	if !totalsSent {
		c.Notes = append(c.Notes, "the order carries no subTotal and grandTotal: totals and VAT rate are left empty")
		return c, c.Reconcile()
	}
	sub := orderkit.GivenFigure(o.SubTotal, "subTotal")
	c.Totals.LinesNet = sub
	c.Totals.Net = sub
	c.Totals.Gross = orderkit.GivenFigure(o.GrandTotal, "grandTotal")
	vat := o.GrandTotal.Sub(o.SubTotal)
	c.Totals.TaxTotal = orderkit.DerivedFigure(vat, "grandTotal − subTotal (VAT added to the order total)")

	var rate orderkit.Figure
	switch {
	case vat.IsZero():
		rate = orderkit.DerivedFigure(money.Zero, "grandTotal = subTotal: no VAT added (Attivita adds 19 % for German customers only)")
	case vat.Equal(o.SubTotal.VAT(germanVAT)):
		rate = orderkit.DerivedFigure(germanVAT, "grandTotal − subTotal = 19 % of subTotal (Attivita: German customers)")
	default:
		c.Notes = append(c.Notes, "grandTotal − subTotal = "+vat.StringFixed(2)+
			" is neither 0 nor 19 % of subTotal: the VAT rate is left empty")
	}
	c.Totals.Tax = []orderkit.TaxSubtotal{{
		Rate:  rate,
		Basis: sub,
		Tax:   c.Totals.TaxTotal,
		Gross: c.Totals.Gross,
	}}
	if rate.Known() {
		factor := money.FromInt(100).Add(rate.Amount).Percent(money.FromInt(1)) // 1 + rate/100
		for i := range c.Lines {
			l := &c.Lines[i]
			l.TaxRate = rate
			l.UnitGross = orderkit.DerivedFigure(l.UnitNet.Amount.Mul(factor), "price + VAT at the order's rate (exact)")
			l.Tax = orderkit.DerivedFigure(l.Net.Amount.Percent(rate.Amount), "net × VAT rate (exact)")
			l.Gross = orderkit.DerivedFigure(l.Net.Amount.Add(l.Tax.Amount), "net + tax (exact)")
		}
	}
	err := c.Reconcile()
	if !vat.IsZero() {
		// VAT was added: it must be the page's 19 % of the order total.
		c.AddCheck("VAT added = 19 % of subTotal (German customers)", c.Totals.TaxTotal,
			orderkit.DerivedFigure(o.SubTotal.VAT(germanVAT), "19 % of subTotal"), "VAT", "subTotal")
		err = c.Err()
	}
	return c, err
}
