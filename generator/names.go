package generator

import (
	"strconv"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/generator/naming"
)

// clashSuffix is the one rule for a schema name that meets a name the
// package itself declares (a $defs entry "event_data" beside EventData, a
// property "validate" beside the Validate method): the Go name derived from
// the schema takes this suffix. x-go-name chooses another name.
const clashSuffix = "Value"

// structMethods are the methods every data struct has, which its fields
// must not shadow.
var structMethods = map[string]bool{"EventType": true, "Validate": true, "MarshalJSON": true}

// eventMethods are Event's methods.
var eventMethods = map[string]bool{"MarshalJSON": true, "UnmarshalJSON": true, "Validate": true}

// fieldNames gives way to the methods of a struct (clashSuffix) and fails
// when two fields end with one name.
func fieldNames(t *model.Type, methods map[string]bool) error {
	byGo := map[string]*model.Field{}
	for _, f := range t.Fields {
		if methods[f.GoName] {
			f.GoName += clashSuffix
		}
		if other, dup := byGo[f.GoName]; dup {
			return errorf(f.Source, "properties %q and %q both map to the Go name %s (the other is at %s)", other.JSONName, f.JSONName, f.GoName, other.Source)
		}
		byGo[f.GoName] = f
	}
	return nil
}

// namer claims every identifier the package declares, in one namespace.
type namer struct {
	taken map[string]model.Source // by Go name; the zero Source for the package's own
}

// nameAll is the naming pass, run once the model is built: types, constants
// and fields get their final Go names, generated functions their unique ones.
func nameAll(pkg *model.Package) error {
	n := &namer{taken: map[string]model.Source{}}
	for name := range reserved {
		n.taken[name] = model.Source{}
	}
	for _, ev := range pkg.Events {
		if err := n.claim(ev.ConstName, ev.Source); err != nil {
			return err
		}
		if err := n.claim(ev.Fixture, ev.Source); err != nil {
			return err
		}
	}
	for _, t := range pkg.Types {
		name, err := n.exported(t.GoName, t.Source)
		if err != nil {
			return err
		}
		if name != t.GoName {
			t.GoName = name
			setFuncs(t, name) // the functions follow the type's name
		}
	}
	for _, t := range pkg.Types {
		if err := n.enumValues(t); err != nil {
			return err
		}
		if err := fieldNames(t, structMethods); err != nil {
			return err
		}
	}
	if err := fieldNames(pkg.Envelope.Struct, eventMethods); err != nil {
		return err
	}
	pkg.Coded = coded(pkg)
	for _, t := range pkg.Coded {
		for _, fn := range []*model.Func{t.Decode, t.Check} {
			n.function(fn)
		}
		if p := t.Rules.Pattern; p != nil {
			n.function(p.Func)
		}
	}
	for _, v := range pkg.Validators {
		n.function(v.Func)
	}
	return nil
}

// claim takes a name, failing when a schema already took it. Names of the
// package's own are given way to only by unexported helpers (function).
func (n *namer) claim(name string, src model.Source) error {
	if other, dup := n.taken[name]; dup {
		if other == (model.Source{}) {
			return errorf(src, "Go name %s is used by the generated package's own API", name)
		}
		return errorf(src, "Go name %s is already used by %s", name, other)
	}
	n.taken[name] = src
	return nil
}

// exported claims a type's name: a name the package declares itself takes
// clashSuffix; one another schema took is an error naming both.
func (n *namer) exported(name string, src model.Source) (string, error) {
	if other, dup := n.taken[name]; dup && other == (model.Source{}) {
		name += clashSuffix
	}
	return name, n.claim(name, src)
}

// function names a generated function after its base, numbered when the
// base is taken: an unexported helper gives way, it never clashes.
func (n *namer) function(fn *model.Func) {
	if fn == nil || !fn.Generated || fn.Name != "" {
		return
	}
	name := fn.Base
	for i := 2; ; i++ {
		if _, dup := n.taken[name]; !dup {
			break
		}
		name = fn.Base + strconv.Itoa(i)
	}
	n.taken[name] = model.Source{File: "generated"}
	fn.Name = name
}

// enumValues names enum constants once the type's name is known.
func (n *namer) enumValues(t *model.Type) error {
	if t.Enum == nil {
		return nil
	}
	seen := map[string]string{}
	for i := range t.Enum.Values {
		v := &t.Enum.Values[i]
		suffix := naming.GoName(v.Value)
		if suffix == "" {
			return errorf(t.Source, "enum value %q gives no Go name", v.Value)
		}
		v.GoName = t.GoName + suffix
		if other, dup := seen[v.GoName]; dup {
			return errorf(t.Source, "enum values %q and %q both map to the Go name %s", other, v.Value, v.GoName)
		}
		seen[v.GoName] = v.Value
		if err := n.claim(v.GoName, t.Source); err != nil {
			return err
		}
	}
	return nil
}

// coded lists every type that has generated functions, each once, in the
// order they are reached from the envelope and the events.
func coded(pkg *model.Package) []*model.Type {
	var out []*model.Type
	seen := map[*model.Type]bool{}
	var walk func(t *model.Type)
	walk = func(t *model.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		for _, fd := range t.Fields {
			walk(fd.Type)
		}
		if t.Elem != nil {
			walk(t.Elem)
		}
		if t.Decode != nil && t.Decode.Generated || t.Check != nil {
			if t == pkg.Envelope.Struct {
				return // Event has its own decoder and Validate
			}
			out = append(out, t)
		}
	}
	for _, t := range pkg.RuleTypes {
		walk(t)
	}
	walk(pkg.Envelope.Struct)
	for _, ev := range pkg.Events {
		walk(ev.Data)
	}
	return out
}
