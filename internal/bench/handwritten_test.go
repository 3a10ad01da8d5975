package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// The hand-written client (impl=handwritten): what a Go developer writes
// against these APIs without the SDK. net/http with one reused http.Client,
// encoding/json into plain structs of their own — money as the string or
// float64 the payload has, timestamps as time.Time where they are RFC 3339
// and as string where they are not, ids that are sometimes quoted as
// json.Number — the same credentials and headers as the SDK, the status
// checked, each body read to the end (baselineGet). The structs hold every
// member the server's payloads send, so both sides decode all of them
// (TestHandwrittenStructsReadEveryMember).

type hwAttivitaOrder struct {
	OrderNumber        int64            `json:"orderNumber"`
	OrderDate          time.Time        `json:"orderDate"`
	Status             string           `json:"status"`
	Items              []hwAttivitaItem `json:"items"`
	SubTotal           float64          `json:"subTotal"`
	DiscountPercentage *float64         `json:"discountPercentage"`
	DiscountAmount     float64          `json:"discountAmount"`
	DiscountType       int              `json:"discountType"`
	DiscountTotal      float64          `json:"discountTotal"`
	GrandTotal         float64          `json:"grandTotal"`
	PaymentMethod      string           `json:"paymentMethod"`
	OrderFrom          int              `json:"orderFrom"`
}

type hwAttivitaItem struct {
	Product struct {
		DisplayName string `json:"displayName"`
		ID          string `json:"_id"`
	} `json:"product"`
	Quantity      int     `json:"quantity"`
	Price         float64 `json:"price"`
	Subtotal      float64 `json:"subtotal"`
	IsReplacement bool    `json:"isReplacement"`
	Licenses      []struct {
		LicenseKey string `json:"licenseKey"`
	} `json:"licenses"`
	BundleLicenses []struct {
		LicenseKey string `json:"licenseKey"`
	} `json:"bundleLicenses"`
}

type hwVCOrderEnvelope struct {
	Order hwVCOrder `json:"order"`
}

type hwVCOrder struct {
	BankAccountBankCode *string       `json:"bank_account_bank_code"`
	BankAccountBankName *string       `json:"bank_account_bank_name"`
	BankAccountName     *string       `json:"bank_account_name"`
	BankAccountNumber   *string       `json:"bank_account_number"`
	CheckoutLocale      string        `json:"checkout_locale"`
	Code                string        `json:"code"`
	CouponCode          *string       `json:"coupon_code"`
	CouponValue         string        `json:"coupon_value"`
	CreatedAt           string        `json:"created_at"` // "2013-03-19T12 =>39 =>51+01 =>00"
	Currency            string        `json:"currency"`
	CustomerEmail       string        `json:"customer_email"`
	CustomerID          int64         `json:"customer_id"`
	DiscountTotal       string        `json:"discount_total"`
	ExternalInvoicingID *string       `json:"external_invoicing_id"`
	ID                  int64         `json:"id"`
	ItemTotal           string        `json:"item_total"`
	ItemsCount          int           `json:"items_count"`
	ItemsStatus         string        `json:"items_status"`
	Note                string        `json:"note"`
	PaymentCost         string        `json:"payment_cost"`
	PaymentStatus       string        `json:"payment_status"`
	PaymentTaxRate      float64       `json:"payment_tax_rate"`
	PaymentType         string        `json:"payment_type"`
	PaymentsCount       int           `json:"payments_count"`
	PricesIncludeTax    bool          `json:"prices_include_tax"`
	ReducedTaxAmount    string        `json:"reduced_tax_amount"`
	ReducedTaxRate      float64       `json:"reduced_tax_rate"`
	ReducedTaxTotal     string        `json:"reduced_tax_total"`
	Referrer            string        `json:"referrer"`
	ShipmentsCount      int           `json:"shipments_count"`
	ShippingCost        string        `json:"shipping_cost"`
	ShopID              json.Number   `json:"shop_id"`
	Source              *string       `json:"source"`
	StandardTaxAmount   string        `json:"standard_tax_amount"`
	StandardTaxRate     float64       `json:"standard_tax_rate"`
	StandardTaxTotal    string        `json:"standard_tax_total"`
	Status              string        `json:"status"`
	Subtotal            string        `json:"subtotal"`
	Total               string        `json:"total"`
	WeightTotal         float64       `json:"weight_total"`
	ShippingAddress     *hwVCAddress  `json:"shipping_address"`
	BillingAddress      *hwVCAddress  `json:"billing_address"`
	Customer            *hwVCCustomer `json:"customer"`
}

type hwVCAddress struct {
	Category     string `json:"category"`
	City         string `json:"city"`
	Company      string `json:"company"`
	Country      string `json:"country"`
	CustomerID   int64  `json:"customer_id"`
	Email        string `json:"email"`
	Extension    string `json:"extension"`
	Firstname    string `json:"firstname"`
	ID           int64  `json:"id"`
	Lastname     string `json:"lastname"`
	Locked       bool   `json:"locked"`
	Option01     string `json:"option_01"`
	Option02     string `json:"option_02"`
	Option03     string `json:"option_03"`
	OrderID      int64  `json:"order_id"`
	Phone        string `json:"phone"`
	State        string `json:"state"`
	Street       string `json:"street"`
	Streetnumber string `json:"streetnumber"`
	Title        string `json:"title"`
	Zipcode      string `json:"zipcode"`
}

type hwVCCustomer struct {
	AcceptsNewsletter       bool        `json:"accepts_newsletter"`
	AccountConfirmationSent bool        `json:"account_confirmation_sent"`
	Active                  bool        `json:"active"`
	Birthday                *string     `json:"birthday"`
	CreatedOn               string      `json:"created_on"` // "2012-11-09"
	Email                   string      `json:"email"`
	ID                      int64       `json:"id"`
	Note                    *string     `json:"note"`
	Option01                string      `json:"option_01"`
	Option02                string      `json:"option_02"`
	Option03                string      `json:"option_03"`
	Option04                string      `json:"option_04"`
	Registered              bool        `json:"registered"`
	ShopID                  json.Number `json:"shop_id"`
	UpdatedOn               string      `json:"updated_on"`
}

type hwInvPage struct {
	Total int          `json:"total"`
	Data  []hwInvOrder `json:"data"`
}

type hwInvOrder struct {
	ID     int64 `json:"id"`
	Basket struct {
		NoteInternal *string `json:"note_internal"`
		NoteExternal *string `json:"note_external"`
		Items        []struct {
			ID               int64   `json:"id"`
			Name             string  `json:"name"`
			Discount         *string `json:"discount"`
			OriginalQuantity string  `json:"original_quantity"`
			Price            string  `json:"price"`
			Product          int64   `json:"product"`
			Quantity         float64 `json:"quantity"`
			TaxRate          string  `json:"tax_rate"`
			GrossPrice       string  `json:"gross_price"`
			UnitGrossPrice   string  `json:"unit_gross_price"`
			ProductCode      string  `json:"product_code"`
		} `json:"items"`
		Discount *struct {
			Amount string `json:"amount"`
		} `json:"discount"`
		Receipt *struct {
			PDF         string `json:"pdf"`
			ImageWidth  int    `json:"image_width"`
			ImageHeight int    `json:"image_height"`
			Image       string `json:"image"`
		} `json:"receipt"`
		InvoiceNumber string `json:"invoice_number"`
	} `json:"basket"`
	State      int64           `json:"state"`
	Customer   json.RawMessage `json:"customer"`
	AmountPaid string          `json:"amount_paid"`
	Payments   []struct {
		ID                    int64     `json:"id"`
		PaymentMethod         string    `json:"payment_method"`
		PaymentAmount         string    `json:"payment_amount"`
		Date                  time.Time `json:"date"`
		TransactionID         *string   `json:"transaction_id"`
		TransactionDuration   *float64  `json:"transaction_duration"`
		PaypalInvoiceID       *string   `json:"paypal_invoice_id"`
		PaypalTabID           *string   `json:"paypal_tab_id"`
		ExternalPaymentMethod *string   `json:"external_payment_method"`
	} `json:"payments"`
	Shipment             json.RawMessage `json:"shipment"`
	Channel              string          `json:"channel"`
	TimeAdded            time.Time       `json:"time_added"`
	CompletedAt          time.Time       `json:"completed_at"`
	DeltaState           string          `json:"delta_state"`
	UserID               int64           `json:"user_id"`
	AvailableRefundTypes []string        `json:"available_refund_types"`
}

func (o *hwInvOrder) deltaTime() time.Time {
	if o.CompletedAt.After(o.TimeAdded) {
		return o.CompletedAt
	}
	return o.TimeAdded
}

// handwrittenHTTP is the hand-written client's one http.Client. Its
// transport keeps 32 idle connections per host, as the SDK's does, so the
// parallel scenario compares code, not pool sizes.
func handwrittenHTTP() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	return &http.Client{Transport: t}
}

func handwrittenAttivitaGet(ctx context.Context, hc *http.Client, s *server, number int64) (*hwAttivitaOrder, error) {
	return getJSON[hwAttivitaOrder](ctx, hc, s.attivitaOrderURL(number), attivitaHeader)
}

func handwrittenVCGet(ctx context.Context, hc *http.Client, s *server, id int64) (*hwVCOrder, error) {
	o, err := getJSON[hwVCOrderEnvelope](ctx, hc, s.vcOrderURL(id), vcHeader)
	return &o.Order, err
}

func handwrittenVCPage(ctx context.Context, hc *http.Client, s *server) ([]hwVCOrderEnvelope, error) {
	p, err := getJSON[[]hwVCOrderEnvelope](ctx, hc, s.vcPageURL(), vcHeader)
	return *p, err
}

func handwrittenDelta(ctx context.Context, hc *http.Client, s *server, start time.Time) (*hwInvPage, error) {
	return getJSON[hwInvPage](ctx, hc, s.deltaURL(start), inventorumHeader)
}

// handwrittenSync walks the delta feed by keyset (keysetSync), as
// baselineSync does, on the hand-written types.
func handwrittenSync(ctx context.Context, hc *http.Client, s *server, each func(*hwInvOrder)) (int, error) {
	return keysetSync(func(start time.Time) ([]hwInvOrder, error) {
		p, err := handwrittenDelta(ctx, hc, s, start)
		return p.Data, err
	}, func(o *hwInvOrder) (time.Time, int64) { return o.deltaTime(), o.ID }, each)
}

func handwrittenSyncSampled(ctx context.Context, hc *http.Client, s *server, h *heapPeak) (int, error) {
	return handwrittenSync(ctx, hc, s, sampleEvery100[hwInvOrder](h))
}
