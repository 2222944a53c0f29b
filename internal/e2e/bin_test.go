package e2e

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// build compiles a command of this module into dir and returns its path.
func build(t *testing.T, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

var (
	krosgenOnce sync.Once
	krosgenBin  string
	krosgenErr  error
)

// krosgen builds the CLI once per test binary.
func krosgen(t *testing.T) string {
	t.Helper()
	krosgenOnce.Do(func() {
		dir, err := os.MkdirTemp("", "krosgen-e2e-")
		if err != nil {
			krosgenErr = err
			return
		}
		krosgenBin = filepath.Join(dir, "krosgen")
		cmd := exec.Command("go", "build", "-o", krosgenBin, "./cmd/krosgen")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			krosgenErr = errors.New(string(out))
		}
	})
	if krosgenErr != nil {
		t.Fatalf("go build ./cmd/krosgen: %v", krosgenErr)
	}
	return krosgenBin
}

// result is what a run of a command gave.
type result struct {
	code           int
	stdout, stderr string
}

// runBin runs bin with args in dir (the test's directory when "").
func runBin(t *testing.T, dir, stdin, bin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "KROSAI_WEBHOOK_SECRET=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	return result{code, out.String(), errb.String()}
}

// receiver starts the example receiver on a free loopback port, with the
// given secret ("" for none), and returns its webhook URL.
func receiver(t *testing.T, secret string) string {
	t.Helper()
	bin := build(t, "./examples/receiver")
	args := []string{"-addr", "127.0.0.1:0"}
	if secret != "" {
		args = append(args, "-secret", secret)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "KROSAI_WEBHOOK_SECRET=")
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	urlRE := regexp.MustCompile(`url=(http://127\.0\.0\.1:[0-9]+/webhooks)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logs)
		sent := false
		for sc.Scan() {
			if m := urlRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		io.Copy(io.Discard, logs)
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("the receiver did not say where it listens")
	}
	return ""
}
