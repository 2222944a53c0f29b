package support

// This file lets the handler layer compile here, beside the stub events,
// with the runtime's names unqualified as they are in a generated package,
// where the runtime's files are copied in. It is not copied.

import "github.com/krosgen/krosgen/internal/rt"

type (
	Problem         = rt.Problem
	ValidationError = rt.ValidationError
	SyntaxError     = rt.SyntaxError
)
