package inventorum

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// BasketService creates baskets. Get it from Client.Basket.
type BasketService struct{ c *Client }

// BasketRequest is the body of POST /basket/.
type BasketRequest struct {
	// Items: at least one.
	Items []BasketItem `json:"items"`
	// NoteInternal stays with the account; NoteExternal is printed on the
	// invoice.
	NoteInternal string `json:"note_internal,omitempty"`
	NoteExternal string `json:"note_external,omitempty"`
	// Customer is the id of an existing customer of the account; 0 for
	// none.
	Customer ID `json:"customer,omitempty"`
	// Discount applies to the whole basket.
	Discount *Discount `json:"discount,omitempty"`
}

// BasketItem is one line of a new basket.
type BasketItem struct {
	// Product is the id of an existing product.
	Product ID `json:"product"`
	// Quantity is at least 1.
	Quantity int `json:"quantity"`
	// Price is the net unit price. It overrides the product's price only
	// for products with custom_sale; the API requires it either way.
	Price money.Amount `json:"price"`
	Name  string       `json:"name,omitempty"`
	// Discount applies to this line.
	Discount *Discount `json:"discount,omitempty"`
}

// BasketResult is what POST /basket/ answers: the new order, pending until
// it is paid.
type BasketResult struct {
	// ID is the order id to track the order by (the delta feed and list
	// deliver it under this id).
	ID       ID               `json:"id"`
	User     ID               `json:"user"`
	Customer ID               `json:"customer"`
	Basket   ID               `json:"basket"`
	State    orderstate.State `json:"state"`
	// CompletedAt is in UTC.
	CompletedAt time.Time `json:"completed_at"`
	// Channel is the channel's number here (the orders endpoints name it).
	Channel     int             `json:"channel"`
	Shipment    json.RawMessage `json:"shipment"`
	Description *string         `json:"description"`
	// Order is the order as the delta feed shows it, when the answer was
	// lost and Create found the order by ResolveOutcome; nil for an
	// answer that arrived. Such a result has no Basket id and Channel
	// number (the feed does not show them).
	Order *Order `json:"-"`
}

// Status maps the basket's state onto the common status.
func (r *BasketResult) Status() orderstate.Status { return r.State.Status() }

// UnmarshalJSON reads the result, its timestamp in any layout.
func (r *BasketResult) UnmarshalJSON(b []byte) error {
	var w basketResultWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	w.to(r)
	return nil
}

func validDiscount(d *Discount, where string) error {
	if d == nil {
		return nil
	}
	if d.Amount.IsNegative() {
		return pipeline.Invalid(apiName, "%s discount amount %s is negative", where, d.Amount)
	}
	switch d.Type {
	case "", DiscountCash:
	case DiscountPercent:
		if d.Amount.Cmp(money.FromInt(1)) > 0 {
			return pipeline.Invalid(apiName, "%s percent discount %s is above 1 (1 = 100 %%)", where, d.Amount)
		}
	default:
		return pipeline.Invalid(apiName, "%s discount type %q is neither percent nor cash", where, d.Type)
	}
	if d.Reason < 0 {
		return pipeline.Invalid(apiName, "%s discount reason %d is negative", where, d.Reason)
	}
	return nil
}

func (r *BasketRequest) validate() error {
	if len(r.Items) == 0 {
		return pipeline.Invalid(apiName, "basket needs at least one item")
	}
	for i, it := range r.Items {
		if it.Product <= 0 {
			return pipeline.Invalid(apiName, "basket item %d: product id is required", i)
		}
		if it.Quantity < 1 {
			return pipeline.Invalid(apiName, "basket item %d: quantity %d is below 1", i, it.Quantity)
		}
		if it.Price.IsNegative() {
			return pipeline.Invalid(apiName, "basket item %d: price %s is negative", i, it.Price)
		}
		if err := validDiscount(it.Discount, "basket item "+ID(i).String()); err != nil {
			return err
		}
	}
	if r.Customer < 0 {
		return pipeline.Invalid(apiName, "customer id %d is negative", r.Customer)
	}
	return validDiscount(r.Discount, "basket")
}

// Create creates a basket (checkout); the order it makes is PENDING until
// paid. req is checked before sending. A lost answer is an
// *orderkit.LostCreateError (Request is req) for Resolve; Create takes the
// call options orderkit.Reference (written into note_internal) and
// orderkit.ResolveOutcome. A 400 carries an *orderkit.ValidationError. See
// the package doc, "Lost answers".
//
// POST /basket/
func (s *BasketService) Create(ctx context.Context, req *BasketRequest, opts ...orderkit.CallOption) (*BasketResult, error) {
	cs, err := s.c.pc.Calls("Basket.Create", opts, "Reference", "ResolveOutcome")
	if err != nil {
		return nil, err
	}
	if req == nil {
		return nil, pipeline.Invalid(apiName, "Basket.Create needs a request")
	}
	// The caller's request is not written to: the reference goes into a
	// copy.
	body := *req
	if cs.Reference != "" {
		if body.NoteInternal != "" && body.NoteInternal != cs.Reference {
			return nil, pipeline.Invalid(apiName, "Reference %q and NoteInternal %q both set: the reference is written into note_internal", cs.Reference, body.NoteInternal)
		}
		body.NoteInternal = cs.Reference
	}
	if err := body.validate(); err != nil {
		return nil, err
	}
	var w basketResultWire
	sent := time.Now()
	_, err = s.c.do(ctx, &pipeline.Request{Method: http.MethodPost, Path: "basket/", Body: &body, Call: cs}, &w)
	if err == nil {
		var out BasketResult
		w.to(&out)
		return &out, nil
	}
	if !errors.Is(err, orderkit.ErrOutcomeUnknown) {
		return nil, err
	}
	lost := &orderkit.LostCreateError{API: apiName, Request: req, Reference: cs.Reference, SentAt: sent.UTC(), EndedAt: time.Now().UTC(), Err: err}
	var pe *orderkit.Error
	if errors.As(err, &pe) && pe.Response != nil {
		if d, derr := http.ParseTime(pe.Response.Header.Get("Date")); derr == nil {
			lost.ServerDate = d.UTC()
		}
	}
	if !cs.Resolve {
		return nil, lost
	}
	if cerr := ctx.Err(); cerr != nil {
		// The caller's context is done: no lookup can be made now.
		l := *lost
		l.LookupErr = cerr
		return nil, &l
	}
	// CaptureResponse keeps the POST's answer, not the lookup's.
	lc := lookupCall(cs)
	lc.Response = nil
	res, rerr := s.resolve(ctx, lost, lc)
	if rerr != nil {
		l := *lost
		l.LookupErr = rerr
		return nil, &l
	}
	if res.State != orderkit.Created {
		return nil, res.Err()
	}
	return resultOf(res.Order), nil
}

// lookupCall keeps the settings of a create's call options that apply to
// the lookup's requests.
func lookupCall(cs config.CallSettings) config.CallSettings {
	return config.CallSettings{Header: cs.Header, Retry: cs.Retry, Timeout: cs.Timeout, Response: cs.Response}
}

// resultOf is the BasketResult of an order found after a lost answer.
func resultOf(o *Order) *BasketResult {
	r := &BasketResult{ID: o.ID, User: o.UserID, State: o.State, CompletedAt: o.CompletedAt, Order: o}
	if o.Customer != nil {
		r.Customer = o.Customer.ID
	}
	return r
}
