// Package templates holds the text/template files krosgen renders its
// non-Go output from, such as the event catalogue EVENTS.md.
package templates

import "embed"

// FS holds every template.
//
//go:embed *.tmpl
var FS embed.FS
