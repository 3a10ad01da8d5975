package adility

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/wire"
)

// This file holds the leaf types shared by both formats. The wire structs
// (orderWire, itemWire, voucherWire) are plain: decode_json.go and
// decode_xml.go fill them in one pass each, and their tags only document
// the attribute names.

// flexTime reads a timestamp in any layout wire.ParseTime knows. A layout it
// does not know never fails the answer (the order and its vouchers matter
// more than a date): the time stays zero and the text is kept in raw.
type flexTime struct {
	t   time.Time
	raw string
}

func (f *flexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		s = string(b)
	}
	return f.set(s)
}

func (f *flexTime) UnmarshalText(b []byte) error {
	return f.set(string(b))
}

func (f *flexTime) set(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if t, ok := parseTimeByShape(s); ok {
		f.t = t
		return nil
	}
	t, err := wire.ParseTime(s)
	if err != nil {
		f.raw = s
		return nil
	}
	f.t = t
	return nil
}

// parseTimeByShape reads the two shapes Adility sends most, a date and an
// RFC 3339 timestamp, with the one layout each can match, before the
// layout-by-layout search of wire.ParseTime (whose failed attempts each
// cost an error value). It gives what wire.ParseTime gives: both layouts
// are the first of wire.Layouts that can match such text.
func parseTimeByShape(s string) (time.Time, bool) {
	var layout string
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		layout = "2006-01-02"
	case len(s) >= 20 && s[4] == '-' && s[10] == 'T':
		layout = time.RFC3339Nano
	default:
		return time.Time{}, false
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// xmlAny keeps an XML element the page does not document.
type xmlAny struct {
	XMLName xml.Name
	Inner   string `xml:",innerxml"`
}

func unknownXML(any []xmlAny) map[string]string {
	if len(any) == 0 {
		return nil
	}
	out := make(map[string]string, len(any))
	for _, a := range any {
		out[a.XMLName.Local] = a.Inner
	}
	return out
}

var errNotObject = errors.New("adility: answer is not an object")
