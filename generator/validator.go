package generator

import (
	"path"
	"strconv"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/generator/naming"
)

// A schema that gives its value no single Go type (no type but constraints,
// a union of types, applicators such as anyOf, enum values of other kinds
// than string, uniqueItems) becomes json.RawMessage, checked by a validator
// generated from the schema: the same rules, applied to the JSON as it is
// read. These keywords make a validator of a schema:
var validatorKeywords = map[string]bool{
	"allOf": true, "oneOf": true, "not": true, "uniqueItems": true,
}

// needsValidator reports whether a schema node is checked as raw JSON.
func needsValidator(n *node) bool {
	if n.kind == 'b' {
		return !n.b
	}
	if n.kind != 'o' {
		return false
	}
	for _, k := range n.keys {
		if validatorKeywords[k] {
			if k == "uniqueItems" && !n.get(k).b {
				continue
			}
			return true
		}
	}
	if a := n.get("anyOf"); a != nil && !isOpenEnum(n) {
		return true
	}
	if n.get("$ref") != nil {
		for _, k := range n.keys {
			if !annotation[k] && k != "$ref" {
				return true
			}
		}
	}
	types, _ := typeList(n)
	if len(types) > 1 || (len(types) == 1 && types[0] == "null") {
		return true
	}
	for _, key := range []string{"enum", "const"} {
		v := n.get(key)
		if v == nil {
			continue
		}
		if key == "enum" && len(v.elems) == 0 {
			return true // accepts nothing
		}
		if len(types) == 1 && types[0] != "string" {
			return true
		}
		vals := v.elems
		if key == "const" {
			vals = []*node{v}
		}
		for _, e := range vals {
			if e.kind != 's' {
				return true
			}
		}
	}
	if len(types) == 0 && n.get("enum") == nil && n.get("const") == nil && !isOpenEnum(n) {
		for _, k := range n.keys {
			if !annotation[k] && k != "$ref" {
				return true
			}
		}
	}
	if ap := n.get("additionalProperties"); ap != nil && !(ap.kind == 'b' && ap.b) {
		isFalse := ap.kind == 'b' && !ap.b
		if n.get("properties") == nil && isFalse || n.get("properties") != nil && !isFalse {
			return true
		}
	}
	return false
}

// annotation keywords carry no constraint.
var annotation = map[string]bool{
	"$schema": true, "$comment": true, "$defs": true, "title": true, "description": true,
	"examples": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
	"x-krosgen-closed": true, // see ClosedAnnotation
}

// isOpenEnum recognises the open-enum idiom: anyOf [{enum: [...]}, {type: string}].
func isOpenEnum(n *node) bool {
	a := n.get("anyOf")
	if a == nil || a.kind != 'a' || len(a.elems) != 2 || n.get("type") != nil || n.get("enum") != nil {
		return false
	}
	e, s := a.elems[0], a.elems[1]
	if e.kind != 'o' || s.kind != 'o' || len(e.keys) != 1 || len(s.keys) != 1 || e.get("enum") == nil || s.get("type") == nil {
		return false
	}
	if s.get("type").kind != 's' || s.get("type").str != "string" || e.get("enum").kind != 'a' {
		return false
	}
	for _, v := range e.get("enum").elems {
		if v.kind != 's' {
			return false
		}
	}
	return true
}

// validatorKeywordsAll lists what a validator implements.
var validatorSupported = map[string]bool{
	"type": true, "enum": true, "const": true,
	"properties": true, "required": true, "additionalProperties": true, "minProperties": true, "maxProperties": true,
	"items": true, "minItems": true, "maxItems": true, "uniqueItems": true,
	"pattern": true, "format": true, "minLength": true, "maxLength": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true, "multipleOf": true,
	"allOf": true, "anyOf": true, "oneOf": true, "not": true, "$ref": true,
}

// validator builds (once per schema node) the validator of a node. base
// names its function.
func (b *builder) validator(n *node, base string) (*model.Validator, error) {
	key := n.src.String()
	if v, ok := b.validators[key]; ok {
		return v, nil
	}
	v := &model.Validator{Func: b.funcName("valid" + base), Source: n.src}
	b.validators[key] = v
	b.pkg.Validators = append(b.pkg.Validators, v)
	if n.kind == 'b' {
		v.Never = !n.b
		return v, nil
	}
	if n.kind != 'o' {
		return nil, errorf(n.src, "a schema must be an object or a boolean, not %s", n.kindName())
	}
	for _, k := range n.keys {
		if !validatorSupported[k] && !annotation[k] {
			return nil, errorf(n.get(k).src, "keyword %q is not supported", k)
		}
	}
	if ref := n.get("$ref"); ref != nil {
		target, err := b.refTarget(ref)
		if err != nil {
			return nil, err
		}
		tokens := strings.Split(target.src.Pointer, "/")
		rv, err := b.validator(target, naming.GoName(tokens[len(tokens)-1]))
		if err != nil {
			return nil, err
		}
		v.AllOf = append(v.AllOf, rv)
	}
	types, err := typeList(n)
	if err != nil {
		return nil, err
	}
	if tn := n.get("type"); tn != nil && tn.kind == 'a' {
		types = nil
		for _, e := range tn.elems {
			types = append(types, e.str)
		}
	}
	for _, t := range types {
		switch t {
		case "string", "integer", "number", "boolean", "null", "object", "array":
		default:
			return nil, errorf(n.get("type").src, "unknown type %q", t)
		}
	}
	v.Types = types
	// String and number rules reuse the checks of typed values.
	str := &model.Type{Kind: model.String, Source: n.src}
	num := &model.Type{Kind: model.Number, Source: n.src}
	if err := b.ruleSubset(n, str, "pattern", "format", "minLength", "maxLength"); err != nil {
		return nil, err
	}
	if err := b.ruleSubset(n, num, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"); err != nil {
		return nil, err
	}
	if !str.Rules.Empty() {
		b.nameFuncs(str, strings.TrimPrefix(v.Func, "valid")+"String")
		str.DecodeFunc = ""
		v.String = str
		b.extra = append(b.extra, str)
	}
	if !num.Rules.Empty() {
		b.nameFuncs(num, strings.TrimPrefix(v.Func, "valid")+"Number")
		num.DecodeFunc = ""
		v.Number = num
		b.extra = append(b.extra, num)
	}
	count := func(k string) (*int64, error) {
		x := n.get(k)
		if x == nil {
			return nil, nil
		}
		bd, err := bound(x)
		if err != nil || !bd.IsInt || bd.Int < 0 {
			return nil, errorf(x.src, "%s must be a non-negative integer", k)
		}
		return &bd.Int, nil
	}
	if v.MinProperties, err = count("minProperties"); err != nil {
		return nil, err
	}
	if v.MaxProperties, err = count("maxProperties"); err != nil {
		return nil, err
	}
	if v.MinItems, err = count("minItems"); err != nil {
		return nil, err
	}
	if v.MaxItems, err = count("maxItems"); err != nil {
		return nil, err
	}
	if u := n.get("uniqueItems"); u != nil {
		v.UniqueItems = u.kind == 'b' && u.b
	}
	if c := n.get("const"); c != nil {
		lit := c.raw()
		v.Const = &lit
	}
	if e := n.get("enum"); e != nil {
		if e.kind != 'a' {
			return nil, errorf(e.src, "enum must be an array")
		}
		for _, x := range e.elems {
			v.Enum = append(v.Enum, x.raw())
		}
		if len(v.Enum) == 0 {
			v.EnumEmpty = true
		}
	}
	if r := n.get("required"); r != nil {
		for _, x := range r.elems {
			v.Required = append(v.Required, x.str)
		}
	}
	if props := n.get("properties"); props != nil {
		if props.kind != 'o' {
			return nil, errorf(props.src, "properties must be an object")
		}
		for i, name := range props.keys {
			pv, err := b.validator(props.get(name), strings.TrimPrefix(v.Func, "valid")+propName(name, i))
			if err != nil {
				return nil, err
			}
			v.Properties = append(v.Properties, model.PropertyValidator{Name: name, Validator: pv})
		}
	}
	if ap := n.get("additionalProperties"); ap != nil {
		av, err := b.validator(ap, strings.TrimPrefix(v.Func, "valid")+"Additional")
		if err != nil {
			return nil, err
		}
		v.Additional = av
	}
	if it := n.get("items"); it != nil {
		if it.kind == 'a' {
			return nil, errorf(it.src, "items as an array is the draft 2019-09 form; use prefixItems (not supported)")
		}
		iv, err := b.validator(it, strings.TrimPrefix(v.Func, "valid")+"Items")
		if err != nil {
			return nil, err
		}
		v.Items = iv
	}
	branches := func(k string) ([]*model.Validator, error) {
		a := n.get(k)
		if a == nil {
			return nil, nil
		}
		if a.kind != 'a' || len(a.elems) == 0 {
			return nil, errorf(a.src, "%s must be a non-empty array", k)
		}
		var out []*model.Validator
		for i, e := range a.elems {
			bv, err := b.validator(e, strings.TrimPrefix(v.Func, "valid")+naming.GoName(k)+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out = append(out, bv)
		}
		return out, nil
	}
	all, err := branches("allOf")
	if err != nil {
		return nil, err
	}
	v.AllOf = append(v.AllOf, all...)
	if v.AnyOf, err = branches("anyOf"); err != nil {
		return nil, err
	}
	if v.OneOf, err = branches("oneOf"); err != nil {
		return nil, err
	}
	if nt := n.get("not"); nt != nil {
		if v.Not, err = b.validator(nt, strings.TrimPrefix(v.Func, "valid")+"Not"); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// propName is the part of a function name a property contributes.
func propName(name string, i int) string {
	if g := naming.GoName(name); g != "" && naming.IsASCII(g) {
		return g
	}
	return "P" + strconv.Itoa(i)
}

// ruleSubset reads some rule keywords of n into t.
func (b *builder) ruleSubset(n *node, t *model.Type, keys ...string) error {
	sub := &node{kind: 'o', vals: map[string]*node{}, src: n.src}
	for _, k := range keys {
		if v := n.get(k); v != nil {
			sub.keys = append(sub.keys, k)
			sub.vals[k] = v
		}
	}
	return b.rules(sub, t)
}

// refTarget resolves a $ref to the node it names.
func (b *builder) refTarget(ref *node) (*node, error) {
	if ref.kind != 's' {
		return nil, errorf(ref.src, "$ref must be a string")
	}
	target := b.resolve(ref.src.File, ref.str)
	file, ptr, _ := strings.Cut(target, "#")
	doc, ok := b.docs[file]
	if !ok {
		return nil, errorf(ref.src, "$ref %q: no schema file %s", ref.str, file)
	}
	def := lookup(doc, ptr)
	if def == nil {
		return nil, errorf(ref.src, "$ref %q: nothing at %s#%s", ref.str, path.Join(b.set.Dir, file), ptr)
	}
	return def, nil
}

// funcName makes a generated function name unique.
func (b *builder) funcName(name string) string {
	if _, taken := b.names[name]; !taken && !reserved[name] {
		b.names[name] = model.Source{}
		return name
	}
	for i := 2; ; i++ {
		n := name + strconv.Itoa(i)
		if _, taken := b.names[n]; !taken && !reserved[n] {
			b.names[n] = model.Source{}
			return n
		}
	}
}

// rawType makes a json.RawMessage type checked by a validator.
func (b *builder) rawType(n *node, goName, inline string) (*model.Type, error) {
	base := firstNonEmpty(goName, inline)
	v, err := b.validator(n, base)
	if err != nil {
		return nil, err
	}
	t := &model.Type{GoName: goName, Kind: model.Any, Doc: describe(n), Source: n.src, Validator: v}
	if t.Named() {
		if err := b.claim(t.GoName, n.src); err != nil {
			return nil, err
		}
		b.eventTypes = append(b.eventTypes, t)
	}
	b.nameFuncs(t, base)
	return t, nil
}
