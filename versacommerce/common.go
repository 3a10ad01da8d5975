package versacommerce

import (
	"fmt"
	"strings"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
)

// Common converts the order into the common orderkit.Order and checks its
// figures against each other to the cent. The order is always returned;
// the error is a *orderkit.ReconciliationError (orderkit.ErrNotReconciled)
// naming every difference found.
//
// The readings it takes, per field:
//
//   - prices_include_tax true: item prices and item_total are gross; false
//     or absent (the page's create answer sends none): they are net.
//   - item_total: the lines' total (gross or net, as above); checked
//     against the sum of the lines that carry a price.
//   - items[].price × quantity + extra_price: the line's gross or net;
//     discount (money, or percent of the line) is kept on the line, not
//     deducted. A price the answer carries is read even when 0; a line
//     without one (the page's include=items example sends ids and
//     quantities) has no figures. tax_rate, else the order's rate for the
//     item's tax_category.
//   - total: the gross. Gross prices: item_total + shipping_cost +
//     payment_cost − discount_total = total. Net prices: the tax comes on
//     top, item_total + shipping_cost + payment_cost − discount_total +
//     standard_tax_amount + reduced_tax_amount = total (the tax counts as
//     0 when not sent: the page's create answer, item_total 0.0 +
//     shipping_cost 1.0 against total 0.0, is a difference of 1.00).
//   - standard_/reduced_tax_amount: the tax at that rate;
//     standard_/reduced_tax_total: the gross it is charged on (in the
//     page's examples it equals the order total). With gross prices the
//     net per rate is total − amount, the order's net is total − tax, and
//     each tax must be what its rate gives on its gross; with net prices
//     the page does not say which base they are on, and the per-rate
//     breakdown is left empty (a note says so).
//   - subtotal, coupon_value and weight_total are not reconciled: the page
//     does not say what subtotal sums (it equals total in every example),
//     nor whether discount_total holds the coupon (a note says so when one
//     is set); a weight is no money.
//   - currency: "€" is read as EUR (derived), an ISO code as given.
//
// An order the answer carried without its totals (no total key, every
// other amount 0: the include=items example) has its totals left empty,
// with a note; a total of 0 that was sent is checked like any other.
func (o *Order) Common() (orderkit.Order, error) {
	c := orderkit.Order{
		API:          orderkit.APIVersaCommerce,
		ID:           o.ID.String(),
		Number:       o.Code,
		Created:      o.CreatedAt.UTC(),
		Status:       o.Status.Status(),
		VendorStatus: string(o.Status),
		Vendor:       o,
	}
	switch sym := strings.TrimSpace(o.CurrencySymbol); {
	case sym == "€":
		c.Currency, c.CurrencySource = "EUR", orderkit.Derived
	case isISOCode(sym):
		c.Currency, c.CurrencySource = strings.ToUpper(sym), orderkit.Given
	case sym != "":
		c.Notes = append(c.Notes, fmt.Sprintf("currency %q is not an ISO 4217 code and not \"€\": left empty", sym))
	}
	c.Customer = orderkit.Customer{Email: o.CustomerEmail, Billing: address(o.BillingAddress), Shipping: address(o.ShippingAddress)}
	if o.CustomerID != 0 {
		c.Customer.ID = o.CustomerID.String()
	}
	if c.Customer.Billing != nil {
		c.Customer.Name = c.Customer.Billing.Name
	}

	gross := o.PricesIncludeTax
	for i, it := range o.Items {
		p := fmt.Sprintf("items[%d].", i)
		l := orderkit.Line{
			ProductID: it.ProductID.String(),
			SKU:       it.Code,
			Name:      it.Title,
			Quantity:  it.Quantity,
		}
		if it.ID != 0 {
			l.ID = it.ID.String()
		}
		switch {
		case !it.TaxRate.IsZero():
			l.TaxRate = orderkit.GivenFigure(it.TaxRate, p+"tax_rate")
		case it.TaxCategory == TaxCategoryStandard && !o.StandardTaxRate.IsZero():
			l.TaxRate = orderkit.DerivedFigure(o.StandardTaxRate, p+"tax_category standard → standard_tax_rate")
		case it.TaxCategory == TaxCategoryReduced && !o.ReducedTaxRate.IsZero():
			l.TaxRate = orderkit.DerivedFigure(o.ReducedTaxRate, p+"tax_category reduced → reduced_tax_rate")
		}
		if it.priceSent || !it.Price.IsZero() {
			total := it.Price.Times(int64(it.Quantity)).Add(it.ExtraPrice)
			rule := p + "price × " + p + "quantity + " + p + "extra_price"
			if !it.ExtraPrice.IsZero() {
				l.Extra = orderkit.GivenFigure(it.ExtraPrice, p+"extra_price")
			}
			if gross {
				l.UnitGross = orderkit.GivenFigure(it.Price, p+"price")
				l.Gross = orderkit.DerivedFigure(total, rule)
			} else {
				l.UnitNet = orderkit.GivenFigure(it.Price, p+"price")
				l.Net = orderkit.DerivedFigure(total, rule)
			}
			switch it.DiscountType {
			case DiscountMoney:
				l.Discount = orderkit.GivenFigure(it.Discount, p+"discount")
			case DiscountPercent:
				l.Discount = orderkit.DerivedFigure(total.Percent(it.Discount), p+"discount % of the line")
			}
		}
		c.Lines = append(c.Lines, l)
	}

	t := &c.Totals
	if !o.totalSent && o.Total.IsZero() && o.ItemTotal.IsZero() && o.Subtotal.IsZero() && o.ShippingCost.IsZero() && o.PaymentCost.IsZero() &&
		!o.PricesIncludeTax && len(o.Items) > 0 {
		// An order read without its totals (the page's items example
		// sends ids and quantities only): zero here is "not sent".
		c.Notes = append(c.Notes, "the order carries no totals: they are left empty")
		return c, c.Reconcile()
	}
	if gross {
		t.Lines = orderkit.GivenFigure(o.ItemTotal, "item_total")
	} else {
		t.LinesNet = orderkit.GivenFigure(o.ItemTotal, "item_total")
		c.Notes = append(c.Notes, "prices_include_tax is false: the page does not say which base the tax totals are on; net, tax and VAT per rate are left empty")
	}
	t.Shipping = orderkit.GivenFigure(o.ShippingCost, "shipping_cost")
	t.Payment = orderkit.GivenFigure(o.PaymentCost, "payment_cost")
	t.Discount = orderkit.GivenFigure(o.DiscountTotal, "discount_total")
	t.Gross = orderkit.GivenFigure(o.Total, "total")
	if !o.CouponValue.IsZero() {
		c.Notes = append(c.Notes, "coupon_value "+o.CouponValue.StringFixed(2)+" (code "+o.CouponCode+
			") is not deducted separately: the page does not say whether discount_total holds it")
	}
	if !gross {
		c.Reconcile()
		// The tax comes on top of net prices: Reconcile's gross check,
		// which starts from gross lines, is skipped and replaced.
		kept := c.Checks[:0]
		for _, ch := range c.Checks {
			if ch.Name != "lines + shipping + payment − discount = gross" {
				kept = append(kept, ch)
			}
		}
		c.Checks = kept
		tax := o.StandardTaxAmount.Add(o.ReducedTaxAmount)
		lhs := o.ItemTotal.Add(o.ShippingCost).Add(o.PaymentCost).Sub(o.DiscountTotal).Add(tax)
		c.AddCheck("net lines + shipping + payment − discount + tax = gross",
			orderkit.DerivedFigure(lhs, "item_total + shipping_cost + payment_cost − discount_total + standard_tax_amount + reduced_tax_amount"),
			t.Gross, "lines net total", "gross")
		return c, c.Err()
	}
	var tax, net money.Amount
	for _, r := range []struct {
		name              string
		rate, amount, sum money.Amount
	}{
		{"standard", o.StandardTaxRate, o.StandardTaxAmount, o.StandardTaxTotal},
		{"reduced", o.ReducedTaxRate, o.ReducedTaxAmount, o.ReducedTaxTotal},
	} {
		if r.amount.IsZero() && r.sum.IsZero() {
			continue
		}
		basis := r.sum.Sub(r.amount)
		t.Tax = append(t.Tax, orderkit.TaxSubtotal{
			Rate:  orderkit.GivenFigure(r.rate, r.name+"_tax_rate"),
			Basis: orderkit.DerivedFigure(basis, r.name+"_tax_total − "+r.name+"_tax_amount (prices include tax)"),
			Tax:   orderkit.GivenFigure(r.amount, r.name+"_tax_amount"),
			Gross: orderkit.GivenFigure(r.sum, r.name+"_tax_total"),
		})
		tax, net = tax.Add(r.amount), net.Add(basis)
	}
	if len(t.Tax) > 0 {
		t.TaxTotal = orderkit.DerivedFigure(tax, "standard_tax_amount + reduced_tax_amount")
		t.Net = orderkit.DerivedFigure(o.Total.Sub(tax), "total − tax (prices include tax)")
	}
	err := c.Reconcile()
	// The tax must be what its rate gives on the gross it is charged on.
	for _, s := range t.Tax {
		name := fmt.Sprintf("tax at %s %% of its gross", s.Rate.Amount)
		div := money.FromInt(100).Add(s.Rate.Amount)
		if !div.Decimal().IsPositive() { // no tax rate is -100 % or less
			c.AddCheck(name, s.Tax, orderkit.Figure{}, "tax", "rate above -100 %")
			continue
		}
		want := s.Gross.Amount.Mul(s.Rate.Amount).Decimal().Div(div.Decimal())
		c.AddCheck(name, s.Tax, orderkit.DerivedFigure(money.FromDecimal(want), "gross × rate / (100 + rate)"), "tax", "gross")
	}
	if len(t.Tax) > 0 {
		err = c.Err()
	}
	return c, err
}

func isISOCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if ch := s[i] | 0x20; ch < 'a' || ch > 'z' {
			return false
		}
	}
	return true
}

func address(a *Address) *orderkit.Address {
	if a == nil {
		return nil
	}
	out := &orderkit.Address{
		Name:    strings.TrimSpace(a.Firstname + " " + a.Lastname),
		Company: a.Company,
		Line1:   strings.TrimSpace(a.Street + " " + a.Streetnumber),
		Line2:   a.Extension,
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
