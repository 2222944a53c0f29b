package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/krosgen/krosgen/internal/rt"
)

// The error types of Validate are those of every generated package, so that
// a payload's problems compare equal whichever validated it.
type (
	// Problem is one way in which a payload breaks its schema.
	Problem = rt.Problem
	// ValidationError lists every problem of a well-formed payload.
	ValidationError = rt.ValidationError
	// SyntaxError reports a payload that is not well-formed JSON.
	SyntaxError = rt.SyntaxError
)

// Validate validates one payload against the set's webhook schema.
//
// A payload that is not well-formed JSON gives a *SyntaxError naming
// the byte offset; one that breaks the schema gives a *ValidationError
// listing every failure with its JSON pointer. A missing required property is
// reported at the pointer the property would have ("/data/call_id").
func (s *Set) Validate(payload []byte) error {
	sch, err := s.Webhook()
	if err != nil {
		return err
	}
	return validate(sch, payload)
}

// Validate validates one payload against this event's schema alone.
func (e *Event) Validate(payload []byte) error {
	return validate(e.Schema, payload)
}

func validate(sch *jsonschema.Schema, payload []byte) (err error) {
	v, err := decodeJSON(payload)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil { // a bug in the validator must not take the caller down
			err = fmt.Errorf("jsonschema/v5 panicked validating the payload: %v", r)
		}
	}()
	err = sch.Validate(tameNumbers(v))
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &ValidationError{}
	seen := map[Problem]bool{}
	for _, p := range leaves(ve, nil) {
		if !seen[p] {
			seen[p] = true
			out.Problems = append(out.Problems, p)
		}
	}
	return out
}

// decodeJSON decodes exactly one JSON value, keeping numbers exact.
func decodeJSON(payload []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(err, len(payload))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &SyntaxError{Offset: int(dec.InputOffset()), Msg: "data after the JSON value"}
	}
	return v, nil
}

func syntaxError(err error, size int) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &SyntaxError{Offset: int(se.Offset), Msg: se.Error()}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &SyntaxError{Offset: size, Msg: "unexpected end of JSON input"}
	}
	return &SyntaxError{Offset: 0, Msg: err.Error()}
}

// leaves flattens v5's error tree into the problems at its leaves.
func leaves(ve *jsonschema.ValidationError, out []Problem) []Problem {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			out = leaves(c, out)
		}
		return out
	}
	loc := unescapeLocation(ve.InstanceLocation)
	if strings.HasSuffix(ve.KeywordLocation, "/required") {
		if names, ok := missingNames(ve.Message); ok {
			for _, n := range names {
				out = append(out, Problem{Pointer: loc + "/" + escapePointer(n), Message: "required property is missing"})
			}
			return out
		}
	}
	return append(out, Problem{Pointer: loc, Message: ve.Message})
}

// unescapeLocation undoes the URL escaping jsonschema/v5 applies to each
// token of an instance location ("a b" comes as "a%20b"), leaving an RFC 6901
// pointer. (v5 also drops empty tokens, which cannot be recovered here: a
// problem under the property "" is reported at its parent.)
func unescapeLocation(loc string) string {
	if !strings.Contains(loc, "%") {
		return loc
	}
	tokens := strings.Split(loc, "/")
	for i, t := range tokens {
		if u, err := url.PathUnescape(t); err == nil {
			tokens[i] = u
		}
	}
	return strings.Join(tokens, "/")
}

// maxExponent bounds the decimal exponents passed to jsonschema/v5, which
// evaluates numbers with math/big: 1e1000001 makes big.Rat.SetString fail and
// v5 panic, and huge exponents cost memory without bound.
const maxExponent = 10000

// tameNumbers rewrites each number whose exponent is beyond ±maxExponent by
// its exact value, digits×10^exp; a value still beyond that becomes
// ±1e±maxExponent, which every rule a realistic schema states (type integer,
// bounds, multipleOf) judges the same way.
func tameNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = tameNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = tameNumbers(e)
		}
	case json.Number:
		return tameNumber(x)
	}
	return v
}

func tameNumber(n json.Number) json.Number {
	s := string(n)
	e := strings.IndexAny(s, "eE")
	if e < 0 {
		return n
	}
	if exp, err := strconv.Atoi(s[e+1:]); err == nil && exp <= maxExponent && exp >= -maxExponent {
		return n
	}
	sign, mant := "", s[:e]
	if mant[0] == '-' {
		sign, mant = "-", mant[1:]
	}
	expText := strings.TrimLeft(strings.TrimLeft(s[e+1:], "+-"), "0")
	negExp := strings.HasPrefix(s[e+1:], "-")
	if len(expText) > 9 { // no payload has digits enough to balance it
		if strings.Trim(strings.Replace(mant, ".", "", 1), "0") == "" {
			return "0"
		}
		if negExp {
			return json.Number(sign + "1e-" + strconv.Itoa(maxExponent))
		}
		return json.Number(sign + "1e" + strconv.Itoa(maxExponent))
	}
	exp, _ := strconv.Atoi(expText)
	if negExp {
		exp = -exp
	}
	if dot := strings.IndexByte(mant, '.'); dot >= 0 {
		exp -= len(mant) - dot - 1
		mant = mant[:dot] + mant[dot+1:]
	}
	mant = strings.TrimLeft(mant, "0")
	for len(mant) > 0 && mant[len(mant)-1] == '0' {
		mant, exp = mant[:len(mant)-1], exp+1
	}
	switch {
	case mant == "":
		return "0"
	case exp > maxExponent:
		return json.Number(sign + "1e" + strconv.Itoa(maxExponent))
	case exp+len(mant) < -maxExponent:
		return json.Number(sign + "1e-" + strconv.Itoa(maxExponent))
	}
	return json.Number(sign + mant + "e" + strconv.Itoa(exp))
}

// missingNames reads the names out of v5's "missing properties: 'a', 'b'".
func missingNames(msg string) ([]string, bool) {
	rest, ok := strings.CutPrefix(msg, "missing properties: ")
	if !ok {
		return nil, false
	}
	var names []string
	for rest != "" {
		if rest[0] != '\'' {
			return nil, false
		}
		end := 1
		for end < len(rest) && rest[end] != '\'' {
			if rest[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(rest) {
			return nil, false
		}
		inner := strings.ReplaceAll(strings.ReplaceAll(rest[1:end], `\'`, `'`), `"`, `\"`)
		name, err := strconv.Unquote(`"` + inner + `"`)
		if err != nil {
			return nil, false
		}
		names = append(names, name)
		rest = strings.TrimPrefix(rest[end+1:], ", ")
	}
	return names, true
}

// escapePointer escapes one JSON pointer token (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
