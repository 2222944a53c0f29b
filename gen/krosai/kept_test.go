package krosai_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/schema"
)

// withMember returns copies of the JSON value v, one per object in it, each
// with an extra member in that object, and the depth of the object.
func withMember(v any, depth int) (out []any, depths []int) {
	switch x := v.(type) {
	case map[string]any:
		added := map[string]any{fmt.Sprintf("x_unknown_%d", depth): map[string]any{"a": []any{1.5, "<&>", nil}, "b": true}}
		for k, e := range x {
			added[k] = e
		}
		out, depths = append(out, added), append(depths, depth)
		for k, e := range x {
			subs, ds := withMember(e, depth+1)
			for i, s := range subs {
				c := map[string]any{}
				for k2, e2 := range x {
					c[k2] = e2
				}
				c[k] = s
				out, depths = append(out, c), append(depths, ds[i])
			}
		}
	case []any:
		for i, e := range x {
			subs, ds := withMember(e, depth+1)
			for j, s := range subs {
				c := append([]any(nil), x...)
				c[i] = s
				out, depths = append(out, c), append(depths, ds[j])
			}
		}
	}
	return out, depths
}

// TestParse_KeepsUnknownMembersAtEveryLevel adds a member the schema does not
// declare to each object of every documented example in turn, the envelope
// and data included. Wherever the schema allows it, Parse accepts it, Validate
// ignores it, and marshalling the event writes it back: the payload survives
// the round trip whole, and a second round trip changes nothing.
func TestParse_KeepsUnknownMembersAtEveryLevel(t *testing.T) {
	set, err := schema.Load(schema.FS(), "schema")
	if err != nil {
		t.Fatal(err)
	}
	kept := map[int]int{} // by depth
	for _, ev := range set.Events {
		for _, x := range ev.Examples {
			var doc any
			if err := json.Unmarshal(x, &doc); err != nil {
				t.Fatal(err)
			}
			payloads, depths := withMember(doc, 0)
			for i, p := range payloads {
				payload, err := json.Marshal(p)
				if err != nil {
					t.Fatal(err)
				}
				if set.Validate(payload) != nil {
					continue // a closed object, or a map whose values the member breaks
				}
				parsed, err := krosai.Parse(payload)
				if err != nil {
					t.Errorf("%s: Parse: %v", payload, err)
					continue
				}
				if err := parsed.Validate(); err != nil {
					t.Errorf("%s: Validate: %v", payload, err)
				}
				out, err := json.Marshal(parsed)
				if err != nil {
					t.Errorf("%s: Marshal: %v", payload, err)
					continue
				}
				var got, want any
				if json.Unmarshal(out, &got) != nil || json.Unmarshal(payload, &want) != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("round trip lost or changed members:\n got %s\nwant %s", out, payload)
					continue
				}
				again, err := krosai.Parse(out)
				if err != nil {
					t.Errorf("%s: Parse(Marshal): %v", out, err)
					continue
				}
				out2, _ := json.Marshal(again)
				if !bytes.Equal(out, out2) {
					t.Errorf("second round trip differs:\n%s\n%s", out, out2)
				}
				kept[depths[i]]++
			}
		}
	}
	deeper := 0
	for depth, n := range kept {
		if depth > 1 {
			deeper += n
		}
	}
	if kept[0] == 0 || kept[1] == 0 || deeper == 0 {
		t.Errorf("members must be kept in the envelope, in data and deeper; kept by depth: %v", kept)
	}
	t.Logf("members kept and written back, by depth: %v", kept)
}
