package inventorum

import (
	"fmt"
	"strings"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// Common converts the order into the common orderkit.Order.
//
// The reading taken per field of the payload:
//
//   - id → ID; basket.invoice_number → Number ("" while none is issued);
//     time_added → Created, completed_at → Completed (UTC); state (the
//     bitmask) → Status, its names → VendorStatus.
//   - customer → Customer: id, first and last name joined, email; the
//     billing address, and the first of shipping_address (a list).
//   - basket.items[] → Lines: price is the net unit price (UnitNet, given),
//     unit_gross_price the gross unit price (given), tax_rate a percentage
//     (19.000 = 19 %, given), gross_price the line's gross (given), quantity
//     the quantity; the line net is price × quantity (derived, exact) and
//     the line tax gross_price − net (derived). original_quantity is read
//     as the quantity ordered, checked against quantity.
//   - discounts (items' and the basket's): cash is deducted from the gross,
//     percent is that fraction of it (1 = 100 %), as the basket page
//     states; whether gross_price already has an item discount in it the
//     page does not say, so it is deducted once, at the order total, and
//     amount_paid shows the other reading as a difference. A discount
//     without a type leaves the discount and the gross empty (a note says
//     so).
//   - shipment.cost → Totals.Shipping (given; "0E-10" is 0).
//   - Totals.Gross: the sum of gross_price plus shipment.cost minus the
//     discounts (derived: the API sends no order total); per tax rate the
//     net rounded to cents and the tax as gross − net, only without a
//     discount or a shipment cost (the page gives them no rate).
//   - amount_paid → Totals.Paid (given); payments[] are checked against it.
//   - Inventorum names no currency: Currency stays empty.
//
// Besides the common checks (orderkit.Order.Reconcile: unit gross ×
// quantity = gross, the totals, paid = gross), Common checks what only this
// payload allows: unit net × (1 + tax rate) = unit gross per line,
// original_quantity = quantity, the payments sum to amount_paid, and an
// order PENDING ("waiting for money") without the PAID flag has nothing
// paid. The vendor's two example orders each fail one: the delta page's
// is paid 138.60 for 69.90 of goods, the list page's is PENDING with 5.00
// paid.
//
// The order is always returned; the error is a *orderkit.ReconciliationError
// (matching orderkit.ErrNotReconciled) listing every check that failed.
func (o *Order) Common() (orderkit.Order, error) {
	c := orderkit.Order{
		API:          orderkit.APIInventorum,
		ID:           o.ID.String(),
		Number:       o.Basket.InvoiceNumber,
		Created:      o.TimeAdded.UTC(),
		Completed:    o.CompletedAt.UTC(),
		Status:       o.Status(),
		VendorStatus: o.State.String(),
		Vendor:       o,
	}
	if cu := o.Customer; cu != nil {
		c.Customer = orderkit.Customer{
			ID:    cu.ID.String(),
			Name:  strings.TrimSpace(cu.FirstName + " " + cu.LastName),
			Email: cu.Email,
		}
		if cu.BillingAddress != nil {
			c.Customer.Billing = address(*cu.BillingAddress)
		}
		if len(cu.ShippingAddresses) > 0 {
			c.Customer.Shipping = address(cu.ShippingAddresses[0])
		}
	}

	type rateSum struct {
		rate       money.Amount
		net, gross money.Amount
	}
	var rates []*rateSum
	var discount money.Amount
	var discounted, unreadable bool
	for i, it := range o.Basket.Items {
		p := fmt.Sprintf("basket.items[%d].", i)
		net := it.Price.Times(int64(it.Quantity))
		l := orderkit.Line{
			ID:        it.ID.String(),
			ProductID: it.Product.String(),
			Name:      it.Name,
			Quantity:  it.Quantity,
			UnitNet:   orderkit.GivenFigure(it.Price, p+"price"),
			UnitGross: orderkit.GivenFigure(it.UnitGrossPrice, p+"unit_gross_price"),
			TaxRate:   orderkit.GivenFigure(it.TaxRate, p+"tax_rate"),
			Net:       orderkit.DerivedFigure(net, p+"price × "+p+"quantity"),
			Tax:       orderkit.DerivedFigure(it.GrossPrice.Sub(net), p+"gross_price − net"),
			Gross:     orderkit.GivenFigure(it.GrossPrice, p+"gross_price"),
		}
		if it.ProductCode != nil {
			l.SKU = *it.ProductCode
		}
		if it.Discount != nil {
			l.Discount = discountFigure(*it.Discount, it.GrossPrice, p+"discount")
			discount = discount.Add(l.Discount.Amount)
			discounted = true
			unreadable = unreadable || !l.Discount.Known()
		}
		var rs *rateSum
		for _, r := range rates {
			if r.rate.Equal(it.TaxRate) {
				rs = r
			}
		}
		if rs == nil {
			rs = &rateSum{rate: it.TaxRate}
			rates = append(rates, rs)
		}
		rs.net, rs.gross = rs.net.Add(net), rs.gross.Add(it.GrossPrice)
		c.Lines = append(c.Lines, l)
	}

	t := &c.Totals
	t.Lines = orderkit.SumLines(c.Lines, "sum of basket.items[].gross_price", func(l orderkit.Line) orderkit.Figure { return l.Gross })
	t.LinesNet = orderkit.SumLines(c.Lines, "sum of the items' net", func(l orderkit.Line) orderkit.Figure { return l.Net })
	if d := o.Basket.Discount; d != nil {
		bd := discountFigure(*d, t.Lines.Amount.Sub(discount), "basket.discount")
		discount = discount.Add(bd.Amount)
		discounted = true
		unreadable = unreadable || !bd.Known()
	}
	if unreadable {
		c.Notes = append(c.Notes, "a discount has no type (cash or percent): the discount and the gross total are left empty")
	} else if discounted {
		t.Discount = orderkit.DerivedFigure(discount, "item and basket discounts (cash deducted from the gross, percent of it)")
	}
	if o.Shipment != nil {
		t.Shipping = orderkit.GivenFigure(o.Shipment.Cost, "shipment.cost")
	}
	t.Paid = orderkit.GivenFigure(o.AmountPaid, "amount_paid")
	if len(c.Lines) > 0 && !unreadable {
		t.Gross = orderkit.DerivedFigure(t.Lines.Amount.Add(t.Shipping.Amount).Sub(discount),
			"sum of gross_price + shipment.cost − discounts (the API sends no order total)")
	}
	// The tax breakdown holds only the items: the page gives no rate for
	// the shipment cost, and a discount's share per rate is not stated.
	if !discounted && (o.Shipment == nil || o.Shipment.Cost.IsZero()) && len(rates) > 0 {
		var net, tax money.Amount
		for _, r := range rates {
			n := r.net.RoundCents()
			t.Tax = append(t.Tax, orderkit.TaxSubtotal{
				Rate:  orderkit.GivenFigure(r.rate, "basket.items[].tax_rate"),
				Basis: orderkit.DerivedFigure(n, "sum of price × quantity at this rate, rounded to cents"),
				Tax:   orderkit.DerivedFigure(r.gross.Sub(n), "sum of gross_price at this rate − net"),
				Gross: orderkit.DerivedFigure(r.gross, "sum of gross_price at this rate"),
			})
			net, tax = net.Add(n), tax.Add(r.gross.Sub(n))
		}
		t.Net = orderkit.DerivedFigure(net, "sum of the net per rate")
		t.TaxTotal = orderkit.DerivedFigure(tax, "sum of the tax per rate")
	} else if len(rates) > 0 {
		c.Notes = append(c.Notes, "the order has a discount or a shipment cost: the page states no tax rate for them, so the VAT per rate is left empty")
	}
	c.Reconcile()
	o.addChecks(&c)
	return c, c.Err()
}

// addChecks adds the checks only Inventorum's payload allows, after the
// common ones: per line, the unit net with its tax is the unit gross and
// original_quantity is the quantity; the payments add up to amount_paid;
// and an order PENDING ("waiting for money") without the PAID flag has
// nothing paid. The vendor's own list example fails the last: PENDING,
// with a payment of 5.00 and amount_paid 5.00.
func (o *Order) addChecks(c *orderkit.Order) {
	for i, it := range o.Basket.Items {
		p := fmt.Sprintf("line %d: ", i+1)
		if !it.TaxRate.IsZero() || !it.Price.IsZero() {
			unit := it.Price.Add(it.Price.Percent(it.TaxRate))
			c.AddCheck(p+"unit net × (1 + tax rate) = unit gross", orderkit.DerivedFigure(unit, ""),
				c.Lines[i].UnitGross, "unit net", "unit gross")
		}
		if !it.OriginalQuantity.IsZero() {
			c.AddCheck(p+"original_quantity = quantity", orderkit.GivenFigure(it.OriginalQuantity, ""),
				orderkit.DerivedFigure(money.FromInt(int64(it.Quantity)), ""), "original quantity", "quantity")
		}
	}
	if len(o.Payments) > 0 {
		var sum money.Amount
		for _, pm := range o.Payments {
			sum = sum.Add(pm.PaymentAmount)
		}
		c.AddCheck("payments sum to paid", orderkit.DerivedFigure(sum, ""), c.Totals.Paid, "payments", "paid")
	}
	if o.State.Has(orderstate.Pending) && !o.State.Has(orderstate.Paid) {
		c.AddCheck("state PENDING (waiting for money): paid = 0", c.Totals.Paid, orderkit.DerivedFigure(money.Amount{}, ""), "paid", "nothing")
	}
}

// discountFigure reads a discount on gross: cash is the amount, percent the
// fraction of gross (1 = 100 %), as the basket page states.
func discountFigure(d Discount, gross money.Amount, field string) orderkit.Figure {
	if d.Type == DiscountPercent {
		return orderkit.DerivedFigure(gross.Mul(d.Amount), field+".amount × gross (percent: 1 = 100 %)")
	}
	if d.Type == DiscountCash {
		return orderkit.GivenFigure(d.Amount, field+".amount")
	}
	return orderkit.Figure{}
}

func address(a Address) *orderkit.Address {
	out := &orderkit.Address{
		Name:    strings.TrimSpace(a.FirstName + " " + a.LastName),
		Company: a.Company,
		Line1:   a.Address1,
		Line2:   a.Address2,
		Postal:  a.Zipcode,
		City:    a.City,
		State:   a.State,
		Country: a.Country,
	}
	if out.IsZero() {
		return nil
	}
	return out
}
