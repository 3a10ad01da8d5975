package money

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// An amount read without allocating (coefficient and exponent) and the same
// amount held as a decimal answer every method alike.
func checkSmallMatchesWide(t *testing.T, coef int64, exp int32) {
	t.Helper()
	s, w := small(coef, exp), wide(decimal.New(coef, exp))
	other := []Amount{Zero, FromCents(-1), small(1, exp), small(-1, exp), small(9223372036854775807, exp), small(-9223372036854775808, exp), MustParse("179.98"), MustParse("12345678901234567890.5"), s, w}
	for name, f := range map[string]func(Amount) string{
		"String":         Amount.String,
		"StringFixed(2)": func(a Amount) string { return a.StringFixed(2) },
		"StringFixed(0)": func(a Amount) string { return a.StringFixed(0) },
		"Format":         func(a Amount) string { return a.Format("EUR") },
		"FormatDE":       func(a Amount) string { return a.FormatDE("€") },
		"StringDE(-1)":   func(a Amount) string { return a.StringDE(-1) },
		"Decimal": func(a Amount) string {
			d := a.Decimal()
			return d.Coefficient().String() + "e" + strconv.Itoa(int(d.Exponent()))
		},
		"Cents":       func(a Amount) string { return FromInt(a.Cents()).String() },
		"IsZero":      func(a Amount) string { return map[bool]string{true: "y", false: "n"}[a.IsZero()] },
		"IsNegative":  func(a Amount) string { return map[bool]string{true: "y", false: "n"}[a.IsNegative()] },
		"Neg":         func(a Amount) string { return a.Neg().String() },
		"Round(1)":    func(a Amount) string { return a.Round(1).String() },
		"VAT(19)":     func(a Amount) string { return a.VAT(FromInt(19)).String() },
		"Times(3)":    func(a Amount) string { return a.Times(3).String() },
		"MarshalJSON": func(a Amount) string { b, _ := a.MarshalJSON(); return string(b) },
		"Quoted":      func(a Amount) string { b, _ := Quoted{a}.MarshalJSON(); return string(b) },
		"MarshalText": func(a Amount) string { b, _ := a.MarshalText(); return string(b) },
	} {
		if gs, gw := f(s), f(w); gs != gw {
			t.Fatalf("%s of %d·10^%d: %q held small, %q held wide", name, coef, exp, gs, gw)
		}
	}
	for _, o := range other {
		if s.Cmp(o) != w.Cmp(o) || o.Cmp(s) != o.Cmp(w) || s.Equal(o) != w.Equal(o) {
			t.Fatalf("comparing %d·10^%d with %v: small and wide disagree", coef, exp, o)
		}
		if a, b := s.Add(o), w.Add(o); !a.Equal(b) || a.String() != b.String() {
			t.Fatalf("%d·10^%d + %v: %v small, %v wide", coef, exp, o, a, b)
		}
		if a, b := o.Sub(s), o.Sub(w); !a.Equal(b) || a.String() != b.String() {
			t.Fatalf("%v - %d·10^%d: %v small, %v wide", o, coef, exp, a, b)
		}
	}
	if !reflect.DeepEqual(s, w) {
		t.Fatalf("%d·10^%d: held as %#v and as %#v; one value, one representation", coef, exp, s, w)
	}
	for _, o := range other {
		// Sums take the int64 shortcut where they can; the result is the
		// very struct the decimal sum gives.
		if got, want := s.Add(o), wide(s.dec().Add(o.dec())); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d·10^%d + %v = %#v, want %#v", coef, exp, o, got, want)
		}
		if got, want := s.Sub(o), wide(s.dec().Sub(o.dec())); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d·10^%d - %v = %#v, want %#v", coef, exp, o, got, want)
		}
	}
	if !s.Equal(w) || s.Cmp(w) != 0 {
		t.Fatalf("%d·10^%d: small and wide are not equal", coef, exp)
	}
}

var compactSeeds = []struct {
	coef int64
	exp  int32
}{
	{0, 0}, {0, -2}, {0, 5}, {1, 0}, {-1, 0}, {8999, -2}, {-8999, -2}, {58739495798, -10},
	{999999999999999999, -40}, {-999999999999999999, 40}, {5, 3}, {125, -3}, {-125, -3},
	{1, -40}, {123456789012345678, 0}, {9223372036854775807, -4}, {-9223372036854775808, -4},
}

func TestSmallMatchesWide(t *testing.T) {
	for _, c := range compactSeeds {
		checkSmallMatchesWide(t, c.coef, c.exp)
	}
}

func FuzzSmallMatchesWide(f *testing.F) {
	for _, c := range compactSeeds {
		f.Add(c.coef, c.exp)
	}
	f.Fuzz(func(t *testing.T, coef int64, exp int32) {
		if exp < minExponent || exp > maxExponent {
			t.Skip()
		}
		checkSmallMatchesWide(t, coef, exp)
	})
}

// Reading a price allocates nothing: the amounts of a 100k-order sync are
// not a million small heap objects.
func TestReadingAnAmountDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	for _, in := range []string{`89.99`, `"5.8739495798"`, `"0E-10"`, `-3`, `" 12.50 "`} {
		b := []byte(in)
		var a Amount
		if n := testing.AllocsPerRun(100, func() {
			if err := a.UnmarshalJSON(b); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("UnmarshalJSON(%s) allocates %v times", in, n)
		}
		if n := testing.AllocsPerRun(100, func() { _ = a.UnmarshalText(bytes.Trim(b, `"`)) }); n != 0 {
			t.Errorf("UnmarshalText(%s) allocates %v times", in, n)
		}
	}
	// Through encoding/json as well (on go1.27 through UnmarshalJSONFrom),
	// where the decoder's own work is the only allocation.
	var v struct {
		A, B, C Amount
	}
	body := []byte(`{"A":89.99,"B":"5.8739495798","C":"0E-10"}`)
	one := testing.AllocsPerRun(100, func() { _ = json.Unmarshal([]byte(`{"A":89.99}`), &v) })
	three := testing.AllocsPerRun(100, func() { _ = json.Unmarshal(body, &v) })
	if three > one {
		t.Errorf("json.Unmarshal of three amounts allocates %v times, of one %v", three, one)
	}
}
