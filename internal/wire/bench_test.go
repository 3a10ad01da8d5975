package wire_test

import (
	"testing"

	"github.com/orderkit/orderkit/internal/wire"
)

// go test ./internal/wire -run '^$' -bench . -benchmem

func BenchmarkTimeUnmarshalJSON(b *testing.B) {
	for _, in := range []struct{ name, text string }{
		{"rfc3339", `"2020-02-18T15:48:38.038+01:00"`},
		{"space", `"2017-12-12 14:49:22"`},
		{"dotted", `"2018.08.16 16:21:00"`},
		{"date", `"2012-11-09"`},
	} {
		b.Run(in.name, func(b *testing.B) {
			data := []byte(in.text)
			b.ReportAllocs()
			for b.Loop() {
				var v wire.Time
				if err := v.UnmarshalJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIDUnmarshalJSON(b *testing.B) {
	for _, in := range []struct{ name, text string }{{"number", `953`}, {"string", `"953"`}} {
		b.Run(in.name, func(b *testing.B) {
			data := []byte(in.text)
			b.ReportAllocs()
			for b.Loop() {
				var v wire.ID
				if err := v.UnmarshalJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIntUnmarshalJSON(b *testing.B) {
	for _, in := range []struct{ name, text string }{{"number", `953`}, {"string", `"953"`}} {
		b.Run(in.name, func(b *testing.B) {
			data := []byte(in.text)
			b.ReportAllocs()
			for b.Loop() {
				var v wire.Int
				if err := v.UnmarshalJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
