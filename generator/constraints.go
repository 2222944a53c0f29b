package generator

import (
	"fmt"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
)

// allowed says in words what a value of type t may be, for EVENTS.md: the
// enum values, the pattern, the format, the bounds. "" when any value of the
// Go type is.
func allowed(t *model.Type) string {
	var parts []string
	if t.Kind == model.Time {
		parts = append(parts, "RFC 3339 date-time")
	}
	if e := t.Enum; e != nil {
		vals := make([]string, len(e.Values))
		for i, v := range e.Values {
			vals[i] = "`" + v.Value + "`"
		}
		if e.Open {
			parts = append(parts, "known: "+strings.Join(vals, ", ")+"; any other string is accepted")
		} else {
			parts = append(parts, "one of "+strings.Join(vals, ", "))
		}
	}
	r := t.Rules
	if r.Const != nil {
		parts = append(parts, fmt.Sprintf("exactly `%s`", *r.Const))
	}
	if r.Pattern != nil {
		parts = append(parts, "matches `"+r.Pattern.Source+"`")
	}
	if r.Format != "" {
		parts = append(parts, "format "+r.Format)
	}
	parts = appendRange(parts, "length", intBound(r.MinLength), intBound(r.MaxLength))
	switch {
	case r.Minimum != nil && r.Maximum != nil:
		parts = append(parts, r.Minimum.Literal+" to "+r.Maximum.Literal)
	case r.Minimum != nil:
		parts = append(parts, ">= "+r.Minimum.Literal)
	case r.Maximum != nil:
		parts = append(parts, "<= "+r.Maximum.Literal)
	}
	if r.ExclusiveMinimum != nil {
		parts = append(parts, "> "+r.ExclusiveMinimum.Literal)
	}
	if r.ExclusiveMaximum != nil {
		parts = append(parts, "< "+r.ExclusiveMaximum.Literal)
	}
	if r.MultipleOf != nil {
		parts = append(parts, "a multiple of "+r.MultipleOf.Literal)
	}
	parts = appendRange(parts, "items", intBound(r.MinItems), intBound(r.MaxItems))
	if r.UniqueItems {
		parts = append(parts, "items unique")
	}
	parts = appendRange(parts, "properties", intBound(r.MinProperties), intBound(r.MaxProperties))
	if t.Closed {
		parts = append(parts, "no other properties")
	}
	if t.Elem != nil && (t.Kind == model.Map || t.Kind == model.Slice) {
		if inner := allowed(t.Elem); inner != "" {
			what := "each item"
			if t.Kind == model.Map {
				what = "each value"
			}
			parts = append(parts, what+": "+inner)
		}
	}
	if t.Kind == model.Any && t.Validator != nil {
		parts = append(parts, "checked by its schema ("+t.Source.String()+")")
	}
	return strings.Join(parts, "; ")
}

func intBound(p *int64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

// appendRange words a pair of size limits: "length 1 to 10", "items >= 1".
func appendRange(parts []string, what, lo, hi string) []string {
	switch {
	case lo != "" && hi != "":
		return append(parts, what+" "+lo+" to "+hi)
	case lo != "":
		return append(parts, what+" >= "+lo)
	case hi != "":
		return append(parts, what+" <= "+hi)
	}
	return parts
}
