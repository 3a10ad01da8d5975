package attivita

import (
	"net/http"
	"testing"
)

// FuzzDecodeError: no error body a server or proxy could send makes the
// decoder panic.
func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		``, `null`, `[]`, `{"error":null}`, `<html>`, `{"error":"x","code":"INSUFFICIENT_STOCK","unavailableItems":[null,1,"a",{}]}`,
		`{"error":"x","code":"VALIDATION_ERROR","details":[1]}`, `{"error":"x","code":"VALIDATION_ERROR","details":{"a":null}}`,
		`{"error":"Product not found or not available:","code":"PRODUCT_NOT_AVAILABLE"}`, `{"error":{"nested":true},"code":5}`,
		`{"unavailableItems":[{"requestedQuantity":1e400}]}`,
	} {
		f.Add(403, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		msg, code, detail := decodeError(status, http.Header{}, body)
		if detail != nil {
			_ = detail.Error()
		}
		_, _ = msg, code
	})
}
