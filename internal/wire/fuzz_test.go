package wire_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderkit/orderkit/internal/wire"
)

// One fuzz target per leaf. Each holds the leaf's UnmarshalJSON to a
// reference written with encoding/json (and, for timestamps, time.Parse
// tried layout by layout), and holds json.Unmarshal of the value inside a
// struct to UnmarshalJSON called directly: on go1.27 that is the leaf's
// UnmarshalJSONFrom, so the two methods must agree on every input.
//
//	go test ./internal/wire -run '^$' -fuzz '^FuzzText$' -fuzztime 20s

// throughStruct decodes in as the member of an object with json.Unmarshal
// when in is one valid JSON value, and reports whether it did.
func throughStruct[T any](in []byte) (T, error, bool) {
	var v struct {
		V T `json:"v"`
	}
	if !json.Valid(in) {
		return v.V, nil, false
	}
	doc := append(append([]byte(`{"v":`), in...), '}')
	err := json.Unmarshal(doc, &v)
	return v.V, err, true
}

// sameAsDirect fails t when json.Unmarshal inside a struct gives another
// value or another error than UnmarshalJSON called directly.
func sameAsDirect[T comparable](t *testing.T, in []byte, got T, err error) {
	t.Helper()
	via, verr, ok := throughStruct[T](in)
	if !ok {
		return
	}
	if errText(verr) != errText(err) || (err == nil && via != got) {
		t.Fatalf("%q: json.Unmarshal gives %v, %v; UnmarshalJSON gives %v, %v", in, via, verr, got, err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// refString is the text of a JSON string by encoding/json.
func refString(b []byte) (string, bool) {
	var s string
	return s, json.Unmarshal(b, &s) == nil
}

// refNumber reports whether b is a JSON number by encoding/json.
func refNumber(b []byte) bool {
	var n json.Number
	return len(b) > 0 && b[0] != '"' && json.Unmarshal(b, &n) == nil
}

func isString(b []byte) bool { return len(b) > 0 && b[0] == '"' }

func FuzzID(f *testing.F) {
	for _, s := range []string{`953`, `"953"`, `null`, `"abc-1"`, `1.5e3`, `true`, `{}`, `"007"`,
		`"a\u00e9\n"`, "\"\xff\"", `-0`, `01`, `1.`, `-`, `12345678901234567890123`, `"\ud83d\ude00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got wire.ID
		err := got.UnmarshalJSON(in)
		b := bytes.TrimSpace(in)
		var want wire.ID
		wantOK := true
		switch {
		case string(b) == "null":
		case isString(b):
			var s string
			s, wantOK = refString(b)
			want = wire.ID(s)
		case refNumber(b):
			want = wire.ID(b)
		default:
			wantOK = false
		}
		if (err == nil) != wantOK || got != want {
			t.Fatalf("ID.UnmarshalJSON(%q) = %q, %v; encoding/json gives %q, %v", in, got, err, want, wantOK)
		}
		sameAsDirect(t, in, got, err)
		if err != nil {
			return
		}
		// What it reads, it writes back as valid JSON that reads the same.
		out, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var back wire.ID
		if err := back.UnmarshalJSON(out); err != nil || back != got {
			t.Fatalf("%q → %s → %q, %v", got, out, back, err)
		}
	})
}

func FuzzText(f *testing.F) {
	for _, s := range []string{`"Hauptstr."`, `12345`, `"01067"`, `-1.5e3`, `true`, `false`, `null`, `""`,
		`{}`, `["a"]`, `01`, `"abc`, `+1`, `"c\/o \u00e9"`, `"\ud83d"`, `"\ud83d\u0041"`, "\"a\xe2\x82\"", `"\"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got wire.Text
		err := got.UnmarshalJSON(in)
		b := bytes.TrimSpace(in)
		var want wire.Text
		wantOK := true
		switch {
		case string(b) == "null":
		case string(b) == "true" || string(b) == "false":
			want = wire.Text(b)
		case isString(b):
			var s string
			s, wantOK = refString(b)
			want = wire.Text(s)
			if u, ok := wire.Unquote(b); ok != wantOK || u != s {
				t.Fatalf("Unquote(%q) = %q, %v; encoding/json gives %q, %v", b, u, ok, s, wantOK)
			}
		case refNumber(b):
			want = wire.Text(b)
		default:
			wantOK = false
		}
		if (err == nil) != wantOK || got != want {
			t.Fatalf("Text.UnmarshalJSON(%q) = %q, %v; encoding/json gives %q, %v", in, got, err, want, wantOK)
		}
		sameAsDirect(t, in, got, err)
	})
}

func FuzzBool(f *testing.F) {
	for _, s := range []string{`true`, `false`, `"true"`, `"false"`, `1`, `0`, `"1"`, `"0"`, `null`, `""`,
		`"yes"`, `2`, `"TRUE"`, `" true"`, `{}`, `1.0`, `"t\u0072ue"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got wire.Bool
		err := got.UnmarshalJSON(in)
		b := bytes.TrimSpace(in)
		text := string(b)
		wantOK := true
		switch {
		case text == "null":
			text = "false"
		case isString(b):
			// Only a plain string: an escape in a flag is refused.
			s, ok := refString(b)
			switch {
			case !ok || bytes.IndexByte(b, '\\') >= 0:
				wantOK = false
			case s == "":
				text = "false"
			default:
				text = s
			}
		}
		var want bool
		switch text {
		case "true", "1":
			want = true
		case "false", "0":
		default:
			wantOK = false
		}
		if (err == nil) != wantOK || (err == nil && bool(got) != want) {
			t.Fatalf("Bool.UnmarshalJSON(%q) = %v, %v; want %v, %v", in, got, err, want, wantOK)
		}
		sameAsDirect(t, in, got, err)
	})
}

func FuzzInt(f *testing.F) {
	for _, s := range []string{`2`, `"2"`, `2.0`, `"2.5"`, `null`, `""`, `1e400`, `"0x1p4"`, `"NaN"`, `true`,
		`"+5"`, `"-0"`, `9223372036854775808`, `"\u0032"`, `{}`, `"`, `9007199254740993.0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got wire.Int
		err := got.UnmarshalJSON(in)
		b := bytes.TrimSpace(in)
		var want wire.Int
		var werr error
		switch {
		case string(b) == "null":
		case isString(b):
			var s string
			if werr = json.Unmarshal(b, &s); werr == nil {
				werr = want.UnmarshalText([]byte(s))
			}
		default:
			var n json.Number
			if werr = json.Unmarshal(b, &n); werr == nil {
				werr = want.UnmarshalText(b)
			}
		}
		if (err == nil) != (werr == nil) || got != want {
			t.Fatalf("Int.UnmarshalJSON(%q) = %d, %v; want %d, %v", in, got, err, want, werr)
		}
		sameAsDirect(t, in, got, err)
		if err != nil {
			return
		}
		var back wire.Int
		if err := back.UnmarshalJSON([]byte(strconv.FormatInt(int64(got), 10))); err != nil || back != got {
			t.Fatalf("%d reads back as %d, %v", got, back, err)
		}
	})
}

// layoutLoop is how timestamps were read before Time read the text's
// shape: time.Parse with each of Layouts in turn, "=>" replaced by ':'.
func layoutLoop(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "=>") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, " =>", ":"), "=>", ":")
	}
	for _, l := range wire.Layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{
		"2017-12-12T14:49:22+00:00", "2017-12-12T14:49:22Z", "2020-02-18T15:48:38.038+01:00",
		"2020-02-18T09:48:38.123456789-05:00", "2017-12-12T16:49:22+0200", "2017-12-12T14:49:22",
		"2017-12-12T14:49:22.5", "2017-12-12 14:49:22Z", "2017-12-12 16:49:22+02:00",
		"2017-12-12 16:49:22 +02:00", "2017-12-12 11:49:22 -0300", "2017-12-12 14:49:22",
		"2016-09-09 12:32", "2018.08.16 16:21:00", "2012-11-09", "2013-03-19T12 =>39 =>51+01 =>00",
		"2013-03-19T12=>39=>51+01=>00", "2017-12-12T4:49:22Z", "2017-12-12 14:49:22,123", "2016-02-29",
		"2017-02-29", "2017-12-12T14:49:22+24:60", "2017-12-12T14:49:22+25:00", "2017-12-12T24:00:00Z",
		"2017-12-12 14:49:22 Z", "2017-12-12 14:49:22+0200", "2018.08.16", "2018.08.16 16:21",
		"2017-12-12T14:49:22.1234567891234Z", " 2017-12-12 ", "2017-12-12T14:49:60Z", "0000-01-01",
		"0000-01-01  0:00", "2017-12-12 14:49:22   -0300", "", "   ", "not a time",
	} {
		f.Add([]byte(strconv.Quote(s)))
	}
	for _, s := range []string{`null`, `12345`, `true`, `{}`, `"`, `"2017-12-12T14:49:22\u005a"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got wire.Time
		err := got.UnmarshalJSON(in)
		b := bytes.TrimSpace(in)
		var want time.Time
		wantOK := true
		switch {
		case string(b) == "null":
		case isString(b):
			var s string
			if s, wantOK = refString(b); wantOK && strings.TrimSpace(s) != "" {
				want, wantOK = layoutLoop(s)
				// ParseTime reads the string's text as the loop does.
				pt, perr := wire.ParseTime(s)
				if (perr == nil) != wantOK || !pt.Equal(want) || pt.Location() != want.Location() {
					t.Fatalf("ParseTime(%q) = %v, %v; the layout loop gives %v, %v", s, pt, perr, want, wantOK)
				}
			}
		default:
			wantOK = false
		}
		if (err == nil) != wantOK || !got.Time.Equal(want) {
			t.Fatalf("Time.UnmarshalJSON(%q) = %v, %v; want %v, %v", in, got.Time, err, want, wantOK)
		}
		if err == nil && !got.IsZero() && got.Location() != time.UTC {
			t.Fatalf("Time.UnmarshalJSON(%q) is in %v, not UTC", in, got.Location())
		}
		sameAsDirect(t, in, got, err)
		if err != nil {
			return
		}
		out, err := got.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back wire.Time
		if err := back.UnmarshalJSON(out); err != nil || !back.Time.Equal(got.Time) {
			t.Fatalf("%v → %s → %v, %v", got.Time, out, back.Time, err)
		}
	})
}
