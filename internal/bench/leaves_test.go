package bench

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
)

// What one-pass decoding with the shared leaves costs, decode only (no
// HTTP): the server's 250-order VersaCommerce page and 100-order Inventorum
// delta page, into the hand-written structs (decode=handwritten) and into
// private wire structs of wire and money leaves with no UnmarshalJSON of
// their own (decode=leaves), as the client packages' decoders are to be
// written (notes in DESIGN.md, "Decoding"). It bounds what those decoders
// can reach:
//
//	go test -run='^$' -bench=LeavesDecode -benchmem -count=6 ./internal/bench/ | tee /tmp/leaves.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /decode /tmp/leaves.txt

type leafVCOrder struct {
	BankAccountBankCode wire.Text      `json:"bank_account_bank_code"`
	BankAccountBankName wire.Text      `json:"bank_account_bank_name"`
	BankAccountName     wire.Text      `json:"bank_account_name"`
	BankAccountNumber   wire.Text      `json:"bank_account_number"`
	CheckoutLocale      string         `json:"checkout_locale"`
	Code                wire.Text      `json:"code"`
	CouponCode          wire.Text      `json:"coupon_code"`
	CouponValue         money.Amount   `json:"coupon_value"`
	CreatedAt           wire.Time      `json:"created_at"`
	Currency            wire.Text      `json:"currency"`
	CustomerEmail       string         `json:"customer_email"`
	CustomerID          wire.Int       `json:"customer_id"`
	DiscountTotal       money.Amount   `json:"discount_total"`
	ExternalInvoicingID wire.Text      `json:"external_invoicing_id"`
	ID                  wire.Int       `json:"id"`
	ItemTotal           money.Amount   `json:"item_total"`
	ItemsCount          wire.Int       `json:"items_count"`
	ItemsStatus         string         `json:"items_status"`
	Note                string         `json:"note"`
	PaymentCost         money.Amount   `json:"payment_cost"`
	PaymentStatus       string         `json:"payment_status"`
	PaymentTaxRate      money.Amount   `json:"payment_tax_rate"`
	PaymentType         string         `json:"payment_type"`
	PaymentsCount       wire.Int       `json:"payments_count"`
	PricesIncludeTax    wire.Bool      `json:"prices_include_tax"`
	ReducedTaxAmount    money.Amount   `json:"reduced_tax_amount"`
	ReducedTaxRate      money.Amount   `json:"reduced_tax_rate"`
	ReducedTaxTotal     money.Amount   `json:"reduced_tax_total"`
	Referrer            string         `json:"referrer"`
	ShipmentsCount      wire.Int       `json:"shipments_count"`
	ShippingCost        money.Amount   `json:"shipping_cost"`
	ShopID              wire.ID        `json:"shop_id"`
	Source              wire.Text      `json:"source"`
	StandardTaxAmount   money.Amount   `json:"standard_tax_amount"`
	StandardTaxRate     money.Amount   `json:"standard_tax_rate"`
	StandardTaxTotal    money.Amount   `json:"standard_tax_total"`
	Status              string         `json:"status"`
	Subtotal            money.Amount   `json:"subtotal"`
	Total               money.Amount   `json:"total"`
	WeightTotal         money.Amount   `json:"weight_total"`
	ShippingAddress     *leafVCAddress `json:"shipping_address"`
	BillingAddress      *leafVCAddress `json:"billing_address"`
	Customer            *leafVCCust    `json:"customer"`
}

type leafVCAddress struct {
	Category     string    `json:"category"`
	City         string    `json:"city"`
	Company      string    `json:"company"`
	Country      string    `json:"country"`
	CustomerID   wire.Int  `json:"customer_id"`
	Email        string    `json:"email"`
	Extension    string    `json:"extension"`
	Firstname    string    `json:"firstname"`
	ID           wire.Int  `json:"id"`
	Lastname     string    `json:"lastname"`
	Locked       wire.Bool `json:"locked"`
	Option01     wire.Text `json:"option_01"`
	Option02     wire.Text `json:"option_02"`
	Option03     wire.Text `json:"option_03"`
	OrderID      wire.Int  `json:"order_id"`
	Phone        wire.Text `json:"phone"`
	State        string    `json:"state"`
	Street       string    `json:"street"`
	Streetnumber wire.Text `json:"streetnumber"`
	Title        string    `json:"title"`
	Zipcode      wire.Text `json:"zipcode"`
}

type leafVCCust struct {
	AcceptsNewsletter       wire.Bool `json:"accepts_newsletter"`
	AccountConfirmationSent wire.Bool `json:"account_confirmation_sent"`
	Active                  wire.Bool `json:"active"`
	Birthday                wire.Time `json:"birthday"`
	CreatedOn               wire.Time `json:"created_on"`
	Email                   string    `json:"email"`
	ID                      wire.Int  `json:"id"`
	Note                    wire.Text `json:"note"`
	Option01                wire.Text `json:"option_01"`
	Option02                wire.Text `json:"option_02"`
	Option03                wire.Text `json:"option_03"`
	Option04                wire.Text `json:"option_04"`
	Registered              wire.Bool `json:"registered"`
	ShopID                  wire.ID   `json:"shop_id"`
	UpdatedOn               wire.Time `json:"updated_on"`
}

// leafVCMaybeRoot reads an order with or without its {"order": ...}.
type leafVCMaybeRoot struct {
	Order *leafVCOrder `json:"order"`
	leafVCOrder
}

// LeafVCOrder is leafVCOrder under an exported name, so that it can be
// embedded as a pointer (encoding/json refuses to allocate an embedded
// pointer to an unexported type): the bare shape then costs nothing when
// the root element is there. In a client package such a type belongs in
// an internal package, out of the public API.
type LeafVCOrder leafVCOrder

// leafVCMaybeRootPtr is leafVCMaybeRoot with the bare shape behind a
// pointer.
type leafVCMaybeRootPtr struct {
	Root *LeafVCOrder `json:"order"`
	*LeafVCOrder
}

type leafInvPage struct {
	Total wire.Int       `json:"total"`
	Data  []leafInvOrder `json:"data"`
}

type leafInvOrder struct {
	ID     wire.Int `json:"id"`
	Basket struct {
		NoteInternal *string `json:"note_internal"`
		NoteExternal *string `json:"note_external"`
		Items        []struct {
			ID               wire.Int      `json:"id"`
			Name             string        `json:"name"`
			Discount         *money.Amount `json:"discount"`
			OriginalQuantity money.Amount  `json:"original_quantity"`
			Price            money.Amount  `json:"price"`
			Product          wire.Int      `json:"product"`
			Quantity         money.Amount  `json:"quantity"`
			TaxRate          money.Amount  `json:"tax_rate"`
			GrossPrice       money.Amount  `json:"gross_price"`
			UnitGrossPrice   money.Amount  `json:"unit_gross_price"`
			ProductCode      wire.Text     `json:"product_code"`
		} `json:"items"`
		Discount *struct {
			Amount money.Amount `json:"amount"`
		} `json:"discount"`
		Receipt *struct {
			PDF         string   `json:"pdf"`
			ImageWidth  wire.Int `json:"image_width"`
			ImageHeight wire.Int `json:"image_height"`
			Image       string   `json:"image"`
		} `json:"receipt"`
		InvoiceNumber wire.Text `json:"invoice_number"`
	} `json:"basket"`
	State      wire.Int        `json:"state"`
	Customer   json.RawMessage `json:"customer"`
	AmountPaid money.Amount    `json:"amount_paid"`
	Payments   []struct {
		ID                    wire.Int      `json:"id"`
		PaymentMethod         wire.Text     `json:"payment_method"`
		PaymentAmount         money.Amount  `json:"payment_amount"`
		Date                  wire.Time     `json:"date"`
		TransactionID         wire.Text     `json:"transaction_id"`
		TransactionDuration   *money.Amount `json:"transaction_duration"`
		PaypalInvoiceID       wire.Text     `json:"paypal_invoice_id"`
		PaypalTabID           wire.Text     `json:"paypal_tab_id"`
		ExternalPaymentMethod wire.Text     `json:"external_payment_method"`
	} `json:"payments"`
	Shipment             json.RawMessage `json:"shipment"`
	Channel              string          `json:"channel"`
	TimeAdded            wire.Time       `json:"time_added"`
	CompletedAt          wire.Time       `json:"completed_at"`
	DeltaState           string          `json:"delta_state"`
	UserID               wire.Int        `json:"user_id"`
	AvailableRefundTypes []wire.Text     `json:"available_refund_types"`
}

func TestLeavesDecodeThePages(t *testing.T) {
	s := newServer(t, benchFeed)
	var vc []leafVCMaybeRoot
	require.NoError(t, json.Unmarshal(s.vcPage, &vc))
	require.Len(t, vc, vcPageSize)
	o := vc[0].Order
	require.NotNil(t, o)
	assert.EqualValues(t, 1, o.ID)
	assert.Equal(t, "15.94", o.Total.String())
	assert.Equal(t, "2013-03-19T11:39:51Z", o.CreatedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	assert.Equal(t, wire.ID("953"), o.Customer.ShopID)
	assert.Equal(t, wire.Text("59514"), o.BillingAddress.Zipcode)

	var vcp []leafVCMaybeRootPtr
	require.NoError(t, json.Unmarshal(s.vcPage, &vcp))
	require.Len(t, vcp, vcPageSize)
	require.NotNil(t, vcp[1].Root)
	assert.Nil(t, vcp[1].LeafVCOrder, "the bare shape stays unallocated")
	assert.EqualValues(t, 2, vcp[1].Root.ID)
	var bare leafVCMaybeRootPtr
	require.NoError(t, json.Unmarshal([]byte(`{"id":7,"total":"1.5"}`), &bare))
	require.NotNil(t, bare.LeafVCOrder)
	assert.Nil(t, bare.Root)
	assert.EqualValues(t, 7, bare.ID)

	var inv leafInvPage
	require.NoError(t, json.Unmarshal(s.deltaFirst, &inv))
	require.Len(t, inv.Data, deltaPageSize)
	assert.Equal(t, "138.6", inv.Data[0].AmountPaid.String())
	assert.Equal(t, feedStart, inv.Data[0].TimeAdded.Time)
	assert.EqualValues(t, deltaOrderID(1), inv.Data[1].ID)
}

func BenchmarkLeavesDecode(b *testing.B) {
	s := newServer(b, benchFeed)
	run := func(b *testing.B, body []byte, out func() any) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if err := json.Unmarshal(body, out()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("page=vc250/decode=handwritten", func(b *testing.B) {
		run(b, s.vcPage, func() any { return new([]hwVCOrderEnvelope) })
	})
	b.Run("page=vc250/decode=leaves", func(b *testing.B) {
		run(b, s.vcPage, func() any { return new([]leafVCMaybeRoot) })
	})
	b.Run("page=vc250/decode=leaves-ptr", func(b *testing.B) {
		run(b, s.vcPage, func() any { return new([]leafVCMaybeRootPtr) })
	})
	b.Run("page=delta100/decode=handwritten", func(b *testing.B) {
		run(b, s.deltaFirst, func() any { return new(hwInvPage) })
	})
	b.Run("page=delta100/decode=leaves", func(b *testing.B) {
		run(b, s.deltaFirst, func() any { return new(leafInvPage) })
	})
}
