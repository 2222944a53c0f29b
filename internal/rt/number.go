package rt

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Numbers are decided exactly on their decimal value, as JSON Schema asks:
// a bound or a multipleOf never depends on float64 rounding. A number read
// from a payload is its literal; a float64 built in code is the shortest
// decimal that reads back as it (what json.Marshal writes), so Validate and
// Parse of the marshalled value agree.
//
// The comparisons first compare float64s, which is exact whenever they
// differ (rounding to the nearest float64 is monotonic: x < y implies
// fl(x) <= fl(y)), and look at the digits only when they are equal.

// decimal is a number literal's exact value: ±0.digits × 10^point, where
// digits has no leading or trailing zeros (and is "" for zero). point is
// the exponent of the digit before the first one, so the number's
// magnitude lies in [10^(point-1), 10^point). A point beyond ±1e15, which no
// literal of a realistic size balances with digits, is held in bigPoint.
type decimal struct {
	neg      bool
	digits   string
	point    int64
	bigPoint *big.Int
}

// hugeExp bounds the exponents kept in an int64; larger ones are big.Int.
const hugeExp = 1e15

// parseDecimal reads a literal of the JSON number grammar.
func parseDecimal(lit string) decimal {
	var d decimal
	if lit != "" && lit[0] == '-' {
		d.neg, lit = true, lit[1:]
	}
	mant, exp := lit, ""
	if e := indexExp(lit); e >= 0 {
		mant, exp = lit[:e], lit[e+1:]
	}
	intPart, frac := mant, ""
	if dot := strings.IndexByte(mant, '.'); dot >= 0 {
		intPart, frac = mant[:dot], mant[dot+1:]
	}
	// point is the number of integer digits once leading zeros are gone.
	all := intPart + frac
	lead := 0
	for lead < len(all) && all[lead] == '0' {
		lead++
	}
	digits := strings.TrimRight(all[lead:], "0")
	if digits == "" {
		return decimal{} // zero, whatever its sign and exponent
	}
	d.digits = digits
	d.point = int64(len(intPart) - lead)
	if exp == "" {
		return d
	}
	eneg := false
	if exp[0] == '+' || exp[0] == '-' {
		eneg, exp = exp[0] == '-', exp[1:]
	}
	exp = strings.TrimLeft(exp, "0")
	if len(exp) < 16 {
		n, _ := strconv.ParseInt("0"+exp, 10, 64)
		if eneg {
			n = -n
		}
		d.point += n
		return d
	}
	b, _ := new(big.Int).SetString(exp, 10)
	if eneg {
		b.Neg(b)
	}
	d.bigPoint = b.Add(b, big.NewInt(d.point))
	if d.bigPoint.IsInt64() && abs64(d.bigPoint.Int64()) < hugeExp {
		d.point, d.bigPoint = d.bigPoint.Int64(), nil
	}
	return d
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// cmpPoint compares the points of two nonzero decimals.
func cmpPoint(a, b decimal) int {
	if a.bigPoint == nil && b.bigPoint == nil {
		switch {
		case a.point < b.point:
			return -1
		case a.point > b.point:
			return 1
		}
		return 0
	}
	x, y := a.bigPoint, b.bigPoint
	if x == nil {
		x = big.NewInt(a.point)
	}
	if y == nil {
		y = big.NewInt(b.point)
	}
	return x.Cmp(y)
}

// cmpDecimal compares two decimals exactly: -1, 0 or +1.
func cmpDecimal(a, b decimal) int {
	sign := func(d decimal) int {
		switch {
		case d.digits == "":
			return 0
		case d.neg:
			return -1
		}
		return 1
	}
	sa, sb := sign(a), sign(b)
	if sa != sb || sa == 0 {
		return cmpInt(sa, sb)
	}
	// Same sign, both nonzero: compare magnitudes, then apply the sign.
	m := cmpPoint(a, b)
	if m == 0 {
		m = strings.Compare(a.digits, b.digits) // no trailing zeros: a prefix is smaller
	}
	return m * sa
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpLiteral compares two number literals exactly.
func cmpLiteral(a, b string) int { return cmpDecimal(parseDecimal(a), parseDecimal(b)) }

// floatLiteral is the literal of a float64 built in code: the shortest
// decimal that reads back as v, as json.Marshal writes it.
func floatLiteral(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// cmpNumber compares the number v, read from the literal lit, with the
// bound whose literal is b and whose nearest float64 is bf: -1, 0 or +1,
// exactly. lit is "" for a value built in code.
func cmpNumber(v float64, lit string, bf float64, b string) int {
	switch {
	case v < bf:
		return -1
	case v > bf:
		return 1
	}
	if lit == "" {
		lit = floatLiteral(v)
	}
	return cmpLiteral(lit, b)
}

// cmpInteger compares an int64 with a bound literal exactly: a bound that
// is not a whole number, or lies beyond int64, still compares right.
func cmpInteger(v int64, b string) int {
	return cmpDecimal(parseDecimal(strconv.FormatInt(v, 10)), parseDecimal(b))
}

// multipleOfLiteral reports whether the number written lit is a multiple of
// the positive number written m, exactly: lit / m is a whole number.
func multipleOfLiteral(lit, m string) bool {
	x, y := parseDecimal(lit), parseDecimal(m)
	if x.digits == "" {
		return true
	}
	if y.digits == "" || x.bigPoint != nil || y.bigPoint != nil {
		return hugeMultiple(x, y)
	}
	// x = X × 10^p and y = Y × 10^q with X, Y whole: x/y = X×10^(p-q) / Y.
	p := x.point - int64(len(x.digits))
	q := y.point - int64(len(y.digits))
	shift := p - q
	if shift < 0 {
		// Y × 10^-shift must divide X: impossible when it has more digits.
		if -shift+int64(len(y.digits)) > int64(len(x.digits)) {
			return false
		}
	}
	if len(x.digits) <= 18 && len(y.digits) <= 18 && shift >= -18 && shift <= 18 {
		// The common case in uint64: below 10^18, ×10 cannot overflow.
		X, _ := strconv.ParseUint(x.digits, 10, 64)
		Y, _ := strconv.ParseUint(y.digits, 10, 64)
		if shift < 0 {
			for i := shift; i < 0; i++ {
				Y *= 10 // Y×10^-shift has no more digits than X
			}
			return X%Y == 0
		}
		r := X % Y
		for i := int64(0); i < shift && r != 0; i++ {
			r = r * 10 % Y
		}
		return r == 0
	}
	X, _ := new(big.Int).SetString(x.digits, 10)
	Y, _ := new(big.Int).SetString(y.digits, 10)
	if shift >= 0 {
		// Only the factors 2 and 5 of Y can be supplied by 10^shift; the
		// rest must divide X.
		twos, fives, rest := splitTwosFives(Y)
		if new(big.Int).Rem(X, rest).Sign() != 0 {
			return false
		}
		if need := max(twos, fives); shift >= need {
			return true
		}
		X.Mul(X, new(big.Int).Exp(big.NewInt(10), big.NewInt(shift), nil))
		return new(big.Int).Rem(X, Y).Sign() == 0
	}
	Y.Mul(Y, new(big.Int).Exp(big.NewInt(10), big.NewInt(-shift), nil))
	return new(big.Int).Rem(X, Y).Sign() == 0
}

// hugeMultiple decides multipleOf when an exponent is beyond ±1e15: x is a
// multiple of y when x's last digit lies far enough above y's, and the
// digits of y other than its factors 2 and 5 divide x's.
func hugeMultiple(x, y decimal) bool {
	if y.digits == "" {
		return false
	}
	last := func(d decimal) *big.Int {
		p := d.bigPoint
		if p == nil {
			p = big.NewInt(d.point)
		}
		return new(big.Int).Sub(p, big.NewInt(int64(len(d.digits))))
	}
	shift := new(big.Int).Sub(last(x), last(y))
	X, _ := new(big.Int).SetString(x.digits, 10)
	Y, _ := new(big.Int).SetString(y.digits, 10)
	twos, fives, rest := splitTwosFives(Y)
	if shift.Sign() < 0 || new(big.Int).Rem(X, rest).Sign() != 0 {
		return false // a huge negative shift leaves y's last digit below x's
	}
	return shift.Cmp(big.NewInt(max(twos, fives))) >= 0
}

// splitTwosFives writes n as 2^twos × 5^fives × rest.
func splitTwosFives(n *big.Int) (twos, fives int64, rest *big.Int) {
	rest = new(big.Int).Set(n)
	two, five := big.NewInt(2), big.NewInt(5)
	q, r := new(big.Int), new(big.Int)
	for {
		q.QuoRem(rest, two, r)
		if r.Sign() != 0 {
			break
		}
		rest.Set(q)
		twos++
	}
	for {
		q.QuoRem(rest, five, r)
		if r.Sign() != 0 {
			break
		}
		rest.Set(q)
		fives++
	}
	return twos, fives, rest
}

// numberMultipleOf reports whether the number v, read from the literal lit
// ("" for a value built in code), is a multiple of m, exactly.
func numberMultipleOf(v float64, lit, m string) bool {
	if lit == "" {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return false
		}
		lit = floatLiteral(v)
	}
	return multipleOfLiteral(lit, m)
}

// integerMultipleOf reports whether v is a multiple of m exactly, also when
// m is not a whole number (any integer is a multiple of 0.5).
func integerMultipleOf(v int64, m string) bool {
	return multipleOfLiteral(strconv.FormatInt(v, 10), m)
}

// finiteFloat returns the float64 nearest the literal, and false when the
// literal lies beyond float64's range, where it would read as ±Inf: such a
// number has no float64 that stands for it.
func finiteFloat(lit string) (float64, bool) {
	f, err := strconv.ParseFloat(lit, 64)
	return f, err == nil
}
