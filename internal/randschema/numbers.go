package randschema

import (
	"encoding/json"
	"math/big"
	"strings"
)

const (
	maxSafe = "9007199254740991" // 2^53-1
	minSafe = "-9007199254740991"
)

// integerBounds are bounds drawn for integers within ±(2^53-1).
var integerBounds = []string{"0", "1", "-1", "5", "10", "100", "-100", "42", "1000000", maxSafe, minSafe, "1e2", "10.0"}

// wideBounds lie beyond ±(2^53-1), up to and past the int64 range.
var wideBounds = []string{
	"9007199254740992", "-9007199254740993", "9223372036854775807", "-9223372036854775808",
	"9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e19", "1e30",
}

var numberBounds = []string{"0", "1.5", "-1.5", "0.001", "100.25", "1e-10", "-273.15", "3.14159", "1e3", "99.99"}

var integerSteps = []string{"2", "3", "5", "10", "7", "1e1"}
var numberSteps = []string{"0.5", "0.01", "0.1", "2.5", "1e-3", "0.25", "3"}

// drawNumeric fills a node's numeric keywords for integer or number.
func drawNumeric(c *drawer, n *Node, integer bool) {
	rng := c.rng
	pick := func() string {
		if integer {
			if c.f.WideIntegers && rng.Intn(4) == 0 {
				for {
					if b := wideBounds[rng.Intn(len(wideBounds))]; c.risky || inInt64(b) {
						return b
					}
				}
			}
			return integerBounds[rng.Intn(len(integerBounds))]
		}
		if rng.Intn(3) == 0 {
			// ±(2^53-1) with a multipleOf of decimals is refused on numbers
			// (see the generator's floatRoundTrip).
			if b := integerBounds[rng.Intn(len(integerBounds))]; c.risky || inSafeStep(b) {
				return b
			}
		}
		return numberBounds[rng.Intn(len(numberBounds))]
	}
	// The generator refuses an integer or number without both bounds: most
	// draws have them, so that most sets are generated, and a few do not,
	// so that the refusal is drawn too.
	bounded := integer && !c.f.WideIntegers || !c.risky
	if rng.Intn(12) > 0 || bounded {
		a, b := pick(), pick()
		if cmpLit(a, b) > 0 {
			a, b = b, a
		}
		exclusiveLo, exclusiveHi := rng.Intn(4) == 0, rng.Intn(4) == 0
		if !integer && !c.risky { // refused on numbers: see the generator's floatRoundTrip
			exclusiveLo, exclusiveHi = false, false
		}
		if integer && !c.f.WideIntegers && !inSafe(a) {
			a = minSafe
		}
		if integer && !c.f.WideIntegers && !inSafe(b) {
			b = maxSafe
		}
		if exclusiveLo && cmpLit(a, b) < 0 {
			n.ExclusiveMinimum = a
		} else if rng.Intn(12) > 0 || bounded {
			n.Minimum = a
		}
		if exclusiveHi && cmpLit(a, b) < 0 {
			n.ExclusiveMaximum = b
		} else if rng.Intn(12) > 0 || bounded {
			n.Maximum = b
		}
		lo, hi := minSafe, maxSafe
		if !integer {
			lo, hi = "-1000000", "1000000"
		}
		if bounded && n.Minimum == "" && n.ExclusiveMinimum == "" {
			n.Minimum = lo
		}
		if bounded && n.Maximum == "" && n.ExclusiveMaximum == "" {
			n.Maximum = hi
		}
	}
	if rng.Intn(4) == 0 {
		if integer {
			n.MultipleOf = integerSteps[rng.Intn(len(integerSteps))]
		} else {
			n.MultipleOf = numberSteps[rng.Intn(len(numberSteps))]
		}
	}
}

func inInt64(lit string) bool {
	return cmpLit(lit, "-9223372036854775808") >= 0 && cmpLit(lit, "9223372036854775807") <= 0
}

// inSafeStep reports whether a number bound leaves every multiple of the
// steps drawn with at most 15 significant digits.
func inSafeStep(lit string) bool {
	return cmpLit(lit, "-1000000000") >= 0 && cmpLit(lit, "1000000000") <= 0
}

func inSafe(lit string) bool {
	return cmpLit(lit, minSafe) >= 0 && cmpLit(lit, maxSafe) <= 0
}

func lit(s string) *big.Rat {
	r, ok := rat(json.Number(s))
	if !ok {
		return new(big.Rat)
	}
	return r
}

func cmpLit(a, b string) int { return lit(a).Cmp(lit(b)) }

// numericRange returns the closed range of values a node's bounds allow,
// each end nil when unbounded, and the step (nil when none).
func numericRange(n *Node, integer bool) (lo, hi, step *big.Rat) {
	one := big.NewRat(1, 1)
	tiny := big.NewRat(1, 1000)
	if n.Minimum != "" {
		lo = lit(n.Minimum)
	}
	if n.ExclusiveMinimum != "" {
		e := lit(n.ExclusiveMinimum)
		if integer {
			e = new(big.Rat).SetInt(floor(e))
			e.Add(e, one)
		} else {
			e.Add(e, tiny)
		}
		if lo == nil || e.Cmp(lo) > 0 {
			lo = e
		}
	}
	if n.Maximum != "" {
		hi = lit(n.Maximum)
	}
	if n.ExclusiveMaximum != "" {
		e := lit(n.ExclusiveMaximum)
		if integer {
			e = new(big.Rat).SetInt(ceil(e))
			e.Sub(e, one)
		} else {
			e.Sub(e, tiny)
		}
		if hi == nil || e.Cmp(hi) < 0 {
			hi = e
		}
	}
	if n.MultipleOf != "" {
		step = lit(n.MultipleOf)
	}
	if integer {
		if lo != nil {
			lo = new(big.Rat).SetInt(ceil(lo))
		}
		if hi != nil {
			hi = new(big.Rat).SetInt(floor(hi))
		}
	}
	return lo, hi, step
}

func floor(r *big.Rat) *big.Int {
	q, m := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int))
	_ = m
	return q
}

func ceil(r *big.Rat) *big.Int {
	q := floor(r)
	if new(big.Rat).SetInt(q).Cmp(r) != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// sampleNumber draws a value within a node's bounds, on its step.
func sampleNumber(c *drawer, n *Node, integer bool) any {
	rng := c.rng
	lo, hi, step := numericRange(n, integer)
	if step != nil && step.Sign() <= 0 {
		step = nil
	}
	unit := big.NewRat(1, 1)
	if !integer {
		unit = big.NewRat(1, 100)
	}
	if step != nil {
		unit = step
	}
	// Count the units from a base.
	base := new(big.Rat)
	switch {
	case lo != nil:
		k := ceil(new(big.Rat).Quo(lo, unit))
		base.Mul(new(big.Rat).SetInt(k), unit)
	case hi != nil:
		k := floor(new(big.Rat).Quo(hi, unit))
		base.Mul(new(big.Rat).SetInt(k), unit)
		base.Sub(base, new(big.Rat).Mul(unit, big.NewRat(int64(rng.Intn(20)), 1)))
	default:
		k := int64(rng.Intn(200) - 50)
		base.Mul(big.NewRat(k, 1), unit)
	}
	span := int64(20)
	if lo != nil && hi != nil {
		width := new(big.Rat).Quo(new(big.Rat).Sub(hi, base), unit)
		w := floor(width)
		if w.Sign() < 0 {
			return json.Number(number(base)) // unsatisfiable: let the check reject it
		}
		if w.IsInt64() && w.Int64() < span {
			span = w.Int64() + 1
		}
	}
	if lo != nil && hi == nil || lo == nil && hi == nil || lo != nil && hi != nil {
		k := rng.Int63n(span)
		if lo != nil && hi != nil && rng.Intn(4) == 0 && span > 1 {
			k = span - 1
		}
		base.Add(base, new(big.Rat).Mul(unit, big.NewRat(k, 1)))
	}
	v := number(base)
	if !integer && rng.Intn(6) == 0 && !strings.ContainsAny(string(v), ".eE") {
		v += ".0"
	}
	return v
}

// numericEdges are values at and across a node's bounds and step, and
// numbers no float64 or int64 holds.
func numericEdges(n *Node, integer bool) []any {
	var out []any
	add := func(r *big.Rat) { out = append(out, number(r)) }
	deltas := []*big.Rat{big.NewRat(1, 1), big.NewRat(1, 2)}
	if !integer {
		deltas = append(deltas, big.NewRat(1, 1000000), new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil)))
	}
	for _, b := range []string{n.Minimum, n.Maximum, n.ExclusiveMinimum, n.ExclusiveMaximum} {
		if b == "" {
			continue
		}
		r := lit(b)
		add(r)
		out = append(out, json.Number(b))
		for _, d := range deltas {
			add(new(big.Rat).Add(r, d))
			add(new(big.Rat).Sub(r, d))
		}
		out = append(out, json.Number(exponentForm(number(r))))
	}
	if n.MultipleOf != "" {
		s := lit(n.MultipleOf)
		for _, k := range []int64{0, 1, 3, -2, 7} {
			add(new(big.Rat).Mul(s, big.NewRat(k, 1)))
		}
		add(new(big.Rat).Add(s, new(big.Rat).Quo(s, big.NewRat(2, 1))))
		add(new(big.Rat).Add(s, new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil))))
	}
	for _, s := range []string{"9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e19", "1e400", "-1e400", "1e-400", "1.0000000000000000001", "0.1e1", "1E+2", "-0", "100e-2"} {
		out = append(out, json.Number(s))
	}
	return out
}

// exponentForm writes an integer literal in exponent form: 1200 → 12e2,
// other literals with a trailing exponent of zero.
func exponentForm(v json.Number) string {
	s := string(v)
	if strings.ContainsAny(s, ".eE") {
		return s + "e0"
	}
	t := strings.TrimRight(s, "0")
	if t == "" || t == "-" {
		return "0e5"
	}
	return t + "e" + itoa(len(s)-len(t))
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }
