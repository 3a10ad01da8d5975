//go:build go1.27 && goexperiment.jsonv2

package wire_test

import (
	"encoding/json"
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/wire"
)

// On go1.27 encoding/json calls these instead of UnmarshalJSON.
var (
	_ jsonv2.UnmarshalerFrom = (*wire.ID)(nil)
	_ jsonv2.UnmarshalerFrom = (*wire.Text)(nil)
	_ jsonv2.UnmarshalerFrom = (*wire.Bool)(nil)
	_ jsonv2.UnmarshalerFrom = (*wire.Int)(nil)
	_ jsonv2.UnmarshalerFrom = (*wire.Time)(nil)
)

type leaf[T any] interface {
	*T
	UnmarshalJSON([]byte) error
	UnmarshalJSONFrom(*jsontext.Decoder) error
}

// fromMatchesUnmarshalJSON calls UnmarshalJSONFrom on a decoder over each
// case, with the options json.Unmarshal uses, and UnmarshalJSON on its
// bytes: the same value, the same error, and the decoder left after the
// value. (Under json/v2's own defaults the decoder itself refuses invalid
// UTF-8 and lone surrogates before a leaf sees them.)
func fromMatchesUnmarshalJSON[T any, P leaf[T]](t *testing.T, cases []leafCase[T]) {
	t.Helper()
	for _, c := range cases {
		var direct, from T
		derr := P(&direct).UnmarshalJSON([]byte(c.in))
		dec := jsontext.NewDecoder(strings.NewReader(c.in+` 1`), json.DefaultOptionsV1())
		ferr := P(&from).UnmarshalJSONFrom(dec)
		assert.Equal(t, errText(derr), errText(ferr), c.in)
		assert.Equal(t, direct, from, c.in)
		if ferr == nil {
			tok, err := dec.ReadToken()
			require.NoError(t, err, c.in)
			assert.Equal(t, "1", tok.String(), c.in)
		}
	}
}

func TestUnmarshalJSONFromMatchesUnmarshalJSON(t *testing.T) {
	t.Parallel()
	fromMatchesUnmarshalJSON(t, idCases)
	fromMatchesUnmarshalJSON(t, textCases)
	fromMatchesUnmarshalJSON(t, boolCases)
	fromMatchesUnmarshalJSON(t, intCases)
	fromMatchesUnmarshalJSON(t, timeCases)
}

// A syntax error in the stream is the decoder's, before any leaf parsing.
func TestUnmarshalJSONFromSyntaxError(t *testing.T) {
	t.Parallel()
	var id wire.ID
	err := id.UnmarshalJSONFrom(jsontext.NewDecoder(strings.NewReader(`"abc`)))
	require.Error(t, err)
	assert.Equal(t, wire.ID(""), id)
}
