package generator

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/krosgen/krosgen/generator/rtfiles"
	"github.com/krosgen/krosgen/internal/rt"
)

// The code copied into every generated package comes from two places: the
// runtime (internal/rt: decoder, checker, errors, formats, validator
// helpers), each file only when the package uses it, and the handler layer
// (support/: handler, verifier, subscription patterns), which every package
// gets. See package rtfiles.
//
//go:embed support/*.go
var supportFS embed.FS

// runtimeCode is every file that may be copied.
var runtimeCode = func() *rtfiles.Runtime {
	support, err := fs.Sub(supportFS, "support")
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
	r, err := rtfiles.Load(
		rtfiles.Source{Dir: "internal/rt", FS: rt.Source},
		rtfiles.Source{Dir: "generator/support", FS: support, Always: true},
	)
	if err != nil {
		panic("krosgen bug: " + err.Error())
	}
	return r
}()

// eventAPI holds the fixed names of the event API, which every generated
// package declares.
var eventAPI = []string{
	"EventType", "EventTypes", "Event", "EventData", "UnknownEvent", "Parse", "Nullable",
	"decodeEvent", "decodeEventData",
}

// runtimeNames returns the identifiers that a package using the given
// runtime names (see rtfiles.Runtime.Select) leaves to the copied code,
// with the fixed names of the event API: the names its own declarations
// cannot take.
func runtimeNames(uses ...string) (map[string]bool, error) {
	sel, err := runtimeCode.Select(uses...)
	if err != nil {
		return nil, err
	}
	names := sel.Declared()
	for _, n := range append(eventAPI, fixtureAPI...) {
		names[n] = true
	}
	return names, nil
}

// reserved holds every name the copied code may declare, whether this
// package copies it or not, and the fixed names of the event API. Naming
// that knows what the package uses should call runtimeNames instead.
var reserved = func() map[string]bool {
	names := map[string]bool{}
	for _, f := range runtimeCode.Files {
		for _, n := range f.Declares {
			names[n] = true
		}
	}
	for _, n := range append(eventAPI, fixtureAPI...) {
		names[n] = true
	}
	return names
}()

// runtimeCopies returns the copied files of a package whose own files are
// gen, each starting with the header comment hdr: what the generated code
// uses of the runtime, and what that uses in turn.
func runtimeCopies(pkg, hdr string, gen map[string][]byte) (map[string][]byte, error) {
	var uses []string
	for name, src := range gen {
		refs, err := runtimeCode.Referenced(src)
		if err != nil {
			return nil, fmt.Errorf("krosgen bug: %s does not parse: %v", name, err)
		}
		uses = append(uses, refs...)
	}
	sel, err := runtimeCode.Select(uses...)
	if err != nil {
		return nil, fmt.Errorf("krosgen bug: %v", err)
	}
	return sel.Render(pkg, hdr)
}
