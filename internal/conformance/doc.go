// Package conformance measures how faithfully krosgen's generated Parse
// follows JSON Schema, against the official JSON-Schema-Test-Suite
// (draft 2020-12, a subset kept under testdata/).
//
// Each test group of the suite (one schema and the instances it should accept
// or reject) becomes one event schema, "t.g<N>", whose data is
// {"value": <the group's schema>}. The generator either refuses the group,
// with an error naming the file and JSON pointer it cannot represent, or
// generates code that must then agree with every test of the group. Refusal
// is honest; a wrong verdict is a bug. Run
//
//	go test ./internal/conformance -v -conformance.refusals
//
// to see the table of results per keyword and every refused group.
package conformance
