package rt

import (
	"math"
	"strconv"
	"strings"
)

// decoder reads one JSON payload in a single pass. The generated decoders
// drive it: they ask for the value they expect and fall back to kindOf and
// skip when something else is there. Strings are substrings of the payload
// (which Parse converts to a string once), so a string without escapes costs
// no allocation.
//
// A syntax error stops decoding: err is set and every later read fails.
// Validation problems are collected in the embedded checker and decoding goes
// on, so that one Parse reports every problem.
type decoder struct {
	checker
	s     string
	i     int
	depth int
	err   *SyntaxError
	// dup is set when an object repeats a key. JSON Schema sees the last
	// occurrence only (as encoding/json does), so Parse decodes such a payload
	// again from its canonical form rather than mixing both occurrences.
	dup bool
	// strs holds the strings decoded from escapes, several to an
	// allocation (see unquote).
	strs strings.Builder
}

// maxDepth bounds nesting as encoding/json does, so a hostile payload cannot
// exhaust the stack.
const maxDepth = 10000

// jsonKind is the JSON type of a value, as JSON Schema names it.
type jsonKind uint8

const (
	kindInvalid jsonKind = iota
	kindNull
	kindBoolean
	kindNumber
	kindString
	kindArray
	kindObject
)

var kindNames = [...]string{"invalid JSON", "null", "boolean", "number", "string", "array", "object"}

func (k jsonKind) String() string { return kindNames[k] }

func (d *decoder) syntax(msg string) {
	if d.err == nil {
		d.err = &SyntaxError{Offset: d.i, Msg: msg}
	}
	d.i = len(d.s)
}

func (d *decoder) ws() {
	// On locals, so that a run of indentation does not store d.i per byte.
	s, i := d.s, d.i
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	d.i = i
}

// kindOf reports the kind of the next value without consuming it.
func (d *decoder) kindOf() jsonKind {
	d.ws()
	if d.i >= len(d.s) {
		return kindInvalid
	}
	switch c := d.s[d.i]; {
	case c == '"':
		return kindString
	case c == '{':
		return kindObject
	case c == '[':
		return kindArray
	case c == 't' || c == 'f':
		return kindBoolean
	case c == 'n':
		return kindNull
	case c == '-' || (c >= '0' && c <= '9'):
		return kindNumber
	}
	return kindInvalid
}

// end checks that only white space follows the top-level value.
func (d *decoder) end() {
	d.ws()
	if d.err == nil && d.i < len(d.s) {
		d.syntax("data after the JSON value")
	}
}

// object consumes '{' and reports whether the next value was an object.
func (d *decoder) object() bool {
	if d.kindOf() != kindObject {
		return false
	}
	d.i++
	d.depth++
	if d.depth > maxDepth {
		d.syntax("nesting too deep")
		return false
	}
	return true
}

// openObject opens the object at key and enters it, or records that the
// value at key is not an object: the prologue of every generated decoder
// of an object.
func (d *decoder) openObject(key string) bool { return d.enterOpened(d.object(), key, "object") }

// openArray is openObject for an array.
func (d *decoder) openArray(key string) bool { return d.enterOpened(d.array(), key, "array") }

// enterOpened enters the value at key when object or array opened it
// (opened), or records that it is not of the kind expected.
func (d *decoder) enterOpened(opened bool, key, kind string) bool {
	if !opened {
		d.mismatch(key, kind)
		return false
	}
	d.enter(key)
	return true
}

// next reads the next key of an object opened by openObject into *k, as
// key does, so that a decoder's loop fits its header:
//
//	for k, first := "", true; d.next(&first, &k); {
func (d *decoder) next(first *bool, k *string) bool {
	var ok bool
	*k, ok = d.key(first)
	return ok
}

// key reads the next key of an object opened by object, with its ':'.
// It returns false at the closing '}' or on a syntax error. first must point
// to a variable set to true before the loop.
func (d *decoder) key(first *bool) (string, bool) {
	d.ws()
	if d.i >= len(d.s) {
		d.syntax("unexpected end of JSON input")
		return "", false
	}
	if *first {
		*first = false
		if d.s[d.i] == '}' {
			d.i++
			d.depth--
			return "", false
		}
	} else {
		switch d.s[d.i] {
		case '}':
			d.i++
			d.depth--
			return "", false
		case ',':
			d.i++
			d.ws()
		default:
			d.syntax("expected ',' or '}' after object value")
			return "", false
		}
	}
	k, ok := d.str()
	if !ok {
		d.syntax("expected a string for an object key")
		return "", false
	}
	d.ws()
	if d.i >= len(d.s) || d.s[d.i] != ':' {
		d.syntax("expected ':' after object key")
		return "", false
	}
	d.i++
	return k, true
}

// members counts the members of the object (or the elements of the array)
// that object (or array) has just opened, without consuming them, so that
// the storage for them is made once. It looks only at the structure: on
// malformed input the count is a hint, and decoding reports the error.
func (d *decoder) members() int {
	s := d.s
	i := d.i
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	if i >= len(s) || s[i] == '}' || s[i] == ']' {
		return 0
	}
	n, depth := 1, 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '"':
			i = endOfString(s, i)
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return n
			}
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		}
	}
	return n
}

// array consumes '[' and reports whether the next value was an array.
func (d *decoder) array() bool {
	if d.kindOf() != kindArray {
		return false
	}
	d.i++
	d.depth++
	if d.depth > maxDepth {
		d.syntax("nesting too deep")
		return false
	}
	return true
}

// elem reports whether another element follows in an array opened by array.
func (d *decoder) elem(first *bool) bool {
	d.ws()
	if d.i >= len(d.s) {
		d.syntax("unexpected end of JSON input")
		return false
	}
	if d.s[d.i] == ']' {
		d.i++
		d.depth--
		return false
	}
	if *first {
		*first = false
		return true
	}
	if d.s[d.i] != ',' {
		d.syntax("expected ',' or ']' after array element")
		return false
	}
	d.i++
	return true
}

// number reads a number literal, checking its grammar. It returns false,
// consuming nothing, when the next value is not a number.
func (d *decoder) number() (string, bool) {
	if d.kindOf() != kindNumber {
		return "", false
	}
	start := d.i
	i := start
	if d.s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d.s) && d.s[i] == '0':
		i++
	case digits() == 0:
		d.i = i
		d.syntax("invalid number")
		return "", false
	}
	if i < len(d.s) && d.s[i] == '.' {
		i++
		if digits() == 0 {
			d.i = i
			d.syntax("invalid number: no digits after '.'")
			return "", false
		}
	}
	if i < len(d.s) && (d.s[i] == 'e' || d.s[i] == 'E') {
		i++
		if i < len(d.s) && (d.s[i] == '+' || d.s[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.i = i
			d.syntax("invalid number: no digits in exponent")
			return "", false
		}
	}
	d.i = i
	return d.s[start:i], true
}

// boolean reads true or false. It returns false, false, consuming nothing,
// when the next value is not a boolean.
func (d *decoder) boolean() (v, ok bool) {
	if d.kindOf() != kindBoolean {
		return false, false
	}
	if d.literal("true") {
		return true, true
	}
	if d.literal("false") {
		return false, true
	}
	d.syntax("invalid literal")
	return false, false
}

// null consumes a null and reports whether it was there.
func (d *decoder) null() bool {
	if d.kindOf() != kindNull {
		return false
	}
	if !d.literal("null") {
		d.syntax("invalid literal")
	}
	return true
}

func (d *decoder) literal(word string) bool {
	if len(d.s)-d.i >= len(word) && d.s[d.i:d.i+len(word)] == word {
		d.i += len(word)
		return true
	}
	return false
}

// skip consumes one value of any kind, checking its syntax.
func (d *decoder) skip() {
	switch d.kindOf() {
	case kindString:
		d.skipString()
	case kindNumber:
		d.number()
	case kindBoolean:
		d.boolean()
	case kindNull:
		d.null()
	case kindObject:
		d.object()
		for first := true; ; {
			if _, ok := d.key(&first); !ok {
				return
			}
			d.skip()
		}
	case kindArray:
		d.array()
		for first := true; d.elem(&first); {
			d.skip()
		}
	default:
		if d.i >= len(d.s) {
			d.syntax("unexpected end of JSON input")
		} else {
			d.syntax("invalid character " + strconv.QuoteRune(rune(d.s[d.i])) + " looking for a value")
		}
	}
}

// mismatch records that the value at key is not of the expected kind and
// skips it. A syntax error is not a type problem: it is left to skip.
func (d *decoder) mismatch(key, expected string) {
	k := d.kindOf()
	if k != kindInvalid {
		d.fail(key, "expected "+expected+", but got "+k.String())
	}
	d.skip()
}

// raw consumes one value and returns its text.
func (d *decoder) raw() string {
	d.ws()
	start := d.i
	d.skip()
	return d.s[start:d.i]
}

// integerOf classifies a number literal as JSON Schema counts integers:
// any number with a zero fraction, so 180.0 and 1e2 are integers. isInt is
// false for a number with a fraction; inRange is false for a whole number
// outside int64, and v is then 0.
func integerOf(lit string) (v int64, isInt, inRange bool) {
	if n, fast := smallInt(lit); fast {
		return n, true, true
	}
	return bigInt(lit)
}

// smallInt parses the common case, a plain integer of at most 18 digits.
func smallInt(lit string) (int64, bool) {
	neg := lit[0] == '-'
	digits := lit
	if neg {
		digits = lit[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// significand splits a number literal into its sign, its significant digits
// (no leading or trailing zeros) and the decimal exponent of the last one, so
// that the value is ±digits×10^exp. ok is false for an exponent of more than
// nine digits, which no payload could balance with digits.
func significand(lit string) (neg bool, digits string, exp int, ok bool) {
	neg = lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	mant := lit
	if e := indexExp(lit); e >= 0 {
		mant = lit[:e]
		if exp, ok = parseExp(lit[e+1:]); !ok {
			return neg, strings.Trim(strings.Replace(mant, ".", "", 1), "0"), 0, false
		}
	}
	if dot := strings.IndexByte(mant, '.'); dot >= 0 {
		exp -= len(mant) - dot - 1
		mant = mant[:dot] + mant[dot+1:]
	}
	mant = strings.TrimLeft(mant, "0")
	for len(mant) > 0 && mant[len(mant)-1] == '0' {
		mant = mant[:len(mant)-1]
		exp++
	}
	return neg, mant, exp, true
}

// bigInt classifies any number literal without big.Rat, whose memory grows
// with the exponent: the significant digits and their exponent decide
// whether the value is whole, and whether it fits int64.
func bigInt(lit string) (v int64, isInt, inRange bool) {
	neg, digits, exp, ok := significand(lit)
	switch {
	case digits == "":
		return 0, true, true // zero, whatever the exponent
	case !ok && strings.Contains(lit, "e-") || !ok && strings.Contains(lit, "E-"):
		return 0, false, false // a tiny nonzero number is not whole
	case !ok:
		return 0, true, false
	case exp < 0:
		return 0, false, false // the last significant digit is a fraction
	case len(digits)+exp > 19:
		return 0, true, false
	}
	var u uint64
	for i := 0; i < len(digits); i++ {
		u = u*10 + uint64(digits[i]-'0')
	}
	for i := 0; i < exp; i++ {
		u *= 10
	}
	switch {
	case !neg && u <= math.MaxInt64:
		return int64(u), true, true
	case neg && u <= 1<<63:
		return -int64(u-1) - 1, true, true
	}
	return 0, true, false
}

func indexExp(lit string) int {
	for i := 0; i < len(lit); i++ {
		if lit[i] == 'e' || lit[i] == 'E' {
			return i
		}
	}
	return -1
}

// parseExp reads an exponent of at most nine digits.
func parseExp(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	if len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// see marks property bit of an object as seen, noting a repeated key.
func (d *decoder) see(word *uint64, bit uint) {
	if *word&(1<<bit) != 0 {
		d.dup = true
	}
	*word |= 1 << bit
}

// index is the pointer token of an array element.
func index(i int) string { return strconv.Itoa(i) }
