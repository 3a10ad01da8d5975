package versacommerce

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/orderkit/orderkit/money"
)

// Order is a shop order as GET /api/orders.json and GET /api/orders/:id.json
// answer it. Amounts are exact; times are UTC.
type Order struct {
	ID         ID     `json:"id,omitempty"`
	Code       string `json:"code,omitempty"` // the order number shown to the customer, unique: "196-083-565"
	ShopID     ID     `json:"shop_id,omitempty"`
	CustomerID ID     `json:"customer_id,omitempty"`
	// CustomerEmail is the address the order confirmation went to.
	CustomerEmail string    `json:"customer_email,omitempty"`
	CreatedAt     time.Time `json:"created_at,omitempty"`
	// CheckoutLocale is the language of the checkout: "de".
	CheckoutLocale string `json:"checkout_locale,omitempty"`

	Status        OrderStatus   `json:"status,omitempty"`
	PaymentStatus PaymentStatus `json:"payment_status,omitempty"`
	ItemsStatus   ItemStatus    `json:"items_status,omitempty"`
	PaymentType   PaymentType   `json:"payment_type,omitempty"`
	ShippingType  ShippingType  `json:"shipping_type,omitempty"`

	// Currency is the ISO 4217 code; the API sends a symbol ("€"), which is
	// read as "EUR". CurrencySymbol is what the API sent.
	Currency       string `json:"currency,omitempty"`
	CurrencySymbol string `json:"-"`

	ItemTotal     money.Amount `json:"item_total,omitempty"` // sum of the items
	PaymentCost   money.Amount `json:"payment_cost,omitempty"`
	ShippingCost  money.Amount `json:"shipping_cost,omitempty"`
	DiscountTotal money.Amount `json:"discount_total,omitempty"`
	CouponCode    string       `json:"coupon_code,omitempty"`
	CouponValue   money.Amount `json:"coupon_value,omitempty"`
	Subtotal      money.Amount `json:"subtotal,omitempty"`
	Total         money.Amount `json:"total,omitempty"`

	PricesIncludeTax bool `json:"prices_include_tax,omitempty"`
	// Tax rates are percentages (19 is 19 %).
	PaymentTaxRate    money.Amount `json:"payment_tax_rate,omitempty"`
	StandardTaxRate   money.Amount `json:"standard_tax_rate,omitempty"`
	StandardTaxAmount money.Amount `json:"standard_tax_amount,omitempty"` // standard-rate tax on the items
	StandardTaxTotal  money.Amount `json:"standard_tax_total,omitempty"`  // standard-rate tax on items, shipping and payment
	ReducedTaxRate    money.Amount `json:"reduced_tax_rate,omitempty"`
	ReducedTaxAmount  money.Amount `json:"reduced_tax_amount,omitempty"`
	ReducedTaxTotal   money.Amount `json:"reduced_tax_total,omitempty"`

	// WeightTotal is the weight of all items in kg.
	WeightTotal money.Amount `json:"weight_total,omitempty"`

	ItemsCount     int `json:"items_count,omitempty"`
	PaymentsCount  int `json:"payments_count,omitempty"`
	ShipmentsCount int `json:"shipments_count,omitempty"`

	Note                string `json:"note,omitempty"`
	Source              string `json:"source,omitempty"` // affiliate
	Referrer            string `json:"referrer,omitempty"`
	ExternalInvoicingID string `json:"external_invoicing_id,omitempty"`
	OriginName          string `json:"origin_name,omitempty"` // where the order came from, such as "amazon"
	OriginID            string `json:"origin_id,omitempty"`   // the order's id there

	BankAccountName     string `json:"bank_account_name,omitempty"`
	BankAccountNumber   string `json:"bank_account_number,omitempty"`
	BankAccountBankCode string `json:"bank_account_bank_code,omitempty"`
	BankAccountBankName string `json:"bank_account_bank_name,omitempty"`

	ShippingAddress *Address  `json:"shipping_address,omitempty"`
	BillingAddress  *Address  `json:"billing_address,omitempty"`
	Customer        *Customer `json:"customer,omitempty"`

	// Items is filled when the order was read with IncludeItems (or comes
	// from Create).
	Items []Item `json:"items,omitempty"`
	// Payments is filled when the order was read with IncludePayments.
	Payments []Payment `json:"payments,omitempty"`
	// Shipments and Histories are filled when included; the page does not
	// document their fields, so they are kept as the API sent them.
	Shipments []json.RawMessage `json:"shipments,omitempty"`
	Histories []json.RawMessage `json:"histories,omitempty"`

	// totalSent: the answer carried total (Common tells a 0 sent from
	// an order read without its totals).
	totalSent bool
}

// UnmarshalJSON reads an order, with or without its {"order": ...}
// envelope, tolerating the API's inconsistencies: ids as numbers or
// strings, "€" for the currency, "cancelled", timestamps in several
// layouts. An amount that does not parse is an error. The client's own
// calls do not go through it: they decode the answer once into private
// wire structs.
func (o *Order) UnmarshalJSON(b []byte) error {
	var w orderMaybeRoot
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("versacommerce: order: %w", err)
	}
	*o = w.get().order()
	return nil
}

// Item is one line of an order: nested in Order.Items with IncludeItems, or
// from GET /api/orders/:id/items.json.
type Item struct {
	ID        ID `json:"id,omitempty"`
	OrderID   ID `json:"order_id,omitempty"`
	ProductID ID `json:"product_id,omitempty"`
	// Code is the article number or EAN.
	Code     string     `json:"code,omitempty"`
	Title    string     `json:"title,omitempty"`
	Subtitle string     `json:"subtitle,omitempty"`
	Category string     `json:"category,omitempty"`
	Vendor   string     `json:"vendor,omitempty"`
	ASIN     string     `json:"asin,omitempty"`
	OriginID string     `json:"origin_id,omitempty"` // the item's id in the system the order came from
	Quantity int        `json:"quantity,omitempty"`
	Status   ItemStatus `json:"status,omitempty"`

	Price       money.Amount `json:"price,omitempty"` // unit price
	ExtraPrice  money.Amount `json:"extra_price,omitempty"`
	TaxRate     money.Amount `json:"tax_rate,omitempty"` // percent
	TaxCategory TaxCategory  `json:"tax_category,omitempty"`
	// Discount is an amount or a percentage, as DiscountType says.
	Discount     money.Amount `json:"discount,omitempty"`
	DiscountType DiscountType `json:"discount_type,omitempty"`

	Weight money.Amount `json:"weight,omitempty"` // kg
	Length money.Amount `json:"length,omitempty"` // cm
	Width  money.Amount `json:"width,omitempty"`  // cm
	Height money.Amount `json:"height,omitempty"` // cm

	// Options holds the item's optional attributes as the API sent them.
	Options json.RawMessage `json:"options,omitempty"`

	// priceSent: the answer carried price (a 0 sent is a free item).
	priceSent bool
}

// UnmarshalJSON reads an item, with or without its {"item": ...} envelope;
// ids and codes may be numbers or strings.
func (it *Item) UnmarshalJSON(b []byte) error {
	var w itemMaybeRoot
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("versacommerce: item: %w", err)
	}
	*it = w.get().item()
	return nil
}

// Address is an order's shipping or billing address.
type Address struct {
	ID         ID `json:"id,omitempty"`
	OrderID    ID `json:"order_id,omitempty"`
	CustomerID ID `json:"customer_id,omitempty"`
	// Category is "shipping" or "billing".
	Category  string `json:"category,omitempty"`
	Title     string `json:"title,omitempty"`
	Firstname string `json:"firstname,omitempty"`
	Lastname  string `json:"lastname,omitempty"`
	Company   string `json:"company,omitempty"`
	Street    string `json:"street,omitempty"`
	// Streetnumber is the house number, read as text ("1a") even when the
	// API sends a number.
	Streetnumber string `json:"streetnumber,omitempty"`
	// Extension is an address line such as "c/o".
	Extension string `json:"extension,omitempty"`
	// Zipcode is read as text even when the API sends a number, so that
	// "01067" keeps its zero.
	Zipcode  string `json:"zipcode,omitempty"`
	City     string `json:"city,omitempty"`
	State    string `json:"state,omitempty"`
	Country  string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Locked   bool   `json:"locked,omitempty"`
	Option01 string `json:"option_01,omitempty"`
	Option02 string `json:"option_02,omitempty"`
	Option03 string `json:"option_03,omitempty"`
}

// UnmarshalJSON reads an address; zipcode and streetnumber may be numbers.
func (a *Address) UnmarshalJSON(b []byte) error {
	var w addressIn
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("versacommerce: address: %w", err)
	}
	*a = w.address()
	return nil
}

// Customer is the shop's customer behind an order.
type Customer struct {
	ID     ID     `json:"id,omitempty"`
	ShopID ID     `json:"shop_id,omitempty"`
	Email  string `json:"email,omitempty"`
	// Birthday is zero when unknown.
	Birthday                time.Time `json:"birthday,omitempty"`
	Active                  bool      `json:"active,omitempty"`
	Registered              bool      `json:"registered,omitempty"`
	AcceptsNewsletter       bool      `json:"accepts_newsletter,omitempty"`
	AccountConfirmationSent bool      `json:"account_confirmation_sent,omitempty"`
	Note                    string    `json:"note,omitempty"`
	Option01                string    `json:"option_01,omitempty"`
	Option02                string    `json:"option_02,omitempty"`
	Option03                string    `json:"option_03,omitempty"`
	Option04                string    `json:"option_04,omitempty"`
	// CreatedOn and UpdatedOn are dates (midnight UTC).
	CreatedOn time.Time `json:"created_on,omitempty"`
	UpdatedOn time.Time `json:"updated_on,omitempty"`
}

// UnmarshalJSON reads a customer; shop_id may be a number or a string, and
// the dates are date-only.
func (c *Customer) UnmarshalJSON(b []byte) error {
	var w customerIn
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("versacommerce: customer: %w", err)
	}
	*c = w.customer()
	return nil
}

// Payment is a payment booked on an order.
type Payment struct {
	ID ID `json:"id,omitempty"`
	// Category is the payment method; "misc" over the API.
	Category string       `json:"category,omitempty"`
	Amount   money.Amount `json:"amount,omitempty"`
	// Currency is the ISO 4217 code ("€" is read as "EUR").
	Currency string `json:"currency,omitempty"`
	Comment  string `json:"comment,omitempty"`
	TransID  string `json:"trans_id,omitempty"` // the payment provider's transaction id
}

// UnmarshalJSON reads a payment, with or without its {"payment": ...}
// envelope.
func (p *Payment) UnmarshalJSON(b []byte) error {
	var w paymentMaybeRoot
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("versacommerce: payment: %w", err)
	}
	*p = w.get().payment()
	return nil
}

// currencyCode turns the symbols the API sends into ISO 4217 codes. A
// three-letter code is upper-cased; anything else is kept as sent.
func currencyCode(s string) string {
	s = strings.TrimSpace(s)
	switch s {
	case "€":
		return "EUR"
	case "$", "US$":
		return "USD"
	case "£":
		return "GBP"
	case "Fr.", "SFr.", "sFr.":
		return "CHF"
	}
	if len(s) == 3 {
		up := strings.ToUpper(s)
		if up[0] >= 'A' && up[0] <= 'Z' && up[1] >= 'A' && up[1] <= 'Z' && up[2] >= 'A' && up[2] <= 'Z' {
			return up
		}
	}
	return s
}
