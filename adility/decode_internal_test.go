package adility

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
)

func TestDecodeErrorShapes(t *testing.T) {
	for name, tc := range map[string]struct {
		body, ctype string
		msgs        []string
		code        string
		kind        error
		fields      map[string][]string
	}{
		"error string":      {`{"error":"Invalid API key","code":"auth"}`, "", []string{"Invalid API key"}, "auth", nil, nil},
		"error object":      {`{"error":{"message":"Order not found","code":404}}`, "", []string{"Order not found"}, "404", orderkit.ErrNotFound, nil},
		"long numeric code": {`{"error":{"message":"Refused","code":90071992547409931}}`, "", []string{"Refused"}, "90071992547409931", nil, nil},
		"errors list":       {`{"errors":["a","b"]}`, "", []string{"a", "b"}, "", nil, nil},
		"errors objects":    {`{"errors":[{"field":"order_number","message":"is taken"}]}`, "", []string{"order_number is taken"}, "", ErrDuplicateOrderNumber, map[string][]string{"order_number": {"is taken"}}},
		"errors by field":   {`{"errors":{"customer_name":["can't be blank"]}}`, "", []string{"customer_name can't be blank"}, "", nil, map[string][]string{"customer_name": {"can't be blank"}}},
		"message":           {`{"message":"Order already cancelled"}`, "", []string{"Order already cancelled"}, "", ErrAlreadyCancelled, nil},
		"number and cancel": {`{"error":"Order number 123 has already been cancelled"}`, "", []string{"Order number 123 has already been cancelled"}, "", ErrAlreadyCancelled, nil},
		"number, not exist": {`{"error":"Offer does not exist (order number A-1)"}`, "", []string{"Offer does not exist (order number A-1)"}, "", orderkit.ErrNotFound, nil},
		"number exists":     {`{"error":"Order number A-1 already exists"}`, "", []string{"Order number A-1 already exists"}, "", ErrDuplicateOrderNumber, nil},
		"top-level fields":  {`{"order_number":["has already been taken"],"status":422}`, "", []string{"order_number has already been taken"}, "", ErrDuplicateOrderNumber, map[string][]string{"order_number": {"has already been taken"}}},
		"bare list":         {`["x"]`, "", []string{"x"}, "", nil, nil},
		"xml error":         {`<error>boom</error>`, "", []string{"boom"}, "", nil, nil},
		"xml hash":          {`<hash><error>nope</error><code>E1</code></hash>`, "", []string{"nope"}, "E1", nil, nil},
		"text":              {"Service down\nmore", "text/plain", []string{"Service down"}, "", nil, nil},
		"html":              {`<html><body><h1>Bad Gateway</h1></body></html>`, "text/html", nil, "", nil, nil},
		"text not plain":    {"garbage", "application/octet-stream", nil, "", nil, nil},
		"empty":             {"", "", nil, "", nil, nil},
	} {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			if tc.ctype != "" {
				h.Set("Content-Type", tc.ctype)
			}
			msg, code, detail := decodeError(422, h, []byte(tc.body))
			var ae *orderkit.APIError
			require.ErrorAs(t, detail, &ae)
			assert.Equal(t, tc.msgs, ae.Messages)
			assert.Equal(t, ae.Message, msg)
			assert.Equal(t, strings.Join(tc.msgs, "; "), msg)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, 422, ae.StatusCode)
			assert.Equal(t, tc.kind, ae.Kind)
			var ve *orderkit.ValidationError
			assert.Equal(t, tc.fields != nil, errors.As(detail, &ve), "a *ValidationError exactly when fields are named")
			if ve != nil {
				assert.Equal(t, tc.fields, ve.Fields)
				assert.Equal(t, tc.fields, ae.Fields)
				assert.Equal(t, tc.code, ve.Code)
				assert.ErrorIs(t, detail, orderkit.ErrValidation)
			}
		})
	}
}

func TestDecodeErrorReadsTheExistingOrder(t *testing.T) {
	for body, want := range map[string]string{
		`{"errors":{"order_number":["has already been taken"]},"order_id":"o-7"}`:                     "o-7",
		`{"error":"order number taken","order":{"id":42}}`:                                            "42",
		`{"error":"order number taken","order_id":12345678901234567891}`:                              "12345678901234567891",
		`{"error":"order number taken","order_id":1e3}`:                                               "1e3",
		`<errors><error>order_number has already been taken</error><order_id>o-8</order_id></errors>`: "o-8",
		`{"errors":{"order_number":["has already been taken"]}}`:                                      "",
		// The order named inside the error object.
		`{"error":{"message":"Order number has already been taken","code":"duplicate_order_number","order_id":"o-9"}}`: "o-9",
		`{"error":{"message":"order_number is taken","order":{"id":"o-10"}}}`:                                          "o-10",
		`{"errors":{"order_number":["has already been taken"],"order_id":"o-11"}}`:                                     "o-11",
		`{"errors":[{"field":"order_number","message":"has already been taken","order_id":"o-12"}]}`:                   "o-12",
		`<error><message>Order number has already been taken</message><code>x</code><order_id>o-13</order_id></error>`: "o-13",
	} {
		_, _, detail := decodeError(422, http.Header{}, []byte(body))
		r, ok := detail.(*refusal)
		require.True(t, ok, body)
		assert.Equal(t, ID(want), r.orderID, body)
		assert.ErrorIs(t, detail, ErrDuplicateOrderNumber, body)
	}
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{`{"errors":{"a":["b"]}}`, `<errors><error>x</error></errors>`, `{"error":{"message":1}}`, "text", `[[[[`, `<a><b>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, _, detail := decodeError(400, http.Header{}, []byte(body))
		if detail == nil {
			t.Fatal("no detail")
		}
		_ = detail.Error()
	})
}

// decodeOrder decodes an order answer as the pipeline does.
func decodeOrder(f Format, data []byte) (*orderAnswer, error) {
	var ans orderAnswer
	var err error
	if f == XML {
		err = xml.Unmarshal(data, &ans)
	} else {
		err = json.Unmarshal(data, &ans)
	}
	return &ans, err
}

func FuzzDecodeOrder(f *testing.F) {
	for _, s := range []string{`{"order":{"id":"1","items":[{"quantity":"2","vouchers":{"id":3}}]}}`, `<order><items><item><vouchers><voucher/></vouchers></item></items></order>`, `null`, `{"shipments":"x"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, _ = decodeOrder(JSON, []byte(body))
		_, _ = decodeOrder(XML, []byte(body))
	})
}

// tags returns the names the struct typ's tag key gives its fields,
// embedded structs' included; options such as ",any" are left out.
func tags(typ reflect.Type, key string) []string {
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Anonymous && f.Tag.Get(key) == "" {
			out = append(out, tags(f.Type, key)...)
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get(key), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// The lists of documented attributes a JSON record keeps out of Unknown
// are the wire structs' own tags, in both formats: an attribute added to a
// struct and not to its list (or the other way round) would be kept in
// Unknown, or dropped.
func TestFieldListsMatchTheWireStructs(t *testing.T) {
	for _, tc := range []struct {
		json, xml any
		rec       record
	}{
		{orderJSON{}, orderXML{}, orderRecord},
		{itemJSON{}, itemXML{}, itemRecord},
		{voucherCore{}, voucherXML{}, voucherRecord},
	} {
		assert.ElementsMatch(t, tc.rec.keys, tags(reflect.TypeOf(tc.json), "json"), tc.rec.label)
		assert.ElementsMatch(t, tc.rec.keys, tags(reflect.TypeOf(tc.xml), "xml"), tc.rec.label)
	}
}

// Location.UnmarshalJSON is exported: called directly (not through
// encoding/json, which never hands it empty or cut-off input) it must not
// panic on any input, and leaves the address empty when there is none.
func TestLocationUnmarshalJSONDirectly(t *testing.T) {
	for _, b := range []string{"", " ", "\n\t", "{", `{"city"`, `{"city":`, `{"city":"x"`, "[", `"`, "nul"} {
		var l Location
		require.NotPanics(t, func() { _ = l.UnmarshalJSON([]byte(b)) }, "%q", b)
	}
	var l Location
	require.NoError(t, l.UnmarshalJSON([]byte(` {"city":"Berlin","postal_code":10115} `)))
	assert.Equal(t, Location{City: "Berlin", PostalCode: "10115"}, l)
}

func FuzzLocationUnmarshalJSON(f *testing.F) {
	for _, s := range []string{"", `{"city":"x"}`, `{"\n address_line_1":1}`, `{"city":`, `"x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b string) {
		var l Location
		_ = l.UnmarshalJSON([]byte(b))
	})
}
