package generator

import (
	"slices"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/generator/naming"
)

// ref builds (once) the named type a $ref points to: every use of a
// definition shares it.
func (b *builder) ref(r *schemaRef) (*model.Type, error) {
	def := r.target
	if t, ok := b.defs[def]; ok {
		return t, nil
	}
	if b.building[def] {
		return nil, errorf(r.src, "$ref cycle through %s: recursive types are not supported", r.key)
	}
	_, ptr, _ := strings.Cut(r.key, "#")
	tokens := strings.Split(ptr, "/")
	goName := firstNonEmpty(def.goName, naming.GoName(tokens[len(tokens)-1]))
	if goName == "" || ptr == "" {
		return nil, errorf(r.src, "$ref %q must point into $defs, to a definition with a name", r.text)
	}
	b.building[def] = true
	defer delete(b.building, def)
	if classify(def) == shapeRef {
		// An alias of another definition shares its type.
		t, err := b.ref(def.ref)
		if err != nil {
			return nil, err
		}
		b.defs[def] = t
		return t, nil
	}
	t, err := b.schemaType(def, goName, "")
	if err != nil {
		return nil, err
	}
	if !t.Named() {
		// A definition of a builtin kind still gets its own name (type CallID string).
		t.GoName = goName
		setFuncs(t, goName)
	}
	b.defs[def] = t
	b.defTypes = append(b.defTypes, t)
	if i := slices.Index(b.eventTypes, t); i >= 0 {
		b.eventTypes = slices.Delete(b.eventTypes, i, i+1)
	}
	return t, nil
}
