//go:build go1.27 && goexperiment.jsonv2

package wire

import "encoding/json/jsontext"

// On go1.27 encoding/json runs on the json/v2 engine, which calls
// UnmarshalJSONFrom with its own decoder. Each leaf reads the one value
// there, as bytes that point into the decoder's buffer, and parses them with
// the same code as its UnmarshalJSON: the same values, the same errors.

// UnmarshalJSONFrom reads a number, a string or null, as UnmarshalJSON.
func (id *ID) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return id.UnmarshalJSON(v)
}

// UnmarshalJSONFrom reads a string, a number, true, false or null, as
// UnmarshalJSON.
func (t *Text) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return t.UnmarshalJSON(v)
}

// UnmarshalJSONFrom reads true, false, 1, 0, such a string or null, as
// UnmarshalJSON.
func (v *Bool) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	b, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return v.UnmarshalJSON(b)
}

// UnmarshalJSONFrom reads a number, a string holding one or null, as
// UnmarshalJSON.
func (n *Int) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return n.UnmarshalJSON(v)
}

// UnmarshalJSONFrom reads a string in any of Layouts, "" or null, as
// UnmarshalJSON.
func (t *Time) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return t.UnmarshalJSON(v)
}
