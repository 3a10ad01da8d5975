package adility

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/internal/wire"
)

// VoucherStatus is a voucher's status as Adility spells it: "Acquired",
// "redeemed" or "cancelled". Known values are read in any case and kept in
// the documented spelling; another value is kept as sent.
type VoucherStatus string

// The documented voucher statuses, spelled as on the reference page.
const (
	VoucherAcquired  VoucherStatus = "Acquired"
	VoucherRedeemed  VoucherStatus = "redeemed"
	VoucherCancelled VoucherStatus = "cancelled"
)

// String returns the status as Adility spells it.
func (s VoucherStatus) String() string { return string(s) }

// Usable reports whether the voucher was acquired and neither redeemed nor
// cancelled: the buyer can still redeem it.
func (s VoucherStatus) Usable() bool { return s == VoucherAcquired }

func parseVoucherStatus(s string) VoucherStatus {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "acquired":
		return VoucherAcquired
	case "redeemed":
		return VoucherRedeemed
	case "cancelled", "canceled":
		return VoucherCancelled
	}
	return VoucherStatus(strings.TrimSpace(s))
}

// Voucher is what a "deal" or gift-card order hands the buyer: a
// redemption code, with a barcode and a printable page.
type Voucher struct {
	ID             string
	OfferID        string
	BundleItemID   string
	RedemptionCode string
	CustomerName   string
	Status         VoucherStatus
	// The dates are in UTC; zero when not sent (or in a layout that could
	// not be read — then Unknown holds the text under the attribute name).
	AcquiredAt     time.Time
	RedeemedAt     time.Time
	CancelledAt    time.Time
	ActivationDate time.Time
	ExpirationDate time.Time
	// ReservationID, AccountID, Barcode and PrintURL are sent by the
	// Distribution API.
	ReservationID string
	AccountID     string
	Barcode       string
	PrintURL      string
	// Unknown holds undocumented attributes as sent (see Order.Unknown).
	Unknown map[string]string
}

type voucherWire struct {
	ID             wire.ID  `json:"id" xml:"id"`
	OfferID        wire.ID  `json:"offer_id" xml:"offer_id"`
	BundleItemID   wire.ID  `json:"bundle_item_id" xml:"bundle_item_id"`
	RedemptionCode wire.ID  `json:"redemption_code" xml:"redemption_code"`
	CustomerName   string   `json:"customer_name" xml:"customer_name"`
	Status         string   `json:"status" xml:"status"`
	AcquiredAt     flexTime `json:"acquired_at" xml:"acquired_at"`
	RedeemedAt     flexTime `json:"redeemed_at" xml:"redeemed_at"`
	CancelledAt    flexTime `json:"cancelled_at" xml:"cancelled_at"`
	ActivationDate flexTime `json:"activation_date" xml:"activation_date"`
	ExpirationDate flexTime `json:"expiration_date" xml:"expiration_date"`
	ReservationID  wire.ID  `json:"reservation_id" xml:"reservation_id"`
	AccountID      wire.ID  `json:"account_id" xml:"account_id"`
	Barcode        wire.ID  `json:"barcode" xml:"barcode"`
	PrintURL       string   `json:"print_url" xml:"print_url"`
	Any            []xmlAny `json:"-" xml:",any"`
	unknown        map[string]string
}

// voucherKeys are the documented attributes, as a set.
var voucherKeys = fieldSet(voucherFields)

func (w *voucherWire) voucher() Voucher {
	v := Voucher{
		ID:             string(w.ID),
		OfferID:        string(w.OfferID),
		BundleItemID:   string(w.BundleItemID),
		RedemptionCode: string(w.RedemptionCode),
		CustomerName:   w.CustomerName,
		Status:         parseVoucherStatus(w.Status),
		AcquiredAt:     w.AcquiredAt.t,
		RedeemedAt:     w.RedeemedAt.t,
		CancelledAt:    w.CancelledAt.t,
		ActivationDate: w.ActivationDate.t,
		ExpirationDate: w.ExpirationDate.t,
		ReservationID:  string(w.ReservationID),
		AccountID:      string(w.AccountID),
		Barcode:        string(w.Barcode),
		PrintURL:       w.PrintURL,
		Unknown:        w.unknown,
	}
	if w.Any != nil {
		v.Unknown = unknownXML(w.Any)
	}
	for name, t := range map[string]flexTime{"acquired_at": w.AcquiredAt, "redeemed_at": w.RedeemedAt,
		"cancelled_at": w.CancelledAt, "activation_date": w.ActivationDate, "expiration_date": w.ExpirationDate} {
		if t.raw != "" {
			v.Unknown = keep(v.Unknown, name, t.raw)
		}
	}
	return v
}

// voucherList is "vouchers": a JSON array, a single object or null;
// <vouchers><voucher>...</voucher></vouchers> in XML.
type voucherList []voucherWire

// voucherEnvelope decodes a voucher answer, wrapped in {"voucher": ...} (or
// an outer XML element) or not.
type voucherEnvelope struct{ v *Voucher }

func (e *voucherEnvelope) UnmarshalJSON(b []byte) error {
	d := jdec{b: b}
	var w voucherWire
	if _, err := d.voucherJSON(d.ws(0), &w); err != nil {
		return fmt.Errorf("adility: voucher: %w", err)
	}
	v := w.voucher()
	e.v = &v
	return nil
}

// VouchersService cancels single vouchers.
type VouchersService struct{ c *Client }

// Cancel cancels one voucher: PUT /offers/:offer_id/vouchers/:id. The page
// names only the endpoint; like an order's cancellation, the body is the
// status "cancelled" ({"voucher": {"status": "cancelled"}}). It returns the
// voucher as answered, or nil when the API answers without a body. A
// voucher already cancelled matches ErrAlreadyCancelled.
func (s *VouchersService) Cancel(ctx context.Context, offerID, voucherID string, opts ...CallOption) (*Voucher, error) {
	if strings.TrimSpace(offerID) == "" || strings.TrimSpace(voucherID) == "" {
		return nil, pipeline.Invalid(apiName, "cancel voucher: empty offer id or voucher id")
	}
	cs, err := pipeline.Calls(apiName, opts)
	if err != nil {
		return nil, err
	}
	path := pipeline.Path("offers", offerID, "vouchers", voucherID)
	body := s.c.wrap("voucher", statusBody{XMLName: xml.Name{Local: "voucher"}, Status: string(VoucherCancelled)})
	var raw []byte
	resp, err := s.c.pc.Do(ctx, &pipeline.Request{Method: http.MethodPut, Path: path, Body: body, Call: cs}, &raw)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	var v *Voucher
	if s.c.format == XML {
		v, err = decodeVoucherXML(raw)
	} else {
		var env voucherEnvelope
		err = json.Unmarshal(raw, &env)
		v = env.v
	}
	if err != nil || v == nil {
		if err == nil {
			err = errNotObject
		}
		return nil, s.c.invalidAnswer(http.MethodPut, path, resp, err)
	}
	return v, nil
}
