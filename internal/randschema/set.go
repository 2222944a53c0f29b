package randschema

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand"
	"sort"
	"testing/fstest"

	"github.com/krosgen/krosgen/schema"
)

// The files of a schema directory, as package schema lays it out.
const (
	EnvelopeFile = schema.EnvelopeFile
	DefsFile     = schema.DefsFile
	EventsDir    = schema.EventsDir
)

const (
	draft2020 = "https://json-schema.org/draft/2020-12/schema"
	draft2019 = "https://json-schema.org/draft/2019-09/schema"
	draft07   = "http://json-schema.org/draft-07/schema#"
)

// Set is a drawn schema directory: envelope.json, defs.json and one file
// per event.
type Set struct {
	// Features are those the set was drawn with.
	Features Features
	// Envelope is envelope.json's schema.
	Envelope *Node
	// Defs are defs.json's $defs.
	Defs []Prop
	// Events are the event files.
	Events []*Event
}

// Event is one event file.
type Event struct {
	// Type is the event type, such as "call.completed".
	Type string
	// Order is "x-order"; 0 leaves it out.
	Order int
	// Schema is "$schema"; "" writes draft 2020-12.
	Schema      string
	Description string
	// Data is the schema of the event's data.
	Data *Node
	// Defs are the file's own $defs.
	Defs []Prop
	// Examples are the documented payloads.
	Examples []any
}

// File returns the event's file name in the directory.
func (e *Event) File() string { return EventsDir + "/" + e.Type + ".json" }

// Files renders the set as the files of a schema directory.
func (s *Set) Files() map[string][]byte {
	out := map[string][]byte{}
	env := &Object{Members: []Member{{"$schema", draft2020}, {"title", "Envelope"}}}
	env.Members = append(env.Members, s.Envelope.Render().(*Object).Members...)
	out[EnvelopeFile] = EncodeIndent(env)
	defs := &Object{}
	for _, d := range s.Defs {
		defs.Members = append(defs.Members, Member{d.Name, d.Schema.Render()})
	}
	out[DefsFile] = EncodeIndent(&Object{Members: []Member{{"$schema", draft2020}, {"$defs", defs}}})
	for _, ev := range s.Events {
		out[ev.File()] = EncodeIndent(ev.render())
	}
	return out
}

func (e *Event) render() *Object {
	sch := e.Schema
	if sch == "" {
		sch = draft2020
	}
	o := &Object{Members: []Member{{"$schema", sch}, {"title", e.Type}}}
	if e.Description != "" {
		o.Set("description", e.Description)
	}
	if e.Order > 0 {
		o.Set("x-order", json.Number(fmt.Sprint(e.Order)))
	}
	o.Set("$ref", "../"+EnvelopeFile)
	o.Set("properties", &Object{Members: []Member{
		{"event", &Object{Members: []Member{{"const", e.Type}}}},
		{"data", e.Data.Render()},
	}})
	if e.Defs != nil {
		defs := &Object{}
		for _, d := range e.Defs {
			defs.Members = append(defs.Members, Member{d.Name, d.Schema.Render()})
		}
		o.Set("$defs", defs)
	}
	if e.Examples != nil {
		o.Set("examples", append([]any{}, e.Examples...))
	}
	return o
}

// FS returns the set as a file system.
func (s *Set) FS() fs.FS {
	m := fstest.MapFS{}
	for name, b := range s.Files() {
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

// Load loads the set with the reference loader (meta-validation and
// compilation by jsonschema/v5).
func (s *Set) Load() (*schema.Set, error) {
	return schema.Load(s.FS(), "schema")
}

// Types lists the event types.
func (s *Set) Types() []string {
	var out []string
	for _, ev := range s.Events {
		out = append(out, ev.Type)
	}
	return out
}

// Clone copies the set deeply; refs of the copy name the copy's nodes.
func (s *Set) Clone() *Set {
	seen := map[*Node]*Node{}
	c := &Set{Features: s.Features, Envelope: s.Envelope.clone(seen), Defs: cloneProps(s.Defs, seen)}
	for _, ev := range s.Events {
		e := *ev
		e.Data = ev.Data.clone(seen)
		e.Defs = cloneProps(ev.Defs, seen)
		e.Examples = nil
		for _, x := range ev.Examples {
			e.Examples = append(e.Examples, Clone(x))
		}
		c.Events = append(c.Events, &e)
	}
	return c
}

// New draws a complete set: schemas and, for each event, valid examples.
// An event for which no valid example is found within a bound of attempts
// is drawn again; after that its data is made trivially satisfiable.
func New(rng *rand.Rand, f Features) (*Set, error) {
	var err error
	for try := 0; try < 10; try++ {
		s := Draw(rng, f)
		if err = s.Complete(rng); err == nil {
			return s, nil
		}
	}
	return nil, err
}

// Complete draws one or two valid examples for each event.
func (s *Set) Complete(rng *rand.Rand) error {
	for _, ev := range s.Events {
		ev.Examples = nil
	}
	loaded, err := s.Load()
	if err != nil {
		return fmt.Errorf("randschema: drawn set does not load: %v", err)
	}
	for i, ev := range s.Events {
		var examples []any
		for k := 0; k < 1+rng.Intn(2); k++ {
			x, ok := s.Instance(rng, loaded, i)
			if ok {
				examples = append(examples, x)
			}
		}
		if examples == nil {
			// Unsatisfiable as drawn: replace the data by something simple.
			ev.Data = &Node{Types: []string{"object"}, Properties: []Prop{{"id", &Node{Types: []string{"string"}}}}, Required: []string{"id"}}
			if loaded, err = s.Load(); err != nil {
				return err
			}
			x, ok := s.Instance(rng, loaded, i)
			if !ok {
				return fmt.Errorf("randschema: no valid example for %s even with trivial data", ev.Type)
			}
			examples = append(examples, x)
		}
		ev.Examples = examples
	}
	return nil
}

// KeywordCounts counts, for each keyword, whether it appears anywhere in
// the set (1 or 0), with some constructs named apart: "open-enum",
// "type-union", "nullable", "ref:defs.json", "ref:local", "pattern:loop"
// (an anchored run of classes), "name:shadow", "name:awkward" and so on.
func (s *Set) KeywordCounts() map[string]bool {
	seen := map[string]bool{}
	visited := map[*Node]bool{}
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil || visited[n] {
			return
		}
		visited[n] = true
		if n.Bool != nil {
			seen[fmt.Sprintf("schema:%v", *n.Bool)] = true
			return
		}
		for _, k := range n.Keywords() {
			seen[k] = true
		}
		if n.Format != "" {
			seen["format:"+n.Format] = true
		}
		if len(n.Types) > 1 {
			nonNull := 0
			for _, t := range n.Types {
				if t != "null" {
					nonNull++
				}
			}
			if nonNull > 1 {
				seen["type-union"] = true
			} else {
				seen["nullable"] = true
			}
		}
		if n.Enum != nil || n.HasConst {
			vals := n.Enum
			if n.HasConst {
				vals = append(vals, n.Const)
			}
			for _, v := range vals {
				seen["value:"+jsonType(v)] = true
			}
		}
		if n.Ref != "" {
			if len(n.Ref) > 0 && n.Ref[0] == '#' {
				seen["ref:local"] = true
			} else {
				seen["ref:other-file"] = true
			}
		}
		if len(n.AnyOf) == 2 && n.AnyOf[0].Enum != nil && len(n.AnyOf[1].Types) == 1 && n.AnyOf[1].Types[0] == "string" && len(n.Types) == 0 {
			seen["open-enum"] = true
		}
		if n.Pattern != "" {
			seen["pattern:"+patternKind(n.Pattern)] = true
		}
		for _, p := range n.Properties {
			for _, kind := range nameKinds(p.Name) {
				seen["name:"+kind] = true
			}
		}
		if n.Additional != nil && n.Properties == nil && n.Additional.Bool == nil {
			seen["map"] = true
		}
		for _, ch := range n.Children() {
			walk(ch.Node)
		}
		walk(n.Target)
	}
	walk(s.Envelope)
	for _, d := range s.Defs {
		for _, kind := range nameKinds(d.Name) {
			seen["def-name:"+kind] = true
		}
		walk(d.Schema)
	}
	for _, ev := range s.Events {
		if ev.Schema != "" && ev.Schema != draft2020 {
			seen["$schema:other-draft"] = true
		}
		walk(ev.Data)
		for _, d := range ev.Defs {
			seen["$defs:event-file"] = true
			walk(d.Schema)
		}
	}
	if s.Envelope.Additional != nil || s.Envelope.MinProperties != nil || s.Envelope.MaxProps != nil || s.Envelope.Not != nil || len(s.Envelope.Properties) > 4 {
		seen["envelope:keywords"] = true
	}
	return seen
}

func nameKinds(name string) []string {
	var out []string
	for kind, pool := range map[string][]string{"shadow": shadowNames, "awkward": awkwardNames, "odd": oddNames, "shadow-def": shadowDefNames} {
		for _, p := range pool {
			if p == name {
				out = append(out, kind)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}
