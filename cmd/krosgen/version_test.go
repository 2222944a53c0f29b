package main

import (
	"runtime/debug"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	const self = "github.com/krosgen/krosgen"
	cases := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"go install at a release", debug.BuildInfo{Main: debug.Module{Path: self, Version: "v1.2.3"}}, "v1.2.3"},
		{"go tool at a pseudo-version", debug.BuildInfo{Main: debug.Module{Path: self, Version: "v0.0.0-20260101120000-abcdefabcdef"}}, "v0.0.0-20260101120000-abcdefabcdef"},
		{"a checkout, stamped from git", debug.BuildInfo{Main: debug.Module{Path: self, Version: "v1.2.4-0.20260101120000-abcdefabcdef"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abcdef"}}}, devel},
		{"a dirty checkout", debug.BuildInfo{Main: debug.Module{Path: self, Version: "v1.2.3+dirty"}}, devel},
		{"go run in the repository", debug.BuildInfo{Main: debug.Module{Path: self, Version: devel}}, devel},
		{"no version", debug.BuildInfo{Main: debug.Module{Path: self}}, devel},
		{"a dependency of another command", debug.BuildInfo{Main: debug.Module{Path: "example.com/x", Version: "v9.9.9"},
			Deps: []*debug.Module{{Path: self, Version: "v1.0.0"}}}, "v1.0.0"},
		{"go tool with a replace by a directory", debug.BuildInfo{Main: debug.Module{Path: self, Version: "v0.0.0", Replace: &debug.Module{Path: "../krosgen"}}}, devel},
		{"go tool with a replace by a fork", debug.BuildInfo{Main: debug.Module{Path: self, Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1"}}}, "v1.0.1"},
		{"a replaced dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/x"},
			Deps: []*debug.Module{{Path: self, Version: "v1.0.0", Replace: &debug.Module{Path: "../krosgen"}}}}, devel},
	}
	for _, c := range cases {
		if got := moduleVersion(&c.bi); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
