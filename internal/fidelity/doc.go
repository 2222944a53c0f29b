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
    known type is rejected by the reference at /event (its enum), while
    Parse accepts it as *krosai.UnknownEvent. Such a payload is counted
    apart; Parse must report exactly the reference's pointers other than
    /event, and accept it when /event is all the reference reports. When
    both reject a well-formed payload, the sets of JSON pointers must be
    equal; malformed JSON must be a syntax error for both.
  - TestDecodedValuesMatchEncodingJSON compares, for payloads both accept,
    the decoded event with encoding/json's decoding of the same bytes
    (skipping payloads with repeated or case-variant keys, where
    encoding/json differs from JSON Schema), and checks that json.Marshal of
    the event parses back to an equal event.
  - TestParsePointersResolve checks every pointer Parse reports against the
    payload itself, which catches a wrong pointer both validators share.
  - TestRandomSchemas varies the schemas: it draws schema sets with
    package randschema, generates a package from each (in batches, one
    module and one binary per batch), and compares each generated Parse
    with the reference on payloads derived from its set: verdict, pointers,
    the json.Marshal round trip and (*Event).Validate. A set the generator
    refuses must be refused with an error naming the file and JSON pointer.
    KROSGEN_RANDOM_SETS and the other variables documented in random_test.go
    choose the long mode (make test-random); disagreements are shrunk to
    reproducers (testdata/random/*.txtar) that TestRandomRegressions replays.
    FuzzGenerateMutatedSet fuzzes the generator with mutated sets.
  - TestCorpus and TestHarnessHelpers check the harness itself.
  - FuzzParse (no panic, no hang, json.Marshal round trip) and
    FuzzParseMatchesSchema (the differential check) run on arbitrary bytes,
    seeded with the documented examples and a sample of the corpus.

Each disagreement has a class, such as "parse-hang" or
"pointer-sets-differ/schema-url-escapes-tokens"; the tests group their
reports by class, and TestMain prints one example of each after all tests.
To let fuzzing go past classes already known, set FIDELITY_SKIP to a
comma-separated list of classes: a listed class skips its subclasses too,
and a subclass joined with "+" ("a/x+y") is skipped when each part ("a/x",
"a/y") is listed. By default nothing is skipped.
*/
package fidelity
