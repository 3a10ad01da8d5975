package versacommerce_test

import (
	"encoding/json"
	"testing"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIDReadsNumbersAndStringsAndWritesANumber(t *testing.T) {
	for in, want := range map[string]versacommerce.ID{`953`: 953, `"953"`: 953, ` " 953 " `: 953, `null`: 0, `""`: 0, `"007"`: 7, `953.0`: 953} {
		var id versacommerce.ID
		require.NoError(t, json.Unmarshal([]byte(in), &id), in)
		assert.Equal(t, want, id, in)
	}
	for _, in := range []string{`true`, `{}`, `[1]`, `"abc-1"`, `1.5`, `"0x10"`} {
		var id versacommerce.ID
		err := json.Unmarshal([]byte(in), &id)
		assert.ErrorContains(t, err, "versacommerce: invalid id", in)
	}

	for id, want := range map[versacommerce.ID]string{953: `953`, -5: `-5`, 0: `0`} {
		b, err := json.Marshal(id)
		require.NoError(t, err)
		assert.Equal(t, want, string(b), "%d", id)
		var back versacommerce.ID
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, id, back, "round trip")
	}
	assert.Equal(t, "953", versacommerce.ID(953).String())
}

func TestPagingErrorSaysWhatBrokeTheWalk(t *testing.T) {
	cases := []struct {
		e    versacommerce.PagingError
		want string
	}{
		{versacommerce.PagingError{IDMin: 102, ID: 100}, "the page asked for ids from 102 starts at order 100 (the shop ignores id_min?); cannot page by id safely"},
		{versacommerce.PagingError{IDMax: 101, Index: 1, ID: 105, Previous: 100}, "order 105 is above the id_max 101 asked for; cannot page by id safely"},
		{versacommerce.PagingError{IDMin: 1, Index: 2, ID: 7, Previous: 9}, "orders are not in ascending id order (7 after 9); cannot page by id safely"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.e.Error())
		assert.ErrorIs(t, &tc.e, orderkit.ErrInvalidResponse)
	}
}
