package versacommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
)

// Every answer is decoded once with encoding/json, into the private wire
// structs below: plain structs of tolerant leaf types (ID, wire.Text,
// wire.Int, wire.Time, the statuses, money.Amount), none with a
// struct-level UnmarshalJSON, then converted into the public types. The
// root element the API may or may not put around an object
// ({"order": {...}} or {...}) is read by a wrapper that holds both shapes
// at once (the bare object embedded, the rooted one under its name), so
// neither reading costs a second scan; rooted picks the one that came.

// rooted returns the object under its root element when the answer had
// one, else the bare object.
func rooted[T any](root, bare *T) *T {
	if root != nil {
		return root
	}
	return bare
}

// ID is an id of the API: an order's, an item's, a product's, a
// customer's, the shop's. Every id the API sends is a whole number, sent as
// a number or a string (shop_id 953 next to "953").
type ID int64

// String returns the id in decimal.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// UnmarshalJSON reads a number, a string holding one, or null (0).
func (id *ID) UnmarshalJSON(b []byte) error {
	var n wire.Int
	if err := n.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("versacommerce: invalid id %.40q", b)
	}
	*id = ID(n)
	return nil
}

// The leaves are ID and the shared ones of internal/wire: wire.Text (text
// sent as a string, a number such as zipcode 12345, a bool or null) and
// wire.Time (the layouts the
// API uses, created_at's "2013-03-19T12 =>39 =>51+01 =>00" included).

// sentAmount is an amount that also records whether the answer carried
// it (null or no key: not sent), so that Common can tell a 0 sent from one
// left out.
type sentAmount struct {
	v    money.Amount
	sent bool
}

func (a *sentAmount) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	a.sent = true
	return a.v.UnmarshalJSON(b)
}

// The wire shapes of the answers.

type orderIn struct {
	ID                  ID            `json:"id"`
	Code                wire.Text     `json:"code"`
	ShopID              ID            `json:"shop_id"`
	CustomerID          ID            `json:"customer_id"`
	CustomerEmail       string        `json:"customer_email"`
	CreatedAt           wire.Time     `json:"created_at"`
	CheckoutLocale      string        `json:"checkout_locale"`
	Status              OrderStatus   `json:"status"`
	PaymentStatus       PaymentStatus `json:"payment_status"`
	ItemsStatus         ItemStatus    `json:"items_status"`
	PaymentType         PaymentType   `json:"payment_type"`
	ShippingType        ShippingType  `json:"shipping_type"`
	Currency            wire.Text     `json:"currency"`
	ItemTotal           money.Amount  `json:"item_total"`
	PaymentCost         money.Amount  `json:"payment_cost"`
	ShippingCost        money.Amount  `json:"shipping_cost"`
	DiscountTotal       money.Amount  `json:"discount_total"`
	CouponCode          wire.Text     `json:"coupon_code"`
	CouponValue         money.Amount  `json:"coupon_value"`
	Subtotal            money.Amount  `json:"subtotal"`
	Total               sentAmount    `json:"total"`
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
	ExternalInvoicingID wire.Text     `json:"external_invoicing_id"`
	OriginName          string        `json:"origin_name"`
	OriginID            wire.Text     `json:"origin_id"`
	BankAccountName     string        `json:"bank_account_name"`
	BankAccountNumber   wire.Text     `json:"bank_account_number"`
	BankAccountBankCode wire.Text     `json:"bank_account_bank_code"`
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

func (m *orderMaybeRoot) get() *orderIn { return rooted(m.Order, &m.orderIn) }

// holdsOrder reports whether the answer carried any of an order's
// identifying attributes (a proxy's {} carries none).
func (w *orderIn) holdsOrder() bool {
	return w.ID != 0 || w.Code != "" || w.PaymentType != "" || w.Items != nil || !w.Total.v.IsZero()
}

func (w *orderIn) order() Order {
	o := Order{
		ID: w.ID, Code: string(w.Code), ShopID: w.ShopID, CustomerID: w.CustomerID,
		CustomerEmail: w.CustomerEmail, CreatedAt: w.CreatedAt.Time, CheckoutLocale: w.CheckoutLocale,
		Status: w.Status, PaymentStatus: w.PaymentStatus, ItemsStatus: w.ItemsStatus,
		PaymentType: w.PaymentType, ShippingType: w.ShippingType,
		CurrencySymbol: string(w.Currency), Currency: currencyCode(string(w.Currency)),
		ItemTotal: w.ItemTotal, PaymentCost: w.PaymentCost, ShippingCost: w.ShippingCost,
		DiscountTotal: w.DiscountTotal, CouponCode: string(w.CouponCode), CouponValue: w.CouponValue,
		Subtotal: w.Subtotal, Total: w.Total.v, totalSent: w.Total.sent, PricesIncludeTax: w.PricesIncludeTax,
		PaymentTaxRate: w.PaymentTaxRate, StandardTaxRate: w.StandardTaxRate,
		StandardTaxAmount: w.StandardTaxAmount, StandardTaxTotal: w.StandardTaxTotal,
		ReducedTaxRate: w.ReducedTaxRate, ReducedTaxAmount: w.ReducedTaxAmount, ReducedTaxTotal: w.ReducedTaxTotal,
		WeightTotal: w.WeightTotal, ItemsCount: w.ItemsCount, PaymentsCount: w.PaymentsCount,
		ShipmentsCount: w.ShipmentsCount, Note: w.Note, Source: w.Source, Referrer: w.Referrer,
		ExternalInvoicingID: string(w.ExternalInvoicingID), OriginName: w.OriginName, OriginID: string(w.OriginID),
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
	ID           ID              `json:"id"`
	OrderID      ID              `json:"order_id"`
	ProductID    ID              `json:"product_id"`
	Code         wire.Text       `json:"code"`
	Title        string          `json:"title"`
	Subtitle     string          `json:"subtitle"`
	Category     string          `json:"category"`
	Vendor       string          `json:"vendor"`
	ASIN         wire.Text       `json:"asin"`
	OriginID     wire.Text       `json:"origin_id"`
	Quantity     wire.Int        `json:"quantity"`
	Status       ItemStatus      `json:"status"`
	Price        sentAmount      `json:"price"`
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

func (m *itemMaybeRoot) get() *itemIn { return rooted(m.Item, &m.itemIn) }

func (w *itemIn) item() Item {
	return Item{
		ID: w.ID, OrderID: w.OrderID, ProductID: w.ProductID, Code: string(w.Code),
		Title: w.Title, Subtitle: w.Subtitle, Category: w.Category, Vendor: w.Vendor, ASIN: string(w.ASIN),
		OriginID: string(w.OriginID), Quantity: int(w.Quantity), Status: w.Status, Price: w.Price.v, priceSent: w.Price.sent,
		ExtraPrice: w.ExtraPrice, TaxRate: w.TaxRate, TaxCategory: w.TaxCategory, Discount: w.Discount,
		DiscountType: w.DiscountType, Weight: w.Weight, Length: w.Length, Width: w.Width, Height: w.Height,
		Options: w.Options,
	}
}

type addressIn struct {
	ID           ID        `json:"id"`
	OrderID      ID        `json:"order_id"`
	CustomerID   ID        `json:"customer_id"`
	Category     string    `json:"category"`
	Title        string    `json:"title"`
	Firstname    string    `json:"firstname"`
	Lastname     string    `json:"lastname"`
	Company      string    `json:"company"`
	Street       string    `json:"street"`
	Streetnumber wire.Text `json:"streetnumber"`
	Extension    string    `json:"extension"`
	Zipcode      wire.Text `json:"zipcode"`
	City         string    `json:"city"`
	State        string    `json:"state"`
	Country      string    `json:"country"`
	Email        string    `json:"email"`
	Phone        wire.Text `json:"phone"`
	Locked       bool      `json:"locked"`
	Option01     wire.Text `json:"option_01"`
	Option02     wire.Text `json:"option_02"`
	Option03     wire.Text `json:"option_03"`
}

func (w *addressIn) address() Address {
	return Address{
		ID: w.ID, OrderID: w.OrderID, CustomerID: w.CustomerID, Category: w.Category,
		Title: w.Title, Firstname: w.Firstname, Lastname: w.Lastname, Company: w.Company, Street: w.Street,
		Streetnumber: string(w.Streetnumber), Extension: w.Extension, Zipcode: string(w.Zipcode), City: w.City,
		State: w.State, Country: w.Country, Email: w.Email, Phone: string(w.Phone), Locked: w.Locked,
		Option01: string(w.Option01), Option02: string(w.Option02), Option03: string(w.Option03),
	}
}

type customerIn struct {
	ID                      ID        `json:"id"`
	ShopID                  ID        `json:"shop_id"`
	Email                   string    `json:"email"`
	Birthday                wire.Time `json:"birthday"`
	Active                  bool      `json:"active"`
	Registered              bool      `json:"registered"`
	AcceptsNewsletter       bool      `json:"accepts_newsletter"`
	AccountConfirmationSent bool      `json:"account_confirmation_sent"`
	Note                    string    `json:"note"`
	Option01                string    `json:"option_01"`
	Option02                string    `json:"option_02"`
	Option03                string    `json:"option_03"`
	Option04                string    `json:"option_04"`
	CreatedOn               wire.Time `json:"created_on"`
	UpdatedOn               wire.Time `json:"updated_on"`
}

func (w *customerIn) customer() Customer {
	return Customer{
		ID: w.ID, ShopID: w.ShopID, Email: w.Email, Birthday: w.Birthday.Time, Active: w.Active,
		Registered: w.Registered, AcceptsNewsletter: w.AcceptsNewsletter,
		AccountConfirmationSent: w.AccountConfirmationSent, Note: w.Note, Option01: w.Option01,
		Option02: w.Option02, Option03: w.Option03, Option04: w.Option04,
		CreatedOn: w.CreatedOn.Time, UpdatedOn: w.UpdatedOn.Time,
	}
}

type paymentIn struct {
	ID       ID           `json:"id"`
	Category string       `json:"category"`
	Amount   money.Amount `json:"amount"`
	Currency wire.Text    `json:"currency"`
	Comment  string       `json:"comment"`
	TransID  wire.Text    `json:"trans_id"`
}

// paymentMaybeRoot is a payment with or without its {"payment": ...} root.
type paymentMaybeRoot struct {
	Payment *paymentIn `json:"payment"`
	paymentIn
}

func (m *paymentMaybeRoot) get() *paymentIn { return rooted(m.Payment, &m.paymentIn) }

func (w *paymentIn) payment() Payment {
	return Payment{ID: w.ID, Category: w.Category, Amount: w.Amount, Currency: currencyCode(string(w.Currency)),
		Comment: w.Comment, TransID: string(w.TransID)}
}
