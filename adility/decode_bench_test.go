package adility

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"testing"
)

// bigOrder is an answer as a busy distributor sees it: 3 items with 10
// vouchers each, in JSON and XML.
func bigOrder(xmlOut bool) []byte {
	var b strings.Builder
	voucher := func(i, j int) {
		if xmlOut {
			fmt.Fprintf(&b, `<voucher><id>4f1d2c3b9a0e7d00%04d%04d</id><offer_id>4e8b1a2f9a0e7d001100000%d</offer_id><redemption_code>AD-%04d-%04d</redemption_code><customer_name>John Smith</customer_name><status>Acquired</status><acquired_at>2024-03-01T12:00:00Z</acquired_at><activation_date>2024-03-01</activation_date><expiration_date>2025-03-01</expiration_date><account_id>4e8b1a2f9a0e7d0011000009</account_id><barcode>%013d</barcode><print_url>https://vouchers.example/%d/%d/print</print_url></voucher>`, i, j, i, i, j, i*100+j, i, j)
			return
		}
		fmt.Fprintf(&b, `{"id":"4f1d2c3b9a0e7d00%04d%04d","offer_id":"4e8b1a2f9a0e7d001100000%d","redemption_code":"AD-%04d-%04d","customer_name":"John Smith","status":"Acquired","acquired_at":"2024-03-01T12:00:00Z","activation_date":"2024-03-01","expiration_date":"2025-03-01","account_id":"4e8b1a2f9a0e7d0011000009","barcode":"%013d","print_url":"https://vouchers.example/%d/%d/print"}`, i, j, i, i, j, i*100+j, i, j)
	}
	if xmlOut {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><order><id>4f1d2c3b9a0e7d0000000001</id><order_number>shop-10042</order_number><status>active</status><items>`)
		for i := range 3 {
			fmt.Fprintf(&b, `<item><offer_id>4e8b1a2f9a0e7d001100000%d</offer_id><quantity>10</quantity><vouchers>`, i)
			for j := range 10 {
				voucher(i, j)
			}
			b.WriteString(`</vouchers></item>`)
		}
		b.WriteString(`</items><account_id>4e8b1a2f9a0e7d0011000009</account_id><customer_name>John Smith</customer_name><purchased_at>2024-03-01T12:00:00Z</purchased_at><shipping_address><address_line_1>1 Main St</address_line_1><city>Springfield</city><state_code>IL</state_code><postal_code>62701</postal_code></shipping_address></order>`)
		return []byte(b.String())
	}
	b.WriteString(`{"order":{"id":"4f1d2c3b9a0e7d0000000001","order_number":"shop-10042","status":"active","items":[`)
	for i := range 3 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"offer_id":"4e8b1a2f9a0e7d001100000%d","quantity":10,"vouchers":[`, i)
		for j := range 10 {
			if j > 0 {
				b.WriteByte(',')
			}
			voucher(i, j)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`],"account_id":"4e8b1a2f9a0e7d0011000009","customer_name":"John Smith","purchased_at":"2024-03-01T12:00:00Z","shipping_address":{"address_line_1":"1 Main St","city":"Springfield","state_code":"IL","postal_code":"62701"},"shipments":[]}}`)
	return []byte(b.String())
}

// The hand-written baseline: plain structs, strings for everything, as a
// user of net/http + encoding/json would write them.
type plainVoucher struct {
	ID             string `json:"id" xml:"id"`
	OfferID        string `json:"offer_id" xml:"offer_id"`
	RedemptionCode string `json:"redemption_code" xml:"redemption_code"`
	CustomerName   string `json:"customer_name" xml:"customer_name"`
	Status         string `json:"status" xml:"status"`
	AcquiredAt     string `json:"acquired_at" xml:"acquired_at"`
	ActivationDate string `json:"activation_date" xml:"activation_date"`
	ExpirationDate string `json:"expiration_date" xml:"expiration_date"`
	AccountID      string `json:"account_id" xml:"account_id"`
	Barcode        string `json:"barcode" xml:"barcode"`
	PrintURL       string `json:"print_url" xml:"print_url"`
}

type plainItem struct {
	OfferID  string         `json:"offer_id" xml:"offer_id"`
	Quantity int            `json:"quantity" xml:"quantity"`
	Vouchers []plainVoucher `json:"vouchers" xml:"vouchers>voucher"`
}

type plainOrder struct {
	ID              string      `json:"id" xml:"id"`
	OrderNumber     string      `json:"order_number" xml:"order_number"`
	Status          string      `json:"status" xml:"status"`
	Items           []plainItem `json:"items" xml:"items>item"`
	AccountID       string      `json:"account_id" xml:"account_id"`
	CustomerName    string      `json:"customer_name" xml:"customer_name"`
	PurchasedAt     string      `json:"purchased_at" xml:"purchased_at"`
	ShippingAddress *Location   `json:"shipping_address" xml:"shipping_address"`
}

func BenchmarkDecode(b *testing.B) {
	fixtures := map[string][]byte{"big.json": bigOrder(false), "big.xml": bigOrder(true)}
	for _, name := range []string{"placed_order.json", "placed_order.xml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			b.Fatal(err)
		}
		fixtures[name] = data
	}
	for _, name := range []string{"placed_order.json", "big.json", "placed_order.xml", "big.xml"} {
		data := fixtures[name]
		f := JSON
		if strings.HasSuffix(name, ".xml") {
			f = XML
		}
		b.Run("sdk/"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := decodeOrder(f, data); err != nil {
					b.Fatal(err)
				}
			}
		})
		if !strings.HasPrefix(name, "big") {
			continue
		}
		b.Run("handwritten/"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var err error
				if f == XML {
					var o plainOrder
					err = xml.Unmarshal(data, &o)
				} else {
					var env struct {
						Order plainOrder `json:"order"`
					}
					err = json.Unmarshal(data, &env)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
