package rt

import (
	"bytes"
	"encoding/json"
)

// keep skips the value at the decoder, a member of an object that its schema
// does not declare, and returns kept with the member appended. The text is
// compact and HTML-escaped, as json.Marshal writes it, so that a member
// kept, marshalled and parsed again is kept the same.
func (d *decoder) keep(kept, key string) string {
	raw := d.raw()
	if d.err != nil {
		return kept
	}
	var b bytes.Buffer
	if kept != "" {
		b.WriteString(kept)
		b.WriteByte(',')
	}
	k, _ := json.Marshal(key) // a string always marshals
	b.Write(k)
	b.WriteByte(':')
	var compact bytes.Buffer
	if json.Compact(&compact, []byte(raw)) != nil {
		return kept // not JSON: the decoder has reported it already
	}
	json.HTMLEscape(&b, compact.Bytes())
	return b.String()
}

// marshalKept encodes v, a struct without methods of its own, as an object
// and writes the kept members after its fields.
func marshalKept(v any, kept string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || kept == "" {
		return b, err
	}
	out := b[:len(b)-1] // without its closing brace
	if len(out) > 1 {
		out = append(out, ',')
	}
	out = append(out, kept...)
	return append(out, '}'), nil
}

// required reports each property a struct requires that the bitset of its
// decoder did not see: names lists the struct's properties by bit, "" for
// an optional one.
func (d *decoder) required(seen uint64, names ...string) {
	for i, name := range names {
		if name != "" && seen&(1<<i) == 0 {
			d.fail(name, "required property is missing")
		}
	}
}

// closeStruct ends the decoder of a struct of at most 64 fields: it reports
// the required properties the bitset did not see (see required) and leaves
// the object.
func (d *decoder) closeStruct(seen uint64, names ...string) bool {
	d.required(seen, names...)
	d.leave()
	return true
}
