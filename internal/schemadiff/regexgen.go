package schemadiff

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// matching returns strings that contain a match of the pattern (JSON Schema
// patterns are not anchored), varied in the branch taken, the character
// picked from each class and the number of repetitions, so that one of them
// tells apart two patterns that differ. A pattern Go cannot parse gives none.
func matching(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	var out []string
	seen := map[string]bool{}
	for _, reps := range []int{1, 0, 2, 5, 17} {
		for variant := 0; variant < 4; variant++ {
			g := &regexGen{variant: variant, reps: reps}
			s := g.gen(re)
			if !seen[s] && len(s) < 4096 {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

type regexGen struct {
	variant, reps int
	b             strings.Builder
	budget        int
}

// pick chars tried in order for a character class; the variant skips some,
// so that different variants land on different kinds of character.
const pickChars = "aA0_-.+ z9Z~é"

func (g *regexGen) gen(re *syntax.Regexp) string {
	g.b.Reset()
	g.budget = 4096
	g.walk(re)
	return g.b.String()
}

func (g *regexGen) walk(re *syntax.Regexp) {
	if g.budget <= 0 {
		return
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			g.b.WriteRune(r)
			g.budget--
		}
	case syntax.OpCharClass:
		g.b.WriteRune(g.class(re.Rune))
		g.budget--
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		g.b.WriteRune([]rune("aZ0 ")[g.variant%4])
		g.budget--
	case syntax.OpCapture:
		g.walk(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			g.walk(s)
		}
	case syntax.OpAlternate:
		g.walk(re.Sub[g.variant%len(re.Sub)])
	case syntax.OpStar:
		g.repeat(re.Sub[0], 0, -1)
	case syntax.OpPlus:
		g.repeat(re.Sub[0], 1, -1)
	case syntax.OpQuest:
		g.repeat(re.Sub[0], 0, 1)
	case syntax.OpRepeat:
		g.repeat(re.Sub[0], re.Min, re.Max)
	}
}

func (g *regexGen) repeat(sub *syntax.Regexp, min, max int) {
	n := g.reps
	if n < min {
		n = min
	}
	if max >= 0 && n > max {
		n = max
	}
	for i := 0; i < n; i++ {
		g.walk(sub)
	}
}

// class picks a character of the class given as ranges, preferring plain
// printable ones.
func (g *regexGen) class(ranges []rune) rune {
	in := func(r rune) bool {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= r && r <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	skip := g.variant
	for _, r := range pickChars {
		if in(r) {
			if skip == 0 {
				return r
			}
			skip--
		}
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1] && r < ranges[i]+64; r++ {
			if unicode.IsPrint(r) {
				return r
			}
		}
	}
	if len(ranges) > 0 {
		return ranges[0]
	}
	return 'a'
}
