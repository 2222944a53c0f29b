package rt

import (
	"encoding/json"
	"testing"
)

// validSmallInt is a validator of the shape krosgen generates: it accepts
// integers up to 10 and any value of another kind.
func validSmallInt(d *decoder, key string) {
	if d.kindOf() != kindNumber {
		d.skip()
		return
	}
	lit, _ := d.number()
	if !isInteger(lit) {
		d.fail(key, "expected integer, but got number")
	}
	if numberOf(lit) > 10 {
		d.fail(key, "must be <= 10")
	}
}

func TestPassesTriesWithoutRecording(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{{"3", true}, {"3.0", true}, {"11", false}, {"2.5", false}, {`"x"`, true}} {
		d := decoder{s: tt.in}
		start := d.mark()
		d.skip()
		if got := d.passes(start, validSmallInt); got != tt.want || len(d.problems) != 0 || d.i != len(tt.in) {
			t.Errorf("%s: passes = %v, problems %v, offset %d", tt.in, got, d.problems, d.i)
		}
	}
}

func TestAgainRecordsUnderKey(t *testing.T) {
	d := decoder{s: `{"n": 12.5}`}
	d.object()
	first := true
	k, _ := d.key(&first)
	start := d.mark()
	d.skip()
	d.again(start, k, validSmallInt)
	if len(d.problems) != 2 || d.problems[0].Pointer != "/n" {
		t.Fatalf("problems: %v", d.problems)
	}
}

func TestFirstRepeatComparesValues(t *testing.T) {
	if i, j, ok := firstRepeat([]string{"1", `"a"`, "1.0"}); !ok || i != 0 || j != 2 {
		t.Fatalf("got %d %d %v", i, j, ok)
	}
	if _, _, ok := firstRepeat([]string{"1", `"1"`, "[1]"}); ok {
		t.Fatal("distinct values reported equal")
	}
}

func TestCheckRawNestsProblems(t *testing.T) {
	var c checker
	c.enter("data")
	checkRaw(&c, "n", json.RawMessage("42"), validSmallInt)
	checkRaw(&c, "m", json.RawMessage("{"), validSmallInt)
	checkRaw(&c, "absent", nil, validSmallInt)
	if len(c.problems) != 2 || c.problems[0].Pointer != "/data/n" || c.problems[1].Pointer != "/data/m" {
		t.Fatalf("problems: %v", c.problems)
	}
}

// validString fails every value that is not a string.
func validString(d *decoder, key string) {
	if d.kindOf() != kindString {
		d.fail(key, "expected string")
	}
	d.skip()
}

func TestAnyOfRecordsEveryBranchOnlyWhenNonePasses(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{{"3", 0}, {`"x"`, 0}, {"12", 2}, {"12.5", 3}} {
		d := decoder{s: tt.in}
		start := d.mark()
		d.skip()
		d.anyOf(start, "n", validSmallInt, validString)
		if len(d.problems) != tt.want || d.i != len(tt.in) {
			t.Errorf("%s: problems %v, offset %d", tt.in, d.problems, d.i)
		}
		for _, p := range d.problems {
			if p.Pointer != "/n" {
				t.Errorf("%s: problem at %q, want /n", tt.in, p.Pointer)
			}
		}
	}
}

func TestOneOfCountsMatches(t *testing.T) {
	accept := func(d *decoder, key string) { d.skip() }
	for _, tt := range []struct {
		in       string
		branches []func(*decoder, string)
		want     int
	}{
		{"3", []func(*decoder, string){validSmallInt, validString}, 0},
		{"12", []func(*decoder, string){validSmallInt, validString}, 2},
		{"3", []func(*decoder, string){validSmallInt, accept}, 1},
		{`"x"`, []func(*decoder, string){validString, accept, validSmallInt}, 1},
	} {
		d := decoder{s: tt.in}
		start := d.mark()
		d.skip()
		d.oneOf(start, "n", tt.branches...)
		if len(d.problems) != tt.want || d.i != len(tt.in) {
			t.Errorf("%s: problems %v, offset %d", tt.in, d.problems, d.i)
		}
	}
}

func TestRawKeyNotesRepeatedKeys(t *testing.T) {
	for _, tt := range []struct {
		in  string
		dup bool
	}{{`{"a": 1, "b": 2}`, false}, {`{"a": 1, "b": 2, "a": 3}`, true}, {`{}`, false}} {
		d := decoder{s: tt.in}
		d.object()
		first, keys := true, map[string]bool(nil)
		n := 0
		for {
			_, ok := d.rawKey(&first, &keys)
			if !ok {
				break
			}
			d.skip()
			n++
		}
		if d.dup != tt.dup || d.err != nil {
			t.Errorf("%s: dup %v after %d keys, err %v", tt.in, d.dup, n, d.err)
		}
	}
}
