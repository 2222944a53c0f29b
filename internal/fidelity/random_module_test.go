package fidelity

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// randomModule is the throwaway module a batch of generated packages is
// built in: one package per schema set (s0, s1, ...) and one runner. Building
// many packages into one binary makes thousands of sets affordable: the
// standard library is compiled once, and the go command compiles the
// packages in parallel.
const randomModule = "example.com/rnd"

// runnerCase is one payload for the runner: the index of the package
// (among those built) and the payload.
type runnerCase struct {
	Pkg  int    `json:"pkg"`
	Data []byte `json:"data"`
}

// runnerVerdict is what the runner prints for one case.
type runnerVerdict struct {
	Case       int             `json:"case"`
	Outcome    string          `json:"outcome"`
	Problems   []runnerProblem `json:"problems"`
	Text       string          `json:"text"`
	Type       string          `json:"type"`
	Data       string          `json:"data"`
	Unknown    bool            `json:"unknown"`
	RoundTrip  string          `json:"roundtrip"`
	Revalidate string          `json:"revalidate"`
}

type runnerProblem struct {
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

// writePackage writes one generated package into the module. Tests and
// the Markdown catalogue are left out: only Parse is run.
func writePackage(dir, pkg string, files map[string][]byte) error {
	pdir := filepath.Join(dir, pkg)
	if err := os.RemoveAll(pdir); err != nil {
		return err
	}
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return err
	}
	for name, src := range files {
		if strings.HasSuffix(name, "_test.go") || !strings.HasSuffix(name, ".go") {
			continue
		}
		if err := os.WriteFile(filepath.Join(pdir, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// goEnv is the environment of every go command run on the module: offline,
// outside any workspace, with the given build cache ("" for the default).
func goEnv(cache string) []string {
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	if cache != "" {
		env = append(env, "GOCACHE="+cache)
	}
	return env
}

var buildFailure = regexp.MustCompile(`(?m)^(?:\./)?([a-z]\d+)/([\w.]+\.go):(\d+):(?:\d+:)? (.*)$`)

// buildRunner builds the runner over pkgs. Packages that do not compile
// are left out and returned with the compiler's first errors; the runner
// is then built over the others.
func buildRunner(dir, cache string, pkgs []string) (bin string, built []string, failed map[string]string, err error) {
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+randomModule+"\n\ngo 1.24\n"), 0o644); err != nil {
		return "", nil, nil, err
	}
	failed = map[string]string{}
	built = append([]string(nil), pkgs...)
	bin = filepath.Join(dir, "runner")
	for attempt := 0; attempt < 4; attempt++ {
		if err := os.WriteFile(filepath.Join(dir, "main.go"), randomRunnerSource(randomModule, built), 0o644); err != nil {
			return "", nil, nil, err
		}
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir, cmd.Env = dir, goEnv(cache)
		out, berr := cmd.CombinedOutput()
		if berr == nil {
			return bin, built, failed, nil
		}
		bad := map[string][]string{}
		for _, m := range buildFailure.FindAllStringSubmatch(string(out), -1) {
			if len(bad[m[1]]) < 3 {
				bad[m[1]] = append(bad[m[1]], fmt.Sprintf("%s/%s:%s: %s", m[1], m[2], m[3], m[4]))
			}
		}
		if len(bad) == 0 {
			return "", nil, nil, fmt.Errorf("go build: %v\n%s", berr, shorten(string(out), 4000))
		}
		var keep []string
		for _, p := range built {
			if msgs, ok := bad[p]; ok {
				failed[p] = strings.Join(msgs, "\n")
			} else {
				keep = append(keep, p)
			}
		}
		built = keep
	}
	return "", nil, nil, fmt.Errorf("go build keeps failing")
}

// runRunner runs the runner over the cases. A case on which Parse hangs
// ends the runner; it is reported as hanging and the runner is started
// again after it.
func runRunner(dir, bin string, cases []runnerCase) ([]runnerVerdict, error) {
	var out []runnerVerdict
	for len(out) < len(cases) {
		var in bytes.Buffer
		enc := json.NewEncoder(&in)
		for _, c := range cases[len(out):] {
			if err := enc.Encode(c); err != nil {
				return nil, err
			}
		}
		file := filepath.Join(dir, "cases.jsonl")
		if err := os.WriteFile(file, in.Bytes(), 0o644); err != nil {
			return nil, err
		}
		cmd := exec.Command(bin, file)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		start := len(out)
		sc := bufio.NewScanner(bytes.NewReader(stdout))
		sc.Buffer(make([]byte, 1<<20), 1<<28)
		for sc.Scan() {
			var v runnerVerdict
			if jerr := json.Unmarshal(sc.Bytes(), &v); jerr != nil {
				return nil, fmt.Errorf("runner printed %q: %v", shorten(sc.Text(), 200), jerr)
			}
			v.Case += start
			out = append(out, v)
		}
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 && len(out) > start && out[len(out)-1].Outcome == "hang" {
				continue
			}
			return nil, fmt.Errorf("runner: %v\n%s", err, shorten(stderr.String(), 4000))
		}
		if len(out) == start {
			return nil, fmt.Errorf("runner printed nothing for %d cases", len(cases)-start)
		}
	}
	return out, nil
}

// cachePruner keeps a private build cache from growing without bound: it
// remembers the files the cache held once warm (the standard library) and
// deletes every other file after each batch.
type cachePruner struct {
	dir  string
	keep map[string]bool
}

func (c *cachePruner) remember() error {
	c.keep = map[string]bool{}
	return filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			c.keep[p] = true
		}
		return err
	})
}

func (c *cachePruner) prune() error {
	var drop []string
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !c.keep[p] && !strings.HasSuffix(p, ".txt") {
			drop = append(drop, p)
		}
		return err
	})
	sort.Strings(drop)
	for _, p := range drop {
		os.Remove(p)
	}
	return err
}
