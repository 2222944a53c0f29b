package rt

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// skipAll runs the decoder over one whole value and reports whether it was
// well-formed JSON with nothing after it.
func skipAll(s string) bool {
	d := decoder{s: s}
	d.skip()
	d.end()
	return d.err == nil
}

var jsonSamples = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e-3`, `true`, `false`, `null`, ` {"a" : [1, 2, {"b": null}] } `,
	`"\u00e9\ud83d\ude00\n\t\"\\\/"`, `"caf` + "\xff" + `"`, `"\ud800"`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `01`, `1.`, `.5`,
	`1e`, `-`, `tru`, `nul`, `"abc`, `"a` + "\x01" + `"`, `{"a":1}}`, `[1 2]`, `{1:2}`, `"\x"`, `"\u12"`, ``, ` `,
	`[[[[[]]]]]`, `{"a":{"b":{"c":"d"}}}`, `1e400`, `-1.0E+2`, `"` + strings.Repeat("x", 300) + `"`,
}

func TestSkipAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range jsonSamples {
		if got, want := skipAll(s), json.Valid([]byte(s)); got != want {
			t.Errorf("%q: well-formed = %v, encoding/json says %v", s, got, want)
		}
	}
}

func FuzzSkip(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := skipAll(s), json.Valid([]byte(s)); got != want {
			t.Errorf("%q: well-formed = %v, encoding/json says %v", s, got, want)
		}
	})
}

// TestStrDecodesAsEncodingJSON checks escapes, invalid UTF-8 and lone
// surrogates, which must come out as encoding/json makes them.
func TestStrDecodesAsEncodingJSON(t *testing.T) {
	for _, s := range jsonSamples {
		var want string
		if !strings.HasPrefix(s, `"`) || json.Unmarshal([]byte(s), &want) != nil {
			continue
		}
		d := decoder{s: s}
		got, ok := d.str()
		if !ok || got != want {
			t.Errorf("%q: got %q (%v), want %q", s, got, ok, want)
		}
	}
}

func TestIntegerFollowsJSONSchema(t *testing.T) {
	tests := []struct {
		lit            string
		v              int64
		isInt, inRange bool
	}{
		{"0", 0, true, true},
		{"-0", 0, true, true},
		{"180", 180, true, true},
		{"180.0", 180, true, true},
		{"1e2", 100, true, true},
		{"1.5", 0, false, false},
		{"9223372036854775807", math.MaxInt64, true, true},
		{"9223372036854775808", 0, true, false},
		{"-9223372036854775809", 0, true, false},
		{"1e300", 0, true, false},
		{"1e999999", 0, true, false},
		{"1e-999999", 0, false, false},
		{"0e999999", 0, true, true},
		{"-2.50e1", -25, true, true},
		{"1" + strings.Repeat("0", 500) + "e-500", 1, true, true},
		{"0." + strings.Repeat("0", 400) + "1e402", 10, true, true},
		{"-9223372036854775808", math.MinInt64, true, true},
		{"1e99999999999", 0, true, false},
		{"-1e99999999999", 0, true, false},
		{"1e-99999999999", 0, false, false},
		{"0.0e99999999999", 0, true, true},
	}
	for _, tt := range tests {
		v, isInt, inRange := integerOf(tt.lit)
		if v != tt.v || isInt != tt.isInt || inRange != tt.inRange {
			t.Errorf("%s: got %d isInt=%v inRange=%v", tt.lit, v, isInt, inRange)
		}
	}
}

func TestJSONEqualComparesValues(t *testing.T) {
	equal := [][2]string{{"1", "1.0"}, {"10e-1", "1"}, {"-0", "0"}, {`{"a":1,"b":[1,2]}`, `{"b":[1.0,2],"a":1}`}, {`"\u00e9"`, `"é"`}, {"1e400", "10e399"}}
	differ := [][2]string{{"1", "1.0000000000000000001"}, {`[1,2]`, `[2,1]`}, {`{"a":1}`, `{"a":1,"b":2}`}, {`"1"`, "1"}, {"true", "1"}, {"null", "0"}}
	for _, p := range equal {
		if !jsonEqual(p[0], p[1]) {
			t.Errorf("%s and %s should be equal", p[0], p[1])
		}
	}
	for _, p := range differ {
		if jsonEqual(p[0], p[1]) {
			t.Errorf("%s and %s should differ", p[0], p[1])
		}
	}
}

func TestCheckerPointers(t *testing.T) {
	var c checker
	c.fail(here, "root")
	c.enter("data")
	c.fail("a/b~c", "escaped")
	c.fail("", "empty key")
	for i := 0; i < 10; i++ { // deeper than the fixed part of the stack
		c.enter(index(i))
	}
	c.fail("x", "deep")
	for i := 0; i < 10; i++ {
		c.leave()
	}
	c.fail(here, "back")
	want := []string{"", "/data/a~1b~0c", "/data/", "/data/0/1/2/3/4/5/6/7/8/9/x", "/data"}
	for i, p := range c.problems {
		if p.Pointer != want[i] {
			t.Errorf("problem %d at %q, want %q", i, p.Pointer, want[i])
		}
	}
	var outer checker
	outer.nest("data", c.err())
	if len(outer.problems) != 5 || outer.problems[3].Pointer != "/data/data/0/1/2/3/4/5/6/7/8/9/x" {
		t.Errorf("nest: %v", outer.problems)
	}
}

func TestSharedDecoders(t *testing.T) {
	d := decoder{s: `{"s":"x","i":7,"f":2.5,"b":true,"t":"2025-01-10T12:00:00Z","r":[1, 2],"bad":null}`}
	var (
		s  string
		i  int64
		f  float64
		b  bool
		tm time.Time
		r  json.RawMessage
	)
	d.object()
	for first := true; ; {
		k, ok := d.key(&first)
		if !ok {
			break
		}
		switch k {
		case "s":
			decodeString(&d, k, &s)
		case "i":
			decodeInt64(&d, k, &i)
		case "f":
			decodeFloat64(&d, k, &f)
		case "b":
			decodeBool(&d, k, &b)
		case "t":
			decodeTime(&d, k, &tm)
		case "r":
			decodeRaw(&d, k, &r)
		case "bad":
			decodeString(&d, k, &s)
		}
	}
	d.end()
	if d.err != nil || s != "x" || i != 7 || f != 2.5 || !b || tm.Unix() != 1736510400 || string(r) != "[1, 2]" {
		t.Fatalf("decoded %q %d %v %v %v %s (err %v)", s, i, f, b, tm, r, d.err)
	}
	if len(d.problems) != 1 || d.problems[0].Pointer != "/bad" || d.problems[0].Message != "expected string, but got null" {
		t.Fatalf("problems: %v", d.problems)
	}
}

func TestIsMultipleOfIsExact(t *testing.T) {
	tests := []struct {
		v    float64
		m    string
		want bool
	}{
		{0.3, "0.1", true}, {0.0075, "0.0001", true}, {0.00751, "0.0001", false},
		{10, "3", false}, {1e308, "0.123456789", false}, {math.Inf(1), "1", false},
	}
	for _, tt := range tests {
		if got := isMultipleOf(tt.v, tt.m); got != tt.want {
			t.Errorf("isMultipleOf(%v, %s) = %v", tt.v, tt.m, got)
		}
	}
}

func TestCanonicalKeepsTheLastDuplicate(t *testing.T) {
	b, err := canonical([]byte(`{"a":1,"b":{"c":1,"c":2.50},"a":3}`))
	if err != nil || string(b) != `{"a":3,"b":{"c":2.50}}` {
		t.Fatalf("got %s, %v", b, err)
	}
	if keys := sortedKeys(map[string]int{"b": 1, "a": 2}); strings.Join(keys, ",") != "a,b" {
		t.Fatalf("sortedKeys: %v", keys)
	}
}

func TestSeeNotesRepeatedKeys(t *testing.T) {
	var d decoder
	var seen uint64
	d.see(&seen, 3)
	if d.dup {
		t.Fatal("first sighting counted as a repeat")
	}
	d.see(&seen, 3)
	if !d.dup || seen != 1<<3 {
		t.Fatalf("dup=%v seen=%b", d.dup, seen)
	}
}

// decodePair is a decoder of the shape krosgen generates for a struct with a
// required "a" and an optional "b", both integers.
func decodePair(d *decoder, key string, v *[2]int64) bool {
	if !d.openObject(key) {
		return false
	}
	var seen uint64
	for k, first := "", true; d.next(&first, &k); {
		switch k {
		case "a":
			d.see(&seen, 0)
			decodeIntegerAs(d, k, &v[0], nil)
		case "b":
			d.see(&seen, 1)
			decodeIntegerAs(d, k, &v[1], nil)
		default:
			d.skip()
		}
	}
	return d.closeStruct(seen, "a")
}

// decodePairs reads an array of pairs as generated slice decoders do.
func decodePairs(d *decoder, key string, v *[][2]int64) bool {
	if !d.openArray(key) {
		return false
	}
	s := make([][2]int64, 0, d.members())
	for first := true; d.elem(&first); {
		var e [2]int64
		decodePair(d, index(len(s)), &e)
		s = append(s, e)
	}
	d.leave()
	*v = s
	return true
}

func TestObjectAndArrayHelpers(t *testing.T) {
	for _, tt := range []struct {
		in       string
		want     [][2]int64
		pointers []string
	}{
		{`[{"a": 1, "b": 2}, {"a": 3, "x": [4]}]`, [][2]int64{{1, 2}, {3, 0}}, nil},
		{`[{"b": 2}, 7, {"a": "x"}]`, [][2]int64{{0, 2}, {}, {}}, []string{"/list/0/a", "/list/1", "/list/2/a"}},
		{`{"a": 1}`, nil, []string{"/list"}},
	} {
		d := decoder{s: tt.in}
		var got [][2]int64
		ok := decodePairs(&d, "list", &got)
		d.end()
		if d.err != nil || ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ok %v, got %v, err %v", tt.in, ok, got, d.err)
		}
		var pointers []string
		for _, p := range d.problems {
			pointers = append(pointers, p.Pointer)
		}
		if !reflect.DeepEqual(pointers, tt.pointers) {
			t.Errorf("%s: problems at %q, want %q", tt.in, pointers, tt.pointers)
		}
		if d.depth != 0 {
			t.Errorf("%s: depth %d after the value", tt.in, d.depth)
		}
	}
}
