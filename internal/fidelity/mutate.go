package fidelity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Example is one documented payload of an event schema.
type Example struct {
	// Type is the event type of the schema, such as "call.completed".
	Type string
	// Raw is the payload as the schema's "examples" give it.
	Raw []byte
}

// Payload is one generated test input.
type Payload struct {
	// Event is the type of the example the payload derives from,
	// or "" for the few payloads derived from none.
	Event string
	// Kind names the mutation, such as "null", "type:array" or
	// "str:date:leap-second".
	Kind string
	// At is the JSON pointer of the mutated value or object,
	// "" when the mutation concerns the whole payload.
	At string
	// Data is the payload itself, possibly not well-formed JSON.
	Data []byte
}

// String names the payload for reports: "call.completed null @/data/duration".
func (p Payload) String() string {
	ev := p.Event
	if ev == "" {
		ev = "(no example)"
	}
	if p.At == "" {
		return ev + " " + p.Kind
	}
	return ev + " " + p.Kind + " @" + p.At
}

// Corpus derives the mutation corpus from examples. types lists every event
// type, used for "wrong event" mutations. The result holds no two payloads
// with the same bytes (the first mutation to produce a payload names it) and
// is the same on every call.
//
// For every property at every depth (the envelope, data, map values and
// change records) it removes the property, sets it to null, to a value of
// every JSON type, to numeric edge values and to strings that break
// patterns, formats and UTF-8, including strings derived from the value
// (wrong id prefix, phone number too long, lower-case date-time and so on).
// For every object it adds unknown properties (with awkward names, to test
// JSON pointer escaping), case-variant and escaped keys, repeats keys and
// reverses key order. For the envelope it tries every other event type,
// unknown event types, empty data and data before event. For the whole
// payload it tries white space variations, trailing data, truncation,
// deep nesting and top-level values that are not objects.
func Corpus(examples []Example, types []string) ([]Payload, error) {
	b := &builder{seen: map[string]bool{}}
	roots := make([]*node, len(examples))
	for i, ex := range examples {
		root, err := parseNode(ex.Raw)
		if err != nil {
			return nil, fmt.Errorf("example %d of %s: %v", i, ex.Type, err)
		}
		if root.kind != '{' {
			return nil, fmt.Errorf("example %d of %s: not an object", i, ex.Type)
		}
		roots[i] = root
		b.event = ex.Type
		b.add("example", "", root.encode(""))
		b.envelope(root, types)
		b.members(root)
		b.objects(root)
	}
	// Byte-level mutations last: a payload that makes a decoder hang is
	// most likely among them, and a hung goroutine keeps a CPU busy.
	for i, ex := range examples {
		b.event = ex.Type
		b.whole(roots[i], i == 0)
	}
	b.event = ""
	b.generic()
	return b.out, nil
}

type builder struct {
	event string
	out   []Payload
	seen  map[string]bool
}

func (b *builder) add(kind, at string, data []byte) {
	if b.seen[string(data)] {
		return
	}
	b.seen[string(data)] = true
	b.out = append(b.out, Payload{Event: b.event, Kind: kind, At: at, Data: data})
}

// variant is a labelled JSON text, written into payloads as is.
type variant struct {
	label string
	raw   string
}

// typeVariants are values of every JSON type (null is tried separately).
var typeVariants = []variant{
	{"string", `"x"`},
	{"number", `1.5`},
	{"integer", `7`},
	{"boolean", `true`},
	{"boolean-false", `false`},
	{"object", `{}`},
	{"object-nonempty", `{"a":1}`},
	{"array", `[]`},
	{"array-nonempty", `["x"]`},
}

// numberVariants are numeric edge values: around 0, integers written as
// floats, the ends of the schema's ±(2^53-1) bounds and of int64, and
// exponents at and beyond what the decoders evaluate exactly.
var numberVariants = []string{
	"-1", "0", "1", "1.5", "180.0", "1e300", "-0",
	"9007199254740991", "9007199254740992", "1e2", "9223372036854775808",
	"-9007199254740991", "-9007199254740992",
	"-9223372036854775808", "-9223372036854775809", "18446744073709551616",
	"1E+2", "100e-2", "0.1e1", "-0.0", "1.0000000000000000001",
	"0e999999999", "1e400", "1e-400", "1.5e500", "-1e500",
	"1e1000001",                               // an exponent beyond math/big.Rat.SetString's limit of 1e6
	"1" + strings.Repeat("0", 500) + "e-500",  // exactly 1, with a long mantissa
	"0." + strings.Repeat("0", 400) + "1e402", // exactly 10, with a long mantissa
}

// stringVariants are strings that break patterns, formats or UTF-8, or test
// escapes; some are not well-formed JSON (raw control characters, bad escapes).
var stringVariants = []variant{
	{"empty", `""`},
	{"long-10k", `"` + strings.Repeat("a", 10000) + `"`},
	{"emoji", `"📞"`},
	{"combining-mark", "\"e\u0301\""},
	{"nul-escape", `"\u0000"`},
	{"invalid-utf8", "\"\xff\xfe\""},
	{"invalid-utf8-truncated-rune", "\"\xe2\x82\""},
	{"lone-surrogate", `"\ud800"`},
	{"lone-low-surrogate", `"\udc00"`},
	{"surrogate-then-ascii", `"\ud800\u0041"`},
	{"surrogate-pair", `"\ud83d\udcde"`},
	{"surrogate-pair-reversed", `"\udcde\ud83d"`},
	{"line-separator", "\"\u2028\""},
	{"bom", "\"\ufeff\""},
	{"escaped-solidus", `"\/"`},
	{"control-escapes", `"\b\f\n\r\t\"\\"`},
	{"raw-control-char", "\"\x01\""},
	{"raw-tab", "\"\t\""},
	{"raw-del", "\"\x7f\""},
	{"bad-escape", `"\x41"`},
	{"short-unicode-escape", `"\u12"`},
	{"date:month-13", `"2025-13-01T00:00:00Z"`},
	{"date:space", `"2025-01-10 12:00:00Z"`},
	{"date:no-offset", `"2025-01-10T12:00:00"`},
	{"date:leap-second", `"2025-12-31T23:59:60Z"`},
	{"date:leap-second-offset", `"2026-01-01T00:59:60+01:00"`},
	{"date:leap-second-not-23:59-utc", `"2025-12-31T23:58:60Z"`},
	{"date:leap-second-year-9999", `"9999-12-31T23:59:60Z"`},
	{"date:lowercase-t-z", `"2025-01-10t12:00:00z"`},
	{"date:offset+25:00", `"2025-01-10T12:00:00+25:00"`},
	{"date:offset+23:59", `"2025-01-10T12:00:00+23:59"`},
	{"date:offset-00:00", `"2025-01-10T12:00:00-00:00"`},
	{"date:offset+0100", `"2025-01-10T12:00:00+0100"`},
	{"date:fraction-9", `"2025-01-10T12:00:00.123456789Z"`},
	{"date:fraction-13", `"2025-01-10T12:00:00.1234567891234Z"`},
	{"date:fraction-empty", `"2025-01-10T12:00:00.Z"`},
	{"date:feb-29-2024", `"2024-02-29T00:00:00Z"`},
	{"date:feb-29-2025", `"2025-02-29T00:00:00Z"`},
	{"date:feb-29-1900", `"1900-02-29T00:00:00Z"`},
	{"date:feb-29-2000", `"2000-02-29T00:00:00Z"`},
	{"date:year-0", `"0000-01-01T00:00:00Z"`},
	{"date:year-0-offset", `"0000-01-01T00:00:00+01:00"`},
	{"date:year-9999-negative-offset", `"9999-12-31T23:00:00-01:00"`},
	{"date:no-seconds", `"2025-01-10T12:00Z"`},
	{"date:hour-24", `"2025-01-10T24:00:00Z"`},
	{"date:date-only", `"2025-01-10"`},
	{"date:fullwidth-digit", `"２025-01-10T12:00:00Z"`},
	{"date:trailing-newline", `"2025-01-10T12:00:00Z\n"`},
	{"uri:relative", `"/a/b"`},
	{"uri:unclosed-ipv6", `"http://[::1"`},
	{"uri:words", `"not a uri"`},
	{"uri:space", `"https://example.com/a b"`},
	{"uri:non-ascii", `"https://example.com/é"`},
	{"uri:bad-percent", `"https://example.com/%zz"`},
	{"uri:percent", `"https://example.com/%20"`},
	{"uri:ipv6-port", `"https://[::1]:8080/x"`},
	{"uri:ipvfuture", `"https://[v1.fe]/x"`},
	{"uri:mailto", `"mailto:a@example.com"`},
	{"uri:urn", `"urn:isbn:0451450523"`},
	{"uri:scheme-only", `"a:"`},
	{"uri:digit-scheme", `"1a:b"`},
	{"uri:bad-port", `"https://example.com:80a/"`},
	{"uri:two-fragments", `"https://example.com/#a#b"`},
	{"uri:backslash", `"https:\\\\example.com\\a"`},
	{"phone:15-digits", `"+123456789012345"`},
	{"phone:16-digits", `"+1234567890123456"`},
	{"phone:leading-0", `"+0123456789"`},
	{"phone:no-plus", `"14155551234"`},
	{"phone:one-digit", `"+1"`},
	{"phone:fullwidth", `"+１２３"`},
	{"id:evt", `"evt_1"`},
	{"id:call", `"call_1"`},
	{"id:pn", `"pn_1"`},
	{"id:ep", `"ep_1"`},
	{"id:pr", `"pr_1"`},
	{"id:prefix-only", `"evt_"`},
	{"country:lower", `"ng"`},
	{"country:three", `"NGA"`},
}

// extraKeys are names for unknown properties, chosen to test JSON pointer
// escaping (RFC 6901 and otherwise) and key decoding.
var extraKeys = []variant{
	{"x_extra", `"x_extra"`},
	{"empty", `""`},
	{"space", `"a b"`},
	{"slash-tilde", `"a/b~c"`},
	{"percent", `"100%"`},
	{"unicode", `"é"`},
	{"lone-surrogate", `"\ud800"`},
	{"invalid-utf8", "\"\xff\""},
	{"nul", `"\u0000"`},
	{"escaped-ascii", `"\u0078"`},
}

// extraValues are values for the unknown properties; in a map (metadata,
// changes) they are entries, checked against the map's value schema.
var extraValues = []variant{
	{"int", `1`},
	{"string", `"v"`},
	{"null", `null`},
	{"object", `{}`},
	{"change-missing-new", `{"old":1}`},
}

// members mutates every property at every depth, one at a time.
func (b *builder) members(root *node) {
	for _, m := range walk(root) {
		b.add("remove", m.ptr, root.removeAt(m.path).encode(""))
		b.add("null", m.ptr, root.replaceAt(m.path, raw("null")).encode(""))
		for _, v := range typeVariants {
			b.add("type:"+v.label, m.ptr, root.replaceAt(m.path, raw(v.raw)).encode(""))
		}
		for _, n := range numberVariants {
			label := n
			if len(label) > 24 {
				label = label[:10] + "…" + label[len(label)-8:]
			}
			b.add("num:"+label, m.ptr, root.replaceAt(m.path, raw(n)).encode(""))
		}
		for _, v := range stringVariants {
			b.add("str:"+v.label, m.ptr, root.replaceAt(m.path, raw(v.raw)).encode(""))
		}
		var s string
		if m.val.kind == 0 && json.Unmarshal(m.val.raw, &s) == nil {
			for _, v := range derivedStrings(s) {
				b.add("derived:"+v.label, m.ptr, root.replaceAt(m.path, raw(v.raw)).encode(""))
			}
		}

		// The same problems reached by Parse's other paths: data decoded
		// after the envelope (data before event), and the payload decoded
		// again after a repeated key (a duplicate of an envelope member).
		edits := []struct {
			label string
			edit  func() *node
		}{
			{"remove", func() *node { return root.removeAt(m.path) }},
			{"null", func() *node { return root.replaceAt(m.path, raw("null")) }},
			{"string", func() *node { return root.replaceAt(m.path, raw(`"x"`)) }},
			{"empty-object", func() *node { return root.replaceAt(m.path, raw(`{}`)) }},
		}
		for _, e := range edits {
			if c := e.edit(); c.index("data") >= 0 && c.index("event") >= 0 {
				c.move(c.index("data"), 0)
				b.add("data-first+"+e.label, m.ptr, c.encode(""))
			}
			c := e.edit()
			dup := "timestamp"
			if strings.HasPrefix(m.ptr, "/timestamp") {
				dup = "id"
			}
			if i := c.index(dup); i >= 0 {
				c.append(string(c.keys[i].raw), c.vals[i].clone())
				b.add("repeated-"+dup+"+"+e.label, m.ptr, c.encode(""))
			}
		}
	}

	// Two problems in one object at once.
	for _, o := range walkObjects(root) {
		obj := root.at(o.path)
		for i := range obj.keys {
			for j := i + 1; j < len(obj.keys); j++ {
				c := root.clone()
				co := c.at(o.path)
				co.vals[i], co.vals[j] = raw("null"), raw(`"x"`)
				b.add("pair:null+string", o.ptr+"/{"+obj.keys[i].name+","+obj.keys[j].name+"}", c.encode(""))
			}
		}
	}
}

// derivedStrings breaks the pattern or format s follows, guessed from s
// itself: an identifier "prefix_suffix", a "+digits" phone number, an
// RFC 3339 date-time, a URL; and generic changes for every string.
func derivedStrings(s string) []variant {
	var out []variant
	add := func(label, v string) { out = append(out, variant{label, string(quote(v))}) }
	addRaw := func(label, raw string) { out = append(out, variant{label, raw}) }
	if i := strings.IndexByte(s, '_'); i > 0 {
		add("id:wrong-prefix", "x"+s)
		add("id:other-prefix", "zz"+s[i:])
		add("id:upper-prefix", strings.ToUpper(s[:i])+s[i:])
		add("id:empty-suffix", s[:i+1])
		add("id:illegal-char", s+"-")
		add("id:inner-space", s[:i+1]+"a b")
		add("id:unicode-letter", s+"é")
		add("id:fullwidth-digit", s+"１")
		add("id:underscores-only", s[:i+1]+"__")
	}
	if len(s) > 3 && s[0] == '+' {
		add("phone:leading-0", "+0"+s[2:])
		add("phone:too-long", s+strings.Repeat("9", 16))
		add("phone:missing-plus", s[1:])
		add("phone:double-plus", "+"+s)
		add("phone:one-digit", s[:2])
		add("phone:two-digits", s[:3])
		add("phone:inner-space", s[:3]+" "+s[3:])
	}
	if _, err := time.Parse(time.RFC3339, s); err == nil && strings.HasSuffix(s, "Z") {
		base := strings.TrimSuffix(s, "Z")
		add("date:lowercase-t", strings.Replace(s, "T", "t", 1))
		add("date:lowercase-z", base+"z")
		add("date:no-offset", base)
		add("date:space", strings.Replace(s, "T", " ", 1))
		add("date:offset+25:00", base+"+25:00")
		add("date:offset+14:00", base+"+14:00")
		add("date:offset-00:00", base+"-00:00")
		add("date:offset+05:30", base+"+05:30")
		add("date:fraction", base+".5Z")
		add("date:second-60", base[:len(base)-2]+"60Z")
		add("date:second-61", base[:len(base)-2]+"61Z")
	}
	if i := strings.Index(s, "://"); i > 0 {
		add("uri:space", s+" x")
		add("uri:bad-percent", s+"%zz")
		add("uri:non-ascii", s+"é")
		add("uri:scheme-relative", s[i+1:])
		add("uri:query-fragment", s+"?a=1&b=%20#f")
		add("uri:upper-scheme", strings.ToUpper(s[:i])+s[i:])
		add("uri:userinfo-port", s[:i+3]+"user:pw@"+s[i+3:])
	}
	if u := strings.ToUpper(s); u != s {
		add("upper", u)
	}
	if l := strings.ToLower(s); l != s {
		add("lower", l)
	}
	add("trailing-space", s+" ")
	add("leading-space", " "+s)
	add("trailing-newline", s+"\n")
	if s != "" {
		_, size := utf8.DecodeLastRuneInString(s)
		add("chop", s[:len(s)-size])
	}
	add("suffix:emoji", s+"📞")
	add("suffix:combining-mark", s+"\u0301")
	inner := strings.TrimSuffix(strings.TrimPrefix(string(quote(s)), `"`), `"`)
	addRaw("suffix:nul-escape", `"`+inner+`\u0000"`)
	addRaw("suffix:invalid-utf8", `"`+inner+"\xff\"")
	addRaw("suffix:lone-surrogate", `"`+inner+`\ud800"`)
	addRaw("escaped", escapeAll(s))
	return out
}

// escapeAll writes s as a JSON string with every character escaped as \uXXXX.
func escapeAll(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	b.WriteByte('"')
	return b.String()
}

// objects mutates every object at every depth: unknown, case-variant,
// escaped and repeated keys, and key order.
func (b *builder) objects(root *node) {
	for _, o := range walkObjects(root) {
		obj := root.at(o.path)
		for _, k := range extraKeys {
			for _, v := range extraValues {
				c := root.clone()
				c.at(o.path).append(k.raw, raw(v.raw))
				b.add("extra:"+k.label+"="+v.label, o.ptr, c.encode(""))
			}
		}
		c := root.clone()
		c.at(o.path).insert(0, `"x_extra"`, raw("1"))
		b.add("extra-first", o.ptr, c.encode(""))

		if len(obj.keys) > 1 {
			c := root.clone()
			c.at(o.path).reverse()
			b.add("reverse-keys", o.ptr, c.encode(""))
		}
		for i, k := range obj.keys {
			ptr := o.ptr + "/" + escapeToken(k.name)
			val := obj.vals[i]
			// Case variants: encoding/json matches keys case-insensitively
			// (with Unicode folding); JSON Schema and Parse do not.
			if u := strings.ToUpper(k.name); u != k.name {
				c := root.clone()
				c.at(o.path).append(string(quote(u)), val.clone())
				b.add("case-variant-extra", ptr, c.encode(""))
				c = root.clone()
				c.at(o.path).keys[i] = key{u, quote(u)}
				b.add("case-variant-rename", ptr, c.encode(""))
			}
			if f := foldVariant(k.name); f != k.name {
				c := root.clone()
				c.at(o.path).keys[i] = key{f, quote(f)}
				b.add("fold-variant-rename", ptr, c.encode(""))
			}
			c := root.clone()
			c.at(o.path).keys[i] = key{k.name, []byte(escapeAll(k.name))}
			b.add("escaped-key", ptr, c.encode(""))

			// Repeated keys: JSON Schema sees the last occurrence.
			dups := []struct {
				label       string
				first, last *node
			}{
				{"dup:null-then-value", raw("null"), val},
				{"dup:value-then-null", val, raw("null")},
				{"dup:same-twice", val, val},
				{"dup:array-then-value", raw(`["x"]`), val},
			}
			if val.kind == '{' {
				dups = append(dups,
					struct {
						label       string
						first, last *node
					}{"dup:empty-then-value", raw("{}"), val},
					struct {
						label       string
						first, last *node
					}{"dup:value-then-empty", val, raw("{}")})
			}
			for _, d := range dups {
				c := root.clone()
				co := c.at(o.path)
				co.vals[i] = d.first.clone()
				co.insert(i+1, string(k.raw), d.last.clone())
				b.add(d.label, ptr, c.encode(""))
				// The same, with the repetition far from the first occurrence.
				c = root.clone()
				co = c.at(o.path)
				co.vals[i] = d.first.clone()
				co.append(string(k.raw), d.last.clone())
				b.add(d.label+":apart", ptr, c.encode(""))
			}
		}
	}
}

// foldVariant replaces the letters of s that have a non-ASCII simple case
// fold (s and k) with that letter: "ſ" (U+017F) and "K" (U+212A).
func foldVariant(s string) string {
	return strings.NewReplacer("s", "ſ", "k", "\u212a").Replace(s)
}

// envelope mutates the envelope as a whole: the event type, data, order.
func (b *builder) envelope(root *node, types []string) {
	ev := root.index("event")
	data := root.index("data")
	if ev < 0 || data < 0 {
		return
	}
	var own string
	_ = json.Unmarshal(root.vals[ev].raw, &own)
	for _, t := range types {
		if t != own {
			b.add("wrong-event:"+t, "/event", root.replaceAt([]int{ev}, raw(string(quote(t)))).encode(""))
		}
	}
	b.add("empty-data", "/data", root.replaceAt([]int{data}, raw("{}")).encode(""))

	c := root.clone()
	c.move(data, 0)
	b.add("data-first", "", c.encode(""))
	c = root.clone()
	c.move(c.index("event"), len(c.keys)-1)
	b.add("event-last", "", c.encode(""))

	// Both orders of a repeated event: the last one decides the data's schema.
	for _, t := range types {
		if t == own {
			continue
		}
		c := root.clone()
		c.insert(0, `"event"`, raw(string(quote(t))))
		b.add("dup-event:other-then-own", "/event", c.encode(""))
		c = root.clone()
		c.append(`"event"`, raw(string(quote(t))))
		b.add("dup-event:own-then-other", "/event", c.encode(""))
		break
	}

	// Unknown event types, alone and with other envelope problems.
	for _, u := range []string{"future.event", own + ".v2", strings.ToUpper(own), "", own + " "} {
		c := root.replaceAt([]int{ev}, raw(string(quote(u))))
		b.add("unknown-event", "/event", c.encode(""))
		variants := []struct {
			label string
			edit  func(*node)
		}{
			{"data-first", func(n *node) { n.move(n.index("data"), 0) }},
			{"data-empty", func(n *node) { n.vals[n.index("data")] = raw("{}") }},
			{"data-null", func(n *node) { n.vals[n.index("data")] = raw("null") }},
			{"data-array", func(n *node) { n.vals[n.index("data")] = raw("[]") }},
			{"data-missing", func(n *node) { n.remove(n.index("data")) }},
			{"id-bad", func(n *node) { n.vals[n.index("id")] = raw(`"x"`) }},
			{"id-missing", func(n *node) { n.remove(n.index("id")) }},
			{"timestamp-bad", func(n *node) { n.vals[n.index("timestamp")] = raw(`"2025-13-01T00:00:00Z"`) }},
			{"data-dup", func(n *node) { n.append(`"data"`, raw("{}")) }},
		}
		for _, v := range variants {
			cc := c.clone()
			if cc.index("id") < 0 || cc.index("timestamp") < 0 {
				continue
			}
			v.edit(cc)
			b.add("unknown-event+"+v.label, "/event", cc.encode(""))
		}
	}
}

// whole mutates the payload as bytes: white space, trailing data,
// truncation and wrapping. unterminated adds the one payload whose
// truncation ends inside a string escape.
func (b *builder) whole(root *node, unterminated bool) {
	compact := root.encode("")
	var indented bytes.Buffer
	_ = json.Indent(&indented, compact, "", "  ")
	var tabs bytes.Buffer
	_ = json.Indent(&tabs, compact, "", "\t")
	// JSON strings cannot hold a raw newline, so every "\n" is white space.
	crlf := bytes.ReplaceAll(indented.Bytes(), []byte("\n"), []byte("\r\n"))

	b.add("ws:indent", "", indented.Bytes())
	b.add("ws:tabs", "", tabs.Bytes())
	b.add("ws:crlf", "", crlf)
	b.add("ws:space-everywhere", "", root.encode(" "))
	b.add("ws:all-four-everywhere", "", root.encode(" \t\r\n"))
	b.add("ws:leading-trailing", "", concat(" \t\r\n", compact, "\n\r\t "))
	b.add("ws:form-feed", "", concat("\f", compact, ""))
	b.add("ws:vertical-tab", "", root.encode("\v"))
	b.add("ws:nbsp", "", concat("\u00a0", compact, ""))
	b.add("ws:bom", "", concat("\ufeff", compact, ""))
	b.add("ws:nul-after", "", concat("", compact, "\x00"))

	for _, tr := range []variant{
		{"letter", "x"}, {"object", "{}"}, {"comma", ","}, {"bracket", "]"},
		{"brace", "}"}, {"null", " null"}, {"string", ` ""`}, {"newline", "\n"},
		{"number", "1"}, {"repeat", string(compact)},
	} {
		b.add("trailing:"+tr.label, "", concat("", compact, tr.raw))
	}

	for n := 0; n < len(compact); n += 5 {
		b.add("truncate:"+strconv.Itoa(n), "", compact[:n:n])
	}
	b.add("truncate:last-byte", "", compact[:len(compact)-1:len(compact)-1])

	if unterminated {
		// The id, written with escapes, cut right after its first backslash.
		if id := root.index("id"); id >= 0 {
			var s string
			if json.Unmarshal(root.vals[id].raw, &s) == nil {
				c := root.replaceAt([]int{id}, raw(escapeAll(s)))
				enc := c.encode("")
				if i := bytes.IndexByte(enc, '\\'); i >= 0 {
					b.add("truncate:after-backslash", "/id", enc[:i+1:i+1])
				}
			}
		}
	}

	b.add("top-level:array-of-example", "", concat("[", compact, "]"))
	b.add("top-level:string-of-example", "", quote(string(compact)))
}

// generic adds payloads not derived from any example.
func (b *builder) generic() {
	for _, v := range []variant{
		{"empty", ""}, {"white-space", " \n\t\r"}, {"null", "null"}, {"true", "true"},
		{"zero", "0"}, {"string", `"x"`}, {"array", "[]"}, {"array-of-object", "[{}]"},
		{"empty-object", "{}"}, {"object-null-values", `{"event":null,"id":null,"timestamp":null,"data":null}`},
		{"lone-brace", "{"}, {"lone-quote", `"`}, {"lone-backslash-string", `"\`},
	} {
		b.add("top-level:"+v.label, "", []byte(v.raw))
	}
	// Nesting at and around encoding/json's limit of 10000, counting the envelope.
	for _, depth := range []int{9999, 10000, 10001} {
		inner := depth - 1
		p := `{"event":"future.event","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{},"x":` +
			strings.Repeat("[", inner) + strings.Repeat("]", inner) + "}"
		b.add("deep-nesting:"+strconv.Itoa(depth), "/x", []byte(p))
	}
}

func concat(a string, mid []byte, z string) []byte {
	out := make([]byte, 0, len(a)+len(mid)+len(z))
	return append(append(append(out, a...), mid...), z...)
}

// node is a JSON value that keeps what decoding into Go values loses: key
// order, repeated keys and the exact text of keys and scalars. Its encoding
// can hold what json.Marshal never writes: duplicate keys, invalid UTF-8,
// lone surrogate escapes, arbitrary white space.
type node struct {
	kind byte    // '{' object, '[' array, 0 scalar (or any raw JSON text)
	keys []key   // object member names, in order
	vals []*node // object member values or array elements
	raw  []byte  // scalar: the text as written
}

type key struct {
	name string // decoded
	raw  []byte // as written, quotes included
}

func raw(text string) *node { return &node{raw: []byte(text)} }

func parseNode(b []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return n, nil
}

func readNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &node{kind: byte(t)}
		for dec.More() {
			if n.kind == '{' {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				name := kt.(string)
				n.keys = append(n.keys, key{name, quote(name)})
			}
			v, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return n, nil
	case string:
		return &node{raw: quote(t)}, nil
	case json.Number:
		return raw(string(t)), nil
	case bool:
		return raw(strconv.FormatBool(t)), nil
	case nil:
		return raw("null"), nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// quote encodes s as a JSON string, without HTML escaping.
func quote(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func (n *node) clone() *node {
	c := &node{kind: n.kind, raw: n.raw}
	c.keys = append([]key(nil), n.keys...)
	for _, v := range n.vals {
		c.vals = append(c.vals, v.clone())
	}
	return c
}

// encode writes n with ws around every structural character.
func (n *node) encode(ws string) []byte {
	var b bytes.Buffer
	n.write(&b, ws)
	return b.Bytes()
}

func (n *node) write(b *bytes.Buffer, ws string) {
	if n.kind == 0 {
		b.Write(n.raw)
		return
	}
	b.WriteByte(n.kind)
	for i, v := range n.vals {
		if i > 0 {
			b.WriteString(ws)
			b.WriteByte(',')
		}
		b.WriteString(ws)
		if n.kind == '{' {
			b.Write(n.keys[i].raw)
			b.WriteString(ws)
			b.WriteByte(':')
			b.WriteString(ws)
		}
		v.write(b, ws)
	}
	b.WriteString(ws)
	if n.kind == '{' {
		b.WriteByte('}')
	} else {
		b.WriteByte(']')
	}
}

// index returns the position of the first member named name, or -1.
func (n *node) index(name string) int {
	for i, k := range n.keys {
		if k.name == name {
			return i
		}
	}
	return -1
}

// at returns the value at path, a list of member or element positions.
func (n *node) at(path []int) *node {
	for _, i := range path {
		n = n.vals[i]
	}
	return n
}

// replaceAt returns a copy of n with the value at path replaced by v.
func (n *node) replaceAt(path []int, v *node) *node {
	c := n.clone()
	c.at(path[:len(path)-1]).vals[path[len(path)-1]] = v
	return c
}

// removeAt returns a copy of n without the member or element at path.
func (n *node) removeAt(path []int) *node {
	c := n.clone()
	c.at(path[:len(path)-1]).remove(path[len(path)-1])
	return c
}

func (n *node) remove(i int) {
	if n.kind == '{' {
		n.keys = append(n.keys[:i:i], n.keys[i+1:]...)
	}
	n.vals = append(n.vals[:i:i], n.vals[i+1:]...)
}

// insert adds a member at position i; rawKey is the key as written.
func (n *node) insert(i int, rawKey string, v *node) {
	var name string
	if json.Unmarshal([]byte(rawKey), &name) != nil {
		name = rawKey // not valid JSON (invalid UTF-8 is valid to Unmarshal)
	}
	n.keys = append(n.keys[:i:i], append([]key{{name, []byte(rawKey)}}, n.keys[i:]...)...)
	n.vals = append(n.vals[:i:i], append([]*node{v}, n.vals[i:]...)...)
}

func (n *node) append(rawKey string, v *node) { n.insert(len(n.keys), rawKey, v) }

// move moves the member at position from to position to.
func (n *node) move(from, to int) {
	k, v := n.keys[from], n.vals[from]
	n.remove(from)
	n.insert(to, string(k.raw), v)
	n.keys[to] = k
}

func (n *node) reverse() {
	for i, j := 0, len(n.vals)-1; i < j; i, j = i+1, j-1 {
		n.keys[i], n.keys[j] = n.keys[j], n.keys[i]
		n.vals[i], n.vals[j] = n.vals[j], n.vals[i]
	}
}

// place is a value's position in a tree: its path and JSON pointer.
type place struct {
	path []int
	ptr  string
	val  *node
}

// walk lists every object member and array element at every depth, parents first.
func walk(root *node) []place {
	var out []place
	var rec func(n *node, path []int, ptr string)
	rec = func(n *node, path []int, ptr string) {
		for i, v := range n.vals {
			p := append(append([]int(nil), path...), i)
			var q string
			if n.kind == '{' {
				q = ptr + "/" + escapeToken(n.keys[i].name)
			} else {
				q = ptr + "/" + strconv.Itoa(i)
			}
			out = append(out, place{p, q, v})
			rec(v, p, q)
		}
	}
	rec(root, nil, "")
	return out
}

// walkObjects lists every object at every depth, the root first.
func walkObjects(root *node) []place {
	out := []place{{nil, "", root}}
	for _, p := range walk(root) {
		if p.val.kind == '{' {
			out = append(out, p)
		}
	}
	return out
}

// escapeToken escapes one JSON pointer token (RFC 6901).
func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
