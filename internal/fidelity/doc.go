/*
Package fidelity is a differential test harness for the generated KrosAI
bindings: it checks that krosai.Parse (gen/krosai) and the reference
validator schema.Validate (schema, jsonschema/v5 with formats asserted)
reach the same verdict on the same bytes, report problems at the same JSON
pointers, and that what Parse decodes is what encoding/json decodes.

The only non-test code is the corpus generator, Corpus, which derives
payloads from the documented examples of every event schema by mutating
them one property at a time at every depth, and by structural changes that
json.Marshal cannot express: duplicate keys, key order, invalid UTF-8, lone
surrogate escapes, trailing data, truncation and unusual white space.

The tests:

  - TestParseMatchesSchema runs every corpus payload through both
    validators. Parse accepts a payload iff schema.Validate accepts it, with
    one documented exception: an event type that is a string but not a
    known type is rejected by the reference at /event (enum) only, while
    Parse accepts it as *krosai.UnknownEvent. When both reject a
    well-formed payload, the sets of JSON pointers must be equal; malformed
    JSON must be a syntax error for both.
  - TestDecodedValuesMatchEncodingJSON compares, for payloads both accept,
    the decoded event with encoding/json's decoding of the same bytes, and
    checks that json.Marshal of the event parses back to an equal event.
  - FuzzParse and FuzzParseMatchesSchema are the same checks on arbitrary
    bytes, seeded with the documented examples and a sample of the corpus.

Set FIDELITY_SKIP to a comma-separated list of disagreement classes (as
printed by the tests, such as "parse-hang") to let fuzzing go past classes
already known; by default nothing is skipped.
*/
package fidelity
