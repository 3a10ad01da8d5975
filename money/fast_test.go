package money

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// slowParse is Parse as it was before the fast path: every amount through
// decimal.NewFromString and written back out to check its length.
func slowParse(s string) (Amount, bool) {
	if s == "" || len(s) > maxTextLen {
		return Amount{}, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return Amount{}, false
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Amount{}, false
	}
	if e := d.Exponent(); e < minExponent || e > maxExponent || len(d.String()) > maxTextLen {
		return Amount{}, false
	}
	return wide(d), true
}

// slowUnmarshalJSON is UnmarshalJSON as it was before the fast path.
func slowUnmarshalJSON(b []byte) (Amount, bool) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return Amount{}, true
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if json.Unmarshal(b, &s) != nil {
			return Amount{}, false
		}
		s = strings.TrimSpace(s)
	}
	return slowParse(s)
}

// same reports whether a and b are the same Decimal: same coefficient and
// same exponent, not merely equal values; zeros only need to read alike.
func same(a, b Amount) bool {
	if a.IsZero() && b.IsZero() {
		// The fast path reads every zero as the zero Amount.
		return a.String() == b.String() && a.StringFixed(2) == b.StringFixed(2)
	}
	return a.dec().Exponent() == b.dec().Exponent() && a.dec().Coefficient().Cmp(b.dec().Coefficient()) == 0
}

var amountSeeds = []string{
	"89.99", "-3", "0E-10", "0.0", "5.8739495798", "1.5e2", "+5", ".5", "5.", "-.5", "-0", "007.50",
	"123456789012345678", "1234567890123456789", "0.000000000000000001", "1e40", "1e41", "1e-40",
	"1e-41", "1e+05", "1E5", "1e", "e5", "-", ".", "1.2.3", "1e5e5", "1e0005", "99999999999999999.9",
	"-999999999999999999", "1,5", " 1", "5 EUR", "NaN", "\u22125", "1e-0", "00000000000000000001",
}

func TestFastParseMatchesSlow(t *testing.T) {
	for _, s := range amountSeeds {
		checkParse(t, s)
		checkUnmarshal(t, []byte(s))
		checkUnmarshal(t, []byte(`"`+s+`"`))
		checkUnmarshal(t, []byte(`" `+s+` "`))
		checkUnmarshalText(t, []byte(" "+s+"\t"))
	}
}

func FuzzParseMatchesNewFromString(f *testing.F) {
	for _, s := range amountSeeds {
		f.Add(s)
	}
	f.Fuzz(checkParse)
}

func FuzzUnmarshalJSONMatchesSlow(f *testing.F) {
	for _, s := range amountSeeds {
		f.Add([]byte(s))
		f.Add([]byte(`"` + s + `"`))
	}
	f.Add([]byte(`"\u0035"`))
	f.Add([]byte("\"\t5\""))
	f.Fuzz(checkUnmarshal)
}

func checkParse(t *testing.T, s string) {
	want, wantOK := slowParse(s)
	got, err := Parse(s)
	if (err == nil) != wantOK || !same(got, want) {
		t.Fatalf("Parse(%q) = %v (exp %d), %v; slow path gives %v (exp %d), %v",
			s, got, got.dec().Exponent(), err, want, want.dec().Exponent(), wantOK)
	}
}

func FuzzUnmarshalTextMatchesSlow(f *testing.F) {
	for _, s := range amountSeeds {
		f.Add([]byte(s))
		f.Add([]byte(" " + s + "\n"))
	}
	f.Fuzz(checkUnmarshalText)
}

func checkUnmarshalText(t *testing.T, b []byte) {
	want, wantOK := slowParse(strings.TrimSpace(string(b)))
	var got Amount
	err := got.UnmarshalText(b)
	if (err == nil) != wantOK || !same(got, want) {
		t.Fatalf("UnmarshalText(%q) = %v (exp %d), %v; slow path gives %v (exp %d), %v",
			b, got, got.dec().Exponent(), err, want, want.dec().Exponent(), wantOK)
	}
}

func checkUnmarshal(t *testing.T, b []byte) {
	want, wantOK := slowUnmarshalJSON(b)
	var got Amount
	err := got.UnmarshalJSON(b)
	if (err == nil) != wantOK || !same(got, want) {
		t.Fatalf("UnmarshalJSON(%q) = %v (exp %d), %v; slow path gives %v (exp %d), %v",
			b, got, got.dec().Exponent(), err, want, want.dec().Exponent(), wantOK)
	}
	// json.Unmarshal of the same value inside a struct (on go1.27 through
	// UnmarshalJSONFrom) gives the same amount and the same error.
	if !json.Valid(b) {
		return
	}
	var v struct {
		A Amount `json:"a"`
	}
	verr := json.Unmarshal(append(append([]byte(`{"a":`), b...), '}'), &v)
	if (verr == nil) != (err == nil) || (err != nil && verr.Error() != err.Error()) || !same(v.A, got) {
		t.Fatalf("json.Unmarshal of %q gives %v, %v; UnmarshalJSON gives %v, %v", b, v.A, verr, got, err)
	}
}

// go test ./money -run '^$' -bench . -benchmem

func BenchmarkUnmarshalJSON(b *testing.B) {
	for _, in := range []struct{ name, text string }{
		{"number", `89.99`},
		{"string", `"5.8739495798"`},
		{"zero-exp", `"0E-10"`},
		{"long", `"12345678901234567890.123"`},
	} {
		b.Run(in.name, func(b *testing.B) {
			data := []byte(in.text)
			b.ReportAllocs()
			for b.Loop() {
				var a Amount
				if err := a.UnmarshalJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("179.98"); err != nil {
			b.Fatal(err)
		}
	}
}
