package fidelity

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestMain prints a summary of the differential results after every test
// has run, so that the end of a verbose run (after the fuzz seeds) says
// what was found.
func TestMain(m *testing.M) {
	code := m.Run()
	if s := summary(); s != "" {
		fmt.Print(s)
	}
	os.Exit(code)
}

// summary renders one line per disagreement class, with one example each;
// "" when the differential test did not run.
func summary() string {
	if shared.results == nil {
		return ""
	}
	var nAccepted, nRejected, nMalformed, nUnknown int
	var findings []result
	for _, r := range shared.results {
		switch {
		case r.finding != nil:
			findings = append(findings, r)
		case r.unknownAccepted:
			nUnknown++
		case r.parse.outcome == accepted:
			nAccepted++
		case r.parse.outcome == malformed:
			nMalformed++
		default:
			nRejected++
		}
	}
	findings = append(append(findings, shared.valueFindings...), shared.pointerFindings...)
	var b strings.Builder
	fmt.Fprintf(&b, "\nfidelity summary: %d payloads checked in %v: %d accepted by both, %d rejected by both, %d malformed for both, %d unknown event types (Parse accepts, schema rejects only at /event)\n",
		len(shared.results), shared.elapsed.Round(1e6), nAccepted, nRejected, nMalformed, nUnknown)
	if len(findings) == 0 {
		b.WriteString("fidelity summary: no disagreements\n")
		return b.String()
	}
	byClass := map[string][]result{}
	for _, r := range findings {
		byClass[r.finding.class] = append(byClass[r.finding.class], r)
	}
	var classes []string
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	fmt.Fprintf(&b, "fidelity summary: %d disagreements in %d classes (one example each):\n", len(findings), len(classes))
	for _, c := range classes {
		r := byClass[c][0]
		fmt.Fprintf(&b, "  %s ×%d: %s\n    payload %s: %s\n    Parse:  %s\n", c, len(byClass[c]), shorten(r.finding.detail, 160),
			r.payload, showPayloadShort(r.payload.Data), shorten(firstLine(r.parse.String()), 160))
		if r.payload.Kind != "" && r.ref.text != "" {
			fmt.Fprintf(&b, "    schema: %s\n", shorten(firstLine(r.ref.String()), 160))
		}
	}
	return b.String()
}

func showPayloadShort(b []byte) string {
	const max = 160
	if len(b) > max {
		return fmt.Sprintf("%q... (%d bytes)", b[:max], len(b))
	}
	return fmt.Sprintf("%q", b)
}
