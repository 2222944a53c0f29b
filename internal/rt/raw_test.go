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
