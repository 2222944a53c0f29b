package rt

import (
	"encoding/json"
	"testing"
)

func TestKeepCompactsAndEscapesAsMarshalDoes(t *testing.T) {
	d := &decoder{s: `{"a": [1, {"b" : "<x>"}], "c\"d": null}`}
	d.object()
	var kept string
	for first := true; ; {
		k, ok := d.key(&first)
		if !ok {
			break
		}
		kept = d.keep(kept, k)
	}
	want := `"a":[1,{"b":"\u003cx\u003e"}],"c\"d":null`
	if kept != want {
		t.Fatalf("kept %s, want %s", kept, want)
	}
}

func TestMarshalKeptAppendsMembers(t *testing.T) {
	type plain struct {
		A int `json:"a"`
		B int `json:"b,omitzero"`
	}
	for _, tc := range []struct {
		v    plain
		kept string
		want string
	}{
		{plain{A: 1}, "", `{"a":1}`},
		{plain{A: 1}, `"x":true`, `{"a":1,"x":true}`},
		{plain{A: 1, B: 2}, `"x":[],"y":{}`, `{"a":1,"b":2,"x":[],"y":{}}`},
	} {
		got, err := marshalKept(tc.v, tc.kept)
		if err != nil || string(got) != tc.want {
			t.Errorf("marshalKept(%+v, %s) = %s, %v; want %s", tc.v, tc.kept, got, err, tc.want)
		}
		var any map[string]any
		if err := json.Unmarshal(got, &any); err != nil {
			t.Errorf("%s is not JSON: %v", got, err)
		}
	}
	empty, err := marshalKept(struct{}{}, `"x":1`)
	if err != nil || string(empty) != `{"x":1}` {
		t.Errorf("marshalKept of an empty struct = %s, %v", empty, err)
	}
}

func TestRequiredReportsEachMissingPropertyInOrder(t *testing.T) {
	d := &decoder{}
	d.required(0b0101, "a", "b", "", "d", "e")
	var got []string
	for _, p := range d.problems {
		got = append(got, p.Pointer)
	}
	if len(got) != 3 || got[0] != "/b" || got[1] != "/d" || got[2] != "/e" {
		t.Errorf("problems at %v, want /b /d /e", got)
	}
}
