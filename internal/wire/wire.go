// Package wire holds the tolerant JSON and XML value types the orderkit
// clients share for what the APIs really send: ids that are numbers or
// strings, text that comes as a number, booleans as strings, whole numbers
// as strings or decimals, and timestamps in several layouts. Money lives in
// package money.
//
// Answers are decoded with encoding/json (or encoding/xml) into plain
// structs built from these leaves. Every leaf reads its own bytes: none
// calls json.Unmarshal again. On go1.27, where encoding/json runs on the
// json/v2 engine, each leaf also implements UnmarshalJSONFrom, which
// encoding/json calls with its decoder instead of UnmarshalJSON; both read
// the same values and fail with the same errors.
package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IsNull reports whether b, a JSON value with optional surrounding
// whitespace, is the literal null.
func IsNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

// Unquote returns the text of the JSON string b (surrounding whitespace
// allowed), unescaping it as encoding/json does; ok is false when b is not
// one valid JSON string. Invalid UTF-8 and a lone or mismatched UTF-16
// surrogate escape each read as U+FFFD, as in encoding/json.
func Unquote(b []byte) (s string, ok bool) {
	b = bytes.TrimSpace(b)
	if inner, ok := plainString(b); ok {
		return string(inner), true
	}
	return unquote(b)
}

// plainString returns the bytes between the quotes of b when b is a JSON
// string with no escapes, no control characters and valid UTF-8, so that
// those bytes are its text.
func plainString[T string | []byte](b T) (T, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return b[:0], false
	}
	inner := b[1 : len(b)-1]
	ascii := true
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		if c < 0x20 || c == '"' || c == '\\' {
			return b[:0], false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.ValidString(string(inner)) {
		return b[:0], false
	}
	return inner, true
}

// isNumber reports whether b is a JSON number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(b)
}

// ID is an identifier the API sends as a number (953) or a string ("953").
// It keeps the text: ids are compared, never computed with.
type ID string

// String returns the id's text.
func (id ID) String() string { return string(id) }

// Int returns the id as an integer, if it is one.
func (id ID) Int() (int64, error) { return strconv.ParseInt(string(id), 10, 64) }

// UnmarshalJSON reads a number, a string or null (empty).
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*id = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		s, ok := Unquote(b)
		if !ok {
			return fmt.Errorf("wire: invalid id %.40q", b)
		}
		*id = ID(s)
		return nil
	case isNumber(b):
		*id = ID(b)
		return nil
	}
	return fmt.Errorf("wire: invalid id %.40q", b)
}

// MarshalJSON writes the id as a number when it is an integer written the
// canonical way (953, -5), otherwise as a string ("abc-1", "007", "+5"), so
// the text survives a round trip and the output is always valid JSON.
func (id ID) MarshalJSON() ([]byte, error) {
	if n, err := strconv.ParseInt(string(id), 10, 64); err == nil && strconv.FormatInt(n, 10) == string(id) {
		return []byte(id), nil
	}
	return json.Marshal(string(id))
}

// Text is text the API sends as a string, or sometimes as a number or a
// boolean (a zipcode 12345, a house number 7, a flag true): it keeps the
// text as sent ("12345", "7", "true"; a quoted "01067" keeps its zero).
// null reads as "". An object or an array is an error.
type Text string

// String returns the text.
func (t Text) String() string { return string(t) }

// UnmarshalJSON reads a string, a number, true, false or null ("").
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*t = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		s, ok := Unquote(b)
		if !ok {
			return fmt.Errorf("wire: invalid text %.40q", b)
		}
		*t = Text(s)
		return nil
	case string(b) == "true":
		*t = "true"
		return nil
	case string(b) == "false":
		*t = "false"
		return nil
	case isNumber(b):
		*t = Text(b)
		return nil
	}
	return fmt.Errorf("wire: not text: %.40q", b)
}

// UnmarshalText keeps the text as it is, for XML elements and attributes.
func (t *Text) UnmarshalText(b []byte) error {
	*t = Text(b)
	return nil
}

// Bool is a flag the API sends as true/false, as a string ("true",
// "false", "1", "0") or as the number 1 or 0. null and "" read as false.
// Anything else ("yes", 2, "TRUE ") is an error, never a guess.
type Bool bool

// UnmarshalJSON reads true, false, 1, 0, such a string, or null (false).
func (v *Bool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		if inner, ok := plainString(b); ok {
			return v.parse(inner, true)
		}
		return fmt.Errorf("wire: invalid boolean %.40q", b)
	}
	if string(b) == "null" {
		*v = false
		return nil
	}
	return v.parse(b, false)
}

// UnmarshalText reads "true", "false", "1", "0" or "" (false), for XML.
func (v *Bool) UnmarshalText(b []byte) error { return v.parse(bytes.TrimSpace(b), true) }

func (v *Bool) parse(b []byte, quoted bool) error {
	switch string(b) {
	case "true", "1":
		*v = true
		return nil
	case "false", "0":
		*v = false
		return nil
	case "":
		if quoted {
			*v = false
			return nil
		}
	}
	return fmt.Errorf("wire: invalid boolean %.40q", b)
}

// Int is a whole number the API sends as a number (2), a string ("2",
// " 2 ") or a whole decimal (2.0, "2.0", 2e0). null and "" read as 0. A
// fraction, a number beyond what an int64 holds (or, written as a decimal,
// beyond ±2^53, where float64 stops being exact), hex, NaN, Inf and any
// other text are errors, never a guess.
type Int int64

// UnmarshalJSON reads a number, a string holding one, or null (0).
func (n *Int) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*n = 0
		return nil
	case len(b) > 0 && b[0] == '"':
		if inner, ok := plainString(b); ok {
			return n.UnmarshalText(inner)
		}
		s, ok := Unquote(b)
		if !ok {
			return fmt.Errorf("wire: invalid integer %.40q", b)
		}
		return n.UnmarshalText([]byte(s))
	case isNumber(b):
		return n.UnmarshalText(b)
	}
	return fmt.Errorf("wire: invalid integer %.40q", b)
}

// UnmarshalText reads the number's text, as in an XML element or
// attribute; "" is 0.
func (n *Int) UnmarshalText(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		*n = 0
		return nil
	}
	if v, ok := smallInt(b); ok {
		*n = Int(v)
		return nil
	}
	s := string(b)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	// Only decimal notation: ParseFloat would also take "0x1p3", "Inf"
	// and "NaN".
	if strings.Trim(s, "0123456789+-.eE") == "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
			*n = Int(f)
			return nil
		}
	}
	return fmt.Errorf("wire: invalid integer %.40q", s)
}

// smallInt reads an optional sign and 1 to 18 digits, which cannot
// overflow an int64; anything else is left to strconv.
func smallInt(b []byte) (int64, bool) {
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// Layouts are the timestamp layouts Time reads. A layout without a zone is
// read as UTC. Time does not try them one by one: it reads the text's shape
// (date separator, 'T' or space, seconds, fraction, zone) and parses it
// once; the list documents what it accepts. Besides these, Time reads
// VersaCommerce's "2013-03-19T12 =>39 =>51+01 =>00", where "=>" or " =>"
// stands for each ':'.
var Layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006.01.02 15:04:05",
	"2006-01-02",
}

// Time is a timestamp read from any of Layouts and held in UTC. The zero
// Time means the API sent null or an empty string.
type Time struct {
	time.Time
}

// ParseTime reads s in any of Layouts and returns it in UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, ok := parseTime(s); ok {
		return t, nil
	}
	return time.Time{}, timeError(s)
}

func timeError(s string) error {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return fmt.Errorf("wire: unreadable timestamp %q", s)
}

// UnmarshalJSON reads a string in any of Layouts, "" or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	if inner, ok := plainString(b); ok {
		return t.UnmarshalText(inner)
	}
	s, ok := Unquote(b)
	if !ok {
		return fmt.Errorf("wire: timestamp is not a string: %.40q", b)
	}
	return t.UnmarshalText([]byte(s))
}

// UnmarshalText reads any of Layouts, or "" as the zero Time.
func (t *Time) UnmarshalText(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		t.Time = time.Time{}
		return nil
	}
	v, ok := parseTime(b)
	if !ok {
		return timeError(string(b))
	}
	t.Time = v
	return nil
}

// MarshalJSON writes RFC 3339 in UTC, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(strconv.Quote(t.UTC().Format(time.RFC3339Nano))), nil
}

// MarshalText writes RFC 3339 in UTC, or "" for the zero Time.
func (t Time) MarshalText() ([]byte, error) {
	if t.IsZero() {
		return nil, nil
	}
	return []byte(t.UTC().Format(time.RFC3339Nano)), nil
}

// timeText is a cursor over a timestamp's text.
type timeText[T string | []byte] struct {
	s  T
	ok bool
}

// digits reads exactly n digits.
func (p *timeText[T]) digits(n int) int {
	if len(p.s) < n {
		p.ok = false
		return 0
	}
	v := 0
	for i := 0; i < n; i++ {
		c := p.s[i]
		if c < '0' || c > '9' {
			p.ok = false
			return 0
		}
		v = v*10 + int(c-'0')
	}
	p.s = p.s[n:]
	return v
}

// colon reads ':' or the "=>" / " =>" that stands for it.
func (p *timeText[T]) colon() {
	switch {
	case len(p.s) >= 1 && p.s[0] == ':':
		p.s = p.s[1:]
	case len(p.s) >= 2 && p.s[0] == '=' && p.s[1] == '>':
		p.s = p.s[2:]
	case len(p.s) >= 3 && p.s[0] == ' ' && p.s[1] == '=' && p.s[2] == '>':
		p.s = p.s[3:]
	default:
		p.ok = false
	}
}

// spaces skips the separator: a space in a layout matches one or more
// spaces in time.Parse. After a 'T' it skips that one byte.
func (p *timeText[T]) spaces() {
	if p.s[0] == 'T' {
		p.s = p.s[1:]
		return
	}
	for len(p.s) > 0 && p.s[0] == ' ' {
		p.s = p.s[1:]
	}
}

func (p *timeText[T]) isDigit(i int) bool { return i < len(p.s) && p.s[i] >= '0' && p.s[i] <= '9' }

// Zone shapes that may follow the clock.
const (
	zoneNone  = 1 << iota // no zone: UTC
	zoneZ                 // "Z"
	zoneColon             // "+07:00"
	zoneShort             // "+0700"
)

// parseTime reads a trimmed timestamp in one pass: the separators and the
// length say which of Layouts it is in, the digits are read where that
// layout has them, and the result has the same range checks as
// time.Parse.
func parseTime[T string | []byte](s T) (time.Time, bool) {
	p := timeText[T]{s: s, ok: true}
	if len(s) < 10 || (s[4] != '-' && s[4] != '.') || s[7] != s[4] {
		return time.Time{}, false
	}
	dotted := s[4] == '.'
	year := p.digits(4)
	p.s = p.s[1:]
	month := p.digits(2)
	p.s = p.s[1:]
	day := p.digits(2)
	if !p.ok {
		return time.Time{}, false
	}
	var hour, minute, sec, nsec, offset int
	if len(p.s) == 0 && dotted {
		return time.Time{}, false // "2006.01.02" comes with its clock
	}
	if len(p.s) > 0 {
		sep := p.s[0]
		if sep != 'T' && sep != ' ' || dotted && sep != ' ' {
			return time.Time{}, false
		}
		p.spaces()
		// The hour may have one digit, as time.Parse's "15" allows.
		switch {
		case p.isDigit(0) && p.isDigit(1):
			hour = p.digits(2)
		case p.isDigit(0):
			hour = p.digits(1)
		default:
			return time.Time{}, false
		}
		p.colon()
		minute = p.digits(2)
		if !p.ok {
			return time.Time{}, false
		}
		// "2006-01-02 15:04" ends here: no seconds, no zone.
		if !(len(p.s) == 0 && sep == ' ' && !dotted) {
			p.colon()
			sec = p.digits(2)
			if !p.ok {
				return time.Time{}, false
			}
			if len(p.s) >= 2 && (p.s[0] == '.' || p.s[0] == ',') && p.isDigit(1) {
				n := 1
				for p.isDigit(n) {
					n++
				}
				frac := p.s[1:n]
				if len(frac) > 9 {
					frac = frac[:9]
				}
				for i := 0; i < 9; i++ {
					nsec *= 10
					if i < len(frac) {
						nsec += int(frac[i] - '0')
					}
				}
				p.s = p.s[n:]
			}
			var allowed int
			switch {
			case dotted:
				allowed = zoneNone
			case sep == 'T':
				allowed = zoneNone | zoneZ | zoneColon | zoneShort
			case len(p.s) > 0 && p.s[0] == ' ':
				p.spaces()
				allowed = zoneZ | zoneColon | zoneShort
			default:
				allowed = zoneNone | zoneZ | zoneColon
			}
			var ok bool
			offset, ok = p.zone(allowed)
			if !ok {
				return time.Time{}, false
			}
		}
	}
	if len(p.s) != 0 || !p.ok {
		return time.Time{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if offset != 0 {
		t = t.Add(-time.Duration(offset) * time.Second)
	}
	return t, true
}

// zone reads the zone after the clock in one of the allowed shapes and
// returns its offset east of UTC in seconds.
func (p *timeText[T]) zone(allowed int) (int, bool) {
	if len(p.s) == 0 {
		return 0, allowed&zoneNone != 0
	}
	if p.s[0] == 'Z' {
		p.s = p.s[1:]
		return 0, allowed&zoneZ != 0
	}
	sign := p.s[0]
	if sign != '+' && sign != '-' {
		return 0, false
	}
	p.s = p.s[1:]
	hr := p.digits(2)
	if !p.ok {
		return 0, false
	}
	var mm int
	if len(p.s) > 0 && (p.s[0] == ':' || p.s[0] == '=' || p.s[0] == ' ') {
		if allowed&zoneColon == 0 {
			return 0, false
		}
		p.colon()
		mm = p.digits(2)
	} else {
		if allowed&zoneShort == 0 {
			return 0, false
		}
		mm = p.digits(2)
	}
	// time.Parse takes offsets up to 24 hours and 60 minutes.
	if !p.ok || hr > 24 || mm > 60 {
		return 0, false
	}
	off := (hr*60 + mm) * 60
	if sign == '-' {
		off = -off
	}
	return off, true
}

func daysIn(m time.Month, year int) int {
	if m == time.February {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31 - int((m-1)%7%2)
}
