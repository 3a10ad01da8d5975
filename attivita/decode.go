package attivita

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
)

// Decoding is one pass over each answer: the private wire structs below
// hold only leaf types that read their own bytes (wire.ID, wire.Int,
// wire.Time, money.Amount and the leaves of this file), and carry no
// UnmarshalJSON of their own. They are converted to the public types once
// decoded.

// fieldName names the field a leaf reads, for its errors.
type fieldName interface{ name() string }

type (
	fieldPrice      struct{}
	fieldSubTotal   struct{}
	fieldGrandTotal struct{}
)

func (fieldPrice) name() string      { return "price" }
func (fieldSubTotal) name() string   { return "subTotal" }
func (fieldGrandTotal) name() string { return "grandTotal" }

// convertList converts a decoded list entry by entry. A null entry is an
// error naming what it is, not an empty order or product.
func convertList[W, T any](l []*W, what string, convert func(*W) (T, error)) ([]T, error) {
	if l == nil {
		return nil, nil
	}
	out := make([]T, len(l))
	for i, w := range l {
		if w == nil {
			return nil, fmt.Errorf("attivita: %s %d of the list is null", what, i)
		}
		var err error
		if out[i], err = convert(w); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// amountOf is an amount that tells absent, null and a value apart, and
// names its field when the value does not parse.
type amountOf[F fieldName] struct {
	v     money.Amount
	state uint8 // 0 absent, 1 null, 2 a value
}

const (
	absent = iota
	null
	present
)

// UnmarshalJSON reads an amount, telling null from a value; an unreadable
// amount is an error naming the field.
func (a *amountOf[F]) UnmarshalJSON(b []byte) error {
	if wire.IsNull(b) {
		a.state = null
		return nil
	}
	if err := a.v.UnmarshalJSON(b); err != nil {
		var f F
		return fmt.Errorf("%s: %w", f.name(), err)
	}
	a.state = present
	return nil
}

// required returns the amount, or an error when it was absent or null.
func (a *amountOf[F]) required() (money.Amount, error) {
	var f F
	switch a.state {
	case absent:
		return money.Amount{}, fmt.Errorf("%s is missing", f.name())
	case null:
		return money.Amount{}, fmt.Errorf("%s is null", f.name())
	}
	return a.v, nil
}

// optional returns the amount, zero when absent; null is an error (a total
// the API sends as null is not a zero total).
func (a *amountOf[F]) optional() (money.Amount, error) {
	if a.state == null {
		var f F
		return money.Amount{}, fmt.Errorf("%s is null", f.name())
	}
	return a.v, nil
}

// productRef is an order line's "product": the product's name (the create
// answer) or an object {"displayName", "_id", "name"} (lists).
type productRef struct {
	ID, DisplayName, Name string
}

func (p *productRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || wire.IsNull(b):
		return nil
	case b[0] == '"':
		s, ok := wire.Unquote(b)
		if !ok {
			return fmt.Errorf("attivita: order item product: %w", errNotString)
		}
		p.DisplayName = s
		return nil
	case b[0] == '{':
		var obj productObject
		if err := json.Unmarshal(b, &obj); err != nil {
			return fmt.Errorf("attivita: order item product: %w", err)
		}
		p.set(&obj)
		return nil
	}
	return fmt.Errorf("attivita: order item product is neither a name nor an object: %.40q", b)
}

// productObject is the object form of an order line's product.
type productObject struct {
	ID          wire.ID `json:"_id"`
	DisplayName *string `json:"displayName"`
	Name        *string `json:"name"`
}

func (p *productRef) set(obj *productObject) {
	p.ID = string(obj.ID)
	if obj.DisplayName != nil {
		p.DisplayName = *obj.DisplayName
	}
	if obj.Name != nil {
		p.Name = *obj.Name
	}
}

var errNotString = errors.New("not a string")

// orderDate is an order's orderDate: an ISO 8601 timestamp in any layout
// wire.Time reads, "" or null. One with an offset (or "Z") is that
// instant. One without is local time in Germany, where Attivita is: the
// page documents ISO 8601 and shows "Z", and a German server may well
// write its wall clock. In the hour the clocks go back a Berlin time names
// two instants (and in the hour they skip, none): t is the earlier and
// span says how much later the order may have been made.
type orderDate struct {
	t    time.Time
	span time.Duration
}

func (d *orderDate) UnmarshalJSON(b []byte) error {
	var w wire.Time
	if err := w.UnmarshalJSON(b); err != nil {
		return err
	}
	d.t, d.span = w.Time, 0
	if !w.IsZero() && !hasOffset(b) {
		d.t, d.span = fromBerlin(w.Time)
	}
	return nil
}

// hasOffset reports whether a timestamp's text ends in a zone: "Z", or a
// sign after the date ("+01:00", " -0700", VersaCommerce's "+01 =>00").
func hasOffset(b []byte) bool {
	s := strings.TrimRight(strings.TrimSpace(string(b)), `"`)
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		return true
	}
	s = strings.TrimLeft(s, `"`)
	return len(s) > 10 && strings.ContainsAny(s[10:], "+-")
}

// berlin is Germany's time zone from the system's zone database; nil
// where there is none, and then euOffset gives its offsets. The SDK does
// not embed time/tzdata (450 kB in every user's binary) for this one zone.
var berlin = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return nil
	}
	return loc
})

// berlinOffset is Berlin's offset from UTC at t.
func berlinOffset(t time.Time) time.Duration {
	if loc := berlin(); loc != nil {
		_, off := t.In(loc).Zone()
		return time.Duration(off) * time.Second
	}
	return euOffset(t)
}

// euOffset is Central European time's offset at t under the EU rule in
// force since 1996: summer time (+2 h) from 01:00 UTC on the last Sunday
// of March to 01:00 UTC on the last Sunday of October, else +1 h.
func euOffset(t time.Time) time.Duration {
	t = t.UTC()
	lastSunday := func(m time.Month) time.Time {
		d := time.Date(t.Year(), m+1, 1, 1, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		return d.AddDate(0, 0, -int(d.Weekday()))
	}
	if !t.Before(lastSunday(time.March)) && t.Before(lastSunday(time.October)) {
		return 2 * time.Hour
	}
	return time.Hour
}

// fromBerlin reads wall, a wall clock held as if in UTC, as Berlin time.
// It returns the earliest instant it may be and how much later it may be.
func fromBerlin(wall time.Time) (time.Time, time.Duration) {
	var fits []time.Time
	for _, off := range []time.Duration{2 * time.Hour, time.Hour} {
		if t := wall.Add(-off); berlinOffset(t) == off {
			fits = append(fits, t)
		}
	}
	switch len(fits) {
	case 1:
		return fits[0], 0
	case 2:
		return fits[0], fits[1].Sub(fits[0])
	}
	// A wall clock the zone skips (or an offset outside the two): any
	// instant it might stand for.
	return wall.Add(-2 * time.Hour), time.Hour
}
