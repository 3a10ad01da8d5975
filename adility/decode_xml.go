package adility

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/orderkit/orderkit/internal/wire"
)

// This file reads the XML answers in one pass: one xml.Decoder walks the
// tokens once and fills the wire structs where each element stands. An
// element the page does not document is kept as its inner XML, sliced from
// the input by the decoder's offsets rather than decoded again. Only the
// leaf types (flexTime, wire.Int) read text themselves.
//
// An answer declaring ISO-8859-1 (or US-ASCII) is turned into UTF-8 first,
// so that the offsets and the kept inner XML are in UTF-8 too.

type xdec struct {
	d *xml.Decoder
	b []byte
}

var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']`)

func newXDec(data []byte) (*xdec, error) {
	head := data
	if len(head) > 256 {
		head = head[:256]
	}
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		switch strings.ToLower(strings.TrimSpace(string(m[1]))) {
		case "utf-8", "utf8":
		case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii":
			data = latin1ToUTF8(data)
		default:
			return nil, fmt.Errorf("unsupported XML encoding %q", m[1])
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	// The text is UTF-8 by now; a declared encoding is accepted as read
	// above, any other refused.
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(strings.TrimSpace(label)) {
		case "utf-8", "utf8", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii":
			return in, nil
		}
		return nil, fmt.Errorf("unsupported XML encoding %q", label)
	}
	return &xdec{d: d, b: data}, nil
}

// latin1ToUTF8 turns ISO-8859-1 bytes, each one a code point, into UTF-8.
func latin1ToUTF8(b []byte) []byte {
	n := 0
	for _, c := range b {
		if c >= utf8.RuneSelf {
			n++
		}
	}
	if n == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+n)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// root returns the first element of the document, just started.
func (x *xdec) root() (xml.StartElement, error) {
	for {
		tok, err := x.d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// walk reads the element just started up to its end: child, when set, is
// called for each child element and must read it whole (others are
// skipped); the element's own text is collected when wantText. start and
// end delimit its inner XML in x.b.
func (x *xdec) walk(child func(se xml.StartElement) error, wantText bool) (text string, start, end int64, err error) {
	start = x.d.InputOffset()
	for {
		off := x.d.InputOffset()
		tok, err := x.d.Token()
		if err != nil {
			return "", 0, 0, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if wantText {
				text += string(t)
			}
		case xml.StartElement:
			if child != nil {
				err = child(t)
			} else {
				err = x.d.Skip()
			}
			if err != nil {
				return "", 0, 0, err
			}
		case xml.EndElement:
			return text, start, off, nil
		}
	}
}

// leaf reads the text of the element just started (its own text, not its
// children's, as encoding/xml gives a string field).
func (x *xdec) leaf() (string, error) {
	text, _, _, err := x.walk(nil, true)
	return text, err
}

// any reads the element just started as an undocumented one: its inner XML.
func (x *xdec) any(se xml.StartElement) (xmlAny, error) {
	_, start, end, err := x.walk(nil, false)
	if err != nil {
		return xmlAny{}, err
	}
	return xmlAny{XMLName: se.Name, Inner: x.inner(start, end)}, nil
}

func (x *xdec) inner(start, end int64) string {
	if start < 0 || end > int64(len(x.b)) || start > end {
		return ""
	}
	return string(x.b[start:end])
}

// span is an element read as a list element, kept in case the list turns
// out to be one record's fields.
type span struct {
	name       xml.Name
	start, end int64
}

// list reads <items>/<vouchers>: each child is one element of the list —
// unless some child is a field of the element type (other than elem
// itself), and then the children are the fields of a single element.
// child decodes one child of an element into it.
func xmlList[T any](x *xdec, elem string, fields map[string]bool, child func(x *xdec, t *T, se xml.StartElement) error, addAny func(t *T, a xmlAny)) ([]T, error) {
	var out []T
	var direct T
	isDirect := false
	var others []span
	_, _, _, err := x.walk(func(se xml.StartElement) error {
		if fields[se.Name.Local] && se.Name.Local != elem {
			isDirect = true
			return child(x, &direct, se)
		}
		var v T
		_, start, end, err := x.walk(func(c xml.StartElement) error { return child(x, &v, c) }, false)
		if err != nil {
			return err
		}
		out = append(out, v)
		others = append(others, span{se.Name, start, end})
		return nil
	}, false)
	if err != nil {
		return nil, err
	}
	if isDirect {
		for _, o := range others {
			addAny(&direct, xmlAny{XMLName: o.name, Inner: x.inner(o.start, o.end)})
		}
		return []T{direct}, nil
	}
	return out, nil
}

func (x *xdec) text(dst *string) error {
	s, err := x.leaf()
	if err == nil {
		*dst = s
	}
	return err
}

func (x *xdec) time(dst *flexTime) error {
	s, err := x.leaf()
	if err != nil {
		return err
	}
	return dst.set(s)
}

// orderChild reads one child of an order. inner, when set, receives a
// nested <order> (an answer wrapping the order in another root).
func (x *xdec) orderChild(w *orderWire, se xml.StartElement, inner **orderWire) error {
	switch se.Name.Local {
	case "id":
		return x.text((*string)(&w.ID))
	case "order_number":
		return x.text((*string)(&w.OrderNumber))
	case "status":
		return x.text(&w.Status)
	case "items":
		items, err := xmlList(x, "item", itemKeys, (*xdec).itemChild, func(t *itemWire, a xmlAny) { t.Any = append(t.Any, a) })
		if err != nil {
			return err
		}
		w.Items = items
		return nil
	case "account_id":
		return x.text((*string)(&w.AccountID))
	case "customer_name":
		return x.text(&w.CustomerName)
	case "purchased_at":
		return x.time(&w.PurchasedAt)
	case "shipping_address":
		if w.ShippingAddress == nil {
			w.ShippingAddress = &Location{}
		}
		return x.location(w.ShippingAddress)
	case "shipments":
		s, err := x.shipments()
		if err != nil {
			return err
		}
		// Each <shipments> adds to the ones before.
		w.Shipments = append(w.Shipments, s...)
		return nil
	case "application_id":
		return x.text((*string)(&w.ApplicationID))
	case "order":
		if inner != nil {
			if *inner == nil {
				*inner = &orderWire{}
			}
			in := *inner
			_, _, _, err := x.walk(func(c xml.StartElement) error { return x.orderChild(in, c, nil) }, false)
			return err
		}
	}
	a, err := x.any(se)
	if err != nil {
		return err
	}
	w.Any = append(w.Any, a)
	return nil
}

func (x *xdec) location(l *Location) error {
	_, _, _, err := x.walk(func(se xml.StartElement) error {
		switch se.Name.Local {
		case "address_line_1":
			return x.text(&l.AddressLine1)
		case "address_line_2":
			return x.text(&l.AddressLine2)
		case "city":
			return x.text(&l.City)
		case "state_code":
			return x.text(&l.StateCode)
		case "postal_code":
			return x.text(&l.PostalCode)
		}
		return x.d.Skip()
	}, false)
	return err
}

// shipments reads <shipments><shipment>...</shipment></shipments>, or a
// <shipments> element holding one shipment's fields. Text alone (the
// reference page's placeholder) is no shipment.
func (x *xdec) shipments() (shipmentList, error) {
	type child struct {
		a        xmlAny
		children []xmlAny
	}
	var kids []child
	_, _, _, err := x.walk(func(se xml.StartElement) error {
		var c child
		_, start, end, err := x.walk(func(g xml.StartElement) error {
			a, err := x.any(g)
			c.children = append(c.children, a)
			return err
		}, false)
		if err != nil {
			return err
		}
		c.a = xmlAny{XMLName: se.Name, Inner: x.inner(start, end)}
		kids = append(kids, c)
		return nil
	}, false)
	if err != nil {
		return nil, err
	}
	perElement := len(kids) > 0
	for _, c := range kids {
		if c.a.XMLName.Local != "shipment" {
			perElement = false
		}
	}
	if !perElement {
		if len(kids) == 0 {
			return nil, nil
		}
		all := make([]xmlAny, len(kids))
		for i, c := range kids {
			all[i] = c.a
		}
		return shipmentList{xmlShipment(all)}, nil
	}
	var out shipmentList
	for _, c := range kids {
		s := xmlShipment(c.children)
		s.Raw = c.a.Inner
		out = append(out, s)
	}
	return out, nil
}

func (x *xdec) itemChild(w *itemWire, se xml.StartElement) error {
	switch se.Name.Local {
	case "offer_id":
		return x.text((*string)(&w.OfferID))
	case "reservation_id":
		return x.text((*string)(&w.ReservationID))
	case "promotion_id":
		return x.text((*string)(&w.PromotionID))
	case "quantity":
		s, err := x.leaf()
		if err != nil {
			return err
		}
		var n wire.Int
		if err := n.UnmarshalText([]byte(s)); err != nil {
			return err
		}
		w.Quantity = n
		return nil
	case "vouchers":
		vs, err := xmlList(x, "voucher", voucherKeys, (*xdec).voucherChild, func(t *voucherWire, a xmlAny) { t.Any = append(t.Any, a) })
		if err != nil {
			return err
		}
		w.Vouchers = vs
		return nil
	}
	a, err := x.any(se)
	if err != nil {
		return err
	}
	w.Any = append(w.Any, a)
	return nil
}

func (x *xdec) voucherChild(w *voucherWire, se xml.StartElement) error {
	switch se.Name.Local {
	case "id":
		return x.text((*string)(&w.ID))
	case "offer_id":
		return x.text((*string)(&w.OfferID))
	case "bundle_item_id":
		return x.text((*string)(&w.BundleItemID))
	case "redemption_code":
		return x.text((*string)(&w.RedemptionCode))
	case "customer_name":
		return x.text(&w.CustomerName)
	case "status":
		return x.text(&w.Status)
	case "acquired_at":
		return x.time(&w.AcquiredAt)
	case "redeemed_at":
		return x.time(&w.RedeemedAt)
	case "cancelled_at":
		return x.time(&w.CancelledAt)
	case "activation_date":
		return x.time(&w.ActivationDate)
	case "expiration_date":
		return x.time(&w.ExpirationDate)
	case "reservation_id":
		return x.text((*string)(&w.ReservationID))
	case "account_id":
		return x.text((*string)(&w.AccountID))
	case "barcode":
		return x.text((*string)(&w.Barcode))
	case "print_url":
		return x.text(&w.PrintURL)
	}
	a, err := x.any(se)
	if err != nil {
		return err
	}
	w.Any = append(w.Any, a)
	return nil
}

// decodeOrderXML reads an order answer: an <order> element, or another
// root around one.
func decodeOrderXML(data []byte) (*orderEnvelope, error) {
	x, err := newXDec(data)
	if err != nil {
		return nil, err
	}
	root, err := x.root()
	if err != nil {
		return nil, err
	}
	var w orderWire
	var inner *orderWire
	if _, _, _, err := x.walk(func(se xml.StartElement) error { return x.orderChild(&w, se, &inner) }, false); err != nil {
		return nil, err
	}
	env := &orderEnvelope{recognised: root.Name.Local == "order"}
	use := &w
	if inner != nil && w.ID == "" && w.OrderNumber == "" {
		use = inner
		env.recognised = true
	}
	env.order = use.order(unknownXML(use.Any))
	return env, nil
}

// decodeVoucherXML reads a voucher answer: a <voucher> element, or
// another root around one.
func decodeVoucherXML(data []byte) (*Voucher, error) {
	x, err := newXDec(data)
	if err != nil {
		return nil, err
	}
	if _, err := x.root(); err != nil {
		return nil, err
	}
	var w voucherWire
	var inner *voucherWire
	_, _, _, err = x.walk(func(se xml.StartElement) error {
		if se.Name.Local == "voucher" {
			if inner == nil {
				inner = &voucherWire{}
			}
			in := inner
			_, _, _, err := x.walk(func(c xml.StartElement) error { return x.voucherChild(in, c) }, false)
			return err
		}
		return x.voucherChild(&w, se)
	}, false)
	if err != nil {
		return nil, err
	}
	use := &w
	if inner != nil && w.ID == "" && w.RedemptionCode == "" {
		use = inner
	}
	v := use.voucher()
	return &v, nil
}
