package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/krosgen/krosgen/generator/support"
)

// Validate validates one payload against the set's webhook schema.
//
// A payload that is not well-formed JSON gives a *support.SyntaxError naming
// the byte offset; one that breaks the schema gives a *support.ValidationError
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

func validate(sch *jsonschema.Schema, payload []byte) error {
	v, err := decodeJSON(payload)
	if err != nil {
		return err
	}
	err = sch.Validate(v)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &support.ValidationError{}
	seen := map[support.Problem]bool{}
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
		return nil, &support.SyntaxError{Offset: int(dec.InputOffset()), Msg: "data after the JSON value"}
	}
	return v, nil
}

func syntaxError(err error, size int) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &support.SyntaxError{Offset: int(se.Offset), Msg: se.Error()}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &support.SyntaxError{Offset: size, Msg: "unexpected end of JSON input"}
	}
	return &support.SyntaxError{Offset: 0, Msg: err.Error()}
}

// leaves flattens v5's error tree into the problems at its leaves.
func leaves(ve *jsonschema.ValidationError, out []support.Problem) []support.Problem {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			out = leaves(c, out)
		}
		return out
	}
	if strings.HasSuffix(ve.KeywordLocation, "/required") {
		if names, ok := missingNames(ve.Message); ok {
			for _, n := range names {
				out = append(out, support.Problem{Pointer: ve.InstanceLocation + "/" + escapePointer(n), Message: "required property is missing"})
			}
			return out
		}
	}
	return append(out, support.Problem{Pointer: ve.InstanceLocation, Message: ve.Message})
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
