package adility

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeErrorShapes(t *testing.T) {
	for name, tc := range map[string]struct {
		body, ctype string
		msgs        []string
		code        string
		kind        errKind
	}{
		"error string":      {`{"error":"Invalid API key","code":"auth"}`, "", []string{"Invalid API key"}, "auth", kindOther},
		"error object":      {`{"error":{"message":"Order not found","code":404}}`, "", []string{"Order not found"}, "404", kindNotFound},
		"errors list":       {`{"errors":["a","b"]}`, "", []string{"a", "b"}, "", kindOther},
		"errors objects":    {`{"errors":[{"field":"order_number","message":"is taken"}]}`, "", []string{"order_number is taken"}, "", kindDuplicate},
		"errors by field":   {`{"errors":{"customer_name":["can't be blank"]}}`, "", []string{"customer_name can't be blank"}, "", kindOther},
		"message":           {`{"message":"Order already cancelled"}`, "", []string{"Order already cancelled"}, "", kindAlreadyCancelled},
		"number and cancel": {`{"error":"Order number 123 has already been cancelled"}`, "", []string{"Order number 123 has already been cancelled"}, "", kindAlreadyCancelled},
		"top-level fields":  {`{"order_number":["has already been taken"],"status":422}`, "", []string{"order_number has already been taken"}, "", kindDuplicate},
		"bare list":         {`["x"]`, "", []string{"x"}, "", kindOther},
		"xml error":         {`<error>boom</error>`, "", []string{"boom"}, "", kindOther},
		"xml hash":          {`<hash><error>nope</error><code>E1</code></hash>`, "", []string{"nope"}, "E1", kindOther},
		"text":              {"Service down\nmore", "text/plain", []string{"Service down"}, "", kindOther},
		"html":              {`<html><body><h1>Bad Gateway</h1></body></html>`, "text/html", nil, "", kindOther},
		"text not plain":    {"garbage", "application/octet-stream", nil, "", kindOther},
		"empty":             {"", "", nil, "", kindOther},
	} {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			if tc.ctype != "" {
				h.Set("Content-Type", tc.ctype)
			}
			msg, code, detail := decodeError(422, h, []byte(tc.body))
			ae, ok := detail.(*APIError)
			require.True(t, ok)
			assert.Equal(t, tc.msgs, ae.Messages)
			assert.Equal(t, ae.Message(), msg)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.kind, ae.kind)
		})
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

func FuzzDecodeOrder(f *testing.F) {
	for _, s := range []string{`{"order":{"id":"1","items":[{"quantity":"2","vouchers":{"id":3}}]}}`, `<order><items><item><vouchers><voucher/></vouchers></item></items></order>`, `null`, `{"shipments":"x"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, _ = decodeOrder(JSON, []byte(body))
		_, _ = decodeOrder(XML, []byte(body))
	})
}
