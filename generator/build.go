package generator

import (
	"fmt"
	"math/big"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/generator/naming"
	"github.com/krosgen/krosgen/schema"
)

// builder turns the loaded schema documents into the model. It makes every
// decision the emitters rely on and refuses what it cannot represent exactly.
type builder struct {
	set  *schema.Set
	docs map[string]*node // by file name inside the schema directory
	pkg  *model.Package
	// defs maps a $ref target (file#pointer) to its named type, so that every
	// use of a definition shares one Go type.
	defs       map[string]*model.Type
	building   map[string]bool // $ref targets being built, to catch cycles
	eventTypes []*model.Type   // named types found while building events
	defTypes   []*model.Type   // named types of shared definitions
	// names holds every generated top-level identifier, for the collision check.
	names map[string]model.Source
	// validators maps a schema node (file#pointer) to its validator.
	validators map[string]*model.Validator
	// extra holds the rule types of validators.
	extra []*model.Type
}

// build makes the model of one package from a loaded schema set.
func build(set *schema.Set, pkgName string) (*model.Package, error) {
	b := &builder{
		set:        set,
		docs:       map[string]*node{},
		pkg:        &model.Package{Name: pkgName},
		defs:       map[string]*model.Type{},
		building:   map[string]bool{},
		names:      map[string]model.Source{},
		validators: map[string]*model.Validator{},
	}
	files := []schema.File{set.Envelope, set.Defs}
	for _, ev := range set.Events {
		files = append(files, ev.File)
	}
	for _, f := range files {
		n, err := parseNode(path.Join(set.Dir, f.Name), f.Raw)
		if err != nil {
			return nil, err
		}
		b.docs[f.Name] = n
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
	sort.SliceStable(b.defTypes, func(i, j int) bool { return b.defTypes[i].GoName < b.defTypes[j].GoName })
	b.pkg.Types = append(b.defTypes, b.eventTypes...)
	b.pkg.RuleTypes = b.extra
	if err := b.checkNames(); err != nil {
		return nil, err
	}
	return b.pkg, nil
}

// errorf makes an error located at a schema node.
func errorf(src model.Source, format string, args ...any) error {
	return fmt.Errorf("%s: %s", src, fmt.Sprintf(format, args...))
}

func (b *builder) envelope() error {
	root := b.docs[schema.EnvelopeFile]
	props := root.get("properties")
	b.pkg.Envelope.Source = root.src
	for _, name := range []string{"event", "id", "timestamp", "data"} {
		if props.get(name) == nil {
			return errorf(root.src, "the envelope must declare property %q", name)
		}
	}
	id, err := b.typeOf(props.get("id"), "Event", "ID")
	if err != nil {
		return err
	}
	if id.Kind != model.String || id.Enum != nil {
		return errorf(props.get("id").src, "the envelope's id must be a string")
	}
	ts, err := b.typeOf(props.get("timestamp"), "Event", "Timestamp")
	if err != nil {
		return err
	}
	if ts.Kind != model.Time {
		return errorf(props.get("timestamp").src, `the envelope's timestamp must be {"type": "string", "format": "date-time"}`)
	}
	b.pkg.Envelope.ID, b.pkg.Envelope.Timestamp = id, ts
	return nil
}

func (b *builder) event(ev *schema.Event) (*model.Event, error) {
	root := b.docs[ev.Name]
	if err := allowKeywords(root, "$schema", "title", "description", "x-order", "$ref", "properties", "examples", "$comment", "$defs"); err != nil {
		return nil, err
	}
	if ref := root.get("$ref"); ref == nil || ref.kind != 's' || b.resolve(root.src.File, ref.str) != schema.EnvelopeFile+"#" {
		return nil, errorf(root.src, `an event schema must have "$ref": "../%s"`, schema.EnvelopeFile)
	}
	props := root.get("properties")
	for _, k := range props.keys {
		if k != "event" && k != "data" {
			return nil, errorf(props.get(k).src, "an event schema may constrain only event and data; the envelope declares the rest")
		}
	}
	goName := naming.GoName(ev.Type)
	if goName == "" || !naming.IsASCII(ev.Type) {
		return nil, errorf(props.get("event").get("const").src, "event type %q gives no Go name", ev.Type)
	}
	data := props.get("data")
	if data == nil {
		return nil, errorf(props.src, `an event schema must describe "data"`)
	}
	e := &model.Event{
		Type:      ev.Type,
		ConstName: "Event" + goName,
		Fixture:   "New" + goName,
		Doc:       describe(root),
		Source:    root.src,
	}
	if err := b.claim(e.ConstName, root.src); err != nil {
		return nil, err
	}
	if err := b.claim(e.Fixture, root.src); err != nil {
		return nil, err
	}
	t, err := b.namedStruct(data, goName)
	if err != nil {
		return nil, err
	}
	if t.Doc == "" {
		t.Doc = e.Doc
	}
	e.Data = t
	for _, x := range ev.Examples {
		e.Examples = append(e.Examples, string(x))
	}
	return e, nil
}

// namedStruct builds an inline object schema as a named struct.
func (b *builder) namedStruct(n *node, goName string) (*model.Type, error) {
	t, err := b.schemaType(n, goName, "")
	if err != nil {
		return nil, err
	}
	if t.Kind != model.Struct {
		return nil, errorf(n.src, "event data must be an object with properties")
	}
	return t, nil
}

// typeOf builds the type of a property. owner and field name the Go
// identifiers of what holds it, for naming inline types and functions.
func (b *builder) typeOf(n *node, owner, field string) (*model.Type, error) {
	if ref := n.get("$ref"); ref != nil && !needsValidator(n) {
		if err := allowKeywords(n, "$ref", "description", "title", "$comment", "examples", "default", "deprecated", "$schema", "$defs"); err != nil {
			return nil, err
		}
		return b.ref(n, ref)
	}
	return b.schemaType(n, "", owner+field)
}

// ref builds (once) the named type a $ref points to.
func (b *builder) ref(n, ref *node) (*model.Type, error) {
	if ref.kind != 's' {
		return nil, errorf(ref.src, "$ref must be a string")
	}
	target := b.resolve(n.src.File, ref.str)
	if t, ok := b.defs[target]; ok {
		return t, nil
	}
	if b.building[target] {
		return nil, errorf(ref.src, "$ref cycle through %s: recursive types are not supported", target)
	}
	def, err := b.refTarget(ref)
	if err != nil {
		return nil, err
	}
	_, ptr, _ := strings.Cut(target, "#")
	tokens := strings.Split(ptr, "/")
	goName := naming.GoName(tokens[len(tokens)-1])
	if goName == "" || ptr == "" {
		return nil, errorf(ref.src, "$ref %q must point into $defs, to a definition with a name", ref.str)
	}
	b.building[target] = true
	defer delete(b.building, target)
	if inner := def.get("$ref"); inner != nil {
		// An alias of another definition shares its type.
		t, err := b.typeOf(def, "", "")
		if err != nil {
			return nil, err
		}
		b.defs[target] = t
		return t, nil
	}
	t, err := b.schemaType(def, goName, "")
	if err != nil {
		return nil, err
	}
	if !t.Named() {
		// A definition of a builtin kind still gets its own name (type CallID string).
		t.GoName = goName
		b.nameFuncs(t, goName)
		if err := b.claim(goName, def.src); err != nil {
			return nil, err
		}
	}
	b.defs[target] = t
	b.defTypes = append(b.defTypes, t)
	b.eventTypes = removeType(b.eventTypes, t)
	return t, nil
}

func removeType(ts []*model.Type, t *model.Type) []*model.Type {
	for i, x := range ts {
		if x == t {
			return append(ts[:i], ts[i+1:]...)
		}
	}
	return ts
}

// resolve turns a $ref made in file (as named in sources) into
// "file#pointer", with file relative to the schema directory.
func (b *builder) resolve(file, ref string) string {
	file = strings.TrimPrefix(file, b.set.Dir+"/")
	refFile, ptr, _ := strings.Cut(ref, "#")
	if refFile == "" {
		refFile = file
	} else {
		refFile = path.Join(path.Dir(file), refFile)
	}
	return refFile + "#" + ptr
}

// lookup follows a JSON pointer inside a document.
func lookup(n *node, ptr string) *node {
	if ptr == "" {
		return n
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n.kind {
		case 'o':
			n = n.vals[tok]
		case 'a':
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.elems) {
				return nil
			}
			n = n.elems[i]
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}

// typedKeyword reports whether a keyword is one a typed value implements:
// an annotation, or a constraint a validator implements except the
// applicators that take a value away from its single Go type. Anything else
// in a schema is refused, so that no constraint is silently dropped.
func typedKeyword(k string) bool {
	return annotation[k] || validatorSupported[k] && !applicators[k]
}

// applicators are the keywords that make a schema's value json.RawMessage.
var applicators = map[string]bool{"allOf": true, "oneOf": true, "not": true, "$ref": true}

func allowKeywords(n *node, allowed ...string) error {
	if n.kind == 'b' {
		return nil
	}
	if n.kind != 'o' {
		return errorf(n.src, "a schema must be an object or a boolean, not %s", n.kindName())
	}
	for _, k := range n.keys {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
			}
		}
		if !ok {
			return errorf(n.get(k).src, "keyword %q is not supported here", k)
		}
	}
	return nil
}

// schemaType builds the type of an inline schema. goName, when set, names the
// type; inline names the generated functions of an unnamed type.
func (b *builder) schemaType(n *node, goName, inline string) (*model.Type, error) {
	if err := enumTypeClash(n); err != nil {
		return nil, err
	}
	if needsValidator(n) {
		return b.rawType(n, goName, inline)
	}
	if n.kind == 'b' { // true: any value
		t := &model.Type{Kind: model.Any, Source: n.src}
		b.nameFuncs(t, firstNonEmpty(goName, inline))
		return t, nil
	}
	if n.kind != 'o' {
		return nil, errorf(n.src, "a schema must be an object or a boolean, not %s", n.kindName())
	}
	for _, k := range n.keys {
		if !typedKeyword(k) {
			if k == "$ref" {
				return nil, errorf(n.get(k).src, "$ref beside other constraints is not supported: move them into the definition")
			}
			return nil, errorf(n.get(k).src, "keyword %q is not supported", k)
		}
	}
	t := &model.Type{GoName: goName, Doc: describe(n), Source: n.src}
	kind, err := b.kind(n)
	if err != nil {
		return nil, err
	}
	t.Kind = kind
	if err := b.rules(n, t); err != nil {
		return nil, err
	}
	switch t.Kind {
	case model.Struct:
		if goName == "" {
			goName = inline
			t.GoName = goName
		}
		if err := b.fields(n, t); err != nil {
			return nil, err
		}
	case model.Map, model.Slice:
		elemKey := "additionalProperties"
		if t.Kind == model.Slice {
			elemKey = "items"
		}
		en := n.get(elemKey)
		if en == nil {
			en = &node{kind: 'b', b: true, src: child(n.src, elemKey)}
		}
		if nullable(en) {
			return nil, errorf(en.src, "nullable %s are not supported", map[bool]string{true: "array items", false: "property values"}[t.Kind == model.Slice])
		}
		elem, err := b.typeOf(en, inline+goName, "Elem")
		if err != nil {
			return nil, err
		}
		t.Elem = elem
	}
	if t.Enum != nil && goName == "" {
		goName = inline
		t.GoName = goName
	}
	if t.Named() {
		if err := b.claim(t.GoName, n.src); err != nil {
			return nil, err
		}
		b.eventTypes = append(b.eventTypes, t)
	}
	b.nameFuncs(t, firstNonEmpty(goName, inline))
	return t, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// nameFuncs names the decode and check functions of a type. Unnamed builtins
// without checks share the decoders of the support code.
func (b *builder) nameFuncs(t *model.Type, base string) {
	needsOwn := t.Named() || !t.Rules.Empty() || t.Kind == model.Map || t.Kind == model.Slice || t.Validator != nil || t.Closed
	if !needsOwn {
		t.DecodeFunc = map[model.Kind]string{
			model.String: "decodeString", model.Integer: "decodeInt64", model.Number: "decodeFloat64",
			model.Boolean: "decodeBool", model.Time: "decodeTime", model.Any: "decodeRaw",
		}[t.Kind]
		t.CheckFunc = ""
		return
	}
	t.DecodeFunc = "decode" + base
	t.CheckFunc = ""
	if p := t.Rules.Pattern; p != nil {
		p.Var = "pattern" + base
		if p.Seq != nil {
			p.Var = "match" + base
		}
	}
	if t.Kind == model.Struct || !t.Rules.Empty() || (t.Enum != nil && !t.Enum.Open) || t.Elem != nil && t.Elem.CheckFunc != "" || t.Validator != nil {
		t.CheckFunc = "check" + base
	}
}

// kind decides the Go kind from "type", "enum", "const", "format" and the
// open-enum idiom anyOf [{enum}, {type: string}].
func (b *builder) kind(n *node) (model.Kind, error) {
	types, err := typeList(n)
	if err != nil {
		return 0, err
	}
	if any := n.get("anyOf"); any != nil {
		return model.String, nil // checked by rules as an open enum
	}
	if len(types) == 0 {
		switch {
		case n.get("enum") != nil || n.get("const") != nil:
			return model.String, nil
		case n.get("properties") != nil || n.get("additionalProperties") != nil:
			return 0, errorf(n.src, `an object schema needs "type": "object"`)
		}
		for _, k := range n.keys {
			if k != "description" && k != "title" && k != "$comment" && k != "examples" && k != "default" && k != "deprecated" && k != "$defs" && k != "$schema" {
				return 0, errorf(n.get(k).src, `%q needs "type" beside it: a schema without a type accepts every kind of value`, k)
			}
		}
		return model.Any, nil
	}
	if len(types) > 1 {
		return 0, errorf(n.get("type").src, "a union of types (%s) is not supported; only [T, \"null\"] is", strings.Join(types, ", "))
	}
	switch types[0] {
	case "string":
		if f := n.get("format"); f != nil && f.kind == 's' && f.str == "date-time" {
			return model.Time, nil
		}
		return model.String, nil
	case "integer":
		return model.Integer, nil
	case "number":
		return model.Number, nil
	case "boolean":
		return model.Boolean, nil
	case "array":
		return model.Slice, nil
	case "object":
		if n.get("properties") != nil {
			return model.Struct, nil
		}
		if n.get("additionalProperties") != nil {
			return model.Map, nil
		}
		return model.Map, nil
	case "null":
		return 0, errorf(n.get("type").src, `a schema of type "null" alone is not supported`)
	}
	return 0, errorf(n.get("type").src, "unknown type %q", types[0])
}

// typeList reads "type", dropping "null" (which makes a property nullable).
func typeList(n *node) ([]string, error) {
	tn := n.get("type")
	if tn == nil {
		return nil, nil
	}
	var all []string
	switch tn.kind {
	case 's':
		all = []string{tn.str}
	case 'a':
		for _, e := range tn.elems {
			if e.kind != 's' {
				return nil, errorf(e.src, "type must list strings")
			}
			all = append(all, e.str)
		}
	default:
		return nil, errorf(tn.src, "type must be a string or an array of strings")
	}
	var out []string
	for _, t := range all {
		if t != "null" {
			out = append(out, t)
		}
	}
	if len(out) == 0 && len(all) > 0 {
		return all, nil
	}
	return out, nil
}

// nullable reports whether "type" lists "null" beside another type.
func nullable(n *node) bool {
	tn := n.get("type")
	if tn == nil || tn.kind != 'a' || len(tn.elems) < 2 {
		return false
	}
	for _, e := range tn.elems {
		if e.kind == 's' && e.str == "null" {
			return true
		}
	}
	return false
}

func (b *builder) fields(n *node, t *model.Type) error {
	req := map[string]bool{}
	if r := n.get("required"); r != nil {
		if r.kind != 'a' {
			return errorf(r.src, "required must be an array")
		}
		for _, e := range r.elems {
			req[e.str] = true
		}
	}
	props := n.get("properties")
	if props.kind != 'o' {
		return errorf(props.src, "properties must be an object")
	}
	if ap := n.get("additionalProperties"); ap != nil && ap.kind == 'b' && !ap.b {
		t.Closed = true
	}
	byGo := map[string]*model.Field{}
	for _, name := range props.keys {
		pn := props.get(name)
		if !naming.IsASCII(name) {
			return errorf(pn.src, "property name %q is not ASCII: it has no portable Go name", name)
		}
		goName := naming.GoName(name)
		if goName == "" {
			return errorf(pn.src, "property name %q gives no Go name", name)
		}
		if other, dup := byGo[goName]; dup {
			return errorf(pn.src, "properties %q and %q both map to the Go name %s (the other is at %s)", other.JSONName, name, goName, other.Source)
		}
		ft, err := b.typeOf(pn, t.GoName, goName)
		if err != nil {
			return err
		}
		f := &model.Field{
			GoName:   goName,
			JSONName: name,
			Doc:      firstNonEmpty(describe(pn), ft.Doc),
			Type:     ft,
			Required: req[name],
			Nullable: pn.get("$ref") == nil && nullable(pn),
			Source:   pn.src,
		}
		if f.Nullable {
			b.pkg.UsesNullable = true
		}
		byGo[goName] = f
		t.Fields = append(t.Fields, f)
	}
	for _, r := range n.get("required").elemsOrNil() {
		if props.get(r.str) == nil {
			return errorf(r.src, "required property %q is not declared in properties", r.str)
		}
	}
	return nil
}

func (n *node) elemsOrNil() []*node {
	if n == nil {
		return nil
	}
	return n.elems
}

// rules reads the validation keywords of a schema into t.Rules.
func (b *builder) rules(n *node, t *model.Type) error {
	r := &t.Rules
	var err error
	num := func(key string) *model.Bound {
		v := n.get(key)
		if v == nil || err != nil {
			return nil
		}
		var bd *model.Bound
		bd, err = bound(v)
		return bd
	}
	count := func(key string) *int64 {
		v := n.get(key)
		if v == nil || err != nil {
			return nil
		}
		bd, e := bound(v)
		if e != nil || !bd.IsInt || bd.Int < 0 {
			err = errorf(v.src, "%s must be a non-negative integer", key)
			return nil
		}
		return &bd.Int
	}
	strOnly := func(keys ...string) {
		for _, k := range keys {
			if v := n.get(k); v != nil && t.Kind != model.String && t.Kind != model.Time && err == nil {
				err = errorf(v.src, "%s applies to strings, but this schema is not of type string", k)
			}
		}
	}
	numOnly := func(keys ...string) {
		for _, k := range keys {
			if v := n.get(k); v != nil && t.Kind != model.Integer && t.Kind != model.Number && err == nil {
				err = errorf(v.src, "%s applies to numbers, but this schema is not of type integer or number", k)
			}
		}
	}
	strOnly("pattern", "minLength", "maxLength", "format")
	numOnly("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
	if err != nil {
		return err
	}
	if p := n.get("pattern"); p != nil {
		if p.kind != 's' {
			return errorf(p.src, "pattern must be a string")
		}
		pat, err := compilePattern(p)
		if err != nil {
			return err
		}
		r.Pattern = pat
	}
	if f := n.get("format"); f != nil && t.Kind == model.String {
		if !supportedFormats[f.str] {
			return errorf(f.src, "format %q is not supported (supported: %s)", f.str, strings.Join(sortedKeys(supportedFormats), ", "))
		}
		r.Format = f.str
	}
	r.MinLength, r.MaxLength = count("minLength"), count("maxLength")
	r.Minimum, r.Maximum = num("minimum"), num("maximum")
	r.ExclusiveMinimum, r.ExclusiveMaximum = num("exclusiveMinimum"), num("exclusiveMaximum")
	r.MultipleOf = num("multipleOf")
	r.MinItems, r.MaxItems = count("minItems"), count("maxItems")
	r.MinProperties, r.MaxProperties = count("minProperties"), count("maxProperties")
	if err != nil {
		return err
	}
	if r.MultipleOf != nil && r.MultipleOf.Float <= 0 {
		return errorf(n.get("multipleOf").src, "multipleOf must be greater than 0")
	}
	if u := n.get("uniqueItems"); u != nil {
		if u.kind != 'b' {
			return errorf(u.src, "uniqueItems must be a boolean")
		}
		if u.b {
			return errorf(u.src, "uniqueItems is not supported")
		}
	}
	return b.enum(n, t)
}

func bound(v *node) (*model.Bound, error) {
	if v.kind != 'n' {
		return nil, errorf(v.src, "must be a number, not %s", v.kindName())
	}
	r, ok := new(big.Rat).SetString(v.str)
	if !ok {
		return nil, errorf(v.src, "cannot read number %s", v.str)
	}
	f, _ := r.Float64()
	bd := &model.Bound{Literal: v.str, Float: f}
	if r.IsInt() && r.Num().IsInt64() {
		bd.IsInt, bd.Int = true, r.Num().Int64()
	}
	return bd, nil
}

var supportedFormats = map[string]bool{
	"date-time": true, "date": true, "time": true, "uri": true, "email": true,
	"hostname": true, "ipv4": true, "ipv6": true, "uuid": true,
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// enum reads "enum", "const" and the open-enum idiom.
func (b *builder) enum(n *node, t *model.Type) error {
	values := func(e *node) ([]string, error) {
		if e.kind != 'a' || len(e.elems) == 0 {
			return nil, errorf(e.src, "enum must be a non-empty array")
		}
		var vs []string
		for _, v := range e.elems {
			if v.kind != 's' {
				return nil, errorf(v.src, "enum values must all be strings; %s is %s", v.src.Pointer, v.kindName())
			}
			vs = append(vs, v.str)
		}
		return vs, nil
	}
	var vals []string
	open := false
	switch {
	case n.get("anyOf") != nil:
		any := n.get("anyOf")
		if any.kind != 'a' || len(any.elems) != 2 || any.elems[0].get("enum") == nil || len(any.elems[0].keys) != 1 ||
			any.elems[1].get("type") == nil || any.elems[1].get("type").str != "string" || len(any.elems[1].keys) != 1 {
			return errorf(any.src, `anyOf is supported only as an open enum: [{"enum": [...]}, {"type": "string"}]`)
		}
		if n.get("type") != nil || n.get("enum") != nil {
			return errorf(any.src, "an open enum takes no type or enum beside anyOf")
		}
		v, err := values(any.elems[0].get("enum"))
		if err != nil {
			return err
		}
		vals, open = v, true
	case n.get("enum") != nil:
		if t.Kind != model.String {
			return errorf(n.get("enum").src, "enum is supported for strings only")
		}
		v, err := values(n.get("enum"))
		if err != nil {
			return err
		}
		vals = v
	case n.get("const") != nil:
		c := n.get("const")
		if c.kind != 's' || t.Kind != model.String {
			return errorf(c.src, "const is supported for strings only")
		}
		t.Rules.Const = &c.str
		return nil
	default:
		return nil
	}
	t.Enum = &model.Enum{Open: open}
	seen := map[string]bool{}
	for _, v := range vals {
		if seen[v] {
			continue
		}
		seen[v] = true
		t.Enum.Values = append(t.Enum.Values, model.EnumValue{Value: v})
	}
	return nil
}

// nameEnumValues names enum constants once the type's name is known.
func nameEnumValues(t *model.Type) error {
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
	}
	return nil
}

// claim reserves a top-level Go identifier, failing on a collision.
func (b *builder) claim(name string, src model.Source) error {
	if other, dup := b.names[name]; dup {
		return errorf(src, "Go name %s is already used by %s", name, other)
	}
	if reserved[name] {
		return errorf(src, "Go name %s is used by the generated package's own API", name)
	}
	b.names[name] = src
	return nil
}

// checkNames names enum constants and checks them against every other name.
func (b *builder) checkNames() error {
	for _, t := range b.pkg.Types {
		if err := nameEnumValues(t); err != nil {
			return err
		}
		if t.Enum == nil {
			continue
		}
		for _, v := range t.Enum.Values {
			if err := b.claim(v.GoName, t.Source); err != nil {
				return err
			}
		}
	}
	return nil
}

// describe returns a schema's description, or its title.
func describe(n *node) string {
	if d := n.get("description"); d != nil && d.kind == 's' {
		return d.str
	}
	if d := n.get("title"); d != nil && d.kind == 's' {
		return d.str
	}
	return ""
}

// compilePattern checks that a pattern compiles and, when it is a simple
// anchored sequence, turns it into pieces checked without regexp.
func compilePattern(p *node) (*model.Pattern, error) {
	if _, err := regexp.Compile(p.str); err != nil {
		return nil, errorf(p.src, "pattern %q is not supported by Go's regexp: %v", p.str, err)
	}
	return &model.Pattern{Source: p.str, Seq: simplePattern(p.str)}, nil
}

// enumTypeClash refuses an enum or const value that the schema's own type
// rules out: a schema that can never accept it is a mistake, not a constraint.
func enumTypeClash(n *node) error {
	types, err := typeList(n)
	if err != nil || len(types) == 0 || n.kind != 'o' {
		return err
	}
	if nullable(n) {
		types = append(types, "null")
	}
	var vals []*node
	if e := n.get("enum"); e != nil {
		vals = append(vals, e.elems...)
	}
	if c := n.get("const"); c != nil {
		vals = append(vals, c)
	}
	for _, v := range vals {
		if !kindFits(v, types) {
			return errorf(v.src, "%s can never match: the schema's type is %s", v.kindName(), strings.Join(types, " or "))
		}
	}
	return nil
}

// kindFits reports whether a JSON value is of one of the types.
func kindFits(v *node, types []string) bool {
	for _, t := range types {
		switch {
		case t == "string" && v.kind == 's', t == "boolean" && v.kind == 'b', t == "null" && v.kind == 'z',
			t == "object" && v.kind == 'o', t == "array" && v.kind == 'a', t == "number" && v.kind == 'n':
			return true
		case t == "integer" && v.kind == 'n':
			if r, ok := new(big.Rat).SetString(v.str); ok && r.IsInt() {
				return true
			}
		}
	}
	return false
}
