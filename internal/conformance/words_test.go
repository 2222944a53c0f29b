package conformance

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/krosgen/krosgen/generator"
	"github.com/krosgen/krosgen/schema"
)

// wordsMismatches compares, for every case the generated Parse rejects,
// its problems with what krosgen validate reports (schema.Set.Check, the
// reference validator in Parse's words): the same pointers and messages.
// It returns one line per mismatch.
// It also counts the cases jsonschema/v5 accepts although Parse rejects them
// (an empty enum): a verdict of the reference validator, not a matter of
// words.
func wordsMismatches(fsys fs.FS, groups []*group, verdicts map[*group][]verdict) (out []string, compared, v5accepts int, err error) {
	set, err := schema.Load(fsys, "schema")
	if err != nil {
		return nil, 0, 0, err
	}
	validated, err := generator.ValidatedSchemas(set)
	if err != nil {
		return nil, 0, 0, err
	}
	for _, g := range groups {
		vs := verdicts[g]
		if g.Refusal != "" || g.Broken != "" || vs == nil {
			continue
		}
		for i, tc := range g.Tests {
			v := vs[i]
			if v.OK || v.Panic != "" || !strings.HasPrefix(v.Err, "invalid payload: ") {
				continue
			}
			compared++
			want := parseProblems(v.Err)
			var got []string
			var ve *schema.ValidationError
			if res := set.Check([]byte(payload(g.Event, tc.Data)), validated); errors.As(res.Err, &ve) {
				for _, p := range ve.Problems {
					got = append(got, p.String())
				}
			} else {
				v5accepts++
				continue
			}
			if strings.Join(got, "; ") != strings.Join(want, "; ") {
				out = append(out, fmt.Sprintf("%s: %s\n\tParse:    %s\n\tvalidate: %s", g.name(), tc.Description, strings.Join(want, "; "), strings.Join(got, "; ")))
			}
		}
	}
	return out, compared, v5accepts, nil
}

// parseProblems reads the problems back out of ValidationError.Error(), sorted
// as validate sorts them.
func parseProblems(msg string) []string {
	rest := strings.TrimPrefix(msg, "invalid payload: ")
	var lines []string
	if first, more, ok := strings.Cut(rest, "\n\t"); ok && strings.HasSuffix(first, " problems") {
		lines = strings.Split(more, "\n\t")
	} else {
		lines = []string{rest}
	}
	lines = slices.Compact(sortProblemLines(lines))
	return lines
}

func sortProblemLines(lines []string) []string {
	sort.SliceStable(lines, func(i, j int) bool {
		pi, mi, _ := strings.Cut(lines[i], ": ")
		pj, mj, _ := strings.Cut(lines[j], ": ")
		if pi == "(root)" {
			pi = ""
		}
		if pj == "(root)" {
			pj = ""
		}
		if pi != pj {
			return pi < pj
		}
		return mi < mj
	})
	return lines
}
