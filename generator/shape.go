package generator

// shape is how a schema's value is held in Go: the one decision between a
// typed value and raw JSON checked by a validator.
type shape int

const (
	// shapeTyped is a value of one Go type: a scalar, a struct, a map or a
	// slice (a string enum included).
	shapeTyped shape = iota
	// shapeOpenEnum is a named string type whose listed values are known
	// but which accepts any string: anyOf [{"enum": [...]}, {"type": "string"}].
	shapeOpenEnum
	// shapeRef is the type of the $ref's target: nothing but annotations
	// stands beside the $ref.
	shapeRef
	// shapeAny is json.RawMessage accepting any JSON value (true, {}).
	shapeAny
	// shapeRaw is json.RawMessage checked by a validator generated from the
	// schema: no single Go type holds exactly what it accepts.
	shapeRaw
)

// classify decides the shape of a schema. Every other part of the generator
// asks it; none looks at keywords to decide again.
func classify(s *jsonSchema) shape {
	if s.boolean != nil {
		if *s.boolean {
			return shapeAny
		}
		return shapeRaw
	}
	constraints := 0
	for _, k := range s.keys {
		if keywords[k].class != annotationKeyword {
			constraints++
		}
	}
	switch {
	case constraints == 0:
		return shapeAny
	case s.ref != nil:
		if constraints == 1 {
			return shapeRef
		}
		return shapeRaw
	case isOpenEnum(s):
		return shapeOpenEnum
	case len(s.allOf)+len(s.anyOf)+len(s.oneOf) > 0 || s.not != nil || s.uniqueItems:
		return shapeRaw
	case len(s.types) > 1, s.hasType && len(s.types) == 0: // a union, or "null" alone
		return shapeRaw
	}
	if s.hasEnum || s.constant != nil {
		if s.null {
			return shapeRaw // null passes "type" but not the string values
		}
		if s.hasEnum && len(s.enum) == 0 {
			return shapeRaw // accepts nothing
		}
		if s.hasType && s.types[0] != "string" {
			return shapeRaw
		}
		for _, v := range append(s.enum, s.constant) {
			if v != nil && v.kind != 's' {
				return shapeRaw
			}
		}
	} else if !s.hasType {
		return shapeRaw // constraints without a type apply to some kinds only
	}
	switch typeOf(s) {
	case "object":
		closed := s.additional != nil && s.additional.boolean != nil && !*s.additional.boolean
		open := s.additional == nil || s.additional.boolean != nil && *s.additional.boolean
		if s.properties == nil {
			// A map: its values share a schema; required names or a closed
			// object are not what a map can say.
			if closed || len(s.required) > 0 {
				return shapeRaw
			}
			return shapeTyped
		}
		if !closed && !open || s.minProperties != nil || s.maxProperties != nil {
			return shapeRaw
		}
	case "string":
		// time.Time holds a date-time; the string's own rules need the text.
		if s.format == "date-time" && (s.pattern != nil || s.minLength != nil || s.maxLength != nil || s.hasEnum || s.constant != nil) {
			return shapeRaw
		}
	}
	return shapeTyped
}

// typeOf is the one JSON type of a typed schema; an enum or const of strings
// without "type" is a string.
func typeOf(s *jsonSchema) string {
	if len(s.types) == 1 {
		return s.types[0]
	}
	return "string"
}

// isOpenEnum recognises anyOf [{"enum": [strings]}, {"type": "string"}], with
// no type, enum or const beside it.
func isOpenEnum(s *jsonSchema) bool {
	if len(s.anyOf) != 2 || s.hasType || s.hasEnum || s.constant != nil || len(s.allOf)+len(s.oneOf) > 0 || s.not != nil || s.uniqueItems {
		return false
	}
	e, t := s.anyOf[0], s.anyOf[1]
	if len(e.keys) != 1 || !e.hasEnum || len(t.keys) != 1 || len(t.types) != 1 || t.types[0] != "string" || t.null {
		return false
	}
	for _, v := range e.enum {
		if v.kind != 's' {
			return false
		}
	}
	return len(e.enum) > 0
}
