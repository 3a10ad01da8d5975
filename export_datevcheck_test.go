package orderkit_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds DATEV's field rules as a reader of the file sees them,
// written from DATEV's published regular expressions and limits (EXTF
// header version 700, Buchungsstapel format version 13), independently of
// the writer. RE2 has no look-ahead, so "never 0,00" and "never all zeros"
// are checked beside the expressions.

// cp1252Undefined are the five bytes Windows-1252 leaves undefined.
var cp1252Undefined = map[byte]bool{0x81: true, 0x8D: true, 0x8F: true, 0x90: true, 0x9D: true}

// cp1252Decode decodes Windows-1252 (for the headings and texts in tests).
func cp1252Decode(b []byte) string {
	high := []rune{'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
		0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ'}
	var s strings.Builder
	for _, c := range b {
		if c >= 0x80 && c <= 0x9F {
			s.WriteRune(high[c-0x80])
		} else {
			s.WriteRune(rune(c))
		}
	}
	return s.String()
}

var headerRules = map[int]string{
	1: `^"(EXTF|DTVF)"$`, 2: `^700$`, 3: `^21$`, 4: `^"Buchungsstapel"$`, 5: `^13$`, 6: `^\d{17}$`, 7: `^$`,
	8: `^"\w{0,2}"$`, 9: `^"\w{0,25}"$`, 10: `^"\w{0,25}"$`, 11: `^(\d{4,6}|\d{7})$`, 12: `^\d{1,5}$`, 13: `^\d{8}$`,
	14: `^[4-8]$`, 15: `^\d{8}$`, 16: `^\d{8}$`, 17: `^"[\pL\d_./ ]{0,30}"$`, 18: `^"([A-Z]{2}){0,2}"$`, 19: `^[12]$`,
	20: `^(0|30|40|50|64)$`, 21: `^(0|1)$`, 22: `^"[A-Z]{3}"$`, 23: `^$`, 24: `^""$`, 25: `^$`, 26: `^$`,
	27: `^"(\d{2}){0,2}"$`, 28: `^\d{0,4}$`, 29: `^$`, 30: `^""$`, 31: `^".{0,16}"$`,
}

// The booking columns the writer fills, with DATEV's rule for each.
var bookingRules = map[int]string{
	1:   `^\d{1,10},\d{2}$`,                 // Umsatz, never 0,00 (checked apart)
	2:   `^"[SH]"$`,                         // Soll/Haben-Kennzeichen
	3:   `^"([A-Z]{3})?"$`,                  // WKZ Umsatz
	7:   `^\d{1,9}$`,                        // Konto, never all zeros
	8:   `^\d{1,9}$`,                        // Gegenkonto, never all zeros
	9:   `^"\d{0,4}"$`,                      // BU-Schlüssel
	10:  `^\d{4}$`,                          // Belegdatum TTMM
	11:  `^"[A-Za-z0-9_$%/-]{0,36}"$`,       // Belegfeld 1
	14:  `^"([^"\x00-\x1f\x7f]|""){0,60}"$`, // Buchungstext
	21:  `^"([^"\x00-\x1f\x7f]|""){0,20}"$`, // Beleginfo - Art 1
	22:  `^"([^"\x00-\x1f\x7f]|""){0,210}"$`,
	114: `^(0|1)$`, // Festschreibung, never empty
}

// The text columns of a booking (quoted, "" when empty); every other
// column is unquoted and empty when not filled.
var textColumns = func() map[int]bool {
	m := map[int]bool{}
	for _, c := range []int{2, 3, 6, 9, 11, 12, 14, 16, 20, 37, 38, 40, 42, 91, 95, 96, 98, 102, 103, 105, 107, 109, 110, 112, 118, 120, 121, 123} {
		m[c] = true
	}
	for c := 21; c <= 36; c++ {
		m[c] = true
	}
	for c := 48; c <= 87; c++ {
		m[c] = true
	}
	return m
}()

// compiled holds every rule compiled once, before the tests run in
// parallel (the map is only read afterwards).
var compiled = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{`^""$`: regexp.MustCompile(`^""$`), `^$`: regexp.MustCompile(`^$`)}
	for _, rules := range []map[int]string{headerRules, bookingRules} {
		for _, e := range rules {
			m[e] = regexp.MustCompile(e)
		}
	}
	return m
}()

func rule(expr string) *regexp.Regexp { return compiled[expr] }

// splitFields splits a line at the semicolons outside quotes.
func splitFields(line string) []string {
	var out []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			in = !in
			cur.WriteByte(c)
		case c == ';' && !in:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, cur.String())
}

// unquote returns a text field's content, quotes undoubled.
func unquote(f string) string {
	return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(f, `"`), `"`), `""`, `"`)
}

// datevFile is a checked file: its header fields and its bookings' fields
// (raw, as in the file).
type datevFile struct {
	header   []string
	bookings [][]string
}

// checkDATEV checks a whole file against DATEV's rules and returns its
// fields; the error names the first rule broken.
func checkDATEV(b []byte) (*datevFile, error) {
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		return nil, fmt.Errorf("the file does not end with CRLF")
	}
	for i, c := range b {
		switch {
		case cp1252Undefined[c]:
			return nil, fmt.Errorf("byte %d: 0x%02X is undefined in Windows-1252", i, c)
		case c == '\r':
			if i+1 >= len(b) || b[i+1] != '\n' {
				return nil, fmt.Errorf("byte %d: CR without LF", i)
			}
		case c == '\n':
			if i == 0 || b[i-1] != '\r' {
				return nil, fmt.Errorf("byte %d: LF without CR", i)
			}
		case c < 0x20 || c == 0x7F:
			return nil, fmt.Errorf("byte %d: control character 0x%02X", i, c)
		}
	}
	// From here on the file is read as DATEV reads it: as Windows-1252 text.
	lines := strings.Split(strings.TrimSuffix(cp1252Decode(b), "\r\n"), "\r\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("%d lines: want a header and the column headings", len(lines))
	}
	f := &datevFile{header: splitFields(lines[0])}
	if len(f.header) != 31 {
		return nil, fmt.Errorf("header: %d fields, want 31", len(f.header))
	}
	for i, v := range f.header {
		if !rule(headerRules[i+1]).MatchString(v) {
			return nil, fmt.Errorf("header field %d %q breaks %s", i+1, v, headerRules[i+1])
		}
	}
	if n, _ := strconv.Atoi(f.header[10]); n < 1001 || n > 9999999 {
		return nil, fmt.Errorf("header: Beraternummer %d outside 1001–9999999", n)
	}
	if n, _ := strconv.Atoi(f.header[11]); n < 1 || n > 99999 {
		return nil, fmt.Errorf("header: Mandantennummer %d outside 1–99999", n)
	}
	day := func(s string) (time.Time, error) { return time.Parse("20060102", s) }
	fy, err1 := day(f.header[12])
	from, err2 := day(f.header[14])
	to, err3 := day(f.header[15])
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, fmt.Errorf("header: a date is not YYYYMMDD: %v %v %v", err1, err2, err3)
	}
	if fy.Day() != 1 || from.Before(fy) || to.Before(from) || !to.Before(fy.AddDate(1, 0, 0)) {
		return nil, fmt.Errorf("header: period %s–%s outside the fiscal year from %s", f.header[14], f.header[15], f.header[12])
	}
	if _, err := time.Parse("20060102150405.000", f.header[5][:14]+"."+f.header[5][14:]); err != nil {
		return nil, fmt.Errorf("header: Erzeugt am %s: %v", f.header[5], err)
	}
	length, _ := strconv.Atoi(f.header[13])
	if got := splitFields(lines[1]); len(got) != 125 {
		return nil, fmt.Errorf("column headings: %d, want 125", len(got))
	} else if unquote(got[0]) != "Umsatz (ohne Soll/Haben-Kz)" || unquote(got[124]) != "Abw. Skontokonto" ||
		unquote(got[7]) != "Gegenkonto (ohne BU-Schlüssel)" {
		return nil, fmt.Errorf("column headings: %q … %q", got[0], got[124])
	}
	for n, line := range lines[2:] {
		fs := splitFields(line)
		if len(fs) != 125 {
			return nil, fmt.Errorf("booking %d: %d fields, want 125", n+1, len(fs))
		}
		for i, v := range fs {
			col := i + 1
			expr, filled := bookingRules[col]
			switch {
			case filled:
			case textColumns[col]:
				expr = `^""$`
			default:
				expr = `^$`
			}
			if !rule(expr).MatchString(v) {
				return nil, fmt.Errorf("booking %d column %d %q breaks %s", n+1, col, v, expr)
			}
			if textColumns[col] && len(v) >= 2 {
				if max := map[int]int{11: 36, 14: 60, 21: 20, 22: 210}[col]; max > 0 && utf8.RuneCountInString(v)-2 > max {
					return nil, fmt.Errorf("booking %d column %d: %d characters between the quotes, more than %d", n+1, col, utf8.RuneCountInString(v)-2, max)
				}
			}
		}
		if strings.Trim(fs[0], "0,") == "" {
			return nil, fmt.Errorf("booking %d: Umsatz %s is zero", n+1, fs[0])
		}
		for _, col := range []int{7, 8} {
			acc := fs[col-1]
			if strings.Trim(acc, "0") == "" || len(acc) > length+1 {
				return nil, fmt.Errorf("booking %d: account %s does not fit Sachkontenlänge %d", n+1, acc, length)
			}
		}
		if len(fs[7]) > length {
			return nil, fmt.Errorf("booking %d: Gegenkonto %s is longer than a Sachkonto of %d digits", n+1, fs[7], length)
		}
		dd, _ := strconv.Atoi(fs[9][:2])
		mm, _ := strconv.Atoi(fs[9][2:])
		found := false
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			found = found || (d.Day() == dd && int(d.Month()) == mm)
		}
		if !found {
			return nil, fmt.Errorf("booking %d: Belegdatum %s outside the period %s–%s", n+1, fs[9], f.header[14], f.header[15])
		}
		if fs[113] != f.header[20] {
			return nil, fmt.Errorf("booking %d: Festschreibung %s, the header says %s", n+1, fs[113], f.header[20])
		}
		f.bookings = append(f.bookings, fs)
	}
	return f, nil
}
