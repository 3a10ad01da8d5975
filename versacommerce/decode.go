package versacommerce

import (
	"fmt"
	"strconv"

	"github.com/orderkit/orderkit/internal/wire"
)

// Every answer is decoded once, into the private wire structs below: plain
// structs of tolerant leaf types (wire.Text, wire.Int, wire.Time, ID, the
// statuses, money.Amount), none with a struct-level UnmarshalJSON, then
// converted into the public types. The envelope the API may or may not put
// around an object ({"order": {...}} or {...}) is read by a wrapper that
// holds both shapes at once, so neither reading costs a second scan.

// ID is an identifier the API sends as a number or a string (shop_id 953
// next to "953"), kept as text: ids are compared, never computed with.
type ID string

// String returns the id's text.
func (id ID) String() string { return string(id) }

// Int returns the id as an integer, if it is one.
func (id ID) Int() (int64, error) { return strconv.ParseInt(string(id), 10, 64) }

// UnmarshalJSON reads a number, a string or null (empty), like every tolerant id of this SDK.
func (id *ID) UnmarshalJSON(b []byte) error {
	var w wire.ID
	if err := w.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("versacommerce: invalid id %.40q", b)
	}
	*id = ID(w)
	return nil
}

// MarshalJSON writes the id as a number when it is an integer written the
// canonical way (953), otherwise as a string ("abc-1", "007").
func (id ID) MarshalJSON() ([]byte, error) { return wire.ID(id).MarshalJSON() }

// The leaves are the shared ones of internal/wire: wire.Text (text sent as
// a string, a number such as zipcode 12345, a bool or null), wire.Int (a
// whole number sent as a number or a string) and wire.Time (the layouts the
// API uses, created_at's "2013-03-19T12 =>39 =>51+01 =>00" included).

// optText is text that also records whether the key was there at all (the
// resolver must know whether the shop echoes origin_id).
type optText struct {
	v   wire.Text
	set bool
}

func (t *optText) UnmarshalJSON(b []byte) error {
	t.set = true
	return t.v.UnmarshalJSON(b)
}

// The wire shapes of the answers. Each embeds its public type's fields
// (through a defined type without methods, so that the public
// UnmarshalJSON is not called) and shadows with tolerant leaves only the
// fields the API sends loosely; encoding/json fills the shallower field.

type (
	plainOrder    Order
	plainItem     Item
	plainAddress  Address
	plainCustomer Customer
	plainPayment  Payment
)

type orderIn struct {
	plainOrder
	ID                  wire.Int  `json:"id"`
	Code                wire.Text `json:"code"`
	CustomerID          wire.Int  `json:"customer_id"`
	CreatedAt           wire.Time `json:"created_at"`
	Currency            wire.Text `json:"currency"`
	CouponCode          wire.Text `json:"coupon_code"`
	ExternalInvoicingID wire.Text `json:"external_invoicing_id"`
	OriginID            optText   `json:"origin_id"`
	BankAccountNumber   wire.Text `json:"bank_account_number"`
	BankAccountBankCode wire.Text `json:"bank_account_bank_code"`

	ShippingAddress *addressIn         `json:"shipping_address"`
	BillingAddress  *addressIn         `json:"billing_address"`
	Customer        *customerIn        `json:"customer"`
	Items           []itemMaybeRoot    `json:"items"`
	Payments        []paymentMaybeRoot `json:"payments"`
}

// orderMaybeRoot is an order with its root element ({"order": {...}}) or
// without ({...}): exactly one of the two gets filled. orderIn has no field
// named "order".
type orderMaybeRoot struct {
	Order *orderIn `json:"order"`
	orderIn
}

func (m *orderMaybeRoot) get() *orderIn {
	if m.Order != nil {
		return m.Order
	}
	return &m.orderIn
}

// holdsOrder reports whether the answer carried any of an order's
// identifying attributes (a proxy's {} carries none).
func (w *orderIn) holdsOrder() bool {
	return w.ID != 0 || w.Code != "" || w.PaymentType != "" || w.Items != nil || !w.Total.IsZero()
}

func (w *orderIn) order() Order {
	o := Order(w.plainOrder)
	o.ID, o.Code, o.CustomerID, o.CreatedAt = int64(w.ID), string(w.Code), int64(w.CustomerID), w.CreatedAt.Time
	o.CurrencySymbol, o.Currency = string(w.Currency), currencyCode(string(w.Currency))
	o.CouponCode, o.ExternalInvoicingID, o.OriginID = string(w.CouponCode), string(w.ExternalInvoicingID), string(w.OriginID.v)
	o.BankAccountNumber, o.BankAccountBankCode = string(w.BankAccountNumber), string(w.BankAccountBankCode)
	if w.ShippingAddress != nil {
		a := w.ShippingAddress.address()
		o.ShippingAddress = &a
	}
	if w.BillingAddress != nil {
		a := w.BillingAddress.address()
		o.BillingAddress = &a
	}
	if w.Customer != nil {
		c := w.Customer.customer()
		o.Customer = &c
	}
	if w.Items != nil {
		o.Items = make([]Item, len(w.Items))
		for i := range w.Items {
			o.Items[i] = w.Items[i].get().item()
		}
	}
	if w.Payments != nil {
		o.Payments = make([]Payment, len(w.Payments))
		for i := range w.Payments {
			o.Payments[i] = w.Payments[i].get().payment()
		}
	}
	return o
}

// orderList is a list answer: [{"order": {...}}, ...] or [{...}, ...].
type orderList []orderMaybeRoot

// originSeen reports whether any order of the list carried the origin_id
// key.
func (l orderList) originSeen() bool {
	for i := range l {
		if l[i].get().OriginID.set {
			return true
		}
	}
	return false
}

func (l orderList) orders() []Order {
	if l == nil {
		return nil
	}
	out := make([]Order, len(l))
	for i := range l {
		out[i] = l[i].get().order()
	}
	return out
}

type itemIn struct {
	plainItem
	ID        wire.Int  `json:"id"`
	OrderID   wire.Int  `json:"order_id"`
	ProductID wire.Int  `json:"product_id"`
	Quantity  wire.Int  `json:"quantity"`
	Code      wire.Text `json:"code"`
	ASIN      wire.Text `json:"asin"`
	OriginID  wire.Text `json:"origin_id"`
}

// itemMaybeRoot is an item with or without its {"item": ...} root.
type itemMaybeRoot struct {
	Item *itemIn `json:"item"`
	itemIn
}

func (m *itemMaybeRoot) get() *itemIn {
	if m.Item != nil {
		return m.Item
	}
	return &m.itemIn
}

func (w *itemIn) item() Item {
	it := Item(w.plainItem)
	it.ID, it.OrderID, it.ProductID, it.Quantity = int64(w.ID), int64(w.OrderID), int64(w.ProductID), int(w.Quantity)
	it.Code, it.ASIN, it.OriginID = string(w.Code), string(w.ASIN), string(w.OriginID)
	return it
}

type addressIn struct {
	plainAddress
	ID           wire.Int  `json:"id"`
	OrderID      wire.Int  `json:"order_id"`
	CustomerID   wire.Int  `json:"customer_id"`
	Streetnumber wire.Text `json:"streetnumber"`
	Zipcode      wire.Text `json:"zipcode"`
	Phone        wire.Text `json:"phone"`
	Option01     wire.Text `json:"option_01"`
	Option02     wire.Text `json:"option_02"`
	Option03     wire.Text `json:"option_03"`
}

func (w *addressIn) address() Address {
	a := Address(w.plainAddress)
	a.ID, a.OrderID, a.CustomerID = int64(w.ID), int64(w.OrderID), int64(w.CustomerID)
	a.Streetnumber, a.Zipcode, a.Phone = string(w.Streetnumber), string(w.Zipcode), string(w.Phone)
	a.Option01, a.Option02, a.Option03 = string(w.Option01), string(w.Option02), string(w.Option03)
	return a
}

type customerIn struct {
	plainCustomer
	ID        wire.Int  `json:"id"`
	Birthday  wire.Time `json:"birthday"`
	CreatedOn wire.Time `json:"created_on"`
	UpdatedOn wire.Time `json:"updated_on"`
}

func (w *customerIn) customer() Customer {
	c := Customer(w.plainCustomer)
	c.ID, c.Birthday, c.CreatedOn, c.UpdatedOn = int64(w.ID), w.Birthday.Time, w.CreatedOn.Time, w.UpdatedOn.Time
	return c
}

type paymentIn struct {
	plainPayment
	ID       wire.Int  `json:"id"`
	Currency wire.Text `json:"currency"`
	TransID  wire.Text `json:"trans_id"`
}

// paymentMaybeRoot is a payment with or without its {"payment": ...} root.
type paymentMaybeRoot struct {
	Payment *paymentIn `json:"payment"`
	paymentIn
}

func (m *paymentMaybeRoot) get() *paymentIn {
	if m.Payment != nil {
		return m.Payment
	}
	return &m.paymentIn
}

func (w *paymentIn) payment() Payment {
	p := Payment(w.plainPayment)
	p.ID, p.Currency, p.TransID = int64(w.ID), currencyCode(string(w.Currency)), string(w.TransID)
	return p
}
