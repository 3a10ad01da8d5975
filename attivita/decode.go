package attivita

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

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
		var obj struct {
			ID          wire.ID `json:"_id"`
			DisplayName *string `json:"displayName"`
			Name        *string `json:"name"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return fmt.Errorf("attivita: order item product: %w", err)
		}
		p.ID = string(obj.ID)
		if obj.DisplayName != nil {
			p.DisplayName = *obj.DisplayName
		}
		if obj.Name != nil {
			p.Name = *obj.Name
		}
		return nil
	}
	return fmt.Errorf("attivita: order item product is neither a name nor an object: %.40q", b)
}

var errNotString = errors.New("not a string")
