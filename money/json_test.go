package money_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/money"
)

// amountCases go through plain json.Unmarshal, as the clients decode: on
// go1.26 encoding/json calls Amount's UnmarshalJSON, on go1.27 (json/v2
// engine) its UnmarshalJSONFrom. The amounts and whole error messages are
// the same on both toolchains:
//
//	go test ./money/...
//	GOTOOLCHAIN=go1.27.3 go test ./money/...
var amountCases = []struct {
	in   string
	want string // the amount's String(); "old" when null leaves it alone
	err  string
}{
	{in: `89.99`, want: "89.99"},
	{in: `-3`, want: "-3"},
	{in: `1.5e2`, want: "150"},
	{in: `"5.8739495798"`, want: "5.8739495798"},
	{in: `"0E-10"`, want: "0"},
	{in: `" 12.30 "`, want: "12.3"},
	{in: `"\u0031.5"`, want: "1.5"},
	{in: `123456789012345678901234567890.5`, want: "123456789012345678901234567890.5"},
	{in: `null`, want: "old"},
	{in: `true`, err: `money: invalid amount: "true"`},
	{in: `{}`, err: `money: invalid amount: "{}"`},
	{in: `[1]`, err: `money: invalid amount: "[1]"`},
	{in: `"abc"`, err: `money: invalid amount: "abc"`},
	{in: `""`, err: `money: invalid amount: empty text`},
	{in: `"NaN"`, err: `money: invalid amount: "NaN"`},
	{in: `"1,5"`, err: `money: invalid amount: "1,5"`},
	{in: `"\u00311,5"`, err: `money: invalid amount: "11,5"`},
	{in: `1e-999999999`, err: `money: invalid amount: "1e-999999999"`},
}

func TestAmountThroughJSON(t *testing.T) {
	t.Parallel()
	old := money.MustParse("7.77")
	for _, c := range amountCases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			want := c.want
			if want == "old" {
				want = old.String()
			}
			doc := []byte(`{"a":` + c.in + `,"q":` + c.in + `,"p":` + c.in + `}`)
			v := struct {
				A money.Amount  `json:"a"`
				Q money.Quoted  `json:"q"`
				P *money.Amount `json:"p"`
			}{A: old, Q: money.Quoted{Amount: old}}
			err := json.Unmarshal(doc, &v)
			if c.err != "" {
				require.EqualError(t, err, c.err)
				require.ErrorIs(t, err, money.ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want, v.A.String())
			assert.Equal(t, want, v.Q.String())
			if c.in == "null" {
				assert.Nil(t, v.P)
			} else {
				require.NotNil(t, v.P)
				assert.Equal(t, want, v.P.String())
			}

			var list []money.Amount
			require.NoError(t, json.Unmarshal([]byte(`[`+c.in+`]`), &list))
			require.Len(t, list, 1)
			if c.in != "null" {
				assert.Equal(t, want, list[0].String())
			}
		})
	}
}
