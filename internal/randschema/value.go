package randschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
)

// A JSON value here is nil, bool, string, json.Number, []any or *Object.
// Objects keep their members in order, so that schemas and payloads are
// written the way they were drawn, byte for byte on every run.

// Member is one member of an Object.
type Member struct {
	Key   string
	Value any
}

// Object is a JSON object whose members keep their order.
type Object struct {
	Members []Member
}

// Get returns the value of the first member named key.
func (o *Object) Get(key string) (any, bool) {
	for _, m := range o.Members {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// Set replaces the value of the member named key, or appends one.
func (o *Object) Set(key string, v any) {
	for i, m := range o.Members {
		if m.Key == key {
			o.Members[i].Value = v
			return
		}
	}
	o.Members = append(o.Members, Member{key, v})
}

// Delete removes every member named key.
func (o *Object) Delete(key string) {
	out := o.Members[:0]
	for _, m := range o.Members {
		if m.Key != key {
			out = append(out, m)
		}
	}
	o.Members = out
}

// Encode writes v as compact JSON, without HTML escaping.
func Encode(v any) []byte {
	var b bytes.Buffer
	writeValue(&b, v, "", "")
	return b.Bytes()
}

// EncodeIndent writes v as JSON indented by two spaces, with a final newline.
func EncodeIndent(v any) []byte {
	var b bytes.Buffer
	writeValue(&b, v, "\n", "  ")
	b.WriteByte('\n')
	return b.Bytes()
}

func writeValue(b *bytes.Buffer, v any, nl, indent string) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeString(b, x)
	case json.Number:
		b.WriteString(string(x))
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		inner := nl + indent
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if nl != "" {
				b.WriteString(inner)
			}
			writeValue(b, e, inner, indent)
		}
		b.WriteString(nl)
		b.WriteByte(']')
	case *Object:
		if len(x.Members) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		inner := nl + indent
		for i, m := range x.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			if nl != "" {
				b.WriteString(inner)
			}
			writeString(b, m.Key)
			b.WriteByte(':')
			if nl != "" {
				b.WriteByte(' ')
			}
			writeValue(b, m.Value, inner, indent)
		}
		b.WriteString(nl)
		b.WriteByte('}')
	default:
		panic("randschema: not a JSON value")
	}
}

func writeString(b *bytes.Buffer, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// Clone copies a JSON value deeply.
func Clone(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Clone(e)
		}
		return out
	case *Object:
		out := &Object{Members: make([]Member, len(x.Members))}
		for i, m := range x.Members {
			out.Members[i] = Member{m.Key, Clone(m.Value)}
		}
		return out
	}
	return v
}

// Equal reports whether two JSON values are equal as JSON Schema compares
// them: numbers by value, objects regardless of member order.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		rx, okx := rat(x)
		ry, oky := rat(y)
		return okx && oky && rx.Cmp(ry) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || len(x.Members) != len(y.Members) {
			return false
		}
		for _, m := range x.Members {
			w, ok := y.Get(m.Key)
			if !ok || !Equal(m.Value, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

// rat reads a JSON number exactly.
func rat(n json.Number) (*big.Rat, bool) {
	s := string(n)
	if e := strings.IndexAny(s, "eE"); e >= 0 {
		// big.Rat handles exponents, but not huge ones cheaply.
		exp := strings.TrimLeft(s[e+1:], "+-")
		if len(exp) > 4 {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// number writes a rational with a finite decimal expansion as a JSON number
// literal; others are written with 30 digits after the point (rounded).
func number(r *big.Rat) json.Number {
	if r.IsInt() {
		return json.Number(r.Num().String())
	}
	den := new(big.Int).Set(r.Denom())
	digits := 0
	for _, p := range []int64{2, 5} {
		bp := big.NewInt(p)
		n := 0
		for {
			q, rem := new(big.Int).QuoRem(den, bp, new(big.Int))
			if rem.Sign() != 0 {
				break
			}
			den = q
			n++
		}
		digits = max(digits, n)
	}
	if den.Cmp(big.NewInt(1)) != 0 || digits > 60 {
		digits = 30
	}
	s := r.FloatString(digits)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return json.Number(s)
}

// Decode reads one JSON value, keeping member order and numbers as written.
func Decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &Object{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				o.Members = append(o.Members, Member{kt.(string), v})
			}
			_, err := dec.Token()
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			return a, err
		}
	}
	return tok, nil
}
