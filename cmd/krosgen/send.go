package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
	"github.com/krosgen/krosgen/internal/fidelity"
	"github.com/krosgen/krosgen/internal/rt"
	"github.com/krosgen/krosgen/schema"
)

var sendCommand = &command{
	name:  "send",
	args:  "[-url URL] [-secret S] [-set PATH=JSON]... [-id ID] [-timestamp T] [-repeat N] [-stale D | -future D] [-invalid] EVENT|FILE | -all",
	short: "deliver a documented example (or a payload file) to a webhook receiver",
	details: `send posts the first documented example of EVENT (an event type such as
call.completed), or the payload in FILE, to -url, and prints each response's
status and body. The examples come from the schemas validate would use
(-schema, ./schema, or the bundled ones). With a secret the request carries
Standard Webhooks headers, signed as KrosAI signs them.

Each run gives the payload a fresh "id" unless -id is set; -repeat sends
the same delivery N times, which a receiver must treat as duplicates.
-stale and -future sign with a timestamp that far from now (a receiver
rejects one beyond its tolerance, 5m by default). -invalid applies one
schema-breaking mutation, drawn from the mutation engine krosgen's fidelity
tests use (-seed makes the draw repeatable), and says which.

-url defaults to the example receiver on the loopback interface; krosgen
never posts to a remote host unless -url names it.

Exit status: 0 when every response is 2xx, 1 otherwise, 2 on a usage error
or when the receiver cannot be reached.`,
}

func init() { sendCommand.run = runSend }

// defaultURL is where the example receiver listens by default.
const defaultURL = "http://127.0.0.1:8080/webhooks"

type sendOptions struct {
	url, secret string
	sets        []string
	id          string
	timestamp   string
	repeat      int
	stale       time.Duration
	future      time.Duration
	invalid     bool
	seed        uint64
	seedSet     bool
	set         *schema.Set
	client      *http.Client
	e           env
}

func runSend(args []string, e env) int {
	c := sendCommand
	fl := newFlags(c)
	var o sendOptions
	var sets multiFlag
	fl.StringVar(&o.url, "url", defaultURL, "receiver URL")
	fl.StringVar(&o.secret, "secret", "", "signing secret, \"whsec_...\" (default $"+secretEnv+"; none: unsigned)")
	fl.Var(&sets, "set", "override a field: data.duration=0 or /data/duration=0; the value is JSON, or else a string (repeatable)")
	fl.StringVar(&o.id, "id", "", `the payload's "id" (default: a fresh evt_... per run)`)
	fl.StringVar(&o.timestamp, "timestamp", "", `the payload's "timestamp", RFC 3339 (default: the example's)`)
	fl.IntVar(&o.repeat, "repeat", 1, "send each delivery N times (the same id: duplicates)")
	fl.DurationVar(&o.stale, "stale", 0, "sign with a timestamp this long ago (10m: outside the tolerance)")
	fl.DurationVar(&o.future, "future", 0, "sign with a timestamp this far ahead")
	fl.BoolVar(&o.invalid, "invalid", false, "apply one schema-breaking mutation to the payload")
	seed := fl.Uint64("seed", 0, "seed of the -invalid draw (default: random)")
	all := fl.Bool("all", false, "send every event type's first example, once each")
	dir := fl.String("schema", "", "schema directory the examples come from (default as for validate)")
	if status, done := parse(c, fl, args, e); done {
		return status
	}
	o.sets = sets
	fl.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			o.seedSet = true
		}
	})
	o.seed = *seed
	switch {
	case *all && fl.NArg() > 0:
		return usageError(e.stderr, c.name, "-all sends every event type: give no EVENT or FILE")
	case !*all && fl.NArg() != 1:
		return usageError(e.stderr, c.name, "want one EVENT or FILE (or -all), got %d arguments", fl.NArg())
	case o.repeat < 1:
		return usageError(e.stderr, c.name, "-repeat must be at least 1, got %d", o.repeat)
	case o.stale < 0 || o.future < 0:
		return usageError(e.stderr, c.name, "-stale and -future take a positive duration")
	case o.stale > 0 && o.future > 0:
		return usageError(e.stderr, c.name, "-stale and -future exclude each other")
	}
	if o.timestamp != "" {
		if _, err := time.Parse(time.RFC3339, o.timestamp); err != nil {
			return usageError(e.stderr, c.name, "-timestamp %q is not an RFC 3339 date-time", o.timestamp)
		}
	}
	if err := checkURL(o.url); err != nil {
		return usageError(e.stderr, c.name, "%v", err)
	}
	if o.secret == "" {
		o.secret = os.Getenv(secretEnv)
	}
	set, status := loadValidateSchemas(*dir, false, e)
	if set == nil {
		return status
	}
	o.set, o.e = set, e
	o.client = &http.Client{Timeout: 30 * time.Second}
	var bodies []payload
	if *all {
		for _, ev := range set.Events {
			if len(ev.Examples) > 0 {
				bodies = append(bodies, payload{name: ev.Type, data: ev.Examples[0], example: true})
			}
		}
	} else {
		p, err := examplePayload(set, fl.Arg(0))
		if err != nil {
			return usageError(e.stderr, c.name, "%v", err)
		}
		bodies = []payload{p}
	}
	status = exitOK
	for _, p := range bodies {
		if s := o.deliver(p); s > status {
			status = s
		}
	}
	return status
}

// examplePayload reads FILE, or the first example of the event type arg.
func examplePayload(set *schema.Set, arg string) (payload, error) {
	if fi, err := os.Stat(arg); err == nil && !fi.IsDir() {
		b, err := os.ReadFile(arg)
		return payload{name: arg, data: b}, err
	}
	var types []string
	for _, ev := range set.Events {
		if ev.Type == arg {
			if len(ev.Examples) == 0 {
				return payload{}, fmt.Errorf("the schema of %s has no example: pass a payload file", arg)
			}
			return payload{name: arg, data: ev.Examples[0], example: true}, nil
		}
		types = append(types, ev.Type)
	}
	return payload{}, fmt.Errorf("%q is neither a file nor an event type of the schemas (%s)", arg, strings.Join(types, ", "))
}

// checkURL accepts an http or https URL with a host.
func checkURL(u string) error {
	req, err := http.NewRequest(http.MethodPost, u, nil)
	if err != nil || (req.URL.Scheme != "http" && req.URL.Scheme != "https") || req.URL.Host == "" {
		return fmt.Errorf("-url %q is not an http:// or https:// URL", u)
	}
	return nil
}

// deliver prepares one delivery and posts it -repeat times.
func (o *sendOptions) deliver(p payload) int {
	body, err := o.prepare(p.data, p.example)
	if err != nil {
		fmt.Fprintf(o.e.stderr, "krosgen: %s: %v\n", p.name, err)
		return exitUsage
	}
	if o.invalid {
		var what string
		body, what, err = o.mutate(body)
		if err != nil {
			fmt.Fprintf(o.e.stderr, "krosgen: %s: %v\n", p.name, err)
			return exitUsage
		}
		fmt.Fprintf(o.e.stdout, "mutation: %s\n", what)
	}
	status := exitOK
	for i := 0; i < o.repeat; i++ {
		s := o.post(p.name, body)
		if s > status {
			status = s
		}
	}
	return status
}

// prepare applies -set, -id and -timestamp to the payload; fresh gives it a
// new id when -id is not set (a documented example is sent as a new event
// each run, a file as it is).
func (o *sendOptions) prepare(data []byte, fresh bool) ([]byte, error) {
	if len(o.sets) == 0 && o.timestamp == "" && o.id == "" && !fresh {
		return data, nil
	}
	doc, err := parseOrdered(data)
	if err != nil || doc.kind != '{' {
		return data, nil // not an object: sent as it is, for the receiver to reject
	}
	if o.id != "" {
		doc.set("id", &jsonNode{kind: 's', str: o.id})
	} else if fresh {
		doc.set("id", &jsonNode{kind: 's', str: freshID()})
	}
	if o.timestamp != "" {
		doc.set("timestamp", &jsonNode{kind: 's', str: o.timestamp})
	}
	for _, s := range o.sets {
		if err := setField(doc, s); err != nil {
			return nil, err
		}
	}
	return doc.MarshalJSON()
}

// freshID is a new event id, unique per run.
func freshID() string {
	var b [6]byte
	rand.Read(b[:])
	return "evt_krosgen_" + hex.EncodeToString(b[:])
}

// setField applies one -set PATH=VALUE to doc, keeping the order of its
// members; PATH is dotted (data.duration) or a JSON pointer (/data/duration).
func setField(doc *jsonNode, spec string) error {
	path, raw, ok := strings.Cut(spec, "=")
	if !ok || path == "" {
		return fmt.Errorf("-set %q: want PATH=VALUE, as in data.duration=0", spec)
	}
	var tokens []string
	if strings.HasPrefix(path, "/") {
		for _, t := range strings.Split(path, "/")[1:] {
			tokens = append(tokens, strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~"))
		}
	} else {
		tokens = strings.Split(path, ".")
	}
	value, err := parseOrdered([]byte(raw))
	if err != nil {
		value = &jsonNode{kind: 's', str: raw} // not JSON: a string
	}
	cur := doc
	for i, t := range tokens {
		if i == len(tokens)-1 {
			cur.set(t, value)
			return nil
		}
		next := cur.get(t)
		switch {
		case next == nil || next.kind == 'z':
			next = &jsonNode{kind: '{'}
			cur.set(t, next)
		case next.kind != '{':
			return fmt.Errorf("-set %q: %s is not an object", spec, strings.Join(tokens[:i+1], "."))
		}
		cur = next
	}
	return nil
}

// mutate draws one mutation of body that breaks its schema, and says which.
// Only a mutation whose problem Parse reports at the mutated pointer is
// drawn, so that the receiver's 400 names it.
func (o *sendOptions) mutate(body []byte) ([]byte, string, error) {
	v := o.set.Check(body, nil)
	if !v.Known {
		return nil, "", fmt.Errorf("-invalid needs a payload of a known event type, not %q", v.Event)
	}
	var types []string
	for _, ev := range o.set.Events {
		types = append(types, ev.Type)
	}
	corpus, err := fidelity.Corpus([]fidelity.Example{{Type: v.Event, Raw: body}}, types)
	if err != nil {
		return nil, "", err
	}
	var candidates []fidelity.Payload
	for _, p := range corpus {
		if p.At == "" || !strings.HasPrefix(p.At, "/") {
			continue
		}
		mv := o.set.Check(p.Data, nil)
		var ve *rt.ValidationError
		if !mv.Known || mv.Event != v.Event || !errors.As(mv.Err, &ve) {
			continue
		}
		for _, pr := range ve.Problems {
			if pr.Pointer == p.At {
				candidates = append(candidates, p)
				break
			}
		}
	}
	if len(candidates) == 0 {
		return nil, "", errors.New("no mutation breaks this payload's schema")
	}
	seed := o.seed
	if !o.seedSet {
		n, _ := rand.Int(rand.Reader, new(big.Int).SetUint64(1<<62))
		seed = n.Uint64()
	}
	p := candidates[mrand.New(mrand.NewPCG(seed, 0)).IntN(len(candidates))]
	return p.Data, fmt.Sprintf("%s at %s (-seed %d)", p.Kind, p.At, seed), nil
}

// post sends body once and prints the response.
func (o *sendOptions) post(name string, body []byte) int {
	req, err := http.NewRequest(http.MethodPost, o.url, bytes.NewReader(body))
	if err != nil {
		fmt.Fprintf(o.e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "krosgen/"+version())
	id := envelopeID(body)
	if o.secret != "" {
		ts := time.Now().Add(o.future - o.stale)
		msgID := id
		if msgID == "" {
			msgID = freshID()
		}
		h, err := krosai.SignStandard(o.secret, msgID, ts, body)
		if err != nil {
			fmt.Fprintf(o.e.stderr, "krosgen: %v\n", err)
			return exitUsage
		}
		for k, v := range h {
			req.Header[k] = v
		}
	}
	resp, err := o.client.Do(req)
	if err != nil {
		fmt.Fprintf(o.e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	fmt.Fprintf(o.e.stdout, "%s %s: %s\n%s\n", name, id, resp.Status, bytes.TrimRight(reply, "\n"))
	if resp.StatusCode/100 != 2 {
		return exitInvalid
	}
	return exitOK
}

// envelopeID reads the payload's "id", "" when it has none.
func envelopeID(body []byte) string {
	var env struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(body, &env) != nil {
		return ""
	}
	id, _ := env.ID.(string)
	return id
}
