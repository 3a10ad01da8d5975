package orderkit

// Windows-1252 (code page 1252, "ANSI" on German Windows) is the character
// set DATEV reads an EXTF file in. It is Latin-1 except for 0x80–0x9F,
// where Latin-1 has control characters and 1252 has €, the typographic
// quotes and dashes, Š, Ž, Œ, Ÿ and a few more. Writing Latin-1 instead
// turns € into "?"; this table is why it does not.

// cp1252High maps the bytes 0x80–0x9F to the characters they stand for in
// Windows-1252; 0 marks the five bytes the code page leaves undefined
// (0x81, 0x8D, 0x8F, 0x90, 0x9D).
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 0x80–0x87
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0, // 0x88–0x8F
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 0x90–0x97
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178, // 0x98–0x9F
}

// cp1252Byte returns the Windows-1252 byte of r; ok is false for a
// character the code page does not have. The C1 control characters
// U+0080–U+009F are not in it (their bytes mean other characters).
func cp1252Byte(r rune) (b byte, ok bool) {
	switch {
	case r < 0x80:
		return byte(r), true
	case r >= 0xA0 && r <= 0xFF:
		return byte(r), true
	case r < 0xA0:
		return 0, false
	}
	for i, c := range cp1252High {
		if c == r {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}

// cp1252Rune returns the character of a Windows-1252 byte; ok is false for
// the five undefined bytes.
func cp1252Rune(b byte) (r rune, ok bool) {
	if b >= 0x80 && b <= 0x9F {
		r = cp1252High[b-0x80]
		return r, r != 0
	}
	return rune(b), true
}

// appendCP1252 appends s in Windows-1252. Every character of s must be in
// the code page (the field writers make sure of it); one that is not
// becomes cp1252Substitute all the same, so the output is always 1252.
func appendCP1252(dst []byte, s string) []byte {
	for _, r := range s {
		b, ok := cp1252Byte(r)
		if !ok {
			b = cp1252Substitute
		}
		dst = append(dst, b)
	}
	return dst
}

// cp1252Substitute replaces, in a DATEV text field, a character that
// Windows-1252 does not have ("ł", "Ω", an emoji, invalid UTF-8). Every
// replacement is reported as a Notice.
const cp1252Substitute = '?'
