package generator

import (
	"strings"
	"unicode"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/generator/naming"
)

// valueType builds the type of a value held by a field, a map or a slice.
// inline names the type (when it needs a name) and its functions.
func (b *builder) valueType(s *jsonSchema, inline string) (*model.Type, error) {
	if classify(s) == shapeRef {
		return b.ref(s.ref)
	}
	return b.schemaType(s, "", inline)
}

// schemaType builds the type of a schema by its shape. goName, when set,
// names the type; inline names the generated functions of an unnamed type,
// and a struct or enum that needs a name.
func (b *builder) schemaType(s *jsonSchema, goName, inline string) (*model.Type, error) {
	if err := enumTypeClash(s); err != nil {
		return nil, err
	}
	base := firstNonEmpty(goName, inline)
	switch classify(s) {
	case shapeRaw:
		v, err := b.validator(s, base)
		if err != nil {
			return nil, err
		}
		return b.declare(&model.Type{GoName: goName, Kind: model.Any, Doc: s.describe(), Source: s.src, Validator: v}, base), nil
	case shapeAny:
		return b.declare(&model.Type{GoName: goName, Kind: model.Any, Doc: s.describe(), Source: s.src}, base), nil
	case shapeRef:
		return b.ref(s.ref)
	}
	t := &model.Type{GoName: goName, Kind: kindOf(s), Doc: s.describe(), Source: s.src}
	if err := b.rules(s, t); err != nil {
		return nil, err
	}
	switch t.Kind {
	case model.Struct:
		t.GoName = base
		t.Closed = s.additional != nil && s.additional.boolean != nil && !*s.additional.boolean
		if err := b.fields(s, t, nil); err != nil {
			return nil, err
		}
	case model.Map, model.Slice:
		elem, what := s.additional, "property values"
		if t.Kind == model.Slice {
			elem, what = s.items, "array items"
		}
		if elem == nil {
			elem = &jsonSchema{src: s.at(map[bool]string{true: "items", false: "additionalProperties"}[t.Kind == model.Slice]), boolean: new(bool)}
			*elem.boolean = true
		}
		if nullable(elem) {
			return nil, errorf(elem.src, "nullable %s are not supported", what)
		}
		et, err := b.valueType(elem, base+"Elem")
		if err != nil {
			return nil, err
		}
		t.Elem = et
	}
	if t.Enum != nil {
		t.GoName = base
	}
	return b.declare(t, base), nil
}

// declare lists a named type for declaration and names its functions.
func (b *builder) declare(t *model.Type, base string) *model.Type {
	if t.Named() {
		b.eventTypes = append(b.eventTypes, t)
	}
	setFuncs(t, base)
	return t
}

// kindOf is the Go kind of a typed schema.
func kindOf(s *jsonSchema) model.Kind {
	switch typeOf(s) {
	case "integer":
		return model.Integer
	case "number":
		return model.Number
	case "boolean":
		return model.Boolean
	case "array":
		return model.Slice
	case "object":
		if s.properties != nil {
			return model.Struct
		}
		return model.Map
	}
	if s.format == "date-time" {
		return model.Time
	}
	return model.String
}

// nullable reports whether a schema held as a typed value accepts null.
func nullable(s *jsonSchema) bool {
	switch classify(s) {
	case shapeRef:
		return nullable(s.ref.target)
	case shapeTyped:
		return s.null
	}
	return false
}

// setFuncs decides which functions decode and check a type. Unnamed builtins
// without checks share the decoders of the runtime.
func setFuncs(t *model.Type, base string) {
	needsOwn := t.Named() || !t.Rules.Empty() || t.Kind == model.Map || t.Kind == model.Slice || t.Validator != nil || t.Closed
	if !needsOwn {
		t.Decode = &model.Func{Name: map[model.Kind]string{
			model.String: "decodeString", model.Integer: "decodeInt64", model.Number: "decodeFloat64",
			model.Boolean: "decodeBool", model.Time: "decodeTime", model.Any: "decodeRaw",
		}[t.Kind]}
		t.Check = nil
		return
	}
	t.Decode = &model.Func{Generated: true, Base: "decode" + base}
	t.Check = nil
	if p := t.Rules.Pattern; p != nil {
		p.Func = &model.Func{Generated: true, Base: "pattern" + base}
		if p.Seq != nil {
			p.Func.Base = "match" + base
		}
	}
	if t.Kind == model.Struct || !t.Rules.Empty() || (t.Enum != nil && !t.Enum.Open) || t.Elem != nil && t.Elem.Check != nil || t.Validator != nil {
		t.Check = &model.Func{Generated: true, Base: "check" + base}
	}
	if shared, ok := genericDecoders[t.Kind]; ok && t.Validator == nil && !t.Closed {
		t.Decode = &shared
	}
}

// genericDecoders are the runtime's generic decoders of scalars, which read
// any named type of their kind and (Checked) check it as it is read with
// the checker they are given: a scalar needs no decoder of its own. A
// boolean has nothing to check but its type.
var genericDecoders = map[model.Kind]model.Func{
	model.String:  {Name: "decodeStringAs", Checked: true},
	model.Integer: {Name: "decodeIntegerAs", Checked: true},
	model.Number:  {Name: "decodeNumberAs", Checked: true},
	model.Boolean: {Name: "decodeBoolAs"},
}

// fields builds the fields of a struct, in the schema's order. typed, when
// set, gives the type of a property the caller builds itself.
func (b *builder) fields(s *jsonSchema, t *model.Type, typed func(name string) *model.Type) error {
	req := map[string]bool{}
	for _, r := range s.required {
		req[r.str] = true
	}
	byGo := map[string]*model.Field{}
	for _, p := range s.properties {
		ps := p.schema
		if !naming.IsASCII(p.name) {
			return errorf(ps.src, "property name %q is not ASCII: it has no portable Go name", p.name)
		}
		goName := firstNonEmpty(ps.goName, naming.GoName(p.name))
		if goName == "" {
			return errorf(ps.src, "property name %q gives no Go name", p.name)
		}
		if other, dup := byGo[goName]; dup {
			return errorf(ps.src, "properties %q and %q both map to the Go name %s (the other is at %s)", other.JSONName, p.name, goName, other.Source)
		}
		if !taggable(p.name) {
			return errorf(ps.src, "property name %q cannot be written in a Go struct tag", p.name)
		}
		var ft *model.Type
		if typed != nil {
			ft = typed(p.name)
		}
		if ft == nil {
			var err error
			if ft, err = b.valueType(ps, t.GoName+goName); err != nil {
				return err
			}
		}
		f := &model.Field{
			GoName:   goName,
			JSONName: p.name,
			Doc:      firstNonEmpty(ps.describe(), ft.Doc),
			Type:     ft,
			Required: req[p.name],
			Nullable: nullable(ps),
			Source:   ps.src,
		}
		nilable := ft.Kind == model.Map || ft.Kind == model.Slice || ft.Kind == model.Any || ft.Kind == model.Union
		f.Pointer = !f.Required && (f.Nullable || !nilable)
		f.OmitZero = !f.Required
		if f.Nullable {
			b.pkg.UsesNullable = true
		}
		byGo[goName] = f
		t.Fields = append(t.Fields, f)
	}
	for _, r := range s.required {
		if !declares(s, r.str) {
			return errorf(r.src, "required property %q is not declared in properties", r.str)
		}
	}
	return nil
}

func declares(s *jsonSchema, name string) bool {
	for _, p := range s.properties {
		if p.name == name {
			return true
		}
	}
	return false
}

// taggable reports whether encoding/json reads a name from a struct tag as
// written: letters, digits, spaces and the punctuation it allows. A tag with
// any other character (a quote, a backslash, a comma) is ignored by it.
func taggable(name string) bool {
	for _, c := range name {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) {
			return false
		}
	}
	return name != ""
}
