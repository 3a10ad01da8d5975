package inventorum

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// pageBody is a delta page of n orders: the two documented orders (the
// delta page's and the list's, with customer and shipment) in turn.
func pageBody(tb testing.TB, n int) []byte {
	tb.Helper()
	var orders []json.RawMessage
	for _, name := range []string{"delta.json", "list.json"} {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		var p struct{ Data []json.RawMessage }
		if err := json.Unmarshal(raw, &p); err != nil {
			tb.Fatal(err)
		}
		orders = append(orders, p.Data[0])
	}
	var b bytes.Buffer
	b.WriteString(`{"total": 100, "data": [`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(orders[i%2])
	}
	b.WriteString("]}")
	return b.Bytes()
}

// plainOrder is what a hand-written client decodes into: plain structs,
// money and times as strings.
type plainOrder struct {
	ID     int64 `json:"id"`
	Basket struct {
		NoteInternal *string `json:"note_internal"`
		NoteExternal *string `json:"note_external"`
		Items        []struct {
			ID               int64           `json:"id"`
			Name             string          `json:"name"`
			Discount         json.RawMessage `json:"discount"`
			OriginalQuantity string          `json:"original_quantity"`
			Price            string          `json:"price"`
			Product          int64           `json:"product"`
			Quantity         int64           `json:"quantity"`
			TaxRate          string          `json:"tax_rate"`
			GrossPrice       string          `json:"gross_price"`
			UnitGrossPrice   string          `json:"unit_gross_price"`
			ProductCode      *string         `json:"product_code"`
		} `json:"items"`
		Discount json.RawMessage `json:"discount"`
		Receipt  *struct {
			PDF         string `json:"pdf"`
			ImageWidth  int    `json:"image_width"`
			ImageHeight int    `json:"image_height"`
			Image       string `json:"image"`
		} `json:"receipt"`
		InvoiceNumber string `json:"invoice_number"`
	} `json:"basket"`
	State    int64 `json:"state"`
	Customer *struct {
		ID             int64     `json:"id"`
		Channel        int       `json:"channel"`
		Email          string    `json:"email"`
		Title          *string   `json:"title"`
		FirstName      string    `json:"first_name"`
		MiddleName     *string   `json:"middle_name"`
		LastName       string    `json:"last_name"`
		BillingAddress *Address  `json:"billing_address"`
		Shipping       []Address `json:"shipping_address"`
	} `json:"customer"`
	AmountPaid string `json:"amount_paid"`
	Payments   []struct {
		ID                    int64   `json:"id"`
		PaymentMethod         string  `json:"payment_method"`
		PaymentAmount         string  `json:"payment_amount"`
		Date                  string  `json:"date"`
		TransactionID         *string `json:"transaction_id"`
		TransactionDuration   *int64  `json:"transaction_duration"`
		PaypalInvoiceID       *string `json:"paypal_invoice_id"`
		PaypalTabID           *string `json:"paypal_tab_id"`
		ExternalPaymentMethod *string `json:"external_payment_method"`
	} `json:"payments"`
	Shipment *struct {
		ID             int64   `json:"id"`
		Name           string  `json:"name"`
		TrackingNumber *string `json:"tracking_number"`
		Cost           string  `json:"cost"`
		ExternalKey    *string `json:"external_key"`
		Service        *struct {
			ID      int64  `json:"id"`
			Name    string `json:"name"`
			TimeMax int    `json:"time_max"`
			TimeMin int    `json:"time_min"`
		} `json:"service"`
	} `json:"shipment"`
	Channel              string   `json:"channel"`
	TimeAdded            string   `json:"time_added"`
	CompletedAt          string   `json:"completed_at"`
	DeltaState           string   `json:"delta_state"`
	UserID               int64    `json:"user_id"`
	AvailableRefundTypes []string `json:"available_refund_types"`
}

// BenchmarkDecodeDeltaPage decodes a delta page of 100 orders: the
// client's one-pass decoding, and a hand-written client's plain structs.
func BenchmarkDecodeDeltaPage(b *testing.B) {
	body := pageBody(b, 100)
	b.Run("impl=sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for i := 0; i < b.N; i++ {
			var p Page
			if err := decodePage(body, &p); err != nil {
				b.Fatal(err)
			}
			if len(p.Data) != 100 {
				b.Fatal(len(p.Data))
			}
		}
	})
	b.Run("impl=handwritten", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for i := 0; i < b.N; i++ {
			var p struct {
				Total int64        `json:"total"`
				Data  []plainOrder `json:"data"`
			}
			if err := json.Unmarshal(body, &p); err != nil {
				b.Fatal(err)
			}
			if len(p.Data) != 100 {
				b.Fatal(len(p.Data))
			}
		}
	})
}

// The one-pass decoding reads what a user's json.Unmarshal into Page
// reads, field by field.
func TestDecodePageMatchesUnmarshal(t *testing.T) {
	body := pageBody(t, 4)
	var fast, slow Page
	if err := decodePage(body, &fast); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &slow); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fast)
	c, _ := json.Marshal(slow)
	if !bytes.Equal(a, c) {
		t.Fatalf("decodePage and json.Unmarshal differ:\n%s\n%s", a, c)
	}
	if fast.Data[1].Customer == nil || fast.Data[1].Shipment == nil || len(fast.Data[0].Payments) != 1 {
		t.Fatalf("fixture orders not read: %+v", fast.Data[:2])
	}
}

// A user's json.Unmarshal of a BasketResult reads what Create reads.
func TestBasketResultUnmarshal(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "basket_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r BasketResult
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.ID != 19663267 || r.User != 523 || r.Customer != 494 || r.Basket != 19664038 || r.Channel != 1 || r.Description != nil {
		t.Fatalf("read %+v", r)
	}
	if got := r.CompletedAt.Format("2006-01-02T15:04:05.000Z07:00"); got != "2020-02-18T14:48:38.038Z" {
		t.Fatalf("completed_at %s", got)
	}
	if err := json.Unmarshal([]byte(`{"id": 1, "completed_at": "yesterday"}`), &r); err == nil {
		t.Fatal("an unreadable timestamp is an error")
	}
}
