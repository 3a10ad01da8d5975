package adility

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
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
	ID             ID
	OfferID        ID
	BundleItemID   ID
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
	ReservationID ID
	AccountID     ID
	Barcode       string
	PrintURL      string
	// Unknown holds undocumented attributes as sent (see Order.Unknown).
	Unknown map[string]string
}

// voucherCore holds the attributes of a voucher, read alike in both
// formats.
type voucherCore struct {
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
}

func (w *voucherCore) voucher(unknown map[string]string) Voucher {
	return Voucher{
		ID:             ID(w.ID),
		OfferID:        ID(w.OfferID),
		BundleItemID:   ID(w.BundleItemID),
		RedemptionCode: string(w.RedemptionCode),
		CustomerName:   w.CustomerName,
		Status:         parseVoucherStatus(w.Status),
		AcquiredAt:     w.AcquiredAt.t,
		RedeemedAt:     w.RedeemedAt.t,
		CancelledAt:    w.CancelledAt.t,
		ActivationDate: w.ActivationDate.t,
		ExpirationDate: w.ExpirationDate.t,
		ReservationID:  ID(w.ReservationID),
		AccountID:      ID(w.AccountID),
		Barcode:        string(w.Barcode),
		PrintURL:       w.PrintURL,
		Unknown: keepTimes(unknown, map[string]flexTime{"acquired_at": w.AcquiredAt, "redeemed_at": w.RedeemedAt,
			"cancelled_at": w.CancelledAt, "activation_date": w.ActivationDate, "expiration_date": w.ExpirationDate}),
	}
}

// vouchersJSON is "vouchers": an array, a single object or null.
type vouchersJSON []Voucher

func (l *vouchersJSON) UnmarshalJSON(b []byte) error {
	*l = nil
	return eachElement(b, func(elem []byte) error {
		var w voucherCore
		unknown, _, err := voucherRecord.read(elem, &w)
		if err != nil {
			return err
		}
		*l = append(*l, w.voucher(unknown))
		return nil
	})
}

// voucherXML is a voucher in XML; elements the page does not document are
// kept in Any.
type voucherXML struct {
	voucherCore
	Any []xmlAny `xml:",any"`
}

// vouchersXML is <vouchers>: <voucher> elements, or one voucher's fields
// directly.
type vouchersXML struct {
	Voucher []voucherXML `xml:"voucher"`
	voucherXML
}

func (l *vouchersXML) vouchers() []Voucher {
	if l.voucherCore != (voucherCore{}) {
		return []Voucher{l.voucherCore.voucher(unknownXML(l.Any))}
	}
	var out []Voucher
	for i := range l.Voucher {
		out = append(out, l.Voucher[i].voucherCore.voucher(unknownXML(l.Voucher[i].Any)))
	}
	return out
}

// voucherAnswer is an answer holding a voucher, in either format: bare or
// wrapped in {"voucher": ...}, a <voucher> root or another root around one.
type voucherAnswer struct {
	voucher *Voucher
	// recognised: a documented attribute was present (JSON), or the root
	// or an element below it is <voucher> (XML).
	recognised bool
}

func (a *voucherAnswer) UnmarshalJSON(b []byte) error {
	var w voucherCore
	unknown, known, err := voucherRecord.read(b, &w)
	if err != nil {
		return err
	}
	v := w.voucher(unknown)
	a.voucher, a.recognised = &v, known
	return nil
}

func (a *voucherAnswer) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var doc struct {
		voucherXML
		Voucher *voucherXML `xml:"voucher"`
	}
	if err := d.DecodeElement(&doc, &start); err != nil {
		return err
	}
	w := &doc.voucherXML
	a.recognised = start.Name.Local == "voucher"
	if doc.Voucher != nil && w.ID == "" && w.RedemptionCode == "" {
		w, a.recognised = doc.Voucher, true
	}
	v := w.voucherCore.voucher(unknownXML(w.Any))
	a.voucher = &v
	return nil
}

// VouchersService reads and cancels single vouchers.
type VouchersService struct{ c *Client }

// GetByRedemptionCode reads the voucher an advertiser issued under a
// redemption code: GET /advertisers/:id/vouchers/:redemption_code. An
// unknown code matches orderkit.ErrNotFound; a 2xx answer that is not
// shaped like a voucher matches orderkit.ErrInvalidResponse.
func (s *VouchersService) GetByRedemptionCode(ctx context.Context, advertiserID ID, code string, opts ...orderkit.CallOption) (*Voucher, error) {
	if strings.TrimSpace(string(advertiserID)) == "" || strings.TrimSpace(code) == "" {
		return nil, pipeline.Invalid(apiName, "get voucher: empty advertiser id or redemption code")
	}
	cs, err := s.c.pc.Calls("Vouchers.GetByRedemptionCode", opts)
	if err != nil {
		return nil, err
	}
	path := pipeline.Path("advertisers", string(advertiserID), "vouchers", code)
	var ans voucherAnswer
	resp, err := s.c.pc.Do(ctx, &pipeline.Request{Method: http.MethodGet, Path: path, Call: cs}, &ans)
	if err != nil {
		return nil, err
	}
	if ans.voucher == nil || !ans.recognised {
		return nil, s.c.invalidAnswer(http.MethodGet, path, resp, errNoVoucher)
	}
	return ans.voucher, nil
}

// errNoVoucher: a 2xx answer that holds no voucher.
var errNoVoucher = errors.New("adility: the answer holds no voucher")

// Cancel cancels one voucher: PUT /offers/:offer_id/vouchers/:id. The page
// names only the endpoint; like an order's cancellation, the body is the
// status "cancelled" ({"voucher": {"status": "cancelled"}}). It returns the
// voucher as answered, or nil when the API answers without a body. A
// voucher already cancelled matches ErrAlreadyCancelled.
func (s *VouchersService) Cancel(ctx context.Context, offerID, voucherID ID, opts ...orderkit.CallOption) (*Voucher, error) {
	if strings.TrimSpace(string(offerID)) == "" || strings.TrimSpace(string(voucherID)) == "" {
		return nil, pipeline.Invalid(apiName, "cancel voucher: empty offer id or voucher id")
	}
	cs, err := s.c.pc.Calls("Vouchers.Cancel", opts)
	if err != nil {
		return nil, err
	}
	path := pipeline.Path("offers", string(offerID), "vouchers", string(voucherID))
	var body any = statusBody{XMLName: xml.Name{Local: "voucher"}, Status: string(VoucherCancelled)}
	if s.c.format == JSON {
		body = voucherBody{Voucher: body}
	}
	var ans voucherAnswer
	_, err = s.c.pc.Do(ctx, &pipeline.Request{Method: http.MethodPut, Path: path, Body: body, Call: cs}, &ans)
	switch {
	case err == nil:
		return ans.voucher, nil
	case noBody(err):
		return nil, nil
	}
	return nil, err
}
