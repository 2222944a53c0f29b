package conformance

import (
	"encoding/json"
	"testing"
)

func TestRewriteRef(t *testing.T) {
	renames := map[string]string{"a": "g7_a", "percent%field": "g7_percent_field", "x/y": "g7_x_y"}
	for ref, want := range map[string]string{
		"#":                         "#/properties/data/properties/value",
		"#/properties/foo":          "#/properties/data/properties/value/properties/foo",
		"#/items/0":                 "#/properties/data/properties/value/items/0",
		"#/$defs/a":                 "#/$defs/g7_a",
		"#/$defs/a/properties/b":    "#/$defs/g7_a/properties/b",
		"#/$defs/percent%25field":   "#/$defs/g7_percent_field",
		"#/$defs/x~1y":              "#/$defs/g7_x_y",
		"#/$defs/missing":           "#/$defs/missing",
		"#foo":                      "#foo",
		"http://example.com/a.json": "http://example.com/a.json",
		"other.json#/$defs/a":       "other.json#/$defs/a",
	} {
		if got := rewriteRef(ref, renames, "#/$defs/"); got != want {
			t.Errorf("rewriteRef(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	g := &group{N: 7, Event: "t.g7", File: "ref.json"}
	g.suiteGroup.Schema = json.RawMessage(`{
		"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"type": "integer"}},
		"properties": {"$ref": {"$ref": "#/$defs/a"}, "n": {"const": {"$ref": "#/$defs/a"}}},
		"items": {"$ref": "#"},
		"multipleOf": 0.0001
	}`)
	raw, used, err := wrap(g, hoisted)
	if err != nil || used != hoisted {
		t.Fatal(used, err)
	}
	var doc struct {
		Defs       map[string]json.RawMessage `json:"$defs"`
		Properties struct {
			Event json.RawMessage `json:"event"`
			Data  struct {
				Required   []string `json:"required"`
				Properties struct {
					Value map[string]json.RawMessage `json:"value"`
				} `json:"properties"`
			} `json:"data"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	check := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %s, want %s\n%s", what, got, want, raw)
		}
	}
	check("event", compact(doc.Properties.Event), `{"const":"t.g7"}`)
	check("$defs.g7_a", compact(doc.Defs["g7_a"]), `{"$ref":"#/$defs/g7_b"}`)
	check("$defs.g7_b", compact(doc.Defs["g7_b"]), `{"type":"integer"}`)
	v := doc.Properties.Data.Properties.Value
	check("value.properties", compact(v["properties"]), `{"$ref":{"$ref":"#/$defs/g7_a"},"n":{"const":{"$ref":"#/$defs/a"}}}`)
	check("value.items", compact(v["items"]), `{"$ref":"#/properties/data/properties/value"}`)
	check("value.multipleOf", string(v["multipleOf"]), `0.0001`)
	if _, ok := v["$defs"]; ok {
		t.Errorf("value kept its $defs:\n%s", raw)
	}
}

func TestWrapInPlaceAndVerbatim(t *testing.T) {
	g := &group{N: 3, Event: "t.g3", File: "ref.json"}
	g.suiteGroup.Schema = json.RawMessage(`{"$defs": {"a-b": {"type": "integer"}}, "items": {"$ref": "#/$defs/a-b"}, "not": {"$ref": "#"}}`)
	raw, used, err := wrap(g, inPlace)
	if err != nil || used != inPlace {
		t.Fatal(used, err)
	}
	if hasRootDefs(raw) {
		t.Errorf("in place, yet $defs at the root:\n%s", raw)
	}
	var doc struct {
		Properties struct {
			Data struct {
				Properties struct {
					Value json.RawMessage `json:"value"`
				} `json:"properties"`
			} `json:"data"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := `{"$defs":{"g3_a_b":{"type":"integer"}},"items":{"$ref":"#/properties/data/properties/value/$defs/g3_a_b"},"not":{"$ref":"#/properties/data/properties/value"}}`
	if got := compact(doc.Properties.Data.Properties.Value); got != want {
		t.Errorf("value = %s, want %s", got, want)
	}

	g.suiteGroup.Schema = json.RawMessage(`{"$id": "http://example.com/x.json", "$defs": {"a": {"type": "integer"}}, "$ref": "#/$defs/a"}`)
	raw, used, err = wrap(g, hoisted)
	if err != nil || used != verbatim {
		t.Fatal(used, err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if got, want := compact(doc.Properties.Data.Properties.Value), compact(g.suiteGroup.Schema); got != want {
		t.Errorf("value = %s, want it as written: %s", got, want)
	}
}
