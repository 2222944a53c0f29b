package rt

import "testing"

type testID string

func TestDecodeStringAsChecksTheValue(t *testing.T) {
	check := func(c *checker, key string, v testID) {
		if v != "ok" {
			c.fail(key, "not ok")
		}
	}
	for _, tc := range []struct {
		in       string
		ok       bool
		problems int
	}{{`"ok"`, true, 0}, {`"no"`, true, 1}, {`1`, false, 1}} {
		d := &decoder{s: tc.in}
		var v testID
		if got := decodeStringAs(d, "k", &v, check); got != tc.ok || len(d.problems) != tc.problems {
			t.Errorf("%s: ok %v with %d problems, want %v with %d", tc.in, got, len(d.problems), tc.ok, tc.problems)
		}
	}
}

type testCount int64
type testAmount float64
type testFlag bool

func TestDecodeNumberAsChecksTheLiteral(t *testing.T) {
	var lits []string
	check := func(_ *checker, _ string, _ testAmount, lit string) { lits = append(lits, lit) }
	d := &decoder{s: `1.0000000000000000001`}
	var v testAmount
	if !decodeNumberAs(d, "k", &v, check) || v != 1 || len(lits) != 1 || lits[0] != "1.0000000000000000001" {
		t.Errorf("v %v, literals %q", v, lits)
	}
	if decodeNumberAs(&decoder{s: `1e400`}, "k", &v, nil) {
		t.Error("1e400 decoded into a float64")
	}
}

func TestDecodeIntegerAsAndBoolAs(t *testing.T) {
	var n testCount
	if !decodeIntegerAs(&decoder{s: `1e2`}, "k", &n, nil) || n != 100 {
		t.Errorf("1e2 gave %d", n)
	}
	if decodeIntegerAs(&decoder{s: `9223372036854775808`}, "k", &n, nil) {
		t.Error("2^63 decoded into an int64")
	}
	var b testFlag
	if !decodeBoolAs(&decoder{s: `true`}, "k", &b) || !bool(b) {
		t.Error("true not decoded")
	}
}
