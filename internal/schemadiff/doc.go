// Package schemadiff tells what a change of the KrosAI event schemas does to
// a consumer of the generated bindings, on three axes:
//
//   - forward: will bindings generated from OLD reject a payload that a
//     producer following NEW sends? (some payload valid under NEW is invalid
//     under OLD)
//   - backward: after regenerating from NEW, will retries and replays of
//     OLD-shaped events be rejected? (some payload valid under OLD is invalid
//     under NEW)
//   - source: will Go code written against OLD's generated package still
//     compile against NEW's?
//
// The schemas are compared structurally, after resolving every $ref (so a
// renamed or inlined definition changes nothing on forward and backward),
// and each forward or backward change is then proven with a witness: a
// complete payload, built by mutating the schemas' examples at the change's
// pointer, that one side's reference validator accepts and the other's
// rejects. A change no witness is found for is reported as undecided. The
// source axis compares the exported identifiers, and their types, of the Go
// each side generates.
package schemadiff
