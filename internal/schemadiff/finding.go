package schemadiff

import (
	"encoding/json"
	"sort"
	"strings"
)

// Rule is the stable identifier of a kind of change.
type Rule string

// The rules. Their ids are stable: ignore files and CI configurations name
// them.
const (
	EventAdded                 Rule = "EVENT_ADDED"
	EventRemoved               Rule = "EVENT_REMOVED"
	PropertyAdded              Rule = "PROPERTY_ADDED"
	PropertyRemoved            Rule = "PROPERTY_REMOVED"
	RequiredAdded              Rule = "REQUIRED_ADDED"
	RequiredRemoved            Rule = "REQUIRED_REMOVED"
	EnumValueAdded             Rule = "ENUM_VALUE_ADDED"
	EnumValueRemoved           Rule = "ENUM_VALUE_REMOVED"
	EnumOpened                 Rule = "ENUM_OPENED"
	EnumClosed                 Rule = "ENUM_CLOSED"
	TypeWidened                Rule = "TYPE_WIDENED"
	TypeNarrowed               Rule = "TYPE_NARROWED"
	NullableAdded              Rule = "NULLABLE_ADDED"
	NullableRemoved            Rule = "NULLABLE_REMOVED"
	ConstraintLoosened         Rule = "CONSTRAINT_LOOSENED"
	ConstraintTightened        Rule = "CONSTRAINT_TIGHTENED"
	PatternChanged             Rule = "PATTERN_CHANGED"
	AdditionalPropertiesClosed Rule = "ADDITIONAL_PROPERTIES_CLOSED"
	AdditionalPropertiesOpened Rule = "ADDITIONAL_PROPERTIES_OPENED"
	EnvelopeChanged            Rule = "ENVELOPE_CHANGED"
	// SchemaChanged covers a change of a keyword no other rule describes
	// (anyOf, oneOf, not, uniqueItems...); witnesses decide its axes.
	SchemaChanged       Rule = "SCHEMA_CHANGED"
	GoIdentifierRemoved Rule = "GO_IDENTIFIER_REMOVED"
	GoTypeChanged       Rule = "GO_TYPE_CHANGED"
	DocChanged          Rule = "DOC_CHANGED"
)

// Axis is the question a finding answers.
type Axis string

// The axes.
const (
	// Forward: bindings generated from OLD reject a payload valid under NEW.
	Forward Axis = "forward"
	// Backward: bindings regenerated from NEW reject a payload valid under OLD.
	Backward Axis = "backward"
	// Source: Go code written against OLD's package does not compile
	// against NEW's, or its documentation changed.
	Source Axis = "source"
)

// Axes lists every axis, in report order.
var Axes = []Axis{Forward, Backward, Source}

// Severity grades a finding.
type Severity string

// The severities, from the most to the least serious.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// rank orders severities: a higher rank is more serious.
func (s Severity) rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// AtLeast tells whether s is as serious as min or more.
func (s Severity) AtLeast(min Severity) bool { return s.rank() >= min.rank() }

// Finding is one consequence of the change for a consumer.
type Finding struct {
	Rule     Rule     `json:"rule"`
	Axis     Axis     `json:"axis"`
	Severity Severity `json:"severity"`
	// Pointer says where: "call.completed#/data/hangup_cause" (the event
	// type, then a JSON pointer into its payload, "*" standing for any
	// array item or map value), "envelope#/id" for the envelope shared by
	// every event, "go:CallCompleted.HangupCause" for a Go identifier.
	Pointer string `json:"pointer"`
	Message string `json:"message"`
	// Witness is a complete payload that one side accepts and the other
	// rejects (forward: NEW accepts, OLD rejects; backward: the reverse),
	// verified with both sides' validators.
	Witness json.RawMessage `json:"witness,omitempty"`
	// Undecided marks a forward or backward change for which no witness was
	// found: the schemas differ there, but no payload proved a difference.
	// Undecided findings are warnings.
	Undecided bool `json:"undecided,omitempty"`
	// Ignored holds the reason of the ignore entry that matched; ignored
	// findings are reported but count for no exit status.
	Ignored string `json:"ignored,omitempty"`
}

// Report is the result of a diff.
type Report struct {
	Changes []Finding `json:"changes"`
}

// Worst returns the most serious severity among the findings not ignored,
// "" when there are none.
func (r *Report) Worst() Severity {
	var worst Severity
	for _, f := range r.Changes {
		if f.Ignored == "" && f.Severity.rank() > worst.rank() {
			worst = f.Severity
		}
	}
	return worst
}

// Filter keeps the findings on the given axes.
func (r *Report) Filter(axes []Axis) {
	keep := map[Axis]bool{}
	for _, a := range axes {
		keep[a] = true
	}
	out := r.Changes[:0]
	for _, f := range r.Changes {
		if keep[f.Axis] || f.Axis == "" { // an expired ignore entry is on no axis
			out = append(out, f)
		}
	}
	r.Changes = out
}

// sortFindings orders findings by axis (forward, backward, source), then
// pointer and rule, so that reports are stable.
func sortFindings(fs []Finding) {
	axisRank := map[Axis]int{Forward: 0, Backward: 1, Source: 2}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Axis != b.Axis {
			return axisRank[a.Axis] < axisRank[b.Axis]
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// pointerString renders an event's instance pointer.
func pointerString(scope string, tokens []string) string {
	var b strings.Builder
	b.WriteString(scope)
	b.WriteByte('#')
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}
