// Command table reads the output of the krosgen benchmarks (go test -bench,
// -count N) on standard input and prints the medians, the ratios the
// performance targets are stated in, and whether each target holds. It exits
// 1 when one does not.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// sample is one benchmark result line.
type sample struct {
	ns, mbs, bytes, allocs float64
}

var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	runs, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(2)
	}
	if len(runs) == 0 {
		fmt.Fprintln(os.Stderr, "table: no benchmark lines on standard input")
		os.Exit(2)
	}
	ok := decodeTable(os.Stdout, runs)
	ok = generateTable(os.Stdout, runs) && ok
	if !ok {
		os.Exit(1)
	}
}

// read collects every sample of every benchmark.
func read(r io.Reader) (map[string][]sample, error) {
	runs := map[string][]sample{}
	sc := bufio.NewScanner(r)
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
			case "MB/s":
				s.mbs = v
			case "B/op":
				s.bytes = v
			case "allocs/op":
				s.allocs = v
			}
		}
		runs[m[1]] = append(runs[m[1]], s)
	}
	return runs, sc.Err()
}

// median of one metric over a benchmark's samples.
func median(ss []sample, metric func(sample) float64) float64 {
	if len(ss) == 0 {
		return 0
	}
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = metric(s)
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func ns(s sample) float64     { return s.ns }
func mbs(s sample) float64    { return s.mbs }
func bytes(s sample) float64  { return s.bytes }
func allocs(s sample) float64 { return s.allocs }

// check prints one target and reports whether it holds.
func check(w io.Writer, holds bool, format string, args ...any) bool {
	mark := "ok  "
	if !holds {
		mark = "FAIL"
	}
	fmt.Fprintf(w, "  %s %s\n", mark, fmt.Sprintf(format, args...))
	return holds
}

func decodeTable(w io.Writer, runs map[string][]sample) bool {
	var events []string
	for name := range runs {
		if ev, ok := strings.CutSuffix(strings.TrimPrefix(name, "Decode/"), "/Parse"); ok && strings.HasPrefix(name, "Decode/") {
			events = append(events, ev)
		}
	}
	if len(events) == 0 {
		return true
	}
	sort.Strings(events)
	fmt.Fprintf(w, "Decoding one documented payload (medians of %d runs)\n\n", len(runs["Decode/"+events[0]+"/Parse"]))
	fmt.Fprintln(w, "| event | Parse ns/op | MB/s | B/op | allocs | encoding/json ns/op | allocs | jsonschema/v5 ns/op | allocs | Parse ÷ encoding/json | jsonschema ÷ Parse | invalid ÷ valid |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	ok := true
	var targets []string
	worstOther, worstSpeedup, worstInvalid := 0.0, 1e9, 0.0
	var worstOtherEv, worstSpeedupEv, worstInvalidEv string
	for _, ev := range events {
		p, j, v := runs["Decode/"+ev+"/Parse"], runs["Decode/"+ev+"/encoding-json"], runs["Decode/"+ev+"/jsonschema"]
		inv := runs["Decode/"+ev+"/Parse-invalid"]
		ratio := median(p, ns) / median(j, ns)
		speedup := median(v, ns) / median(p, ns)
		invRatio := median(inv, ns) / median(p, ns)
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f× | %.2f |\n",
			ev, median(p, ns), median(p, mbs), median(p, bytes), median(p, allocs),
			median(j, ns), median(j, allocs), median(v, ns), median(v, allocs), ratio, speedup, invRatio)
		if ev == "call.completed" {
			targets = append(targets, fmt.Sprintf("%v|Parse of call.completed takes %.2f× the time of encoding/json (target ≤ 0.35)", ratio <= 0.35, ratio))
			targets = append(targets, fmt.Sprintf("%v|Parse of call.completed makes %.0f allocations (target ≤ 8; encoding/json %.0f)", median(p, allocs) <= 8, median(p, allocs), median(j, allocs)))
		} else if ratio > worstOther {
			worstOther, worstOtherEv = ratio, ev
		}
		if speedup < worstSpeedup {
			worstSpeedup, worstSpeedupEv = speedup, ev
		}
		if invRatio > worstInvalid {
			worstInvalid, worstInvalidEv = invRatio, ev
		}
	}
	targets = append(targets,
		fmt.Sprintf("%v|every other example: at most %.2f× encoding/json (%s; target ≤ 0.5)", worstOther <= 0.5, worstOther, worstOtherEv),
		fmt.Sprintf("%v|Parse is at least %.1f× faster than jsonschema/v5 (%s; target ≥ 15)", worstSpeedup >= 15, worstSpeedup, worstSpeedupEv),
		fmt.Sprintf("%v|an invalid payload costs at most %.2f× a valid one (%s; target ≤ 2)", worstInvalid <= 2, worstInvalid, worstInvalidEv))
	fmt.Fprintln(w, "\nTargets:")
	for _, t := range targets {
		holds, text, _ := strings.Cut(t, "|")
		ok = check(w, holds == "true", "%s", text) && ok
	}
	if all := runs["Decode/call.completed/Parse-invalid-all"]; len(all) > 0 {
		fmt.Fprintf(w, "  info call.completed with the envelope and every data field broken (every problem reported): %.0f ns/op, %.2f× a valid one\n",
			median(all, ns), median(all, ns)/median(runs["Decode/call.completed/Parse"], ns))
	}
	fmt.Fprintln(w)
	return ok
}

func generateTable(w io.Writer, runs map[string][]sample) bool {
	names := map[string]string{"18": "Generate/events=18(documented)", "200": "Generate/events=200", "2000": "Generate/events=2000"}
	if len(runs[names["18"]]) == 0 {
		return true
	}
	fmt.Fprintln(w, "Generating the package in process (medians)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| events | time | allocated | allocations |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|")
	for _, n := range []string{"18", "200", "2000"} {
		r := runs[names[n]]
		fmt.Fprintf(w, "| %s | %.1f ms | %.1f MB | %.0f |\n", n, median(r, ns)/1e6, median(r, bytes)/1e6, median(r, allocs))
	}
	t18, t200, t2000 := median(runs[names["18"]], ns)/1e6, median(runs[names["200"]], ns)/1e6, median(runs[names["2000"]], ns)/1e6
	fmt.Fprintln(w, "\nTargets:")
	ok := check(w, t18 < 100, "18 events in %.1f ms (target < 100 ms)", t18)
	ok = check(w, t200 < 300, "200 events in %.1f ms (target < 300 ms)", t200) && ok
	ok = check(w, t2000 < 3000, "2,000 events in %.0f ms (target < 3 s)", t2000) && ok
	ok = check(w, t2000/t200 <= 12, "growth from 200 to 2,000 events: %.1f× (target ≤ 12)", t2000/t200) && ok
	return ok
}
