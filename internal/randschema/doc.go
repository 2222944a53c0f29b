// Package randschema draws random schema sets laid out like schema/
// (envelope.json, defs.json, events/*.json) over what the generator claims
// to support: every type and union of types, nullable types, const and
// enum of every JSON type, open enums, the string, number, integer, array
// and object keywords, patterns built to exercise both the generated loops
// and the regexp fallback, formats, nested objects, maps and arrays, $ref
// within and between files, anyOf, oneOf, allOf and not, envelope
// variations, and property and definition names that are awkward or meet
// the names the generated package declares.
//
// A set's examples are valid instances, drawn from the schemas and checked
// by the reference validator (jsonschema/v5, as package schema loads it).
// Payloads derives from a set valid payloads and values at and across every
// bound it states; Reductions lists simpler sets, for shrinking a
// disagreement to a small reproducer. Features switches families of
// constructs on and off, so that a differential test can draw only what the
// generator is exact on while fixes are pending.
//
// Everything is deterministic for a given *rand.Rand.
package randschema
