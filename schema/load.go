package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/krosgen/krosgen/internal/rt"
)

// Layout of a schema directory. Every directory krosgen reads, the bundled
// one or a downstream copy, has the same shape.
const (
	EnvelopeFile = "envelope.json" // the shared envelope
	DefsFile     = "defs.json"     // the shared $defs
	WebhookFile  = "webhook.json"  // derived from events/ by krosgen generate
	EventsDir    = "events"        // one <event.type>.json per event
)

// baseURL is the URL under which the files of a directory are compiled.
// It never reaches the network or the disk: Compiler.LoadURL is replaced.
const baseURL = "file:///schema/"

// File is one schema file as read from the directory.
type File struct {
	// Name is the slash-separated path inside the directory,
	// such as "events/call.completed.json".
	Name string
	// Raw holds the file's bytes as read.
	Raw []byte
}

// Event is one event schema.
type Event struct {
	File
	// Type is the value of the event's "event" const, such as "call.completed".
	Type string
	// Order is the event's "x-order" annotation: its position in KrosAI's
	// documentation. Events without one sort last, by type.
	Order int
	// Examples are the payloads listed under "examples", as written.
	Examples []json.RawMessage
	// Schema is the compiled schema of the whole payload.
	Schema *jsonschema.Schema
}

// Set is a loaded, meta-validated and compiled schema directory.
type Set struct {
	// Dir is the directory's name as given to Load; errors are reported
	// relative to it ("schema/events/call.completed.json#/properties").
	Dir      string
	Envelope File
	Defs     File
	// Events is sorted by documentation order (Order, then Type).
	Events []*Event
	// compiler holds every file, for compiling the webhook schema.
	compiler *jsonschema.Compiler
	// webhook is compiled from WebhookDocument over Events, on first use:
	// it is one schema with a branch per event, whose compilation grows with
	// the square of their number, and generating code does not need it.
	webhookOnce sync.Once
	webhook     *jsonschema.Schema
	webhookErr  error
}

// Webhook returns the schema of any webhook (webhook.json), compiled from
// WebhookDocument so that a new event file is validated without editing
// webhook.json.
func (s *Set) Webhook() (*jsonschema.Schema, error) {
	s.webhookOnce.Do(func() {
		if err := s.add(s.compiler, File{Name: WebhookFile, Raw: s.WebhookDocument()}); err != nil {
			s.webhookErr = err
			return
		}
		s.webhook, s.webhookErr = s.compile(s.compiler, WebhookFile)
	})
	return s.webhook, s.webhookErr
}

// Load reads the schema directory rooted at fsys, checks every file against
// the draft 2020-12 meta-schema and compiles it. dir names the directory in
// error messages. Formats are asserted, with the checkers the generated code
// uses, so that both agree on what a date-time or a URI is.
func Load(fsys fs.FS, dir string) (*Set, error) {
	s := &Set{Dir: path.Clean(dir)}
	c := newCompiler()
	var err error
	if s.Envelope, err = s.read(fsys, EnvelopeFile); err != nil {
		return nil, err
	}
	if s.Defs, err = s.read(fsys, DefsFile); err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, EventsDir+"/*.json")
	if err != nil {
		return nil, s.errorf(EventsDir, "", "%v", err)
	}
	if len(names) == 0 {
		return nil, s.errorf(EventsDir, "", "no event schemas (*.json) found")
	}
	for _, f := range []File{s.Envelope, s.Defs} {
		if err := s.add(c, f); err != nil {
			return nil, err
		}
	}
	byType := map[string]string{}
	for _, name := range names {
		f, err := s.read(fsys, name)
		if err != nil {
			return nil, err
		}
		ev, err := s.describe(f)
		if err != nil {
			return nil, err
		}
		if other, dup := byType[ev.Type]; dup {
			return nil, s.errorf(name, "/properties/event/const", "event %q is already declared by %s", ev.Type, s.display(other))
		}
		byType[ev.Type] = name
		if err := s.add(c, f); err != nil {
			return nil, err
		}
		s.Events = append(s.Events, ev)
	}
	sort.Slice(s.Events, func(i, j int) bool { return s.Events[i].less(s.Events[j]) })
	if err := s.checkRefs(); err != nil {
		return nil, err
	}
	// Compile in dependency order, defs.json (which refers to no other
	// file) first: v5 meta-validates a file when it is first reached, and
	// reports the fault against the file being compiled. Compiling
	// envelope.json first would blame it for a fault in defs.json.
	for _, f := range []File{s.Defs, s.Envelope} {
		if _, err := s.compile(c, f.Name); err != nil {
			return nil, err
		}
	}
	for _, ev := range s.Events {
		if ev.Schema, err = s.compile(c, ev.Name); err != nil {
			return nil, err
		}
	}
	if err := s.checkPatterns(); err != nil {
		return nil, err
	}
	s.compiler = c
	return s, nil
}

func (e *Event) less(o *Event) bool {
	if (e.Order == 0) != (o.Order == 0) {
		return e.Order != 0
	}
	if e.Order != o.Order {
		return e.Order < o.Order
	}
	return e.Type < o.Type
}

func newCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.ExtractAnnotations = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("no schema file at %s", strings.TrimPrefix(u, baseURL))
	}
	c.Formats = map[string]func(any) bool{}
	for name, check := range jsonschema.Formats {
		c.Formats[name] = check
	}
	for name, check := range Formats {
		c.Formats[name] = func(v any) bool {
			s, ok := v.(string)
			return !ok || check(s)
		}
	}
	return c
}

// Formats are the format checkers that differ from jsonschema/v5's own, which
// are looser than RFC 3339 and RFC 3986 (v5 accepts "12:00:00+99:99" as a time
// and any url.Parse-able absolute URL). The generated code uses the same
// functions, so the reference validator and the bindings agree.
var Formats = func() map[string]func(string) bool {
	m := make(map[string]func(string) bool, len(rt.Formats))
	for _, f := range rt.Formats {
		m[f.Name] = f.Check
	}
	return m
}()

func (s *Set) read(fsys fs.FS, name string) (File, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return File{}, s.errorf(name, "", "file not found")
		}
		return File{}, s.errorf(name, "", "%v", err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return File{}, s.errorf(name, "", "empty file")
	}
	// json.Valid scans without building values; decodeJSON, which does,
	// runs only to word the error. Both accept exactly one JSON value.
	if !json.Valid(raw) {
		if _, err := decodeJSON(raw); err != nil {
			return File{}, s.errorf(name, "", "%v", err)
		}
	}
	return File{Name: name, Raw: raw}, nil
}

// eventTypeRE is the form of an event type: "category.action", lower case.
var eventTypeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// describe reads what the loader needs of an event file before compiling it.
func (s *Set) describe(f File) (*Event, error) {
	var doc struct {
		Order      *json.Number `json:"x-order"`
		Properties struct {
			Event struct {
				Const json.RawMessage `json:"const"`
			} `json:"event"`
		} `json:"properties"`
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(f.Raw, &doc); err != nil {
		return nil, s.errorf(f.Name, "", "not an event schema: %v", err)
	}
	ev := &Event{File: f, Examples: doc.Examples}
	if doc.Properties.Event.Const == nil {
		return nil, s.errorf(f.Name, "/properties/event", `an event schema needs "const": the event type`)
	}
	if err := json.Unmarshal(doc.Properties.Event.Const, &ev.Type); err != nil || !eventTypeRE.MatchString(ev.Type) {
		return nil, s.errorf(f.Name, "/properties/event/const", `the event type must be a string of dot-separated lower-case words ("call.completed"), not %s`, doc.Properties.Event.Const)
	}
	if want := path.Join(EventsDir, ev.Type+".json"); want != f.Name {
		return nil, s.errorf(f.Name, "/properties/event/const", "event %q belongs in %s", ev.Type, s.display(want))
	}
	if doc.Order != nil {
		n, err := doc.Order.Int64()
		if err != nil || n < 1 || n > 1<<20 {
			return nil, s.errorf(f.Name, "/x-order", "x-order must be a whole number from 1, got %s", *doc.Order)
		}
		ev.Order = int(n)
	}
	return ev, nil
}

func (s *Set) add(c *jsonschema.Compiler, f File) error {
	if err := c.AddResource(baseURL+f.Name, bytes.NewReader(f.Raw)); err != nil {
		return s.errorf(f.Name, "", "%v", err)
	}
	return nil
}

func (s *Set) compile(c *jsonschema.Compiler, name string) (*jsonschema.Schema, error) {
	sch, err := c.Compile(baseURL + name)
	if err != nil {
		return nil, s.compileError(name, err)
	}
	return sch, nil
}

// compileError turns a jsonschema/v5 compile error into one that names the
// file and the JSON pointer of the fault, relative to the directory.
func (s *Set) compileError(name string, err error) error {
	var se *jsonschema.SchemaError
	if errors.As(err, &se) {
		var ve *jsonschema.ValidationError
		if errors.As(se.Err, &ve) {
			leaf := firstLeaf(ve)
			file, _, _ := strings.Cut(strings.TrimPrefix(se.SchemaURL, baseURL), "#")
			return s.errorf(file, leaf.InstanceLocation, "does not conform to the draft 2020-12 meta-schema: %s", leaf.Message)
		}
		err = se.Err
	}
	msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "jsonschema: "), baseURL, s.Dir+"/")
	return s.errorf(name, "", "%s", msg)
}

func firstLeaf(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve
}

// display names a file of the directory as the user knows it.
func (s *Set) display(name string) string {
	return path.Join(s.Dir, name)
}

// errorf makes an error naming the file and the JSON pointer inside it.
func (s *Set) errorf(name, ptr, format string, args ...any) error {
	loc := s.display(name)
	if ptr != "" {
		loc += "#" + ptr
	}
	return &Error{Location: loc, Msg: fmt.Sprintf(format, args...)}
}

// Error is a fault in a schema directory.
type Error struct {
	// Location is the file and, after "#", the JSON pointer of the fault.
	Location string
	// Msg says what is wrong.
	Msg string
}

// Error renders "location: message".
func (e *Error) Error() string { return e.Location + ": " + e.Msg }

// checkRefs resolves every relative $ref before compiling, so that one that
// names no file or nothing in it is reported at the $ref itself (the
// compiler names only the target it could not find). Fragments are
// percent-decoded JSON pointers.
func (s *Set) checkRefs() error {
	docs := map[string]any{}
	files := []File{s.Envelope, s.Defs}
	for _, ev := range s.Events {
		files = append(files, ev.File)
	}
	for _, f := range files {
		v, err := decodeJSON(f.Raw)
		if err != nil {
			return s.errorf(f.Name, "", "%v", err)
		}
		docs[f.Name] = v
	}
	for _, f := range files {
		if err := s.walkRefs(docs, f.Name, docs[f.Name], ""); err != nil {
			return err
		}
	}
	return nil
}

// notSchemas are the keywords whose values are data, not schemas.
var notSchemas = map[string]bool{"enum": true, "const": true, "examples": true, "default": true}

func (s *Set) walkRefs(docs map[string]any, file string, v any, ptr string) error {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok && !strings.Contains(ref, "://") {
			if msg := s.resolveRef(docs, file, ref); msg != "" {
				return s.errorf(file, ptr+"/$ref", "$ref %q: %s", ref, msg)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the same error every run
		for _, k := range keys {
			if notSchemas[k] {
				continue
			}
			if err := s.walkRefs(docs, file, x[k], ptr+"/"+escapePointer(k)); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := s.walkRefs(docs, file, e, fmt.Sprintf("%s/%d", ptr, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolveRef says what is wrong with a relative $ref made in file, or "".
func (s *Set) resolveRef(docs map[string]any, file, ref string) string {
	target, frag, _ := strings.Cut(ref, "#")
	if target == "" {
		target = file
	} else {
		target = path.Join(path.Dir(file), target)
	}
	doc, ok := docs[target]
	if !ok {
		return "there is no schema file " + s.display(target)
	}
	ptr, err := url.PathUnescape(frag)
	if err != nil {
		return "the fragment is not percent-encoded correctly"
	}
	if ptr == "" {
		return ""
	}
	if !strings.HasPrefix(ptr, "/") {
		return "only JSON pointer fragments are supported (#/$defs/name), not anchors"
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := doc.(type) {
		case map[string]any:
			if doc, ok = x[tok]; !ok {
				return "nothing at " + s.display(target) + "#" + ptr
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return "nothing at " + s.display(target) + "#" + ptr
			}
			doc = x[i]
		default:
			return "nothing at " + s.display(target) + "#" + ptr
		}
	}
	return ""
}
