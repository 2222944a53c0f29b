package schema

import (
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Patterns are ECMA-262 regular expressions, as JSON Schema says, but both
// the reference validator (jsonschema/v5) and generated code match them with
// Go's RE2. The two dialects agree on most of the syntax and disagree on a
// few constructs, so krosgen reads a pattern as ECMA-262 (with the "u" flag,
// as the JSON Schema Test Suite does) only where RE2 reads it the same, and
// refuses every other pattern with an error that names it: a pattern that
// loads means the same thing everywhere.
//
// Read the same, and accepted: literals, classes of literals and ranges,
// [^...], \d \D \w \W (ASCII in both), \b \B, ^ and $ (start and end of
// the string: neither has a multiline flag here), | ( ) (?: ) (?<name> ),
// the quantifiers ? * + {n} {n,} {n,m} and their lazy forms, \t \n \v \f
// \r, \xHH and escaped punctuation.
//
// Read differently, and refused:
//   - "." (RE2 matches \r, U+2028 and U+2029; ECMA-262 does not);
//   - \s and \S (ECMA-262 counts Unicode spaces and U+FEFF, RE2 only ASCII);
//   - \p{...} and \P{...} (different property names and syntax);
//   - \A \z \Z \Q...\E \C and \x{...} (RE2 only; an identity escape or an
//     error in ECMA-262);
//   - inline flags such as (?i) and (?s), and (?P<name>...) (RE2 only);
//   - POSIX classes such as [[:alpha:]] (RE2 only);
//   - \ followed by a digit (a backreference in ECMA-262, octal in RE2);
//   - a class that starts with "]", such as []a] (RE2 reads the "]" as a
//     member, ECMA-262 as the end of an empty class).
//
// Lookarounds and backreferences are ECMA-262 that RE2 cannot compile: the
// reference validator refuses them too.

// regexDialectProblem returns why ECMA-262 and RE2 may read the pattern
// differently, or "" when they read it the same.
func regexDialectProblem(src string) string {
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\':
			if i+1 >= len(src) {
				return "" // a trailing backslash does not compile anywhere
			}
			if why := escapeProblem(src[i+1:]); why != "" {
				return why
			}
			i++
		case inClass && c == '[' && i+1 < len(src) && src[i+1] == ':':
			return "POSIX classes such as [[:alpha:]] are RE2 only; ECMA-262 reads \"[:\" as two members: list the members, as in [A-Za-z]"
		case inClass && c == ']':
			inClass = false
		case inClass:
		case c == '.':
			return "\".\" matches \\r, U+2028 and U+2029 in RE2 but not in ECMA-262: write the class you mean, such as [^\\n]"
		case c == '[':
			inClass = true
			j := i + 1
			if j < len(src) && src[j] == '^' {
				j++
			}
			if j < len(src) && src[j] == ']' {
				return "a class that starts with \"]\" holds \"]\" in RE2 but is empty in ECMA-262: escape it, as in [\\]a]"
			}
			i = j - 1
		case c == '(' && strings.HasPrefix(src[i:], "(?"):
			rest := src[i+2:]
			switch {
			case strings.HasPrefix(rest, ":"):
			case strings.HasPrefix(rest, "<") && !strings.HasPrefix(rest, "<=") && !strings.HasPrefix(rest, "<!"):
			case strings.HasPrefix(rest, "P<"):
				return "(?P<name>...) is RE2 only: write (?<name>...)"
			case strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "!") || strings.HasPrefix(rest, "<"):
				return "lookarounds are ECMA-262 that RE2 (Go's regexp) cannot match"
			default:
				return "inline flags such as (?i) are RE2 only; ECMA-262 has none inside a pattern: spell out both cases, as in [Aa]"
			}
		}
	}
	return ""
}

// escapeProblem judges the escape whose letter starts rest.
func escapeProblem(rest string) string {
	switch c := rest[0]; {
	case c == 's' || c == 'S':
		return "\\s and \\S mean Unicode white space in ECMA-262 and ASCII white space in RE2: write the class you mean, such as [ \\t\\n\\r]"
	case c == 'p' || c == 'P':
		return "\\p{...} classes have different names and syntax in ECMA-262 and RE2: list the characters, as in [A-Za-z]"
	case strings.IndexByte("AzZQEC", c) >= 0:
		return "\\" + string(c) + " is RE2 only; ECMA-262 reads it as the letter " + string(c) + " or refuses it"
	case c >= '0' && c <= '9':
		return "\\" + string(c) + " is a backreference in ECMA-262 and an octal escape in RE2: write the character, as in \\x00"
	case c == 'x' && len(rest) > 1 && rest[1] == '{':
		return "\\x{...} is RE2 only: write \\xHH"
	case c == 'k':
		return "backreferences are ECMA-262 that RE2 (Go's regexp) cannot match"
	}
	return ""
}

// checkPatterns refuses every pattern of the compiled schemas, and every
// patternProperties key, that ECMA-262 and RE2 may read differently.
func (s *Set) checkPatterns() error {
	seen := map[*jsonschema.Schema]bool{}
	var walk func(sch *jsonschema.Schema) error
	walk = func(sch *jsonschema.Schema) error {
		if sch == nil || seen[sch] {
			return nil
		}
		seen[sch] = true
		if sch.Pattern != nil {
			if err := s.checkPattern(sch.Location, "/pattern", sch.Pattern.String()); err != nil {
				return err
			}
		}
		keys := make([]string, 0, len(sch.PatternProperties))
		for re := range sch.PatternProperties {
			keys = append(keys, re.String())
		}
		sort.Strings(keys) // the first fault reported is always the same
		for _, k := range keys {
			if err := s.checkPattern(sch.Location, "/patternProperties/"+escapePointer(k), k); err != nil {
				return err
			}
		}
		for _, sub := range subschemas(sch) {
			if err := walk(sub); err != nil {
				return err
			}
		}
		return nil
	}
	for _, ev := range s.Events {
		if err := walk(ev.Schema); err != nil {
			return err
		}
	}
	return nil
}

func (s *Set) checkPattern(location, keyword, src string) error {
	why := regexDialectProblem(src)
	if why == "" {
		return nil
	}
	file, ptr, _ := strings.Cut(strings.TrimPrefix(location, baseURL), "#")
	return s.errorf(file, ptr+keyword, "pattern %s is refused: %s", strconv.Quote(src), why)
}

// subschemas lists every schema a compiled schema applies.
func subschemas(sch *jsonschema.Schema) []*jsonschema.Schema {
	out := []*jsonschema.Schema{sch.Ref, sch.RecursiveRef, sch.DynamicRef, sch.Not, sch.If, sch.Then, sch.Else,
		sch.PropertyNames, sch.UnevaluatedProperties, sch.Items2020, sch.Contains, sch.UnevaluatedItems, sch.ContentSchema}
	out = append(out, sch.AllOf...)
	out = append(out, sch.AnyOf...)
	out = append(out, sch.OneOf...)
	out = append(out, sch.PrefixItems...)
	for _, m := range []map[string]*jsonschema.Schema{sch.Properties, sch.DependentSchemas} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the first fault reported is always the same
		for _, k := range keys {
			out = append(out, m[k])
		}
	}
	patterns := make([]*jsonschema.Schema, 0, len(sch.PatternProperties))
	for _, sub := range sch.PatternProperties {
		patterns = append(patterns, sub)
	}
	sort.Slice(patterns, func(i, j int) bool { return patterns[i].Location < patterns[j].Location })
	out = append(out, patterns...)
	for _, v := range []any{sch.AdditionalProperties, sch.AdditionalItems, sch.Items} {
		switch x := v.(type) {
		case *jsonschema.Schema:
			out = append(out, x)
		case []*jsonschema.Schema:
			out = append(out, x...)
		}
	}
	for _, v := range sch.Dependencies {
		if x, ok := v.(*jsonschema.Schema); ok {
			out = append(out, x)
		}
	}
	return out
}
