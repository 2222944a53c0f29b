// Command table reads the output of the benchmarks of this module (go test
// -bench, repeated: -count N, or N runs one after another) on standard input
// and prints the tables of docs/PERFORMANCE.md and each performance target
// with its measured figure and whether it holds. It exits 1 when a target
// does not hold.
//
// Every ratio is a paired median: the i-th result of one benchmark is
// divided by the i-th result of the other (measured in the same round, so
// under the same load), and the median of those quotients is reported.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// sample is one benchmark result line.
type sample struct {
	ns, bytes, allocs, cpu, payload float64
}

// results holds every sample of every benchmark, in order, by name without
// the -GOMAXPROCS suffix.
type results map[string][]sample

var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: table < bench-output.txt")
	}
	flag.Parse()
	r, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(2)
	}
	if len(r) == 0 {
		fmt.Fprintln(os.Stderr, "table: no benchmark lines on standard input")
		os.Exit(2)
	}
	t := &targets{w: os.Stdout}
	decodeTable(os.Stdout, r, t)
	handlerTable(os.Stdout, r, t)
	generateTable(os.Stdout, r, t)
	fmt.Fprintln(os.Stdout, "Targets (paired medians):")
	for _, l := range t.lines {
		fmt.Fprintln(os.Stdout, l)
	}
	if t.failed {
		os.Exit(1)
	}
}

// read collects every sample of every benchmark.
func read(in io.Reader) (results, error) {
	r := results{}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var s sample
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = v
			case "B/op":
				s.bytes = v
			case "allocs/op":
				s.allocs = v
			case "cpu-ns/op":
				s.cpu = v
			case "B/payload":
				s.payload = v
			}
		}
		r[m[1]] = append(r[m[1]], s)
	}
	return r, sc.Err()
}

func ns(s sample) float64 { return s.ns }

// op is the time of one operation: the CPU time of the process when the
// benchmark reports it (cpu-ns/op), else the wall time. On a shared machine
// wall time is mostly time spent waiting for a core, in amounts that vary
// from one benchmark to the next even within a round.
func op(s sample) float64 {
	if s.cpu > 0 {
		return s.cpu
	}
	return s.ns
}
func bytes(s sample) float64  { return s.bytes }
func allocs(s sample) float64 { return s.allocs }
func cpu(s sample) float64    { return s.cpu }
func size(s sample) float64   { return s.payload }

// median of one metric over a benchmark's samples; NaN when there are none.
func (r results) median(name string, metric func(sample) float64) float64 {
	ss := r[name]
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = metric(s)
	}
	return median(v)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// ratio is the paired median of num's time (see op) over the fastest of
// dens' times, round by round; NaN when a benchmark is missing.
func (r results) ratio(num string, dens ...string) float64 {
	n := len(r[num])
	for _, d := range dens {
		n = min(n, len(r[d]))
	}
	if n == 0 {
		return math.NaN()
	}
	q := make([]float64, n)
	for i := range q {
		best := math.Inf(1)
		for _, d := range dens {
			best = min(best, op(r[d][i]))
		}
		q[i] = op(r[num][i]) / best
	}
	return median(q)
}

// wallRatio is ratio on wall time alone.
func (r results) wallRatio(num, den string) float64 {
	wall := results{}
	for _, name := range []string{num, den} {
		for _, s := range r[name] {
			wall[name] = append(wall[name], sample{ns: s.ns})
		}
	}
	return wall.ratio(num, den)
}

// rounds is the number of samples of a benchmark.
func (r results) rounds(name string) int { return len(r[name]) }

// targets collects the target lines.
type targets struct {
	w      io.Writer
	lines  []string
	failed bool
}

// check records one target; a NaN figure (not measured) fails.
func (t *targets) check(holds bool, format string, args ...any) {
	mark := "ok  "
	if !holds {
		mark, t.failed = "FAIL", true
	}
	t.lines = append(t.lines, fmt.Sprintf("  %s %s", mark, fmt.Sprintf(format, args...)))
}

// info records a figure without a target.
func (t *targets) info(format string, args ...any) {
	t.lines = append(t.lines, "  info "+fmt.Sprintf(format, args...))
}

// fastPeers are the peers the decoding targets name.
var fastPeers = []string{"sonic", "goccy", "easyjson", "json-v2"}

// large names the large call.completed.
const large = "call.completed-large"

func dec(event, impl string) string { return "Decode/event=" + event + "/impl=" + impl }

func decodeTable(w io.Writer, r results, t *targets) {
	var events []string
	for name := range r {
		if ev, ok := strings.CutSuffix(strings.TrimPrefix(name, "Decode/event="), "/impl=Parse"); ok && strings.HasPrefix(name, "Decode/") {
			events = append(events, ev)
		}
	}
	if len(events) == 0 {
		t.check(false, "decoding: no Decode benchmarks in the input")
		return
	}
	sort.Slice(events, func(i, j int) bool {
		if (events[i] == large) != (events[j] == large) {
			return events[j] == large
		}
		return events[i] < events[j]
	})
	fmt.Fprintf(w, "Decoding one payload (medians of %d rounds; ratios are paired medians)\n\n", r.rounds(dec(events[0], "Parse")))
	fmt.Fprintln(w, "Times are CPU ns/op (the process's user + system time per operation).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| event | bytes | Parse | B/op | allocs | encoding/json | json/v2 | sonic | goccy | easyjson | Parse ÷ fastest | json.Unmarshal into Event ÷ Parse | invalid ÷ valid | all broken ÷ valid | jsonschema/v5 ÷ Parse | sonic.Valid ÷ Parse | copy ÷ Parse |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	fast := func(ev string) []string {
		var out []string
		for _, p := range fastPeers {
			out = append(out, dec(ev, p))
		}
		return out
	}
	worstOther, worstInvalid, worstAll := 0.0, 0.0, 0.0
	var worstOtherEv, worstInvalidEv, worstAllEv string
	minTrap, maxTrap := math.Inf(1), 0.0
	for _, ev := range events {
		p := dec(ev, "Parse")
		vsFastest := r.ratio(p, fast(ev)...)
		trap := r.ratio(dec(ev, "Unmarshal-Event"), p)
		inv := r.ratio(dec(ev, "Parse-invalid"), p)
		all := r.ratio(dec(ev, "Parse-invalid-all"), p)
		alloc, n := r.median(p, bytes), r.median(p, size)
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f |\n",
			ev, n, r.median(p, op), alloc, r.median(p, allocs),
			r.median(dec(ev, "encoding-json"), op), r.median(dec(ev, "json-v2"), op), r.median(dec(ev, "sonic"), op),
			r.median(dec(ev, "goccy"), op), r.median(dec(ev, "easyjson"), op),
			vsFastest, trap, inv, all, r.ratio(dec(ev, "jsonschema-v5"), p),
			r.ratio(dec(ev, "floor-sonic-Valid"), p), r.ratio(dec(ev, "floor-copy"), p))
		minTrap, maxTrap = min(minTrap, trap), max(maxTrap, trap)
		if inv > worstInvalid || math.IsNaN(inv) {
			worstInvalid, worstInvalidEv = inv, ev
		}
		if all > worstAll || math.IsNaN(all) {
			worstAll, worstAllEv = all, ev
		}
		switch ev {
		case "call.completed":
			t.check(vsFastest <= 0.8, "call.completed: Parse takes %.2f× the time of the fastest of sonic, goccy, easyjson and json/v2 (target ≤ 0.8)", vsFastest)
			a := r.median(p, allocs)
			t.check(a <= 5, "call.completed: Parse makes %.0f allocations (target ≤ 5)", a)
			t.info("call.completed: floors: sonic.Valid %.2f×, copying the payload into a string %.2f× the time of Parse",
				r.ratio(dec(ev, "floor-sonic-Valid"), p), r.ratio(dec(ev, "floor-copy"), p))
		case large:
			t.check(vsFastest <= 1.0, "large call.completed: Parse takes %.2f× the time of the fastest peer (target ≤ 1.0)", vsFastest)
			perByte := alloc / n
			t.check(perByte <= 1.3, "large call.completed: Parse allocates %.2f× the payload size (%.0f B for %.0f B; target ≤ 1.3)", perByte, alloc, n)
		default:
			if vsFastest > worstOther || math.IsNaN(vsFastest) {
				worstOther, worstOtherEv = vsFastest, ev
			}
		}
	}
	if r.rounds(dec(large, "Parse")) == 0 {
		t.check(false, "large call.completed: not measured")
	}
	if worstOtherEv == "" {
		t.check(false, "every other documented example: not measured")
	}
	t.check(worstOther <= 0.9, "every other documented example: Parse at most %.2f× the fastest peer (%s; target ≤ 0.9)", worstOther, worstOtherEv)
	t.check(worstInvalid <= 1.5, "one problem: at most %.2f× a valid payload (%s; target ≤ 1.5)", worstInvalid, worstInvalidEv)
	t.check(worstAll <= 2, "every field broken: at most %.2f× a valid payload (%s; target ≤ 2)", worstAll, worstAllEv)
	t.info("the trap: json.Unmarshal into an Event takes %.2f–%.2f× the time of Parse", minTrap, maxTrap)
	fmt.Fprintln(w)
}

func handlerTable(w io.Writer, r results, t *targets) {
	payloads := []string{"call.completed", large}
	name := func(p, impl string) string { return "Handler/payload=" + p + "/impl=" + impl }
	if r.rounds(name(payloads[0], "krosgen")) == 0 {
		t.check(false, "handler: no Handler benchmarks in the input")
		return
	}
	fmt.Fprintf(w, "Receiving one webhook in process (medians of %d rounds)\n\n", r.rounds(name(payloads[0], "krosgen")))
	fmt.Fprintln(w, "| payload | krosgen CPU ns/op | wall ns/op | B/op | allocs | hand-written CPU ns/op | wall ns/op | B/op | allocs | throughput ratio |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, p := range payloads {
		k, h := name(p, "krosgen"), name(p, "hand-written")
		tp := r.ratio(h, k)
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f× |\n", p,
			r.median(k, op), r.median(k, ns), r.median(k, bytes), r.median(k, allocs),
			r.median(h, op), r.median(h, ns), r.median(h, bytes), r.median(h, allocs), tp)
		t.check(tp >= 3, "handler with verification, %s: %.2f× the throughput of the hand-written handler (target ≥ 3)", p, tp)
	}
	fmt.Fprintln(w)
}

func generateTable(w io.Writer, r results, t *targets) {
	name := func(set, tool string) string { return "Generate/events=" + set + "/tool=" + tool }
	sets := []string{"18", "200", "2000", "200-call.completed", "2000-call.completed"}
	if r.rounds(name("18", "krosgen")) == 0 {
		t.check(false, "generator: no Generate benchmarks in the input")
		return
	}
	fmt.Fprintf(w, "Generating, whole process (medians of %d rounds)\n\n", r.rounds(name("18", "krosgen")))
	fmt.Fprintln(w, "| events | krosgen wall | krosgen CPU | go-jsonschema wall | go-jsonschema CPU |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for _, s := range sets {
		k, g := name(s, "krosgen"), name(s, "go-jsonschema")
		gw, gc := "—", "—"
		if r.rounds(g) > 0 {
			gw, gc = seconds(r.median(g, ns)), seconds(r.median(g, cpu))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", s, seconds(r.median(k, ns)), seconds(r.median(k, cpu)), gw, gc)
	}
	fmt.Fprintln(w)
	vs := r.ratio(name("18", "krosgen"), name("18", "go-jsonschema"))
	t.check(vs <= 1, "generate 18 events: krosgen takes %.2f× the CPU time of go-jsonschema (target ≤ 1; wall %.2f×)", vs,
		r.wallRatio(name("18", "krosgen"), name("18", "go-jsonschema")))
	wall, c := r.median(name("2000-call.completed", "krosgen"), ns)/1e9, r.median(name("2000-call.completed", "krosgen"), cpu)/1e9
	t.check(wall < 2, "generate 2,000 call.completed-sized events: %.2f s wall, %.2f s CPU (target < 2 s)", wall, c)
	for _, kind := range []string{"", "-call.completed"} {
		g := r.ratio(name("2000"+kind, "krosgen"), name("200"+kind, "krosgen"))
		label := "mixed"
		if kind != "" {
			label = "call.completed-sized"
		}
		t.check(g <= 11, "generate, growth from 200 to 2,000 %s events: %.1f× in CPU time (target ≤ 11; wall %.1f×)", label, g,
			r.wallRatio(name("2000"+kind, "krosgen"), name("200"+kind, "krosgen")))
	}
}

func seconds(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v < 1e9:
		return fmt.Sprintf("%.0f ms", v/1e6)
	}
	return fmt.Sprintf("%.2f s", v/1e9)
}
