package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/krosgen/krosgen/internal/rt"
)

// Verdict is what Check found in one payload.
type Verdict struct {
	// Event is the payload's event type; "" when it has none (or it is
	// not a string).
	Event string
	// Known tells whether the set has a schema for Event. A payload of an
	// unknown event type is checked against the envelope alone, as Parse
	// and the handler do: it is not invalid, it is an event this set of
	// schemas does not know yet.
	Known bool
	// Err is nil for a valid payload, a *SyntaxError for one that
	// is not well-formed JSON, a *ValidationError otherwise. The
	// problems are in the words the generated Parse uses, sorted by pointer
	// and then message.
	Err error
}

// Validated tells how the generated code checks each schema, keyed
// "events/x.json#/pointer" relative to the schema directory: true for a
// schema only a validator checks (a json.RawMessage value, checked as it is
// read), false for one checked both ways (a definition used by a typed field
// and inside a validated one: the enclosing schema decides), absent for one
// decoded into typed values only. The two word a few problems differently (a
// const, a format, a property additionalProperties forbids). The generator
// knows which is which (generator.ValidatedSchemas); nil words every schema
// as typed.
type Validated map[string]bool

// Check validates payload as the generated Parse does: against its event's
// schema, or the envelope alone when the event type is unknown, with every
// problem worded as Parse words it.
func (s *Set) Check(payload []byte, validated Validated) Verdict {
	doc, err := decodeJSON(payload)
	if err != nil {
		return Verdict{Err: err}
	}
	var v Verdict
	sch, err := s.envelopeSchema()
	if err != nil {
		return Verdict{Err: err}
	}
	if obj, ok := doc.(map[string]any); ok {
		v.Event, _ = obj["event"].(string)
	}
	for _, ev := range s.Events {
		if ev.Type == v.Event {
			v.Known, sch = true, ev.Schema
		}
	}
	v.Err = s.checkWith(sch, doc, validated)
	return v
}

// envelopeSchema is the compiled envelope.json.
func (s *Set) envelopeSchema() (*jsonschema.Schema, error) {
	return s.compile(s.compiler, EnvelopeFile)
}

func (s *Set) checkWith(sch *jsonschema.Schema, doc any, validated Validated) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jsonschema/v5 panicked validating the payload: %v", r)
		}
	}()
	err = sch.Validate(tameNumbers(doc))
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	w := &worder{set: s, doc: doc, root: sch, validated: validated}
	w.walk(ve, false)
	return w.result()
}

// worder turns jsonschema/v5's error tree into Parse's problems.
type worder struct {
	set       *Set
	doc       any
	root      *jsonschema.Schema
	validated Validated
	problems  []Problem
	// typed holds the pointers of values of the wrong JSON type: Parse
	// checks nothing else of such a value.
	typed map[string]bool
}

func (w *worder) add(ptr, msg string) {
	w.problems = append(w.problems, Problem{Pointer: ptr, Message: msg})
}

// walk words the problems under ve. inRaw tells whether an enclosing schema
// is checked by a validator, which makes every schema under it one too.
func (w *worder) walk(ve *jsonschema.ValidationError, inRaw bool) {
	kw := keyword(ve.KeywordLocation)
	ptr := restoreEmptyToken(unescapeLocation(ve.InstanceLocation), ve.KeywordLocation)
	node := w.schemaAt(ve.AbsoluteKeywordLocation)
	raw := inRaw || w.validated[schemaLoc(ve.AbsoluteKeywordLocation)]
	lit := func(key string) string { return w.literal(ve.AbsoluteKeywordLocation, key) }
	val, _ := w.value(ptr)
	if len(ve.Causes) == 0 && ve.Message == "not allowed" { // the schema false
		w.add(ptr, "no value is allowed here")
		return
	}
	switch kw {
	case "anyOf":
		if isOpenEnum(node) && !raw {
			w.typeProblem(ptr, "string", val)
			return
		}
		// Otherwise, like Parse, the problems of every branch (the causes).
	case "oneOf":
		if len(ve.Causes) == 0 { // more than one branch matches
			w.add(ptr, "must match exactly one schema of oneOf, but matches "+strconv.Itoa(w.oneOfMatches(ve, ptr)))
			return
		}
		// None matches: like Parse, the problems of every branch.
	case "not":
		w.add(ptr, "must not match the schema of not")
		return
	}
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			w.walk(c, raw)
		}
		return
	}
	switch kw {
	case "type":
		if !raw {
			if w.typed == nil {
				w.typed = map[string]bool{}
			}
			w.typed[ptr] = true
		}
		types := typeNames(node["type"])
		if slices.Contains(types, "null") { // Parse names null last
			types = append(slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == "null" }), "null")
		}
		if !raw && len(types) == 2 && slices.Contains(types, "null") {
			// A typed Nullable[T]: Parse names T; null is not a type there.
			types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == "null" })
		}
		if _, isNum := val.(json.Number); isNum && slices.Contains(types, "integer") && !slices.Contains(types, "number") {
			w.add(ptr, "expected integer, but got number") // a number with a fraction
			if raw {
				w.rest(ve.AbsoluteKeywordLocation, ptr, val)
			}
			return
		}
		w.add(ptr, "expected "+strings.Join(types, " or ")+", but got "+kindOf(val))
		return
	case "required":
		if names, ok := missingNames(ve.Message); ok {
			for _, n := range names {
				w.add(ptr+"/"+escapePointer(n), "required property is missing")
			}
			return
		}
	case "additionalProperties":
		if names, ok := quotedNames(strings.TrimSuffix(strings.TrimPrefix(ve.Message, "additionalProperties "), " not allowed")); ok {
			msg := "property is not allowed: additionalProperties is false"
			if raw {
				msg = "no value is allowed here" // the validator of each extra property is false
			}
			for _, n := range names {
				w.add(ptr+"/"+escapePointer(n), msg)
			}
			return
		}
	case "enum":
		values, _ := node["enum"].([]any)
		if strs, ok := allStrings(values); ok && !raw {
			if s, ok := val.(string); ok {
				w.add(ptr, quoted(s, " is not one of "+strings.Join(strs, ", ")))
			} else {
				w.typeProblem(ptr, "string", val)
			}
			return
		}
		if len(values) == 0 {
			w.add(ptr, "no value is allowed: the enum is empty")
			return
		}
		texts := make([]string, len(values))
		for i := range values {
			texts[i] = lit("enum/" + strconv.Itoa(i))
		}
		w.add(ptr, "must be one of "+shorten(strings.Join(texts, ", ")))
		return
	case "const":
		if cs, ok := node["const"].(string); ok && !raw {
			if s, ok := val.(string); ok {
				w.add(ptr, quoted(s, fmt.Sprintf(" is not %q", cs)))
			} else {
				w.typeProblem(ptr, "string", val) // a typed string
			}
			return
		}
		w.add(ptr, "must be "+shorten(lit("const")))
		return
	case "pattern":
		if s, ok := val.(string); ok {
			w.add(ptr, quoted(s, " does not match "+fmt.Sprint(node["pattern"])))
			return
		}
	case "format":
		if s, ok := val.(string); ok {
			f := fmt.Sprint(node["format"])
			if f == "date-time" && !raw {
				w.add(ptr, quoted(s, " is not a valid RFC 3339 date-time"))
			} else {
				w.add(ptr, quoted(s, " is not a valid "+f))
			}
			return
		}
	case "minLength", "maxLength":
		if s, ok := val.(string); ok {
			op := map[string]string{"minLength": ">=", "maxLength": "<="}[kw]
			w.add(ptr, fmt.Sprintf("length must be %s %s, but is %d", op, jsonText(node[kw]), utf8.RuneCountInString(s)))
			return
		}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
		// A validator reads every number as a float64 and words no range
		// problem of its own (-1e400 is -Inf there).
		if msg, out := outOfRange(val, node); out && !raw {
			w.add(ptr, msg)
			return
		}
	}
	switch kw {
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		op := map[string]string{"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[kw]
		w.add(ptr, "must be "+op+" "+lit(kw)+", but is "+numberText(val, numberSchema(node, raw)))
		return
	case "multipleOf":
		w.add(ptr, "must be a multiple of "+lit(kw)+", but is "+numberText(val, numberSchema(node, raw)))
		return
	case "minItems", "maxItems", "minProperties", "maxProperties":
		what, n := "items", 0
		switch x := val.(type) {
		case []any:
			n = len(x)
		case map[string]any:
			what, n = "properties", len(x)
		}
		word := "at least"
		if strings.HasPrefix(kw, "max") {
			word = "at most"
		}
		w.add(ptr, fmt.Sprintf("must have %s %s %s, but has %d", word, jsonText(node[kw]), what, n)) // a whole number: 2.0 is 2
		return
	case "uniqueItems":
		var i, j int
		if _, err := fmt.Sscanf(ve.Message, "items at index %d and %d are equal", &i, &j); err == nil {
			w.add(ptr, fmt.Sprintf("items %d and %d are equal", i, j))
			return
		}
	}
	w.add(ptr, ve.Message) // a keyword Parse does not implement: v5's words
}

// oneOfMatches counts the branches of the failed oneOf that the value
// passes; v5 stops counting at the second.
func (w *worder) oneOfMatches(ve *jsonschema.ValidationError, ptr string) int {
	if len(ve.Causes) > 0 {
		return 0
	}
	sch := findSchema(w.root, strings.TrimSuffix(ve.AbsoluteKeywordLocation, "/oneOf"), map[*jsonschema.Schema]bool{})
	val, ok := w.value(ptr)
	if sch == nil || !ok {
		return 2
	}
	n := 0
	for _, b := range sch.OneOf {
		if b.Validate(val) == nil {
			n++
		}
	}
	return n
}

// rest checks what a validator checks of a number with a fraction after
// its type integer failed: the number's bounds, const, enum and the
// applicators, which v5 never reaches once the type fails.
func (w *worder) rest(absKeyword, ptr string, val any) {
	const inRaw = true // only validators check what is left
	sch := findSchema(w.root, strings.TrimSuffix(absKeyword, "/type"), map[*jsonschema.Schema]bool{})
	if sch == nil {
		return
	}
	rest := &jsonschema.Schema{Location: sch.Location, Constant: sch.Constant, Enum: sch.Enum,
		Minimum: sch.Minimum, Maximum: sch.Maximum, ExclusiveMinimum: sch.ExclusiveMinimum,
		ExclusiveMaximum: sch.ExclusiveMaximum, MultipleOf: sch.MultipleOf,
		AllOf: sch.AllOf, AnyOf: sch.AnyOf, OneOf: sch.OneOf, Not: sch.Not}
	var ve *jsonschema.ValidationError
	if errors.As(rest.Validate(val), &ve) {
		w.walk(relocate(ve, ptr), inRaw)
	}
}

// relocate prefixes the instance locations of an error tree with ptr.
func relocate(ve *jsonschema.ValidationError, ptr string) *jsonschema.ValidationError {
	out := *ve
	out.InstanceLocation = ptr + ve.InstanceLocation
	out.Causes = make([]*jsonschema.ValidationError, len(ve.Causes))
	for i, c := range ve.Causes {
		out.Causes[i] = relocate(c, ptr)
	}
	return &out
}

// typeProblem reports a value of the wrong JSON type, in Parse's words.
func (w *worder) typeProblem(ptr, want string, val any) {
	if w.typed == nil {
		w.typed = map[string]bool{}
	}
	w.typed[ptr] = true
	w.add(ptr, "expected "+want+", but got "+kindOf(val))
}

// result keeps one problem of each kind, drops what Parse does not check of
// a value of the wrong type, and sorts by pointer, then message.
func (w *worder) result() error {
	seen := map[Problem]bool{}
	var out []Problem
	for _, p := range w.problems {
		if seen[p] || w.typed[p.Pointer] && !strings.HasPrefix(p.Message, "expected ") {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil
	}
	SortProblems(out)
	return &ValidationError{Problems: out}
}

// SortProblems orders problems by pointer, then message: the order in which
// krosgen validate prints them, the same on every run.
func SortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Pointer != ps[j].Pointer {
			return ps[i].Pointer < ps[j].Pointer
		}
		return ps[i].Message < ps[j].Message
	})
}

func isOpenEnum(n map[string]any) bool {
	arr, ok := n["anyOf"].([]any)
	if !ok || len(arr) != 2 || n["type"] != nil || n["enum"] != nil {
		return false
	}
	e, _ := arr[0].(map[string]any)
	t, _ := arr[1].(map[string]any)
	return e != nil && t != nil && len(e) == 1 && e["enum"] != nil && len(t) == 1 && t["type"] == "string"
}

func typeNames(t any) []string {
	switch x := t.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

func allStrings(values []any) ([]string, bool) {
	out := make([]string, len(values))
	for i, v := range values {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, len(values) > 0
}

// kindOf names the JSON type of a decoded value.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// jsonText renders a schema value as JSON.
func jsonText(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// numberSchema is the schema whose "type" decides how a number is read: a
// validator reads every number as a float64, whatever its type says.
func numberSchema(node map[string]any, raw bool) map[string]any {
	if raw {
		return map[string]any{"type": "number"}
	}
	return node
}

// outOfRange words a payload number that Parse cannot hold, whatever the
// bound it breaks: a whole number beyond int64 for an integer schema, a
// number beyond float64 otherwise. Parse never clamps such a number.
func outOfRange(v any, node map[string]any) (string, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return "", false
	}
	for _, t := range typeNames(node["type"]) {
		if t != "integer" {
			continue
		}
		if r, ok := new(big.Rat).SetString(string(n)); ok && r.IsInt() && !r.Num().IsInt64() {
			return "integer out of the range of int64", true
		}
		return "", false
	}
	if _, err := strconv.ParseFloat(string(n), 64); err != nil {
		return "number out of the range of float64", true
	}
	return "", false
}

// numberText renders a payload number as Parse does: an int64 for an
// integer schema, else the nearest float64.
func numberText(v any, node map[string]any) string {
	n, ok := v.(json.Number)
	if !ok {
		return fmt.Sprint(v)
	}
	if r, ok := new(big.Rat).SetString(string(n)); ok && r.IsInt() {
		for _, t := range typeNames(node["type"]) {
			if t != "integer" {
				continue
			}
			if r.Num().IsInt64() { // else outOfRange words it
				return strconv.FormatInt(r.Num().Int64(), 10)
			}
		}
	}
	f, _ := strconv.ParseFloat(string(n), 64)
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// quoted renders a string as Parse's messages do.
var quoted = rt.Quoted

func shorten(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// quotedNames reads v5's list of quoted names: 'a', 'b'.
func quotedNames(list string) ([]string, bool) {
	return missingNames("missing properties: " + list)
}
