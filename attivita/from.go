//go:build go1.27 && goexperiment.jsonv2

package attivita

import (
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
	"fmt"
)

// UnmarshalJSONFrom is what encoding/json calls on go1.27: a product object
// decodes from the same decoder instead of being read out and scanned again
// (one nested json.Unmarshal per order line otherwise). A name, null or
// anything else goes to UnmarshalJSON: the same values, the same errors.
func (p *productRef) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '{' {
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		return p.UnmarshalJSON(v)
	}
	var obj productObject
	if err := jsonv2.UnmarshalDecode(dec, &obj); err != nil {
		return fmt.Errorf("attivita: order item product: %w", err)
	}
	p.set(&obj)
	return nil
}
