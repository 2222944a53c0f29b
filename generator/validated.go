package generator

import (
	"strings"

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
	for _, v := range pkg.Validators {
		out[strings.TrimPrefix(v.Source.File, prefix)+"#"+v.Source.Pointer] = true
	}
	return out, nil
}
