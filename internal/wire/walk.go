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

// ErrSyntax is what the position walks (Skip, Members, Elements) return
// where the bytes are not valid JSON.
var ErrSyntax = errors.New("invalid JSON")

// Space returns the index of the first byte of b at or after i that is not
// JSON white space.
func Space(b []byte, i int) int {
	d := decoder{b: b, i: i}
	d.space()
	return d.i
}

// Skip returns the index just after the JSON value that starts at b[i],
// checked as Decode checks it (ErrSyntax otherwise).
func Skip(b []byte, i int) (int, error) {
	d := decoder{b: b, i: i}
	if d.skip() != nil {
		return d.i, ErrSyntax
	}
	return d.i, nil
}

// Members walks the object that starts at b[i]: it calls member with each
// key as sent (quoted, escapes kept) and the index of its value; member
// returns the index just after the value. Members returns the index just
// after the object, member's first error as it is, or ErrSyntax.
func Members(b []byte, i int, member func(key []byte, v int) (int, error)) (int, error) {
	d := decoder{b: b, i: i}
	if i >= len(b) || b[i] != '{' {
		return i, ErrSyntax
	}
	var merr error
	err := d.members(true, func(key []byte) error {
		var end int
		if end, merr = member(key, d.i); merr != nil {
			return merr
		}
		if end < d.i || end > len(b) {
			merr = ErrSyntax
			return merr
		}
		d.i = end
		return nil
	})
	return d.i, walkErr(err, merr)
}

// Elements walks the array that starts at b[i], calling elem with the
// index of each value; elem returns the index just after it. Elements
// returns the index just after the array, elem's first error as it is, or
// ErrSyntax.
func Elements(b []byte, i int, elem func(v int) (int, error)) (int, error) {
	d := decoder{b: b, i: i}
	if i >= len(b) || b[i] != '[' {
		return i, ErrSyntax
	}
	var eerr error
	err := d.elements(func() error {
		var end int
		if end, eerr = elem(d.i); eerr != nil {
			return eerr
		}
		if end < d.i || end > len(b) {
			eerr = ErrSyntax
			return eerr
		}
		d.i = end
		return nil
	})
	return d.i, walkErr(err, eerr)
}

func walkErr(walk, own error) error {
	switch {
	case own != nil:
		return own
	case walk != nil:
		return ErrSyntax
	}
	return nil
}
