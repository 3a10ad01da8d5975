// Package money holds Amount, an exact decimal amount of money for every
// orderkit client.
//
// The four order APIs send prices as JSON numbers (89.99), as strings
// ("5.8739495798", "0E-10", "0.0") and sometimes as null. Amount reads all of
// them without ever passing through float64, and refuses anything else with
// an error that names the bad text, so an unreadable price never becomes a
// silent zero.
//
//	a, err := money.Parse("179.98")
//	vat := a.VAT(money.MustParse("19")) // 34.20, half away from zero
//	fmt.Println(a.Add(vat).Format("EUR")) // 214.18 EUR
//
// An Amount marshals to JSON as a number; Quoted is the same amount for APIs
// that want the value as a string.
package money

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/orderkit/orderkit/internal/wire"
)

// Exponent bounds: a real price never needs more, and an unbounded exponent
// ("1e-999999999") would make String allocate without end.
const (
	minExponent = -40
	maxExponent = 40
	maxTextLen  = 80
)

// ErrInvalid is wrapped by every error about text that is not an amount.
var ErrInvalid = errors.New("money: invalid amount")

// Amount is an exact decimal amount. The zero value is 0.
//
// Amounts compare with Cmp and Equal; == and reflect.DeepEqual see the
// representation (2.5 and 2.50 differ), as they did before.
type Amount struct {
	// One representation per value, so that equal coefficients and
	// exponents are equal structs: an int64 coefficient when it fits
	// (every price the four APIs send, read without allocating), else d.
	d    decimal.Decimal // the value when wide
	coef int64           // otherwise the value is coef·10^exp
	exp  int32
	wide bool
}

// small returns the amount coef·10^exp without allocating.
func small(coef int64, exp int32) Amount { return Amount{coef: coef, exp: exp} }

// wide returns the amount d, held small when its coefficient fits an int64.
func wide(d decimal.Decimal) Amount {
	// NumDigits counts without allocating for an int64 coefficient.
	if d.NumDigits() <= maxFastDigits || d.Coefficient().IsInt64() {
		return small(d.CoefficientInt64(), d.Exponent())
	}
	return Amount{d: d, wide: true}
}

// dec returns the amount as a decimal; a small amount allocates one.
func (a Amount) dec() decimal.Decimal {
	switch {
	case a.wide:
		return a.d
	case a.coef == 0 && a.exp == 0:
		return decimal.Decimal{}
	}
	return decimal.New(a.coef, a.exp)
}

// Zero is the amount 0.
var Zero = Amount{}

// Parse reads a decimal amount such as "89.99", "-3", "0E-10" or "1.5e2".
// Anything else, NaN and infinities included, is an error wrapping ErrInvalid
// that quotes the text.
func Parse(s string) (Amount, error) {
	if s == "" {
		return Amount{}, fmt.Errorf("%w: empty text", ErrInvalid)
	}
	if len(s) > maxTextLen {
		return Amount{}, fmt.Errorf("%w: %q... is too long", ErrInvalid, s[:20])
	}
	if a, ok := parseFast(s); ok {
		return a, nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return Amount{}, fmt.Errorf("%w: %q", ErrInvalid, s)
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Amount{}, fmt.Errorf("%w: %q", ErrInvalid, s)
	}
	if e := d.Exponent(); e < minExponent || e > maxExponent {
		return Amount{}, fmt.Errorf("%w: %q is out of range", ErrInvalid, s)
	}
	// A positive exponent makes String longer than the text: refuse what
	// String could not write back in a form Parse reads.
	if len(d.String()) > maxTextLen {
		return Amount{}, fmt.Errorf("%w: %.20q... is out of range", ErrInvalid, s)
	}
	return wide(d), nil
}

// MustParse is Parse for constants known to be valid; it panics otherwise.
func MustParse(s string) Amount {
	a, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}

// FromCents returns cents/100, e.g. FromCents(8999) is 89.99.
func FromCents(cents int64) Amount { return small(cents, -2) }

// FromMinorUnits returns units·10^-exp, e.g. FromMinorUnits(3700, 2) is 37.00.
func FromMinorUnits(units int64, exp int32) Amount { return small(units, -exp) }

// FromInt returns a whole amount.
func FromInt(n int64) Amount { return small(n, 0) }

// FromDecimal wraps a shopspring decimal.
func FromDecimal(d decimal.Decimal) Amount { return wide(d) }

// Decimal returns the amount as a shopspring decimal for arithmetic this
// package does not offer.
func (a Amount) Decimal() decimal.Decimal { return a.dec() }

// Add returns a+b.
func (a Amount) Add(b Amount) Amount {
	if !a.wide && !b.wide && a.exp == b.exp {
		if s := a.coef + b.coef; (s > a.coef) == (b.coef > 0) {
			return small(s, a.exp) // no overflow
		}
	}
	return wide(a.dec().Add(b.dec()))
}

// Sub returns a-b.
func (a Amount) Sub(b Amount) Amount {
	if !a.wide && !b.wide && a.exp == b.exp {
		if s := a.coef - b.coef; (s < a.coef) == (b.coef > 0) {
			return small(s, a.exp) // no overflow
		}
	}
	return wide(a.dec().Sub(b.dec()))
}

// Neg returns -a.
func (a Amount) Neg() Amount { return wide(a.dec().Neg()) }

// Times returns a multiplied by a quantity, exactly.
func (a Amount) Times(qty int64) Amount { return wide(a.dec().Mul(decimal.NewFromInt(qty))) }

// Mul returns a·b, exactly.
func (a Amount) Mul(b Amount) Amount { return wide(a.dec().Mul(b.dec())) }

// Sum adds amounts; the sum of none is zero.
func Sum(amounts ...Amount) Amount {
	s := decimal.Zero
	for _, a := range amounts {
		s = s.Add(a.dec())
	}
	return wide(s)
}

// Round rounds to places decimal places, halves away from zero (commercial
// rounding: 0.125 → 0.13, -0.125 → -0.13).
func (a Amount) Round(places int32) Amount { return wide(a.dec().Round(places)) }

// RoundCents rounds to two decimal places, halves away from zero.
func (a Amount) RoundCents() Amount { return a.Round(2) }

// Percent returns ratePercent % of a, exact and unrounded.
func (a Amount) Percent(ratePercent Amount) Amount {
	// Shift, not Div: Div rounds to 16 decimal places.
	return wide(a.dec().Mul(ratePercent.dec()).Shift(-2))
}

// VAT returns the tax at ratePercent on the net amount a, rounded to cents
// half away from zero: 19 % of 179.98 is 34.20.
func (a Amount) VAT(ratePercent Amount) Amount { return a.Percent(ratePercent).RoundCents() }

// Gross returns a plus VAT at ratePercent, rounded to cents.
func (a Amount) Gross(ratePercent Amount) Amount { return a.Add(a.Percent(ratePercent)).RoundCents() }

// Cmp compares: -1 if a < b, 0 if equal, +1 if a > b.
func (a Amount) Cmp(b Amount) int { return a.dec().Cmp(b.dec()) }

// Equal reports whether a and b are the same amount (2.5 equals 2.50).
func (a Amount) Equal(b Amount) bool { return a.dec().Equal(b.dec()) }

// IsZero reports whether the amount is 0 (0E-10 included).
func (a Amount) IsZero() bool {
	if !a.wide {
		return a.coef == 0
	}
	return a.d.IsZero()
}

// IsNegative reports whether a < 0.
func (a Amount) IsNegative() bool {
	if !a.wide {
		return a.coef < 0
	}
	return a.d.IsNegative()
}

// Cents returns the amount rounded to cents as a whole number of cents.
func (a Amount) Cents() int64 { return a.dec().Round(2).Shift(2).IntPart() }

// String returns the exact amount without exponent: "5.8739495798", "0".
func (a Amount) String() string { return a.dec().String() }

// StringFixed returns the amount rounded to places decimals, zero-padded:
// StringFixed(2) of 5 is "5.00".
func (a Amount) StringFixed(places int32) string { return a.dec().StringFixed(places) }

// Format returns the amount for display, rounded to cents with thousands
// separators and the currency after it: "1,234.50 EUR". An empty currency
// leaves it off.
func (a Amount) Format(currency string) string {
	s := group(a.dec().StringFixed(2), ',', '.')
	if currency != "" {
		s += " " + currency
	}
	return s
}

// MarshalJSON writes the amount as a JSON number: 89.99.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.dec().String()), nil }

// UnmarshalJSON reads a number (89.99), a string ("5.87", "0E-10") or null
// (which leaves the amount as it is; use *Amount where absence matters).
// Anything else is an error wrapping ErrInvalid. It reads the bytes itself,
// without calling json.Unmarshal again.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	// The common case, read without a string copy: a number, or a plain
	// quoted number.
	fast := b
	if len(b) > 0 && b[0] == '"' {
		fast, _ = quotedFast(b)
	}
	if len(fast) > 0 && len(fast) <= maxTextLen {
		if v, ok := parseFast(fast); ok {
			*a = v
			return nil
		}
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		var ok bool
		if s, ok = wire.Unquote(b); !ok {
			return fmt.Errorf("%w: %s", ErrInvalid, excerpt(b))
		}
		s = strings.TrimSpace(s)
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalText writes the exact amount, for XML and query strings.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.dec().String()), nil }

// UnmarshalText reads the exact amount, for XML and query strings.
func (a *Amount) UnmarshalText(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && len(t) <= maxTextLen {
		if v, ok := parseFast(t); ok {
			*a = v
			return nil
		}
	}
	v, err := Parse(strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Quoted is an Amount that marshals to JSON as a string ("89.99"), for the
// fields an API wants quoted. It reads every form Amount reads.
type Quoted struct {
	Amount
}

// MarshalJSON writes the amount as a JSON string.
func (q Quoted) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(q.dec().String())), nil
}

func excerpt(b []byte) string {
	if len(b) > 40 {
		return strconv.Quote(string(b[:40])) + "..."
	}
	return strconv.Quote(string(b))
}
