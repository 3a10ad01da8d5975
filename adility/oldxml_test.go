package adility

// The XML decoders as they were before the one-pass walk, kept as the
// oracle the walk is fuzzed against: every answer must read the same.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/orderkit/orderkit/internal/wire"
)

type oldXOrderWire struct {
	ID              wire.ID          `xml:"id"`
	OrderNumber     wire.ID          `xml:"order_number"`
	Status          string           `xml:"status"`
	Items           oldXItemList     `xml:"items"`
	AccountID       wire.ID          `xml:"account_id"`
	CustomerName    string           `xml:"customer_name"`
	PurchasedAt     flexTime         `xml:"purchased_at"`
	ShippingAddress *Location        `xml:"shipping_address"`
	Shipments       oldXShipmentList `xml:"shipments"`
	ApplicationID   wire.ID          `xml:"application_id"`
	Any             []xmlAny         `xml:",any"`
}

func (w *oldXOrderWire) conv() *orderWire {
	n := &orderWire{ID: w.ID, OrderNumber: w.OrderNumber, Status: w.Status, AccountID: w.AccountID,
		CustomerName: w.CustomerName, PurchasedAt: w.PurchasedAt, ShippingAddress: w.ShippingAddress,
		Shipments: shipmentList(w.Shipments), ApplicationID: w.ApplicationID, Any: w.Any}
	for _, it := range w.Items {
		n.Items = append(n.Items, itemWire{OfferID: it.OfferID, ReservationID: it.ReservationID, PromotionID: it.PromotionID,
			Quantity: it.Quantity, Vouchers: voucherList(it.Vouchers), Any: it.Any})
	}
	return n
}

type oldXItemWire struct {
	OfferID       wire.ID         `xml:"offer_id"`
	ReservationID wire.ID         `xml:"reservation_id"`
	PromotionID   wire.ID         `xml:"promotion_id"`
	Quantity      wire.Int        `xml:"quantity"`
	Vouchers      oldXVoucherList `xml:"vouchers"`
	Any           []xmlAny        `xml:",any"`
}

type oldXItemList []oldXItemWire
type oldXVoucherList []voucherWire
type oldXShipmentList []Shipment

// xmlList reads the children of start as a list of T. When the children are
// the fields of one T (no wrapper per element), start itself is one T.
func oldXMLList[T any](d *xml.Decoder, start xml.StartElement, elem string, fields map[string]bool) ([]T, error) {
	var raw struct {
		Inner []byte `xml:",innerxml"`
	}
	if err := d.DecodeElement(&raw, &start); err != nil {
		return nil, err
	}
	inner := xml.NewDecoder(bytes.NewReader(raw.Inner))
	var out []T
	var direct bool
	for {
		tok, err := inner.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if fields[se.Name.Local] && se.Name.Local != elem {
			direct = true
			if err := inner.Skip(); err != nil {
				return nil, err
			}
			continue
		}
		var v T
		if err := inner.DecodeElement(&v, &se); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if direct {
		var v T
		wrapped := append(append([]byte("<"+elem+">"), raw.Inner...), []byte("</"+elem+">")...)
		if err := xml.Unmarshal(wrapped, &v); err != nil {
			return nil, err
		}
		return []T{v}, nil
	}
	return out, nil
}

func (l *oldXItemList) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	v, err := oldXMLList[oldXItemWire](d, start, "item", itemKeys)
	*l = v
	return err
}

// UnmarshalXML reads <shipments><shipment>...</shipment></shipments>, or a
// <shipments> element holding one shipment's fields. Text alone (the
// reference page's placeholder) is no shipment.
func (l *oldXShipmentList) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var outer struct {
		Children []xmlAny `xml:",any"`
	}
	if err := d.DecodeElement(&outer, &start); err != nil {
		return err
	}
	perElement := len(outer.Children) > 0
	for _, c := range outer.Children {
		if c.XMLName.Local != "shipment" {
			perElement = false
		}
	}
	if !perElement {
		if len(outer.Children) > 0 {
			*l = append(*l, xmlShipment(outer.Children))
		}
		return nil
	}
	for _, c := range outer.Children {
		var inner struct {
			Children []xmlAny `xml:",any"`
			Inner    string   `xml:",innerxml"`
		}
		if err := xml.Unmarshal([]byte("<s>"+c.Inner+"</s>"), &inner); err != nil {
			return err
		}
		s := xmlShipment(inner.Children)
		s.Raw = c.Inner
		*l = append(*l, s)
	}
	return nil
}

func (e *oldOrderEnvelope) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var root struct {
		oldXOrderWire
		Inner *oldXOrderWire `xml:"order"`
	}
	if err := d.DecodeElement(&root, &start); err != nil {
		return err
	}
	w := &root.oldXOrderWire
	e.recognised = start.Name.Local == "order"
	if root.Inner != nil && w.ID == "" && w.OrderNumber == "" {
		w = root.Inner
		e.recognised = true
	}
	e.order = w.conv().order(unknownXML(w.Any))
	return nil
}

func (l *oldXVoucherList) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	v, err := oldXMLList[voucherWire](d, start, "voucher", voucherKeys)
	*l = v
	return err
}

func (e *oldVoucherEnvelope) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var root struct {
		voucherWire
		Inner *voucherWire `xml:"voucher"`
	}
	if err := d.DecodeElement(&root, &start); err != nil {
		return err
	}
	w := &root.voucherWire
	if root.Inner != nil && w.ID == "" && w.RedemptionCode == "" {
		w = root.Inner
	}
	v := w.voucher()
	e.v = &v
	return nil
}

func oldCharset(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii":
	default:
		return nil, fmt.Errorf("unsupported XML encoding %q", label)
	}
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(latin1ToUTF8(b)), nil
}

func oldXMLDecode(data []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = oldCharset
	return d.Decode(v)
}

func checkXMLSameAsOld(t *testing.T, data []byte) {
	t.Helper()
	var old oldOrderEnvelope
	oerr := oldXMLDecode(data, &old)
	env, nerr := decodeOrderXML(data)
	if (oerr == nil) != (nerr == nil) {
		t.Fatalf("%q: old error %v, new error %v", data, oerr, nerr)
	}
	if oerr == nil && (!reflect.DeepEqual(old.order, env.order) || old.recognised != env.recognised) {
		t.Fatalf("%q:\nold %#v (recognised %v)\nnew %#v (recognised %v)", data, old.order, old.recognised, env.order, env.recognised)
	}
	var ov oldVoucherEnvelope
	oerr = oldXMLDecode(data, &ov)
	nv, nerr := decodeVoucherXML(data)
	if (oerr == nil) != (nerr == nil) {
		t.Fatalf("voucher %q: old error %v, new error %v", data, oerr, nerr)
	}
	if oerr == nil && !reflect.DeepEqual(ov.v, nv) {
		t.Fatalf("voucher %q:\nold %#v\nnew %#v", data, ov.v, nv)
	}
}

var xmlSeeds = []string{
	`<order><items><item><vouchers><voucher/></vouchers></item></items></order>`,
	`<order><id>1</id><items><item><offer_id>o</offer_id><quantity> 2 </quantity><batch>B-9</batch><vouchers><voucher><id>v</id><expiration_date>end of season</expiration_date><value><amount>1</amount></value></voucher><x/></vouchers></item></items><total>7400</total></order>`,
	`<order><items><offer_id>o</offer_id><quantity>1</quantity><item><offer_id>p</offer_id></item></items></order>`,
	`<order><items><item><quantity>1.5</quantity></item></items></order>`,
	`<hash><order><id>2</id><status>active</status></order><extra>1</extra></hash>`,
	`<hash><id>3</id><order><id>2</id></order></hash>`,
	`<voucher><voucher><id>v9</id></voucher></voucher>`,
	`<order><shipments><shipment><carrier>UPS</carrier><tracking_number>1Z</tracking_number></shipment></shipments></order>`,
	`<order><shipments><carrier>UPS</carrier><n>2</n></shipments><shipments>Shipment</shipments></order>`,
	`<order><shipments><shipment>a</shipment><other/></shipments></order>`,
	`<order><shipping_address><address_line_1>1 &amp; Main</address_line_1><city><![CDATA[Spring]]>field</city><x>y</x></shipping_address></order>`,
	`<order><customer_name>a<b>c</b>d</customer_name><status><!-- c -->active</status></order>`,
	`<order><purchased_at>2024-03-01T12:00:00+01:00</purchased_at><purchased_at>nope</purchased_at></order>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><order><customer_name>J` + "\xfc" + `rgen</customer_name><note>caf` + "\xe9" + `</note></order>`,
	`<?xml version="1.0" encoding="UTF-8"?><order/>`,
	`<?xml version="1.0" encoding="EBCDIC"?><order/>`,
	`<order><id>1</id>`, `<order></x>`, ``, `text`, `<a:order xmlns:a="u"><a:id>1</a:id><b:z xmlns:b="v">q</b:z></a:order>`,
	`<order><items/><items><item><vouchers><voucher><id>1</id></voucher><voucher><id>2</id></voucher></vouchers></item></items></order>`,
}

func TestXMLWalkMatchesTheOldDecoders(t *testing.T) {
	for _, s := range xmlSeeds {
		checkXMLSameAsOld(t, []byte(s))
	}
	for _, name := range []string{"placed_order.xml", "order.xml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		checkXMLSameAsOld(t, data)
	}
	checkXMLSameAsOld(t, bigOrder(true))
}

func FuzzXMLWalkMatchesTheOldDecoders(f *testing.F) {
	for _, s := range xmlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkXMLSameAsOld(t, []byte(body))
	})
}
