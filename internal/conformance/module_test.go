package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// runnerMain is the program of the throwaway module: it reads a JSON file of
// cases and prints one JSON line per case with Parse's verdict. A panic in
// Parse is caught and reported as the case's verdict.
const runnerMain = `package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"example.com/conf/conf"
)

type testCase struct {
	Group       string ` + "`json:\"group\"`" + `
	Description string ` + "`json:\"description\"`" + `
	Payload     string ` + "`json:\"payload\"`" + `
	Valid       bool   ` + "`json:\"valid\"`" + `
}

type verdict struct {
	Case  int    ` + "`json:\"case\"`" + `
	OK    bool   ` + "`json:\"ok\"`" + `
	Err   string ` + "`json:\"err,omitempty\"`" + `
	Panic string ` + "`json:\"panic,omitempty\"`" + `
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var cases []testCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for i, c := range cases {
		v := verdict{Case: i}
		func() {
			defer func() {
				if p := recover(); p != nil {
					v.Panic = fmt.Sprint(p)
				}
			}()
			if _, err := conf.Parse([]byte(c.Payload)); err != nil {
				v.Err = err.Error()
			} else {
				v.OK = true
			}
		}()
		if err := enc.Encode(v); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
`

// runCase is one suite test as the runner reads it.
type runCase struct {
	Group       string `json:"group"`
	Description string `json:"description"`
	Payload     string `json:"payload"`
	Valid       bool   `json:"valid"`
}

// verdict is what the runner prints for one case.
type verdict struct {
	Case  int    `json:"case"`
	OK    bool   `json:"ok"`
	Err   string `json:"err,omitempty"`
	Panic string `json:"panic,omitempty"`
}

// payload is the webhook delivery carrying one test's data as the value.
func payload(event string, data json.RawMessage) string {
	return `{"event":"` + event + `","id":"evt_1","timestamp":"2025-01-10T12:00:00Z","data":{"value":` + string(data) + `}}`
}

// writeModule writes the generated package (as conf/) and the runner into
// dir, a module of its own that needs nothing but the standard library.
func writeModule(dir string, files map[string][]byte) error {
	write := func(name string, content []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, content, 0o644)
	}
	if err := write("go.mod", []byte("module example.com/conf\n\ngo 1.24\n")); err != nil {
		return err
	}
	if err := write("main.go", []byte(runnerMain)); err != nil {
		return err
	}
	for name, content := range files {
		if err := write("conf/"+name, content); err != nil {
			return err
		}
	}
	return nil
}

// goCommand runs the go command in dir, offline and outside any workspace.
func goCommand(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	return cmd
}

// buildRunner builds the module's runner; on failure it returns the
// compiler's output (every error: -gcflags=-e).
func buildRunner(dir string) (bin string, _ error) {
	bin = filepath.Join(dir, "runner")
	out, err := goCommand(dir, "build", "-gcflags=example.com/conf/...=-e", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// runCases runs the built runner over the cases.
func runCases(dir, bin string, cases []runCase) ([]verdict, error) {
	raw, err := json.Marshal(cases)
	if err != nil {
		return nil, err
	}
	casesFile := filepath.Join(dir, "cases.json")
	if err := os.WriteFile(casesFile, raw, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, casesFile)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("runner: %v\n%s", err, stderr.Bytes())
	}
	var vs []verdict
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var v verdict
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("runner printed %q: %v", sc.Text(), err)
		}
		if v.Case != len(vs) {
			return nil, fmt.Errorf("runner printed case %d, want %d", v.Case, len(vs))
		}
		vs = append(vs, v)
	}
	if len(vs) != len(cases) {
		return nil, fmt.Errorf("runner printed %d verdicts for %d cases", len(vs), len(cases))
	}
	return vs, nil
}

var (
	buildErrLine = regexp.MustCompile(`(?m)^(?:\./)?conf/([\w.]+\.go):(\d+):(?:\d+:)? (.*)$`)
	// Go identifiers made from "t.g<N>" (TG<N>...) and "g<N>_..." (G<N>...),
	// and the event type itself.
	groupIdent = regexp.MustCompile(`G(\d+)|t\.g(\d+)\b`)
)

// blameBuild attributes compile errors to groups: for each error, the
// identifiers of groups in the top-level declaration holding the line.
// It returns group numbers with the errors that named them.
func blameBuild(dir, out string) map[int][]string {
	blame := map[int][]string{}
	sources := map[string][]string{}
	for _, m := range buildErrLine.FindAllStringSubmatch(out, -1) {
		file, msg := m[1], m[3]
		line, _ := strconv.Atoi(m[2])
		lines, ok := sources[file]
		if !ok {
			raw, _ := os.ReadFile(filepath.Join(dir, "conf", file))
			lines = strings.Split(string(raw), "\n")
			sources[file] = lines
		}
		if line < 1 || line > len(lines) {
			continue
		}
		start := line - 1
		for start > 0 && !isTopLevel(lines[start]) {
			start--
		}
		end := line
		for end < len(lines) && !isTopLevel(lines[end]) {
			end++
		}
		seen := map[int]bool{}
		for _, id := range groupIdent.FindAllStringSubmatch(strings.Join(lines[start:end], "\n"), -1) {
			n, _ := strconv.Atoi(id[1] + id[2])
			if n > 0 && !seen[n] {
				seen[n] = true
				blame[n] = append(blame[n], fmt.Sprintf("conf/%s:%d: %s", file, line, msg))
			}
		}
	}
	return blame
}

func isTopLevel(line string) bool {
	for _, p := range []string{"func ", "type ", "var ", "const ", "import "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

func sortedInts(m map[int][]string) []int {
	var ns []int
	for n := range m {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	return ns
}
