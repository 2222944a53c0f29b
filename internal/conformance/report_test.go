package conformance

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// row counts the results of one keyword (one suite file), or of all.
type row struct {
	keyword       string
	groups        int
	refusedGroups int
	refusedTests  int
	genGroups     int // generated, including broken ones
	brokenGroups  int // generated, but Generate panicked or failed with a bug, or the code does not build
	passed, total int // tests of generated groups
}

type report struct {
	rows []*row
	row  // totals
}

// tally counts results per keyword. The tests of a broken group, or of a
// generated group that was not run, count as failed.
func tally(groups []*group, verdicts map[*group][]verdict) *report {
	rep := &report{row: row{keyword: "all"}}
	byKeyword := map[string]*row{}
	for _, f := range suiteFiles {
		r := &row{keyword: keywordOf(f)}
		byKeyword[r.keyword] = r
		rep.rows = append(rep.rows, r)
	}
	for _, g := range groups {
		for _, r := range []*row{byKeyword[g.Keyword], &rep.row} {
			r.groups++
			if g.Refusal != "" {
				r.refusedGroups++
				r.refusedTests += len(g.Tests)
				continue
			}
			r.genGroups++
			r.total += len(g.Tests)
			vs := verdicts[g]
			if g.Broken != "" {
				r.brokenGroups++
			}
			if g.Broken != "" || vs == nil {
				continue
			}
			for i, tc := range g.Tests {
				if vs[i].Panic == "" && vs[i].OK == tc.Valid {
					r.passed++
				}
			}
		}
	}
	return rep
}

// markdown renders the table, ready to paste into a note.
func (rep *report) markdown() string {
	var b strings.Builder
	b.WriteString("JSON-Schema-Test-Suite draft2020-12, through krosgen (generated Parse vs the suite's verdicts)\n\n")
	b.WriteString("| keyword | groups | refused groups | refused tests | generated groups | of which broken | generated tests passed |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
	line := func(r *row, bold bool) {
		name := r.keyword
		if bold {
			name = "**" + name + "**"
		}
		pass := "-"
		if r.total > 0 {
			pass = fmt.Sprintf("%d/%d", r.passed, r.total)
			if r.passed != r.total {
				pass += " FAIL"
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %s |\n", name, r.groups, r.refusedGroups, r.refusedTests, r.genGroups, r.brokenGroups, pass)
	}
	for _, r := range rep.rows {
		line(r, false)
	}
	line(&rep.row, true)
	tests := rep.refusedTests + rep.total
	fmt.Fprintf(&b, "\n%d groups, %d tests: %d groups (%d tests) refused; %d groups (%d tests) generated, of whose tests %d pass",
		rep.groups, tests, rep.refusedGroups, rep.refusedTests, rep.genGroups, rep.total, rep.passed)
	if rep.brokenGroups > 0 {
		fmt.Fprintf(&b, " (%d generated groups broken: Generate failed with a bug or panicked, or the code does not build; their tests count as failed)", rep.brokenGroups)
	}
	b.WriteString(".\n")
	return b.String()
}

// The keywords of draft 2020-12, to find the one a refusal's pointer ends at.
var allKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`$id $schema $ref $anchor $dynamicRef $dynamicAnchor $vocabulary $comment $defs
		definitions allOf anyOf oneOf not if then else dependentSchemas prefixItems items contains
		properties patternProperties additionalProperties propertyNames unevaluatedItems unevaluatedProperties
		type enum const multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern
		maxItems minItems uniqueItems maxContains minContains maxProperties minProperties required dependentRequired
		format contentEncoding contentMediaType contentSchema title description default deprecated readOnly writeOnly examples`) {
		allKeywords[k] = true
	}
}

var (
	locationRE  = regexp.MustCompile(`schema/events/t\.g\d+\.json(#\S*)?: `)
	keywordRE   = regexp.MustCompile(`keyword "([^"]+)"`)
	pointerRE   = regexp.MustCompile(`(?:schema/)?(?:events/t\.g\d+\.json)?#/[^\s:;,)"]*|(?:^|\s)/(?:properties|\$defs|items|allOf|anyOf|oneOf|not)[^\s:;,)"]*`)
	groupNameRE = regexp.MustCompile(`\bt\.g\d+\b|\bg\d+_|\bT?G\d+`)
)

// reason classifies a refusal: the keyword it names (in `keyword "x"`, or
// the last keyword of its JSON pointer) and its message with the locations
// and group numbers taken out, so that refusals for one cause group together.
func reason(msg string) (keyword, text string) {
	combined := strings.HasPrefix(msg, "beside other groups: ")
	msg = strings.TrimPrefix(msg, "beside other groups: ")
	if m := locationRE.FindStringSubmatchIndex(msg); m != nil {
		if m[2] >= 0 {
			ptr := msg[m[2]+1 : m[3]]
			toks := strings.Split(ptr, "/")
			for i := len(toks) - 1; i >= 0; i-- {
				if allKeywords[toks[i]] {
					keyword = toks[i]
					break
				}
			}
		}
		msg = msg[m[1]:]
	}
	if m := keywordRE.FindStringSubmatch(msg); m != nil {
		keyword = m[1]
	}
	if keyword == "" && (strings.Contains(msg, "no schema file at") || strings.HasSuffix(msg, " not found")) {
		keyword = "$ref" // the reference validator could not resolve a $ref
	}
	if keyword == "" {
		keyword = "(none)"
	}
	text = pointerRE.ReplaceAllString(msg, " <ptr>")
	text = groupNameRE.ReplaceAllString(text, "<gN>")
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > 160 {
		text = text[:157] + "..."
	}
	if combined {
		text = "beside other groups: " + text
	}
	return keyword, text
}

// reasonSummary counts refused groups by keyword, then by message.
func reasonSummary(groups []*group) string {
	type bucket struct {
		groups   int
		tests    int
		messages map[string]int
	}
	buckets := map[string]*bucket{}
	for _, g := range groups {
		if g.Refusal == "" {
			continue
		}
		kw, text := reason(g.Refusal)
		b := buckets[kw]
		if b == nil {
			b = &bucket{messages: map[string]int{}}
			buckets[kw] = b
		}
		b.groups++
		b.tests += len(g.Tests)
		b.messages[text]++
	}
	kws := sortedKeys(buckets)
	sort.SliceStable(kws, func(i, j int) bool { return buckets[kws[i]].groups > buckets[kws[j]].groups })
	var sb strings.Builder
	for _, kw := range kws {
		b := buckets[kw]
		fmt.Fprintf(&sb, "  %-22s %3d groups %4d tests\n", kw, b.groups, b.tests)
		msgs := sortedKeys(b.messages)
		sort.SliceStable(msgs, func(i, j int) bool { return b.messages[msgs[i]] > b.messages[msgs[j]] })
		for _, m := range msgs {
			fmt.Fprintf(&sb, "      %3d  %s\n", b.messages[m], m)
		}
	}
	return sb.String()
}
