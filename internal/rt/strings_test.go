package rt

import (
	"encoding/json"
	"strings"
	"testing"
)

// unquoteSamples are string bodies: escapes of every kind, surrogate pairs
// and lone halves, invalid UTF-8, control bytes, runs longer than a word.
var unquoteSamples = []string{
	``, `a`, `plain text longer than one word`, `\n`, `\"\\\/\b\f\n\r\t`, `\u00e9`, `\u20AC`, `\ud83d\ude00`,
	`\ud800`, `\udc00`, `\ud800\u0041`, `\ud800\ud800\udc00`, `\ud83d\ude00tail`, "caf\xc3\xa9", "\xff", "a\xffb",
	"\xe2\x82", `\x`, `\u12`, `\u12g4`, "a\x01b", "\x7f", `tab\there and "quotes" and C:\\path\\x`,
	strings.Repeat(`0123456789\n`, 40), strings.Repeat("é", 20) + `\t` + strings.Repeat("x", 17), `ab\`, `\u`,
	"\xed\xa0\x80", "\xf4\x90\x80\x80", `end"`, `"`,
}

// checkAgainstEncodingJSON decodes the literal "body" with str and with
// skipString, and with encoding/json: all three must agree on whether it is
// well-formed, and str on the value.
func checkAgainstEncodingJSON(t *testing.T, body string) {
	lit := `"` + body + `"`
	var want string
	wantErr := json.Unmarshal([]byte(lit), &want)
	d := decoder{s: lit}
	got, ok := d.str()
	d.end()
	switch {
	case (wantErr == nil) != (ok && d.err == nil):
		t.Fatalf("%q: str ok=%v err=%v; encoding/json: %v", lit, ok, d.err, wantErr)
	case wantErr == nil && got != want:
		t.Fatalf("%q: str gives %q, encoding/json %q", lit, got, want)
	}
	skip := decoder{s: lit}
	skip.skip()
	skip.end()
	if (wantErr == nil) != (skip.err == nil) {
		t.Fatalf("%q: skip err=%v; encoding/json: %v", lit, skip.err, wantErr)
	}
}

func TestStr_DecodesAsEncodingJSON(t *testing.T) {
	for _, body := range unquoteSamples {
		checkAgainstEncodingJSON(t, body)
	}
}

func FuzzUnquote(f *testing.F) {
	for _, body := range unquoteSamples {
		f.Add(body)
	}
	f.Fuzz(checkAgainstEncodingJSON)
}

func TestStr_AllocatesOnlyForEscapes(t *testing.T) {
	plain := `"` + strings.Repeat("plain ascii and é ", 100) + `"`
	escaped := `"` + strings.Repeat(`line \"one\"\n\ttab \u20ac `, 100) + `"`
	for _, tt := range []struct {
		lit  string
		want float64
	}{{plain, 0}, {escaped, 1}} {
		got := testing.AllocsPerRun(100, func() {
			d := decoder{s: tt.lit}
			d.str()
		})
		if got != tt.want {
			t.Errorf("%.20s...: %v allocations, want %v", tt.lit, got, tt.want)
		}
		got = testing.AllocsPerRun(100, func() {
			d := decoder{s: tt.lit}
			d.skip()
		})
		if got != 0 {
			t.Errorf("%.20s...: skipping it allocates %v times", tt.lit, got)
		}
	}
}

func BenchmarkStr(b *testing.B) {
	for _, bc := range []struct{ name, lit string }{
		{"plain", `"` + strings.Repeat("plain ascii text ", 64) + `"`},
		{"escaped", `"` + strings.Repeat(`line \"one\"\n\ttab `, 64) + `"`},
		{"non-ascii", `"` + strings.Repeat("Überweisung — €49.99 ", 64) + `"`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.lit)))
			b.ReportAllocs()
			for b.Loop() {
				d := decoder{s: bc.lit}
				d.str()
			}
		})
	}
}

func TestMembers_CountsWithoutConsuming(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{
		{`{}`, 0}, {`{ }`, 0}, {`[]`, 0}, {`{"a":1}`, 1}, {`{"a":1,"b":[1,2,{"c":"}"}],"d":"x,\"y"}`, 3},
		{`[1, [2, 3], {"a": ","}]`, 3}, {`{"a":"\\"}`, 1}, {`{"a":1`, 1},
	} {
		d := decoder{s: tt.s}
		if !d.object() && !d.array() {
			t.Fatalf("%s: not opened", tt.s)
		}
		at := d.i
		if got := d.members(); got != tt.want || d.i != at {
			t.Errorf("%s: members() = %d (offset %d -> %d), want %d", tt.s, got, at, d.i, tt.want)
		}
	}
}

func TestStr_SmallEscapedStringsShareAllocations(t *testing.T) {
	lit := "[" + strings.Repeat(`"tag \"7\"\tline\nnext",`, 99) + `"last\n"]`
	var got []string
	allocs := testing.AllocsPerRun(20, func() {
		got = got[:0]
		d := decoder{s: lit}
		d.array()
		for first := true; d.elem(&first); {
			s, _ := d.str()
			got = append(got, s)
		}
	})
	if len(got) != 100 || got[0] != "tag \"7\"\tline\nnext" || got[99] != "last\n" {
		t.Fatalf("decoded %d strings: %q ... %q", len(got), got[0], got[len(got)-1])
	}
	if allocs > 5 {
		t.Errorf("100 small escaped strings cost %v allocations; they should share a few", allocs)
	}
}
