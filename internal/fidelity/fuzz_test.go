package fidelity

import (
	"bytes"
	"os"
	"testing"
)

// seedSample is about how many corpus payloads seed each fuzz target, on
// top of every documented example.
const seedSample = 300

func addSeeds(f *testing.F) {
	set, payloads := loadCorpus(f)
	for _, ev := range set.Events {
		for _, ex := range ev.Examples {
			f.Add([]byte(ex))
		}
	}
	stride := max(1, len(payloads)/seedSample)
	for i := 0; i < len(payloads); i += stride {
		f.Add(payloads[i].Data)
	}
}

// fail reports a finding, unless its class is listed in FIDELITY_SKIP
// outside CI (CI=true fails on every finding).
func fail(t *testing.T, f *finding, data []byte, verdicts string) {
	t.Helper()
	if skipped(f.class) && os.Getenv("CI") != "true" {
		t.Skipf("[%s] skipped (FIDELITY_SKIP)", f.class)
	}
	t.Fatalf("[%s] %s\npayload: %s\n%s", f.class, f.detail, showPayload(data), verdicts)
}

// FuzzParse checks that Parse never panics or hangs, and that an event it
// accepts survives json.Marshal and Parse unchanged (times compared with
// Equal and their UTC offset, raw JSON compared as JSON values).
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		data = bytes.Clone(data) // a hung Parse may outlive this call
		v := parseVerdict(data, parseTimeout)
		var fd *finding
		switch v.outcome {
		case hung:
			fd = newFinding("parse-hang", "krosai.Parse never returns")
		case panicked:
			fd = newFinding("parse-panic/"+slug(panicFunc(v.text)), panicSite(v.text))
		case otherErr:
			fd = newFinding("parse-unexpected-error", v.text)
		case accepted:
			fd = roundTrip(v.ev)
		}
		if fd != nil {
			fail(t, fd, data, "  Parse: "+v.String())
		}
	})
}

// FuzzParseMatchesSchema is TestParseMatchesSchema on arbitrary bytes: the
// same verdict as the reference validator, the same JSON pointers, and the
// unknown-event exception only.
func FuzzParseMatchesSchema(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		data = bytes.Clone(data)
		r := check(Payload{Kind: "fuzz", Data: data})
		if r.finding != nil {
			fail(t, r.finding, data, bothVerdicts(r))
		}
	})
}
