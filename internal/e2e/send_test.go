package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/schema"
)

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func eventTypes(t *testing.T) []string {
	t.Helper()
	set, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, ev := range set.Events {
		types = append(types, ev.Type)
	}
	return types
}

// responses splits send's output into (status line, body) pairs.
func responses(t *testing.T, out string) [][2]string {
	t.Helper()
	var rs [][2]string
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "mutation: ") {
			continue
		}
		if i+1 >= len(lines) {
			t.Fatalf("a status line without a body in:\n%s", out)
		}
		rs = append(rs, [2]string{lines[i], lines[i+1]})
		i++
	}
	return rs
}

// TestSendToExampleReceiver delivers every documented event to the example
// receiver, signed and unsigned, and the deliveries a receiver must refuse.
func TestSendToExampleReceiver(t *testing.T) {
	kg := krosgen(t)
	for _, secret := range []string{testSecret, ""} {
		name := map[bool]string{true: "signed", false: "unsigned"}[secret != ""]
		t.Run(name, func(t *testing.T) {
			url := receiver(t, secret)
			send := func(args ...string) result {
				if secret != "" {
					args = append([]string{"-secret", secret}, args...)
				}
				return runBin(t, "", "", kg, append([]string{"send", "-url", url}, args...)...)
			}

			r := send("-all")
			if r.code != 0 {
				t.Fatalf("send -all: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			rs := responses(t, r.stdout)
			types := eventTypes(t)
			if len(rs) != len(types) {
				t.Fatalf("%d responses for %d event types:\n%s", len(rs), len(types), r.stdout)
			}
			for i, resp := range rs {
				if !strings.HasPrefix(resp[0], types[i]+" evt_") || !strings.HasSuffix(resp[0], ": 200 OK") || resp[1] != `{"status":"handled"}` {
					t.Errorf("%s: got %q %q, want 200 handled", types[i], resp[0], resp[1])
				}
			}

			r = send("-repeat", "2", "call.completed")
			rs = responses(t, r.stdout)
			if len(rs) != 2 || rs[0][1] != `{"status":"handled"}` || rs[1][1] != `{"status":"duplicate"}` {
				t.Errorf("-repeat 2: want handled then duplicate, got\n%s", r.stdout)
			}
			if id0, id1 := strings.Fields(rs[0][0])[1], strings.Fields(rs[1][0])[1]; id0 != id1 {
				t.Errorf("-repeat sent two ids: %s, %s", id0, id1)
			}

			for seed := range 5 {
				r = send("-invalid", "-seed", strconv.Itoa(seed), "call.completed")
				mut := regexp.MustCompile(`(?m)^mutation: \S+ at (\S+) `).FindStringSubmatch(r.stdout)
				if r.code != 1 || mut == nil {
					t.Fatalf("-invalid: exit %d, no mutation named:\n%s%s", r.code, r.stdout, r.stderr)
				}
				rs = responses(t, r.stdout)
				var body struct {
					Problems []struct{ Pointer string } `json:"problems"`
				}
				if len(rs) != 1 || !strings.HasSuffix(rs[0][0], ": 400 Bad Request") || json.Unmarshal([]byte(rs[0][1]), &body) != nil {
					t.Fatalf("-invalid: want one 400 with problems, got\n%s", r.stdout)
				}
				found := false
				for _, p := range body.Problems {
					found = found || p.Pointer == mut[1]
				}
				if !found {
					t.Errorf("-invalid mutated %s, but the 400 names %+v", mut[1], body.Problems)
				}
			}

			r = send("-set", "data.duration=-1", "call.completed")
			if r.code != 1 || !strings.Contains(r.stdout, `"pointer":"/data/duration"`) {
				t.Errorf("-set data.duration=-1: exit %d\n%s", r.code, r.stdout)
			}

			if secret == "" {
				return
			}
			r = send("-stale", "10m", "call.ringing")
			if rs = responses(t, r.stdout); r.code != 1 || len(rs) != 1 || !strings.HasSuffix(rs[0][0], ": 401 Unauthorized") {
				t.Errorf("-stale 10m: want 401, got exit %d\n%s", r.code, r.stdout)
			}
			r = send("-future", "10m", "call.ringing")
			if rs = responses(t, r.stdout); len(rs) != 1 || !strings.HasSuffix(rs[0][0], ": 401 Unauthorized") {
				t.Errorf("-future 10m: want 401, got\n%s", r.stdout)
			}
			r = runBin(t, "", "", kg, "send", "-url", url, "-secret", "whsec_"+strings.Repeat("A", 32), "call.ringing")
			if rs = responses(t, r.stdout); len(rs) != 1 || !strings.HasSuffix(rs[0][0], ": 401 Unauthorized") {
				t.Errorf("a wrong secret: want 401, got\n%s", r.stdout)
			}
			r = runBin(t, "", "", kg, "send", "-url", url, "call.ringing")
			if rs = responses(t, r.stdout); len(rs) != 1 || !strings.HasSuffix(rs[0][0], ": 401 Unauthorized") {
				t.Errorf("unsigned to a receiver with a secret: want 401, got\n%s", r.stdout)
			}
		})
	}
}

// TestSignVerifies checks that krosgen sign's headers pass the generated
// verifier, and that they sign exactly the payload.
func TestSignVerifies(t *testing.T) {
	kg := krosgen(t)
	payload := `{"event":"call.ringing","id":"evt_sign_1","timestamp":"2025-01-10T12:00:00Z","data":{"call_id":"call_1"}}`
	file := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(file, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := krosai.NewStandardVerifier([]string{testSecret})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{file}, {"-"}} {
		r := runBin(t, "", payload, kg, append([]string{"sign", "-secret", testSecret}, args...)...)
		if r.code != 0 {
			t.Fatalf("sign: exit %d: %s", r.code, r.stderr)
		}
		req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/webhooks", strings.NewReader(payload))
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if len(lines) != 3 {
			t.Fatalf("want three header lines, got %q", r.stdout)
		}
		for _, l := range lines {
			k, val, _ := strings.Cut(l, ": ")
			req.Header.Set(k, val)
		}
		if got := req.Header.Get(krosai.HeaderWebhookID); got != "evt_sign_1" {
			t.Errorf("webhook-id %q, want the payload's id", got)
		}
		if err := v.Verify(req, []byte(payload)); err != nil {
			t.Errorf("the generated verifier rejects krosgen sign's headers: %v", err)
		}
		if err := v.Verify(req, []byte(strings.Replace(payload, "call_1", "call_2", 1))); err == nil {
			t.Error("the signature also verifies another payload")
		}
	}
	old := time.Now().Add(-time.Hour).Unix()
	r := runBin(t, "", "", kg, "sign", "-secret", testSecret, "-at", strconv.FormatInt(old, 10), file)
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/webhooks", strings.NewReader(payload))
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		k, val, _ := strings.Cut(l, ": ")
		req.Header.Set(k, val)
	}
	if err := v.Verify(req, []byte(payload)); err == nil {
		t.Error("a signature an hour old verifies")
	}
	r = runBin(t, "", "", kg, "sign", "-secret", testSecret, "-curl", "-url", "http://127.0.0.1:9/webhooks", file)
	for _, want := range []string{"curl -sS -X POST http://127.0.0.1:9/webhooks ", "-H 'webhook-id: evt_sign_1'", "-H 'webhook-signature: v1,", "--data-binary @" + file} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sign -curl: %q lacks %q", r.stdout, want)
		}
	}
}
