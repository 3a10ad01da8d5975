package inventorum

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// ID is an Inventorum id. The API sends ids as numbers; a string of digits
// is read too.
type ID int64

// String returns the id in decimal.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// UnmarshalJSON reads a number, a string of digits or null (0).
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*id = 0
		return nil
	}
	digits := b
	if len(b) > 0 && b[0] == '"' {
		if len(b) < 2 || b[len(b)-1] != '"' || bytes.IndexByte(b[1:len(b)-1], '\\') >= 0 {
			var s string
			if err := json.Unmarshal(b, &s); err != nil {
				return fmt.Errorf("inventorum: invalid id %.40q", b)
			}
			digits = []byte(s)
		} else {
			digits = b[1 : len(b)-1]
		}
		digits = bytes.TrimSpace(digits)
	}
	n, ok := parseInt(digits)
	if !ok {
		return fmt.Errorf("inventorum: invalid id %.40q", digits)
	}
	*id = ID(n)
	return nil
}

// parseInt reads a decimal integer with an optional sign, without
// allocating.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 1<<63-1 {
		if neg && n == 1<<63 {
			return -1 << 63, true
		}
		return 0, false
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

// Channel is where an order was taken.
type Channel string

// The documented channels.
const (
	ChannelIPad            Channel = "ipad" // the POS app
	ChannelShop            Channel = "shop"
	ChannelEbay            Channel = "ebay"
	ChannelECE             Channel = "ece"
	ChannelBackoffice      Channel = "backoffice"
	ChannelAtalanda        Channel = "atalanda"
	ChannelClickAndCollect Channel = "click_and_collect"
)

// Channels lists every documented channel, in the order the delta page
// names them.
var Channels = []Channel{ChannelIPad, ChannelShop, ChannelEbay, ChannelECE, ChannelBackoffice, ChannelAtalanda, ChannelClickAndCollect}

// String returns the channel's wire name.
func (c Channel) String() string { return string(c) }

// Valid reports whether c is a documented channel.
func (c Channel) Valid() bool {
	for _, k := range Channels {
		if c == k {
			return true
		}
	}
	return false
}

// DeltaState says why the delta feed delivers an order.
type DeltaState string

// The delta states. The page shows "created"; "modified" is what the feed's
// description ("created or modified") implies for the other case.
const (
	DeltaCreated  DeltaState = "created"
	DeltaModified DeltaState = "modified"
)

// Order is one order as GET /orders/delta/ and GET /orders/ answer it.
type Order struct {
	ID       ID               `json:"id"`
	Basket   Basket           `json:"basket"`
	State    orderstate.State `json:"state"`
	Customer *Customer        `json:"customer"`
	// AmountPaid is what was paid in total ("138.6000000000").
	AmountPaid money.Amount `json:"amount_paid"`
	Payments   []Payment    `json:"payments"`
	Shipment   *Shipment    `json:"shipment"`
	Channel    Channel      `json:"channel"`
	// TimeAdded and CompletedAt are in UTC; zero when the API sent null.
	TimeAdded   time.Time `json:"time_added"`
	CompletedAt time.Time `json:"completed_at"`
	// DeltaState and UserID come with the delta feed only.
	DeltaState DeltaState `json:"delta_state,omitempty"`
	UserID     ID         `json:"user_id,omitempty"`
	// AvailableRefundTypes are the API's refund type codes ("0", "6", ...)
	// as the delta feed sends them; their meanings are not published.
	AvailableRefundTypes []string `json:"available_refund_types,omitempty"`
}

// Status maps the order's state bitmask onto the common status.
func (o *Order) Status() orderstate.Status { return o.State.Status() }

// GrossTotal is the sum of the items' gross prices.
func (o *Order) GrossTotal() money.Amount {
	var s money.Amount
	for _, it := range o.Basket.Items {
		s = s.Add(it.GrossPrice)
	}
	return s
}

// DeltaTime is the order's position in the delta feed: its completion
// time, or the time it was added when it has none. The delta page orders
// the feed by "start_date" without naming the order field behind it; the
// sync helper takes this one and never moves a checkpoint backwards.
func (o *Order) DeltaTime() time.Time {
	if o.CompletedAt.After(o.TimeAdded) {
		return o.CompletedAt
	}
	return o.TimeAdded
}

// UnmarshalJSON reads the order, its timestamps in any layout the API uses.
// The client's own calls decode pages in one pass without it; it is there
// for callers that decode a stored order themselves.
func (o *Order) UnmarshalJSON(b []byte) error {
	var w orderWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	w.to(o)
	return nil
}

// Basket is an order's basket: its items, discount, receipt and invoice
// number.
type Basket struct {
	NoteInternal *string   `json:"note_internal"`
	NoteExternal *string   `json:"note_external"`
	Items        []Item    `json:"items"`
	Discount     *Discount `json:"discount"`
	Receipt      *Receipt  `json:"receipt"`
	// InvoiceNumber is "" for an order without an invoice yet.
	InvoiceNumber string `json:"invoice_number"`
}

// Item is one basket line.
type Item struct {
	ID       ID        `json:"id"`
	Name     string    `json:"name"`
	Discount *Discount `json:"discount"`
	// OriginalQuantity is the ordered quantity as a decimal ("10.00"). It
	// is a money.Amount for its exact decimal reading, not because it is
	// money.
	OriginalQuantity money.Amount `json:"original_quantity"`
	// Price is the net unit price, unrounded ("5.8739495798").
	Price    money.Amount `json:"price"`
	Product  ID           `json:"product"`
	Quantity int          `json:"quantity"`
	// TaxRate is in percent ("19.000").
	TaxRate money.Amount `json:"tax_rate"`
	// GrossPrice is the line's gross total; UnitGrossPrice one unit's.
	GrossPrice     money.Amount `json:"gross_price"`
	UnitGrossPrice money.Amount `json:"unit_gross_price"`
	// ProductCode is nil when the product has none.
	ProductCode *string `json:"product_code"`
}

// DiscountType says how a discount's amount is read.
type DiscountType string

// The discount types.
const (
	// DiscountPercent: the amount is a fraction, 1 = 100 %.
	DiscountPercent DiscountType = "percent"
	// DiscountCash: the amount is deducted from the gross price.
	DiscountCash DiscountType = "cash"
)

// Discount is a basket or item discount.
type Discount struct {
	// Amount is a fraction for DiscountPercent (0.5 = 50 %) or money for
	// DiscountCash.
	Amount money.Amount `json:"amount"`
	// Reason is the account's discount reason code.
	Reason int64 `json:"reason"`
	// Type is percent or cash; empty leaves it to the API.
	Type DiscountType `json:"type,omitempty"`
}

// Receipt is the printed receipt of an order.
type Receipt struct {
	PDF         string `json:"pdf"`
	Image       string `json:"image"`
	ImageWidth  int    `json:"image_width"`
	ImageHeight int    `json:"image_height"`
}

// Customer is the buyer; Order.Customer is nil for an anonymous sale.
type Customer struct {
	ID         ID      `json:"id"`
	Channel    int     `json:"channel"`
	Email      string  `json:"email"`
	Title      *string `json:"title"`
	FirstName  string  `json:"first_name"`
	MiddleName *string `json:"middle_name"`
	LastName   string  `json:"last_name"`
	// BillingAddress is nil when the customer has none.
	BillingAddress *Address `json:"billing_address"`
	// ShippingAddresses is a list: the API names it shipping_address.
	ShippingAddresses []Address `json:"shipping_address"`
}

// Address is a billing or shipping address. Nullable fields are read as "".
type Address struct {
	ID        ID     `json:"id"`
	Country   string `json:"country"`
	Address1  string `json:"address1"`
	Address2  string `json:"address2"`
	Zipcode   string `json:"zipcode"`
	City      string `json:"city"`
	State     string `json:"state"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Title     string `json:"title"`
}

// Payment is one payment of an order.
type Payment struct {
	ID ID `json:"id"`
	// PaymentMethod is the API's payment method code ("0", "6").
	PaymentMethod string       `json:"payment_method"`
	PaymentAmount money.Amount `json:"payment_amount"`
	// Date is in UTC.
	Date                  time.Time `json:"date"`
	TransactionID         *string   `json:"transaction_id"`
	TransactionDuration   *int64    `json:"transaction_duration"`
	PaypalInvoiceID       *string   `json:"paypal_invoice_id"`
	PaypalTabID           *string   `json:"paypal_tab_id"`
	ExternalPaymentMethod *string   `json:"external_payment_method"`
}

// UnmarshalJSON reads the payment, its date in any layout the API uses.
func (p *Payment) UnmarshalJSON(b []byte) error {
	var w paymentWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	w.to(p)
	return nil
}

// Shipment is how an order is delivered.
type Shipment struct {
	ID             ID               `json:"id"`
	Name           string           `json:"name"`
	TrackingNumber *string          `json:"tracking_number"`
	Cost           money.Amount     `json:"cost"`
	ExternalKey    *string          `json:"external_key"`
	Service        *ShipmentService `json:"service"`
}

// ShipmentService is the shipping service and its delivery time.
type ShipmentService struct {
	ID      ID     `json:"id"`
	Name    string `json:"name"`
	TimeMax int    `json:"time_max"`
	TimeMin int    `json:"time_min"`
}
