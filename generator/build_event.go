package generator

import (
	"strconv"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/generator/naming"
	"github.com/krosgen/krosgen/schema"
)

// envelopeFields are the properties every envelope declares and requires,
// by their Go names in the event API.
var envelopeFields = []struct{ json, goName string }{
	{"event", "Type"}, {"id", "ID"}, {"timestamp", "Timestamp"}, {"data", "Data"},
}

// envelope builds Event from envelope.json: a struct like any other, whose
// "event" field is an EventType and whose "data" is the union of the events'
// data. What a struct cannot say is refused.
func (b *builder) envelope() error {
	root := b.roots[schema.EnvelopeFile]
	for _, k := range root.keys {
		if !allowedAt(k, atEnvelope) {
			return errorf(root.at(k), "keyword %q is not supported in the envelope: Event is a struct, whose fields the schema's properties declare", k)
		}
	}
	if len(root.types) != 1 || root.types[0] != "object" || root.null {
		return errorf(root.src, `the envelope must be of "type": "object"`)
	}
	if a := root.additional; a != nil && a.boolean == nil {
		return errorf(a.src, "additionalProperties in the envelope must be true or false")
	}
	t := &model.Type{GoName: "Event", Kind: model.Struct, Doc: root.describe(), Source: root.src}
	t.Closed = root.additional != nil && !*root.additional.boolean
	env := &b.pkg.Envelope
	env.Struct, env.Source = t, root.src
	required := map[string]bool{}
	for _, r := range root.required {
		required[r.str] = true
	}
	for _, f := range envelopeFields {
		if !declares(root, f.json) || !required[f.json] {
			return errorf(root.src, "the envelope must declare and require %q", f.json)
		}
	}
	var err error
	special := func(name string) *model.Type {
		switch {
		case err != nil:
		case name == "event":
			env.EventType, err = b.eventType(b.schemaAt(root, "event"))
			return env.EventType
		case name == "data":
			var s *jsonSchema
			if s, err = b.dataSchema(root); err == nil {
				return &model.Type{Kind: model.Union, Source: s.src}
			}
		}
		return nil
	}
	if err := b.fields(root, t, special); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	for _, fd := range t.Fields {
		for _, f := range envelopeFields {
			if fd.JSONName == f.json {
				fd.GoName = f.goName // the event API's names, whatever x-go-name says
			}
		}
		switch fd.JSONName {
		case "event":
			env.Event = fd
		case "data":
			env.Data = fd
		case "id":
			if fd.Type.Kind != model.String || fd.Type.Enum != nil || fd.Nullable {
				return errorf(fd.Source, "the envelope's id must be a string")
			}
		case "timestamp":
			if fd.Type.Kind != model.Time || fd.Nullable {
				return errorf(fd.Source, `the envelope's timestamp must be {"type": "string", "format": "date-time"}, without other string rules: it is a time.Time`)
			}
		}
	}
	return nil
}

// eventType builds EventType from the envelope's "event": a string with the
// envelope's rules for it, checked before the data is decoded.
func (b *builder) eventType(s *jsonSchema) (*model.Type, error) {
	if classify(s) != shapeTyped || kindOf(s) != model.String || s.hasEnum || s.constant != nil || s.null {
		return nil, errorf(s.src, `the envelope's event must be {"type": "string"}, with string rules only: each event schema gives its own const`)
	}
	t := &model.Type{GoName: "EventType", Kind: model.String, Doc: s.describe(), Source: s.src}
	if err := b.rules(s, t); err != nil {
		return nil, err
	}
	setFuncs(t, "EventType")
	return t, nil
}

// dataSchema checks the envelope's "data": an object, constrained by each
// event's own schema.
func (b *builder) dataSchema(root *jsonSchema) (*jsonSchema, error) {
	s := b.schemaAt(root, "data")
	for _, k := range s.keys {
		if !allowedAt(k, atEnvelopeData) {
			return nil, errorf(s.at(k), "keyword %q is not supported in the envelope's data: constrain data in each event's schema", k)
		}
	}
	if len(s.types) != 1 || s.types[0] != "object" || s.null {
		return nil, errorf(s.src, `the envelope's data must be of "type": "object"`)
	}
	return s, nil
}

// schemaAt returns the schema of a property.
func (b *builder) schemaAt(s *jsonSchema, name string) *jsonSchema {
	for _, p := range s.properties {
		if p.name == name {
			return p.schema
		}
	}
	return nil
}

// event builds one event: its EventType constant and its data struct.
func (b *builder) event(ev *schema.Event) (*model.Event, error) {
	root := b.roots[ev.Name]
	for _, k := range root.keys {
		if !allowedAt(k, atEvent) {
			return nil, errorf(root.at(k), "keyword %q is not supported here", k)
		}
	}
	if root.ref == nil || root.ref.target != b.roots[schema.EnvelopeFile] {
		return nil, errorf(root.src, `an event schema must have "$ref": "../%s"`, schema.EnvelopeFile)
	}
	var data, event *jsonSchema
	for _, p := range root.properties {
		switch p.name {
		case "data":
			data = p.schema
		case "event":
			event = p.schema
		default:
			return nil, errorf(p.schema.src, "an event schema may constrain only event and data; the envelope declares the rest")
		}
	}
	goName := naming.GoName(ev.Type)
	if goName == "" || !naming.IsASCII(ev.Type) {
		return nil, errorf(event.at("const"), "event type %q gives no Go name", ev.Type)
	}
	if data == nil {
		return nil, errorf(root.at("properties"), `an event schema must describe "data"`)
	}
	e := &model.Event{
		Type:      ev.Type,
		ConstName: "Event" + goName,
		Fixture:   "New" + goName,
		Doc:       root.describe(),
		Source:    root.src,
	}
	t, err := b.schemaType(data, firstNonEmpty(data.goName, goName), "")
	if err != nil {
		return nil, err
	}
	if t.Kind != model.Struct {
		return nil, errorf(data.src, "event data must be an object with properties")
	}
	if t.Doc == "" {
		t.Doc = e.Doc
	}
	e.Data = t
	for i, x := range ev.Examples {
		if err := ev.Validate(x); err != nil {
			return nil, errorf(child(root.at("examples"), strconv.Itoa(i)), "the example breaks its own schema: %v", err)
		}
		e.Examples = append(e.Examples, string(x))
	}
	return e, nil
}
