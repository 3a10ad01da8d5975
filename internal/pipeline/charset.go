package pipeline

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// charsetReader lets XML answers declare ISO-8859-1 (Latin-1) or US-ASCII,
// as older systems do, besides UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii":
		return &latin1Reader{r: bufio.NewReader(in)}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

// latin1Reader turns ISO-8859-1 bytes (each one a code point) into UTF-8.
type latin1Reader struct {
	r   *bufio.Reader
	buf [utf8.UTFMax]byte
	n   int // pending bytes in buf
	off int
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		if l.off < l.n {
			c := copy(p[written:], l.buf[l.off:l.n])
			l.off += c
			written += c
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if written > 0 {
				return written, nil
			}
			return 0, err
		}
		if b < utf8.RuneSelf {
			p[written] = b
			written++
			continue
		}
		l.n = utf8.EncodeRune(l.buf[:], rune(b))
		l.off = 0
	}
	return written, nil
}
