package versacommerce

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
)

// Every answer is decoded once, into the private wire structs below: plain
// structs of tolerant leaf types (text, whole, timestamp, ID, the statuses,
// money.Amount), none with a struct-level UnmarshalJSON. They are then
// copied into the public types. The envelope the API may or may not put
// around an object ({"order": {...}} or {...}) is read by a wrapper that
// holds both shapes at once, so neither reading costs a second scan.

// ID is an identifier the API sends as a number or a string (shop_id 953
// next to "953"), kept as text: ids are compared, never computed with.
type ID string

// String returns the id's text.
func (id ID) String() string { return string(id) }

// Int returns the id as an integer, if it is one.
func (id ID) Int() (int64, error) { return strconv.ParseInt(string(id), 10, 64) }

// UnmarshalJSON reads a number, a string or null (empty).
func (id *ID) UnmarshalJSON(b []byte) error {
	var t text
	if err := t.UnmarshalJSON(b); err != nil || isBool(b) {
		return fmt.Errorf("versacommerce: invalid id %.40q", b)
	}
	*id = ID(t)
	return nil
}

// MarshalJSON writes the id as a number when it is an integer written the
// canonical way (953), otherwise as a string ("abc-1", "007").
func (id ID) MarshalJSON() ([]byte, error) {
	if n, err := strconv.ParseInt(string(id), 10, 64); err == nil && strconv.FormatInt(n, 10) == string(id) {
		return []byte(id), nil
	}
	return json.Marshal(string(id))
}

// trim drops JSON whitespace around a value without allocating.
func trim(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func isNull(b []byte) bool { return string(trim(b)) == "null" }

func isBool(b []byte) bool { b = trim(b); return string(b) == "true" || string(b) == "false" }

// unquote returns the text of the JSON string b; ok is false when b is not
// a string. Only a string with escapes goes through encoding/json.
func unquote(b []byte) (string, bool) {
	b = trim(b)
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			plain = false
			break
		}
	}
	if plain {
		return string(inner), true
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// text reads text the API sends as a string, a number (zipcode 12345), a
// bool or null (empty). Objects and arrays are errors.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = trim(b)
	if s, ok := unquote(b); ok {
		*t = text(s)
		return nil
	}
	switch {
	case string(b) == "null":
		*t = ""
	case string(b) == "true" || string(b) == "false":
		*t = text(b)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*t = text(b)
	default:
		return fmt.Errorf("not text: %.40q", b)
	}
	return nil
}

// optText is text that also records whether the key was there at all (the
// resolver must know whether the shop echoes origin_id).
type optText struct {
	v   text
	set bool
}

func (t *optText) UnmarshalJSON(b []byte) error {
	t.set = true
	return t.v.UnmarshalJSON(b)
}

// whole is a whole number sent as a number or a string; plain digits are
// read here, anything else ("2.0", " 2 ", "2e0") by wire.Int, which also
// refuses fractions and overflow.
type whole int64

func (n *whole) UnmarshalJSON(b []byte) error {
	d := trim(b)
	if len(d) >= 2 && d[0] == '"' && d[len(d)-1] == '"' {
		d = d[1 : len(d)-1]
	}
	if v, ok := digits(d); ok {
		*n = whole(v)
		return nil
	}
	var w wire.Int
	if err := w.UnmarshalJSON(b); err != nil {
		return err
	}
	*n = whole(w)
	return nil
}

// digits reads an optionally signed run of at most 18 decimal digits.
func digits(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// timestamp reads the layouts wire.Time knows, plus the form the vendor's
// pages show for created_at, "2013-03-19T12 =>39 =>51+01 =>00", where every
// ":" went through a Ruby hash printer. null and "" are the zero time.
type timestamp time.Time

func (t *timestamp) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		*t = timestamp{}
		return nil
	}
	s, ok := unquote(b)
	if !ok {
		return fmt.Errorf("timestamp is not a string: %.40q", b)
	}
	v, err := parseTime(s)
	if err != nil {
		return err
	}
	*t = timestamp(v)
	return nil
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "=>") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, " =>", ":"), "=>", ":")
	}
	switch {
	case s == "":
		return time.Time{}, nil
	case len(s) == len(time.DateOnly):
		if v, err := time.Parse(time.DateOnly, s); err == nil {
			return v, nil
		}
	case len(s) >= len(time.RFC3339) && s[10] == 'T':
		if v, err := time.Parse(time.RFC3339, s); err == nil {
			return v.UTC(), nil
		}
	}
	return wire.ParseTime(s)
}

// The wire shapes of the answers.

type orderIn struct {
	ID                  whole         `json:"id"`
	Code                text          `json:"code"`
	ShopID              ID            `json:"shop_id"`
	CustomerID          whole         `json:"customer_id"`
	CustomerEmail       string        `json:"customer_email"`
	CreatedAt           timestamp     `json:"created_at"`
	CheckoutLocale      string        `json:"checkout_locale"`
	Status              OrderStatus   `json:"status"`
	PaymentStatus       PaymentStatus `json:"payment_status"`
	ItemsStatus         ItemStatus    `json:"items_status"`
	PaymentType         PaymentType   `json:"payment_type"`
	ShippingType        ShippingType  `json:"shipping_type"`
	Currency            text          `json:"currency"`
	ItemTotal           money.Amount  `json:"item_total"`
	PaymentCost         money.Amount  `json:"payment_cost"`
	ShippingCost        money.Amount  `json:"shipping_cost"`
	DiscountTotal       money.Amount  `json:"discount_total"`
	CouponCode          text          `json:"coupon_code"`
	CouponValue         money.Amount  `json:"coupon_value"`
	Subtotal            money.Amount  `json:"subtotal"`
	Total               money.Amount  `json:"total"`
	PricesIncludeTax    bool          `json:"prices_include_tax"`
	PaymentTaxRate      money.Amount  `json:"payment_tax_rate"`
	StandardTaxRate     money.Amount  `json:"standard_tax_rate"`
	StandardTaxAmount   money.Amount  `json:"standard_tax_amount"`
	StandardTaxTotal    money.Amount  `json:"standard_tax_total"`
	ReducedTaxRate      money.Amount  `json:"reduced_tax_rate"`
	ReducedTaxAmount    money.Amount  `json:"reduced_tax_amount"`
	ReducedTaxTotal     money.Amount  `json:"reduced_tax_total"`
	WeightTotal         money.Amount  `json:"weight_total"`
	ItemsCount          int           `json:"items_count"`
	PaymentsCount       int           `json:"payments_count"`
	ShipmentsCount      int           `json:"shipments_count"`
	Note                string        `json:"note"`
	Source              string        `json:"source"`
	Referrer            string        `json:"referrer"`
	ExternalInvoicingID text          `json:"external_invoicing_id"`
	OriginName          string        `json:"origin_name"`
	OriginID            optText       `json:"origin_id"`
	BankAccountName     string        `json:"bank_account_name"`
	BankAccountNumber   text          `json:"bank_account_number"`
	BankAccountBankCode text          `json:"bank_account_bank_code"`
	BankAccountBankName string        `json:"bank_account_bank_name"`

	ShippingAddress *addressIn  `json:"shipping_address"`
	BillingAddress  *addressIn  `json:"billing_address"`
	Customer        *customerIn `json:"customer"`

	Items     []itemMaybeRoot    `json:"items"`
	Payments  []paymentMaybeRoot `json:"payments"`
	Shipments []json.RawMessage  `json:"shipments"`
	Histories []json.RawMessage  `json:"histories"`
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
	o := Order{
		ID: int64(w.ID), Code: string(w.Code), ShopID: w.ShopID, CustomerID: int64(w.CustomerID),
		CustomerEmail: w.CustomerEmail, CreatedAt: time.Time(w.CreatedAt), CheckoutLocale: w.CheckoutLocale,
		Status: w.Status, PaymentStatus: w.PaymentStatus, ItemsStatus: w.ItemsStatus,
		PaymentType: w.PaymentType, ShippingType: w.ShippingType,
		CurrencySymbol: string(w.Currency), Currency: currencyCode(string(w.Currency)),
		ItemTotal: w.ItemTotal, PaymentCost: w.PaymentCost, ShippingCost: w.ShippingCost,
		DiscountTotal: w.DiscountTotal, CouponCode: string(w.CouponCode), CouponValue: w.CouponValue,
		Subtotal: w.Subtotal, Total: w.Total, PricesIncludeTax: w.PricesIncludeTax,
		PaymentTaxRate: w.PaymentTaxRate, StandardTaxRate: w.StandardTaxRate,
		StandardTaxAmount: w.StandardTaxAmount, StandardTaxTotal: w.StandardTaxTotal,
		ReducedTaxRate: w.ReducedTaxRate, ReducedTaxAmount: w.ReducedTaxAmount, ReducedTaxTotal: w.ReducedTaxTotal,
		WeightTotal: w.WeightTotal, ItemsCount: w.ItemsCount, PaymentsCount: w.PaymentsCount,
		ShipmentsCount: w.ShipmentsCount, Note: w.Note, Source: w.Source, Referrer: w.Referrer,
		ExternalInvoicingID: string(w.ExternalInvoicingID), OriginName: w.OriginName, OriginID: string(w.OriginID.v),
		BankAccountName: w.BankAccountName, BankAccountNumber: string(w.BankAccountNumber),
		BankAccountBankCode: string(w.BankAccountBankCode), BankAccountBankName: w.BankAccountBankName,
		Shipments: w.Shipments, Histories: w.Histories,
	}
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
	ID           whole           `json:"id"`
	OrderID      whole           `json:"order_id"`
	ProductID    whole           `json:"product_id"`
	Code         text            `json:"code"`
	Title        string          `json:"title"`
	Subtitle     string          `json:"subtitle"`
	Category     string          `json:"category"`
	Vendor       string          `json:"vendor"`
	ASIN         text            `json:"asin"`
	OriginID     text            `json:"origin_id"`
	Quantity     whole           `json:"quantity"`
	Status       ItemStatus      `json:"status"`
	Price        money.Amount    `json:"price"`
	ExtraPrice   money.Amount    `json:"extra_price"`
	TaxRate      money.Amount    `json:"tax_rate"`
	TaxCategory  TaxCategory     `json:"tax_category"`
	Discount     money.Amount    `json:"discount"`
	DiscountType DiscountType    `json:"discount_type"`
	Weight       money.Amount    `json:"weight"`
	Length       money.Amount    `json:"length"`
	Width        money.Amount    `json:"width"`
	Height       money.Amount    `json:"height"`
	Options      json.RawMessage `json:"options"`
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
	return Item{
		ID: int64(w.ID), OrderID: int64(w.OrderID), ProductID: int64(w.ProductID), Code: string(w.Code),
		Title: w.Title, Subtitle: w.Subtitle, Category: w.Category, Vendor: w.Vendor, ASIN: string(w.ASIN),
		OriginID: string(w.OriginID), Quantity: int(w.Quantity), Status: w.Status, Price: w.Price,
		ExtraPrice: w.ExtraPrice, TaxRate: w.TaxRate, TaxCategory: w.TaxCategory, Discount: w.Discount,
		DiscountType: w.DiscountType, Weight: w.Weight, Length: w.Length, Width: w.Width, Height: w.Height,
		Options: w.Options,
	}
}

type addressIn struct {
	ID           whole  `json:"id"`
	OrderID      whole  `json:"order_id"`
	CustomerID   whole  `json:"customer_id"`
	Category     string `json:"category"`
	Title        string `json:"title"`
	Firstname    string `json:"firstname"`
	Lastname     string `json:"lastname"`
	Company      string `json:"company"`
	Street       string `json:"street"`
	Streetnumber text   `json:"streetnumber"`
	Extension    string `json:"extension"`
	Zipcode      text   `json:"zipcode"`
	City         string `json:"city"`
	State        string `json:"state"`
	Country      string `json:"country"`
	Email        string `json:"email"`
	Phone        text   `json:"phone"`
	Locked       bool   `json:"locked"`
	Option01     text   `json:"option_01"`
	Option02     text   `json:"option_02"`
	Option03     text   `json:"option_03"`
}

func (w *addressIn) address() Address {
	return Address{
		ID: int64(w.ID), OrderID: int64(w.OrderID), CustomerID: int64(w.CustomerID), Category: w.Category,
		Title: w.Title, Firstname: w.Firstname, Lastname: w.Lastname, Company: w.Company, Street: w.Street,
		Streetnumber: string(w.Streetnumber), Extension: w.Extension, Zipcode: string(w.Zipcode), City: w.City,
		State: w.State, Country: w.Country, Email: w.Email, Phone: string(w.Phone), Locked: w.Locked,
		Option01: string(w.Option01), Option02: string(w.Option02), Option03: string(w.Option03),
	}
}

type customerIn struct {
	ID                      whole     `json:"id"`
	ShopID                  ID        `json:"shop_id"`
	Email                   string    `json:"email"`
	Birthday                timestamp `json:"birthday"`
	Active                  bool      `json:"active"`
	Registered              bool      `json:"registered"`
	AcceptsNewsletter       bool      `json:"accepts_newsletter"`
	AccountConfirmationSent bool      `json:"account_confirmation_sent"`
	Note                    string    `json:"note"`
	Option01                string    `json:"option_01"`
	Option02                string    `json:"option_02"`
	Option03                string    `json:"option_03"`
	Option04                string    `json:"option_04"`
	CreatedOn               timestamp `json:"created_on"`
	UpdatedOn               timestamp `json:"updated_on"`
}

func (w *customerIn) customer() Customer {
	return Customer{
		ID: int64(w.ID), ShopID: w.ShopID, Email: w.Email, Birthday: time.Time(w.Birthday), Active: w.Active,
		Registered: w.Registered, AcceptsNewsletter: w.AcceptsNewsletter,
		AccountConfirmationSent: w.AccountConfirmationSent, Note: w.Note, Option01: w.Option01,
		Option02: w.Option02, Option03: w.Option03, Option04: w.Option04,
		CreatedOn: time.Time(w.CreatedOn), UpdatedOn: time.Time(w.UpdatedOn),
	}
}

type paymentIn struct {
	ID       whole        `json:"id"`
	Category string       `json:"category"`
	Amount   money.Amount `json:"amount"`
	Currency text         `json:"currency"`
	Comment  string       `json:"comment"`
	TransID  text         `json:"trans_id"`
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
	return Payment{ID: int64(w.ID), Category: w.Category, Amount: w.Amount, Currency: currencyCode(string(w.Currency)),
		Comment: w.Comment, TransID: string(w.TransID)}
}
