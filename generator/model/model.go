// Package model is krosgen's intermediate representation: the Go package to
// generate, with every decision already made (Go names, optional and nullable
// fields, enum openness, which checks apply). It knows nothing of JSON Schema
// syntax or of jennifer; the builder fills it, the emitters only read it.
package model

import "math/big"

// Source locates the schema a model node comes from.
type Source struct {
	// File is the schema file, relative to the schema directory's parent
	// ("schema/events/call.completed.json").
	File string
	// Pointer is the JSON pointer inside the file ("/properties/data").
	Pointer string
}

// String renders file#pointer.
func (s Source) String() string { return s.File + "#" + s.Pointer }

// Package is one generated Go package.
type Package struct {
	// Name is the Go package name.
	Name string
	// Digest identifies the schema set: see schema.Set.Digest.
	Digest string
	// Events in documentation order.
	Events []*Event
	// Types lists the named types, in the order they are declared: shared
	// definitions first (sorted by Go name), then each event's types.
	Types []*Type
	// Envelope is Event, built from envelope.json.
	Envelope Envelope
	// UsesNullable tells whether a field is nullable, so the Nullable type
	// is needed.
	UsesNullable bool
	// Validators lists every validator, in the order they were made.
	Validators []*Validator
	// RuleTypes are the types that only carry the string and number rules
	// of validators: they have a Check and no Go declaration.
	RuleTypes []*Type
	// Coded lists every type that has generated functions, each once, in
	// the order they are reached from the envelope and the events.
	Coded []*Type
}

// Envelope is Event, the struct of every payload, built from envelope.json
// like any other object. Two of its fields are the event API's: Type, whose
// type is EventType (a string with the rules of the envelope's "event"), and
// Data, the union over the events' data.
type Envelope struct {
	// Struct is Event: its fields in the schema's order.
	Struct *Type
	// EventType is the type of the "event" field.
	EventType *Type
	// Event and Data are the fields of "event" and "data".
	Event, Data *Field
	Source      Source
}

// Event is one webhook event type.
type Event struct {
	// Type is the wire name, "call.completed".
	Type string
	// ConstName is the EventType constant, "EventCallCompleted".
	ConstName string
	// Fixture is the test helper that builds the data of the documented
	// example, "NewCallCompleted".
	Fixture string
	// Doc describes the event.
	Doc string
	// Data is the struct of the event's "data"; its GoName is the event's
	// ("CallCompleted").
	Data *Type
	// Examples are the documented payloads, verbatim.
	Examples []string
	Source   Source
}

// Kind is what a type is in Go.
type Kind int

// The kinds of type.
const (
	String  Kind = iota // string (or a named string type)
	Integer             // int64
	Number              // float64
	Boolean             // bool
	Time                // time.Time, from format date-time
	Any                 // json.RawMessage: a schema that accepts any value
	Struct              // an object with properties
	Map                 // an object whose property values share one schema
	Slice               // an array
	Union               // EventData: the data of any event, by its type
)

// Type is a Go type: named (a definition, an event's data, an inline object
// or enum) or unnamed (a builtin with checks, a map, a slice).
type Type struct {
	// GoName is the declared name; "" for an unnamed type.
	GoName string
	Kind   Kind
	Doc    string
	Source Source
	// Fields of a Struct, in the schema's order.
	Fields []*Field
	// Elem is the element type of a Map or Slice.
	Elem *Type
	// Enum lists the values of a string enum.
	Enum *Enum
	// Rules are the checks a value must pass.
	Rules Rules
	// Closed structs reject properties they do not declare
	// (additionalProperties: false); others keep them, to write them back
	// when marshalled.
	Closed bool
	// Validator checks a value of Kind Any as it is read; nil accepts any
	// JSON value.
	Validator *Validator
	// Decode reads a value of this type; Check checks one, nil when there is
	// nothing to check. Unnamed builtins without checks use the shared
	// decoders of the runtime, and other scalars the runtime's generic
	// decoders given their Check.
	Decode *Func
	Check  *Func
}

// Func is a function generated code calls.
type Func struct {
	// Name is the identifier, claimed by the naming pass when Generated.
	Name string
	// Generated functions are declared by the package from its model;
	// others are the runtime's.
	Generated bool
	// Base is what the naming pass derives Name from ("CallID").
	Base string
	// Checked runtime decoders (decodeStringAs and the like) take the
	// type's Check, or nil, as their last argument.
	Checked bool
}

// Named reports whether the type is declared.
func (t *Type) Named() bool { return t.GoName != "" }

// Enum is the value set of a string enum.
type Enum struct {
	Values []EnumValue
	// Open enums list the values KrosAI documents but accept any string.
	Open bool
	// ClosedOnPurpose is set by the schema's author for a closed enum whose
	// list is complete: no warning is given for it.
	ClosedOnPurpose bool
}

// EnumValue is one enum constant.
type EnumValue struct {
	// GoName is the constant, "CallDirectionInbound".
	GoName string
	// Value is the wire value, "inbound".
	Value string
}

// Field is one property of a struct.
type Field struct {
	GoName   string
	JSONName string
	Doc      string
	Type     *Type
	// Required fields must be present; an optional one is a pointer (nil when
	// absent), or for maps, slices and raw values nil.
	Required bool
	// Nullable fields accept null; they are Nullable[T].
	Nullable bool
	// Pointer fields are *T (or *Nullable[T]): optional, and of a type
	// whose own zero cannot stand for "absent".
	Pointer bool
	// OmitZero fields are left out when encoded if their value is zero
	// (nil); an optional field always is.
	OmitZero bool
	Source   Source
}

// Rules are the validation keywords that apply to a value, as data.
type Rules struct {
	// Strings.
	Pattern *Pattern
	Format  string // "uri", "email", ... ("date-time" is Kind Time)
	// FormatFunc is the runtime function that checks Format ("isURI").
	FormatFunc string
	MinLength  *int64
	MaxLength  *int64
	Const      *string
	// Numbers: literals as written in the schema, and their values.
	Minimum          *Bound
	Maximum          *Bound
	ExclusiveMinimum *Bound
	ExclusiveMaximum *Bound
	MultipleOf       *Bound
	// Objects and arrays.
	MinItems      *int64
	MaxItems      *int64
	UniqueItems   bool
	MinProperties *int64
	MaxProperties *int64
}

// Empty reports whether there is nothing to check.
func (r Rules) Empty() bool { return r == Rules{} }

// Bound is a numeric limit.
type Bound struct {
	// Literal is the number as written in the schema.
	Literal string
	// Int is its value when it is a whole number within int64.
	Int   int64
	IsInt bool
	// Float is its nearest float64.
	Float float64
	// Rat is its exact value.
	Rat *big.Rat
}

// Pattern is a regular expression a string must match.
type Pattern struct {
	// Source is the expression as written in the schema.
	Source string
	// Seq is set when the expression is an anchored sequence of character
	// classes with repeat counts that greedy matching decides exactly; it is
	// then checked with plain loops instead of regexp.
	Seq []Piece
	// Func is the compiled regexp when Seq is nil, or the match function.
	Func *Func
}

// Piece is one character class of a simple pattern, repeated Min to Max
// times (Max -1: unbounded).
type Piece struct {
	Ranges []ByteRange
	Min    int
	Max    int
}

// ByteRange is an inclusive range of ASCII bytes.
type ByteRange struct{ Lo, Hi byte }

// Validator checks a JSON value as it is read, without decoding it into a Go
// value: the schema of a json.RawMessage field, and of each branch of an
// applicator (allOf, anyOf, oneOf, not). Its rules apply only to values of
// their kind, as JSON Schema's do.
type Validator struct {
	// Func is the generated function: func validX(d *decoder, key string).
	Func   *Func
	Source Source
	// Never is set for the schema false.
	Never bool
	// Types lists the JSON types allowed ("integer": a number with a zero
	// fraction); empty allows any.
	Types []string
	// String and Number hold the rules of strings and numbers, as the
	// CheckFunc of a type of that kind; nil when there are none.
	String *Type
	Number *Type
	// Const and Enum are JSON texts; a value must equal one (as JSON values:
	// 1 equals 1.0, objects in any key order).
	Const     *string
	Enum      []string
	EnumEmpty bool
	// Objects.
	Properties    []PropertyValidator
	Required      []string
	Additional    *Validator
	MinProperties *int64
	MaxProperties *int64
	// Arrays.
	Items       *Validator
	MinItems    *int64
	MaxItems    *int64
	UniqueItems bool
	// Applicators; a $ref is one more allOf branch.
	AllOf []*Validator
	AnyOf []*Validator
	OneOf []*Validator
	Not   *Validator
}

// PropertyValidator is the validator of one named property.
type PropertyValidator struct {
	Name      string
	Validator *Validator
}
