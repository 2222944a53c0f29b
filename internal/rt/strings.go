package rt

import (
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Strings are read a word (8 bytes) at a time: a few arithmetic operations
// tell whether any byte of the word ends the run of bytes that need no
// decoding, and which one comes first. A string without escapes is a
// substring of the payload, with no allocation; one with escapes is decoded
// in one pass that copies each run between escapes whole, straight into the
// decoder's arena of decoded strings: an escaped string costs at most one
// allocation, and small ones share theirs (see unquote).

const (
	lsb = 0x0101010101010101 // the low bit of every byte of a word
	msb = 0x8080808080808080 // the high bit of every byte of a word
)

// load8 reads s[i:i+8] as a little-endian word; the compiler makes it one
// load.
func load8(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// stops marks, with the high bit of each byte, the bytes of the word x that
// end a run: '"', '\\' and control bytes and, when high is set, bytes of
// multi-byte UTF-8. A borrow can mark a byte above the first marked one,
// never below it, so the lowest mark is exact.
func stops(x uint64, high bool) uint64 {
	q := x ^ (lsb * '"')
	b := x ^ (lsb * '\\')
	m := (q - lsb) &^ q
	m |= (b - lsb) &^ b
	m |= (x - lsb*0x20) &^ x
	if high {
		m |= x
	}
	return m & msb
}

// scan returns the offset from i of the first byte of s that stops a run,
// as stops defines it, or len(s).
func scan(s string, i int, high bool) int {
	for ; i+8 <= len(s); i += 8 {
		if m := stops(load8(s, i), high); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 || high && c >= utf8.RuneSelf {
			return i
		}
	}
	return i
}

// str reads a string value. It returns false, consuming nothing, when the
// next value is not a string. Invalid UTF-8 and lone surrogates become
// U+FFFD, as encoding/json decodes them.
func (d *decoder) str() (string, bool) {
	if d.kindOf() != kindString {
		return "", false
	}
	start := d.i + 1
	for i := start; ; {
		i = scan(d.s, i, true)
		if i >= len(d.s) {
			d.i = i
			d.syntax("unexpected end of JSON input in string")
			return "", false
		}
		switch c := d.s[i]; {
		case c == '"':
			d.i = i + 1
			return d.s[start:i], true
		case c == '\\':
			return d.unquote(start, i)
		case c < 0x20:
			d.i = i
			d.syntax("control character in string")
			return "", false
		default:
			r, size := utf8.DecodeRuneInString(d.s[i:])
			if r == utf8.RuneError && size == 1 {
				return d.unquote(start, i)
			}
			i += size
		}
	}
}

// skipString consumes a string value, checking its syntax without decoding
// it: a skipped string costs no allocation.
func (d *decoder) skipString() {
	for i := d.i + 1; ; {
		i = scan(d.s, i, false)
		if i >= len(d.s) {
			d.i = i
			d.syntax("unexpected end of JSON input in string")
			return
		}
		switch d.s[i] {
		case '"':
			d.i = i + 1
			return
		case '\\':
			n, msg := escapeLen(d.s, i)
			if n == 0 {
				d.i = i
				if msg == "" {
					d.i = len(d.s)
					msg = "unexpected end of JSON input in string"
				}
				d.syntax(msg)
				return
			}
			i += n
		default:
			d.i = i
			d.syntax("control character in string")
			return
		}
	}
}

// endOfString returns the offset of the quote that closes the string whose
// opening quote is at s[i], or len(s), without checking the string.
func endOfString(s string, i int) int {
	for i++; ; {
		i = scan(s, i, false)
		switch {
		case i >= len(s):
			return len(s)
		case s[i] == '"':
			return i
		case s[i] == '\\':
			i += 2
		default:
			i++
		}
	}
}

// escapeLen returns the length of the escape at s[i], which is '\\', or 0
// and what is wrong with it ("" at the end of the input).
func escapeLen(s string, i int) (int, string) {
	if i+1 >= len(s) {
		return 0, ""
	}
	switch s[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, ""
	case 'u':
		if _, ok := hex4(s, i+2); !ok {
			return 0, "invalid \\u escape in string"
		}
		return 6, ""
	}
	return 0, "invalid escape in string"
}

// unquote is the slow path of str, for a string with escapes or invalid
// UTF-8: s[start:i] needs no decoding, and s[i] is the first byte that does.
// The decoded string is at most as long as its literal (only invalid UTF-8
// grows, by two bytes a byte), so room for it is made before it is written.
func (d *decoder) unquote(start, i int) (string, bool) {
	room := endOfString(d.s, start-1) - start
	if room > maxChunk/2 {
		var b strings.Builder // a large string has its own allocation
		b.Grow(room)
		b.WriteString(d.s[start:i])
		if !d.decodeString(&b, i) {
			return "", false
		}
		return b.String(), true
	}
	if d.strs.Cap()-d.strs.Len() < room {
		size := min(max(2*d.strs.Cap(), minChunk), maxChunk)
		for size < 2*room {
			size *= 2
		}
		d.strs = strings.Builder{} // the strings kept so far keep their chunk
		d.strs.Grow(size)
	}
	at := d.strs.Len()
	d.strs.WriteString(d.s[start:i])
	if !d.decodeString(&d.strs, i) {
		return "", false
	}
	return d.strs.String()[at:], true
}

// decodeString decodes from s[i] to the closing quote, writing to b.
func (d *decoder) decodeString(b *strings.Builder, i int) bool {
	s := d.s
	for {
		// Runs of valid UTF-8 are copied whole; only invalid bytes, which
		// become U+FFFD, are looked at one by one.
		j := scan(s, i, false)
		if run := s[i:j]; utf8.ValidString(run) {
			b.WriteString(run)
		} else {
			writeReplacingInvalid(b, run)
		}
		i = j
		if i >= len(s) {
			d.i = i
			d.syntax("unexpected end of JSON input in string")
			return false
		}
		switch s[i] {
		case '"':
			d.i = i + 1
			return true
		case '\\':
			n, msg := escapeLen(s, i)
			if n == 0 {
				d.i = i
				if msg == "" {
					d.i = len(s)
					msg = "unexpected end of JSON input in string"
				}
				d.syntax(msg)
				return false
			}
			if n == 2 {
				b.WriteByte(unescape[s[i+1]])
				i += 2
				continue
			}
			r, _ := hex4(s, i+2)
			i += 6
			if utf16.IsSurrogate(r) {
				// A valid pair makes one rune; anything else is U+FFFD, and
				// what follows is read on its own, as encoding/json does.
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if r2, ok := hex4(s, i+2); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							b.WriteRune(dec)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
		default:
			d.i = i
			d.syntax("control character in string")
			return false
		}
	}
}

// writeReplacingInvalid writes run with each byte that is not part of
// valid UTF-8 replaced by U+FFFD.
func writeReplacingInvalid(b *strings.Builder, run string) {
	for len(run) > 0 {
		r, size := utf8.DecodeRuneInString(run)
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(run[:size])
		}
		run = run[size:]
	}
}

// Decoded strings of up to half a chunk share chunks that start at
// minChunk bytes and double up to maxChunk; larger ones are allocated
// alone. A chunk lives as long as any string in it.
const (
	minChunk = 256
	maxChunk = 16 << 10
)

// unescape maps the letter of a two-byte escape to the byte it stands for.
var unescape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 reads the four hexadecimal digits at s[i:i+4].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
