package versacommerce

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// The decoding benchmarks measure one answer's decoding, without HTTP:
//
//	go test -run '^$' -bench Decode -benchmem ./versacommerce/
//
// impl=handwritten is what a user would write with encoding/json and plain
// structs (strings for money, json.Number for the ids that come as either);
// impl=sdk is the client's own path, from the answer's bytes to the public
// types.

type handAddress struct {
	ID           int64  `json:"id"`
	OrderID      int64  `json:"order_id"`
	CustomerID   int64  `json:"customer_id"`
	Category     string `json:"category"`
	Title        string `json:"title"`
	Firstname    string `json:"firstname"`
	Lastname     string `json:"lastname"`
	Company      string `json:"company"`
	Street       string `json:"street"`
	Streetnumber string `json:"streetnumber"`
	Extension    string `json:"extension"`
	Zipcode      string `json:"zipcode"`
	City         string `json:"city"`
	State        string `json:"state"`
	Country      string `json:"country"`
	Email        string `json:"email"`
	Phone        string `json:"phone"`
	Locked       bool   `json:"locked"`
	Option01     string `json:"option_01"`
	Option02     string `json:"option_02"`
	Option03     string `json:"option_03"`
}

type handOrder struct {
	ID                  int64           `json:"id"`
	Code                string          `json:"code"`
	ShopID              json.Number     `json:"shop_id"`
	CustomerID          int64           `json:"customer_id"`
	CustomerEmail       string          `json:"customer_email"`
	CreatedAt           string          `json:"created_at"`
	CheckoutLocale      string          `json:"checkout_locale"`
	Status              string          `json:"status"`
	PaymentStatus       string          `json:"payment_status"`
	ItemsStatus         string          `json:"items_status"`
	PaymentType         string          `json:"payment_type"`
	Currency            string          `json:"currency"`
	ItemTotal           string          `json:"item_total"`
	PaymentCost         string          `json:"payment_cost"`
	ShippingCost        string          `json:"shipping_cost"`
	DiscountTotal       string          `json:"discount_total"`
	CouponCode          *string         `json:"coupon_code"`
	CouponValue         string          `json:"coupon_value"`
	Subtotal            string          `json:"subtotal"`
	Total               string          `json:"total"`
	PricesIncludeTax    bool            `json:"prices_include_tax"`
	PaymentTaxRate      json.Number     `json:"payment_tax_rate"`
	StandardTaxRate     json.Number     `json:"standard_tax_rate"`
	StandardTaxAmount   string          `json:"standard_tax_amount"`
	StandardTaxTotal    string          `json:"standard_tax_total"`
	ReducedTaxRate      json.Number     `json:"reduced_tax_rate"`
	ReducedTaxAmount    string          `json:"reduced_tax_amount"`
	ReducedTaxTotal     string          `json:"reduced_tax_total"`
	WeightTotal         json.Number     `json:"weight_total"`
	ItemsCount          int             `json:"items_count"`
	PaymentsCount       int             `json:"payments_count"`
	ShipmentsCount      int             `json:"shipments_count"`
	Note                *string         `json:"note"`
	Source              *string         `json:"source"`
	Referrer            string          `json:"referrer"`
	ExternalInvoicingID *string         `json:"external_invoicing_id"`
	BankAccountName     *string         `json:"bank_account_name"`
	BankAccountNumber   *string         `json:"bank_account_number"`
	BankAccountBankCode *string         `json:"bank_account_bank_code"`
	BankAccountBankName *string         `json:"bank_account_bank_name"`
	ShippingAddress     *handAddress    `json:"shipping_address"`
	BillingAddress      *handAddress    `json:"billing_address"`
	Customer            json.RawMessage `json:"customer"`
}

type handCustomer struct {
	ID                      int64       `json:"id"`
	ShopID                  json.Number `json:"shop_id"`
	Email                   string      `json:"email"`
	Birthday                *string     `json:"birthday"`
	Active                  bool        `json:"active"`
	Registered              bool        `json:"registered"`
	AcceptsNewsletter       bool        `json:"accepts_newsletter"`
	AccountConfirmationSent bool        `json:"account_confirmation_sent"`
	Note                    *string     `json:"note"`
	Option01                string      `json:"option_01"`
	Option02                string      `json:"option_02"`
	Option03                string      `json:"option_03"`
	Option04                string      `json:"option_04"`
	CreatedOn               string      `json:"created_on"`
	UpdatedOn               string      `json:"updated_on"`
}

// handOrderFull decodes the customer too, as plain structs.
type handOrderFull struct {
	handOrder
	Customer *handCustomer `json:"customer"`
}

func benchFixture(b *testing.B, name string) []byte {
	b.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// page250 is a list answer of 250 orders: the fixture's two orders (one
// with shop_id 953, one with "953") repeated.
func page250(b *testing.B) []byte {
	var two []json.RawMessage
	if err := json.Unmarshal(benchFixture(b, "orders.json"), &two); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i := 0; i < 250; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(two[i%2])
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// bare removes the root elements from a list answer.
func bare(b *testing.B, page []byte) []byte {
	var wrapped []struct {
		Order json.RawMessage `json:"order"`
	}
	if err := json.Unmarshal(page, &wrapped); err != nil {
		b.Fatal(err)
	}
	out := make([]json.RawMessage, len(wrapped))
	for i := range wrapped {
		out[i] = wrapped[i].Order
	}
	data, err := json.Marshal(out)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkDecodePage250(b *testing.B) {
	page := page250(b)
	for _, in := range []struct {
		name string
		data []byte
	}{{"root", page}, {"bare", bare(b, page)}} {
		b.Run("impl=handwritten/"+in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			for i := 0; i < b.N; i++ {
				if in.name == "root" {
					var out []struct {
						Order handOrderFull `json:"order"`
					}
					if err := json.Unmarshal(in.data, &out); err != nil || len(out) != 250 {
						b.Fatal(err, len(out))
					}
				} else {
					var out []handOrderFull
					if err := json.Unmarshal(in.data, &out); err != nil || len(out) != 250 {
						b.Fatal(err, len(out))
					}
				}
			}
		})
		b.Run("impl=sdk/"+in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			for i := 0; i < b.N; i++ {
				if out := decodePage(b, in.data); len(out) != 250 || out[1].ShopID != 953 {
					b.Fatal("bad page")
				}
			}
		})
	}
}

func BenchmarkDecodeOrder(b *testing.B) {
	data := benchFixture(b, "order.json")
	b.Run("impl=handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var out struct {
				Order handOrderFull `json:"order"`
			}
			if err := json.Unmarshal(data, &out); err != nil || out.Order.ID != 100 {
				b.Fatal(err, out.Order.ID)
			}
		}
	})
	b.Run("impl=sdk", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if o := decodeOne(b, data); o.ID != 100 {
				b.Fatal("bad order")
			}
		}
	})
}
