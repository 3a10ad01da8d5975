package wire

import "errors"

// ErrNotObject is what EachMember returns for input that is not one JSON
// object.
var ErrNotObject = errors.New("not a JSON object")

// EachMember calls f with each key (quoted, as sent) and raw value of the
// JSON object b, in one pass that checks b as Decode does; it refuses with
// ErrNotObject what is not one valid object, and returns f's first error
// as it is. A leaf's UnmarshalJSON reads an object's members with it
// without decoding it again.
func EachMember(b []byte, f func(key, val []byte) error) error {
	d := decoder{b: b}
	d.space()
	if d.i >= len(b) || b[d.i] != '{' {
		return ErrNotObject
	}
	var ferr error
	err := d.members(true, func(key []byte) error {
		start := d.i
		if err := d.skip(); err != nil {
			return err
		}
		if ferr = f(key, b[start:d.i]); ferr != nil {
			return ferr
		}
		return nil
	})
	switch {
	case ferr != nil:
		return ferr
	case err != nil:
		return ErrNotObject
	}
	return nil
}
