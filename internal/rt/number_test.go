package rt

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// randomLiteral draws a JSON number literal with few distinct digits, so
// that ties, zeros, signs and exponents that cancel come up often.
func randomLiteral(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteByte('-')
	}
	digits := func(n int) {
		for i := 0; i < n; i++ {
			b.WriteByte("0125"[r.IntN(4)])
		}
	}
	if r.IntN(4) == 0 {
		b.WriteByte('0')
	} else {
		b.WriteByte("125"[r.IntN(3)])
		digits(r.IntN(4))
	}
	if r.IntN(2) == 0 {
		b.WriteByte('.')
		b.WriteByte("0125"[r.IntN(4)])
		digits(r.IntN(25))
	}
	if r.IntN(2) == 0 {
		b.WriteString([]string{"e", "E", "e+", "e-", "E-"}[r.IntN(5)])
		b.WriteString(strconv.Itoa(r.IntN(30)))
	}
	return b.String()
}

func rat(t *testing.T, lit string) *big.Rat {
	x, ok := new(big.Rat).SetString(lit)
	if !ok {
		t.Fatalf("big.Rat cannot read %s", lit)
	}
	return x
}

func TestCmpLiteral_AgreesWithExactRationals(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50000; i++ {
		a, b := randomLiteral(r), randomLiteral(r)
		if i%5 == 0 {
			b = a + "0" // equal values written differently, when a has a fraction
			if !strings.ContainsAny(a, ".eE") {
				b = a + ".0"
			}
		}
		want := rat(t, a).Cmp(rat(t, b))
		if got := cmpLiteral(a, b); got != want {
			t.Fatalf("cmpLiteral(%s, %s) = %d, want %d", a, b, got, want)
		}
		fa, _ := strconv.ParseFloat(a, 64)
		fb, _ := strconv.ParseFloat(b, 64)
		if got := cmpNumber(fa, a, fb, b); got != want {
			t.Fatalf("cmpNumber(%s, %s) = %d, want %d", a, b, got, want)
		}
	}
}

func TestMultipleOfLiteral_AgreesWithExactRationals(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	checked, multiples := 0, 0
	for i := 0; i < 50000; i++ {
		x, m := randomLiteral(r), strings.TrimPrefix(randomLiteral(r), "-")
		if rat(t, m).Sign() == 0 {
			continue
		}
		if i%3 == 0 { // make multiples likely: x = m × k
			k := big.NewRat(int64(r.IntN(2000)-1000), 1)
			x = new(big.Rat).Mul(rat(t, m), k).FloatString(40)
		}
		want := new(big.Rat).Quo(rat(t, x), rat(t, m)).IsInt()
		if got := multipleOfLiteral(x, m); got != want {
			t.Fatalf("multipleOfLiteral(%s, %s) = %v, want %v", x, m, got, want)
		}
		checked++
		if want {
			multiples++
		}
	}
	if multiples < checked/10 {
		t.Fatalf("only %d of %d cases were multiples: the test says little", multiples, checked)
	}
}

func TestNumbers_DecidedOnTheDecimalNotTheFloat(t *testing.T) {
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"-1e-400 is below a minimum of 0", cmpNumber(math.Copysign(0, -1), "-1e-400", 0, "0") < 0, true},
		{"1e-400 is above an exclusive minimum of 0", cmpNumber(0, "1e-400", 0, "0") > 0, true},
		{"1.0000000000000000001 is above a maximum of 1", cmpNumber(1, "1.0000000000000000001", 1, "1") > 0, true},
		{"0.1 built in code equals a bound of 0.1", cmpNumber(0.1, "", 0.1, "0.1") == 0, true},
		{"1e400 is above a maximum of 1e308", cmpNumber(math.Inf(1), "1e400", 1e308, "1e308") > 0, true},
		{"1e400 is below a maximum of 1e401", cmpNumber(math.Inf(1), "1e400", math.Inf(1), "1e401") < 0, true},
		{"1.0000000000000000001 is not a multiple of 0.01", multipleOfLiteral("1.0000000000000000001", "0.01"), false},
		{"1.01 is a multiple of 0.01", multipleOfLiteral("1.01", "0.01"), true},
		{"0.3 built in code is a multiple of 0.1", numberMultipleOf(0.3, "", "0.1"), true},
		{"+Inf is no multiple", numberMultipleOf(math.Inf(1), "", "1"), false},
		{"1e400 is a multiple of 0.5", multipleOfLiteral("1e400", "0.5"), true},
		{"1e99999999999999999999 is a multiple of 7e3", multipleOfLiteral("7e99999999999999999999", "7e3"), true},
		{"3e99999999999999999999 is no multiple of 7", multipleOfLiteral("3e99999999999999999999", "7"), false},
		{"1e-99999999999999999999 is no multiple of 1", multipleOfLiteral("1e-99999999999999999999", "1"), false},
		{"1 is a multiple of 1e-99999999999999999999", multipleOfLiteral("1", "1e-99999999999999999999"), true},
		{"0 is a multiple of anything", multipleOfLiteral("-0.0e5", "0.3"), true},
		{"an integer is a multiple of 0.5", integerMultipleOf(math.MaxInt64, "0.5"), true},
		{"MaxInt64 is no multiple of 2", integerMultipleOf(math.MaxInt64, "2"), false},
		{"2^53+1 is above 9007199254740992.5", cmpInteger(1<<53+1, "9007199254740992.5") > 0, true},
		{"MaxInt64 is below 1e19", cmpInteger(math.MaxInt64, "1e19") < 0, true},
		{"huge exponents compare", cmpLiteral("1e99999999999999999999", "2e99999999999999999998") > 0, true},
		{"huge negative exponents compare", cmpLiteral("-1e-99999999999999999999", "-1e-99999999999999999998") > 0, true},
		{"a huge exponent and a small one", cmpLiteral("1e-99999999999999999999", "0") > 0, true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v", tt.name, tt.got)
		}
	}
}

func TestDecodeNumbers_NeverAcceptAnotherValue(t *testing.T) {
	for _, lit := range []string{"1e400", "-1e400", "1.8e308"} {
		d := decoder{s: lit}
		var v float64
		if decodeFloat64(&d, "n", &v) || len(d.problems) != 1 {
			t.Errorf("%s: accepted as %v; want a problem", lit, v)
		}
	}
	for _, lit := range []string{"1e19", "-9223372036854775809", "9223372036854775808", "1e99999999999"} {
		d := decoder{s: lit}
		var v int64
		if decodeInt64(&d, "n", &v) || len(d.problems) != 1 {
			t.Errorf("%s: accepted as %d; want a problem", lit, v)
		}
	}
	d := decoder{s: "-9223372036854775808"}
	var v int64
	if !decodeInt64(&d, "n", &v) || v != math.MinInt64 {
		t.Errorf("MinInt64: got %d, %v", v, d.problems)
	}
	d = decoder{s: "1.7976931348623157e308"}
	var f float64
	var lit string
	if !decodeNumber(&d, "n", &f, &lit) || f != math.MaxFloat64 || lit != d.s {
		t.Errorf("MaxFloat64: got %v %q, %v", f, lit, d.problems)
	}
}

func BenchmarkMultipleOfLiteral(b *testing.B) {
	for i := 0; i < b.N; i++ {
		multipleOfLiteral("12.34", "0.01")
	}
}
