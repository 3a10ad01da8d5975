package inventorum

import (
	"fmt"
	"strings"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
)

// Common converts the order into the common orderkit.Order.
//
// Given per item: the net unit price (price), the gross unit price, the tax
// rate, the line's gross total (gross_price) and the quantity; for the
// order: the shipment cost, amount_paid and the discounts. Derived: the
// line net as price × quantity (exact) and the line tax as gross − net; the
// order's gross as the sum of the items' gross plus the shipment cost minus
// the discounts (the API sends no order total), and per tax rate the net
// rounded to cents and the tax as gross − net. A cash discount is deducted
// from the gross price and a percent discount is that fraction of it
// (1 = 100 %), as the basket page states; the page does not say whether
// gross_price already has an item discount in it, so it is deducted once,
// at the order total, and amount_paid shows the other reading as a
// difference. Inventorum names no currency: it stays empty.
//
// The order is always returned; the error is a *orderkit.ReconciliationError
// when its figures do not add up (amount_paid against the gross).
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
	return c, c.Reconcile()
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
