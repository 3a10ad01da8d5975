// Package wire holds the tolerant JSON and XML value types the orderkit
// clients share for what the APIs really send: ids that are numbers or
// strings, and timestamps in several layouts. Money lives in package money.
package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

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
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("wire: invalid id %.40q", b)
		}
		*id = ID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("wire: invalid id %.40q", b)
	}
	*id = ID(n.String())
	return nil
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
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("wire: invalid integer %.40q", b)
		}
		return n.UnmarshalText([]byte(s))
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("wire: invalid integer %.40q", b)
	}
	return n.UnmarshalText(b)
}

// UnmarshalText reads the number's text, as in an XML element or
// attribute; "" is 0.
func (n *Int) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" {
		*n = 0
		return nil
	}
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

// Layouts are the timestamp layouts Time reads, tried in order. A layout
// without a zone is read as UTC.
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
	for _, l := range Layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return time.Time{}, fmt.Errorf("wire: unreadable timestamp %q", s)
}

// UnmarshalJSON reads a string in any of Layouts, "" or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("wire: timestamp is not a string: %.40q", b)
	}
	return t.UnmarshalText([]byte(s))
}

// UnmarshalText reads any of Layouts, or "" as the zero Time.
func (t *Time) UnmarshalText(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		t.Time = time.Time{}
		return nil
	}
	v, err := ParseTime(string(b))
	if err != nil {
		return err
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
