package randschema

import (
	"math/rand"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Patterns are drawn to exercise both ways the generator checks them:
// anchored runs of character classes and literals with quantifiers (checked
// by generated loops), and everything else (checked by regexp).

// class is a character class as written in a pattern, with the cell of the
// partition of ASCII it lies in, so that disjoint classes can be chosen.
type class struct {
	text string
	cell int // classes in different cells share no character; -1: spans cells
}

var classes = []class{
	{"[a-z]", 0}, {"[a-f]", 0}, {"[xyz]", 0}, {"a", 0}, {"q", 0},
	{"[A-Z]", 1}, {"[A-F]", 1}, {"Z", 1},
	{"[0-9]", 2}, {`\d`, 2}, {"[1-9]", 2}, {"0", 2}, {"7", 2},
	{"_", 3}, {"-", 4}, {`\.`, 5}, {`\+`, 6}, {":", 7}, {" ", 8},
	{"[a-z0-9]", -1}, {"[A-Za-z]", -1}, {`\w`, -1}, {"[^a-z]", -1}, {"[a-z_-]", -1},
	{"[0-9a-f]", -1}, {"[A-Za-z0-9_]", -1},
}

var quantifiers = []string{"", "", "?", "*", "+", "{2}", "{1,3}", "{0,2}", "{2,}", "{1,14}"}

// regexpOnly are pattern fragments the loops do not take: alternation,
// groups, the dot, lazy quantifiers, flags, Unicode classes.
var regexpOnly = []string{
	"(ab|cd)", "(a|b)+", "[a-z]+?", ".", ".*", "(?i)ab", `\p{L}+`, "(x[0-9])*",
	"[é-ü]", "(foo)?", `\s`, "a{0}", "é",
}

// drawPattern draws a pattern. With overlapping false, the classes and
// literals of one pattern lie in distinct cells, so no two of them share a
// character.
func drawPattern(rng *rand.Rand, overlapping bool) string {
	var b strings.Builder
	anchors := rng.Intn(10)
	begin, end := anchors < 7 || anchors == 8, anchors < 7 || anchors == 9
	if begin {
		b.WriteByte('^')
	}
	n := 1 + rng.Intn(4)
	used := map[int]bool{}
	for i := 0; i < n; i++ {
		if rng.Intn(8) == 0 {
			b.WriteString(regexpOnly[rng.Intn(len(regexpOnly))])
			continue
		}
		var c class
		for try := 0; ; try++ {
			c = classes[rng.Intn(len(classes))]
			if overlapping || (c.cell >= 0 && !used[c.cell]) {
				break
			}
			if try > 50 {
				c = class{}
				break
			}
		}
		if c.text == "" {
			continue
		}
		used[c.cell] = true
		b.WriteString(c.text)
		b.WriteString(quantifiers[rng.Intn(len(quantifiers))])
	}
	if end {
		b.WriteByte('$')
	}
	p := b.String()
	if p == "" || p == "^" || p == "$" || p == "^$" {
		p = "^[a-z]+$"
	}
	return p
}

// patternSampler draws strings that match a pattern.
type patternSampler struct {
	re  *regexp.Regexp
	ast *syntax.Regexp
}

func newPatternSampler(p string) *patternSampler {
	re, err := regexp.Compile(p)
	if err != nil {
		return nil
	}
	ast, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return nil
	}
	return &patternSampler{re: re, ast: ast.Simplify()}
}

// sample returns a matching string, or "" and false after some tries.
func (s *patternSampler) sample(rng *rand.Rand) (string, bool) {
	for try := 0; try < 30; try++ {
		var b strings.Builder
		if rng.Intn(4) == 0 {
			b.WriteString(randomText(rng, 2))
		}
		gen(&b, s.ast, rng)
		if rng.Intn(4) == 0 {
			b.WriteString(randomText(rng, 2))
		}
		if out := b.String(); s.re.MatchString(out) {
			return out, true
		}
		if out := strings.TrimSpace(b.String()); s.re.MatchString(out) {
			return out, true
		}
	}
	return "", false
}

func gen(b *strings.Builder, re *syntax.Regexp, rng *rand.Rand) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && rng.Intn(2) == 0 {
				r = swapCase(r)
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		b.WriteRune(pickRune(re.Rune, rng))
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		dots := []rune("ab9_-. Zé📞")
		b.WriteRune(dots[rng.Intn(len(dots))])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, 3
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 {
				hi = lo + 3
			}
		}
		if hi > lo+4 {
			hi = lo + 4
		}
		k := lo + rng.Intn(hi-lo+1)
		for i := 0; i < k; i++ {
			gen(b, re.Sub[0], rng)
		}
	case syntax.OpConcat:
		for _, s := range re.Sub {
			gen(b, s, rng)
		}
	case syntax.OpAlternate:
		gen(b, re.Sub[rng.Intn(len(re.Sub))], rng)
	case syntax.OpCapture:
		gen(b, re.Sub[0], rng)
	}
}

func swapCase(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 32
	case r >= 'A' && r <= 'Z':
		return r + 32
	}
	return r
}

// pickRune picks a rune from class ranges, preferring printable ASCII.
func pickRune(ranges []rune, rng *rand.Rand) rune {
	var ascii [][2]rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo < 0x20 {
			lo = 0x20
		}
		if hi > 0x7e {
			hi = 0x7e
		}
		if lo <= hi {
			ascii = append(ascii, [2]rune{lo, hi})
		}
	}
	if len(ascii) > 0 && rng.Intn(8) != 0 {
		r := ascii[rng.Intn(len(ascii))]
		return r[0] + rune(rng.Intn(int(r[1]-r[0]+1)))
	}
	if len(ranges) < 2 {
		return 'a'
	}
	i := 2 * rng.Intn(len(ranges)/2)
	lo, hi := ranges[i], ranges[i+1]
	if hi-lo > 1000 {
		hi = lo + 1000
	}
	r := lo + rune(rng.Intn(int(hi-lo+1)))
	if !utf8.ValidRune(r) {
		return 'a'
	}
	return r
}

const textAlphabet = "abcxyzABZ019_-. é"

func randomText(rng *rand.Rand, max int) string {
	n := rng.Intn(max + 1)
	rs := []rune(textAlphabet)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(rs[rng.Intn(len(rs))])
	}
	return b.String()
}

// nearMisses derives strings close to s: one rune dropped, doubled,
// replaced or inserted, a newline appended, the case swapped.
func nearMisses(s string, rng *rand.Rand) []string {
	rs := []rune(s)
	var out []string
	alphabet := []rune("aZ0_-.+: é\n")
	if len(rs) > 0 {
		i := rng.Intn(len(rs))
		out = append(out,
			string(append(append([]rune{}, rs[:i]...), rs[i+1:]...)),
			string(append(append(append([]rune{}, rs[:i+1]...), rs[i]), rs[i+1:]...)),
			string(append(append(append([]rune{}, rs[:i]...), alphabet[rng.Intn(len(alphabet))]), rs[i+1:]...)),
		)
	}
	i := rng.Intn(len(rs) + 1)
	out = append(out,
		string(append(append(append([]rune{}, rs[:i]...), alphabet[rng.Intn(len(alphabet))]), rs[i:]...)),
		s+"\n", "\n"+s, strings.ToUpper(s), strings.ToLower(s), "",
	)
	return out
}
