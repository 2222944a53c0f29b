// Package bench measures krosgen's generated package against the decoders a
// Go team would otherwise pick: encoding/json, json/v2
// (github.com/go-json-experiment/json), sonic, goccy/go-json and easyjson, on
// every documented example and a large call.completed; the trap of
// json.Unmarshal into an Event; the floors (a validate-only SIMD scan, a copy
// of the payload); the webhook handler against a hand-written one; and the
// generator, as whole processes, against go-jsonschema. It is a module of
// its own so that the main module does not require the peers. make bench
// runs it and prints the table and the targets (see cmd/table).
package bench

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/bytedance/sonic"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/schema"
)

// sink keeps the compiler from dropping a result the benchmark computes.
var sink any

// sinkString keeps a string without boxing it.
var sinkString string

// BenchmarkDecode measures, for each payload, every way from bytes to a
// value, as sub-benchmarks event=NAME/impl=IMPL, so that
// benchstat -col /impl compares them:
//
//   - Parse: krosai.Parse, which decodes and validates;
//   - Parse-invalid: Parse of the payload with one problem (the id lost its
//     "evt_" prefix), Parse-invalid-all with the envelope and every data
//     field broken;
//   - Unmarshal-Event: json.Unmarshal into a krosai.Event, the trap: it
//     calls Parse after encoding/json has scanned the payload itself;
//   - the peers, decoding into the same structs without validating;
//   - jsonschema-v5: the reference validator on the same bytes;
//   - floor-sonic-Valid, floor-copy: a SIMD scan that only checks the JSON
//     is well formed, and the copy of the payload into a string that Parse
//     makes; no decoder that builds the value can beat them.
func BenchmarkDecode(b *testing.B) {
	set, err := schema.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range payloads(b) {
		pe, ok := peerEvents[p.event]
		if !ok {
			b.Fatalf("%s: no peer decoders; run make bench-peers", p.name)
		}
		run := func(impl string, body []byte, fn func([]byte) error) {
			b.Run("event="+p.name+"/impl="+impl, func(b *testing.B) {
				if err := fn(body); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				start := cpuTime()
				for b.Loop() {
					_ = fn(body)
				}
				reportCPU(b, start)
				b.ReportMetric(float64(len(body)), "B/payload")
			})
		}
		run("Parse", p.body, func(body []byte) error {
			ev, err := krosai.Parse(body)
			sink = ev
			return err
		})
		one, all := oneProblem(b, p.body), everyFieldBroken(b, p.body)
		run("Parse-invalid", one, wantProblems(1, 1))
		run("Parse-invalid-all", all, wantProblems(2, 1<<30))
		run("Unmarshal-Event", p.body, func(body []byte) error {
			var ev krosai.Event
			err := json.Unmarshal(body, &ev)
			sink = ev.Data
			return err
		})
		for _, peer := range peers {
			decode := peer.of(pe)
			run(peer.name, p.body, func(body []byte) error {
				v, err := decode(body)
				sink = v
				return err
			})
		}
		run("jsonschema-v5", p.body, set.Validate)
		run("floor-sonic-Valid", p.body, func(body []byte) error {
			if !sonic.Valid(body) {
				return errors.New("sonic.Valid: not JSON")
			}
			return nil
		})
		run("floor-copy", p.body, func(body []byte) error {
			sinkString = string(body)
			return nil
		})
	}
}

// reportCPU reports the process's CPU time per iteration since start as
// cpu-ns/op, the figure the table's ratios are computed from when present.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; start > 0 && b.N > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// wantProblems returns a benchmark body that parses an invalid payload and
// fails unless Parse reports from min to max problems.
func wantProblems(min, max int) func([]byte) error {
	return func(body []byte) error {
		_, err := krosai.Parse(body)
		var ve *krosai.ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) < min || len(ve.Problems) > max {
			return errors.New("want the problems reported, got " + errString(err))
		}
		return nil
	}
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// oneProblem breaks one field of a payload, the usual way a payload is
// invalid: the id loses its "evt_" prefix.
func oneProblem(tb testing.TB, payload []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(payload, &doc); err != nil {
		tb.Fatal(err)
	}
	doc["id"] = "ev_" + doc["id"].(string)
	out, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// everyFieldBroken breaks the envelope and every field of the data, so that
// Parse has as many problems to report as it can find.
func everyFieldBroken(tb testing.TB, payload []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(payload, &doc); err != nil {
		tb.Fatal(err)
	}
	doc["id"] = "bad id"
	doc["timestamp"] = "2025-13-45T99:00:00Z"
	data := doc["data"].(map[string]any)
	for k, v := range data {
		switch v.(type) {
		case string:
			data[k] = 17
		case float64:
			data[k] = -1.5
		default:
			data[k] = "x"
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
