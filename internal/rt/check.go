package rt

import (
	"strconv"
	"strings"
)

// checker collects the problems found while decoding or validating a value.
// It keeps the JSON pointer of the value being looked at as a stack of
// tokens, so a pointer string is only built when a problem is reported. The
// first tokens live in an array, not a slice of it, so that a checker holds
// no pointer to itself and can stay on the stack.
type checker struct {
	top      [8]string
	deep     []string // tokens beyond len(top)
	depth    int
	problems []Problem
}

// enter descends into the property or element named token.
func (c *checker) enter(token string) {
	if c.depth < len(c.top) {
		c.top[c.depth] = token
	} else {
		c.deep = append(c.deep, token)
	}
	c.depth++
}

// leave returns to the parent value.
func (c *checker) leave() {
	c.depth--
	if c.depth >= len(c.top) {
		c.deep = c.deep[:len(c.deep)-1]
	}
}

// here is the key that names the current value itself rather than a child.
// No decoded key can equal it: the decoder turns the byte 0xff, which is not
// UTF-8, into U+FFFD. So the empty key "" stays an ordinary property name.
const here = "\xff"

// fail records a problem with the child named key of the current value, or
// with the current value itself when key is here.
func (c *checker) fail(key, msg string) {
	c.problems = append(c.problems, Problem{Pointer: c.pointer(key), Message: msg})
}

func (c *checker) pointer(key string) string {
	var b strings.Builder
	b.Grow(c.pointerLen(key))
	for i := 0; i < c.depth; i++ {
		token := c.token(i)
		if token == here {
			continue
		}
		b.WriteByte('/')
		b.WriteString(escapeToken(token))
	}
	if key != here {
		b.WriteByte('/')
		b.WriteString(escapeToken(key))
	}
	return b.String()
}

// token returns the i-th token of the current path.
func (c *checker) token(i int) string {
	if i < len(c.top) {
		return c.top[i]
	}
	return c.deep[i-len(c.top)]
}

// pointerLen is the length of the pointer to key when no token needs
// escaping, so that building it takes one allocation.
func (c *checker) pointerLen(key string) int {
	n := 0
	for i := 0; i < c.depth; i++ {
		n += 1 + len(c.token(i))
	}
	if key != here {
		n += 1 + len(key)
	}
	return n
}

// err returns the problems as a *ValidationError, or nil when there are none.
func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: c.problems}
}

// escapeToken escapes one JSON pointer token (RFC 6901).
func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// quoted renders a string value for a message, quoted and shortened when
// long, followed by rest: one allocation when the value needs no escaping.
func quoted(s, rest string) string {
	const max = 64
	if len(s) > max {
		s, rest = s[:max], "..."+rest
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return strconv.Quote(s) + rest
		}
	}
	var b strings.Builder
	b.Grow(len(s) + 2 + len(rest))
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
	b.WriteString(rest)
	return b.String()
}

// nest adds the problems of a nested value's validation, whose pointers are
// relative to the child token.
func (c *checker) nest(token string, err error) {
	ve, ok := err.(*ValidationError)
	if !ok {
		c.fail(token, err.Error())
		return
	}
	prefix := c.pointer(token)
	for _, p := range ve.Problems {
		c.problems = append(c.problems, Problem{Pointer: prefix + p.Pointer, Message: p.Message})
	}
}
