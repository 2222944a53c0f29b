package rt

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// The decoders of builtin values without checks, shared by every generated
// decoder. Each reads the value at key into v and reports whether it was of
// the right kind; a value of another kind is recorded as a problem and skipped.

func decodeString(d *decoder, key string, v *string) bool {
	s, ok := d.str()
	if !ok {
		d.mismatch(key, "string")
		return false
	}
	*v = s
	return true
}

// decodeInt64 reads an integer: any number with a zero fraction, as JSON
// Schema counts them (180.0 and 1e2 are). A whole number beyond int64 is a
// problem, never clamped: no value is accepted as another.
func decodeInt64(d *decoder, key string, v *int64) bool {
	lit, ok := d.number()
	if !ok {
		d.mismatch(key, "integer")
		return false
	}
	n, isInt, inRange := integerOf(lit)
	switch {
	case !isInt:
		d.fail(key, "expected integer, but got number")
		return false
	case !inRange:
		d.fail(key, "integer out of the range of int64")
		return false
	}
	*v = n
	return true
}

// decodeFloat64 reads a number into its nearest float64. A number beyond
// float64's range is a problem: it would read as ±Inf, another value, which
// json.Marshal then refuses.
func decodeFloat64(d *decoder, key string, v *float64) bool {
	var lit string
	return decodeNumber(d, key, v, &lit)
}

// decodeNumber is decodeFloat64 that also keeps the literal, for checks
// that decide exactly on it (cmpNumber, numberMultipleOf).
func decodeNumber(d *decoder, key string, v *float64, lit *string) bool {
	s, ok := d.number()
	if !ok {
		d.mismatch(key, "number")
		return false
	}
	f, ok := finiteFloat(s)
	if !ok {
		d.fail(key, "number out of the range of float64")
		return false
	}
	*v, *lit = f, s
	return true
}

func decodeBool(d *decoder, key string, v *bool) bool {
	b, ok := d.boolean()
	if !ok {
		d.mismatch(key, "boolean")
		return false
	}
	*v = b
	return true
}

func decodeTime(d *decoder, key string, v *time.Time) bool {
	s, ok := d.str()
	if !ok {
		d.mismatch(key, "string")
		return false
	}
	t, ok := parseDateTime(s)
	if !ok {
		d.fail(key, quoted(s, " is not a valid RFC 3339 date-time"))
		return false
	}
	*v = t
	return true
}

func decodeRaw(d *decoder, key string, v *json.RawMessage) bool {
	*v = json.RawMessage(d.raw())
	return true
}

// canonical re-encodes a payload without duplicate keys, keeping the last
// occurrence of each as JSON Schema validators (and encoding/json) do.
func canonical(payload []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// sortedKeys returns a map's keys in order, so that problems are reported
// in the same order every time.
func sortedKeys[M ~map[K]V, K cmp.Ordered, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// isMultipleOf reports whether v is a multiple of the decimal m, exactly, as
// JSON Schema asks (0.3 is a multiple of 0.1 even though 0.3/0.1 in float64
// is not a whole number). v is taken as the shortest decimal that is v, as
// json.Marshal writes it.
func isMultipleOf(v float64, m string) bool { return numberMultipleOf(v, "", m) }
