package adility

import (
	"strings"

	"github.com/orderkit/orderkit"
)

// Common converts the order into the common orderkit.Order.
//
// The reference page documents no amount on an order or its items: lines
// carry the offer id and the quantity, and every price, tax and total stays
// absent (Figure.Source is orderkit.Absent), as does the currency.
// Attributes the page does not document are not read; they stay in the
// vendor order's Unknown. The customer is the customer name and the
// shipping address; purchased_at is the creation time. The error is always
// nil today: with no figures there is nothing to reconcile, and every
// check is recorded as skipped.
func (o *Order) Common() (orderkit.Order, error) {
	c := orderkit.Order{
		API:          orderkit.APIAdility,
		ID:           string(o.ID),
		Number:       o.OrderNumber,
		Created:      o.PurchasedAt.UTC(),
		Status:       o.Status.Status(),
		VendorStatus: string(o.Status),
		Customer:     orderkit.Customer{Name: o.CustomerName},
		Vendor:       o,
	}
	if a := o.ShippingAddress; !a.isZero() {
		c.Customer.Shipping = &orderkit.Address{
			Name:   o.CustomerName,
			Line1:  strings.TrimSpace(a.AddressLine1),
			Line2:  strings.TrimSpace(a.AddressLine2),
			Postal: strings.TrimSpace(a.PostalCode),
			City:   strings.TrimSpace(a.City),
			State:  strings.TrimSpace(a.StateCode),
		}
	}
	for _, it := range o.Items {
		c.Lines = append(c.Lines, orderkit.Line{ProductID: string(it.OfferID), Quantity: it.Quantity})
	}
	if len(o.Items) > 0 {
		c.Notes = append(c.Notes, "Adility documents no prices on orders: every amount is left empty")
	}
	return c, c.Reconcile()
}
