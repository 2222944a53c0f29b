package schemadiff

import (
	"fmt"
	"io/fs"
	"sync"
	"testing/fstest"

	"github.com/krosgen/krosgen/schema"
)

// Side is one schema set being compared: loaded, compiled (its validators
// decide the witnesses) and normalised.
type Side struct {
	// Label names the side in messages: a directory, "git:origin/main"...
	Label string
	// Set is the loaded schema directory.
	Set *schema.Set
	// Files holds each schema file's bytes by its name in the directory
	// (envelope.json, defs.json, events/*.json); webhook.json, which is
	// derived from them, is not among them.
	Files map[string][]byte

	envelope *node
	events   map[string]*node // by event type
	byType   map[string]*schema.Event

	apiOnce sync.Once
	api     api
	apiErr  error
}

// Load reads the schema directory at fsys; dir names it in errors and label
// in reports.
func Load(fsys fs.FS, dir, label string) (*Side, error) {
	set, err := schema.Load(fsys, dir)
	if err != nil {
		return nil, err
	}
	s := &Side{Label: label, Set: set, Files: map[string][]byte{}, events: map[string]*node{}, byType: map[string]*schema.Event{}}
	s.Files[set.Envelope.Name] = set.Envelope.Raw
	s.Files[set.Defs.Name] = set.Defs.Raw
	for _, ev := range set.Events {
		s.Files[ev.Name] = ev.Raw
		s.byType[ev.Type] = ev
	}
	norm := &normaliser{docs: map[string]any{}}
	for name, raw := range s.Files {
		if norm.docs[name], err = decode(raw); err != nil {
			return nil, fmt.Errorf("%s/%s: %v", dir, name, err)
		}
	}
	if s.envelope, err = norm.normalise(set.Envelope.Name, norm.docs[set.Envelope.Name]); err != nil {
		return nil, fmt.Errorf("%s/%v", dir, err)
	}
	for _, ev := range set.Events {
		if s.events[ev.Type], err = norm.normalise(ev.Name, norm.docs[ev.Name]); err != nil {
			return nil, fmt.Errorf("%s/%v", dir, err)
		}
	}
	return s, nil
}

// LoadFiles loads a schema set held in memory, file name → content.
func LoadFiles(files map[string][]byte, dir, label string) (*Side, error) {
	fsys := fstest.MapFS{}
	for name, b := range files {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return Load(fsys, dir, label)
}

// FS returns the side's schema files as a file system.
func (s *Side) FS() fs.FS {
	fsys := fstest.MapFS{}
	for name, b := range s.Files {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// types lists the side's event types, sorted.
func (s *Side) types() []string {
	return sortedKeys(s.events)
}

// accepts tells whether the side's validator accepts payload as an event
// of type event ("" for any event: the webhook schema).
func (s *Side) accepts(event string, payload []byte) bool {
	if event == "" {
		return s.Set.Validate(payload) == nil
	}
	ev, ok := s.byType[event]
	if !ok {
		return false
	}
	return ev.Validate(payload) == nil
}

// examples returns the documented payloads of an event, decoded.
func (s *Side) examples(event string) []any {
	ev, ok := s.byType[event]
	if !ok {
		return nil
	}
	var out []any
	for _, raw := range ev.Examples {
		if v, err := decode(raw); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// Digest is the SchemaDigest of the side's files.
func (s *Side) Digest() string { return schema.Digest(s.Files) }
