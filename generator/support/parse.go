//go:build krosgen_template

package support

// Parse decodes and validates one webhook payload in a single pass.
//
// A payload that is not well-formed JSON gives a *SyntaxError naming the byte
// offset. One that breaks the schema gives a *ValidationError (use errors.As)
// listing every problem with its JSON pointer, such as "/data/from_number".
// An event type the package does not know is not an error: its Data is an
// *UnknownEvent, once the envelope is valid.
//
// Parse is the fast way in: json.Unmarshal(body, &ev) into an Event gives the
// same result, but encoding/json scans and copies the payload before calling
// Event.UnmarshalJSON, which then parses it again, so it takes several times
// as long.
func Parse(payload []byte) (*Event, error) {
	// The values decoded are substrings of this one copy of the payload.
	d := newDecoder(string(payload))
	defer d.release()
	ev := new(Event)
	decodeEvent(d, ev)
	d.end()
	if d.err != nil {
		return nil, d.err
	}
	if d.dup {
		// A repeated key: decode the payload again with the last occurrence of each.
		b, err := canonical(payload)
		if err != nil {
			return nil, err
		}
		return Parse(b)
	}
	if len(d.problems) > 0 {
		return nil, &ValidationError{Problems: d.problems}
	}
	return ev, nil
}
