package adility

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/orderkit/orderkit/internal/wire"
)

// This file reads the JSON answers in one pass. The pipeline's decoder
// checks the body and hands the top-level value to orderEnvelope (or
// voucherEnvelope); from there jdec walks the bytes once with the shared
// position walks of internal/wire (Space, Skip, Members, Elements),
// decoding each documented attribute where it stands and keeping every
// other one as its raw text. No level calls json.Unmarshal on its own
// subtree again: the tolerance lives in the leaf readers (text, integer,
// time).

type jdec struct{ b []byte }

func (d *jdec) ws(i int) int { return wire.Space(d.b, i) }

// skip returns the index after the value starting at i.
func (d *jdec) skip(i int) (int, error) {
	end, err := wire.Skip(d.b, i)
	if err != nil {
		return end, fmt.Errorf("adility: %w", err)
	}
	return end, nil
}

// str returns the text of the string value b[i:end] (quotes included),
// by wire.Unquote.
func (d *jdec) str(i, end int) (string, error) {
	s, ok := wire.Unquote(d.b[i:end])
	if !ok {
		return "", fmt.Errorf("adility: invalid JSON string %.40q", d.b[i:end])
	}
	return s, nil
}

// object walks the members of the object at i, calling member with each
// key (unquoted) and the index of its value; member returns the index
// after the value. It returns the index after the object.
func (d *jdec) object(i int, member func(key []byte, v int) (int, error)) (int, error) {
	if i >= len(d.b) || d.b[i] != '{' {
		return i, errors.New("adility: not an object")
	}
	end, err := wire.Members(d.b, i, func(quoted []byte, v int) (int, error) {
		key := quoted[1 : len(quoted)-1]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			k, ok := wire.Unquote(quoted)
			if !ok {
				return v, fmt.Errorf("adility: invalid JSON string %.40q", quoted)
			}
			key = []byte(k)
		}
		return member(key, v)
	})
	if errors.Is(err, wire.ErrSyntax) {
		return end, fmt.Errorf("adility: %w", err)
	}
	return end, err
}

// kind names the JSON type of the value at i, as encoding/json's errors do.
func (d *jdec) kind(i int) string {
	switch d.b[i] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// text reads an id or code: a string, a number (its text) or null (""),
// as wire.ID does.
func (d *jdec) text(i int, dst *string) (int, error) {
	end, err := d.skip(i)
	if err != nil {
		return end, err
	}
	var id wire.ID
	if err := id.UnmarshalJSON(d.b[i:end]); err != nil {
		return end, err
	}
	*dst = string(id)
	return end, nil
}

// strict reads a string attribute; null leaves it as it was, another type
// is an error.
func (d *jdec) strict(i int, field string, dst *string) (int, error) {
	end, err := d.skip(i)
	if err != nil {
		return end, err
	}
	switch d.b[i] {
	case 'n':
	case '"':
		s, err := d.str(i, end)
		if err != nil {
			return end, err
		}
		*dst = s
	default:
		return end, fmt.Errorf("json: cannot unmarshal %s into Go struct field %s of type string", d.kind(i), field)
	}
	return end, nil
}

// integer reads a whole number, as a number or a string holding one
// (null is 0), as wire.Int does.
func (d *jdec) integer(i int, dst *int64) (int, error) {
	end, err := d.skip(i)
	if err != nil {
		return end, err
	}
	var n wire.Int
	if err := n.UnmarshalJSON(d.b[i:end]); err != nil {
		return end, err
	}
	*dst = int64(n)
	return end, nil
}

// time reads a timestamp: a string in any known layout; another value's
// text is kept as unreadable.
func (d *jdec) time(i int, dst *flexTime) (int, error) {
	end, err := d.skip(i)
	if err != nil {
		return end, err
	}
	switch d.b[i] {
	case 'n':
		return end, nil
	case '"':
		s, err := d.str(i, end)
		if err != nil {
			return end, err
		}
		return end, dst.set(s)
	}
	return end, dst.set(string(d.b[i:end]))
}

// list reads a list attribute: an array (null elements left out), a
// single object, or null. elem decodes one element at its index.
func (d *jdec) list(i int, elem func(i int) (int, error)) (int, error) {
	switch d.b[i] {
	case 'n':
		return d.skip(i)
	case '{':
		return elem(i)
	case '[':
		end, err := wire.Elements(d.b, i, func(v int) (int, error) {
			if d.b[v] == 'n' {
				return d.skip(v)
			}
			return elem(v)
		})
		if errors.Is(err, wire.ErrSyntax) {
			return end, fmt.Errorf("adility: %w", err)
		}
		return end, err
	}
	end, _ := d.skip(i)
	return end, fmt.Errorf("adility: expected a list, got %.40q", d.b[i:end])
}

// raw returns the value at i as text, and the index after it.
func (d *jdec) raw(i int) (string, int, error) {
	end, err := d.skip(i)
	if err != nil {
		return "", end, err
	}
	return string(d.b[i:end]), end, nil
}

// canon returns the field of fields that key names, the way encoding/json
// matches them: exactly, or else without regard to case; "" for none.
func canon(key []byte, fields []string) string {
	for _, f := range fields {
		if string(key) == f {
			return f
		}
	}
	for _, f := range fields {
		if strings.EqualFold(string(key), f) {
			return f
		}
	}
	return ""
}

// fieldSet returns fields as a set.
func fieldSet(fields []string) map[string]bool {
	m := make(map[string]bool, len(fields))
	for _, f := range fields {
		m[f] = true
	}
	return m
}

// The documented attributes of each record, by their JSON and XML names.
var (
	orderFields   = []string{"id", "order_number", "status", "items", "account_id", "customer_name", "purchased_at", "shipping_address", "shipments", "application_id"}
	itemFields    = []string{"offer_id", "reservation_id", "promotion_id", "quantity", "vouchers"}
	voucherFields = []string{"id", "offer_id", "bundle_item_id", "redemption_code", "customer_name", "status", "acquired_at", "redeemed_at", "cancelled_at", "activation_date", "expiration_date", "reservation_id", "account_id", "barcode", "print_url"}
)

// entity is what walking one record's object yields: the members outside
// the documented ones, and the inner record when the object is only a
// wrapper ({"item": {...}}).
type entity struct {
	unknown map[string]string
	// known: a documented attribute was present.
	known bool
	// own: an attribute that only the record itself has (not its
	// wrapper) was present.
	own bool
}

func (e *entity) keep(key string, raw string) { e.unknown = keep(e.unknown, key, raw) }

// record walks the object at i as a record named name: member decodes a
// documented attribute (returning handled=false for the others); the
// members in known are the documented ones, those in own mark the record
// itself. A {name: {...}} member is decoded by inner, and used instead
// when nothing marks the outer object as the record.
func (d *jdec) record(i int, name string, known map[string]bool, own []string,
	member func(key []byte, v int) (end int, handled bool, err error),
	inner func(v int) (int, error)) (ent entity, wrapped bool, end int, err error) {
	if i < len(d.b) && d.b[i] == 'n' {
		end, _ := d.skip(i)
		return ent, false, end, fmt.Errorf("adility: %s is null", name)
	}
	if i < len(d.b) && d.b[i] != '{' {
		end, _ := d.skip(i)
		return ent, false, end, fmt.Errorf("adility: %s is a JSON %s, not an object", name, d.kind(i))
	}
	var wrapperRaw string
	hasWrapper := false
	end, err = d.object(i, func(key []byte, v int) (int, error) {
		for _, k := range own {
			if string(key) == k {
				ent.own = true
			}
		}
		isKnown := known[string(bytes.TrimSpace(key))]
		if isKnown {
			ent.known = true
		}
		if string(key) == name && d.b[v] == '{' && inner != nil {
			hasWrapper = true
			e, err := inner(v)
			if err == nil {
				wrapperRaw = string(d.b[v:e])
			}
			return e, err
		}
		e, handled, err := member(key, v)
		if err != nil {
			return e, err
		}
		if !handled {
			if e, err = d.skip(v); err != nil {
				return e, err
			}
		}
		if !isKnown {
			ent.keep(string(key), string(d.b[v:e]))
		}
		return e, nil
	})
	if err != nil {
		return ent, false, end, err
	}
	if hasWrapper {
		if !ent.own {
			return ent, true, end, nil
		}
		ent.keep(name, wrapperRaw)
	}
	return ent, false, end, nil
}

// wrappedRecord decodes the record named name at i into w, bare
// ({...}) or wrapped ({name: {...}}, decoded into a fresh T that then
// replaces *w): member decodes one attribute into the T it is given. It
// returns what record found of the form that was read.
func wrappedRecord[T any](d *jdec, i int, name string, known map[string]bool, own []string, w *T,
	member func(w *T, key []byte, v int) (int, bool, error)) (entity, int, error) {
	var in *T // only for a wrapper, which is rare
	var inEnt entity
	ent, wrapped, end, err := d.record(i, name, known, own,
		func(key []byte, v int) (int, bool, error) { return member(w, key, v) },
		func(v int) (int, error) {
			var e int
			var err error
			in = new(T)
			inEnt, _, e, err = d.record(v, "", known, nil,
				func(key []byte, v int) (int, bool, error) { return member(in, key, v) }, nil)
			return e, err
		})
	if err != nil {
		return entity{}, end, err
	}
	if wrapped {
		*w = *in
		return inEnt, end, nil
	}
	return ent, end, nil
}

// eachRecord reads the list of records at v into *dst (replacing what it
// held), each by elem; what names a record in an error.
func eachRecord[S ~[]T, T any](d *jdec, v int, dst *S, what string, elem func(i int, w *T) (int, error)) (int, error) {
	*dst = nil
	return d.list(v, func(i int) (int, error) {
		// Decoded in place: a local would escape through
		// wrappedRecord's member func.
		var zero T
		*dst = append(*dst, zero)
		e, err := elem(i, &(*dst)[len(*dst)-1])
		if err != nil {
			*dst = (*dst)[:len(*dst)-1]
			return e, fmt.Errorf("adility: %s: %w", what, err)
		}
		return e, nil
	})
}

// orderJSON decodes the order at i into w; it reports whether the object
// is shaped like an order.
func (d *jdec) orderJSON(i int, w *orderWire) (unknown map[string]string, recognised bool, end int, err error) {
	ent, end, err := wrappedRecord(d, i, "order", orderKeys, []string{"id", "order_number"}, w, d.orderMember)
	return ent.unknown, ent.known, end, err
}

func (d *jdec) orderMember(w *orderWire, key []byte, v int) (int, bool, error) {
	var end int
	var err error
	switch canon(key, orderFields) {
	case "id":
		end, err = d.text(v, (*string)(&w.ID))
	case "order_number":
		end, err = d.text(v, (*string)(&w.OrderNumber))
	case "status":
		end, err = d.strict(v, "orderWire.status", &w.Status)
	case "items":
		end, err = eachRecord(d, v, &w.Items, "order item", d.itemJSON)
	case "account_id":
		end, err = d.text(v, (*string)(&w.AccountID))
	case "customer_name":
		end, err = d.strict(v, "orderWire.customer_name", &w.CustomerName)
	case "purchased_at":
		end, err = d.time(v, &w.PurchasedAt)
	case "shipping_address":
		if end, err = d.location(v, w); err == nil && string(key) == "shipping_address" {
			w.addressRaw = string(d.b[v:end])
		}
	case "shipments":
		end, err = d.shipments(v, &w.Shipments)
	case "application_id":
		end, err = d.text(v, (*string)(&w.ApplicationID))
	default:
		return v, false, nil
	}
	return end, true, err
}

// location reads a shipping address: an object whose keys may carry stray
// whitespace and whose values may be numbers. Another shape is left empty
// (the order keeps it as sent in Unknown).
func (d *jdec) location(v int, w *orderWire) (int, error) {
	if v >= len(d.b) {
		// Only a direct call of Location.UnmarshalJSON gets here.
		return v, fmt.Errorf("adility: %w", wire.ErrSyntax)
	}
	switch d.b[v] {
	case 'n':
		w.ShippingAddress = nil
		return d.skip(v)
	case '{':
	default:
		if w.ShippingAddress == nil {
			w.ShippingAddress = &Location{}
		}
		return d.skip(v)
	}
	l := w.ShippingAddress
	if l == nil {
		l = &Location{}
		w.ShippingAddress = l
	}
	return d.object(v, func(key []byte, i int) (int, error) {
		var dst *string
		switch string(bytes.TrimSpace(key)) {
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
			return d.skip(i)
		}
		var s string
		end, err := d.text(i, &s)
		if err != nil {
			// An unreadable line is left out, not allowed to fail
			// the order.
			return end, nil
		}
		*dst = s
		return end, nil
	})
}

// shipments reads the unpublished shipments as sent: each one's raw text
// and, for an object, its members as text. A shape that is no list is kept
// as one shipment's raw text.
func (d *jdec) shipments(v int, dst *shipmentList) (int, error) {
	var out shipmentList
	end, err := d.list(v, func(i int) (int, error) {
		raw, e, err := d.raw(i)
		if err != nil {
			return e, err
		}
		s := Shipment{Raw: raw}
		if d.b[i] == '{' {
			if _, err := d.object(i, func(key []byte, j int) (int, error) {
				text, e, err := d.raw(j)
				if err != nil {
					return e, err
				}
				if d.b[j] == '"' {
					if t, err := d.str(j, e); err == nil {
						text = t
					}
				}
				s.Fields = keep(s.Fields, string(key), text)
				return e, nil
			}); err != nil {
				return e, err
			}
		}
		out = append(out, s)
		return e, nil
	})
	if err != nil {
		raw, e, rerr := d.raw(v)
		if rerr != nil {
			return e, rerr
		}
		*dst = nil
		if raw != `""` {
			*dst = shipmentList{{Raw: raw}}
		}
		return e, nil
	}
	*dst = out
	return end, nil
}

func (d *jdec) itemJSON(i int, w *itemWire) (int, error) {
	ent, end, err := wrappedRecord(d, i, "item", itemKeys, []string{"offer_id", "quantity"}, w, d.itemMember)
	if err == nil {
		w.unknown = ent.unknown
	}
	return end, err
}

func (d *jdec) itemMember(w *itemWire, key []byte, v int) (int, bool, error) {
	var end int
	var err error
	switch canon(key, itemFields) {
	case "offer_id":
		end, err = d.text(v, (*string)(&w.OfferID))
	case "reservation_id":
		end, err = d.text(v, (*string)(&w.ReservationID))
	case "promotion_id":
		end, err = d.text(v, (*string)(&w.PromotionID))
	case "quantity":
		end, err = d.integer(v, (*int64)(&w.Quantity))
	case "vouchers":
		end, err = eachRecord(d, v, &w.Vouchers, "voucher", d.voucherJSON)
	default:
		return v, false, nil
	}
	return end, true, err
}

func (d *jdec) voucherJSON(i int, w *voucherWire) (int, error) {
	ent, end, err := wrappedRecord(d, i, "voucher", voucherKeys, []string{"id", "redemption_code"}, w, d.voucherMember)
	if err == nil {
		w.unknown = ent.unknown
	}
	return end, err
}

func (d *jdec) voucherMember(w *voucherWire, key []byte, v int) (int, bool, error) {
	var end int
	var err error
	switch canon(key, voucherFields) {
	case "id":
		end, err = d.text(v, (*string)(&w.ID))
	case "offer_id":
		end, err = d.text(v, (*string)(&w.OfferID))
	case "bundle_item_id":
		end, err = d.text(v, (*string)(&w.BundleItemID))
	case "redemption_code":
		end, err = d.text(v, (*string)(&w.RedemptionCode))
	case "customer_name":
		end, err = d.strict(v, "voucherWire.customer_name", &w.CustomerName)
	case "status":
		end, err = d.strict(v, "voucherWire.status", &w.Status)
	case "acquired_at":
		end, err = d.time(v, &w.AcquiredAt)
	case "redeemed_at":
		end, err = d.time(v, &w.RedeemedAt)
	case "cancelled_at":
		end, err = d.time(v, &w.CancelledAt)
	case "activation_date":
		end, err = d.time(v, &w.ActivationDate)
	case "expiration_date":
		end, err = d.time(v, &w.ExpirationDate)
	case "reservation_id":
		end, err = d.text(v, (*string)(&w.ReservationID))
	case "account_id":
		end, err = d.text(v, (*string)(&w.AccountID))
	case "barcode":
		end, err = d.text(v, (*string)(&w.Barcode))
	case "print_url":
		end, err = d.strict(v, "voucherWire.print_url", &w.PrintURL)
	default:
		return v, false, nil
	}
	return end, true, err
}
