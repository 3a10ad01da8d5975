package orderkit

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCP1252(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		r    rune
		b    byte
		have bool
	}{
		{'A', 'A', true}, {'€', 0x80, true}, {'‚', 0x82, true}, {'„', 0x84, true}, {'…', 0x85, true},
		{'Š', 0x8A, true}, {'Œ', 0x8C, true}, {'Ž', 0x8E, true}, {'‘', 0x91, true}, {'’', 0x92, true},
		{'“', 0x93, true}, {'”', 0x94, true}, {'–', 0x96, true}, {'—', 0x97, true}, {'™', 0x99, true},
		{'Ÿ', 0x9F, true}, {'\u00a0', 0xA0, true}, {'ä', 0xE4, true}, {'Ü', 0xDC, true}, {'ß', 0xDF, true},
		{'ÿ', 0xFF, true},
		// C1 controls are not characters of 1252, nor are these.
		{'\u0080', 0, false}, {'\u0081', 0, false}, {'\u009f', 0, false}, {'ł', 0, false}, {'Ω', 0, false},
		{'😀', 0, false}, {'\uFFFD', 0, false},
	} {
		b, ok := cp1252Byte(tt.r)
		assert.Equal(t, tt.have, ok, "%U", tt.r)
		assert.Equal(t, tt.b, b, "%U", tt.r)
		if ok {
			r, ok := cp1252Rune(b)
			assert.True(t, ok)
			assert.Equal(t, tt.r, r, "round trip of %U", tt.r)
		}
	}
	// Every byte but the five undefined ones decodes and encodes back.
	for i := 0; i < 256; i++ {
		r, ok := cp1252Rune(byte(i))
		undefined := i == 0x81 || i == 0x8D || i == 0x8F || i == 0x90 || i == 0x9D
		assert.Equal(t, !undefined, ok, "byte 0x%02X", i)
		if ok {
			b, ok := cp1252Byte(r)
			assert.True(t, ok)
			assert.Equal(t, byte(i), b)
		}
	}
	assert.Equal(t, []byte{'"', 0x80, ' ', 0x84, 'x', 0x93, '"', '?'}, appendCP1252(nil, `"€ „x“"ł`))
}

func TestBelegfeld1(t *testing.T) {
	t.Parallel()
	long := "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789XYZ"
	for _, tt := range []struct {
		in, want      string
		replaced, cut bool
	}{
		{"1002", "1002", false, false},
		{"R-2024-0301", "R-2024-0301", false, false},
		{"a_b$c%d/e-f", "a_b$c%d/e-f", false, false},
		{"Bestellung Nr. 5", "Bestellung-Nr--5", true, false},
		{"Müller;Größe:1,2", "Mueller-Groesse-1-2", true, false},
		{"ÄÖÜ", "AeOeUe", true, false},
		{`"x"` + "\n\x00", "-x---", true, false},
		{"€7", "-7", true, false},
		{long, long[:36], false, true},
		{"ä" + long, ("ae" + long)[:36], true, true},
		{"", "", false, false},
	} {
		got, replaced, cut := belegfeld1(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		assert.Equal(t, tt.replaced, replaced, "replaced %q", tt.in)
		assert.Equal(t, tt.cut, cut, "cut %q", tt.in)
	}
}

func TestDATEVText(t *testing.T) {
	t.Parallel()
	c := &datevConfig{}
	sixty := "123456789 123456789 123456789 123456789 123456789 123456789 "
	for _, tt := range []struct {
		in, want string
		max      int
		notice   string // "" for none
	}{
		{"Kaffee 500 g", "Kaffee 500 g", 60, ""},
		{"Preis 5 €", "Preis 5 €", 60, ""},
		{`Sagt "ja"`, `Sagt "ja"`, 60, ""},
		{"a\tb\nc\r\x00d\x7fe\u0085f", "a b c  d e f", 60, "control characters written as spaces"},
		{"Łódź", "?ód?", 60, `characters Windows-1252 does not have written as '?'`},
		{"x\xff\xfey", "x??y", 60, `characters Windows-1252 does not have written as '?'`},
		{sixty, sixty[:60], 60, ""},
		{sixty + "x", sixty[:60], 60, "cut to 60 characters"},
		// A quote counts twice: it is written doubled.
		{`12345678"9`, `12345678`, 9, "cut to 9 characters"},
		{`1234567"9`, `1234567"`, 9, "cut to 9 characters"},
		{`1234567"`, `1234567"`, 9, ""},
		{"äöüÄÖÜß€", "äöüÄÖ", 5, "cut to 5 characters"},
	} {
		var notices []string
		got := c.text("Buchungstext", tt.in, tt.max, func(field, was, now, reason string) {
			assert.Equal(t, "Buchungstext", field)
			assert.Equal(t, tt.in, was)
			notices = append(notices, reason)
		})
		assert.Equal(t, tt.want, got, "%q", tt.in)
		if tt.notice == "" {
			assert.Empty(t, notices, "%q", tt.in)
		} else if assert.Len(t, notices, 1, "%q", tt.in) {
			assert.Contains(t, notices[0], tt.notice, "%q", tt.in)
		}
		escaped := len(quote(got)) - 2
		for _, r := range got {
			if r > 0x7F {
				escaped -= len(string(r)) - 1 // one byte in 1252
			}
		}
		assert.LessOrEqual(t, escaped, tt.max, "%q written is %d characters", tt.in, escaped)
	}
}

func TestDefaultRevenueAccounts(t *testing.T) {
	t.Parallel()
	show := func(a []RevenueAccount) string {
		s := ""
		for _, r := range a {
			s += fmt.Sprintf("%s:%d:%v:%s ", r.Rate, r.Account, r.Automatic, r.TaxKey)
		}
		return s
	}
	assert.Equal(t, "19:8400:true: 7:8300:true: 0:8200:false: ", show(DefaultRevenueAccounts(SKR03, 4)))
	assert.Equal(t, "19:4400:true: 7:4300:true: 0:4200:false: ", show(DefaultRevenueAccounts(SKR04, 4)))
	assert.Equal(t, "19:84000:true: 7:83000:true: 0:82000:false: ", show(DefaultRevenueAccounts(SKR03, 5)))
	assert.Equal(t, "19:44000000:true: 7:43000000:true: 0:42000000:false: ", show(DefaultRevenueAccounts(SKR04, 8)))
	assert.Nil(t, DefaultRevenueAccounts(SKR03, 3))
	assert.Nil(t, DefaultRevenueAccounts("49", 4))
}
