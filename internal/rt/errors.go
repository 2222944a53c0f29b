package rt

import (
	"strconv"
	"strings"
)

// Problem is one way in which a payload breaks its schema.
type Problem struct {
	// Pointer is the JSON pointer (RFC 6901) of the offending value,
	// such as "/data/from_number"; "" is the whole payload.
	Pointer string `json:"pointer"`
	// Message says what was expected and what was found.
	Message string `json:"message"`
}

// String renders the problem as "pointer: message"; the whole payload,
// whose pointer is "", shows as "(root)".
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "(root)"
	}
	return ptr + ": " + p.Message
}

// ValidationError reports every problem found in a well-formed payload
// that does not satisfy its schema. Use errors.As to reach it.
type ValidationError struct {
	// Problems lists the problems in the order they were found.
	Problems []Problem
}

// Error lists every problem, one per line after the first.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid payload: ")
	if len(e.Problems) == 1 {
		b.WriteString(e.Problems[0].String())
		return b.String()
	}
	b.WriteString(strconv.Itoa(len(e.Problems)))
	b.WriteString(" problems")
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// SyntaxError reports a payload that is not well-formed JSON.
type SyntaxError struct {
	// Offset is the byte offset in the payload at which the error was found.
	Offset int
	// Msg describes the error.
	Msg string
}

// Error names the byte offset and the fault.
func (e *SyntaxError) Error() string {
	return "malformed JSON at byte offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}
