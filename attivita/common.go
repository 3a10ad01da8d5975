package attivita

import (
	"fmt"
	"strconv"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
)

// germanVAT is the rate the orders page adds for German customers.
var germanVAT = money.FromInt(19)

// Common converts the order into the common orderkit.Order, reading each
// field as the orders page defines it:
//
//   - items[].price: "final price per unit (after discounts)", net of VAT
//     (VAT is "added to the order total"): the line's unit net.
//   - items[].subtotal, where lists send it: the line's net, checked
//     against price × quantity; where absent, price × quantity (derived).
//   - subTotal: "total before discounts", net.
//   - discountTotal: "total discount amount". It is in the prices already
//     (Totals.DiscountIncluded), so the order's net is subTotal −
//     discountTotal (derived), and it must equal the sum of the lines.
//   - grandTotal: "final total (including VAT if applicable)": the gross.
//   - VAT: grandTotal − (subTotal − discountTotal), at the page's one
//     rate, "19 % VAT is automatically added" for German customers: 19 %
//     when it is 19 % of the net, 0 % when there is none, else no rate
//     (and the lines' gross figures stay absent).
//
// Attivita names no currency, shipping or payment cost: they stay absent.
// An order without subTotal and grandTotal (the page's bundle example)
// leaves the totals and the rate absent.
//
// The order is always returned. Every figure that does not add up under
// these readings is reported, none explained away: the error is then a
// *orderkit.ReconciliationError (orderkit.ErrNotReconciled) listing the
// differences. The vendor's own example orders (1001 and 1002 on the
// page) are such: 2 × 89.99 = 179.98, while subTotal 179.98 − discountTotal
// 20.00 = 159.98, and grandTotal 179.98 adds 20.00 that is neither 0 nor
// 19 % of it.
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
	discount := money.Zero
	if o.DiscountTotal != nil {
		discount = *o.DiscountTotal
		c.Totals.DiscountIncluded = orderkit.GivenFigure(discount, "discountTotal")
	}
	c.Totals.LinesNet = orderkit.SumLines(c.Lines, "sum of the items' net", func(l orderkit.Line) orderkit.Figure { return l.Net })
	if !totalsSent {
		c.Notes = append(c.Notes, "the order carries no subTotal and grandTotal: totals and VAT rate are left empty")
		return c, c.Reconcile()
	}
	net := orderkit.GivenFigure(o.SubTotal, "subTotal")
	if !discount.IsZero() {
		net = orderkit.DerivedFigure(o.SubTotal.Sub(discount), "subTotal − discountTotal (subTotal is the total before discounts)")
		c.Notes = append(c.Notes, "discountTotal "+discount.StringFixed(2)+" is deducted from subTotal "+o.SubTotal.StringFixed(2)+
			" (the total before discounts); the item prices are after discounts")
	}
	c.Totals.Net = net
	c.Totals.Gross = orderkit.GivenFigure(o.GrandTotal, "grandTotal")
	vat := o.GrandTotal.Sub(net.Amount)
	c.Totals.TaxTotal = orderkit.DerivedFigure(vat, "grandTotal − net (VAT added to the order total)")

	var rate orderkit.Figure
	switch {
	case vat.IsZero():
		rate = orderkit.DerivedFigure(money.Zero, "grandTotal = net: no VAT added (Attivita adds 19 % for German customers only)")
	case vat.Equal(net.Amount.VAT(germanVAT)):
		rate = orderkit.DerivedFigure(germanVAT, "grandTotal − net = 19 % of net (Attivita: German customers)")
	default:
		c.Notes = append(c.Notes, "grandTotal − net = "+vat.StringFixed(2)+
			" is neither 0 nor 19 % of the net "+net.Amount.StringFixed(2)+": the VAT rate is left empty")
	}
	c.Totals.Tax = []orderkit.TaxSubtotal{{
		Rate:  rate,
		Basis: net,
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
	_ = c.Reconcile()
	// The prices are after discounts: the lines must come to the total
	// before discounts less the discount.
	c.AddCheck("subTotal − discountTotal = sum of the items' net", net, c.Totals.LinesNet, "net", "items' net")
	if !vat.IsZero() {
		// VAT was added: it must be the page's 19 % of the net.
		c.AddCheck("VAT added = 19 % of the net (German customers)", c.Totals.TaxTotal,
			orderkit.DerivedFigure(net.Amount.VAT(germanVAT), "19 % of the net"), "VAT", "net")
	}
	return c, c.Err()
}
