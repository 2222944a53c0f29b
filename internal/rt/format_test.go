package rt

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// jstsDir holds files of the JSON Schema Test Suite (see its README).
const jstsDir = "testdata/jsts"

var formatCheckers = func() map[string]func(string) bool {
	m := map[string]func(string) bool{}
	for _, f := range Formats {
		m[f.Name] = f.Check
	}
	return m
}()

// jstsCase is a test of the suite whose data is a string; formats ignore
// other JSON types, so those need no check.
type jstsCase struct {
	name  string // group and test descriptions
	data  string
	valid bool
}

func loadJSTS(t testing.TB, format string) []jstsCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(jstsDir, format+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var groups []struct {
		Description string
		Tests       []struct {
			Description string
			Data        any
			Valid       bool
		}
	}
	if err := json.Unmarshal(raw, &groups); err != nil {
		t.Fatalf("%s.json: %v", format, err)
	}
	var cases []jstsCase
	for _, g := range groups {
		for _, c := range g.Tests {
			if s, ok := c.Data.(string); ok {
				cases = append(cases, jstsCase{g.Description + ": " + c.Description, s, c.Valid})
			}
		}
	}
	if len(cases) == 0 {
		t.Fatalf("%s.json has no string cases", format)
	}
	return cases
}

func TestFormatSuite(t *testing.T) {
	for format, check := range formatCheckers {
		t.Run(format, func(t *testing.T) {
			for _, c := range loadJSTS(t, format) {
				if got := check(c.data); got != c.valid {
					t.Errorf("%s: %s: %q: got %v, want %v", format, c.name, c.data, got, c.valid)
				}
			}
		})
	}
}

// TestFormatEdges pins decisions that the suite does not exercise.
func TestFormatEdges(t *testing.T) {
	for _, c := range []struct {
		format, s string
		want      bool
	}{
		{"date-time", "2025-01-10T12:00:00,5Z", false}, // time.Parse takes a "," fraction
		{"date-time", "2025-01-10T1:00:00Z", false},    // and one-digit fields
		{"date-time", "2025-01-10T12:00:00+24:00", false},
		{"date-time", "0000-02-29T23:59:60.0Z", true},
		{"time", "00:29:60.9-23:30", true},
		{"hostname", "xn--fhq2ee", true},
		{"hostname", "XN--FHQ2EE", true},   // DNS ignores case
		{"hostname", "xn---fhq2ee", false}, // decodes, but is not the canonical A-label
		{"hostname", "xn--abc-", false},
		{"hostname", "r4---sn-a5mekn7s.googlevideo.com", true}, // "--" at 3-4 outside "xn--" is allowed
		{"uri", "foo://u:p@[v7.a:b]:8042/over/there?name=ferret#nose", true},
		{"uri", "http://a%41b/", true}, // net/url rejects this valid reg-name
		{"uri", "a:", true},
		{"uri", "http://[::1]:", true},
		{"uri", "http://a:b:80/", false},
		{"email", "a@[IPv6:1:2:3:4:5:6:1.2.3.4]", true},
		{"email", `""@example.com`, true},
		{"email", `"a\"b"@example.com`, true},
		{"email", `"a\"@example.com`, false},
		{"email", "a@[tag:x]", false}, // no General-address-literal tag is registered
		{"email", strings.Repeat("a", 65) + "@example.com", false},
		{"ipv6", "1:2:3:4:5:6:7::", true},
		{"ipv6", "::1:2:3:4:5:6:7:8", false},
	} {
		if got := formatCheckers[c.format](c.s); got != c.want {
			t.Errorf("%s %q: got %v, want %v", c.format, c.s, got, c.want)
		}
	}
}

// dateTimeCorpus returns every string of the suite and single-byte
// mutations (replace, delete, insert) of a few valid date-times, which
// probe each field's bounds and separators.
func dateTimeCorpus(t testing.TB) []string {
	var corpus []string
	for format := range formatCheckers {
		for _, c := range loadJSTS(t, format) {
			corpus = append(corpus, c.data)
		}
	}
	const bytes = "01235689:-+.TtZz x"
	for _, base := range []string{
		"1998-12-31T23:59:60Z",
		"2024-02-29t00:30:60.5+01:30",
		"2025-01-10T12:00:00.123456789123-05:00",
	} {
		for i := 0; i <= len(base); i++ {
			if i < len(base) {
				corpus = append(corpus, base[:i]+base[i+1:])
			}
			for j := 0; j < len(bytes); j++ {
				corpus = append(corpus, base[:i]+bytes[j:j+1]+base[i:])
				if i < len(base) {
					corpus = append(corpus, base[:i]+bytes[j:j+1]+base[i+1:])
				}
			}
		}
	}
	return corpus
}

func TestParseDateTimeAgreesWithIsDateTime(t *testing.T) {
	for _, s := range dateTimeCorpus(t) {
		if _, ok := parseDateTime(s); ok != isDateTime(s) {
			t.Errorf("%q: parseDateTime ok = %v, isDateTime = %v", s, ok, !ok)
		}
	}
}

// strictRFC3339 matches the date-time shape with two-digit fields, a "."
// fraction and an offset within range. time.Parse is laxer outside it: it
// takes one-digit fields, a "," fraction and offsets such as +24:00.
var strictRFC3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$`)

// checkAgainstTimeParse requires parseDateTime to accept what time.Parse
// accepts in the strict shape, and both to give the same instant.
func checkAgainstTimeParse(t *testing.T, s string) {
	want, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return
	}
	got, ok := parseDateTime(s)
	switch {
	case !ok && strictRFC3339.MatchString(s):
		t.Errorf("%q: time.Parse accepts it, parseDateTime does not", s)
	case ok && !got.Equal(want):
		t.Errorf("%q: parseDateTime = %v, time.Parse = %v", s, got, want)
	case ok && (got.Location() == time.UTC) != (s[len(s)-1] == 'Z'):
		t.Errorf("%q: location %v", s, got.Location())
	}
}

func TestParseDateTimeMatchesTimeParse(t *testing.T) {
	for _, s := range dateTimeCorpus(t) {
		checkAgainstTimeParse(t, s)
	}
}

func TestParseDateTimeValues(t *testing.T) {
	zone := func(h, m int) *time.Location { return time.FixedZone("", h*3600+m*60) }
	for _, c := range []struct {
		s    string
		want time.Time
	}{
		{"2025-01-10T12:00:00Z", time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)},
		{"1998-12-31T23:59:60Z", time.Date(1998, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"1998-12-31T15:59:60.123-08:00", time.Date(1998, 12, 31, 15, 59, 59, 999999999, zone(-8, 0))},
		{"2016-12-31T23:59:60.5z", time.Date(2016, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"9999-12-31T23:59:60Z", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"1985-04-12T00:59:59.999999999999999Z", time.Date(1985, 4, 12, 0, 59, 59, 999999999, time.UTC)},
		{"1937-01-01t12:00:27.87+00:20", time.Date(1937, 1, 1, 12, 0, 27, 87e7, zone(0, 20))},
		{"0000-02-29T00:00:00.000000001-00:00", time.Date(0, 2, 29, 0, 0, 0, 1, zone(0, 0))},
		{"9999-12-31T23:59:59.999999999+23:59", time.Date(9999, 12, 31, 23, 59, 59, 999999999, zone(23, 59))},
	} {
		got, ok := parseDateTime(c.s)
		gotName, gotOff := got.Zone()
		wantName, wantOff := c.want.Zone()
		if !ok || !got.Equal(c.want) || gotName != wantName || gotOff != wantOff ||
			(got.Location() == time.UTC) != (c.want.Location() == time.UTC) {
			t.Errorf("parseDateTime(%q) = %v, %v; want %v", c.s, got, ok, c.want)
		}
	}
}

func TestCheckersDoNotAllocate(t *testing.T) {
	for format, check := range formatCheckers {
		for _, c := range loadJSTS(t, format) {
			if n := testing.AllocsPerRun(10, func() { check(c.data) }); n != 0 {
				t.Errorf("%s %q: %v allocations", format, c.data, n)
			}
		}
	}
	if n := testing.AllocsPerRun(100, func() { parseDateTime("2025-01-10T12:00:00Z") }); n != 0 {
		t.Errorf("parseDateTime: %v allocations", n)
	}
}

func BenchmarkParseDateTime(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		parseDateTime("2025-01-10T12:00:00Z")
	}
}

func FuzzIsDateTime(f *testing.F) {
	for _, s := range dateTimeCorpus(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, ok := parseDateTime(s); ok != isDateTime(s) {
			t.Fatalf("%q: parseDateTime ok = %v, isDateTime = %v", s, ok, !ok)
		}
		checkAgainstTimeParse(t, s)
	})
}

func FuzzIsURI(f *testing.F) {
	for _, c := range loadJSTS(f, "uri") {
		f.Add(c.data)
	}
	f.Add("foo://u:p@[v7.a:b]:8042/over/there?name=ferret#nose")
	f.Add("http://[1::2:3]:80/%41")
	f.Fuzz(func(t *testing.T, s string) {
		if !isURI(s) || netURLRejectsValidHost(s) {
			return
		}
		if u, err := url.Parse(s); err != nil || !u.IsAbs() {
			t.Fatalf("isURI(%q), but url.Parse gives %v, %v", s, u, err)
		}
	})
}

// netURLRejectsValidHost reports whether the URI s has a host that RFC 3986
// allows but net/url rejects: an IPvFuture literal, or a reg-name with a
// percent-encoded ASCII byte other than %25.
func netURLRejectsValidHost(s string) bool {
	_, rest, _ := strings.Cut(s, ":")
	rest, _, _ = strings.Cut(rest, "#")
	rest, _, _ = strings.Cut(rest, "?")
	auth, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return false
	}
	auth, _, _ = strings.Cut(auth, "/")
	if i := strings.IndexByte(auth, '@'); i >= 0 {
		auth = auth[i+1:]
	}
	if strings.HasPrefix(auth, "[v") || strings.HasPrefix(auth, "[V") {
		return true
	}
	for i := strings.IndexByte(auth, '%'); i >= 0; i = strings.IndexByte(auth, '%') {
		if auth[i+1] < '8' && auth[i:i+3] != "%25" {
			return true
		}
		auth = auth[i+3:]
	}
	return false
}
