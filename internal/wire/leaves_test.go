package wire_test

import (
	"encoding/json"
	"encoding/xml"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/wire"
)

func TestTextUnmarshalJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]wire.Text{
		`"Hauptstr."`: "Hauptstr.", `12345`: "12345", `"01067"`: "01067", `7`: "7", `-1.5e3`: "-1.5e3",
		`true`: "true", `false`: "false", `null`: "", `""`: "", ` "a" `: "a", `"c\/o \u00e9"`: "c/o é",
	} {
		v := wire.Text("old")
		require.NoError(t, v.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, v, in)
	}
	for _, in := range []string{`{}`, `[]`, `["a"]`, `01`, `"abc`, `nul`, ``, `+1`} {
		var v wire.Text
		err := v.UnmarshalJSON([]byte(in))
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "wire: ", in)
	}
}

func TestTextInStructAndXML(t *testing.T) {
	t.Parallel()
	var v struct {
		Zip  wire.Text `json:"zipcode" xml:"zipcode"`
		Nr   wire.Text `json:"streetnumber" xml:"nr,attr"`
		Note wire.Text `json:"note"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"zipcode":12345,"streetnumber":"1a","note":null}`), &v))
	assert.Equal(t, wire.Text("12345"), v.Zip)
	assert.Equal(t, "1a", v.Nr.String())
	assert.Equal(t, wire.Text(""), v.Note)
	require.NoError(t, xml.Unmarshal([]byte(`<a nr="7"><zipcode>01067</zipcode></a>`), &v))
	assert.Equal(t, wire.Text("01067"), v.Zip)
	assert.Equal(t, wire.Text("7"), v.Nr)
}

func TestBoolUnmarshalJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]wire.Bool{
		`true`: true, `false`: false, `"true"`: true, `"false"`: false, `1`: true, `0`: false,
		`"1"`: true, `"0"`: false, `null`: false, `""`: false, ` true `: true,
	} {
		v := wire.Bool(!want)
		require.NoError(t, v.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, v, in)
	}
	for _, in := range []string{`"yes"`, `2`, `"TRUE"`, `" true"`, `{}`, `[]`, ``, `1.0`, `"t\u0072ue"`} {
		v := wire.Bool(true)
		err := v.UnmarshalJSON([]byte(in))
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "wire: invalid boolean", in)
	}
	var x struct {
		B wire.Bool `xml:"b,attr"`
	}
	require.NoError(t, xml.Unmarshal([]byte(`<x b="1"/>`), &x))
	assert.True(t, bool(x.B))
	require.Error(t, xml.Unmarshal([]byte(`<x b="yes"/>`), &x))
}

func TestIsNullAndUnquote(t *testing.T) {
	t.Parallel()
	assert.True(t, wire.IsNull([]byte(` null `)))
	assert.False(t, wire.IsNull([]byte(`"null"`)))
	assert.False(t, wire.IsNull([]byte(`nul`)))
	for in, want := range map[string]string{
		`"abc"`: "abc", ` "a b" `: "a b", `""`: "", `"\u00e9\n"`: "é\n", `"é"`: "é", "\"\xff\"": "\ufffd",
		`"\"\\\/\b\f\n\r\t"`: "\"\\/\b\f\n\r\t", `"\ud83d\ude00"`: "😀", `"\uD83D\uDE00!"`: "😀!",
		`"\ud83d"`: "\ufffd", `"\ude00\ud83d"`: "\ufffd\ufffd", `"\ud83dx"`: "\ufffdx", `"\ud83d\u0041"`: "\ufffdA",
		`"\ud83d\ud83d\ude00"`: "\ufffd😀", "\"a\xe2\x82\"": "a\ufffd\ufffd", "\"\x7f\"": "\x7f", `"\u0000"`: "\x00",
	} {
		got, ok := wire.Unquote([]byte(in))
		require.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{`abc`, `"abc`, `12`, `null`, `"a"b"`, "\"a\tb\"", `"\x"`,
		`"\"`, `"\u12"`, `"\u12g4"`, `"\ud83d\u"`, `"\U0041"`, `'a'`, `"a\"`, "\"\n\"", `"`} {
		_, ok := wire.Unquote([]byte(in))
		assert.False(t, ok, in)
	}
}

func TestTimeRubyHashArrows(t *testing.T) {
	t.Parallel()
	want := time.Date(2013, 3, 19, 11, 39, 51, 0, time.UTC)
	for _, in := range []string{`"2013-03-19T12 =>39 =>51+01 =>00"`, `"2013-03-19T12=>39=>51+01=>00"`} {
		var v wire.Time
		require.NoError(t, v.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, v.Time, in)
	}
	for _, in := range []string{`"2013-03-19T12  =>39:51Z"`, `"2013-03-19T12 => 39:51Z"`, `"2013-03-19T12:39:51 =>00"`} {
		var v wire.Time
		require.Error(t, v.UnmarshalJSON([]byte(in)), in)
	}
}

func TestTimeOneDigitHourAndSpaces(t *testing.T) {
	t.Parallel()
	// What time.Parse accepted before: one-digit hours, runs of spaces, a
	// decimal comma before the fraction.
	for in, want := range map[string]time.Time{
		"2017-12-12T4:49:22Z":             time.Date(2017, 12, 12, 4, 49, 22, 0, time.UTC),
		"2017-12-12   14:49:22":           time.Date(2017, 12, 12, 14, 49, 22, 0, time.UTC),
		"2017-12-12 14:49:22   -0300":     time.Date(2017, 12, 12, 17, 49, 22, 0, time.UTC),
		"2017-12-12 14:49:22,25":          time.Date(2017, 12, 12, 14, 49, 22, 250_000_000, time.UTC),
		"2016-02-29":                      time.Date(2016, 2, 29, 0, 0, 0, 0, time.UTC),
		"2017-12-12T14:49:22.1234567891Z": time.Date(2017, 12, 12, 14, 49, 22, 123456789, time.UTC),
	} {
		got, err := wire.ParseTime(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"2017-02-29", "2017-12-12T24:00:00Z", "2017-12-12T14:49:60Z", "2018.08.16", "2017-12-12T14:49", "2017-12-12 14:49:22+0200"} {
		_, err := wire.ParseTime(in)
		require.Error(t, err, in)
	}
}
