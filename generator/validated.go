package generator

import (
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/schema"
)

// ValidatedSchemas lists the schemas of set that the generated code checks
// with a validator (a json.RawMessage value, checked as it is read) rather
// than by decoding a typed Go value: the two word some problems differently,
// and krosgen validate words each as Parse does. Keys are
// "events/x.json#/pointer", relative to the schema directory.
func ValidatedSchemas(set *schema.Set) (schema.Validated, error) {
	pkg, err := build(set, "krosai")
	if err != nil {
		return nil, err
	}
	out := schema.Validated{}
	prefix := set.Dir + "/"
	key := func(src model.Source) string { return strings.TrimPrefix(src.File, prefix) + "#" + src.Pointer }
	for _, v := range pkg.Validators {
		out[key(v.Source)] = true
	}
	// A schema decoded into a typed value somewhere is not a validator's
	// alone: where it is reached decides.
	seen := map[*model.Type]bool{}
	var typed func(t *model.Type)
	typed = func(t *model.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		if _, ok := out[key(t.Source)]; ok && t.Kind != model.Any {
			out[key(t.Source)] = false
		}
		for _, f := range t.Fields {
			if _, ok := out[key(f.Source)]; ok && f.Type.Kind != model.Any {
				out[key(f.Source)] = false
			}
			typed(f.Type)
		}
		typed(t.Elem)
	}
	for _, t := range pkg.Types {
		typed(t)
	}
	for _, ev := range pkg.Events {
		typed(ev.Data)
	}
	return out, nil
}
