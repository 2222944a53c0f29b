package generator

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/schema"
)

// builder turns the typed schemas into the model. It makes every decision the
// emitters rely on and refuses what it cannot represent exactly.
type builder struct {
	set   *schema.Set
	roots map[string]*jsonSchema // by file name inside the schema directory
	pkg   *model.Package
	// defs maps a $ref target to its named type, so that every use of a
	// definition shares one Go type.
	defs       map[*jsonSchema]*model.Type
	building   map[*jsonSchema]bool // $ref targets being built, to catch cycles
	eventTypes []*model.Type        // named types found while building events
	defTypes   []*model.Type        // named types of shared definitions
	validators map[*jsonSchema]*model.Validator
	ruleTypes  []*model.Type // the string and number rules of validators
}

// build makes the model of one package from a loaded schema set: read the
// typed schemas, build the envelope and the events, then name everything.
func build(set *schema.Set, pkgName string) (*model.Package, error) {
	b := &builder{
		set:        set,
		roots:      map[string]*jsonSchema{},
		pkg:        &model.Package{Name: pkgName, Digest: set.Digest()},
		defs:       map[*jsonSchema]*model.Type{},
		building:   map[*jsonSchema]bool{},
		validators: map[*jsonSchema]*model.Validator{},
	}
	if err := b.read(); err != nil {
		return nil, err
	}
	if err := b.envelope(); err != nil {
		return nil, err
	}
	for _, ev := range set.Events {
		e, err := b.event(ev)
		if err != nil {
			return nil, err
		}
		b.pkg.Events = append(b.pkg.Events, e)
	}
	slices.SortStableFunc(b.defTypes, func(x, y *model.Type) int { return strings.Compare(x.GoName, y.GoName) })
	b.pkg.Types = append(b.defTypes, b.eventTypes...)
	b.pkg.RuleTypes = b.ruleTypes
	if err := nameAll(b.pkg); err != nil {
		return nil, err
	}
	return b.pkg, nil
}

// read parses every file of the set into typed schemas and resolves $refs.
func (b *builder) read() error {
	r := &schemaReader{dir: b.set.Dir, docs: map[string]*node{}, bySource: map[string]*jsonSchema{}}
	files := []schema.File{b.set.Envelope, b.set.Defs}
	for _, ev := range b.set.Events {
		files = append(files, ev.File)
	}
	for _, f := range files {
		n, err := parseNode(path.Join(b.set.Dir, f.Name), f.Raw)
		if err != nil {
			return err
		}
		r.docs[f.Name] = n
	}
	for _, f := range files {
		s, err := r.read(r.docs[f.Name])
		if err != nil {
			return err
		}
		b.roots[f.Name] = s
	}
	return r.resolve()
}

// errorf makes an error located at a schema node.
func errorf(src model.Source, format string, args ...any) error {
	return fmt.Errorf("%s: %s", src, fmt.Sprintf(format, args...))
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
