//go:build go1.27 && goexperiment.jsonv2

package money

import "encoding/json/jsontext"

// UnmarshalJSONFrom is what encoding/json calls on go1.27, where it runs on
// the json/v2 engine: it reads the one value from the decoder and parses it
// with UnmarshalJSON's code, so it reads the same amounts and fails with the
// same errors.
func (a *Amount) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return a.UnmarshalJSON(v)
}
