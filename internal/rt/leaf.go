package rt

import (
	"bytes"
	"cmp"
	"encoding/json"
	"math"
	"math/big"
	"slices"
	"strconv"
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

func decodeInt64(d *decoder, key string, v *int64) bool {
	return decodeInteger(d, key, v, false)
}

// decodeInteger reads an integer. A whole number beyond int64 is a problem
// unless bounded is set: the caller's own minimum and maximum, which lie
// within int64, then report it (the value is clamped to int64).
func decodeInteger(d *decoder, key string, v *int64, bounded bool) bool {
	n, ok, isInt, inRange := d.integer()
	switch {
	case !ok:
		d.mismatch(key, "integer")
		return false
	case !isInt:
		d.fail(key, "expected integer, but got number")
		return false
	case !inRange && !bounded:
		d.fail(key, "integer out of the range of int64")
		return false
	}
	*v = n
	return true
}

func decodeFloat64(d *decoder, key string, v *float64) bool {
	f, ok := d.float()
	if !ok {
		d.mismatch(key, "number")
		return false
	}
	*v = f
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
// is not a whole number). v is taken as the shortest decimal that is v.
func isMultipleOf(v float64, m string) bool {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return false
	}
	x, ok1 := new(big.Rat).SetString(strconv.FormatFloat(v, 'g', -1, 64))
	y, ok2 := new(big.Rat).SetString(m)
	if !ok1 || !ok2 || y.Sign() == 0 {
		return false
	}
	return x.Quo(x, y).IsInt()
}
