//go:build go1.27 && goexperiment.jsonv2

package money_test

import (
	"encoding/json"
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/money"
)

// On go1.27 encoding/json calls these instead of UnmarshalJSON.
var (
	_ jsonv2.UnmarshalerFrom = (*money.Amount)(nil)
	_ jsonv2.UnmarshalerFrom = (*money.Quoted)(nil)
)

// UnmarshalJSONFrom on a decoder with json.Unmarshal's options reads what
// UnmarshalJSON reads from the same bytes and fails the same way, and
// leaves the decoder after the value.
func TestUnmarshalJSONFromMatchesUnmarshalJSON(t *testing.T) {
	t.Parallel()
	for _, c := range amountCases {
		var direct, from money.Amount
		derr := direct.UnmarshalJSON([]byte(c.in))
		dec := jsontext.NewDecoder(strings.NewReader(c.in+` 1`), json.DefaultOptionsV1())
		ferr := from.UnmarshalJSONFrom(dec)
		if derr != nil {
			require.Error(t, ferr, c.in)
			assert.Equal(t, derr.Error(), ferr.Error(), c.in)
			continue
		}
		require.NoError(t, ferr, c.in)
		assert.Equal(t, direct.String(), from.String(), c.in)
		assert.Equal(t, direct.Decimal().Exponent(), from.Decimal().Exponent(), c.in)
		tok, err := dec.ReadToken()
		require.NoError(t, err, c.in)
		assert.Equal(t, "1", tok.String(), c.in)
	}
}
