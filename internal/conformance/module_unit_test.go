package conformance

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestBlameBuild checks that compile errors are traced to the groups whose
// identifiers the failing declaration holds.
func TestBlameBuild(t *testing.T) {
	dir := t.TempDir()
	src := "package conf\n\n// checkTG12Value checks.\nfunc checkTG12Value(c *checker, v G12Foo) {\n\tbroken(\n}\n\nfunc decodeTG3(d *decoder) bool {\n\treturn true\n}\n"
	if err := os.MkdirAll(filepath.Join(dir, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "conf", "checks.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := "# example.com/conf/conf\nconf/checks.go:5:9: syntax error: unexpected newline\nconf/checks.go:99:1: out of range\nother/x.go:1:1: ignored\n"
	got := blameBuild(dir, out)
	want := map[int][]string{12: {"conf/checks.go:5: syntax error: unexpected newline"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blameBuild = %v, want %v", got, want)
	}
}
