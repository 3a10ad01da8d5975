package wire_test

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/wire"
)

func TestIDUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want wire.ID
	}{
		{"number", `953`, "953"},
		{"string", `"953"`, "953"},
		{"null", `null`, ""},
		{"text", `"abc-1"`, "abc-1"},
		{"empty string", `""`, ""},
		{"zero", `0`, "0"},
		{"negative", `-5`, "-5"},
		{"max int64", `9223372036854775807`, "9223372036854775807"},
		{"past int64 kept exactly", `12345678901234567890123`, "12345678901234567890123"},
		{"past float64 precision", `9007199254740993`, "9007199254740993"},
		{"exponent kept as sent", `1.5e3`, "1.5e3"},
		{"fraction kept as sent", `1.5`, "1.5"},
		{"leading zeros in string", `"007"`, "007"},
		{"unicode string", `"ä-\u00e9"`, "ä-é"},
		{"space around", " 42 ", "42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id := wire.ID("previous")
			require.NoError(t, json.Unmarshal([]byte(tt.in), &id))
			assert.Equal(t, tt.want, id)
			assert.Equal(t, string(tt.want), id.String())
		})
	}
}

func TestIDUnmarshalJSONErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`true`, `false`, `{}`, `[]`, `[1]`, `"unterminated`, `abc`, ``} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			id := wire.ID("keep")
			err := id.UnmarshalJSON([]byte(in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "wire: invalid id")
			assert.Equal(t, wire.ID("keep"), id)
		})
	}
	var v struct {
		ID wire.ID `json:"id"`
	}
	require.Error(t, json.Unmarshal([]byte(`{"id":true}`), &v))
	require.Error(t, json.Unmarshal([]byte(`{"id":{}}`), &v))
}

func TestIDMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   wire.ID
		want string
	}{
		{"953", `953`},
		{"0", `0`},
		{"-5", `-5`},
		{"9223372036854775807", `9223372036854775807`},
		{"abc-1", `"abc-1"`},
		{"", `""`},
		{"+5", `"+5"`},
		{"007", `"007"`},
		{"00", `"00"`},
		{"-0", `"-0"`},
		{"-07", `"-07"`},
		{"12345678901234567890123", `"12345678901234567890123"`},
		{"1.5e3", `"1.5e3"`},
		{`quo"te`, `"quo\"te"`},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			t.Parallel()
			// Through encoding/json, so that invalid JSON from MarshalJSON fails.
			b, err := json.Marshal(struct {
				ID wire.ID `json:"id"`
			}{tt.id})
			require.NoError(t, err)
			assert.Equal(t, `{"id":`+tt.want+`}`, string(b))

			var back struct {
				ID wire.ID `json:"id"`
			}
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.id, back.ID)
		})
	}
}

func TestIDInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id      wire.ID
		want    int64
		wantErr bool
	}{
		{"953", 953, false},
		{"-5", -5, false},
		{"0", 0, false},
		{"9223372036854775807", 9223372036854775807, false},
		{"9223372036854775808", 0, true},
		{"abc-1", 0, true},
		{"", 0, true},
		{"1.5e3", 0, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			t.Parallel()
			n, err := tt.id.Int()
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, n)
		})
	}
}

func TestTimeUnmarshalJSON(t *testing.T) {
	t.Parallel()
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		// time.RFC3339Nano
		{"RFC 3339 +00:00", `"2017-12-12T14:49:22+00:00"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		{"RFC 3339 Z", `"2017-12-12T14:49:22Z"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		{"RFC 3339 millis +01:00", `"2020-02-18T15:48:38.038+01:00"`, utc(2020, 2, 18, 14, 48, 38, 38_000_000)},
		{"RFC 3339 nanos -05:00", `"2020-02-18T09:48:38.123456789-05:00"`, utc(2020, 2, 18, 14, 48, 38, 123456789)},
		// 2006-01-02T15:04:05Z0700
		{"offset without colon", `"2017-12-12T16:49:22+0200"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		// 2006-01-02T15:04:05.999999999
		{"T without zone", `"2017-12-12T14:49:22"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		{"T without zone, fraction", `"2017-12-12T14:49:22.5"`, utc(2017, 12, 12, 14, 49, 22, 500_000_000)},
		// 2006-01-02 15:04:05Z07:00
		{"space, Z", `"2017-12-12 14:49:22Z"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		{"space, +02:00", `"2017-12-12 16:49:22+02:00"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		// 2006-01-02 15:04:05 Z07:00
		{"space, space +02:00", `"2017-12-12 16:49:22 +02:00"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		// 2006-01-02 15:04:05 -0700
		{"space, space -0300", `"2017-12-12 11:49:22 -0300"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		// 2006-01-02 15:04:05
		{"space without zone", `"2017-12-12 14:49:22"`, utc(2017, 12, 12, 14, 49, 22, 0)},
		// 2006-01-02 15:04
		{"minutes", `"2016-09-09 12:32"`, utc(2016, 9, 9, 12, 32, 0, 0)},
		// 2006.01.02 15:04:05
		{"dotted date", `"2018.08.16 16:21:00"`, utc(2018, 8, 16, 16, 21, 0, 0)},
		// 2006-01-02
		{"date", `"2012-11-09"`, utc(2012, 11, 9, 0, 0, 0, 0)},
		{"spaces inside the string", `" 2012-11-09 "`, utc(2012, 11, 9, 0, 0, 0, 0)},
		{"empty", `""`, time.Time{}},
		{"blank", `"   "`, time.Time{}},
		{"null", `null`, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := wire.Time{Time: time.Date(1999, 1, 1, 0, 0, 0, 0, time.FixedZone("X", 3600))}
			require.NoError(t, json.Unmarshal([]byte(tt.in), &got))
			assert.True(t, tt.want.Equal(got.Time), "got %s, want %s", got.Time, tt.want)
			assert.Equal(t, tt.want, got.Time)
			assert.Same(t, time.UTC, got.Location())
		})
	}
}

// Every layout in Layouts must be readable: format a fixed instant with each
// and read it back.
func TestTimeEveryLayout(t *testing.T) {
	t.Parallel()
	instant := time.Date(2019, 3, 4, 5, 6, 7, 0, time.FixedZone("", 2*3600))
	for _, layout := range wire.Layouts {
		t.Run(layout, func(t *testing.T) {
			t.Parallel()
			text := instant.Format(layout)
			got, err := wire.ParseTime(text)
			require.NoError(t, err, "text %q", text)
			assert.Same(t, time.UTC, got.Location())

			want := instant
			if !strings.Contains(layout, "07") {
				// No zone in the layout: the wall clock is read as UTC.
				y, mo, d := instant.Date()
				h, mi, s := instant.Clock()
				want = time.Date(y, mo, d, h, mi, s, 0, time.UTC)
			}
			if !strings.Contains(layout, "05") {
				want = want.Truncate(time.Minute)
			}
			if !strings.Contains(layout, "15") {
				want = time.Date(instant.Year(), instant.Month(), instant.Day(), 0, 0, 0, 0, time.UTC)
			}
			assert.True(t, want.Equal(got), "%q read as %s, want %s", text, got, want.UTC())
		})
	}
}

func TestTimeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		mention string
	}{
		{"number", `12345`, "not a string"},
		{"bool", `true`, "not a string"},
		{"object", `{}`, "not a string"},
		{"text", `"not a time"`, `"not a time"`},
		{"US date", `"12/11/2012"`, `"12/11/2012"`},
		{"month 13", `"2012-13-09"`, `"2012-13-09"`},
		{"unix seconds as string", `"1700000000"`, `"1700000000"`},
		{"long text cut", `"` + strings.Repeat("x", 100) + `"`, strings.Repeat("x", 40) + `..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got wire.Time
			err := json.Unmarshal([]byte(tt.in), &got)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "wire:")
			assert.Contains(t, err.Error(), tt.mention)
			assert.True(t, got.IsZero())
		})
	}
}

func TestTimeMarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       time.Time
		wantJSON string
		wantText string
	}{
		{"zero", time.Time{}, `null`, ``},
		{"UTC", time.Date(2017, 12, 12, 14, 49, 22, 0, time.UTC), `"2017-12-12T14:49:22Z"`, `2017-12-12T14:49:22Z`},
		{"millis", time.Date(2020, 2, 18, 14, 48, 38, 38_000_000, time.UTC), `"2020-02-18T14:48:38.038Z"`, `2020-02-18T14:48:38.038Z`},
		{"other zone written as UTC", time.Date(2020, 2, 18, 15, 48, 38, 0, time.FixedZone("CET", 3600)), `"2020-02-18T14:48:38Z"`, `2020-02-18T14:48:38Z`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := wire.Time{Time: tt.in}
			b, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Equal(t, tt.wantJSON, string(b))

			text, err := v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.wantText, string(text))

			var back wire.Time
			require.NoError(t, json.Unmarshal(b, &back))
			assert.True(t, tt.in.Equal(back.Time))
			require.NoError(t, back.UnmarshalText(text))
			assert.True(t, tt.in.Equal(back.Time))
		})
	}
}

func TestTimeInStruct(t *testing.T) {
	t.Parallel()
	type order struct {
		ID        wire.ID    `json:"id"`
		ShopID    wire.ID    `json:"shop_id"`
		CreatedAt wire.Time  `json:"created_at"`
		PaidAt    *wire.Time `json:"paid_at"`
		ClosedAt  wire.Time  `json:"closed_at"`
	}
	var o order
	require.NoError(t, json.Unmarshal([]byte(`{"id":953,"shop_id":"953","created_at":"2018.08.16 16:21:00","paid_at":null,"closed_at":""}`), &o))
	assert.Equal(t, wire.ID("953"), o.ID)
	assert.Equal(t, o.ID, o.ShopID)
	assert.Equal(t, time.Date(2018, 8, 16, 16, 21, 0, 0, time.UTC), o.CreatedAt.Time)
	assert.Nil(t, o.PaidAt)
	assert.True(t, o.ClosedAt.IsZero())

	b, err := json.Marshal(o)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":953,"shop_id":953,"created_at":"2018-08-16T16:21:00Z","paid_at":null,"closed_at":null}`, string(b))
}

func TestTimeXML(t *testing.T) {
	t.Parallel()
	type voucher struct {
		XMLName xml.Name  `xml:"voucher"`
		Valid   wire.Time `xml:"valid_until"`
		Created wire.Time `xml:"created,attr"`
	}
	var v voucher
	require.NoError(t, xml.Unmarshal([]byte(`<voucher created="2012-11-09"><valid_until>2020-02-18T15:48:38.038+01:00</valid_until></voucher>`), &v))
	assert.Equal(t, time.Date(2020, 2, 18, 14, 48, 38, 38_000_000, time.UTC), v.Valid.Time)
	assert.Equal(t, time.Date(2012, 11, 9, 0, 0, 0, 0, time.UTC), v.Created.Time)

	b, err := xml.Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, `<voucher created="2012-11-09T00:00:00Z"><valid_until>2020-02-18T14:48:38.038Z</valid_until></voucher>`, string(b))
}

func TestIntUnmarshalJSON(t *testing.T) {
	for in, want := range map[string]wire.Int{
		`2`: 2, `"2"`: 2, `" 2 "`: 2, `-7`: -7, `"-7"`: -7, `2.0`: 2, `"2.0"`: 2, `2e0`: 2, `"1E3"`: 1000,
		`null`: 0, `""`: 0, `" "`: 0, ` 5 `: 5, `0`: 0, `-0.0`: 0,
		`9223372036854775807`: 9223372036854775807, `"-9223372036854775808"`: -9223372036854775808,
		`9007199254740992.0`: 1 << 53,
	} {
		n := wire.Int(99)
		require.NoError(t, n.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, n, in)
	}
}

func TestIntUnmarshalJSONErrors(t *testing.T) {
	for _, in := range []string{
		`2.5`, `"2.5"`, `"abc"`, `true`, `{}`, `[]`, `[1]`, ``, `"`, `"2`, `0x10`, `"0x10"`, `"0x1p4"`,
		`"NaN"`, `"Inf"`, `"-Infinity"`, `1e400`, `9223372036854775808`, `"9007199254740994.0"`, `1e19`,
		`"1_000"`, `"2 3"`, `--1`,
	} {
		var n wire.Int
		err := n.UnmarshalJSON([]byte(in))
		require.Error(t, err, "%q gave %d", in, n)
		assert.Contains(t, err.Error(), "wire: invalid integer", in)
	}
}

func TestIntInStructAndXML(t *testing.T) {
	var v struct {
		Q wire.Int `json:"q" xml:"q"`
		A wire.Int `xml:"a,attr"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"q":"3"}`), &v))
	assert.Equal(t, wire.Int(3), v.Q)
	require.NoError(t, xml.Unmarshal([]byte(`<v a=" 4 "><q>5.0</q></v>`), &v))
	assert.Equal(t, wire.Int(5), v.Q)
	assert.Equal(t, wire.Int(4), v.A)
	require.Error(t, xml.Unmarshal([]byte(`<v><q>five</q></v>`), &v))
	b, err := json.Marshal(wire.Int(-12))
	require.NoError(t, err)
	assert.Equal(t, `-12`, string(b), "written as a plain number")
}
