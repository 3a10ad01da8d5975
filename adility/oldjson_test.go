package adility

// The JSON decoders as they were before the one-pass walk, kept as the
// oracle the walk is fuzzed against: every answer must read the same.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/orderkit/orderkit/internal/wire"
)

type oldLocation Location

type oldOrderWire struct {
	ID              wire.ID         `json:"id"`
	OrderNumber     wire.ID         `json:"order_number"`
	Status          string          `json:"status"`
	Items           oldItemList     `json:"items"`
	AccountID       wire.ID         `json:"account_id"`
	CustomerName    string          `json:"customer_name"`
	PurchasedAt     flexTime        `json:"purchased_at"`
	ShippingAddress *oldLocation    `json:"shipping_address"`
	Shipments       oldShipmentList `json:"shipments"`
	ApplicationID   wire.ID         `json:"application_id"`
}

func (w *oldOrderWire) conv() *orderWire {
	n := &orderWire{ID: w.ID, OrderNumber: w.OrderNumber, Status: w.Status, AccountID: w.AccountID,
		CustomerName: w.CustomerName, PurchasedAt: w.PurchasedAt, ShippingAddress: (*Location)(w.ShippingAddress),
		Shipments: shipmentList(w.Shipments), ApplicationID: w.ApplicationID}
	for _, it := range w.Items {
		ni := itemWire{OfferID: it.OfferID, ReservationID: it.ReservationID, PromotionID: it.PromotionID,
			Quantity: it.Quantity, unknown: it.unknown}
		for _, v := range it.Vouchers {
			ni.Vouchers = append(ni.Vouchers, voucherWire(v))
		}
		n.Items = append(n.Items, ni)
	}
	return n
}

type oldItemWire struct {
	OfferID       wire.ID        `json:"offer_id"`
	ReservationID wire.ID        `json:"reservation_id"`
	PromotionID   wire.ID        `json:"promotion_id"`
	Quantity      wire.Int       `json:"quantity"`
	Vouchers      oldVoucherList `json:"vouchers"`
	unknown       map[string]string
}

type oldVoucherWire voucherWire

type oldItemList []oldItemWire
type oldVoucherList []oldVoucherWire
type oldShipmentList []Shipment

type oldOrderEnvelope struct {
	order      *Order
	recognised bool
}

type oldVoucherEnvelope struct{ v *Voucher }

func (l *oldLocation) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	for k, raw := range m {
		var v wire.ID
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		s := string(v)
		switch strings.TrimSpace(k) {
		case "address_line_1":
			l.AddressLine1 = s
		case "address_line_2":
			l.AddressLine2 = s
		case "city":
			l.City = s
		case "state_code":
			l.StateCode = s
		case "postal_code":
			l.PostalCode = s
		}
	}
	return nil
}

func (w *oldItemWire) UnmarshalJSON(b []byte) error {
	type plain oldItemWire
	*w = oldItemWire{}
	unknown, err := decodeObject(b, "item", (*plain)(w), itemKeys, "offer_id", "quantity")
	if err != nil {
		return fmt.Errorf("adility: order item: %w", err)
	}
	w.unknown = unknown
	return nil
}

func (l *oldItemList) UnmarshalJSON(b []byte) error {
	v, err := jsonList[oldItemWire](b)
	*l = v
	return err
}

func (l *oldShipmentList) UnmarshalJSON(b []byte) error {
	raws, err := jsonList[json.RawMessage](b)
	if err != nil {
		// Shipments are unpublished: a shape we do not expect is kept,
		// never allowed to fail the order.
		if s := string(bytes.TrimSpace(b)); s != `""` {
			*l = oldShipmentList{{Raw: s}}
		}
		return nil
	}
	for _, r := range raws {
		s := Shipment{Raw: string(r)}
		var m map[string]json.RawMessage
		if json.Unmarshal(r, &m) == nil {
			for k, v := range m {
				var text string
				if json.Unmarshal(v, &text) != nil {
					text = string(v)
				}
				s.Fields = keep(s.Fields, k, text)
			}
		}
		*l = append(*l, s)
	}
	return nil
}

func (e *oldOrderEnvelope) UnmarshalJSON(b []byte) error {
	inner, m, err := objectOf(b, "order", "id", "order_number")
	if err != nil {
		return err
	}
	var w oldOrderWire
	if err := json.Unmarshal(inner, &w); err != nil {
		return err
	}
	e.order = w.conv().order(unknownJSON(m, orderKeys))
	for k := range m {
		if orderKeys[strings.TrimSpace(k)] {
			e.recognised = true
		}
	}
	if raw := bytes.TrimSpace(m["shipping_address"]); e.order.ShippingAddress == nil && len(raw) > 0 &&
		!bytes.Equal(raw, []byte("null")) && !bytes.Equal(raw, []byte(`""`)) && raw[0] != '{' {
		// An address in a shape Location does not read is kept as sent.
		e.order.Unknown = keep(e.order.Unknown, "shipping_address", string(raw))
	}
	return nil
}

func (w *oldVoucherWire) UnmarshalJSON(b []byte) error {
	type plain oldVoucherWire
	*w = oldVoucherWire{}
	unknown, err := decodeObject(b, "voucher", (*plain)(w), voucherKeys, "id", "redemption_code")
	if err != nil {
		return fmt.Errorf("adility: voucher: %w", err)
	}
	w.unknown = unknown
	return nil
}

func (l *oldVoucherList) UnmarshalJSON(b []byte) error {
	v, err := jsonList[oldVoucherWire](b)
	*l = v
	return err
}

func (e *oldVoucherEnvelope) UnmarshalJSON(b []byte) error {
	var w oldVoucherWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	vw := voucherWire(w)
	v := vw.voucher()
	e.v = &v
	return nil
}

// unknownJSON returns the members of a JSON object not in known, each as
// its raw JSON text.
func unknownJSON(m map[string]json.RawMessage, known map[string]bool) map[string]string {
	var out map[string]string
	for k, v := range m {
		if known[strings.TrimSpace(k)] {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = string(v)
	}
	return out
}

// objectOf reads b as a JSON object and, when it is {"<name>": {...}} and
// nothing else names the entity itself, returns the inner object. Rails-style
// APIs wrap each record in its type's name.
func objectOf(b []byte, name string, own ...string) (json.RawMessage, map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, fmt.Errorf("adility: %s is null", name)
	}
	inner, ok := m[name]
	if !ok {
		return b, m, nil
	}
	for _, k := range own {
		if _, has := m[k]; has {
			return b, m, nil
		}
	}
	inner = bytes.TrimSpace(inner)
	if len(inner) == 0 || inner[0] != '{' {
		return b, m, nil
	}
	var im map[string]json.RawMessage
	if err := json.Unmarshal(inner, &im); err != nil {
		return nil, nil, err
	}
	return inner, im, nil
}

// jsonList reads a JSON array of T, a single T, or null.
func jsonList[T any](b []byte) ([]T, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil, nil
	case b[0] == '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(b, &raws); err != nil {
			return nil, err
		}
		out := make([]T, 0, len(raws))
		for _, r := range raws {
			if string(bytes.TrimSpace(r)) == "null" {
				continue
			}
			var v T
			if err := json.Unmarshal(r, &v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case b[0] == '{':
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		return []T{v}, nil
	}
	return nil, fmt.Errorf("adility: expected a list, got %.40q", b)
}

// decodeObject reads b, an object or one wrapped as {name: {...}} (see
// objectOf), into p, which must be a type without UnmarshalJSON of its own
// (a plain alias of the wire type), and returns the members outside known.
func decodeObject[P any](b []byte, name string, p *P, known map[string]bool, required ...string) (map[string]string, error) {
	inner, m, err := objectOf(b, name, required...)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(inner, p); err != nil {
		return nil, err
	}
	return unknownJSON(m, known), nil
}

// oldDecodeOrder is decodeOrder for JSON as it was.
func oldDecodeOrder(data []byte) (*Order, bool, error) {
	var env oldOrderEnvelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, false, err
	}
	return env.order, env.recognised, nil
}

func FuzzJSONWalkMatchesTheOldDecoders(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkSameAsOld(t, []byte(body))
	})
}

func TestJSONWalkMatchesTheOldDecoders(t *testing.T) {
	for _, s := range jsonSeeds {
		checkSameAsOld(t, []byte(s))
	}
	for _, name := range []string{"placed_order.json", "order.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		checkSameAsOld(t, data)
	}
	checkSameAsOld(t, bigOrder(false))
}

func checkSameAsOld(t *testing.T, data []byte) {
	t.Helper()
	want, wantRec, wantErr := oldDecodeOrder(data)
	var env orderEnvelope
	gotErr := json.Unmarshal(data, &env)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q: old error %v, new error %v", data, wantErr, gotErr)
	}
	if wantErr != nil {
		return
	}
	if !reflect.DeepEqual(want, env.order) || wantRec != env.recognised {
		t.Fatalf("%q:\nold %#v (recognised %v)\nnew %#v (recognised %v)", data, want, wantRec, env.order, env.recognised)
	}
	direct, derr := decodeEnvelope(JSON, data)
	if derr != nil || !reflect.DeepEqual(want, direct.order) || wantRec != direct.recognised {
		t.Fatalf("%q: decodeEnvelope differs: %v", data, derr)
	}
	var ov oldVoucherEnvelope
	var nv voucherEnvelope
	oe, ne := json.Unmarshal(data, &ov), json.Unmarshal(data, &nv)
	if (oe == nil) != (ne == nil) {
		t.Fatalf("voucher %q: old error %v, new error %v", data, oe, ne)
	}
	if oe == nil && !reflect.DeepEqual(ov.v, nv.v) {
		t.Fatalf("voucher %q:\nold %#v\nnew %#v", data, ov.v, nv.v)
	}
	var ol oldLocation
	var nl Location
	if (json.Unmarshal(data, &ol) == nil) != (json.Unmarshal(data, &nl) == nil) || Location(ol) != nl {
		t.Fatalf("location %q: old %#v new %#v", data, ol, nl)
	}
}

var jsonSeeds = []string{
	`{"order":{"id":"1","items":[{"quantity":"2","vouchers":{"id":3}}]}}`,
	`{"order":{"id":1,"order_number":"n","status":"Active","items":{"offer_id":5,"quantity":2.0,"vouchers":[null,{"voucher":{"id":"v","redemption_code":7,"expiration_date":"end of season","value":{"amount":1}}}]}}}`,
	`{"id":"1","order":{"id":"2"}}`,
	`{"order":{"id":"2"},"x":1}`,
	`{"order":"x"}`,
	`{"order":null}`,
	`{"ID":"7","Status":"cancelled","Order_Number":"n-1"," id ":"z"}`,
	`{"shipping_address":{"\n address_line_1":"1 Main","postal_code":62701,"city":["x"]},"shipments":[{"carrier":"UPS","n":2.5,"p":[1,2]},null,"s"]}`,
	`{"shipping_address":"1 Main St, Springfield","shipments":"x"}`,
	`{"shipping_address":"","shipments":""}`,
	`{"shipping_address":null,"shipments":null,"items":null,"purchased_at":null}`,
	`{"purchased_at":12345,"items":[{"item":{"offer_id":"o"},"batch":"B-9"}]}`,
	`{"items":[{"item":{"offer_id":"o"},"quantity":1}]}`,
	`{"items":[{"quantity":"1.5"}]}`,
	`{"items":[{"quantity":true}]}`,
	`{"items":"x"}`,
	`{"items":[1]}`,
	`{"customer_name":5}`,
	`{"id":true}`,
	`{"id":{"a":1}}`,
	`{"customer_name":"Jos\u00e9 \"J\"","status":null}`,
	`{"items":[{"vouchers":[{"status":"REDEEMED","redeemed_at":"2024-03-01 12:00:00","print_url":"https:\/\/x"}]}]}`,
	`{"voucher":{"id":"v1"},"total":7400}`,
	`[]`, `null`, `"x"`, `1`, `{}`, `{"":{}}`,
	"{\"customer_name\":\"\xff\"}",
}
