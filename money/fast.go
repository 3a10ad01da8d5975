package money

// maxFastDigits is how many significant digits fit an int64 whatever they
// are: 10^18 < 2^63.
const maxFastDigits = 18

// parseFast reads the amounts real APIs send — an optional sign, at most 18
// digits with at most one '.', an optional exponent — straight into an
// int64 coefficient, without math/big string parsing and without writing
// the amount back out to check its length, and without allocating. It
// gives the coefficient and exponent decimal.NewFromString gives, except
// that a zero is the zero Amount whatever its exponent. ok is
// false for anything else, which the caller then reads the slow way:
// parseFast never decides that text is invalid.
func parseFast[T string | []byte](s T) (Amount, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var coef int64
	digits, frac := 0, 0
	seenDot := false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > maxFastDigits {
				return Amount{}, false
			}
			coef = coef*10 + int64(c-'0')
			if seenDot {
				frac++
			}
			continue
		case c == '.' && !seenDot:
			seenDot = true
			continue
		}
		break
	}
	if digits == 0 {
		return Amount{}, false
	}
	exp := -frac
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return Amount{}, false
		}
		i++
		eneg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) || len(s)-i > 4 {
			return Amount{}, false
		}
		e := 0
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return Amount{}, false
			}
			e = e*10 + int(c-'0')
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if exp < minExponent || exp > maxExponent {
		return Amount{}, false
	}
	if coef == 0 {
		// Every zero reads as the zero Amount ("0.0", "0E-10", -0): the
		// same amount, written the same way.
		return Amount{}, true
	}
	if neg {
		coef = -coef
	}
	return small(coef, int32(exp)), true
}

// quotedFast returns the text inside a JSON string with no escapes, no
// control characters and only ASCII, trimmed of spaces — the text
// strings.TrimSpace would leave after unquoting it. ok is
// false when the string needs wire.Unquote.
func quotedFast(b []byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return nil, false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return nil, false
		}
	}
	for len(inner) > 0 && inner[0] == ' ' {
		inner = inner[1:]
	}
	for len(inner) > 0 && inner[len(inner)-1] == ' ' {
		inner = inner[:len(inner)-1]
	}
	return inner, true
}
