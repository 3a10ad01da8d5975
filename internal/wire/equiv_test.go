package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The implementations these leaves had before they read their own bytes:
// json.Unmarshal for strings and numbers, and time.Parse tried layout by
// layout. The fuzz targets below hold the new ones to the same answers.

func oldParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	// VersaCommerce's "=>" for ':' went through this replacement before.
	if strings.Contains(s, "=>") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, " =>", ":"), "=>", ":")
	}
	for _, l := range Layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func oldID(b []byte) (ID, bool) {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return "", true
	case len(b) > 0 && b[0] == '"':
		var s string
		if json.Unmarshal(b, &s) != nil {
			return "", false
		}
		return ID(s), true
	}
	var n json.Number
	if json.Unmarshal(b, &n) != nil {
		return "", false
	}
	return ID(n.String()), true
}

var timeSeeds = []string{
	"2017-12-12T14:49:22+00:00", "2017-12-12T14:49:22Z", "2020-02-18T15:48:38.038+01:00",
	"2020-02-18T09:48:38.123456789-05:00", "2017-12-12T16:49:22+0200", "2017-12-12T14:49:22",
	"2017-12-12T14:49:22.5", "2017-12-12 14:49:22Z", "2017-12-12 16:49:22+02:00",
	"2017-12-12 16:49:22 +02:00", "2017-12-12 11:49:22 -0300", "2017-12-12 14:49:22",
	"2016-09-09 12:32", "2018.08.16 16:21:00", "2012-11-09", "2013-03-19T12 =>39 =>51+01 =>00",
	"2013-03-19T12=>39=>51+01=>00", "2017-12-12T4:49:22Z", "2017-12-12 14:49:22,123", "2016-02-29",
	"2017-02-29", "2017-12-12T14:49:22+24:60", "2017-12-12T14:49:22+25:00", "2017-12-12T24:00:00Z",
	"2017-12-12 14:49:22 Z", "2017-12-12 14:49:22+0200", "2018.08.16", "2018.08.16 16:21",
	"2017-12-12T14:49:22.1234567891234Z", " 2017-12-12 ", "2017-12-12T14:49:60Z", "0000-01-01", "0000-01-01  0:00", "2017-12-12 14:49:22   -0300",
}

func TestTimeMatchesLayoutLoop(t *testing.T) {
	for _, s := range timeSeeds {
		checkTime(t, s)
	}
}

func FuzzTimeMatchesLayoutLoop(f *testing.F) {
	for _, s := range timeSeeds {
		f.Add(s)
	}
	f.Fuzz(checkTime)
}

func checkTime(t *testing.T, s string) {
	want, wantOK := oldParseTime(s)
	got, err := ParseTime(s)
	if (err == nil) != wantOK || !got.Equal(want) || got.Location() != want.Location() {
		t.Fatalf("ParseTime(%q) = %v, %v; the layout loop gives %v, %v", s, got, err, want, wantOK)
	}
	var v Time
	err = v.UnmarshalText([]byte(s))
	if strings.TrimSpace(s) == "" {
		wantOK = true
	}
	if (err == nil) != wantOK || !v.Time.Equal(want) {
		t.Fatalf("UnmarshalText(%q) = %v, %v; want %v, %v", s, v.Time, err, want, wantOK)
	}
}

func FuzzIDMatchesUnmarshal(f *testing.F) {
	for _, s := range []string{`953`, `"953"`, `null`, `"abc-1"`, `1.5e3`, `true`, `{}`, `"007"`, `"a\u00e9\n"`, `"\xff"`, `-0`, `01`, `1.`, `-`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want, wantOK := oldID(in)
		var got ID
		err := got.UnmarshalJSON(in)
		if (err == nil) != wantOK || got != want {
			t.Fatalf("ID.UnmarshalJSON(%q) = %q, %v; json.Unmarshal gives %q, %v", in, got, err, want, wantOK)
		}
		// Unquote agrees with encoding/json on every string.
		var s string
		uerr := json.Unmarshal(bytes.TrimSpace(in), &s)
		us, ok := Unquote(in)
		isString := len(bytes.TrimSpace(in)) > 0 && bytes.TrimSpace(in)[0] == '"'
		if isString && ((uerr == nil) != ok || us != s) {
			t.Fatalf("Unquote(%q) = %q, %v; json.Unmarshal gives %q, %v", in, us, ok, s, uerr)
		}
	})
}

func FuzzIntMatchesUnmarshal(f *testing.F) {
	for _, s := range []string{`2`, `"2"`, `2.0`, `"2.5"`, `null`, `""`, `1e400`, `"0x1p4"`, `"NaN"`, `true`, `"+5"`, `"-0"`, `9223372036854775808`, `"\u0032"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var got Int
		err := got.UnmarshalJSON(in)
		b := bytes.TrimSpace(in)
		var want Int
		var werr error
		switch {
		case string(b) == "null":
		case len(b) > 0 && b[0] == '"':
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
		if (err == nil) != (werr == nil) || (err == nil && got != want) {
			t.Fatalf("Int.UnmarshalJSON(%q) = %d, %v; want %d, %v", in, got, err, want, werr)
		}
	})
}
