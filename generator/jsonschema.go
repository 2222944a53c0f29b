package generator

import (
	"math/big"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/krosgen/krosgen/generator/model"
)

// jsonSchema is one schema, read from its node through the keyword table into
// typed values. Nothing after this layer looks at a schema's raw keys.
type jsonSchema struct {
	src model.Source
	// boolean is set for the schemas true and false.
	boolean *bool
	// keys lists the keywords as written, for classify and for errors.
	keys []string

	title, description string
	// goName is the x-go-name annotation: the Go name the author chose.
	goName string
	// closedOnPurpose is the ClosedAnnotation: an enum meant to be closed.
	closedOnPurpose bool

	// types is "type" without "null"; null tells whether "type" lists it.
	types   []string
	null    bool
	hasType bool
	// enum holds the values of "enum" (hasEnum: even when empty).
	enum     []*node
	hasEnum  bool
	constant *node

	properties []*schemaProperty
	required   []*node // strings
	additional *jsonSchema
	items      *jsonSchema

	pattern *node // a string
	format  string

	minLength, maxLength         *int64
	minItems, maxItems           *int64
	minProperties, maxProperties *int64

	minimum, maximum                   *model.Bound
	exclusiveMinimum, exclusiveMaximum *model.Bound
	multipleOf                         *model.Bound

	uniqueItems bool

	allOf, anyOf, oneOf []*jsonSchema
	not                 *jsonSchema

	ref *schemaRef
}

// schemaProperty is a named subschema: a property, or a $defs entry.
type schemaProperty struct {
	name   string
	schema *jsonSchema
}

// schemaRef is a $ref and, once resolved, the schema it names.
type schemaRef struct {
	text   string
	src    model.Source // the $ref keyword itself
	target *jsonSchema
	// key is the target as file#pointer, relative to the schema directory.
	key string
}

// at is the source of one of the schema's keywords.
func (s *jsonSchema) at(keyword string) model.Source { return child(s.src, keyword) }

// has reports whether the schema writes a keyword.
func (s *jsonSchema) has(keyword string) bool { return slices.Contains(s.keys, keyword) }

// describe returns the description, or the title.
func (s *jsonSchema) describe() string {
	if s.description != "" {
		return s.description
	}
	return s.title
}

// schemaReader reads the documents of a schema directory into jsonSchema
// trees and resolves their $refs.
type schemaReader struct {
	dir  string
	docs map[string]*node // by file name inside the directory
	// bySource finds the schema at file#pointer (file with the directory).
	bySource map[string]*jsonSchema
	refs     []*schemaRef
}

// read parses the schema rooted at n, and every subschema beneath it.
func (r *schemaReader) read(n *node) (*jsonSchema, error) {
	s := &jsonSchema{src: n.src}
	r.bySource[n.src.String()] = s
	switch n.kind {
	case 'b':
		s.boolean = &n.b
		return s, nil
	case 'o':
	default:
		return nil, errorf(n.src, "a schema must be an object or a boolean, not %s", n.kindName())
	}
	s.keys = n.keys
	for _, k := range n.keys {
		v := n.get(k)
		if keywords[k].class == 0 || keywords[k].class == unsupportedKeyword {
			return nil, errorf(v.src, "keyword %q is not supported", k)
		}
		if err := r.keyword(s, k, v); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// keyword reads one keyword's value into s.
func (r *schemaReader) keyword(s *jsonSchema, k string, v *node) error {
	var err error
	switch k {
	case "$schema":
		if v.kind != 's' || strings.TrimSuffix(v.str, "#") != draft202012 {
			return errorf(v.src, "$schema must be %q: krosgen reads draft 2020-12 only, and another draft would be read differently", draft202012)
		}
	case "title":
		s.title, err = str(v)
	case "description":
		s.description, err = str(v)
	case "x-go-name":
		s.goName, err = str(v)
	case ClosedAnnotation:
		if v.kind != 'b' {
			return errorf(v.src, "%s must be a boolean", k)
		}
		s.closedOnPurpose = v.b
	case "$defs":
		_, err = r.named(v)
	case "type":
		err = s.readType(v)
	case "enum":
		if v.kind != 'a' {
			return errorf(v.src, "enum must be an array")
		}
		if len(v.elems) == 0 {
			// No value is allowed, but jsonschema/v5, the reference, accepts
			// every value: refused rather than disagree. false says "none".
			return errorf(v.src, `an empty enum is refused: it allows no value, which validators read differently; write the schema false instead`)
		}
		s.enum, s.hasEnum = v.elems, true
	case "const":
		s.constant = v
	case "properties":
		s.properties, err = r.named(v)
	case "required":
		if v.kind != 'a' {
			return errorf(v.src, "required must be an array")
		}
		for _, e := range v.elems {
			if e.kind != 's' {
				return errorf(e.src, "required must list strings")
			}
		}
		s.required = v.elems
	case "additionalProperties":
		s.additional, err = r.read(v)
	case "items":
		if v.kind == 'a' {
			return errorf(v.src, "items as an array is the draft 2019-09 form; use prefixItems (not supported)")
		}
		s.items, err = r.read(v)
	case "pattern":
		if v.kind != 's' {
			return errorf(v.src, "pattern must be a string")
		}
		s.pattern = v
	case "format":
		s.format, err = str(v)
	case "minLength":
		s.minLength, err = count(v, k)
	case "maxLength":
		s.maxLength, err = count(v, k)
	case "minItems":
		s.minItems, err = count(v, k)
	case "maxItems":
		s.maxItems, err = count(v, k)
	case "minProperties":
		s.minProperties, err = count(v, k)
	case "maxProperties":
		s.maxProperties, err = count(v, k)
	case "minimum":
		s.minimum, err = bound(v)
	case "maximum":
		s.maximum, err = bound(v)
	case "exclusiveMinimum":
		s.exclusiveMinimum, err = bound(v)
	case "exclusiveMaximum":
		s.exclusiveMaximum, err = bound(v)
	case "multipleOf":
		s.multipleOf, err = bound(v)
		if err == nil && s.multipleOf.Rat.Sign() <= 0 {
			err = errorf(v.src, "multipleOf must be greater than 0")
		}
	case "uniqueItems":
		if v.kind != 'b' {
			return errorf(v.src, "uniqueItems must be a boolean")
		}
		s.uniqueItems = v.b
	case "allOf":
		s.allOf, err = r.list(v, k)
	case "anyOf":
		s.anyOf, err = r.list(v, k)
	case "oneOf":
		s.oneOf, err = r.list(v, k)
	case "not":
		s.not, err = r.read(v)
	case "$ref":
		if v.kind != 's' {
			return errorf(v.src, "$ref must be a string")
		}
		s.ref = &schemaRef{text: v.str, src: v.src}
		r.refs = append(r.refs, s.ref)
	}
	return err
}

func (s *jsonSchema) readType(v *node) error {
	var all []*node
	switch v.kind {
	case 's':
		all = []*node{v}
	case 'a':
		all = v.elems
	default:
		return errorf(v.src, "type must be a string or an array of strings")
	}
	s.hasType = true
	for _, e := range all {
		if e.kind != 's' {
			return errorf(e.src, "type must list strings")
		}
		switch e.str {
		case "null":
			s.null = true
		case "string", "integer", "number", "boolean", "object", "array":
			if !slices.Contains(s.types, e.str) {
				s.types = append(s.types, e.str)
			}
		default:
			return errorf(e.src, "unknown type %q", e.str)
		}
	}
	return nil
}

// named reads an object of subschemas, in the order written.
func (r *schemaReader) named(v *node) ([]*schemaProperty, error) {
	if v.kind != 'o' {
		return nil, errorf(v.src, "must be an object of schemas")
	}
	var out []*schemaProperty
	for _, k := range v.keys {
		s, err := r.read(v.get(k))
		if err != nil {
			return nil, err
		}
		out = append(out, &schemaProperty{name: k, schema: s})
	}
	return out, nil
}

// list reads a non-empty array of subschemas.
func (r *schemaReader) list(v *node, k string) ([]*jsonSchema, error) {
	if v.kind != 'a' || len(v.elems) == 0 {
		return nil, errorf(v.src, "%s must be a non-empty array", k)
	}
	var out []*jsonSchema
	for _, e := range v.elems {
		s, err := r.read(e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// resolve finds the target of every $ref read. A fragment is a JSON pointer,
// percent-decoded first as RFC 3986 asks; errors name the $ref.
func (r *schemaReader) resolve() error {
	for _, ref := range r.refs {
		file, frag, _ := strings.Cut(ref.text, "#")
		from := strings.TrimPrefix(ref.src.File, r.dir+"/")
		if file == "" {
			file = from
		} else {
			file = path.Join(path.Dir(from), file)
		}
		ptr, err := url.PathUnescape(frag)
		if err != nil {
			return errorf(ref.src, "$ref %q: the fragment is not percent-encoded correctly", ref.text)
		}
		doc, ok := r.docs[file]
		if !ok {
			return errorf(ref.src, "$ref %q: there is no schema file %s", ref.text, path.Join(r.dir, file))
		}
		n := lookup(doc, ptr)
		if n == nil {
			return errorf(ref.src, "$ref %q: nothing at %s#%s", ref.text, path.Join(r.dir, file), ptr)
		}
		target, ok := r.bySource[n.src.String()]
		if !ok {
			return errorf(ref.src, "$ref %q: %s#%s is not a schema", ref.text, path.Join(r.dir, file), ptr)
		}
		ref.target, ref.key = target, file+"#"+ptr
	}
	return nil
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
			n = n.get(tok)
		case 'a':
			i := 0
			for _, c := range tok {
				if c < '0' || c > '9' || i > len(n.elems) {
					return nil
				}
				i = i*10 + int(c-'0')
			}
			if tok == "" || i >= len(n.elems) {
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

func str(v *node) (string, error) {
	if v.kind != 's' {
		return "", errorf(v.src, "must be a string, not %s", v.kindName())
	}
	return v.str, nil
}

// count reads a non-negative integer keyword (minLength, maxItems, ...).
func count(v *node, k string) (*int64, error) {
	b, err := bound(v)
	if err != nil || !b.IsInt || b.Int < 0 {
		return nil, errorf(v.src, "%s must be a non-negative integer", k)
	}
	return &b.Int, nil
}

// bound reads a number keyword, keeping the literal and its exact value.
func bound(v *node) (*model.Bound, error) {
	if v.kind != 'n' {
		return nil, errorf(v.src, "must be a number, not %s", v.kindName())
	}
	r, ok := new(big.Rat).SetString(v.str)
	if !ok {
		return nil, errorf(v.src, "cannot read number %s", v.str)
	}
	f, _ := r.Float64()
	b := &model.Bound{Literal: v.str, Float: f, Rat: r}
	if r.IsInt() && r.Num().IsInt64() {
		b.IsInt, b.Int = true, r.Num().Int64()
	}
	return b, nil
}
