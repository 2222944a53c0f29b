package schema

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestRegexDialect_RefusesWhatECMAAndRE2ReadDifferently(t *testing.T) {
	refused := []string{
		`^.+$`, `\s`, `[\S]`, `^\p{L}+$`, `\PL`, `\Aa\z`, `a\Z`, `\Qa.b\E`, `\C`, `(?i)abc`, `a(?s:.)`,
		`(?P<x>a)`, `[[:alpha:]]`, `(a)\1`, `\0`, `[]a]`, `[^]a]`, `\x{41}`, `(?=a)`, `(?<!a)b`, `\k<x>`,
	}
	for _, src := range refused {
		if regexDialectProblem(src) == "" {
			t.Errorf("%s is read differently by ECMA-262 and RE2 but is accepted", src)
		}
	}
	accepted := []string{
		`^evt_[A-Za-z0-9_]+$`, `^\+[1-9][0-9]{1,14}$`, `\d\D\w\W\b\B`, `^(?:ab|cd)*?$`, `(?<year>\d{4})-`,
		`[\]a]`, `[a\-z]`, `\.`, `\t\n\r\f\v`, `\x41`, `[.]`, `a{2,}b{1,3}`, `^[^\n]*$`, `é+`, `\\s`,
	}
	for _, src := range accepted {
		if why := regexDialectProblem(src); why != "" {
			t.Errorf("%s reads the same in ECMA-262 and RE2 but is refused: %s", src, why)
		}
		if _, err := regexp.Compile(src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

func TestLoad_RefusesAPatternOutsideTheCommonDialect(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{EnvelopeFile, DefsFile, "events/call.completed.json"} {
		raw, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: raw}
	}
	ev := string(fsys["events/call.completed.json"].Data)
	i := strings.Index(ev, `"properties"`)
	ev = ev[:i] + `"patternProperties": {"^x-.*$": {}}, ` + ev[i:]
	fsys["events/call.completed.json"] = &fstest.MapFile{Data: []byte(ev)}
	_, err := Load(fsys, "schema")
	want := `schema/events/call.completed.json#/patternProperties/^x-.*$: pattern "^x-.*$" is refused: "." matches`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v, want %s...", err, want)
	}
}
