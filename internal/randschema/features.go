package randschema

import (
	"fmt"
	"reflect"
	"strings"
)

// Features switches families of schema constructs on and off. Draw with
// All() to exercise everything the generator claims to support; a switch
// is off only while the generator is known not to be exact on what it
// draws, so that a differential test can pass on the rest. Each switch says
// what it draws.
type Features struct {
	// EnvelopeKeywords puts constraints on envelope.json beyond the types of
	// its four properties: additionalProperties false, min/maxProperties,
	// not, an extra (required) property, event maxLength, a timestamp
	// pattern, data minProperties.
	EnvelopeKeywords bool
	// OverlappingPatterns draws patterns whose pieces share characters
	// (^[a-z]+-?[a-z]{2}$), which a greedy matcher without backtracking
	// gets wrong. Off, the pieces of one pattern use disjoint classes.
	OverlappingPatterns bool
	// WideIntegers draws integers without bounds, or with bounds beyond
	// ±(2^53-1) up to and past the int64 range. Off, every integer has
	// minimum and maximum within ±(2^53-1).
	WideIntegers bool
	// Numbers draws "type": "number" (bounds and multipleOf with decimals),
	// and numeric keywords on schemas without a type.
	Numbers bool
	// ShadowNames draws property and definition names that meet names the
	// generated package declares: its API (Validate, EventType, Parse,
	// Event...) and its support code (time, integer, string, boolean...).
	ShadowNames bool
	// AwkwardNames draws property names a struct tag cannot carry: with ",
	// backtick, \, ' or ,.
	AwkwardNames bool
	// OtherDrafts writes "$schema" of an older draft on some event files.
	OtherDrafts bool
	// Compositions draws anyOf, oneOf, allOf and not (other than the open
	// enum idiom, always drawn).
	Compositions bool
	// ValueKeywords draws const and enum of every JSON type (numbers,
	// booleans, null, arrays, objects), and type unions.
	ValueKeywords bool
	// Maps draws objects with an additionalProperties schema.
	Maps bool
	// ArrayKeywords draws minItems, maxItems and uniqueItems.
	ArrayKeywords bool
	// ObjectKeywords draws minProperties, maxProperties and
	// additionalProperties false or true beside properties.
	ObjectKeywords bool
	// Formats draws the formats the generator implements.
	Formats bool
	// Refs draws $ref to definitions in defs.json and in the event file.
	Refs bool
	// Annotations writes description, title, $comment, deprecated,
	// readOnly, writeOnly, default and examples beside other keywords.
	Annotations bool
	// BooleanSchemas draws true and false as schemas.
	BooleanSchemas bool
	// PropertyCounts draws minProperties and maxProperties on objects
	// with properties (structs).
	PropertyCounts bool
	// NullableEnums draws nullable types with an enum, listing null or
	// not ({"type": ["string", "null"], "enum": ["a"]} does not accept null).
	NullableEnums bool
	// OptionalMinCounts draws minItems or minProperties above 0 on optional
	// properties (absent is valid, whatever the count says).
	OptionalMinCounts bool
	// EmptyObjects draws objects with "properties": {} (empty structs).
	EmptyObjects bool
	// EmptyEnums draws "enum": [], which accepts nothing (jsonschema/v5
	// accepts anything).
	EmptyEnums bool
}

// All returns every feature on.
func All() Features {
	return Features{
		EnvelopeKeywords:    true,
		OverlappingPatterns: true,
		WideIntegers:        true,
		Numbers:             true,
		ShadowNames:         true,
		AwkwardNames:        true,
		OtherDrafts:         true,
		Compositions:        true,
		ValueKeywords:       true,
		Maps:                true,
		ArrayKeywords:       true,
		ObjectKeywords:      true,
		Formats:             true,
		Refs:                true,
		Annotations:         true,
		BooleanSchemas:      true,
		PropertyCounts:      true,
		NullableEnums:       true,
		OptionalMinCounts:   true,
		EmptyObjects:        true,
		EmptyEnums:          true,
	}
}

// Exact returns the features the generator is exact on: every one. A
// switch is turned off here, naming the fix it waits on, when a
// disagreement is found whose fix is pending, so that the short mode of the
// random-schema differential still passes on the rest.
func Exact() Features { return All() }

// Flip turns the named switch the other way.
func (f *Features) Flip(name string) error {
	v := reflect.ValueOf(f).Elem()
	fv := v.FieldByName(name)
	if !fv.IsValid() || fv.Kind() != reflect.Bool {
		var names []string
		for i := 0; i < v.NumField(); i++ {
			names = append(names, v.Type().Field(i).Name)
		}
		return fmt.Errorf("randschema: no feature %q (features: %s)", name, strings.Join(names, ", "))
	}
	fv.SetBool(!fv.Bool())
	return nil
}

// Off lists the switches that are off.
func (f Features) Off() []string {
	v := reflect.ValueOf(f)
	var out []string
	for i := 0; i < v.NumField(); i++ {
		if !v.Field(i).Bool() {
			out = append(out, v.Type().Field(i).Name)
		}
	}
	return out
}
