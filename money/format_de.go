package money

import "strings"

// FormatDE returns the amount the German way, rounded to cents half away
// from zero, with "." between thousands and "," before the cents, and the
// currency after a space: "1.234,50 €", "-0,05 EUR". An empty currency
// leaves it off. Format is the same in English notation.
func (a Amount) FormatDE(currency string) string {
	s := group(a.dec().StringFixed(2), '.', ',')
	if currency != "" {
		s += " " + currency
	}
	return s
}

// StringDE returns the amount rounded to places decimals with a decimal
// comma and no thousands separator, as German spreadsheets read numbers:
// StringDE(2) of 1234.5 is "1234,50". A negative places keeps every
// decimal: StringDE(-1) of 5.8739495798 is "5,8739495798".
func (a Amount) StringDE(places int32) string {
	s := a.dec().String()
	if places >= 0 {
		s = a.dec().StringFixed(places)
	}
	return strings.Replace(s, ".", ",", 1)
}

// group writes a fixed-point decimal ("-1234.50") with sep between groups
// of three integer digits and point for the decimal point.
func group(s string, sep, point byte) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.Grow(len(s) + len(s)/3 + 2)
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i := 0; i < len(intPart); i++ {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(sep)
		}
		b.WriteByte(intPart[i])
	}
	if hasFrac {
		b.WriteByte(point)
		b.WriteString(frac)
	}
	return b.String()
}
