package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

var versionCommand = &command{
	name:  "version",
	short: "print krosgen's version",
	details: `The version is the module version krosgen was built at ("v1.2.0" when
installed with go install or go get -tool), "(devel)" for a build from a
checkout, a replace directive to one included. Generated files record it in
their first line.`,
}

func init() { versionCommand.run = runVersion }

func runVersion(args []string, e env) int {
	fl := newFlags(versionCommand)
	if status, done := parse(versionCommand, fl, args, e); done {
		return status
	}
	if fl.NArg() > 0 {
		return usageError(e.stderr, "version", "unexpected argument %q", fl.Arg(0))
	}
	fmt.Fprintf(e.stdout, "krosgen %s\n", version())
	return exitOK
}

// devel is the version of a build that has no module version.
const devel = "(devel)"

// version is krosgen's module version from the build information. A build
// from a checkout (go run ./cmd/krosgen, or a replace directive) reports
// "(devel)": a version stamped from version control would change with every
// commit, and generated files, which record the version, would never stay in
// sync with their schemas.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return devel
	}
	return moduleVersion(bi)
}

func moduleVersion(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if r := bi.Main.Replace; r != nil {
		// A replace directive: a directory has no version, a module has
		// its replacement's.
		v = r.Version
	}
	if bi.Main.Path != "github.com/krosgen/krosgen" {
		// Built as a dependency of another main module (go tool krosgen
		// builds krosgen as itself, but a wrapper command might not).
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/krosgen/krosgen" {
				v = dep.Version
				if dep.Replace != nil {
					v = dep.Replace.Version
				}
			}
		}
	}
	for _, s := range bi.Settings {
		if strings.HasPrefix(s.Key, "vcs.") {
			return devel
		}
	}
	if v == "" || strings.HasSuffix(v, "+dirty") {
		return devel
	}
	return v
}
