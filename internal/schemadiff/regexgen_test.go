package schemadiff

import (
	"regexp"
	"testing"

	"github.com/krosgen/krosgen/schema"
)

// TestMatching_EveryStringMatches holds the witness strings of a pattern to
// matching it, over the bundled schemas' patterns and a few shapes more.
func TestMatching_EveryStringMatches(t *testing.T) {
	patterns := []string{`^[a-z]+(-[a-z]+)*$`, `^(foo|bar)\d{2,3}$`, `x?y*z+`, `^[^a-z]{3}$`, `^\+[1-9][0-9]{1,14}$`, `^.{1,40}$`, `_`, `^(?:a|bc)+$`}
	set, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	var collect func(n *node)
	collect = func(n *node) {
		if n == nil {
			return
		}
		patterns = append(patterns, n.patterns...)
		for _, p := range n.prop {
			collect(p)
		}
		collect(n.items)
		collect(n.additional)
	}
	side, err := Load(schema.FS(), "schema", "bundled")
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range set.Events {
		collect(side.events[ev.Type])
	}
	if len(patterns) < 12 {
		t.Fatalf("only %d patterns collected", len(patterns))
	}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		got := matching(p)
		if len(got) == 0 {
			t.Errorf("%s: no string", p)
		}
		for _, s := range got {
			if !re.MatchString(s) {
				t.Errorf("%s: %q does not match", p, s)
			}
		}
	}
}
