package generator

import (
	"strconv"

	"github.com/krosgen/krosgen/generator/model"
	"github.com/krosgen/krosgen/generator/naming"
	"github.com/krosgen/krosgen/schema"
)

// envelope builds the checks of the envelope's id and timestamp.
func (b *builder) envelope() error {
	root := b.roots[schema.EnvelopeFile]
	b.pkg.Envelope.Source = root.src
	props := map[string]*jsonSchema{}
	for _, p := range root.properties {
		props[p.name] = p.schema
	}
	for _, name := range []string{"event", "id", "timestamp", "data"} {
		if props[name] == nil {
			return errorf(root.src, "the envelope must declare property %q", name)
		}
	}
	id, err := b.valueType(props["id"], "EventID")
	if err != nil {
		return err
	}
	if id.Kind != model.String || id.Enum != nil {
		return errorf(props["id"].src, "the envelope's id must be a string")
	}
	ts, err := b.valueType(props["timestamp"], "EventTimestamp")
	if err != nil {
		return err
	}
	if ts.Kind != model.Time {
		return errorf(props["timestamp"].src, `the envelope's timestamp must be {"type": "string", "format": "date-time"}`)
	}
	b.pkg.Envelope.ID, b.pkg.Envelope.Timestamp = id, ts
	return nil
}

// event builds one event: its EventType constant and its data struct.
func (b *builder) event(ev *schema.Event) (*model.Event, error) {
	root := b.roots[ev.Name]
	for _, k := range root.keys {
		switch k {
		case "$ref", "properties", "examples":
		default:
			if keywords[k] != annotationKeyword {
				return nil, errorf(root.at(k), "keyword %q is not supported here", k)
			}
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
