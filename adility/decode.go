package adility

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/wire"
)

// This file holds the tolerant leaves both formats share and the reading
// of a JSON record. The wire structs (orders.go, vouchers.go) are plain:
// encoding/json and encoding/xml fill them by their tags; the quirks of the
// answers live in the leaves below.

// flexTime reads a timestamp in any layout wire.ParseTime knows. A layout it
// does not know never fails the answer (the order and its vouchers matter
// more than a date): the time stays zero and the text is kept in raw.
type flexTime struct {
	t   time.Time
	raw string
}

// UnmarshalJSON reads a string, null, or another value's text.
func (f *flexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case wire.IsNull(b):
		return nil
	case len(b) > 0 && b[0] == '"':
		if s, ok := wire.Unquote(b); ok {
			f.set(s)
			return nil
		}
	}
	f.set(string(b))
	return nil
}

// UnmarshalText reads an XML element's text.
func (f *flexTime) UnmarshalText(b []byte) error {
	f.set(string(b))
	return nil
}

func (f *flexTime) set(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if t, ok := parseTimeByShape(s); ok {
		f.t = t
		return
	}
	t, err := wire.ParseTime(s)
	if err != nil {
		f.raw = s
		return
	}
	f.t = t
}

// parseTimeByShape reads the two shapes Adility sends most, a date and an
// RFC 3339 timestamp, with the one layout each can match, before the
// layout-by-layout search of wire.ParseTime. It gives what wire.ParseTime
// gives: both layouts are the first of wire.Layouts that can match such
// text.
func parseTimeByShape(s string) (time.Time, bool) {
	var layout string
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		layout = "2006-01-02"
	case len(s) >= 20 && s[4] == '-' && s[10] == 'T':
		layout = time.RFC3339Nano
	default:
		return time.Time{}, false
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// UnmarshalJSON reads a Location tolerantly: keys with stray whitespace
// (the reference page's own sample has "\n address_line_1") and lines sent
// as numbers (a postal code). A line of another type is left out.
//
// An address that is not an object (a bare string) is left empty rather
// than failing the order; Order.Unknown then keeps it as sent.
func (l *Location) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) != nil {
		return nil
	}
	for key, v := range members {
		var dst *string
		switch strings.TrimSpace(key) {
		case "address_line_1":
			dst = &l.AddressLine1
		case "address_line_2":
			dst = &l.AddressLine2
		case "city":
			dst = &l.City
		case "state_code":
			dst = &l.StateCode
		case "postal_code":
			dst = &l.PostalCode
		default:
			continue
		}
		var line wire.ID
		if line.UnmarshalJSON(v) == nil {
			*dst = string(line)
		}
	}
	return nil
}

func (l *Location) isZero() bool { return l == nil || *l == Location{} }

// addressJSON is "shipping_address": a Location, or another shape kept as
// sent.
type addressJSON struct {
	loc *Location
	raw string
}

func (a *addressJSON) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	a.raw, a.loc = string(b), nil
	if len(b) > 0 && b[0] == '{' {
		a.loc = new(Location)
		return a.loc.UnmarshalJSON(b)
	}
	return nil
}

// shipmentsJSON is "shipments", kept as sent: a list of objects (each one's
// members as text), a single object, null, or another shape kept as one
// shipment's raw text.
type shipmentsJSON []Shipment

func (l *shipmentsJSON) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*l = nil
	err := eachElement(b, func(elem []byte) error {
		s := Shipment{Raw: string(elem)}
		if elem[0] == '{' {
			var members map[string]json.RawMessage
			if err := json.Unmarshal(elem, &members); err != nil {
				return err
			}
			for k, v := range members {
				text := string(v)
				if len(v) > 0 && v[0] == '"' {
					if t, ok := wire.Unquote(v); ok {
						text = t
					}
				}
				s.Fields = keep(s.Fields, k, text)
			}
		}
		*l = append(*l, s)
		return nil
	})
	if err != nil {
		*l = nil
		if string(b) != `""` {
			*l = shipmentsJSON{{Raw: string(b)}}
		}
	}
	return nil
}

// eachElement calls elem with each element of a JSON list: an array (null
// elements left out), a single object, or null (no element).
func eachElement(b []byte, elem func([]byte) error) error {
	b = bytes.TrimSpace(b)
	switch {
	case wire.IsNull(b):
		return nil
	case len(b) > 0 && b[0] == '{':
		return elem(b)
	case len(b) > 0 && b[0] == '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(b, &elems); err != nil {
			return err
		}
		for _, e := range elems {
			if e = bytes.TrimSpace(e); !wire.IsNull(e) {
				if err := elem(e); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return fmt.Errorf("adility: expected a list, got %.40q", b)
}

// record names a JSON record's documented attributes: its wrapper's name
// ({"item": {...}}), all its members, and those only the record itself has
// (not its wrapper).
type record struct {
	name  string
	keys  []string
	own   []string
	label string // in errors
}

// The documented attributes of each record, by their JSON names.
var (
	orderRecord = record{name: "order", label: "order",
		keys: []string{"id", "order_number", "status", "items", "account_id", "customer_name", "purchased_at", "shipping_address", "shipments", "application_id"},
		own:  []string{"id", "order_number"}}
	itemRecord = record{name: "item", label: "order item",
		keys: []string{"offer_id", "reservation_id", "promotion_id", "quantity", "vouchers"},
		own:  []string{"offer_id", "quantity"}}
	voucherRecord = record{name: "voucher", label: "voucher",
		keys: []string{"id", "offer_id", "bundle_item_id", "redemption_code", "customer_name", "status", "acquired_at", "redeemed_at", "cancelled_at", "activation_date", "expiration_date", "reservation_id", "account_id", "barcode", "print_url"},
		own:  []string{"id", "redemption_code"}}
)

// documented reports whether key names one of r's attributes, the way
// encoding/json matches a struct tag (without regard to case), stray
// whitespace aside.
func (r *record) documented(key string) bool {
	key = strings.TrimSpace(key)
	for _, k := range r.keys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// read decodes the JSON object b into w, a pointer to r's wire struct:
// bare, or wrapped as {name: {...}} when the outer object has none of the
// record's own attributes. It returns the members w does not name, as sent,
// and whether any documented attribute was present.
func (r *record) read(b []byte, w any) (unknown map[string]string, known bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case wire.IsNull(b):
		return nil, false, fmt.Errorf("adility: %s is null", r.label)
	case len(b) == 0 || b[0] != '{':
		return nil, false, fmt.Errorf("adility: %s is not a JSON object", r.label)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return nil, false, err
	}
	if inner, ok := members[r.name]; ok && isObject(inner) && !r.hasOwn(members) {
		b, members = inner, nil
		if err := json.Unmarshal(b, &members); err != nil {
			return nil, false, err
		}
	}
	if err := json.Unmarshal(b, w); err != nil {
		return nil, false, fmt.Errorf("adility: %s: %w", r.label, err)
	}
	for k, v := range members {
		if r.documented(k) {
			known = true
			continue
		}
		unknown = keep(unknown, k, string(v))
	}
	return unknown, known, nil
}

func (r *record) hasOwn(members map[string]json.RawMessage) bool {
	for _, k := range r.own {
		if _, ok := members[k]; ok {
			return true
		}
	}
	return false
}

func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

func keep(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

// xmlAny keeps an XML element the page does not document.
type xmlAny struct {
	XMLName xml.Name
	Inner   string `xml:",innerxml"`
}

func unknownXML(elems []xmlAny) map[string]string {
	if len(elems) == 0 {
		return nil
	}
	out := make(map[string]string, len(elems))
	for _, a := range elems {
		out[a.XMLName.Local] = a.Inner
	}
	return out
}

// keepTimes adds the text of unreadable timestamps to unknown, by name.
func keepTimes(unknown map[string]string, times map[string]flexTime) map[string]string {
	for name, t := range times {
		if t.raw != "" {
			unknown = keep(unknown, name, t.raw)
		}
	}
	return unknown
}
