//go:build krosgen_template

package support

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Subscription patterns select event types, as in KrosAI's webhook
// subscriptions. A pattern is one of:
//
//   - an exact event type, such as "call.completed";
//   - a category wildcard "<category>.*", such as "call.*" or
//     "phone_number.*", where the category is the part of an event type
//     before its first "."; it covers every event type of that category;
//   - "*", which covers every event type.
//
// Names are made of lowercase ASCII letters, digits and "_", starting with
// a letter. Nothing else is a pattern: no surrounding whitespace, no "*"
// inside a name, no empty name ("call.", ".*", "a..b").
//
// Match applies a pattern as plain string matching and knows nothing about
// which event types exist; ValidatePattern and Expand are the strict check
// against the event types this package knows (EventTypes), from which the
// categories are derived.

// PatternError reports a subscription pattern that is malformed, or that
// names a category or event type this package does not know.
type PatternError struct {
	// Pattern is the pattern as given.
	Pattern string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the pattern and the reason it was rejected.
func (e *PatternError) Error() string {
	return "invalid event pattern " + strconv.Quote(e.Pattern) + ": " + e.Reason
}

// patternKind says which form a well-formed pattern has.
type patternKind int

const (
	patternExact    patternKind = iota // "call.completed"
	patternCategory                    // "call.*"
	patternAll                         // "*"
)

// parsedPattern is a well-formed pattern, split into its parts.
type parsedPattern struct {
	kind patternKind
	// category is the category of a patternCategory ("call"), or the full
	// event type of a patternExact.
	name string
}

// matches reports whether the pattern covers t, by string comparison.
func (p parsedPattern) matches(t EventType) bool {
	switch p.kind {
	case patternAll:
		return true
	case patternCategory:
		s := string(t)
		return len(s) > len(p.name)+1 && s[len(p.name)] == '.' && s[:len(p.name)] == p.name
	default:
		return string(t) == p.name
	}
}

// parsePattern checks the syntax of pattern, without consulting the known
// event types. The error is a *PatternError.
func parsePattern(pattern string) (parsedPattern, error) {
	fail := func(reason string) (parsedPattern, error) {
		return parsedPattern{}, &PatternError{Pattern: pattern, Reason: reason}
	}
	switch {
	case pattern == "":
		return fail("empty pattern; use \"*\" for every event type")
	case pattern == "*":
		return parsedPattern{kind: patternAll}, nil
	case !utf8.ValidString(pattern):
		return fail("not valid UTF-8")
	case strings.IndexFunc(pattern, unicode.IsSpace) >= 0:
		return fail("contains whitespace")
	}
	if cat, ok := strings.CutSuffix(pattern, ".*"); ok {
		if cat == "" {
			return fail("missing category before \".*\", as in \"call.*\"")
		}
		if strings.Contains(cat, ".") || strings.Contains(cat, "*") {
			return fail("a wildcard pattern is a single category followed by \".*\", as in \"call.*\"")
		}
		if reason := checkPatternName(cat); reason != "" {
			return fail(reason)
		}
		return parsedPattern{kind: patternCategory, name: cat}, nil
	}
	if strings.Contains(pattern, "*") {
		return fail("\"*\" may appear only as the whole pattern \"*\" or after a category as in \"call.*\"")
	}
	parts := strings.Split(pattern, ".")
	for i, part := range parts {
		switch {
		case part != "":
			if reason := checkPatternName(part); reason != "" {
				return fail(reason)
			}
		case i == 0:
			return fail("missing category before \".\"")
		case i == len(parts)-1:
			return fail("missing event name after \".\", as in \"call.completed\"")
		default:
			return fail("empty name between two \".\"")
		}
	}
	if len(parts) < 2 {
		return fail("an event type is \"<category>.<name>\", as in \"call.completed\"; use \"" + pattern + ".*\" for a whole category")
	}
	return parsedPattern{kind: patternExact, name: pattern}, nil
}

// checkPatternName returns why name is not a valid name segment, or "".
func checkPatternName(name string) string {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return "invalid character " + strconv.QuoteRune(rune(c)) + " in " + strconv.Quote(name) +
				"; names are lowercase letters, digits and \"_\", starting with a letter"
		}
	}
	return ""
}

// eventCategory returns the part of t before its first ".".
func eventCategory(t EventType) string {
	s := string(t)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i]
	}
	return s
}

// knownCategories returns the categories of EventTypes, in order of first
// appearance.
func knownCategories() []string {
	var cats []string
	seen := make(map[string]bool)
	for _, t := range EventTypes() {
		c := eventCategory(t)
		if !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
	}
	return cats
}

// Match reports whether pattern covers event type t.
//
// Match is plain string matching: "*" matches every t, "call.*" matches
// every t that starts with "call." followed by a name, and an exact pattern
// matches t equal to it. It does not consult the known event types, so an
// exact pattern for a well-formed type this package does not know, such
// as "call.transferred", matches an event of that type, and "call.*" matches
// it too. A malformed pattern matches nothing. Use ValidatePattern to reject
// unknown categories and event types.
func Match(pattern string, t EventType) bool {
	p, err := parsePattern(pattern)
	return err == nil && p.matches(t)
}

// ValidatePattern checks that pattern is well-formed and covers at least
// one known event type: "*", "<category>.*" for a category of EventTypes,
// or an exact type listed by EventTypes. The error, a *PatternError, says
// what is wrong and lists the valid alternatives.
func ValidatePattern(pattern string) error {
	_, err := validatePattern(pattern)
	return err
}

// validatePattern is ValidatePattern returning the parsed pattern.
func validatePattern(pattern string) (parsedPattern, error) {
	p, err := parsePattern(pattern)
	if err != nil {
		return p, err
	}
	fail := func(reason string) (parsedPattern, error) {
		return parsedPattern{}, &PatternError{Pattern: pattern, Reason: reason}
	}
	cats := knownCategories()
	switch p.kind {
	case patternCategory:
		for _, c := range cats {
			if c == p.name {
				return p, nil
			}
		}
		return fail("unknown category " + strconv.Quote(p.name) + "; known categories: " + strings.Join(cats, ", "))
	case patternExact:
		var sameCat []string
		cat := eventCategory(EventType(p.name))
		for _, t := range EventTypes() {
			if string(t) == p.name {
				return p, nil
			}
			if eventCategory(t) == cat {
				sameCat = append(sameCat, string(t))
			}
		}
		if len(sameCat) == 0 {
			return fail("unknown event type (unknown category " + strconv.Quote(cat) + "; known categories: " + strings.Join(cats, ", ") + ")")
		}
		return fail("unknown event type; known " + cat + " events: " + strings.Join(sameCat, ", "))
	}
	return p, nil
}

// Expand returns the known event types that pattern covers, in the order
// of EventTypes. It returns ValidatePattern's error for a pattern that is
// malformed or names an unknown category or event type, so a valid pattern
// always expands to at least one event type.
func Expand(pattern string) ([]EventType, error) {
	p, err := validatePattern(pattern)
	if err != nil {
		return nil, err
	}
	var out []EventType
	for _, t := range EventTypes() {
		if p.matches(t) {
			out = append(out, t)
		}
	}
	return out, nil
}
