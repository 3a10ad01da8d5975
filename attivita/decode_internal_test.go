package attivita

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/wire"
)

func TestProductRef(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want productRef
	}{
		{`"Office 2021"`, productRef{DisplayName: "Office 2021"}},
		{` "Caf\u00e9 \"Pro\"" `, productRef{DisplayName: `Café "Pro"`}},
		{`"Café"`, productRef{DisplayName: "Café"}},
		{`null`, productRef{}},
		{`{"displayName":"D","_id":"507f"}`, productRef{ID: "507f", DisplayName: "D"}},
		{`{ "_id" : 953 , "name" : "n" }`, productRef{ID: "953", Name: "n"}},
		{`{"extra":{"a":[1,"}]\"",{"b":null}]},"_id":"q","displayName":null}`, productRef{ID: "q"}},
		{`{}`, productRef{}},
	} {
		var p productRef
		require.NoError(t, json.Unmarshal([]byte(tc.in), &p), tc.in)
		assert.Equal(t, tc.want, p, tc.in)
	}
	for _, bad := range []string{`5`, `true`, `[]`, `{"_id":{}}`, `{"displayName":5}`, `{"name":[]}`} {
		var p productRef
		assert.Error(t, json.Unmarshal([]byte(bad), &p), bad)
	}
}

// Inside an order line (on go1.27 through UnmarshalJSONFrom, which decodes
// a product object from the line's own decoder) a product reads as
// UnmarshalJSON reads it alone: the same value, an error for the same input.
func TestProductRefInALine(t *testing.T) {
	for _, in := range []string{`"Office 2021"`, `null`, `{"displayName":"D","_id":"507f"}`, `{ "_id" : 953 , "name" : "n" }`,
		`{"_id":"1","_id":"2"}`, `{"DisplayName":"x","NAME":"y"}`, `{"extra":{"a":[1]},"_id":"q","displayName":null}`,
		`5`, `true`, `[]`, `{"_id":{}}`, `{"displayName":5}`, `{"name":[]}`, `{"_id":1e400}`} {
		var want productRef
		wantErr := want.UnmarshalJSON([]byte(in))
		var line struct {
			Product  productRef `json:"product"`
			Quantity int        `json:"quantity"`
		}
		err := json.Unmarshal([]byte(`{"product":`+in+`,"quantity":2}`), &line)
		if wantErr != nil {
			assert.ErrorContains(t, err, "attivita: order item product", in)
			continue
		}
		require.NoError(t, err, in)
		assert.Equal(t, want, line.Product, in)
		assert.Equal(t, 2, line.Quantity, in)
	}
}

// FuzzLeaves: no input makes the leaves panic, and what the standard
// decoder accepts as a string the product leaf reads as the same name.
func FuzzLeaves(f *testing.F) {
	for _, s := range []string{`"x"`, `{"_id":"1","displayName":"d"}`, `{"a":[{"b":"}"}]}`, `{`, `"\u00e9"`, `null`, `{"_id":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p productRef
		_ = p.UnmarshalJSON(b)
		var a amountOf[fieldPrice]
		_ = a.UnmarshalJSON(b)
		var want string
		if json.Unmarshal(b, &want) == nil && !wire.IsNull(b) {
			var p productRef
			require.NoError(t, p.UnmarshalJSON(b))
			require.Equal(t, want, p.DisplayName)
		}
	})
}

func TestStrictMoneyAfterOnePass(t *testing.T) {
	for _, tc := range []struct{ body, wantErr string }{
		{`{"orderNumber":1,"items":[{"product":"p","quantity":1}]}`, "price is missing"},
		{`{"orderNumber":1,"items":[{"product":"p","quantity":1,"price":null}]}`, "price is null"},
		{`{"orderNumber":1,"items":[{"product":"p","quantity":1,"price":"abc"}]}`, "price"},
		{`{"orderNumber":1,"subTotal":null}`, "subTotal is null"},
		{`{"orderNumber":1,"grandTotal":"1,50"}`, "grandTotal"},
		{`{"orderNumber":"x"}`, ""},
	} {
		var o Order
		err := json.Unmarshal([]byte(tc.body), &o)
		require.Error(t, err, tc.body)
		assert.Contains(t, err.Error(), tc.wantErr, tc.body)
	}
	var l orderList
	require.NoError(t, json.Unmarshal([]byte(`[{"orderNumber":1},null]`), &l))
	_, err := l.orders()
	require.ErrorContains(t, err, "order 1 of the list is null")

	var o Order
	require.NoError(t, json.Unmarshal([]byte(`{"orderNumber":"7","orderDate":"2023-05-01T10:00:00Z","discountType":"1","customer":7,"items":[{"product":{"_id":9,"displayName":"D"},"quantity":"2","price":"0E-10"}]}`), &o))
	assert.Equal(t, OrderNumber(7), o.OrderNumber)
	assert.Equal(t, "7", o.Customer)
	require.NotNil(t, o.DiscountType)
	assert.Equal(t, 1, *o.DiscountType)
	assert.True(t, o.SubTotal.IsZero(), "absent total: zero")
	require.Len(t, o.Items, 1)
	assert.Equal(t, OrderItem{ProductID: "9", ProductName: "D", Quantity: 2, Price: o.Items[0].Price}, o.Items[0])
	assert.True(t, o.Items[0].Price.IsZero())

	for _, bad := range []string{`[{"_id":"a","price":null}]`, `[{"_id":"a"}]`, `[null]`, `[{"_id":"a","price":"x"}]`} {
		var pl productList
		err := json.Unmarshal([]byte(bad), &pl)
		if err == nil {
			_, err = pl.products()
		}
		assert.Error(t, err, bad)
	}
}

// The decoding the client does with an answer: one json.Unmarshal into
// the wire type, then the conversion.
func benchWire[W any](b *testing.B, file string, convert func(*W) error) {
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		var w W
		if err := json.Unmarshal(raw, &w); err != nil {
			b.Fatal(err)
		}
		if err := convert(&w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeWireOrderList(b *testing.B) {
	benchWire(b, "orders.json", func(l *orderList) error { _, err := l.orders(); return err })
}

func BenchmarkDecodeWireCreatedOrder(b *testing.B) {
	benchWire(b, "create_order_response.json", func(w *orderWire) error { _, err := w.order(); return err })
}

func BenchmarkDecodeWireProducts(b *testing.B) {
	benchWire(b, "products.json", func(l *productList) error { _, err := l.products(); return err })
}
