package schemadiff

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"time"
)

// IgnoreExpired is the rule of the finding an expired ignore entry becomes.
const IgnoreExpired Rule = "IGNORE_EXPIRED"

// IgnoreEntry silences one finding: a rule at a pointer, for a reason,
// optionally until a date.
type IgnoreEntry struct {
	Rule    Rule
	Pointer string
	// Until is the last day the entry holds (zero: forever).
	Until  time.Time
	Reason string
	// Line is where the entry is in its file, for messages.
	Line int
}

// ParseIgnore reads an ignore file: one entry a line,
//
//	RULE POINTER [YYYY-MM-DD] REASON...
//
// such as
//
//	ENUM_VALUE_ADDED call.completed#/data/direction 2026-03-31 bindings redeployed first
//
// Blank lines and lines starting with # are skipped. A reason is required.
func ParseIgnore(data []byte, name string) ([]IgnoreEntry, error) {
	var out []IgnoreEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want RULE POINTER [YYYY-MM-DD] REASON", name, line)
		}
		e := IgnoreEntry{Rule: Rule(fields[0]), Pointer: fields[1], Line: line}
		if !knownRule(e.Rule) {
			return nil, fmt.Errorf("%s:%d: unknown rule %q", name, line, fields[0])
		}
		rest := fields[2:]
		if t, err := time.Parse(time.DateOnly, rest[0]); err == nil {
			e.Until, rest = t, rest[1:]
		} else if looksLikeDate(rest[0]) {
			return nil, fmt.Errorf("%s:%d: %q is not a date (YYYY-MM-DD)", name, line, rest[0])
		}
		if len(rest) == 0 {
			return nil, fmt.Errorf("%s:%d: an ignore entry needs a reason", name, line)
		}
		e.Reason = strings.Join(rest, " ")
		out = append(out, e)
	}
	return out, sc.Err()
}

func looksLikeDate(s string) bool {
	return len(s) >= 8 && s[0] >= '0' && s[0] <= '9' && strings.Count(s, "-") == 2
}

// AllRules lists every rule id, for validating ignore files.
var AllRules = []Rule{
	EventAdded, EventRemoved, PropertyAdded, PropertyRemoved, RequiredAdded, RequiredRemoved,
	EnumValueAdded, EnumValueRemoved, EnumOpened, EnumClosed, TypeWidened, TypeNarrowed,
	NullableAdded, NullableRemoved, ConstraintLoosened, ConstraintTightened, PatternChanged,
	AdditionalPropertiesClosed, AdditionalPropertiesOpened, EnvelopeChanged, SchemaChanged,
	GoIdentifierRemoved, GoTypeChanged, DocChanged,
}

func knownRule(r Rule) bool {
	for _, k := range AllRules {
		if k == r {
			return true
		}
	}
	return false
}

// Ignore marks the findings that an entry in force matches, and adds a
// warning for each expired entry (its findings stay counted). today is the
// date the expiry is judged on.
func (r *Report) Ignore(entries []IgnoreEntry, file string, today time.Time) {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	var expired []Finding
	for _, e := range entries {
		if !e.Until.IsZero() && today.After(e.Until) {
			expired = append(expired, Finding{Rule: IgnoreExpired, Severity: Warning,
				Pointer: fmt.Sprintf("%s:%d", file, e.Line),
				Message: fmt.Sprintf("ignore entry for %s at %s expired on %s (%s)", e.Rule, e.Pointer, e.Until.Format(time.DateOnly), e.Reason)})
			continue
		}
		for i := range r.Changes {
			f := &r.Changes[i]
			if f.Rule == e.Rule && f.Pointer == e.Pointer && f.Ignored == "" {
				f.Ignored = e.Reason
			}
		}
	}
	r.Changes = append(r.Changes, expired...)
}
