package adility

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/wire"
)

// This file holds the tolerant wire types shared by both formats. Each wire
// struct carries json and xml tags; the custom types below read what either
// format sends.

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
	return f.UnmarshalText([]byte(s))
}

func (f *flexTime) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" {
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

// xmlAny keeps an XML element the page does not document.
type xmlAny struct {
	XMLName xml.Name
	Inner   string `xml:",innerxml"`
}

// unknownJSON returns the members of a JSON object not in known, each as
// its raw JSON text.
func unknownJSON(m map[string]json.RawMessage, known map[string]bool) map[string]string {
	var out map[string]string
	for k, v := range m {
		if known[strings.TrimSpace(k)] {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = string(v)
	}
	return out
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

// objectOf reads b as a JSON object and, when it is {"<name>": {...}} and
// nothing else names the entity itself, returns the inner object. Rails-style
// APIs wrap each record in its type's name.
func objectOf(b []byte, name string, own ...string) (json.RawMessage, map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, fmt.Errorf("adility: %s is null", name)
	}
	inner, ok := m[name]
	if !ok {
		return b, m, nil
	}
	for _, k := range own {
		if _, has := m[k]; has {
			return b, m, nil
		}
	}
	inner = bytes.TrimSpace(inner)
	if len(inner) == 0 || inner[0] != '{' {
		return b, m, nil
	}
	var im map[string]json.RawMessage
	if err := json.Unmarshal(inner, &im); err != nil {
		return nil, nil, err
	}
	return inner, im, nil
}

// jsonList reads a JSON array of T, a single T, or null.
func jsonList[T any](b []byte) ([]T, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil, nil
	case b[0] == '[':
		var raws []json.RawMessage
		if err := json.Unmarshal(b, &raws); err != nil {
			return nil, err
		}
		out := make([]T, 0, len(raws))
		for _, r := range raws {
			if string(bytes.TrimSpace(r)) == "null" {
				continue
			}
			var v T
			if err := json.Unmarshal(r, &v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case b[0] == '{':
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		return []T{v}, nil
	}
	return nil, fmt.Errorf("adility: expected a list, got %.40q", b)
}

// xmlList reads the children of start as a list of T. When the children are
// the fields of one T (no wrapper per element), start itself is one T.
func xmlList[T any](d *xml.Decoder, start xml.StartElement, elem string, fields map[string]bool) ([]T, error) {
	var raw struct {
		Inner []byte `xml:",innerxml"`
	}
	if err := d.DecodeElement(&raw, &start); err != nil {
		return nil, err
	}
	inner := xml.NewDecoder(bytes.NewReader(raw.Inner))
	var out []T
	var direct bool
	for {
		tok, err := inner.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if fields[se.Name.Local] && se.Name.Local != elem {
			direct = true
			if err := inner.Skip(); err != nil {
				return nil, err
			}
			continue
		}
		var v T
		if err := inner.DecodeElement(&v, &se); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if direct {
		var v T
		wrapped := append(append([]byte("<"+elem+">"), raw.Inner...), []byte("</"+elem+">")...)
		if err := xml.Unmarshal(wrapped, &v); err != nil {
			return nil, err
		}
		return []T{v}, nil
	}
	return out, nil
}

var errNotObject = errors.New("adility: answer is not an object")

// decodeObject reads b, an object or one wrapped as {name: {...}} (see
// objectOf), into p, which must be a type without UnmarshalJSON of its own
// (a plain alias of the wire type), and returns the members outside known.
func decodeObject[P any](b []byte, name string, p *P, known map[string]bool, required ...string) (map[string]string, error) {
	inner, m, err := objectOf(b, name, required...)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(inner, p); err != nil {
		return nil, err
	}
	return unknownJSON(m, known), nil
}
