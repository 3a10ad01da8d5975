package versacommerce

import (
	"testing"

	"encoding/json"
)

// decodePage and decodeOne are the client's decoding of a list answer and
// of a single order, for the benchmarks.
func decodePage(b *testing.B, data []byte) []Order {
	var l orderList
	if err := json.Unmarshal(data, &l); err != nil {
		b.Fatal(err)
	}
	return l.orders()
}

func decodeOne(b *testing.B, data []byte) Order {
	var w orderMaybeRoot
	if err := json.Unmarshal(data, &w); err != nil {
		b.Fatal(err)
	}
	return w.get().order()
}
