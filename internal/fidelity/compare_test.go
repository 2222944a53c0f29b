package fidelity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/schema"
)

// parseTimeout bounds one call of krosai.Parse. Parse takes microseconds;
// one that has not returned after this long is reported as hanging (its
// goroutine cannot be stopped and keeps running until the test ends).
const parseTimeout = 3 * time.Second

// outcome is what a validator made of a payload.
type outcome uint8

const (
	accepted  outcome = iota
	rejected          // a validation error listing problems
	malformed         // a syntax error
	otherErr          // an error of an unexpected type
	panicked
	hung
)

// verdict is one validator's answer for one payload.
type verdict struct {
	outcome  outcome
	pointers []string  // rejected: the problems' JSON pointers, sorted, unique
	problems []problem // rejected: the problems, in order
	text     string    // the error, panic or a summary of the event
	ev       *krosai.Event
}

func (v verdict) String() string {
	switch v.outcome {
	case accepted:
		return "accepted: " + v.text
	case rejected:
		return "rejected at " + pointerList(v.pointers) + ": " + v.text
	case malformed:
		return "malformed: " + v.text
	case otherErr:
		return "unexpected error: " + v.text
	case panicked:
		return "PANIC: " + panicSite(v.text)
	case hung:
		return "HANG: " + v.text
	}
	return "?"
}

func pointerList(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = strconv.Quote(p)
	}
	return "[" + strings.Join(q, " ") + "]"
}

func uniqueSorted(ps []string) []string {
	out := slices.Clone(ps)
	sort.Strings(out)
	return slices.Compact(out)
}

// problem is one reported problem, from either validator.
type problem struct{ pointer, message string }

// parseVerdict runs krosai.Parse, recovering a panic and giving up on a call
// that does not return within timeout.
func parseVerdict(payload []byte, timeout time.Duration) verdict {
	type res struct {
		ev       *krosai.Event
		err      error
		panicMsg string
	}
	ch := make(chan res, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- res{panicMsg: fmt.Sprintf("%v\n%s", r, debug.Stack())}
			}
		}()
		ev, err := krosai.Parse(payload)
		ch <- res{ev: ev, err: err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var r res
	select {
	case r = <-ch:
	case <-timer.C:
		return verdict{outcome: hung, text: "krosai.Parse did not return within " + timeout.String()}
	}
	if r.panicMsg != "" {
		return verdict{outcome: panicked, text: r.panicMsg}
	}
	var ve *krosai.ValidationError
	var se *krosai.SyntaxError
	switch {
	case r.err == nil && r.ev == nil:
		return verdict{outcome: otherErr, text: "nil event and nil error"}
	case r.err == nil:
		return verdict{outcome: accepted, text: describeEvent(r.ev), ev: r.ev}
	case errors.As(r.err, &se):
		return verdict{outcome: malformed, text: se.Error()}
	case errors.As(r.err, &ve):
		ps := make([]string, len(ve.Problems))
		pr := make([]problem, len(ve.Problems))
		for i, p := range ve.Problems {
			ps[i], pr[i] = p.Pointer, problem{p.Pointer, p.Message}
		}
		return verdict{outcome: rejected, pointers: uniqueSorted(ps), problems: pr, text: ve.Error()}
	}
	return verdict{outcome: otherErr, text: fmt.Sprintf("%T: %v", r.err, r.err)}
}

func describeEvent(ev *krosai.Event) string {
	return fmt.Sprintf("%s %T", ev.Type, ev.Data)
}

// schemaVerdict runs the reference validator, recovering a panic.
func schemaVerdict(payload []byte) (v verdict) {
	defer func() {
		if r := recover(); r != nil {
			v = verdict{outcome: panicked, text: fmt.Sprintf("%v\n%s", r, debug.Stack())}
		}
	}()
	err := schema.Validate(payload)
	var ve *schema.ValidationError
	var se *schema.SyntaxError
	switch {
	case err == nil:
		return verdict{outcome: accepted, text: "valid"}
	case errors.As(err, &se):
		return verdict{outcome: malformed, text: se.Error()}
	case errors.As(err, &ve):
		ps := make([]string, len(ve.Problems))
		pr := make([]problem, len(ve.Problems))
		for i, p := range ve.Problems {
			ps[i], pr[i] = p.Pointer, problem{p.Pointer, p.Message}
		}
		return verdict{outcome: rejected, pointers: uniqueSorted(ps), problems: pr, text: ve.Error()}
	}
	return verdict{outcome: otherErr, text: fmt.Sprintf("%T: %v", err, err)}
}

// knownTypes is the set of event types krosai.Parse decodes to a struct.
var knownTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range krosai.EventTypes() {
		m[string(t)] = true
	}
	return m
}()

// unknownEventType reports the event type of a well-formed payload when it
// is a string that is not a known type: the one case where Parse and the
// reference are meant to differ. encoding/json, like the reference's
// decoder, keeps the last of repeated keys.
func unknownEventType(payload []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return "", false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	t, ok := obj["event"].(string)
	if !ok || knownTypes[t] {
		return "", false
	}
	return t, true
}

// finding is a disagreement between Parse and the reference, or between
// Parse and encoding/json.
type finding struct {
	// class groups findings of one kind, such as "pointer-sets-differ".
	class string
	// detail says what differs, without the payload.
	detail string
	// group is detail with JSON pointers generalized below their first
	// token ("/data/duration" becomes "/data/*"): findings with the same
	// class and group are one group in reports.
	group string
}

func newFinding(class, detail string) *finding {
	return &finding{class: class, detail: detail, group: detail}
}

// pointerFinding makes a finding whose detail lists pointers, grouped by
// their generalized form. format has one %s per pointer list.
func pointerFinding(class, format string, lists ...[]string) *finding {
	exact := make([]any, len(lists))
	general := make([]any, len(lists))
	for i, l := range lists {
		exact[i] = pointerList(l)
		g := make([]string, len(l))
		for j, p := range l {
			g[j] = generalizePointer(p)
		}
		general[i] = pointerList(uniqueSorted(g))
	}
	return &finding{class: class, detail: fmt.Sprintf(format, exact...), group: fmt.Sprintf(format, general...)}
}

// generalizePointer replaces every token after the first with "*".
func generalizePointer(p string) string {
	tokens := strings.Split(p, "/")
	for i := 2; i < len(tokens); i++ {
		tokens[i] = "*"
	}
	return strings.Join(tokens, "/")
}

// pointerShape names how the pointers only the reference reports relate to
// those only Parse reports, when every one is a known transformation of one
// of the other: "schema-url-escapes-tokens" (url.PathEscape of each token,
// as jsonschema/v5 builds instance locations), "schema-drops-empty-tokens"
// ("/a//b" reported as "/a/b"), or both joined by "+" when both occur.
// It returns "" for any other difference.
func pointerShape(onlyParse, onlySchema []string) string {
	if len(onlyParse) == 0 || len(onlyParse) != len(onlySchema) {
		return ""
	}
	used := map[string]bool{}
	for _, s := range onlySchema {
		u, err := url.PathUnescape(s)
		if err != nil {
			u = s
		}
		found := false
		for _, p := range onlyParse {
			escaped, dropped := u != s, dropEmptyTokens(p) != p
			if (escaped || dropped) && dropEmptyTokens(p) == dropEmptyTokens(u) && (dropped || u == p) {
				found = true
				if escaped {
					used["schema-url-escapes-tokens"] = true
				}
				if dropped && u != p {
					used["schema-drops-empty-tokens"] = true
				}
				break
			}
		}
		if !found {
			return ""
		}
	}
	var names []string
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, "+")
}

func dropEmptyTokens(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return strings.TrimSuffix(p, "/")
}

// result is the outcome of the differential check of one payload.
type result struct {
	payload    Payload
	parse, ref verdict
	// unknown is set when the payload names an event type (a string) that
	// is not a known one.
	unknown bool
	// unknownAccepted is set when, moreover, the reference rejects the
	// payload only at /event and Parse accepts it as *UnknownEvent.
	unknownAccepted bool
	finding         *finding
}

// check compares the verdicts of Parse and the reference on one payload.
func check(p Payload) result {
	r := result{payload: p, parse: parseVerdict(p.Data, parseTimeout), ref: schemaVerdict(p.Data)}
	r.finding = r.compare()
	return r
}

func (r *result) compare() *finding {
	parse, ref := r.parse, r.ref
	switch {
	case parse.outcome == hung:
		return newFinding("parse-hang", "krosai.Parse never returns")
	case parse.outcome == panicked:
		return newFinding("parse-panic/"+slug(panicFunc(parse.text)), panicSite(parse.text))
	case ref.outcome == panicked:
		return newFinding("schema-panic/"+slug(panicFunc(ref.text)), panicSite(ref.text))
	case parse.outcome == otherErr:
		return newFinding("parse-unexpected-error", parse.text)
	case ref.outcome == otherErr:
		return newFinding("schema-unexpected-error", ref.text)
	case parse.outcome == malformed && ref.outcome == malformed:
		return nil
	case parse.outcome == malformed:
		return newFinding("syntax-verdicts-differ", "Parse: syntax error; schema: "+ref.outcome.name())
	case ref.outcome == malformed:
		return newFinding("syntax-verdicts-differ", "schema: syntax error; Parse: "+parse.outcome.name())
	}

	wantAccept := ref.outcome == accepted
	want := ref.pointers
	typ, unknown := unknownEventType(r.payload.Data)
	if unknown {
		r.unknown = true
		if ref.outcome != rejected || !slices.Contains(ref.pointers, "/event") {
			return pointerFinding("unknown-event-not-rejected-at-/event", "schema "+ref.outcome.name()+" %s", ref.pointers)
		}
		want = slices.DeleteFunc(slices.Clone(ref.pointers), func(p string) bool { return p == "/event" })
		wantAccept = len(want) == 0
	}

	switch {
	case wantAccept && parse.outcome == accepted:
		ev := parse.ev
		if unknown {
			u, ok := ev.Data.(*krosai.UnknownEvent)
			if !ok || string(u.Type) != typ || string(ev.Type) != typ {
				return newFinding("unknown-event-wrong-data", fmt.Sprintf("event %q decoded as %s", typ, describeEvent(ev)))
			}
			r.unknownAccepted = true
			return nil
		}
		if ev.Data == nil || ev.Data.EventType() != ev.Type || !knownTypes[string(ev.Type)] {
			return newFinding("known-event-wrong-data", describeEvent(ev))
		}
		if _, isUnknown := ev.Data.(*krosai.UnknownEvent); isUnknown {
			return newFinding("known-event-wrong-data", describeEvent(ev))
		}
		return nil
	case wantAccept:
		if unknown {
			return pointerFinding("parse-rejects-unknown-event", "Parse rejects at %s; schema rejects only at /event", parse.pointers)
		}
		return pointerFinding("parse-rejects-schema-accepts/"+slug(generalizeMessage(parse.problems[0].message)), "Parse rejects at %s", parse.pointers)
	case parse.outcome == accepted:
		return pointerFinding("parse-accepts-schema-rejects/"+slug(generalizeMessage(ref.problems[0].message)), "schema rejects at %s", want)
	case !slices.Equal(parse.pointers, want) && !slices.Equal(withoutEmptyTokens(parse.pointers), withoutEmptyTokens(want)):
		onlyP, onlyS := difference(parse.pointers, want), difference(want, parse.pointers)
		class := "pointer-sets-differ"
		if shape := pointerShape(onlyP, onlyS); shape != "" {
			class += "/" + shape
		}
		return pointerFinding(class, "only Parse: %s; only schema: %s", onlyP, onlyS)
	}
	return nil
}

// withoutEmptyTokens drops the empty tokens of each pointer. jsonschema/v5
// joins instance locations without them ("/data/metadata" for the property
// "" of metadata), so the reference cannot tell a problem under the empty key
// from one at its parent: there, pointers are compared as v5 writes them.
// TestParsePointersResolve checks Parse's own pointers exactly.
func withoutEmptyTokens(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = dropEmptyTokens(p)
	}
	return uniqueSorted(out)
}

func (o outcome) name() string {
	return [...]string{"accepts", "rejects", "syntax error", "unexpected error", "panic", "hang"}[o]
}

func difference(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// generalizeMessage drops the values from a problem message: quoted
// strings become "…" and numbers N.
func generalizeMessage(msg string) string {
	msg = quotedValue.ReplaceAllString(msg, "…")
	return number.ReplaceAllString(msg, "N")
}

var (
	quotedValue = regexp.MustCompile(`"(?:[^"\\]|\\.)*"(?:\.\.\.)?|'(?:[^'\\]|\\.)*'`)
	number      = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?`)
)

// slug turns text into a class name: lower-case letters, digits and
// single dashes, at most 60 bytes.
func slug(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return shorten(b.String(), 60)
}

// panicFunc is the innermost function of a recovered panic's stack.
func panicFunc(text string) string {
	lines := strings.Split(text, "\n")
	last := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			last = i
		}
	}
	if last < 0 || last+2 >= len(lines) {
		return "unknown"
	}
	fn := strings.TrimSpace(lines[last+2])
	if j := strings.LastIndexByte(fn, '('); j > 0 {
		fn = fn[:j]
	}
	return fn
}

// panicSite shortens a recovered panic and its stack to the message and the
// two innermost frames of the panic (those after the last "panic(" frame, as
// a recovered and re-raised panic has several).
func panicSite(text string) string {
	lines := strings.Split(text, "\n")
	last := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			last = i
		}
	}
	if last < 0 {
		return lines[0]
	}
	var frames []string
	for i := last + 2; i+1 < len(lines) && len(frames) < 2; i += 2 {
		fn := strings.TrimSpace(lines[i])
		if j := strings.LastIndexByte(fn, '('); j > 0 {
			fn = fn[:j]
		}
		loc := strings.TrimSpace(lines[i+1])
		if j := strings.LastIndex(loc, " +0x"); j >= 0 {
			loc = loc[:j]
		}
		frames = append(frames, fn+" ("+loc[strings.LastIndexByte(loc, '/')+1:]+")")
	}
	return lines[0] + " in " + strings.Join(frames, " called by ")
}

// skipped reports whether class is listed in FIDELITY_SKIP, or the class
// it is a subclass of (the part before "/"), or, for a subclass made of
// several joined by "+" ("a/x+y"), every one of them ("a/x" and "a/y").
func skipped(class string) bool {
	list := map[string]bool{}
	for _, c := range strings.Split(os.Getenv("FIDELITY_SKIP"), ",") {
		list[strings.TrimSpace(c)] = true
	}
	base, sub, ok := strings.Cut(class, "/")
	if list[class] || list[base] {
		return true
	}
	if !ok || !strings.Contains(sub, "+") {
		return false
	}
	for _, part := range strings.Split(sub, "+") {
		if !list[base+"/"+part] {
			return false
		}
	}
	return true
}

// showPayload renders a payload for a report, shortened when long.
func showPayload(b []byte) string {
	const max = 400
	if len(b) > max {
		return strconv.Quote(string(b[:max])) + fmt.Sprintf("... (%d bytes)", len(b))
	}
	return strconv.Quote(string(b))
}

func shorten(s string, max int) string {
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// The corpus and its differential results, built once for all tests.
var shared struct {
	corpusOnce sync.Once
	set        *schema.Set
	payloads   []Payload
	err        error

	resultsOnce sync.Once
	results     []result
	elapsed     time.Duration

	// valueFindings are TestDecodedValuesMatchEncodingJSON's findings.
	valueFindings []result
	// pointerFindings are TestParsePointersResolve's findings.
	pointerFindings []result
}

// loadCorpus derives the mutation corpus from every documented example.
func loadCorpus(tb testing.TB) (*schema.Set, []Payload) {
	tb.Helper()
	shared.corpusOnce.Do(func() {
		shared.set, shared.err = schema.Default()
		if shared.err != nil {
			return
		}
		var examples []Example
		var types []string
		for _, ev := range shared.set.Events {
			types = append(types, ev.Type)
			for _, ex := range ev.Examples {
				examples = append(examples, Example{Type: ev.Type, Raw: ex})
			}
		}
		shared.payloads, shared.err = Corpus(examples, types)
	})
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	return shared.set, shared.payloads
}

// differentialResults checks every corpus payload, in parallel.
func differentialResults(tb testing.TB) ([]result, time.Duration) {
	_, payloads := loadCorpus(tb)
	shared.resultsOnce.Do(func() {
		start := time.Now()
		rs := make([]result, len(payloads))
		next := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					rs[i] = check(payloads[i])
				}
			}()
		}
		for i := range payloads {
			next <- i
		}
		close(next)
		wg.Wait()
		shared.results, shared.elapsed = rs, time.Since(start)
	})
	return shared.results, shared.elapsed
}

// group is the findings of one class and detail.
type group struct {
	finding
	count int
	first result
	kinds map[string]int
}

// reportFindings renders findings grouped by class and detail, with one
// example payload per group, at most maxGroups groups.
func reportFindings(rs []result, maxGroups int, showVerdicts func(result) string) string {
	var groups []*group
	type groupKey struct{ class, group string }
	byKey := map[groupKey]*group{}
	classes := map[string]int{}
	for _, r := range rs {
		if r.finding == nil {
			continue
		}
		classes[r.finding.class]++
		k := groupKey{r.finding.class, r.finding.group}
		g := byKey[k]
		if g == nil {
			g = &group{finding: *r.finding, first: r, kinds: map[string]int{}}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.count++
		g.kinds[r.payload.Kind]++
	}
	var b strings.Builder
	var names []string
	total := 0
	for c, n := range classes {
		names = append(names, c)
		total += n
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "%d disagreements in %d classes, %d groups:\n", total, len(classes), len(groups))
	for _, c := range names {
		fmt.Fprintf(&b, "  %-40s %d\n", c, classes[c])
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].class != groups[j].class {
			return groups[i].class < groups[j].class
		}
		return groups[i].count > groups[j].count
	})
	// Show the largest group of every class first, then the others.
	var shown []*group
	seenClass := map[string]bool{}
	for _, g := range groups {
		if !seenClass[g.class] {
			seenClass[g.class] = true
			shown = append(shown, g)
		}
	}
	for _, g := range groups {
		if !slices.Contains(shown, g) {
			shown = append(shown, g)
		}
	}
	for i, g := range shown {
		if i == maxGroups {
			fmt.Fprintf(&b, "... and %d more groups\n", len(shown)-maxGroups)
			break
		}
		fmt.Fprintf(&b, "\n[%s] %s\n  %d payloads, mutations: %s\n  e.g. %s: %s\n  payload: %s\n%s",
			g.class, g.group, g.count, topKinds(g.kinds, 4), g.first.payload, g.first.finding.detail, showPayload(g.first.payload.Data), showVerdicts(g.first))
	}
	return b.String()
}

func topKinds(m map[string]int, n int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if m[ks[i]] != m[ks[j]] {
			return m[ks[i]] > m[ks[j]]
		}
		return ks[i] < ks[j]
	})
	var parts []string
	for i, k := range ks {
		if i == n {
			parts = append(parts, fmt.Sprintf("... (%d kinds)", len(ks)))
			break
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func bothVerdicts(r result) string {
	return "  Parse:  " + shorten(r.parse.String(), 600) + "\n  schema: " + shorten(r.ref.String(), 600) + "\n"
}

// Value comparison.

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage(nil))
)

// diffValues describes the first difference between a and b, or returns "".
// It is reflect.DeepEqual except that times are equal when they are the same
// instant with the same UTC offset (time.Time holds a *Location, which two
// decoders never share), and, with semanticRaw, json.RawMessage values are
// equal when they hold the same JSON value (json.Marshal compacts and
// HTML-escapes raw messages).
func diffValues(a, b reflect.Value, path string, semanticRaw bool) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %s != %s", path, a.Type(), b.Type())
	}
	switch a.Type() {
	case timeType:
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		if !ta.Equal(tb) || oa != ob {
			return fmt.Sprintf("%s: %s != %s", path, ta.Format(time.RFC3339Nano), tb.Format(time.RFC3339Nano))
		}
		return ""
	case rawType:
		ra, rb := a.Bytes(), b.Bytes()
		if (semanticRaw && jsonEqual(ra, rb)) || (!semanticRaw && bytes.Equal(ra, rb) && (ra == nil) == (rb == nil)) {
			return ""
		}
		return fmt.Sprintf("%s: %s != %s", path, shorten(strconv.Quote(string(ra)), 200), shorten(strconv.Quote(string(rb)), 200))
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil %v != nil %v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return diffValues(a.Elem(), b.Elem(), path, semanticRaw)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !a.Type().Field(i).IsExported() {
				continue // the kept unknown members, which encoding/json drops
			}
			if d := diffValues(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, semanticRaw); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%s: map of %d (nil %v) != map of %d (nil %v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s: key %q missing", path, k)
			}
			if d := diffValues(a.MapIndex(k), bv, fmt.Sprintf("%s[%q]", path, k), semanticRaw); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%s: slice of %d (nil %v) != slice of %d (nil %v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diffValues(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), semanticRaw); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %s != %s", path, shorten(fmt.Sprintf("%#v", a.Interface()), 200), shorten(fmt.Sprintf("%#v", b.Interface()), 200))
	}
	return ""
}

// jsonEqual reports whether a and b hold the same JSON value, numbers
// compared as written.
func jsonEqual(a, b []byte) bool {
	va, ea := decodeAny(a)
	vb, eb := decodeAny(b)
	if ea != nil || eb != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}

func decodeAny(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// diffEvents describes the first difference between two events.
func diffEvents(a, b *krosai.Event, semanticRaw bool) string {
	return diffValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem(), "Event", semanticRaw)
}

// roundTrip checks that json.Marshal of an accepted event parses back to an
// equal event.
func roundTrip(ev *krosai.Event) *finding {
	b, err := json.Marshal(ev)
	if err != nil {
		return newFinding("remarshal-fails", "json.Marshal: "+err.Error())
	}
	v := parseVerdict(b, parseTimeout)
	if v.outcome != accepted {
		return newFinding("reparse-fails", shorten(v.String(), 300)+" for "+shorten(string(b), 300))
	}
	if d := diffEvents(ev, v.ev, true); d != "" {
		return newFinding("roundtrip-changes-event", d)
	}
	return nil
}
