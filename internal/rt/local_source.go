// Package rt is the runtime of every package krosgen generates: the
// single-pass JSON decoder, the checker that collects problems with their
// JSON pointers, the error types, the format checkers and the helpers of
// generated validators. It knows no generated name, so it is built and
// tested here like any package; krosgen copies its files into each
// generated package, only those the package uses (see
// generator/rtfiles), with the package clause rewritten.
//
// Files whose names start with "local_" belong to this package only and
// are never copied: they expose to krosgen and to package schema what a
// generated package keeps unexported.
package rt

import "embed"

// Source holds the files that krosgen copies into generated packages, and
// their tests, which are not copied.
//
//go:embed *.go
var Source embed.FS
