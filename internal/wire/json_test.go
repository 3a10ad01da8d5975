package wire_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/wire"
)

// These tables go through plain json.Unmarshal into a struct holding the
// leaf, the way the clients decode: on go1.26 encoding/json calls
// UnmarshalJSON, on go1.27 (json/v2 engine) UnmarshalJSONFrom. The wanted
// values and whole error messages are the same on both toolchains:
//
//	go test ./internal/wire/... ./money/...
//	GOTOOLCHAIN=go1.27.3 go test ./internal/wire/... ./money/...

// leafCase is one JSON value and what a leaf of type T reads from it: want,
// or the error whose message is err.
type leafCase[T any] struct {
	in   string
	want T
	err  string
}

// runLeafCases decodes each case as a field (starting from old, so that
// null visibly resets it), as a pointer field and as an array element.
func runLeafCases[T any](t *testing.T, old T, cases []leafCase[T]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			v := struct {
				V T `json:"v"`
			}{V: old}
			err := json.Unmarshal([]byte(`{"v":`+c.in+`}`), &v)
			if c.err != "" {
				require.EqualError(t, err, c.err)
			} else {
				require.NoError(t, err)
				assert.Equal(t, c.want, v.V)
			}

			var p struct {
				V *T `json:"v"`
			}
			err = json.Unmarshal([]byte(`{"v":`+c.in+`}`), &p)
			switch {
			case c.err != "":
				require.EqualError(t, err, c.err)
			case c.in == "null":
				require.NoError(t, err)
				assert.Nil(t, p.V, "null into a pointer leaves it nil")
			default:
				require.NoError(t, err)
				require.NotNil(t, p.V)
				assert.Equal(t, c.want, *p.V)
			}

			var list []T
			err = json.Unmarshal([]byte(`[`+c.in+`, `+c.in+`]`), &list)
			if c.err != "" {
				require.EqualError(t, err, c.err)
			} else {
				require.NoError(t, err)
				assert.Equal(t, []T{c.want, c.want}, list)
			}
		})
	}
}

var idCases = []leafCase[wire.ID]{
	{in: `953`, want: "953"},
	{in: `"953"`, want: "953"},
	{in: `null`, want: ""},
	{in: `""`, want: ""},
	{in: `"abc-1"`, want: "abc-1"},
	{in: `-5`, want: "-5"},
	{in: `12345678901234567890123`, want: "12345678901234567890123"},
	{in: `1.5e3`, want: "1.5e3"},
	{in: `"007"`, want: "007"},
	{in: `"ä-\u00e9\/\ud83d\ude00"`, want: "ä-é/😀"},
	{in: `"\ud83d"`, want: "\ufffd"},
	{in: `true`, err: `wire: invalid id "true"`},
	{in: `{}`, err: `wire: invalid id "{}"`},
	{in: `[1]`, err: `wire: invalid id "[1]"`},
}

var textCases = []leafCase[wire.Text]{
	{in: `"Hauptstr."`, want: "Hauptstr."},
	{in: `12345`, want: "12345"},
	{in: `"01067"`, want: "01067"},
	{in: `-1.5e3`, want: "-1.5e3"},
	{in: `true`, want: "true"},
	{in: `false`, want: "false"},
	{in: `null`, want: ""},
	{in: `""`, want: ""},
	{in: `"c\/o \u00e9\n\"x\""`, want: "c/o é\n\"x\""},
	{in: `{"a":1}`, err: `wire: not text: "{\"a\":1}"`},
	{in: `["a"]`, err: `wire: not text: "[\"a\"]"`},
}

var boolCases = []leafCase[wire.Bool]{
	{in: `true`, want: true},
	{in: `false`, want: false},
	{in: `"true"`, want: true},
	{in: `"false"`, want: false},
	{in: `1`, want: true},
	{in: `0`, want: false},
	{in: `"1"`, want: true},
	{in: `"0"`, want: false},
	{in: `null`, want: false},
	{in: `""`, want: false},
	{in: `"yes"`, err: `wire: invalid boolean "yes"`},
	{in: `2`, err: `wire: invalid boolean "2"`},
	{in: `"TRUE"`, err: `wire: invalid boolean "TRUE"`},
	{in: `1.0`, err: `wire: invalid boolean "1.0"`},
	{in: `"t\u0072ue"`, err: `wire: invalid boolean "\"t\\u0072ue\""`},
	{in: `{}`, err: `wire: invalid boolean "{}"`},
}

var intCases = []leafCase[wire.Int]{
	{in: `2`, want: 2},
	{in: `"2"`, want: 2},
	{in: `" 2 "`, want: 2},
	{in: `-7`, want: -7},
	{in: `2.0`, want: 2},
	{in: `"1E3"`, want: 1000},
	{in: `"\u0032"`, want: 2},
	{in: `null`, want: 0},
	{in: `""`, want: 0},
	{in: `9223372036854775807`, want: 9223372036854775807},
	{in: `"-9223372036854775808"`, want: -9223372036854775808},
	{in: `2.5`, err: `wire: invalid integer "2.5"`},
	{in: `"2.5"`, err: `wire: invalid integer "2.5"`},
	{in: `"abc"`, err: `wire: invalid integer "abc"`},
	{in: `"0x10"`, err: `wire: invalid integer "0x10"`},
	{in: `1e400`, err: `wire: invalid integer "1e400"`},
	{in: `9223372036854775808`, err: `wire: invalid integer "9223372036854775808"`},
	{in: `true`, err: `wire: invalid integer "true"`},
	{in: `[]`, err: `wire: invalid integer "[]"`},
}

func utc(y int, mo time.Month, d, h, mi, s, ns int) wire.Time {
	return wire.Time{Time: time.Date(y, mo, d, h, mi, s, ns, time.UTC)}
}

var timeCases = []leafCase[wire.Time]{
	{in: `"2017-12-12T14:49:22Z"`, want: utc(2017, 12, 12, 14, 49, 22, 0)},
	{in: `"2020-02-18T15:48:38.038+01:00"`, want: utc(2020, 2, 18, 14, 48, 38, 38_000_000)},
	{in: `"2017-12-12T16:49:22+0200"`, want: utc(2017, 12, 12, 14, 49, 22, 0)},
	{in: `"2017-12-12T14:49:22.5"`, want: utc(2017, 12, 12, 14, 49, 22, 500_000_000)},
	{in: `"2017-12-12 16:49:22+02:00"`, want: utc(2017, 12, 12, 14, 49, 22, 0)},
	{in: `"2017-12-12 11:49:22 -0300"`, want: utc(2017, 12, 12, 14, 49, 22, 0)},
	{in: `"2017-12-12 14:49:22"`, want: utc(2017, 12, 12, 14, 49, 22, 0)},
	{in: `"2016-09-09 12:32"`, want: utc(2016, 9, 9, 12, 32, 0, 0)},
	{in: `"2018.08.16 16:21:00"`, want: utc(2018, 8, 16, 16, 21, 0, 0)},
	{in: `"2012-11-09"`, want: utc(2012, 11, 9, 0, 0, 0, 0)},
	{in: `"2013-03-19T12 =>39 =>51+01 =>00"`, want: utc(2013, 3, 19, 11, 39, 51, 0)},
	{in: `"2013-03-19T12=>39=>51+01=>00"`, want: utc(2013, 3, 19, 11, 39, 51, 0)},
	{in: `"2017-12-12T14:49:22\u005a"`, want: utc(2017, 12, 12, 14, 49, 22, 0)},
	{in: `""`, want: wire.Time{}},
	{in: `null`, want: wire.Time{}},
	{in: `12345`, err: `wire: timestamp is not a string: "12345"`},
	{in: `true`, err: `wire: timestamp is not a string: "true"`},
	{in: `{}`, err: `wire: timestamp is not a string: "{}"`},
	{in: `"not a time"`, err: `wire: unreadable timestamp "not a time"`},
	{in: `"2012-13-09"`, err: `wire: unreadable timestamp "2012-13-09"`},
	{in: `"2017-02-29"`, err: `wire: unreadable timestamp "2017-02-29"`},
	{in: `"12\/11\/2012"`, err: `wire: unreadable timestamp "12/11/2012"`},
}

func TestIDThroughJSON(t *testing.T) {
	t.Parallel()
	runLeafCases(t, wire.ID("old"), idCases)
}

func TestTextThroughJSON(t *testing.T) {
	t.Parallel()
	runLeafCases(t, wire.Text("old"), textCases)
}

func TestBoolThroughJSON(t *testing.T) {
	t.Parallel()
	runLeafCases(t, wire.Bool(true), boolCases)
}

func TestIntThroughJSON(t *testing.T) {
	t.Parallel()
	runLeafCases(t, wire.Int(99), intCases)
}

func TestTimeThroughJSON(t *testing.T) {
	t.Parallel()
	runLeafCases(t, utc(1999, 1, 1, 0, 0, 0, 0), timeCases)
}

// A leaf's error stops the whole decode, and the clients see it as it is.
func TestLeafErrorInAnswer(t *testing.T) {
	t.Parallel()
	var order struct {
		ID      wire.ID   `json:"id"`
		Created wire.Time `json:"created_at"`
		Qty     wire.Int  `json:"quantity"`
	}
	err := json.Unmarshal([]byte(`{"id":953,"created_at":"2018.08.16 16:21:00","quantity":"2.5"}`), &order)
	require.EqualError(t, err, `wire: invalid integer "2.5"`)
	err = json.Unmarshal([]byte(`{"id":953,"created_at":"yesterday","quantity":2}`), &order)
	require.EqualError(t, err, `wire: unreadable timestamp "yesterday"`)
}
