package bench

import (
	"encoding/json"
	"time"

	"github.com/bytedance/sonic"
	jsonv2 "github.com/go-json-experiment/json"
	goccy "github.com/goccy/go-json"

	"github.com/krosgen/krosgen/gen/krosai"
)

// envelope is a payload decoded into the generated package's own structs,
// by the decoders that validate nothing: the envelope fields Event has, and
// a pointer to the event's data struct.
type envelope[D any] struct {
	Event     krosai.EventType `json:"event"`
	ID        krosai.EventID   `json:"id"`
	Timestamp time.Time        `json:"timestamp"`
	Data      *D               `json:"data"`
}

// decoder decodes a payload into a new value, which it returns.
type decoder func(b []byte) (any, error)

// peer is one decoder the benchmarks compare Parse with.
type peer struct {
	name string
	of   func(peerEvent) decoder
}

// peers are the decoders Parse is measured against, none of which
// validates: each decodes into the same structs (easyjson into a copy, since
// its generated methods must be declared with the types).
var peers = []peer{
	{"encoding-json", func(p peerEvent) decoder { return p.std }},
	{"json-v2", func(p peerEvent) decoder { return p.v2 }},
	{"sonic", func(p peerEvent) decoder { return p.sonic }},
	{"goccy", func(p peerEvent) decoder { return p.goccy }},
	{"easyjson", func(p peerEvent) decoder { return p.easy }},
}

// peerEvent holds the peer decoders for one event type.
type peerEvent struct {
	std, v2, sonic, goccy, easy decoder
}

// newPeerEvent makes the decoders of an event whose data struct is D;
// easy decodes into easyjson's copy of the types.
func newPeerEvent[D any](easy decoder) peerEvent {
	return peerEvent{
		std: func(b []byte) (any, error) {
			v := new(envelope[D])
			return v, json.Unmarshal(b, v)
		},
		v2: func(b []byte) (any, error) {
			v := new(envelope[D])
			return v, jsonv2.Unmarshal(b, v)
		},
		sonic: func(b []byte) (any, error) {
			v := new(envelope[D])
			return v, sonic.Unmarshal(b, v)
		},
		goccy: func(b []byte) (any, error) {
			v := new(envelope[D])
			return v, goccy.Unmarshal(b, v)
		},
		easy: easy,
	}
}
