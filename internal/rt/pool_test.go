package rt

import "testing"

func TestReleasedDecodersKeepNothing(t *testing.T) {
	d := newDecoder(`{"a": "x"}`)
	d.fail("a", "first payload")
	d.dup = true
	problems := d.problems
	d.release()
	e := newDecoder(`[]`)
	defer e.release()
	if e.s != `[]` || e.i != 0 || e.depth != 0 || e.dup || e.err != nil || len(e.problems) != 0 {
		t.Fatalf("a decoder from the pool holds state: %+v", e)
	}
	e.fail("b", "second payload")
	if len(problems) != 1 || problems[0].Message != "first payload" {
		t.Fatalf("the first payload's problems changed: %v", problems)
	}
}
