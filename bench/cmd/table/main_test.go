package main

import (
	"io"
	"math"
	"strings"
	"testing"
)

const twoRounds = `goos: linux
BenchmarkDecode/event=call.completed/impl=Parse-2     1000  100 ns/op  64 B/op  3 allocs/op  579 B/payload
BenchmarkDecode/event=call.completed/impl=sonic-2     1000  400 ns/op
BenchmarkDecode/event=call.completed/impl=goccy-2     1000  200 ns/op
BenchmarkDecode/event=call.completed/impl=Parse-2     1000  900 ns/op  64 B/op  3 allocs/op  579 B/payload
BenchmarkDecode/event=call.completed/impl=sonic-2     1000  1000 ns/op
BenchmarkDecode/event=call.completed/impl=goccy-2     1000  3000 ns/op
BenchmarkGenerate/events=18/tool=krosgen-2  1  50000000 ns/op  40000000 cpu-ns/op
`

func TestRead_ParsesEveryMetric(t *testing.T) {
	r, err := read(strings.NewReader(twoRounds))
	if err != nil {
		t.Fatal(err)
	}
	p := r["Decode/event=call.completed/impl=Parse"]
	if len(p) != 2 || p[0] != (sample{ns: 100, bytes: 64, allocs: 3, payload: 579}) {
		t.Fatalf("Parse samples: %+v", p)
	}
	if g := r["Generate/events=18/tool=krosgen"]; len(g) != 1 || g[0].cpu != 4e7 {
		t.Fatalf("Generate samples: %+v", g)
	}
}

// The ratio pairs the i-th samples, so that a slow round (load on the
// machine) slows both sides of a quotient, and takes the fastest
// denominator of each round.
func TestRatio_IsThePairedMedianOverTheFastest(t *testing.T) {
	r, _ := read(strings.NewReader(twoRounds))
	// round 1: 100 / min(400, 200) = 0.5; round 2: 900 / min(1000, 3000) = 0.9.
	got := r.ratio("Decode/event=call.completed/impl=Parse", "Decode/event=call.completed/impl=sonic", "Decode/event=call.completed/impl=goccy")
	if math.Abs(got-0.7) > 1e-9 {
		t.Fatalf("ratio = %v, want 0.7", got)
	}
	if !math.IsNaN(r.ratio("Decode/event=call.completed/impl=Parse", "Decode/event=missing/impl=Parse")) {
		t.Fatal("a ratio over a missing benchmark is not NaN")
	}
}

func TestTargets_MissingBenchmarksFail(t *testing.T) {
	r, _ := read(strings.NewReader(twoRounds))
	tg := &targets{}
	handlerTable(io.Discard, r, tg)
	if !tg.failed {
		t.Fatal("no Handler benchmarks, yet every target holds")
	}
	tg = &targets{}
	decodeTable(io.Discard, r, tg)
	if !tg.failed {
		t.Fatal("the large payload and the other examples are missing, yet every target holds")
	}
}
