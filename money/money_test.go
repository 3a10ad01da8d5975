package money_test

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/money"
)

func TestParseValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // String() of the result
	}{
		{"89.99", "89.99"},
		{"5.8739495798", "5.8739495798"},
		{"0E-10", "0"},
		{"0.0", "0"},
		{"-3", "-3"},
		{"1.5e2", "150"},
		{"1.5E2", "150"},
		{"+7.5", "7.5"},
		{"2.50", "2.5"},
		{"-0", "0"},
		{"1e-40", "0." + strings.Repeat("0", 39) + "1"},
		{"1e40", "1" + strings.Repeat("0", 40)},
		{"179.98", "179.98"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			a, err := money.Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, a.String())
			assert.Equal(t, tt.want, money.MustParse(tt.in).String())
		})
	}
}

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		mention string // text the error must quote
	}{
		{"empty", "", "empty"},
		{"letters", "abc", `"abc"`},
		{"NaN", "NaN", `"NaN"`},
		{"Inf", "Inf", `"Inf"`},
		{"negative Inf", "-Inf", `"-Inf"`},
		{"Infinity", "Infinity", `"Infinity"`},
		{"huge negative exponent", "1e-999999999", `"1e-999999999"`},
		{"huge positive exponent", "1e999999999", `"1e999999999"`},
		{"exponent just past the bound", "1e-41", `"1e-41"`},
		{"hex", "0x10", `"0x10"`},
		{"decimal comma", "1,5", `"1,5"`},
		{"space inside", "1 5", `"1 5"`},
		{"leading space", " 1", `" 1"`},
		{"currency", "5 EUR", `"5 EUR"`},
		{"two dots", "1.2.3", `"1.2.3"`},
		{"sign only", "-", `"-"`},
		{"exponent only", "e5", `"e5"`},
		{"dangling exponent", "1e", `"1e"`},
		{"too long", strings.Repeat("1", 81), `"11111111111111111111"...`},
		{"too long after exponent", strings.Repeat("9", 60) + "e40", `"99999999999999999999"... is out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := money.Parse(tt.in)
			require.Error(t, err)
			require.ErrorIs(t, err, money.ErrInvalid)
			assert.Contains(t, err.Error(), tt.mention)
			assert.Panics(t, func() { money.MustParse(tt.in) })
		})
	}
}

func TestUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"number", `89.99`, "89.99"},
		{"negative number", `-3`, "-3"},
		{"number with exponent", `1.5e2`, "150"},
		{"string", `"5.8739495798"`, "5.8739495798"},
		{"string zero with exponent", `"0E-10"`, "0"},
		{"string zero", `"0.0"`, "0"},
		{"string with spaces", `" 12.30 "`, "12.3"},
		{"null", `null`, "0"},
		{"space around", " 42.5 ", "42.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var a money.Amount
			require.NoError(t, json.Unmarshal([]byte(tt.in), &a))
			assert.Equal(t, tt.want, a.String())

			var q money.Quoted
			require.NoError(t, json.Unmarshal([]byte(tt.in), &q))
			assert.Equal(t, tt.want, q.String())
		})
	}
}

func TestUnmarshalJSONNullKeepsZeroAndPointerNil(t *testing.T) {
	t.Parallel()
	var v struct {
		Price *money.Amount `json:"price"`
		Total money.Amount  `json:"total"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"price":null,"total":null}`), &v))
	assert.Nil(t, v.Price)
	assert.True(t, v.Total.IsZero())

	require.NoError(t, json.Unmarshal([]byte(`{"price":"1.10"}`), &v))
	require.NotNil(t, v.Price)
	assert.Equal(t, "1.1", v.Price.String())
}

func TestUnmarshalJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		mention string
	}{
		{"true", `true`, "true"},
		{"false", `false`, "false"},
		{"object", `{}`, "{}"},
		{"array", `[]`, "[]"},
		{"array of number", `[1]`, "[1]"},
		{"letters", `"abc"`, "abc"},
		{"empty string", `""`, "empty"},
		{"NaN string", `"NaN"`, "NaN"},
		{"decimal comma", `"1,5"`, "1,5"},
		{"string null", `"null"`, "null"},
		{"out of range", `1e-999999999`, "1e-999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var a money.Amount
			err := a.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, money.ErrInvalid)
			assert.Contains(t, err.Error(), tt.mention)
			assert.True(t, a.IsZero(), "a failed decode must leave the amount alone")

			// Through encoding/json, inside a struct, the error must surface.
			var v struct {
				P money.Amount `json:"p"`
			}
			err = json.Unmarshal([]byte(`{"p":`+tt.in+`}`), &v)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.mention)
		})
	}
}

func TestUnmarshalJSONMalformedString(t *testing.T) {
	t.Parallel()
	var a money.Amount
	err := a.UnmarshalJSON([]byte(`"12`))
	require.ErrorIs(t, err, money.ErrInvalid)
	assert.Contains(t, err.Error(), `"\"12"`)
}

func TestMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in         string
		wantNumber string
		wantQuoted string
	}{
		{"89.99", `89.99`, `"89.99"`},
		{"0E-10", `0`, `"0"`},
		{"-3", `-3`, `"-3"`},
		{"1.5e2", `150`, `"150"`},
		{"5.8739495798", `5.8739495798`, `"5.8739495798"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			a := money.MustParse(tt.in)
			b, err := json.Marshal(a)
			require.NoError(t, err)
			assert.Equal(t, tt.wantNumber, string(b))

			b, err = json.Marshal(money.Quoted{Amount: a})
			require.NoError(t, err)
			assert.Equal(t, tt.wantQuoted, string(b))
		})
	}

	b, err := json.Marshal(money.Amount{})
	require.NoError(t, err)
	assert.Equal(t, `0`, string(b))
	b, err = json.Marshal(money.Quoted{})
	require.NoError(t, err)
	assert.Equal(t, `"0"`, string(b))
}

func TestJSONRoundTripInStruct(t *testing.T) {
	t.Parallel()
	type line struct {
		Price    money.Amount  `json:"price"`
		Net      money.Quoted  `json:"net"`
		Discount *money.Amount `json:"discount,omitempty"`
		Tax      *money.Quoted `json:"tax,omitempty"`
	}
	tests := []struct {
		name string
		in   line
		want string
	}{
		{
			name: "all set",
			in: line{
				Price:    money.MustParse("89.99"),
				Net:      money.Quoted{Amount: money.MustParse("5.8739495798")},
				Discount: ptr(money.MustParse("-1.50")),
				Tax:      &money.Quoted{Amount: money.MustParse("34.20")},
			},
			want: `{"price":89.99,"net":"5.8739495798","discount":-1.5,"tax":"34.2"}`,
		},
		{
			name: "zero values",
			in:   line{},
			want: `{"price":0,"net":"0"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(b))

			var got line
			require.NoError(t, json.Unmarshal(b, &got))
			assert.True(t, tt.in.Price.Equal(got.Price))
			assert.True(t, tt.in.Net.Equal(got.Net.Amount))
			if tt.in.Discount == nil {
				assert.Nil(t, got.Discount)
			} else {
				require.NotNil(t, got.Discount)
				assert.True(t, tt.in.Discount.Equal(*got.Discount))
			}
			if tt.in.Tax == nil {
				assert.Nil(t, got.Tax)
			} else {
				require.NotNil(t, got.Tax)
				assert.True(t, tt.in.Tax.Equal(got.Tax.Amount))
			}
		})
	}
}

func TestArithmetic(t *testing.T) {
	t.Parallel()
	m := money.MustParse
	tests := []struct {
		name string
		got  money.Amount
		want string
	}{
		{"add", m("89.99").Add(m("0.01")), "90"},
		{"add exact", m("0.1").Add(m("0.2")), "0.3"},
		{"add negative", m("5").Add(m("-7.5")), "-2.5"},
		{"sub", m("10").Sub(m("0.01")), "9.99"},
		{"sub below zero", m("1").Sub(m("2.5")), "-1.5"},
		{"neg", m("2.5").Neg(), "-2.5"},
		{"sum none", money.Sum(), "0"},
		{"sum one", money.Sum(m("1.1")), "1.1"},
		{"sum many", money.Sum(m("0.1"), m("0.2"), m("0.3"), m("-0.05")), "0.55"},
		{"times", m("89.99").Times(2), "179.98"},
		{"times zero", m("89.99").Times(0), "0"},
		{"times negative", m("1.25").Times(-3), "-3.75"},
		{"times exact", m("5.8739495798").Times(3), "17.6218487394"},
		{"mul", m("1.5").Mul(m("1.5")), "2.25"},
		{"mul exact long", m("5.8739495798").Mul(m("1.19")), "6.989999999962"},
		{"percent exact", m("179.98").Percent(m("19")), "34.1962"},
		{"percent tiny stays exact", m("0.0000000000000001").Percent(m("1")), "0.000000000000000001"},
		{"percent many digits stays exact", m("5.8739495798").Percent(m("19.123456")), "1.123302163355237888"},
		{"vat 19% of 179.98", m("179.98").VAT(m("19")), "34.2"},
		{"vat 7% of 10", m("10").VAT(m("7")), "0.7"},
		{"vat 19% of 5.8739495798", m("5.8739495798").VAT(m("19")), "1.12"},
		{"vat half rounds up", m("0.5").VAT(m("1")), "0.01"},
		{"vat negative half rounds away", m("-0.5").VAT(m("1")), "-0.01"},
		{"vat of zero", money.Zero.VAT(m("19")), "0"},
		{"vat zero rate", m("179.98").VAT(m("0")), "0"},
		{"gross 19% of 179.98", m("179.98").Gross(m("19")), "214.18"},
		{"gross of net with many digits", m("5.8739495798").Gross(m("19")), "6.99"},
		{"from cents", money.FromCents(8999), "89.99"},
		{"from negative cents", money.FromCents(-5), "-0.05"},
		{"from minor units", money.FromMinorUnits(3700, 2), "37"},
		{"from minor units 3", money.FromMinorUnits(1234, 3), "1.234"},
		{"from int", money.FromInt(42), "42"},
		{"from decimal", money.FromDecimal(decimal.RequireFromString("1.23")), "1.23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.True(t, m(tt.want).Equal(tt.got), "got %s, want %s", tt.got, tt.want)
		})
	}
}

func TestVATFixed(t *testing.T) {
	t.Parallel()
	vat := money.MustParse("179.98").VAT(money.MustParse("19"))
	assert.Equal(t, "34.20", vat.StringFixed(2))
	assert.Equal(t, int64(3420), vat.Cents())
}

func TestDecimal(t *testing.T) {
	t.Parallel()
	a := money.MustParse("12.345")
	assert.True(t, a.Decimal().Equal(decimal.RequireFromString("12.345")))
}

func TestRound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		places int32
		want   string
	}{
		{"0.125", 2, "0.13"},
		{"-0.125", 2, "-0.13"},
		{"2.345", 2, "2.35"},
		{"-2.345", 2, "-2.35"},
		{"2.344999", 2, "2.34"},
		{"2.335", 2, "2.34"},
		{"1.005", 2, "1.01"},
		{"0.5", 0, "1"},
		{"-0.5", 0, "-1"},
		{"1.5", 0, "2"},
		{"2.5", 0, "3"},
		{"0.004", 2, "0"},
		{"-0.004", 2, "0"},
		{"0.005", 2, "0.01"},
		{"34.1962", 2, "34.2"},
		{"5.8739495798", 4, "5.8739"},
		{"5.87395", 4, "5.874"},
		{"150", -1, "150"},
		{"155", -1, "160"},
		{"12", 2, "12"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := money.MustParse(tt.in).Round(tt.places)
			assert.True(t, money.MustParse(tt.want).Equal(got), "Round(%s, %d) = %s, want %s", tt.in, tt.places, got, tt.want)
			if tt.places == 2 {
				assert.True(t, got.Equal(money.MustParse(tt.in).RoundCents()))
			}
		})
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	m := money.MustParse
	tests := []struct {
		a, b  string
		cmp   int
		equal bool
	}{
		{"2.5", "2.50", 0, true},
		{"0E-10", "0", 0, true},
		{"-0", "0.00", 0, true},
		{"1.5e2", "150", 0, true},
		{"89.99", "90", -1, false},
		{"90", "89.99", 1, false},
		{"-1", "1", -1, false},
		{"0.0000000001", "0", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.cmp, m(tt.a).Cmp(m(tt.b)))
			assert.Equal(t, -tt.cmp, m(tt.b).Cmp(m(tt.a)))
			assert.Equal(t, tt.equal, m(tt.a).Equal(m(tt.b)))
			assert.Equal(t, tt.equal, m(tt.b).Equal(m(tt.a)))
		})
	}
}

func TestPredicatesAndCents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		zero     bool
		negative bool
		cents    int64
	}{
		{"0E-10", true, false, 0},
		{"0.0", true, false, 0},
		{"-0", true, false, 0},
		{"0.0000000001", false, false, 0},
		{"89.99", false, false, 8999},
		{"-89.99", false, true, -8999},
		{"0.125", false, false, 13},
		{"-0.125", false, true, -13},
		{"2.345", false, false, 235},
		{"0.004", false, false, 0},
		{"1.5e2", false, false, 15000},
		{"1234567.891", false, false, 123456789},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			a := money.MustParse(tt.in)
			assert.Equal(t, tt.zero, a.IsZero())
			assert.Equal(t, tt.negative, a.IsNegative())
			assert.Equal(t, tt.cents, a.Cents())
		})
	}
	assert.True(t, money.Zero.IsZero())
	assert.True(t, money.Amount{}.IsZero())
}

func TestStringFixed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		places int32
		want   string
	}{
		{"5", 2, "5.00"},
		{"0E-10", 2, "0.00"},
		{"34.2", 2, "34.20"},
		{"0.125", 2, "0.13"},
		{"-0.125", 2, "-0.13"},
		{"2.345", 2, "2.35"},
		{"5.8739495798", 4, "5.8739"},
		{"5.8739495798", 0, "6"},
		{"-3", 1, "-3.0"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, money.MustParse(tt.in).StringFixed(tt.places))
		})
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		currency string
		want     string
	}{
		{"0", "EUR", "0.00 EUR"},
		{"0E-10", "", "0.00"},
		{"5", "", "5.00"},
		{"89.99", "EUR", "89.99 EUR"},
		{"999.999", "EUR", "1,000.00 EUR"},
		{"1234.5", "EUR", "1,234.50 EUR"},
		{"12345.678", "USD", "12,345.68 USD"},
		{"123456", "", "123,456.00"},
		{"1234567.891", "EUR", "1,234,567.89 EUR"},
		{"-1", "EUR", "-1.00 EUR"},
		{"-1234.5", "EUR", "-1,234.50 EUR"},
		{"-123456.005", "", "-123,456.01"},
		{"-999999.999", "", "-1,000,000.00"},
		{"-0.001", "EUR", "0.00 EUR"},
		{"214.18", "EUR", "214.18 EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.in+" "+tt.currency, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, money.MustParse(tt.in).Format(tt.currency))
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"89.99", "89.99"},
		{"0E-10", "0"},
		{" 12.50 ", "12.5"},
		{"-3", "-3"},
		{"1.5e2", "150"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var a money.Amount
			require.NoError(t, a.UnmarshalText([]byte(tt.in)))
			b, err := a.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))

			var back money.Amount
			require.NoError(t, back.UnmarshalText(b))
			assert.True(t, a.Equal(back))
		})
	}

	for _, bad := range []string{"", "abc", "NaN", "1,5"} {
		var a money.Amount
		err := a.UnmarshalText([]byte(bad))
		require.ErrorIs(t, err, money.ErrInvalid, "text %q", bad)
	}
}

func TestXML(t *testing.T) {
	t.Parallel()
	type order struct {
		XMLName xml.Name     `xml:"order"`
		Total   money.Amount `xml:"total"`
		Net     money.Quoted `xml:"net,attr"`
	}
	in := order{Total: money.MustParse("179.98"), Net: money.Quoted{Amount: money.MustParse("151.24")}}
	b, err := xml.Marshal(in)
	require.NoError(t, err)
	assert.Equal(t, `<order net="151.24"><total>179.98</total></order>`, string(b))

	var out order
	require.NoError(t, xml.Unmarshal(b, &out))
	assert.True(t, in.Total.Equal(out.Total))
	assert.True(t, in.Net.Equal(out.Net.Amount))

	err = xml.Unmarshal([]byte(`<order><total>12,50</total></order>`), &out)
	require.ErrorIs(t, err, money.ErrInvalid)
}

var fuzzSeeds = []string{
	"89.99", "5.8739495798", "0E-10", "0.0", "-3", "1.5e2", "", "abc", "NaN",
	"Inf", "1e-999999999", "0x10", "1,5", strings.Repeat("1", 81), "+0", "-0.125",
	"1e40", "1e-40", strings.Repeat("9", 70) + "e40", ".5", "5.", "-", "1e",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := money.Parse(s)
		if err != nil {
			require.ErrorIs(t, err, money.ErrInvalid)
			return
		}
		back, err := money.Parse(a.String())
		require.NoError(t, err, "String() of accepted %q is %q", s, a.String())
		require.True(t, a.Equal(back), "%q → %q → %q", s, a.String(), back.String())

		// JSON both ways, as number and as string.
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var j money.Amount
		require.NoError(t, json.Unmarshal(b, &j), "json %s", b)
		require.True(t, a.Equal(j))
		b, err = json.Marshal(money.Quoted{Amount: a})
		require.NoError(t, err)
		var q money.Quoted
		require.NoError(t, json.Unmarshal(b, &q), "json %s", b)
		require.True(t, a.Equal(q.Amount))

		_ = a.Format("EUR")
		_ = a.Cents()
	})
}

func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
		if b, err := json.Marshal(s); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"null", "true", "{}", "[]", `"`, `" 1 "`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var a money.Amount
		if err := a.UnmarshalJSON(in); err != nil {
			require.ErrorIs(t, err, money.ErrInvalid)
			return
		}
		back, err := money.Parse(a.String())
		require.NoError(t, err)
		require.True(t, a.Equal(back))
	})
}

func ptr[T any](v T) *T { return &v }
