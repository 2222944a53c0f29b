package generator

import (
	"regexp"
	"testing"

	"github.com/krosgen/krosgen/generator/model"
)

// matchPieces is what emitPattern's loops compute: each piece greedily takes
// Min to Max bytes of its class, without backtracking; the string must end
// where the last piece stops.
func matchPieces(s string, seq []model.Piece) bool {
	i := 0
	for _, p := range seq {
		n := 0
		for (p.Max < 0 || n < p.Max) && i < len(s) && inRanges(s[i], p.Ranges) {
			i++
			n++
		}
		if n < p.Min {
			return false
		}
	}
	return i == len(s)
}

func inRanges(b byte, rs []model.ByteRange) bool {
	for _, r := range rs {
		if r.Lo <= b && b <= r.Hi {
			return true
		}
	}
	return false
}

// allStrings returns every string over alphabet of length 0 to n.
func allStrings(alphabet string, n int) []string {
	out := []string{""}
	level := []string{""}
	for l := 0; l < n; l++ {
		var next []string
		for _, s := range level {
			for _, c := range alphabet {
				next = append(next, s+string(c))
			}
		}
		out = append(out, next...)
		level = next
	}
	return out
}

// TestSimplePatternEqualsRegexp checks every pattern ^P1P2P3$, each P a
// character class with a quantifier, that the loop compiler accepts,
// against regexp on every string up to length 5 over an alphabet that
// holds bytes inside and outside each class.
func TestSimplePatternEqualsRegexp(t *testing.T) {
	classes := []string{"a", "b", "-", "[ab]", "[a-z]", "[-b]", "[^a]", `\d`}
	quantifiers := []string{"", "?", "*", "+", "{2}", "{0,2}", "{1,3}", "{2,}"}
	inputs := allStrings("ab-c", 5)
	var atoms []string
	for _, c := range classes {
		for _, q := range quantifiers {
			atoms = append(atoms, c+q)
		}
	}
	total, loops := 0, 0
	for _, p1 := range atoms {
		for _, p2 := range atoms {
			for _, p3 := range atoms {
				src := "^" + p1 + p2 + p3 + "$"
				total++
				seq := simplePattern(src)
				if seq == nil {
					continue
				}
				loops++
				re := regexp.MustCompile(src)
				for _, s := range inputs {
					if got, want := matchPieces(s, seq), re.MatchString(s); got != want {
						t.Fatalf("%s on %q: loop says %v, regexp %v", src, s, got, want)
					}
				}
			}
		}
	}
	t.Logf("%d of %d patterns compile to loops; each agrees with regexp on %d strings", loops, total, len(inputs))
	if loops < total/5 { // about a quarter; most of the rest hold [^a], which is not ASCII-only
		t.Errorf("only %d of %d patterns compile to loops: the compiler refuses too much", loops, total)
	}
}

func TestSimplePattern_RefusesWhatGreedyLoopsGetWrong(t *testing.T) {
	for _, src := range []string{
		`^[a-z]+-?[a-z]{2}$`, // the optional "-" lets [a-z]+ meet [a-z]{2}
		`^a*a$`, `^[0-9]{1,3}[0-9]$`, `^a?b?a$`, `^.+$`, `^(?i)a+$`, `^é+$`, `^[^a]+$`, `^a+`,
	} {
		if seq := simplePattern(src); seq != nil {
			t.Errorf("%s compiles to loops, which would disagree with regexp", src)
		}
	}
	for _, src := range []string{`^evt_[A-Za-z0-9_]+$`, `^\+[1-9][0-9]{1,14}$`, `^[a-z]+-?[0-9]{2}$`, `^a{0}a*$`} {
		if simplePattern(src) == nil {
			t.Errorf("%s should compile to loops", src)
		}
	}
}
