package inventorum

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// The answers as the API sends them: plain structs of tolerant leaf types
// (wire.Time for the several timestamp layouts, money.Amount for amounts
// as numbers or strings, ID for ids as numbers or strings), decoded in one
// pass and then copied into the public types. None of them has an
// UnmarshalJSON method, so that no level of an order is scanned twice.

// orderWire is an order of the delta feed or the list.
type orderWire struct {
	ID                   ID               `json:"id"`
	Basket               Basket           `json:"basket"`
	State                orderstate.State `json:"state"`
	Customer             *Customer        `json:"customer"`
	AmountPaid           money.Amount     `json:"amount_paid"`
	Payments             []paymentWire    `json:"payments"`
	Shipment             *Shipment        `json:"shipment"`
	Channel              Channel          `json:"channel"`
	TimeAdded            wire.Time        `json:"time_added"`
	CompletedAt          wire.Time        `json:"completed_at"`
	DeltaState           DeltaState       `json:"delta_state"`
	UserID               ID               `json:"user_id"`
	AvailableRefundTypes []string         `json:"available_refund_types"`
}

// to copies w into o; payments go into one new slice.
func (w *orderWire) to(o *Order) {
	*o = Order{
		ID:                   w.ID,
		Basket:               w.Basket,
		State:                w.State,
		Customer:             w.Customer,
		AmountPaid:           w.AmountPaid,
		Shipment:             w.Shipment,
		Channel:              w.Channel,
		TimeAdded:            w.TimeAdded.Time,
		CompletedAt:          w.CompletedAt.Time,
		DeltaState:           w.DeltaState,
		UserID:               w.UserID,
		AvailableRefundTypes: w.AvailableRefundTypes,
	}
	if w.Payments != nil {
		o.Payments = make([]Payment, len(w.Payments))
		for i := range w.Payments {
			w.Payments[i].to(&o.Payments[i])
		}
	}
}

// paymentWire is a payment of an order.
type paymentWire struct {
	ID                    ID           `json:"id"`
	PaymentMethod         string       `json:"payment_method"`
	PaymentAmount         money.Amount `json:"payment_amount"`
	Date                  wire.Time    `json:"date"`
	TransactionID         *string      `json:"transaction_id"`
	TransactionDuration   *int64       `json:"transaction_duration"`
	PaypalInvoiceID       *string      `json:"paypal_invoice_id"`
	PaypalTabID           *string      `json:"paypal_tab_id"`
	ExternalPaymentMethod *string      `json:"external_payment_method"`
}

func (w *paymentWire) to(p *Payment) {
	*p = Payment{
		ID:                    w.ID,
		PaymentMethod:         w.PaymentMethod,
		PaymentAmount:         w.PaymentAmount,
		Date:                  w.Date.Time,
		TransactionID:         w.TransactionID,
		TransactionDuration:   w.TransactionDuration,
		PaypalInvoiceID:       w.PaypalInvoiceID,
		PaypalTabID:           w.PaypalTabID,
		ExternalPaymentMethod: w.ExternalPaymentMethod,
	}
}

// pageWire is a page of the delta feed or the list: {"total", "data"} as
// the page documents, {"results"} as some list endpoints of the API answer
// (read when data is absent).
type pageWire struct {
	Total   wire.Int    `json:"total"`
	Data    []orderWire `json:"data"`
	Results []orderWire `json:"results"`
}

// decodePage reads a page in one pass: the documented envelope, or a bare
// array of orders (its total then unknown, 0).
func decodePage(b []byte, p *Page) error {
	var w pageWire
	switch first(b) {
	case 0:
		return errors.New("empty answer")
	case '[':
		if err := json.Unmarshal(b, &w.Data); err != nil {
			return fmt.Errorf("decoding the answer: %w", err)
		}
	case '{':
		if err := json.Unmarshal(b, &w); err != nil {
			return fmt.Errorf("decoding the answer: %w", err)
		}
		if w.Data == nil {
			w.Data = w.Results
		}
	default:
		return fmt.Errorf("decoding the answer: not a JSON object or array: %.40q", b)
	}
	p.Total = int64(w.Total)
	p.Data = nil
	if w.Data != nil {
		p.Data = make([]Order, len(w.Data))
	}
	for i := range w.Data {
		w.Data[i].to(&p.Data[i])
	}
	return nil
}

// first returns the first byte of b that is not white space, or 0.
func first(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// basketResultWire is the answer of POST /basket/.
type basketResultWire struct {
	ID          ID               `json:"id"`
	User        ID               `json:"user"`
	Customer    ID               `json:"customer"`
	Basket      ID               `json:"basket"`
	State       orderstate.State `json:"state"`
	CompletedAt wire.Time        `json:"completed_at"`
	Channel     int              `json:"channel"`
	Shipment    json.RawMessage  `json:"shipment"`
	Description *string          `json:"description"`
}

func (w *basketResultWire) to(r *BasketResult) {
	*r = BasketResult{
		ID: w.ID, User: w.User, Customer: w.Customer, Basket: w.Basket, State: w.State,
		CompletedAt: w.CompletedAt.Time, Channel: w.Channel, Shipment: w.Shipment, Description: w.Description,
	}
}
