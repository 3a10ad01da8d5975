package versacommerce

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/money"
)

// OrderRequest is a new order for Create. The amounts marked required are
// pointers so that a forgotten one is refused rather than sent as 0 (0 is
// allowed when set); build them with Amount. Every other field is left out
// of the request when unset.
type OrderRequest struct {
	// Required.
	PaymentType  PaymentType   // usually PaymentTypeMisc over the API
	PaymentCost  *money.Amount // may be 0
	ItemTotal    *money.Amount
	Total        *money.Amount
	Subtotal     *money.Amount
	WeightTotal  *money.Amount // kg
	ShippingCost *money.Amount
	// Items: at least one, each with ProductID and Quantity.
	Items []ItemRequest
	// Both addresses, each with first and last name, street, street
	// number, zipcode and city.
	BillingAddress  *AddressRequest
	ShippingAddress *AddressRequest

	// Optional.
	CouponCode        string
	CouponValue       *money.Amount
	StandardTaxTotal  *money.Amount // standard-rate tax on items, shipping, payment
	StandardTaxAmount *money.Amount // standard-rate tax on the items
	ReducedTaxTotal   *money.Amount
	ReducedTaxAmount  *money.Amount
	Note              string
	Source            string // affiliate
	Referrer          string
	// OriginName and OriginID name the system the order came from
	// ("amazon", "1234-123435-124243"); OriginCustomFields carries its
	// extra attributes.
	OriginName         string
	OriginID           string
	OriginCustomFields map[string]string
	CustomerID         ID
	// CreatedAt is the order date; zero lets the shop use the time of
	// creation. It is sent as RFC 3339 with its offset.
	CreatedAt time.Time
	Payments  []PaymentRequest
	// Histories are notes for the order's history, oldest first.
	Histories []string
	Customer  *CustomerRequest
	// NewStatus, NewPaymentStatus and ItemsStatus set the order's
	// statuses instead of the shop's defaults.
	NewStatus        OrderStatus
	NewPaymentStatus PaymentStatus
	ItemsStatus      ItemStatus
}

// ItemRequest is one line of an OrderRequest.
type ItemRequest struct {
	ProductID ID  // required: the VersaCommerce product id
	Quantity  int // required, at least 1

	Code         string // article number or EAN
	Title        string
	Subtitle     string
	Category     string
	Vendor       string
	Price        *money.Amount // unit price
	ExtraPrice   *money.Amount
	TaxRate      *money.Amount // percent: 19
	TaxCategory  TaxCategory
	DiscountType DiscountType
	Discount     *money.Amount // an amount or a percentage, per DiscountType
	Status       ItemStatus
	Weight       *money.Amount // kg
	Length       *money.Amount // cm
	Width        *money.Amount // cm
	Height       *money.Amount // cm
	Options      map[string]any
	OriginID     string
	ASIN         string
}

// AddressRequest is a billing or shipping address of an OrderRequest.
type AddressRequest struct {
	// Required.
	Firstname    string
	Lastname     string
	Street       string
	Streetnumber string
	Zipcode      string
	City         string

	// Optional.
	Title     string
	Extension string
	State     string
	Country   string // ISO 3166-1 alpha-2
	Company   string
	Phone     string
	Option01  string
	Option02  string
	Option03  string
}

// CustomerRequest is the customer of an OrderRequest; every field is
// optional.
type CustomerRequest struct {
	Email             string
	Birthday          time.Time // the date is sent, YYYY-MM-DD
	Active            *bool
	AcceptsNewsletter *bool
	WantsAccount      *bool // create a customer account
	Note              string
	Option01          string
	Option02          string
	Option03          string
	Option04          string
}

// PaymentRequest is a payment booked with an OrderRequest.
type PaymentRequest struct {
	Category string        // usually "misc" over the API
	Amount   *money.Amount // required
	Currency string        // ISO 4217: "EUR"
	Comment  string
	TransID  string // the payment provider's transaction id
}

// Amount returns a pointer to a, for the amount fields of OrderRequest.
func Amount(a money.Amount) *money.Amount { return &a }

// Bool returns a pointer to b, for the flags of CustomerRequest.
func Bool(b bool) *bool { return &b }

// Create creates an order and returns it as the shop answered (201). The
// request is checked before sending (required attributes present, no
// negative amount, documented statuses); the shop's refusal is an
// *orderkit.Error wrapping an *orderkit.ValidationError. The order resource
// is read-only unless VersaCommerce enabled writing for the app
// (orderkit.ErrForbidden otherwise).
//
// It takes orderkit.Reference (sent as the order's origin_id) and
// orderkit.ResolveOutcome. A lost answer is an *orderkit.LostCreateError;
// the package doc says what Resolve and ResolveOutcome then do.
//
// POST /api/orders.json
func (s *OrdersService) Create(ctx context.Context, req *OrderRequest, call ...orderkit.CallOption) (*Order, error) {
	cs, err := s.c.pc.Calls("Orders.Create", call, "Reference", "ResolveOutcome")
	if err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	sent := *req
	if ref := cs.Reference; ref != "" {
		if req.OriginID != "" && req.OriginID != ref {
			return nil, pipeline.Invalid(api, "create: Reference %q and OriginID %q differ; the reference is sent as origin_id", truncate(ref, 70), truncate(req.OriginID, 70))
		}
		sent.OriginID = ref
	}
	body := map[string]any{"order": sent.wire()}
	var out orderMaybeRoot
	start := s.c.now()
	res, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "POST", Path: "orders.json", Body: body, Call: cs}, &out)
	if err == nil && !out.get().holdsOrder() {
		// The documented answer echoes the order, with or without its id. An
		// answer with none of an order's attributes (a proxy's {}, another
		// shape) says nothing of what was created.
		err = s.c.pc.InvalidAnswer("POST", "orders.json", res, fmt.Errorf("the answer holds no order: %w", orderkit.ErrOutcomeUnknown))
	}
	if err == nil {
		o := out.get().order()
		return &o, nil
	}
	if !errors.Is(err, orderkit.ErrOutcomeUnknown) {
		return nil, err
	}
	lost := &orderkit.LostCreateError{
		API: api, Request: req, Reference: sent.OriginID,
		SentAt: start.UTC(), EndedAt: s.c.now().UTC(), ServerDate: serverDate(err, res), Err: err,
	}
	if !cs.Resolve {
		return nil, lost
	}
	// The lookups take the call's header, retries and timeout; the
	// captured metadata stays the create's own.
	lookup := cs
	lookup.Response = nil
	r, lerr := s.resolve(ctx, lost, lost, req, lookup)
	if lerr != nil {
		l := *lost
		l.LookupErr = lerr
		return nil, &l
	}
	if r.State == orderkit.Created {
		return r.Order, nil
	}
	return nil, r.Err()
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func (r *OrderRequest) validate() error {
	if r == nil {
		return pipeline.Invalid(api, "create: no order")
	}
	var missing []string
	if blank(string(r.PaymentType)) {
		missing = append(missing, "payment_type")
	}
	for _, f := range []struct {
		name string
		v    *money.Amount
	}{
		{"payment_cost", r.PaymentCost}, {"item_total", r.ItemTotal}, {"total", r.Total},
		{"subtotal", r.Subtotal}, {"weight_total", r.WeightTotal}, {"shipping_cost", r.ShippingCost},
	} {
		if f.v == nil {
			missing = append(missing, f.name)
		}
	}
	if len(r.Items) == 0 {
		missing = append(missing, "items (at least one)")
	}
	for i, it := range r.Items {
		if it.ProductID <= 0 {
			missing = append(missing, "items["+itoa(i)+"].product_id")
		}
		if it.Quantity <= 0 {
			missing = append(missing, "items["+itoa(i)+"].quantity (at least 1)")
		}
		if it.Status != "" && !it.Status.valid() {
			return pipeline.Invalid(api, "create: items[%d].status %q is not a documented item status", i, it.Status)
		}
		if it.TaxCategory != "" && it.TaxCategory != TaxCategoryStandard && it.TaxCategory != TaxCategoryReduced {
			return pipeline.Invalid(api, "create: items[%d].tax_category %q is neither standard nor reduced", i, it.TaxCategory)
		}
		if it.DiscountType != "" && it.DiscountType != DiscountMoney && it.DiscountType != DiscountPercent {
			return pipeline.Invalid(api, "create: items[%d].discount_type %q is neither money nor percent", i, it.DiscountType)
		}
	}
	missing = append(missing, r.BillingAddress.missing("billing_address")...)
	missing = append(missing, r.ShippingAddress.missing("shipping_address")...)
	for i, p := range r.Payments {
		if p.Amount == nil {
			missing = append(missing, "payments["+itoa(i)+"].amount")
		}
	}
	if len(missing) > 0 {
		return pipeline.Invalid(api, "create: required attributes missing: %s", strings.Join(missing, ", "))
	}
	if err := r.negative(); err != nil {
		return err
	}
	if r.NewStatus != "" && !r.NewStatus.valid() {
		return pipeline.Invalid(api, "create: new_status %q is not a documented order status", r.NewStatus)
	}
	if r.NewPaymentStatus != "" && !r.NewPaymentStatus.valid() {
		return pipeline.Invalid(api, "create: new_payment_status %q is not a documented payment status", r.NewPaymentStatus)
	}
	if r.ItemsStatus != "" && !r.ItemsStatus.valid() {
		return pipeline.Invalid(api, "create: items_status %q is not a documented item status", r.ItemsStatus)
	}
	if r.CustomerID < 0 {
		return pipeline.Invalid(api, "create: customer_id %d is negative", r.CustomerID)
	}
	return nil
}

// negative refuses a negative amount, weight or size: a sign error in the
// caller's arithmetic must not become an order in the shop's books.
func (r *OrderRequest) negative() error {
	type field struct {
		name string
		v    *money.Amount
	}
	check := func(fields ...field) error {
		for _, f := range fields {
			if f.v != nil && f.v.IsNegative() {
				return pipeline.Invalid(api, "create: %s %s is negative", f.name, f.v)
			}
		}
		return nil
	}
	if err := check(
		field{"payment_cost", r.PaymentCost}, field{"item_total", r.ItemTotal}, field{"total", r.Total},
		field{"subtotal", r.Subtotal}, field{"weight_total", r.WeightTotal}, field{"shipping_cost", r.ShippingCost},
		field{"coupon_value", r.CouponValue}, field{"standard_tax_total", r.StandardTaxTotal},
		field{"standard_tax_amount", r.StandardTaxAmount}, field{"reduced_tax_total", r.ReducedTaxTotal},
		field{"reduced_tax_amount", r.ReducedTaxAmount},
	); err != nil {
		return err
	}
	for i, it := range r.Items {
		p := "items[" + itoa(i) + "]."
		if err := check(
			field{p + "price", it.Price}, field{p + "extra_price", it.ExtraPrice}, field{p + "tax_rate", it.TaxRate},
			field{p + "discount", it.Discount}, field{p + "weight", it.Weight}, field{p + "length", it.Length},
			field{p + "width", it.Width}, field{p + "height", it.Height},
		); err != nil {
			return err
		}
	}
	for i, p := range r.Payments {
		if err := check(field{"payments[" + itoa(i) + "].amount", p.Amount}); err != nil {
			return err
		}
	}
	return nil
}

func (a *AddressRequest) missing(name string) []string {
	if a == nil {
		return []string{name}
	}
	var out []string
	for _, f := range []struct{ k, v string }{
		{"firstname", a.Firstname}, {"lastname", a.Lastname}, {"street", a.Street},
		{"streetnumber", a.Streetnumber}, {"zipcode", a.Zipcode}, {"city", a.City},
	} {
		if blank(f.v) {
			out = append(out, name+"."+f.k)
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

// The wire shapes: only what is set is sent.

type orderReqWire struct {
	PaymentType        PaymentType       `json:"payment_type"`
	PaymentCost        *money.Amount     `json:"payment_cost"`
	ItemTotal          *money.Amount     `json:"item_total"`
	Total              *money.Amount     `json:"total"`
	Subtotal           *money.Amount     `json:"subtotal"`
	WeightTotal        *money.Amount     `json:"weight_total"`
	ShippingCost       *money.Amount     `json:"shipping_cost"`
	Items              []itemReqWire     `json:"items"`
	BillingAddress     addressReqWire    `json:"billing_address"`
	ShippingAddress    addressReqWire    `json:"shipping_address"`
	CouponCode         string            `json:"coupon_code,omitempty"`
	CouponValue        *money.Amount     `json:"coupon_value,omitempty"`
	StandardTaxTotal   *money.Amount     `json:"standard_tax_total,omitempty"`
	StandardTaxAmount  *money.Amount     `json:"standard_tax_amount,omitempty"`
	ReducedTaxTotal    *money.Amount     `json:"reduced_tax_total,omitempty"`
	ReducedTaxAmount   *money.Amount     `json:"reduced_tax_amount,omitempty"`
	Note               string            `json:"note,omitempty"`
	Source             string            `json:"source,omitempty"`
	Referrer           string            `json:"referrer,omitempty"`
	OriginName         string            `json:"origin_name,omitempty"`
	OriginID           string            `json:"origin_id,omitempty"`
	OriginCustomFields map[string]string `json:"origin_custom_fields,omitempty"`
	CustomerID         ID                `json:"customer_id,omitempty"`
	CreatedAt          string            `json:"created_at,omitempty"`
	Payments           []paymentReqWire  `json:"payments,omitempty"`
	Histories          []string          `json:"histories,omitempty"`
	Customer           *customerReqWire  `json:"customer,omitempty"`
	NewStatus          OrderStatus       `json:"new_status,omitempty"`
	NewPaymentStatus   PaymentStatus     `json:"new_payment_status,omitempty"`
	ItemsStatus        ItemStatus        `json:"items_status,omitempty"`
}

type itemReqWire struct {
	ProductID    ID             `json:"product_id"`
	Quantity     int            `json:"quantity"`
	Code         string         `json:"code,omitempty"`
	Subtitle     string         `json:"subtitle,omitempty"`
	Title        string         `json:"title,omitempty"`
	Weight       *money.Amount  `json:"weight,omitempty"`
	Price        *money.Amount  `json:"price,omitempty"`
	Status       ItemStatus     `json:"status,omitempty"`
	Length       *money.Amount  `json:"length,omitempty"`
	Width        *money.Amount  `json:"width,omitempty"`
	Height       *money.Amount  `json:"height,omitempty"`
	ExtraPrice   *money.Amount  `json:"extra_price,omitempty"`
	Category     string         `json:"category,omitempty"`
	TaxRate      *money.Amount  `json:"tax_rate,omitempty"`
	TaxCategory  TaxCategory    `json:"tax_category,omitempty"`
	DiscountType DiscountType   `json:"discount_type,omitempty"`
	Discount     *money.Amount  `json:"discount,omitempty"`
	Vendor       string         `json:"vendor,omitempty"`
	Options      map[string]any `json:"options,omitempty"`
	OriginID     string         `json:"origin_id,omitempty"`
	ASIN         string         `json:"asin,omitempty"`
}

type addressReqWire struct {
	Firstname    string `json:"firstname"`
	Lastname     string `json:"lastname"`
	Street       string `json:"street"`
	Streetnumber string `json:"streetnumber"`
	Zipcode      string `json:"zipcode"`
	City         string `json:"city"`
	Title        string `json:"title,omitempty"`
	Extension    string `json:"extension,omitempty"`
	State        string `json:"state,omitempty"`
	Country      string `json:"country,omitempty"`
	Company      string `json:"company,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Option01     string `json:"option_01,omitempty"`
	Option02     string `json:"option_02,omitempty"`
	Option03     string `json:"option_03,omitempty"`
}

type customerReqWire struct {
	Email             string `json:"email,omitempty"`
	Birthday          string `json:"birthday,omitempty"`
	Active            *bool  `json:"active,omitempty"`
	AcceptsNewsletter *bool  `json:"accepts_newsletter,omitempty"`
	WantsAccount      *bool  `json:"wants_account,omitempty"`
	Note              string `json:"note,omitempty"`
	Option01          string `json:"option_01,omitempty"`
	Option02          string `json:"option_02,omitempty"`
	Option03          string `json:"option_03,omitempty"`
	Option04          string `json:"option_04,omitempty"`
}

type paymentReqWire struct {
	Category string        `json:"category,omitempty"`
	Amount   *money.Amount `json:"amount"`
	Currency string        `json:"currency,omitempty"`
	Comment  string        `json:"comment,omitempty"`
	TransID  string        `json:"trans_id,omitempty"`
}

func (r *OrderRequest) wire() orderReqWire {
	w := orderReqWire{
		PaymentType: r.PaymentType, PaymentCost: r.PaymentCost, ItemTotal: r.ItemTotal, Total: r.Total,
		Subtotal: r.Subtotal, WeightTotal: r.WeightTotal, ShippingCost: r.ShippingCost,
		BillingAddress: r.BillingAddress.wire(), ShippingAddress: r.ShippingAddress.wire(),
		CouponCode: r.CouponCode, CouponValue: r.CouponValue,
		StandardTaxTotal: r.StandardTaxTotal, StandardTaxAmount: r.StandardTaxAmount,
		ReducedTaxTotal: r.ReducedTaxTotal, ReducedTaxAmount: r.ReducedTaxAmount,
		Note: r.Note, Source: r.Source, Referrer: r.Referrer,
		OriginName: r.OriginName, OriginID: r.OriginID, OriginCustomFields: r.OriginCustomFields,
		CustomerID: r.CustomerID, Histories: r.Histories,
		NewStatus: r.NewStatus, NewPaymentStatus: r.NewPaymentStatus, ItemsStatus: r.ItemsStatus,
	}
	if !r.CreatedAt.IsZero() {
		w.CreatedAt = r.CreatedAt.Format(time.RFC3339)
	}
	for _, it := range r.Items {
		w.Items = append(w.Items, itemReqWire{
			ProductID: it.ProductID, Quantity: it.Quantity, Code: it.Code, Subtitle: it.Subtitle, Title: it.Title,
			Weight: it.Weight, Price: it.Price, Status: it.Status, Length: it.Length, Width: it.Width, Height: it.Height,
			ExtraPrice: it.ExtraPrice, Category: it.Category, TaxRate: it.TaxRate, TaxCategory: it.TaxCategory,
			DiscountType: it.DiscountType, Discount: it.Discount, Vendor: it.Vendor, Options: it.Options,
			OriginID: it.OriginID, ASIN: it.ASIN,
		})
	}
	for _, p := range r.Payments {
		w.Payments = append(w.Payments, paymentReqWire(p))
	}
	if c := r.Customer; c != nil {
		cw := &customerReqWire{
			Email: c.Email, Active: c.Active, AcceptsNewsletter: c.AcceptsNewsletter, WantsAccount: c.WantsAccount,
			Note: c.Note, Option01: c.Option01, Option02: c.Option02, Option03: c.Option03, Option04: c.Option04,
		}
		if !c.Birthday.IsZero() {
			cw.Birthday = c.Birthday.Format(time.DateOnly)
		}
		w.Customer = cw
	}
	return w
}

func (a *AddressRequest) wire() addressReqWire {
	return addressReqWire(*a)
}
